/**
 * axe on every page of the demo site, as it first shows (elements loaded, nobody signed in),
 * in each of its three languages: no violation of any rule axe runs by default, best
 * practices included — `region` among them: all content, the top bar with the language
 * switch too, lies inside a landmark.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startE2E, type E2E } from './harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PAGES = readdirSync(`${ROOT}examples`).filter((f) => f.endsWith('.html'));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  help: string;
  nodes: { target: unknown[] }[];
}

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(async () => {
  await e2e?.close();
});

describe('the demo pages pass axe', () => {
  for (const page of PAGES) {
    test(page, async () => {
      const tab = await e2e.browser.newPage();
      try {
        await tab.setViewport({ width: 1280, height: 800 });
        // axe comes in as a script tag the pages' Content-Security-Policy (script-src 'self') would refuse.
        await tab.setBypassCSP(true);
        for (const lang of ['sr-Latn', 'sr-Cyrl', 'en']) {
          await tab.goto(`${e2e.url}/${page}?lang=${lang}`, { waitUntil: 'networkidle0' });
          // Every Overa element on the page has rendered (and its lazy views have come in: networkidle0).
          await tab.waitForFunction(() => [...document.querySelectorAll('*')].filter((e) => e.localName.startsWith('overa-')).every((e) => e.shadowRoot?.childElementCount));
          await tab.addScriptTag({ path: AXE });
          const violations = (await tab.evaluate(async () => {
            const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: unknown[] }> } }).axe;
            return (await axe.run(document)).violations;
          })) as Violation[];
          assert.deepEqual(
            violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`),
            [],
            `${page}?lang=${lang}`,
          );
        }
      } finally {
        await tab.close();
      }
    });
  }
});
