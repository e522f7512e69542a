/**
 * Trusted lists (ETSI TS 119 612) as Overa passes them around once read and verified: plain
 * JSON-able data, the same whether a server verified the XML (and serves it from
 * GET /api/v1/trust) or `<overa-verify>` verified a list file itself. Reading the XML and its
 * signature lives in ./load.ts (a chunk of its own: an XML parser and XMLDSig); judging a
 * seal against these lists lives in ./qualify.ts.
 */

/** Service type identifiers (TS 119 612, 5.5.1) Overa looks at; any other is kept as given. */
export const SERVICE_TYPE = {
  caQc: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC',
  caPkc: 'http://uri.etsi.org/TrstSvc/Svctype/CA/PKC',
  tsaQtst: 'http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST',
} as const;

const STATUS_BASE = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/';

/**
 * Statuses under which a CA/QC service's certificates count as qualified (TS 119 615, 4.3):
 * `granted` since eIDAS (1 July 2016), and the Directive 1999/93/EC statuses that mean the
 * same before that date (`undersupervision`, `supervisionincessation`, `accredited`).
 */
export const GRANTED_STATUSES: ReadonlySet<string> = new Set(['granted', 'undersupervision', 'supervisionincessation', 'accredited'].map((s) => STATUS_BASE + s));

/** `granted`, `withdrawn`, … — the last path segment of a status URI (what reports and elements show). */
export function shortStatus(uri: string): string {
  return uri.startsWith(STATUS_BASE) ? uri.slice(STATUS_BASE.length) : uri;
}

const SVC_INFO_EXT = 'http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/';

/** Qualifier URIs of the Qualifications extension (TS 119 612, 5.5.9.2.3), by their short name. */
export const QUALIFIERS = [
  'QCStatement',
  'NotQualified',
  'QCForESig',
  'QCForESeal',
  'QCForWSA',
  'QCWithSSCD',
  'QCNoSSCD',
  'QCSSCDStatusAsInCert',
  'QCWithQSCD',
  'QCNoQSCD',
  'QCQSCDStatusAsInCert',
  'QCQSCDManagedOnBehalf',
  'QCForLegalPerson',
] as const;
export type Qualifier = (typeof QUALIFIERS)[number];

/** The short name of a qualifier URI, or undefined for one Overa does not know. */
export function qualifierName(uri: string): Qualifier | undefined {
  if (!uri.startsWith(SVC_INFO_EXT)) return undefined;
  const name = uri.slice(SVC_INFO_EXT.length);
  return (QUALIFIERS as readonly string[]).includes(name) ? (name as Qualifier) : undefined;
}

/** Additional service information URIs (TS 119 612, 5.5.9.4) that say which use a service is for. */
export const SERVICE_USES = {
  esig: SVC_INFO_EXT + 'ForeSignatures',
  eseal: SVC_INFO_EXT + 'ForeSeals',
  wsa: SVC_INFO_EXT + 'ForWebSiteAuthentication',
} as const;

/**
 * Which certificates a qualification applies to (a CriteriaList, TS 119 612, 5.5.9.2.2):
 * `assert` over policy sets (every OID of a set among the certificate's policies) and key
 * usage bits. Other criteria (extended key usage, other extensions) are kept in `other`, and
 * a list that needs them matches no certificate: Overa does not guess.
 */
export interface QualificationCriteria {
  assert: 'all' | 'atLeastOne' | 'none';
  policySets: string[][];
  /** Key usage requirements: bit name (`nonRepudiation`, `digitalSignature`, …) → must be set or clear. */
  keyUsage: Record<string, boolean>[];
  /** Nested criteria lists. */
  nested: QualificationCriteria[];
  /** Names of criteria Overa does not evaluate; a non-empty list makes the criteria unmatched. */
  other: string[];
}

export interface QualificationRule {
  qualifiers: Qualifier[];
  criteria: QualificationCriteria;
}

/** One state of a service: the current one, or one of its history (TS 119 612, 5.6). */
export interface ServiceState {
  /** Service type identifier URI (e.g. …/Svctype/CA/QC). */
  type: string;
  /** Service status URI. */
  status: string;
  /** StatusStartingTime, ISO 8601. */
  from: string;
  /** When the next state started (ISO 8601); absent for the current state. */
  to?: string;
  /** The Qualifications extension, rule by rule. */
  qualifications: QualificationRule[];
  /** AdditionalServiceInformation URIs (e.g. …/SvcInfoExt/ForeSeals). */
  additionalInfo: string[];
}

export interface TrustedService {
  name: string;
  /** The service's digital identity: its certificates (base64 DER). */
  certificates: string[];
  /** Its subject key identifiers (hex), listed or taken from the certificates. */
  skis: string[];
  /** X509SubjectName values as listed. */
  subjectNames: string[];
  /** The current state first, then the history, newest first. */
  states: ServiceState[];
}

export interface TrustServiceProvider {
  name: string;
  tradeNames: string[];
  services: TrustedService[];
}

/** A pointer from a list (usually the EU list of lists) to another list. */
export interface TrustedListPointer {
  location: string;
  territory?: string;
  /** TSLType URI of the list pointed to. */
  type?: string;
  mimeType?: string;
  /** Certificates (base64 DER) allowed to sign the list pointed to. */
  signingCertificates: string[];
}

export interface TrustedList {
  /** TSLType URI (EUlistofthelists, EUgeneric, …). */
  type: string;
  /** True for a list of lists. */
  listOfLists: boolean;
  territory: string;
  operator: string;
  sequenceNumber: number;
  /** ListIssueDateTime, ISO 8601. */
  issued: string;
  /** NextUpdate, ISO 8601; absent for a closed list. */
  nextUpdate?: string;
  pointers: TrustedListPointer[];
  providers: TrustServiceProvider[];
}

/** Why a list was not used. */
export type TrustedListRefusal =
  | 'not-xml'
  | 'not-a-trusted-list'
  | 'too-large'
  | 'no-signature'
  | 'signature-not-covering-list'
  | 'signature-invalid'
  | 'signer-not-pinned'
  | 'no-pinned-certificates'
  | 'expired'
  | 'not-yet-issued'
  | 'unsupported-signature'
  | 'territory-mismatch';

/** A list read and verified, with who signed it. */
export interface VerifiedTrustedList {
  list: TrustedList;
  /** SHA-256 (hex) of the pinned certificate whose key verified the list's signature. */
  signer: string;
  /** The signer's subject. */
  signerSubject: string;
  /** When it was verified (ISO 8601). */
  verifiedAt: string;
  /** Where it was loaded from (URL or file name), when known. */
  location?: string;
}

export type TrustedListResult = { ok: true; verified: VerifiedTrustedList } | { ok: false; reason: TrustedListRefusal; detail: string; location?: string };

/**
 * What a verifier is given to judge qualified status: verified lists (the services of
 * national lists; a list of lists contributes no services). The same object whether it came
 * from GET /api/v1/trust (`include=services`) or from a list file checked in the browser.
 */
export interface TrustedListSet {
  lists: VerifiedTrustedList[];
}
