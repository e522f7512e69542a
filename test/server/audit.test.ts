import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createTestDb, type TestDb } from '../helpers/test-server.ts';
import { appendAudit, verifyAudit } from '../../server/services/audit.ts';

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
async function cliVerify(): Promise<{ code: number; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, OVERA_DATA_DIR: t.config.dataDir, OVERA_LOG_LEVEL: 'silent' };
  if (t.config.databaseUrl) {
    const url = new URL(t.config.databaseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    env.DATABASE_URL = url.toString();
  }
  try {
    const { stdout } = await run(process.execPath, [BIN, 'audit', 'verify'], { env });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
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
});
