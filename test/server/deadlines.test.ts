/**
 * Legal deadlines end to end (issue 20, item 2) through the real HTTP API, the real outbox
 * worker, nodemailer and a real SMTP server on loopback (`smtp-server`), with the server's clock
 * moved rather than waited for:
 * - the due date of a case is computed at submission with the configured public holidays
 *   (working days across weekends and holidays; calendar days whose last day moves off a holiday;
 *   Europe/Belgrade's daylight saving), stops while the application is returned and runs again
 *   on resubmission;
 * - the inbox shows it, sorts by it and filters "due soon" / "overdue" (keyset pages included);
 * - the deadline job mails the assignees once per threshold, the head once when overdue, in each
 *   official's language and script, with no answers in the mail — also with two runs at once;
 * - the open-data statistics count the decisions made on time;
 * - a reminder or notice nobody could be told of (no confirmed address) is not recorded as sent:
 *   each run tries again, and it goes, once, to whoever confirms an address later.
 * Runs on SQLite, and on PostgreSQL with DATABASE_URL.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { startTestServer, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { assertProblem } from '../helpers/problems.ts';
import { checkAgainstOpenApi } from '../helpers/openapi.ts';
import { JMBG, residence } from '../helpers/sample-data.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY, DEMO_RECEIVING_AGENCY } from '../../server/seed.ts';
import { createOutboxWorker, type OutboxWorker } from '../../server/services/outbox.ts';
import { mailHandlers } from '../../server/services/mail.ts';
import { runDeadlineJob, runningPeriods } from '../../server/services/deadlines.ts';
import { deadlines } from '../../server/db/deadlines.ts';
import type { CaseDeadline, CaseView, InboxItem, OpenDataStatistics, Page } from '../../components/core/api.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const BACK_OFFICE = 'https://opstina.example.rs/sluzbenici';

/** Europe/Belgrade local time → epoch ms (the offset given, as the test knows it). */
const local = (isoWithOffset: string) => Date.parse(isoWithOffset);

interface Mail { to: string; subject: string; text: string; html: string }

let smtp: SMTPServer;
const mails: Mail[] = [];
let server: TestServer;
let worker: OutboxWorker;
let dir: string;
let ana: Account;
let boris: Account;
let vesna: Account;
let clerk: Account;
let clerk2: Account;
let head: Account;
const cases: Record<'dst' | 'calendar' | 'quick' | 'paused' | 'memo', { id: string; trackingNumber: string }> = {} as never;

before(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((m) => {
        const to = Array.isArray(m.to) ? m.to[0]! : m.to!;
        mails.push({ to: to.value[0]!.address!, subject: m.subject ?? '', text: m.text ?? '', html: typeof m.html === 'string' ? m.html : '' });
        callback();
      }, (err: Error) => callback(err));
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const smtpPort = (smtp.server.address() as { port: number }).port;

  // The forms: two examples, and a copy of the certificate of residence with a time limit of 5 working days.
  dir = mkdtempSync(join(tmpdir(), 'overa-deadlines-'));
  const forms = join(dir, 'forms');
  mkdirSync(forms);
  for (const f of ['certificate-of-residence.json', 'internal-memo.json']) writeFileSync(join(forms, f), readFileSync(join(EXAMPLES, f)));
  const quick = JSON.parse(readFileSync(join(EXAMPLES, 'certificate-of-residence.json'), 'utf8')) as Record<string, unknown>;
  quick.id = 'quick-residence';
  quick.deadline = { days: 5, kind: 'working' };
  writeFileSync(join(forms, 'quick-residence.json'), JSON.stringify(quick));
  // Another agency's form whose officials have no address at first: 3 calendar days.
  const quiet = { ...quick, id: 'quiet-residence', agencyId: DEMO_RECEIVING_AGENCY.id, deadline: { days: 3, kind: 'calendar' },
    approvalLine: [{ id: 'review', kind: 'review', assignee: { role: 'registrar' } }, { id: 'approve', kind: 'approve', assignee: { role: 'head' } }] };
  writeFileSync(join(forms, 'quiet-residence.json'), JSON.stringify(quiet));
  // The public holidays from a file, as an agency would configure them (a test list, not a real year's).
  writeFileSync(join(dir, 'holidays.txt'), '# test holidays\n2027-04-30 2027-05-01\n2027-05-02, 2027-05-03\n2027-05-04\n');
  // Sessions must outlive the months the clock is moved by.
  writeFileSync(join(dir, 'overa.config.json'), JSON.stringify({ sessionTtl: 3 * 365 * 24 * 3600 }));

  server = await startTestServer({
    OVERA_FORMS_DIR: forms, OVERA_CONFIG: join(dir, 'overa.config.json'),
    OVERA_PUBLIC_HOLIDAYS: join(dir, 'holidays.txt'),
    OVERA_DEADLINE_REMINDER_DAYS: '5,1', OVERA_DEADLINE_SOON_DAYS: '3', OVERA_OPEN_DATA_MIN_COUNT: '1',
    OVERA_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, OVERA_MAIL_FROM: 'Opština Novi Primer <no-reply@opstina.example.rs>',
    OVERA_BACK_OFFICE_URL: BACK_OFFICE,
    OVERA_OUTBOX_POLL_MS: '20', OVERA_OUTBOX_BACKOFF_MS: '50', OVERA_OUTBOX_BACKOFF_MAX_MS: '200',
  });
  const now = Date.now();
  await seedDemo(server.db, now);
  ana = await registerAccount(server, 'Ana Anić');
  boris = await registerAccount(server, 'Boris Borić');
  vesna = await registerAccount(server, 'Vesna Vesić');
  clerk = await registerAccount(server, 'Petar Službenik', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, now));
  clerk2 = await registerAccount(server, 'Jelena Referent', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, now));
  head = await registerAccount(server, 'Милан Начелник', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['head'] }, now));
  worker = createOutboxWorker(server.app.deps, mailHandlers(server.app.deps));
  worker.start();
});
after(async () => {
  await worker.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function ok<T>(res: ApiResponse<T>, status = 200): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

/** Sets the server's clock. Only ever forward: the outbox worker claims by it. */
function clockAt(at: number): void {
  server.clock.offset = at - Date.now();
}

async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const limit = Date.now() + 60_000;
  while (!(await done())) {
    if (Date.now() > limit) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Everything queued has been delivered (or failed). */
async function drained(): Promise<void> {
  worker.wake();
  await until(async () => {
    const row = await server.db('outbox_messages').whereIn('state', ['queued', 'delivering']).count({ n: '*' }).first();
    return Number(row!.n) === 0;
  }, 'the outbox to drain');
}

async function confirmAddress(who: Account, address: string, lang: string): Promise<void> {
  const before = mails.length;
  ok(await server.api('PUT', '/api/v1/me/email', { token: who.token, body: { address, lang } }), 202);
  await until(() => mails.slice(before).some((m) => m.to === address), 'the confirmation code');
  const code = /\b(\d{6})\b/.exec(mails.slice(before).find((m) => m.to === address)!.text)![1]!;
  ok(await server.api('POST', '/api/v1/me/email/confirm', { token: who.token, body: { code } }));
}

async function submitNew(who: Account, formId: string, data: Record<string, unknown> = residence()): Promise<{ id: string; trackingNumber: string }> {
  const a = ok(await server.api<{ id: string; trackingNumber: string }>('POST', '/api/v1/applications', { token: who.token, body: { formId, formVersion: 1, data } }), 201);
  ok(await server.api('POST', `/api/v1/applications/${a.id}/submit`, { token: who.token, body: {} }));
  return a;
}

async function decide(who: Account, appId: string, step: string, decision: string, comment?: string): Promise<void> {
  const current = await server.api<{ version: number }>('GET', `/api/v1/cases/${appId}`, { token: who.token });
  const body = { subject: { type: 'decision', id: `${appId}:${step}` }, action: decision, ...(comment === undefined ? {} : { context: { comment } }) };
  const o = ok(await server.api<{ flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }>('POST', '/api/v1/signatures/options', { token: who.token, body }));
  const credential = await who.authenticator.get(o.publicKey);
  const signatureId = ok(await server.api<{ id: string }>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: o.flowId, credential } }), 201).id;
  ok(await server.api('POST', `/api/v1/cases/${appId}/decisions`, {
    token: who.token, headers: { 'If-Match': current.headers.get('etag') ?? '' }, body: { step, decision, signatureId, ...(comment ? { comment } : {}) },
  }));
}

async function deadlineOf(id: string): Promise<CaseDeadline | null> {
  const res = await server.api<CaseView>('GET', `/api/v1/cases/${id}`, { token: clerk.token });
  checkAgainstOpenApi('GET', '/api/v1/cases/{id}', res.status, res.body, res.headers.get('content-type'), res.headers);
  return ok(res).deadline;
}

async function inbox(query: string, who = clerk): Promise<Page<InboxItem>> {
  const res = await server.api<Page<InboxItem>>('GET', `/api/v1/inbox${query}`, { token: who.token });
  checkAgainstOpenApi('GET', '/api/v1/inbox', res.status, res.body, res.headers.get('content-type'), res.headers);
  return ok(res);
}

const running = (dueDate: string, dueAt: string, daysLeft: number, status: CaseDeadline['status']): CaseDeadline => ({
  state: 'running', dueDate, dueAt, daysLeft, status, remainingDays: null,
});

/** The deadline mails about a case (not the applicant's own, e.g. the memo's drafter's "received"). */
const mailsAbout = (trackingNumber: string, to?: string) => mails.filter((m) => m.subject.includes(trackingNumber) && /time limit|overdue|rok|рок/.test(m.subject) && (to === undefined || m.to === to));

describe('legal deadlines', () => {
  before(async () => {
    // Officials give an address as citizens do (PUT /me/email), in their own language and script.
    await confirmAddress(clerk, 'petar@opstina.example.rs', 'sr-Latn');
    await confirmAddress(clerk2, 'jelena@opstina.example.rs', 'en');
    await confirmAddress(head, 'milan@opstina.example.rs', 'sr-Cyrl');
  });

  test('the clock starts at submission: 30 calendar days across the change to summer time', async () => {
    // Friday 5 March 2027, 10:00 CET. Day 30 is Sunday 4 April: the last day moves to Monday 5 April,
    // which ends at 23:59:59.999 CEST (UTC+2), not CET.
    clockAt(local('2027-03-05T10:00:00+01:00'));
    cases.dst = await submitNew(ana, 'certificate-of-residence');
    clockAt(local('2027-03-06T09:00:00+01:00'));
    assert.deepEqual(await deadlineOf(cases.dst.id), running('2027-04-05', '2027-04-05T21:59:59.999Z', 30, 'on-time'));
  });

  test('calendar days: a last day on a public holiday moves to the next working day', async () => {
    // Thursday 1 April 2027 + 30 days = Saturday 1 May, a holiday; 2 May a Sunday, 3 and 4 May holidays: Wednesday 5 May.
    clockAt(local('2027-04-01T10:00:00+02:00'));
    cases.calendar = await submitNew(boris, 'certificate-of-residence');
    assert.deepEqual(await deadlineOf(cases.calendar.id), running('2027-05-05', '2027-05-05T21:59:59.999Z', 34, 'on-time'));
  });

  test('working days skip weekends and holidays; the clock stops while returned and runs again on resubmission', async () => {
    // Wednesday 28 April: Thursday 29 (1); 30 April to 4 May holidays and a weekend; 5 (2), 6 (3), 7 (4), Monday 10 May (5).
    clockAt(local('2027-04-28T10:00:00+02:00'));
    cases.quick = await submitNew(ana, 'quick-residence');
    cases.paused = await submitNew(vesna, 'quick-residence', residence({ firstName: 'Vesna', lastName: 'Vesić' }));
    cases.memo = await (async () => {
      const memo = ok(await server.api<{ id: string; trackingNumber: string }>('POST', '/api/v1/applications', {
        token: clerk2.token, body: { formId: 'internal-memo', formVersion: 1, data: { subject: 'Nabavka papira', body: 'Predlažem nabavku.' } },
      }), 201);
      ok(await server.api('POST', `/api/v1/applications/${memo.id}/submit`, { token: clerk2.token, body: {} }));
      return memo;
    })();
    assert.deepEqual(await deadlineOf(cases.quick.id), running('2027-05-10', '2027-05-10T21:59:59.999Z', 12, 'on-time'));
    assert.equal(await deadlineOf(cases.memo.id), null, 'a form without a deadline: no due date');

    // Returned on Thursday 29 April: that day counted (1 of 5), the clock stops with 4 left.
    clockAt(local('2027-04-29T11:00:00+02:00'));
    await decide(clerk, cases.paused.id, 'review', 'return', 'Priložite dokaz o adresi.');
    assert.deepEqual(await deadlineOf(cases.paused.id), { state: 'paused', dueDate: null, dueAt: null, daysLeft: null, status: null, remainingDays: 4 });
    // Resubmitted on Wednesday 5 May: counting from the next day, 6 (1), 7 (2), 10 (3), Tuesday 11 May (4).
    clockAt(local('2027-05-05T09:00:00+02:00'));
    ok(await server.api('POST', `/api/v1/applications/${cases.paused.id}/submit`, { token: vesna.token, body: {} }));
    assert.deepEqual(await deadlineOf(cases.paused.id), running('2027-05-11', '2027-05-11T21:59:59.999Z', 6, 'on-time'));
    // The periods as the history gives them (to the minute: the test clock runs on in real time).
    const history = await server.db('audit_log').where({ subject_type: 'application', subject_id: cases.paused.id }).orderBy('seq').select('action', 'at');
    const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;
    const periods = runningPeriods(history.map((h: { action: string; at: string | number }) => ({ action: h.action, at: Number(h.at) })));
    assert.deepEqual(periods.map((p) => ({ start: minute(p.start), ...(p.end === undefined ? {} : { end: minute(p.end) }) })), [
      { start: local('2027-04-28T10:00:00+02:00'), end: local('2027-04-29T11:00:00+02:00') },
      { start: local('2027-05-05T09:00:00+02:00') },
    ]);
  });

  test('the first job run: reminders at the thresholds reached, the head told of what is overdue, each once', async () => {
    // 5 May 09:30. quick: 5 days left (threshold 5); calendar: its last day (5 and 1 reached: one mail);
    // paused: 6 days left (none yet); dst: overdue since 5 April (the head); memo: no deadline.
    clockAt(local('2027-05-05T09:30:00+02:00'));
    // Pages of one case, so that the job's paging is walked too.
    const [first, second] = await Promise.all([runDeadlineJob(server.app.deps, { batch: 1 }), runDeadlineJob(server.app.deps, { batch: 1 })]);
    assert.deepEqual({ reminders: first.reminders + second.reminders, overdueNotices: first.overdueNotices + second.overdueNotices }, { reminders: 4, overdueNotices: 1 },
      'two runs at once (two instances) send each once: 2 cases × 2 clerks with an address, 1 head');
    assert.deepEqual(await runDeadlineJob(server.app.deps), { backfilled: 0, reminders: 0, overdueNotices: 0 }, 'a run later the same day sends nothing again');
    await drained();

    const [toPetar] = mailsAbout(cases.quick.trackingNumber, 'petar@opstina.example.rs');
    assert.equal(mailsAbout(cases.quick.trackingNumber).length, 2, 'both clerks (the role of the pending step), once each');
    assert.equal(toPetar!.subject, `Predmet ${cases.quick.trackingNumber}: rok ističe 10. 5. 2027.`);
    assert.match(toPetar!.text, /Preostalo dana: 5\./);
    assert.ok(toPetar!.text.includes(BACK_OFFICE), 'links to the back office');
    const [toJelena] = mailsAbout(cases.quick.trackingNumber, 'jelena@opstina.example.rs');
    assert.equal(toJelena!.subject, `Case ${cases.quick.trackingNumber}: the time limit ends on 2027-05-10`);
    assert.match(mailsAbout(cases.calendar.trackingNumber, 'petar@opstina.example.rs')[0]!.text, /Preostalo dana: 0\./);
    assert.equal(mailsAbout(cases.calendar.trackingNumber).length, 2);

    const [notice, ...more] = mailsAbout(cases.dst.trackingNumber);
    assert.equal(more.length, 0);
    assert.equal(notice!.to, 'milan@opstina.example.rs', 'only the head');
    assert.equal(notice!.subject, `Предмет ${cases.dst.trackingNumber} је прекорачио рок`);
    assert.match(notice!.text, /истекао је 5\. 4\. 2027\./);
    assert.equal(mailsAbout(cases.memo.trackingNumber).length + mailsAbout(cases.paused.trackingNumber).length, 0);

    // No answers or names of the applicants in any of them.
    for (const m of mails.filter((x) => x.to.endsWith('@opstina.example.rs') && !/potvrd|confirm|потврд/i.test(x.subject))) {
      for (const secret of ['Ana', 'Anić', 'Boris', 'Vesna', JMBG, 'Bulevar', 'adres']) {
        assert.equal(`${m.subject}\n${m.text}\n${m.html}`.includes(secret), false, `"${secret}" in "${m.subject}"`);
      }
    }
  });

  test('the inbox shows the due date, filters due soon / overdue and sorts by it', async () => {
    // Friday 7 May 12:00: dst and calendar overdue; quick due Monday (3 days: soon); paused due Tuesday (4: on time).
    clockAt(local('2027-05-07T12:00:00+02:00'));
    const all = await inbox('?limit=20');
    const byId = new Map(all.items.map((i) => [i.id, i.deadline]));
    assert.deepEqual(byId.get(cases.quick.id), running('2027-05-10', '2027-05-10T21:59:59.999Z', 3, 'due-soon'));
    assert.deepEqual(byId.get(cases.paused.id), running('2027-05-11', '2027-05-11T21:59:59.999Z', 4, 'on-time'));
    assert.deepEqual(byId.get(cases.calendar.id), running('2027-05-05', '2027-05-05T21:59:59.999Z', -2, 'overdue'));
    assert.equal(byId.get(cases.memo.id), null);

    assert.deepEqual(new Set((await inbox('?due=overdue')).items.map((i) => i.id)), new Set([cases.dst.id, cases.calendar.id]));
    assert.deepEqual((await inbox('?due=soon')).items.map((i) => i.id), [cases.quick.id]);
    assert.deepEqual((await inbox('?due=soon&status=returned')).items, [], 'only open cases are due');
    assert.deepEqual((await inbox('?due=overdue&sort=due')).items.map((i) => i.id), [cases.dst.id, cases.calendar.id]);
    assert.deepEqual((await inbox('?due=overdue&assigned=role')).items.map((i) => i.id).sort(), [cases.dst.id, cases.calendar.id].sort(), 'with the other filters');

    // Soonest due first, without a due date last; page by page with the cursor.
    const order = [cases.dst.id, cases.calendar.id, cases.quick.id, cases.paused.id, cases.memo.id];
    assert.deepEqual((await inbox('?sort=due')).items.map((i) => i.id), order);
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: Page<InboxItem> = await inbox(`?sort=due&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    }
    assert.deepEqual(seen, order, 'keyset pages of the due order');
    const submittedCursor = (await inbox('?limit=1')).nextCursor!;
    assertProblem(await server.api('GET', `/api/v1/inbox?sort=due&cursor=${submittedCursor}`, { token: clerk.token }), 400, 'cursor');
    assertProblem(await server.api('GET', '/api/v1/inbox?due=later', { token: clerk.token }), 400, 'due');
    assertProblem(await server.api('GET', '/api/v1/inbox?sort=name', { token: clerk.token }), 400, 'sort');

    // The overdue calendar case: the head is told at this run, once.
    const run = await runDeadlineJob(server.app.deps);
    assert.equal(run.overdueNotices, 1);
    // paused: 4 days left now, the 5-day threshold reached: both clerks.
    assert.equal(run.reminders, 2);
  });

  test('the next thresholds and the overdue notice, each once; decided cases count on time or late', async () => {
    await drained();
    // Sunday 9 May: quick has 1 day left.
    clockAt(local('2027-05-09T10:00:00+02:00'));
    assert.deepEqual(await runDeadlineJob(server.app.deps), { backfilled: 0, reminders: 2, overdueNotices: 0 });
    // The dst case is decided late (due 5 April); paused is approved on time.
    await decide(clerk, cases.dst.id, 'review', 'review');
    await decide(head, cases.dst.id, 'approve', 'approve');
    await decide(clerk, cases.paused.id, 'review', 'review');
    await decide(head, cases.paused.id, 'approve', 'approve');
    assert.deepEqual(await deadlineOf(cases.paused.id), { state: 'closed', dueDate: '2027-05-11', dueAt: null, daysLeft: null, status: null, remainingDays: null });
    // Decided cases are no longer due: in the due order they follow the open ones, with the memo.
    assert.deepEqual((await inbox('?sort=due')).items.map((i) => i.id), [cases.calendar.id, cases.quick.id, ...[cases.dst.id, cases.paused.id, cases.memo.id].sort()]);
    assert.deepEqual((await inbox('?due=overdue')).items.map((i) => i.id), [cases.calendar.id], 'the late decision is no longer overdue');
    // A case whose due date was never stored (submitted before migration 015): the job computes it from the history.
    await server.db('applications').where({ id: cases.quick.id }).update({ due_at: null, due_date: null });
    assert.equal((await runDeadlineJob(server.app.deps)).backfilled, 1);
    assert.deepEqual(await deadlineOf(cases.quick.id), running('2027-05-10', '2027-05-10T21:59:59.999Z', 1, 'due-soon'));
    // Tuesday 11 May 00:30: quick's last day (Monday) has ended.
    clockAt(local('2027-05-11T00:30:00+02:00'));
    assert.deepEqual(await runDeadlineJob(server.app.deps), { backfilled: 0, reminders: 0, overdueNotices: 1 });
    assert.deepEqual(await runDeadlineJob(server.app.deps), { backfilled: 0, reminders: 0, overdueNotices: 0 });
    await drained();

    assert.deepEqual((await deadlines.sentFor(server.db, cases.quick.id)).map((r) => [r.dueDate, r.threshold]), [['2027-05-10', 5], ['2027-05-10', 1], ['2027-05-10', -1]]);
    const quickMails = mailsAbout(cases.quick.trackingNumber);
    assert.equal(quickMails.filter((m) => m.to === 'petar@opstina.example.rs').length, 2, 'threshold 5 and threshold 1, once each');
    assert.equal(quickMails.filter((m) => m.to === 'milan@opstina.example.rs').length, 1, 'one overdue notice to the head');
    assert.match(quickMails.find((m) => m.to === 'jelena@opstina.example.rs' && /Days left: 1\./.test(m.text))?.subject ?? '', /the time limit ends on 2027-05-10/);

    const stats = ok(await server.api<OpenDataStatistics>('GET', '/api/v1/open-data/statistics.json'));
    const rowOf = (formId: string, month: string) => stats.rows.find((r) => r.formId === formId && r.month === month)!;
    // March: the dst case, decided after its due date. A count of 0 is suppressed like any below the minimum; the share is 0 %.
    assert.deepEqual([rowOf('certificate-of-residence', '2027-03').decidedOnTime, rowOf('certificate-of-residence', '2027-03').onTimePercent], [
      { value: null, suppressed: true }, { value: 0, suppressed: false },
    ], 'decided after its due date: late');
    // April: the calendar case is still open (not counted); quick-residence: paused, decided on time after its return.
    assert.deepEqual([rowOf('certificate-of-residence', '2027-04').decidedOnTime, rowOf('certificate-of-residence', '2027-04').onTimePercent], [
      { value: null, suppressed: false }, { value: null, suppressed: false },
    ], 'nothing decided yet: nothing to publish');
    assert.deepEqual([rowOf('quick-residence', '2027-04').decidedOnTime, rowOf('quick-residence', '2027-04').onTimePercent], [
      { value: 1, suppressed: false }, { value: 100, suppressed: false },
    ]);
  });
});

describe('reminders nobody could be told of', () => {
  test('are not recorded as sent: each run tries again, and whoever confirms an address later gets it, once', async () => {
    await drained();
    // Invites by the server's clock, which the tests above moved on.
    const now = server.app.deps.now();
    const registrar = await registerAccount(server, 'Radoš Registrar', await createInvite(server.db, { agencyId: DEMO_RECEIVING_AGENCY.id, roles: ['registrar'] }, now));
    const rgzHead = await registerAccount(server, 'Goran Šef', await createInvite(server.db, { agencyId: DEMO_RECEIVING_AGENCY.id, roles: ['head'] }, now));
    // Wednesday 12 May: a case of the other agency (its officials have no address yet), due in 3 days (Saturday 15 May, or later).
    clockAt(local('2027-05-12T10:00:00+02:00'));
    const quiet = await submitNew(ana, 'quiet-residence');
    const { due_date: quietDue } = await server.db('applications').where({ id: quiet.id }).first('due_date') as { due_date: string };
    assert.ok(quietDue >= '2027-05-15' && quietDue < '2027-05-20', quietDue);
    // Thursday 13 May: a case of the first agency, due 20 May (5 working days), after the quiet one.
    clockAt(local('2027-05-13T10:00:00+02:00'));
    const told = await submitNew(boris, 'quick-residence');
    const sent = async (id: string) => (await deadlines.sentFor(server.db, id)).map((r) => r.threshold);

    // The 5-day threshold is reached, but the registrar has no address: nothing queued, nothing recorded.
    assert.equal((await runDeadlineJob(server.app.deps)).reminders, 0);
    assert.deepEqual(await sent(quiet.id), []);
    assert.equal((await runDeadlineJob(server.app.deps)).reminders, 0, 'tried again, still nobody');
    assert.deepEqual(await sent(quiet.id), []);
    // Once the registrar confirms an address, the next run sends it, and only once.
    await confirmAddress(registrar, 'rados@rgz.example.rs', 'en');
    assert.equal((await runDeadlineJob(server.app.deps)).reminders, 1);
    assert.deepEqual(await sent(quiet.id), [5]);
    assert.equal((await runDeadlineJob(server.app.deps)).reminders, 0);
    await drained();
    assert.equal(mailsAbout(quiet.trackingNumber, 'rados@rgz.example.rs').length, 1);

    // Friday 21 May: both overdue. The other agency's head has no address: not recorded, and it does not
    // hold back the case after it (pages of one case: the notice of the told case still goes).
    clockAt(local('2027-05-21T10:00:00+02:00'));
    assert.equal((await runDeadlineJob(server.app.deps, { batch: 1 })).overdueNotices, 1);
    assert.ok((await sent(told.id)).includes(-1));
    assert.ok(!(await sent(quiet.id)).includes(-1));
    await confirmAddress(rgzHead, 'goran@rgz.example.rs', 'sr-Latn');
    assert.equal((await runDeadlineJob(server.app.deps, { batch: 1 })).overdueNotices, 1);
    assert.deepEqual(await sent(quiet.id), [5, -1]);
    assert.equal((await runDeadlineJob(server.app.deps, { batch: 1 })).overdueNotices, 0);
    await drained();
    assert.deepEqual(mailsAbout(quiet.trackingNumber, 'goran@rgz.example.rs').map((m) => m.subject), [`Predmet ${quiet.trackingNumber} je prekoračio rok`]);
  });
});
