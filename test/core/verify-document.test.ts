/**
 * `verifyDocument` against PDFs signed by tools that are not Overa: poppler's
 * `pdfsig -add-signature` (NSS, adbe.pkcs7.detached) and OpenSSL's `cms -sign -cades`
 * (ETSI.CAdES.detached), EC P-256 and RSA-2048, each also checked by `pdfsig`. Then every
 * kind of damage gets its verdict and a reason, the embedded passkey evidence is checked,
 * and a seeded fuzz run (mutated PDFs and CMS blobs) must never throw, hang or pass a change.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as asn1js from 'asn1js';
import { ContentInfo, SignedData } from 'pkijs';
import {
  addSignatureTimestamp,
  appendUnsignedUpdate,
  basePdf,
  createTestPki,
  EVIDENCE_ORIGIN,
  EVIDENCE_RP_ID,
  evidenceFile,
  passkeyEvidence,
  pdfsigInfo,
  SAMPLE_APPLICATION,
  signatureContents,
  signEtsiWithOpenssl,
  signWithPdfsig,
  type TestPki,
} from '../helpers/pdf-sign.ts';
import { fuzzSource, invariantProblem, mutate, rng, type FuzzSource } from '../helpers/fuzz.ts';
import { verifyDocument, VERIFY_DOCUMENT_LIMITS, type RangeDigest, type VerifyDocumentOptions } from '../../components/core/pdf/verify-document.ts';
import type { VerificationWork } from '../../components/core/pdf/budget.ts';
import { PASSKEY_EVIDENCE_LIMITS } from '../../components/core/signing/verify-evidence.ts';
import { countCryptoWork } from '../helpers/crypto-work.ts';
import { manySignaturesPdf } from '../helpers/hostile-pdf.ts';
import { checkSigningCertificate, parseCms, certificateFromDer } from '../../components/core/pdf/cms.ts';
import { parsePdfDate } from '../../components/core/pdf/parse.ts';
import type { SignatureReportEntry, VerificationReport } from '../../components/core/report.ts';

let pki: TestPki;
const pdf: Record<string, Uint8Array> = {};
let anchors: VerifyDocumentOptions;

const FIXTURES = [
  { name: 'EC, adbe.pkcs7.detached (pdfsig)', key: 'ecAdbe', subFilter: 'adbe.pkcs7.detached', publicKey: 'EC P-256', timeSource: 'pdf-dictionary' },
  { name: 'RSA, adbe.pkcs7.detached (pdfsig)', key: 'rsaAdbe', subFilter: 'adbe.pkcs7.detached', publicKey: 'RSA 2048', timeSource: 'pdf-dictionary' },
  { name: 'EC, ETSI.CAdES.detached (openssl)', key: 'ecEtsi', subFilter: 'ETSI.CAdES.detached', publicKey: 'EC P-256', timeSource: 'signed-attribute' },
  { name: 'RSA, ETSI.CAdES.detached (openssl)', key: 'rsaEtsi', subFilter: 'ETSI.CAdES.detached', publicKey: 'RSA 2048', timeSource: 'signed-attribute' },
  { name: 'RSA-PSS, ETSI.CAdES.detached (openssl)', key: 'rsaPss', subFilter: 'ETSI.CAdES.detached', publicKey: 'RSA 2048', timeSource: 'signed-attribute' },
] as const;

before(async () => {
  pki = createTestPki();
  anchors = { trustAnchors: [pki.rootPem] };
  const base = await basePdf();
  pdf.unsigned = base;
  pdf.ecAdbe = signWithPdfsig(pki, base, pki.ec);
  pdf.rsaAdbe = signWithPdfsig(pki, base, pki.rsa);
  pdf.ecEtsi = await signEtsiWithOpenssl(pki, base, pki.ec);
  pdf.rsaEtsi = await signEtsiWithOpenssl(pki, base, pki.rsa);
  pdf.rsaPss = await signEtsiWithOpenssl(pki, base, pki.rsa, { opensslArgs: ['-keyopt', 'rsa_padding_mode:pss'] });
  pdf.expired = signWithPdfsig(pki, base, pki.expired);
  pdf.twoSignatures = signWithPdfsig(pki, pdf.ecEtsi, pki.rsa);
});
after(() => pki?.cleanup());

async function verify(bytes: Uint8Array, options: Partial<VerifyDocumentOptions> = {}): Promise<VerificationReport> {
  return verifyDocument(bytes, { ...anchors, ...options });
}

const codes = (e: { reasons?: { code: string }[] } | undefined) => (e?.reasons ?? []).map((r) => r.code);

/** A copy with `change` applied. */
function changed(bytes: Uint8Array, change: (b: Uint8Array) => void): Uint8Array {
  const out = new Uint8Array(bytes);
  change(out);
  return out;
}

/** The signature value's octets, read with pkijs from the file's CMS. */
function signatureValueOf(bytes: Uint8Array): Uint8Array {
  const { der } = signatureContents(bytes);
  const sd = new SignedData({ schema: new ContentInfo({ schema: asn1js.fromBER(der as Uint8Array<ArrayBuffer>).result }).content });
  return new Uint8Array(sd.signerInfos[0]!.signature.valueBlock.valueHexView);
}

describe('PDFs signed by independent tools', () => {
  test('every fixture is valid for pdfsig (signature valid, certificate trusted)', () => {
    for (const f of FIXTURES) {
      const info = pdfsigInfo(pki, pdf[f.key]!);
      assert.match(info, /Signature is Valid/, f.name);
      assert.match(info, /Certificate is Trusted/, f.name);
      assert.match(info, new RegExp(`Signature Type: ${f.subFilter.replace(/\./g, '\\.')}`), f.name);
    }
  });

  for (const f of FIXTURES) {
    test(`${f.name}: TOTAL_PASSED with the right trust anchor`, async () => {
      const report = await verify(pdf[f.key]!);
      assert.equal(report.indication, 'TOTAL_PASSED', JSON.stringify(report, null, 1));
      assert.equal(report.subIndication, undefined);
      assert.equal(report.signaturesCount, 1);
      assert.equal(report.validSignaturesCount, 1);
      assert.equal(report.reasons, undefined);
      assert.deepEqual(report.document, { size: pdf[f.key]!.length, wholeDocumentSigned: true });
      const seal = report.signatures[0]!;
      assert.equal(seal.kind, 'seal');
      assert.deepEqual(seal.reasons, []);
      assert.equal(seal.subFilter, f.subFilter);
      assert.equal(seal.coversWholeDocument, true);
      assert.equal(seal.certificate?.publicKey, f.publicKey);
      assert.match(seal.certificate!.subject, /^CN=(EC|RSA) Seal,O=Overa Test,C=RS$/);
      assert.equal(seal.certificate!.issuer, 'CN=Overa Test Root,O=Overa Test,C=RS');
      assert.match(seal.certificate!.sha256, /^[0-9a-f]{64}$/);
      assert.deepEqual(seal.chain, [seal.certificate!.subject, 'CN=Overa Test Root,O=Overa Test,C=RS']);
      assert.equal(seal.signedAtSource, f.timeSource);
      assert.ok(Math.abs(Date.parse(seal.signedAt!) - Date.now()) < 10 * 60_000, seal.signedAt);
      assert.equal(seal.signer?.displayName, f.publicKey.startsWith('EC') ? 'EC Seal' : 'RSA Seal');
    });

    test(`${f.name}: INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND with an unrelated anchor`, async () => {
      const report = await verify(pdf[f.key]!, { trustAnchors: [pki.otherRootPem] });
      assert.equal(report.indication, 'INDETERMINATE');
      assert.equal(report.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
      assert.deepEqual(codes(report.signatures[0]), ['no-chain']);
    });
  }

  test('the file given is the same after verification, byte for byte (the signed ranges are hashed without copying them)', async () => {
    for (const f of FIXTURES) {
      const bytes = pdf[f.key]!;
      const before = Buffer.from(bytes).toString('base64');
      const report = await verify(bytes);
      assert.equal(report.indication, 'TOTAL_PASSED', `${f.key}: ${JSON.stringify(report.signatures.map((e) => e.reasons))}`);
      assert.equal(Buffer.from(bytes).toString('base64'), before, `${f.key}: unchanged`);
    }
  });

  test('no trust anchors at all: INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND, no-trust-anchors', async () => {
    const report = await verify(pdf.ecEtsi!, { trustAnchors: [] });
    assert.equal(report.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
    assert.deepEqual(codes(report.signatures[0]), ['no-trust-anchors']);
  });

  test('the anchor as DER bytes, or among several PEM certificates in one string, works the same', async () => {
    const der = new Uint8Array(Buffer.from(pki.rootPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    assert.equal((await verify(pdf.ecAdbe!, { trustAnchors: [der] })).indication, 'TOTAL_PASSED');
    assert.equal((await verify(pdf.ecAdbe!, { trustAnchors: [pki.otherRootPem + pki.rootPem] })).indication, 'TOTAL_PASSED');
  });

  test('two signatures (ETSI by OpenSSL, then adbe by pdfsig in an incremental update): both pass, only the last covers the whole file', async () => {
    assert.match(pdfsigInfo(pki, pdf.twoSignatures!), /Not total document signed[\s\S]*Total document signed/);
    const report = await verify(pdf.twoSignatures!);
    assert.equal(report.indication, 'TOTAL_PASSED', JSON.stringify(report, null, 1));
    assert.deepEqual(report.signatures.map((s) => [s.id, s.subFilter, s.indication, s.coversWholeDocument]), [
      ['sig-1', 'ETSI.CAdES.detached', 'TOTAL_PASSED', false],
      ['sig-2', 'adbe.pkcs7.detached', 'TOTAL_PASSED', true],
    ]);
  });
});

describe('damage gets the right verdict and a reason', () => {
  test('a changed byte in the first signed range: TOTAL_FAILED / HASH_FAILURE', async () => {
    for (const key of ['ecAdbe', 'rsaEtsi']) {
      const report = await verify(changed(pdf[key]!, (b) => void (b[10] ^= 0x01)));
      assert.equal(report.indication, 'TOTAL_FAILED', key);
      assert.equal(report.subIndication, 'HASH_FAILURE', key);
      assert.deepEqual(codes(report.signatures[0]), ['digest-mismatch'], key);
    }
  });

  test('a changed byte in the second signed range: TOTAL_FAILED / HASH_FAILURE', async () => {
    for (const key of ['ecAdbe', 'rsaEtsi']) {
      const at = pdf[key]!.length - 30;
      const report = await verify(changed(pdf[key]!, (b) => void (b[at] ^= 0x01)));
      assert.equal(report.subIndication, 'HASH_FAILURE', key);
      assert.ok(codes(report.signatures[0]).includes('digest-mismatch'), key);
    }
  });

  test('a corrupted signature value: TOTAL_FAILED / SIG_CRYPTO_FAILURE (pdfsig agrees)', async () => {
    for (const f of FIXTURES) {
      const bytes = pdf[f.key]!;
      const sig = signatureValueOf(bytes);
      const hex = Buffer.from(sig).toString('hex');
      const at = Buffer.from(bytes).toString('latin1').indexOf(hex);
      assert.ok(at > 0, f.name);
      // A digit in the middle of the value (inside r or s for ECDSA, so the DER stays well-formed).
      const digit = at + hex.length - 12;
      const broken = changed(bytes, (b) => void (b[digit] = b[digit] === 0x30 ? 0x31 : 0x30));
      const report = await verify(broken);
      assert.equal(report.indication, 'TOTAL_FAILED', f.name);
      assert.equal(report.subIndication, 'SIG_CRYPTO_FAILURE', f.name);
      assert.deepEqual(codes(report.signatures[0]), ['bad-signature'], f.name);
      assert.doesNotMatch(pdfsigInfo(pki, broken), /Signature is Valid/, f.name);
    }
  });

  test('an ECDSA signature value re-encoded off DER (same r and s, wrong SEQUENCE length): TOTAL_FAILED / SIG_CRYPTO_FAILURE, as OpenSSL says', async () => {
    // Found by the fuzzer: a BER parser reads r and s all the same, OpenSSL refuses the encoding.
    for (const key of ['ecEtsi', 'ecAdbe']) {
      const bytes = pdf[key]!;
      const hex = Buffer.from(signatureValueOf(bytes)).toString('hex');
      const at = Buffer.from(bytes).toString('latin1').indexOf(hex);
      const length = parseInt(hex.slice(2, 4), 16);
      const broken = changed(bytes, (b) => b.set(Buffer.from((length - 1).toString(16).padStart(2, '0'), 'latin1'), at + 2));
      const report = await verify(broken);
      assert.equal(report.subIndication, 'SIG_CRYPTO_FAILURE', key);
      assert.deepEqual(codes(report.signatures[0]), ['bad-signature'], key);
    }
  });

  test('an expired signer certificate: INDETERMINATE / OUT_OF_BOUNDS_NO_POE (pdfsig: expired)', async () => {
    assert.match(pdfsigInfo(pki, pdf.expired!), /Signature is Valid[\s\S]*Certificate has Expired/);
    const report = await verify(pdf.expired!);
    assert.equal(report.indication, 'INDETERMINATE');
    assert.equal(report.subIndication, 'OUT_OF_BOUNDS_NO_POE');
    assert.deepEqual(codes(report.signatures[0]), ['certificate-expired']);
    assert.match(report.signatures[0]!.reasons[0]!.detail!, /expired on 2021-01-01/);
  });

  test('an unsigned incremental update after the signature: INDETERMINATE, unsigned-changes; the signature itself passes', async () => {
    for (const key of ['ecAdbe', 'rsaEtsi']) {
      const updated = await appendUnsignedUpdate(pdf[key]!);
      assert.match(pdfsigInfo(pki, updated), /Not total document signed/);
      const report = await verify(updated);
      assert.equal(report.indication, 'INDETERMINATE', key);
      assert.equal(report.subIndication, 'SIG_CONSTRAINTS_FAILURE', key);
      assert.deepEqual(codes(report), ['unsigned-changes'], key);
      assert.equal(report.signatures[0]!.indication, 'TOTAL_PASSED', key);
      assert.equal(report.signatures[0]!.coversWholeDocument, false, key);
      assert.equal(report.document?.wholeDocumentSigned, false, key);
    }
  });

  test('a signature dictionary restated in a later revision is the same signature, not a second (or a wrapped) one', async () => {
    const text = Buffer.from(pdf.ecEtsi!).toString('latin1');
    const { hexStart } = signatureContents(pdf.ecEtsi!);
    const start = text.lastIndexOf('<<', text.lastIndexOf('/ByteRange', hexStart));
    const end = text.indexOf('>>', hexStart) + 2;
    const restated = await appendUnsignedUpdate(pdf.ecEtsi!, text.slice(start, end));
    const report = await verify(restated);
    assert.equal(report.signaturesCount, 1);
    assert.equal(report.signatures[0]!.indication, 'TOTAL_PASSED');
    assert.deepEqual(codes(report), ['unsigned-changes']);
  });

  test('white-space after the signed revision changes nothing a reader shows: still TOTAL_PASSED', async () => {
    const padded = new Uint8Array(Buffer.concat([pdf.ecEtsi!, Buffer.from('\r\n \n')]));
    const report = await verify(padded);
    assert.equal(report.indication, 'TOTAL_PASSED');
    assert.equal(report.signatures[0]!.coversWholeDocument, true);
  });

  test('a PDF with no signature: INDETERMINATE, no-signature', async () => {
    const report = await verify(pdf.unsigned!);
    assert.equal(report.indication, 'INDETERMINATE');
    assert.deepEqual(codes(report), ['no-signature']);
    assert.equal(report.signaturesCount, 0);
  });

  test('a truncated file: the signature reaches past the end (TOTAL_FAILED / FORMAT_FAILURE), or is gone (INDETERMINATE)', async () => {
    const cut = pdf.ecAdbe!.subarray(0, pdf.ecAdbe!.length - 100);
    const report = await verify(cut);
    assert.equal(report.indication, 'TOTAL_FAILED');
    assert.equal(report.subIndication, 'FORMAT_FAILURE');
    assert.deepEqual(codes(report.signatures[0]), ['byte-range-out-of-bounds']);
    assert.deepEqual(codes({ reasons: report.warnings }), ['no-eof-marker']);

    const half = await verify(pdf.ecAdbe!.subarray(0, pdf.ecAdbe!.length >> 1));
    assert.equal(half.indication, 'INDETERMINATE');
    assert.deepEqual(codes(half), ['no-signature']);
    assert.deepEqual(codes({ reasons: half.warnings }), ['no-eof-marker']);
  });

  test('random bytes: TOTAL_FAILED / FORMAT_FAILURE, not-pdf; with a PDF header: no-signature; empty: empty', async () => {
    const random = rng(7);
    const noise = Uint8Array.from({ length: 100_000 }, () => Math.floor(random() * 256));
    const report = await verify(noise);
    assert.equal(report.indication, 'TOTAL_FAILED');
    assert.equal(report.subIndication, 'FORMAT_FAILURE');
    assert.deepEqual(codes(report), ['not-pdf']);
    const headed = await verify(new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), noise])));
    assert.deepEqual(codes(headed), ['no-signature']);
    assert.deepEqual(codes(await verify(new Uint8Array(0))), ['empty']);
  });

  test('a /ByteRange whose gap is wider than /Contents (signature wrapping): TOTAL_FAILED / FORMAT_FAILURE', async () => {
    const bytes = pdf.ecEtsi!;
    const text = Buffer.from(bytes).toString('latin1');
    const m = /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/.exec(text)!;
    const [b, c, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const wrapped = `/ByteRange [0 ${b - 20} ${c} ${d}]`.padEnd(m[0].length, ' ');
    const report = await verify(changed(bytes, (x) => x.set(Buffer.from(wrapped, 'latin1'), m.index)));
    assert.equal(report.indication, 'TOTAL_FAILED');
    assert.equal(report.subIndication, 'FORMAT_FAILURE');
    assert.deepEqual(codes(report.signatures[0]), ['byte-range-gap-not-contents']);
  });

  test('limits: file size, number of signatures, time budget', async () => {
    const big = await verify(pdf.ecAdbe!, { limits: { maxFileBytes: 1000 } });
    assert.equal(big.indication, 'INDETERMINATE');
    assert.deepEqual(codes(big), ['too-large']);
    const many = await verify(pdf.twoSignatures!, { limits: { maxSignatures: 1 } });
    assert.equal(many.indication, 'INDETERMINATE');
    assert.ok(codes(many).includes('too-many-signatures'), JSON.stringify(many.reasons));
    assert.equal(many.signaturesCount, 1);
    const slow = await verify(pdf.ecAdbe!, { limits: { timeBudgetMs: 1e-6 } });
    assert.equal(slow.indication, 'INDETERMINATE');
    assert.deepEqual(codes(slow.signatures[0]), ['time-budget-exceeded']);
  });

  test('a work budget (bytes hashed ≤ k × size + extra, signature checks ≤ n): counted, and a file over it is refused before hashing', async () => {
    const cms = signatureContents(pdf.ecEtsi!).der;
    const hostile = manySignaturesPdf({ size: 200 * 1024, signatures: 20, cms });
    const budget = { hashBudgetPerByte: 4, hashBudgetBytes: 64 * 1024 };

    // Unlimited by default (a browser verifying its user's own file): all twenty are hashed.
    const unlimited: VerificationWork = { signedBytesHashed: 0, signatureChecks: 0 };
    const all = await verify(hostile, { work: unlimited });
    assert.equal(all.signatures.length, 20);
    const ranges = all.signatures.reduce((sum, e) => sum + e.byteRange![1] + e.byteRange![3], 0);
    assert.ok(ranges > 19 * hostile.length, `${ranges}`);
    assert.equal(unlimited.signedBytesHashed, ranges);
    assert.equal(unlimited.signatureChecks, 40); // a seal and a certificate link each

    const work: VerificationWork = { signedBytesHashed: 0, signatureChecks: 0 };
    const refused = await verify(hostile, { limits: budget, work });
    assert.equal(refused.indication, 'INDETERMINATE');
    assert.deepEqual(codes(refused), ['budget-exceeded']);
    assert.match(refused.reasons![0]!.detail!, new RegExp(`20 signature\\(s\\) would hash ${ranges} bytes in all; at most ${4 * hostile.length + 64 * 1024} are hashed`));
    assert.equal(refused.signatures.length, 20);
    assert.ok(refused.signatures.every((e) => codes(e).join() === 'budget-exceeded'));
    assert.deepEqual(work, { signedBytesHashed: 0, signatureChecks: 0 });

    // Within the budget: verified as usual, and what was hashed is under the bound.
    const four = manySignaturesPdf({ size: 200 * 1024, signatures: 4, cms });
    const within: VerificationWork = { signedBytesHashed: 0, signatureChecks: 0 };
    const report = await verify(four, { limits: budget, work: within });
    assert.ok(!codes(report).includes('budget-exceeded'));
    assert.ok(within.signedBytesHashed > 3 * four.length && within.signedBytesHashed <= 4 * four.length + 64 * 1024, `${within.signedBytesHashed}`);

    // Signature checks: a genuine seal needs two (its value, one certificate link).
    const checks: VerificationWork = { signedBytesHashed: 0, signatureChecks: 0 };
    const short = await verify(pdf.ecEtsi!, { limits: { maxSignatureChecks: 1 }, work: checks });
    assert.equal(short.indication, 'INDETERMINATE');
    assert.deepEqual(codes(short), ['budget-exceeded']);
    assert.deepEqual(codes(short.signatures[0]), ['budget-exceeded']);
    assert.equal(checks.signatureChecks, 1);
    assert.equal((await verify(pdf.ecEtsi!, { limits: { maxSignatureChecks: 2 } })).indication, 'TOTAL_PASSED');
  });

  test('a caller-supplied range digest (digestRanges) gives the same verdicts, and gets exactly the signed ranges', async () => {
    const seen: number[] = [];
    const digestRanges: RangeDigest = async (algorithm, ranges) => {
      seen.push(ranges.reduce((sum, r) => sum + r.length, 0));
      const whole = new Uint8Array(seen.at(-1)!);
      let at = 0;
      for (const r of ranges) {
        whole.set(r, at);
        at += r.length;
      }
      return new Uint8Array(await crypto.subtle.digest(algorithm, whole));
    };
    for (const key of ['ecAdbe', 'ecEtsi', 'twoSignatures'] as const) {
      const report = await verify(pdf[key]!, { digestRanges });
      assert.equal(report.indication, 'TOTAL_PASSED', key);
    }
    const tampered = changed(pdf.ecEtsi!, (b) => (b[10]! ^= 1));
    assert.equal((await verify(tampered, { digestRanges })).subIndication, 'HASH_FAILURE');
    const br = (await verify(pdf.ecEtsi!)).signatures[0]!.byteRange!;
    assert.ok(seen.includes(br[1] + br[3]));
  });

  test('never throws, whatever it is given', async () => {
    const inputs: unknown[] = [null, undefined, 'a string', 42, {}, [], new Uint16Array(8), new ArrayBuffer(4), new DataView(new ArrayBuffer(8))];
    for (const input of inputs) {
      const report = await verifyDocument(input as Uint8Array, anchors);
      assert.ok(['INDETERMINATE', 'TOTAL_FAILED'].includes(report.indication), String(input));
      assert.ok(report.reasons && report.reasons.length > 0, String(input));
    }
    const optionVariants: unknown[] = [undefined, null, {}, { trustAnchors: 'x' }, { trustAnchors: [123, 'not a pem', new Uint8Array([1, 2, 3])] }, { now: 'yesterday', limits: { maxFileBytes: -1 } }];
    for (const options of optionVariants) {
      const report = await verifyDocument(pdf.ecEtsi!, options as VerifyDocumentOptions);
      assert.equal(report.indication, 'INDETERMINATE', JSON.stringify(options));
      assert.equal(report.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND', JSON.stringify(options));
    }
    const report = await verifyDocument(pdf.ecEtsi!, { trustAnchors: [123 as never, 'not a pem', pki.rootPem] });
    assert.equal(report.indication, 'TOTAL_PASSED');
    assert.deepEqual(codes({ reasons: report.warnings }), ['trust-anchor-unreadable']);
  });

  test('concurrent verifications of different files give each its own verdict', async () => {
    const tampered = changed(pdf.rsaEtsi!, (b) => void (b[10] ^= 0x01));
    const files = [pdf.ecEtsi!, pdf.rsaAdbe!, pdf.twoSignatures!, tampered, pdf.ecAdbe!, pdf.rsaPss!];
    const sequential: string[] = [];
    for (const f of files) sequential.push((await verify(f)).indication);
    for (let round = 0; round < 5; round++) {
      const together = await Promise.all([...files, ...files].map(async (f) => (await verify(f)).indication));
      assert.deepEqual(together, [...sequential, ...sequential]);
    }
    assert.deepEqual(sequential, ['TOTAL_PASSED', 'TOTAL_PASSED', 'TOTAL_PASSED', 'TOTAL_FAILED', 'TOTAL_PASSED', 'TOTAL_PASSED']);
  });

  test('a validation time: without a time-stamp, certificates must be valid then (B-B after expiry: OUT_OF_BOUNDS_NO_POE)', async () => {
    const later = await verify(pdf.ecEtsi!, { now: new Date(Date.now() + 20 * 365 * 86_400_000) });
    assert.equal(later.indication, 'INDETERMINATE', 'a certificate expired by now, and nothing proves it signed before');
    assert.equal(later.subIndication, 'OUT_OF_BOUNDS_NO_POE');
    assert.equal(later.validationTime.slice(0, 4), String(new Date().getUTCFullYear() + 20));
  });
});

describe('signature time-stamps (RFC 3161, by `openssl ts`)', () => {
  test('a verified time-stamp is the signing time (signedAtSource: timestamp)', async () => {
    const stamped = addSignatureTimestamp(pki, pdf.ecEtsi!);
    assert.match(pdfsigInfo(pki, stamped), /Signature is Valid[\s\S]*Certificate is Trusted/);
    const report = await verify(stamped);
    assert.equal(report.indication, 'TOTAL_PASSED', JSON.stringify(report, null, 1));
    assert.equal(report.signatures[0]!.signedAtSource, 'timestamp');
    assert.ok(Math.abs(Date.parse(report.signatures[0]!.signedAt!) - Date.now()) < 10 * 60_000, report.signatures[0]!.signedAt);
  });

  test('an expired signer with a time-stamp proving it signed after expiry: TOTAL_FAILED / EXPIRED', async () => {
    const stamped = addSignatureTimestamp(pki, await signEtsiWithOpenssl(pki, pdf.unsigned!, pki.expired));
    const report = await verify(stamped);
    assert.equal(report.indication, 'TOTAL_FAILED');
    assert.equal(report.subIndication, 'EXPIRED');
    assert.deepEqual(codes(report.signatures[0]), ['certificate-expired']);
  });

  test('a time-stamp of something else is not a proof: a warning, and the claimed time is used', async () => {
    const stamped = addSignatureTimestamp(pki, pdf.ecEtsi!, new Uint8Array([1, 2, 3]));
    const report = await verify(stamped);
    assert.equal(report.indication, 'TOTAL_PASSED');
    assert.equal(report.signatures[0]!.signedAtSource, 'signed-attribute');
    assert.deepEqual(codes({ reasons: report.signatures[0]!.warnings }), ['timestamp-not-verified']);
    assert.match(report.signatures[0]!.warnings![0]!.detail!, /another signature/);
  });

  test('a time-stamping authority outside the trust anchors is not a proof either', async () => {
    const stamped = addSignatureTimestamp(pki, pdf.ecEtsi!);
    const report = await verify(stamped, { trustAnchors: [pki.otherRootPem] });
    assert.equal(report.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
    assert.equal(report.signatures[0]!.signedAtSource, 'signed-attribute');
    assert.match(report.signatures[0]!.warnings![0]!.detail!, /time-stamping authority/);
  });
});

describe('CMS details', () => {
  test('the ESS signing-certificate-v2 attribute must name the signer certificate', async () => {
    const parsed = parseCms(signatureContents(pdf.ecEtsi!).der, 50);
    // (assert.ok without a message makes node:test re-read this file to quote it: very slow under tsx)
    assert.ok(parsed.ok, 'parses');
    const [signer] = parsed.cms.certificates;
    assert.deepEqual(await checkSigningCertificate(parsed.cms.signerInfo, signer!), { present: true, ok: true });
    const other = certificateFromDer(new Uint8Array(Buffer.from(pki.otherRootPem.replace(/-----[^-]+-----|\s/g, ''), 'base64')));
    const outcome = await checkSigningCertificate(parsed.cms.signerInfo, other);
    assert.equal(outcome.present && !outcome.ok && /hash/.test(outcome.detail), true);
  });

  test('NSS writes BER with indefinite lengths and the signer certificate twice; both are read', () => {
    const { der } = signatureContents(pdf.ecAdbe!);
    assert.equal(der[1], 0x80);
    const parsed = parseCms(der, 50);
    assert.ok(parsed.ok, 'parses');
    assert.equal(parsed.cms.certificates.length, 2);
  });

  test('PDF dates', () => {
    assert.equal(parsePdfDate("D:20260301120000+01'00'")?.toISOString(), '2026-03-01T11:00:00.000Z');
    assert.equal(parsePdfDate('D:20260301120000Z')?.toISOString(), '2026-03-01T12:00:00.000Z');
    assert.equal(parsePdfDate('D:2026')?.toISOString(), '2026-01-01T00:00:00.000Z');
    assert.equal(parsePdfDate('D:20261301'), undefined);
    assert.equal(parsePdfDate('yesterday'), undefined);
  });
});

describe('the embedded passkey evidence (overa-evidence.json)', () => {
  let evidenceOk: Awaited<ReturnType<typeof passkeyEvidence>>;
  before(async () => {
    evidenceOk = await passkeyEvidence(SAMPLE_APPLICATION);
  });

  const withEvidence = async (file: Uint8Array, how: 'etsi' | 'pdfsig' = 'etsi', objectStreams = true) => {
    const base = await basePdf({ attachments: [{ name: 'overa-evidence.json', bytes: file }], objectStreams });
    return how === 'etsi' ? signEtsiWithOpenssl(pki, base, pki.ec) : signWithPdfsig(pki, base, pki.rsa);
  };
  const passkeys = (r: VerificationReport) => r.signatures.filter((s) => s.kind === 'passkey');

  test('a sealed PDF with valid evidence: the seal and each passkey signature pass (ETSI rewrite and pdfsig update, object streams or not)', async () => {
    for (const [how, objectStreams] of [['etsi', false], ['pdfsig', true], ['pdfsig', false]] as const) {
      const report = await verify(await withEvidence(evidenceFile(SAMPLE_APPLICATION, [evidenceOk, evidenceOk]), how, objectStreams));
      assert.equal(report.indication, 'TOTAL_PASSED', `${how} ${objectStreams}: ${JSON.stringify(report, null, 1)}`);
      assert.equal(report.signaturesCount, 3);
      const [a, b] = passkeys(report) as [SignatureReportEntry, SignatureReportEntry];
      assert.equal(a.indication, 'TOTAL_PASSED');
      assert.equal(a.id, evidenceOk.credentialId);
      assert.equal(a.coveredBy, 'sig-1');
      assert.equal(a.signer?.displayName, 'Ana Anić');
      assert.deepEqual(a.scope, { digest: evidenceOk.payload.digest, subject: { type: 'application', id: 'app-1' }, action: 'submit' });
      assert.equal(b.indication, 'TOTAL_PASSED');
    }
  });

  test('the issued-document shape (application.content, signatures[].evidence) is read too', async () => {
    const file = new TextEncoder().encode(
      JSON.stringify({
        v: 1,
        kind: 'overa-evidence',
        document: { id: 'd-1' },
        application: { id: 'app-1', content: SAMPLE_APPLICATION, contentDigest: evidenceOk.payload.digest, attachments: [] },
        signatures: [{ id: 's-1', role: null, mandate: null, evidence: evidenceOk }],
      }),
    );
    const report = await verify(await withEvidence(file), { rpId: EVIDENCE_RP_ID, allowedOrigins: [EVIDENCE_ORIGIN] });
    assert.equal(report.indication, 'TOTAL_PASSED', JSON.stringify(report, null, 1));
    assert.equal(passkeys(report).length, 1);
  });

  test('evidence for other application data: the passkey entry is TOTAL_FAILED / HASH_FAILURE, content-mismatch', async () => {
    const other = { ...SAMPLE_APPLICATION, data: { ...SAMPLE_APPLICATION.data, city: 'Niš' } };
    const report = await verify(await withEvidence(evidenceFile(other, [evidenceOk])));
    assert.equal(report.indication, 'TOTAL_FAILED');
    assert.equal(report.subIndication, 'HASH_FAILURE');
    assert.equal(report.signatures[0]!.indication, 'TOTAL_PASSED', 'the seal itself is fine');
    assert.deepEqual(codes(passkeys(report)[0]), ['content-mismatch']);
  });

  test('a changed passkey signature inside the sealed file: the passkey entry fails', async () => {
    const broken = { ...evidenceOk, signature: evidenceOk.signature.slice(0, -4) + (evidenceOk.signature.endsWith('AAAA') ? 'BBBB' : 'AAAA') };
    const report = await verify(await withEvidence(evidenceFile(SAMPLE_APPLICATION, [broken])));
    assert.equal(report.indication, 'TOTAL_FAILED');
    assert.equal(passkeys(report)[0]!.indication, 'TOTAL_FAILED');
  });

  test('the relying party: from the file, from the options (which win), or unknown (INDETERMINATE)', async () => {
    const noRp = await withEvidence(evidenceFile(SAMPLE_APPLICATION, [evidenceOk], null));
    const unknown = await verify(noRp);
    assert.equal(unknown.indication, 'INDETERMINATE');
    assert.deepEqual(codes(passkeys(unknown)[0]), ['relying-party-unknown']);
    const given = await verify(noRp, { rpId: EVIDENCE_RP_ID, allowedOrigins: [EVIDENCE_ORIGIN] });
    assert.equal(given.indication, 'TOTAL_PASSED');
    const wrong = await verify(await withEvidence(evidenceFile(SAMPLE_APPLICATION, [evidenceOk])), { rpId: EVIDENCE_RP_ID, allowedOrigins: ['https://elsewhere.example'] });
    assert.equal(wrong.indication, 'TOTAL_FAILED');
    assert.equal(wrong.subIndication, 'SIG_CONSTRAINTS_FAILURE');
    assert.deepEqual(codes(passkeys(wrong)[0]), ['origin-not-allowed']);
  });

  test('a malformed evidence file: one INDETERMINATE / FORMAT_FAILURE passkey entry; none when there is no file', async () => {
    for (const text of ['{not json', '{"v":2}', '{"v":1,"application":{}}', '\uFEFF{"v":1}']) {
      const report = await verify(await withEvidence(new TextEncoder().encode(text)));
      assert.equal(report.indication, 'INDETERMINATE', text);
      assert.equal(report.subIndication, 'FORMAT_FAILURE', text);
      assert.deepEqual(codes(passkeys(report)[0]), ['evidence-malformed'], text);
    }
    assert.equal(passkeys(await verify(pdf.ecEtsi!)).length, 0);
  });

  test('the evidence is read from the signed revision, not from what follows it', async () => {
    const sealed = await withEvidence(evidenceFile(SAMPLE_APPLICATION, [evidenceOk]), 'pdfsig');
    const report = await verify(await appendUnsignedUpdate(sealed));
    assert.equal(report.indication, 'INDETERMINATE');
    assert.deepEqual(codes(report), ['unsigned-changes']);
    assert.equal(passkeys(report)[0]?.indication, 'TOTAL_PASSED');
  });
});

/** A seal's hashing beyond its signed ranges: its CMS (signed attributes, certificates, time-stamps) is at most maxCmsBytes. */
const CMS_WORK_BYTES = 2 * VERIFY_DOCUMENT_LIMITS.maxCmsBytes;
/** One passkey signature's hashing: its clientDataJSON, payload and rpId, and the evidence's application data. */
const PASSKEY_WORK_BYTES = PASSKEY_EVIDENCE_LIMITS.clientDataJSON + VERIFY_DOCUMENT_LIMITS.maxEvidenceBytes;
/** A seal's signature checks: its own and its time-stamps' (two at most), each with a path search capped at 4 checks per step. */
const SEAL_SIGNATURE_CHECKS = 3 * (1 + 4 * VERIFY_DOCUMENT_LIMITS.maxChainLength);

describe('fuzzing (fixed seed)', () => {
  const SEED = 20_261_127;
  const RUNS = 300;

  // A hang guard for the whole run, not a speed target: the work of each run is bounded below.
  test(`${RUNS} mutations of signed PDFs and their CMS: a report every time, bounded work, never TOTAL_PASSED for a change that matters`, { timeout: 600_000 }, async (ctx) => {
    const random = rng(SEED);
    const evidence = await passkeyEvidence(SAMPLE_APPLICATION);
    const sources: FuzzSource[] = [
      fuzzSource('ec-etsi', pdf.ecEtsi!),
      fuzzSource('rsa-adbe', pdf.rsaAdbe!),
      fuzzSource('ec-adbe', pdf.ecAdbe!),
      fuzzSource('evidence', await signEtsiWithOpenssl(pki, await basePdf({ attachments: [{ name: 'overa-evidence.json', bytes: evidenceFile(SAMPLE_APPLICATION, [evidence]) }] }), pki.rsa)),
    ];
    const tally: Record<string, number> = {};
    let most = { hashedBytes: 0, verifications: 0 };
    for (let i = 0; i < RUNS; i++) {
      const src = sources[i % sources.length]!;
      const { kind, pdf: mutated } = mutate(src, random);
      const { result: report, hashedBytes, verifications } = await countCryptoWork(() => verifyDocument(mutated, anchors));
      const problem = invariantProblem(src, mutated, report);
      const run = `run ${i} (${src.name}, ${kind})`;
      assert.equal(problem, undefined, `${run}: ${problem}\n${JSON.stringify(report).slice(0, 1500)}`);
      // Work bounded by the input and the limits, whatever the mutation: the signed ranges of
      // each seal hashed about once (plus its CMS, certificates and time-stamps), the embedded
      // evidence at most once per passkey signature; signature checks a few per path step.
      const seals = Math.max(1, report.signatures.filter((e) => e.kind === 'seal').length);
      const passkeys = report.signatures.filter((e) => e.kind === 'passkey').length;
      assert.ok(hashedBytes <= seals * (mutated.length + CMS_WORK_BYTES) + passkeys * PASSKEY_WORK_BYTES, `${run}: ${hashedBytes} bytes hashed for ${mutated.length}`);
      assert.ok(verifications <= seals * SEAL_SIGNATURE_CHECKS + passkeys, `${run}: ${verifications} signature checks`);
      most = { hashedBytes: Math.max(most.hashedBytes, hashedBytes / mutated.length), verifications: Math.max(most.verifications, verifications) };
      tally[report.indication] = (tally[report.indication] ?? 0) + 1;
    }
    ctx.diagnostic(`most work in one run: ${most.hashedBytes.toFixed(2)} × the file hashed, ${most.verifications} signature checks; ${JSON.stringify(tally)}`);
    assert.ok((tally.TOTAL_FAILED ?? 0) > RUNS / 3, JSON.stringify(tally));
  });
});
