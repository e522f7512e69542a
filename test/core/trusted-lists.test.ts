/**
 * Trusted lists (ETSI TS 119 612) made and signed by independent tools — certificates by
 * OpenSSL, the lists' XMLDSig by Debian's `xmlsec1` (test/helpers/trusted-lists.ts) — read
 * and verified by Overa (components/core/trust-lists), and seals made by `openssl cms -cades`
 * with an `openssl ts` time-stamp, judged against them: qualified seal → QESeal; a seal
 * under a service withdrawn after it was time-stamped → still QESeal, one time-stamped after
 * the withdrawal → AdESeal; a certificate without QC statements → AdESeal.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createLtvPki, type LtvPki } from '../helpers/ltv-pdf.ts';
import { addSignatureTimestamp, basePdf, signEtsiWithOpenssl } from '../helpers/pdf-sign.ts';
import { createTrustFixture, type FixtureCert, type TrustFixture, type TrustLists } from '../helpers/trusted-lists.ts';
import { loadTrustedList, loadTrustedLists } from '../../components/core/trust-lists/load.ts';
import type { TrustedListSet } from '../../components/core/trust-lists/model.ts';
import { qualify } from '../../components/core/trust-lists/qualify.ts';
import { certificateFromDer } from '../../components/core/pdf/cms.ts';
import { verifyDocument } from '../../components/core/pdf/verify-document.ts';
import type { VerificationReport } from '../../components/core/report.ts';

let fx: TrustFixture;
let tsa: LtvPki;
let lists: TrustLists;
let set: TrustedListSet;
const pdfs: Record<'qualified' | 'beforeWithdrawal' | 'afterWithdrawal' | 'plain', Uint8Array> = {} as never;

async function sealBT(signer: FixtureCert): Promise<Uint8Array> {
  const signed = await signEtsiWithOpenssl(tsa.asTestPki(), await basePdf({ objectStreams: false }), signer, { contentsBytes: 12000 });
  return addSignatureTimestamp(tsa.asTestPki(), signed);
}

const show = (r: VerificationReport) => JSON.stringify(r.signatures[0], null, 1).slice(0, 3000);

before(async () => {
  fx = createTrustFixture();
  tsa = createLtvPki('ec');
  pdfs.qualified = await sealBT(fx.qseal);
  pdfs.plain = await sealBT(fx.plainSeal);
  pdfs.beforeWithdrawal = await sealBT(fx.qsealUnderWithdrawn);
  // The service is withdrawn between the two time-stamps (genTime has whole seconds).
  await new Promise((r) => setTimeout(r, 1100));
  const withdrawnAt = new Date(Math.ceil(Date.now() / 1000) * 1000);
  await new Promise((r) => setTimeout(r, Math.max(0, withdrawnAt.getTime() - Date.now()) + 1100));
  pdfs.afterWithdrawal = await sealBT(fx.qsealUnderWithdrawn);
  lists = fx.writeLists(withdrawnAt);
  const loaded = await loadTrustedLists({
    lotl: { xml: lists.lotl, location: 'https://tl.example.test/lotl.xml', pinned: [fx.lotlSigner.pem] },
    lists: [
      { xml: lists.rs, location: 'https://tl.example.test/rs.xml' },
      { xml: lists.si, location: 'https://tl.example.test/si.xml' },
    ],
  });
  assert.deepEqual(loaded.results.map((r) => (r.ok ? 'ok' : r.reason)), ['ok', 'ok', 'ok']);
  set = loaded.set;
});

after(() => {
  fx?.cleanup();
  tsa?.cleanup();
});

describe('reading trusted lists', () => {
  test('the list of lists points to the two national lists, with their territories and pinned signing certificates', () => {
    const lotl = set.lists[0]!.list;
    assert.equal(lotl.listOfLists, true);
    assert.equal(lotl.territory, 'EU');
    assert.deepEqual(
      lotl.pointers.map((p) => [p.territory, p.location, p.mimeType]),
      [
        ['RS', 'https://tl.example.test/rs.xml', 'application/vnd.etsi.tsl+xml'],
        ['SI', 'https://tl.example.test/si.xml', 'application/vnd.etsi.tsl+xml'],
      ],
    );
    assert.equal(lotl.pointers[0]!.signingCertificates[0], fx.rsSigner.b64);
    assert.ok(lotl.nextUpdate && Date.parse(lotl.nextUpdate) > Date.now());
  });

  test('a national list: provider, services, status history with dates, identities, qualifiers and additional information', () => {
    const rs = set.lists[1]!;
    assert.equal(rs.list.territory, 'RS');
    assert.equal(rs.list.sequenceNumber, 7);
    assert.equal(rs.signerSubject, 'CN=Test RS TL Signer,O=Overa TL Test,C=RS');
    const [qualified, old] = rs.list.providers[0]!.services;
    assert.equal(rs.list.providers[0]!.name, 'Test Qualified Trust Service Provider');
    assert.equal(qualified!.name, 'Test QTSP Qualified CA');
    assert.deepEqual(qualified!.certificates, [fx.ca.b64]);
    assert.equal(qualified!.skis.length, 1);
    assert.deepEqual(
      qualified!.states.map((s) => [s.status.split('/').pop(), s.from, s.to]),
      [
        ['granted', '2020-01-01T00:00:00.000Z', undefined],
        ['undersupervision', '2016-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z'],
      ],
    );
    assert.deepEqual(qualified!.states[0]!.qualifications[0]!.qualifiers, ['QCForESeal', 'QCWithQSCD']);
    assert.deepEqual(qualified!.states[0]!.qualifications[0]!.criteria.policySets, [['0.4.0.194112.1.3']]);
    assert.deepEqual(qualified!.states[0]!.additionalInfo, ['http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSeals']);
    assert.deepEqual(
      old!.states.map((s) => [s.status.split('/').pop(), s.from]),
      [
        ['withdrawn', lists.withdrawnAt.toISOString()],
        ['granted', '2020-01-01T00:00:00.000Z'],
      ],
    );
  });

  test('a tampered list, one signed by a key nobody pinned, and an expired one are refused with their reasons', async () => {
    const pinned = [fx.rsSigner.pem];
    const tampered = await loadTrustedList(lists.rsTampered, { pinned });
    assert.equal(tampered.ok, false);
    assert.equal(!tampered.ok && tampered.reason, 'signature-invalid');
    assert.match(!tampered.ok ? tampered.detail : '', /changed after it was signed/);
    const unpinned = await loadTrustedList(lists.rsUnpinned, { pinned });
    assert.equal(!unpinned.ok && unpinned.reason, 'signer-not-pinned');
    const expired = await loadTrustedList(lists.rsExpired, { pinned });
    assert.equal(!expired.ok && expired.reason, 'expired');
    assert.match(!expired.ok ? expired.detail : '', /NextUpdate/);
    // The right list with nothing pinned, another list's key, a wrong territory, not XML, not a trusted list.
    assert.equal((await loadTrustedList(lists.rs, { pinned: [] })).ok === false && 'refused', 'refused');
    const other = await loadTrustedList(lists.rs, { pinned: [fx.siSigner.pem] });
    assert.equal(!other.ok && other.reason, 'signer-not-pinned');
    const territory = await loadTrustedList(lists.rs, { pinned, territory: 'SI' });
    assert.equal(!territory.ok && territory.reason, 'territory-mismatch');
    const notXml = await loadTrustedList('<tsl:Trust', { pinned });
    assert.equal(!notXml.ok && notXml.reason, 'not-xml');
    const notTl = await loadTrustedList('<?xml version="1.0"?><html/>', { pinned });
    assert.equal(!notTl.ok && notTl.reason, 'not-a-trusted-list');
    const unsigned = await loadTrustedList(lists.rs.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, ''), { pinned });
    assert.equal(!unsigned.ok && unsigned.reason, 'no-signature');
  });

  test('a list signed the way published lists are (RSA, XAdES signed properties, a reference to the root Id, pretty-printed) reads the same', async () => {
    const unsigned = lists.rs.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    const xades = fx.signXades(unsigned, fx.rsaSigner);
    const r = await loadTrustedList(xades, { pinned: [fx.rsaSigner.pem] });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.deepEqual(r.ok && r.verified.list, set.lists[1]!.list);
    // The signed properties are covered too.
    const changed = await loadTrustedList(xades.replace(/<xades:SigningTime>[^<]+/, '<xades:SigningTime>2020-01-01T00:00:00Z'), { pinned: [fx.rsaSigner.pem] });
    assert.equal(!changed.ok && changed.reason, 'signature-invalid');
    // An ECDSA key pinned for an RSA signature is no match.
    const other = await loadTrustedList(xades, { pinned: [fx.rsSigner.pem] });
    assert.equal(!other.ok && other.reason, 'signer-not-pinned');
  });

  test('a national list whose list of lists is refused pins nothing: it is refused too', async () => {
    const loaded = await loadTrustedLists({ lotl: { xml: lists.lotl, pinned: [fx.rogueSigner.pem] }, lists: [{ xml: lists.rs, location: 'https://tl.example.test/rs.xml' }] });
    assert.deepEqual(loaded.results.map((r) => (r.ok ? 'ok' : r.reason)), ['signer-not-pinned', 'no-pinned-certificates']);
    assert.equal(loaded.set.lists.length, 0);
  });
});

describe('qualified status in the report', () => {
  test('a qualified seal (QcCompliance, QcType eseal, QcSSCD) under a granted CA/QC service → QESeal', async () => {
    const report = await verifyDocument(pdfs.qualified, { trustAnchors: [tsa.rootPem], trustedLists: set });
    const seal = report.signatures[0]!;
    assert.equal(report.indication, 'TOTAL_PASSED', show(report));
    assert.equal(seal.qualification?.level, 'QESeal', show(report));
    assert.equal(seal.qualification.territory, 'RS');
    assert.equal(seal.qualification.provider, 'Test Qualified Trust Service Provider');
    assert.equal(seal.qualification.service, 'Test QTSP Qualified CA');
    assert.equal(seal.qualification.serviceStatus, 'granted');
    assert.deepEqual([seal.qualification.qcCompliance, seal.qualification.qcTypes, seal.qualification.qcSscd], [true, ['eseal'], true]);
    assert.deepEqual(seal.qualification.qualifiers, ['QCForESeal', 'QCWithQSCD']);
    assert.equal(seal.qualification.at, seal.bestSignatureTime);
    assert.deepEqual(seal.qualification.reasons, []);
  });

  test('the same seal without the lists: no chain to a trust anchor, and nothing claimed about qualification', async () => {
    const report = await verifyDocument(pdfs.qualified, { trustAnchors: [tsa.rootPem] });
    assert.equal(report.indication, 'INDETERMINATE');
    assert.equal(report.signatures[0]!.qualification, undefined);
  });

  test('a withdrawn service: a seal time-stamped before the withdrawal is still qualified, one after it is not', async () => {
    const before = await verifyDocument(pdfs.beforeWithdrawal, { trustAnchors: [tsa.rootPem], trustedLists: set });
    assert.equal(before.signatures[0]!.qualification?.level, 'QESeal', show(before));
    assert.equal(before.signatures[0]!.qualification.serviceStatus, 'granted');
    const after = await verifyDocument(pdfs.afterWithdrawal, { trustAnchors: [tsa.rootPem], trustedLists: set });
    const q = after.signatures[0]!.qualification;
    // Still a valid seal: a withdrawn service's CA stays a trust anchor (as in DSS); only its qualified status is gone.
    assert.equal(after.indication, 'TOTAL_PASSED', show(after));
    assert.equal(q?.level, 'AdESeal', show(after));
    assert.equal(q.serviceStatus, 'withdrawn');
    assert.equal(q.statusFrom, lists.withdrawnAt.toISOString());
    assert.equal(q.qualifiedCertificate, false);
    assert.deepEqual(q.reasons.map((r) => r.code), ['service-not-granted']);
  });

  test('a certificate without QC statements under the same service → AdESeal (the service is for seals)', async () => {
    const report = await verifyDocument(pdfs.plain, { trustAnchors: [tsa.rootPem], trustedLists: set });
    const q = report.signatures[0]!.qualification;
    assert.equal(report.indication, 'TOTAL_PASSED', show(report));
    assert.equal(q?.level, 'AdESeal', show(report));
    assert.equal(q.qcCompliance, false);
    assert.deepEqual(q.reasons.map((r) => r.code), ['certificate-not-qualified']);
  });

  test('a certificate issued before its service was granted is not qualified, even when signing later', () => {
    const rs = set.lists[1]!;
    const provider = rs.list.providers[0]!;
    const service = structuredClone(provider.services[0]!);
    const signer = certificateFromDer(fx.qseal.der);
    const issued = signer.cert.notBefore.value.getTime();
    // Withdrawn until an hour after the certificate was issued, granted since.
    service.states = [
      { ...service.states[0]!, from: new Date(issued + 3_600_000).toISOString() },
      { ...service.states[0]!, status: 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn', from: '2019-01-01T00:00:00.000Z', to: new Date(issued + 3_600_000).toISOString() },
    ];
    const q = qualify([signer], { list: rs, provider, service }, new Date(issued + 7_200_000), 'TOTAL_PASSED');
    assert.equal(q.serviceStatus, 'granted');
    assert.equal(q.level, 'AdESeal');
    assert.deepEqual(q.reasons.map((r) => r.code), ['service-not-granted-at-issuance']);
    // Granted at both times: qualified.
    assert.equal(qualify([signer], { list: rs, provider, service: provider.services[0]! }, new Date(issued + 7_200_000), 'TOTAL_PASSED').level, 'QESeal');
  });

  test('a seal that fails is not qualified: NA, with the reason', async () => {
    const changed = new Uint8Array(pdfs.qualified);
    changed[200] ^= 1;
    const report = await verifyDocument(changed, { trustAnchors: [tsa.rootPem], trustedLists: set });
    assert.equal(report.indication, 'TOTAL_FAILED');
    assert.equal(report.signatures[0]!.qualification?.level, 'NA');
    assert.equal(report.signatures[0]!.qualification.reasons[0]!.code, 'signature-not-valid');
  });

  test('lists given as JSON (as GET /api/v1/trust serves them) give the same report', async () => {
    const at = new Date();
    const direct = await verifyDocument(pdfs.qualified, { trustAnchors: [tsa.rootPem], trustedLists: set, validationTime: at });
    const viaJson = await verifyDocument(pdfs.qualified, { trustAnchors: [tsa.rootPem], trustedLists: JSON.parse(JSON.stringify(set)), validationTime: at });
    assert.deepEqual(viaJson, direct);
  });
});
