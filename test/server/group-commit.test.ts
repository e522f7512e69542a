/**
 * GroupCommit (server/db/group-commit.ts): work that arrives together shares one transaction;
 * each piece's failure is its own; nothing settles before the commit; a failed commit fails
 * every piece of its batch. Against the real database (SQLite always; PostgreSQL with DATABASE_URL).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, type TestDb } from '../helpers/test-server.ts';
import { GroupCommit } from '../../server/db/group-commit.ts';

let t: TestDb;
before(async () => {
  t = await createTestDb();
  await t.db.schema.dropTableIfExists('group_commit_probe');
  await t.db.schema.createTable('group_commit_probe', (table) => {
    table.string('id').primary();
  });
});
after(async () => {
  await t.db.schema.dropTableIfExists('group_commit_probe');
  await t.drop();
});

test('pieces that arrive together commit together; a failing piece rolls back only its own writes', async () => {
  const group = new GroupCommit(t.db);
  const transactions = new Set<unknown>();
  const insert = (id: string, fail = false) => group.run(async (trx) => {
    transactions.add(trx);
    await trx('group_commit_probe').insert({ id });
    if (fail) throw new Error(`refused ${id}`);
    return id;
  });
  const results = await Promise.allSettled([insert('a'), insert('b', true), insert('c'), insert('a')]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected']);
  assert.equal(transactions.size, 1, 'one outer transaction for the four');
  assert.deepEqual((await t.db('group_commit_probe').orderBy('id')).map((r: { id: string }) => r.id), ['a', 'c']);
});

test('nothing settles before the commit, and work queued during a batch goes into the next one', async () => {
  const group = new GroupCommit(t.db);
  const seen: string[] = [];
  const first = group.run(async (trx) => {
    await trx('group_commit_probe').insert({ id: 'd' });
    // Queued while this batch is being written: the next batch.
    void group.run(async (trx2) => {
      await trx2('group_commit_probe').insert({ id: 'e' });
    }).then(() => seen.push('e committed'));
    return 'd';
  }).then((v) => {
    seen.push(`${v} committed`);
  });
  await first;
  // Outside any transaction: the row is there when its promise settles.
  assert.ok(await t.db('group_commit_probe').where({ id: 'd' }).first());
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(seen, ['d committed', 'e committed']);
});

test('a commit that fails fails every piece of its batch, and the next batch still runs', async () => {
  const group = new GroupCommit(t.db);
  // A deferred constraint is not available on both engines; a failing outer statement is: the
  // outer transaction is made to fail after the pieces by a piece that breaks the connection's
  // transaction state (an explicit outer rollback).
  const broken = await Promise.allSettled([
    group.run(async (trx) => trx('group_commit_probe').insert({ id: 'f' })),
    group.run(async (trx) => {
      // Pieces run on the batch's transaction (in a savepoint of it): this rolls back the batch.
      await trx.rollback(new Error('outer rolled back'));
    }),
  ]);
  assert.ok(broken.every((r) => r.status === 'rejected'), JSON.stringify(broken.map((r) => r.status)));
  assert.equal(await t.db('group_commit_probe').where({ id: 'f' }).first(), undefined);
  assert.equal(await group.run(async (trx) => {
    await trx('group_commit_probe').insert({ id: 'g' });
    return 'g';
  }), 'g');
});
