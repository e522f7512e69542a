import type { ApplicationData } from '../../components/core/forms/definition.ts';
import type { ApplicationStatus } from '../../components/core/api.ts';
import type { Conn } from './connection.ts';

export type { ApplicationStatus };

export interface ApplicationRecord {
  id: string;
  trackingNumber: string;
  formId: string;
  formVersion: number;
  agencyId: string;
  ownerId: string;
  status: ApplicationStatus;
  data: ApplicationData;
  /** Upload ids, in the order the file fields list them. */
  attachments: string[];
  signatureId: string | null;
  returnComment: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
  submittedAt: number | null;
}

interface ApplicationRow {
  id: string;
  tracking_number: string;
  form_id: string;
  form_version: number;
  agency_id: string;
  owner_id: string;
  status: ApplicationStatus;
  data: string;
  attachments: string;
  signature_id: string | null;
  return_comment: string | null;
  version: number;
  created_at: number | string;
  updated_at: number | string;
  submitted_at: number | string | null;
}

function toRecord(r: ApplicationRow): ApplicationRecord {
  return {
    id: r.id,
    trackingNumber: r.tracking_number,
    formId: r.form_id,
    formVersion: Number(r.form_version),
    agencyId: r.agency_id,
    ownerId: r.owner_id,
    status: r.status,
    data: JSON.parse(r.data) as ApplicationData,
    attachments: JSON.parse(r.attachments) as string[],
    signatureId: r.signature_id,
    returnComment: r.return_comment,
    version: Number(r.version),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    submittedAt: r.submitted_at == null ? null : Number(r.submitted_at),
  };
}

/** The columns a change may touch; `version` is bumped by `update` itself. */
export type ApplicationChange = Partial<Pick<ApplicationRecord, 'status' | 'data' | 'attachments' | 'signatureId' | 'returnComment' | 'submittedAt'>> & {
  updatedAt: number;
  /** The due date (migration 015), stored with a submission in the same UPDATE. */
  due?: StoredDue;
};

/** The due date of a case as stored (migration 015; services/deadlines.ts computes it). */
export interface StoredDue {
  /** The instant the last day ends (ms), while a decision is awaited; null otherwise. */
  dueAt: number | null;
  /** That day, YYYY-MM-DD in Europe/Belgrade. */
  dueDate: string | null;
  /** While returned: the days left when the clock stopped. */
  pausedDays: number | null;
}

export const applications = {
  /** Stores the due date of a case (no version bump: it follows from the transitions, it is not one). */
  async setDue(db: Conn, id: string, due: StoredDue): Promise<void> {
    await db('applications').where({ id }).update({ due_at: due.dueAt, due_date: due.dueDate, due_paused_days: due.pausedDays });
  },

  /**
   * The final decision at `now`: records whether it was made on or before the due date
   * (`deadline_met`, only for a case with one) and ends the running due date. One statement,
   * reading the row as it was.
   */
  async closeDue(db: Conn, id: string, now: number): Promise<void> {
    await db('applications').where({ id }).update({
      deadline_met: db.raw('case when due_at is null then null when ? <= due_at then 1 else 0 end', [now]),
      due_at: null,
    });
  },

  async getDue(db: Conn, id: string): Promise<StoredDue | undefined> {
    const row = await db('applications').where({ id }).first<{ due_at: number | string | null; due_date: string | null; due_paused_days: number | string | null } | undefined>('due_at', 'due_date', 'due_paused_days');
    if (!row) return undefined;
    return {
      dueAt: row.due_at === null ? null : Number(row.due_at),
      dueDate: row.due_date,
      pausedDays: row.due_paused_days === null ? null : Number(row.due_paused_days),
    };
  },

  async insert(db: Conn, a: ApplicationRecord): Promise<void> {
    await db('applications').insert({
      id: a.id,
      tracking_number: a.trackingNumber,
      form_id: a.formId,
      form_version: a.formVersion,
      agency_id: a.agencyId,
      owner_id: a.ownerId,
      status: a.status,
      data: JSON.stringify(a.data),
      attachments: JSON.stringify(a.attachments),
      signature_id: a.signatureId,
      return_comment: a.returnComment,
      version: a.version,
      created_at: a.createdAt,
      updated_at: a.updatedAt,
      submitted_at: a.submittedAt,
    });
  },

  async get(db: Conn, id: string): Promise<ApplicationRecord | undefined> {
    const rows = await db<ApplicationRow>('applications').where({ id }).select('*');
    return rows[0] && toRecord(rows[0]);
  },

  /** Who made the application with this tracking number (account recovery finds the account by it). */
  async ownerByTrackingNumber(db: Conn, trackingNumber: string): Promise<string | undefined> {
    const rows = await db('applications').where({ tracking_number: trackingNumber }).select<{ owner_id: string }[]>('owner_id');
    return rows[0]?.owner_id;
  },

  async trackingNumberTaken(db: Conn, trackingNumber: string): Promise<boolean> {
    return (await db('applications').where({ tracking_number: trackingNumber }).select('id')).length > 0;
  },

  /**
   * Applies a change if the row is still at `expectedVersion` (compare-and-set), bumping the
   * version. False when someone else changed it first.
   */
  async update(db: Conn, id: string, expectedVersion: number, change: ApplicationChange): Promise<boolean> {
    const columns: Record<string, unknown> = { updated_at: change.updatedAt, version: expectedVersion + 1 };
    if (change.status !== undefined) columns.status = change.status;
    if (change.data !== undefined) columns.data = JSON.stringify(change.data);
    if (change.attachments !== undefined) columns.attachments = JSON.stringify(change.attachments);
    if (change.signatureId !== undefined) columns.signature_id = change.signatureId;
    if (change.returnComment !== undefined) columns.return_comment = change.returnComment;
    if (change.submittedAt !== undefined) columns.submitted_at = change.submittedAt;
    if (change.due !== undefined) Object.assign(columns, { due_at: change.due.dueAt, due_date: change.due.dueDate, due_paused_days: change.due.pausedDays });
    return (await db('applications').where({ id, version: expectedVersion }).update(columns)) === 1;
  },

  /** The owner's applications whose attachments include `uploadId` (a UUID), on the owner's index. */
  async withAttachment(db: Conn, ownerId: string, uploadId: string): Promise<ApplicationRecord[]> {
    const rows = await db<ApplicationRow>('applications').where({ owner_id: ownerId }).andWhere('attachments', 'like', `%"${uploadId}"%`).select('*');
    return rows.map(toRecord).filter((a) => a.attachments.includes(uploadId));
  },

  /** A user's applications, newest first, after a keyset cursor `(createdAt, id)`. */
  async listByOwner(db: Conn, ownerId: string, limit: number, after?: { createdAt: number; id: string }): Promise<ApplicationRecord[]> {
    const q = db<ApplicationRow>('applications').where({ owner_id: ownerId });
    if (after) {
      q.andWhere((w) => {
        w.where('created_at', '<', after.createdAt).orWhere((e) => e.where('created_at', '=', after.createdAt).andWhere('id', '<', after.id));
      });
    }
    const rows = await q.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit).select('*');
    return rows.map(toRecord);
  },
};
