/**
 * `overa backup` and `overa restore` for the embedded SQLite database (docs/server.md,
 * "Backups"). PostgreSQL has its own tools; the commands say which and stop.
 */
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import knex from 'knex';
import type { Config } from './config.ts';
import type { Db } from './db/connection.ts';
import { verifyAudit, type AuditVerification } from './services/audit.ts';
import { liveInstances } from './instances.ts';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

const DB_FILE = 'overa.sqlite';

const PG_BACKUP = `overa backup copies the embedded SQLite database only. This server uses PostgreSQL
(DATABASE_URL): back it up with PostgreSQL's own tools, e.g.

  pg_dump --format=custom --file=overa-$(date -u +%Y%m%dT%H%M%SZ).dump "$DATABASE_URL"

pg_dump takes a consistent snapshot while the servers keep running. For point-in-time
recovery use continuous WAL archiving (pg_basebackup + archive_command). Copy the uploads
folder (<data dir>/uploads) after the dump, as for SQLite.
`;

const PG_RESTORE = `overa restore restores the embedded SQLite database only. This server uses PostgreSQL
(DATABASE_URL): stop the servers, then restore with PostgreSQL's own tools into an empty
database, e.g.

  createdb overa_restored
  pg_restore --no-owner --dbname=postgres://…/overa_restored overa-….dump

then point DATABASE_URL at it and check the chain with \`overa audit verify\`.
`;

/** A knex handle on one SQLite file, outside the data folder's conventions (a backup file). */
function openSqliteFile(filename: string, readonly: boolean): Db {
  return knex({ client: 'better-sqlite3', connection: { filename, options: { readonly } }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const stamp = (now: Date) => now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

function describeChain(v: AuditVerification): string {
  return v.ok
    ? `audit chain OK: ${v.entries} entries, head ${v.headSeq} ${v.headHash}\n`
    : `audit chain BROKEN: ${v.problems.length} problem(s) in ${v.entries} entries\n${v.problems.map((p) => `  entry ${p.seq}: ${p.problem} — ${p.detail}\n`).join('')}`;
}

/** Checks that a file is a sound Overa SQLite database; returns why not, or undefined. */
async function checkDatabaseFile(db: Db): Promise<string | undefined> {
  try {
    const rows = (await db.raw('pragma integrity_check')) as { integrity_check: string }[];
    const verdict = rows.map((r) => r.integrity_check).join('; ');
    if (verdict !== 'ok') return `the file fails SQLite's integrity check: ${verdict.slice(0, 500)}`;
    for (const table of ['knex_migrations', 'audit_log', 'audit_head']) {
      if (!(await db.schema.hasTable(table))) return `the file is not an Overa database (no table ${table})`;
    }
    return undefined;
  } catch (err) {
    return `the file cannot be read as a SQLite database: ${(err as Error).message}`;
  }
}

/**
 * `overa backup [--out FILE]`: a consistent copy of the live SQLite database, taken with
 * `VACUUM INTO` — one read transaction, so it is a snapshot of one moment however much the
 * server writes meanwhile (WAL: the server is not blocked), and unlike the page-by-page backup
 * API it is not restarted by the server's writes. Written to a temp file, checked (integrity,
 * audit chain), fsynced, then renamed into place. Exit 0 when the copy's chain is whole.
 */
export async function backupCommand(config: Config, options: { out?: string; now?: Date } = {}, io: Output = stdio): Promise<number> {
  if (config.databaseUrl) {
    io.err(PG_BACKUP);
    return 2;
  }
  const source = join(config.dataDir, DB_FILE);
  if (!existsSync(source)) {
    io.err(`overa backup: there is no database at ${source} (check OVERA_DATA_DIR)\n`);
    return 1;
  }
  const now = options.now ?? new Date();
  const out = resolve(options.out ?? join(config.dataDir, 'backups', `overa-${stamp(now)}.sqlite`));
  if (existsSync(out)) {
    io.err(`overa backup: ${out} already exists; choose another --out\n`);
    return 1;
  }
  mkdirSync(dirname(out), { recursive: true });
  const temp = `${out}.partial-${process.pid}`;
  rmSync(temp, { force: true });

  const live = knex({ client: 'better-sqlite3', connection: { filename: source }, useNullAsDefault: true, pool: { min: 1, max: 1, afterCreate: busyTimeout } });
  try {
    await live.raw('vacuum into ?', [temp]);
  } catch (err) {
    rmSync(temp, { force: true });
    io.err(`overa backup: the copy failed: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await live.destroy();
  }

  // Sessions, credentials and personal data: readable by the operator only.
  chmodSync(temp, 0o600);
  const copy = openSqliteFile(temp, true);
  let chain: AuditVerification;
  try {
    const problem = await checkDatabaseFile(copy);
    if (problem) {
      io.err(`overa backup: the copy is not sound: ${problem}\n`);
      rmSync(temp, { force: true });
      return 1;
    }
    chain = await verifyAudit(copy);
  } finally {
    await copy.destroy();
  }
  fsyncPath(temp);
  renameSync(temp, out);
  fsyncPath(dirname(out));
  io.out(`backup written: ${out} (${statSync(out).size} bytes)\n${describeChain(chain)}`);
  io.out(`now copy ${join(config.dataDir, 'uploads')} as well: uploads are write-once files, so a copy taken after this backup holds every file it refers to (and keep a copy of ${join(config.dataDir, 'keys')}, the seal keys)\n`);
  return chain.ok ? 0 : 1;
}

function busyTimeout(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void): void {
  try {
    conn.pragma('busy_timeout = 5000');
    done(null, conn);
  } catch (err) {
    done(err as Error, conn);
  }
}

/**
 * `overa restore FILE [--force]`: puts a backup in place of the data folder's database. It
 * checks the file first (integrity, an Overa schema), refuses while a server runs on the data
 * folder (`--force` overrides the check, for a record left by a process that is gone), keeps
 * the database it replaces beside it (`overa.sqlite.before-restore-<time>`), and verifies the
 * audit chain of the restored database. Exit 0 when restored and the chain is whole.
 */
export async function restoreCommand(config: Config, args: string[], options: { force?: boolean; now?: Date } = {}, io: Output = stdio): Promise<number> {
  if (config.databaseUrl) {
    io.err(PG_RESTORE);
    return 2;
  }
  if (args.length !== 1) {
    io.err('overa restore: give the backup file to restore: overa restore FILE [--force]\n');
    return 2;
  }
  const file = resolve(args[0]!);
  if (!existsSync(file) || !statSync(file).isFile()) {
    io.err(`overa restore: there is no file ${file}\n`);
    return 1;
  }
  const backup = openSqliteFile(file, true);
  try {
    const problem = await checkDatabaseFile(backup);
    if (problem) {
      io.err(`overa restore: ${file} cannot be restored: ${problem}\nNothing was changed.\n`);
      return 1;
    }
  } finally {
    await backup.destroy();
  }

  const running = liveInstances(config.dataDir);
  if (running.length > 0 && !options.force) {
    io.err(
      `overa restore: a server is running on ${config.dataDir} (pid ${running.join(', ')}); stop it first.\n` +
        `If no server is running (the process is gone and its pid was reused), run again with --force.\nNothing was changed.\n`,
    );
    return 1;
  }

  mkdirSync(config.dataDir, { recursive: true });
  const target = join(config.dataDir, DB_FILE);
  const now = options.now ?? new Date();
  let keptAs: string | undefined;
  if (existsSync(target)) {
    // Fold the WAL into the file first, so the file set aside is whole on its own.
    const old = knex({ client: 'better-sqlite3', connection: { filename: target }, useNullAsDefault: true, pool: { min: 1, max: 1, afterCreate: busyTimeout } });
    try {
      await old.raw('pragma wal_checkpoint(TRUNCATE)');
    } finally {
      await old.destroy();
    }
    keptAs = `${target}.before-restore-${stamp(now)}`;
    renameSync(target, keptAs);
  }
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(target + suffix, { force: true });
  const temp = `${target}.restoring-${process.pid}`;
  copyFileSync(file, temp);
  fsyncPath(temp);
  renameSync(temp, target);
  fsyncPath(config.dataDir);

  const restored = openSqliteFile(target, false);
  let chain: AuditVerification;
  try {
    chain = await verifyAudit(restored);
  } finally {
    await restored.destroy();
  }
  io.out(`restored ${file} into ${target}${keptAs ? ` (the database it replaced is kept as ${keptAs})` : ''}\n${describeChain(chain)}`);
  io.out(`restore the uploads folder (${join(config.dataDir, 'uploads')}) from the same backup set; \`overa start\` brings the schema up to date\n`);
  return chain.ok ? 0 : 1;
}
