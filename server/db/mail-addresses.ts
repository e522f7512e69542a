import type { Conn } from './connection.ts';

import type { MailLang } from '../../components/core/api.ts';

export type { MailLang };

/** A citizen's e-mail settings (migration 013). */
export interface MailAddressRecord {
  userId: string;
  /** Confirmed: the only address mail goes to. */
  address: string | null;
  pendingAddress: string | null;
  codeHash: string | null;
  codeExpiresAt: number | null;
  codeAttempts: number;
  lang: MailLang;
  unsubscribeToken: string;
  notify: boolean;
  confirmedAt: number | null;
  updatedAt: number;
}

interface Row {
  user_id: string;
  address: string | null;
  pending_address: string | null;
  code_hash: string | null;
  code_expires_at: number | string | null;
  code_attempts: number | string;
  lang: string;
  unsubscribe_token: string;
  // A boolean on PostgreSQL, 0 / 1 on SQLite.
  notify: boolean | number;
  confirmed_at: number | string | null;
  updated_at: number | string;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toRecord(r: Row): MailAddressRecord {
  return {
    userId: r.user_id, address: r.address, pendingAddress: r.pending_address, codeHash: r.code_hash,
    codeExpiresAt: num(r.code_expires_at), codeAttempts: Number(r.code_attempts), lang: r.lang as MailLang,
    unsubscribeToken: r.unsubscribe_token, notify: Boolean(r.notify), confirmedAt: num(r.confirmed_at), updatedAt: Number(r.updated_at),
  };
}

function toRow(m: MailAddressRecord): Row {
  return {
    user_id: m.userId, address: m.address, pending_address: m.pendingAddress, code_hash: m.codeHash,
    code_expires_at: m.codeExpiresAt, code_attempts: m.codeAttempts, lang: m.lang, unsubscribe_token: m.unsubscribeToken,
    notify: m.notify, confirmed_at: m.confirmedAt, updated_at: m.updatedAt,
  };
}

export const mailAddresses = {
  async get(db: Conn, userId: string): Promise<MailAddressRecord | undefined> {
    const row = await db('mail_addresses').where({ user_id: userId }).first<Row | undefined>();
    return row ? toRecord(row) : undefined;
  },
  /** The row, locked until the transaction ends (PostgreSQL; SQLite's writer lock already serialises). */
  async getForUpdate(db: Conn, userId: string): Promise<MailAddressRecord | undefined> {
    const row = await db('mail_addresses').where({ user_id: userId }).forUpdate().first<Row | undefined>();
    return row ? toRecord(row) : undefined;
  },
  async byUnsubscribeToken(db: Conn, token: string): Promise<MailAddressRecord | undefined> {
    const row = await db('mail_addresses').where({ unsubscribe_token: token }).first<Row | undefined>();
    return row ? toRecord(row) : undefined;
  },
  /** Inserts or replaces the user's row. */
  async put(db: Conn, m: MailAddressRecord): Promise<void> {
    const row = toRow(m);
    await db('mail_addresses').insert(row).onConflict('user_id').merge();
  },
  async remove(db: Conn, userId: string): Promise<boolean> {
    return (await db('mail_addresses').where({ user_id: userId }).delete()) > 0;
  },
};
