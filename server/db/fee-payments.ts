import type { Conn } from './connection.ts';

/** An application's fee marked paid by an official (migration 017). */
export interface FeePaymentRecord {
  applicationId: string;
  paidAt: number;
  paidBy: string;
  paidByName: string;
  statementReference: string | null;
}

interface FeePaymentRow {
  application_id: string;
  paid_at: number | string;
  paid_by: string;
  paid_by_name: string;
  statement_reference: string | null;
}

function toRecord(r: FeePaymentRow): FeePaymentRecord {
  return {
    applicationId: r.application_id,
    paidAt: Number(r.paid_at),
    paidBy: r.paid_by,
    paidByName: r.paid_by_name,
    statementReference: r.statement_reference,
  };
}

export const feePayments = {
  /** Marks the fee paid (the service checks first; the application's version is what serialises two marks). */
  async insert(db: Conn, p: FeePaymentRecord): Promise<void> {
    await db('fee_payments').insert({
      application_id: p.applicationId,
      paid_at: p.paidAt,
      paid_by: p.paidBy,
      paid_by_name: p.paidByName,
      statement_reference: p.statementReference,
    });
  },

  async get(db: Conn, applicationId: string): Promise<FeePaymentRecord | undefined> {
    const rows = await db<FeePaymentRow>('fee_payments').where({ application_id: applicationId }).select('*');
    return rows[0] && toRecord(rows[0]);
  },

  /** The paid ones among `applicationIds`. */
  async paidOf(db: Conn, applicationIds: readonly string[]): Promise<Set<string>> {
    if (applicationIds.length === 0) return new Set();
    const rows = await db<FeePaymentRow>('fee_payments').whereIn('application_id', applicationIds).select('application_id');
    return new Set(rows.map((r) => r.application_id));
  },

  /** Undoes the mark; false when there was none. */
  async remove(db: Conn, applicationId: string): Promise<boolean> {
    return (await db('fee_payments').where({ application_id: applicationId }).delete()) === 1;
  },
};
