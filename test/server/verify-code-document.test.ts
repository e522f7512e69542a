/**
 * A code check proves the content (issue 17, item 1): `GET verify/:code` carries, while the
 * document is valid, the holder and subject its form names and its content digest, and
 * `GET verify/:code/pdf` serves the genuine sealed PDF, byte for byte what was issued —
 * public, on the lookup's rate-limit budget, with problem+json for unknown, malformed and
 * revoked codes. Through the real API: passkeys, the approval line, the seal.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { startTestServer, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { assertProblem } from '../helpers/problems.ts';
import { JMBG, residence } from '../helpers/sample-data.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { ensureDemoKeys } from '../../server/documents/keys.ts';
import { applicationDigest } from '../../components/core/signing/application.ts';
import type { ApplicationView } from '../../components/core/api.ts';
import type { DocumentView, PublicDocumentStatus } from '../../components/core/documents.ts';
import type { SigningPayload } from '../../components/core/signing/payload.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));

let server: TestServer;
let ana: Account;
let clerk: Account;
let head: Account;

before(async () => {
  // A small verify budget, so the rate-limit test reaches it (the tests before it spend some).
  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES, OVERA_RATE_LIMIT_VERIFY: '14/60' });
  const now = Date.now();
  await seedDemo(server.db, now);
  await ensureDemoKeys(server.config, [DEMO_AGENCY]);
  ana = await registerAccount(server, 'Ana Anić');
  clerk = await registerAccount(server, 'Petar Službenik', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, now));
  head = await registerAccount(server, 'Jelena Načelnik', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['head'] }, now));
});
after(async () => {
  await server?.close();
});

function ok<T>(res: ApiResponse<T>, status = 200): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

async function sign(who: Account, subject: { type: string; id: string }, action: string): Promise<string> {
  const options = ok(await server.api<{ flowId: string; payload: SigningPayload; publicKey: PublicKeyCredentialRequestOptionsJSON }>(
    'POST', '/api/v1/signatures/options', { token: who.token, body: { subject, action } },
  ));
  const credential = await who.authenticator.get(options.publicKey);
  return ok(await server.api<{ id: string }>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: options.flowId, credential } }), 201).id;
}

async function decide(who: Account, appId: string, step: string, decision: string): Promise<void> {
  const signatureId = await sign(who, { type: 'decision', id: `${appId}:${step}` }, decision);
  const current = await server.api('GET', `/api/v1/cases/${appId}`, { token: who.token });
  ok(await server.api('POST', `/api/v1/cases/${appId}/decisions`, {
    token: who.token, headers: { 'If-Match': current.headers.get('etag') ?? '' }, body: { step, decision, signatureId },
  }));
}

/** Ana applies for a certificate of residence, the clerk reviews, the head approves: the issued document. */
async function issue(data = residence()): Promise<{ doc: DocumentView; pdf: Uint8Array; app: ApplicationView }> {
  const draft = ok(await server.api<ApplicationView>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data } }), 201);
  const signatureId = await sign(ana, { type: 'application', id: draft.id }, 'submit');
  ok(await server.api('POST', `/api/v1/applications/${draft.id}/submit`, { token: ana.token, body: { signatureId } }));
  await decide(clerk, draft.id, 'review', 'review');
  await decide(head, draft.id, 'approve', 'approve');
  const app = ok(await server.api<ApplicationView>('GET', `/api/v1/applications/${draft.id}`, { token: ana.token }));
  assert.equal(app.status, 'issued');
  const doc = ok(await server.api<DocumentView>('GET', `/api/v1/documents/${app.documentId}`, { token: ana.token }));
  const res = await fetch(`${server.url}/api/v1/documents/${doc.id}/pdf`, { headers: { Authorization: `Bearer ${ana.token}` } });
  assert.equal(res.status, 200);
  return { doc, pdf: new Uint8Array(await res.arrayBuffer()), app };
}

async function pdfByCode(code: string): Promise<{ status: number; headers: Headers; bytes: Uint8Array; body: unknown }> {
  const res = await fetch(`${server.url}/api/v1/verify/${encodeURIComponent(code)}/pdf`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const json = /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(new TextDecoder().decode(bytes)) : undefined;
  return { status: res.status, headers: res.headers, bytes, body: json };
}

describe('a code check shows the genuine document', () => {
  let issued: Awaited<ReturnType<typeof issue>>;
  before(async () => {
    issued = await issue();
  });

  test('GET verify/:code: the holder, the subject and the content digest of a valid document; no JMBG, no ids', async () => {
    const status = ok(await server.api<PublicDocumentStatus>('GET', `/api/v1/verify/${issued.doc.verificationCode}`));
    assert.equal(status.status, 'valid');
    const facts = status.facts!;
    assert.ok(facts, 'facts while valid');
    // The form names firstName + lastName as the holder, the address as the subject (examples/forms).
    assert.deepEqual(facts.holder, { 'sr-Latn': 'Ana Anić', 'sr-Cyrl': 'Ana Anić', en: 'Ana Anić' });
    assert.deepEqual(facts.subject.map((l) => (l.value as { en: string }).en), ['Bulevar oslobođenja 12', '21000', 'Novi Primer']);
    assert.deepEqual(facts.subject.map((l) => (l.label as { en: string }).en), ['Street and house number', 'Postcode', 'Town or village']);
    assert.equal(facts.contentDigest, await applicationDigest({ ...issued.app, attachments: issued.app.attachments.map((a) => a.id) }));
    assert.equal(facts.pdfSize, issued.pdf.length);
    const json = JSON.stringify(status);
    for (const secret of [JMBG, issued.app.id, ana.user.id, issued.doc.id, 'employment']) assert.ok(!json.includes(secret), `no ${secret} in the public status`);
  });

  test('GET verify/:code/pdf: the issued bytes, public, as typed with any spacing and case', async () => {
    const typed = issued.doc.verificationCode.toLowerCase().replace(/-/g, ' ');
    const res = await pdfByCode(typed);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('content-disposition'), `attachment; filename="${issued.doc.verificationCode}.pdf"`);
    assert.deepEqual(res.bytes, issued.pdf);
    assert.equal(createHash('sha256').update(res.bytes).digest('hex'), issued.doc.sha256);
  });

  test('unknown code: 404; malformed: 400 naming the field `code` (problem+json)', async () => {
    const unknown = await pdfByCode('ACDE-FGHJ-KMNP-QRTU-VWXY');
    assertProblem({ ...unknown, body: unknown.body }, 404);
    assert.equal((unknown.body as { type: string }).type, 'https://overa.dev/problems/document-not-found');
    const malformed = await pdfByCode('not-a-code');
    assertProblem({ ...malformed, body: malformed.body }, 400, 'code', 'invalid');
  });

  test('revoked: the status keeps no facts and the PDF is 410 document-revoked', async () => {
    const other = await issue(residence({ firstName: 'Vesna' }));
    ok(await server.api('POST', `/api/v1/documents/${other.doc.id}/revoke`, { token: head.token, body: { reason: 'Izdat greškom' } }));
    const status = ok(await server.api<PublicDocumentStatus>('GET', `/api/v1/verify/${other.doc.verificationCode}`));
    assert.equal(status.status, 'revoked');
    assert.equal(status.facts, null);
    assert.ok(!JSON.stringify(status).includes('Vesna'));
    const res = await pdfByCode(other.doc.verificationCode);
    assertProblem({ ...res, body: res.body }, 410);
    assert.equal((res.body as { type: string }).type, 'https://overa.dev/problems/document-revoked');
  });

  test('the PDF shares the lookup\'s rate-limit budget: 429 with Retry-After beyond it', async () => {
    let last = await pdfByCode(issued.doc.verificationCode);
    for (let i = 0; i < 20 && last.status !== 429; i++) last = await pdfByCode(issued.doc.verificationCode);
    assertProblem({ ...last, body: last.body }, 429);
    assert.match(last.headers.get('retry-after')!, /^\d+$/);
    // One budget: the status lookup is refused too now.
    assert.equal((await server.api('GET', `/api/v1/verify/${issued.doc.verificationCode}`)).status, 429);
  });
});
