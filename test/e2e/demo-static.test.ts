/**
 * What the real demo (`overa start --demo`, a child process, with the real build in dist/)
 * serves as files: the site's pages and the element bundle, not the form definitions lying in
 * examples/forms (internal ones included) nor the rest of dist/ (the library build and its
 * `.d.ts` declarations). Form definitions come from the API only.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { childEnv, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { createTestDb, type TestDb } from '../helpers/test-server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FORMS = readdirSync(`${ROOT}examples/forms`).filter((f) => f.endsWith('.json'));
const PAGES = readdirSync(`${ROOT}examples`).filter((f) => f.endsWith('.html') && f !== '404.html');

let t: TestDb;
let demo: ChildServer;
before(async () => {
  if (!existsSync(`${ROOT}dist/overa.bundle.js`)) throw new Error('dist/overa.bundle.js is missing: run `npm run build` first');
  t = await createTestDb();
  demo = await startChildServer(await childEnv(t), ['--demo']);
});
after(async () => {
  await demo?.stop();
  await t?.drop();
});

const get = (path: string) => fetch(demo.url + path);

describe('the demo serves only what is public', () => {
  test('form definitions are 404 as files, public and internal alike; the API serves the public ones', async () => {
    assert.ok(FORMS.includes('internal-memo.json') && FORMS.length >= 3, FORMS.join());
    for (const form of FORMS) {
      const res = await get(`/forms/${form}`);
      assert.equal(res.status, 404, form);
      assert.doesNotMatch(await res.text(), /"fields"/, form);
    }
    const api = await get('/api/v1/forms/certificate-of-residence');
    assert.equal(api.status, 200);
    assert.equal(((await api.json()) as { id: string }).id, 'certificate-of-residence');
    assert.equal((await get('/api/v1/forms/internal-memo')).status, 404);
  });

  test('the pages and the bundle with its lazy chunks serve', async () => {
    for (const page of ['', ...PAGES]) {
      const res = await get(`/${page}`);
      assert.equal(res.status, 200, page);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/, page);
      await res.arrayBuffer();
    }
    for (const file of ['overa.bundle.js', ...readdirSync(`${ROOT}dist/chunks`).filter((f) => f.endsWith('.js'))].map((f) => (f === 'overa.bundle.js' ? f : `chunks/${f}`))) {
      const res = await get(`/dist/${file}`);
      assert.equal(res.status, 200, file);
      assert.match(res.headers.get('content-type') ?? '', /^(application|text)\/javascript/, file);
      await res.arrayBuffer();
    }
  });

  test('the library build, its declarations and the manifest are not served', async () => {
    const declarations = readdirSync(`${ROOT}dist/lib`).filter((f) => f.endsWith('.d.ts'));
    assert.ok(declarations.includes('index.d.ts'), declarations.join());
    for (const file of ['lib/index.d.ts', 'lib/index.js', 'lib/core/index.d.ts', 'custom-elements.json']) {
      const res = await get(`/dist/${file}`);
      assert.equal(res.status, 404, file);
      assert.doesNotMatch(res.headers.get('content-type') ?? '', /mp2t/, file);
      await res.arrayBuffer();
    }
  });
});
