import type { Conn } from './connection.ts';

export interface RecoveryCodeRecord {
  codeHash: string;
  userId: string;
  expiresAt: number;
  usedAt: number | null;
}

/** One-time account recovery codes (services/account-recovery.ts); only their hashes. */
export const recoveryCodes = {
  async insert(db: Conn, r: Omit<RecoveryCodeRecord, 'usedAt'>, now: number): Promise<void> {
    await db('recovery_codes').insert({ code_hash: r.codeHash, user_id: r.userId, created_at: now, expires_at: r.expiresAt });
  },
  async get(db: Conn, codeHash: string): Promise<RecoveryCodeRecord | undefined> {
    const row = await db('recovery_codes').where({ code_hash: codeHash }).first();
    if (!row) return undefined;
    return {
      codeHash: row.code_hash as string,
      userId: row.user_id as string,
      expiresAt: Number(row.expires_at),
      usedAt: row.used_at == null ? null : Number(row.used_at),
    };
  },
  /** Marks a code used; false if it was used already (by a concurrent request, say). */
  async consume(db: Conn, codeHash: string, now: number): Promise<boolean> {
    return (await db('recovery_codes').where({ code_hash: codeHash }).whereNull('used_at').update({ used_at: now })) === 1;
  },
  /** Ends a user's codes not yet used (a new one replaces them); how many there were. */
  async voidUnused(db: Conn, userId: string, now: number): Promise<number> {
    return db('recovery_codes').where({ user_id: userId }).whereNull('used_at').update({ used_at: now });
  },
};
