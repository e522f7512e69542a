import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Db } from './connection.ts';
import { isPostgres, sqliteFilename } from './connection.ts';

/** How often the thread checkpoints what the WAL holds (a PASSIVE checkpoint with nothing to copy costs microseconds). */
export const CHECKPOINT_INTERVAL_MS = 100;

/** SQLite's own default: the writer checkpoints once the WAL holds this many pages. */
const AUTO_CHECKPOINT_PAGES = 1000;

export interface Checkpointer {
  /** Whether the thread is checkpointing (false once it stopped or failed: the writer checkpoints again). */
  readonly running: boolean;
  stop(): Promise<void>;
}

/**
 * The thread's program. Plain JavaScript handed to the Worker as text, so it runs the same from
 * the sources (tsx) and from a build; it loads better-sqlite3 from the path the server resolved.
 */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
// As the server's connection: the WAL synced before a checkpoint copies it, the file after.
db.pragma('synchronous = FULL');
const tick = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  tick();
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

/**
 * WAL checkpoints of a SQLite database on a thread of their own (`overa start`). By default the
 * writer checkpoints inside a COMMIT whenever the WAL passes 1000 pages: it copies ~4 MB into the
 * database file and fsyncs it on the event loop, in the middle of a request (a quarter of the
 * cost of storing an exchange message's 100 KB part; docs/decisions.md). Here a second
 * connection, in a worker thread, checkpoints every CHECKPOINT_INTERVAL_MS instead, and the
 * server's connection does not (`wal_autocheckpoint = 0`). PASSIVE: it never waits for or blocks
 * a reader or the writer; durability is SQLite's as before (the checkpoint syncs the WAL before
 * copying and the database file after).
 *
 * Should the thread fail or stop, the server's connection checkpoints by itself again. Undefined
 * for PostgreSQL. The thread belongs to the Db it was started for, never to the module.
 */
export async function startCheckpointer(db: Db, options: { intervalMs?: number; onError?: (message: string) => void } = {}): Promise<Checkpointer | undefined> {
  if (isPostgres(db)) return undefined;
  const filename = sqliteFilename(db);
  if (filename === undefined) return undefined;
  const worker = new Worker(PROGRAM, {
    eval: true,
    workerData: { filename, driver: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS },
  });
  worker.unref();
  const writerCheckpoints = (pages: number) => db.raw(`PRAGMA wal_autocheckpoint = ${pages}`).catch(() => undefined);
  const ready = await new Promise<boolean>((resolve) => {
    worker.once('message', (m: { ready?: boolean }) => resolve(m.ready === true));
    worker.once('error', () => resolve(false));
    worker.once('exit', () => resolve(false));
  });
  if (!ready) {
    await worker.terminate();
    return undefined;
  }
  let running = true;
  await writerCheckpoints(0);
  const stopped = () => {
    if (!running) return;
    running = false;
    void writerCheckpoints(AUTO_CHECKPOINT_PAGES);
  };
  worker.on('message', (m: { error?: string }) => {
    if (m.error !== undefined) options.onError?.(m.error);
  });
  worker.on('error', (err) => {
    options.onError?.(err.message);
    stopped();
  });
  worker.on('exit', stopped);
  return {
    get running() {
      return running;
    },
    async stop() {
      if (!running) return;
      stopped();
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      await exited;
    },
  };
}
