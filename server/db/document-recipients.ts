import type { Knex } from 'knex';
import type { LocalizedText } from '../../components/core/forms/definition.ts';
import type { Conn } from './connection.ts';

export type RecipientStatus = 'pending' | 'accepted';

/** One document sent to one agency: the reception in that agency's inbox. */
export interface RecipientRecord {
  /** The reception's id. */
  id: string;
  documentId: string;
  /** The receiving agency. */
  agencyId: string;
  status: RecipientStatus;
  sentAt: number;
  /** Who sent it; null when it went automatically on issuance. */
  sentBy: string | null;
  acceptedAt: number | null;
  acceptedBy: string | null;
  /** The receiving official's passkey signature (subject `reception`, action `accept`). */
  signatureId: string | null;
}

/** A recipient row with the receiving agency's name (a document's recipients list). */
export interface RecipientWithAgency extends RecipientRecord {
  agencyName: string;
}

/** A row of an agency's reception inbox: the reception with what it shows of the document. */
export interface ReceptionRow extends RecipientRecord {
  document: {
    title: LocalizedText;
    trackingNumber: string;
    issuingAgencyId: string;
    issuingAgencyName: string;
    revokedAt: number | null;
    supersededBy: string | null;
  };
  acceptedByName: string | null;
}

interface RecipientRow {
  id: string;
  document_id: string;
  agency_id: string;
  status: string;
  sent_at: number | string;
  sent_by: string | null;
  accepted_at: number | string | null;
  accepted_by: string | null;
  signature_id: string | null;
}

const COLUMNS = ['id', 'document_id', 'agency_id', 'status', 'sent_at', 'sent_by', 'accepted_at', 'accepted_by', 'signature_id'];
const prefixed = (alias: string) => COLUMNS.map((c) => `${alias}.${c}`);

function toRecord(r: RecipientRow): RecipientRecord {
  return {
    id: r.id,
    documentId: r.document_id,
    agencyId: r.agency_id,
    status: r.status as RecipientStatus,
    sentAt: Number(r.sent_at),
    sentBy: r.sent_by,
    acceptedAt: r.accepted_at == null ? null : Number(r.accepted_at),
    acceptedBy: r.accepted_by,
    signatureId: r.signature_id,
  };
}

export interface ReceptionPageQuery {
  agencyId: string;
  status?: RecipientStatus | undefined;
  /** Rows after this one in inbox order (newest first, then by id descending). */
  after?: { sentAt: number; id: string } | undefined;
  limit: number;
}

export const documentRecipients = {
  /**
   * Sends a document to agencies: inserts the pending rows, skipping any (document, agency)
   * that already exists (a concurrent send). Returns the ids of the rows this call inserted.
   */
  async insertPending(db: Conn, rows: readonly Pick<RecipientRecord, 'id' | 'documentId' | 'agencyId' | 'sentAt' | 'sentBy'>[]): Promise<string[]> {
    if (rows.length === 0) return [];
    await db('document_recipients')
      .insert(rows.map((r) => ({
        id: r.id, document_id: r.documentId, agency_id: r.agencyId, status: 'pending', sent_at: r.sentAt, sent_by: r.sentBy,
      })))
      .onConflict(['document_id', 'agency_id'])
      .ignore();
    const ids = rows.map((r) => r.id);
    return ((await db('document_recipients').whereIn('id', ids).select('id')) as { id: string }[]).map((r) => r.id);
  },

  async get(db: Conn, id: string): Promise<RecipientRecord | undefined> {
    const rows = (await db('document_recipients').where({ id }).select(COLUMNS)) as RecipientRow[];
    return rows[0] && toRecord(rows[0]);
  },

  /** The agencies a document was sent to (who may then read it). */
  async agenciesOf(db: Conn, documentId: string): Promise<string[]> {
    const rows = (await db('document_recipients').where({ document_id: documentId }).select('agency_id')) as { agency_id: string }[];
    return rows.map((r) => r.agency_id);
  },

  /** A document's recipients, in the order they were sent, with the agencies' names. */
  async forDocument(db: Conn, documentId: string): Promise<RecipientWithAgency[]> {
    const rows = (await db('document_recipients as r')
      .join('agencies as a', 'a.id', 'r.agency_id')
      .where('r.document_id', documentId)
      .orderBy([{ column: 'r.sent_at', order: 'asc' }, { column: 'r.agency_id', order: 'asc' }])
      .select([...prefixed('r'), 'a.name as agency_name'])) as (RecipientRow & { agency_name: string })[];
    return rows.map((r) => ({ ...toRecord(r), agencyName: r.agency_name }));
  },

  /** Marks a pending reception accepted (compare-and-set on status): false when it was not pending. */
  async accept(db: Conn, id: string, change: { at: number; by: string; signatureId: string }): Promise<boolean> {
    const n = await db('document_recipients').where({ id, status: 'pending' }).update({
      status: 'accepted', accepted_at: change.at, accepted_by: change.by, signature_id: change.signatureId,
    });
    return n === 1;
  },

  /**
   * A page of an agency's receptions, newest first (then by id), keyset-paged: `limit` rows
   * after `after`. The (agency_id[, status], sent_at, id) indexes serve it on both databases.
   */
  async page(db: Conn, q: ReceptionPageQuery): Promise<ReceptionRow[]> {
    const query = receptionQuery(db)
      .where('r.agency_id', q.agencyId)
      .orderBy([{ column: 'r.sent_at', order: 'desc' }, { column: 'r.id', order: 'desc' }])
      .limit(q.limit);
    if (q.status) query.andWhere('r.status', q.status);
    if (q.after) {
      const { sentAt, id } = q.after;
      query.andWhere((w) => w.where('r.sent_at', '<', sentAt).orWhere((e) => e.where('r.sent_at', sentAt).andWhere('r.id', '<', id)));
    }
    return ((await query) as ReceptionJoinRow[]).map(toReceptionRow);
  },

  /** One reception as the inbox shows it. */
  async receptionRow(db: Conn, id: string): Promise<ReceptionRow | undefined> {
    const rows = (await receptionQuery(db).where('r.id', id)) as ReceptionJoinRow[];
    return rows[0] && toReceptionRow(rows[0]);
  },
};

type ReceptionJoinRow = RecipientRow & {
  d_title: string; d_tracking_number: string; d_agency_id: string; ia_name: string;
  d_revoked_at: number | string | null; d_superseded_by: string | null; u_display_name: string | null;
};

function receptionQuery(db: Conn): Knex.QueryBuilder {
  return db('document_recipients as r')
    .join('documents as d', 'd.id', 'r.document_id')
    .join('agencies as ia', 'ia.id', 'd.agency_id')
    .leftJoin('users as u', 'u.id', 'r.accepted_by')
    .select([
      ...prefixed('r'), 'd.title as d_title', 'd.tracking_number as d_tracking_number', 'd.agency_id as d_agency_id',
      'ia.name as ia_name', 'd.revoked_at as d_revoked_at', 'd.superseded_by as d_superseded_by', 'u.display_name as u_display_name',
    ]);
}

function toReceptionRow(r: ReceptionJoinRow): ReceptionRow {
  return {
    ...toRecord(r),
    document: {
      title: JSON.parse(r.d_title) as LocalizedText,
      trackingNumber: r.d_tracking_number,
      issuingAgencyId: r.d_agency_id,
      issuingAgencyName: r.ia_name,
      revokedAt: r.d_revoked_at == null ? null : Number(r.d_revoked_at),
      supersededBy: r.d_superseded_by,
    },
    acceptedByName: r.u_display_name,
  };
}
