/**
 * `overa trust refresh` and `overa trust show` (bin/overa.js, a process each): the configured
 * lists (files signed by xmlsec1, test/helpers/trusted-lists.ts) fetched, verified and stored;
 * a tampered one refused with exit 1 while its last good copy stays; no lists configured: exit 2.
 * SQLite only, like the other CLI tests: the same knex code the server suite runs on both.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTrustFixture, type TrustFixture, type TrustLists } from '../helpers/trusted-lists.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/overa.js', import.meta.url).pathname;

let dir: string;
let fx: TrustFixture;
let lists: TrustLists;
let env: NodeJS.ProcessEnv;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'overa-trust-cli-'));
  fx = createTrustFixture();
  lists = fx.writeLists(new Date(Date.now() - 3_600_000));
  writeFileSync(join(dir, 'lotl.xml'), lists.lotl);
  writeFileSync(join(dir, 'rs.xml'), lists.rs);
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    OVERA_DATA_DIR: join(dir, 'data'),
    OVERA_LOG_LEVEL: 'silent',
    OVERA_TRUSTED_LISTS: `lotl=lotl.xml|${fx.lotlSigner.certPath};RS=rs.xml`,
  };
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
  fx?.cleanup();
});

async function overa(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...env, ...extra }, cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('overa trust refresh stores the lists; a tampered one is refused (exit 1) and the last good copy stays', async () => {
  const first = await overa(['trust', 'refresh']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^lotl +updated +sequence 300/m);
  assert.match(first.stdout, /^RS +updated +sequence 7/m);
  const again = await overa(['trust', 'refresh']);
  assert.match(again.stdout, /^RS +not due/m);

  writeFileSync(join(dir, 'rs.xml'), lists.rsTampered);
  const refused = await overa(['trust', 'refresh', '--force']);
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /^RS +refused +signature-invalid/m);

  const shown = await overa(['trust', 'show', '--json']);
  assert.equal(shown.code, 0, shown.stderr);
  const rs = (JSON.parse(shown.stdout) as { name: string; status: string; sequenceNumber: number; lastError?: { reason: string } }[]).find((l) => l.name === 'RS')!;
  assert.deepEqual([rs.status, rs.sequenceNumber, rs.lastError?.reason], ['current', 7, 'signature-invalid']);
});

test('overa trust without lists configured says so (exit 2)', async () => {
  const none = await overa(['trust', 'refresh'], { OVERA_TRUSTED_LISTS: '' });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /No trusted lists are configured/);
});
