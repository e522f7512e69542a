/**
 * `POST /api/v1/verify`: public, a PDF body (application/pdf, size-limited, never touched by
 * the JSON body parser), answered with core's verification report; rate-limited per client.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import pino from 'pino';
import { createApp } from '../../server/app.ts';
import { createTestDb, startTestServer, type TestDb, type TestServer } from '../helpers/test-server.ts';
import { basePdf, createTestPki, signWithPdfsig, type TestPki } from '../helpers/pdf-sign.ts';
import type { VerificationReport } from '../../components/core/report.ts';
import type { Problem } from '../../components/core/problem.ts';

const KiB = 1024;

let pki: TestPki;
let signed: Uint8Array;
/** The app with the test root as its trust anchor and a 600 KiB limit. */
let trusting: { db: TestDb; server: Server; url: string };
/** The app as createApp makes it by default: no trust anchors. */
let plain: TestServer;

before(async () => {
  pki = createTestPki();
  signed = signWithPdfsig(pki, await basePdf(), pki.ec);
  const db = await createTestDb({ OVERA_UPLOAD_MAX_BYTES: String(600 * KiB), OVERA_RATE_LIMIT_VERIFY: '5/60' });
  const app = createApp(db.config, { db: db.db, log: pino({ level: 'silent' }), trustAnchors: () => [pki.rootPem] });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  trusting = { db, server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
  plain = await startTestServer();
});

after(async () => {
  trusting?.server.closeAllConnections();
  await new Promise<void>((resolve) => (trusting ? trusting.server.close(() => resolve()) : resolve()));
  await trusting?.db.drop();
  await plain?.close();
  pki?.cleanup();
});

async function post(url: string, body: Uint8Array | string | undefined, headers: Record<string, string> = { 'Content-Type': 'application/pdf' }) {
  const res = await fetch(`${url}/api/v1/verify`, { method: 'POST', headers, body: typeof body === 'string' ? body : body ? new Blob([body as Uint8Array<ArrayBuffer>]) : undefined });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as VerificationReport & Problem };
}

describe('POST /api/v1/verify', () => {
  test('a signed PDF, no sign-in: 200 with the report, TOTAL_PASSED under the configured anchor', async () => {
    const res = await post(trusting.url, signed);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^application\/json/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.body.indication, 'TOTAL_PASSED', JSON.stringify(res.body));
    assert.equal(res.body.signatures[0]!.subFilter, 'adbe.pkcs7.detached');
    assert.equal(res.body.signatures[0]!.certificate?.subject, 'CN=EC Seal,O=Overa Test,C=RS');
  });

  test('by default the server trusts no anchor: INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const res = await post(plain.url, signed);
    assert.equal(res.status, 200);
    assert.equal(res.body.indication, 'INDETERMINATE');
    assert.equal(res.body.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
  });

  test('a changed byte: 200, TOTAL_FAILED / HASH_FAILURE; not a PDF: TOTAL_FAILED / FORMAT_FAILURE', async () => {
    const tampered = new Uint8Array(signed);
    tampered[10]! ^= 1;
    const res = await post(plain.url, tampered);
    assert.equal(res.body.indication, 'TOTAL_FAILED');
    assert.equal(res.body.subIndication, 'HASH_FAILURE');
    const notPdf = await post(plain.url, '{"this": "is JSON, sent as a PDF"}');
    assert.equal(notPdf.status, 200, 'the JSON body parser left the body alone');
    assert.deepEqual(notPdf.body.reasons?.map((r) => r.code), ['not-pdf']);
  });

  test('another Content-Type: 415 problem+json', async () => {
    for (const type of ['application/json', 'application/octet-stream', 'multipart/form-data; boundary=x']) {
      const res = await post(plain.url, type === 'application/json' ? '{"pdf": "…"}' : signed, { 'Content-Type': type });
      assert.equal(res.status, 415, type);
      assert.equal(res.body.type, 'https://overa.dev/problems/unsupported-media-type', type);
    }
  });

  test('no body: 400', async () => {
    const res = await post(plain.url, undefined);
    assert.equal(res.status, 400);
    assert.equal(res.body.type, 'https://overa.dev/problems/validation');
  });

  test('over uploadMaxBytes: 413, whether declared or streamed without a length', async () => {
    const big = new Uint8Array(700 * KiB).fill(0x20);
    big.set(new TextEncoder().encode('%PDF-1.7\n'));
    const declared = await post(trusting.url, big);
    assert.equal(declared.status, 413);
    assert.equal(declared.body.type, 'https://overa.dev/problems/body-too-large');

    // Chunked: the limit is enforced on the bytes as they arrive.
    const { port } = new URL(trusting.url);
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/v1/verify', method: 'POST', headers: { 'Content-Type': 'application/pdf', 'Transfer-Encoding': 'chunked' } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < 70; i++) req.write(big.subarray(i * 10 * KiB, (i + 1) * 10 * KiB));
      req.end();
    });
    assert.equal(chunked.status, 413);
    assert.match(chunked.body, /body-too-large/);
  });

  test('rate-limited per client: 429 with Retry-After beyond rateLimits.verify', async () => {
    // 5 per 60 s on this app; the tests above used some of them.
    let last = await post(trusting.url, signed);
    for (let i = 0; i < 6 && last.status !== 429; i++) last = await post(trusting.url, signed);
    assert.equal(last.status, 429);
    assert.equal(last.body.type, 'https://overa.dev/problems/too-many-requests');
    assert.match(last.headers.get('retry-after')!, /^\d+$/);
  });
});
