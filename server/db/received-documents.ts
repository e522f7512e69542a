import type { LocalizedText } from '../../components/core/forms/definition.ts';
import type { Conn } from './connection.ts';

export type ReceivedStatus = 'pending' | 'accepted' | 'rejected';

/** A partner's document in a local agency's reception (migration 014). */
export interface ReceivedDocumentRecord {
  id: string;
  messageId: string;
  agencyId: string;
  partnerAgencyId: string;
  partnerUrl: string;
  documentId: string;
  title: LocalizedText;
  documentType: string;
  trackingNumber: string;
  issuedAt: number;
  sha256: string;
  size: number;
  sealSubject: string;
  sealSha256: string;
  receivedAt: number;
  status: ReceivedStatus;
  decidedAt: number | null;
  decidedBy: string | null;
  signatureId: string | null;
  rejectionReason: string | null;
  revokedAt: number | null;
  revocationReason: string | null;
}

/** With what the reception inbox shows besides: the partner's name, the deciding official's. */
export interface ReceivedDocumentRow extends ReceivedDocumentRecord {
  partnerName: string | null;
  decidedByName: string | null;
}

interface Row {
  id: string;
  message_id: string;
  agency_id: string;
  partner_agency_id: string;
  partner_url: string;
  document_id: string;
  title: string;
  document_type: string;
  tracking_number: string;
  issued_at: number | string;
  sha256: string;
  size: number | string;
  seal_subject: string;
  seal_sha256: string;
  received_at: number | string;
  status: string;
  decided_at: number | string | null;
  decided_by: string | null;
  signature_id: string | null;
  rejection_reason: string | null;
  revoked_at: number | string | null;
  revocation_reason: string | null;
}

const num = (v: number | string | null) => (v == null ? null : Number(v));

function toRecord(r: Row): ReceivedDocumentRecord {
  return {
    id: r.id,
    messageId: r.message_id,
    agencyId: r.agency_id,
    partnerAgencyId: r.partner_agency_id,
    partnerUrl: r.partner_url,
    documentId: r.document_id,
    title: JSON.parse(r.title) as LocalizedText,
    documentType: r.document_type,
    trackingNumber: r.tracking_number,
    issuedAt: Number(r.issued_at),
    sha256: r.sha256,
    size: Number(r.size),
    sealSubject: r.seal_subject,
    sealSha256: r.seal_sha256,
    receivedAt: Number(r.received_at),
    status: r.status as ReceivedStatus,
    decidedAt: num(r.decided_at),
    decidedBy: r.decided_by,
    signatureId: r.signature_id,
    rejectionReason: r.rejection_reason,
    revokedAt: num(r.revoked_at),
    revocationReason: r.revocation_reason,
  };
}

export interface ReceivedPageQuery {
  agencyId: string;
  status?: ReceivedStatus | undefined;
  after?: { sentAt: number; id: string } | undefined;
  limit: number;
}

export const receivedDocuments = {
  /**
   * Inserts a reception; false when the agency holds this partner document already (the unique
   * index `received_documents_once` says so, in the same statement).
   */
  async insert(db: Conn, r: Omit<ReceivedDocumentRecord, 'status' | 'decidedAt' | 'decidedBy' | 'signatureId' | 'rejectionReason' | 'revokedAt' | 'revocationReason'>): Promise<boolean> {
    const inserted = await db('received_documents').insert({
      id: r.id, message_id: r.messageId, agency_id: r.agencyId, partner_agency_id: r.partnerAgencyId, partner_url: r.partnerUrl,
      document_id: r.documentId, title: JSON.stringify(r.title), document_type: r.documentType, tracking_number: r.trackingNumber,
      issued_at: r.issuedAt, sha256: r.sha256, size: r.size, seal_subject: r.sealSubject.slice(0, 500), seal_sha256: r.sealSha256,
      received_at: r.receivedAt, status: 'pending',
    })
      .onConflict(['partner_agency_id', 'document_id', 'agency_id'])
      .ignore()
      .returning('id') as unknown[];
    return inserted.length === 1;
  },

  async get(db: Conn, id: string): Promise<ReceivedDocumentRecord | undefined> {
    const row = await db('received_documents').where({ id }).first<Row | undefined>();
    return row && toRecord(row);
  },

  /** The copy of a partner's document a local agency holds. */
  async find(db: Conn, q: { partnerAgencyId: string; documentId: string; agencyId: string }): Promise<ReceivedDocumentRecord | undefined> {
    const row = await db('received_documents').where({ partner_agency_id: q.partnerAgencyId, document_id: q.documentId, agency_id: q.agencyId }).first<Row | undefined>();
    return row && toRecord(row);
  },

  /** Accepted or rejected, once (compare-and-set on `pending`). */
  async decide(db: Conn, id: string, d: { status: 'accepted' | 'rejected'; at: number; by: string; signatureId: string; reason: string | null }): Promise<boolean> {
    const n = await db('received_documents').where({ id, status: 'pending' })
      .update({ status: d.status, decided_at: d.at, decided_by: d.by, signature_id: d.signatureId, rejection_reason: d.reason });
    return n === 1;
  },

  async revoke(db: Conn, id: string, at: number, reason: string): Promise<boolean> {
    return (await db('received_documents').where({ id }).whereNull('revoked_at').update({ revoked_at: at, revocation_reason: reason })) === 1;
  },

  /** A page of an agency's received documents, in reception-inbox order (newest first, then id). */
  async page(db: Conn, q: ReceivedPageQuery): Promise<ReceivedDocumentRow[]> {
    const query = rowQuery(db).where('r.agency_id', q.agencyId)
      .orderBy([{ column: 'r.received_at', order: 'desc' }, { column: 'r.id', order: 'desc' }])
      .limit(q.limit);
    if (q.status) query.andWhere('r.status', q.status);
    if (q.after) {
      const { sentAt, id } = q.after;
      query.andWhere((w) => w.where('r.received_at', '<', sentAt).orWhere((e) => e.where('r.received_at', sentAt).andWhere('r.id', '<', id)));
    }
    return ((await query) as (Row & { p_name: string | null; u_display_name: string | null })[]).map(toRow);
  },

  async row(db: Conn, id: string): Promise<ReceivedDocumentRow | undefined> {
    const rows = (await rowQuery(db).where('r.id', id)) as (Row & { p_name: string | null; u_display_name: string | null })[];
    return rows[0] && toRow(rows[0]);
  },

  async count(db: Conn): Promise<number> {
    return Number((await db('received_documents').count({ n: '*' }).first())?.n ?? 0);
  },
};

function rowQuery(db: Conn) {
  return db('received_documents as r')
    .leftJoin('partners as p', 'p.agency_id', 'r.partner_agency_id')
    .leftJoin('users as u', 'u.id', 'r.decided_by')
    .select('r.*', 'p.name as p_name', 'u.display_name as u_display_name');
}

function toRow(r: Row & { p_name: string | null; u_display_name: string | null }): ReceivedDocumentRow {
  return { ...toRecord(r), partnerName: r.p_name, decidedByName: r.u_display_name };
}
