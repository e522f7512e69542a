/**
 * overa/client: the one HTTP client every Overa element uses (base URL, session token,
 * problem+json errors, passkey ceremonies). Depends only on core, the browser's WebAuthn and,
 * where the browser cannot read WebAuthn JSON itself, @simplewebauthn/browser (loaded on demand).
 */
export {
  OveraClient,
  clientFor,
  apiBaseFor,
  preloadPasskeys,
  type PersistMode,
  type Session,
  type SessionListener,
  type RequestOptions,
  type RegisterOptionsResponse,
  type LoginOptionsResponse,
  type AuthResult,
  type SignInOptions,
} from './client.ts';
export {
  OveraError,
  OveraApiError,
  OveraNetworkError,
  OveraOriginError,
  OveraPasskeyError,
  passkeyError,
  problemCode,
  type PasskeyErrorCode,
} from './errors.ts';
export type { Problem, FieldError } from '../core/problem.ts';
export type { User, UserKind } from '../core/user.ts';
export {
  listForms,
  getForm,
  createApplication,
  updateApplication,
  submitApplication,
  getApplication,
  listMyApplications,
  newIdempotencyKey,
  type ApplicationInput,
  type WriteOptions,
} from './applications.ts';
export { uploadFile, type UploadOptions, type UploadProgress } from './upload.ts';
export type {
  ApplicationStatus,
  ApplicationSummary,
  ApplicationView,
  ApplicationWithHistory,
  AttachmentView,
  FormSummary,
  HistoryEntry,
  Page,
  StoredUpload,
} from '../core/api.ts';
export { fetchDocumentPdf, fetchDocumentPdfByCode, fetchReceivedPdf, getDocument, retryExchangeMessage } from './documents.ts';
export { distributeDocument, listAgencies } from './distribution.ts';
export type { DirectoryAgency, DocumentDetails, DocumentRecipientView } from '../core/api.ts';
export { listPasskeys, addPasskey, removePasskey } from './passkeys.ts';
export type { PasskeyView } from '../core/api.ts';
export { getMailStatus, setMailAddress, confirmMailAddress, setMailNotifications, removeMailAddress } from './mail.ts';
export type { MailStatus, MailLang } from '../core/api.ts';
export { getOpenDataStatistics, openDataUrl, type OpenDataFilters } from './statistics.ts';
export type { OpenDataStatistics, OpenDataRow, OpenDataFigure } from '../core/api.ts';
export { prepareSignature, completeSignature, getSignature, type SigningOptions } from './signatures.ts';
export type { SignatureView } from '../core/api.ts';
export type { SigningPayload, SigningSubject, PasskeyEvidence, Signer } from '../core/signing/payload.ts';
export {
  listInbox,
  getCase,
  decideCase,
  listDelegations,
  createDelegation,
  inboxEventsUrl,
  listReception,
  acceptReception,
  type InboxFilters,
  type DecisionInput,
} from './cases.ts';
export { markFeePaid, undoFeePaid } from './fees.ts';
export type {
  CaseView,
  CaseStepView,
  CaseHistoryEntry,
  InboxItem,
  Decision,
  DecisionView,
  DelegationView,
  CaseUpdatedEvent,
  PersonRef,
  ReceptionItem,
  ReceptionStatus,
} from '../core/api.ts';
