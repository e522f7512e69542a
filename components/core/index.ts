/**
 * overa/core: DOM-free and Node-free logic shared by the elements and the server.
 * Nothing here imports the DOM, Node built-ins, an element or the server.
 */
export { canonicalJson, canonicalBytes, type JsonValue } from './canonical-json.ts';
export { sha256, canonicalSha256Hex } from './digest.ts';
export { formatFingerprint, fingerprintHex, SHORT_FINGERPRINT_DIGITS } from './fingerprint.ts';
export { toBase64Url, fromBase64Url, toHex } from './encoding.ts';
export { cyrillicToLatin, latinToCyrillic, isCyrillic, toScript, type SerbianScript } from './transliterate.ts';
export { PROBLEM_TYPE_BASE, type Problem, type FieldError } from './problem.ts';
export type { User, UserKind } from './user.ts';
export {
  FIELD_TYPES,
  MESSAGE_CODES,
  localize,
  valueKind,
  type FormDefinition,
  type FormField,
  type FieldType,
  type FieldOption,
  type FieldValue,
  type ApplicationData,
  type LocalizedText,
  type FormLang,
  type Condition,
  type ConditionValue,
  type When,
  type DateBound,
  type NamedValidator,
  type InputMode,
  type ValueKind,
  type ApprovalStep,
  type ApprovalStepKind,
  type Assignee,
  type DocumentSpec,
  type DocumentKind,
  type DocumentScript,
  type FormAudience,
  type DistributionSpec,
  type FeeSpec,
  type MessageCode,
  // Pages, repeating groups, prefill (issue 21).
  PREFILL_SOURCES,
  GROUP_MAX_ITEMS,
  groupMinItems,
  groupMaxItems,
  itemPath,
  itemTitle,
  parseFieldPath,
  type FormPage,
  type PrefillSource,
} from './forms/definition.ts';
export { visiblePages, visibleItemFields, type ShownPage } from './forms/pages.ts';
export { DECISIONS, decisionDigest, decisionMandate, decisionSubjectId, type DecisionKind, type DecisionContent, type DecisionMandate } from './signing/decision.ts';
export { applicationDigest, type ApplicationContent } from './signing/application.ts';
export { RECEPTION_ACTIONS, receptionDigest, receptionRejectionDigest, type ReceptionAction, type ReceptionContent } from './signing/reception.ts';
export { checkDefinition, type DefinitionProblem } from './forms/check.ts';
export {
  validateApplication,
  visibleFields,
  LIMITS,
  type ValidationIssue,
  type ValidationResult,
  type ValidateOptions,
  type UploadInfo,
  type IssueParams,
} from './forms/validate.ts';
export * as validators from './forms/validators.ts';
export {
  isValidJmbg,
  isValidPib,
  jmbgBirthDate,
  isRealDate,
  resolveDateBound,
  todayIn,
  type IssueCode,
  type Validator,
} from './forms/validators.ts';
export {
  jmbgSex,
  jmbgFacts,
  checkBirthDateAgainstJmbg,
  checkSexAgainstJmbg,
  type JmbgSex,
  type JmbgCrossCheck,
} from './forms/jmbg.ts';
export {
  MODEL97_MAX_LENGTH,
  model97ControlDigits,
  checkModel97Reference,
  isValidModel97Reference,
  model97FromTrackingNumber,
  type Model97Problem,
} from './payments/model97.ts';
export {
  buildIpsQrPayload,
  parseIpsQrPayload,
  normalizeAccount,
  isValidAccount,
  formatIpsAmount,
  IpsQrError,
  IPS_QR_LIMITS,
  type IpsPaymentOrder,
  type IpsPaymentOrderRead,
  type IpsQrField,
} from './payments/ips-qr.ts';
export {
  FEE_REFERENCE_MODEL,
  feeReference,
  feePaymentOrder,
  feeIpsQrPayload,
  feeAccountDigits,
  checkFee,
  type PaymentScript,
  type FeeProblem,
} from './payments/fee.ts';
export {
  overallIndication,
  verificationReport,
  type Indication,
  type SubIndication,
  type ReportReason,
  type ReportSigner,
  type SignatureScope,
  type SignatureReportEntry,
  type VerificationReport,
} from './report.ts';
export {
  signingPayload,
  payloadBytes,
  payloadChallenge,
  contentDigest,
  isDigest,
  digestFingerprint,
  type SigningPayload,
  type SigningSubject,
  type Signer,
  type PasskeyEvidence,
} from './signing/payload.ts';
export {
  verifyPasskeyEvidence,
  PASSKEY_EVIDENCE_LIMITS,
  type VerifyPasskeyOptions,
  type PasskeyReasonCode,
} from './signing/verify-evidence.ts';
export { verifyDocument, VERIFY_DOCUMENT_LIMITS, type VerifyDocumentOptions, type VerifyDocumentLimits } from './pdf/verify-document.ts';
export type { TrustAnchorInput } from './pdf/chain.ts';
export type { CertificateSummary, SigningTimeSource, DocumentSummary, DocumentFindings, QualificationLevel, QualificationSummary } from './report.ts';
// Types only: the trusted-list reader (XML, xmldsigjs) stays a chunk of its own (trust-lists/load.ts).
export type { TrustedList, TrustedListSet, VerifiedTrustedList, TrustedListResult, TrustedListRefusal, TrustedService, TrustServiceProvider, ServiceState } from './trust-lists/model.ts';
export type { DocumentView, DocumentStatus, DocumentEvidence, EvidenceSignature, EvidenceAttachment, SignatureMandate } from './documents.ts';
export { normalizeVerificationCode, readVerificationCode, type VerificationCodeReading, groupVerificationCode, CODE_ALPHABET, CODE_LENGTH, VERIFICATION_CODE_BITS } from './verification-code.ts';
export {
  checkDeadlineSpec,
  dueDate,
  deadlineStatus,
  dayEndsAt,
  MAX_DEADLINE_DAYS,
  SERBIAN_PUBLIC_HOLIDAYS_2026,
  type DeadlineSpec,
  type DeadlineSpecProblem,
  type RunningPeriod,
  type DueDate,
  type PausedDeadline,
  type DeadlineStatus,
} from './deadlines.ts';
