/**
 * The multipart encoding of exchange messages (docs/exchange.md): what `exchangeRequest` writes,
 * `receiveParts` reads back byte for byte — part names in Cyrillic, with quotes, with a
 * percent sign; bytes that look like boundaries and line ends — and what it refuses: a field
 * not asked for, one sent twice, a body over the limit.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { exchangeRequest } from '../../server/services/exchange.ts';
import { receiveParts } from '../../server/multipart.ts';
import { HttpError } from '../../server/http-error.ts';

let server: Server;
let url = '';
const LIMIT = 64 * 1024;

before(async () => {
  server = createServer((req, res) => {
    receiveParts(req, { fields: { envelope: 10_000, signature: 1000 }, fileField: 'part', maxFiles: 4, limit: LIMIT, drainLimit: LIMIT })
      .then(({ fields, files }) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({
          fields: Object.fromEntries(fields),
          files: files.map((f) => ({ field: f.field, filename: f.filename, contentType: f.contentType, sha256: createHash('sha256').update(f.data).digest('hex'), size: f.data.length })),
        }));
      }, (err: unknown) => {
        const e = err instanceof HttpError ? err : new HttpError(500, 'internal', String(err));
        res.writeHead(e.status, { 'content-type': 'application/json', ...e.headers });
        res.end(JSON.stringify({ status: e.status, errors: e.errors }));
      });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

const post = async (r: { contentType: string; body: string | Uint8Array<ArrayBuffer> }) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': r.contentType }, body: r.body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('every part comes back as it was sent: its name, its type and its bytes', async () => {
  const tricky = Buffer.concat([Buffer.from('\r\n--overa-\r\n--\r\nContent-Disposition: form-data; name="x"\r\n\r\n'), Buffer.from([0, 255, 13, 10, 45, 45])]);
  const parts = [
    { name: 'document.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.7\n') },
    { name: 'прилог – рачун "1" (коначни) 100%.pdf', contentType: 'application/pdf', data: tricky },
    { name: 'a\\b\'c*.xml', contentType: 'application/xml', data: Buffer.alloc(0) },
  ];
  const r = await post(exchangeRequest({ envelope: '{"protocol":"overa-exchange/1"}', signature: 'TUlJ' }, parts, 'multipart'));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.fields, { envelope: '{"protocol":"overa-exchange/1"}', signature: 'TUlJ' });
  assert.deepEqual(r.body.files, parts.map((p) => ({ field: 'part', filename: p.name, contentType: p.contentType, sha256: sha(p.data), size: p.data.length })));
});

test('the JSON encoding of the same message carries the same parts in base64', () => {
  const data = Buffer.from([0, 1, 2, 250]);
  const r = exchangeRequest({ envelope: '{"a":1}', signature: 'c2ln' }, [{ name: 'd.pdf', contentType: 'application/pdf', data }], 'json');
  assert.equal(r.contentType, 'application/json');
  assert.deepEqual(JSON.parse(r.body as string), { envelope: { a: 1 }, signature: 'c2ln', parts: [{ name: 'd.pdf', data: data.toString('base64') }] });
});

test('refused: a field not asked for, a field sent twice, a body over the limit (declared, or as it arrives)', async () => {
  const base = exchangeRequest({ envelope: '{}', signature: 's' }, [], 'multipart');
  const boundary = base.contentType.split('boundary=')[1]!;
  const form = (...fields: [string, string][]) => ({
    contentType: base.contentType,
    body: new Uint8Array(Buffer.from(`${fields.map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`).join('')}--${boundary}--\r\n`)),
  });
  let r = await post(form(['envelope', '{}'], ['note', 'x']));
  assert.equal(r.status, 400);
  assert.deepEqual((r.body.errors as { field: string }[]).map((e) => e.field), ['note']);

  r = await post(form(['envelope', '{}'], ['envelope', '{}']));
  assert.equal(r.status, 400);
  assert.deepEqual((r.body.errors as { field: string }[]).map((e) => e.field), ['envelope']);

  r = await post(exchangeRequest({ envelope: '{}', signature: 's' }, [{ name: 'big.pdf', contentType: 'application/pdf', data: Buffer.alloc(LIMIT) }], 'multipart'));
  assert.equal(r.status, 413);

  // No Content-Length: counted as the bytes arrive.
  const big = exchangeRequest({ envelope: '{}', signature: 's' }, [{ name: 'big.pdf', contentType: 'application/pdf', data: Buffer.alloc(LIMIT) }], 'multipart');
  const res = await fetch(url, {
    method: 'POST', headers: { 'content-type': big.contentType }, duplex: 'half',
    body: new ReadableStream({ start(c) { c.enqueue(big.body as Uint8Array); c.close(); } }),
  } as RequestInit);
  assert.equal(res.status, 413);
});
