import { expect, fixture, html } from '@open-wc/testing';
import '../../components/stats/define.ts';
import type { OveraStats } from '../../components/stats/stats.ts';
import { OveraClient, createApplication, submitApplication } from '../../components/client/index.ts';
import type { OpenDataRow, OpenDataStatistics } from '../../components/core/api.ts';
import { jmbgControlDigit } from '../../components/core/forms/validators.ts';
import { VirtualAuthenticator } from '../helpers/webauthn.ts';
import { overaServer } from '../helpers/overa-server.ts';
import { withFetch } from '../helpers/fetch.ts';

type El = OveraStats;

const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends Element = Element>(el: Element, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];
const part = <T extends Element = HTMLElement>(el: Element, name: string): T | null => $<T>(el, `[part~="${name}"]`);
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

const JMBG = '010199071000' + jmbgControlDigit('010199071000');
const RESIDENCE = 'Apply for a certificate of residence';

/** Resolves once `done()` holds, checking after each render of the element (no timers). */
async function until(el: El, done: () => boolean): Promise<void> {
  while (!done()) {
    await new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        resolve();
      });
      observer.observe(el.shadowRoot!, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await el.updateComplete;
  }
}

const settled = (el: El) => until(el, () => el.state !== 'loading');

/** The month now, in Serbia (`YYYY-MM`): the month the requests made here are counted in. */
function thisMonth(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Belgrade' }).format(new Date()).slice(0, 7);
}

const shown = (value: number) => ({ value, suppressed: false });
const hidden = { value: null, suppressed: true };

/** Figures as the server would publish them: two services, small counts withheld. */
const FIXED: OpenDataStatistics = {
  asOf: '2026-04-15',
  timeZone: 'Europe/Belgrade',
  minCount: 5,
  filters: { agency: null, form: null, from: null, to: null },
  agencies: [{ id: 'novi-primer', name: 'Gradska uprava Novi Primer' }],
  forms: [
    { id: 'birth-register-extract', title: { 'sr-Latn': 'Zahtev za izvod iz matične knjige rođenih', en: 'Apply for an extract from the register of births' } },
    { id: 'certificate-of-residence', title: { 'sr-Latn': 'Zahtev za uverenje o prebivalištu', en: RESIDENCE } },
  ],
  rows: [
    { agencyId: 'novi-primer', formId: 'birth-register-extract', month: '2026-03', submitted: hidden, approved: hidden, returned: hidden, rejected: hidden, issued: hidden, finished: hidden, medianDays: hidden, p90Days: hidden, decidedOnTime: hidden, onTimePercent: hidden },
    { agencyId: 'novi-primer', formId: 'certificate-of-residence', month: '2026-02', submitted: shown(12), approved: shown(9), returned: hidden, rejected: hidden, issued: shown(9), finished: shown(11), medianDays: shown(2.5), p90Days: shown(7), decidedOnTime: shown(10), onTimePercent: shown(90.9) },
    { agencyId: 'novi-primer', formId: 'certificate-of-residence', month: '2026-03', submitted: shown(1234), approved: shown(1100), returned: shown(40), rejected: shown(9), issued: shown(1100), finished: shown(1109), medianDays: shown(1.2), p90Days: shown(3.5), decidedOnTime: shown(1000), onTimePercent: shown(90.2) },
  ],
};

const json = (body: unknown, status = 200) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status === 200 ? 'application/json' : 'application/problem+json' } }));

describe('<overa-stats>', () => {
  let url: string;

  before(async () => {
    url = await overaServer();
    // Five requests this month, through the real API: at the minimum, so the count is published.
    // (The server is shared with the other test files: the figures are compared with what it says.)
    const authenticator = await VirtualAuthenticator.add();
    try {
      const citizen = new OveraClient(url, { persist: 'memory' });
      await citizen.register('Zorana Statistić', undefined, { persist: 'memory' });
      for (let i = 0; i < 5; i++) {
        const draft = await createApplication(citizen, {
          formId: 'certificate-of-residence', formVersion: 1,
          data: { firstName: 'Zorana', lastName: 'Statistić', jmbg: JMBG, street: 'Bulevar oslobođenja 12', place: 'Novi Primer', postalCode: '21000', purpose: 'employment', delivery: 'online', email: 'zorana@example.rs' },
        });
        await submitApplication(citizen, draft.id, draft.version);
      }
    } finally {
      await authenticator.remove();
    }
  });

  it('draws the real figures: a chart with a label and a title per bar, and a table with every number', async () => {
    const el = await fixture<El>(html`<overa-stats server=${url} form="certificate-of-residence" lang="en"></overa-stats>`);
    await settled(el);
    expect(el.state).to.equal('loaded');
    await expect(el).to.be.accessible();

    const published = (await (await fetch(`${url}/api/v1/open-data/statistics.json?form=certificate-of-residence`)).json()) as OpenDataStatistics;
    expect(el.statistics).to.deep.equal(published);
    const month = thisMonth();
    const current = published.rows.find((r) => r.month === month)!;
    expect(current.submitted.value).to.be.at.least(5);
    const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));

    // The chart: one image with its summary, a bar per month, each with a title.
    const charts = $$<SVGSVGElement>(el, 'svg[part~="chart"]');
    expect(charts).to.have.length(1);
    const chart = charts[0]!;
    expect(chart.getAttribute('role')).to.equal('img');
    const label = chart.getAttribute('aria-label')!;
    expect(label.startsWith(`${RESIDENCE}: requests submitted per month. `)).to.equal(true);
    expect(label).to.contain(`${monthName}: ${current.submitted.value!.toLocaleString('en-GB')} requests`);
    const bars = $$<SVGRectElement>(el, 'rect[part~="bar"]');
    expect(bars).to.have.length(published.rows.length);
    expect(bars.map((b) => text(b.querySelector('title')))).to.include(`${monthName}: ${current.submitted.value!.toLocaleString('en-GB')} requests`);
    expect(text(el.shadowRoot!.querySelector('figcaption'))).to.equal(RESIDENCE);
    // CSP (style-src 'self'): nothing is drawn with a style attribute.
    expect($$(el, '[style]')).to.have.length(0);

    // The table: caption, column headers, a row group per service, a row header per month.
    const table = part<HTMLTableElement>(el, 'table')!;
    expect(text(table.caption)).to.equal('Service performance by month');
    expect([...table.querySelectorAll('thead th')].map((th) => [th.getAttribute('scope'), text(th)])).to.deep.equal([
      ['col', 'Month'], ['col', 'Requests'], ['col', 'Approved'], ['col', 'Returned for changes'], ['col', 'Rejected'],
      ['col', 'Documents issued'], ['col', 'Decided'], ['col', 'Median time to decision (days)'], ['col', '9 in 10 decided within (days)'],
      ['col', 'Decided within the legal time limit'],
    ]);
    expect(text(table.querySelector('th[scope="rowgroup"]'))).to.equal(RESIDENCE);
    const rows = [...table.querySelectorAll('tbody tr:not(.group)')];
    expect(rows).to.have.length(published.rows.length);
    const row = rows.find((r) => text(r.querySelector('th[scope="row"]')) === monthName)!;
    const figures = (r: OpenDataRow) => [r.submitted, r.approved, r.returned, r.rejected, r.issued, r.finished];
    const expected = [
      ...figures(current).map((f) => (f.value === null ? 'fewer than 5' : f.value.toLocaleString('en-GB'))),
      ...[current.medianDays, current.p90Days].map((f) => (f.value === null ? 'fewer than 5' : f.value.toFixed(1))),
      // The share decided within the form's legal time limit (a dash when none was decided yet).
      ...[current.onTimePercent!].map((f) => (f.value === null ? (f.suppressed ? 'fewer than 5' : '–') : `${f.value}%`)),
    ];
    expect([...row.querySelectorAll('td')].map((td) => text(td))).to.deep.equal(expected);
    // Every withheld figure, and only those, is a "suppressed" cell.
    expect(row.querySelectorAll('[part~="suppressed"]').length).to.equal(expected.filter((t) => t === 'fewer than 5').length);

    // The same figures as files.
    const links = [...part(el, 'downloads')!.querySelectorAll('a')];
    expect(links.map((a) => text(a))).to.deep.equal(['Download the figures as CSV', 'Download the figures as JSON']);
    expect(links[0]!.href).to.equal(`${url}/api/v1/open-data/statistics.csv?form=certificate-of-residence&lang=en`);
    const csv = await fetch(links[0]!.href);
    expect(csv.headers.get('content-type')).to.equal('text/csv; charset=utf-8');
    const csvText = await csv.text();
    expect(csvText.split('\r\n')[0]).to.equal('agency_id,agency_name,form_id,form_title,month,submitted,approved,returned,rejected,issued,finished,median_days,p90_days,note,decided_on_time,on_time_percent');
    // No personal data anywhere: not the applicant's name, personal number or email.
    for (const body of [JSON.stringify(published), csvText, el.shadowRoot!.innerHTML]) {
      for (const secret of ['Zorana', 'Statistić', JMBG, 'zorana@example.rs']) expect(body).not.to.contain(secret);
    }
  });

  it('shows withheld figures as "fewer than 5", a dashed bar for them, a chart per service', async () => {
    await withFetch((u) => (u.includes('/open-data/statistics.json') ? json(FIXED) : null), async () => {
      const el = await fixture<El>(html`<overa-stats server=${url} lang="en"></overa-stats>`);
      await settled(el);
      expect(el.state).to.equal('loaded');
      await expect(el).to.be.accessible();
      const charts = $$<SVGSVGElement>(el, 'svg[part~="chart"]');
      expect(charts.map((c) => c.getAttribute('aria-label'))).to.deep.equal([
        'Apply for an extract from the register of births: requests submitted per month. March 2026: fewer than 5 requests',
        `${RESIDENCE}: requests submitted per month. February 2026: 12 requests; March 2026: 1,234 requests`,
      ]);
      const suppressedBar = $<SVGRectElement>(el, 'rect[part~="bar"][part~="suppressed"]')!;
      expect(text(suppressedBar.querySelector('title'))).to.equal('March 2026: fewer than 5 requests');
      expect($$(el, 'rect[part~="suppressed"]')).to.have.length(1);
      // Under the bars: the month, and the year once (not "Feb 26", which reads as a day).
      expect([...charts[1]!.querySelectorAll('.month-label')].map((t) => t.textContent)).to.deep.equal(['Feb', '2026', 'Mar']);

      const groups = [...part<HTMLTableElement>(el, 'table')!.tBodies];
      expect(groups.map((g) => text(g.querySelector('th[scope="rowgroup"]')))).to.deep.equal(['Apply for an extract from the register of births', RESIDENCE]);
      const cells = (g: HTMLTableSectionElement, i: number) => [...g.querySelectorAll('tr:not(.group)')[i]!.querySelectorAll('th, td')].map((c) => text(c));
      expect(cells(groups[0]!, 0)).to.deep.equal(['March 2026', ...Array<string>(9).fill('fewer than 5')]);
      expect(cells(groups[1]!, 0)).to.deep.equal(['February 2026', '12', '9', 'fewer than 5', 'fewer than 5', '9', '11', '2.5', '7.0', '90.9%']);
      expect(cells(groups[1]!, 1)).to.deep.equal(['March 2026', '1,234', '1,100', '40', '9', '1,100', '1,109', '1.2', '3.5', '90.2%']);

      // On a phone each month is a card: nothing scrolls sideways (test/components/stats-layout.test.ts measures more).
      el.style.cssText = 'display: block; width: 320px';
      await el.updateComplete;
      const wrap = $<HTMLElement>(el, '.table-wrap')!;
      expect(wrap.scrollWidth <= wrap.clientWidth, 'the table fits').to.equal(true);
      el.style.cssText = '';
      expect(text(part(el, 'note'))).to.contain('numbers below 5 are not shown');
      expect(text(part(el, 'note'))).to.contain('Figures as of 15 April 2026.');
      expect($$(el, '[style]')).to.have.length(0);
    });
  });

  it('speaks Serbian in Cyrillic (sr-Cyrl), from the real server', async () => {
    const el = await fixture<El>(html`<overa-stats server=${url} form="certificate-of-residence" lang="sr-Cyrl"></overa-stats>`);
    await settled(el);
    expect(el.state).to.equal('loaded');
    await expect(el).to.be.accessible();
    const table = part<HTMLTableElement>(el, 'table')!;
    expect(text(table.caption)).to.equal('Учинак услуга по месецима');
    expect(text(table.querySelector('th[scope="rowgroup"]'))).to.equal('Захтев за уверење о пребивалишту');
    expect(text(el.shadowRoot!.querySelector('figcaption'))).to.equal('Захтев за уверење о пребивалишту');
    const monthName = new Intl.DateTimeFormat('sr-Cyrl', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${thisMonth()}-01T00:00:00Z`));
    expect([...table.querySelectorAll('th[scope="row"]')].map((th) => text(th))).to.include(monthName);
    expect(/[а-ш]/.test(monthName)).to.equal(true);
    expect(part(el, 'chart')!.getAttribute('aria-label')).to.match(/^Захтев за уверење о пребивалишту: број поднетих захтева по месецима\. /);
    // The visible words are Cyrillic; only the file formats' names stay in Latin letters.
    const words = text(el.shadowRoot!.querySelector('.stats')).replace(/CSV|JSON/g, '');
    expect(/[A-Za-z]/.test(words)).to.equal(false);
    expect(text(part(el, 'downloads'))).to.contain('Преузмите податке у формату CSV');
    expect(part<HTMLAnchorElement>(el, 'downloads')!.querySelector('a')!.href).to.contain('lang=sr-Cyrl');
  });

  it('says so when there are no figures yet (empty), and loads again when the filter changes', async () => {
    const el = await fixture<El>(html`<overa-stats server=${url} form="no-such-service" lang="en"></overa-stats>`);
    await settled(el);
    expect(el.state).to.equal('empty');
    expect(text(part(el, 'empty'))).to.equal('No requests have been made in this period yet. Figures appear here once requests are submitted online.');
    expect(part(el, 'chart')).to.equal(null);
    expect(part(el, 'table')).to.equal(null);
    await expect(el).to.be.accessible();

    el.form = 'certificate-of-residence';
    await until(el, () => el.state === 'loaded');
    expect(el.statistics!.filters.form).to.equal('certificate-of-residence');
  });

  it('shows an error with a retry when the server cannot be reached, and recovers', async () => {
    const el = await fixture<El>(html`<overa-stats server="http://localhost:9" lang="en"></overa-stats>`);
    await settled(el);
    expect(el.state).to.equal('error');
    const error = part(el, 'error')!;
    expect(text(error.querySelector('[role="alert"]'))).to.equal('There is a problem The service cannot be reached. Check your internet connection and try again.');
    await expect(el).to.be.accessible();

    el.server = url;
    await until(el, () => el.state !== 'error' && el.state !== 'loading');
    expect(el.state).to.equal('loaded');
  });

  it('an error from the server has a reference for support, and "Try again" loads again', async () => {
    let calls = 0;
    await withFetch(
      (u) => {
        if (!u.includes('/open-data/statistics.json')) return null;
        calls++;
        return calls === 1
          ? json({ type: 'https://overa.dev/problems/internal', title: 'Internal server error', status: 500, requestId: 'req-123' }, 500)
          : json(FIXED);
      },
      async () => {
        const el = await fixture<El>(html`<overa-stats server=${url} lang="en"></overa-stats>`);
        await settled(el);
        expect(el.state).to.equal('error');
        expect(text(part(el, 'error'))).to.contain('Reference for support: req-123');
        await expect(el).to.be.accessible();
        const loaded = new Promise<CustomEvent>((resolve) => el.addEventListener('overa-stats-loaded', (e) => resolve(e), { once: true }));
        part<HTMLButtonElement>(el, 'error')!.querySelector('button')!.click();
        const event = await loaded;
        expect(event.detail.statistics).to.deep.equal(FIXED);
        expect(event.bubbles && event.composed).to.equal(true);
        expect(el.state).to.equal('loaded');
      },
    );
  });
});
