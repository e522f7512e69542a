/**
 * Issue 17, item 8: the statistics table fits its column on the demo's home page at 1280 px (the
 * main column, 2/3 of the page) and at 375 px (a phone): no column cut off, nothing scrolling
 * sideways, no blank band between the caption and the header row; and axe has nothing left to
 * "review" (incomplete) for color-contrast and th-has-data-cells in the table. axe cannot find the
 * background of SVG text, so the chart's labels are checked here with the WCAG formula.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../components/stats/define.ts';
import type { OveraStats } from '../../components/stats/stats.ts';
import type { OpenDataStatistics } from '../../components/core/api.ts';
import { overaServer } from '../helpers/overa-server.ts';
import { withFetch } from '../helpers/fetch.ts';

const shown = (value: number) => ({ value, suppressed: false });
const hidden = { value: null, suppressed: true };

/** Figures as the server publishes them (two services, withheld counts, four-digit numbers). */
const FIGURES: OpenDataStatistics = {
  asOf: '2026-04-15',
  timeZone: 'Europe/Belgrade',
  minCount: 5,
  filters: { agency: null, form: null, from: null, to: null },
  agencies: [{ id: 'novi-primer', name: 'Gradska uprava Novi Primer' }],
  forms: [
    { id: 'birth-register-extract', title: { 'sr-Latn': 'Zahtev za izvod iz matične knjige rođenih', en: 'Apply for an extract from the register of births' } },
    { id: 'certificate-of-residence', title: { 'sr-Latn': 'Zahtev za uverenje o prebivalištu', en: 'Apply for a certificate of residence' } },
  ],
  rows: [
    { agencyId: 'novi-primer', formId: 'birth-register-extract', month: '2026-03', submitted: hidden, approved: hidden, returned: hidden, rejected: hidden, issued: hidden, finished: hidden, medianDays: hidden, p90Days: hidden },
    { agencyId: 'novi-primer', formId: 'certificate-of-residence', month: '2026-02', submitted: shown(12), approved: shown(9), returned: hidden, rejected: hidden, issued: shown(9), finished: shown(11), medianDays: shown(2.5), p90Days: shown(7) },
    { agencyId: 'novi-primer', formId: 'certificate-of-residence', month: '2026-03', submitted: shown(1234), approved: shown(1100), returned: shown(40), rejected: shown(9), issued: shown(1100), finished: shown(1109), medianDays: shown(1.2), p90Days: shown(3.5) },
  ],
};

const json = (body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } }));

interface AxeResult {
  incomplete: { id: string; nodes: { html: string; target: unknown[] }[] }[];
  violations: { id: string }[];
}
const axe = () => (window as unknown as { axe: { run(context: Element, options: unknown): Promise<AxeResult> } }).axe;

/** The demo home page's main column: `.wrap` (72rem, 1.25rem padding) split 2fr/1fr with a 2.5rem gap; one column under 48rem. */
function demoColumn(viewport: number): number {
  const content = Math.min(72 * 16, viewport) - 2 * 20;
  return viewport > 48 * 16 ? ((content - 40) * 2) / 3 : content;
}

function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

async function render(viewport: number, lang: string, width = demoColumn(viewport)): Promise<OveraStats> {
  await setViewport({ width: viewport, height: 800 });
  let el!: OveraStats;
  const url = await overaServer();
  await withFetch((u) => (u.includes('/open-data/statistics.json') ? json(FIGURES) : null), async () => {
    const box = await fixture<HTMLDivElement>(html`<div style="width: ${width}px"><overa-stats server=${url} lang=${lang}></overa-stats></div>`);
    el = box.querySelector('overa-stats')!;
    while (el.state === 'loading') await new Promise<void>((resolve) => el.addEventListener('overa-stats-loaded', () => resolve(), { once: true }));
    await el.updateComplete;
  });
  return el;
}

function checkFits(el: OveraStats, label: string): void {
  const root = el.shadowRoot!;
  const wrap = root.querySelector<HTMLElement>('.table-wrap')!;
  const table = root.querySelector('table')!;
  expect(wrap.scrollWidth, `${label}: the table does not scroll sideways`).to.be.at.most(wrap.clientWidth);
  expect(el.scrollWidth, `${label}: nothing overflows the element`).to.be.at.most(el.clientWidth);
  expect(document.documentElement.scrollWidth, `${label}: nor the page`).to.be.at.most(window.innerWidth);
  const box = wrap.getBoundingClientRect();
  // Every cell that is shown lies inside the column: none is cut off.
  for (const cell of table.querySelectorAll<HTMLElement>('tbody th, tbody td, caption')) {
    const r = cell.getBoundingClientRect();
    expect(r.left, `${label}: ${cell.textContent} starts inside`).to.be.at.least(box.left - 0.5);
    expect(r.right, `${label}: ${cell.textContent} ends inside`).to.be.at.most(box.right + 0.5);
  }
}

async function checkAxe(el: OveraStats, label: string): Promise<void> {
  await expect(el).to.be.accessible();
  // `ignoreLength`: axe leaves one-character text ("9") for review in case it is an icon font's glyph; ours are digits.
  const result = await axe().run(el.shadowRoot!.querySelector('.table-wrap')!, {
    runOnly: ['color-contrast', 'th-has-data-cells'],
    checks: { 'color-contrast': { options: { ignoreLength: true } } },
  });
  expect(result.violations.map((v) => v.id), `${label}: violations`).to.deep.equal([]);
  expect(result.incomplete.map((i) => `${i.id}: ${i.nodes.map((n) => n.html.slice(0, 80)).join(', ')}`), `${label}: needs review`).to.deep.equal([]);
  // The chart's text, which axe cannot judge (SVG): at least 4.5:1 against the element's background.
  const background = getComputedStyle(el).backgroundColor;
  expect(background, 'the element paints its own background').to.not.equal('rgba(0, 0, 0, 0)');
  const surface = background;
  for (const text of el.shadowRoot!.querySelectorAll<SVGTextElement>('svg text')) {
    expect(contrast(getComputedStyle(text).fill, surface), `${label}: chart text "${text.textContent}"`).to.be.at.least(4.5);
  }
}

describe('<overa-stats> fits its column', () => {
  before(async () => {
    // axe is loaded by the first accessible() check; run one so `window.axe` is there.
    const el = await fixture(html`<p>axe</p>`);
    await expect(el).to.be.accessible();
  });

  after(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  for (const lang of ['en', 'sr-Cyrl']) {
    it(`at 1280 px, all ten columns side by side (${lang})`, async () => {
      const el = await render(1280, lang);
      const table = el.shadowRoot!.querySelector('table')!;
      expect(getComputedStyle(table).display).to.equal('table');
      const headers = [...table.tHead!.rows[0]!.cells];
      expect(headers).to.have.length(10);
      checkFits(el, `1280 ${lang}`);
      const box = el.shadowRoot!.querySelector('.table-wrap')!.getBoundingClientRect();
      for (const th of headers) {
        const r = th.getBoundingClientRect();
        expect(r.right, `header "${th.textContent}" is not cut`).to.be.at.most(box.right + 0.5);
        expect(r.width, `header "${th.textContent}" is shown`).to.be.greaterThan(20);
      }
      // No blank band: the header row starts under the caption and is as tall as its tallest header's text.
      const caption = table.caption!.getBoundingClientRect();
      const row = table.tHead!.rows[0]!.getBoundingClientRect();
      expect(Math.abs(row.top - caption.bottom)).to.be.below(1);
      const tallest = Math.max(...headers.map((th) => {
        const range = document.createRange();
        range.selectNodeContents(th);
        return range.getBoundingClientRect().height;
      }));
      const padding = (th: Element) => parseFloat(getComputedStyle(th).paddingTop) + parseFloat(getComputedStyle(th).paddingBottom);
      expect(row.height).to.be.at.most(tallest + padding(headers[0]!) + 2);
      await checkAxe(el, `1280 ${lang}`);
    });

    it(`at 375 px, each month a card of figures (${lang})`, async () => {
      const el = await render(375, lang);
      const table = el.shadowRoot!.querySelector('table')!;
      checkFits(el, `375 ${lang}`);
      // The column headers are there for assistive technology, not drawn (no band above the cards).
      const head = table.tHead!.getBoundingClientRect();
      expect(head.height).to.be.at.most(1);
      const caption = table.caption!.getBoundingClientRect();
      const firstGroup = table.tBodies[0]!.rows[0]!.getBoundingClientRect();
      expect(firstGroup.top - caption.bottom).to.be.below(1);
      // Each figure shows its column's name beside it.
      const cell = table.tBodies[1]!.rows[2]!.cells[1]!;
      expect(cell.dataset.label).to.equal(table.tHead!.rows[0]!.cells[1]!.textContent!.trim());
      expect(getComputedStyle(cell, '::before').content).to.contain(cell.dataset.label!);
      expect(cell.getAttribute('headers')).to.equal('col-0 group-1 row-1-1');
      await checkAxe(el, `375 ${lang}`);
    });
  }

  it('fits just above the width where it turns into cards, in the longest language', async () => {
    // The element's border and padding (1 + 20 px a side) around the table's box.
    const el = await render(1280, 'sr-Cyrl', 40 * 16 + 1 + 42);
    expect(el.shadowRoot!.querySelector<HTMLElement>('.table-wrap')!.clientWidth).to.equal(641);
    expect(getComputedStyle(el.shadowRoot!.querySelector('table')!).display).to.equal('table');
    checkFits(el, '681 sr-Cyrl');
  });
});
