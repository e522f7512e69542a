import { readRows, type Conn } from './connection.ts';

export type ExchangeDirection = 'out' | 'in';
export type ExchangeMessageType = 'document' | 'acceptance' | 'rejection' | 'revocation';
export type ExchangeOutcome = 'accepted' | 'rejected';

/** A signed exchange message sent or received (migration 014). */
export interface ExchangeMessageRecord {
  id: string;
  direction: ExchangeDirection;
  type: ExchangeMessageType;
  documentId: string;
  localAgencyId: string;
  partnerAgencyId: string;
  /** Canonical JSON, exactly as signed. */
  envelope: string;
  /** Base64 DER of the detached CMS over `envelope`. */
  signature: string;
  receipt: string | null;
  receiptSignature: string | null;
  receiptAt: number | null;
  outcome: ExchangeOutcome | null;
  outcomeAt: number | null;
  outcomeReason: string | null;
  createdAt: number;
}

interface Row {
  id: string;
  direction: string;
  type: string;
  document_id: string;
  local_agency_id: string;
  partner_agency_id: string;
  envelope: string;
  signature: string;
  receipt: string | null;
  receipt_signature: string | null;
  receipt_at: number | string | null;
  outcome: string | null;
  outcome_at: number | string | null;
  outcome_reason: string | null;
  created_at: number | string;
}

const num = (v: number | string | null) => (v == null ? null : Number(v));

function toRecord(r: Row): ExchangeMessageRecord {
  return {
    id: r.id,
    direction: r.direction as ExchangeDirection,
    type: r.type as ExchangeMessageType,
    documentId: r.document_id,
    localAgencyId: r.local_agency_id,
    partnerAgencyId: r.partner_agency_id,
    envelope: r.envelope,
    signature: r.signature,
    receipt: r.receipt,
    receiptSignature: r.receipt_signature,
    receiptAt: num(r.receipt_at),
    outcome: r.outcome as ExchangeOutcome | null,
    outcomeAt: num(r.outcome_at),
    outcomeReason: r.outcome_reason,
    createdAt: Number(r.created_at),
  };
}

export type NewExchangeMessage = Pick<ExchangeMessageRecord, 'id' | 'direction' | 'type' | 'documentId' | 'localAgencyId' | 'partnerAgencyId' | 'envelope' | 'signature'>
  & Partial<Pick<ExchangeMessageRecord, 'receipt' | 'receiptSignature' | 'receiptAt'>>;

export const exchangeMessages = {
  /** Inserts a message; false when one with the same id and direction exists (a replay). */
  async insert(db: Conn, m: NewExchangeMessage, now: number): Promise<boolean> {
    const inserted = await db('exchange_messages')
      .insert({
        id: m.id, direction: m.direction, type: m.type, document_id: m.documentId, local_agency_id: m.localAgencyId,
        partner_agency_id: m.partnerAgencyId, envelope: m.envelope, signature: m.signature,
        receipt: m.receipt ?? null, receipt_signature: m.receiptSignature ?? null, receipt_at: m.receiptAt ?? null, created_at: now,
      })
      .onConflict(['id', 'direction'])
      .ignore()
      .returning('id') as unknown[];
    return inserted.length === 1;
  },

  async get(db: Conn, id: string, direction: ExchangeDirection): Promise<ExchangeMessageRecord | undefined> {
    const [row] = await readRows<Row>(db, 'select * from `exchange_messages` where `id` = ? and `direction` = ?', [id, direction], () => db('exchange_messages').where({ id, direction }).select<Row[]>('*'));
    return row && toRecord(row);
  },

  /** A document's messages to or from partners, oldest first. */
  async forDocument(db: Conn, documentId: string): Promise<ExchangeMessageRecord[]> {
    return ((await db('exchange_messages').where({ document_id: documentId }).orderBy([{ column: 'created_at' }, { column: 'id' }])) as Row[]).map(toRecord);
  },

  /** The `out` document message that sent `documentId` to `partnerAgencyId`, if any. */
  async sentDocument(db: Conn, documentId: string, partnerAgencyId: string): Promise<ExchangeMessageRecord | undefined> {
    const row = await db('exchange_messages')
      .where({ document_id: documentId, partner_agency_id: partnerAgencyId, direction: 'out', type: 'document' })
      .first<Row | undefined>();
    return row && toRecord(row);
  },

  /** Stores the partner's receipt on an `out` message (the first one wins; a repeat is the same receipt). */
  async setReceipt(db: Conn, id: string, receipt: { receipt: string; signature: string; at: number }): Promise<boolean> {
    const n = await db('exchange_messages').where({ id, direction: 'out' }).whereNull('receipt')
      .update({ receipt: receipt.receipt, receipt_signature: receipt.signature, receipt_at: receipt.at });
    return n === 1;
  },

  /** The partner's answer to an `out` document message: set once. */
  async setOutcome(db: Conn, id: string, outcome: { outcome: ExchangeOutcome; at: number; reason: string | null }): Promise<boolean> {
    const n = await db('exchange_messages').where({ id, direction: 'out', type: 'document' }).whereNull('outcome')
      .update({ outcome: outcome.outcome, outcome_at: outcome.at, outcome_reason: outcome.reason });
    return n === 1;
  },

  /** Every `out` message with its outbox state (`overa exchange status`), newest first. */
  async outgoing(db: Conn, limit: number): Promise<(ExchangeMessageRecord & { state: string | null; attempts: number; lastError: string | null })[]> {
    const rows = (await db('exchange_messages as m')
      .leftJoin('outbox_messages as o', 'o.id', 'm.id')
      .where('m.direction', 'out')
      .orderBy([{ column: 'm.created_at', order: 'desc' }, { column: 'm.id', order: 'desc' }])
      .limit(limit)
      .select('m.*', 'o.state as o_state', 'o.attempts as o_attempts', 'o.last_error as o_last_error')) as (Row & { o_state: string | null; o_attempts: number | string | null; o_last_error: string | null })[];
    return rows.map((r) => ({ ...toRecord(r), state: r.o_state, attempts: Number(r.o_attempts ?? 0), lastError: r.o_last_error }));
  },

  async count(db: Conn, direction: ExchangeDirection): Promise<number> {
    const row = await db('exchange_messages').where({ direction }).count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  },
};
