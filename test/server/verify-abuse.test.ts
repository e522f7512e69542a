/**
 * Issue 15, "Hold under abuse", items 2 and 3, against the real server: `POST /api/v1/verify`
 * cannot be made to burn the server's CPU (a work budget proportional to the file, a bounded
 * number of verifications at once), and slow or stalled request bodies can neither pile up in
 * memory nor hold connections open (spooled to disk, cut off when they stall; headers and JSON
 * bodies too).
 *
 * The hostile PDFs are built here (test/helpers/hostile-pdf.ts) and kept small: the budget is
 * proportional to the file, so a few hundred kilobytes whose twenty signatures each cover the
 * whole file prove the bound as well as 24 MiB would. Work is asserted through the counters
 * the app keeps (`deps.verificationLoad`), never wall time; verifications are held open by a
 * gate in the trust-anchor source, and stalls are real sockets that stop sending.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { basePdf, createTestPki, signEtsiWithOpenssl, signatureContents, type TestPki } from '../helpers/pdf-sign.ts';
import { manySignaturesPdf } from '../helpers/hostile-pdf.ts';
import { checkAgainstOpenApi } from '../helpers/openapi.ts';
import type { VerificationReport } from '../../components/core/report.ts';
import type { Problem } from '../../components/core/problem.ts';
import type { VerificationLoad } from '../../server/services/verification-load.ts';
import type { TrustAnchorSource } from '../../server/services/trust.ts';

const KiB = 1024;
const PROBLEMS = 'https://overa.dev/problems/';

let pki: TestPki;
/** A genuine ETSI.CAdES.detached seal over a small PDF. */
let signed: Uint8Array;
/** Its CMS, reused in every signature dictionary of the hostile files. */
let cms: Uint8Array;
const servers: TestServer[] = [];

before(async () => {
  pki = createTestPki();
  signed = await signEtsiWithOpenssl(pki, await basePdf(), pki.ec);
  cms = signatureContents(signed).der;
});

after(async () => {
  for (const s of servers) await s.close();
  pki?.cleanup();
});

async function server(env: NodeJS.ProcessEnv, trustAnchors?: TrustAnchorSource): Promise<TestServer> {
  const s = await startTestServer({ OVERA_RATE_LIMIT_VERIFY: 'off', ...env }, trustAnchors ? { trustAnchors } : {});
  servers.push(s);
  return s;
}

function loadOf(s: TestServer): VerificationLoad {
  return s.app.deps.verificationLoad as VerificationLoad;
}

async function postPdf(url: string, body: Uint8Array) {
  const res = await fetch(`${url}/api/v1/verify`, { method: 'POST', headers: { 'Content-Type': 'application/pdf' }, body: new Blob([body as Uint8Array<ArrayBuffer>]) });
  const text = await res.text();
  const parsed = (text ? JSON.parse(text) : {}) as VerificationReport & Problem;
  // Every answer is one the OpenAPI document describes (status, body, required headers).
  checkAgainstOpenApi('POST', '/api/v1/verify', res.status, parsed, res.headers.get('content-type'), res.headers);
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Waits for `condition`; a condition that never comes fails the test after `limitMs` (a guard, not a measurement). */
async function until(condition: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`gave up waiting: ${what}`);
    await delay(10);
  }
}

/**
 * A raw connection that sends `head` and `body` and then nothing more: `received` is what the
 * server sent, `closed` resolves when the server (or anything) closes the connection.
 */
function stalled(url: string, head: string, body: Uint8Array = new Uint8Array(0)): { socket: Socket; received: () => string; closed: Promise<void> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(head, 'latin1');
  if (body.length > 0) socket.write(body);
  return { socket, received: () => text, closed };
}

function verifyHead(declared: number): string {
  return `POST /api/v1/verify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/pdf\r\nContent-Length: ${declared}\r\n\r\n`;
}

describe('POST /api/v1/verify: the work of one verification is bounded by the file size', () => {
  test('twenty signatures over the whole file: 422 verification-budget-exceeded, and nothing was hashed', async () => {
    const s = await server({ OVERA_UPLOAD_MAX_BYTES: String(600 * KiB), OVERA_VERIFY_HASH_EXTRA_BYTES: String(64 * KiB) }, () => [pki.rootPem]);
    const load = loadOf(s);
    const hostile = manySignaturesPdf({ size: 300 * KiB, signatures: 20, cms });
    const before = { ...load?.work };

    const res = await postPdf(s.url, hostile);
    assert.equal(res.status, 422, JSON.stringify(res.body).slice(0, 300));
    assert.match(res.headers.get('content-type')!, /^application\/problem\+json/);
    assert.equal(res.body.type, `${PROBLEMS}verification-budget-exceeded`);
    // In words: what the file asked for and what this server allows.
    assert.match(res.body.detail!, /20 signature\(s\) would hash \d+ bytes/);
    assert.match(res.body.detail!, new RegExp(`at most ${4 * hostile.length + 64 * KiB} are hashed for a file of ${hostile.length} bytes`));

    // The bound on work: refused before anything was hashed or checked.
    assert.equal(load.work.signedBytesHashed - before.signedBytesHashed!, 0);
    assert.equal(load.work.signatureChecks - before.signatureChecks!, 0);
    assert.equal(load.refusedBudget, 1);
    assert.equal(load.heldBytes, 0);
  });

  test('within the budget (four whole-file signatures): a report, and the bytes hashed stay under 4 × size + extra', async () => {
    const s = await server({ OVERA_UPLOAD_MAX_BYTES: String(600 * KiB), OVERA_VERIFY_HASH_EXTRA_BYTES: String(64 * KiB) }, () => [pki.rootPem]);
    const load = loadOf(s);
    const four = manySignaturesPdf({ size: 300 * KiB, signatures: 4, cms });
    const res = await postPdf(s.url, four);
    assert.equal(res.status, 200);
    assert.equal(res.body.signatures.length, 4);
    // The CMS signs other bytes: every digest differs (the work was done, and done right).
    assert.ok(res.body.signatures.every((e) => e.reasons.some((r) => r.code === 'digest-mismatch')), JSON.stringify(res.body.signatures[0]));
    const ranges = res.body.signatures.reduce((sum, e) => sum + e.byteRange![1] + e.byteRange![3], 0);
    assert.equal(load.work.signedBytesHashed, ranges);
    assert.ok(load.work.signedBytesHashed <= 4 * four.length + 64 * KiB);
    // A seal and one certificate link each.
    assert.equal(load.work.signatureChecks, 8);

    // A genuine file on the same server still verifies, hashing its size once.
    const kept = load.bufferBytes;
    assert.ok(kept >= four.length, 'the file was read into a buffer the instance keeps');
    const genuine = await postPdf(s.url, signed);
    assert.equal(genuine.status, 200);
    assert.equal(genuine.body.indication, 'TOTAL_PASSED', JSON.stringify(genuine.body));
    assert.ok(load.work.signedBytesHashed - ranges < signed.length);
    // … into the same buffer: one per turn, reused, not one per request.
    assert.equal(load.bufferBytes, kept);
  });

  test('signature checks are budgeted too (verifyMaxSignatureChecks): 422 when a file needs more', async () => {
    const s = await server({ OVERA_VERIFY_MAX_SIGNATURE_CHECKS: '1' }, () => [pki.rootPem]);
    const res = await postPdf(s.url, signed);
    assert.equal(res.status, 422);
    assert.equal(res.body.type, `${PROBLEMS}verification-budget-exceeded`);
    assert.match(res.body.detail!, /more than 1 signature checks/);
    assert.equal(loadOf(s).work.signatureChecks, 1);
  });
});

describe('POST /api/v1/verify: a bounded number of verifications at once per instance', () => {
  test('one running, one waiting; a third is 503 with Retry-After at once, the waiting one after its wait', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    let calls = 0;
    // The trust anchors are asked for inside a verification's turn: the first holds it until the gate opens.
    const s = await server({ OVERA_VERIFY_CONCURRENCY: '1', OVERA_VERIFY_QUEUE: '1', OVERA_VERIFY_QUEUE_WAIT_MS: '300' }, async () => {
      calls++;
      entered();
      await gate;
      return [pki.rootPem];
    });
    const load = loadOf(s);

    const first = postPdf(s.url, signed);
    try {
      await inside;
      const second = postPdf(s.url, signed);
      await until(() => load?.queued === 1 || calls > 1, 'the second request waiting for a turn (or running)');
      assert.equal(calls, 1, 'a second verification ran while the first held the only turn');

      // The queue is full: refused without waiting.
      const third = await postPdf(s.url, signed);
      assert.equal(third.status, 503);
      assert.equal(third.body.type, `${PROBLEMS}server-busy`);
      assert.match(third.headers.get('retry-after')!, /^[1-9]\d*$/);

      // The waiting one gives up after its wait, the gate still closed.
      const waited = await second;
      assert.equal(waited.status, 503);
      assert.equal(waited.headers.get('retry-after'), '1');
      assert.equal(calls, 1, 'only one verification ran');
    } finally {
      open();
    }
    const done = await first;
    assert.equal(done.status, 200);
    assert.equal(done.body.indication, 'TOTAL_PASSED');
    // The turn is free again.
    assert.equal((await postPdf(s.url, signed)).status, 200);
    assert.equal(load.running, 0);
    assert.equal(load.refusedBusy, 2);
  });
});

describe('slow and stalled bodies', () => {
  test('forty stalled verify bodies lie on disk, not in memory', async () => {
    // A long idle timeout: the stalls stay while they are counted.
    const s = await server({ OVERA_UPLOAD_MAX_BYTES: String(600 * KiB), OVERA_BODY_IDLE_TIMEOUT_MS: '60000' });
    const load = loadOf(s);
    const part = new Uint8Array(500 * KiB).fill(0x20);
    part.set(new TextEncoder().encode('%PDF-1.7\n'));
    const clients = Array.from({ length: 40 }, () => stalled(s.url, verifyHead(600 * KiB), part));
    try {
      await until(() => load?.spooledBytes === 40 * part.length, 'every byte sent spooled to disk');
      assert.equal(load.heldBytes, 0, 'no body is held in memory');
      const spool = join(s.config.dataDir, 'verify', 'tmp');
      assert.equal(readdirSync(spool).length, 40);
    } finally {
      for (const c of clients) c.socket.destroy();
    }
    // Clients that go take their temp files with them.
    await until(() => load.spooledBytes === 0, 'the temp files of the clients that left removed');
  });

  test('a stalled verify body is answered 408 and its connection closed after bodyIdleTimeoutMs; its temp file removed', async () => {
    const s = await server({ OVERA_UPLOAD_MAX_BYTES: String(600 * KiB), OVERA_BODY_IDLE_TIMEOUT_MS: '300' });
    const load = loadOf(s);
    const part = new Uint8Array(500 * KiB).fill(0x20);
    const clients = Array.from({ length: 40 }, () => stalled(s.url, verifyHead(600 * KiB), part));
    const closed = Promise.all(clients.map((c) => c.closed));
    await Promise.race([closed, delay(20_000).then(() => assert.fail('the server left stalled connections open'))]);
    for (const c of clients) assert.match(c.received(), /^HTTP\/1\.1 408 /, c.received().slice(0, 200));
    assert.match(clients[0]!.received(), /request-timeout/);
    assert.equal(load.spooledBytes, 0);
    assert.equal(load.heldBytes, 0);
    assert.deepEqual(readdirSync(join(s.config.dataDir, 'verify', 'tmp')), []);
  });

  test('a half-sent JSON body is answered 408 and its connection closed', async () => {
    const s = await server({ OVERA_BODY_IDLE_TIMEOUT_MS: '300' });
    const head = 'POST /api/v1/auth/login/options HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n';
    const c = stalled(s.url, head, new TextEncoder().encode('{"displayName": "hal'));
    await Promise.race([c.closed, delay(20_000).then(() => assert.fail('the server left the connection open'))]);
    assert.match(c.received(), /^HTTP\/1\.1 408 /);
    assert.match(c.received(), /application\/problem\+json/);
    assert.match(c.received(), /request-timeout/);
  });

  test('half-sent headers: the connection is closed after headersTimeoutMs', async () => {
    const s = await server({ OVERA_HEADERS_TIMEOUT_MS: '300' });
    const c = stalled(s.url, 'GET /api/v1/forms HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
    await Promise.race([c.closed, delay(20_000).then(() => assert.fail('the server left the connection open'))]);
    assert.match(c.received(), /^HTTP\/1\.1 408 /);
  });
});
