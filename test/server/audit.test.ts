import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createTestDb, type TestDb } from '../helpers/test-server.ts';
import { appendAudit, verifyAudit, AuditHeadMissingError } from '../../server/services/audit.ts';
import { auditLog, auditPage } from '../../server/db/audit-log.ts';
import { canonicalSha256Hex } from '../../components/core/digest.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/overa.js', import.meta.url).pathname;

let t: TestDb;
let schema: string | undefined;
beforeEach(async () => {
  t = await createTestDb();
  schema = t.dialect === 'postgresql' ? ((await t.db.raw('select current_schema() as s')).rows[0].s as string) : undefined;
  for (let i = 1; i <= 5; i++) {
    await t.db.transaction((trx) =>
      appendAudit(trx, { actor: `user-${i}`, action: 'test.event', subject: { type: 'thing', id: String(i) }, data: { n: i, text: 'Ђурђевак ćevapi' } }, 1_700_000_000_000 + i),
    );
  }
});
afterEach(() => t.drop());

/** Runs `overa audit verify` against the test database, as an operator would. */
async function cliVerify(): Promise<{ code: number; out: string; err: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, OVERA_DATA_DIR: t.config.dataDir, OVERA_LOG_LEVEL: 'silent' };
  if (t.config.databaseUrl) {
    const url = new URL(t.config.databaseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    env.DATABASE_URL = url.toString();
  }
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'audit', 'verify'], { env });
    return { code: 0, out: stdout, err: stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

/**
 * Writes a well-formed entry straight into audit_log, bypassing the chain head, as someone with
 * write access to the database could: its hash matches its content and it links to the head, so
 * only its place (its sequence number) gives it away.
 */
async function forge(seq: number, subject = { type: 'thing', id: '3' }): Promise<void> {
  const head = (await t.db('audit_head').where({ id: 1 }).first('hash')) as { hash: string };
  const row = { seq, at: 1_700_000_000_100, actor: 'intruder', action: 'test.forged', subject_type: subject.type, subject_id: subject.id, data: '{}', prev_hash: head.hash };
  const hash = await canonicalSha256Hex({ seq, at: row.at, actor: row.actor, action: row.action, subject, data: {}, prev: row.prev_hash });
  await t.db('audit_log').insert({ ...row, hash });
}

describe('audit hash chain', () => {
  test('a whole chain verifies, in the service and with `overa audit verify`', async () => {
    const result = await verifyAudit(t.db);
    assert.equal(result.ok, true);
    assert.equal(result.entries, 5);
    const cli = await cliVerify();
    assert.equal(cli.code, 0, cli.out);
    assert.match(cli.out, /audit chain OK: 5 entries/);
  });

  test('a row changed behind the server\'s back is reported', async () => {
    await t.db('audit_log').where({ seq: 3 }).update({ data: JSON.stringify({ n: 300, text: 'Ђурђевак ćevapi' }) });
    const cli = await cliVerify();
    assert.equal(cli.code, 1, cli.out);
    assert.match(cli.out, /BROKEN/);
    assert.match(cli.out, /entry 3: modified/);
  });

  test('a changed actor or time is reported too', async () => {
    await t.db('audit_log').where({ seq: 2 }).update({ actor: 'someone-else' });
    await t.db('audit_log').where({ seq: 4 }).update({ at: 1 });
    const result = await verifyAudit(t.db);
    assert.deepEqual(result.problems.map((p) => [p.seq, p.problem]), [[2, 'modified'], [4, 'modified']]);
  });

  test('a deleted row is reported', async () => {
    await t.db('audit_log').where({ seq: 2 }).delete();
    const result = await verifyAudit(t.db);
    assert.equal(result.ok, false);
    assert.ok(result.problems.some((p) => p.problem === 'missing' && p.seq === 2));
    assert.ok(result.problems.some((p) => p.problem === 'broken-link' && p.seq === 3));
  });

  test('reordered rows are reported', async () => {
    const rows = await t.db('audit_log').whereIn('seq', [2, 3]).orderBy('seq');
    const { seq: s2, ...r2 } = rows[0];
    const { seq: s3, ...r3 } = rows[1];
    await t.db('audit_log').where({ seq: s2 }).update(r3);
    await t.db('audit_log').where({ seq: s3 }).update(r2);
    const result = await verifyAudit(t.db);
    assert.equal(result.ok, false);
    assert.ok(result.problems.some((p) => p.problem === 'broken-link'));
  });

  test('a truncated tail is reported against the chain head', async () => {
    await t.db('audit_log').where({ seq: 5 }).delete();
    const result = await verifyAudit(t.db);
    assert.deepEqual(result.problems.map((p) => p.problem), ['head-mismatch']);
    assert.equal((await cliVerify()).code, 1);
  });

  test('concurrent appends keep one unbroken chain', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db.transaction((trx) => appendAudit(trx, { actor: null, action: 'test.concurrent', subject: { type: 'thing', id: `c${i}` } }, Date.now())),
      ),
    );
    const result = await verifyAudit(t.db);
    assert.equal(result.ok, true, JSON.stringify(result.problems));
    assert.equal(result.entries, 25);
  });

  for (const seq of [0, -5, 6]) {
    test(`a row inserted outside the chain (seq ${seq}, the head being 5) is reported by its number, in the service and by the CLI`, async () => {
      await forge(seq);
      const result = await verifyAudit(t.db);
      assert.equal(result.ok, false);
      assert.deepEqual(result.problems.map((p) => [p.seq, p.problem]), [[seq, 'outside-chain']]);
      assert.equal(result.entries, 6, 'every row is counted');
      const cli = await cliVerify();
      assert.equal(cli.code, 1, cli.out);
      assert.match(cli.out, /BROKEN/);
      assert.match(cli.out, new RegExp(`entry ${seq}: outside-chain`));
    });
  }

  test('a head moved back leaves the entries after it outside the chain', async () => {
    const third = (await t.db('audit_log').where({ seq: 3 }).first('hash')) as { hash: string };
    await t.db('audit_head').where({ id: 1 }).update({ seq: 3, hash: third.hash });
    const result = await verifyAudit(t.db);
    assert.deepEqual(result.problems.map((p) => [p.seq, p.problem]), [[4, 'outside-chain'], [5, 'outside-chain']]);
  });

  test('readers of the log see only the entries the chain vouches for: 1 to the head', async () => {
    for (const seq of [0, -5, 6]) await forge(seq);
    const seqs = (rows: { seq: number }[]) => rows.map((r) => r.seq);
    assert.deepEqual(seqs(await auditLog.forSubject(t.db, 'thing', '3')), [3]);
    await t.db.transaction(async (trx) => assert.deepEqual(seqs(await auditLog.forSubject(trx as unknown as typeof t.db, 'thing', '3')), [3]));
    // auditPage needs an agency: entries about the agency itself are its to read.
    await t.db('audit_log').whereIn('seq', [0, -5, 6]).update({ subject_type: 'agency', subject_id: 'a' });
    for (let seq = 1; seq <= 5; seq++) await t.db('audit_log').where({ seq }).update({ subject_type: 'agency', subject_id: 'a' });
    assert.deepEqual(seqs(await auditPage(t.db, { agencyId: 'a', limit: 50 })), [5, 4, 3, 2, 1]);
    assert.deepEqual(seqs(await auditPage(t.db, { agencyId: 'a', limit: 50, beforeSeq: 2 })), [1]);
  });

  test('a missing chain head is an error naming it, and one sentence and exit 1 from the CLI', async () => {
    await t.db('audit_head').delete();
    await assert.rejects(verifyAudit(t.db), AuditHeadMissingError);
    await assert.rejects(t.db.transaction((trx) => appendAudit(trx, { actor: null, action: 'test.event', subject: { type: 'thing', id: 'x' } }, Date.now())), AuditHeadMissingError);
    const cli = await cliVerify();
    assert.equal(cli.code, 1, cli.err);
    assert.equal(cli.out, '');
    assert.match(cli.err, /^overa: .*audit_head.*\.\n$/);
    assert.doesNotMatch(cli.err, /\n\s+at /, 'no stack trace');
  });
});
