/**
 * Documents that last (issue 18, items 2 and 3), through the real flow: a citizen applies, the
 * officials decide, and the approval issues a document sealed with a certificate from a real
 * test PKI on loopback (test/helpers/pki-services.ts: OpenSSL's OCSP responder, CRLs over HTTP,
 * `openssl ts -reply`), whose AIA and CRL distribution points point at those services.
 *
 * Checked with tools that are not ours: pdfsig and qpdf --check on every revision, openssl ts
 * -verify on every time-stamp, the DSS read with qpdf --json, OCSP responses and CRLs parsed
 * with pkijs here in the test. Slow (OpenSSL answers every request): kept in its own file.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { startTestServer, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { nssDatabase, opensslTsVerify, pdfsig, qpdfCheck, run, tempDir } from '../helpers/pdf-tools.ts';
import { RevocationSource } from '../../server/documents/revocation.ts';
import { extendPdf } from '../../server/documents/ltv.ts';
import { startPkiServices, type PkiServices } from '../helpers/pki-services.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { applications } from '../../server/db/applications.ts';
import { importSealKey } from '../../server/documents/keys.ts';
import { certificatesFromPem } from '../../server/documents/certificates.ts';
import { issueDocument } from '../../server/services/documents.ts';
import { extendDocuments, type ExtendProgress } from '../../server/services/long-term.ts';
import { caseDecisions } from '../../server/services/workflow.ts';
import { verifyAudit } from '../../server/services/audit.ts';
import { OIDS } from '../../server/documents/seal.ts';
import type { ApplicationView } from '../../components/core/api.ts';
import type { DocumentView } from '../../components/core/documents.ts';
import { JMBG } from '../helpers/sample-data.ts';
import { documentsCommand } from '../../server/archive-cli.ts';
import { verifyDocument } from '../../components/core/pdf/verify-document.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));

interface Options { flowId: string; payload: unknown; publicKey: PublicKeyCredentialRequestOptionsJSON }

let server: TestServer;
let pki: PkiServices;
let tmp: ReturnType<typeof tempDir>;
let ana: Account;
let clerk: Account;
let head: Account;
let nss: string;

before(async () => {
  tmp = tempDir('overa-ltv-');
  // The TSA's certificate ends in 30 days: inside the archive window (90 days) from the start.
  pki = await startPkiServices(tmp.dir, { tsaDays: 30 });
  server = await startTestServer({
    OVERA_FORMS_DIR: EXAMPLES, OVERA_ISSUE_ON_APPROVAL: 'false', OVERA_KEY_PASSPHRASE: 'a passphrase for the test seal key',
    OVERA_TSA_URL: pki.tsa.url, OVERA_PADES_LEVEL: 'B-LTA', OVERA_REVOCATION_TIMEOUT_MS: '3000',
  });
  await importSealKey(server.config, DEMO_AGENCY.id, { keyPem: pki.seal.keyPem, chainPem: pki.seal.chainPem });
  const now = Date.now();
  await seedDemo(server.db, now);
  ana = await registerAccount(server, 'Ana Anić');
  clerk = await registerAccount(server, 'Petar Službenik', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, now));
  head = await registerAccount(server, 'Јелена Начелник', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['head'] }, now));
  nss = await nssDatabase(tmp.dir, pki.root.pem);
});
after(async () => {
  await server?.close();
  await pki?.close();
  tmp?.remove();
});

function ok<T>(res: ApiResponse<T>, status = 200): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

async function sign(who: Account, subject: { type: string; id: string }, action: string): Promise<string> {
  const options = ok(await server.api<Options>('POST', '/api/v1/signatures/options', { token: who.token, body: { subject, action } }));
  const credential = await who.authenticator.get(options.publicKey);
  return ok(await server.api<{ id: string }>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: options.flowId, credential } }), 201).id;
}

async function decide(who: Account, appId: string, step: string, decision: string): Promise<void> {
  const signatureId = await sign(who, { type: 'decision', id: `${appId}:${step}` }, decision);
  const current = await server.api('GET', `/api/v1/cases/${appId}`, { token: who.token });
  ok(current);
  ok(await server.api('POST', `/api/v1/cases/${appId}/decisions`, {
    token: who.token, headers: { 'If-Match': current.headers.get('etag') ?? '' }, body: { step, decision, signatureId },
  }));
}

/** Ana applies (signed), the clerk reviews, the head approves: the approved application's id. */
async function approvedApplication(): Promise<string> {
  const data = {
    firstName: 'Ana', lastName: 'Anić', jmbg: JMBG, street: 'Bulevar oslobođenja 12', apartment: 'Ulaz 2, stan 14', place: 'Novi Primer',
    postalCode: '21000', purpose: 'employment', delivery: 'online',
  };
  const draft = ok(await server.api<ApplicationView>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data } }), 201);
  const signatureId = await sign(ana, { type: 'application', id: draft.id }, 'submit');
  ok(await server.api('POST', `/api/v1/applications/${draft.id}/submit`, { token: ana.token, body: { signatureId } }));
  await decide(clerk, draft.id, 'review', 'review');
  await decide(head, draft.id, 'approve', 'approve');
  return draft.id;
}

/** Issues with `level` configured, as the approval hook would; the document id. */
async function issueAt(level: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA', onFailure: 'fail' | 'defer' = 'fail'): Promise<string> {
  const appId = await approvedApplication();
  server.config.padesLevel = level;
  server.config.ltvOnFailure = onFailure;
  const decisions = await caseDecisions(server.db, appId);
  const record = await server.db.transaction((trx) => issueDocument(server.app.deps, trx, appId, { decisions }));
  return record.id;
}

async function view(id: string): Promise<DocumentView> {
  return ok(await server.api<DocumentView>('GET', `/api/v1/documents/${id}`, { token: ana.token }));
}

async function pdfOf(id: string): Promise<Uint8Array> {
  const res = await fetch(`${server.url}/api/v1/documents/${id}/pdf`, { headers: { Authorization: `Bearer ${ana.token}` } });
  assert.equal(res.status, 200);
  return new Uint8Array(await res.arrayBuffer());
}

/** Each revision of the file: the bytes up to and including each %%EOF. */
function revisions(pdf: Uint8Array): Uint8Array[] {
  const text = Buffer.from(pdf).toString('latin1');
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(/%%EOF\r?\n?/g)) out.push(pdf.subarray(0, m.index! + m[0].length));
  return out;
}

/** The signatures' byte ranges and /Contents DER, in file order (cut by hand from the bytes). */
function signatures(pdf: Uint8Array): { kind: 'seal' | 'document'; signed: Buffer; der: Buffer; end: number }[] {
  const buf = Buffer.from(pdf);
  const text = buf.toString('latin1');
  const out: { kind: 'seal' | 'document'; signed: Buffer; der: Buffer; end: number }[] = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const [a, b, c, d] = m.slice(1).map(Number) as [number, number, number, number];
    // The signature dictionary around this /ByteRange: from its `obj` to its `endobj`.
    const dict = text.slice(text.lastIndexOf(' obj', m.index!), text.indexOf('endobj', m.index!));
    let der = Buffer.from(buf.subarray(a + b + 1, c - 1).toString('latin1'), 'hex');
    if (der[1] === 0x82) der = der.subarray(0, 4 + der.readUInt16BE(2));
    out.push({ kind: /\/ETSI\.RFC3161/.test(dict) ? 'document' : 'seal', signed: Buffer.concat([buf.subarray(a, a + b), buf.subarray(c, c + d)]), der, end: c + d });
  }
  return out;
}

/** The DSS as qpdf reads it: each array's streams, decoded by qpdf. */
async function dssOf(pdf: Uint8Array): Promise<Record<'Certs' | 'OCSPs' | 'CRLs', Buffer[]> & { vri: number }> {
  const file = `${tmp.dir}/dss-${Date.now()}-${Math.random()}.pdf`;
  await import('node:fs').then((fs) => fs.writeFileSync(file, pdf));
  const r = await run('qpdf', ['--json=2', '--json-stream-data=inline', '--decode-level=generalized', file]);
  assert.equal(r.code, 0, r.stderr);
  const objects = (JSON.parse(r.stdout) as { qpdf: [unknown, Record<string, { value?: Record<string, unknown>; stream?: { data: string } }>] }).qpdf[1];
  const root = objects[`obj:${(objects.trailer!.value!['/Root'] as string)}`]!.value!;
  const dssRef = root['/DSS'] as string | undefined;
  assert.ok(dssRef, 'a /DSS in the catalog');
  const dss = objects[`obj:${dssRef}`]!.value!;
  const streams = (name: string) => ((dss[name] as string[] | undefined) ?? []).map((ref) => Buffer.from(objects[`obj:${ref}`]!.stream!.data, 'base64'));
  const vri = dss['/VRI'] as Record<string, unknown> | undefined;
  return { Certs: streams('/Certs'), OCSPs: streams('/OCSPs'), CRLs: streams('/CRLs'), vri: vri ? Object.keys(vri).length : 0 };
}

const cn = (c: pkijs.Certificate) => c.subject.typesAndValues.find((t) => t.type === '2.5.4.3')!.value.valueBlock.value as string;
const pemCert = (pem: string) => pkijs.Certificate.fromBER(certificatesFromPem(pem)[0]!);

/** The token over the signature value inside a seal CMS. */
function signatureTimestamp(cms: Uint8Array): { token: Uint8Array; signatureValue: Uint8Array } {
  const sd = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(cms)).content });
  const si = sd.signerInfos[0]!;
  const attr = si.unsignedAttrs?.attributes.find((a) => a.type === OIDS.timeStampToken);
  assert.ok(attr, 'a signature time-stamp');
  return { token: new Uint8Array((attr.values[0] as asn1js.Sequence).toBER()), signatureValue: new Uint8Array(si.signature.valueBlock.valueHexView) };
}

/** What `overa documents …` prints, run in this process (on either database: the test's schema). */
async function captured(command: () => Promise<number>): Promise<{ code: number; stdout: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let stdout = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: await command(), stdout };
  } finally {
    process.stdout.write = write;
  }
}

/** Every revision passes qpdf --check; the seal stays valid and trusted in each; every time-stamp verifies with OpenSSL. */
async function independentlyAccepted(pdf: Uint8Array): Promise<void> {
  for (const [i, rev] of revisions(pdf).entries()) {
    const q = await qpdfCheck(tmp.dir, rev);
    assert.equal(q.code, 0, `revision ${i + 1}: ${q.stdout}${q.stderr}`);
    assert.match(q.stdout, /No syntax or stream encoding errors found/);
    const s = await pdfsig(tmp.dir, rev, nss);
    assert.ok(s.valid && s.trusted, `revision ${i + 1}: ${s.stdout}`);
  }
  const ca = pki.root.pem + pki.issuingCa.pem;
  for (const sig of signatures(pdf)) {
    if (sig.kind === 'seal') {
      const { token, signatureValue } = signatureTimestamp(sig.der);
      const v = await opensslTsVerify(tmp.dir, token, signatureValue, ca);
      assert.equal(v.code, 0, v.stdout + v.stderr);
    } else {
      const v = await opensslTsVerify(tmp.dir, sig.der, sig.signed, ca);
      assert.equal(v.code, 0, v.stdout + v.stderr);
      assert.match(v.stdout, /Verification: OK/);
    }
  }
}

describe('issuance at B-T, B-LT and B-LTA with a real PKI', () => {
  test('B-T: the level is stored and shown; one revision; the signature time-stamp verifies', async () => {
    const id = await issueAt('B-T');
    const v = await view(id);
    assert.equal(v.seal.level, 'B-T');
    assert.equal(v.seal.timestamped, true);
    assert.equal(v.seal.ltvPending, false);
    const pdf = await pdfOf(id);
    assert.equal(revisions(pdf).length, 1);
    assert.doesNotMatch(Buffer.from(pdf).toString('latin1'), /\/DSS/);
    await independentlyAccepted(pdf);
  });

  test('B-LT: a DSS in an incremental update with every certificate of both chains, OCSP for the seal and the TSA, the CRL for the issuing CA', async () => {
    const id = await issueAt('B-LT');
    const v = await view(id);
    assert.equal(v.seal.level, 'B-LT');
    assert.equal(v.seal.archiveUntil, pemCert(pki.tsaCert.pem).notAfter.value.toISOString());
    const pdf = await pdfOf(id);
    assert.equal(revisions(pdf).length, 2, 'the sealed revision and the DSS update');
    await independentlyAccepted(pdf);

    const dss = await dssOf(pdf);
    const names = dss.Certs.map((der) => cn(pkijs.Certificate.fromBER(new Uint8Array(der)))).sort();
    assert.deepEqual(names, [
      'Gradska uprava Novi Primer — pečat', 'Overa LTV Test Issuing CA', 'Overa LTV Test OCSP Responder', 'Overa LTV Test Root', cn(pemCert(pki.tsaCert.pem)),
    ].sort());
    // OCSP: successful, signed by the responder, one for the seal and one for the TSA certificate, both good.
    const serials = [pki.seal.pem, pki.tsaCert.pem].map((pem) => Buffer.from(pemCert(pem).serialNumber.valueBlock.valueHexView).toString('hex')).sort();
    const answered = dss.OCSPs.map((der) => {
      const resp = pkijs.OCSPResponse.fromBER(new Uint8Array(der));
      assert.equal(resp.responseStatus.valueBlock.valueDec, 0);
      const basic = pkijs.BasicOCSPResponse.fromBER(resp.responseBytes!.response.valueBlock.valueHexView.slice());
      const single = basic.tbsResponseData.responses[0]!;
      assert.equal(single.certStatus.idBlock.tagNumber, 0, 'good');
      return Buffer.from(single.certID.serialNumber.valueBlock.valueHexView).toString('hex');
    }).sort();
    assert.deepEqual(answered, serials);
    // The CRL of the root, covering the issuing CA.
    assert.equal(dss.CRLs.length, 1);
    const crl = pkijs.CertificateRevocationList.fromBER(new Uint8Array(dss.CRLs[0]!));
    assert.ok(crl.issuer.isEqual(pemCert(pki.root.pem).subject));
    assert.ok(await crl.verify({ issuerCertificate: pemCert(pki.root.pem) }));
    assert.equal(dss.vri, 1, 'a VRI entry for the seal');
    // Issuance writes the DSS from what its seal just made (not read back out of the PDF): the
    // same bytes as an extension that reads the sealed revision (revocation data from the same cache).
    const reread = await extendPdf(revisions(pdf)[0]!, { level: 'B-LT', revocation: server.app.deps.revocation });
    assert.ok(Buffer.from(reread.pdf).equals(Buffer.from(pdf)), 'the same DSS update either way');
  });

  test('B-LTA: and then a /DocTimeStamp (ETSI.RFC3161) over all of it, accepted by openssl ts -verify; revocation data comes from the cache while valid', async () => {
    const fetched = server.app.deps.revocation.fetched;
    const requests = pki.ocsp.requests + pki.crl.requests;
    const id = await issueAt('B-LTA');
    // The same certificates as the B-LT document's: their OCSP responses and CRL are still valid.
    assert.equal(server.app.deps.revocation.fetched, fetched);
    assert.equal(pki.ocsp.requests + pki.crl.requests, requests);
    const v = await view(id);
    assert.equal(v.seal.level, 'B-LTA');
    const pdf = await pdfOf(id);
    assert.equal(revisions(pdf).length, 3, 'sealed, DSS, document time-stamp');
    const text = Buffer.from(pdf).toString('latin1');
    assert.match(text, /\/Type \/DocTimeStamp/);
    assert.match(text, /\/SubFilter \/ETSI\.RFC3161/);
    const sigs = signatures(pdf);
    assert.deepEqual(sigs.map((s) => s.kind), ['seal', 'document']);
    assert.equal(sigs[1]!.end, pdf.length, 'the document time-stamp covers the whole file');
    await independentlyAccepted(pdf);
    // The audit entry of the issuance names the level.
    const entries = await server.db('audit_log').where({ action: 'document.issued' }).select('data');
    assert.ok(entries.some((e: { data: string }) => JSON.parse(e.data).documentId === id && JSON.parse(e.data).level === 'B-LTA'));
  });
});

describe('an OCSP responder that is down', () => {
  // Nothing cached: every issuance here asks the responder (as after the cached answers expire).
  const fresh = () => {
    server.app.deps.revocation = new RevocationSource({ timeoutMs: 3000, now: server.app.deps.now });
  };
  test('fail (default): 503 validation-data-unavailable naming the responder; the approval is not issued and nothing is stored', async () => {
    const appId = await approvedApplication();
    const before = await server.db('documents').count({ n: '*' }).first();
    server.config.padesLevel = 'B-LTA';
    server.config.ltvOnFailure = 'fail';
    fresh();
    pki.ocsp.mode = 'down';
    try {
      await assert.rejects(
        server.db.transaction(async (trx) => issueDocument(server.app.deps, trx, appId, { decisions: await caseDecisions(trx, appId) })),
        (err: Error & { status?: number; type?: string; detail?: string }) => {
          assert.equal(err.status, 503);
          assert.match(err.type ?? '', /validation-data-unavailable/);
          assert.match(err.message, new RegExp(`OCSP responder at ${pki.ocspUrl.replace(/[.]/g, '\\.')} did not answer`));
          return true;
        },
      );
    } finally {
      pki.ocsp.mode = 'up';
    }
    assert.equal((await applications.get(server.db, appId))?.status, 'approved');
    assert.deepEqual(await server.db('documents').count({ n: '*' }).first(), before);
  });

  test('defer: issued at B-T, shown as pending with the reason; the archive job then takes it to B-LTA', async () => {
    fresh();
    pki.ocsp.mode = 'silent';
    let id: string;
    try {
      id = await issueAt('B-LTA', 'defer');
    } finally {
      pki.ocsp.mode = 'up';
    }
    const v = await view(id);
    assert.equal(v.seal.level, 'B-T');
    assert.equal(v.seal.ltvPending, true);
    const row = await server.db('documents').where({ id }).first('ltv_error');
    assert.match(row.ltv_error, /did not answer: no answer within 3000 ms/);
    const audit = await server.db('audit_log').where({ action: 'document.issued' }).select('data');
    assert.ok(audit.some((e: { data: string }) => JSON.parse(e.data).documentId === id && JSON.parse(e.data).ltvPending === true));

    const progress: ExtendProgress[] = [];
    await extendDocuments(server.app.deps, { onProgress: (p) => progress.push(p) });
    const mine = progress.find((p) => p.documentId === id);
    assert.equal(mine?.outcome, 'extended', JSON.stringify(progress));
    const after = await view(id);
    assert.equal(after.seal.level, 'B-LTA');
    assert.equal(after.seal.ltvPending, false);
    await independentlyAccepted(await pdfOf(id));
  });
});

describe('overa documents extend: archive time-stamps', () => {
  test('documents whose TSA certificate ends within the window get fresh validation data and a new document time-stamp once the TSA has a later certificate; a second run changes nothing', async () => {
    const id = await issueAt('B-LTA');
    const first = await view(id);
    const firstPdf = await pdfOf(id);
    // The TSA's certificate ends within the window, but the TSA has no later one yet: nothing to renew with.
    const idle: ExtendProgress[] = [];
    await extendDocuments(server.app.deps, { onProgress: (p) => idle.push(p) });
    assert.equal(idle.find((p) => p.documentId === id)?.outcome, 'skipped');
    assert.match(idle.find((p) => p.documentId === id)!.detail, /renew the TSA's certificate/);
    assert.equal((await view(id)).sha256, first.sha256);

    // The TSA gets a new certificate (60 days): the archive job renews.
    const renewed = await pki.rotateTsa(60);
    const progress: ExtendProgress[] = [];
    const summary = await extendDocuments(server.app.deps, { onProgress: (p) => progress.push(p) });
    assert.equal(summary.failed, 0, JSON.stringify(progress));
    assert.equal(progress.find((p) => p.documentId === id)?.outcome, 'extended');
    const second = await view(id);
    assert.equal(second.seal.level, 'B-LTA');
    assert.equal(second.seal.archiveUntil, pemCert(renewed.pem).notAfter.value.toISOString());
    const pdf = await pdfOf(id);
    assert.deepEqual(Buffer.from(pdf.subarray(0, firstPdf.length)), Buffer.from(firstPdf), 'the earlier revisions are kept, byte for byte');
    // A DSS update when there is anything new (answers still valid come from the cache and are
    // there already), then the new document time-stamp, which covers the whole file.
    const added = revisions(pdf).length - revisions(firstPdf).length;
    assert.ok(added === 1 || added === 2, `${added} new revisions`);
    const sigs = signatures(pdf);
    assert.deepEqual(sigs.map((s) => s.kind), ['seal', 'document', 'document']);
    assert.equal(sigs[2]!.end, pdf.length);
    await independentlyAccepted(pdf);
    // The DSS covers the first document time-stamp's TSA: its certificate and an OCSP response for it.
    const dss = await dssOf(pdf);
    const names = dss.Certs.map((der) => cn(pkijs.Certificate.fromBER(new Uint8Array(der))));
    assert.ok(names.includes('Overa LTV Test TSA 1'), names.join(', '));
    assert.equal(dss.OCSPs.length, 2);
    const audit = await server.db('audit_log').where({ action: 'document.extended' }).select('data');
    assert.ok(audit.some((e: { data: string }) => JSON.parse(e.data).documentId === id && JSON.parse(e.data).renewal === true));
    assert.ok((await verifyAudit(server.db)).ok);

    // The second run, from the command line: every due document is skipped, no byte changes.
    const before = await server.db('documents').select('id', 'sha256').orderBy('id');
    const cli = await captured(() => documentsCommand(server.config, server.db, ['extend'], {}));
    assert.equal(cli.code, 0, cli.stdout);
    assert.match(cli.stdout, /\[1\/\d+\] [0-9a-f-]{36} skipped: /);
    assert.match(cli.stdout, /examined \d+: 0 extended, \d+ skipped, 0 failed/);
    assert.deepEqual(await server.db('documents').select('id', 'sha256').orderBy('id'), before);
    const list = await captured(() => documentsCommand(server.config, server.db, ['list'], {}));
    assert.match(list.stdout, new RegExp(`${id}\\s+\\S+\\s+B-LTA\\s+no\\s+${second.seal.archiveUntil!.replace(/[.]/g, '\\.')}`));
  });

  test('two instances running the archive job at once: each due document is extended by exactly one of them', async () => {
    // A new TSA certificate again: every B-LTA document is due and renewable.
    await pki.rotateTsa(120);
    const due = (await server.db('documents').where({ pades_level: 'B-LTA' }).select('id', 'sha256')) as { id: string; sha256: string }[];
    assert.ok(due.length >= 2, `${due.length} documents`);
    // Two apps' worth of dependencies: their own revocation caches, one database.
    const other = { ...server.app.deps, revocation: new RevocationSource({ timeoutMs: 3000, now: server.app.deps.now }) };
    const seen: ExtendProgress[] = [];
    const [a, b] = await Promise.all([
      extendDocuments(server.app.deps, { onProgress: (p) => seen.push(p) }),
      extendDocuments(other, { onProgress: (p) => seen.push(p) }),
    ]);
    assert.equal(a.failed + b.failed, 0, JSON.stringify(seen));
    for (const { id, sha256 } of due) {
      const outcomes = seen.filter((p) => p.documentId === id).map((p) => p.outcome);
      assert.equal(outcomes.filter((o) => o === 'extended').length, 1, `${id}: ${outcomes.join(', ')}`);
      const pdf = await pdfOf(id);
      assert.notEqual((await view(id)).sha256, sha256);
      // One new document time-stamp, not two.
      const stamps = signatures(pdf).filter((s) => s.kind === 'document');
      const last = stamps.at(-1)!;
      assert.equal(last.end, pdf.length);
      assert.equal(stamps.filter((s) => s.der.includes(Buffer.from(cn(pemCert(pki.tsaCert.pem))))).length, 1);
    }
    assert.ok((await verifyAudit(server.db)).ok);
  });
});

// Last in this file: it gives the agency a seal certificate that ends in two days and the TSA
// one that outlives it, as a real seal's and a real TSA's usually do.
describe('time travel: the same documents, verified after the seal certificate expired', () => {
  test('B-LT and B-LTA documents issued through the flow stay valid after the seal certificate expired; a B-B document does not', async () => {
    const shortSeal = await pki.issue('seal-short', { days: 2 });
    await importSealKey(server.config, DEMO_AGENCY.id, { keyPem: shortSeal.keyPem, chainPem: shortSeal.pem + pki.issuingCa.pem + pki.root.pem });
    await pki.rotateTsa(3650);
    const ids = { 'B-B': await issueAt('B-B'), 'B-LT': await issueAt('B-LT'), 'B-LTA': await issueAt('B-LTA') };
    const sealEnds = pemCert(shortSeal.pem).notAfter.value.getTime();
    const trustAnchors = [pki.root.pem];
    for (const [level, id] of Object.entries(ids)) {
      const pdf = await pdfOf(id);
      const today = await verifyDocument(pdf, { trustAnchors });
      assert.equal(today.indication, 'TOTAL_PASSED', `${level} today: ${JSON.stringify(today.signatures.map((s) => s.reasons))}`);
      const seal = today.signatures.find((s) => s.kind === 'seal')!;
      assert.equal(seal.level, level, `${level}: the level the verifier proves`);

      const later = await verifyDocument(pdf, { trustAnchors, validationTime: new Date(sealEnds + 10 * 86_400_000) });
      const laterSeal = later.signatures.find((s) => s.kind === 'seal')!;
      if (level === 'B-B') {
        assert.equal(laterSeal.indication, 'INDETERMINATE', 'a B-B seal after its certificate expired: nothing proves when it was made');
        assert.equal(laterSeal.subIndication, 'OUT_OF_BOUNDS_NO_POE');
      } else {
        assert.equal(laterSeal.indication, 'TOTAL_PASSED', `${level} after expiry: ${JSON.stringify(laterSeal.reasons)}`);
        assert.ok(laterSeal.bestSignatureTime && Date.parse(laterSeal.bestSignatureTime) < sealEnds, 'judged at the time the time-stamp proves');
      }
    }
  });
});
