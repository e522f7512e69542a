import type { Db } from './connection.ts';

export const sessions = {
  async insert(db: Db, tokenHash: string, userId: string, now: number, expiresAt: number): Promise<void> {
    await db('sessions').insert({ token_hash: tokenHash, user_id: userId, created_at: now, expires_at: expiresAt });
  },
  /** The user id of a live session, or undefined. */
  async userIdFor(db: Db, tokenHash: string, now: number): Promise<string | undefined> {
    const row = await db('sessions').where({ token_hash: tokenHash }).andWhere('expires_at', '>', now).first('user_id');
    return row?.user_id as string | undefined;
  },
  async delete(db: Db, tokenHash: string): Promise<void> {
    await db('sessions').where({ token_hash: tokenHash }).delete();
  },
  async deleteExpired(db: Db, now: number): Promise<number> {
    return db('sessions').where('expires_at', '<=', now).delete();
  },
};
