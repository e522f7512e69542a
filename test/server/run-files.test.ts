/**
 * Run files (`<data dir>/run/<pid>.json`, server/instances.ts) and what reads them: `overa
 * restore` refuses to replace the SQLite database while a server runs on the data folder, and
 * `--force` overrides that check for a pid that is alive but no server (a reused pid). The
 * server and the CLI run as real processes. A run file left by a process that is gone — a
 * killed server, a pid that does not exist — must neither block a restore nor be taken for a
 * server. SQLite only, whatever DATABASE_URL says: run files and restore are for the embedded
 * database (on PostgreSQL restore points to pg_restore: test/server/backup.test.ts).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex from 'knex';
import { overaCli, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { openDatabase } from '../../server/db/connection.ts';
import { agencies } from '../../server/db/agencies.ts';
import { liveInstances } from '../../server/instances.ts';

let dir: string;
let dataDir: string;
let runDir: string;
let env: NodeJS.ProcessEnv;
let backupFile: string;
let server: ChildServer | undefined;
const children: ChildProcess[] = [];

/** Adds an agency row: a mark of which database is in place. */
async function mark(id: string): Promise<void> {
  const db = openDatabase({ dataDir });
  try {
    await agencies.upsert(db, { id, name: `Mark ${id}`, created_at: Date.now() });
  } finally {
    await db.destroy();
  }
}

async function agencyIdsIn(filename: string): Promise<string[]> {
  const db = knex({ client: 'better-sqlite3', connection: { filename, options: { readonly: true } }, useNullAsDefault: true });
  try {
    return (await agencies.list(db)).map((a) => a.id);
  } finally {
    await db.destroy();
  }
}
const agencyIds = () => agencyIdsIn(join(dataDir, 'overa.sqlite'));
const keptFiles = () => readdirSync(dataDir).filter((n) => n.startsWith('overa.sqlite.before-restore-'));
const runFiles = () => (existsSync(runDir) ? readdirSync(runDir).sort() : []);

/** A process that exists and is no Overa server: what a reused pid looks like. */
async function otherProcess(): Promise<ChildProcess> {
  const child = spawn('sleep', ['120'], { stdio: 'ignore' });
  children.push(child);
  await once(child, 'spawn');
  return child;
}

/** The pid of a process that has exited: a pid that no longer exists. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

function writeRunFile(name: string, pid: number): void {
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, name), `${JSON.stringify({ pid, port: 1, startedAt: new Date().toISOString() })}\n`);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overa-run-files-'));
  dataDir = join(dir, 'data');
  runDir = join(dataDir, 'run');
  env = { PATH: process.env.PATH, HOME: process.env.HOME, OVERA_DATA_DIR: dataDir, OVERA_LOG_LEVEL: 'warn' };
  const init = await overaCli(['init'], env, dir);
  assert.equal(init.code, 0, init.stderr);
  await mark('in-backup');
  assert.ok((await agencyIdsIn(join(dataDir, 'overa.sqlite'))).includes('in-backup'));
  backupFile = join(dir, 'backup.sqlite');
  const backup = await overaCli(['backup', '--out', backupFile], env, dir);
  assert.equal(backup.code, 0, backup.stderr);
});
after(async () => {
  await server?.kill();
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('run files and overa restore (processes)', () => {
  test('a running server has a run file that blocks restore and nothing changes; a clean stop removes it; a killed server leaves a stale one that blocks nothing', { timeout: 300_000 }, async () => {
    await mark('after-backup');
    server = await startChildServer(env);
    const pid = server.child.pid!;
    const record = JSON.parse(readFileSync(join(runDir, `${pid}.json`), 'utf8')) as { pid: number; port: number; startedAt: string };
    assert.equal(record.pid, pid);
    assert.equal(record.port, Number(new URL(server.url).port));
    assert.deepEqual(liveInstances(dataDir), [pid]);

    const refused = await overaCli(['restore', backupFile], env, dir);
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stderr, new RegExp(`a server is running on .* \\(pid ${pid}\\); stop it first`));
    assert.match(refused.stderr, /Nothing was changed/);
    assert.ok((await agencyIds()).includes('after-backup'), 'the database in place is untouched');
    assert.deepEqual(keptFiles(), []);
    assert.deepEqual(runFiles(), [`${pid}.json`], 'the server\'s run file stays');
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'the server keeps serving');

    assert.equal(await server.stop(), 0);
    server = undefined;
    assert.deepEqual(runFiles(), [], 'a clean stop removes the run file');

    // SIGKILL: no clean-up, the run file stays behind naming a pid that is gone.
    server = await startChildServer(env);
    const killed = server.child.pid!;
    await server.kill();
    server = undefined;
    assert.deepEqual(runFiles(), [`${killed}.json`]);

    const restored = await overaCli(['restore', backupFile], env, dir);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /audit chain OK/);
    assert.deepEqual(await agencyIds(), await agencyIdsIn(backupFile), 'the backup\'s data is in place');
    assert.deepEqual(runFiles(), [], 'the stale run file was removed');
  });

  test('a run file naming a live process that is no server (a reused pid) blocks restore; --force restores all the same and leaves that file', { timeout: 180_000 }, async () => {
    await mark('after-backup');
    for (const f of keptFiles()) rmSync(join(dataDir, f));
    const other = await otherProcess();
    writeRunFile(`${other.pid}.json`, other.pid!);

    const refused = await overaCli(['restore', backupFile], env, dir);
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stderr, new RegExp(`\\(pid ${other.pid}\\)`));
    assert.match(refused.stderr, /run again with --force/);
    assert.ok((await agencyIds()).includes('after-backup'));
    assert.deepEqual(keptFiles(), []);

    const forced = await overaCli(['restore', backupFile, '--force'], env, dir);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^restored .*backup\.sqlite into .*overa\.sqlite \(the database it replaced is kept as .*\)$/m);
    assert.match(forced.stdout, /audit chain OK/);
    assert.deepEqual(await agencyIds(), await agencyIdsIn(backupFile), 'the backup\'s data replaced the folder\'s');
    const [kept] = keptFiles();
    assert.ok(kept, 'the replaced database is kept beside it');
    assert.ok((await agencyIdsIn(join(dataDir, kept))).includes('after-backup'), 'the kept database is the one replaced');
    assert.deepEqual(runFiles(), [`${other.pid}.json`], 'a live process\'s run file is not restore\'s to remove');

    other.kill('SIGKILL');
    await once(other, 'exit');
    assert.deepEqual(liveInstances(dataDir), []);
    assert.deepEqual(runFiles(), []);
  });

  test('stale run files (pids that do not exist, or are no pid) neither block a start or a restore nor are named as servers; other files are left alone', { timeout: 180_000 }, async () => {
    const dead = await deadPid();
    // Above Linux's largest pid_max (2^22): never a process.
    const never = 4_194_305;
    writeRunFile(`${dead}.json`, dead);
    writeRunFile(`${never}.json`, never);
    // Not a pid: kill(0, 0) signals our own process group, so pid 0 always "exists".
    writeRunFile('0.json', 0);
    writeFileSync(join(runDir, 'README.txt'), 'not a run file\n');
    assert.deepEqual(liveInstances(dataDir), [], 'none of them is a running server');
    assert.deepEqual(runFiles(), ['README.txt'], 'stale run files are removed when read; other files stay');

    writeRunFile(`${dead}.json`, dead);
    writeRunFile('0.json', 0);
    server = await startChildServer(env);
    const pid = server.child.pid!;
    assert.ok(runFiles().includes(`${pid}.json`));
    const refused = await overaCli(['restore', backupFile], env, dir);
    assert.equal(refused.code, 1);
    // Only the live server is named.
    assert.match(refused.stderr, new RegExp(`\\(pid ${pid}\\); stop it first`));
    assert.deepEqual(runFiles(), [`${pid}.json`, 'README.txt']);
    assert.equal(await server.stop(), 0);
    server = undefined;

    writeRunFile(`${dead}.json`, dead);
    writeRunFile('0.json', 0);
    const restored = await overaCli(['restore', backupFile], env, dir);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(runFiles(), ['README.txt']);
  });
});
