/**
 * Idempotency keys (`Idempotency-Key` header) for writes a client may retry: the first
 * request with a key runs and its response is recorded in the same transaction as its
 * writes; a retry with the same key and the same body gets that response again.
 *
 *   const outcome = await runIdempotent(deps, scope, async (trx) => {
 *     const app = await createDraft(deps, trx, user, input); // the route's writes, in trx
 *     return { status: 201, body: app, headers: { Location: … } };
 *   });
 *
 * States of a key row: inserted with status null ("in flight", owned by a claim token;
 * the insert is the lock), then completed with the status and response in the route's
 * transaction. A crash in between leaves an in-flight row and no writes; after
 * IDEMPOTENCY_LEASE_MS a retry takes it over. Rows expire IDEMPOTENCY_TTL_MS after the
 * first use and are swept by housekeeping.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { JsonValue } from '../../components/core/canonical-json.ts';
import { canonicalSha256Hex } from '../../components/core/digest.ts';
import { PROBLEM_TYPE_BASE, type FieldError } from '../../components/core/problem.ts';
import type { Conn, Db } from '../db/connection.ts';
import { idempotencyKeys, type IdempotencyRecord } from '../db/idempotency-keys.ts';
import { HttpError, invalidField } from '../http-error.ts';
import type { Deps } from './deps.ts';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
/** A key answers for 24 hours after its first use. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** An in-flight claim older than this is taken to be abandoned (its request crashed). */
export const IDEMPOTENCY_LEASE_MS = 60 * 1000;

const KEY = /^[\x21-\x7e]{1,200}$/;
/** 4xx answers that say "not now" rather than "not this": never recorded, so a retry runs again. */
const TRANSIENT = new Set([408, 409, 423, 425, 429]);

/** What a route's work returns. `body` must be plain JSON (it is stored as JSON text). */
export interface IdempotentResult<T> {
  status: number;
  body: T;
  headers?: Record<string, string>;
}

export interface IdempotentOutcome<T> extends IdempotentResult<T> {
  /** True when this is the recorded response of an earlier request with the same key. */
  replayed: boolean;
}

/** The request a key is bound to: same user, key, method, path and canonical body. */
export interface IdempotencyScope {
  userId: string;
  /** Absent: no Idempotency-Key header was sent, and the work simply runs. */
  key: string | undefined;
  method: string;
  path: string;
  body: unknown;
}

/** Proof that this request owns an in-flight key row. */
export interface IdempotencyClaim {
  userId: string;
  key: string;
  token: string;
}

interface StoredResponse {
  body: JsonValue;
  headers: Record<string, string>;
}

/** The header's value, checked: 1–200 visible ASCII characters; absent → undefined. */
export function parseIdempotencyKey(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !KEY.test(value)) {
    throw invalidField(IDEMPOTENCY_HEADER, 'invalid', `${IDEMPOTENCY_HEADER} must be 1 to 200 visible ASCII characters`);
  }
  return value;
}

/** Whether a response with this status is recorded against its key (2xx and 4xx, bar the transient ones). */
export function isRecordable(status: number): boolean {
  return (status >= 200 && status < 300) || (status >= 400 && status < 500 && !TRANSIENT.has(status));
}

/** SHA-256 of the RFC 8785 canonical JSON of the request body (no body = null). */
export async function requestHash(body: unknown): Promise<string> {
  const json = JSON.stringify(body ?? null);
  return canonicalSha256Hex(JSON.parse(json ?? 'null') as JsonValue);
}

function reused(): HttpError {
  const message = `This ${IDEMPOTENCY_HEADER} was already used for a different request`;
  return new HttpError(422, 'idempotency-key-reused', 'This idempotency key belongs to another request', {
    detail: `${message}; use a new key for a new request`,
    errors: [{ field: IDEMPOTENCY_HEADER, code: 'reused', message }],
  });
}

function inFlight(): HttpError {
  return new HttpError(409, 'idempotency-key-in-use', 'A request with this idempotency key is in progress', {
    detail: 'The first request with this key has not finished; retry shortly to receive its response',
    retryAfter: 1,
  });
}

function claimLost(): HttpError {
  return new HttpError(409, 'idempotency-key-in-use', 'A request with this idempotency key is in progress', {
    detail: 'This request took too long and a retry with the same key took its place; nothing was changed',
    retryAfter: 1,
  });
}

/** A recorded response given back: 2xx as an outcome, 4xx thrown as the problem it was. */
function replay<T>(row: IdempotencyRecord): IdempotentOutcome<T> {
  const stored = JSON.parse(row.response ?? '{"body":null,"headers":{}}') as StoredResponse;
  const headers = { ...stored.headers, [IDEMPOTENT_REPLAYED_HEADER]: 'true' };
  const status = row.status!;
  if (status >= 400) {
    const problem = stored.body as { type?: string; title?: string; detail?: string; errors?: FieldError[] };
    const type = problem.type ?? PROBLEM_TYPE_BASE + 'bad-request';
    const options: { detail?: string; errors?: FieldError[]; headers: Record<string, string> } = { headers };
    if (problem.detail !== undefined) options.detail = problem.detail;
    if (problem.errors !== undefined) options.errors = problem.errors;
    throw new HttpError(status, type.startsWith(PROBLEM_TYPE_BASE) ? type.slice(PROBLEM_TYPE_BASE.length) : type, problem.title ?? 'Error', options);
  }
  return { status, body: stored.body as T, headers, replayed: true };
}

/**
 * Claims a key for this request, or settles it from the key's row: the recorded response
 * (replayed; a recorded 4xx is thrown again), 422 when the key was used for another
 * request, 409 while the first request is still in flight. Call outside any transaction:
 * the claim must be visible to other requests at once.
 */
export async function claimIdempotencyKey<T>(
  deps: Pick<Deps, 'db' | 'now'>,
  scope: IdempotencyScope & { key: string },
): Promise<{ claim: IdempotencyClaim } | { replay: IdempotentOutcome<T> }> {
  const hash = await requestHash(scope.body);
  const token = randomUUID();
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = deps.now();
    const fresh = {
      userId: scope.userId,
      key: scope.key,
      method: scope.method,
      path: scope.path,
      requestHash: hash,
      claimToken: token,
      claimedAt: now,
      createdAt: now,
    };
    const claim = { userId: scope.userId, key: scope.key, token };
    if (await idempotencyKeys.insert(deps.db, fresh)) return { claim };
    const row = await idempotencyKeys.get(deps.db, scope.userId, scope.key);
    if (!row) continue; // swept between our insert and our read: try again
    if (row.createdAt <= now - IDEMPOTENCY_TTL_MS) {
      // Expired but not swept yet: the key starts afresh.
      if (await idempotencyKeys.restart(deps.db, row, fresh)) return { claim };
      continue;
    }
    if (row.method !== scope.method || row.path !== scope.path || row.requestHash !== hash) throw reused();
    if (row.status !== null) return { replay: replay<T>(row) };
    if (row.claimedAt <= now - IDEMPOTENCY_LEASE_MS) {
      if (await idempotencyKeys.takeOver(deps.db, row, token, now)) return { claim };
      continue;
    }
    throw inFlight();
  }
  throw inFlight();
}

/**
 * Records the response against a claimed key. Give it the route's transaction so the
 * response commits with the writes; throws 409 (rolling them back) if the claim was lost
 * to a retry that took over a request too slow to finish within the lease.
 */
export async function recordIdempotentResponse(
  conn: Conn,
  claim: IdempotencyClaim,
  result: IdempotentResult<unknown>,
): Promise<void> {
  const stored: StoredResponse = { body: (result.body ?? null) as JsonValue, headers: result.headers ?? {} };
  const ok = await idempotencyKeys.complete(conn, claim.userId, claim.key, claim.token, result.status, JSON.stringify(stored));
  if (!ok) throw claimLost();
}

/** Gives up a claim without a response (the request failed), so a retry runs afresh. */
export async function releaseIdempotencyKey(conn: Conn, claim: IdempotencyClaim): Promise<void> {
  await idempotencyKeys.release(conn, claim.userId, claim.key, claim.token);
}

/** The problem+json body the error middleware makes of an HttpError (less request id and instance). */
function problemOf(err: HttpError): IdempotentResult<JsonValue> {
  const body: { [key: string]: JsonValue } = { type: err.type, title: err.title, status: err.status, detail: err.message };
  if (err.errors) body.errors = err.errors.map((e) => ({ field: e.field, code: e.code, message: e.message }));
  return { status: err.status, body, headers: err.headers };
}

/**
 * Runs `work` in a transaction, honouring the scope's idempotency key when there is one:
 *  - first request: claims the key, runs `work(trx)`, records its result in `trx`, so the
 *    writes and the recorded response commit together (or neither does);
 *  - `work` throws an HttpError 4xx: its writes roll back and the problem is recorded;
 *    any other failure (5xx, crash) records nothing and frees the key for a retry;
 *  - same key, same request again: the recorded response, `replayed: true` (a recorded
 *    problem is thrown again, with the Idempotent-Replayed header);
 *  - same key, different request: 422; first request still in flight: 409.
 */
export async function runIdempotent<T>(
  deps: Pick<Deps, 'db' | 'now'>,
  scope: IdempotencyScope,
  work: (trx: Knex.Transaction) => Promise<IdempotentResult<T>>,
): Promise<IdempotentOutcome<T>> {
  const { key } = scope;
  if (key === undefined) {
    const result = await deps.db.transaction((trx) => work(trx));
    return { ...result, replayed: false };
  }
  const claimed = await claimIdempotencyKey<T>(deps, { ...scope, key });
  if ('replay' in claimed) return claimed.replay;
  const { claim } = claimed;
  try {
    return await deps.db.transaction(async (trx) => {
      const result = await work(trx);
      if (isRecordable(result.status)) await recordIdempotentResponse(trx, claim, result);
      else await releaseIdempotencyKey(trx, claim);
      return { ...result, replayed: false };
    });
  } catch (err) {
    if (err instanceof HttpError && isRecordable(err.status)) {
      // The writes rolled back; the answer is recorded on its own (there is nothing to pair it with).
      await recordIdempotentResponse(deps.db, claim, problemOf(err))
        .catch(() => releaseIdempotencyKey(deps.db, claim))
        .catch(() => {});
    } else {
      await releaseIdempotencyKey(deps.db, claim).catch(() => {});
    }
    throw err;
  }
}

/** Deletes keys older than IDEMPOTENCY_TTL_MS. */
export async function deleteExpiredIdempotencyKeys(db: Db, now: number): Promise<number> {
  return idempotencyKeys.deleteCreatedBefore(db, now - IDEMPOTENCY_TTL_MS);
}
