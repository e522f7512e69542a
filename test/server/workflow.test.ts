/**
 * Electronic approval through the real HTTP API, with real passkey signatures
 * (SoftAuthenticator): the approval line, decisions, delegated and proxy approval, who may see
 * and decide what, the inbox, server-sent events and internal drafting.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startTestServer, TEST_ORIGIN, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { verifyDocument } from '../../components/core/pdf/verify-document.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { samplePdf, samplePng } from '../helpers/files.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { agencies } from '../../server/db/agencies.ts';
import { applications } from '../../server/db/applications.ts';
import { inbox as inboxDb } from '../../server/db/inbox.ts';
import { contentDigest, type PasskeyEvidence, type SigningPayload } from '../../components/core/signing/payload.ts';
import { decisionDigest, type DecisionKind, type DecisionMandate } from '../../components/core/signing/decision.ts';
import type { ApplicationWithHistory, CaseView, DelegationView, InboxItem, Page } from '../../components/core/api.ts';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { openEvents } from '../helpers/events.ts';
import { assertProblem } from '../helpers/problems.ts';
import { JMBG, residence } from '../helpers/sample-data.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const OTHER_AGENCY = { id: 'drugi-grad', name: 'Gradska uprava Drugi Grad' };
const HOUR = 3600_000;

interface Options { flowId: string; payload: SigningPayload; publicKey: PublicKeyCredentialRequestOptionsJSON }
interface Signature { id: string; evidence: PasskeyEvidence }

let server: TestServer;
let ana: Account; // citizen
let boris: Account; // citizen
let clerk: Account; // Petar, clerk
let clerk2: Account; // Jelena, clerk
let head: Account; // Milan, head
let deputy: Account; // Dragan, deputy-head
let urbanist: Account; // urbanism
let cadastre: Account; // cadastre
let substitute: Account; // Sava, advisor (no approval role of his own)
let outsider: Account; // clerk of another agency

before(async () => {
  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES });
  const now = Date.now();
  await seedDemo(server.db, now);
  await agencies.upsert(server.db, { ...OTHER_AGENCY, created_at: now });
  const official = async (name: string, roles: string[], agencyId: string = DEMO_AGENCY.id) =>
    registerAccount(server, name, await createInvite(server.db, { agencyId, roles }, now));
  ana = await registerAccount(server, 'Ana Anić');
  boris = await registerAccount(server, 'Борис Ђорђевић');
  clerk = await official('Petar Službenik', ['clerk']);
  clerk2 = await official('Jelena Referent', ['clerk']);
  head = await official('Milan Načelnik', ['head']);
  deputy = await official('Dragan Zamenik', ['deputy-head']);
  urbanist = await official('Ivana Urbanista', ['urbanism']);
  cadastre = await official('Goran Katastar', ['cadastre']);
  substitute = await official('Sava Savetnik', ['advisor']);
  outsider = await official('Olga Drugić', ['clerk', 'head'], OTHER_AGENCY.id);
});
after(() => server.close());

async function count(table: string, where: Record<string, unknown> = {}): Promise<number> {
  return Number((await server.db(table).where(where).count({ n: '*' }).first())!.n);
}

async function draft(who: Account, formId: string, data: Record<string, unknown>): Promise<string> {
  const res = await server.api<ApplicationWithHistory>('POST', '/api/v1/applications', { token: who.token, body: { formId, formVersion: 1, data } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

async function submit(who: Account, id: string, body: Record<string, unknown> = {}): Promise<ApplicationWithHistory> {
  const res = await server.api<ApplicationWithHistory>('POST', `/api/v1/applications/${id}/submit`, { token: who.token, body });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** A submitted certificate of residence (review by a clerk, approval by the head). */
async function residenceCase(who: Account = ana, overrides: Record<string, unknown> = {}): Promise<string> {
  const id = await draft(who, 'certificate-of-residence', residence(overrides));
  await submit(who, id);
  return id;
}

async function upload(who: Account, bytes: Buffer, filename: string, type: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  const res = await fetch(`${server.url}/api/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${who.token}` }, body: form });
  assert.equal(res.status, 201);
  return ((await res.json()) as { id: string }).id;
}

async function sign(who: Account, subject: { type: string; id: string }, action: string, context?: unknown): Promise<Signature> {
  const o = await server.api<Options>('POST', '/api/v1/signatures/options', { token: who.token, body: context === undefined ? { subject, action } : { subject, action, context } });
  assert.equal(o.status, 200, JSON.stringify(o.body));
  const credential = await who.authenticator.get(o.body.publicKey);
  const s = await server.api<Signature>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: o.body.flowId, credential } });
  assert.equal(s.status, 201, JSON.stringify(s.body));
  return s.body;
}

/** A building permit, signed by its applicant and submitted: review → urbanism ∥ cadastre → approve. */
async function permitCase(who: Account = ana): Promise<string> {
  const plan = await upload(who, samplePdf('plan'), 'plan.pdf', 'application/pdf');
  const deed = await upload(who, samplePng(), 'vlasnistvo.png', 'image/png');
  const id = await draft(who, 'building-permit', {
    investorType: 'person', investorName: 'Ana Anić', investorJmbg: JMBG, email: 'ana@example.rs',
    cadastralMunicipality: 'novi-sad-1', parcelNumber: '1234/5', description: 'Porodična kuća P+1, 120 m²',
    estimatedValue: 8_500_000, projectDocumentation: [plan], ownershipProof: [deed], declaration: true,
  });
  const s = await sign(who, { type: 'application', id }, 'submit');
  await submit(who, id, { signatureId: s.id });
  return id;
}

function getCase(who: Account, id: string) {
  return server.api<CaseView>('GET', `/api/v1/cases/${id}`, { token: who.token });
}

async function caseOf(who: Account, id: string): Promise<CaseView> {
  const res = await getCase(who, id);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

function signDecision(who: Account, id: string, step: string, decision: DecisionKind, comment?: string): Promise<Signature> {
  return sign(who, { type: 'decision', id: `${id}:${step}` }, decision, comment === undefined ? undefined : { comment });
}

function postDecision(who: Account, id: string, body: Record<string, unknown>, version?: number) {
  return server.api<CaseView>('POST', `/api/v1/cases/${id}/decisions`, {
    token: who.token, body, headers: version === undefined ? {} : { 'If-Match': `"${version}"` },
  });
}

/** Signs and posts a decision at the case's current version; returns the answer. */
async function decide(who: Account, id: string, step: string, decision: DecisionKind, comment?: string) {
  const version = (await caseOf(who, id)).version;
  const s = await signDecision(who, id, step, decision, comment);
  return postDecision(who, id, { step, decision, ...(comment === undefined ? {} : { comment }), signatureId: s.id }, version);
}

async function decided(who: Account, id: string, step: string, decision: DecisionKind, comment?: string): Promise<CaseView> {
  const res = await decide(who, id, step, decision, comment);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

const states = (c: CaseView) => Object.fromEntries(c.approvalLine.map((s) => [s.id, s.state]));

function inbox(who: Account, query = '') {
  return server.api<Page<InboxItem>>('GET', `/api/v1/inbox${query}`, { token: who.token });
}

async function inboxIds(who: Account, query = ''): Promise<string[]> {
  const res = await inbox(who, query);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items.map((i) => i.id);
}

describe('the approval line', () => {
  test('review → two parallel agrees → approve, each decision signed over the content, step, decision and comment', async () => {
    const id = await permitCase();
    let c = await caseOf(clerk, id);
    assert.equal(c.status, 'submitted');
    assert.equal(c.round, 1);
    assert.equal(c.origin, 'citizen');
    assert.deepEqual(c.applicant, { id: ana.user.id, displayName: 'Ana Anić' });
    assert.equal(c.attachments.length, 2);
    assert.deepEqual(c.approvalLine.map((s) => [s.id, s.kind, s.stage, s.state]), [
      ['review', 'review', 0, 'pending'], ['urbanism', 'agree', 1, 'waiting'], ['cadastre', 'agree', 1, 'waiting'], ['approve', 'approve', 2, 'waiting'],
    ]);
    assert.deepEqual(c.approvalLine[0]!.assignee, { role: 'clerk', agencyId: DEMO_AGENCY.id });
    assert.deepEqual(c.approvalLine[0]!.allowedDecisions, ['review', 'return', 'reject']);
    assert.deepEqual(c.approvalLine[0]!.as, { basis: 'assigned', onBehalfOf: null });
    assert.deepEqual(c.approvalLine[3]!.delegateRoles, ['deputy-head']);
    assert.deepEqual((await caseOf(urbanist, id)).approvalLine.map((s) => s.allowedDecisions.length), [0, 0, 0, 0]);
    assert.ok((await inboxIds(clerk, '?assigned=role')).includes(id), 'the clerks\' queue holds it');
    assert.ok(!(await inboxIds(urbanist, '?assigned=role')).includes(id), 'not yet the urbanists\'');

    // An agree step waits for the review: the signature cannot even be asked for.
    const early = await server.api('POST', '/api/v1/signatures/options', { token: urbanist.token, body: { subject: { type: 'decision', id: `${id}:urbanism` }, action: 'agree' } });
    assertProblem(early, 403);

    const comment = 'Dokumentacija je potpuna.';
    const s = await signDecision(clerk, id, 'review', 'review', comment);
    const stored = (await applications.get(server.db, id))!;
    const content = await contentDigest({ formId: stored.formId, formVersion: stored.formVersion, data: stored.data as never, attachments: stored.attachments });
    assert.deepEqual({ subject: s.evidence.payload.subject, action: s.evidence.payload.action }, { subject: { type: 'decision', id: `${id}:review` }, action: 'review' });
    assert.equal(s.evidence.payload.digest, await decisionDigest({ application: content, step: 'review', decision: 'review', comment }));
    // The same signature does not carry another comment, nor another decision.
    assertProblem(await postDecision(clerk, id, { step: 'review', decision: 'review', comment: 'Nešto drugo', signatureId: s.id }, c.version), 400, 'signatureId', 'digest-mismatch');
    assertProblem(await postDecision(clerk, id, { step: 'review', decision: 'return', comment, signatureId: s.id }, c.version), 400, 'signatureId', 'wrong-subject');
    assertProblem(await postDecision(clerk, id, { step: 'review', decision: 'review', comment, signatureId: s.id }), 428);
    assertProblem(await postDecision(clerk, id, { step: 'review', decision: 'review', comment, signatureId: s.id }, c.version + 5), 412);
    assertProblem(await postDecision(clerk, id, { step: 'review', decision: 'agree', comment, signatureId: s.id }, c.version), 400, 'decision', 'not-for-step');
    assertProblem(await postDecision(clerk, id, { step: 'nope', decision: 'review', signatureId: s.id }, c.version), 400, 'step', 'unknown');
    assertProblem(await postDecision(clerk, id, { step: 'review', decision: 'maybe', signatureId: s.id }, c.version), 400, 'decision', 'invalid');
    const ok = await postDecision(clerk, id, { step: 'review', decision: 'review', comment, signatureId: s.id }, c.version);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    c = ok.body;
    assert.equal(ok.headers.get('etag'), `"${c.version}"`);
    assert.equal(c.status, 'in_review');
    assert.deepEqual(states(c), { review: 'done', urbanism: 'pending', cadastre: 'pending', approve: 'waiting' });
    assert.deepEqual(c.approvalLine[0]!.decision, {
      decision: 'review', comment, decidedBy: { id: clerk.user.id, displayName: 'Petar Službenik' }, basis: 'assigned', onBehalfOf: null,
      signatureId: s.id, decidedAt: c.approvalLine[0]!.decision!.decidedAt,
    });
    // The signature is spent.
    assertProblem(await postDecision(clerk, id, { step: 'review', decision: 'review', comment, signatureId: s.id }, c.version), 409);

    // Parallel agrees, in either order; the approval opens when both have agreed.
    c = await decided(cadastre, id, 'cadastre', 'agree');
    assert.deepEqual(states(c), { review: 'done', urbanism: 'pending', cadastre: 'done', approve: 'waiting' });
    assertProblem(await server.api('POST', '/api/v1/signatures/options', { token: head.token, body: { subject: { type: 'decision', id: `${id}:approve` }, action: 'approve' } }), 403);
    assert.match(assertProblem(await postDecision(head, id, { step: 'approve', decision: 'approve', signatureId: s.id }, c.version), 409).type, /step-not-open$/);
    c = await decided(urbanist, id, 'urbanism', 'agree', 'Uslovi ispunjeni.');
    assert.deepEqual(states(c), { review: 'done', urbanism: 'done', cadastre: 'done', approve: 'pending' });
    assert.ok((await inboxIds(head, '?assigned=role')).includes(id));
    assert.ok((await inboxIds(deputy, '?assigned=role')).includes(id), 'the deputy head may approve by delegation');

    c = await decided(head, id, 'approve', 'approve');
    assert.equal(c.status, 'issued', 'approval issues the document at once');
    assert.deepEqual(states(c), { review: 'done', urbanism: 'done', cadastre: 'done', approve: 'done' });
    assert.ok(!(await inboxIds(head, '?assigned=role')).includes(id), 'nothing left to do');
    assert.deepEqual(c.history.map((h) => h.action), [
      'application.created', 'signature.created', 'application.submitted', 'application.reviewed', 'application.agreed', 'application.agreed', 'application.approved', 'document.issued',
    ]);
    const approval = [...c.history].reverse().find((h) => h.action === 'application.approved')!;
    assert.equal(approval.actorName, 'Milan Načelnik');
    assert.deepEqual({ ...approval.data, signatureId: undefined, digest: undefined }, {
      step: 'approve', kind: 'approve', decision: 'approve', decidedBy: { id: head.user.id, displayName: 'Milan Načelnik' }, basis: 'assigned',
      // Recorded at approval; issuing the document right after is one more version.
      round: 1, status: 'approved', version: c.version - 1, signatureId: undefined, digest: undefined,
    });
    // The citizen sees the outcome in her own view of the application.
    const mine = await server.api<ApplicationWithHistory>('GET', `/api/v1/applications/${id}`, { token: ana.token });
    assert.equal(mine.body.status, 'issued');
    assert.deepEqual(mine.body.history.slice(-2).map((h) => h.action), ['application.approved', 'document.issued']);
    // Decisions after the end are refused.
    assertProblem(await postDecision(head, id, { step: 'approve', decision: 'approve', signatureId: s.id }, c.version), 409);
  });

  test('return sends it back to the citizen with the comment; resubmission restarts the line', async () => {
    const id = await residenceCase();
    assertProblem(await decide(clerk, id, 'review', 'return'), 400, 'comment', 'required');
    let c = await decided(clerk, id, 'review', 'return', 'Nedostaje broj stana.');
    assert.equal(c.status, 'returned');
    assert.equal(c.returnComment, 'Nedostaje broj stana.');
    assert.deepEqual(states(c), { review: 'done', approve: 'cancelled' });
    assert.ok(!(await inboxIds(head, '?assigned=role')).includes(id));

    const mine = await server.api<ApplicationWithHistory>('GET', `/api/v1/applications/${id}`, { token: ana.token });
    assert.equal(mine.body.status, 'returned');
    assert.equal(mine.body.returnComment, 'Nedostaje broj stana.');
    assert.equal(mine.body.history.at(-1)!.action, 'application.returned');
    assert.equal(mine.body.history.at(-1)!.data.comment, 'Nedostaje broj stana.');

    assert.equal((await server.api('PUT', `/api/v1/applications/${id}`, { token: ana.token, body: { data: residence({ apartment: 'stan 4' }) } })).status, 200);
    await submit(ana, id);
    c = await caseOf(clerk, id);
    assert.equal(c.status, 'submitted');
    assert.equal(c.round, 2);
    assert.equal(c.returnComment, null);
    assert.deepEqual(states(c), { review: 'pending', approve: 'waiting' });
    assert.equal(c.data.apartment, 'stan 4');
    c = await decided(clerk2, id, 'review', 'review');
    c = await decided(head, id, 'approve', 'approve', 'Odobreno.');
    assert.equal(c.status, 'issued', 'approval issues the document at once');
    assert.deepEqual(c.history.map((h) => h.action), [
      'application.created', 'application.submitted', 'application.returned', 'application.updated', 'application.resubmitted',
      'application.reviewed', 'application.approved', 'document.issued',
    ]);
    assert.deepEqual(c.history.map((h) => h.data.round).filter((r) => r !== undefined), [1, 2, 2]);
  });

  test('reject ends it with the reason', async () => {
    const id = await residenceCase();
    await decided(clerk, id, 'review', 'review');
    assertProblem(await decide(head, id, 'approve', 'reject'), 400, 'comment', 'required');
    const c = await decided(head, id, 'approve', 'reject', 'Podnosilac nema prebivalište na ovoj adresi.');
    assert.equal(c.status, 'rejected');
    assert.equal(c.approvalLine[1]!.decision!.comment, 'Podnosilac nema prebivalište na ovoj adresi.');
    const mine = await server.api<ApplicationWithHistory>('GET', `/api/v1/applications/${id}`, { token: ana.token });
    assert.equal(mine.body.status, 'rejected');
    assert.equal(mine.body.history.at(-1)!.action, 'application.rejected');
    assert.equal(mine.body.history.at(-1)!.data.comment, 'Podnosilac nema prebivalište na ovoj adresi.');
    // It is over: no resubmission, no more decisions.
    assert.equal((await server.api('POST', `/api/v1/applications/${id}/submit`, { token: ana.token, body: {} })).status, 409);
    const p = assertProblem(await postDecision(clerk, id, { step: 'review', decision: 'review', signatureId: 'x' }, c.version), 409);
    assert.match(p.type, /step-decided$/);
    assert.ok((await inboxIds(clerk, '?status=rejected')).includes(id));
  });

  test('two officials decide the same step at once: exactly one wins, the other gets 409 and changes nothing', async () => {
    const id = await residenceCase();
    const { version } = await caseOf(clerk, id);
    const [a, b] = await Promise.all([signDecision(clerk, id, 'review', 'review'), signDecision(clerk2, id, 'review', 'return', 'Vratiti.')]);
    const audit = await count('audit_log');
    const answers = await Promise.all([
      postDecision(clerk, id, { step: 'review', decision: 'review', signatureId: a.id }, version),
      postDecision(clerk2, id, { step: 'review', decision: 'return', comment: 'Vratiti.', signatureId: b.id }, version),
    ]);
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409], JSON.stringify(answers.map((r) => r.body)));
    const winner = answers.findIndex((r) => r.status === 200);
    const [won, lost] = winner === 0 ? [a, b] : [b, a];
    const c = await caseOf(clerk, id);
    assert.equal(c.version, version + 1, 'one change');
    assert.equal(c.approvalLine[0]!.decision!.signatureId, won.id);
    assert.equal(c.status, winner === 0 ? 'in_review' : 'returned');
    assert.equal(await count('audit_log'), audit + 1, 'one audit entry');
    const loser = await server.db('signatures').where({ id: lost.id }).first();
    assert.equal(loser.used_at, null, 'the losing signature was not taken');
  });
});

/** The digest a decision's signature covers, rebuilt from the stored application (with the mandate, if any). */
async function expectedDecisionDigest(id: string, step: string, decision: DecisionKind, mandate?: DecisionMandate): Promise<string> {
  const stored = (await applications.get(server.db, id))!;
  const application = await contentDigest({ formId: stored.formId, formVersion: stored.formVersion, data: stored.data as never, attachments: stored.attachments });
  return decisionDigest({ application, step, decision, comment: '', ...(mandate ? { mandate } : {}) });
}

/** The evidence of the signature a decided step records. */
async function stepSignature(who: Account, c: CaseView, index: number): Promise<Signature> {
  const res = await server.api<Signature>('GET', `/api/v1/signatures/${c.approvalLine[index]!.decision!.signatureId}`, { token: who.token });
  assert.equal(res.status, 200);
  return res.body;
}

describe('delegated and proxy approval', () => {
  test('delegated approval: the deputy head approves by the form\'s rule, recorded with both names', async () => {
    const id = await residenceCase();
    // The residence certificate allows no delegation.
    await decided(clerk, id, 'review', 'review');
    assertProblem(await server.api('POST', '/api/v1/signatures/options', { token: deputy.token, body: { subject: { type: 'decision', id: `${id}:approve` }, action: 'approve' } }), 403);

    const memo = await draft(clerk2, 'internal-memo', { subject: 'Nabavka papira', body: 'Predlažem nabavku 20 ris papira.' });
    await submit(clerk2, memo);
    await decided(clerk, memo, 'review', 'review');
    const seen = await caseOf(deputy, memo);
    assert.deepEqual(seen.approvalLine[1]!.as, { basis: 'delegated', onBehalfOf: { role: 'head', agencyId: DEMO_AGENCY.id } });
    const c = await decided(deputy, memo, 'approve', 'approve');
    assert.equal(c.status, 'issued', 'approval issues the document at once');
    // The signature itself says in whose stead it was given: the mandate is part of what it covers.
    const signature = await stepSignature(deputy, c, 1);
    assert.equal(signature.evidence.payload.digest, await expectedDecisionDigest(memo, 'approve', 'approve', { basis: 'delegated', role: 'head' }));
    assert.notEqual(signature.evidence.payload.digest, await expectedDecisionDigest(memo, 'approve', 'approve'));
    assert.deepEqual({ ...c.approvalLine[1]!.decision, signatureId: undefined, decidedAt: undefined }, {
      decision: 'approve', comment: null, decidedBy: { id: deputy.user.id, displayName: 'Dragan Zamenik' }, basis: 'delegated',
      onBehalfOf: { role: 'head', agencyId: DEMO_AGENCY.id }, signatureId: undefined, decidedAt: undefined,
    });
    const entry = [...c.history].reverse().find((h) => h.action === 'application.approved')!;
    assert.equal(entry.action, 'application.approved');
    assert.equal(entry.data.basis, 'delegated');
    assert.deepEqual(entry.data.onBehalfOf, { role: 'head', agencyId: DEMO_AGENCY.id });
    assert.deepEqual(entry.data.decidedBy, { id: deputy.user.id, displayName: 'Dragan Zamenik' });
  });

  test('proxy approval works inside its window only, recorded with both names', async () => {
    const now = Date.now() + server.clock.offset;
    const iso = (ms: number) => new Date(ms).toISOString();
    // Refusals first: citizens, oneself, another agency, a window that is over.
    assertProblem(await server.api('POST', '/api/v1/delegations', { token: ana.token, body: { toUserId: clerk.user.id, from: iso(now), until: iso(now + HOUR) } }), 403);
    assertProblem(await server.api('POST', '/api/v1/delegations', { token: head.token, body: { toUserId: head.user.id, from: iso(now), until: iso(now + HOUR) } }), 400, 'toUserId', 'self');
    assertProblem(await server.api('POST', '/api/v1/delegations', { token: head.token, body: { toUserId: outsider.user.id, from: iso(now), until: iso(now + HOUR) } }), 400, 'toUserId', 'unknown');
    assertProblem(await server.api('POST', '/api/v1/delegations', { token: head.token, body: { toUserId: ana.user.id, from: iso(now), until: iso(now + HOUR) } }), 400, 'toUserId', 'unknown');
    assertProblem(await server.api('POST', '/api/v1/delegations', { token: head.token, body: { toUserId: substitute.user.id, from: iso(now - 2 * HOUR), until: iso(now - HOUR) } }), 400, 'until', 'past');
    assertProblem(await server.api('POST', '/api/v1/delegations', { token: head.token, body: { toUserId: substitute.user.id, from: iso(now + HOUR), until: iso(now) } }), 400, 'until', 'range');
    assertProblem(await server.api('POST', '/api/v1/delegations', { token: head.token, body: { toUserId: substitute.user.id, from: 'tomorrow', until: iso(now) } }), 400, 'from', 'date');

    // Milan (head) is away from in one hour for one hour; Sava stands in.
    const made = await server.api<DelegationView>('POST', '/api/v1/delegations', {
      token: head.token, body: { toUserId: substitute.user.id, from: iso(now + HOUR), until: iso(now + 2 * HOUR) },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.deepEqual({ ...made.body, id: undefined, createdAt: undefined }, {
      id: undefined, createdAt: undefined, absent: { id: head.user.id, displayName: 'Milan Načelnik' },
      substitute: { id: substitute.user.id, displayName: 'Sava Savetnik' }, agencyId: DEMO_AGENCY.id,
      from: iso(now + HOUR), until: iso(now + 2 * HOUR), revokedAt: null,
    });
    const listed = await server.api<{ items: DelegationView[] }>('GET', '/api/v1/delegations', { token: substitute.token });
    assert.deepEqual(listed.body.items.map((d) => d.id), [made.body.id]);

    const id = await residenceCase();
    await decided(clerk, id, 'review', 'review');

    // Before the window: Sava is nobody on this step.
    assert.equal((await caseOf(substitute, id)).approvalLine[1]!.as, null);
    assertProblem(await server.api('POST', '/api/v1/signatures/options', { token: substitute.token, body: { subject: { type: 'decision', id: `${id}:approve` }, action: 'approve' } }), 403);
    assertProblem(await postDecision(substitute, id, { step: 'approve', decision: 'approve', signatureId: 'none' }, (await caseOf(substitute, id)).version), 403);
    assert.ok(!(await inboxIds(substitute, '?assigned=role')).includes(id));

    try {
      // Inside the window.
      server.clock.offset += 90 * 60_000;
      const seen = await caseOf(substitute, id);
      assert.deepEqual(seen.approvalLine[1]!.as, { basis: 'proxy', onBehalfOf: { id: head.user.id, displayName: 'Milan Načelnik' } });
      assert.ok((await inboxIds(substitute, '?assigned=role')).includes(id), 'the head\'s queue is his while he stands in');
      const c = await decided(substitute, id, 'approve', 'approve');
      assert.equal(c.status, 'issued', 'approval issues the document at once');
      const signature = await stepSignature(substitute, c, 1);
      assert.equal(
        signature.evidence.payload.digest,
        await expectedDecisionDigest(id, 'approve', 'approve', { basis: 'proxy', user: head.user.id, name: 'Milan Načelnik' }),
      );
      // An own decision's digest is as it always was (no mandate).
      assert.equal((await stepSignature(clerk, c, 0)).evidence.payload.digest, await expectedDecisionDigest(id, 'review', 'review'));
      assert.deepEqual({ ...c.approvalLine[1]!.decision, signatureId: undefined, decidedAt: undefined }, {
        decision: 'approve', comment: null, decidedBy: { id: substitute.user.id, displayName: 'Sava Savetnik' }, basis: 'proxy',
        onBehalfOf: { id: head.user.id, displayName: 'Milan Načelnik' }, signatureId: undefined, decidedAt: undefined,
      });
      const approval = [...c.history].reverse().find((h) => h.action === 'application.approved')!;
      assert.equal(approval.data.basis, 'proxy');
      assert.deepEqual(approval.data.onBehalfOf, { id: head.user.id, displayName: 'Milan Načelnik' });
      // The evidence names the one who signed: the substitute.
      const sig = await server.api<Signature>('GET', `/api/v1/signatures/${c.approvalLine[1]!.decision!.signatureId}`, { token: head.token });
      assert.equal(sig.body.evidence.signer.id, substitute.user.id);

      // The issued PDF verifies offline, the proxy's signature included: its evidence file gives
      // the signed decision content with its mandate, and core recomputes the digest from it.
      const [doc] = await server.db('documents').where({ application_id: id }).select('id');
      const pdf = await fetch(`${server.url}/api/v1/documents/${doc.id}/pdf`, { headers: { Authorization: `Bearer ${head.token}` } });
      assert.equal(pdf.status, 200);
      const trust = await server.api<{ anchors: { pem: string }[] }>('GET', '/api/v1/trust');
      const report = await verifyDocument(new Uint8Array(await pdf.arrayBuffer()), {
        trustAnchors: trust.body.anchors.map((a) => a.pem), rpId: server.config.rpId, allowedOrigins: [TEST_ORIGIN],
      });
      assert.equal(report.indication, 'TOTAL_PASSED', JSON.stringify(report));
      const proxyEntry = report.signatures.find((e) => e.kind === 'passkey' && e.signer?.id === substitute.user.id);
      assert.ok(proxyEntry, `the proxy's signature is in the report: ${JSON.stringify(report.signatures.map((e) => e.signer))}`);
      assert.equal(proxyEntry.indication, 'TOTAL_PASSED');

      // After the window: nobody again.
      const later = await residenceCase();
      await decided(clerk, later, 'review', 'review');
      server.clock.offset += 60 * 60_000;
      assert.equal((await caseOf(substitute, later)).approvalLine[1]!.as, null);
      assertProblem(await postDecision(substitute, later, { step: 'approve', decision: 'approve', signatureId: 'none' }, (await caseOf(substitute, later)).version), 403);
    } finally {
      server.clock.offset -= 150 * 60_000;
    }

    // Revoked early: over at once.
    const revoked = await server.api<DelegationView>('DELETE', `/api/v1/delegations/${made.body.id}`, { token: head.token });
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.revokedAt);
    assertProblem(await server.api('DELETE', `/api/v1/delegations/${made.body.id}`, { token: clerk.token }), 404);
  });

  test('a delegation revoked early takes the right away at once: the substitute decided before, and after is refused, even with a decision signed before', async () => {
    const now = Date.now() + server.clock.offset;
    const iso = (ms: number) => new Date(ms).toISOString();
    // Milan (head) is away from now for an hour; Sava stands in.
    const made = await server.api<DelegationView>('POST', '/api/v1/delegations', {
      token: head.token, body: { toUserId: substitute.user.id, from: iso(now - 60_000), until: iso(now + HOUR) },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const first = await residenceCase();
    const second = await residenceCase();
    for (const id of [first, second]) await decided(clerk, id, 'review', 'review');

    // While it runs: Sava decides one case in Milan's stead, and signs his decision on the other.
    const proxy = { basis: 'proxy', onBehalfOf: { id: head.user.id, displayName: 'Milan Načelnik' } };
    assert.deepEqual((await caseOf(substitute, second)).approvalLine[1]!.as, proxy);
    assert.ok((await inboxIds(substitute, '?assigned=role')).includes(second));
    const done = await decided(substitute, first, 'approve', 'approve');
    assert.equal(done.approvalLine[1]!.decision!.basis, 'proxy');
    const version = (await caseOf(substitute, second)).version;
    const signedBefore = await signDecision(substitute, second, 'approve', 'approve');

    // Milan is back early and ends it.
    const revoked = await server.api<DelegationView>('DELETE', `/api/v1/delegations/${made.body.id}`, { token: head.token });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    assert.ok(revoked.body.revokedAt);

    // Sava is nobody on the step again: no decision (not even the one he signed while he could),
    // no right shown, not in his queue, no new signature.
    const refused = assertProblem(await postDecision(substitute, second, { step: 'approve', decision: 'approve', signatureId: signedBefore.id }, version), 403);
    assert.equal(refused.type, 'https://overa.dev/problems/not-allowed');
    assert.match(refused.detail!, /head/, 'the step is the head\'s');
    assert.equal((await caseOf(substitute, second)).approvalLine[1]!.as, null);
    assert.ok(!(await inboxIds(substitute, '?assigned=role')).includes(second));
    assertProblem(await server.api('POST', '/api/v1/signatures/options', {
      token: substitute.token, body: { subject: { type: 'decision', id: `${second}:approve` }, action: 'approve' },
    }), 403);
    // The refusal changed nothing: the step waits for Milan, who decides it himself.
    const still = await caseOf(head, second);
    assert.equal(still.version, version);
    assert.equal(still.approvalLine[1]!.state, 'pending');
    assert.deepEqual(still.approvalLine[1]!.as, { basis: 'assigned', onBehalfOf: null });
    assert.equal((await decided(head, second, 'approve', 'approve')).approvalLine[1]!.decision!.basis, 'assigned');
  });
});

describe('who sees and decides what', () => {
  test('an official of another agency: 404 on the case, 403 on a decision; a citizen: 403', async () => {
    const id = await residenceCase();
    const { version } = await caseOf(clerk, id);
    assertProblem(await getCase(outsider, id), 404);
    assertProblem(await getCase(clerk, '00000000-0000-4000-8000-000000000000'), 404);
    assertProblem(await postDecision(outsider, id, { step: 'review', decision: 'review', signatureId: 'x' }, version), 403);
    assertProblem(await server.api('POST', '/api/v1/signatures/options', { token: outsider.token, body: { subject: { type: 'decision', id: `${id}:review` }, action: 'review' } }), 404);
    assert.ok(!(await inboxIds(outsider)).includes(id));

    // Citizens: the cases API is not theirs, their own application included.
    assertProblem(await getCase(ana, id), 403);
    assertProblem(await postDecision(ana, id, { step: 'review', decision: 'review', signatureId: 'x' }, version), 403);
    assertProblem(await inbox(ana), 403);
    assertProblem(await server.api('GET', '/api/v1/delegations', { token: ana.token }), 403);
    assertProblem(await server.api('POST', '/api/v1/signatures/options', { token: ana.token, body: { subject: { type: 'decision', id: `${id}:review` }, action: 'review' } }), 404);
    assertProblem(await server.api('GET', `/api/v1/cases/${id}`), 401);

    // An official of the agency whose role the step does not name.
    assertProblem(await postDecision(urbanist, id, { step: 'review', decision: 'review', signatureId: 'x' }, version), 403);
    assertProblem(await server.api('POST', '/api/v1/signatures/options', { token: urbanist.token, body: { subject: { type: 'decision', id: `${id}:review` }, action: 'review' } }), 403);
    // Nothing was changed by any of it.
    assert.equal((await caseOf(clerk, id)).version, version);
  });

  test('a citizen cannot use an internal form', async () => {
    const res = await server.api('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'internal-memo', formVersion: 1, data: { subject: 'x', body: 'y' } } });
    assertProblem(res, 403);
    assertProblem(await server.api('POST', '/api/v1/applications', { token: outsider.token, body: { formId: 'internal-memo', formVersion: 1, data: { subject: 'x', body: 'y' } } }), 403);
    assertProblem(await server.api('GET', '/api/v1/forms/internal-memo', { token: ana.token }), 404);
    assertProblem(await server.api('GET', '/api/v1/forms/internal-memo'), 404);
    const publicList = await server.api<{ forms: { id: string }[] }>('GET', '/api/v1/forms');
    assert.deepEqual(publicList.body.forms.map((f) => f.id), ['birth-register-extract', 'building-permit', 'certificate-of-residence', 'residence-registration']);
    assert.equal(publicList.headers.get('cache-control'), 'public, max-age=60');
    const officials = await server.api<{ forms: { id: string; audience: string }[] }>('GET', '/api/v1/forms', { token: clerk.token });
    assert.deepEqual(officials.body.forms.filter((f) => f.audience === 'internal').map((f) => f.id), ['internal-memo', 'request-for-approval']);
    assert.equal(officials.headers.get('cache-control'), 'private, max-age=60');
    assert.equal((await server.api('GET', '/api/v1/forms/internal-memo', { token: clerk.token })).status, 200);
  });
});

describe('internal drafting', () => {
  test('an official drafts an internal memo that is reviewed and approved, the drafter recorded as such', async () => {
    const id = await draft(clerk2, 'internal-memo', { subject: 'Radno vreme šaltera', recipient: 'Odeljenje za opštu upravu', body: 'Predlažem produženje radnog vremena šaltera do 18 časova.' });
    assertProblem(await getCase(clerk, id), 404, undefined, undefined); // a draft is nobody's case yet
    await submit(clerk2, id);
    let c = await caseOf(clerk, id);
    assert.equal(c.origin, 'internal');
    assert.deepEqual(c.applicant, { id: clerk2.user.id, displayName: 'Jelena Referent' });
    assert.deepEqual(c.history[0]!.data, { formId: 'internal-memo', formVersion: 1, origin: 'internal', drafter: { id: clerk2.user.id, displayName: 'Jelena Referent' } });
    // The drafter holds the reviewing role but does not review her own memo.
    assert.deepEqual((await caseOf(clerk2, id)).approvalLine[0]!.allowedDecisions, []);
    assertProblem(await server.api('POST', '/api/v1/signatures/options', { token: clerk2.token, body: { subject: { type: 'decision', id: `${id}:review` }, action: 'review' } }), 403);
    const item = (await inbox(head, '?form=internal-memo')).body.items.find((i) => i.id === id)!;
    assert.equal(item.origin, 'internal');
    assert.deepEqual(item.applicant, { id: clerk2.user.id, displayName: 'Jelena Referent' });
    assert.equal(item.actionable, false);
    assert.equal((await inbox(clerk, '?form=internal-memo')).body.items.find((i) => i.id === id)!.actionable, true);

    c = await decided(clerk, id, 'review', 'review', 'Slažem se.');
    c = await decided(head, id, 'approve', 'approve');
    assert.equal(c.status, 'issued', 'approval issues the document at once');
    // The drafter follows it like any applicant.
    const mine = await server.api<ApplicationWithHistory>('GET', `/api/v1/applications/${id}`, { token: clerk2.token });
    assert.equal(mine.body.status, 'issued');
  });
});

describe('the inbox', () => {
  test('pages with a keyset cursor, filters by status, form, date and assignment, and searches names and tracking numbers', async () => {
    // A fresh set of cases for this test, found by a name nobody else has.
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await residenceCase(boris, { firstName: 'Boris', lastName: 'Đorđević' }));
    await decided(clerk, ids[0]!, 'review', 'review');

    // Search: folded, so Cyrillic, Latin and plain ASCII find the same; the tracking number by any part.
    const byName = async (q: string) => (await inboxIds(clerk, `?q=${encodeURIComponent(q)}&limit=100`)).filter((id) => ids.includes(id)).length;
    assert.equal(await byName('Ђорђевић'), 5);
    assert.equal(await byName('Đorđević'), 5);
    assert.equal(await byName('djordjevic boris'), 5);
    assert.equal(await byName('ђорђ'), 5);
    const tracking = (await caseOf(clerk, ids[2]!)).trackingNumber;
    assert.deepEqual(await inboxIds(clerk, `?q=${tracking}`), [ids[2]]);
    assert.deepEqual(await inboxIds(clerk, `?q=${tracking.slice(-6).toLowerCase()}`), [ids[2]]);
    assertProblem(await inbox(clerk, '?q=a'), 400, 'q', 'tooShort');
    // A word that begins very many terms is read as one sorted range: the same cases, the same order.
    const viaRange = await inboxDb.page(server.db, { kind: 'prefix', agencyId: DEMO_AGENCY.id, prefix: 'djordj' }, { limit: 100 });
    assert.deepEqual(viaRange.map((r) => r.id), [...ids].reverse());
    const everyNumber = await inboxIds(clerk, '?q=np&limit=100');
    assert.ok(ids.every((id) => everyNumber.includes(id)), 'the agency prefix of the tracking number');
    assert.deepEqual(await byName('boris nobody'), 0, 'every word must match');
    assert.equal(await byName('bor'), 5, 'a word finds the terms it begins');

    // Keyset pages of 2, newest first, no duplicates, no gaps.
    const all = (await inboxIds(clerk, '?q=djordjevic&limit=100'));
    assert.deepEqual(all, [...ids].reverse());
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: ApiResponse<Page<InboxItem>> = await inbox(clerk, `?q=djordjevic&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.items.length <= 2);
      paged.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    assert.deepEqual(paged, all);
    assertProblem(await inbox(clerk, '?cursor=garbage'), 400, 'cursor');

    // Filters.
    assert.deepEqual(await inboxIds(clerk, '?q=djordjevic&status=in_review'), [ids[0]]);
    assert.deepEqual((await inboxIds(clerk, '?q=djordjevic&status=submitted,in_review')).length, 5);
    assert.deepEqual((await inboxIds(clerk, '?q=djordjevic&status=submitted&status=in_review')).length, 5);
    assert.deepEqual(await inboxIds(clerk, '?q=djordjevic&form=building-permit'), []);
    assert.equal((await inboxIds(clerk, '?q=djordjevic&form=certificate-of-residence')).length, 5);
    assertProblem(await inbox(clerk, '?status=draft'), 400, 'status');
    assertProblem(await inbox(clerk, '?assigned=everyone'), 400, 'assigned');
    assertProblem(await inbox(clerk, '?limit=500'), 400, 'limit');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Belgrade' }).format(new Date(Date.now() + server.clock.offset));
    assert.equal((await inboxIds(clerk, `?q=djordjevic&from=${today}&to=${today}`)).length, 5);
    assert.equal((await inboxIds(clerk, '?q=djordjevic&to=2020-01-01')).length, 0);
    assertProblem(await inbox(clerk, '?from=2026-02-30'), 400, 'from', 'date');
    // A parameter that is there has a value: an empty one is refused, not read as absent.
    assertProblem(await inbox(clerk, '?q='), 400, 'q');
    assertProblem(await inbox(clerk, '?from='), 400, 'from', 'date');
    assertProblem(await inbox(clerk, '?status=submitted,'), 400, 'status', 'invalid');
    assertProblem(await inbox(clerk, '?limit=1e1'), 400, 'limit', 'range');
    // Every parameter at fault at once.
    const several = assertProblem(await inbox(clerk, '?limit=0&assigned=x&to=never'), 400);
    assert.deepEqual(several.errors?.map((e) => e.field), ['limit', 'assigned', 'to']);

    // Assigned to my role / to me.
    const queue = await inboxIds(clerk, '?q=djordjevic&assigned=role');
    assert.deepEqual(queue, [...ids.slice(1)].reverse(), 'the four waiting for review');
    assert.deepEqual((await inboxIds(head, '?q=djordjevic&assigned=role')), [ids[0]]);
    assert.deepEqual(await inboxIds(clerk, '?q=djordjevic&assigned=me'), [], 'no step names Petar himself');

    // An item.
    const item = (await inbox(head, '?q=djordjevic&assigned=role')).body.items[0]!;
    // The form's 30-day time limit, counted from today (test/server/deadlines.test.ts checks the arithmetic).
    assert.equal(item.deadline?.state, 'running');
    assert.equal(item.deadline?.status, 'on-time');
    assert.deepEqual({ ...item, submittedAt: undefined, updatedAt: undefined, trackingNumber: undefined, version: undefined, deadline: undefined }, {
      id: ids[0], formId: 'certificate-of-residence', formVersion: 1, agencyId: DEMO_AGENCY.id, status: 'in_review', origin: 'citizen',
      applicant: { id: boris.user.id, displayName: 'Борис Ђорђевић' }, pendingSteps: [{ id: 'approve', kind: 'approve', assignee: { role: 'head', agencyId: DEMO_AGENCY.id } }],
      actionable: true, submittedAt: undefined, updatedAt: undefined, trackingNumber: undefined, version: undefined, deadline: undefined,
    });
  });
});

// ---- server-sent events ----

describe('server-sent events', () => {
  test('a decision reaches every open inbox of the agency at once, and nobody else', async () => {
    const url = `${server.url}/api/v1/inbox/events`;
    assert.equal((await openEvents(url)).status, 401);
    assert.equal((await openEvents(`${url}?access_token=not-a-real-token-at-all`)).status, 401);
    const citizen = await openEvents(url, { Authorization: `Bearer ${ana.token}` });
    assert.equal(citizen.status, 403);

    // One by header, one the EventSource way (token in the query), one of another agency.
    const first = await openEvents(url, { Authorization: `Bearer ${head.token}` });
    const second = await openEvents(`${url}?access_token=${clerk2.token}`);
    const other = await openEvents(`${url}?access_token=${outsider.token}`);
    try {
      assert.equal(first.status, 200);
      assert.match(first.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(first.headers.get('cache-control'), 'no-store');
      for (const s of [first, second, other]) await s.next((e) => e.event === 'ready');

      const id = await residenceCase();
      const submitted = await second.next((e) => e.event === 'case-updated' && e.data.id === id);
      assert.equal(submitted.data.status, 'submitted');
      const c = await decided(clerk, id, 'review', 'review');
      const expected = { id, status: 'in_review', version: c.version, trackingNumber: c.trackingNumber };
      assert.deepEqual((await first.next((e) => e.event === 'case-updated' && e.data.status === 'in_review' && e.data.id === id)).data, expected);
      assert.deepEqual((await second.next((e) => e.event === 'case-updated' && e.data.status === 'in_review' && e.data.id === id)).data, expected);
      // The bus hands an event to every stream at the same moment: the other agency's would have it by now.
      assert.deepEqual(other.events.filter((e) => e.event === 'case-updated'), []);
    } finally {
      for (const s of [first, second, other, citizen]) s.close();
    }
  });
});
