/**
 * WAL checkpoints on a thread of their own (server/db/checkpointer.ts, started by `overa start`):
 * while it runs, the server's connection never checkpoints (wal_autocheckpoint 0) and what it
 * writes still reaches the database file; once it stops, the connection checkpoints by itself
 * again. On PostgreSQL there is nothing to start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase, type Db } from '../../server/db/connection.ts';
import { CHECKPOINT_INTERVAL_MS, startCheckpointer } from '../../server/db/checkpointer.ts';

const autoCheckpoint = async (db: Db) => ((await db.raw('PRAGMA wal_autocheckpoint')) as { wal_autocheckpoint: number }[])[0]!.wal_autocheckpoint;

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A fresh SQLite database in a temp folder with a table of blobs, given to `use`, then removed. */
async function withProbeDb(use: (db: Db, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'overa-checkpointer-'));
  const db = openDatabase({ dataDir: dir });
  try {
    await migrate(db);
    await db.schema.createTable('checkpoint_probe', (t) => {
      t.increments('id');
      t.binary('data').notNullable();
    });
    await use(db, dir);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the thread checkpoints what the server writes, the server\'s connection does not; stopped, the connection checkpoints again', async () => {
  await withProbeDb(async (db, dir) => {
    const errors: string[] = [];
    const checkpointer = await startCheckpointer(db, { onError: (m) => errors.push(m) });
    assert.ok(checkpointer?.running);
    assert.equal(await autoCheckpoint(db), 0);

    // ~1,500 pages: past the 1,000 at which the connection would checkpoint by itself, all in the
    // WAL when written; the database file only grows when a checkpoint copies them in.
    const file = join(dir, 'overa.sqlite');
    const before = statSync(file).size;
    for (let i = 0; i < 60; i++) await db('checkpoint_probe').insert({ data: Buffer.alloc(100 * 1024, i) });
    await until('the thread to checkpoint', () => statSync(file).size >= before + 60 * 100 * 1024, 50 * CHECKPOINT_INTERVAL_MS);
    assert.deepEqual(errors, []);

    await checkpointer!.stop();
    assert.equal(checkpointer!.running, false);
    assert.equal(await autoCheckpoint(db), 1000);
    assert.equal(((await db('checkpoint_probe').count({ n: '*' })) as { n: number }[])[0]!.n, 60);
  });
});

test('checkpoints every millisecond while the server writes lose nothing', async () => {
  await withProbeDb(async (db, dir) => {
    const checkpointer = await startCheckpointer(db, { intervalMs: 1 });
    for (let i = 0; i < 200; i++) {
      await db.transaction(async (trx) => {
        await trx('checkpoint_probe').insert({ data: Buffer.alloc(16 * 1024, i % 256) });
        await trx('checkpoint_probe').insert({ data: Buffer.alloc(16 * 1024, (i + 1) % 256) });
      });
    }
    await checkpointer!.stop();
    // A fresh connection reads the file as a restarted server would.
    const again = openDatabase({ dataDir: dir });
    try {
      const rows = (await again('checkpoint_probe').orderBy('id')) as { data: Buffer }[];
      assert.equal(rows.length, 400);
      assert.ok(rows.every((r, i) => r.data.length === 16 * 1024 && r.data[0] === (Math.floor(i / 2) + (i % 2)) % 256));
    } finally {
      await again.destroy();
    }
  });
});

test('PostgreSQL: no thread (nothing connects: the address below answers nothing)', async () => {
  const db = openDatabase({ dataDir: tmpdir(), databaseUrl: 'postgres://nobody@127.0.0.1:1/none' });
  try {
    assert.equal(await startCheckpointer(db), undefined);
  } finally {
    await db.destroy();
  }
});
