/**
 * Static files (issue 15): the site folder and the `/dist` mount serve only what is meant to be
 * public — pages, styles, scripts, images, fonts, the element bundle — and nothing else that
 * happens to lie in the folder: form definitions (which the API alone hands out, internal ones
 * to nobody), the library build, TypeScript declarations. Through the real app, configured as
 * `overa start --demo` configures it (examples/ as the site and the forms folder); a scratch
 * `dist/` stands in for the build so that this runs without `npm run build`
 * (test/e2e/demo-static.test.ts checks the real build through the real CLI).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createApp } from '../../server/app.ts';
import { bundleMount } from '../../server/middleware/static-files.ts';
import { createTestDb, type TestDb } from '../helpers/test-server.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));
const FORMS = readdirSync(join(EXAMPLES, 'forms')).filter((f) => f.endsWith('.json'));

let t: TestDb;
let http: Server;
let url: string;
let scratch: string;

before(async () => {
  // A dist/ laid out as `npm run build` lays it out.
  scratch = mkdtempSync(join(tmpdir(), 'overa-static-'));
  const dist = join(scratch, 'dist');
  const files: Record<string, string> = {
    'overa.bundle.js': 'export const bundle = 1;\n//# sourceMappingURL=overa.bundle.js.map\n',
    'overa.bundle.js.map': '{"version":3,"sources":[],"mappings":""}',
    'chunks/verify-Ab12.js': 'export const chunk = 1;\n',
    'chunks/verify-Ab12.js.map': '{"version":3,"sources":[],"mappings":""}',
    'custom-elements.json': '{"schemaVersion":"1.0.0","modules":[]}',
    'lib/index.js': "export * from 'lit';\n",
    'lib/index.d.ts': 'export declare const x: number;\n',
    'lib/index.d.ts.map': '{"version":3}',
    'lib/core/index.js': 'export {};\n',
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dist, name, '..'), { recursive: true });
    writeFileSync(join(dist, name), text);
  }
  t = await createTestDb({ OVERA_STATIC_DIR: EXAMPLES, OVERA_FORMS_DIR: join(EXAMPLES, 'forms') });
  const app = createApp(t.config, { db: t.db, log: pino({ level: 'silent' }), mounts: [bundleMount(dist)] });
  http = createServer(app.callback());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

after(async () => {
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await t.drop();
  rmSync(scratch, { recursive: true, force: true });
});

/** A GET with the path sent as written: fetch would resolve `..` and `%2e%2e` before sending. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url + '/', { path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the site folder', () => {
  test('form definitions are not files of the site: 404 for public and internal forms alike, the API still answers', async () => {
    assert.ok(FORMS.includes('internal-memo.json') && FORMS.includes('certificate-of-residence.json'), FORMS.join());
    for (const form of FORMS) {
      for (const path of [`/forms/${form}`, `/forms/${form.toUpperCase()}`, `/x/../forms/${form}`, `/forms%2F${form}`]) {
        const res = await get(path);
        assert.equal(res.status, 404, path);
        assert.doesNotMatch(res.text, /"fields"/, path);
      }
    }
    assert.equal((await get('/forms/templates/certificate-of-residence.json')).status, 404);
    // A folder is served only through its index page, which forms/ does not have.
    assert.equal((await get('/forms/')).status, 404);
    assert.equal((await get('/forms')).status, 404);
    // The definitions come from the API, which decides who sees what.
    assert.equal((await get('/api/v1/forms/certificate-of-residence')).status, 200);
    assert.equal((await get('/api/v1/forms/internal-memo')).status, 404);
  });

  test('the pages, their style, script and icon still serve, with their types', async () => {
    for (const page of readdirSync(EXAMPLES).filter((f) => f.endsWith('.html') && f !== '404.html')) {
      const res = await get(`/${page}`);
      assert.equal(res.status, 200, page);
      assert.match(res.type, /^text\/html/, page);
    }
    const home = await get('/');
    assert.equal(home.status, 200);
    assert.match(home.type, /^text\/html/);
    assert.match((await get('/site.css')).type, /^text\/css/);
    assert.match((await get('/site.js')).type, /^(application|text)\/javascript/);
    assert.match((await get('/favicon.svg')).type, /^image\/svg\+xml/);
    // A page nothing answers is still the site's "page not found", with status 404.
    const missing = await get('/forms/internal-memo.json', { Accept: 'text/html' });
    assert.equal(missing.status, 404);
    assert.match(missing.type, /^text\/html/);
  });
});

/** A GET with exactly the headers given (fetch adds `Cache-Control: no-cache` to a conditional request, which rightly defeats a 304). */
function getWithHeaders(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; length: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url + path, { headers }, (res) => {
      let length = 0;
      res.on('data', (d: Buffer) => (length += d.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, length }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the /dist mount', () => {
  test('serves the bundle, its chunks and their source maps', async () => {
    const bundle = await get('/dist/overa.bundle.js');
    assert.equal(bundle.status, 200);
    assert.match(bundle.type, /^(application|text)\/javascript/);
    assert.equal((await get('/dist/overa.bundle.js.map')).status, 200);
    const chunk = await get('/dist/chunks/verify-Ab12.js');
    assert.equal(chunk.status, 200);
    assert.match(chunk.type, /^(application|text)\/javascript/);
    assert.equal((await get('/dist/chunks/verify-Ab12.js.map')).status, 200);
  });

  test('caching: hashed chunks immutable for a year; the entry and the site revalidated by ETag (304); the bundle loadable from any origin', async () => {
    const chunk = await getWithHeaders('/dist/chunks/verify-Ab12.js', { Origin: 'https://agency.example' });
    assert.equal(chunk.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(chunk.headers['access-control-allow-origin'], '*');
    for (const path of ['/dist/overa.bundle.js', '/apply.html', '/site.css']) {
      const first = await getWithHeaders(path);
      assert.equal(first.status, 200, path);
      assert.equal(first.headers['cache-control'], 'no-cache', path);
      const etag = first.headers.etag;
      assert.match(etag ?? '', /^W\/"[0-9a-f]+-[0-9a-f]+"$/, path);
      const again = await getWithHeaders(path, { 'If-None-Match': etag! });
      assert.equal(again.status, 304, path);
      assert.equal(again.length, 0, path);
      // A browser asked to reload (Cache-Control: no-cache) gets the file again.
      assert.equal((await getWithHeaders(path, { 'If-None-Match': etag!, 'Cache-Control': 'no-cache' })).status, 200, path);
    }
    // The site's pages are not for every origin: only the bundle is.
    const page = await getWithHeaders('/apply.html', { Origin: 'https://agency.example' });
    assert.equal(page.headers['access-control-allow-origin'], undefined);
  });

  test('not the library build, its declarations (never as video/mp2t) or the manifest', async () => {
    for (const path of [
      '/dist/lib/index.d.ts', '/dist/lib/index.d.ts.map', '/dist/lib/index.js', '/dist/lib/core/index.js',
      '/dist/chunks/../lib/index.js', '/dist/chunks/%2E%2E/lib/index.js', '/dist/custom-elements.json', '/dist/', '/dist/lib',
    ]) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.type, /mp2t/, path);
    }
  });
});
