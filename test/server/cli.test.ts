import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { once } from 'node:events';

const run = promisify(execFile);
const BIN = new URL('../../bin/overa.js', import.meta.url).pathname;

// The CLI is tested on SQLite only: it is the same knex code the server suite runs on both.
let dir: string;
let env: NodeJS.ProcessEnv;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'overa-cli-'));
  env = { PATH: process.env.PATH, HOME: process.env.HOME, OVERA_DATA_DIR: join(dir, 'data'), OVERA_LOG_LEVEL: 'silent' };
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function overa(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('overa CLI', () => {
  test('init, then official add prints a one-time invite code', async () => {
    const init = await overa('init');
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /novi-primer/);
    const add = await overa('official', 'add', '--agency', 'novi-primer', '--role', 'clerk', '--role', 'head');
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout.trim(), /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    assert.match(add.stderr, /clerk, head/);
  });

  test('mistakes get a clear message and a non-zero exit', async () => {
    const unknown = await overa('official', 'add', '--agency', 'nowhere', '--role', 'clerk');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no agency "nowhere"/);
    const missing = await overa('official', 'add', '--agency', 'novi-primer');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--role/);
    const bogus = await overa('frobnicate');
    assert.equal(bogus.code, 2);
    assert.match(bogus.stderr, /unknown command/);
    const badPort = await run(process.execPath, [BIN, 'start'], { env: { ...env, PORT: 'nope' }, cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    assert.equal((badPort as { code: number }).code, 1);
    assert.match((badPort as { stderr: string }).stderr, /PORT/);
    const help = await overa('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /audit verify/);
  });

  test('start serves, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'start'], { env: { ...env, PORT: '0', OVERA_LOG_LEVEL: 'info' }, cwd: dir });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 15_000);
      child.stdout.on('data', () => {
        const m = /"port":(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    assert.match(out, /"msg":"stopping"/);
  });

  test('audit verify reports the chain', async () => {
    const res = await overa('audit', 'verify');
    assert.equal(res.code, 0);
    assert.match(res.stdout, /audit chain OK/);
  });
});
