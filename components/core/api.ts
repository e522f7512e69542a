/**
 * The JSON the HTTP API exchanges for forms, uploads and applications: one set of types,
 * used by the server to shape its answers and by the client to read them.
 */
import type { ApplicationData, FeeSpec, LocalizedText } from './forms/definition.ts';
import type { PasskeyEvidence, SigningPayload } from './signing/payload.ts';
import type { DecisionKind } from './signing/decision.ts';
import type { DocumentStatus, DocumentView } from './documents.ts';
import type { AGENCY_TIME_ZONE } from './time-zone.ts';

export type ApplicationStatus = 'draft' | 'submitted' | 'in_review' | 'approved' | 'issued' | 'returned' | 'rejected';

/** One entry of `GET /forms`. */
export interface FormSummary {
  id: string;
  version: number;
  agencyId: string;
  title: LocalizedText;
  description?: LocalizedText | undefined;
  signatureRequired: boolean;
  /** `internal` forms are listed only to officials of their agency. */
  audience?: 'public' | 'internal';
}

/** What `POST /uploads` answers. */
export interface StoredUpload {
  id: string;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  size: number;
  /** Detected from the bytes, never taken from the name or the client's Content-Type. */
  mediaType: string;
  /** The client's file name, sanitised, for display only. */
  filename: string;
}

/** An attachment of an application: the upload, and the file field it answers. */
export interface AttachmentView extends StoredUpload {
  field: string;
}

/** An application as the API shows it. */
export interface ApplicationView {
  id: string;
  trackingNumber: string;
  formId: string;
  formVersion: number;
  agencyId: string;
  ownerId: string;
  status: ApplicationStatus;
  data: ApplicationData;
  attachments: AttachmentView[];
  signatureId: string | null;
  /** The official's comment when the application was returned for changes. */
  returnComment: string | null;
  /** Optimistic-concurrency version: send it back as `If-Match`. */
  version: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  /** The issued document (`GET documents/:id`), once the application is `issued`. */
  documentId?: string | null;
  /** The fee to pay, when the form states one (absent otherwise). */
  fee?: ApplicationFeeView;
}

/** Whether an application's fee was marked paid by an official. */
export type FeeState = 'awaiting' | 'paid';

/**
 * An application's fee: the form's fee (FeeSpec), the model-97 reference made from its tracking
 * number, and whether it was marked paid. `feePaymentOrder` / `feeIpsQrPayload` in core turn it
 * into the payment order and the NBS IPS QR text.
 */
export interface ApplicationFeeView extends FeeSpec {
  /** Always `97`. */
  referenceModel: '97';
  /** The model-97 reference (control digits first), digits only: `feeReference(trackingNumber)`. */
  reference: string;
  /** The account as 18 digits (as the IPS code and bank statements write it). */
  accountDigits: string;
  requiredBeforeApproval: boolean;
  state: FeeState;
  /** When it was marked paid, and (officials only) by whom and against which bank statement. */
  paid: { at: string; by?: PersonRef; statementReference?: string | null } | null;
}

/** One event in an application's life, from the audit log. */
export interface HistoryEntry {
  at: string;
  action: string;
  actor: string | null;
  data: Record<string, unknown>;
}

/** `GET /applications/:id`. */
export type ApplicationWithHistory = ApplicationView & { history: HistoryEntry[] };

/** One row of `GET /applications` (mine). */
export interface ApplicationSummary {
  id: string;
  trackingNumber: string;
  formId: string;
  formVersion: number;
  status: ApplicationStatus;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  /** Whether the fee is paid, when the form states one (absent otherwise). */
  fee?: FeeState;
}

/** A keyset-paged list. */
export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** A stored passkey signature (`POST /signatures`, `GET /signatures/:id`). */
export interface SignatureView {
  id: string;
  evidence: PasskeyEvidence;
}

// ---- Electronic approval (inbox, cases, decisions, delegations) ----

/** A person as the approval API names them. */
export interface PersonRef {
  id: string;
  displayName: string;
}

/** What can be decided on a step (`DECISIONS` in signing/decision.ts). */
export type Decision = DecisionKind;

/** Who decides a step: a role of an agency, or one named official. */
export type StepAssigneeView = { role: string; agencyId: string } | { userId: string; displayName: string | null };

/**
 * A step of the current round: `waiting` for earlier steps, `pending` (open for a decision),
 * `done` (decided) or `cancelled` (the round ended by a return or a rejection before it).
 */
export type StepState = 'waiting' | 'pending' | 'done' | 'cancelled';

/**
 * By what right a decision is (or can be) made: the step is `assigned` to the person or their
 * role; `delegated` — a lower role approves by the form's rule; `proxy` — a substitute acts for
 * an absent official in the window of a delegation.
 */
export type DecisionBasis = 'assigned' | 'delegated' | 'proxy';

/** For whom a delegated or proxy decision was made: the absent person, or the role of the step. */
export type OnBehalfOf = PersonRef | { role: string; agencyId: string };

export interface DecisionView {
  decision: Decision;
  comment: string | null;
  decidedBy: PersonRef;
  basis: DecisionBasis;
  /** Null when `basis` is `assigned`. */
  onBehalfOf: OnBehalfOf | null;
  signatureId: string;
  decidedAt: string;
}

export interface CaseStepView {
  id: string;
  kind: 'review' | 'agree' | 'approve';
  /** Steps with the same stage run together (parallel agree steps). */
  stage: number;
  assignee: StepAssigneeView;
  /** approve step only: roles that may approve by delegation. */
  delegateRoles: string[];
  state: StepState;
  decision: DecisionView | null;
  /** What the signed-in official may decide on this step now ([] when nothing). */
  allowedDecisions: Decision[];
  /** How the signed-in official would decide it (null when they cannot). */
  as: { basis: DecisionBasis; onBehalfOf: OnBehalfOf | null } | null;
  /**
   * Why the signed-in official may not decide this open step although it is theirs by right
   * (`allowedDecisions` is then empty); null when no such rule stands in the way. `four-eyes`:
   * they already decided step `step` of this round, and another official must decide this one.
   * `title` and `detail` are in English, as in the problem a decision would get.
   */
  refusal: StepRefusal | null;
}

/** A rule about the person that keeps them from deciding a step (CaseStepView.refusal). */
export interface StepRefusal {
  type: 'four-eyes';
  title: string;
  detail: string;
  /** The id of the step of this round they already decided. */
  step: string;
}

/** A history entry with the actor's name, for officials. */
export interface CaseHistoryEntry extends HistoryEntry {
  actorName: string | null;
}

/** `citizen`: a citizen's request; `internal`: an internal document drafted by an official. */
export type CaseOrigin = 'citizen' | 'internal';

/** `GET /cases/:id`: the application with its attachments, approval line and full history. */
export interface CaseView extends ApplicationView {
  origin: CaseOrigin;
  /** The citizen who applied, or the official who drafted (origin `internal`). */
  applicant: PersonRef;
  /** 1 for the first submission, +1 for each resubmission after a return. */
  round: number;
  /** The steps of the current round, in the line's order. */
  approvalLine: CaseStepView[];
  history: CaseHistoryEntry[];
  /** The legal time limit, when the form sets one. */
  deadline: CaseDeadline | null;
}

/**
 * Where a case stands against the time limit its form sets (components/core/deadlines.ts;
 * docs/server.md, "Legal deadlines"). Absent (null) when the form sets none.
 */
export interface CaseDeadline {
  /** `running`: awaiting a decision; `paused`: returned to the applicant, the clock stopped; `closed`: decided. */
  state: 'running' | 'paused' | 'closed';
  /** The last day of the time limit, `YYYY-MM-DD` in Serbia (null while paused before it was reached). */
  dueDate: string | null;
  /** The instant that day ends (ISO 8601). */
  dueAt: string | null;
  /** Running: local days from today to the due date (0 on the last day, negative once passed). */
  daysLeft: number | null;
  /** Running: `due-soon` within the server's `deadlineSoonDays`, `overdue` once the last day has ended. */
  status: 'on-time' | 'due-soon' | 'overdue' | null;
  /** Paused: the days of the time limit still left when the clock stopped. */
  remainingDays: number | null;
}

/** One row of `GET /inbox`. */
export interface InboxItem {
  id: string;
  trackingNumber: string;
  formId: string;
  formVersion: number;
  /** The handling agency (another one's when the reader's agency only takes part in its line). */
  agencyId: string;
  status: ApplicationStatus;
  version: number;
  origin: CaseOrigin;
  applicant: PersonRef;
  submittedAt: string;
  updatedAt: string;
  /** The open steps of the current round (several when parallel agree steps run). */
  pendingSteps: { id: string; kind: 'review' | 'agree' | 'approve'; assignee: StepAssigneeView }[];
  /** True when the signed-in official can decide one of the pending steps now. */
  actionable: boolean;
  /**
   * The fee, when the form states one: paid or not, and whether the line waits for it. A case
   * with `awaiting` and `requiredBeforeApproval` has no pending steps until an official marks it paid.
   */
  fee?: { state: FeeState; requiredBeforeApproval: boolean };
  /** The legal time limit, when the form sets one. */
  deadline: CaseDeadline | null;
}

/** `GET /inbox/events`: the data of a `case-updated` server-sent event. */
export interface CaseUpdatedEvent {
  id: string;
  status: ApplicationStatus;
  version: number;
  trackingNumber: string;
}

/** `GET /inbox/events`, event `document-received`: another agency sent this agency a document. */
export interface DocumentReceivedEvent {
  /** The reception (as in `GET /receptions`). */
  id: string;
  documentId: string;
  trackingNumber: string;
}

/** A proxy delegation (`POST /delegations`, `GET /delegations`). */
export interface DelegationView {
  id: string;
  /** The official who is away. */
  absent: PersonRef;
  /** Who acts for them. */
  substitute: PersonRef;
  agencyId: string;
  from: string;
  until: string;
  createdAt: string;
  revokedAt: string | null;
}

// ---- Distribution between agencies (documents/:id/distribute, reception) ----

/** A reception waits for the receiving agency's acknowledgement (`pending`), then is `accepted`. */
/** `rejected`: only a partner's document (issue 19) is rejected, with a reason. */
export type ReceptionStatus = 'pending' | 'accepted' | 'rejected';

/** A partner recipient's delivery (issue 19): the outbox state of the signed message, and the partner's receipt. */
export interface PartnerDelivery {
  /** The partner server's base URL. */
  server: string | null;
  messageId: string;
  delivery: 'queued' | 'delivering' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  /** The time of receipt the partner's receipt states. */
  receivedAt: string | null;
  /** The receipt (canonical JSON) and its detached CMS (base64 DER): proof of delivery. */
  receipt: { json: string; signature: string } | null;
  /** A rejection's reason. */
  reason: string | null;
}

/** A partner's document in the reception inbox (issue 19): where it came from and how it was checked. */
export interface PartnerReception {
  /** The sending server's base URL. */
  server: string;
  /** The certificate whose signature on the envelope was verified against the partner's pin. */
  seal: { subject: string; sha256: string; verified: boolean };
  receivedAt: string;
  /** Hex SHA-256 of the PDF, as the signed envelope gives it. */
  sha256: string;
  rejectionReason: string | null;
  /** Revoked by the sending agency since. */
  revocation: { at: string; reason: string } | null;
}

/** An agency an issued document was sent to (`recipients` of `GET documents/:id`). */
export interface DocumentRecipientView {
  agencyId: string;
  agencyName: string;
  status: ReceptionStatus;
  sentAt: string;
  acceptedAt: string | null;
  /** The receiving official's signed acknowledgement (`GET signatures/:id`), once accepted. */
  signatureId: string | null;
  /** A partner agency on another server (issue 19): the delivery of the signed message. */
  partner?: PartnerDelivery;
}

/** One event in an issued document's life (issued, sent, received, revoked), with the actor's name. */
export interface DocumentHistoryEntry extends HistoryEntry {
  actorName: string | null;
}

/**
 * `GET documents/:id` (and `POST documents/:id/distribute`): the document, the agencies it was
 * sent to and its history. The applicant and the issuing agency see every recipient; a
 * receiving agency sees only its own reception, and only its own sending and receipt in the history.
 */
export type DocumentDetails = DocumentView & {
  recipients: DocumentRecipientView[];
  history: DocumentHistoryEntry[];
};

/** `POST documents/:id/distribute`. */
export interface DistributeRequest {
  agencyIds: string[];
}

/** One agency a document can be sent to (`GET agencies`, issue 19): hosted on this server, or a partner on another. */
export interface DirectoryAgency {
  id: string;
  name: string;
  kind: 'local' | 'partner';
  /** A partner's server (base URL). */
  server?: string;
}

/** `GET agencies`: every agency the reader's agency could send a document to (its own left out). */
export interface AgencyDirectory {
  items: DirectoryAgency[];
}

/** One row of `GET reception` (a receiving agency's inbox), and the answer of `POST reception/:id/accept`. */
export interface ReceptionItem {
  /** The reception's id (`reception/:id`, and the signing subject `{type: "reception", id}`). */
  id: string;
  documentId: string;
  /** The document's title as issued. */
  title: LocalizedText;
  issuingAgency: { id: string; name: string };
  /** The issuing agency's case number. */
  trackingNumber: string;
  /** Whether the document is still valid, or was revoked or superseded since. */
  documentStatus: DocumentStatus;
  sentAt: string;
  status: ReceptionStatus;
  acceptedAt: string | null;
  acceptedBy: PersonRef | null;
  /** The acknowledgement's passkey signature, once accepted. */
  signatureId: string | null;
  /** Sent by a partner agency from another server (issue 19); its PDF is `GET reception/:id/pdf`. */
  partner?: PartnerReception;
}

/** `POST reception/:id/accept`. */
export interface AcceptReceptionRequest {
  /** A signature on `{type: "reception", id}`, action `accept` (`POST signatures`). */
  signatureId: string;
}

// ---- open data (`GET open-data/statistics.json`, docs/server.md "Open data") ----

/**
 * One published figure: the number, or `null` with `suppressed: true` when it is below the
 * server's `minCount` (so that no small group of people can be singled out).
 */
export interface OpenDataFigure {
  value: number | null;
  suppressed: boolean;
}

/** One agency, form and month (the month of first submission, in Serbia). */
export interface OpenDataRow {
  agencyId: string;
  formId: string;
  /** `YYYY-MM`. */
  month: string;
  /** Requests first submitted in the month. */
  submitted: OpenDataFigure;
  /** Of them: approved (the final approval). */
  approved: OpenDataFigure;
  /** Returns to the applicant for changes (a request may be returned more than once). */
  returned: OpenDataFigure;
  rejected: OpenDataFigure;
  /** Of them: requests whose document was issued. */
  issued: OpenDataFigure;
  /** Of them: requests with a final outcome (approved or rejected); the times below are over these. */
  finished: OpenDataFigure;
  /** Days from first submission to the final outcome, to one decimal: the median… */
  medianDays: OpenDataFigure;
  /** …and the 90th percentile (nine in ten finished within it). */
  p90Days: OpenDataFigure;
  /** Of the finished requests whose form sets a legal time limit: those decided on or before their due date… */
  decidedOnTime?: OpenDataFigure;
  /** …and their share of those finished requests, a percentage to one decimal (published when at least `minCount` were decided). */
  onTimePercent?: OpenDataFigure;
}

/** `GET open-data/statistics.json`: service performance with no personal data. */
export interface OpenDataStatistics {
  /** The day the figures were read (`YYYY-MM-DD`, in Serbia); the current month is still running. */
  asOf: string;
  /** Months and days are counted in this time zone. */
  timeZone: typeof AGENCY_TIME_ZONE;
  /** Counts below this are suppressed; times need at least this many finished requests. */
  minCount: number;
  /** The query as applied (`null`: not filtered). */
  filters: { agency: string | null; form: string | null; from: string | null; to: string | null };
  /** The agencies and forms the rows name. */
  agencies: { id: string; name: string }[];
  forms: { id: string; title: LocalizedText | null }[];
  /** Ordered by agency, form and month. */
  rows: OpenDataRow[];
}

/**
 * `POST /signatures/options`: the payload to sign and the WebAuthn request options for it.
 * `PublicKey` is the options type of the side that runs the ceremony (SimpleWebAuthn's
 * `PublicKeyCredentialRequestOptionsJSON` in browser and server); core stays free of it.
 */
export interface SigningOptions<PublicKey = unknown> {
  flowId: string;
  payload: SigningPayload;
  publicKey: PublicKey;
}

// ---- The signed-in person's passkeys (GET/POST/DELETE me/passkeys) ----

/** One of the signed-in person's passkeys, as their account lists it (no key material). */
export interface PasskeyView {
  /** The credential id (base64url), as in `DELETE me/passkeys/:id`. */
  id: string;
  /** What the authenticator said it can be reached by: `internal`, `hybrid`, `usb`, `nfc`, `ble`… */
  transports: string[];
  /** `multiDevice`: a synced passkey (a password manager, a phone's account); `singleDevice`: bound to one device or key. */
  deviceType: 'singleDevice' | 'multiDevice' | null;
  /** Whether the passkey is backed up (synced) now. */
  backedUp: boolean;
  createdAt: string;
  /** The last sign-in or signature with it; null when never used since it was added. */
  lastUsedAt: string | null;
}

// ---- The signed-in person's e-mail address for notifications (GET me → mail, PUT/DELETE me/email…) ----

/** The language and script a person's mails are written in. */
export type MailLang = 'sr-Cyrl' | 'sr-Latn' | 'en';

/** What `GET me` (as `mail`) and the `me/email` calls tell an element about e-mail notifications. */
export interface MailStatus {
  /** SMTP is configured on the server: an element may offer notifications (else it says nothing of mail). */
  offered: boolean;
  /** The confirmed address, the only one mail goes to. */
  address: string | null;
  /** An address given but not confirmed yet: its code was sent to it. */
  pending: string | null;
  lang: MailLang | null;
  /** Notifications go to the confirmed address (false after "stop", or the unsubscribe link). */
  notifications: boolean;
}
