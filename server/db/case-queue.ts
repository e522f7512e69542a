import type { Conn } from './connection.ts';

/**
 * One way to hold a pending step: by role in an agency (`role`), or as the named person
 * (`userId`); `delegated` rows are the roles allowed to approve by delegation.
 */
export interface QueueEntry {
  applicationId: string;
  stepId: string;
  agencyId: string;
  role: string | null;
  userId: string | null;
  basis: 'assigned' | 'delegated';
  submittedAt: number;
}

export const caseQueue = {
  async insertMany(db: Conn, entries: readonly QueueEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await db('case_queue').insert(entries.map((e) => ({
      application_id: e.applicationId,
      step_id: e.stepId,
      agency_id: e.agencyId,
      role: e.role,
      user_id: e.userId,
      basis: e.basis,
      submitted_at: e.submittedAt,
    })));
  },

  /** The step left the queue (decided). */
  async removeStep(db: Conn, applicationId: string, stepId: string): Promise<void> {
    await db('case_queue').where({ application_id: applicationId, step_id: stepId }).delete();
  },

  /** Who holds the application's pending steps in their own right (not by delegation): roles of agencies, and named people. */
  async assignedOf(db: Conn, applicationId: string): Promise<{ agencyId: string; role: string | null; userId: string | null }[]> {
    const rows = await db('case_queue').where({ application_id: applicationId, basis: 'assigned' })
      .select<{ agency_id: string; role: string | null; user_id: string | null }[]>('agency_id', 'role', 'user_id');
    return rows.map((r) => ({ agencyId: r.agency_id, role: r.role, userId: r.user_id }));
  },

  /** Nothing of the application is pending any more (approved, returned, rejected). */
  async removeAll(db: Conn, applicationId: string): Promise<void> {
    await db('case_queue').where({ application_id: applicationId }).delete();
  },
};
