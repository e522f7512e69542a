/**
 * The JSON the HTTP API exchanges for forms, uploads and applications: one set of types,
 * used by the server to shape its answers and by the client to read them.
 */
import type { ApplicationData, LocalizedText } from './forms/definition.ts';
import type { PasskeyEvidence } from './signing/payload.ts';

export type ApplicationStatus = 'draft' | 'submitted' | 'in_review' | 'approved' | 'issued' | 'returned' | 'rejected';

/** One entry of `GET /forms`. */
export interface FormSummary {
  id: string;
  version: number;
  agencyId: string;
  title: LocalizedText;
  description?: LocalizedText | undefined;
  signatureRequired: boolean;
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
