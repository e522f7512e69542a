/**
 * `verifyDocument`: a general verifier of PDF signatures (PAdES baseline B and plain
 * adbe.pkcs7.detached), not one that only knows Overa's own files, plus the passkey evidence
 * Overa embeds in the documents it issues. Runs in browsers (`<overa-verify>`) and in Node
 * (the server's POST /api/v1/verify) alike: WebCrypto, pkijs, asn1js and the platform's
 * DecompressionStream, nothing else.
 *
 * For each signature dictionary in the file (incremental updates included): the /ByteRange
 * is sane and its gap is exactly the /Contents; the CMS parses and is detached; the digest
 * of the signed ranges matches the signed message digest; the signature value verifies
 * with the signer's certificate; the ESS signing-certificate(-v2) attribute, when present,
 * names that certificate; a path leads from it to one of the given trust anchors; every
 * certificate of the path is valid at the signing time; the signer's key usage allows
 * signatures. Then the document as a whole: nothing unsigned follows the last signature,
 * and the passkey signatures of `overa-evidence.json` (read from the revision the last
 * signature covers) verify and cover the application data in that file.
 *
 * It returns a report shaped like the EU DSS simple report and never throws: any input, any
 * internal failure becomes a report (INDETERMINATE with `verifier-error` for the latter).
 * Work is bounded by `limits` (file size, signatures, CMS size, certificates, decoded
 * bytes, parser work, and — when a caller sets them, as a server does — bytes hashed in
 * proportion to the file and signature checks) and by a time budget checked between steps.
 * Finding the signatures (one pass over every byte, then the dictionaries) gives the host a
 * turn every few milliseconds of work.
 *
 * Hashing: WebCrypto has no streaming digest, so the signed bytes are hashed in one call.
 * When the two ranges are contiguous that is a subarray view of the file (no copy); in a
 * PDF they never are (the /Contents gap lies between them), so they are copied once into
 * one buffer of their total size — a memcpy, far cheaper than a JavaScript SHA-256 fed in
 * chunks — reused from one signature to the next (see `scratchBuffer`), so memory peaks at
 * about twice the file (three times in Node, whose WebCrypto copies its input again). In
 * Node the hash runs on libuv's threads while the CMS, the certificates and the embedded
 * evidence are checked here; Chromium's digest blocks the calling thread instead, so there
 * every other step adds to the hash's time (docs/decisions.md). A caller may hash the ranges
 * its own way (`digestRanges`): the server feeds them to an incremental hash a slice at a time,
 * which copies nothing and never holds its other requests up for long.
 */
import type { DocumentFindings, Indication, ReportReason, SignatureReportEntry, SigningTimeSource, SubIndication, VerificationReport } from '../report.ts';
import { verificationReport } from '../report.ts';
import { toHex } from '../encoding.ts';
import { buildChain, mayMakeSignatures, mayTimeStamp, readTrustAnchors, validityProblems, type TrustAnchorInput } from './chain.ts';
import {
  checkMessageDigest,
  checkSigningCertificate,
  describeKey,
  digestAlgorithm,
  equalBytes,
  findSignerCertificate,
  hasSignedAttributes,
  nameAttribute,
  nameText,
  OID,
  parseCms,
  readTstInfo,
  signatureValue,
  signedBytes,
  signingTimeAttribute,
  timeStampTokens,
  verifySignatureValue,
  type CertEntry,
  type DigestName,
} from './cms.ts';
import { findEmbeddedFile } from './embedded.ts';
import { checkEmbeddedEvidence, EVIDENCE_FILE_NAME } from './evidence.ts';
import { BudgetExceededError, VerificationBudget, type VerificationWork } from './budget.ts';
import { PdfLimitError, WorkBudget } from './lexer.ts';
import { findSignatures, hasEofMarker, hasPdfHeader, onlyWhiteAfter, parsePdfDate, type FoundSignature } from './parse.ts';
import { PdfReader } from './reader.ts';

export interface VerifyDocumentLimits {
  /** Largest file verified (bytes); a larger one is INDETERMINATE `too-large`. */
  maxFileBytes: number;
  /** Signatures verified; more make the report INDETERMINATE `too-many-signatures`. */
  maxSignatures: number;
  /** Largest CMS (decoded /Contents) read. */
  maxCmsBytes: number;
  /** Certificates one CMS may carry. */
  maxCertificates: number;
  /** Trust anchors read. */
  maxTrustAnchors: number;
  /** Certificates in a path, trust anchor included. */
  maxChainLength: number;
  /** Largest decoded evidence file. */
  maxEvidenceBytes: number;
  /** Passkey signatures in one evidence file. */
  maxPasskeyEvidence: number;
  /** Wall-clock budget, checked between steps (one step is itself bounded by the other limits). */
  timeBudgetMs: number;
  /**
   * Bytes of signed ranges hashed, at most `hashBudgetPerByte` × the file's size +
   * `hashBudgetBytes`; a file whose signatures need more is INDETERMINATE `budget-exceeded`,
   * refused before anything is hashed. Unlimited by default: a server sets it (an honest file
   * signed n times hashes at most n × its size).
   */
  hashBudgetPerByte: number;
  hashBudgetBytes: number;
  /** Signature checks (seal and time-stamp signature values, certificate links); more are INDETERMINATE `budget-exceeded`. Unlimited by default. */
  maxSignatureChecks: number;
}

export const VERIFY_DOCUMENT_LIMITS: Readonly<VerifyDocumentLimits> = Object.freeze({
  maxFileBytes: 50 * 1024 * 1024,
  maxSignatures: 20,
  maxCmsBytes: 512 * 1024,
  maxCertificates: 50,
  maxTrustAnchors: 200,
  maxChainLength: 10,
  maxEvidenceBytes: 4 * 1024 * 1024,
  maxPasskeyEvidence: 100,
  timeBudgetMs: 20_000,
  hashBudgetPerByte: Infinity,
  hashBudgetBytes: 0,
  maxSignatureChecks: Infinity,
});

/**
 * Hashes the signed ranges of one signature (in order, as one message) with `algorithm`.
 * The default hands them to WebCrypto in one call (see above).
 */
export type RangeDigest = (algorithm: DigestName, ranges: readonly Uint8Array[]) => Promise<Uint8Array>;

export interface VerifyDocumentOptions {
  /** Certificates trusted as roots: PEM text (one or more certificates each) or DER bytes. */
  trustAnchors: readonly TrustAnchorInput[];
  /** Relying party id for passkey evidence; default: the one the evidence file names. */
  rpId?: string;
  /** Origins passkey ceremonies may have run on; default: the ones the evidence file names. */
  allowedOrigins?: readonly string[];
  /** Validation time; default now. */
  now?: Date;
  limits?: Partial<VerifyDocumentLimits>;
  /** Counters the verification adds its work to (bytes hashed, signature checks), for the caller to read. */
  work?: VerificationWork;
  /** How the signed ranges are hashed; default WebCrypto, in one call. */
  digestRanges?: RangeDigest;
}

/** Sub-filters whose CMS is verified; others are reported INDETERMINATE / FORMAT_FAILURE. */
const SUB_FILTERS = new Set(['adbe.pkcs7.detached', 'ETSI.CAdES.detached']);

/** Most basic first, as a DSS validation runs its checks: the sub-indication an entry shows. */
const FAILED_ORDER: SubIndication[] = ['FORMAT_FAILURE', 'HASH_FAILURE', 'SIG_CRYPTO_FAILURE', 'REVOKED', 'EXPIRED', 'NOT_YET_VALID'];
const INDETERMINATE_ORDER: SubIndication[] = [
  'FORMAT_FAILURE',
  'NO_SIGNING_CERTIFICATE_FOUND',
  'CRYPTO_CONSTRAINTS_FAILURE',
  'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
  'NO_CERTIFICATE_CHAIN_FOUND',
  'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  'CHAIN_CONSTRAINTS_FAILURE',
  'OUT_OF_BOUNDS_NO_POE',
  'SIG_CONSTRAINTS_FAILURE',
];

interface Failure {
  reason: ReportReason;
  indication: Exclude<Indication, 'TOTAL_PASSED'>;
  sub?: SubIndication;
  /** Reasons are listed in the order a validation runs its checks, whatever order they finished in. */
  stage: number;
}

/** Check stages, for the order of reasons. */
const STAGE = { format: 0, hash: 1, signature: 2, certificate: 3 } as const;

class Draft {
  readonly failures: Failure[] = [];
  readonly warnings: ReportReason[] = [];
  constructor(readonly entry: SignatureReportEntry) {}

  fail(code: string, detail: string, indication: Failure['indication'], sub?: SubIndication, stage: number = STAGE.certificate): void {
    const f: Failure = { reason: { code, detail: detail.slice(0, 500) }, indication, stage };
    if (sub) f.sub = sub;
    this.failures.push(f);
  }

  warn(code: string, detail: string): void {
    this.warnings.push({ code, detail: detail.slice(0, 500) });
  }

  finish(): SignatureReportEntry {
    const { id, kind, indication: _i, subIndication: _s, reasons: _r, ...found } = this.entry;
    const failed = this.failures.filter((f) => f.indication === 'TOTAL_FAILED');
    const pool = failed.length > 0 ? failed : this.failures;
    const indication: Indication = pool.length === 0 ? 'TOTAL_PASSED' : failed.length > 0 ? 'TOTAL_FAILED' : 'INDETERMINATE';
    const subs = new Set(pool.map((f) => f.sub).filter((s): s is SubIndication => s !== undefined));
    const sub = (failed.length > 0 ? FAILED_ORDER : INDETERMINATE_ORDER).find((s) => subs.has(s)) ?? [...subs][0];
    // Indication first, as in the DSS simple report, then what was found.
    const reasons = [...this.failures].sort((a, b) => a.stage - b.stage).map((f) => f.reason);
    const e: SignatureReportEntry = { id, kind, indication, ...(sub ? { subIndication: sub } : {}), reasons, ...found };
    if (this.warnings.length > 0) e.warnings = this.warnings;
    return e;
  }
}

interface Context {
  bytes: Uint8Array;
  anchors: CertEntry[];
  limits: VerifyDocumentLimits;
  validationTime: Date;
  deadline: number;
  /** True while nothing else reads `bytes` (before the evidence reader starts): see digestRangesInPlace. */
  exclusive: boolean;
  budget: VerificationBudget;
  digestRanges: RangeDigest | undefined;
}

function mergeLimits(input: unknown): VerifyDocumentLimits {
  const limits: VerifyDocumentLimits = { ...VERIFY_DOCUMENT_LIMITS };
  if (typeof input === 'object' && input !== null) {
    for (const key of Object.keys(limits) as (keyof VerifyDocumentLimits)[]) {
      const v = (input as Record<string, unknown>)[key];
      if (typeof v === 'number' && Number.isFinite(v) && v > 0) limits[key] = v;
    }
  }
  return limits;
}

function asBytes(input: unknown): Uint8Array | undefined {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 200) : 'unknown error';
}

async function digestOf(name: DigestName, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(name, data as Uint8Array<ArrayBuffer>));
}

/**
 * A buffer for the signed bytes, reused from one signature (and one call) to the next: a
 * fresh 10 MB buffer costs its page faults every time. Safe to share because WebCrypto
 * copies its input before `digest()` returns (the spec's "get a copy of the bytes held by
 * the data parameter"), and the buffer is filled and handed to `digest()` with no await in
 * between. Let go after a few idle seconds, so a verifier at rest gives the memory back.
 */
let scratch: Uint8Array | undefined;
let scratchTimer: ReturnType<typeof setTimeout> | undefined;
const SCRATCH_IDLE_MS = 5000;

function scratchBuffer(size: number): Uint8Array {
  if (!scratch || scratch.length < size) scratch = new Uint8Array(size);
  if (scratchTimer !== undefined) clearTimeout(scratchTimer);
  scratchTimer = setTimeout(() => {
    scratch = undefined;
    scratchTimer = undefined;
  }, SCRATCH_IDLE_MS);
  // In Node, an idle timer must not keep the process alive.
  (scratchTimer as { unref?: () => void }).unref?.();
  return scratch.subarray(0, size);
}

/**
 * The bytes a /ByteRange covers, as one buffer: a view when the ranges are contiguous, else
 * one copy (into the shared scratch buffer when `shared`, which the caller must hand to
 * WebCrypto before its next await).
 */
/**
 * The digest of the two signed ranges without first copying them into a buffer of their own
 * (10 MB for a 10 MB file): the smaller side is moved next to the other over the /Contents
 * gap, the now contiguous bytes go to WebCrypto — which copies its input before digest()
 * returns — and the file is put back, all in one synchronous step, so no code ever sees it
 * changed. Only while nothing else reads the file (`ctx.exclusive`: the evidence reader's
 * inflate may run on other threads), never on shared memory, and only when moving is
 * cheaper than copying. Undefined when it does not apply.
 */
function digestRangesInPlace(bytes: Uint8Array, [a, b, c, d]: [number, number, number, number], alg: DigestName): Promise<Uint8Array> | undefined {
  const gap = c - (a + b);
  if (gap <= 0 || (typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer)) return undefined;
  if (3 * (Math.min(b, d) + gap) >= b + d) return undefined;
  if (d <= b) {
    const saved = bytes.slice(a + b, c + d);
    bytes.copyWithin(a + b, c, c + d);
    try {
      return digestOf(alg, bytes.subarray(a, a + b + d));
    } finally {
      bytes.set(saved, a + b);
    }
  }
  const saved = bytes.slice(a, c);
  bytes.copyWithin(a + gap, a, a + b);
  try {
    return digestOf(alg, bytes.subarray(a + gap, c + d));
  } finally {
    bytes.set(saved, a);
  }
}

function signedRanges(bytes: Uint8Array, [a, b, c, d]: [number, number, number, number], shared: boolean): Uint8Array {
  if (a + b === c) return bytes.subarray(a, c + d);
  const out = shared ? scratchBuffer(b + d) : new Uint8Array(b + d);
  out.set(bytes.subarray(a, a + b), 0);
  out.set(bytes.subarray(c, c + d), b);
  return out;
}

/** The two signed ranges, as views of the file. */
function rangesOf(bytes: Uint8Array, [a, b, c, d]: [number, number, number, number]): Uint8Array[] {
  return [bytes.subarray(a, a + b), bytes.subarray(c, c + d)];
}

/** The caller's digest of the ranges (`digestRanges`), counted against the budget. */
function startDigest(ctx: Context, br: [number, number, number, number], alg: DigestName): Promise<Uint8Array> {
  ctx.budget.hash(br[1] + br[3]);
  return ctx.digestRanges!(alg, rangesOf(ctx.bytes, br));
}

/** An in-place digest, counted against the budget when it applies (it may not: then undefined, and nothing is counted). */
function spent(ctx: Context, br: [number, number, number, number], digest: () => Promise<Uint8Array> | undefined): Promise<Uint8Array> | undefined {
  ctx.budget.hash(br[1] + br[3]);
  const started = digest();
  if (!started) ctx.budget.refund(br[1] + br[3]);
  return started;
}

/** Path search options: its length, its own cap on checks, and every check counted against the budget. */
function chainOptions(ctx: Context): Parameters<typeof buildChain>[3] {
  return { maxLength: ctx.limits.maxChainLength, maxSignatureChecks: 4 * ctx.limits.maxChainLength, beforeSignatureCheck: () => ctx.budget.signatureCheck() };
}

/** A signature whose ranges verifySeal will hash (sound structure, a sub-filter it verifies). */
function verifiable(sig: FoundSignature): boolean {
  return !!sig.byteRange && !!sig.contents && sig.problems.every((p) => p.code === 'duplicate-keys') && SUB_FILTERS.has(sig.subFilter ?? '');
}

function certificateSummary(c: CertEntry, sha256: Uint8Array): NonNullable<SignatureReportEntry['certificate']> {
  return {
    subject: nameText(c.cert.subject),
    issuer: nameText(c.cert.issuer),
    serialNumber: toHex(new Uint8Array(c.cert.serialNumber.valueBlock.valueHexView)),
    notBefore: c.cert.notBefore.value.toISOString(),
    notAfter: c.cert.notAfter.value.toISOString(),
    sha256: toHex(sha256),
    publicKey: describeKey(c.cert).text,
  };
}

/**
 * An RFC 3161 signature time-stamp: its message imprint must be the digest of the
 * signature value, its own CMS signature must verify, and its TSA must chain to the trust
 * anchors and may time-stamp. Then its genTime is a proof of existence of the signature.
 */
async function checkTimestamp(token: Uint8Array, signature: Uint8Array, ctx: Context): Promise<{ ok: true; time: Date } | { ok: false; detail: string }> {
  const parsed = parseCms(token, ctx.limits.maxCertificates);
  if (!parsed.ok) return { ok: false, detail: parsed.problem.detail };
  const { cms } = parsed;
  if (cms.eContentType !== OID.tstInfo || !cms.content) return { ok: false, detail: 'not a time-stamp token' };
  const tst = readTstInfo(cms.content);
  if (!tst?.hash) return { ok: false, detail: 'unreadable TSTInfo or unsupported hash' };
  if (!equalBytes(await digestOf(tst.hash, signature), tst.imprint)) return { ok: false, detail: 'the time-stamp is for another signature' };
  const si = cms.signerInfo;
  const alg = digestAlgorithm(si);
  const attrs = signedBytes(si);
  if (!alg || !attrs) return { ok: false, detail: 'the time-stamp token has no signed attributes or an unsupported digest' };
  if (checkMessageDigest(si, OID.tstInfo, await digestOf(alg, cms.content)).length > 0) return { ok: false, detail: 'the time-stamp token does not match its content' };
  const tsa = await findSignerCertificate(cms);
  if (!tsa) return { ok: false, detail: 'the time-stamping certificate is not in the token' };
  ctx.budget.signatureCheck();
  if ((await verifySignatureValue(si, tsa, attrs, alg)) !== 'valid') return { ok: false, detail: 'the time-stamp token signature does not verify' };
  const ess = await checkSigningCertificate(si, tsa);
  if (ess.present && !ess.ok) return { ok: false, detail: ess.detail };
  if (!mayTimeStamp(tsa.cert)) return { ok: false, detail: 'the certificate is not for time-stamping' };
  const chain = await buildChain(tsa, cms.certificates, ctx.anchors, chainOptions(ctx));
  if (!chain.ok) return { ok: false, detail: `time-stamping authority: ${chain.detail}` };
  const validity = validityProblems(chain.path, ctx.anchors, tst.genTime);
  if (validity.length > 0) return { ok: false, detail: `time-stamping authority: ${validity[0]!.detail}` };
  return { ok: true, time: tst.genTime };
}

/**
 * Fills the entry's certificate and signer from a CMS that is not verified (its ranges do not
 * fit the file): what the certificate claims, shown as such next to a failed verdict. Any
 * CMS problem leaves the entry as it is.
 */
async function describeSigner(contents: Uint8Array, entry: SignatureReportEntry, ctx: Context): Promise<void> {
  const parsed = parseCms(contents, ctx.limits.maxCertificates);
  if (!parsed.ok) return;
  const signer = await findSignerCertificate(parsed.cms).catch(() => undefined);
  if (!signer) return;
  entry.certificate = certificateSummary(signer, await digestOf('SHA-256', signer.der));
  entry.signer = { displayName: nameAttribute(signer.cert.subject, 'CN') ?? nameAttribute(signer.cert.subject, 'O') ?? entry.certificate.subject };
}

/** Verifies one signature dictionary; the entry says what was found. */
async function verifySeal(found: FoundSignature, id: string, ctx: Context): Promise<SignatureReportEntry> {
  const { bytes } = ctx;
  const entry: SignatureReportEntry = { id, kind: 'seal', indication: 'INDETERMINATE', reasons: [] };
  const d = new Draft(entry);
  if (found.subFilter) entry.subFilter = found.subFilter;
  if (found.name) entry.signer = { displayName: found.name };
  if (found.byteRange) entry.byteRange = [...found.byteRange];

  for (const p of found.problems) {
    if (p.code === 'cms-too-large') d.fail(p.code, p.detail, 'INDETERMINATE', 'FORMAT_FAILURE', STAGE.format);
    else d.fail(p.code, p.detail, 'TOTAL_FAILED', 'FORMAT_FAILURE', STAGE.format);
  }
  const br = found.byteRange;
  if (!br || !found.contents || found.problems.some((p) => p.code !== 'duplicate-keys')) {
    // Nothing is verified, but who sealed it can still be read: a PDF re-saved by another
    // program no longer fits its /ByteRange, and the reader is told whose seal that broke.
    if (found.contents) await describeSigner(found.contents, entry, ctx);
    return d.finish();
  }
  entry.coversWholeDocument = onlyWhiteAfter(bytes, br[2] + br[3]);

  const subFilter = found.subFilter ?? '';
  if (!SUB_FILTERS.has(subFilter)) {
    const what = subFilter === 'ETSI.RFC3161' ? 'document time-stamps (ETSI.RFC3161) are not verified yet' : `sub-filter ${subFilter || '(none)'} is not supported`;
    d.fail('unsupported-sub-filter', what, 'INDETERMINATE', 'FORMAT_FAILURE', STAGE.format);
    return d.finish();
  }
  const etsi = subFilter === 'ETSI.CAdES.detached';

  // SHA-256 is what PAdES signatures use: start hashing the ranges now (in Node on other
  // threads, while the CMS is parsed here) (a CMS that names another digest gets its own).
  const early = ctx.digestRanges ? startDigest(ctx, br, 'SHA-256') : ctx.exclusive ? spent(ctx, br, () => digestRangesInPlace(bytes, br, 'SHA-256')) : undefined;
  early?.catch(() => undefined);

  const parsed = parseCms(found.contents, ctx.limits.maxCertificates);
  if (!parsed.ok) {
    const { code, detail } = parsed.problem;
    d.fail(code, detail, code === 'cms-malformed' ? 'TOTAL_FAILED' : 'INDETERMINATE', 'FORMAT_FAILURE', STAGE.format);
    return d.finish();
  }
  const { cms } = parsed;
  const si = cms.signerInfo;
  if (cms.hasContent || cms.eContentType !== OID.data) {
    d.fail('cms-not-detached', 'the CMS encapsulates content; a PDF signature must be detached over id-data', 'TOTAL_FAILED', 'FORMAT_FAILURE', STAGE.format);
    return d.finish();
  }
  const alg = digestAlgorithm(si);
  if (!alg) {
    d.fail('unsupported-digest-algorithm', `digest algorithm ${si.digestAlgorithm.algorithmId}`, 'INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE', STAGE.hash);
    return d.finish();
  }
  if (alg === 'SHA-1') d.fail('weak-digest-algorithm', 'SHA-1 is no longer accepted for signatures', 'INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE', STAGE.hash);

  // The signed bytes, hashed once on the platform's crypto threads while the CMS, the
  // signature value and the certificates are checked here; awaited at the end.
  // With signed attributes the signature is over them, and the ranges are needed only for
  // this digest (so the shared scratch buffer will do); without, the signature value is over
  // the ranges themselves and they are kept until it is checked.
  const withAttributes = hasSignedAttributes(si);
  let content: Uint8Array | undefined;
  let digesting: Promise<Uint8Array>;
  if (early && alg === 'SHA-256') digesting = early;
  else if (ctx.digestRanges) digesting = startDigest(ctx, br, alg);
  else {
    const inPlace = withAttributes && ctx.exclusive ? spent(ctx, br, () => digestRangesInPlace(bytes, br, alg)) : undefined;
    if (inPlace) digesting = inPlace;
    else {
      ctx.budget.hash(br[1] + br[3]);
      content = signedRanges(bytes, br, withAttributes);
      digesting = digestOf(alg, content); // copies its input before returning
    }
  }
  digesting.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
  if (withAttributes) content = undefined;
  else {
    // Without signed attributes the signature value is over the ranges themselves.
    content ??= signedRanges(bytes, br, false);
    if (etsi) d.fail('signed-attributes-missing', 'ETSI.CAdES.detached signatures need signed attributes', 'TOTAL_FAILED', 'FORMAT_FAILURE', STAGE.format);
  }

  const signer = await findSignerCertificate(cms);
  if (!signer) {
    d.fail('signer-certificate-missing', 'the CMS does not carry the signer certificate', 'INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND', STAGE.signature);
    await checkDigest(d, si, withAttributes, digesting);
    return d.finish();
  }
  const fingerprint = await digestOf('SHA-256', signer.der);
  entry.certificate = certificateSummary(signer, fingerprint);
  entry.signer = { displayName: nameAttribute(signer.cert.subject, 'CN') ?? nameAttribute(signer.cert.subject, 'O') ?? entry.certificate.subject };

  const signed = withAttributes ? signedBytes(si)! : content!;
  ctx.budget.signatureCheck();
  // Checking a signature over the ranges themselves hashes them once more.
  if (!withAttributes) ctx.budget.hash(signed.length);
  const verdict = await verifySignatureValue(si, signer, signed, alg);
  content = undefined;
  if (verdict === 'invalid') d.fail('bad-signature', 'the signature value does not verify with the signer certificate', 'TOTAL_FAILED', 'SIG_CRYPTO_FAILURE', STAGE.signature);
  if (verdict === 'unsupported') d.fail('unsupported-signature-algorithm', `key ${describeKey(signer.cert).text}, algorithm ${si.signatureAlgorithm.algorithmId}`, 'INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE', STAGE.signature);
  if (describeKey(signer.cert).weak) d.fail('weak-key', `${describeKey(signer.cert).text} is below today's minimum`, 'INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE', STAGE.signature);

  const ess = await checkSigningCertificate(si, signer);
  if (ess.present && !ess.ok) d.fail('signing-certificate-mismatch', ess.detail, 'INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND', STAGE.signature);
  if (!ess.present && etsi) d.fail('signing-certificate-attribute-missing', 'ETSI.CAdES.detached signatures need the ESS signing-certificate-v2 attribute', 'INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND', STAGE.signature);

  // When: a verified time-stamp proves it; otherwise what the signature claims.
  let signedAt: Date | undefined;
  let source: SigningTimeSource = 'validation-time';
  for (const token of timeStampTokens(si).slice(0, 2)) {
    const ts = await checkTimestamp(token, signatureValue(si), ctx);
    if (ts.ok) {
      signedAt = ts.time;
      source = 'timestamp';
      break;
    }
    d.warn('timestamp-not-verified', ts.detail);
  }
  if (!signedAt) {
    const attr = signingTimeAttribute(si);
    const m = parsePdfDate(found.m);
    if (attr) [signedAt, source] = [attr, 'signed-attribute'];
    else if (m) [signedAt, source] = [m, 'pdf-dictionary'];
  }
  let at = signedAt ?? ctx.validationTime;
  if (signedAt) {
    entry.signedAt = signedAt.toISOString();
    if (signedAt.getTime() > ctx.validationTime.getTime() + 5 * 60_000) {
      d.warn('signing-time-in-future', `the signature claims ${signedAt.toISOString()}; certificates were checked at the validation time`);
      at = ctx.validationTime;
    }
  }
  entry.signedAtSource = source;
  const proven = source === 'timestamp';

  const chain = await buildChain(signer, cms.certificates, ctx.anchors, chainOptions(ctx));
  if (chain.ok) {
    entry.chain = chain.path.map((c) => nameText(c.cert.subject));
  } else {
    const sub: SubIndication = chain.code === 'issuer-not-ca' ? 'CHAIN_CONSTRAINTS_FAILURE' : chain.code === 'chain-too-long' ? 'CERTIFICATE_CHAIN_GENERAL_FAILURE' : 'NO_CERTIFICATE_CHAIN_FOUND';
    d.fail(chain.code, chain.detail, 'INDETERMINATE', sub);
  }
  for (const v of validityProblems(chain.ok ? chain.path : [signer], ctx.anchors, at)) {
    // Without a proof of when it signed, "expired at the claimed time" is not proven either way.
    if (proven && v.signer) d.fail(v.code, v.detail, 'TOTAL_FAILED', v.code === 'certificate-expired' ? 'EXPIRED' : 'NOT_YET_VALID');
    else d.fail(v.code, v.detail, 'INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE');
  }
  if (!mayMakeSignatures(signer.cert)) d.fail('key-usage', 'the signer certificate allows neither digitalSignature nor nonRepudiation', 'INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE');
  await checkDigest(d, si, withAttributes, digesting);
  return d.finish();
}

/** The signed message digest against the digest of the signed ranges (without signed attributes, the signature value check covers it). */
async function checkDigest(d: Draft, si: Parameters<typeof checkMessageDigest>[0], withAttributes: boolean, digesting: Promise<Uint8Array>): Promise<void> {
  const digest = await digesting;
  if (!withAttributes) return;
  for (const p of checkMessageDigest(si, OID.data, digest)) {
    d.fail(p.code, p.detail, 'TOTAL_FAILED', p.code === 'digest-mismatch' ? 'HASH_FAILURE' : 'FORMAT_FAILURE', p.code === 'digest-mismatch' ? STAGE.hash : STAGE.format);
  }
}

function docFail(findings: DocumentFindings, code: string, detail: string, indication: Exclude<Indication, 'TOTAL_PASSED'>, sub?: SubIndication): void {
  (findings.reasons ??= []).push({ code, detail });
  const worse = indication === 'TOTAL_FAILED' || !findings.indication;
  if (worse && findings.indication !== 'TOTAL_FAILED') {
    findings.indication = indication;
    if (sub) findings.subIndication = sub;
    else delete findings.subIndication;
  }
}

async function run(input: unknown, options: Partial<VerifyDocumentOptions>, validationTime: Date, findings: DocumentFindings): Promise<SignatureReportEntry[]> {
  const limits = mergeLimits(options.limits);
  const deadline = performance.now() + limits.timeBudgetMs;
  const bytes = asBytes(input);
  if (!bytes) {
    docFail(findings, 'not-bytes', 'the document must be given as bytes (Uint8Array or ArrayBuffer)', 'INDETERMINATE');
    return [];
  }
  findings.summary = { size: bytes.length };
  if (bytes.length === 0) {
    docFail(findings, 'empty', 'the file is empty', 'TOTAL_FAILED', 'FORMAT_FAILURE');
    return [];
  }
  if (bytes.length > limits.maxFileBytes) {
    docFail(findings, 'too-large', `the file has ${bytes.length} bytes; this verifier reads at most ${limits.maxFileBytes}`, 'INDETERMINATE');
    return [];
  }
  if (typeof globalThis.crypto?.subtle?.digest !== 'function') {
    docFail(findings, 'no-webcrypto', 'WebCrypto (crypto.subtle) is not available here: browsers offer it only to secure (https or localhost) pages', 'INDETERMINATE');
    return [];
  }
  if (!hasPdfHeader(bytes)) {
    docFail(findings, 'not-pdf', 'the file does not start like a PDF (%PDF-)', 'TOTAL_FAILED', 'FORMAT_FAILURE');
    return [];
  }
  if (!hasEofMarker(bytes)) (findings.warnings ??= []).push({ code: 'no-eof-marker', detail: 'the file does not end with %%EOF: it may have been cut short' });

  const { anchors, unreadable } = readTrustAnchors(options.trustAnchors, limits.maxTrustAnchors);
  if (unreadable > 0) (findings.warnings ??= []).push({ code: 'trust-anchor-unreadable', detail: `${unreadable} trust anchor(s) could not be read and were ignored` });
  const hashBudget = limits.hashBudgetPerByte * bytes.length + limits.hashBudgetBytes;
  const digestRanges = typeof options.digestRanges === 'function' ? options.digestRanges : undefined;
  const work = typeof options.work === 'object' && options.work !== null ? options.work : undefined;
  const ctx: Context = { bytes, anchors, limits, validationTime, deadline, exclusive: true, budget: new VerificationBudget(hashBudget, limits.maxSignatureChecks, work), digestRanges };

  const budget = new WorkBudget(Math.max(16 * 1024 * 1024, 2 * bytes.length));
  let found: FoundSignature[];
  try {
    const result = await findSignatures(bytes, { maxSignatures: limits.maxSignatures, maxContentsBytes: limits.maxCmsBytes, budget });
    found = result.signatures;
    if (result.truncated === 'signatures') docFail(findings, 'too-many-signatures', `only the first ${limits.maxSignatures} signatures were verified`, 'INDETERMINATE');
    if (result.truncated === 'candidates') docFail(findings, 'limit-exceeded', 'the file mentions /ByteRange too often to look at every mention: signatures may have been missed', 'INDETERMINATE');
  } catch (err) {
    if (!(err instanceof PdfLimitError)) throw err;
    docFail(findings, 'limit-exceeded', `the file is too complex to search for signatures: ${err.message}`, 'INDETERMINATE');
    return [];
  }
  if (found.length === 0) {
    docFail(findings, 'no-signature', 'the file has no signature', 'INDETERMINATE');
    return [];
  }
  // What the signatures ask to hash is known now: a file that asks for more than its budget
  // is refused before anything is hashed.
  const toHash = found.reduce((sum, sig) => sum + (verifiable(sig) ? sig.byteRange![1] + sig.byteRange![3] : 0), 0);
  if (toHash > hashBudget) {
    const detail =
      `its ${found.length} signature(s) would hash ${toHash} bytes in all; ` +
      `at most ${hashBudget} are hashed for a file of ${bytes.length} bytes (${limits.hashBudgetPerByte} × its size + ${limits.hashBudgetBytes})`;
    docFail(findings, 'budget-exceeded', detail, 'INDETERMINATE');
    return found.map((_, i) => ({ id: `sig-${i + 1}`, kind: 'seal', indication: 'INDETERMINATE', reasons: [{ code: 'budget-exceeded', detail: 'not verified: the file asks for more work than its budget' }] }));
  }

  // The revision the last signature covers: its end decides whether anything unsigned
  // follows, and its embedded evidence is the one the seal vouches for.
  let last: { end: number; id: string } | undefined;
  found.forEach((sig, i) => {
    const br = sig.byteRange;
    if (br && !sig.problems.some((p) => p.code.startsWith('byte-range')) && (!last || br[2] + br[3] > last.end)) last = { end: br[2] + br[3], id: `sig-${i + 1}` };
  });
  // Seals one after another; the passkey evidence does not depend on their results, so it is
  // read and checked meanwhile (started second, once the first seal's hashing is under way on
  // the platform's crypto threads).
  const sealing = (async () => {
    const entries: SignatureReportEntry[] = [];
    let overBudget = false;
    for (const [i, sig] of found.entries()) {
      const id = `sig-${i + 1}`;
      if (performance.now() > deadline) {
        entries.push({ id, kind: 'seal', indication: 'INDETERMINATE', reasons: [{ code: 'time-budget-exceeded', detail: `not verified: over the ${limits.timeBudgetMs} ms budget` }] });
        continue;
      }
      if (overBudget) {
        entries.push({ id, kind: 'seal', indication: 'INDETERMINATE', reasons: [{ code: 'budget-exceeded', detail: 'not verified: the work budget is spent' }] });
        continue;
      }
      try {
        entries.push(await verifySeal(sig, id, ctx));
      } catch (err) {
        if (err instanceof BudgetExceededError) {
          overBudget = true;
          docFail(findings, 'budget-exceeded', err.message, 'INDETERMINATE');
          entries.push({ id, kind: 'seal', indication: 'INDETERMINATE', reasons: [{ code: 'budget-exceeded', detail: err.message }] });
        } else {
          entries.push({ id, kind: 'seal', indication: 'INDETERMINATE', reasons: [{ code: 'verifier-error', detail: errorText(err) }] });
        }
      }
    }
    return entries;
  })();
  // The first seal's digest has been started by now (synchronously, above); from here on the
  // evidence reader reads the file too, so nothing may move its bytes any more.
  ctx.exclusive = false;
  const evidence = last ? evidenceEntries(bytes.subarray(0, last.end), last.id, options, limits, findings, deadline) : Promise.resolve([]);
  evidence.catch(() => undefined);
  const entries = await sealing;

  if (last) {
    const whole = onlyWhiteAfter(bytes, last.end);
    findings.summary.wholeDocumentSigned = whole;
    if (!whole) {
      docFail(
        findings,
        'unsigned-changes',
        `${bytes.length - last.end} bytes follow the last signed revision: an incremental update no signature covers, whose changes a reader shows`,
        'INDETERMINATE',
        'SIG_CONSTRAINTS_FAILURE',
      );
    }
  }
  entries.push(...(await evidence));
  return entries;
}

async function evidenceEntries(
  revision: Uint8Array,
  sealId: string,
  options: Partial<VerifyDocumentOptions>,
  limits: VerifyDocumentLimits,
  findings: DocumentFindings,
  deadline: number,
): Promise<SignatureReportEntry[]> {
  let file: Uint8Array;
  try {
    // Each step of the reader is bounded; the time budget is checked once it is done.
    const reader = await PdfReader.open(revision, {
      maxObjects: 1_000_000,
      maxStreamBytes: Math.max(limits.maxEvidenceBytes, 16 * 1024 * 1024),
      maxTotalDecodedBytes: 64 * 1024 * 1024,
      budget: new WorkBudget(Math.max(32 * 1024 * 1024, 2 * revision.length)),
    });
    const lookup = await findEmbeddedFile(reader, EVIDENCE_FILE_NAME, limits.maxEvidenceBytes);
    if (lookup.found === false) return [];
    if (lookup.found === 'ambiguous') {
      return [{ id: '', kind: 'passkey', indication: 'INDETERMINATE', subIndication: 'FORMAT_FAILURE', reasons: [{ code: 'evidence-ambiguous', detail: `more than one ${EVIDENCE_FILE_NAME}` }], coveredBy: sealId }];
    }
    file = lookup.bytes;
    if (performance.now() > deadline) {
      docFail(findings, 'time-budget-exceeded', 'the embedded passkey evidence was not checked: over the time budget', 'INDETERMINATE');
      return [];
    }
  } catch (err) {
    (findings.warnings ??= []).push({ code: 'structure-unreadable', detail: `embedded files could not be looked for in the signed revision: ${errorText(err)}` });
    return [];
  }
  const rpId = typeof options.rpId === 'string' ? options.rpId : undefined;
  const origins = Array.isArray(options.allowedOrigins) && options.allowedOrigins.every((o) => typeof o === 'string') ? options.allowedOrigins : undefined;
  const evidenceOptions: Parameters<typeof checkEmbeddedEvidence>[1] = {
    maxPasskeyEvidence: limits.maxPasskeyEvidence,
    sealId,
    onDocument: (info) => {
      if (findings.summary) findings.summary.issued = info;
    },
  };
  if (rpId !== undefined) evidenceOptions.rpId = rpId;
  if (origins !== undefined) evidenceOptions.allowedOrigins = origins;
  return checkEmbeddedEvidence(file, evidenceOptions);
}

/**
 * Verifies every signature of a PDF and the passkey evidence Overa embeds in it, and
 * returns a DSS-style report. Never throws, whatever `bytes` and `options` are.
 */
export async function verifyDocument(bytes: Uint8Array | ArrayBuffer, options: VerifyDocumentOptions): Promise<VerificationReport> {
  const opts = (typeof options === 'object' && options !== null ? options : {}) as Partial<VerifyDocumentOptions>;
  const validationTime = opts.now instanceof Date && Number.isFinite(opts.now.getTime()) ? new Date(opts.now.getTime()) : new Date();
  const findings: DocumentFindings = {};
  let entries: SignatureReportEntry[] = [];
  try {
    entries = await run(bytes, opts, validationTime, findings);
  } catch (err) {
    docFail(findings, 'verifier-error', errorText(err), 'INDETERMINATE');
  }
  return verificationReport(entries, validationTime, findings);
}
