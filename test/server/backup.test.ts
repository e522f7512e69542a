/**
 * `overa backup` and `overa restore` (issue 9, part 7), through the real CLI against a real
 * server process. Backups are of the embedded SQLite database, so this runs on SQLite whatever
 * DATABASE_URL says; on PostgreSQL the commands point to pg_dump / pg_restore, checked below.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { overaCli, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/connection.ts';
import { users } from '../../server/db/users.ts';
import { createSession } from '../../server/services/sessions.ts';
import { verifyAudit } from '../../server/services/audit.ts';
import { backupCommand, restoreCommand, type Output } from '../../server/backup.ts';
import { JMBG } from '../helpers/sample-data.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const DATA = { firstName: 'Ana', lastName: 'Anić', jmbg: JMBG, street: 'Bulevar oslobođenja 12', place: 'Novi Primer', postalCode: '21000', purpose: 'employment', delivery: 'online' };

let dir: string;
let env: NodeJS.ProcessEnv;
let token: string;
let server: ChildServer | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overa-backup-'));
  env = { PATH: process.env.PATH, HOME: process.env.HOME, OVERA_DATA_DIR: join(dir, 'data'), OVERA_LOG_LEVEL: 'warn', OVERA_FORMS_DIR: EXAMPLES };
  const init = await overaCli(['init'], env, dir);
  assert.equal(init.code, 0, init.stderr);
  const db = openDatabase(loadConfig(env, dir));
  const id = randomUUID();
  await users.insert(db, { id, displayName: 'Backup Citizen', kind: 'citizen', roles: [], webauthnUserId: 'backup-user' }, Date.now());
  token = await createSession(db, id, 3600, Date.now());
  await db.destroy();
});
after(async () => {
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const envFor = (dataDir: string) => ({ ...env, OVERA_DATA_DIR: dataDir });
const config = (e: NodeJS.ProcessEnv) => loadConfig(e, dir);

/** The commands run in this process (the CLI's wiring is covered above): quicker than a process each. */
async function inProcess(fn: (io: Output) => Promise<number>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await fn({ out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function verifyIn(e: NodeJS.ProcessEnv) {
  const db = openDatabase(config(e));
  try {
    return await verifyAudit(db);
  } finally {
    await db.destroy();
  }
}

async function post(url: string, path: string, body: unknown): Promise<Response> {
  return fetch(url + path, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

describe('overa backup and restore (SQLite)', () => {
  test('a backup taken while the server writes restores into a fresh data folder, whole, with its chain verified', { timeout: 60_000 }, async (ctx) => {
    server = await startChildServer(env);
    const url = server.url;
    // Writers: create and submit applications without pause until told to stop.
    const submitted: { id: string; at: number }[] = [];
    let stop = false;
    const writer = async () => {
      while (!stop) {
        const created = await post(url, '/api/v1/applications', { formId: 'certificate-of-residence', formVersion: 1, data: DATA });
        assert.equal(created.status, 201);
        const { id } = (await created.json()) as { id: string };
        const sub = await post(url, `/api/v1/applications/${id}/submit`, {});
        assert.equal(sub.status, 200);
        submitted.push({ id, at: Date.now() });
      }
    };
    const writers = Array.from({ length: 4 }, writer);
    while (submitted.length < 40) await new Promise((r) => setTimeout(r, 20));

    const backupStarted = Date.now();
    const file = join(dir, 'nightly.sqlite');
    const backup = await overaCli(['backup', '--out', file], env, dir);
    const backupEnded = Date.now();
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /^backup written: .*nightly\.sqlite \(\d+ bytes\)$/m);
    const entries = Number(/audit chain OK: (\d+) entries/.exec(backup.stdout)?.[1]);
    assert.ok(entries > 0, backup.stdout);
    assert.ok(!readdirSync(dir).some((n) => n.includes('.partial-')), 'no temp file left');

    // Restoring over the running server's database is refused, and changes nothing.
    const refused = await overaCli(['restore', file], env, dir);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /a server is running on .* \(pid \d+\); stop it first/);
    const countBefore = submitted.length;
    while (submitted.length < countBefore + 8) await new Promise((r) => setTimeout(r, 20));

    stop = true;
    await Promise.all(writers);
    assert.equal(await server.stop(), 0);
    server = undefined;
    const writtenDuring = submitted.filter((s) => s.at >= backupStarted && s.at <= backupEnded).length;
    ctx.diagnostic(`${submitted.length} applications written, ${writtenDuring} of them while the backup ran (${backupEnded - backupStarted} ms); the backup holds ${entries} audit entries`);

    // Into a fresh data folder.
    const fresh = join(dir, 'fresh');
    const restored = await overaCli(['restore', file], envFor(fresh), dir);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, new RegExp(`audit chain OK: ${entries} entries`));
    const verify = await overaCli(['audit', 'verify'], envFor(fresh), dir);
    assert.equal(verify.code, 0, verify.stdout);
    assert.match(verify.stdout, new RegExp(`audit chain OK: ${entries} entries`));

    // The data is there: every application submitted before the backup began, submitted; the
    // copy is one moment, so it holds whole applications only (created and submitted entries pair up
    // but for the last few in flight at that moment).
    const db = openDatabase(loadConfig(envFor(fresh), dir));
    try {
      const rows = (await db('applications').select('id', 'status')) as { id: string; status: string }[];
      const byId = new Map(rows.map((r) => [r.id, r.status]));
      for (const s of submitted.filter((x) => x.at < backupStarted)) assert.equal(byId.get(s.id), 'submitted', `application ${s.id}`);
      assert.ok(rows.length <= submitted.length + 4, `${rows.length} rows for ${submitted.length} acknowledged (+ at most 4 in flight)`);
      const audit = Number((await db('audit_log').count<{ n: number }[]>({ n: '*' }))[0]!.n);
      assert.equal(audit, entries);
    } finally {
      await db.destroy();
    }

    // And a server starts on it and serves the data, sessions included.
    server = await startChildServer(envFor(fresh));
    const mine = await fetch(`${server.url}/api/v1/applications?limit=100`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(mine.status, 200);
    assert.ok(((await mine.json()) as { items: unknown[] }).items.length >= 40);
    assert.equal(await server.stop(), 0);
    server = undefined;

    // Over the original database (its server stopped): the replaced database is kept beside it.
    const over = await overaCli(['restore', file], env, dir);
    assert.equal(over.code, 0, over.stderr);
    const kept = /kept as (\S+)\)/.exec(over.stdout)?.[1];
    assert.ok(kept && existsSync(kept), over.stdout);
    assert.equal((await verifyIn(env)).ok, true);
  });

  test('mistakes are refused with a clear message and change nothing', async () => {
    const garbage = join(dir, 'garbage.sqlite');
    writeFileSync(garbage, 'this is not a database'.repeat(100));
    const bad = await inProcess((io) => restoreCommand(config(env), [garbage], {}, io));
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /cannot be restored.*\nNothing was changed/s);
    assert.equal((await verifyIn(env)).ok, true);

    assert.equal((await inProcess((io) => restoreCommand(config(env), [], {}, io))).code, 2);
    assert.match((await inProcess((io) => restoreCommand(config(env), [join(dir, 'missing.sqlite')], {}, io))).stderr, /there is no file/);
    const exists = await inProcess((io) => backupCommand(config(env), { out: garbage }, io));
    assert.equal(exists.code, 1);
    assert.match(exists.stderr, /already exists/);
    const nothing = await inProcess((io) => backupCommand(config(envFor(join(dir, 'empty'))), {}, io));
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /there is no database/);
    // The default file name, under the data folder.
    const auto = await inProcess((io) => backupCommand(config(env), { now: new Date('2026-03-01T12:34:56.789Z') }, io));
    assert.equal(auto.code, 0, auto.stderr);
    assert.match(auto.stdout, /backups\/overa-20260301T123456Z\.sqlite/);
  });
});

describe('overa backup and restore (PostgreSQL)', () => {
  test('point to pg_dump and pg_restore and stop, without touching the database', async () => {
    // An address nothing listens on: the commands must not even connect.
    const pg = { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    const backup = await overaCli(['backup'], pg, dir);
    assert.equal(backup.code, 2);
    assert.match(backup.stderr, /PostgreSQL/);
    assert.match(backup.stderr, /pg_dump --format=custom/);
    const restore = await inProcess((io) => restoreCommand(config(pg), ['x.dump'], {}, io));
    assert.equal(restore.code, 2);
    assert.match(restore.stderr, /pg_restore/);
  });
});
