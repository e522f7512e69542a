import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { once } from 'node:events';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { registerAccount } from '../helpers/accounts.ts';
import { seedDemo } from '../../server/seed.ts';
import { applications } from '../../server/db/applications.ts';
import { demoRootCertPath } from '../../server/documents/keys.ts';
import { issueDocument } from '../../server/services/documents.ts';
import type { VerificationReport } from '../../components/core/report.ts';
import { JMBG } from '../helpers/sample-data.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/overa.js', import.meta.url).pathname;
const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));

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

/**
 * `overa verify`: a document issued by the real issuance service (a citizen's passkey signature,
 * the demo agency's seal), checked by the CLI as a process of its own, with no server and no
 * database: the test server is only how the document comes to exist.
 */
describe('overa verify', () => {
  let server: TestServer;
  /** The issuing server's data folder: its key store holds the demo root and the agency's seal. */
  let dataDir: string;
  let rootPem: string;
  let issued: string;
  let tampered: string;

  before(async () => {
    server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES });
    dataDir = server.config.dataDir;
    await seedDemo(server.db, Date.now());
    const ana = await registerAccount(server, 'Ana Anić');
    const data = { firstName: 'Ana', lastName: 'Anić', jmbg: JMBG, street: 'Bulevar oslobođenja 12', place: 'Novi Primer', postalCode: '21000', purpose: 'bank', delivery: 'online' };
    const draft = await server.api<{ id: string }>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data } });
    assert.equal(draft.status, 201);
    const subject = { type: 'application', id: draft.body.id };
    const options = await server.api<{ flowId: string; publicKey: never }>('POST', '/api/v1/signatures/options', { token: ana.token, body: { subject, action: 'submit' } });
    const credential = await ana.authenticator.get(options.body.publicKey);
    const signature = await server.api<{ id: string }>('POST', '/api/v1/signatures', { token: ana.token, body: { flowId: options.body.flowId, credential } });
    assert.equal(signature.status, 201);
    const submitted = await server.api<{ version: number }>('POST', `/api/v1/applications/${draft.body.id}/submit`, { token: ana.token, body: { signatureId: signature.body.id } });
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    // Approved through the database module, as the workflow would leave it; then issued as on approval.
    assert.ok(await applications.update(server.db, draft.body.id, submitted.body.version, { status: 'approved', updatedAt: Date.now() }));
    const doc = await server.db.transaction((trx) => issueDocument(server.app.deps, trx, draft.body.id));
    const pdf = await fetch(`${server.url}/api/v1/documents/${doc.id}/pdf`, { headers: { Authorization: `Bearer ${ana.token}` } });
    assert.equal(pdf.status, 200);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    issued = join(dir, 'issued.pdf');
    writeFileSync(issued, bytes);
    // One byte changed, in the header's binary comment: inside the first signed range, and the file still parses.
    const flipped = Buffer.from(bytes);
    flipped[10]! ^= 0x01;
    tampered = join(dir, 'tampered.pdf');
    writeFileSync(tampered, flipped);
    rootPem = join(dir, 'root.pem');
    writeFileSync(rootPem, readFileSync(demoRootCertPath(server.config)));
  });
  after(() => server?.close());

  /** The CLI with the environment of an outside verifier: no data folder of the server's. */
  const verify = (...args: string[]) => overa('verify', ...args);

  test('the agency root as --trust: TOTAL_PASSED, exit 0, one line per signature', async () => {
    const res = await verify(issued, '--trust', rootPem);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const lines = res.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^TOTAL_PASSED: 2 of 2 signature\(s\) valid/);
    assert.match(lines[1]!, /^\s+seal\s+TOTAL_PASSED\s+PAdES B-B\s+Gradska uprava Novi Primer/);
    assert.match(lines[2]!, /^\s+passkey\s+TOTAL_PASSED\s+passkey\s+Ana Anić \(citizen\)$/);
    assert.match(res.stdout, /verification code [A-Z0-9-]+, issued by Gradska uprava Novi Primer/);
    // The verdict in the words <overa-verify> shows (core's reportHeadline, worded by components/i18n).
    assert.match(lines.at(-1)!, /^\s+in words: This file is genuine and has not changed since it was sealed\. Sealed by Gradska uprava Novi Primer\.$/);
    assert.equal(res.stderr, '');
  });

  test('the issuing server\'s data folder as the trust store (--data, or OVERA_DATA_DIR): TOTAL_PASSED', async () => {
    const byFlag = await verify(issued, '--data', dataDir);
    assert.equal(byFlag.code, 0, byFlag.stdout + byFlag.stderr);
    assert.match(byFlag.stdout, /^TOTAL_PASSED/);
    const byEnv = await run(process.execPath, [BIN, 'verify', issued], { env: { ...env, OVERA_DATA_DIR: dataDir }, cwd: dir });
    assert.match(byEnv.stdout, /^TOTAL_PASSED/);
  });

  test('one flipped byte: TOTAL_FAILED/HASH_FAILURE, exit 1', async () => {
    const res = await verify(tampered, '--trust', rootPem);
    assert.equal(res.code, 1, res.stdout + res.stderr);
    assert.match(res.stdout, /^TOTAL_FAILED\/HASH_FAILURE/);
    assert.match(res.stdout, /seal\s+TOTAL_FAILED\/HASH_FAILURE\s+PAdES B-B\s+Gradska uprava Novi Primer\s+— \S+/);
    assert.match(res.stdout, /\n\s+in words: This file was changed after it was sealed\. Sealed by Gradska uprava Novi Primer\.\n$/);
  });

  test('no trust anchor (an empty data folder, no --trust): INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND, exit 2, and said why', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    const res = await run(process.execPath, [BIN, 'verify', issued], { env: { ...env, OVERA_DATA_DIR: empty }, cwd: dir }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    assert.equal((res as { code?: number }).code, 2, res.stdout + res.stderr);
    assert.match(res.stdout, /^INDETERMINATE\/NO_CERTIFICATE_CHAIN_FOUND: 1 of 2/);
    assert.match(res.stderr, /no trust anchors in .* and no --trust/);
    assert.match(res.stdout, /in words: No trusted agencies were given to check this file against\. Sealed by Gradska uprava Novi Primer\./);
  });

  test('--json prints core\'s report object; --at validates at another time', async () => {
    const res = await verify(issued, '--trust', rootPem, '--json');
    assert.equal(res.code, 0, res.stderr);
    const report = JSON.parse(res.stdout) as VerificationReport;
    assert.equal(report.indication, 'TOTAL_PASSED');
    assert.deepEqual(report.signatures.map((s) => [s.kind, s.indication]), [['seal', 'TOTAL_PASSED'], ['passkey', 'TOTAL_PASSED']]);
    // Before the demo seal certificate was made: the seal is out of its certificate's validity, exit 2.
    const earlier = await verify(issued, '--trust', rootPem, '--json', '--at', '2000-01-01T00:00:00Z');
    const then = JSON.parse(earlier.stdout) as VerificationReport;
    assert.equal(then.validationTime, '2000-01-01T00:00:00.000Z');
    assert.deepEqual([then.indication, then.subIndication, earlier.code], ['INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE', 2]);
  });

  test('what stops the check is exit 3 and one sentence on stderr, no stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [[join(dir, 'missing.pdf'), '--trust', rootPem], /^overa verify: cannot read .*missing\.pdf: there is no such file\n$/],
      [[dir], /^overa verify: cannot read .*: it is a folder\n$/],
      [[], /^overa verify: give the PDF to check/],
      [[issued, issued], /^overa verify: give one PDF at a time/],
      [[issued, '--trust', join(dir, 'nope.pem')], /^overa verify: cannot read .*nope\.pem: there is no such file\n$/],
      [[issued, '--trust', issued], /^overa verify: .*issued\.pdf holds no readable certificate/],
      [[issued, '--at', 'tomorrow'], /^overa verify: --at "tomorrow" is not an ISO 8601 time/],
      [[issued, '--data', join(dir, 'nowhere')], /^overa verify: --data .*nowhere: there is no such folder\n$/],
      [[issued, '--frobnicate'], /^overa verify: Unknown option '--frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const res = await verify(...args);
      assert.equal(res.code, 3, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, message, args.join(' '));
      assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(res.stderr.trimEnd().split('\n').length, 1, 'one line');
      assert.equal(res.stdout, '');
    }
  });
});
