/**
 * The officials' read side of the approval workflow: the inbox (a keyset-paged list of cases
 * with filters and search) and one case with its application, attachments, approval line and
 * history. Which cases a person sees and what they may decide are the workflow service's
 * rules (services/workflow.ts); this module only shapes answers.
 */
import type {
  ApplicationStatus,
  CaseStepView,
  CaseView,
  InboxItem,
  OnBehalfOf,
  Page,
  StepAssigneeView,
} from '../../components/core/api.ts';
import type { User } from '../../components/core/user.ts';
import { applications } from '../db/applications.ts';
import { auditLog } from '../db/audit-log.ts';
import { caseSteps, type CaseStepRecord } from '../db/case-steps.ts';
import type { Conn } from '../db/connection.ts';
import { inbox, NO_DUE, type InboxFilter, type InboxRow, type InboxSource } from '../db/inbox.ts';
import { OPEN_STATUSES } from '../db/deadlines.ts';
import { deadlineView, dueBounds, soonDays } from './deadlines.ts';
import { caseTerms } from '../db/case-terms.ts';
import { users } from '../db/users.ts';
import { badCursor, decodeCursor, encodeCursor } from '../cursor.ts';
import { HttpError, invalidField } from '../http-error.ts';
import { MIN_SEARCH_WORD, searchWords } from '../search-text.ts';
import { view } from './applications.ts';
import type { Deps } from './deps.ts';
import type { FormRegistry } from './forms.ts';
import { absentFor, maySeeCase, namedPeople, openDecisions } from './workflow.ts';
import { feeStates } from './fees.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** A search word that begins more terms than this is not read a path per term… */
const MAX_TERM_PATHS = 32;
/** …but as one sorted range when that has at most this many entries, else as a filter on the inbox order. */
const MAX_RANGE = 5000;

/** The statuses an inbox can filter by: every status a case can have (drafts are nobody's case yet). */
export const INBOX_STATUSES: readonly ApplicationStatus[] = ['submitted', 'in_review', 'approved', 'issued', 'returned', 'rejected'];

export interface InboxQuery {
  limit: number;
  cursor?: string | undefined;
  statuses?: readonly ApplicationStatus[] | undefined;
  formId?: string | undefined;
  /** submitted at or after (epoch ms). */
  from?: number | undefined;
  /** submitted before (epoch ms). */
  to?: number | undefined;
  /** `me`: a pending step names me (or an official I stand in for); `role`: a pending step is for one of my roles (or theirs, or mine by delegation). */
  assigned?: 'me' | 'role' | undefined;
  /** Words to find in the applicant's name or the tracking number. */
  q?: string | undefined;
  /** Only open cases due within `deadlineSoonDays` days (`soon`, not yet overdue) or past their due date (`overdue`). */
  due?: 'soon' | 'overdue' | undefined;
  /** `submitted` (default): newest submission first; `due`: soonest due date first, cases without one last. */
  sort?: 'submitted' | 'due' | undefined;
}

function forOfficials(user: User): string {
  if (user.kind === 'citizen' || user.agencyId === undefined) {
    throw new HttpError(403, 'not-allowed', 'The inbox is for officials', { detail: 'Follow your own applications at /api/v1/applications' });
  }
  return user.agencyId;
}

function caseNotFound(): HttpError {
  // The same whether it does not exist or is not this official's to see.
  return new HttpError(404, 'case-not-found', 'There is no such case');
}

/** Form ids whose latest version names `agencyId` on a step of another agency's line. */
function takesPartIn(forms: FormRegistry, agencyId: string): boolean {
  return forms.list().some((f) => f.agencyId !== agencyId && f.approvalLine.some((s) => 'role' in s.assignee && s.assignee.agencyId === agencyId));
}

/** Newest first, then by id: the one order every path of the inbox walks. */
function byInboxOrder(a: InboxRow, b: InboxRow): number {
  return b.submittedAt - a.submittedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

const dueKey = (r: InboxRow) => r.due.dueAt ?? NO_DUE;

/** Soonest due first, cases without a due date last, then by id: the `due` order (db/inbox.ts). */
function byDueOrder(a: InboxRow, b: InboxRow): number {
  return dueKey(a) - dueKey(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function assigneeView(step: CaseStepRecord, named: ReadonlyMap<string, string>): StepAssigneeView {
  return step.userId !== null ? { userId: step.userId, displayName: named.get(step.userId) ?? null } : { role: step.role!, agencyId: step.agencyId };
}

/**
 * One page of an official's inbox. Every path the filters need (see db/inbox.ts) is asked for
 * `limit + 1` rows after the cursor; the paths are merged in inbox order and de-duplicated (a
 * case can be pending for two of one's roles), so each page costs a few index walks of at most
 * `limit + 1` rows, however many cases there are.
 */
export async function listInbox(deps: Deps, user: User, query: InboxQuery): Promise<Page<InboxItem>> {
  const { forms } = deps;
  const agencyId = forOfficials(user);
  const now = deps.now();
  const words = query.q === undefined ? [] : searchWords(query.q);
  if (query.q !== undefined && words.length === 0) {
    throw invalidField('q', 'tooShort', `Search for at least one word of ${MIN_SEARCH_WORD} or more letters or digits`);
  }
  const filter: InboxFilter = { limit: query.limit + 1 };
  const soon = soonDays(deps.config);
  let statuses = query.statuses;
  if (query.due !== undefined) {
    // Only a case awaiting a decision is due soon or overdue: the open statuses (of those asked for).
    statuses = (statuses ?? OPEN_STATUSES).filter((s) => OPEN_STATUSES.includes(s));
    if (statuses.length === 0) return { items: [], nextCursor: null };
    filter.due = dueBounds(query.due, now, soon);
  }
  if (query.sort === 'due') filter.sort = 'due';
  if (statuses) filter.statuses = statuses;
  if (query.formId !== undefined) filter.formId = query.formId;
  if (query.from !== undefined) filter.from = query.from;
  if (query.to !== undefined) filter.to = query.to;
  if (query.cursor !== undefined && query.sort === 'due') {
    // A cursor of the due order starts with 'due', so that one of the other order is refused, not misread.
    const [order, dueAt, id] = decodeCursor(query.cursor, ['id', 'integer', 'id']);
    if (order !== 'due') throw badCursor();
    filter.afterDue = { dueKey: dueAt, id };
  } else if (query.cursor !== undefined) {
    const [submittedAt, id] = decodeCursor(query.cursor, ['integer', 'id']);
    filter.after = { submittedAt, id };
  }

  // Whom I stand in for: "assigned" needs it before the paths are chosen, `actionable` after;
  // without an assigned filter it is read alongside the pages.
  const absentLater = absentFor(deps.db, user, now);
  // Awaited below; a failure before then must not surface as an unhandled rejection.
  absentLater.catch(() => undefined);
  const absent = query.assigned ? await absentLater : [];
  const userIds = [user.id, ...absent.map((u) => u.id)];
  const rolePairs = new Map<string, { agencyId: string; role: string }>();
  for (const u of [user, ...absent]) {
    if (u.agencyId !== undefined) for (const role of u.roles) rolePairs.set(JSON.stringify([u.agencyId, role]), { agencyId: u.agencyId, role });
  }
  const sources: InboxSource[] = [];
  // How the search is read (see "The inbox" in docs/server.md).
  let search: 'terms' | 'range' | 'filter' | undefined;
  if (words.length) {
    const [driver, ...others] = words as [string, ...string[]];
    const terms = await caseTerms.expand(deps.db, agencyId, driver, MAX_TERM_PATHS + 1);
    if (terms.length <= MAX_TERM_PATHS) {
      // The usual case (a name, a number): the cases of each term the longest word begins, each
      // read in inbox order; the other words and the filters narrow them.
      search = 'terms';
      for (const term of terms) sources.push({ kind: 'term', agencyId, term });
      if (others.length) filter.words = { agencyId, words: others };
    } else if ((await caseTerms.countPrefix(deps.db, agencyId, driver, MAX_RANGE + 1)) <= MAX_RANGE) {
      // Many terms but few cases (`np-2026-k7`): sort them all.
      search = 'range';
      sources.push({ kind: 'prefix', agencyId, prefix: driver });
      if (others.length) filter.words = { agencyId, words: others };
    } else {
      // Many cases (`np-20`): walk the inbox in order and keep those that match; they are common.
      search = 'filter';
      filter.words = { agencyId, words };
    }
    if (search !== 'filter' && query.assigned === 'me') filter.queue = { roles: [], userIds };
    if (search !== 'filter' && query.assigned === 'role') filter.queue = { roles: [...rolePairs.values()], userIds: [] };
  }
  // Without search (or with a search read as a filter), the paths of the inbox order.
  if (search === undefined || search === 'filter') {
    if (query.assigned === 'me') {
      for (const id of userIds) sources.push({ kind: 'user', userId: id });
    } else if (query.assigned === 'role') {
      for (const r of rolePairs.values()) sources.push({ kind: 'role', ...r });
    } else {
      // Split by status, so that each path walks the (agency, status, submitted_at) index in order.
      if (statuses) for (const status of statuses) sources.push({ kind: 'agency', agencyId, status });
      else sources.push({ kind: 'agency', agencyId });
      if (takesPartIn(forms, agencyId)) sources.push({ kind: 'participant', agencyId });
    }
  }

  const [pages, standingIn] = await Promise.all([Promise.all(sources.map((s) => inbox.page(deps.db, s, filter))), absentLater]);
  const truncated = pages.some((p) => p.length > query.limit);
  const seen = new Set<string>();
  const merged = pages.flat().sort(query.sort === 'due' ? byDueOrder : byInboxOrder).filter((r) => !seen.has(r.id) && Boolean(seen.add(r.id)));
  const rows = merged.slice(0, query.limit);
  const hasMore = merged.length > query.limit || truncated;

  const [owners, pending, mine, fees] = await Promise.all([
    users.getMany(deps.db, rows.map((r) => r.ownerId)),
    caseSteps.pendingOf(deps.db, rows.map((r) => r.id)),
    // What I decided on the open ones: the four-eyes rule keeps me from their other steps.
    caseSteps.decidedBy(deps.db, rows.filter((r) => r.status === 'submitted' || r.status === 'in_review').map((r) => r.id), user.id),
    feeStates(deps.db, forms, rows),
  ]);
  const names = new Map(owners.map((u) => [u.id, u.displayName]));
  const named = await namedPeople(deps.db, pending);
  const items = rows.map((r): InboxItem => {
    const open = pending.filter((s) => s.applicationId === r.id);
    return {
      id: r.id,
      trackingNumber: r.trackingNumber,
      formId: r.formId,
      formVersion: r.formVersion,
      agencyId: r.agencyId,
      status: r.status,
      version: r.version,
      origin: forms.get(r.formId, r.formVersion)?.audience === 'internal' ? 'internal' : 'citizen',
      applicant: { id: r.ownerId, displayName: names.get(r.ownerId) ?? '' },
      submittedAt: iso(r.submittedAt),
      updatedAt: iso(r.updatedAt),
      pendingSteps: open.map((s) => ({ id: s.stepId, kind: s.kind, assignee: assigneeView(s, named) })),
      actionable: open.some((s) => openDecisions(user, r, s, standingIn, named, mine).decisions.length > 0),
      ...(fees.has(r.id) ? { fee: fees.get(r.id)! } : {}),
      deadline: deadlineView(r.status, r.due, now, soon),
    };
  });
  const last = rows[rows.length - 1];
  const next = last && (query.sort === 'due' ? encodeCursor(['due', dueKey(last), last.id]) : encodeCursor([last.submittedAt, last.id]));
  return { items, nextCursor: hasMore && next ? next : null };
}

function onBehalfOf(step: CaseStepRecord): OnBehalfOf | null {
  if (step.onBehalfOfUser !== null) return { id: step.onBehalfOfUser, displayName: step.onBehalfOfName ?? '' };
  if (step.onBehalfOfRole !== null) return { role: step.onBehalfOfRole, agencyId: step.agencyId };
  return null;
}

/**
 * A case as an official sees it: the application (answers, attachments), who made it (the
 * citizen, or the drafting official), the current round of its approval line with what this
 * official may decide on each step, and its full history with names. 404 for anyone who may
 * not see it; 403 for citizens (they use /applications).
 */
export async function getCase(deps: Deps, conn: Conn, user: User, id: string): Promise<CaseView> {
  const { forms } = deps;
  forOfficials(user);
  const app = await applications.get(conn, id);
  if (!app || !(await maySeeCase(conn, user, app))) throw caseNotFound();
  // One after another: `conn` may be a transaction (the answer to a decision), one connection where
  // queries run in turn anyway; Promise.all over it only queues them in pg (deprecated, gone in pg 9).
  const steps = await caseSteps.current(conn, app.id);
  const entries = await auditLog.forSubject(conn, 'application', app.id);
  const absent = await absentFor(conn, user, deps.now());
  const named = await namedPeople(conn, steps);
  const people = await users.getMany(conn, [app.ownerId, ...entries.flatMap((e) => (e.actor ? [e.actor] : []))]);
  const names = new Map(people.map((u) => [u.id, u.displayName]));
  const def = forms.get(app.formId, app.formVersion);
  const approvalLine = steps.map((s): CaseStepView => {
    const open = openDecisions(user, app, s, absent, named, steps);
    return {
      id: s.stepId,
      kind: s.kind,
      stage: s.stage,
      assignee: assigneeView(s, named),
      delegateRoles: s.delegateRoles,
      state: s.state,
      decision: s.state === 'done' && s.decision !== null
        ? {
            decision: s.decision,
            comment: s.comment,
            decidedBy: { id: s.decidedBy ?? '', displayName: s.decidedByName ?? '' },
            basis: s.basis ?? 'assigned',
            onBehalfOf: onBehalfOf(s),
            signatureId: s.signatureId ?? '',
            decidedAt: iso(s.decidedAt ?? 0),
          }
        : null,
      allowedDecisions: open.decisions,
      as: open.authority ? { basis: open.authority.basis, onBehalfOf: open.authority.onBehalfOf } : null,
      refusal: open.refusal,
    };
  });
  const due = await applications.getDue(conn, app.id);
  return {
    ...(await view(conn, forms, app, true)),
    deadline: due ? deadlineView(app.status, due, deps.now(), soonDays(deps.config)) : null,
    origin: def?.audience === 'internal' ? 'internal' : 'citizen',
    applicant: { id: app.ownerId, displayName: names.get(app.ownerId) ?? '' },
    round: steps[0]?.round ?? 0,
    approvalLine,
    history: entries.map((e) => ({
      at: iso(e.at),
      action: e.action,
      actor: e.actor,
      actorName: e.actor ? (names.get(e.actor) ?? null) : null,
      data: JSON.parse(e.data) as Record<string, unknown>,
    })),
  };
}
