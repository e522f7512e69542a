import type { Knex } from 'knex';
import { canonicalSha256Hex } from '../../components/core/digest.ts';
import type { JsonValue } from '../../components/core/canonical-json.ts';
import type { Db } from '../db/connection.ts';
import { auditLog, type AuditRow } from '../db/audit-log.ts';

export interface AuditEvent {
  actor: string | null;
  action: string;
  subject: { type: string; id: string };
  data?: { [key: string]: JsonValue };
}

const GENESIS = '0'.repeat(64);

/** The hash of one entry: SHA-256 over the canonical JSON of everything in it plus the previous hash. */
async function entryHash(r: Omit<AuditRow, 'hash'>): Promise<string> {
  return canonicalSha256Hex({
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: { type: r.subject_type, id: r.subject_id },
    data: JSON.parse(r.data) as JsonValue,
    prev: r.prev_hash,
  });
}

/**
 * Appends one entry to the hash chain inside the caller's transaction, so the state change
 * and its audit entry commit together or not at all.
 */
export async function appendAudit(trx: Knex.Transaction, event: AuditEvent, now: number): Promise<void> {
  const head = await auditLog.lockHead(trx);
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
  await auditLog.append(trx, { ...row, hash: await entryHash(row) });
}

export interface AuditProblem {
  seq: number;
  problem: 'modified' | 'missing' | 'broken-link' | 'head-mismatch';
  detail: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  headSeq: number;
  headHash: string;
  problems: AuditProblem[];
}

/**
 * Walks the whole chain: each entry's hash must match its content, link to the entry
 * before it, and sequence numbers must be contiguous; the last entry must be the head.
 * Finds modified, deleted, inserted, reordered and truncated entries.
 */
export async function verifyAudit(db: Db): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  let prevHash = GENESIS;
  let expectedSeq = 1;
  let entries = 0;
  for await (const row of auditLog.scan(db)) {
    entries++;
    if (row.seq !== expectedSeq) {
      problems.push({ seq: expectedSeq, problem: 'missing', detail: `entries ${expectedSeq}..${row.seq - 1} are missing` });
    }
    if (row.prev_hash !== prevHash) {
      problems.push({ seq: row.seq, problem: 'broken-link', detail: 'does not link to the entry before it' });
    }
    const { hash: stored, ...content } = row;
    if ((await entryHash(content)) !== stored) {
      problems.push({ seq: row.seq, problem: 'modified', detail: 'content does not match its hash' });
    }
    prevHash = stored;
    expectedSeq = row.seq + 1;
  }
  const head = await auditLog.head(db);
  if (head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
    problems.push({
      seq: head.seq,
      problem: 'head-mismatch',
      detail: `the chain head is entry ${head.seq} but the log ends at entry ${expectedSeq - 1}`,
    });
  }
  return { ok: problems.length === 0, entries, headSeq: head.seq, headHash: head.hash, problems };
}
