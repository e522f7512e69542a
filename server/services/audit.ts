import type { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { canonicalBytes, type JsonValue } from '../../components/core/canonical-json.ts';
import type { Db } from '../db/connection.ts';
import { auditLog, auditPage, type AuditPageQuery, type AuditRow } from '../db/audit-log.ts';
import { HttpError } from '../http-error.ts';
import type { Deps } from './deps.ts';

export interface AuditEvent {
  actor: string | null;
  action: string;
  subject: { type: string; id: string };
  data?: { [key: string]: JsonValue };
}

const GENESIS = '0'.repeat(64);

/**
 * The one-row chain head (`audit_head`, made by the first migration) is gone: the database was
 * damaged or tampered with. Nothing can be appended or proved until it is restored (from a backup).
 */
export class AuditHeadMissingError extends Error {
  constructor() {
    super('the audit chain head (the audit_head row) is missing, so the audit log can be neither verified nor appended to; restore the database from a backup.');
    this.name = 'AuditHeadMissingError';
  }
}

/**
 * The hash of one entry: SHA-256 over the canonical JSON of everything in it plus the previous
 * hash. node:crypto's hash rather than WebCrypto's: every audited action pays it, and WebCrypto's
 * digest is a thread-pool job behind a promise, ~0.1 ms of the event loop against a few µs.
 */
function entryHash(r: Omit<AuditRow, 'hash'>): string {
  return createHash('sha256').update(canonicalBytes({
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: { type: r.subject_type, id: r.subject_id },
    data: JSON.parse(r.data) as JsonValue,
    prev: r.prev_hash,
  })).digest('hex');
}

/**
 * Appends one entry to the hash chain inside the caller's transaction, so the state change
 * and its audit entry commit together or not at all.
 */
export async function appendAudit(trx: Knex.Transaction, event: AuditEvent, now: number): Promise<void> {
  const head = await auditLog.lockHead(trx);
  if (!head) throw new AuditHeadMissingError();
  const row: Omit<AuditRow, 'hash'> = {
    seq: head.seq + 1,
    at: now,
    actor: event.actor,
    action: event.action,
    subject_type: event.subject.type,
    subject_id: event.subject.id,
    data: JSON.stringify(event.data ?? {}),
    prev_hash: head.hash,
  };
  await auditLog.append(trx, { ...row, hash: entryHash(row) });
}

export interface AuditProblem {
  seq: number;
  problem: 'modified' | 'missing' | 'broken-link' | 'head-mismatch' | 'outside-chain';
  detail: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Every row of the log, in the chain or not. */
  entries: number;
  headSeq: number;
  headHash: string;
  problems: AuditProblem[];
}

/**
 * Proves the log is exactly the entries 1…head, chained: each entry's hash must match its
 * content and link to the entry before it, sequence numbers must be contiguous from 1, the last
 * must be the head, and no row may lie outside that range (seq < 1 or seq > head). Finds
 * modified, deleted, inserted, reordered and truncated entries, and rows written beside the
 * chain. The head is read first, so entries appended while it runs are not taken for problems.
 * Throws AuditHeadMissingError when there is no head to verify against.
 */
export async function verifyAudit(db: Db): Promise<AuditVerification> {
  const head = await auditLog.head(db);
  if (!head) throw new AuditHeadMissingError();
  const problems: AuditProblem[] = [];
  let prevHash = GENESIS;
  let expectedSeq = 1;
  for await (const row of auditLog.scan(db, { from: 1, to: head.seq })) {
    if (row.seq !== expectedSeq) {
      problems.push({ seq: expectedSeq, problem: 'missing', detail: `entries ${expectedSeq}..${row.seq - 1} are missing` });
    }
    if (row.prev_hash !== prevHash) {
      problems.push({ seq: row.seq, problem: 'broken-link', detail: 'does not link to the entry before it' });
    }
    const { hash: stored, ...content } = row;
    if (entryHash(content) !== stored) {
      problems.push({ seq: row.seq, problem: 'modified', detail: 'content does not match its hash' });
    }
    prevHash = stored;
    expectedSeq = row.seq + 1;
  }
  if (head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
    problems.push({
      seq: head.seq,
      problem: 'head-mismatch',
      detail: `the chain head is entry ${head.seq} but the log ends at entry ${expectedSeq - 1}`,
    });
  }
  // Rows beside the chain: below 1, or past the head. Read against the head of that moment, so an
  // entry appended since the scan began is inside the chain, not outside it.
  for await (const seq of auditLog.outsideChain(db)) {
    problems.push({ seq, problem: 'outside-chain', detail: `a row outside the chain: sequence numbers run from 1 to the head (${head.seq})` });
  }
  problems.sort((a, b) => a.seq - b.seq);
  const entries = await auditLog.count(db);
  return { ok: problems.length === 0, entries, headSeq: head.seq, headHash: head.hash, problems };
}

/** An audit entry as the HTTP API shows it. `Date.parse(at)` gives back the hashed epoch milliseconds. */
export interface AuditEntryView {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  subject: { type: string; id: string };
  data: JsonValue;
  prev: string;
  hash: string;
}

export function auditEntryView(r: AuditRow): AuditEntryView {
  return {
    seq: r.seq,
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    subject: { type: r.subject_type, id: r.subject_id },
    data: JSON.parse(r.data) as JsonValue,
    prev: r.prev_hash,
    hash: r.hash,
  };
}

/** The chain's state as `GET /api/v1/audit/verify` reports it (what `overa audit verify` prints). */
export interface AuditChainState {
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string };
  /** The first entry at fault (lowest sequence number), when the chain is not whole. */
  firstBadSeq?: number;
  /** The problems found, at most AUDIT_PROBLEMS_SHOWN of them. */
  problems: AuditProblem[];
}

export const AUDIT_PROBLEMS_SHOWN = 100;

/** The chain's state for the HTTP API; a missing head is a 500 problem that says so (the CLI prints the same sentence). */
export async function auditChainState(db: Db): Promise<AuditChainState> {
  let v: AuditVerification;
  try {
    v = await verifyAudit(db);
  } catch (err) {
    if (!(err instanceof AuditHeadMissingError)) throw err;
    throw new HttpError(500, 'audit-head-missing', 'The audit chain head is missing', { detail: `The server cannot verify its audit log: ${err.message}` });
  }
  const state: AuditChainState = { ok: v.ok, entries: v.entries, head: { seq: v.headSeq, hash: v.headHash }, problems: v.problems.slice(0, AUDIT_PROBLEMS_SHOWN) };
  if (!v.ok) state.firstBadSeq = Math.min(...v.problems.map((p) => p.seq));
  return state;
}

/** One page of an agency's audit entries, newest first (only what the chain vouches for). */
export function agencyAuditPage(deps: Pick<Deps, 'db'>, q: AuditPageQuery): Promise<AuditRow[]> {
  return auditPage(deps.db, q);
}
