/**
 * Issued documents: the API's view of one (`GET documents/:id`), and the evidence file that
 * rides inside every issued PDF (`overa-evidence.json`, covered by the agency seal), so that a
 * verifier holding only the PDF can recheck every passkey signature and the application data.
 */
import type { JsonValue } from './canonical-json.ts';
import type { ApplicationData, LocalizedText } from './forms/definition.ts';
import type { PasskeyEvidence } from './signing/payload.ts';
import type { PadesLevel } from './report.ts';

/** The name of the embedded evidence file. */
export const EVIDENCE_FILE_NAME = 'overa-evidence.json';

export type DocumentStatus = 'valid' | 'revoked' | 'superseded';

/** How an official came to decide, when not in their own right. */
export interface SignatureMandate {
  /** `delegated`: a lower rank approving by rule; `proxy`: a substitute for an absent official. */
  kind: 'delegated' | 'proxy';
  /** Whom they acted for (a name), when known. */
  onBehalfOf?: string;
}

/** One passkey signature in the evidence file. */
export interface EvidenceSignature {
  /** The signature's id on the issuing server. */
  id: string;
  /** The role in which the signer acted (a decision's step role); null when none was recorded. */
  role: string | null;
  /** Delegated or proxy decision; null when the signer acted in their own right. */
  mandate: SignatureMandate | null;
  /**
   * The canonical content the signature's `payload.digest` covers, when it is not the
   * application content below (a decision, say), so that the digest can be recomputed.
   */
  content?: JsonValue;
  evidence: PasskeyEvidence;
}

/** An attachment of the application, by content. */
export interface EvidenceAttachment {
  id: string;
  field: string;
  sha256: string;
  size: number;
  mediaType: string;
  filename: string;
}

/**
 * `overa-evidence.json`: RFC 8785 canonical JSON. `application.content` is exactly what the
 * applicant's signature covers (`contentDigest` of it is `application.contentDigest`).
 */
export interface DocumentEvidence {
  v: 1;
  kind: 'overa-evidence';
  /** The WebAuthn relying party the passkey signatures were made for: its RP ID and the origins allowed. */
  rp: { id: string; origins: string[] };
  document: {
    id: string;
    verificationCode: string;
    verificationUrl: string;
    agencyId: string;
    agencyName: string;
    title: LocalizedText;
    formId: string;
    formVersion: number;
    trackingNumber: string;
    issuedAt: string;
    validUntil: string | null;
  };
  application: {
    id: string;
    content: { formId: string; formVersion: number; data: ApplicationData; attachments: string[] };
    contentDigest: string;
    attachments: EvidenceAttachment[];
  };
  signatures: EvidenceSignature[];
}

/** `GET documents/:id`. */
export interface DocumentView {
  id: string;
  applicationId: string;
  trackingNumber: string;
  agencyId: string;
  formId: string;
  formVersion: number;
  title: LocalizedText;
  status: DocumentStatus;
  verificationCode: string;
  verificationUrl: string;
  issuedAt: string;
  validUntil: string | null;
  /** Hex SHA-256 and size of the PDF bytes. */
  sha256: string;
  size: number;
  /**
   * `level`: the PAdES baseline level the stored PDF reached (B-B; B-T with a signature
   * time-stamp; B-LT with validation data in a DSS; B-LTA with a document time-stamp over it).
   * `ltvPending`: the configured level is not reached yet (a responder did not answer at
   * issuance); the archive job retries. `archiveUntil`: when the newest time-stamp's
   * certificate ends, before which an archive time-stamp renews the proof (null: none).
   */
  seal: { certificateSha256: string; timestamped: boolean; level: PadesLevel; ltvPending: boolean; archiveUntil: string | null };
  revocation: { at: string; reason: string; supersededBy: string | null } | null;
}

/** PAdES baseline levels (ETSI EN 319 142-1), lowest first; the type is the verifier report's. */
export const PADES_LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const satisfies readonly PadesLevel[];
export type { PadesLevel };

/**
 * What a code check shows of a valid document, to compare with the paper or file in hand:
 * the holder and subject its form names (`document.codeCheck`), the fingerprint of its content,
 * and the genuine PDF itself (`GET verify/:code/pdf`).
 */
export interface DocumentCheckFacts {
  /** The holder's name (the form's `document.codeCheck.holder` answers); null when the form names none. */
  holder: LocalizedText | null;
  /** What the document is about (e.g. the parcel): the form's `document.codeCheck.subject` answers, each with its label. */
  subject: { label: LocalizedText; value: LocalizedText }[];
  /**
   * `sha256:` + base64url of the application's canonical content (what the applicant signed);
   * the document prints its fingerprint (core `formatFingerprint`) with its facts.
   */
  contentDigest: string;
  /** Size in bytes of the sealed PDF served by `GET verify/:code/pdf`. */
  pdfSize: number;
}

/**
 * `GET verify/:code` (public): what anyone holding a document's code may learn: the type, the
 * issuer, the dates, the state, and the SHA-256 of the genuine PDF, so a file in hand can be
 * compared with it; while the document is valid, also the few facts its form names for
 * comparing (`facts`; docs/security.md says what they are and why).
 */
export interface PublicDocumentStatus {
  verificationCode: string;
  status: DocumentStatus;
  title: LocalizedText;
  issuer: { id: string; name: string };
  issuedAt: string;
  validUntil: string | null;
  /** Hex SHA-256 of the issued PDF. */
  sha256: string;
  revokedAt: string | null;
  revocationReason: string | null;
  /** The verification code of the document that replaces this one, if any. */
  supersededBy: string | null;
  /** What to compare with the document in hand, and its PDF: only while it is valid (null otherwise). */
  facts: DocumentCheckFacts | null;
}
