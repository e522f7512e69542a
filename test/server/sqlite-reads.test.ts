/**
 * Direct SQLite reads (server/db/connection.ts `readRows` / `sqliteStatement`): outside a
 * transaction they run on the pool's connection; while a transaction holds it, on a second
 * connection that sees the last committed state — never the open transaction's writes — and
 * does not wait for it. On PostgreSQL they are knex queries (checked with DATABASE_URL too).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb } from '../helpers/test-server.ts';
import { readRows } from '../../server/db/connection.ts';
import { agencies } from '../../server/db/agencies.ts';

test('a read while another transaction is open sees what is committed, not what that transaction wrote, and does not wait for it', async () => {
  const t = await createTestDb();
  try {
    await agencies.upsert(t.db, { id: 'prvi', name: 'Prvi', created_at: 1 });
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let written!: () => void;
    const wrote = new Promise<void>((r) => {
      written = r;
    });
    const open = t.db.transaction(async (trx) => {
      await trx('agencies').where({ id: 'prvi' }).update({ name: 'Prvi (izmenjen)' });
      await agencies.upsert(trx, { id: 'drugi', name: 'Drugi', created_at: 2 });
      written();
      await held;
    });
    await wrote;
    if (t.dialect === 'sqlite') {
      // Answered while the transaction still holds the only pool connection (through knex the
      // read would wait for it: bounded here, so that waiting fails rather than hangs).
      const reads = Promise.all([
        agencies.get(t.db, 'prvi'),
        agencies.get(t.db, 'drugi'),
        readRows<{ id: string }>(t.db, 'select `id` from `agencies` order by `id`', [], () => t.db('agencies').orderBy('id').select('id')),
      ]);
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the reads waited for the open transaction')), 5000);
      });
      try {
        const [prvi, drugi, rows] = await Promise.race([reads, waited]);
        assert.equal(prvi?.name, 'Prvi');
        assert.equal(drugi, undefined);
        assert.deepEqual(rows.map((r) => r.id), ['prvi']);
      } finally {
        clearTimeout(timer);
        release();
      }
    }
    release();
    await open;
    // Once committed, both the connection and the reader see it.
    assert.equal((await agencies.get(t.db, 'prvi'))?.name, 'Prvi (izmenjen)');
    assert.equal((await agencies.get(t.db, 'drugi'))?.name, 'Drugi');
  } finally {
    await t.drop();
  }
});
