/**
 * Every page of the demo site, in each language, in real Chromium against the real server:
 * no console error, no failed request, no Content-Security-Policy violation — under the
 * strict policy the server sends (no inline script or style allowed) — and, across the
 * pages, every Overa element rendered. In Cyrillic (the longest words) the pages are opened
 * on a phone-sized screen, where nothing may make the page scroll sideways.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startE2E, type E2E } from './harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PAGES = readdirSync(`${ROOT}examples`).filter((f) => f.endsWith('.html')).sort();
const TAGS = readdirSync(`${ROOT}components`).flatMap((d) => {
  try {
    return [...readFileSync(`${ROOT}components/${d}/define.ts`, 'utf8').matchAll(/customElements\.define\('([a-z-]+)'/g)].map((m) => m[1]!);
  } catch {
    return [];
  }
});

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e.close());

describe('the demo site', () => {
  test('is served with a strict Content-Security-Policy', async () => {
    const response = await fetch(`${e2e.url}/index.html`);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /style-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });

  const rendered = new Set<string>();
  for (const lang of ['sr-Latn', 'sr-Cyrl', 'en']) {
    const phone = lang === 'sr-Cyrl';
    for (const file of PAGES) {
      test(`${file} (${lang}${phone ? ', on a phone' : ''}) loads with no error, failed request or CSP violation`, async () => {
        const page = await e2e.browser.newPage();
        if (phone) await page.setViewport({ width: 375, height: 800 });
        const problems: string[] = [];
        page.on('pageerror', (err) => problems.push(`page error: ${(err as Error).message}`));
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`console: ${m.text()}`);
        });
        page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
        page.on('response', (r) => {
          if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
        });
        await page.evaluateOnNewDocument(() => {
          document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
        });
        await page.goto(`${e2e.url}/${file}?lang=${lang}`, { waitUntil: 'networkidle0' });
        // Every Overa element on the page has rendered something into its shadow root.
        const tags = await page.waitForFunction(
          (known: string[]) => {
            const found = known.filter((t) => document.querySelector(t));
            return found.every((t) => [...document.querySelectorAll(t)].every((el) => (el.shadowRoot?.childElementCount ?? 0) > 0)) ? found : null;
          },
          { timeout: 10_000, polling: 50 },
          TAGS,
        );
        for (const t of (await tags.jsonValue()) as string[]) rendered.add(t);
        assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
        if (phone) {
          const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
          assert.ok(widths.page <= widths.screen, `${file} is ${widths.page} px wide on a ${widths.screen} px screen`);
        }
        assert.deepEqual(problems, []);
        await page.close();
      });
    }
  }

  test('a page that does not exist is the site\'s own "page not found", with status 404', async () => {
    const response = await fetch(`${e2e.url}/no-such-page.html`, { headers: { Accept: 'text/html' } });
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await response.text(), /Stranica nije pronađena/);
    // A script or an API client asking for something else gets no page.
    const other = await fetch(`${e2e.url}/no-such-file.js`, { headers: { Accept: 'application/javascript' } });
    assert.equal(other.status, 404);
    assert.doesNotMatch(await other.text(), /Stranica/);
  });

  test('every element appears on some page', () => {
    assert.deepEqual([...rendered].sort(), TAGS.filter((t) => t !== 'overa-sign').sort());
  });
});
