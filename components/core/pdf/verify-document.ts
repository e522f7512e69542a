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
import type {
  DocumentFindings,
  Indication,
  PadesLevel,
  ReportReason,
  SignatureReportEntry,
  SigningTimeSource,
  SubIndication,
  TimestampReportEntry,
  ValidationCertificate,
  ValidationDataSource,
  ValidationDataSummary,
  ValidationRevocation,
  VerificationReport,
} from '../report.ts';
import type { BasicOCSPResponse, CertificateRevocationList } from 'pkijs';
import { verificationReport } from '../report.ts';
import { toHex } from '../encoding.ts';
import { buildChain, mayMakeSignatures, mayTimeStamp, readTrustAnchors, validityProblems, type TrustAnchorInput } from './chain.ts';
import {
  archivedRevocationData,
  certificateFromDer,
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
  timeStampTokenValues,
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
import { onlyAddsValidationData, readDss } from './dss.ts';
import type { TrustedListSet } from '../trust-lists/model.ts';
import type { ListAnchors, qualify as Qualify } from '../trust-lists/qualify.ts';
import { checkCrl, checkOcsp, judgeRevocation, readCrl, readOcsp, type RevocationCheck, type RevocationFinding } from './revocation.ts';

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
  /** Pieces of validation data read (DSS certificates, OCSP responses, CRLs, and the ones signatures carry). */
  maxValidationItems: number;
  /** Decoded bytes of DSS streams, all together. */
  maxValidationDataBytes: number;
  /** Certificates of trusted-list services taken as trust anchors (the EU lists have a few thousand). */
  maxTrustedListAnchors: number;
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
  maxValidationItems: 500,
  maxValidationDataBytes: 16 * 1024 * 1024,
  maxTrustedListAnchors: 20_000,
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
  /**
   * The time the document is judged at (default now): a time after the certificates expire
   * shows how the document will verify then.
   */
  validationTime?: Date;
  /** The same, by its earlier name (`validationTime` wins). */
  now?: Date;
  limits?: Partial<VerifyDocumentLimits>;
  /** Counters the verification adds its work to (bytes hashed, signature checks), for the caller to read. */
  work?: VerificationWork;
  /** How the signed ranges are hashed; default WebCrypto, in one call. */
  digestRanges?: RangeDigest;
  /**
   * Verified trusted lists (ETSI TS 119 612): their CA and time-stamping services' certificates
   * are trust anchors too, and a seal whose path ends at one gets its qualified status
   * (`qualification`). From GET /api/v1/trust?include=services, or trust-lists/load.ts.
   */
  trustedLists?: TrustedListSet;
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
  /** Validation data of the document: the DSS's certificates and revocation data. */
  data: { certs: { entry: CertEntry; offset: number }[]; revocation: RevocationSourceItem[] };
  /** Trusted-list services behind some of the anchors, and the qualification code (loaded only with lists). */
  lists?: { services: ListAnchors['services']; qualify: typeof Qualify };
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
  return !!sig.byteRange && !!sig.contents && sig.problems.every((p) => p.code === 'duplicate-keys') && (SUB_FILTERS.has(sig.subFilter ?? '') || isDocumentTimestamp(sig));
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

/** A time-stamp token after its own checks (imprint, signature, TSA path), before it is judged at a time. */
interface TokenCheck {
  id: string;
  type: 'signature' | 'document';
  genTime?: Date;
  tsa?: CertEntry;
  path?: CertEntry[];
  /** Its own certificates (a TSA's path may also use the DSS's). */
  certs: CertEntry[];
  failure?: { code: string; detail: string; indication: Exclude<Indication, 'TOTAL_PASSED'>; sub?: SubIndication };
  /** Document time-stamps: the /ByteRange, and where the revision it covers ends. */
  byteRange?: [number, number, number, number];
  /** Set in the second pass. */
  accepted?: boolean;
  entry?: TimestampReportEntry;
}

/**
 * An RFC 3161 time-stamp token: its message imprint must be the digest of `imprintOf` (the
 * signature value for a signature time-stamp, the signed ranges for a document time-stamp),
 * its own CMS signature must verify, and its TSA must chain to the trust anchors and may
 * time-stamp. Whether its time is a proof is decided later, at the time it is relied on
 * (`judgeToken`).
 */
async function checkToken(
  id: string,
  type: TokenCheck['type'],
  token: Uint8Array | Parameters<typeof parseCms>[0],
  imprintOf: (hash: DigestName) => Promise<Uint8Array>,
  ctx: Context,
): Promise<TokenCheck> {
  const out: TokenCheck = { id, type, certs: [] };
  const fail = (code: string, detail: string, indication: Exclude<Indication, 'TOTAL_PASSED'>, sub?: SubIndication): TokenCheck => {
    out.failure = { code, detail, indication, ...(sub ? { sub } : {}) };
    return out;
  };
  const parsed = parseCms(token, ctx.limits.maxCertificates);
  if (!parsed.ok) return fail('timestamp-malformed', parsed.problem.detail, 'TOTAL_FAILED', 'FORMAT_FAILURE');
  const { cms } = parsed;
  out.certs = cms.certificates;
  if (cms.eContentType !== OID.tstInfo || !cms.content) return fail('timestamp-malformed', 'not a time-stamp token', 'TOTAL_FAILED', 'FORMAT_FAILURE');
  const tst = readTstInfo(cms.content);
  if (!tst?.hash) return fail('timestamp-malformed', 'unreadable TSTInfo or unsupported hash', 'INDETERMINATE', 'FORMAT_FAILURE');
  out.genTime = tst.genTime;
  if (!equalBytes(await imprintOf(tst.hash), tst.imprint)) {
    return fail('timestamp-imprint-mismatch', type === 'signature' ? 'the time-stamp is for another signature' : 'the document time-stamp is not over the bytes it covers: a revision was changed', 'TOTAL_FAILED', 'HASH_FAILURE');
  }
  const si = cms.signerInfo;
  const alg = digestAlgorithm(si);
  const attrs = signedBytes(si);
  if (!alg || !attrs) return fail('timestamp-malformed', 'the time-stamp token has no signed attributes or an unsupported digest', 'INDETERMINATE', 'FORMAT_FAILURE');
  if (checkMessageDigest(si, OID.tstInfo, await digestOf(alg, cms.content)).length > 0) return fail('timestamp-malformed', 'the time-stamp token does not match its content', 'TOTAL_FAILED', 'HASH_FAILURE');
  const tsa = await findSignerCertificate(cms);
  if (!tsa) return fail('timestamp-tsa-missing', 'the time-stamping certificate is not in the token', 'INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND');
  out.tsa = tsa;
  ctx.budget.signatureCheck();
  if ((await verifySignatureValue(si, tsa, attrs, alg)) !== 'valid') return fail('timestamp-signature-invalid', 'the time-stamp token signature does not verify', 'TOTAL_FAILED', 'SIG_CRYPTO_FAILURE');
  const ess = await checkSigningCertificate(si, tsa);
  if (ess.present && !ess.ok) return fail('timestamp-signing-certificate-mismatch', ess.detail, 'INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND');
  if (!mayTimeStamp(tsa.cert)) return fail('timestamp-key-usage', 'the certificate is not for time-stamping', 'INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE');
  const chain = await buildChain(tsa, [...cms.certificates, ...ctx.data.certs.map((c) => c.entry)], ctx.anchors, chainOptions(ctx));
  if (!chain.ok) return fail('timestamp-no-chain', `time-stamping authority: ${chain.detail}`, 'INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND');
  out.path = chain.path;
  const validity = validityProblems(chain.path, ctx.anchors, tst.genTime);
  if (validity.length > 0) return fail('timestamp-tsa-out-of-validity', `time-stamping authority: ${validity[0]!.detail}`, 'INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE');
  return out;
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

/**
 * Judges a checked token at `ref`, the time something proves it existed (a later document
 * time-stamp's time, or the validation time): its TSA's path must not have been revoked by
 * then (nor before genTime), and where a certificate of the path has expired by the
 * validation time, `ref` must lie within its validity and revocation data must show it was
 * not revoked when the token was made. Sets `accepted` and the report entry.
 */
async function judgeToken(t: TokenCheck, ref: Date, covers: string[], ctx: Context): Promise<void> {
  const entry: TimestampReportEntry = { id: t.id, type: t.type, indication: 'TOTAL_PASSED', reasons: [] };
  if (t.genTime) entry.productionTime = t.genTime.toISOString();
  if (t.tsa) entry.tsa = nameText(t.tsa.cert.subject);
  if (covers.length > 0) entry.covers = covers;
  if (t.byteRange) entry.byteRange = [...t.byteRange];
  t.entry = entry;
  const fail = (code: string, detail: string, indication: Exclude<Indication, 'TOTAL_PASSED'>, sub?: SubIndication) => {
    entry.reasons.push({ code, detail: detail.slice(0, 500) });
    if (entry.indication !== 'TOTAL_FAILED') {
      entry.indication = indication;
      if (sub) entry.subIndication = sub;
    }
  };
  if (t.failure) {
    fail(t.failure.code, t.failure.detail, t.failure.indication, t.failure.sub);
    t.accepted = false;
    return;
  }
  const path = t.path!;
  const genTime = t.genTime!;
  for (const [i, cert] of path.entries()) {
    const issuer = path[i + 1];
    if (!issuer || (i === path.length - 1 && isAnchorEntry(cert, ctx))) break;
    const { findings } = await revocationFor(cert, issuer, t.certs, ctx);
    const judged = judgeRevocation(findings, cert, genTime);
    const who = i === 0 ? 'the time-stamping certificate' : `the CA certificate ${nameText(cert.cert.subject)}`;
    if (judged.verdict === 'revoked') {
      const r = judged.revokedAt;
      if (!r || r.getTime() <= genTime.getTime()) fail('timestamp-tsa-revoked', `${who} was revoked${r ? ` on ${r.toISOString()}` : ''}, before the time-stamp`, 'TOTAL_FAILED', 'REVOKED');
      else if (r.getTime() <= ref.getTime()) fail('timestamp-tsa-revoked-no-poe', `${who} was revoked on ${r.toISOString()}; nothing proves the time-stamp existed before`, 'INDETERMINATE', 'REVOKED_NO_POE');
      continue;
    }
    if (ctx.validationTime.getTime() > cert.cert.notAfter.value.getTime()) {
      if (ref.getTime() > cert.cert.notAfter.value.getTime()) {
        fail('timestamp-tsa-expired-no-poe', `${who} expired on ${cert.cert.notAfter.value.toISOString()} and no later time-stamp proves this one existed before`, 'INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE');
      } else if (judged.verdict !== 'good') {
        const stale = judged.verdict === 'stale';
        fail(stale ? 'timestamp-revocation-not-fresh' : 'timestamp-no-revocation-data', `${who} has expired and ${stale ? 'its revocation data predates the time-stamp' : 'no revocation data shows it was not revoked'}`, 'INDETERMINATE', stale ? 'TRY_LATER' : 'OUT_OF_BOUNDS_NO_POE');
      }
    }
  }
  t.accepted = entry.indication === 'TOTAL_PASSED';
}

function isAnchorEntry(cert: CertEntry, ctx: Context): boolean {
  return ctx.anchors.some((a) => equalBytes(a.der, cert.der));
}

/**
 * The revocation data about `cert` (issued by `issuer`) that checks out, and every piece
 * that speaks of it but was refused. Sources: the DSS, the signature's CMS (`own`: its
 * revocation fields and archived attribute).
 */
async function revocationFor(
  cert: CertEntry,
  issuer: CertEntry,
  ownCerts: readonly CertEntry[],
  ctx: Context,
  own: readonly RevocationSourceItem[] = [],
): Promise<{ findings: RevocationFinding[]; refused: { item: RevocationSourceItem; reason: ReportReason }[]; matched: Set<RevocationSourceItem> }> {
  const findings: RevocationFinding[] = [];
  const refused: { item: RevocationSourceItem; reason: ReportReason }[] = [];
  const matched = new Set<RevocationSourceItem>();
  const candidates = [...ownCerts, ...ctx.data.certs.map((c) => c.entry)];
  const key = `${toHex(cert.der.subarray(-64))}:${cert.der.length}:${toHex(issuer.der.subarray(-64))}`;
  for (const item of [...own, ...ctx.data.revocation]) {
    if (performance.now() > ctx.deadline) throw new BudgetExceededError(`over the ${ctx.limits.timeBudgetMs} ms budget while checking revocation data`);
    const parsed = parsedRevocation(item);
    if (!parsed) continue;
    // The same piece about the same certificate is checked once per verification (each
    // time-stamp and seal of a document asks about the same TSA and CA certificates).
    const checks = (item.checks ??= new Map());
    let check = checks.get(key);
    if (!check) {
      check = parsed.type === 'OCSP'
        ? await checkOcsp(parsed.basic, cert, issuer, candidates, () => ctx.budget.signatureCheck())
        : await checkCrl(parsed.crl, cert, issuer, () => ctx.budget.signatureCheck());
      checks.set(key, check);
    }
    if (check.ok) {
      matched.add(item);
      findings.push({ ...check.finding, source: item.source, ...(item.offset !== undefined ? { offset: item.offset } : {}) });
    } else if (check.matches) {
      matched.add(item);
      refused.push({ item, reason: check.reason });
    }
  }
  return { findings, refused, matched };
}

/** One OCSP response or CRL as found, parsed on first use. */
interface RevocationSourceItem {
  type: 'OCSP' | 'CRL';
  der: Uint8Array;
  source: 'dss' | 'signature';
  offset?: number;
  parsed?: { type: 'OCSP'; basic: BasicOCSPResponse } | { type: 'CRL'; crl: CertificateRevocationList } | null;
  /** Results of checking it against a certificate (keyed by the certificate's and its issuer's encodings). */
  checks?: Map<string, RevocationCheck>;
}

function parsedRevocation(item: RevocationSourceItem): NonNullable<RevocationSourceItem['parsed']> | undefined {
  if (item.parsed === undefined) {
    if (item.type === 'OCSP') {
      const basic = readOcsp(item.der);
      item.parsed = basic ? { type: 'OCSP', basic } : null;
    } else {
      const crl = readCrl(item.der);
      item.parsed = crl ? { type: 'CRL', crl } : null;
    }
  }
  return item.parsed ?? undefined;
}

/** What the first pass learnt about one seal, for the second pass to judge at its best signature time. */
interface SealState {
  draft: Draft;
  entry: SignatureReportEntry;
  /** Where the revision it signs ends. */
  end: number;
  signer?: CertEntry;
  path?: CertEntry[];
  cmsCerts: CertEntry[];
  own: RevocationSourceItem[];
  tokens: TokenCheck[];
  claimed?: { time: Date; source: SigningTimeSource };
  etsi: boolean;
}

/** Verifies one signature dictionary: everything but what depends on time (see judgeSeal). */
async function verifySeal(found: FoundSignature, id: string, ctx: Context): Promise<SealState> {
  const { bytes } = ctx;
  const entry: SignatureReportEntry = { id, kind: 'seal', indication: 'INDETERMINATE', reasons: [] };
  const d = new Draft(entry);
  const state: SealState = { draft: d, entry, end: found.byteRange ? found.byteRange[2] + found.byteRange[3] : 0, cmsCerts: [], own: [], tokens: [], etsi: false };
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
    return state;
  }
  entry.coversWholeDocument = onlyWhiteAfter(bytes, br[2] + br[3]);

  const subFilter = found.subFilter ?? '';
  if (!SUB_FILTERS.has(subFilter)) {
    d.fail('unsupported-sub-filter', `sub-filter ${subFilter || '(none)'} is not supported`, 'INDETERMINATE', 'FORMAT_FAILURE', STAGE.format);
    return state;
  }
  const etsi = subFilter === 'ETSI.CAdES.detached';
  state.etsi = etsi;
  // SHA-256 is what PAdES signatures use: start hashing the ranges now (in Node on other
  // threads, while the CMS is parsed here) (a CMS that names another digest gets its own).
  const early = ctx.digestRanges ? startDigest(ctx, br, 'SHA-256') : ctx.exclusive ? spent(ctx, br, () => digestRangesInPlace(bytes, br, 'SHA-256')) : undefined;
  early?.catch(() => undefined);

  const parsed = parseCms(found.contents, ctx.limits.maxCertificates);
  if (!parsed.ok) {
    const { code, detail } = parsed.problem;
    d.fail(code, detail, code === 'cms-malformed' ? 'TOTAL_FAILED' : 'INDETERMINATE', 'FORMAT_FAILURE', STAGE.format);
    return state;
  }
  const { cms } = parsed;
  const si = cms.signerInfo;
  if (cms.hasContent || cms.eContentType !== OID.data) {
    d.fail('cms-not-detached', 'the CMS encapsulates content; a PDF signature must be detached over id-data', 'TOTAL_FAILED', 'FORMAT_FAILURE', STAGE.format);
    return state;
  }
  const alg = digestAlgorithm(si);
  if (!alg) {
    d.fail('unsupported-digest-algorithm', `digest algorithm ${si.digestAlgorithm.algorithmId}`, 'INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE', STAGE.hash);
    return state;
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
    return state;
  }
  state.signer = signer;
  state.cmsCerts = cms.certificates;
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

  // Time-stamps over the signature value: checked now, judged once document time-stamps are.
  const sigValue = signatureValue(si);
  for (const [m, token] of timeStampTokenValues(si).slice(0, 4).entries()) {
    state.tokens.push(await checkToken(`${id}-ts-${m + 1}`, 'signature', token, (h) => digestOf(h, sigValue), ctx));
  }
  const attr = signingTimeAttribute(si);
  const m = parsePdfDate(found.m);
  if (attr) state.claimed = { time: attr, source: 'signed-attribute' };
  else if (m) state.claimed = { time: m, source: 'pdf-dictionary' };
  // Revocation data the signature carries itself (CMS crls field, Adobe's archival attribute).
  const archived = archivedRevocationData(si, ctx.limits.maxValidationItems);
  for (const der of [...cms.crls, ...archived.crls].slice(0, ctx.limits.maxValidationItems)) state.own.push({ type: 'CRL', der, source: 'signature' });
  for (const der of [...cms.ocsps, ...archived.ocsps].slice(0, ctx.limits.maxValidationItems)) state.own.push({ type: 'OCSP', der, source: 'signature' });

  const chain = await buildChain(signer, [...cms.certificates, ...ctx.data.certs.map((c) => c.entry)], ctx.anchors, chainOptions(ctx));
  if (chain.ok) {
    state.path = chain.path;
    entry.chain = chain.path.map((c) => nameText(c.cert.subject));
  } else {
    const sub: SubIndication = chain.code === 'issuer-not-ca' ? 'CHAIN_CONSTRAINTS_FAILURE' : chain.code === 'chain-too-long' ? 'CERTIFICATE_CHAIN_GENERAL_FAILURE' : 'NO_CERTIFICATE_CHAIN_FOUND';
    d.fail(chain.code, chain.detail, 'INDETERMINATE', sub);
  }
  if (!mayMakeSignatures(signer.cert)) d.fail('key-usage', 'the signer certificate allows neither digitalSignature nor nonRepudiation', 'INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE');
  await checkDigest(d, si, withAttributes, digesting);
  return state;
}

/**
 * Judges a seal in time, once its time-stamps are judged: `poe` is the best signature time
 * (undefined without a proof). With a proof, the path must be valid then, and revocation
 * data decides whether a revocation came before it (TOTAL_FAILED / REVOKED) or after (no
 * matter); a certificate expired by the validation time needs revocation data showing it was
 * not revoked at the best signature time. Without a proof the path is judged at the
 * validation time (and at the claimed signing time). Fills the level and validation data.
 */
async function judgeSeal(state: SealState, poe: { time: Date; documentTimestamps: TokenCheck[] } | undefined, ctx: Context): Promise<SignatureReportEntry> {
  const { draft: d, entry, signer } = state;
  const acceptedSigTs = state.tokens.find((t) => t.accepted);
  for (const t of state.tokens) if (!t.accepted) d.warn('timestamp-not-verified', t.entry?.reasons[0]?.detail ?? t.failure?.detail ?? 'not verified');
  if (acceptedSigTs?.genTime) {
    entry.signedAt = acceptedSigTs.genTime.toISOString();
    entry.signedAtSource = 'timestamp';
  } else if (state.claimed) {
    entry.signedAt = state.claimed.time.toISOString();
    entry.signedAtSource = state.claimed.source;
  } else if (signer) {
    entry.signedAtSource = 'validation-time';
  }
  if (!signer) return d.finish();
  const vt = ctx.validationTime;
  if (poe) entry.bestSignatureTime = poe.time.toISOString();
  let claimedAt = state.claimed?.time;
  if (claimedAt && claimedAt.getTime() > vt.getTime() + 5 * 60_000) {
    d.warn('signing-time-in-future', `the signature claims ${claimedAt.toISOString()}; certificates were checked at the validation time`);
    claimedAt = undefined;
  }
  const path = state.path ?? [signer];
  if (poe) {
    for (const v of validityProblems(path, ctx.anchors, poe.time)) {
      if (v.signer) d.fail(v.code, v.detail, 'TOTAL_FAILED', v.code === 'certificate-expired' ? 'EXPIRED' : 'NOT_YET_VALID');
      else d.fail(v.code, v.detail, 'INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE');
    }
  } else {
    // Without a proof of when it signed, certificates must be valid now (at the validation
    // time); and a claimed time outside their validity is not believed either way.
    let problems = validityProblems(path, ctx.anchors, vt);
    if (problems.length === 0 && claimedAt) problems = validityProblems(path, ctx.anchors, claimedAt);
    for (const v of problems) d.fail(v.code, v.detail, 'INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE');
  }

  // Revocation, certificate by certificate (trust anchors excepted).
  const summary: ValidationDataSummary = { certificates: [], revocation: [] };
  const touched = new Set<RevocationSourceItem>();
  let allCovered = state.path !== undefined;
  let latestUsed = -1;
  const at = poe?.time ?? claimedAt ?? vt;
  for (const [i, cert] of path.entries()) {
    const anchor = isAnchorEntry(cert, ctx) || (i === path.length - 1 && state.path !== undefined && i > 0);
    const c: ValidationCertificate = { subject: nameText(cert.cert.subject), sha256: toHex(await digestOf('SHA-256', cert.der)), source: sourceOf(cert, state, ctx, anchor) };
    summary.certificates.push(c);
    const issuer = path[i + 1];
    if (anchor || !issuer) continue;
    const { findings, refused, matched } = await revocationFor(cert, issuer, state.cmsCerts, ctx, state.own);
    for (const item of matched) touched.add(item);
    for (const f of findings) summary.revocation.push(revocationSummary(f, c.subject, true));
    for (const r of refused) summary.revocation.push({ type: r.item.type, source: r.item.source, certificate: c.subject, accepted: false, reason: r.reason });
    const judged = judgeRevocation(findings, cert, at);
    const who = i === 0 ? 'the signer certificate' : `the CA certificate ${c.subject}`;
    const expiredNow = vt.getTime() > cert.cert.notAfter.value.getTime();
    if (judged.verdict === 'revoked') {
      const r = judged.revokedAt;
      c.status = 'revoked';
      if (r) c.revokedAt = r.toISOString();
      latestUsed = Math.max(latestUsed, judged.finding.offset ?? -1);
      if (poe) {
        if (!r || r.getTime() <= poe.time.getTime()) d.fail('certificate-revoked', `${who} was revoked${r ? ` on ${r.toISOString()}` : ''}, before the best signature time ${poe.time.toISOString()}`, 'TOTAL_FAILED', 'REVOKED');
        else d.warn('certificate-revoked-after-signing', `${who} was revoked on ${r.toISOString()}, after a time-stamp proved the signature existed (${poe.time.toISOString()})`);
      } else if (r && claimedAt && claimedAt.getTime() >= r.getTime()) {
        d.fail('certificate-revoked', `${who} was revoked on ${r.toISOString()}, before the signature claims to have been made`, 'TOTAL_FAILED', 'REVOKED');
      } else {
        d.fail('certificate-revoked-no-poe', `${who} was revoked${r ? ` on ${r.toISOString()}` : ''} and no time-stamp proves the signature existed before`, 'INDETERMINATE', 'REVOKED_NO_POE');
      }
      continue;
    }
    if (judged.verdict === 'good') {
      c.status = 'good';
      latestUsed = Math.max(latestUsed, judged.finding.source === 'dss' ? (judged.finding.offset ?? -1) : -1);
    } else {
      allCovered = false;
      if (judged.verdict === 'unknown') c.status = 'unknown';
    }
    if (expiredNow && poe && cert.cert.notAfter.value.getTime() >= poe.time.getTime()) {
      if (judged.verdict === 'stale') d.fail('revocation-data-not-fresh', `${who} has expired, and its revocation data was issued before the best signature time`, 'INDETERMINATE', 'TRY_LATER');
      else if (judged.verdict !== 'good') d.fail('no-revocation-data', `${who} expired on ${cert.cert.notAfter.value.toISOString()}, and no revocation data shows it was not revoked when it signed`, 'INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE');
    }
  }
  // Pieces that matched no certificate of the path (another certificate's OCSP response, another CA's CRL) are listed once, refused.
  for (const item of [...state.own, ...ctx.data.revocation]) {
    if (touched.has(item) || !parsedRevocation(item)) continue;
    // About a certificate the verifier did look at (a time-stamping authority's): not this seal's business.
    if ([...(item.checks?.values() ?? [])].some((c) => c.ok || c.matches)) continue;
    if (item.type === 'OCSP') summary.revocation.push({ type: 'OCSP', source: item.source, accepted: false, reason: { code: 'ocsp-cert-id-mismatch', detail: 'the OCSP response is for a certificate outside this signature\'s path' } });
  }
  if (summary.revocation.length > 2 * ctx.limits.maxValidationItems) summary.revocation.length = 2 * ctx.limits.maxValidationItems;
  entry.validationData = summary;
  if (state.etsi) {
    let level: PadesLevel = 'B-B';
    if (poe) {
      level = 'B-T';
      if (allCovered) {
        level = 'B-LT';
        if (poe.documentTimestamps.some((t) => t.byteRange && t.byteRange[0] + t.byteRange[1] > latestUsed)) level = 'B-LTA';
      }
    }
    entry.level = level;
  }
  const finished = d.finish();
  const match = ctx.lists && state.path ? listedService(state.path[state.path.length - 1]!, ctx.lists.services) : undefined;
  if (match && state.path) finished.qualification = ctx.lists!.qualify(state.path, match, poe?.time ?? vt, finished.indication);
  return finished;
}

/** The trusted-list service whose certificate ends a path (the same object, or the same certificate carried by the signature). */
function listedService(anchor: CertEntry, services: ListAnchors['services']): ReturnType<ListAnchors['services']['get']> {
  const same = services.get(anchor);
  if (same) return same;
  for (const [entry, match] of services) if (equalBytes(entry.der, anchor.der)) return match;
  return undefined;
}

function sourceOf(cert: CertEntry, state: SealState, ctx: Context, anchor: boolean): ValidationDataSource {
  if (anchor) return 'trust-anchor';
  if (state.cmsCerts.some((c) => equalBytes(c.der, cert.der))) return 'signature';
  if (ctx.data.certs.some((c) => equalBytes(c.entry.der, cert.der))) return 'dss';
  return 'signature';
}

function revocationSummary(f: RevocationFinding, subject: string, accepted: boolean): ValidationRevocation {
  const out: ValidationRevocation = { type: f.type, source: f.source, certificate: subject, issuer: nameText(f.signer.cert.subject), status: f.status, thisUpdate: f.thisUpdate.toISOString(), accepted };
  if (f.revokedAt) out.revokedAt = f.revokedAt.toISOString();
  if (f.nextUpdate) out.nextUpdate = f.nextUpdate.toISOString();
  if (f.producedAt) out.producedAt = f.producedAt.toISOString();
  return out;
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
  const ctx: Context = { bytes, anchors, limits, validationTime, deadline, exclusive: true, budget: new VerificationBudget(hashBudget, limits.maxSignatureChecks, work), digestRanges, data: { certs: [], revocation: [] } };
  if (typeof options.trustedLists === 'object' && options.trustedLists !== null) {
    // Its own chunk: pages that never see a foreign seal never load it.
    const tl = await import('../trust-lists/qualify.ts');
    const listed = tl.listAnchors(options.trustedLists, limits.maxTrustedListAnchors);
    ctx.anchors = [...anchors, ...listed.anchors];
    ctx.lists = { services: listed.services, qualify: tl.qualify };
  }

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
  // follows. The last seal's (document time-stamps are not seals): its embedded evidence is
  // the one the seal vouches for.
  let last: { end: number; id: string } | undefined;
  let lastSeal: { end: number; id: string } | undefined;
  found.forEach((sig, i) => {
    const br = sig.byteRange;
    if (!br || sig.problems.some((p) => p.code.startsWith('byte-range'))) return;
    const end = br[2] + br[3];
    if (!last || end > last.end) last = { end, id: `sig-${i + 1}` };
    if (!isDocumentTimestamp(sig) && (!lastSeal || end > lastSeal.end)) lastSeal = { end, id: `sig-${i + 1}` };
  });

  // Validation data: the DSS of the last revision (read before anything else reads the file
  // concurrently, see digestRangesInPlace), and whether what follows the last signature only
  // adds it.
  let onlyValidationData = false;
  try {
    const dss = await readDss(bytes, { maxItems: limits.maxValidationItems, maxBytes: limits.maxValidationDataBytes });
    if (dss) {
      findings.summary.dss = { certificates: dss.certs.length, ocsps: dss.ocsps.length, crls: dss.crls.length, vri: dss.vri };
      if (dss.truncated) (findings.warnings ??= []).push({ code: 'validation-data-limit', detail: `only part of the DSS was read: ${dss.truncated}` });
      for (const c of dss.certs) {
        try {
          ctx.data.certs.push({ entry: certificateFromDer(c.der), offset: c.offset });
        } catch {
          (findings.warnings ??= []).push({ code: 'validation-data-unreadable', detail: 'a DSS certificate could not be read' });
        }
      }
      for (const o of dss.ocsps) ctx.data.revocation.push({ type: 'OCSP', der: o.der, source: 'dss', offset: o.offset });
      for (const c of dss.crls) ctx.data.revocation.push({ type: 'CRL', der: c.der, source: 'dss', offset: c.offset });
    }
  } catch (err) {
    (findings.warnings ??= []).push({ code: 'validation-data-unreadable', detail: `the DSS could not be read: ${errorText(err)}` });
  }
  if (last && !onlyWhiteAfter(bytes, last.end)) onlyValidationData = await onlyAddsValidationData(bytes, last.end);

  // Seals and document time-stamps one after another; the passkey evidence does not depend
  // on their results, so it is read and checked meanwhile (started second, once the first
  // seal's hashing is under way on the platform's crypto threads).
  type Item = { state: SealState } | { entry: SignatureReportEntry } | { token: TokenCheck; end: number };
  const sealing = (async () => {
    const items: Item[] = [];
    let overBudget = false;
    for (const [i, sig] of found.entries()) {
      const id = `sig-${i + 1}`;
      if (performance.now() > deadline) {
        items.push({ entry: { id, kind: 'seal', indication: 'INDETERMINATE', reasons: [{ code: 'time-budget-exceeded', detail: `not verified: over the ${limits.timeBudgetMs} ms budget` }] } });
        continue;
      }
      if (overBudget) {
        items.push({ entry: { id, kind: 'seal', indication: 'INDETERMINATE', reasons: [{ code: 'budget-exceeded', detail: 'not verified: the work budget is spent' }] } });
        continue;
      }
      try {
        if (isDocumentTimestamp(sig)) items.push({ token: await documentTimestamp(sig, id, ctx), end: sig.byteRange ? sig.byteRange[2] + sig.byteRange[3] : 0 });
        else items.push({ state: await verifySeal(sig, id, ctx) });
      } catch (err) {
        if (err instanceof BudgetExceededError) {
          overBudget = true;
          docFail(findings, 'budget-exceeded', err.message, 'INDETERMINATE');
          items.push({ entry: { id, kind: 'seal', indication: 'INDETERMINATE', reasons: [{ code: 'budget-exceeded', detail: err.message }] } });
        } else {
          items.push({ entry: { id, kind: 'seal', indication: 'INDETERMINATE', reasons: [{ code: 'verifier-error', detail: errorText(err) }] } });
        }
      }
    }
    return items;
  })();
  // The first seal's digest has been started by now (synchronously, above); from here on the
  // evidence reader reads the file too, so nothing may move its bytes any more.
  ctx.exclusive = false;
  const evidence = lastSeal ? evidenceEntries(bytes.subarray(0, lastSeal.end), lastSeal.id, options, limits, findings, deadline) : Promise.resolve([]);
  evidence.catch(() => undefined);
  const items = await sealing;
  const entries = await judgeInTime(items, ctx, findings);

  if (last) {
    const whole = onlyWhiteAfter(bytes, last.end);
    findings.summary.wholeDocumentSigned = whole;
    if (!whole && onlyValidationData) findings.summary.onlyValidationDataAfter = true;
    if (!whole && !onlyValidationData) {
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

function isDocumentTimestamp(sig: FoundSignature): boolean {
  return sig.subFilter === 'ETSI.RFC3161';
}

/** A document time-stamp: its structure, and its token over the signed ranges. */
async function documentTimestamp(found: FoundSignature, id: string, ctx: Context): Promise<TokenCheck> {
  const br = found.byteRange;
  const problem = found.problems.find((p) => p.code !== 'duplicate-keys');
  if (!br || !found.contents || problem) {
    const out: TokenCheck = { id, type: 'document', certs: [] };
    out.failure = { code: problem?.code ?? 'contents-missing', detail: problem?.detail ?? 'no /ByteRange or /Contents', indication: 'TOTAL_FAILED', sub: 'FORMAT_FAILURE' };
    return out;
  }
  const imprint = async (hash: DigestName): Promise<Uint8Array> => {
    if (ctx.digestRanges) return startDigest(ctx, br, hash);
    ctx.budget.hash(br[1] + br[3]);
    return digestOf(hash, signedRanges(ctx.bytes, br, true));
  };
  const token = await checkToken(id, 'document', found.contents, imprint, ctx);
  token.byteRange = [...br];
  return token;
}

/**
 * The second pass: document time-stamps judged from the newest back (each relied on at the
 * time of the next one that covers it, the newest at the validation time), then each seal's
 * own time-stamps, its best signature time, and the seal itself at that time.
 */
async function judgeInTime(items: readonly ({ state: SealState } | { entry: SignatureReportEntry } | { token: TokenCheck; end: number })[], ctx: Context, findings: DocumentFindings): Promise<SignatureReportEntry[]> {
  const docs = items.flatMap((it) => ('token' in it ? [{ token: it.token, end: it.end }] : [])).sort((a, b) => a.end - b.end);
  const seals = items.flatMap((it) => ('state' in it ? [it.state] : []));
  const coversEnd = (t: TokenCheck, end: number) => !!t.byteRange && end <= t.byteRange[0] + t.byteRange[1];
  const earliest = (ts: readonly TokenCheck[]) => ts.reduce<Date | undefined>((m, t) => (t.genTime && (!m || t.genTime < m) ? t.genTime : m), undefined);
  for (let j = docs.length - 1; j >= 0; j--) {
    const doc = docs[j]!;
    const later = docs.slice(j + 1).filter((o) => o.token.accepted && coversEnd(o.token, doc.end)).map((o) => o.token);
    const covers = [...seals.filter((st) => st.end > 0 && coversEnd(doc.token, st.end)).map((st) => st.entry.id), ...docs.slice(0, j).filter((o) => coversEnd(doc.token, o.end)).map((o) => o.token.id)];
    try {
      await judgeToken(doc.token, earliest(later) ?? ctx.validationTime, covers, ctx);
    } catch (err) {
      if (!(err instanceof BudgetExceededError)) throw err;
      doc.token.accepted = false;
      doc.token.entry = { id: doc.token.id, type: 'document', indication: 'INDETERMINATE', reasons: [{ code: 'budget-exceeded', detail: err.message }] };
      docFail(findings, 'budget-exceeded', err.message, 'INDETERMINATE');
    }
  }
  const byId = new Map<string, SignatureReportEntry>();
  const timestamps: TimestampReportEntry[] = [];
  for (const st of seals) {
    const covering = docs.filter((o) => o.token.accepted && st.end > 0 && coversEnd(o.token, st.end)).map((o) => o.token);
    const ref = earliest(covering) ?? ctx.validationTime;
    try {
      for (const t of st.tokens) {
        await judgeToken(t, ref, [st.entry.id], ctx);
        timestamps.push(t.entry!);
      }
      const best = earliest([...st.tokens.filter((t) => t.accepted), ...covering]);
      byId.set(st.entry.id, await judgeSeal(st, best ? { time: best, documentTimestamps: covering } : undefined, ctx));
    } catch (err) {
      if (!(err instanceof BudgetExceededError)) throw err;
      docFail(findings, 'budget-exceeded', err.message, 'INDETERMINATE');
      byId.set(st.entry.id, { id: st.entry.id, kind: 'seal', indication: 'INDETERMINATE', reasons: [{ code: 'budget-exceeded', detail: err.message }] });
    }
  }
  for (const d of docs) {
    const entry = d.token.entry;
    if (!entry) continue;
    timestamps.push(entry);
    // A failed document time-stamp is a changed revision or a forged token: the document says so.
    if (entry.indication === 'TOTAL_FAILED') {
      const first = entry.reasons[0];
      docFail(findings, first?.code ?? 'timestamp-failed', `document time-stamp ${entry.id}: ${first?.detail ?? 'failed'}`, 'TOTAL_FAILED', entry.subIndication);
    }
  }
  if (timestamps.length > 0) findings.timestamps = timestamps;
  return items.flatMap((it) => ('state' in it ? [byId.get(it.state.entry.id)!] : 'entry' in it ? [it.entry] : []));
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
  const asked = opts.validationTime instanceof Date && Number.isFinite(opts.validationTime.getTime()) ? opts.validationTime : opts.now;
  const validationTime = asked instanceof Date && Number.isFinite(asked.getTime()) ? new Date(asked.getTime()) : new Date();
  const findings: DocumentFindings = {};
  let entries: SignatureReportEntry[] = [];
  try {
    entries = await run(bytes, opts, validationTime, findings);
  } catch (err) {
    docFail(findings, 'verifier-error', errorText(err), 'INDETERMINATE');
  }
  return verificationReport(entries, validationTime, findings);
}
