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

/** A passkey as its owner sees it in their account (no key material). */
export interface CredentialListing {
  id: string;
  transports: string[];
  deviceType: string | null;
  backedUp: boolean;
  createdAt: number;
  lastUsedAt: number | null;
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
  /** A user's passkeys, oldest first, with when they were added and last used. */
  async listingsForUser(db: Conn, userId: string): Promise<CredentialListing[]> {
    const rows = await db<CredentialRow>('credentials').where({ user_id: userId }).orderBy([{ column: 'created_at' }, { column: 'id' }]);
    return rows.map((row) => ({
      id: row.id,
      transports: JSON.parse(row.transports) as string[],
      deviceType: row.device_type,
      backedUp: Boolean(row.backed_up),
      createdAt: Number(row.created_at),
      lastUsedAt: row.last_used_at == null ? null : Number(row.last_used_at),
    }));
  },
  async countForUser(db: Conn, userId: string): Promise<number> {
    const row = await db('credentials').where({ user_id: userId }).count<{ n: number | string }[]>({ n: '*' }).first();
    return Number(row?.n ?? 0);
  },
  /** Deletes one of a user's passkeys; false when that user has no passkey with this id. */
  async deleteForUser(db: Conn, userId: string, id: string): Promise<boolean> {
    return (await db('credentials').where({ id, user_id: userId }).delete()) === 1;
  },
  /** Deletes every passkey of a user (account recovery); how many there were. */
  async deleteAllForUser(db: Conn, userId: string): Promise<number> {
    return db('credentials').where({ user_id: userId }).delete();
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
