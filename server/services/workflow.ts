/**
 * Electronic approval: every rule of the approval line lives here (DESIGN.md, "Approval
 * line"); routes and the read side (services/cases.ts) only call it.
 *
 * - A submission (or a resubmission after a return) starts a round: the form's line is copied
 *   into case_steps, its first stage opens. A stage is one step, or a run of parallel agree
 *   steps that all must agree before the line goes on.
 * - An official decides an open step with a passkey signature over the application content,
 *   the step, the decision and the comment. review / agree pass the line on, approve (the last
 *   step) makes the application `approved`, return sends it back to the applicant (a new round
 *   starts when they resubmit), reject ends it. A step is decided once: the step and the
 *   application's version are both compare-and-set, so of two simultaneous decisions one wins
 *   and the other is a 409 that changes nothing.
 * - Who may decide: the person or role the step names (`assigned`); on an approve step that
 *   allows it, a lower role (`delegated`); a substitute acting for an absent official inside the
 *   window of a delegation (`proxy`). Delegated and proxy decisions are recorded as such, with
 *   both names.
 * - Four eyes: a person who decided one step of a round decides no other step of it, whatever
 *   right they acted or would act by, unless the form allows it (fourEyes()).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { ApplicationStatus, DelegationView, OnBehalfOf, PersonRef } from '../../components/core/api.ts';
import type { ApprovalStep, ApprovalStepKind, FormDefinition } from '../../components/core/forms/definition.ts';
import type { JsonValue } from '../../components/core/canonical-json.ts';
import { decisionDigest, decisionMandate, decisionSubjectId, type DecisionKind, type DecisionMandate } from '../../components/core/signing/decision.ts';
import type { User } from '../../components/core/user.ts';
import { applications, type ApplicationChange, type ApplicationRecord } from '../db/applications.ts';
import { caseQueue, type QueueEntry } from '../db/case-queue.ts';
import { caseTerms } from '../db/case-terms.ts';
import { caseSteps, type CaseStepRecord, type NewCaseStep } from '../db/case-steps.ts';
import type { Conn } from '../db/connection.ts';
import { delegations, type DelegationRecord } from '../db/delegations.ts';
import { feePayments } from '../db/fee-payments.ts';
import { users } from '../db/users.ts';
import { HttpError, invalidField } from '../http-error.ts';
import { searchTerms } from '../search-text.ts';
import { appendAudit } from './audit.ts';
import { webhookEvent } from './webhooks.ts';
import { notifyApplicant } from './mail.ts';
import { closeDue, refreshDue } from './deadlines.ts';
// A cycle by design (applications.ts starts the line on submission): only functions cross it.
import { applicationDigest } from '../../components/core/signing/application.ts';
import type { Deps } from './deps.ts';
import { claimSignature } from './signature-claims.ts';

/** While a case is in one of these, its open steps can be decided. */
const OPEN: ReadonlySet<ApplicationStatus> = new Set(['submitted', 'in_review']);

/** The decisions each kind of step takes: its own verb, or return / reject. */
const DECISIONS_FOR: Readonly<Record<ApprovalStepKind, readonly DecisionKind[]>> = {
  review: ['review', 'return', 'reject'],
  agree: ['agree', 'return', 'reject'],
  approve: ['approve', 'return', 'reject'],
};

/** Return and reject tell the applicant why: the comment is their reason. */
const NEEDS_COMMENT: ReadonlySet<DecisionKind> = new Set(['return', 'reject']);

/** Longest decision comment, in characters. */
export const MAX_COMMENT = 2000;

/** Longest proxy delegation: a year. A longer absence is a change of roles, not a proxy. */
export const MAX_DELEGATION_MS = 366 * 24 * 3600 * 1000;

/** The audit action of each decision: the application was … */
const AUDIT_ACTION: Readonly<Record<DecisionKind, string>> = {
  review: 'application.reviewed',
  agree: 'application.agreed',
  approve: 'application.approved',
  return: 'application.returned',
  reject: 'application.rejected',
};

/** By what right someone decides a step (see DecisionBasis). */
export type Authority =
  | { basis: 'assigned'; onBehalfOf: null }
  | { basis: 'delegated'; onBehalfOf: OnBehalfOf }
  | { basis: 'proxy'; onBehalfOf: PersonRef };

// ---- the line ----

/** The stage of each step: consecutive parallel agree steps share one, every other step has its own. */
export function stagesOf(line: readonly ApprovalStep[]): number[] {
  const stages: number[] = [];
  let stage = -1;
  line.forEach((step, i) => {
    const together = step.kind === 'agree' && step.parallel === true && i > 0 && line[i - 1]!.kind === 'agree' && line[i - 1]!.parallel === true;
    if (!together) stage++;
    stages.push(stage);
  });
  return stages;
}

/** The queue rows of open steps: who can pick each one up. */
function queueEntries(steps: readonly Pick<CaseStepRecord, 'applicationId' | 'stepId' | 'agencyId' | 'role' | 'userId' | 'delegateRoles' | 'submittedAt'>[]): QueueEntry[] {
  return steps.flatMap((s) => {
    const base = { applicationId: s.applicationId, stepId: s.stepId, agencyId: s.agencyId, submittedAt: s.submittedAt };
    const own: QueueEntry = { ...base, role: s.role, userId: s.userId, basis: 'assigned' };
    return [own, ...s.delegateRoles.filter((r) => r !== s.role).map((role): QueueEntry => ({ ...base, role, userId: null, basis: 'delegated' }))];
  });
}

/** The agencies whose officials see a case: the handling agency and every agency holding a step. */
function agenciesOf(app: Pick<ApplicationRecord, 'agencyId'>, steps: readonly Pick<CaseStepRecord, 'agencyId'>[]): string[] {
  return [...new Set([app.agencyId, ...steps.map((s) => s.agencyId)])];
}

async function publish(deps: Deps, trx: Knex.Transaction, app: ApplicationRecord, agencies: string[]): Promise<void> {
  await deps.events.publish(trx, {
    type: 'case-updated',
    agencies,
    data: { id: app.id, status: app.status, version: app.version, trackingNumber: app.trackingNumber },
  });
}

/**
 * Starts a round of the approval line: called by the applications service in the transaction
 * that (re)submits `app` (already saved as `submitted`). The form's line is copied, so later
 * edits of form files never change a running case; the first stage opens.
 */
export async function startLine(deps: Deps, trx: Knex.Transaction, app: ApplicationRecord, def: FormDefinition, applicant: User): Promise<void> {
  const round = (await caseSteps.lastRound(trx, app.id)) + 1;
  if (round > 1) {
    // A return already closed the last round; this only guards against a status set by other means.
    await caseSteps.cancelOpen(trx, app.id, round - 1);
    await caseQueue.removeAll(trx, app.id);
  }
  const stages = stagesOf(def.approvalLine);
  const submittedAt = app.submittedAt ?? deps.now();
  // A fee required before approval holds the whole line (every step waiting, nobody's queue)
  // until an official marks it paid (resumeLine); one paid before a resubmission holds nothing.
  const held = await waitsForFee(trx, app, def);
  const steps: NewCaseStep[] = def.approvalLine.map((s, i) => {
    const byRole = 'role' in s.assignee ? s.assignee : undefined;
    return {
      applicationId: app.id,
      round,
      stepId: s.id,
      position: i,
      stage: stages[i]!,
      kind: s.kind,
      agencyId: byRole?.agencyId ?? def.agencyId,
      role: byRole?.role ?? null,
      userId: 'userId' in s.assignee ? s.assignee.userId : null,
      delegateRoles: s.delegation ? [...s.delegation.allowRoles] : [],
      fourEyes: def.approvalRules?.allowSamePersonSteps !== true && s.allowSamePerson !== true,
      state: stages[i] === 0 && !held ? 'pending' : 'waiting',
      submittedAt,
    };
  });
  await caseSteps.insertMany(trx, steps);
  await caseQueue.insertMany(trx, queueEntries(steps.filter((s) => s.state === 'pending')));
  // The search terms (tracking number, applicant) never change: indexed once, for every agency
  // that sees the case; a resubmission only moves the case in the inbox order.
  const agencies = agenciesOf(app, steps);
  if (round === 1) await caseTerms.insert(trx, app.id, agencies, searchTerms(app.trackingNumber, applicant.displayName), submittedAt);
  else await caseTerms.resubmitted(trx, app.id, submittedAt);
  await publish(deps, trx, app, agencies);
}

// ---- the fee ----

/** Whether the line of `app` waits for its fee: the form requires it before approval and it is not marked paid. */
export async function waitsForFee(conn: Conn, app: Pick<ApplicationRecord, 'id'>, def: Pick<FormDefinition, 'fee'>): Promise<boolean> {
  return def.fee?.requiredBeforeApproval === true && (await feePayments.get(conn, app.id)) === undefined;
}

/**
 * The fee of an open case was marked paid: a line that waited for it goes on, from the first
 * stage with a step not yet decided (the first stage on a case that never started; the stage
 * it stood at when a mark was undone). Nothing to do when no step waits that way.
 */
export async function resumeLine(trx: Knex.Transaction, app: ApplicationRecord): Promise<void> {
  if (!OPEN.has(app.status)) return;
  const steps = await caseSteps.current(trx, app.id);
  if (steps.some((s) => s.state === 'pending' || s.state === 'cancelled')) return;
  const first = steps.find((s) => s.state === 'waiting');
  if (!first) return;
  await caseSteps.open(trx, app.id, first.round, first.stage);
  await caseQueue.insertMany(trx, queueEntries(steps.filter((s) => s.stage === first.stage && s.state === 'waiting')));
}

/**
 * The mark was undone on an open case whose form requires the fee before approval: the steps
 * open now wait again (decided ones stay decided) and leave every queue, until it is marked paid.
 */
export async function holdLine(trx: Knex.Transaction, app: ApplicationRecord): Promise<void> {
  if (!OPEN.has(app.status)) return;
  await caseSteps.hold(trx, app.id);
  await caseQueue.removeAll(trx, app.id);
}

/** Tells the inboxes that a case changed outside a decision (its fee was marked or unmarked). */
export async function publishCase(deps: Deps, trx: Knex.Transaction, app: ApplicationRecord): Promise<void> {
  await publish(deps, trx, app, agenciesOf(app, await caseSteps.current(trx, app.id)));
}

/** The agencies whose officials see a case, for its events and webhooks. */
export async function caseAgencies(conn: Conn, app: ApplicationRecord): Promise<string[]> {
  return agenciesOf(app, await caseSteps.current(conn, app.id));
}

// ---- who sees, who decides ----

/**
 * Whether an official sees a case: officials and admins of the handling agency, of an agency
 * holding a step of its line, and a person named on a step. Drafts are nobody's case yet, and
 * citizens follow their own applications through /applications, never through cases.
 */
export async function maySeeCase(conn: Conn, user: User, app: ApplicationRecord): Promise<boolean> {
  if (user.kind === 'citizen' || app.status === 'draft') return false;
  if (user.agencyId !== undefined && user.agencyId === app.agencyId) return true;
  if (user.agencyId !== undefined && (await caseSteps.agencyTakesPart(conn, app.id, user.agencyId))) return true;
  return caseSteps.userNamed(conn, app.id, user.id);
}

/** Whether `u` holds the step in their own right: they are the person it names, or have its role in its agency. */
function holds(u: User, step: Pick<CaseStepRecord, 'agencyId' | 'role' | 'userId'>): boolean {
  if (u.kind === 'citizen') return false;
  if (step.userId !== null) return u.id === step.userId;
  return step.role !== null && u.agencyId === step.agencyId && u.roles.includes(step.role);
}

/**
 * By what right `user` could decide `step`, if any: assigned first, then delegated approval,
 * then as the proxy of the first absent official (oldest delegation) who holds it.
 * `named` gives the names of people steps name (for a delegated approval of a named person).
 */
export function authorityFor(user: User, step: CaseStepRecord, absent: readonly User[], named: ReadonlyMap<string, string>): Authority | undefined {
  if (holds(user, step)) return { basis: 'assigned', onBehalfOf: null };
  if (step.kind === 'approve' && user.kind !== 'citizen' && user.agencyId === step.agencyId && step.delegateRoles.some((r) => user.roles.includes(r))) {
    const onBehalfOf: OnBehalfOf = step.userId !== null
      ? { id: step.userId, displayName: named.get(step.userId) ?? step.userId }
      : { role: step.role!, agencyId: step.agencyId };
    return { basis: 'delegated', onBehalfOf };
  }
  const forWhom = absent.find((a) => holds(a, step));
  if (forWhom) return { basis: 'proxy', onBehalfOf: { id: forWhom.id, displayName: forWhom.displayName } };
  return undefined;
}

function describeAssignee(step: CaseStepRecord, named: ReadonlyMap<string, string>): string {
  return step.userId !== null ? (named.get(step.userId) ?? 'a named official') : `the ${step.role} of ${step.agencyId}`;
}

/** Why `user` may not decide `step` of `app` now, or by what right they may (the step's state aside). */
export function decisionRight(user: User, app: Pick<ApplicationRecord, 'ownerId'>, step: CaseStepRecord, absent: readonly User[], named: ReadonlyMap<string, string>): Authority | string {
  if (user.kind === 'citizen') return 'Citizens do not decide on applications';
  // Nobody decides on their own request, nor approves their own internal draft.
  if (app.ownerId === user.id) return 'You cannot decide on an application you made';
  return authorityFor(user, step, absent, named) ?? `This step is for ${describeAssignee(step, named)}`;
}

/** A decision the person may not make although the step is open and theirs by right (see fourEyes()). */
export interface Refusal {
  type: 'four-eyes';
  title: string;
  detail: string;
  /** The id of the step of this round the person already decided. */
  step: string;
}

/**
 * The four-eyes rule: a person who decided one step of a round decides no other step of it.
 * What counts is the person who acted (`decidedBy`), whether they acted in their own name, as
 * a substitute or by delegation, and whatever right they would decide this step by. A form lifts
 * it with `approvalRules.allowSamePersonSteps` (copied onto each step of the round as
 * `fourEyes`). A new round (after a return) starts afresh: the rule is about the decisions that
 * lead to one approval. `steps` holds the case's steps (at least those `user` decided).
 */
export function fourEyes(user: Pick<User, 'id'>, step: CaseStepRecord, steps: readonly CaseStepRecord[]): Refusal | undefined {
  if (!step.fourEyes) return undefined;
  const mine = steps.find((s) => s.round === step.round && s.stepId !== step.stepId && s.state === 'done' && s.decidedBy === user.id);
  if (!mine) return undefined;
  return {
    type: 'four-eyes',
    title: 'Four-eyes rule: another official must decide this step',
    detail: `You already decided step ${mine.position + 1} of this case; another official must decide this step`,
    step: mine.stepId,
  };
}

function refused(r: Refusal): HttpError {
  return new HttpError(409, r.type, r.title, { detail: r.detail });
}

/** Why `step` of `app` cannot take a decision now (undefined when it is open). */
function closedReason(app: Pick<ApplicationRecord, 'status'>, step: CaseStepRecord): { type: string; title: string } | undefined {
  if (step.state === 'done') return { type: 'step-decided', title: 'This step has already been decided' };
  if (step.state === 'cancelled' || !OPEN.has(app.status)) return { type: 'case-closed', title: `The application is ${app.status}: its steps are closed` };
  if (step.state === 'waiting') return { type: 'step-not-open', title: 'Earlier steps of the line must be decided first' };
  return undefined;
}

/** The names of the people the steps name, for messages and views. */
export async function namedPeople(conn: Conn, steps: readonly CaseStepRecord[]): Promise<Map<string, string>> {
  const ids = steps.flatMap((s) => (s.userId !== null ? [s.userId] : []));
  return new Map((await users.getMany(conn, ids)).map((u) => [u.id, u.displayName]));
}

/** The officials `user` stands in for now (proxy delegations in their window). */
export function absentFor(conn: Conn, user: User, now: number): Promise<User[]> {
  return user.kind === 'citizen' ? Promise.resolve([]) : delegations.absentFor(conn, user.id, now);
}

/**
 * What `user` may decide on `step` now, and by what right: for the case view's buttons; when a
 * rule about the person stands in the way of an open step that is theirs, `refusal` says which.
 * `steps`: the case's steps (at least those `user` decided), for the four-eyes rule.
 */
export function openDecisions(
  user: User, app: Pick<ApplicationRecord, 'status' | 'ownerId'>, step: CaseStepRecord, absent: readonly User[], named: ReadonlyMap<string, string>, steps: readonly CaseStepRecord[],
): { decisions: DecisionKind[]; authority: Authority | null; refusal: Refusal | null } {
  const none = { decisions: [], authority: null, refusal: null };
  if (closedReason(app, step)) return none;
  const right = decisionRight(user, app, step, absent, named);
  if (typeof right === 'string') return none;
  const refusal = fourEyes(user, step, steps);
  if (refusal) return { ...none, refusal };
  return { decisions: [...DECISIONS_FOR[step.kind]], authority: right, refusal: null };
}

// ---- the decision signing subject ----

/** What a `decision` signature is about: a step of a case, as one official sees it. */
export interface DecisionSubject {
  app: ApplicationRecord;
  step: CaseStepRecord;
  right: Authority | string;
  /** The steps of the case's current round (for the four-eyes rule). */
  steps: CaseStepRecord[];
}

/**
 * The decision subject `${applicationId}:${stepId}` as `user` sees it at `now`; undefined
 * when there is no such case or step or the user may not see the case (one 404 for all).
 */
export async function loadDecisionSubject(conn: Conn, user: User, id: string, now: number): Promise<DecisionSubject | undefined> {
  const colon = id.indexOf(':');
  if (colon < 1) return undefined;
  const app = await applications.get(conn, id.slice(0, colon));
  if (!app || !(await maySeeCase(conn, user, app))) return undefined;
  const steps = await caseSteps.current(conn, app.id);
  const step = steps.find((s) => s.stepId === id.slice(colon + 1));
  if (!step) return undefined;
  return { app, step, right: decisionRight(user, app, step, await absentFor(conn, user, now), await namedPeople(conn, steps)), steps };
}

/** `true` when `user` may sign the decision now, else why not (a 403's reason, or the four-eyes 409). */
export function maySignDecision(user: User, s: DecisionSubject, decision: string): true | string | HttpError {
  const closed = closedReason(s.app, s.step);
  if (closed) return closed.title;
  if (typeof s.right === 'string') return s.right;
  const refusal = fourEyes(user, s.step, s.steps);
  if (refusal) return refused(refusal);
  if (!(DECISIONS_FOR[s.step.kind] as readonly string[]).includes(decision)) return `${decision} is not a decision on a ${s.step.kind} step`;
  return true;
}

/** For whom `right` acts, as a decided step records it (a person, or a role; all null for one's own step). */
function onBehalfOfColumns(right: Authority): { onBehalfOfUser: string | null; onBehalfOfName: string | null; onBehalfOfRole: string | null } {
  const on = right.onBehalfOf;
  return {
    onBehalfOfUser: on && 'id' in on ? on.id : null,
    onBehalfOfName: on && 'id' in on ? on.displayName : null,
    onBehalfOfRole: on && 'role' in on ? on.role : null,
  };
}

/** The mandate a decision by `right` signs: none for one's own step (from what the decided step records). */
function signedMandate(right: Authority): DecisionMandate | undefined {
  const { onBehalfOfUser: user, onBehalfOfName: name, onBehalfOfRole: role } = onBehalfOfColumns(right);
  return decisionMandate(right.basis, { user, name, role });
}

/** The digest a decision signature covers (DecisionContent in core/signing/decision.ts). */
export async function decisionSubjectDigest(app: ApplicationRecord, stepId: string, decision: DecisionKind, comment: string, right: Authority): Promise<string> {
  const mandate = signedMandate(right);
  return decisionDigest({ application: await applicationDigest(app), step: stepId, decision, comment, ...(mandate ? { mandate } : {}) });
}

// ---- deciding ----

export interface DecisionInput {
  step: string;
  decision: DecisionKind;
  /** Trimmed; undefined or '' for none. */
  comment?: string | undefined;
  signatureId: string;
}

function notAllowed(reason: string): HttpError {
  return new HttpError(403, 'not-allowed', 'You may not decide this', { detail: reason });
}

function conflict(): HttpError {
  return new HttpError(409, 'conflict', 'The case was changed at the same time', { detail: 'Somebody decided first: load the case again' });
}

/**
 * Decides a step of a case, in the caller's transaction; returns the application as saved.
 * Refusals change nothing: 403 (a citizen, a case one may not see or does not exist — the same
 * answer —, a step that is somebody else's, one's own application), 400 (an unknown step, a
 * decision the step does not take, a missing reason, a signature that is not for exactly this
 * decision on this content), 409 (the step was decided, is not open yet or any more, the case
 * changed at the same moment, or the decider took another step of this round: `four-eyes`),
 * 428 / 412 (If-Match missing / stale).
 */
export async function decide(
  deps: Deps, trx: Knex.Transaction, user: User, caseId: string, input: DecisionInput, ifMatch: number | undefined,
): Promise<ApplicationRecord> {
  const now = deps.now();
  const checked = await checkDecision(trx, user, caseId, input, ifMatch, now);
  const { app, steps, step, right, comment } = checked;
  const digest = await decisionSubjectDigest(app, step.stepId, input.decision, comment, right);
  const signature = await claimSignature(
    trx,
    { id: input.signatureId, user, subject: { type: 'decision', id: decisionSubjectId(app.id, step.stepId) }, action: input.decision, digest },
    now,
  );
  const saved = await recordDecision(trx, user, input, checked, { signatureId: signature.id, digest }, now);
  // A return stops the clock of the legal deadline until the resubmission (services/deadlines.ts).
  if (saved.status === 'returned') await refreshDue(deps, trx, saved);
  // The final decision: on time or late is recorded, and the case is no longer due.
  if (saved.status === 'approved' || saved.status === 'rejected') await closeDue(trx, app.id, now);
  await webhookEvent(deps, trx, 'application.step-decided', agenciesOf(app, steps), {
    applicationId: app.id, trackingNumber: app.trackingNumber, stepId: step.stepId, decision: input.decision, status: saved.status,
  });
  // The applicant's e-mail (services/mail.ts): returned with the official's reason, or rejected.
  if (saved.status === 'returned') {
    await notifyApplicant(deps, trx, app.ownerId, { kind: 'returned', applicationId: app.id, trackingNumber: app.trackingNumber, reason: comment });
  } else if (saved.status === 'rejected') {
    await notifyApplicant(deps, trx, app.ownerId, { kind: 'rejected', applicationId: app.id, trackingNumber: app.trackingNumber });
  }

  let final = saved;
  if (saved.status === 'approved') {
    const decisions = (await caseSteps.current(trx, app.id)).filter((s) => s.state === 'done');
    await deps.onApproved(deps, trx, { application: saved, decisions });
    // The hook may move the application on (issued, a new version): tell the inboxes what commits.
    final = (await applications.get(trx, app.id)) ?? saved;
  }
  await publish(deps, trx, final, agenciesOf(app, steps));
  return final;
}

/** A decision that passed every check, with what the transition needs. */
interface CheckedDecision {
  app: ApplicationRecord;
  steps: CaseStepRecord[];
  step: CaseStepRecord;
  right: Authority;
  comment: string;
}

/**
 * Every refusal of a decision, in the order a person would want to hear them: the case and
 * the step exist and are open, this person may decide it (and has not decided another step
 * of it: four eyes), the decision fits the step, a comment where one is owed, and If-Match.
 */
async function checkDecision(
  trx: Knex.Transaction, user: User, caseId: string, input: DecisionInput, ifMatch: number | undefined, now: number,
): Promise<CheckedDecision> {
  if (user.kind === 'citizen') throw notAllowed('Citizens do not decide on applications');
  const app = await applications.get(trx, caseId);
  // Unknown and hidden answer alike: case ids cannot be probed through decisions.
  if (!app || !(await maySeeCase(trx, user, app))) throw notAllowed('There is no case with this id that you may decide on');
  const steps = await caseSteps.current(trx, app.id);
  const step = steps.find((s) => s.stepId === input.step);
  if (!step) throw invalidField('step', 'unknown', `This case has no step "${input.step}"`);
  const closed = closedReason(app, step);
  if (closed) {
    const detail = step.state === 'done' ? `${step.decidedByName ?? 'Somebody'} decided it (${step.decision}); load the case again` : 'Load the case again';
    throw new HttpError(409, closed.type, closed.title, { detail });
  }
  const named = await namedPeople(trx, steps);
  const right = decisionRight(user, app, step, await absentFor(trx, user, now), named);
  if (typeof right === 'string') throw notAllowed(right);
  const refusal = fourEyes(user, step, steps);
  if (refusal) throw refused(refusal);
  if (!DECISIONS_FOR[step.kind].includes(input.decision)) {
    throw invalidField('decision', 'not-for-step', `A ${step.kind} step takes ${DECISIONS_FOR[step.kind].join(', ')}`);
  }
  const comment = input.comment ?? '';
  if (NEEDS_COMMENT.has(input.decision) && comment === '') {
    throw invalidField('comment', 'required', `Say why: the comment is the applicant's reason for the ${input.decision}`);
  }
  if (ifMatch === undefined) {
    throw new HttpError(428, 'precondition-required', 'If-Match is required', {
      detail: 'Send If-Match with the version (ETag) of the case you decided on',
      errors: [{ field: 'If-Match', code: 'required', message: 'If-Match is required' }],
    });
  }
  if (ifMatch !== app.version) {
    throw new HttpError(412, 'version-mismatch', 'The case changed since you loaded it', {
      detail: `You sent If-Match for version ${ifMatch}; it is now at version ${app.version}. Load it again.`,
    });
  }
  return { app, steps, step, right, comment };
}

/** Where an application goes on a decision. */
function statusAfter(decision: DecisionKind): ApplicationStatus {
  switch (decision) {
    case 'return':
      return 'returned';
    case 'reject':
      return 'rejected';
    case 'approve':
      return 'approved';
    default:
      return 'in_review';
  }
}

/**
 * The transition of a checked decision: the application's new state (the serialisation point:
 * of two decisions racing on one case, one moves the version), the step decided, the queue and
 * the next stage, and the audit entry. Returns the application as saved.
 */
async function recordDecision(
  trx: Knex.Transaction, user: User, input: DecisionInput, checked: CheckedDecision,
  signed: { signatureId: string; digest: string }, now: number,
): Promise<ApplicationRecord> {
  const { app, steps, step, right, comment } = checked;
  const stageDone = steps.every((s) => s.stage !== step.stage || s.stepId === step.stepId || s.state === 'done');
  const next = stageDone ? steps.filter((s) => s.stage === step.stage + 1) : [];
  const status = statusAfter(input.decision);
  const change: ApplicationChange = { updatedAt: now, status };
  if (status === 'returned') change.returnComment = comment;
  if (!(await applications.update(trx, app.id, app.version, change))) throw conflict();
  const saved: ApplicationRecord = { ...app, status, returnComment: change.returnComment ?? app.returnComment, updatedAt: now, version: app.version + 1 };
  const decided = {
    decision: input.decision,
    comment: comment === '' ? null : comment,
    decidedBy: user.id,
    decidedByName: user.displayName,
    basis: right.basis,
    ...onBehalfOfColumns(right),
    signatureId: signed.signatureId,
    decidedAt: now,
  };
  if (!(await caseSteps.decide(trx, { applicationId: app.id, round: step.round, stepId: step.stepId }, decided))) throw conflict();

  if (status === 'returned' || status === 'rejected') {
    await caseSteps.cancelOpen(trx, app.id, step.round);
    await caseQueue.removeAll(trx, app.id);
  } else if (status === 'approved') {
    await caseQueue.removeAll(trx, app.id);
  } else {
    await caseQueue.removeStep(trx, app.id, step.stepId);
    if (next.length > 0) {
      await caseSteps.open(trx, app.id, step.round, step.stage + 1);
      await caseQueue.insertMany(trx, queueEntries(next));
    }
  }

  const data: { [key: string]: JsonValue } = {
    step: step.stepId,
    kind: step.kind,
    decision: input.decision,
    signatureId: signed.signatureId,
    digest: signed.digest,
    decidedBy: { id: user.id, displayName: user.displayName },
    basis: right.basis,
    round: step.round,
    status,
    version: saved.version,
  };
  if (comment !== '') data.comment = comment;
  if (right.onBehalfOf) data.onBehalfOf = { ...right.onBehalfOf };
  await appendAudit(trx, { actor: user.id, action: AUDIT_ACTION[input.decision], subject: { type: 'application', id: app.id }, data }, now);
  return saved;
}

/** The decisions on a case, every round, oldest first: who decided what, by what right, for whom. */
export function caseDecisions(conn: Conn, applicationId: string): Promise<CaseStepRecord[]> {
  return caseSteps.decided(conn, applicationId);
}

// ---- proxy delegations ----

function delegationView(d: DelegationRecord, names: ReadonlyMap<string, string>): DelegationView {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: d.id,
    absent: { id: d.fromUserId, displayName: names.get(d.fromUserId) ?? '' },
    substitute: { id: d.toUserId, displayName: names.get(d.toUserId) ?? '' },
    agencyId: d.agencyId,
    from: iso(d.startsAt),
    until: iso(d.endsAt),
    createdAt: iso(d.createdAt),
    revokedAt: d.revokedAt === null ? null : iso(d.revokedAt),
  };
}

async function viewsOf(conn: Conn, list: readonly DelegationRecord[]): Promise<DelegationView[]> {
  const people = await users.getMany(conn, list.flatMap((d) => [d.fromUserId, d.toUserId]));
  const names = new Map(people.map((u) => [u.id, u.displayName]));
  return list.map((d) => delegationView(d, names));
}

function officialOnly(user: User): string {
  if (user.kind === 'citizen' || user.agencyId === undefined) throw notAllowedDelegation('Only officials delegate their approvals');
  return user.agencyId;
}

function notAllowedDelegation(reason: string): HttpError {
  return new HttpError(403, 'not-allowed', 'You may not do this', { detail: reason });
}

/**
 * An official names a substitute of their own agency to act for them from `from` until
 * `until` (epoch ms; the window holds `from`, not `until`). Ends in the future, lasts at most a
 * year. Recorded in the audit log.
 */
export async function createDelegation(
  deps: Deps, trx: Knex.Transaction, user: User, input: { toUserId: string; from: number; until: number },
): Promise<DelegationView> {
  const agencyId = officialOnly(user);
  const now = deps.now();
  if (input.toUserId === user.id) throw invalidField('toUserId', 'self', 'A substitute must be somebody else');
  const [substitute] = await users.getMany(trx, [input.toUserId]);
  // Another agency's official, a citizen and an unknown id answer alike.
  if (!substitute || substitute.kind === 'citizen' || substitute.agencyId !== agencyId) {
    throw invalidField('toUserId', 'unknown', 'There is no official of your agency with this id');
  }
  if (input.until <= input.from) throw invalidField('until', 'range', 'until must be after from');
  if (input.until <= now) throw invalidField('until', 'past', 'until must be in the future');
  if (input.until - input.from > MAX_DELEGATION_MS) throw invalidField('until', 'range', 'A delegation lasts at most 366 days');
  const record: DelegationRecord = {
    id: randomUUID(), fromUserId: user.id, toUserId: substitute.id, agencyId, startsAt: input.from, endsAt: input.until, createdAt: now, revokedAt: null,
  };
  await delegations.insert(trx, record);
  await appendAudit(trx, {
    actor: user.id,
    action: 'delegation.created',
    subject: { type: 'delegation', id: record.id },
    data: {
      absent: { id: user.id, displayName: user.displayName },
      substitute: { id: substitute.id, displayName: substitute.displayName },
      from: record.startsAt,
      until: record.endsAt,
    },
  }, now);
  return delegationView(record, new Map([[user.id, user.displayName], [substitute.id, substitute.displayName]]));
}

/** The delegations an official gave or received that have not ended. */
export async function listDelegations(deps: Deps, user: User): Promise<DelegationView[]> {
  officialOnly(user);
  return viewsOf(deps.db, await delegations.listFor(deps.db, user.id, deps.now()));
}

/** The absent official (or the substitute) ends a delegation early. Anybody else: 404. */
export async function revokeDelegation(deps: Deps, trx: Knex.Transaction, user: User, id: string): Promise<DelegationView> {
  officialOnly(user);
  const d = await delegations.get(trx, id);
  if (!d || (d.fromUserId !== user.id && d.toUserId !== user.id)) throw new HttpError(404, 'delegation-not-found', 'There is no such delegation');
  const now = deps.now();
  if (d.revokedAt === null) {
    await delegations.revoke(trx, id, now);
    await appendAudit(trx, { actor: user.id, action: 'delegation.revoked', subject: { type: 'delegation', id }, data: {} }, now);
  }
  const [view] = await viewsOf(trx, [{ ...d, revokedAt: d.revokedAt ?? now }]);
  return view!;
}

