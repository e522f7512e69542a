/**
 * `verifyDocument` judges time: PAdES B-T, B-LT and B-LTA documents made offline with
 * OpenSSL (test/helpers/ltv-pdf.ts: `openssl cms -cades`, `openssl ts -reply`,
 * `openssl ocsp`, `openssl ca -gencrl`), verified now and with the validation time moved past
 * the seal certificate's expiry; revocations before and after signing; a byte changed in
 * each revision; revocation data for another certificate or from a responder without
 * authority; several document time-stamps; DSS with and without /VRI; RSA and EC. And the
 * same documents extended by another program: PDFBox 2 + Bouncy Castle (Debian's packages,
 * test/helpers/java/LtvWriter.java) writing the DSS and the document time-stamp.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { appendDocumentTimestamp, appendDss, createLtvPki, pdfboxExtend, sealedPdf, type KeyKind, type LtvPki, type LtvSigner } from '../helpers/ltv-pdf.ts';
import { appendUnsignedUpdate } from '../helpers/pdf-sign.ts';
import { fuzzSource, mutate, rng } from '../helpers/fuzz.ts';
import { verifyDocument } from '../../components/core/pdf/verify-document.ts';
import type { VerificationReport } from '../../components/core/report.ts';

const DAY = 86_400_000;
const codes = (list: { code: string }[] | undefined) => (list ?? []).map((r) => r.code);
const seal0 = (r: VerificationReport) => r.signatures[0]!;
const show = (r: VerificationReport) => JSON.stringify(r, null, 1).slice(0, 4000);

function qpdfCheck(pdf: Uint8Array, dir: string): string {
  const path = join(dir, `check-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(path, pdf);
  try {
    return execFileSync('qpdf', ['--check', path], { encoding: 'utf8' });
  } finally {
    rmSync(path, { force: true });
  }
}

interface Fixtures {
  pki: LtvPki;
  seal: LtvSigner;
  /** A day after the seal certificate expired. */
  later: Date;
  bb: Uint8Array;
  bt: Uint8Array;
  blt: Uint8Array;
  blta: Uint8Array;
}

async function fixtures(kind: KeyKind): Promise<Fixtures> {
  const pki = createLtvPki(kind);
  const seal = pki.seal('main');
  const bb = await sealedPdf(pki, seal, 'B-B');
  const bt = await sealedPdf(pki, seal, 'B-T');
  const blt = (await appendDss(bt, { certs: [pki.der.ocsp, pki.der.root], ocsps: [pki.ocsp(seal)], crls: [pki.crl()] })).pdf;
  const blta = await appendDocumentTimestamp(pki, blt);
  return { pki, seal, later: new Date(seal.notAfter.getTime() + DAY), bb, bt, blt, blta };
}

for (const kind of ['ec', 'rsa'] as const) {
  describe(`time travel (${kind.toUpperCase()})`, () => {
    let f: Fixtures;
    const verify = (pdf: Uint8Array, validationTime?: Date) => verifyDocument(pdf, { trustAnchors: [f.pki.rootPem], ...(validationTime ? { validationTime } : {}) });
    before(async () => {
      f = await fixtures(kind);
    });
    after(() => f.pki.cleanup());

    test('today every level passes, and the report names the level it reached', async () => {
      const expected = { bb: 'B-B', bt: 'B-T', blt: 'B-LT', blta: 'B-LTA' } as const;
      for (const [key, level] of Object.entries(expected) as [keyof typeof expected, string][]) {
        const report = await verify(f[key]);
        assert.equal(report.indication, 'TOTAL_PASSED', `${key}: ${show(report)}`);
        assert.equal(seal0(report).level, level, key);
        assert.equal(seal0(report).bestSignatureTime !== undefined, key !== 'bb', key);
      }
      assert.match(qpdfCheck(f.blta, f.pki.dir), /No syntax or stream encoding errors/);
    });

    test('after the seal certificate expired: B-LT and B-LTA pass, B-B and B-T are INDETERMINATE / OUT_OF_BOUNDS_NO_POE', async () => {
      for (const key of ['blt', 'blta'] as const) {
        const report = await verify(f[key], f.later);
        assert.equal(report.indication, 'TOTAL_PASSED', `${key}: ${show(report)}`);
        assert.equal(report.validationTime, f.later.toISOString());
      }
      for (const key of ['bb', 'bt'] as const) {
        const report = await verify(f[key], f.later);
        assert.equal(report.indication, 'INDETERMINATE', key);
        assert.equal(report.subIndication, 'OUT_OF_BOUNDS_NO_POE', key);
      }
      assert.deepEqual(codes(seal0(await verify(f.bt, f.later)).reasons), ['no-revocation-data']);
      assert.deepEqual(codes(seal0(await verify(f.bb, f.later)).reasons), ['certificate-expired']);
    });

    test('the report says where each piece of validation data came from and what it says', async () => {
      const report = await verify(f.blta, f.later);
      const seal = seal0(report);
      assert.deepEqual(seal.validationData!.certificates.map((c) => [c.source, c.status]), [['signature', 'good'], ['trust-anchor', undefined]]);
      const revocation = seal.validationData!.revocation.map((r) => [r.type, r.source, r.status, r.accepted]);
      assert.deepEqual(revocation, [['OCSP', 'dss', 'good', true], ['CRL', 'dss', 'good', true]]);
      assert.match(seal.validationData!.revocation[0]!.issuer!, /OCSP Responder/);
      assert.ok(Date.parse(seal.bestSignatureTime!) <= Date.parse(seal.validationData!.revocation[0]!.thisUpdate!), 'the OCSP response came after the time-stamp');
      assert.deepEqual(report.document?.dss, { certificates: 2, ocsps: 1, crls: 1, vri: 0 });
      assert.deepEqual(report.timestamps!.map((t) => [t.id, t.type, t.indication, t.covers]), [['sig-1-ts-1', 'signature', 'TOTAL_PASSED', ['sig-1']], ['sig-2', 'document', 'TOTAL_PASSED', ['sig-1']]]);
      assert.equal(report.signaturesCount, 1, 'a document time-stamp is listed with the time-stamps, not as a seal');
    });

    test('a B-LT update adds only validation data: not an unsigned change; anything else after it is', async () => {
      const report = await verify(f.blt);
      assert.equal(report.document?.wholeDocumentSigned, false);
      assert.equal(report.document?.onlyValidationDataAfter, true);
      const changed = await verify(await appendUnsignedUpdate(f.blt));
      assert.equal(changed.indication, 'INDETERMINATE');
      assert.deepEqual(codes(changed.reasons), ['unsigned-changes']);
    });
  });
}

describe('revocation', () => {
  let pki: LtvPki;
  const verify = (pdf: Uint8Array, validationTime?: Date) => verifyDocument(pdf, { trustAnchors: [pki.rootPem], ...(validationTime ? { validationTime } : {}) });
  before(() => {
    pki = createLtvPki('ec');
  });
  after(() => pki.cleanup());

  async function ltaWith(seal: LtvSigner, bt: Uint8Array): Promise<Uint8Array> {
    const lt = (await appendDss(bt, { certs: [pki.der.ocsp], ocsps: [pki.ocsp(seal)], crls: [pki.crl()] })).pdf;
    return appendDocumentTimestamp(pki, lt);
  }

  test('revoked after the time-stamp proved the signature: TOTAL_PASSED, today and after expiry, with a warning', async () => {
    const seal = pki.seal('revoked-later');
    const bt = await sealedPdf(pki, seal, 'B-T');
    const stampedAt = Date.parse(seal0(await verify(bt)).bestSignatureTime!);
    pki.revoke(seal, new Date(stampedAt + 2000));
    const lta = await ltaWith(seal, bt);
    for (const at of [undefined, new Date(seal.notAfter.getTime() + DAY)]) {
      const report = await verify(lta, at);
      assert.equal(report.indication, 'TOTAL_PASSED', show(report));
      assert.deepEqual(codes(seal0(report).warnings), ['certificate-revoked-after-signing']);
      assert.equal(seal0(report).validationData!.certificates[0]!.status, 'revoked');
      assert.equal(seal0(report).validationData!.certificates[0]!.revokedAt, new Date(stampedAt + 2000).toISOString());
    }
  });

  test('revoked before it signed: TOTAL_FAILED / REVOKED, by OCSP and by CRL alike', async () => {
    const seal = pki.seal('revoked-before');
    pki.revoke(seal, new Date(Date.now() - 3_600_000));
    const bt = await sealedPdf(pki, seal, 'B-T');
    const report = await verify(await ltaWith(seal, bt));
    assert.equal(report.indication, 'TOTAL_FAILED', show(report));
    assert.equal(report.subIndication, 'REVOKED');
    assert.deepEqual(codes(seal0(report).reasons), ['certificate-revoked']);
    for (const only of [{ ocsps: [pki.ocsp(seal)] }, { crls: [pki.crl()] }]) {
      const one = await verify((await appendDss(bt, only)).pdf);
      assert.equal(one.subIndication, 'REVOKED', JSON.stringify(Object.keys(only)));
    }
  });

  test('revoked, without a time-stamp to prove the signature came first: INDETERMINATE / REVOKED_NO_POE', async () => {
    const seal = pki.seal('revoked-no-poe');
    const bb = await sealedPdf(pki, seal, 'B-B');
    pki.revoke(seal, new Date(Date.now() + 60_000));
    const report = await verify((await appendDss(bb, { ocsps: [pki.ocsp(seal)] })).pdf, new Date(Date.now() + 120_000));
    assert.equal(report.indication, 'INDETERMINATE', show(report));
    assert.equal(report.subIndication, 'REVOKED_NO_POE');
  });

  test('an OCSP response for another certificate is not evidence (listed, refused)', async () => {
    const seal = pki.seal('other-ocsp');
    const other = pki.seal('someone-else');
    const bt = await sealedPdf(pki, seal, 'B-T');
    const lta = await appendDocumentTimestamp(pki, (await appendDss(bt, { certs: [pki.der.ocsp], ocsps: [pki.ocsp(other)] })).pdf);
    const report = await verify(lta, new Date(seal.notAfter.getTime() + DAY));
    assert.equal(report.indication, 'INDETERMINATE', show(report));
    assert.equal(report.subIndication, 'OUT_OF_BOUNDS_NO_POE');
    assert.equal(seal0(report).level, 'B-T');
    assert.deepEqual(seal0(report).validationData!.revocation.map((r) => [r.accepted, r.reason?.code]), [[false, 'ocsp-cert-id-mismatch']]);
  });

  test('an OCSP response from a responder the CA did not authorise is not evidence; one by the CA itself is', async () => {
    const seal = pki.seal('responders');
    const bt = await sealedPdf(pki, seal, 'B-T');
    const later = new Date(seal.notAfter.getTime() + DAY);
    const byTsa = await verify((await appendDss(bt, { certs: [pki.der.tsa], ocsps: [pki.ocsp(seal, 'tsa')] })).pdf, later);
    assert.equal(byTsa.subIndication, 'OUT_OF_BOUNDS_NO_POE', show(byTsa));
    assert.deepEqual(seal0(byTsa).validationData!.revocation.map((r) => [r.accepted, r.reason?.code]), [[false, 'ocsp-responder-not-authorised']]);
    const byCa = await verify((await appendDss(bt, { ocsps: [pki.ocsp(seal, 'ca')] })).pdf, later);
    assert.equal(byCa.indication, 'TOTAL_PASSED', show(byCa));
    assert.equal(seal0(byCa).validationData!.revocation[0]!.issuer, seal0(byCa).certificate!.issuer);
  });

  test('a damaged OCSP response in an unsigned DSS is refused (bad signature), not believed', async () => {
    const seal = pki.seal('damaged-ocsp');
    const bt = await sealedPdf(pki, seal, 'B-T');
    const { pdf, ocspOffsets } = await appendDss(bt, { ocsps: [pki.ocsp(seal)] });
    const damaged = new Uint8Array(pdf);
    // The last bytes of an OCSP response are its signature (and certificates, if any): flip one near the middle.
    damaged[ocspOffsets[0]! + 60]! ^= 0x01;
    const report = await verify(damaged, new Date(seal.notAfter.getTime() + DAY));
    assert.notEqual(report.indication, 'TOTAL_PASSED', show(report));
  });

  test('a B-B signature with revocation data but no time-stamp is still not proven after expiry', async () => {
    const seal = pki.seal('bb-lt');
    const bb = await sealedPdf(pki, seal, 'B-B');
    const report = await verify((await appendDss(bb, { ocsps: [pki.ocsp(seal)], crls: [pki.crl()] })).pdf, new Date(seal.notAfter.getTime() + DAY));
    assert.equal(report.indication, 'INDETERMINATE');
    assert.equal(report.subIndication, 'OUT_OF_BOUNDS_NO_POE');
    assert.equal(seal0(report).level, 'B-B');
  });
});

describe('several document time-stamps, DSS with and without /VRI', () => {
  let pki: LtvPki;
  let seal: LtvSigner;
  let twice: Uint8Array;
  const verify = (pdf: Uint8Array, validationTime?: Date) => verifyDocument(pdf, { trustAnchors: [pki.rootPem], ...(validationTime ? { validationTime } : {}) });
  before(async () => {
    pki = createLtvPki('rsa');
    seal = pki.seal('archive');
    const bt = await sealedPdf(pki, seal, 'B-T');
    const first = await appendDocumentTimestamp(pki, (await appendDss(bt, { certs: [pki.der.ocsp], ocsps: [pki.ocsp(seal)], vri: true })).pdf);
    // An archive time-stamp: fresh data for the time-stamping chain, then a new document time-stamp over everything.
    twice = await appendDocumentTimestamp(pki, (await appendDss(first, { certs: [pki.der.tsa], ocsps: [pki.ocspForTsa()], crls: [pki.crl()] })).pdf);
  });
  after(() => pki.cleanup());

  test('two document time-stamps in a row: each verified, the later one covering the earlier', async () => {
    const report = await verify(twice, new Date(seal.notAfter.getTime() + DAY));
    assert.equal(report.indication, 'TOTAL_PASSED', show(report));
    assert.equal(seal0(report).level, 'B-LTA');
    const docs = report.timestamps!.filter((t) => t.type === 'document');
    assert.deepEqual(docs.map((t) => [t.id, t.indication, t.covers]), [['sig-2', 'TOTAL_PASSED', ['sig-1']], ['sig-3', 'TOTAL_PASSED', ['sig-1', 'sig-2']]]);
    assert.deepEqual(report.document?.dss, { certificates: 2, ocsps: 2, crls: 1, vri: 1 });
    assert.deepEqual(seal0(report).validationData!.revocation.map((r) => [r.type, r.accepted]), [['OCSP', true], ['CRL', true]], 'the TSA\'s OCSP response is not listed as refused for the seal');
    assert.match(qpdfCheck(twice, pki.dir), /No syntax or stream encoding errors/);
  });

  test('a byte changed in any revision: TOTAL_FAILED', async () => {
    const text = Buffer.from(twice).toString('latin1');
    const ends = [...text.matchAll(/%%EOF/g)].map((m) => m.index! + 5);
    const gaps = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].map((m) => [Number(m[2]), Number(m[3])] as const);
    assert.equal(ends.length, 5, 'the sealed page (pdf-lib rewrites it whole), DSS, document time-stamp, DSS, document time-stamp');
    for (const [i, end] of ends.entries()) {
      const start = i === 0 ? 0 : ends[i - 1]!;
      let at = Math.floor((start + end) / 2);
      const gap = gaps.find(([b, c]) => at >= b && at < c);
      // Inside a /Contents gap: change a hex digit of the CMS or token itself (its padding no signature covers, by design).
      if (gap) at = gap[0] + 41;
      const changed = new Uint8Array(twice);
      changed[at] = gap ? (changed[at] === 0x30 ? 0x31 : 0x30) : changed[at]! ^ 0x01;
      const report = await verify(changed);
      assert.equal(report.indication, 'TOTAL_FAILED', `revision ${i + 1}, byte ${at}: ${show(report)}`);
    }
  });

  test('a DSS with only /VRI is read as well', async () => {
    const other = pki.seal('vri-only');
    const bt = await sealedPdf(pki, other, 'B-T');
    const report = await verify((await appendDss(bt, { ocsps: [pki.ocsp(other, 'ca')], vriOnly: true })).pdf, new Date(other.notAfter.getTime() + DAY));
    assert.equal(report.indication, 'TOTAL_PASSED', show(report));
    assert.equal(seal0(report).level, 'B-LT');
    assert.deepEqual(report.document?.dss, { certificates: 0, ocsps: 1, crls: 0, vri: 1 });
  });

  test('the validation-data limits hold: a DSS over them is read in part, with a warning', async () => {
    const report = await verifyDocument(twice, { trustAnchors: [pki.rootPem], limits: { maxValidationItems: 2 } });
    assert.ok(codes(report.warnings).includes('validation-data-limit'), show(report));
  });

  test('revocation and time-stamp checks count against the signature-check budget: over it, INDETERMINATE budget-exceeded, never an error', async () => {
    for (const max of [1, 3, 6, 9]) {
      const report = await verifyDocument(twice, { trustAnchors: [pki.rootPem], limits: { maxSignatureChecks: max } });
      assert.equal(report.indication, 'INDETERMINATE', `${max}: ${show(report)}`);
      assert.ok(codes(report.reasons).includes('budget-exceeded'), `${max}: ${show(report)}`);
      assert.ok(!JSON.stringify(report).includes('verifier-error'), `${max}`);
    }
  });

  test('a changed revision under a document time-stamp: the document says why (reason timestamp-imprint-mismatch)', async () => {
    const text = Buffer.from(twice).toString('latin1');
    const changed = new Uint8Array(twice);
    const at = text.indexOf('/Type /DSS');
    changed[at + 2] = 0x78; // "/Type /DSS" → "/Txpe /DSS": the DSS revision, covered by both document time-stamps
    const report = await verify(changed);
    assert.equal(report.indication, 'TOTAL_FAILED');
    assert.equal(report.subIndication, 'HASH_FAILURE');
    assert.deepEqual([...new Set(codes(report.reasons))], ['timestamp-imprint-mismatch']);
  });

  // A hang guard for the run, not a speed target.
  test('200 mutations of a B-LTA document (fixed seed): a report every time, never TOTAL_PASSED for a change outside the /Contents gaps', { timeout: 600_000 }, async () => {
    const random = rng(20_261_207);
    const text = Buffer.from(twice).toString('latin1');
    const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].map((m) => m.slice(1, 5).map(Number));
    const gaps = ranges.map((r) => [r[1]!, r[2]!] as const);
    const ends = ranges.map((r) => r[2]! + r[3]!);
    const src = fuzzSource('b-lta', twice);
    const tally: Record<string, number> = {};
    for (let i = 0; i < 200; i++) {
      const { kind, pdf: mutated } = mutate(src, random);
      const report = await verify(mutated);
      tally[report.indication] = (tally[report.indication] ?? 0) + 1;
      assert.ok(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE'].includes(report.indication), `run ${i}`);
      assert.ok(!JSON.stringify(report).includes('verifier-error'), `run ${i} (${kind}): ${show(report)}`);
      if (report.indication !== 'TOTAL_PASSED') continue;
      // Cut at the end of a signed revision, the file is that earlier revision: valid as it was then.
      const prefix = mutated.length < twice.length && mutated.every((b, k) => b === twice[k]);
      if (prefix && ends.some((end) => mutated.length >= end && /^\s*$/.test(text.slice(end, mutated.length)))) continue;
      assert.equal(mutated.length, twice.length, `run ${i} (${kind}): TOTAL_PASSED after a change of length`);
      for (let k = 0; k < mutated.length; k++) {
        if (mutated[k] !== twice[k]) assert.ok(gaps.some(([b, c]) => k > b && k < c - 1), `run ${i} (${kind}): TOTAL_PASSED with byte ${k} changed`);
      }
    }
    assert.ok((tally.TOTAL_FAILED ?? 0) > 50, JSON.stringify(tally));
  });

  test('the newest document time-stamp is relied on at the validation time: past its TSA certificate, nothing is proven', async () => {
    const farAway = new Date(Date.now() + 3700 * DAY);
    const report = await verify(twice, farAway);
    assert.equal(report.indication, 'INDETERMINATE', show(report));
    assert.equal(report.subIndication, 'OUT_OF_BOUNDS_NO_POE');
    const last = report.timestamps!.find((t) => t.id === 'sig-3')!;
    assert.deepEqual(codes(last.reasons), ['timestamp-tsa-expired-no-poe']);
  });
});

for (const kind of ['ec', 'rsa'] as const) {
  describe(`DSS and document time-stamps written by PDFBox + Bouncy Castle (${kind.toUpperCase()})`, () => {
    let pki: LtvPki;
    const verify = (pdf: Uint8Array, validationTime?: Date) => verifyDocument(pdf, { trustAnchors: [pki.rootPem], ...(validationTime ? { validationTime } : {}) });
    before(() => {
      pki = createLtvPki(kind);
    });
    after(() => pki.cleanup());

    test('B-LT and B-LTA by PDFBox verify the same way: passed today and after the seal certificate expired', async () => {
      const seal = pki.seal('pdfbox');
      const bt = await sealedPdf(pki, seal, 'B-T');
      const lt = pdfboxExtend(pki, bt, 'dss', { certs: [pki.der.ocsp], ocsps: [pki.ocsp(seal)], crls: [pki.crl()] });
      const lta = pdfboxExtend(pki, lt, 'doc-ts');
      assert.match(qpdfCheck(lta, pki.dir), /No syntax or stream encoding errors/);
      for (const [pdf, level] of [[lt, 'B-LT'], [lta, 'B-LTA']] as const) {
        for (const at of [undefined, new Date(seal.notAfter.getTime() + DAY)]) {
          const report = await verify(pdf, at);
          assert.equal(report.indication, 'TOTAL_PASSED', `${level}: ${show(report)}`);
          assert.equal(seal0(report).level, level);
        }
      }
      const report = await verify(lta);
      assert.equal(report.document?.dss?.vri, 1, 'PDFBox wrote a /VRI entry (FlateDecode streams)');
      assert.deepEqual(report.timestamps!.map((t) => [t.type, t.indication]), [['signature', 'TOTAL_PASSED'], ['document', 'TOTAL_PASSED']]);
    });

    test('a certificate revoked before signing, with PDFBox-written revocation data: TOTAL_FAILED / REVOKED', async () => {
      const seal = pki.seal('pdfbox-revoked');
      pki.revoke(seal, new Date(Date.now() - 3_600_000));
      const bt = await sealedPdf(pki, seal, 'B-T');
      const lta = pdfboxExtend(pki, pdfboxExtend(pki, bt, 'dss', { ocsps: [pki.ocsp(seal)] }), 'doc-ts');
      const report = await verify(lta);
      assert.equal(report.indication, 'TOTAL_FAILED', show(report));
      assert.equal(report.subIndication, 'REVOKED');
    });
  });
}

describe('revocation data for the time-stamping chain', () => {
  let pki: LtvPki;
  before(() => {
    pki = createLtvPki('ec');
  });
  after(() => pki.cleanup());

  test('a document time-stamp whose TSA certificate has expired stands when a later one covers it and the DSS shows its TSA was not revoked', async () => {
    const seal = pki.seal('archived');
    const bb = await sealedPdf(pki, seal, 'B-B');
    const first = await appendDocumentTimestamp(pki, (await appendDss(bb, { certs: [pki.der.ocsp], ocsps: [pki.ocsp(seal)] })).pdf, 12000, 'tsa2');
    const withTsaData = await appendDocumentTimestamp(pki, (await appendDss(first, { certs: [pki.shortTsa.der], ocsps: [pki.ocspForTsa('tsa2')] })).pdf);
    const withoutTsaData = await appendDocumentTimestamp(pki, first);
    // Past the seal's and the short-lived TSA's expiry, within the other TSA's validity.
    const at = new Date(pki.shortTsa.notAfter.getTime() + 86_400_000);
    const stands = await verifyDocument(withTsaData, { trustAnchors: [pki.rootPem], validationTime: at });
    assert.equal(stands.indication, 'TOTAL_PASSED', show(stands));
    assert.deepEqual(stands.timestamps!.map((t) => [t.id, t.indication]), [['sig-2', 'TOTAL_PASSED'], ['sig-3', 'TOTAL_PASSED']]);
    assert.equal(seal0(stands).level, 'B-LTA');
    const unproven = await verifyDocument(withoutTsaData, { trustAnchors: [pki.rootPem], validationTime: at });
    const old = unproven.timestamps!.find((t) => t.id === 'sig-2')!;
    assert.equal(old.indication, 'INDETERMINATE', show(unproven));
    assert.equal(old.subIndication, 'OUT_OF_BOUNDS_NO_POE');
    assert.deepEqual(codes(old.reasons), ['timestamp-no-revocation-data']);
  });
});
