import type { LocalizedText } from '../../components/core/forms/definition.ts';
import type { PadesLevel } from '../../components/core/documents.ts';
import type { Conn } from './connection.ts';
import { documentRecipients } from './document-recipients.ts';

/** A document row without the PDF bytes (see `documents.pdf`). */
export interface DocumentRecord {
  id: string;
  applicationId: string;
  agencyId: string;
  ownerId: string;
  formId: string;
  formVersion: number;
  trackingNumber: string;
  /** The document's title as issued (localized text). */
  title: LocalizedText;
  verificationCode: string;
  issuedAt: number;
  validUntil: number | null;
  sha256: string;
  size: number;
  sealCertificateSha256: string;
  timestamped: boolean;
  /** The PAdES level the stored PDF reached (migration 010). */
  padesLevel: PadesLevel;
  /** The configured level is not reached yet; the archive job retries (`ltvError` says why). */
  ltvPending: boolean;
  ltvError: string | null;
  /** When the newest time-stamp's certificate ends (epoch ms). */
  archiveUntil: number | null;
  revokedAt: number | null;
  revokedBy: string | null;
  revocationReason: string | null;
  supersededBy: string | null;
  createdAt: number;
}

interface DocumentRow {
  id: string;
  application_id: string;
  agency_id: string;
  owner_id: string;
  form_id: string;
  form_version: number;
  tracking_number: string;
  title: string;
  verification_code: string;
  issued_at: number | string;
  valid_until: number | string | null;
  sha256: string;
  size: number | string;
  seal_certificate_sha256: string;
  timestamped: boolean | number;
  pades_level: string;
  ltv_pending: boolean | number;
  ltv_error: string | null;
  archive_until: number | string | null;
  revoked_at: number | string | null;
  revoked_by: string | null;
  revocation_reason: string | null;
  superseded_by: string | null;
  created_at: number | string;
}

// Every column but the PDF: lists and views never drag the bytes along.
const COLUMNS = [
  'id', 'application_id', 'agency_id', 'owner_id', 'form_id', 'form_version', 'tracking_number', 'title', 'verification_code', 'issued_at', 'valid_until',
  'sha256', 'size', 'seal_certificate_sha256', 'timestamped', 'pades_level', 'ltv_pending', 'ltv_error', 'archive_until', 'revoked_at', 'revoked_by', 'revocation_reason', 'superseded_by', 'created_at',
];

const num = (v: number | string | null) => (v == null ? null : Number(v));

function toRecord(r: DocumentRow): DocumentRecord {
  return {
    id: r.id,
    applicationId: r.application_id,
    agencyId: r.agency_id,
    ownerId: r.owner_id,
    formId: r.form_id,
    formVersion: Number(r.form_version),
    trackingNumber: r.tracking_number,
    title: JSON.parse(r.title) as LocalizedText,
    verificationCode: r.verification_code,
    issuedAt: Number(r.issued_at),
    validUntil: num(r.valid_until),
    sha256: r.sha256,
    size: Number(r.size),
    sealCertificateSha256: r.seal_certificate_sha256,
    timestamped: Boolean(r.timestamped),
    padesLevel: r.pades_level as PadesLevel,
    ltvPending: Boolean(r.ltv_pending),
    ltvError: r.ltv_error,
    archiveUntil: num(r.archive_until),
    revokedAt: num(r.revoked_at),
    revokedBy: r.revoked_by,
    revocationReason: r.revocation_reason,
    supersededBy: r.superseded_by,
    createdAt: Number(r.created_at),
  };
}

export const documents = {
  async insert(db: Conn, d: Omit<DocumentRecord, 'revokedAt' | 'revokedBy' | 'revocationReason' | 'supersededBy'>, pdf: Uint8Array): Promise<void> {
    await db('documents').insert({
      id: d.id,
      application_id: d.applicationId,
      agency_id: d.agencyId,
      owner_id: d.ownerId,
      form_id: d.formId,
      form_version: d.formVersion,
      tracking_number: d.trackingNumber,
      title: JSON.stringify(d.title),
      verification_code: d.verificationCode,
      issued_at: d.issuedAt,
      valid_until: d.validUntil,
      sha256: d.sha256,
      size: d.size,
      pdf: Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength),
      seal_certificate_sha256: d.sealCertificateSha256,
      timestamped: d.timestamped,
      pades_level: d.padesLevel,
      ltv_pending: d.ltvPending,
      ltv_error: d.ltvError,
      archive_until: d.archiveUntil,
      created_at: d.createdAt,
    });
  },

  async get(db: Conn, id: string): Promise<DocumentRecord | undefined> {
    const rows = (await db('documents').where({ id }).select(COLUMNS)) as DocumentRow[];
    return rows[0] && toRecord(rows[0]);
  },

  async byVerificationCode(db: Conn, code: string): Promise<DocumentRecord | undefined> {
    const rows = (await db('documents').where({ verification_code: code }).select(COLUMNS)) as DocumentRow[];
    return rows[0] && toRecord(rows[0]);
  },

  async codeTaken(db: Conn, code: string): Promise<boolean> {
    return (await db('documents').where({ verification_code: code }).select('id')).length > 0;
  },

  /** The PDF bytes. */
  async pdf(db: Conn, id: string): Promise<Buffer | undefined> {
    const rows = await db('documents').where({ id }).select('pdf');
    const pdf = rows[0]?.pdf as Buffer | Uint8Array | undefined;
    return pdf === undefined ? undefined : Buffer.isBuffer(pdf) ? pdf : Buffer.from(pdf);
  },

  /** The application's current document: the newest one not superseded. */
  async currentForApplication(db: Conn, applicationId: string): Promise<DocumentRecord | undefined> {
    const rows = (await db('documents')
      .where({ application_id: applicationId })
      .orderBy([{ column: 'issued_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      .select(COLUMNS)) as DocumentRow[];
    const list = rows.map(toRecord);
    return list.find((d) => d.supersededBy === null) ?? list[0];
  },

  /** The agencies a document was distributed to (`document_recipients`, see db/document-recipients.ts). */
  async recipientAgencies(db: Conn, id: string): Promise<string[]> {
    return documentRecipients.agenciesOf(db, id);
  },

  /** Revokes once (compare-and-set on revoked_at): false when it was revoked already. */
  async revoke(db: Conn, id: string, change: { at: number; by: string; reason: string; supersededBy: string | null }): Promise<boolean> {
    const n = await db('documents').where({ id }).whereNull('revoked_at').update({
      revoked_at: change.at,
      revoked_by: change.by,
      revocation_reason: change.reason,
      superseded_by: change.supersededBy,
    });
    return n === 1;
  },

  /**
   * Documents the archive job should look at (ids, oldest first): those whose configured level
   * is pending, and those whose newest time-stamp's certificate ends before `dueBefore`; none
   * claimed by another instance (`ltv_lease_until` in the future).
   */
  async dueForExtension(db: Conn, dueBefore: number, now: number, limit: number): Promise<string[]> {
    const rows = await db('documents')
      .where((q) => q.where({ ltv_pending: true }).orWhere((q2) => q2.whereNotNull('archive_until').andWhere('archive_until', '<', dueBefore)))
      .andWhere((q) => q.whereNull('ltv_lease_until').orWhere('ltv_lease_until', '<', now))
      .orderBy([{ column: 'issued_at', order: 'asc' }, { column: 'id', order: 'asc' }])
      .limit(limit)
      .select('id');
    return rows.map((r: { id: string }) => r.id);
  },

  /**
   * Claims a document for the archive job until `until` (compare-and-set on the lease, so of
   * several instances exactly one wins): true when this caller holds it.
   */
  async claimForExtension(db: Conn, id: string, now: number, until: number): Promise<boolean> {
    const n = await db('documents').where({ id })
      .andWhere((q) => q.whereNull('ltv_lease_until').orWhere('ltv_lease_until', '<', now))
      .update({ ltv_lease_until: until });
    return n === 1;
  },

  /** Lets go of a claim (after the work, or after a failure: the next run tries again). */
  async releaseExtension(db: Conn, id: string, change: { ltvError?: string | null } = {}): Promise<void> {
    await db('documents').where({ id }).update({ ltv_lease_until: null, ...(change.ltvError !== undefined ? { ltv_error: change.ltvError } : {}) });
  },

  /**
   * Replaces the stored PDF with an extended one (the old bytes are a prefix of the new: an
   * incremental update), compare-and-set on the previous SHA-256: false when it changed meanwhile.
   */
  async storeExtension(db: Conn, id: string, previousSha256: string, change: {
    pdf: Uint8Array; sha256: string; padesLevel: PadesLevel; archiveUntil: number | null; ltvPending: boolean;
  }): Promise<boolean> {
    const n = await db('documents').where({ id, sha256: previousSha256 }).update({
      pdf: Buffer.from(change.pdf.buffer, change.pdf.byteOffset, change.pdf.byteLength),
      sha256: change.sha256,
      size: change.pdf.length,
      pades_level: change.padesLevel,
      archive_until: change.archiveUntil,
      ltv_pending: change.ltvPending,
      ltv_error: null,
      ltv_lease_until: null,
    });
    return n === 1;
  },

  /** Every document's level and proof horizon, for `overa documents list`. */
  async levels(db: Conn, limit: number): Promise<DocumentRecord[]> {
    const rows = (await db('documents').orderBy([{ column: 'issued_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit).select(COLUMNS)) as DocumentRow[];
    return rows.map(toRecord);
  },
};
