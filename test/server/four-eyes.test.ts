/**
 * Four-eyes approval through the real HTTP API, with real passkey signatures: a person who
 * decided one step of a case decides no other step of it — in their own name, as a proxy or by
 * delegation —, another official can, a form may allow it (`approvalRules`), and the case view
 * and the inbox tell the official before they try.
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
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import type { SigningPayload, PasskeyEvidence } from '../../components/core/signing/payload.ts';
import type { DecisionKind } from '../../components/core/signing/decision.ts';
import type { ApplicationWithHistory, CaseView, DelegationView, InboxItem, Page } from '../../components/core/api.ts';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { assertProblem } from '../helpers/problems.ts';
import { checkAgainstOpenApi } from '../helpers/openapi.ts';
import { residence } from '../helpers/sample-data.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
/** The certificate of residence, for an office that lets one official review and approve. */
const SMALL_OFFICE = 'small-office-residence';
const HOUR = 3600_000;
const FOUR_EYES = /You already decided step 1 of this case; another official must decide this step/;

interface Options { flowId: string; payload: SigningPayload; publicKey: PublicKeyCredentialRequestOptionsJSON }
interface Signature { id: string; evidence: PasskeyEvidence }

let server: TestServer;
let formsDir: string;
let ana: Account; // citizen

before(async () => {
  // The example forms, and one more that allows the same person on several steps.
  formsDir = mkdtempSync(join(tmpdir(), 'overa-four-eyes-'));
  cpSync(EXAMPLES, formsDir, { recursive: true });
  const residenceForm = JSON.parse(readFileSync(join(EXAMPLES, 'certificate-of-residence.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(formsDir, `${SMALL_OFFICE}.json`), JSON.stringify({ ...residenceForm, id: SMALL_OFFICE, approvalRules: { allowSamePersonSteps: true } }));
  server = await startTestServer({ OVERA_FORMS_DIR: formsDir });
  await seedDemo(server.db, Date.now());
  ana = await registerAccount(server, 'Ana Anić');
});
after(async () => {
  await server.close();
  rmSync(formsDir, { recursive: true, force: true });
});

async function official(name: string, roles: string[]): Promise<Account> {
  return registerAccount(server, name, await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles }, Date.now()));
}

async function submitted(who: Account, formId: string, data: Record<string, unknown>, signed = false): Promise<string> {
  const made = await server.api<ApplicationWithHistory>('POST', '/api/v1/applications', { token: who.token, body: { formId, formVersion: 1, data } });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const id = made.body.id;
  const body = signed ? { signatureId: (await sign(who, { type: 'application', id }, 'submit')).id } : {};
  const sent = await server.api('POST', `/api/v1/applications/${id}/submit`, { token: who.token, body });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  return id;
}

function signingOptions(who: Account, subject: { type: string; id: string }, action: string, context?: unknown) {
  return server.api<Options>('POST', '/api/v1/signatures/options', { token: who.token, body: context === undefined ? { subject, action } : { subject, action, context } });
}

async function sign(who: Account, subject: { type: string; id: string }, action: string, context?: unknown): Promise<Signature> {
  const o = await signingOptions(who, subject, action, context);
  assert.equal(o.status, 200, JSON.stringify(o.body));
  const credential = await who.authenticator.get(o.body.publicKey);
  const s = await server.api<Signature>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: o.body.flowId, credential } });
  assert.equal(s.status, 201, JSON.stringify(s.body));
  return s.body;
}

function signDecision(who: Account, id: string, step: string, decision: DecisionKind, comment?: string): Promise<Signature> {
  return sign(who, { type: 'decision', id: `${id}:${step}` }, decision, comment === undefined ? undefined : { comment });
}

function postDecision(who: Account, id: string, body: Record<string, unknown>, version: number) {
  return server.api<CaseView>('POST', `/api/v1/cases/${id}/decisions`, { token: who.token, body, headers: { 'If-Match': `"${version}"` } });
}

async function caseOf(who: Account, id: string): Promise<CaseView> {
  const res = await server.api<CaseView>('GET', `/api/v1/cases/${id}`, { token: who.token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  checkAgainstOpenApi('GET', '/api/v1/cases/{id}', res.status, res.body, res.headers.get('content-type'), res.headers);
  return res.body;
}

async function decided(who: Account, id: string, step: string, decision: DecisionKind, comment?: string): Promise<CaseView> {
  const version = (await caseOf(who, id)).version;
  const s = await signDecision(who, id, step, decision, comment);
  const res = await postDecision(who, id, { step, decision, ...(comment === undefined ? {} : { comment }), signatureId: s.id }, version);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** Asserts the four-eyes refusal: a 409 of that type whose detail names the step already decided. */
function assertFourEyes(res: { status: number; headers: Headers; body: unknown }, path: string): void {
  const problem = assertProblem(res, 409);
  assert.match(problem.type, /\/four-eyes$/);
  assert.match(problem.title, /four-eyes/i);
  assert.match(problem.detail ?? '', FOUR_EYES);
  checkAgainstOpenApi('POST', path, res.status, res.body, res.headers.get('content-type'), res.headers);
}

/** The official may not decide `step` by the four-eyes rule, and every way of trying is refused, changing nothing. */
async function refusedEverywhere(who: Account, id: string, step: string, decision: DecisionKind, decidedStep: string): Promise<void> {
  const before = await caseOf(who, id);
  const view = before.approvalLine.find((s) => s.id === step)!;
  assert.equal(view.state, 'pending');
  assert.deepEqual(view.allowedDecisions, []);
  assert.equal(view.as, null);
  assert.equal(view.refusal?.type, 'four-eyes');
  assert.equal(view.refusal?.step, decidedStep);
  assert.match(view.refusal?.detail ?? '', FOUR_EYES);
  // Signing is refused up front, for the step's own decision and for a return alike…
  assertFourEyes(await signingOptions(who, { type: 'decision', id: `${id}:${step}` }, decision), '/api/v1/signatures/options');
  assertFourEyes(await signingOptions(who, { type: 'decision', id: `${id}:${step}` }, 'return', { comment: 'Ne.' }), '/api/v1/signatures/options');
  // …and so is the decision itself, whatever signature comes with it.
  assertFourEyes(await postDecision(who, id, { step, decision, signatureId: 'none' }, before.version), '/api/v1/cases/{id}/decisions');
  const after = await caseOf(who, id);
  assert.equal(after.version, before.version);
  assert.equal(after.approvalLine.find((s) => s.id === step)!.state, 'pending');
  // In the inbox the case stays listed, for reading, but is not theirs to decide.
  const inbox = await server.api<Page<InboxItem>>('GET', '/api/v1/inbox', { token: who.token });
  assert.equal(inbox.status, 200);
  assert.equal(inbox.body.items.find((i) => i.id === id)?.actionable, false);
}

test('review then approve by the same official: 409 four-eyes; the case view and the inbox say so; another official approves', async () => {
  const both = await official('Vesna Obe Uloge', ['clerk', 'head']);
  const head = await official('Milan Načelnik', ['head']);
  const id = await submitted(ana, 'certificate-of-residence', residence());
  const first = await caseOf(both, id);
  assert.equal(first.approvalLine[0]!.refusal, null);
  assert.deepEqual(first.approvalLine[0]!.allowedDecisions, ['review', 'return', 'reject']);

  const c = await decided(both, id, 'review', 'review');
  assert.equal(c.approvalLine[0]!.refusal, null, 'a decided step has nothing to refuse');
  await refusedEverywhere(both, id, 'approve', 'approve', 'review');
  const assigned = await server.api<Page<InboxItem>>('GET', '/api/v1/inbox?assigned=role', { token: both.token });
  assert.ok(assigned.body.items.some((i) => i.id === id), 'still listed under "my role"');

  const forHead = await caseOf(head, id);
  assert.equal(forHead.approvalLine[1]!.refusal, null);
  assert.deepEqual(forHead.approvalLine[1]!.allowedDecisions, ['approve', 'return', 'reject']);
  const inbox = await server.api<Page<InboxItem>>('GET', '/api/v1/inbox', { token: head.token });
  assert.equal(inbox.body.items.find((i) => i.id === id)?.actionable, true);
  const approved = await decided(head, id, 'approve', 'approve');
  assert.equal(approved.status, 'issued');
  assert.deepEqual(approved.approvalLine.map((s) => s.decision?.decidedBy.id), [both.user.id, head.user.id]);
});

test('nor as a proxy: a substitute who reviewed for the absent clerk does not approve for the absent head, nor does a clerk stand in for the head', async () => {
  const clerk = await official('Petar Službenik', ['clerk']);
  const clerk2 = await official('Jelena Referent', ['clerk']);
  const head = await official('Milan Načelnik', ['head']);
  const substitute = await official('Sava Savetnik', ['advisor']);
  const now = Date.now() + server.clock.offset;
  const iso = (ms: number) => new Date(ms).toISOString();
  const delegate = async (from: Account, to: Account) => {
    const made = await server.api<DelegationView>('POST', '/api/v1/delegations', { token: from.token, body: { toUserId: to.user.id, from: iso(now - HOUR), until: iso(now + HOUR) } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
  };
  await delegate(clerk, substitute);
  await delegate(head, substitute);
  await delegate(head, clerk2);

  // Sava reviews for Petar, then would approve for Milan.
  const id = await submitted(ana, 'certificate-of-residence', residence());
  const reviewed = await decided(substitute, id, 'review', 'review');
  assert.equal(reviewed.approvalLine[0]!.decision?.basis, 'proxy');
  await refusedEverywhere(substitute, id, 'approve', 'approve', 'review');

  // Jelena reviews in her own name, then would approve as Milan's substitute.
  const other = await submitted(ana, 'certificate-of-residence', residence({ firstName: 'Boris' }));
  await decided(clerk2, other, 'review', 'review');
  await refusedEverywhere(clerk2, other, 'approve', 'approve', 'review');

  // Milan himself, who took no step, approves both.
  assert.equal((await decided(head, id, 'approve', 'approve')).status, 'issued');
  assert.equal((await decided(head, other, 'approve', 'approve')).status, 'issued');
});

test('nor by delegation: a clerk who is also deputy head reviews a memo and may not approve it by delegation; another deputy may', async () => {
  const drafter = await official('Ivana Autorka', ['clerk']);
  const both = await official('Dragan Zamenik', ['clerk', 'deputy-head']);
  const deputy = await official('Nada Zamenica', ['deputy-head']);
  const id = await submitted(drafter, 'internal-memo', { subject: 'Nabavka papira', body: 'Predlažem nabavku 20 ris papira.' });
  await decided(both, id, 'review', 'review');
  await refusedEverywhere(both, id, 'approve', 'approve', 'review');
  const c = await caseOf(deputy, id);
  assert.deepEqual(c.approvalLine[1]!.as, { basis: 'delegated', onBehalfOf: { role: 'head', agencyId: DEMO_AGENCY.id } });
  const approved = await decided(deputy, id, 'approve', 'approve');
  assert.equal(approved.approvalLine[1]!.decision?.basis, 'delegated');
});

test('two parallel steps signed together: the second decision is refused at the decision itself, its signature left unused', async () => {
  const drafter = await official('Ivana Autorka', ['clerk']);
  const clerk = await official('Petar Službenik', ['clerk']);
  const both = await official('Goran Finansije i Pravo', ['finance', 'legal']);
  const legal = await official('Lana Pravnica', ['legal']);
  const id = await submitted(drafter, 'request-for-approval', {
    subject: 'Nabavka laptopova', category: 'purchase', amount: 450_000, justification: 'Zastarela oprema u pisarnici.',
  }, true);
  let c = await decided(clerk, id, 'review', 'review');
  assert.deepEqual(c.approvalLine.map((s) => s.allowedDecisions.length), [0, 0, 0, 0], 'the clerk reviewed: nothing more for him');
  // Both agree steps are open and both are Goran's: he signs both before deciding either.
  const view = await caseOf(both, id);
  assert.deepEqual(view.approvalLine.map((s) => s.allowedDecisions.length > 0), [false, true, true, false]);
  const finance = await signDecision(both, id, 'finance', 'agree');
  const legalSig = await signDecision(both, id, 'legal', 'agree');
  const agreed = await postDecision(both, id, { step: 'finance', decision: 'agree', signatureId: finance.id }, view.version);
  assert.equal(agreed.status, 200, JSON.stringify(agreed.body));
  const second = await postDecision(both, id, { step: 'legal', decision: 'agree', signatureId: legalSig.id }, agreed.body.version);
  const problem = assertProblem(second, 409);
  assert.match(problem.type, /\/four-eyes$/);
  assert.match(problem.detail ?? '', /You already decided step 2 of this case; another official must decide this step/);
  const [row] = await server.db('signatures').where({ id: legalSig.id }).select('used_at');
  assert.equal(row.used_at, null, 'the refused signature is not spent');
  c = await caseOf(both, id);
  assert.equal(c.approvalLine[2]!.state, 'pending');
  assert.deepEqual(c.approvalLine[2]!.refusal, {
    type: 'four-eyes', title: problem.title, detail: 'You already decided step 2 of this case; another official must decide this step', step: 'finance',
  });
  await decided(legal, id, 'legal', 'agree');
});

test('a form with approvalRules.allowSamePersonSteps lets one official review and approve', async () => {
  const both = await official('Vesna Jedina Službenica', ['clerk', 'head']);
  const id = await submitted(ana, SMALL_OFFICE, residence());
  await decided(both, id, 'review', 'review');
  const c = await caseOf(both, id);
  assert.equal(c.approvalLine[1]!.refusal, null);
  assert.deepEqual(c.approvalLine[1]!.allowedDecisions, ['approve', 'return', 'reject']);
  const inbox = await server.api<Page<InboxItem>>('GET', '/api/v1/inbox', { token: both.token });
  assert.equal(inbox.body.items.find((i) => i.id === id)?.actionable, true);
  const approved = await decided(both, id, 'approve', 'approve');
  assert.equal(approved.status, 'issued');
  assert.deepEqual(approved.approvalLine.map((s) => s.decision?.decidedBy.id), [both.user.id, both.user.id]);
});

test('a new round after a return is decided afresh: who returned at approval may review the resubmission', async () => {
  const clerk = await official('Petar Službenik', ['clerk']);
  const both = await official('Vesna Obe Uloge', ['clerk', 'head']);
  const head = await official('Milan Načelnik', ['head']);
  const id = await submitted(ana, 'certificate-of-residence', residence());
  await decided(clerk, id, 'review', 'review');
  await decided(both, id, 'approve', 'return', 'Nedostaje broj stana.');
  const resent = await server.api('POST', `/api/v1/applications/${id}/submit`, { token: ana.token, body: {} });
  assert.equal(resent.status, 200, JSON.stringify(resent.body));
  const round2 = await caseOf(both, id);
  assert.equal(round2.round, 2);
  assert.equal(round2.approvalLine[0]!.refusal, null);
  await decided(both, id, 'review', 'review');
  await refusedEverywhere(both, id, 'approve', 'approve', 'review');
  assert.equal((await decided(head, id, 'approve', 'approve')).status, 'issued');
});
