/**
 * The SQL of the deadline job (services/deadlines.ts): which open cases are near or past their
 * due date (a read of `applications`, on its (agency_id, due_at) index), and the reminders sent
 * (`deadline_reminders`, migration 015), claimed by insert-or-ignore so that of several instances
 * running the job at once exactly one sends each reminder.
 */
import type { ApplicationStatus } from '../../components/core/api.ts';
import type { Conn } from './connection.ts';

/** An open case with a due date, as the job needs it: no answers, no names. */
export interface DueCase {
  id: string;
  agencyId: string;
  formId: string;
  trackingNumber: string;
  dueAt: number;
  dueDate: string;
}

/** The statuses in which the clock runs and a decision is awaited. */
export const OPEN_STATUSES: readonly ApplicationStatus[] = ['submitted', 'in_review'];

/** The threshold recorded for the notice that a case is overdue. */
export const OVERDUE_THRESHOLD = -1;

interface Row {
  id: string;
  agency_id: string;
  form_id: string;
  tracking_number: string;
  due_at: number | string;
  due_date: string;
}

const toCase = (r: Row): DueCase => ({
  id: r.id, agencyId: r.agency_id, formId: r.form_id, trackingNumber: r.tracking_number, dueAt: Number(r.due_at), dueDate: r.due_date,
});

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

export const deadlines = {
  /** Open cases whose time limit ends in `[from, to]` (ms), soonest first; keyset-paged after `(dueAt, id)`. */
  async openDueBetween(db: Conn, from: number, to: number, limit: number, after?: { dueAt: number; id: string }): Promise<DueCase[]> {
    const q = db('applications').whereIn('status', [...OPEN_STATUSES]).andWhere('due_at', '>=', from).andWhere('due_at', '<=', to);
    if (after) q.andWhereRaw('(due_at, id) > (?, ?)', [after.dueAt, after.id]);
    const rows = await q.orderBy([{ column: 'due_at' }, { column: 'id' }]).limit(limit)
      .select<Row[]>('id', 'agency_id', 'form_id', 'tracking_number', 'due_at', 'due_date');
    return rows.map(toCase);
  },

  /** Open cases past their due date (`due_at < now`) whose head has not been told yet, oldest due first; keyset-paged after `(dueAt, id)`. */
  async openOverdueUnnoticed(db: Conn, now: number, limit: number, after?: { dueAt: number; id: string }): Promise<DueCase[]> {
    const q = db('applications as a').whereIn('a.status', [...OPEN_STATUSES]).andWhere('a.due_at', '<', now);
    if (after) q.andWhereRaw('(a.due_at, a.id) > (?, ?)', [after.dueAt, after.id]);
    const rows = await q
      .whereNotExists((q) => {
        q.select(db.raw('1')).from('deadline_reminders as r')
          .whereRaw('r.application_id = a.id and r.due_date = a.due_date').andWhere('r.threshold', OVERDUE_THRESHOLD);
      })
      .orderBy([{ column: 'a.due_at' }, { column: 'a.id' }]).limit(limit)
      .select<Row[]>('a.id', 'a.agency_id', 'a.form_id', 'a.tracking_number', 'a.due_at', 'a.due_date');
    return rows.map(toCase);
  },

  /**
   * Records the reminders `thresholds` of a case's due date as sent, those not recorded yet;
   * returns the thresholds this call recorded (empty: all were sent already, by this or another
   * instance). One INSERT … ON CONFLICT DO NOTHING RETURNING on both databases; on PostgreSQL a
   * second instance inserting the same row waits for the first one's transaction and then skips it.
   */
  async claim(db: Conn, applicationId: string, dueDate: string, thresholds: readonly number[], now: number): Promise<number[]> {
    if (thresholds.length === 0) return [];
    const values = thresholds.map(() => '(?, ?, ?, ?)').join(', ');
    const result: unknown = await db.raw(
      `insert into deadline_reminders (application_id, due_date, threshold, sent_at) values ${values}
       on conflict (application_id, due_date, threshold) do nothing returning threshold`,
      thresholds.flatMap((t) => [applicationId, dueDate, t, now]),
    );
    return rowsOf<{ threshold: number | string }>(result).map((r) => Number(r.threshold));
  },

  /**
   * Cases awaiting a decision or returned, of the given form versions, with no due date stored
   * (submitted before migration 015, or before their form had a `deadline`): up to `limit` ids.
   */
  async withoutDue(db: Conn, versions: readonly { formId: string; version: number }[], limit: number): Promise<{ id: string; formId: string; formVersion: number }[]> {
    if (versions.length === 0) return [];
    const rows = await db('applications').whereIn('status', [...OPEN_STATUSES, 'returned']).whereNull('due_at').whereNull('due_paused_days')
      .andWhere((q) => {
        for (const v of versions) q.orWhere((w) => w.where('form_id', v.formId).andWhere('form_version', v.version));
      })
      .orderBy('id').limit(limit).select<{ id: string; form_id: string; form_version: number | string }[]>('id', 'form_id', 'form_version');
    return rows.map((r) => ({ id: r.id, formId: r.form_id, formVersion: Number(r.form_version) }));
  },

  /** The reminders recorded for a case (tests and support): due date, threshold, time, oldest first. */
  async sentFor(db: Conn, applicationId: string): Promise<{ dueDate: string; threshold: number; sentAt: number }[]> {
    const rows = await db('deadline_reminders').where({ application_id: applicationId }).orderBy([{ column: 'sent_at' }, { column: 'threshold', order: 'desc' }])
      .select<{ due_date: string; threshold: number | string; sent_at: number | string }[]>('due_date', 'threshold', 'sent_at');
    return rows.map((r) => ({ dueDate: r.due_date, threshold: Number(r.threshold), sentAt: Number(r.sent_at) }));
  },
};
