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
import { createLtvPki, type LtvPki } from '../helpers/ltv-pdf.ts';
import { addSignatureTimestamp, basePdf, signEtsiWithOpenssl } from '../helpers/pdf-sign.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/overa.js', import.meta.url).pathname;

let dir: string;
let fx: TrustFixture;
let lists: TrustLists;
let env: NodeJS.ProcessEnv;
let tsa: LtvPki;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overa-trust-cli-'));
  fx = createTrustFixture();
  lists = fx.writeLists(new Date(Date.now() - 3_600_000));
  writeFileSync(join(dir, 'lotl.xml'), lists.lotl);
  writeFileSync(join(dir, 'rs.xml'), lists.rs);
  writeFileSync(join(dir, 'rs-good.xml'), lists.rs);
  tsa = createLtvPki('ec');
  writeFileSync(join(dir, 'tsa-root.pem'), tsa.rootPem);
  writeFileSync(join(dir, 'qualified.pdf'), addSignatureTimestamp(tsa.asTestPki(), await signEtsiWithOpenssl(tsa.asTestPki(), await basePdf({ objectStreams: false }), fx.qseal, { contentsBytes: 12000 })));
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
  tsa?.cleanup();
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

test('overa verify FILE --trusted-list … checks the lists itself and says the seal is a qualified seal', async () => {
  const args = ['verify', 'qualified.pdf', '--trust', 'tsa-root.pem', '--trusted-list', 'lotl.xml', '--trusted-list', 'rs-good.xml', '--trusted-list-signer', fx.lotlSigner.certPath];
  const checked = await overa(args);
  assert.equal(checked.code, 0, checked.stderr + checked.stdout);
  assert.match(checked.stdout, /PAdES B-T QESeal/);
  const json = await overa([...args, '--json']);
  assert.equal((JSON.parse(json.stdout) as { signatures: { qualification?: { level: string } }[] }).signatures[0]!.qualification?.level, 'QESeal');
  // Without the list of lists' signer nothing is pinned: the lists are not used, and the seal cannot be confirmed.
  const unpinned = await overa(['verify', 'qualified.pdf', '--trust', 'tsa-root.pem', '--trusted-list', 'lotl.xml', '--trusted-list', 'rs-good.xml']);
  assert.equal(unpinned.code, 2);
  assert.match(unpinned.stderr, /trusted list lotl\.xml not used: no-pinned-certificates/);
});
