/**
 * E-mail to citizens (issue 20, item 1) through the real app, the real outbox worker, nodemailer
 * and a real SMTP server on loopback (the `smtp-server` package, used only here), every message
 * parsed by `mailparser`: an address is used only after its code comes back; each event of an
 * application sends one mail, in the person's language and script, plain text and HTML, with the
 * links it promises and nothing of the answers; the unsubscribe link stops them; while the SMTP
 * server is down the mail waits and is delivered once it is back.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../helpers/smtp-sink.ts';
import { startTestServer, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { assertProblem } from '../helpers/problems.ts';
import { JMBG, residence } from '../helpers/sample-data.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { ensureDemoKeys } from '../../server/documents/keys.ts';
import { createOutboxWorker, type OutboxWorker } from '../../server/services/outbox.ts';
import { mailHandlers, setEmail } from '../../server/services/mail.ts';
import type { MailStatus } from '../../server/services/mail.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const MY_APPLICATIONS = 'https://opstina.example.rs/moji-zahtevi';
/** The residence certificate with a fee (the example forms, and this one, in a temporary folder). */
const WITH_FEE = 'residence-with-fee';

let smtp: SmtpSink;
let smtpPort = 0;
const mails: ReceivedMail[] = [];
let server: TestServer;
let formsDir: string;
let worker: OutboxWorker;
let ana: Account;
let boris: Account;
let clerk: Account;
let head: Account;

/** The loopback SMTP server, on `port` (0: a free one; again the same one after stopSmtp). */
async function startSmtp(port: number): Promise<void> {
  smtp = await startSmtpSink(mails, port);
  smtpPort = smtp.port;
}

const stopSmtp = () => smtp.close();

before(async () => {
  await startSmtp(0);
  formsDir = mkdtempSync(join(tmpdir(), 'overa-mail-'));
  cpSync(EXAMPLES, formsDir, { recursive: true });
  const residenceForm = JSON.parse(readFileSync(join(EXAMPLES, 'certificate-of-residence.json'), 'utf8')) as Record<string, unknown>;
  const fee = { amount: 1234.5, payee: { name: 'Budžet Republike Srbije', account: '840-742221843-57' }, paymentCode: '253', purpose: 'Republička administrativna taksa' };
  writeFileSync(join(formsDir, `${WITH_FEE}.json`), JSON.stringify({ ...residenceForm, id: WITH_FEE, fee }));
  server = await startTestServer({
    OVERA_FORMS_DIR: formsDir,
    OVERA_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    OVERA_MAIL_FROM: 'Opština Novi Primer <no-reply@opstina.example.rs>',
    OVERA_MY_APPLICATIONS_URL: MY_APPLICATIONS, OVERA_RATE_LIMIT_MAIL_CODES: '5/3600',
    OVERA_OUTBOX_POLL_MS: '20', OVERA_OUTBOX_BACKOFF_MS: '50', OVERA_OUTBOX_BACKOFF_MAX_MS: '200', OVERA_OUTBOX_LEASE_MS: '15000',
  });
  const now = Date.now();
  await seedDemo(server.db, now);
  await ensureDemoKeys(server.config, [DEMO_AGENCY]);
  ana = await registerAccount(server, 'Ana Anić');
  boris = await registerAccount(server, 'Boris Borić');
  clerk = await registerAccount(server, 'Petar Službenik', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, now));
  head = await registerAccount(server, 'Јелена Начелник', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['head'] }, now));
  worker = createOutboxWorker(server.app.deps, mailHandlers(server.app.deps));
  worker.start();
});
after(async () => {
  await worker.stop();
  await stopSmtp();
  await server.close();
  rmSync(formsDir, { recursive: true, force: true });
});

function ok<T>(res: ApiResponse<T>, status = 200): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Mail queued for a user (outbox rows), by event type. */
async function queued(who: Account, eventType: string): Promise<number> {
  const row = await server.db('outbox_messages').where({ channel: 'mail', target: who.user.id, event_type: eventType }).count({ n: '*' }).first();
  return Number(row!.n);
}

async function sign(who: Account, subject: { type: string; id: string }, action: string, comment?: string): Promise<string> {
  const body = { subject, action, ...(comment === undefined ? {} : { context: { comment } }) };
  const o = ok(await server.api<{ flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }>('POST', '/api/v1/signatures/options', { token: who.token, body }));
  const credential = await who.authenticator.get(o.publicKey);
  return ok(await server.api<{ id: string }>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: o.flowId, credential } }), 201).id;
}

async function decide(who: Account, appId: string, step: string, decision: string, comment?: string): Promise<void> {
  const current = await server.api<{ version: number }>('GET', `/api/v1/cases/${appId}`, { token: who.token });
  const signatureId = await sign(who, { type: 'decision', id: `${appId}:${step}` }, decision, comment);
  ok(await server.api('POST', `/api/v1/cases/${appId}/decisions`, {
    token: who.token, headers: { 'If-Match': current.headers.get('etag') ?? '' }, body: { step, decision, signatureId, ...(comment ? { comment } : {}) },
  }));
}

async function submitNew(who: Account, data = residence(), formId = 'certificate-of-residence'): Promise<{ id: string; trackingNumber: string }> {
  const a = ok(await server.api<{ id: string; trackingNumber: string }>('POST', '/api/v1/applications', { token: who.token, body: { formId, formVersion: 1, data } }), 201);
  ok(await server.api('POST', `/api/v1/applications/${a.id}/submit`, { token: who.token, body: {} }));
  return a;
}

/** Sets the address and returns the code that arrived at it. */
async function setAndReadCode(who: Account, address: string, lang: string): Promise<string> {
  const before = mails.length;
  const status = ok(await server.api<MailStatus>('PUT', '/api/v1/me/email', { token: who.token, body: { address, lang } }), 202);
  assert.equal(status.pending, address);
  await until(() => mails.slice(before).some((m) => m.to === address), 'the confirmation code');
  const mail = mails.slice(before).find((m) => m.to === address)!;
  return /\b(\d{6})\b/.exec(mail.text)![1]!;
}

const mailsTo = (address: string) => mails.filter((m) => m.to === address);

describe('a citizen\'s address, confirmed before use', () => {
  test('GET /me says mail is offered; bad input names the field', async () => {
    const me = ok(await server.api<{ mail: MailStatus }>('GET', '/api/v1/me', { token: ana.token }));
    assert.deepEqual(me.mail, { offered: true, address: null, pending: null, lang: null, notifications: false });
    assertProblem(await server.api('PUT', '/api/v1/me/email', { token: ana.token, body: { address: 'ana.example.rs', lang: 'en' } }), 400, 'address', 'invalid');
    assertProblem(await server.api('PUT', '/api/v1/me/email', { token: ana.token, body: { address: 'ana@example.rs', lang: 'de' } }), 400, 'lang', 'invalid');
    assertProblem(await server.api('PUT', '/api/v1/me/email', { token: ana.token, body: { address: 'ana@example.rs' } }), 400, 'lang');
    assertProblem(await server.api('POST', '/api/v1/me/email/confirm', { token: ana.token, body: { code: '123456' } }), 400, 'code', 'no-pending-address');
    assert.equal((await server.api('PUT', '/api/v1/me/email', { body: { address: 'ana@example.rs', lang: 'en' } })).status, 401);
  });

  test('no mail about an application before the code comes back; a wrong code counts; then the address is used', async () => {
    const code = await setAndReadCode(ana, 'ana@example.rs', 'sr-Cyrl');
    const confirm = mailsTo('ana@example.rs')[0]!;
    assert.match(confirm.subject, /^Потврдите адресу е-поште$/);
    // Pending: an application submitted now sends nothing.
    await submitNew(ana);
    assert.equal(await queued(ana, 'application.received'), 0);
    const wrong = code === '000000' ? '000001' : '000000';
    assertProblem(await server.api('POST', '/api/v1/me/email/confirm', { token: ana.token, body: { code: wrong } }), 400, 'code', 'wrong');
    assertProblem(await server.api('POST', '/api/v1/me/email/confirm', { token: ana.token, body: { code: 'abc' } }), 400, 'code', 'invalid');
    const status = ok(await server.api<MailStatus>('POST', '/api/v1/me/email/confirm', { token: ana.token, body: { code } }));
    assert.deepEqual(status, { offered: true, address: 'ana@example.rs', pending: null, lang: 'sr-Cyrl', notifications: true });
    // The code is spent.
    assertProblem(await server.api('POST', '/api/v1/me/email/confirm', { token: ana.token, body: { code } }), 400, 'code', 'no-pending-address');
    const history = await server.db('audit_log').where({ subject_type: 'user', subject_id: ana.user.id }).orderBy('seq').select('action', 'data');
    assert.deepEqual(history.map((h: { action: string }) => h.action).filter((a: string) => a.startsWith('user.email')), ['user.email-set', 'user.email-confirmed']);
    assert.ok(history.every((h: { data: unknown }) => !JSON.stringify(h.data ?? '').includes('ana@example.rs')), 'the audit log does not keep the address');
  });

  test('five wrong codes end the code', async () => {
    await setAndReadCode(boris, 'boris@example.rs', 'sr-Latn');
    for (let i = 0; i < 5; i++) {
      assertProblem(await server.api('POST', '/api/v1/me/email/confirm', { token: boris.token, body: { code: String(100000 + i) } }), 400, 'code');
    }
    // Even the right one is refused now: the address must be given again.
    const code = await setAndReadCode(boris, 'boris@example.rs', 'sr-Latn');
    ok(await server.api('POST', '/api/v1/me/email/confirm', { token: boris.token, body: { code } }));
  });

  test('codes are sent to at most `mailCodes` addresses per person and window', async () => {
    const cyril = await registerAccount(server, 'Ћирило Ћирић');
    for (let i = 0; i < 5; i++) ok(await server.api('PUT', '/api/v1/me/email', { token: cyril.token, body: { address: `c${i}@example.rs`, lang: 'sr-Cyrl' } }), 202);
    const refused = await server.api('PUT', '/api/v1/me/email', { token: cyril.token, body: { address: 'c5@example.rs', lang: 'sr-Cyrl' } });
    assertProblem(refused, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal(await queued(cyril, 'mail.confirm'), 5);
  });

  test('without SMTP configured no address is taken', async () => {
    const deps = { ...server.app.deps, config: { ...server.config, smtpUrl: undefined, mailFrom: undefined } };
    await assert.rejects(setEmail(deps, ana.user, { address: 'x@example.rs', lang: 'en' }), (e: { status: number; type: string }) => e.status === 503 && e.type.endsWith('/mail-not-configured'));
  });
});

describe('notifications, once each, in the person\'s language and script', () => {
  let appId: string;
  let tracking: string;

  before(async () => {
    const a = await submitNew(ana);
    appId = a.id;
    tracking = a.trackingNumber;
    await decide(clerk, appId, 'review', 'return', 'Недостаје број стана.');
    const current = await server.api('GET', `/api/v1/applications/${appId}`, { token: ana.token });
    ok(await server.api('PUT', `/api/v1/applications/${appId}`, { token: ana.token, headers: { 'If-Match': current.headers.get('etag') ?? '' }, body: { data: residence({ street: 'Bulevar oslobođenja 12, stan 4' }) } }));
    ok(await server.api('POST', `/api/v1/applications/${appId}/submit`, { token: ana.token, body: {} }));
    await decide(clerk, appId, 'review', 'review');
    await decide(head, appId, 'approve', 'approve');
    await until(() => mailsTo('ana@example.rs').length >= 5, 'Ana\'s notifications');
  });

  test('received, returned with the reason, received again, issued with the verification code: Cyrillic, text and HTML', async () => {
    const notes = mailsTo('ana@example.rs').slice(1);
    assert.deepEqual(notes.map((m) => m.subject), [
      `Примили смо ваш захтев ${tracking}`,
      `Ваш захтев ${tracking} је враћен на допуну`,
      `Примили смо ваш захтев ${tracking}`,
      `Издат је документ по вашем захтеву ${tracking}`,
    ]);
    assert.equal(new Set(notes.map((m) => m.messageId)).size, 4, 'each once');
    assert.match(notes[1]!.text, /Образложење службеника: Недостаје број стана\./);
    assert.match(notes[1]!.html, /Недостаје број стана\./);
    const doc = ok(await server.api<{ documentId: string }>('GET', `/api/v1/applications/${appId}`, { token: ana.token }));
    const issued = await server.db('documents').where({ id: doc.documentId }).first('verification_code');
    assert.ok(notes[3]!.text.includes(`Код за проверу: ${issued.verification_code}`));
    for (const m of notes) {
      assert.ok(m.text.includes(MY_APPLICATIONS) && m.html.includes(`href="${MY_APPLICATIONS}"`), 'a link to My applications');
      assert.match(m.html, /<html lang="sr-Cyrl">/);
      // Nothing of the answers, nor the document.
      for (const secret of [JMBG, 'Bulevar', 'Anić', '%PDF']) assert.ok(!m.text.includes(secret) && !m.html.includes(secret), `a mail carries "${secret}"`);
    }
  });

  test('a rejection in Latin script', async () => {
    const before = mailsTo('boris@example.rs').length;
    const a = await submitNew(boris, residence({ firstName: 'Boris', lastName: 'Borić' }));
    await decide(clerk, a.id, 'review', 'reject', 'Nije nadležan organ.');
    await until(() => mailsTo('boris@example.rs').length >= before + 2, 'Boris\'s notifications');
    assert.deepEqual(mailsTo('boris@example.rs').slice(before).map((m) => m.subject), [`Primili smo vaš zahtev ${a.trackingNumber}`, `Vaš zahtev ${a.trackingNumber} je odbijen`]);
  });

  test('the person stops notifications and starts them again, signed in; without a confirmed address there is nothing to switch', async () => {
    const off = ok(await server.api<MailStatus>('PUT', '/api/v1/me/email/notifications', { token: boris.token, body: { notifications: false } }));
    assert.deepEqual(off, { offered: true, address: 'boris@example.rs', pending: null, lang: 'sr-Latn', notifications: false });
    const n = await queued(boris, 'application.received');
    await submitNew(boris, residence({ firstName: 'Boris', lastName: 'Borić' }));
    assert.equal(await queued(boris, 'application.received'), n, 'nothing queued while stopped');
    const on = ok(await server.api<MailStatus>('PUT', '/api/v1/me/email/notifications', { token: boris.token, body: { notifications: true } }));
    assert.equal(on.notifications, true);
    const delivered = mailsTo('boris@example.rs').length;
    const a = await submitNew(boris, residence({ firstName: 'Boris', lastName: 'Borić' }));
    assert.equal(await queued(boris, 'application.received'), n + 1, 'queued again once started');
    await until(() => mailsTo('boris@example.rs').length > delivered, 'the mail after starting again');
    assert.equal(mailsTo('boris@example.rs').at(-1)!.subject, `Primili smo vaš zahtev ${a.trackingNumber}`);
    const actions = (await server.db('audit_log').where({ subject_type: 'user', subject_id: boris.user.id }).orderBy('seq').select('action')).map((h: { action: string }) => h.action);
    assert.deepEqual(actions.filter((a: string) => a.startsWith('user.email-notifications')), ['user.email-notifications-off', 'user.email-notifications-on']);
    assertProblem(await server.api('PUT', '/api/v1/me/email/notifications', { token: boris.token, body: { notifications: 'no' } }), 400, 'notifications', 'type');
    assertProblem(await server.api('PUT', '/api/v1/me/email/notifications', { token: boris.token, body: {} }), 400, 'notifications', 'required');
    const dora = await registerAccount(server, 'Dora Dorić');
    assertProblem(await server.api('PUT', '/api/v1/me/email/notifications', { token: dora.token, body: { notifications: true } }), 409);
    assert.equal((await server.api('PUT', '/api/v1/me/email/notifications', { body: { notifications: true } })).status, 401);
  });

  test('the unsubscribe link works without signing in and stops them', async () => {
    const last = mailsTo('ana@example.rs').at(-1)!;
    const link = /(http\S+\/api\/v1\/mail\/unsubscribe\?token=[\w-]+)/.exec(last.text)![1]!;
    assert.ok(last.listUnsubscribe.includes(`<${link}>`), last.listUnsubscribe);
    assert.ok(last.listUnsubscribe.includes('List-Unsubscribe-Post: List-Unsubscribe=One-Click'), last.listUnsubscribe);
    // Opening it changes nothing (mail scanners open links): a page with one button.
    const page = await fetch(link.replace(/^http:\/\/localhost:\d+/, server.url));
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post"/);
    assert.equal(ok(await server.api<{ mail: MailStatus }>('GET', '/api/v1/me', { token: ana.token })).mail.notifications, true);
    // RFC 8058 one-click: a form post, no session.
    const stop = await fetch(link.replace(/^http:\/\/localhost:\d+/, server.url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(stop.status, 204);
    assert.equal(ok(await server.api<{ mail: MailStatus }>('GET', '/api/v1/me', { token: ana.token })).mail.notifications, false);
    const received = await queued(ana, 'application.received');
    await submitNew(ana);
    assert.equal(await queued(ana, 'application.received'), received, 'nothing queued after unsubscribing');
    // The page's button, from a browser: words in the person's script; again: nothing more to stop.
    const again = await fetch(link.replace(/^http:\/\/localhost:\d+/, server.url), { method: 'POST', headers: { accept: 'text/html' } });
    assert.equal(again.status, 200);
    assert.match(await again.text(), /Више нећете примати обавештења е-поштом\./);
    assertProblem(await server.api('POST', '/api/v1/mail/unsubscribe?token=nope'), 404);
    assertProblem(await server.api('GET', '/api/v1/mail/unsubscribe?token=nope'), 404);
  });

  test('SMTP down: the mail waits and is delivered, once, when it is back', async () => {
    await stopSmtp();
    const before = mailsTo('boris@example.rs').length;
    const a = await submitNew(boris, residence({ firstName: 'Boris', lastName: 'Borić' }));
    const row = () => server.db('outbox_messages').where({ channel: 'mail', target: boris.user.id, event_type: 'application.received' }).orderBy('created_at', 'desc').first();
    await until(async () => (await row()).attempts >= 2, 'two failed attempts');
    assert.equal((await row()).state === 'delivered', false);
    assert.ok((await row()).last_error);
    await startSmtp(smtpPort);
    await until(async () => (await row()).state === 'delivered', 'the delivery after SMTP came back');
    const got = mailsTo('boris@example.rs').slice(before);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.subject, `Primili smo vaš zahtev ${a.trackingNumber}`);
  });

  test('a removed address gets nothing more', async () => {
    ok(await server.api('DELETE', '/api/v1/me/email', { token: boris.token }), 204);
    assert.deepEqual(ok(await server.api<{ mail: MailStatus }>('GET', '/api/v1/me', { token: boris.token })).mail, { offered: true, address: null, pending: null, lang: null, notifications: false });
    const n = await queued(boris, 'application.received');
    await submitNew(boris, residence({ firstName: 'Boris', lastName: 'Borić' }));
    assert.equal(await queued(boris, 'application.received'), n);
  });
});

describe('the fee received, when an official marks it paid', () => {
  const markPaid = (id: string) => server.api('POST', `/api/v1/cases/${id}/fee-paid`, { token: clerk.token, body: { statementReference: '2026-118' } });

  test('one mail in the person\'s language and script with the amount, queued with the mark; none to a stopped, pending or absent address', async () => {
    const vesna = await registerAccount(server, 'Весна Весић');
    ok(await server.api('POST', '/api/v1/me/email/confirm', { token: vesna.token, body: { code: await setAndReadCode(vesna, 'vesna@example.rs', 'sr-Cyrl') } }));
    const goran = await registerAccount(server, 'Goran Gorić');
    ok(await server.api('POST', '/api/v1/me/email/confirm', { token: goran.token, body: { code: await setAndReadCode(goran, 'goran@example.rs', 'en') } }));
    const hana = await registerAccount(server, 'Hana Hanić');
    await setAndReadCode(hana, 'hana@example.rs', 'sr-Latn'); // never confirmed
    const ivan = await registerAccount(server, 'Ivan Ivić'); // no address at all

    const v = await submitNew(vesna, residence(), WITH_FEE);
    const g = await submitNew(goran, residence(), WITH_FEE);
    ok(await markPaid(v.id));
    ok(await markPaid(g.id));
    assert.equal(await queued(vesna, 'application.fee-paid'), 1);
    assert.equal(await queued(goran, 'application.fee-paid'), 1);
    // Marked once: a second mark is refused and queues nothing.
    assertProblem(await markPaid(v.id), 409);
    assert.equal(await queued(vesna, 'application.fee-paid'), 1);
    await until(() => mailsTo('vesna@example.rs').some((m) => m.subject.includes('такс')) && mailsTo('goran@example.rs').some((m) => m.subject.includes('fee')), 'the fee mails');
    const cyr = mailsTo('vesna@example.rs').find((m) => m.subject.includes('такс'))!;
    assert.equal(cyr.subject, `Примили смо уплату таксе за ваш захтев ${v.trackingNumber}`);
    assert.match(cyr.text, new RegExp(`Ваша уплата таксе за захтев ${v.trackingNumber}, 1\\.234,50 динара, примљена је и евидентирана\\.`));
    assert.match(cyr.html, /<html lang="sr-Cyrl">/);
    assert.ok(cyr.text.includes(MY_APPLICATIONS), 'a link to My applications');
    const en = mailsTo('goran@example.rs').find((m) => m.subject.includes('fee'))!;
    assert.equal(en.subject, `We received the fee for your application ${g.trackingNumber}`);
    assert.ok(en.text.includes('1,234.50 dinars'), en.text);
    for (const m of [cyr, en]) {
      for (const secret of [JMBG, 'Bulevar', '2026-118', 'Službenik']) assert.ok(!m.text.includes(secret) && !m.html.includes(secret), `a mail carries "${secret}"`);
    }

    // Notifications stopped, an address never confirmed, no address: nothing queued.
    ok(await server.api('PUT', '/api/v1/me/email/notifications', { token: goran.token, body: { notifications: false } }));
    for (const who of [goran, hana, ivan]) {
      const a = await submitNew(who, residence(), WITH_FEE);
      ok(await markPaid(a.id));
    }
    assert.equal(await queued(goran, 'application.fee-paid'), 1);
    assert.equal(await queued(hana, 'application.fee-paid'), 0);
    assert.equal(await queued(ivan, 'application.fee-paid'), 0);
  });
});
