import type { Conn } from './connection.ts';

export interface IdempotencyRecord {
  userId: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
  /** Null while the first request is in flight. */
  status: number | null;
  /** JSON text `{body, headers}` of the recorded response. */
  response: string | null;
  /** The in-flight request's token; null once its response is recorded. */
  claimToken: string | null;
  claimedAt: number;
  createdAt: number;
}

interface IdempotencyRow {
  user_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status: number | null;
  response: string | null;
  claim_token: string | null;
  claimed_at: number | string;
  created_at: number | string;
}

function toRecord(row: IdempotencyRow): IdempotencyRecord {
  return {
    userId: row.user_id,
    key: row.key,
    method: row.method,
    path: row.path,
    requestHash: row.request_hash,
    status: row.status == null ? null : Number(row.status),
    response: row.response,
    claimToken: row.claim_token,
    claimedAt: Number(row.claimed_at),
    createdAt: Number(row.created_at),
  };
}

/** A primary-key violation, on PostgreSQL (23505) or SQLite. */
function isDuplicate(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'));
}

/** The columns of a freshly claimed, in-flight key (no response yet). */
function inFlight(r: Omit<IdempotencyRecord, 'status' | 'response'>) {
  return {
    method: r.method,
    path: r.path,
    request_hash: r.requestHash,
    status: null,
    response: null,
    claim_token: r.claimToken,
    claimed_at: r.claimedAt,
    created_at: r.createdAt,
  };
}

export const idempotencyKeys = {
  /**
   * Inserts an in-flight row (status null) owned by `claimToken`. The primary key is the
   * lock: false when the (user, key) row exists already, whoever holds it.
   */
  async insert(db: Conn, r: Omit<IdempotencyRecord, 'status' | 'response'>): Promise<boolean> {
    try {
      await db('idempotency_keys').insert({ user_id: r.userId, key: r.key, ...inFlight(r) });
      return true;
    } catch (err) {
      if (isDuplicate(err)) return false;
      throw err;
    }
  },
  async get(db: Conn, userId: string, key: string): Promise<IdempotencyRecord | undefined> {
    const row = await db<IdempotencyRow>('idempotency_keys').where({ user_id: userId, key }).first();
    return row && toRecord(row);
  },
  /**
   * Replaces an expired row that the sweeper has not removed yet with a fresh in-flight one;
   * false if the row changed meanwhile (someone else restarted or completed it).
   */
  async restart(db: Conn, old: IdempotencyRecord, r: Omit<IdempotencyRecord, 'status' | 'response'>): Promise<boolean> {
    const n = await db('idempotency_keys')
      .where({ user_id: old.userId, key: old.key, created_at: old.createdAt, claimed_at: old.claimedAt })
      .update(inFlight(r));
    return n === 1;
  },
  /** Takes over a stale in-flight claim (compare-and-set on the old token). */
  async takeOver(db: Conn, old: IdempotencyRecord, claimToken: string, now: number): Promise<boolean> {
    const n = await db('idempotency_keys')
      .where({ user_id: old.userId, key: old.key, claim_token: old.claimToken })
      .whereNull('status')
      .update({ claim_token: claimToken, claimed_at: now });
    return n === 1;
  },
  /** Records the response, if `claimToken` still owns the row; false otherwise. */
  async complete(db: Conn, userId: string, key: string, claimToken: string, status: number, response: string): Promise<boolean> {
    const n = await db('idempotency_keys')
      .where({ user_id: userId, key, claim_token: claimToken })
      .whereNull('status')
      .update({ status, response, claim_token: null });
    return n === 1;
  },
  /** Drops an in-flight row that `claimToken` owns, so the request can be retried. */
  async release(db: Conn, userId: string, key: string, claimToken: string): Promise<void> {
    await db('idempotency_keys').where({ user_id: userId, key, claim_token: claimToken }).whereNull('status').delete();
  },
  async deleteCreatedBefore(db: Conn, before: number): Promise<number> {
    return db('idempotency_keys').where('created_at', '<=', before).delete();
  },
};
