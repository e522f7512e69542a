/**
 * Fees through the real HTTP API (issue 21, item 4): the application and the case show the fee
 * with its model-97 reference; only an official of the handling agency marks it paid or undoes
 * the mark (audited, a webhook); a form with `requiredBeforeApproval` holds its approval line —
 * no step open, nobody's queue, "awaiting fee" in the inbox — until the mark, and again after an
 * undo. Runs on SQLite, and on PostgreSQL with DATABASE_URL.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { createInvite } from '../../server/services/invites.ts';
import { addWebhook } from '../../server/services/webhooks.ts';
import { outbox } from '../../server/db/outbox.ts';
import { seedDemo, DEMO_AGENCY, DEMO_RECEIVING_AGENCY } from '../../server/seed.ts';
import { feeIpsQrPayload, feeReference, parseIpsQrPayload } from '../../components/core/index.ts';
import type { SigningPayload, PasskeyEvidence } from '../../components/core/signing/payload.ts';
import type { ApplicationSummary, ApplicationWithHistory, CaseView, InboxItem, Page } from '../../components/core/api.ts';
import type { FeeSpec } from '../../components/core/forms/definition.ts';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { assertProblem } from '../helpers/problems.ts';
import { checkAgainstOpenApi } from '../helpers/openapi.ts';
import { residence } from '../helpers/sample-data.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const FEE: FeeSpec = {
  amount: 370,
  payee: { name: 'Budžet Republike Srbije', account: '840-742221843-57' },
  paymentCode: '253',
  purpose: { 'sr-Latn': 'Republička administrativna taksa', en: 'Republic administrative fee' },
};
/** The residence certificate with a fee that must be paid first, and a step of the land registry (another agency). */
const PAY_FIRST = 'pay-first-residence';
/** The same fee, not required before approval. */
const PAY_ANY_TIME = 'pay-any-time-residence';

interface Options { flowId: string; payload: SigningPayload; publicKey: PublicKeyCredentialRequestOptionsJSON }
interface Signature { id: string; evidence: PasskeyEvidence }

let server: TestServer;
let formsDir: string;
let ana: Account; // citizen
let clerk: Account;
let head: Account;
let cadastre: Account; // the land registry's official: sees the case (a step), is not of the agency paid

before(async () => {
  formsDir = mkdtempSync(join(tmpdir(), 'overa-fees-'));
  cpSync(EXAMPLES, formsDir, { recursive: true });
  const residenceForm = JSON.parse(readFileSync(join(EXAMPLES, 'certificate-of-residence.json'), 'utf8')) as Record<string, unknown>;
  const line = [
    { id: 'review', kind: 'review', assignee: { role: 'clerk' } },
    { id: 'cadastre', kind: 'agree', assignee: { role: 'cadastre', agencyId: DEMO_RECEIVING_AGENCY.id } },
    { id: 'approve', kind: 'approve', assignee: { role: 'head' } },
  ];
  writeFileSync(join(formsDir, `${PAY_FIRST}.json`), JSON.stringify({ ...residenceForm, id: PAY_FIRST, approvalLine: line, fee: { ...FEE, requiredBeforeApproval: true } }));
  writeFileSync(join(formsDir, `${PAY_ANY_TIME}.json`), JSON.stringify({ ...residenceForm, id: PAY_ANY_TIME, fee: FEE }));
  server = await startTestServer({ OVERA_FORMS_DIR: formsDir, OVERA_WEBHOOK_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') });
  await seedDemo(server.db, Date.now());
  ana = await registerAccount(server, 'Ana Anić');
  clerk = await registerAccount(server, 'Petar Službenik', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, Date.now()));
  head = await registerAccount(server, 'Jelena Načelnik', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['head'] }, Date.now()));
  cadastre = await registerAccount(server, 'Marko Katastar', await createInvite(server.db, { agencyId: DEMO_RECEIVING_AGENCY.id, roles: ['cadastre'] }, Date.now()));
});
after(async () => {
  await server.close();
  rmSync(formsDir, { recursive: true, force: true });
});

async function submitted(formId: string): Promise<ApplicationWithHistory> {
  const made = await server.api<ApplicationWithHistory>('POST', '/api/v1/applications', { token: ana.token, body: { formId, formVersion: 1, data: residence() } });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.fee, undefined, 'a draft owes nothing yet');
  const sent = await server.api<ApplicationWithHistory>('POST', `/api/v1/applications/${made.body.id}/submit`, { token: ana.token, body: {} });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  return sent.body;
}

async function caseOf(who: Account, id: string): Promise<CaseView> {
  const res = await server.api<CaseView>('GET', `/api/v1/cases/${id}`, { token: who.token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  checkAgainstOpenApi('GET', '/api/v1/cases/{id}', res.status, res.body, res.headers.get('content-type'), res.headers);
  return res.body;
}

async function inboxItem(who: Account, id: string): Promise<InboxItem | undefined> {
  const res = await server.api<Page<InboxItem>>('GET', '/api/v1/inbox?limit=100', { token: who.token });
  assert.equal(res.status, 200);
  checkAgainstOpenApi('GET', '/api/v1/inbox', res.status, res.body, res.headers.get('content-type'), res.headers);
  return res.body.items.find((i) => i.id === id);
}

function markPaid(who: Account, id: string, body: unknown = {}) {
  return server.api<CaseView>('POST', `/api/v1/cases/${id}/fee-paid`, { token: who.token, body });
}

function undo(who: Account, id: string, body: unknown = {}) {
  return server.api<CaseView>('POST', `/api/v1/cases/${id}/fee-unpaid`, { token: who.token, body });
}

async function sign(who: Account, subject: { type: string; id: string }, action: string): Promise<Signature> {
  const o = await server.api<Options>('POST', '/api/v1/signatures/options', { token: who.token, body: { subject, action } });
  assert.equal(o.status, 200, JSON.stringify(o.body));
  const credential = await who.authenticator.get(o.body.publicKey);
  const s = await server.api<Signature>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: o.body.flowId, credential } });
  assert.equal(s.status, 201, JSON.stringify(s.body));
  return s.body;
}

const states = (c: CaseView) => Object.fromEntries(c.approvalLine.map((s) => [s.id, s.state]));

test('the application shows its fee: the form\'s payment details, model 97 of the tracking number, awaiting payment', async () => {
  const app = await submitted(PAY_ANY_TIME);
  const mine = await server.api<ApplicationWithHistory>('GET', `/api/v1/applications/${app.id}`, { token: ana.token });
  checkAgainstOpenApi('GET', '/api/v1/applications/{id}', mine.status, mine.body, mine.headers.get('content-type'), mine.headers);
  const fee = mine.body.fee!;
  assert.equal(fee.amount, 370);
  assert.deepEqual(fee.payee, FEE.payee);
  assert.equal(fee.paymentCode, '253');
  assert.equal(fee.referenceModel, '97');
  assert.equal(fee.reference, feeReference(app.trackingNumber));
  assert.equal(fee.accountDigits, '840000074222184357');
  assert.equal(fee.requiredBeforeApproval, false);
  assert.equal(fee.state, 'awaiting');
  assert.equal(fee.paid, null);
  // What the elements draw from it is the same order the core builds from the form.
  assert.deepEqual(parseIpsQrPayload(feeIpsQrPayload(fee, app.trackingNumber)).reference, { model: '97', number: fee.reference });
  // Not required first: the line starts at once.
  assert.equal(states(await caseOf(clerk, app.id)).review, 'pending');
  const list = await server.api<Page<ApplicationSummary>>('GET', '/api/v1/applications', { token: ana.token });
  checkAgainstOpenApi('GET', '/api/v1/applications', list.status, list.body, list.headers.get('content-type'), list.headers);
  assert.equal(list.body.items.find((a) => a.id === app.id)?.fee, 'awaiting');
});

test('a fee required before approval holds the line until an official of the agency marks it paid; undo holds it again', async () => {
  const hook = await addWebhook(server.app.deps, { url: 'https://hooks.example/fees', events: ['application.fee-paid'], agencyId: DEMO_AGENCY.id });
  const app = await submitted(PAY_FIRST);
  const id = app.id;

  // Held: every step waits, nothing is anybody's to decide, the inbox says the fee is awaited.
  let c = await caseOf(clerk, id);
  assert.deepEqual(states(c), { review: 'waiting', cadastre: 'waiting', approve: 'waiting' });
  assert.deepEqual(c.approvalLine[0]!.allowedDecisions, []);
  assert.equal(c.fee?.state, 'awaiting');
  assert.equal(c.fee?.requiredBeforeApproval, true);
  let item = await inboxItem(clerk, id);
  assert.deepEqual(item?.fee, { state: 'awaiting', requiredBeforeApproval: true });
  assert.deepEqual(item?.pendingSteps, []);
  assert.equal(item?.actionable, false);
  const assigned = await server.api<Page<InboxItem>>('GET', '/api/v1/inbox?assigned=role', { token: clerk.token });
  assert.equal(assigned.body.items.some((i) => i.id === id), false, 'in nobody\'s queue');
  const early = await sign(clerk, { type: 'decision', id: `${id}:review` }, 'review').catch(() => null);
  if (early) {
    const res = await server.api('POST', `/api/v1/cases/${id}/decisions`, { token: clerk.token, body: { step: 'review', decision: 'review', signatureId: early.id }, headers: { 'If-Match': `"${c.version}"` } });
    assert.match(assertProblem(res, 409).type, /\/step-not-open$/);
  }

  // Who may mark it: not the citizen, not an official of another agency on the line.
  const byCitizen = await markPaid(ana, id);
  assertProblem(byCitizen, 403);
  checkAgainstOpenApi('POST', '/api/v1/cases/{id}/fee-paid', byCitizen.status, byCitizen.body, byCitizen.headers.get('content-type'), byCitizen.headers);
  assert.equal((await caseOf(cadastre, id)).id, id, 'the land registry sees the case');
  const byOther = await markPaid(cadastre, id);
  assert.match(assertProblem(byOther, 403).detail ?? '', /novi-primer/);
  assertProblem(await markPaid(clerk, 'no-such-case'), 404);
  // Bad input: problem+json naming the field.
  const bad = await markPaid(clerk, id, { statementReference: 42 });
  assert.equal(assertProblem(bad, 400).errors?.[0]?.field, 'statementReference');
  assert.equal(assertProblem(await markPaid(clerk, id, { paid: true }), 400).errors?.[0]?.field, 'paid');
  assertProblem(await undo(clerk, id), 409);

  // The clerk marks it paid: recorded, audited, announced; the line starts.
  const paid = await markPaid(clerk, id, { statementReference: 'Izvod 123/2026' });
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  checkAgainstOpenApi('POST', '/api/v1/cases/{id}/fee-paid', paid.status, paid.body, paid.headers.get('content-type'), paid.headers);
  c = paid.body;
  assert.equal(c.fee?.state, 'paid');
  assert.deepEqual(c.fee?.paid?.by, { id: clerk.user.id, displayName: 'Petar Službenik' });
  assert.equal(c.fee?.paid?.statementReference, 'Izvod 123/2026');
  assert.deepEqual(states(c), { review: 'pending', cadastre: 'waiting', approve: 'waiting' });
  assert.deepEqual(c.approvalLine[0]!.allowedDecisions, ['review', 'return', 'reject']);
  assert.equal(c.version, app.version + 1);
  assert.ok(c.history.some((h) => h.action === 'application.fee-paid' && h.actor === clerk.user.id));
  item = await inboxItem(clerk, id);
  assert.deepEqual(item?.fee, { state: 'paid', requiredBeforeApproval: true });
  assert.equal(item?.actionable, true);
  const hooks = (await outbox.list(server.db, { channel: 'webhook', target: hook.id, limit: 10 })).filter((m) => m.eventType === 'application.fee-paid');
  assert.equal(hooks.length, 1);
  assert.equal((JSON.parse(hooks[0]!.payload) as { data: { applicationId: string; reference: string } }).data.reference, feeReference(app.trackingNumber));
  assertProblem(await markPaid(head, id), 409);
  // The citizen sees it paid, without the official's name or the statement.
  const mine = await server.api<ApplicationWithHistory>('GET', `/api/v1/applications/${id}`, { token: ana.token });
  assert.equal(mine.body.fee?.state, 'paid');
  assert.deepEqual(Object.keys(mine.body.fee?.paid ?? {}), ['at']);

  // A mistaken mark is undone: audited with its reason; the open step waits again.
  const undone = await undo(head, id, { reason: 'Uplata je za drugi predmet' });
  assert.equal(undone.status, 200, JSON.stringify(undone.body));
  checkAgainstOpenApi('POST', '/api/v1/cases/{id}/fee-unpaid', undone.status, undone.body, undone.headers.get('content-type'), undone.headers);
  assert.equal(undone.body.fee?.state, 'awaiting');
  assert.deepEqual(states(undone.body), { review: 'waiting', cadastre: 'waiting', approve: 'waiting' });
  const entry = undone.body.history.find((h) => h.action === 'application.fee-unpaid');
  assert.equal(entry?.data.reason, 'Uplata je za drugi predmet');
  assert.equal((await inboxItem(clerk, id))?.actionable, false);
  assertProblem(await undo(head, id), 409);

  // Marked again, the line goes on from where it stood, and the clerk reviews.
  assert.equal((await markPaid(head, id)).status, 200);
  c = await caseOf(clerk, id);
  assert.equal(states(c).review, 'pending');
  const s = await sign(clerk, { type: 'decision', id: `${id}:review` }, 'review');
  const reviewed = await server.api<CaseView>('POST', `/api/v1/cases/${id}/decisions`, { token: clerk.token, body: { step: 'review', decision: 'review', signatureId: s.id }, headers: { 'If-Match': `"${c.version}"` } });
  assert.equal(reviewed.status, 200, JSON.stringify(reviewed.body));
  assert.deepEqual(states(reviewed.body), { review: 'done', cadastre: 'pending', approve: 'waiting' });
  // An undo now holds the step that is open, and a new mark reopens that same step.
  assert.deepEqual(states((await undo(clerk, id)).body), { review: 'done', cadastre: 'waiting', approve: 'waiting' });
  assert.deepEqual(states((await markPaid(clerk, id)).body), { review: 'done', cadastre: 'pending', approve: 'waiting' });
});

test('a form without a fee: nothing to show, nothing to mark', async () => {
  const made = await server.api<ApplicationWithHistory>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data: residence() } });
  const sent = await server.api<ApplicationWithHistory>('POST', `/api/v1/applications/${made.body.id}/submit`, { token: ana.token, body: {} });
  assert.equal(sent.status, 200);
  assert.equal('fee' in sent.body, false);
  assert.equal('fee' in (await caseOf(clerk, made.body.id)), false);
  assert.match(assertProblem(await markPaid(clerk, made.body.id), 409).type, /\/no-fee$/);
});
