import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../helpers/test-server.ts';

// .ci/run looks for this test's name to prove the PostgreSQL pass really ran.
const expected = process.env.DATABASE_URL ? 'postgresql' : 'sqlite';

test(`database is ${expected}`, async () => {
  const t = await createTestDb();
  try {
    assert.equal(t.dialect, expected);
    if (t.dialect === 'postgresql') {
      const r = await t.db.raw('select version() as v');
      assert.match(r.rows[0].v as string, /PostgreSQL/);
    } else {
      const pragma = async (name: string) => Object.values((await t.db.raw(`PRAGMA ${name}`))[0] as object)[0];
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('foreign_keys'), 1);
      assert.equal(await pragma('busy_timeout'), 5000);
      assert.equal(await pragma('synchronous'), 2); // FULL
    }
  } finally {
    await t.drop();
  }
});

test('foreign keys are enforced', async () => {
  const t = await createTestDb();
  try {
    await assert.rejects(
      t.db('sessions').insert({ token_hash: 'a'.repeat(64), user_id: 'no-such-user', created_at: 1, expires_at: 2 }),
      /foreign key|FOREIGN KEY/i,
    );
  } finally {
    await t.drop();
  }
});

test('migrations are idempotent', async () => {
  const t = await createTestDb();
  try {
    const { migrate } = await import('../../server/db/connection.ts');
    await migrate(t.db);
    const [, pending] = await t.db.migrate.list({ migrationSource: (await import('../../server/db/migrations/index.ts')).migrationSource });
    assert.deepEqual(pending, []);
  } finally {
    await t.drop();
  }
});
