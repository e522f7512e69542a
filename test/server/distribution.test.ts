/**
 * Distribution between agencies (issue 6, item 5) through the real HTTP API with real passkey
 * signatures (SoftAuthenticator): a building permit is sent on issuance to the land registry
 * its form names, officials send documents by hand, the receiving agency lists them in its
 * reception inbox, reads the PDF and acknowledges receipt with a signature; both sides see the
 * sending and the receipt in the document's history. And every way of getting it wrong.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { startTestServer, TEST_ORIGIN, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { samplePdf, samplePng } from '../helpers/files.ts';
import { openEvents } from '../helpers/events.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY, DEMO_RECEIVING_AGENCY } from '../../server/seed.ts';
import { agencies } from '../../server/db/agencies.ts';
import { ensureDemoKeys } from '../../server/documents/keys.ts';
import { verifyAudit } from '../../server/services/audit.ts';
import type { PasskeyEvidence, SigningPayload } from '../../components/core/signing/payload.ts';
import { receptionDigest } from '../../components/core/signing/reception.ts';
import { verifyPasskeyEvidence } from '../../components/core/signing/verify-evidence.ts';
import type { ApplicationWithHistory, DocumentDetails, Page, ReceptionItem } from '../../components/core/api.ts';
import type { Problem } from '../../components/core/problem.ts';
import { assertProblem } from '../helpers/problems.ts';
import { JMBG } from '../helpers/sample-data.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const RGZ = DEMO_RECEIVING_AGENCY;
const OTHER = { id: 'drugi-grad', name: 'Gradska uprava Drugi Grad' };

interface Options { flowId: string; payload: SigningPayload; publicKey: PublicKeyCredentialRequestOptionsJSON }
interface Signature { id: string; evidence: PasskeyEvidence }

let server: TestServer;
let ana: Account; // the applicant
let boris: Account; // another citizen
let clerk: Account;
let urbanist: Account;
let cadastre: Account;
let head: Account;
let registrar: Account; // an official of the land registry (the receiving agency)
let registrar2: Account;
let other: Account; // an official of a third agency

before(async () => {
  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES });
  const now = Date.now();
  await seedDemo(server.db, now);
  await agencies.upsert(server.db, { ...OTHER, created_at: now });
  await ensureDemoKeys(server.config, [DEMO_AGENCY]);
  const official = async (name: string, agencyId: string, roles: string[]) =>
    registerAccount(server, name, await createInvite(server.db, { agencyId, roles }, now));
  ana = await registerAccount(server, 'Ana Anić');
  boris = await registerAccount(server, 'Boris Borić');
  clerk = await official('Petar Službenik', DEMO_AGENCY.id, ['clerk']);
  urbanist = await official('Urban Urbanić', DEMO_AGENCY.id, ['urbanism']);
  cadastre = await official('Kata Katastrić', DEMO_AGENCY.id, ['cadastre']);
  head = await official('Јелена Начелник', DEMO_AGENCY.id, ['head']);
  registrar = await official('Vesna Registrar', RGZ.id, ['registrar']);
  registrar2 = await official('Goran Geodeta', RGZ.id, ['registrar']);
  other = await official('Drugi Službenik', OTHER.id, ['clerk', 'head']);
});
after(() => server.close());

function ok<T>(res: ApiResponse<T>, status = 200): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

async function count(table: string): Promise<number> {
  return Number((await server.db(table).count({ n: '*' }).first())!.n);
}

/** Nothing stored by a refusal: no reception, no signature, no audit entry. */
async function refusesAndStoresNothing(attempt: () => Promise<ApiResponse<unknown>>, status: number, field?: string, code?: string): Promise<Problem> {
  const tables = ['document_recipients', 'signatures', 'audit_log'];
  const before = await Promise.all(tables.map(count));
  const p = assertProblem(await attempt(), status, field, code);
  assert.deepEqual(await Promise.all(tables.map(count)), before);
  return p;
}

function signingOptions(who: Account, subject: { type: string; id: string }, action: string) {
  return server.api<Options>('POST', '/api/v1/signatures/options', { token: who.token, body: { subject, action } });
}

async function sign(who: Account, subject: { type: string; id: string }, action: string): Promise<Signature> {
  const o = ok(await signingOptions(who, subject, action));
  const credential = await who.authenticator.get(o.publicKey);
  return ok(await server.api<Signature>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: o.flowId, credential } }), 201);
}

async function decide(who: Account, appId: string, step: string, decision: string): Promise<void> {
  const s = await sign(who, { type: 'decision', id: `${appId}:${step}` }, decision);
  const current = await server.api('GET', `/api/v1/cases/${appId}`, { token: who.token });
  ok(current);
  ok(await server.api('POST', `/api/v1/cases/${appId}/decisions`, {
    token: who.token, headers: { 'If-Match': current.headers.get('etag') ?? '' }, body: { step, decision, signatureId: s.id },
  }));
}

async function upload(who: Account, bytes: Buffer, filename: string, type: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  const res = await fetch(`${server.url}/api/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${who.token}` }, body: form });
  assert.equal(res.status, 201);
  return ((await res.json()) as { id: string }).id;
}

async function issuedDocumentId(appId: string): Promise<string> {
  const app = ok(await server.api<ApplicationWithHistory>('GET', `/api/v1/applications/${appId}`, { token: ana.token }));
  assert.equal(app.status, 'issued');
  return app.documentId!;
}

/** A building permit through its whole approval line: issued on approval, and sent to the land registry. */
async function issuedPermit(): Promise<string> {
  const plan = await upload(ana, samplePdf('plan'), 'plan.pdf', 'application/pdf');
  const deed = await upload(ana, samplePng(), 'vlasnistvo.png', 'image/png');
  const data = {
    investorType: 'person', investorName: 'Ana Anić', investorJmbg: JMBG, email: 'ana@example.rs',
    cadastralMunicipality: 'novi-sad-1', parcelNumber: '1234/5', description: 'Porodična kuća P+1, 120 m²',
    estimatedValue: 8_500_000, projectDocumentation: [plan], ownershipProof: [deed], declaration: true,
  };
  const draft = ok(await server.api<{ id: string }>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'building-permit', formVersion: 1, data } }), 201);
  const s = await sign(ana, { type: 'application', id: draft.id }, 'submit');
  ok(await server.api('POST', `/api/v1/applications/${draft.id}/submit`, { token: ana.token, body: { signatureId: s.id } }));
  await decide(clerk, draft.id, 'review', 'review');
  await decide(urbanist, draft.id, 'urbanism', 'agree');
  await decide(cadastre, draft.id, 'cadastre', 'agree');
  await decide(head, draft.id, 'approve', 'approve');
  return issuedDocumentId(draft.id);
}

/** A certificate of residence: its form names no recipients. */
async function issuedResidence(): Promise<string> {
  const data = {
    firstName: 'Ana', lastName: 'Anić', jmbg: JMBG, street: 'Bulevar oslobođenja 12', place: 'Novi Primer',
    postalCode: '21000', purpose: 'employment', delivery: 'online',
  };
  const draft = ok(await server.api<{ id: string }>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data } }), 201);
  ok(await server.api('POST', `/api/v1/applications/${draft.id}/submit`, { token: ana.token, body: {} }));
  await decide(clerk, draft.id, 'review', 'review');
  await decide(head, draft.id, 'approve', 'approve');
  return issuedDocumentId(draft.id);
}

const getDocument = (who: Account, id: string) => server.api<DocumentDetails>('GET', `/api/v1/documents/${id}`, { token: who.token });
const distribute = (who: Account, id: string, body: unknown) => server.api<DocumentDetails>('POST', `/api/v1/documents/${id}/distribute`, { token: who.token, body });
const reception = (who: Account, query = '') => server.api<Page<ReceptionItem>>('GET', `/api/v1/reception${query}`, { token: who.token });
const accept = (who: Account, id: string, body: unknown) => server.api<ReceptionItem>('POST', `/api/v1/reception/${id}/accept`, { token: who.token, body });

async function pdfStatus(who: Account, id: string): Promise<{ status: number; sha256?: string }> {
  const res = await fetch(`${server.url}/api/v1/documents/${id}/pdf`, { headers: { Authorization: `Bearer ${who.token}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return res.status === 200 ? { status: 200, sha256: createHash('sha256').update(bytes).digest('hex') } : { status: res.status };
}

/** The reception of `documentId` in `who`'s agency inbox. */
async function receptionOf(who: Account, documentId: string): Promise<ReceptionItem> {
  const item = ok(await reception(who, '?limit=100')).items.find((i) => i.documentId === documentId);
  assert.ok(item, `no reception of ${documentId}`);
  return item;
}

describe('a building permit is sent to the land registry on issuance, which acknowledges receipt', () => {
  let documentId: string;
  let receptionId: string;
  let signature: Signature;

  before(async () => {
    documentId = await issuedPermit();
  });

  test('issuance sent it to the agency the form names, in the same transaction, with document.sent', async () => {
    const doc = ok(await getDocument(head, documentId));
    assert.equal(doc.recipients.length, 1);
    const [r] = doc.recipients;
    assert.deepEqual({ ...r, sentAt: undefined }, { agencyId: RGZ.id, agencyName: RGZ.name, status: 'pending', sentAt: undefined, acceptedAt: null, signatureId: null });
    assert.ok(Math.abs(Date.parse(r!.sentAt) - Date.parse(doc.issuedAt)) < 1000);
    const sent = doc.history.filter((h) => h.action === 'document.sent');
    assert.deepEqual(sent.map((h) => [h.actor, h.actorName, h.data]), [[null, null, { agencyId: RGZ.id }]], 'sent automatically, by nobody');
    assert.deepEqual(doc.history.map((h) => h.action), ['document.issued', 'document.sent']);
    const row = await server.db('document_recipients').where({ document_id: documentId }).first();
    assert.equal(row.sent_by, null);
    assert.equal(row.status, 'pending');
    // The applicant sees where her document went.
    const hers = ok(await getDocument(ana, documentId));
    assert.deepEqual(hers.recipients, doc.recipients);
    assert.deepEqual(hers.history.map((h) => h.action), ['document.issued', 'document.sent']);
    assert.equal((await verifyAudit(server.db)).ok, true);
  });

  test('the receiving official finds it in the reception inbox, reads it and downloads the PDF', async () => {
    const page = ok(await reception(registrar));
    const item = page.items.find((i) => i.documentId === documentId);
    assert.ok(item);
    receptionId = item.id;
    const doc = ok(await getDocument(head, documentId));
    assert.deepEqual({ ...item, id: undefined, sentAt: undefined }, {
      id: undefined, documentId, title: doc.title, issuingAgency: { id: DEMO_AGENCY.id, name: DEMO_AGENCY.name },
      trackingNumber: doc.trackingNumber, documentStatus: 'valid', sentAt: undefined, status: 'pending', acceptedAt: null, acceptedBy: null, signatureId: null,
    });
    assert.equal(item.sentAt, doc.recipients[0]!.sentAt);
    assert.ok(ok(await reception(registrar, '?status=pending')).items.some((i) => i.id === receptionId));
    assert.ok(!ok(await reception(registrar, '?status=accepted')).items.some((i) => i.id === receptionId));
    assert.equal(page.items.length, 1);
    // Another agency's inbox does not have it.
    assert.deepEqual(ok(await reception(other)).items, []);

    const theirs = ok(await getDocument(registrar, documentId));
    assert.equal(theirs.sha256, doc.sha256);
    assert.deepEqual(theirs.recipients, doc.recipients);
    assert.deepEqual(await pdfStatus(registrar, documentId), { status: 200, sha256: doc.sha256 });
  });

  test('they sign the receipt with a passkey over the PDF\'s SHA-256, the document and their agency', async () => {
    const doc = ok(await getDocument(head, documentId));
    const o = ok(await signingOptions(registrar, { type: 'reception', id: receptionId }, 'accept'));
    assert.equal(o.payload.digest, await receptionDigest({ documentId, documentSha256: doc.sha256, agencyId: RGZ.id }));
    assert.deepEqual(o.payload.subject, { type: 'reception', id: receptionId });
    // Nobody else signs this receipt: the issuing agency (it sees the reception), the applicant, a third agency.
    assertProblem(await signingOptions(head, { type: 'reception', id: receptionId }, 'accept'), 403);
    assertProblem(await signingOptions(ana, { type: 'reception', id: receptionId }, 'accept'), 403);
    assertProblem(await signingOptions(other, { type: 'reception', id: receptionId }, 'accept'), 404);
    assertProblem(await signingOptions(boris, { type: 'reception', id: receptionId }, 'accept'), 404);
    // `reject` is an action on a reception only for a partner's document from another server (issue 19).
    assertProblem(await signingOptions(registrar, { type: 'reception', id: receptionId }, 'reject'), 403);
    assertProblem(await signingOptions(registrar, { type: 'reception', id: receptionId }, 'refuse'), 400, 'action');

    signature = await sign(registrar, { type: 'reception', id: receptionId }, 'accept');
    const report = await verifyPasskeyEvidence(signature.evidence, { rpId: server.config.rpId, allowedOrigins: [TEST_ORIGIN] });
    assert.equal(report.indication, 'TOTAL_PASSED', JSON.stringify(report));
    assert.equal(signature.evidence.signer.agencyId, RGZ.id);

    // Signed, not yet accepted: another official of the agency cannot use this signature.
    await refusesAndStoresNothing(() => accept(registrar2, receptionId, { signatureId: signature.id }), 400, 'signatureId', 'unknown');

    const accepted = ok(await accept(registrar, receptionId, { signatureId: signature.id }));
    assert.equal(accepted.status, 'accepted');
    assert.deepEqual(accepted.acceptedBy, { id: registrar.user.id, displayName: 'Vesna Registrar' });
    assert.equal(accepted.signatureId, signature.id);
    assert.equal(typeof accepted.acceptedAt, 'string');
    assert.deepEqual(ok(await reception(registrar, '?status=accepted')).items.map((i) => i.id), [receptionId]);
    assert.deepEqual(ok(await reception(registrar, '?status=pending')).items, []);
  });

  test('the acknowledgement shows on both sides: recipients, history, the signature', async () => {
    for (const who of [head, clerk, ana, registrar]) {
      const doc = ok(await getDocument(who, documentId));
      assert.equal(doc.recipients[0]!.status, 'accepted');
      assert.equal(doc.recipients[0]!.signatureId, signature.id);
      assert.equal(typeof doc.recipients[0]!.acceptedAt, 'string');
      assert.deepEqual(doc.history.map((h) => h.action), ['document.issued', 'document.sent', 'document.received']);
      const received = doc.history.at(-1)!;
      assert.deepEqual([received.actor, received.actorName, received.data], [registrar.user.id, 'Vesna Registrar', { agencyId: RGZ.id, signatureId: signature.id }]);
    }
    const entry = await server.db('audit_log').where({ action: 'document.received' }).first();
    assert.deepEqual([entry.subject_type, entry.subject_id, entry.actor], ['document', documentId, registrar.user.id]);
    // The issuing side may read the signature; a third agency may not.
    assert.equal(ok(await server.api<Signature>('GET', `/api/v1/signatures/${signature.id}`, { token: head.token })).id, signature.id);
    assertProblem(await server.api('GET', `/api/v1/signatures/${signature.id}`, { token: other.token }), 404);
    assert.equal((await verifyAudit(server.db)).ok, true);
  });

  test('accepting twice is a 409; so is asking to sign it again', async () => {
    const p = await refusesAndStoresNothing(() => accept(registrar, receptionId, { signatureId: signature.id }), 409);
    assert.equal(p.type, 'https://overa.dev/problems/already-accepted');
    assertProblem(await signingOptions(registrar, { type: 'reception', id: receptionId }, 'accept'), 403);
  });
});

describe('officials of the issuing agency distribute a document by hand', () => {
  let documentId: string;

  before(async () => {
    documentId = await issuedResidence();
  });

  test('a form without recipients sends nothing; a third agency cannot see the document', async () => {
    const doc = ok(await getDocument(clerk, documentId));
    assert.deepEqual(doc.recipients, []);
    assert.deepEqual(doc.history.map((h) => h.action), ['document.issued']);
    assertProblem(await getDocument(other, documentId), 404);
    assert.equal((await pdfStatus(other, documentId)).status, 404);
    assertProblem(await getDocument(registrar, documentId), 404);
  });

  test('bad requests are a 400 naming the field, and send nothing', async () => {
    const cases: [unknown, string, string][] = [
      [{}, 'agencyIds', 'required'],
      [{ agencyIds: [] }, 'agencyIds', 'required'],
      [{ agencyIds: 'drugi-grad' }, 'agencyIds', 'type'],
      [{ agencyIds: [OTHER.id, 5] }, 'agencyIds[1]', 'type'],
      [{ agencyIds: ['x'.repeat(65)] }, 'agencyIds[0]', 'tooLong'],
      [{ agencyIds: [OTHER.id], cc: [] }, 'cc', 'unknownField'],
      [{ agencyIds: ['nepostojeca-agencija'] }, 'agencyIds[0]', 'unknown'],
      [{ agencyIds: [OTHER.id, DEMO_AGENCY.id] }, 'agencyIds[1]', 'own-agency'],
    ];
    for (const [body, field, code] of cases) await refusesAndStoresNothing(() => distribute(clerk, documentId, body), 400, field, code);
  });

  test('others who see it may not distribute it (403); those who do not see it get a 404', async () => {
    await refusesAndStoresNothing(() => distribute(ana, documentId, { agencyIds: [OTHER.id] }), 403);
    await refusesAndStoresNothing(() => distribute(boris, documentId, { agencyIds: [OTHER.id] }), 404);
    await refusesAndStoresNothing(() => distribute(other, documentId, { agencyIds: [OTHER.id] }), 404);
    await refusesAndStoresNothing(() => distribute(clerk, 'no-such-document', { agencyIds: [OTHER.id] }), 404);
  });

  test('a clerk sends it to two agencies: both inboxes have it (told at once by server-sent events), each sees only its own sending', async () => {
    const url = `${server.url}/api/v1/inbox/events`;
    const [theirEvents, registryEvents, issuerEvents] = await Promise.all(
      [other, registrar, head].map((who) => openEvents(url, { Authorization: `Bearer ${who.token}` })),
    );
    for (const s of [theirEvents, registryEvents, issuerEvents]) await s.next((e) => e.event === 'ready');
    const doc = ok(await distribute(clerk, documentId, { agencyIds: [OTHER.id, RGZ.id] }));
    try {
      for (const [stream, who] of [[theirEvents, other], [registryEvents, registrar]] as const) {
        const arrived = await stream.next((e) => e.event === 'document-received' && e.data.documentId === documentId);
        assert.deepEqual(arrived.data, { id: (await receptionOf(who, documentId)).id, documentId, trackingNumber: doc.trackingNumber });
        assert.equal(stream.events.filter((e) => e.event === 'document-received').length, 1, 'each agency hears of its own reception only');
      }
      // The issuing agency's inbox is not told of receptions elsewhere.
      assert.deepEqual(issuerEvents.events.filter((e) => e.event === 'document-received'), []);
    } finally {
      for (const s of [theirEvents, registryEvents, issuerEvents]) s.close();
    }
    assert.deepEqual(doc.recipients.map((r) => [r.agencyId, r.status]).sort(), [[OTHER.id, 'pending'], [RGZ.id, 'pending']]);
    const sent = doc.history.filter((h) => h.action === 'document.sent');
    assert.deepEqual(sent.map((h) => [h.actor, h.actorName, h.data.agencyId]), [[clerk.user.id, 'Petar Službenik', OTHER.id], [clerk.user.id, 'Petar Službenik', RGZ.id]]);
    assert.deepEqual(ok(await getDocument(ana, documentId)).recipients, doc.recipients);

    const theirs = ok(await getDocument(other, documentId));
    assert.deepEqual(theirs.recipients.map((r) => r.agencyId), [OTHER.id], 'a receiving agency sees its own reception only');
    assert.deepEqual(theirs.history.filter((h) => h.action === 'document.sent').map((h) => h.data.agencyId), [OTHER.id]);
    assert.deepEqual(await pdfStatus(other, documentId), { status: 200, sha256: doc.sha256 });
    const item = await receptionOf(other, documentId);
    assert.equal(item.status, 'pending');
    await receptionOf(registrar, documentId);

    // A receiving official may read the document, not send it on.
    await refusesAndStoresNothing(() => distribute(other, documentId, { agencyIds: [RGZ.id] }), 403);
  });

  test('sending again to an agency that has it is a 400, and nothing of the request is sent', async () => {
    const third = { id: 'treci-grad', name: 'Gradska uprava Treći Grad' };
    await agencies.upsert(server.db, { ...third, created_at: Date.now() });
    await refusesAndStoresNothing(() => distribute(head, documentId, { agencyIds: [third.id, RGZ.id] }), 400, 'agencyIds[1]', 'already-sent');
    assert.ok(!ok(await getDocument(head, documentId)).recipients.some((r) => r.agencyId === third.id));
  });

  test('a revoked document is not distributed (409); the receiving inbox shows it revoked', async () => {
    const residence = await issuedResidence();
    ok(await distribute(head, residence, { agencyIds: [OTHER.id] }));
    ok(await server.api('POST', `/api/v1/documents/${residence}/revoke`, { token: head.token, body: { reason: 'Greška u adresi' } }));
    const p = await refusesAndStoresNothing(() => distribute(head, residence, { agencyIds: [RGZ.id] }), 409);
    assert.equal(p.type, 'https://overa.dev/problems/document-revoked');
    assert.equal((await receptionOf(other, residence)).documentStatus, 'revoked');
    const history = ok(await getDocument(other, residence)).history.map((h) => h.action);
    assert.deepEqual(history, ['document.issued', 'document.sent', 'document.revoked'], 'the receiving agency learns of the revocation');
  });
});

describe('acknowledging receipt: refusals', () => {
  let first: ReceptionItem;
  let second: ReceptionItem;

  before(async () => {
    first = await receptionOf(registrar, await issuedPermit());
    second = await receptionOf(registrar, await issuedPermit());
  });

  test('citizens have no reception inbox (403); a third agency gets the 404 of an unknown reception', async () => {
    assertProblem(await reception(ana), 403);
    await refusesAndStoresNothing(() => accept(ana, first.id, { signatureId: 'x' }), 403);
    await refusesAndStoresNothing(() => accept(other, first.id, { signatureId: 'x' }), 404);
    await refusesAndStoresNothing(() => accept(head, first.id, { signatureId: 'x' }), 404);
    const p = await refusesAndStoresNothing(() => accept(registrar, '00000000-0000-4000-8000-000000000000', { signatureId: 'x' }), 404);
    assert.equal(p.type, 'https://overa.dev/problems/reception-not-found');
  });

  test('a signature for another reception, a missing one, or none: 400 on signatureId', async () => {
    const forFirst = await sign(registrar, { type: 'reception', id: first.id }, 'accept');
    await refusesAndStoresNothing(() => accept(registrar, second.id, { signatureId: forFirst.id }), 400, 'signatureId', 'wrong-subject');
    await refusesAndStoresNothing(() => accept(registrar, second.id, { signatureId: 'no-such-signature' }), 400, 'signatureId', 'unknown');
    await refusesAndStoresNothing(() => accept(registrar, second.id, {}), 400, 'signatureId', 'required');
    await refusesAndStoresNothing(() => accept(registrar, second.id, { signatureId: forFirst.id, note: 'x' }), 400, 'note', 'unknownField');
    assert.equal(ok(await accept(registrar, first.id, { signatureId: forFirst.id })).status, 'accepted');
    // A used signature cannot accept anything else.
    await refusesAndStoresNothing(() => accept(registrar, second.id, { signatureId: forFirst.id }), 400, 'signatureId', 'wrong-subject');
    // The other official of the agency accepts the second one with their own signature.
    const forSecond = await sign(registrar2, { type: 'reception', id: second.id }, 'accept');
    const done = ok(await accept(registrar2, second.id, { signatureId: forSecond.id }));
    assert.deepEqual(done.acceptedBy, { id: registrar2.user.id, displayName: 'Goran Geodeta' });
  });

  test('the reception inbox pages by cursor, newest first, and refuses bad queries', async () => {
    const all = ok(await reception(registrar, '?limit=100')).items;
    assert.ok(all.length >= 4, `only ${all.length}`);
    const sorted = [...all].sort((a, b) => Date.parse(b.sentAt) - Date.parse(a.sentAt) || (a.id < b.id ? 1 : -1));
    assert.deepEqual(all.map((i) => i.id), sorted.map((i) => i.id));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<ReceptionItem> = ok(await reception(registrar, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`));
      assert.ok(page.items.length <= 1);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, all.map((i) => i.id));
    assertProblem(await reception(registrar, '?status=lost'), 400, 'status');
    assertProblem(await reception(registrar, '?limit=0'), 400, 'limit');
    assertProblem(await reception(registrar, '?limit=101'), 400, 'limit');
    assertProblem(await reception(registrar, '?cursor=bm9wZQ'), 400, 'cursor');
    assertProblem(await reception(registrar, '?cursor='), 400, 'cursor', 'invalid');
    assertProblem(await reception(registrar, '?limit=%2020'), 400, 'limit', 'range');
  });
});
