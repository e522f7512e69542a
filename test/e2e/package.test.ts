/**
 * The package as an agency gets it: `npm pack`, installed into a scratch site, used from a
 * plain page with the drop-in bundle (loaded twice, as happens when two widgets on one page
 * each bring Overa), and from Node through its ESM exports. Also checks that the Custom
 * Elements Manifest lists what every element really has.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startE2E, type E2E } from './harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let scratch: string;
let e2e: E2E;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'overa-pack-'));
  const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: ROOT, encoding: 'utf8' })) as { filename: string }[];
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'agency-site', private: true, type: 'module' }));
  // Unpacked where npm would put it. Its dependencies are this checkout's (linked, not
  // reinstalled: the test is about what the tarball holds, not about the registry).
  mkdirSync(join(scratch, 'node_modules'));
  execFileSync('tar', ['-xzf', join(scratch, filename), '-C', join(scratch, 'node_modules')]);
  renameSync(join(scratch, 'node_modules/package'), join(scratch, 'node_modules/overa'));
  symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules/overa/node_modules'), 'dir');
  writeFileSync(
    join(scratch, 'index.html'),
    `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>An agency page</title>
    <link rel="icon" href="data:," />
    <script type="module" src="/node_modules/overa/dist/overa.bundle.js"></script>
    <script type="module" src="/node_modules/overa/dist/overa.bundle.js?second-copy"></script>
  </head>
  <body>
    <h1>An agency page</h1>
    <overa-account></overa-account>
    <overa-application-form form-id="birth-register-extract"></overa-application-form>
  </body>
</html>
`,
  );
  e2e = await startE2E({ staticDir: scratch });
});

after(async () => {
  await e2e?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the packed package', () => {
  test('holds the bundle, ESM per element with declarations, and the manifest', () => {
    const pkg = join(scratch, 'node_modules/overa');
    const json = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { customElements: string; sideEffects: string[] };
    assert.equal(json.customElements, 'dist/custom-elements.json');
    assert.ok(Array.isArray(json.sideEffects));
    for (const file of ['dist/overa.bundle.js', 'dist/custom-elements.json', 'dist/lib/index.js', 'dist/lib/core/index.js', 'dist/lib/client/index.js']) {
      assert.ok(existsSync(join(pkg, file)), file);
    }
    for (const element of readdirSync(join(ROOT, 'components')).filter((d) => existsSync(join(ROOT, 'components', d, 'define.ts')))) {
      assert.ok(existsSync(join(pkg, `dist/lib/${element}/define.js`)), `${element}/define.js`);
      const dts = readFileSync(join(pkg, `dist/lib/${element}/define.d.ts`), 'utf8');
      assert.doesNotMatch(dts, /from '\.[^']*\.ts'/, `${element}/define.d.ts imports .js, not .ts`);
    }
  });

  test('works from Node through its exports (overa/core)', () => {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', "import { canonicalJson, isValidJmbg } from 'overa/core'; console.log(canonicalJson({ b: 1, a: [true, null] }), isValidJmbg('0101990710008'))"],
      { cwd: scratch, encoding: 'utf8' },
    );
    assert.equal(out.trim(), '{"a":[true,null],"b":1} true');
  });

  test('exports every element class and define module, and each imports in Node by its documented name', () => {
    const json = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const elements = readdirSync(join(ROOT, 'components')).filter((d) => existsSync(join(ROOT, 'components', d, 'define.ts')));
    for (const element of elements) {
      assert.ok(json.exports[`./${element}`], `exports ./${element}`);
      assert.ok(json.exports[`./${element}/define`], `exports ./${element}/define`);
    }
    // Lit's Node build brings a DOM shim, so defining the tags works outside a browser too
    // (server-side rendering, tests); what this proves is that the exports map lets the names through.
    const script = elements
      .map((e, i) => `import * as c${i} from 'overa/${e}'; import * as d${i} from 'overa/${e}/define'; out.push('${e}:' + Object.keys(c${i}).length + ':' + Object.keys(d${i}).length);`)
      .join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const out = [];\n${script}\nconsole.log(out.join(' '))`], { cwd: scratch, encoding: 'utf8' });
    for (const element of elements) assert.match(out, new RegExp(`${element}:[1-9]\\d*:[1-9]`), `${element} imports and has exports`);
  });

  test('bundles one element by its define module with rollup, as an agency build would', async () => {
    const { rollup } = await import('rollup');
    const { nodeResolve } = await import('@rollup/plugin-node-resolve');
    writeFileSync(join(scratch, 'entry.js'), "import 'overa/sign/define';\n");
    const bundle = await rollup({
      input: join(scratch, 'entry.js'),
      plugins: [nodeResolve({ rootDir: scratch, browser: true, exportConditions: ['browser', 'production'] })],
      onwarn: (w) => assert.fail(`rollup warned: ${w.message}`),
    });
    const { output } = await bundle.generate({ format: 'es', inlineDynamicImports: true });
    await bundle.close();
    const code = output[0].code;
    // (ok/includes, not match: a failure must not print the whole bundle)
    assert.ok(/customElements\.define\(['"]overa-sign['"]/.test(code), 'the bundle defines overa-sign');
    // Only the sign element: none of the other tags is dragged in.
    assert.ok(!/['"]overa-(application-form|approval-inbox|my-applications|stats)['"]/.test(code), 'the bundle holds no other element');
  });

  test('works from a plain page, even with the bundle loaded twice', async () => {
    const page = await e2e.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push((err as Error).message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${e2e.url}/index.html`, { waitUntil: 'networkidle0' });
    await page.waitForFunction(
      () => document.querySelector('overa-application-form')?.shadowRoot?.querySelector('#f-firstName')
        && document.querySelector('overa-account')?.shadowRoot?.querySelector('[part~="register-button"]'),
      { timeout: 10_000, polling: 50 },
    );
    const defined = await page.evaluate(() => ['overa-account', 'overa-application-form', 'overa-sign', 'overa-my-applications'].map((t) => Boolean(customElements.get(t))));
    assert.deepEqual(defined, [true, true, true, true]);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('the Custom Elements Manifest', () => {
  interface Decl {
    tagName?: string;
    name: string;
    attributes?: { name: string }[];
    events?: { name: string; description?: string }[];
    cssParts?: { name: string }[];
    cssProperties?: { name: string }[];
  }
  const manifest = JSON.parse(readFileSync(join(ROOT, 'dist/custom-elements.json'), 'utf8')) as { modules: { path: string; declarations?: Decl[] }[] };
  const elements = manifest.modules.flatMap((m) => (m.declarations ?? []).filter((d) => d.tagName).map((d) => ({ path: m.path, decl: d })));

  test('lists every element folder', () => {
    const folders = readdirSync(join(ROOT, 'components')).filter((d) => existsSync(join(ROOT, 'components', d, 'define.ts')));
    const tags = readdirSync(join(ROOT, 'components')).flatMap((d) => {
      const define = join(ROOT, 'components', d, 'define.ts');
      return existsSync(define) ? [...readFileSync(define, 'utf8').matchAll(/customElements\.define\('([a-z-]+)'/g)].map((m) => m[1]!) : [];
    });
    assert.equal(tags.length, folders.length);
    assert.deepEqual(elements.map((e) => e.decl.tagName).sort(), tags.sort());
  });

  test('lists every public attribute, event and part each element has in its source', () => {
    for (const { path, decl } of elements) {
      const source = readFileSync(join(ROOT, path), 'utf8');
      const fieldsSource = existsSync(join(ROOT, path.replace(/[^/]+$/, 'fields.ts'))) ? readFileSync(join(ROOT, path.replace(/[^/]+$/, 'fields.ts')), 'utf8') : '';
      const attributes = new Set((decl.attributes ?? []).map((a) => a.name));
      for (const m of source.matchAll(/@property\(\{[^}]*attribute: '([a-z-]+)'/g)) assert.ok(attributes.has(m[1]!), `${decl.tagName}: attribute ${m[1]}`);
      for (const name of ['server', 'lang']) assert.ok(attributes.has(name), `${decl.tagName}: attribute ${name}`);
      const events = new Set((decl.events ?? []).map((e) => e.name));
      for (const m of source.matchAll(/(?:emit|new CustomEvent(?:<[^>]+>)?)\('([a-z-]+)'/g)) assert.ok(events.has(m[1]!), `${decl.tagName}: event ${m[1]}`);
      for (const e of decl.events ?? []) assert.ok(e.description, `${decl.tagName}: event ${e.name} is described`);
      const parts = new Set((decl.cssParts ?? []).map((p) => p.name));
      for (const m of (source + fieldsSource).matchAll(/part="([a-z- ]+)"/g)) {
        for (const p of m[1]!.split(' ')) assert.ok(parts.has(p), `${decl.tagName}: part ${p}`);
      }
      assert.ok((decl.cssProperties ?? []).some((p) => p.name === '--overa-color-primary'), `${decl.tagName}: custom properties`);
    }
  });
});
