/**
 * Verification reports, shaped like the EU DSS "simple report" (ETSI EN 319 102-1
 * indications): one overall indication, then one entry per signature with its own
 * indication, sub-indication and reasons. Every verifier in Overa returns these types —
 * passkey evidence now, the agency's PDF seal later — so `<overa-verify>` and the server
 * render one shape whatever was checked.
 */
import type { LocalizedText } from './forms/definition.ts';
import type { UserKind } from './user.ts';

/** The main status of a validation (ETSI EN 319 102-1, 5.1.3). */
export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

/**
 * Why a signature did not pass (ETSI EN 319 102-1, table 5, the subset Overa uses). Broad
 * categories for people and policies; the precise cause is in the entry's `reasons`.
 * TOTAL_FAILED: FORMAT_FAILURE … REVOKED. INDETERMINATE (ETSI) for the rest, though Overa also
 * uses SIG_CONSTRAINTS_FAILURE with TOTAL_FAILED: a passkey signature made for another origin
 * or without user verification is refused outright, not "maybe valid with more information".
 */
export const SUB_INDICATIONS = [
  'FORMAT_FAILURE',
  'HASH_FAILURE',
  'SIG_CRYPTO_FAILURE',
  'REVOKED',
  'SIG_CONSTRAINTS_FAILURE',
  'CHAIN_CONSTRAINTS_FAILURE',
  'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  'CRYPTO_CONSTRAINTS_FAILURE',
  'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
  'EXPIRED',
  'NOT_YET_VALID',
  'NO_SIGNING_CERTIFICATE_FOUND',
  'NO_CERTIFICATE_CHAIN_FOUND',
  'REVOKED_NO_POE',
  'OUT_OF_BOUNDS_NO_POE',
  'OUT_OF_BOUNDS_NOT_REVOKED',
  'NO_POE',
  'TRY_LATER',
  'SIGNED_DATA_NOT_FOUND',
] as const;

export type SubIndication = (typeof SUB_INDICATIONS)[number];

/**
 * One failed check. `code` is a stable, machine-readable kebab-case code (for example
 * `challenge-mismatch`, `origin-not-allowed`, `bad-signature`) that elements translate;
 * `detail` is English for logs and developers, never shown as the explanation itself.
 */
export interface ReportReason {
  code: string;
  detail?: string;
}

/** Who made a signature. A passkey evidence's `Signer` fits; a seal fills what its certificate says. */
export interface ReportSigner {
  displayName: string;
  id?: string;
  kind?: UserKind;
  agencyId?: string | null;
  roles?: string[];
}

/** What a signature covers (DSS "signature scope"): the content digest, and for passkeys the subject and action. */
export interface SignatureScope {
  /** `sha256:` + base64url, as in the signing payload. */
  digest: string;
  subject?: { type: string; id: string };
  action?: string;
}

/** The result for one signature. */
export interface SignatureReportEntry {
  /** Passkeys: the credential id (base64url), or '' when the evidence has none worth repeating. */
  id: string;
  kind: 'passkey' | 'seal';
  indication: Indication;
  subIndication?: SubIndication;
  /** Every failed check; empty when the indication is TOTAL_PASSED. */
  reasons: ReportReason[];
  signer?: ReportSigner;
  /** When the signature was made or accepted (ISO 8601), as claimed by the signed data or its holder. */
  signedAt?: string;
  /** Seals: where `signedAt` comes from; only 'timestamp' is a proof of when (DSS "POE"). */
  signedAtSource?: SigningTimeSource;
  scope?: SignatureScope;
  /** Seals: the PDF signature's /SubFilter, e.g. `ETSI.CAdES.detached` or `adbe.pkcs7.detached`. */
  subFilter?: string;
  /** Seals: the /ByteRange as found in the file. */
  byteRange?: number[];
  /**
   * Seals: whether this signature's ranges reach the end of the file. An earlier signature
   * followed by signed revisions does not; the report says when nothing signed follows.
   */
  coversWholeDocument?: boolean;
  /** Seals: the signing certificate. */
  certificate?: CertificateSummary;
  /** Seals: the certificate path found, signer first, trust anchor last (distinguished names). */
  chain?: string[];
  /** Passkeys read from a document: the id of the seal whose signed revision carries their evidence. */
  coveredBy?: string;
  /** Things a reader should know that did not fail a check (DSS "warnings"). */
  warnings?: ReportReason[];
  /**
   * Seals: the PAdES baseline level the signature reached as verified, not as claimed:
   * B-B (a signature), B-T (a verified time-stamp proves when it existed), B-LT (validation
   * data — certificates and revocation data for its chain — accepted from the document),
   * B-LTA (and a verified document time-stamp over that data).
   */
  level?: PadesLevel;
  /**
   * Seals: the best signature time (ISO 8601): the earliest time a verified time-stamp proves
   * the signature existed, time-stamps proven in turn by later document time-stamps. Absent
   * without such a proof: then certificates are judged at the validation time.
   */
  bestSignatureTime?: string;
  /** Seals: the validation data used to judge the signature, and where each piece came from. */
  validationData?: ValidationDataSummary;
  /**
   * Seals whose path ends at a service of a trusted list (ETSI TS 119 612): whether it is a
   * qualified electronic seal or signature, as EU DSS classifies it. Absent when the path
   * ends at another trust anchor (an agency's own root): nothing is claimed then.
   */
  qualification?: QualificationSummary;
}

/**
 * The qualification of a signature or seal (DSS "signature qualification", ETSI TS 119 172-4 /
 * TS 119 615): QESig/QESeal — qualified, made with a qualified certificate on a qualified device;
 * AdESig-QC/AdESeal-QC — advanced, with a qualified certificate; AdESig/AdESeal — advanced, the
 * certificate not qualified; NA — not applicable (the signature did not pass, or its use cannot
 * be told).
 */
export const QUALIFICATION_LEVELS = ['QESig', 'QESeal', 'AdESig-QC', 'AdESeal-QC', 'AdESig', 'AdESeal', 'NA'] as const;
export type QualificationLevel = (typeof QUALIFICATION_LEVELS)[number];

export interface QualificationSummary {
  level: QualificationLevel;
  /** The time the certificate's qualification was judged at (ISO 8601): the best signature time, else the validation time (as DSS). */
  at: string;
  /** The trusted list the service is on: its territory (e.g. `RS`, `AT`). */
  territory: string;
  /** The trust service provider and service (CA/QC …) whose certificate ends the path. */
  provider: string;
  service: string;
  /** The service type identifier URI at that time. */
  serviceType?: string;
  /** The service status at that time (`granted`, `withdrawn`, … — the last segment of its URI), and since when. */
  serviceStatus?: string;
  statusFrom?: string;
  /** What the certificate says (ETSI EN 319 412-5 QC statements). */
  qcCompliance: boolean;
  qcTypes: ('esign' | 'eseal' | 'web')[];
  qcSscd: boolean;
  /** The list's qualifiers that apply to the certificate (QCWithQSCD, QCForESeal, …). */
  qualifiers: string[];
  /** The outcome: a qualified certificate, on a qualified device, for this use. */
  qualifiedCertificate: boolean;
  qscd: boolean;
  use?: 'esig' | 'eseal' | 'wsa';
  /** Why it is not qualified (or not applicable), first check first. */
  reasons: ReportReason[];
}

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

/**
 * Where a piece of validation data came from: the document's DSS dictionary, the
 * signature's own CMS (its certificates, CRLs or revocation attributes), a time-stamp token,
 * or the verifier's trust anchors.
 */
export type ValidationDataSource = 'dss' | 'signature' | 'timestamp' | 'trust-anchor';

/** A certificate of a path, as the report names it, with where it was found. */
export interface ValidationCertificate {
  subject: string;
  /** SHA-256 of the DER, hex. */
  sha256: string;
  source: ValidationDataSource;
  /** Its revocation status at the best signature time, when revocation data was accepted for it. */
  status?: 'good' | 'revoked' | 'unknown';
  /** When it was revoked (ISO 8601), when revocation data says so. */
  revokedAt?: string;
}

/** One OCSP response or CRL read from the document, accepted as evidence or not (and why). */
export interface ValidationRevocation {
  type: 'OCSP' | 'CRL';
  source: ValidationDataSource;
  /** The certificate it speaks of (its subject), when it was matched to one of the path's. */
  certificate?: string;
  /** Who signed it (the OCSP responder's or the CRL issuer's subject). */
  issuer?: string;
  status?: 'good' | 'revoked' | 'unknown';
  revokedAt?: string;
  thisUpdate?: string;
  nextUpdate?: string;
  /** OCSP: producedAt. */
  producedAt?: string;
  accepted: boolean;
  /** Why it was not accepted (a reason code such as `ocsp-cert-id-mismatch`). */
  reason?: ReportReason;
}

export interface ValidationDataSummary {
  /** The signer's path, signer first, with the source of each certificate. */
  certificates: ValidationCertificate[];
  /** The revocation data looked at for this path. */
  revocation: ValidationRevocation[];
}

/**
 * A time-stamp as the report lists it (DSS "timestamps"): signature time-stamps (in a seal's
 * CMS) and document time-stamps (/DocTimeStamp, ETSI.RFC3161), with their own indication.
 * A document time-stamp that fails its own checks makes the document fail.
 */
export interface TimestampReportEntry {
  /** `sig-N` for a document time-stamp (its place among the file's signature dictionaries), `sig-N-ts-M` for a signature's. */
  id: string;
  type: 'signature' | 'document';
  indication: Indication;
  subIndication?: SubIndication;
  reasons: ReportReason[];
  /** genTime (ISO 8601). */
  productionTime?: string;
  /** The time-stamping authority's certificate subject. */
  tsa?: string;
  /** Ids of the seals (and earlier document time-stamps) whose existence it proves. */
  covers?: string[];
  /** Document time-stamps: the /ByteRange. */
  byteRange?: number[];
  warnings?: ReportReason[];
}

/** Where a seal's signing time comes from. */
export type SigningTimeSource = 'timestamp' | 'signed-attribute' | 'pdf-dictionary' | 'validation-time';

/** A certificate as reports show it. */
export interface CertificateSummary {
  /** Distinguished name, most specific first (RFC 4514 order), e.g. `CN=Seal,O=Agency,C=RS`. */
  subject: string;
  issuer: string;
  /** Hex. */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the certificate's DER, hex: its fingerprint. */
  sha256: string;
  /** e.g. `EC P-256`, `RSA 3072`. */
  publicKey: string;
}

/** What a verifier found about a document as a whole rather than about one signature. */
export interface DocumentFindings {
  /** Set when the document itself decides the outcome (not a PDF, no signature, unsigned changes…). */
  indication?: Indication;
  subIndication?: SubIndication;
  reasons?: ReportReason[];
  warnings?: ReportReason[];
  summary?: DocumentSummary;
  /** Time-stamps found (signature and document time-stamps); failing ones count like entries. */
  timestamps?: TimestampReportEntry[];
}

/** What an Overa document's signed evidence file says it is (absent for other PDFs). */
export interface IssuedDocumentInfo {
  verificationCode?: string;
  title?: LocalizedText;
  agencyId?: string;
  agencyName?: string;
  issuedAt?: string;
  validUntil?: string;
}

export interface DocumentSummary {
  /** Bytes verified. */
  size: number;
  /** From the evidence file the last seal covers: the issuer's own description of the document. */
  issued?: IssuedDocumentInfo;
  /** True when the last signature covers the file to its end: nothing unsigned was added after it. */
  wholeDocumentSigned?: boolean;
  /**
   * True when what follows the last signature only adds validation data (a DSS dictionary
   * and its streams, the catalog changed for nothing else), as PAdES B-LT allows.
   */
  onlyValidationDataAfter?: boolean;
  /** Validation data the document carries in its DSS dictionary: counts of each kind. */
  dss?: { certificates: number; ocsps: number; crls: number; vri: number };
}

/** The result for a whole document (or a single piece of evidence). */
export interface VerificationReport {
  indication: Indication;
  subIndication?: SubIndication;
  signatures: SignatureReportEntry[];
  signaturesCount: number;
  validSignaturesCount: number;
  /** When the verification ran (ISO 8601). */
  validationTime: string;
  /** Problems with the document as a whole (e.g. `not-pdf`, `no-signature`, `unsigned-changes`). */
  reasons?: ReportReason[];
  /** Document-level warnings (e.g. unreadable trust anchors). */
  warnings?: ReportReason[];
  document?: DocumentSummary;
  /** Time-stamps, each with its own indication (signature time-stamps also shape their seal's best signature time). */
  timestamps?: TimestampReportEntry[];
}

const SEVERITY: Record<Indication, number> = { TOTAL_PASSED: 0, INDETERMINATE: 1, TOTAL_FAILED: 2 };

/**
 * The overall indication of a set of entries: the worst one wins (TOTAL_FAILED >
 * INDETERMINATE > TOTAL_PASSED), with the sub-indication of the first entry that has it.
 * No entries at all is INDETERMINATE: nothing was shown to be signed, so nothing passed.
 */
export function overallIndication(entries: readonly SignatureReportEntry[]): { indication: Indication; subIndication?: SubIndication } {
  if (entries.length === 0) return { indication: 'INDETERMINATE' };
  let worst = entries[0]!;
  for (const e of entries) if (SEVERITY[e.indication] > SEVERITY[worst.indication]) worst = e;
  return worst.subIndication === undefined ? { indication: worst.indication } : { indication: worst.indication, subIndication: worst.subIndication };
}

/**
 * Builds a report from its entries, deriving the overall indication and the counts. Document
 * findings with an indication count like one more entry, after the signatures (so, at equal
 * severity, a signature's sub-indication is the one shown).
 */
export function verificationReport(entries: SignatureReportEntry[], validationTime: Date = new Date(), document?: DocumentFindings): VerificationReport {
  const counted: SignatureReportEntry[] = [...entries];
  if (document?.indication) {
    const pseudo: SignatureReportEntry = { id: '', kind: 'seal', indication: document.indication, reasons: [] };
    if (document.subIndication) pseudo.subIndication = document.subIndication;
    counted.push(pseudo);
  }
  // A document time-stamp that fails (a changed revision, a forged token) counts like a
  // signature; one that is only not proven (an unknown TSA) just proves nothing, and
  // signature time-stamps only shape their seal's verdict.
  for (const t of document?.timestamps ?? []) {
    if (t.type !== 'document' || t.indication !== 'TOTAL_FAILED') continue;
    const pseudo: SignatureReportEntry = { id: t.id, kind: 'seal', indication: t.indication, reasons: [] };
    if (t.subIndication) pseudo.subIndication = t.subIndication;
    counted.push(pseudo);
  }
  const report: VerificationReport = {
    ...overallIndication(counted),
    signatures: entries,
    signaturesCount: entries.length,
    validSignaturesCount: entries.filter((e) => e.indication === 'TOTAL_PASSED').length,
    validationTime: validationTime.toISOString(),
  };
  if (document?.reasons?.length) report.reasons = document.reasons;
  if (document?.warnings?.length) report.warnings = document.warnings;
  if (document?.summary) report.document = document.summary;
  if (document?.timestamps?.length) report.timestamps = document.timestamps;
  return report;
}

/**
 * Reasons that say what happened better than their sub-indication does, when they decide a
 * report: a file that is no PDF is an input to correct, not a verdict; a /ByteRange that no
 * longer fits the file (a PDF re-saved by another program) is a change after sealing as much
 * as a digest that does not match.
 */
const HEADLINE_REASONS = {
  'not-pdf': 'not-pdf',
  empty: 'empty',
  'no-signature': 'no-signature',
  'unsigned-changes': 'unsigned-changes',
  'digest-mismatch': 'changed',
  'byte-range-out-of-bounds': 'changed',
  'byte-range-gap-not-contents': 'changed',
  'signature-dictionary-not-covered': 'changed',
  'content-mismatch': 'changed',
  'no-chain': 'untrusted-signer',
  'no-trust-anchors': 'no-trust-anchors',
  'too-large': 'too-large',
  'no-webcrypto': 'no-webcrypto',
} as const satisfies Record<string, string>;

/** The headlines a report can have: passed, one per sub-indication, the reasons above, and a generic one per indication. */
export const REPORT_HEADLINES = [
  'valid',
  ...new Set(Object.values(HEADLINE_REASONS)),
  ...SUB_INDICATIONS,
  'failed',
  'indeterminate',
] as const;

export type ReportHeadlineCode = 'valid' | (typeof HEADLINE_REASONS)[keyof typeof HEADLINE_REASONS] | SubIndication | 'failed' | 'indeterminate';

/** Input that was no document to check: the person chose the wrong file (a field error, not a verdict). */
const INPUT_ERRORS: ReadonlySet<ReportHeadlineCode> = new Set<ReportHeadlineCode>(['not-pdf', 'empty']);

/** What a report says in one line, reason first: the message `verify.headline.<code>` of components/i18n words it. */
export interface ReportHeadline {
  code: ReportHeadlineCode;
  /** Who sealed or signed the document, as its certificate names them (read even when the seal fails). */
  signer?: string;
  /** True when the file was no document at all (not a PDF, empty): ask for another file rather than give a verdict. */
  inputError: boolean;
}

/** The common name of a distinguished name (`CN=…`), else the whole name. */
export function commonNameOf(dn: string): string {
  return /(?:^|,)\s*CN=([^,]+)/.exec(dn)?.[1] ?? dn;
}

/** Who made a signature, as shown to people: the certificate's common name for a seal, the signer's name for a passkey. */
export function signerName(entry: SignatureReportEntry): string | undefined {
  return entry.certificate ? commonNameOf(entry.certificate.subject) : entry.signer?.displayName;
}

/**
 * The headline of a report, reason first: the entry that decided the overall indication (the
 * document itself, or the first signature with that indication and sub-indication), its
 * first reason when that reason says more than the sub-indication, else the sub-indication,
 * else the indication. The signer is the deciding seal's, or the first seal's.
 */
export function reportHeadline(report: VerificationReport): ReportHeadline {
  const seals = report.signatures.filter((e) => e.kind === 'seal');
  const deciding =
    report.indication === 'TOTAL_PASSED'
      ? undefined
      : report.signatures.find((e) => e.indication === report.indication && e.subIndication === report.subIndication);
  const named = [deciding, ...seals].map((e) => (e ? signerName(e) : undefined)).find((n) => n !== undefined);
  const headline = (code: ReportHeadlineCode): ReportHeadline => ({ code, ...(named !== undefined ? { signer: named } : {}), inputError: INPUT_ERRORS.has(code) });
  if (report.indication === 'TOTAL_PASSED') return headline('valid');
  // The first reason found is the first check that failed (reasons are in the order checks run).
  const first = deciding ? deciding.reasons[0] : report.reasons?.[0];
  const byReason = first ? (HEADLINE_REASONS as Record<string, ReportHeadlineCode | undefined>)[first.code] : undefined;
  if (byReason) return headline(byReason);
  if (report.subIndication) return headline(report.subIndication);
  return headline(report.indication === 'TOTAL_FAILED' ? 'failed' : 'indeterminate');
}
