import type { ApprovalStepKind } from '../../components/core/forms/definition.ts';
import type { Decision as DecisionKind, DecisionBasis, StepState } from '../../components/core/api.ts';
import type { Conn } from './connection.ts';

/** One step of one round of an application's approval line, and the decision made on it. */
export interface CaseStepRecord {
  applicationId: string;
  round: number;
  stepId: string;
  position: number;
  stage: number;
  kind: ApprovalStepKind;
  agencyId: string;
  role: string | null;
  userId: string | null;
  delegateRoles: string[];
  /** The four-eyes rule: whoever decided another step of this round may not decide this one. */
  fourEyes: boolean;
  state: StepState;
  submittedAt: number;
  decision: DecisionKind | null;
  comment: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  basis: DecisionBasis | null;
  onBehalfOfUser: string | null;
  onBehalfOfName: string | null;
  onBehalfOfRole: string | null;
  signatureId: string | null;
  decidedAt: number | null;
}

interface CaseStepRow {
  application_id: string;
  round: number | string;
  step_id: string;
  position: number | string;
  stage: number | string;
  kind: ApprovalStepKind;
  agency_id: string;
  role: string | null;
  user_id: string | null;
  delegate_roles: string | null;
  // A boolean on PostgreSQL, 0 / 1 on SQLite.
  four_eyes: boolean | number;
  state: StepState;
  submitted_at: number | string;
  decision: DecisionKind | null;
  comment: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  basis: DecisionBasis | null;
  on_behalf_of_user: string | null;
  on_behalf_of_name: string | null;
  on_behalf_of_role: string | null;
  signature_id: string | null;
  decided_at: number | string | null;
}

function toRecord(r: CaseStepRow): CaseStepRecord {
  return {
    applicationId: r.application_id,
    round: Number(r.round),
    stepId: r.step_id,
    position: Number(r.position),
    stage: Number(r.stage),
    kind: r.kind,
    agencyId: r.agency_id,
    role: r.role,
    userId: r.user_id,
    delegateRoles: r.delegate_roles ? (JSON.parse(r.delegate_roles) as string[]) : [],
    fourEyes: Boolean(r.four_eyes),
    state: r.state,
    submittedAt: Number(r.submitted_at),
    decision: r.decision,
    comment: r.comment,
    decidedBy: r.decided_by,
    decidedByName: r.decided_by_name,
    basis: r.basis,
    onBehalfOfUser: r.on_behalf_of_user,
    onBehalfOfName: r.on_behalf_of_name,
    onBehalfOfRole: r.on_behalf_of_role,
    signatureId: r.signature_id,
    decidedAt: r.decided_at == null ? null : Number(r.decided_at),
  };
}

/** A new step row: everything but the decision. */
export type NewCaseStep = Pick<CaseStepRecord,
  'applicationId' | 'round' | 'stepId' | 'position' | 'stage' | 'kind' | 'agencyId' | 'role' | 'userId' | 'delegateRoles' | 'fourEyes' | 'state' | 'submittedAt'>;

/** The decision written onto a pending step. */
export type StepDecision = Pick<CaseStepRecord,
  'decision' | 'comment' | 'decidedBy' | 'decidedByName' | 'basis' | 'onBehalfOfUser' | 'onBehalfOfName' | 'onBehalfOfRole' | 'signatureId' | 'decidedAt'>;

export const caseSteps = {
  async insertMany(db: Conn, steps: readonly NewCaseStep[]): Promise<void> {
    if (steps.length === 0) return;
    await db('case_steps').insert(steps.map((s) => ({
      application_id: s.applicationId,
      round: s.round,
      step_id: s.stepId,
      position: s.position,
      stage: s.stage,
      kind: s.kind,
      agency_id: s.agencyId,
      role: s.role,
      user_id: s.userId,
      delegate_roles: s.delegateRoles.length ? JSON.stringify(s.delegateRoles) : null,
      four_eyes: s.fourEyes,
      state: s.state,
      submitted_at: s.submittedAt,
    })));
  },

  /** The last round's number, 0 before the first submission. */
  async lastRound(db: Conn, applicationId: string): Promise<number> {
    const row = await db('case_steps').where({ application_id: applicationId }).max({ round: 'round' }).first();
    return Number(row?.round ?? 0);
  },

  /** The steps of the last round, in line order ([] before the first submission). */
  async current(db: Conn, applicationId: string): Promise<CaseStepRecord[]> {
    const rows = await db<CaseStepRow>('case_steps')
      .where({ application_id: applicationId })
      .andWhere('round', '=', db('case_steps').where({ application_id: applicationId }).max('round'))
      .orderBy('position')
      .select('*');
    return rows.map(toRecord);
  },

  /** Whether an agency holds any step of the application, in any round (it then sees the case). */
  async agencyTakesPart(db: Conn, applicationId: string, agencyId: string): Promise<boolean> {
    return (await db('case_steps').where({ application_id: applicationId, agency_id: agencyId }).select('step_id').limit(1)).length > 0;
  },

  /** Whether a person is named on any step of the application. */
  async userNamed(db: Conn, applicationId: string, userId: string): Promise<boolean> {
    return (await db('case_steps').where({ application_id: applicationId, user_id: userId }).select('step_id').limit(1)).length > 0;
  },

  /** The pending steps of some applications (an inbox page), in line order. */
  async pendingOf(db: Conn, applicationIds: readonly string[]): Promise<CaseStepRecord[]> {
    if (applicationIds.length === 0) return [];
    const rows = await db<CaseStepRow>('case_steps').whereIn('application_id', [...applicationIds]).andWhere({ state: 'pending' }).orderBy('position').select('*');
    return rows.map(toRecord);
  },

  /**
   * The steps of some applications that a person decided, any round (an inbox page: the
   * four-eyes rule compares them with the pending steps of the same round).
   */
  async decidedBy(db: Conn, applicationIds: readonly string[], userId: string): Promise<CaseStepRecord[]> {
    if (applicationIds.length === 0) return [];
    const rows = await db<CaseStepRow>('case_steps').whereIn('application_id', [...applicationIds]).andWhere({ state: 'done', decided_by: userId }).select('*');
    return rows.map(toRecord);
  },

  /**
   * Writes a decision onto a step if it is still pending (compare-and-set): false when it was
   * decided (or closed) first. A step is decided once.
   */
  async decide(db: Conn, key: { applicationId: string; round: number; stepId: string }, d: StepDecision): Promise<boolean> {
    const n = await db('case_steps')
      .where({ application_id: key.applicationId, round: key.round, step_id: key.stepId, state: 'pending' })
      .update({
        state: 'done',
        decision: d.decision,
        comment: d.comment,
        decided_by: d.decidedBy,
        decided_by_name: d.decidedByName,
        basis: d.basis,
        on_behalf_of_user: d.onBehalfOfUser,
        on_behalf_of_name: d.onBehalfOfName,
        on_behalf_of_role: d.onBehalfOfRole,
        signature_id: d.signatureId,
        decided_at: d.decidedAt,
      });
    return n === 1;
  },

  /** Opens the waiting steps of a stage. */
  async open(db: Conn, applicationId: string, round: number, stage: number): Promise<void> {
    await db('case_steps').where({ application_id: applicationId, round, stage, state: 'waiting' }).update({ state: 'pending' });
  },

  /** Puts the open steps of the case's current round back to waiting (the line holds for its fee). */
  async hold(db: Conn, applicationId: string): Promise<void> {
    await db('case_steps').where({ application_id: applicationId, state: 'pending' }).update({ state: 'waiting' });
  },

  /** Closes every step of a round not yet decided (the round ended by a return or a rejection). */
  async cancelOpen(db: Conn, applicationId: string, round: number): Promise<void> {
    await db('case_steps').where({ application_id: applicationId, round }).whereIn('state', ['waiting', 'pending']).update({ state: 'cancelled' });
  },

  /** Every decided step of every round, oldest first: the record of who decided what. */
  async decided(db: Conn, applicationId: string): Promise<CaseStepRecord[]> {
    const rows = await db<CaseStepRow>('case_steps').where({ application_id: applicationId, state: 'done' }).orderBy([{ column: 'decided_at' }, { column: 'position' }]).select('*');
    return rows.map(toRecord);
  },
};
