/**
 * Fast on a slow connection (issue 17): the element bundle's scripts and the API's JSON leave
 * compressed (brotli, else gzip), the hashed chunks are cached for a year as immutable, the
 * bundle's entry is revalidated (ETag, 304); and an element embedded on a page whose origin
 * the server does not allow (OVERA_ORIGINS) says so in the page, and once in the console,
 * instead of showing nothing. The real build (dist/, with `npm run build`'s precompressed
 * copies), the real server, real Chromium; the embedding page on a second loopback origin.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startE2E, type E2E } from './harness.ts';

const DIST = fileURLToPath(new URL('../../dist', import.meta.url));
const CHUNKS = readdirSync(`${DIST}/chunks`).filter((f) => f.endsWith('.js'));
const chunkNamed = (name: string) => CHUNKS.find((f) => f.startsWith(`${name}-`))!;
/**
 * The main chunk: the one the bundle entry re-exports the elements from (rollup names it after
 * one of the modules in it, which changes as code moves between chunks).
 */
const MAIN_CHUNK = /from\s*"\.\/chunks\/([^"]+\.js)"/.exec(readFileSync(`${DIST}/overa.bundle.js`, 'utf8'))![1]!;

let e2e: E2E;
let other: Server;
let otherUrl: string;

before(async () => {
  e2e = await startE2E();
  // The embedding agency's own site: another origin (127.0.0.1, not localhost), not in OVERA_ORIGINS.
  other = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Another agency's site</title>
      <script type="module" src="${e2e.url}/dist/overa.bundle.js"></script></head>
      <body><main><h1>Apply online</h1>
        <overa-application-form server="${e2e.url}" form-id="certificate-of-residence"></overa-application-form>
        <overa-stats server="${e2e.url}"></overa-stats>
      </main></body></html>`);
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});

after(async () => {
  other?.closeAllConnections();
  await new Promise<void>((resolve) => (other ? other.close(() => resolve()) : resolve()));
  await e2e?.close();
});

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as they crossed the wire (compressed, when they were). */
  body: Buffer;
}

/** A GET that shows the answer as sent: fetch would decompress it and hide its size. */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, e2e.url), { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const decoded = (r: Raw): Buffer => (r.headers['content-encoding'] === 'br' ? brotliDecompressSync(r.body) : r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body);

describe('scripts and JSON leave compressed', () => {
  test('the main chunk and the verifier chunk: brotli to a browser that takes it, gzip to one that takes only that, whole to one that takes neither', async () => {
    for (const chunk of [MAIN_CHUNK, chunkNamed('verify-document')]) {
      const file = `/dist/chunks/${chunk}`;
      const original = readFileSync(`${DIST}/chunks/${chunk}`);
      const br = await rawGet(file, { 'Accept-Encoding': 'gzip, deflate, br' });
      assert.equal(br.status, 200, file);
      assert.equal(br.headers['content-encoding'], 'br', file);
      assert.match(br.headers.vary ?? '', /Accept-Encoding/i, file);
      assert.match(br.headers['content-type'] ?? '', /javascript/, file);
      assert.deepEqual(decoded(br), original, `${file}: the same script once decompressed`);
      assert.ok(br.body.length < original.length * 0.3, `${file}: ${br.body.length} bytes sent for ${original.length}`);

      const gz = await rawGet(file, { 'Accept-Encoding': 'gzip' });
      assert.equal(gz.headers['content-encoding'], 'gzip', file);
      assert.deepEqual(decoded(gz), original);
      assert.ok(gz.body.length < original.length * 0.35, `${file}: ${gz.body.length} gzip bytes for ${original.length}`);

      const plain = await rawGet(file, { 'Accept-Encoding': 'identity' });
      assert.equal(plain.headers['content-encoding'], undefined, file);
      assert.equal(plain.body.length, original.length);
    }
    // The figures: 221.7 KB and 490.6 KB went uncompressed. The verifier chunk now crosses the wire in under 100 KB.
    const verifier = await rawGet(`/dist/chunks/${chunkNamed('verify-document')}`, { 'Accept-Encoding': 'br' });
    assert.ok(verifier.body.length < 100 * 1024, `${verifier.body.length} bytes`);
  });

  test('the API\'s JSON is compressed on the fly; a small answer is not worth it', async () => {
    const spec = await rawGet('/api/v1/openapi.json', { 'Accept-Encoding': 'gzip, deflate, br' });
    assert.equal(spec.status, 200);
    assert.equal(spec.headers['content-encoding'], 'br');
    assert.match(spec.headers['content-type'] ?? '', /application\/json/);
    const json = JSON.parse(decoded(spec).toString('utf8')) as { openapi: string };
    assert.match(json.openapi, /^3\./);
    assert.ok(spec.body.length < decoded(spec).length / 3, `${spec.body.length} of ${decoded(spec).length}`);
    const form = await rawGet('/api/v1/forms/certificate-of-residence', { 'Accept-Encoding': 'gzip' });
    assert.equal(form.headers['content-encoding'], 'gzip');
    assert.equal((JSON.parse(decoded(form).toString('utf8')) as { id: string }).id, 'certificate-of-residence');
    const health = await rawGet('/healthz', { 'Accept-Encoding': 'br' });
    assert.equal(health.status, 200);
    assert.equal(health.headers['content-encoding'], undefined, 'under the 1 KB threshold');
  });

});

describe('caching', () => {
  test('hashed chunks: public, a year, immutable', async () => {
    for (const chunk of CHUNKS) {
      const res = await rawGet(`/dist/chunks/${chunk}`, { 'Accept-Encoding': 'br' });
      assert.equal(res.status, 200, chunk);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', chunk);
    }
  });

  test('the bundle entry is revalidated: no-cache with an ETag, 304 while it matches, 200 when it does not', async () => {
    const first = await rawGet('/dist/overa.bundle.js', { 'Accept-Encoding': 'br' });
    assert.equal(first.status, 200);
    assert.equal(first.headers['cache-control'], 'no-cache');
    const etag = first.headers.etag!;
    assert.match(etag, /^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    assert.ok(decoded(first).toString('utf8').includes(`./chunks/${MAIN_CHUNK}`), 'the entry imports the hashed main chunk');
    assert.match(MAIN_CHUNK, /-[A-Za-z0-9_-]{8}\.js$/, 'the main chunk is named by its hash');

    const again = await rawGet('/dist/overa.bundle.js', { 'Accept-Encoding': 'br', 'If-None-Match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, etag);

    const changed = await rawGet('/dist/overa.bundle.js', { 'Accept-Encoding': 'br', 'If-None-Match': 'W/"0-0"' });
    assert.equal(changed.status, 200);
    assert.ok(changed.body.length > 0);
  });

  test('in Chromium: a second visit takes the chunks from its cache and revalidates only the entry', async () => {
    const page = await e2e.browser.newPage();
    try {
      const sent: { url: string; status: number; fromCache: boolean; encoding: string | undefined }[] = [];
      page.on('response', (r) => {
        if (r.url().includes('/dist/')) sent.push({ url: r.url(), status: r.status(), fromCache: r.fromCache(), encoding: r.headers()['content-encoding'] });
      });
      await page.goto(`${e2e.url}/verify.html`, { waitUntil: 'networkidle0' });
      const first = sent.splice(0);
      assert.ok(first.some((r) => r.url.endsWith('/dist/overa.bundle.js') && r.status === 200));
      const main = first.find((r) => r.url.endsWith(`/chunks/${MAIN_CHUNK}`))!;
      assert.equal(main.encoding, 'br', 'Chromium gets brotli');
      await page.goto(`${e2e.url}/verify.html`, { waitUntil: 'networkidle0' });
      const entry = sent.find((r) => r.url.endsWith('/dist/overa.bundle.js'))!;
      assert.equal(entry.status, 304, 'the entry is revalidated, not downloaded again');
      const chunks = sent.filter((r) => r.url.includes('/chunks/'));
      assert.ok(chunks.length > 0);
      for (const c of chunks) assert.equal(c.fromCache, true, `${c.url} from the cache`);
    } finally {
      await page.close();
    }
  });
});

describe('an element on a page whose origin the server does not allow', () => {
  test('shows an explained error in the element, and the console names OVERA_ORIGINS once', async () => {
    const page = await e2e.browser.newPage();
    try {
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${otherUrl}/`, { waitUntil: 'networkidle0' });
      const shown = async (tag: string) =>
        page.waitForFunction(
          (t) => {
            const root = document.querySelector(t)?.shadowRoot;
            const text = root?.textContent?.replace(/\s+/g, ' ') ?? '';
            return text.includes('OVERA_ORIGINS') ? text : false;
          },
          { timeout: 20_000 },
          tag,
        );
      const form = String(await (await shown('overa-application-form')).jsonValue());
      assert.match(form, /This site is not allowed to use the service/);
      const stats = String(await (await shown('overa-stats')).jsonValue());
      assert.match(stats, /OVERA_ORIGINS/);
      const told = errors.filter((e) => e.includes('OVERA_ORIGINS'));
      assert.equal(told.length, 1, errors.join('\n'));
      assert.ok(told[0]!.includes(otherUrl), `names the origin to add: ${told[0]}`);
    } finally {
      await page.close();
    }
  });
});
