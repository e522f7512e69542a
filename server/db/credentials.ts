import type { Conn } from './connection.ts';

/** A passkey as SimpleWebAuthn wants it back: `{id, publicKey, counter, transports}`. */
export interface CredentialRecord {
  id: string;
  userId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: string | null;
  backedUp: boolean;
}

interface CredentialRow {
  id: string;
  user_id: string;
  public_key: string;
  counter: number;
  transports: string;
  device_type: string | null;
  backed_up: number | boolean;
  created_at: number;
  last_used_at: number | null;
}

function toRecord(row: CredentialRow): CredentialRecord {
  return {
    id: row.id,
    userId: row.user_id,
    publicKey: row.public_key,
    counter: Number(row.counter),
    transports: JSON.parse(row.transports) as string[],
    deviceType: row.device_type,
    backedUp: Boolean(row.backed_up),
  };
}

export const credentials = {
  async insert(db: Conn, c: CredentialRecord, now: number): Promise<void> {
    await db('credentials').insert({
      id: c.id,
      user_id: c.userId,
      public_key: c.publicKey,
      counter: c.counter,
      transports: JSON.stringify(c.transports),
      device_type: c.deviceType,
      backed_up: c.backedUp,
      created_at: now,
    });
  },
  async get(db: Conn, id: string): Promise<CredentialRecord | undefined> {
    const row = await db<CredentialRow>('credentials').where({ id }).first();
    return row && toRecord(row);
  },
  async exists(db: Conn, id: string): Promise<boolean> {
    return (await db('credentials').where({ id }).first('id')) !== undefined;
  },
  async listForUser(db: Conn, userId: string): Promise<CredentialRecord[]> {
    const rows = await db<CredentialRow>('credentials').where({ user_id: userId });
    return rows.map(toRecord);
  },
  /**
   * Moves the sign counter forward only if nobody else did in between (compare-and-set),
   * so two concurrent uses of one cloned credential cannot both pass.
   */
  async advanceCounter(db: Conn, id: string, from: number, to: number, now: number): Promise<boolean> {
    const n = await db('credentials').where({ id, counter: from }).update({ counter: to, last_used_at: now });
    return n === 1;
  },
};
