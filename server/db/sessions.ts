import type { User } from '../../components/core/user.ts';
import { sqliteStatement, type Conn } from './connection.ts';
import { rowToUser, type UserRow } from './users.ts';

/** What liveUser's knex query compiles to on SQLite, written out to run as one prepared statement. */
const LIVE_USER_SQLITE =
  'select `users`.*, `agencies`.`name` as `agency_name` from `sessions` inner join `users` on `users`.`id` = `sessions`.`user_id` ' +
  'left join `agencies` on `agencies`.`id` = `users`.`agency_id` where `sessions`.`token_hash` = ? and `sessions`.`expires_at` > ?';

export const sessions = {
  async insert(db: Conn, tokenHash: string, userId: string, now: number, expiresAt: number): Promise<void> {
    await db('sessions').insert({ token_hash: tokenHash, user_id: userId, created_at: now, expires_at: expiresAt });
  },
  /**
   * The user of a live session (with their agency's name), or undefined: one indexed join, because every
   * authenticated request runs it. Read from the database every time (a signed-out token
   * must stop working at once, on every instance). On SQLite one prepared statement on
   * better-sqlite3's connection, without knex (unless a transaction holds the connection:
   * see sqliteStatement); on PostgreSQL through knex. No `.first()` / `LIMIT`: token_hash is
   * the primary key, and the `LIMIT ?` that first() adds made this join 4× slower on
   * SQLite (docs/decisions.md).
   */
  async liveUser(db: Conn, tokenHash: string, now: number): Promise<User | undefined> {
    const direct = sqliteStatement<UserRow>(db, LIVE_USER_SQLITE);
    if (direct !== undefined) {
      const row = direct.get(tokenHash, now);
      return row && rowToUser(row);
    }
    const rows = await db('sessions')
      .join('users', 'users.id', 'sessions.user_id')
      .leftJoin('agencies', 'agencies.id', 'users.agency_id')
      .where('sessions.token_hash', tokenHash)
      .andWhere('sessions.expires_at', '>', now)
      .select<UserRow[]>('users.*', 'agencies.name as agency_name');
    return rows[0] && rowToUser(rows[0]);
  },
  /** Deletes one session; true when there was one to delete. */
  async delete(db: Conn, tokenHash: string): Promise<boolean> {
    return (await db('sessions').where({ token_hash: tokenHash }).delete()) > 0;
  },
  /** Ends every session of a user; the token hashes that were live, so their event streams can be closed. */
  async deleteAllForUser(db: Conn, userId: string): Promise<string[]> {
    const rows = await db('sessions').where({ user_id: userId }).select<{ token_hash: string }[]>('token_hash');
    await db('sessions').where({ user_id: userId }).delete();
    return rows.map((r) => r.token_hash);
  },
  async deleteExpired(db: Conn, now: number): Promise<number> {
    return db('sessions').where('expires_at', '<=', now).delete();
  },
};
