/**
 * Verification reports, shaped like the EU DSS "simple report" (ETSI EN 319 102-1
 * indications): one overall indication, then one entry per signature with its own
 * indication, sub-indication and reasons. Every verifier in Overa returns these types —
 * passkey evidence now, the agency's PDF seal later — so `<overa-verify>` and the server
 * render one shape whatever was checked.
 */
import type { UserKind } from './user.ts';

/** The main status of a validation (ETSI EN 319 102-1, 5.1.3). */
export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

/**
 * Why a signature did not pass (ETSI EN 319 102-1, table 5, the subset Overa uses). Broad
 * categories for people and policies; the precise cause is in the entry's `reasons`.
 */
export type SubIndication =
  // TOTAL_FAILED
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  // INDETERMINATE (ETSI), though Overa also uses SIG_CONSTRAINTS_FAILURE with TOTAL_FAILED:
  // a passkey signature made for another origin or without user verification is refused
  // outright, not "maybe valid with more information".
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'CERTIFICATE_CHAIN_GENERAL_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'REVOKED_NO_POE'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'OUT_OF_BOUNDS_NOT_REVOKED'
  | 'NO_POE'
  | 'TRY_LATER'
  | 'SIGNED_DATA_NOT_FOUND';

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
  scope?: SignatureScope;
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

/** Builds a report from its entries, deriving the overall indication and the counts. */
export function verificationReport(entries: SignatureReportEntry[], validationTime: Date = new Date()): VerificationReport {
  return {
    ...overallIndication(entries),
    signatures: entries,
    signaturesCount: entries.length,
    validSignaturesCount: entries.filter((e) => e.indication === 'TOTAL_PASSED').length,
    validationTime: validationTime.toISOString(),
  };
}
