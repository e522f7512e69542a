/**
 * Issuance (issue 6): an approved application becomes a sealed PDF, checked by tools that
 * are not ours — poppler's pdfsig with an NSS database that trusts our root, OpenSSL's cms and
 * ts, qpdf, pdftotext, pdftoppm + zbarimg, pdfdetach — and the documents routes.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { startTestServer, TEST_ORIGIN, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import {
  embeddedFiles, nssDatabase, opensslCmsPrint, opensslCmsVerify, opensslTsVerify, pdfinfo, pdfsig, pdftotext, qpdfCheck, qrCodes,
  signedParts, tempDir, withChangedByte,
} from '../helpers/pdf-tools.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { agencies } from '../../server/db/agencies.ts';
import { applications } from '../../server/db/applications.ts';
import { ensureDemoKeys, loadSeal } from '../../server/documents/keys.ts';
import { checkSigningCertificateV2, OIDS, signingCertificateV2 } from '../../server/documents/seal.ts';
import { issueDocument, type IssueOptions } from '../../server/services/documents.ts';
import { caseDecisions } from '../../server/services/workflow.ts';
import { verifyAudit } from '../../server/services/audit.ts';
import { CODE_ALPHABET, VERIFICATION_CODE_BITS } from '../../server/documents/verification-code.ts';
import { canonicalJson, type JsonValue } from '../../components/core/canonical-json.ts';
import { contentDigest, digestFingerprint, type PasskeyEvidence, type SigningPayload } from '../../components/core/signing/payload.ts';
import { decisionDigest } from '../../components/core/signing/decision.ts';
import { verifyPasskeyEvidence } from '../../components/core/signing/verify-evidence.ts';
import type { ApplicationView, HistoryEntry } from '../../components/core/api.ts';
import type { DocumentEvidence, DocumentView, PublicDocumentStatus } from '../../components/core/documents.ts';
import type { Problem } from '../../components/core/problem.ts';
import { assertProblem } from '../helpers/problems.ts';
import { pdfaProblems } from '../helpers/pdfa.ts';
import { verifyDocument } from '../../components/core/pdf/verify-document.ts';
import { JMBG } from '../helpers/sample-data.ts';
import { startTsa, type TestTsa } from '../helpers/tsa.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const PUBLIC_URL = 'https://eprijava.novi-primer.example';

type App = ApplicationView & { history: HistoryEntry[] };
interface Options { flowId: string; payload: SigningPayload; publicKey: PublicKeyCredentialRequestOptionsJSON }

let server: TestServer;
let tmp: ReturnType<typeof tempDir>;
let ana: Account;
let boris: Account;
let clerk: Account;
let head: Account;
let stranger: Account;
let rootPem: string;
let nss: string;

before(async () => {
  // Issued here step by step (issueDocument with the options under test), not by the approval itself.
  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES, OVERA_PUBLIC_URL: PUBLIC_URL, OVERA_ISSUE_ON_APPROVAL: 'false' });
  tmp = tempDir();
  const now = Date.now();
  await seedDemo(server.db, now);
  await agencies.upsert(server.db, { id: 'drugi-grad', name: 'Gradska uprava Drugi Grad', created_at: now });
  await ensureDemoKeys(server.config, [DEMO_AGENCY, { id: 'drugi-grad', name: 'Gradska uprava Drugi Grad' }]);
  ana = await registerAccount(server, 'Ana Anić');
  boris = await registerAccount(server, 'Boris Borić');
  clerk = await registerAccount(server, 'Petar Službenik', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, now));
  head = await registerAccount(server, 'Јелена Начелник', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['head'] }, now));
  stranger = await registerAccount(server, 'Drugi Službenik', await createInvite(server.db, { agencyId: 'drugi-grad', roles: ['clerk', 'head'] }, now));
  // What a verifier does: take the published trust anchors into their trust store.
  const trust = await fetch(`${server.url}/api/v1/trust?format=pem`);
  assert.equal(trust.status, 200);
  rootPem = await trust.text();
  nss = await nssDatabase(tmp.dir, rootPem);
});
after(async () => {
  await server.close();
  tmp.remove();
});

const residence = (overrides: Record<string, unknown> = {}) => ({
  firstName: 'Ana', lastName: 'Anić', jmbg: JMBG, street: 'Bulevar oslobođenja 12', apartment: 'Ulaz 2, stan 14', place: 'Novi Primer',
  postalCode: '21000', purpose: 'employment', delivery: 'online', ...overrides,
});

function ok<T>(res: ApiResponse<T>, status = 200): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

/** A passkey signature by `who` on a subject, through the real API. */
async function sign(who: Account, subject: { type: string; id: string }, action: string, context?: Record<string, string>): Promise<string> {
  const options = ok(await server.api<Options>('POST', '/api/v1/signatures/options', { token: who.token, body: context ? { subject, action, context } : { subject, action } }));
  const credential = await who.authenticator.get(options.publicKey);
  return ok(await server.api<{ id: string }>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: options.flowId, credential } }), 201).id;
}

/** An official decides a step with a signed decision, through the real workflow API. */
async function decide(who: Account, appId: string, step: string, decision: string, comment?: string): Promise<void> {
  const signatureId = await sign(who, { type: 'decision', id: `${appId}:${step}` }, decision, comment === undefined ? undefined : { comment });
  const current = await server.api('GET', `/api/v1/cases/${appId}`, { token: who.token });
  ok(current);
  ok(await server.api('POST', `/api/v1/cases/${appId}/decisions`, {
    token: who.token, headers: { 'If-Match': current.headers.get('etag') ?? '' }, body: { step, decision, signatureId, ...(comment === undefined ? {} : { comment }) },
  }));
}

/** Runs issuance the way the workflow's onApproved hook does, unless the hook already did. */
async function issued(appId: string, options: IssueOptions = {}): Promise<string> {
  const app = await applications.get(server.db, appId);
  if (app?.status === 'approved') {
    const decisions = await caseDecisions(server.db, appId);
    await server.db.transaction((trx) => issueDocument(server.app.deps, trx, appId, { decisions, ...options }));
  }
  const view = ok(await server.api<App>('GET', `/api/v1/applications/${appId}`, { token: ana.token }));
  assert.equal(view.status, 'issued');
  assert.equal(typeof view.documentId, 'string');
  return view.documentId!;
}

/** Ana applies (signed), the clerk reviews, the head approves: the approved application's id. */
async function approvedApplication(owner: Account = ana, data = residence()): Promise<string> {
  const draft = ok(await server.api<App>('POST', '/api/v1/applications', { token: owner.token, body: { formId: 'certificate-of-residence', formVersion: 1, data } }), 201);
  const signatureId = await sign(owner, { type: 'application', id: draft.id }, 'submit');
  ok(await server.api('POST', `/api/v1/applications/${draft.id}/submit`, { token: owner.token, body: { signatureId } }));
  await decide(clerk, draft.id, 'review', 'review');
  await decide(head, draft.id, 'approve', 'approve');
  return draft.id;
}

async function pdfOf(documentId: string, who: Account = ana): Promise<Uint8Array> {
  const res = await fetch(`${server.url}/api/v1/documents/${documentId}/pdf`, { headers: { Authorization: `Bearer ${who.token}` } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  return new Uint8Array(await res.arrayBuffer());
}

function savePdf(name: string, pdf: Uint8Array): void {
  if (process.env.OVERA_KEEP_PDF) writeFileSync(join(process.env.OVERA_KEEP_PDF, name), pdf);
}

describe('issuance: the sealed PDF, as independent tools see it', () => {
  let appId: string;
  let documentId: string;
  let pdf: Uint8Array;

  before(async () => {
    appId = await approvedApplication();
    documentId = await issued(appId);
    pdf = await pdfOf(documentId);
    savePdf('issued.pdf', pdf);
  });

  test('pdfsig (NSS trusting the published root): the seal is valid and its certificate trusted; PAdES dictionary', async () => {
    const r = await pdfsig(tmp.dir, pdf, nss);
    assert.ok(r.valid, r.stdout + r.stderr);
    assert.ok(r.trusted, r.stdout + r.stderr);
    assert.match(r.stdout, /Signature Type: ETSI\.CAdES\.detached/);
    assert.match(r.stdout, /Signer Certificate Common Name: Gradska uprava Novi Primer/);
    assert.match(r.stdout, /Total document signed/);
    // Without our root, the same signature is valid but the certificate is not trusted.
    const untrusted = await pdfsig(tmp.dir, pdf, await nssDatabase(tmp.dir, ''));
    assert.ok(untrusted.valid);
    assert.ok(!untrusted.trusted);
    const text = Buffer.from(pdf).toString('latin1');
    assert.match(text, /\/SubFilter \/ETSI\.CAdES\.detached/);
    assert.match(text, /\/M \(D:\d{14}Z\)/);
  });

  test('openssl cms -verify accepts the CMS taken out of the PDF; signed attributes are exactly the three of CAdES-B-B', async () => {
    const { cms, signed, byteRange } = signedParts(pdf);
    assert.equal(byteRange[0], 0);
    assert.equal(byteRange[2]! + byteRange[3]!, pdf.length, 'the second range runs to the end of the file');
    const verified = await opensslCmsVerify(tmp.dir, cms, signed, rootPem);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stderr, /Verification successful/);
    const printed = await opensslCmsPrint(tmp.dir, cms);
    assert.match(printed, /contentType: pkcs7-signedData/);
    assert.match(printed, /eContent: <ABSENT>/);
    const attrs = [...printed.matchAll(/object: ([\w-]+) \(([\d.]+)\)/g)].map((m) => m[2]);
    assert.deepEqual(attrs.sort(), [OIDS.contentType, OIDS.messageDigest, OIDS.signingCertificateV2].sort());
    assert.doesNotMatch(printed, /signingTime/);
    assert.match(printed, /algorithm: ecdsa-with-SHA256/);
    // The chain is included: the seal certificate and the root.
    assert.equal((printed.match(/cert_info:/g) ?? []).length, 2);
  });

  test('qpdf --check passes', async () => {
    const r = await qpdfCheck(tmp.dir, pdf);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /No syntax or stream encoding errors found/);
  });

  test('one changed byte anywhere in the signed ranges: pdfsig reports a digest mismatch', async () => {
    const { byteRange } = signedParts(pdf);
    const [, b, c, d] = byteRange as [number, number, number, number];
    const text = Buffer.from(pdf).toString('latin1');
    // Bytes all over both ranges: inside every stream (page content, fonts, the evidence file),
    // a letter of the metadata, the signing time in /M (after /Contents), near the end.
    const offsets = new Set<number>();
    for (const m of text.matchAll(/stream\r?\n/g)) {
      const start = m.index! + m[0].length;
      const end = text.indexOf('endstream', start);
      offsets.add(start + Math.floor((end - start) / 2));
    }
    offsets.add(text.indexOf('/Title <') + 12);
    offsets.add(text.indexOf('/Reason <', c) + 12);
    const mAt = text.indexOf('/M (D:', c);
    assert.ok(mAt > c, '/M follows /Contents, in the second range');
    offsets.add(mAt + 8);
    offsets.add(c + Math.floor(d / 2));
    for (const offset of offsets) {
      assert.ok((offset >= 0 && offset < b) || (offset >= c && offset < c + d), `offset ${offset} is signed`);
      const r = await pdfsig(tmp.dir, withChangedByte(pdf, offset), nss);
      assert.ok(r.digestMismatch, `a change at ${offset} went unnoticed:\n${r.stdout}${r.stderr}`);
      assert.ok(!r.valid);
    }
    assert.ok(offsets.size >= 8, `only ${offsets.size} offsets`);
  });

  test('our own check of the ESS signing-certificate-v2 hash (OpenSSL does not check it)', async () => {
    const { cms, signed } = signedParts(pdf);
    assert.deepEqual(checkSigningCertificateV2(cms), { ok: true });
    // A CMS whose signing-certificate-v2 names another certificate, otherwise perfect:
    // OpenSSL accepts it, our check does not.
    const seal = await loadSeal(server.config, DEMO_AGENCY.id);
    const other = (await loadSeal(server.config, 'drugi-grad')).chainDer[0]!;
    const digest = createHash('sha256').update(signed).digest();
    const cert = seal.chain[0]!;
    const sd = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OIDS.data }),
      signerInfos: [new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({ type: OIDS.contentType, values: [new asn1js.ObjectIdentifier({ value: OIDS.data })] }),
            new pkijs.Attribute({ type: OIDS.messageDigest, values: [new asn1js.OctetString({ valueHex: digest })] }),
            new pkijs.Attribute({ type: OIDS.signingCertificateV2, values: [signingCertificateV2(cert, other)] }),
          ],
        }),
      })],
      certificates: seal.chain,
    });
    await sd.sign(seal.privateKey, 0, 'SHA-256');
    const forged = new Uint8Array(new pkijs.ContentInfo({ contentType: OIDS.signedData, content: sd.toSchema(true) }).toSchema().toBER());
    const openssl = await opensslCmsVerify(tmp.dir, forged, signed, rootPem);
    assert.equal(openssl.code, 0, 'OpenSSL 3 does not look at the ESS hash (FIELD-NOTES)');
    assert.deepEqual(checkSigningCertificateV2(forged), { ok: false, reason: 'certHash is not the hash of the signer certificate' });
  });

  test('PDF/A-3b by the rules the tests check (test/helpers/pdfa.ts): XMP identification agreeing with /Info, sRGB output intent, fonts embedded, no encryption, the evidence an associated file', async () => {
    assert.deepEqual(await pdfaProblems(tmp.dir, pdf), []);
    const info = await pdfinfo(tmp.dir, pdf);
    assert.deepEqual([info.get('Metadata Stream'), info.get('Encrypted'), info.get('Tagged')], ['yes', 'no', 'yes']);
  });

  test('pdftotext gives back the Cyrillic and the Latin text; the approval page lists every signature', async () => {
    const text = (await pdftotext(tmp.dir, pdf)).replace(/\s+/g, ' ');
    const view = ok(await server.api<DocumentView>('GET', `/api/v1/documents/${documentId}`, { token: ana.token }));
    for (const expected of [
      'Република Србија / Republika Srbija', 'Градска управа Нови Пример', 'Gradska uprava Novi Primer',
      'УВЕРЕЊЕ О ПРЕБИВАЛИШТУ', 'Uverenje o prebivalištu',
      'Bulevar oslobođenja 12', 'Ulaz 2, stan 14', 'Ana', 'Anić', JMBG, 'Запослење',
      'Датум издавања / Datum izdavanja', 'Важи до / Važi do', view.verificationCode, view.trackingNumber,
      'Потписи и одобрења / Potpisi i odobrenja', 'Petar Službenik', 'Јелена Начелник',
      'поднео захтев', 'прегледао', 'одобрио', 'подносилац захтева', 'референт', 'начелник',
      'overa-evidence.json', 'Страна 1 од 2',
    ]) {
      assert.ok(text.includes(expected), `"${expected}" is missing from:\n${text}`);
    }
    assert.doesNotMatch(text, /\b(clerk|head)\b/, 'officials\' roles by their names, not their ids');
    // One fingerprint per signature: the applicant's and both decisions.
    const evidence = JSON.parse((await embeddedFiles(tmp.dir, pdf)).get('overa-evidence.json')!.toString('utf8')) as DocumentEvidence;
    assert.equal(evidence.signatures.length, 3);
    for (const s of evidence.signatures) assert.ok(text.includes(digestFingerprint(s.evidence.payload.digest)), s.id);
  });

  test('the QR code, rendered with pdftoppm and read with zbarimg, is the verification URL with the code', async () => {
    const view = ok(await server.api<DocumentView>('GET', `/api/v1/documents/${documentId}`, { token: ana.token }));
    assert.equal(view.verificationUrl, `${PUBLIC_URL}/verify.html?code=${view.verificationCode}`);
    assert.deepEqual(await qrCodes(tmp.dir, pdf), [view.verificationUrl]);
    // ≥ 80 random bits, grouped for reading aloud, no look-alike characters.
    assert.ok(VERIFICATION_CODE_BITS >= 80);
    assert.match(view.verificationCode, new RegExp(`^[${CODE_ALPHABET}]{4}(-[${CODE_ALPHABET}]{4}){4}$`));
    assert.doesNotMatch(CODE_ALPHABET, /[0O1IL25SZ8B]/);
  });

  test('overa-evidence.json rides in the PDF: canonical, the application data as signed, every passkey signature re-verifiable', async () => {
    const files = await embeddedFiles(tmp.dir, pdf);
    const raw = files.get('overa-evidence.json');
    assert.ok(raw, `embedded: ${[...files.keys()].join(', ')}`);
    const evidence = JSON.parse(raw.toString('utf8')) as DocumentEvidence;
    assert.equal(raw.toString('utf8'), canonicalJson(evidence as unknown as JsonValue), 'RFC 8785 canonical JSON');
    assert.equal(evidence.document.id, documentId);
    assert.equal(evidence.application.id, appId);
    assert.equal(await contentDigest(evidence.application.content as unknown as JsonValue), evidence.application.contentDigest);
    assert.deepEqual(evidence.application.content.data, residence());
    const [applicant, review, approve] = evidence.signatures as [DocumentEvidence['signatures'][number], DocumentEvidence['signatures'][number], DocumentEvidence['signatures'][number]];
    assert.equal(applicant.evidence.payload.digest, evidence.application.contentDigest, 'the applicant signed exactly this content');
    assert.deepEqual([review.evidence.payload.action, approve.evidence.payload.action], ['review', 'approve']);
    assert.deepEqual([review.role, approve.role, review.mandate, approve.mandate], ['clerk', 'head', null, null]);
    for (const s of [review, approve]) {
      assert.ok(s.content, 'the decision content is given');
      assert.equal(await decisionDigest(s.content as never), s.evidence.payload.digest);
    }
    for (const s of evidence.signatures) {
      const report = await verifyPasskeyEvidence(s.evidence as PasskeyEvidence, { rpId: server.config.rpId, allowedOrigins: [TEST_ORIGIN] });
      assert.equal(report.indication, 'TOTAL_PASSED', JSON.stringify(report));
    }
  });

  test('the application is issued, with its audit entry and documentId; issuing twice is refused', async () => {
    const app = ok(await server.api<App>('GET', `/api/v1/applications/${appId}`, { token: ana.token }));
    assert.equal(app.documentId, documentId);
    const entry = app.history.find((h) => h.action === 'document.issued');
    assert.ok(entry);
    assert.equal(entry.data.documentId, documentId);
    assert.equal(entry.data.sha256, createHash('sha256').update(pdf).digest('hex'));
    await assert.rejects(server.db.transaction((trx) => issueDocument(server.app.deps, trx, appId)), (err: Error & { status?: number }) => err.status === 409);
    assert.equal((await verifyAudit(server.db)).ok, true);
  });
});

describe('documents routes', () => {
  let documentId: string;
  let second: string;

  before(async () => {
    documentId = await issued(await approvedApplication());
    second = await issued(await approvedApplication());
  });

  test('the owner and the handling agency read the document and its PDF; another citizen and an unrelated agency get 404', async () => {
    const view = ok(await server.api<DocumentView>('GET', `/api/v1/documents/${documentId}`, { token: ana.token }));
    assert.equal(view.status, 'valid');
    assert.equal(view.agencyId, DEMO_AGENCY.id);
    assert.equal(view.revocation, null);
    assert.match(view.validUntil ?? '', /^\d{4}-\d{2}-\d{2}T/);
    ok(await server.api('GET', `/api/v1/documents/${documentId}`, { token: clerk.token }));
    const bytes = await pdfOf(documentId, clerk);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), view.sha256);
    assert.equal(bytes.length, view.size);

    const res = await fetch(`${server.url}/api/v1/documents/${documentId}/pdf`, { headers: { Authorization: `Bearer ${ana.token}` } });
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="NP-\d{4}-[A-Z0-9]{6}\.pdf"/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const etag = res.headers.get('etag')!;
    // node:http, not fetch: fetch adds Cache-Control: no-cache to a conditional request.
    const status = await new Promise<number>((resolve, reject) => {
      httpGet(`${server.url}/api/v1/documents/${documentId}/pdf`, { headers: { Authorization: `Bearer ${ana.token}`, 'If-None-Match': etag } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      }).on('error', reject);
    });
    assert.equal(status, 304);

    for (const who of [boris, stranger]) {
      const a = assertProblem(await server.api('GET', `/api/v1/documents/${documentId}`, { token: who.token }), 404);
      const b = assertProblem(await server.api('GET', `/api/v1/documents/${documentId}/pdf`, { token: who.token }), 404);
      const unknown = assertProblem(await server.api('GET', '/api/v1/documents/00000000-0000-4000-8000-000000000000/pdf', { token: who.token }), 404);
      assert.deepEqual([a.type, a.title], [unknown.type, unknown.title], 'the same answer as for an id that does not exist');
      assert.equal(b.type, unknown.type);
    }
    assertProblem(await server.api('GET', `/api/v1/documents/${documentId}/pdf`), 401);
  });

  test('revocation: approvers of the issuing agency, with a reason; superseding names the new document; once only', async () => {
    const url = `/api/v1/documents/${documentId}/revoke`;
    assertProblem(await server.api('POST', url, { token: ana.token, body: { reason: 'Ne treba mi' } }), 403);
    assertProblem(await server.api('POST', url, { token: clerk.token, body: { reason: 'Greška' } }), 403);
    assertProblem(await server.api('POST', url, { token: stranger.token, body: { reason: 'Greška' } }), 404);
    assertProblem(await server.api('POST', url, { token: head.token, body: {} }), 400, 'reason');
    assertProblem(await server.api('POST', url, { token: head.token, body: { reason: 'x', extra: 1 } }), 400, 'extra');
    assertProblem(await server.api('POST', url, { token: head.token, body: { reason: 'Ispravka adrese', supersededBy: documentId } }), 400, 'supersededBy');
    assertProblem(await server.api('POST', url, { token: head.token, body: { reason: 'Ispravka adrese', supersededBy: 'nope' } }), 400, 'supersededBy');

    const revoked = ok(await server.api<DocumentView>('POST', url, { token: head.token, body: { reason: 'Ispravka adrese', supersededBy: second } }));
    assert.equal(revoked.status, 'superseded');
    assert.equal(revoked.revocation?.reason, 'Ispravka adrese');
    assert.equal(revoked.revocation?.supersededBy, second);
    assert.equal(ok(await server.api<DocumentView>('GET', `/api/v1/documents/${documentId}`, { token: ana.token })).status, 'superseded');
    assertProblem(await server.api('POST', url, { token: head.token, body: { reason: 'Opet' } }), 409);
    // A revoked document cannot supersede another.
    assertProblem(await server.api('POST', `/api/v1/documents/${second}/revoke`, { token: head.token, body: { reason: 'x', supersededBy: documentId } }), 400, 'supersededBy');

    const app = ok(await server.api<App>('GET', `/api/v1/applications/${revoked.applicationId}`, { token: ana.token }));
    const entry = app.history.find((h) => h.action === 'document.revoked');
    assert.deepEqual(entry?.data, { documentId, reason: 'Ispravka adrese', supersededBy: second });
  });

  test('GET /trust publishes the trust anchors (JSON and PEM)', async () => {
    const trust = ok(await server.api<{ anchors: { subject: string; sha256: string; pem: string }[] }>('GET', '/api/v1/trust'));
    assert.equal(trust.anchors.length, 1);
    assert.equal(trust.anchors[0]!.subject, 'CN=Overa Demo Root CA, O=Overa demo (not for production), C=RS');
    assert.equal(trust.anchors[0]!.pem, rootPem);
    const der = Buffer.from(rootPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    assert.equal(trust.anchors[0]!.sha256, createHash('sha256').update(der).digest('hex'));
  });
});

describe('issuance: a decision reads as an administrative act', () => {
  test('the request-for-approval decision: its reasoning carries the comment the head signed, in the act\'s script; tagged; the seal holds', async () => {
    const now = Date.now();
    const invite = (roles: string[]) => createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles }, now);
    const drafter = await registerAccount(server, 'Dragana Predlagač', await invite(['clerk']));
    const finance = await registerAccount(server, 'Filip Finansije', await invite(['finance']));
    const legal = await registerAccount(server, 'Lana Pravnik', await invite(['legal']));
    const data = { subject: 'Nabavka deset računara', category: 'purchase', amount: 950000, justification: 'Postojeći računari su stariji od osam godina.' };
    const draft = ok(await server.api<App>('POST', '/api/v1/applications', { token: drafter.token, body: { formId: 'request-for-approval', formVersion: 1, data } }), 201);
    const signatureId = await sign(drafter, { type: 'application', id: draft.id }, 'submit');
    ok(await server.api('POST', `/api/v1/applications/${draft.id}/submit`, { token: drafter.token, body: { signatureId } }));
    await decide(clerk, draft.id, 'review', 'review');
    await decide(finance, draft.id, 'finance', 'agree');
    await decide(legal, draft.id, 'legal', 'agree');
    await decide(head, draft.id, 'approve', 'approve', 'Odobreno u okviru budžeta za 2027. godinu.');
    const app = await applications.get(server.db, draft.id);
    if (app?.status === 'approved') {
      const decisions = await caseDecisions(server.db, draft.id);
      await server.db.transaction((trx) => issueDocument(server.app.deps, trx, draft.id, { decisions }));
    }
    const view = ok(await server.api<App>('GET', `/api/v1/applications/${draft.id}`, { token: drafter.token }));
    const pdf = await pdfOf(view.documentId!, drafter);
    savePdf('request-for-approval.pdf', pdf);
    const text = (await pdftotext(tmp.dir, pdf)).replace(/\s+/g, ' ');
    const parts = ['Број: ' + view.trackingNumber, 'доноси', 'ОДОБРЕЊЕ', 'ОДОБРАВА СЕ: Nabavka deset računara, у процењеном износу од 950.000 динара',
      'Образложење', 'Postojeći računari su stariji od osam godina.', 'Одобрено у оквиру буџета за 2027. годину.', 'Поука о правном леку', 'Управном суду',
      'Нови Пример,', 'Начелник', 'Јелена Начелник', 'Електронски печат', 'Потписи и одобрења'];
    let from = 0;
    for (const part of parts) {
      const at = text.indexOf(part, from);
      assert.ok(at >= 0, `"${part}" missing or out of order in:\n${text}`);
      from = at + part.length;
    }
    assert.doesNotMatch(text, /Šta tražite|Шта тражите/, 'no question played back');
    assert.equal((await pdfinfo(tmp.dir, pdf)).get('Tagged'), 'yes');
    const sig = await pdfsig(tmp.dir, pdf, nss);
    assert.ok(sig.valid && sig.trusted, sig.stdout);
    const { signed, cms } = signedParts(pdf);
    assert.equal((await opensslCmsVerify(tmp.dir, cms, signed, rootPem)).code, 0);
    // Overa's own verifier: the seal and all five passkey signatures, the head's comment among the signed content.
    const trust = ok(await server.api<{ anchors: { pem: string }[] }>('GET', '/api/v1/trust'));
    const report = await verifyDocument(pdf, { trustAnchors: trust.anchors.map((a) => a.pem), rpId: server.config.rpId, allowedOrigins: [TEST_ORIGIN] });
    assert.equal(report.indication, 'TOTAL_PASSED', JSON.stringify(report));
    assert.equal(report.signatures.filter((e) => e.kind === 'passkey').length, 5);
  });
});

describe('issuance: marks, failures', () => {
  test('delegated and proxy decisions are marked on the approval page and in the evidence', async () => {
    const appId = await approvedApplication();
    const [review, approve] = (await caseDecisions(server.db, appId)).filter((d) => d.state === 'done');
    // As the workflow would record a proxy review and a delegated approval.
    const decisions = [
      { ...review!, basis: 'proxy' as const, onBehalfOfName: 'Marko Odsutni', onBehalfOfRole: null },
      { ...approve!, basis: 'delegated' as const, onBehalfOfName: null, onBehalfOfRole: 'head' },
    ];
    await server.db.transaction((trx) => issueDocument(server.app.deps, trx, appId, { decisions }));
    const view = ok(await server.api<App>('GET', `/api/v1/applications/${appId}`, { token: ana.token }));
    const pdf = await pdfOf(view.documentId!);
    const text = await pdftotext(tmp.dir, pdf);
    assert.match(text, /замена одсутног службеника — Marko Odsutni/);
    assert.match(text, /по овлашћењу \(делегирано одобравање\) — начелник/, 'the role acted for, by its name');
    const evidence = JSON.parse((await embeddedFiles(tmp.dir, pdf)).get('overa-evidence.json')!.toString('utf8')) as DocumentEvidence;
    assert.deepEqual(evidence.signatures.map((s) => s.mandate), [null, { kind: 'proxy', onBehalfOf: 'Marko Odsutni' }, { kind: 'delegated', onBehalfOf: 'head' }]);
  });

  test('characters beyond the shared font subset (Greek, ő) are embedded for that document; one the font lacks is drawn as �, never .notdef (PDF/A)', async () => {
    const appId = await approvedApplication(ana, residence({ firstName: 'Ζωή Ödönő', street: 'Kossuth Lajos utca 7 ☃ 😀 漢' }));
    const pdf = await pdfOf(await issued(appId));
    const text = await pdftotext(tmp.dir, pdf);
    assert.match(text, /Ζωή Ödönő/);
    assert.match(text, /Kossuth Lajos utca 7 ☃ 😀 �/, 'DejaVu Sans has no CJK');
    assert.deepEqual(await pdfaProblems(tmp.dir, pdf), []);
    const sig = await pdfsig(tmp.dir, pdf, nss);
    assert.ok(sig.valid && sig.trusted, sig.stdout);
    assert.equal((await qpdfCheck(tmp.dir, pdf)).code, 0);
  });

  test('an application that is not approved is not issued; a missing seal key is a 503 that changes nothing', async () => {
    const draft = ok(await server.api<App>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data: residence() } }), 201);
    await assert.rejects(server.db.transaction((trx) => issueDocument(server.app.deps, trx, draft.id)), (err: Error & { status?: number }) => err.status === 409);
    const appId = await approvedApplication();
    const dataDir = server.config.dataDir;
    const before = await server.db('documents').count({ n: '*' }).first();
    server.config.dataDir = join(dataDir, 'nowhere');
    try {
      await assert.rejects(
        server.db.transaction((trx) => issueDocument(server.app.deps, trx, appId, { decisions: [] })),
        (err: Error & { status?: number; type?: string }) => err.status === 503 && /seal-unavailable/.test(err.type ?? ''),
      );
    } finally {
      server.config.dataDir = dataDir;
    }
    assert.equal((await applications.get(server.db, appId))?.status, 'approved');
    assert.deepEqual(await server.db('documents').count({ n: '*' }).first(), before);
  });
});

describe('issuance with a time-stamping authority (PAdES B-T)', () => {
  // A TSA made with OpenSSL: its own root, a signing certificate with the critical
  // timeStamping extended key usage, `openssl ts -reply` behind a small HTTP handler.
  let tsa: TestTsa;
  let tsaUrl: string;
  let tsaCaPem: string;

  before(async () => {
    tsa = await startTsa(tmp.dir);
    tsaUrl = tsa.url;
    tsaCaPem = tsa.caPem;
  });
  after(() => tsa.close());

  async function withTsa<T>(url: string, work: () => Promise<T>): Promise<T> {
    server.config.tsaUrl = url;
    try {
      return await work();
    } finally {
      delete server.config.tsaUrl;
    }
  }

  test('the token is in the CMS as id-aa-timeStampToken and openssl ts -verify accepts it; the seal stays valid', async () => {
    const appId = await approvedApplication();
    const documentId = await withTsa(tsaUrl, () => issued(appId));
    assert.equal(tsa.queries.length, 1);
    const pdf = await pdfOf(documentId);
    savePdf('issued-bt.pdf', pdf);
    const view = ok(await server.api<DocumentView>('GET', `/api/v1/documents/${documentId}`, { token: ana.token }));
    assert.equal(view.seal.timestamped, true);

    const sig = await pdfsig(tmp.dir, pdf, nss);
    assert.ok(sig.valid && sig.trusted, sig.stdout);
    const { cms, signed } = signedParts(pdf);
    assert.equal((await opensslCmsVerify(tmp.dir, cms, signed, rootPem)).code, 0);
    assert.deepEqual(checkSigningCertificateV2(cms), { ok: true });

    const sd = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(cms)).content });
    const si = sd.signerInfos[0]!;
    const attr = si.unsignedAttrs?.attributes.find((a) => a.type === OIDS.timeStampToken);
    assert.ok(attr, 'an id-aa-timeStampToken unsigned attribute');
    const token = new Uint8Array((attr.values[0] as asn1js.Sequence).toBER());
    const signatureValue = new Uint8Array(si.signature.valueBlock.valueHexView);
    const verified = await opensslTsVerify(tmp.dir, token, signatureValue, tsaCaPem);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /Verification: OK/);
    // The token is over the signature value, not anything else.
    const wrong = await opensslTsVerify(tmp.dir, token, signed, tsaCaPem);
    assert.notEqual(wrong.code, 0);
    assert.match(await pdftotext(tmp.dir, pdf), /Временски жиг \/ Vremenski žig\s+да \(RFC 3161\)/);
  });

  test('a TSA that does not answer, or refuses, or answers for other data: 503, the approval is not issued and nothing is stored', async () => {
    const appId = await approvedApplication();
    const before = await server.db('documents').count({ n: '*' }).first();
    const unavailable = (err: Error & { status?: number; type?: string; headers?: Record<string, string> }) =>
      err.status === 503 && /timestamp-unavailable/.test(err.type ?? '') && err.headers?.['Retry-After'] === '30';
    await withTsa('http://127.0.0.1:9/tsa', () => assert.rejects(
      server.db.transaction((trx) => issueDocument(server.app.deps, trx, appId, { decisions: [] })),
      unavailable,
    ));
    // Refusals and wrong tokens (each kind in test/server/timestamp.test.ts): never issued as B-B instead.
    for (const answer of ['reject', 'other-imprint'] as const) {
      tsa.answer = answer;
      try {
        await withTsa(tsaUrl, () => assert.rejects(server.db.transaction((trx) => issueDocument(server.app.deps, trx, appId, { decisions: [] })), unavailable));
      } finally {
        tsa.answer = 'grant';
      }
    }
    assert.equal((await applications.get(server.db, appId))?.status, 'approved');
    assert.deepEqual(await server.db('documents').count({ n: '*' }).first(), before);
  });
});

describe('GET verify/:code: the public status of a document by its code', () => {
  test('valid, then superseded; any spacing and case; no personal data; unknown 404, malformed 400', async () => {
    const first = await issued(await approvedApplication());
    const doc = ok(await server.api<DocumentView>('GET', `/api/v1/documents/${first}`, { token: ana.token }));
    const typed = doc.verificationCode.toLowerCase().replace(/-/g, ' ');
    const status = ok(await server.api<PublicDocumentStatus>('GET', `/api/v1/verify/${encodeURIComponent(typed)}`));
    assert.equal(status.verificationCode, doc.verificationCode);
    assert.equal(status.status, 'valid');
    assert.equal(status.sha256, doc.sha256);
    assert.equal(status.issuer.name, DEMO_AGENCY.name);
    assert.equal(status.supersededBy, null);
    // Of the person only what the form names for comparing (document.codeCheck: the holder's name,
    // the address): no JMBG, no other answer, no ids of the application or its owner.
    assert.deepEqual(status.facts?.holder, { 'sr-Latn': 'Ana Anić', 'sr-Cyrl': 'Ana Anić', en: 'Ana Anić' });
    const json = JSON.stringify(status);
    for (const secret of [JMBG, 'Ulaz 2', 'employment', doc.applicationId, ana.user.id]) assert.ok(!json.includes(secret), `no ${secret} in the public status`);

    const second = await issued(await approvedApplication());
    const secondDoc = ok(await server.api<DocumentView>('GET', `/api/v1/documents/${second}`, { token: ana.token }));
    ok(await server.api('POST', `/api/v1/documents/${first}/revoke`, { token: head.token, body: { reason: 'Ispravka adrese', supersededBy: second } }));
    const after = ok(await server.api<PublicDocumentStatus>('GET', `/api/v1/verify/${doc.verificationCode}`));
    assert.equal(after.status, 'superseded');
    assert.equal(after.revocationReason, 'Ispravka adrese');
    assert.equal(after.supersededBy, secondDoc.verificationCode);

    const unknown = await server.api<Problem>('GET', '/api/v1/verify/ACDE-FGHJ-KMNP-QRTU-VWXY');
    assert.equal(unknown.status, 404, 'unknown code');
    const malformed = await server.api<Problem>('GET', '/api/v1/verify/not-a-code');
    assert.equal(malformed.status, 400, 'malformed code');
    assert.equal(malformed.body.errors?.[0]?.field, 'code');
  });
});
