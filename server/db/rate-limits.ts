import type { Conn } from './connection.ts';

export const rateLimits = {
  /**
   * Counts one more request against `key` in the window starting at `windowStart` and returns
   * the window's count, this request included. One statement, atomic on both databases
   * (SQLite ≥ 3.35 and PostgreSQL ≥ 9.5 both have ON CONFLICT and RETURNING), so instances
   * racing on the same key each get a distinct count and never lose an increment.
   */
  async hit(db: Conn, key: string, windowStart: number, expiresAt: number): Promise<number> {
    const result: unknown = await db.raw(
      `insert into rate_limits (key, window_start, count, expires_at) values (?, ?, 1, ?)
       on conflict (key, window_start) do update set count = rate_limits.count + 1
       returning count`,
      [key, windowStart, expiresAt],
    );
    // pg answers {rows}, better-sqlite3 the rows themselves.
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { count: number | string }[];
    return Number(rows[0]!.count);
  },
  /** The current count of a window (0 when nobody was counted), for tests and diagnostics. */
  async count(db: Conn, key: string, windowStart: number): Promise<number> {
    const [row] = await db('rate_limits').where({ key, window_start: windowStart }).select('count');
    return row ? Number(row.count) : 0;
  },
  async deleteExpired(db: Conn, now: number): Promise<number> {
    return db('rate_limits').where('expires_at', '<=', now).delete();
  },
};
