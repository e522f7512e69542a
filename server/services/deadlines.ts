/**
 * Legal deadlines of cases (issue 20, item 2; docs/server.md, "Legal deadlines"). The
 * arithmetic is core's (components/core/deadlines.ts); this module feeds it and keeps its answer:
 *
 * - `dueOnSubmission` (stored by the submission's own UPDATE), `refreshDue` on a return, and
 *   `closeDue` in the transaction of the final decision: the periods the clock ran are read from the application's history
 *   (`application.submitted` / `.resubmitted` open one, `application.returned` closes it), the
 *   due date is computed with the agency's public holidays and stored on the application
 *   (`due_at`, `due_date`, or `due_paused_days` while returned), where the inbox sorts and
 *   filters by it and the statistics compare the decision's time with it;
 * - `deadlineView`, how a case stands today, for the inbox and the case view;
 * - `runDeadlineJob`, run by `overa start` every `deadlineIntervalMinutes`: the assignees of a
 *   case get one mail per configured threshold before its due date, the heads (role `head`) of
 *   its agency one notice when it is overdue. Each is claimed by inserting its row in
 *   `deadline_reminders` (insert-or-ignore) in the transaction that queues the mail, so with
 *   several instances exactly one sends it, and a crash before the commit sends nothing and
 *   leaves it to the next run. The claim is kept only when a mail was queued to someone: when
 *   nobody to tell has a confirmed address (or wants mail), the transaction is rolled back and
 *   the next run tries again, so one who confirms an address later still hears of it; once
 *   queued to someone, it is recorded and nobody gets it twice.
 */
import type { Knex } from 'knex';
import type { ApplicationStatus, CaseDeadline } from '../../components/core/api.ts';
import {
  dayEndsAt, deadlineStatus, dueDate, SERBIAN_PUBLIC_HOLIDAYS_2026, type DeadlineSpec, type DueDate, type RunningPeriod,
} from '../../components/core/deadlines.ts';
import { todayIn } from '../../components/core/forms/dates.ts';
import { AGENCY_TIME_ZONE } from '../../components/core/time-zone.ts';
import { DEFAULT_DEADLINES, type Config } from '../config.ts';
import { applications, type ApplicationRecord, type StoredDue } from '../db/applications.ts';
import { auditLog } from '../db/audit-log.ts';
import { caseQueue } from '../db/case-queue.ts';
import type { Conn } from '../db/connection.ts';
import { deadlines, OPEN_STATUSES, OVERDUE_THRESHOLD, type DueCase } from '../db/deadlines.ts';
import { users } from '../db/users.ts';
import type { Deps } from './deps.ts';
import { mailOffered, notifyOfficial, type OfficialEvent } from './mail.ts';

const DAY_MS = 86_400_000;

/** The agency's public non-working days: the configured list, else Serbia's 2026 list. */
export function publicHolidays(config: Pick<Config, 'publicHolidays'>): readonly string[] {
  return config.publicHolidays ?? SERBIAN_PUBLIC_HOLIDAYS_2026;
}

export function soonDays(config: Pick<Config, 'deadlineSoonDays'>): number {
  return config.deadlineSoonDays ?? DEFAULT_DEADLINES.deadlineSoonDays;
}

export function reminderDays(config: Pick<Config, 'deadlineReminderDays'>): readonly number[] {
  return config.deadlineReminderDays ?? DEFAULT_DEADLINES.deadlineReminderDays;
}

/** The history actions that start and stop the clock. */
const STARTS = new Set(['application.submitted', 'application.resubmitted']);
const STOPS = new Set(['application.returned']);

/**
 * The stretches the clock ran, from an application's history (oldest first): a submission or
 * resubmission opens one, a return closes the open one. Anything else is ignored, and so is a
 * start while one runs or a stop while none does (the history is what the workflow wrote).
 */
export function runningPeriods(history: readonly { action: string; at: number }[]): RunningPeriod[] {
  const periods: RunningPeriod[] = [];
  let open: number | undefined;
  for (const e of history) {
    if (STARTS.has(e.action) && open === undefined) open = e.at;
    else if (STOPS.has(e.action) && open !== undefined) {
      periods.push({ start: open, end: e.at });
      open = undefined;
    }
  }
  if (open !== undefined) periods.push({ start: open });
  return periods;
}

const NONE: StoredDue = { dueAt: null, dueDate: null, pausedDays: null };

/** The stored form of core's answer. */
function stored(spec: DeadlineSpec, periods: readonly RunningPeriod[], holidays: readonly string[]): StoredDue {
  if (periods.length === 0) return NONE;
  const r = dueDate(spec, periods, holidays);
  return r.state === 'due' ? { dueAt: r.endsAt, dueDate: r.date, pausedDays: null } : { dueAt: null, dueDate: null, pausedDays: r.remainingDays };
}

/**
 * The due date of `app` once it is (re)submitted at `at`, to be stored with the submission in
 * one UPDATE (services/applications.ts): a first submission is the one period there is, a
 * resubmission adds a period to those of its history. Undefined when the form sets no deadline.
 */
export async function dueOnSubmission(
  deps: Pick<Deps, 'config' | 'forms'>, conn: Conn, app: Pick<ApplicationRecord, 'id' | 'formId' | 'formVersion'>, at: number, resubmission: boolean,
): Promise<StoredDue | undefined> {
  const spec = deps.forms.get(app.formId, app.formVersion)?.deadline;
  if (!spec) return undefined;
  const history = resubmission ? await auditLog.forSubject(conn, 'application', app.id) : [];
  const periods = runningPeriods([...history, { action: resubmission ? 'application.resubmitted' : 'application.submitted', at }]);
  return stored(spec, periods, publicHolidays(deps.config));
}

/**
 * Computes and stores the due date of `app` after a transition that moved the clock (a return),
 * or for a case that has none (the job's backfill), in its transaction, from its history (the
 * audit entry of the transition already appended). Nothing to do when the form sets no deadline.
 */
export async function refreshDue(
  deps: Pick<Deps, 'config' | 'forms'>, trx: Knex.Transaction, app: Pick<ApplicationRecord, 'id' | 'formId' | 'formVersion'>,
): Promise<StoredDue> {
  const spec = deps.forms.get(app.formId, app.formVersion)?.deadline;
  if (!spec) return NONE;
  const due = stored(spec, runningPeriods(await auditLog.forSubject(trx, 'application', app.id)), publicHolidays(deps.config));
  await applications.setDue(trx, app.id, due);
  return due;
}

/**
 * The final decision (approve or reject) of a case, in its transaction: whether it came on or
 * before the due date is recorded for the statistics, and the case stops being due.
 */
export async function closeDue(trx: Knex.Transaction, applicationId: string, now: number): Promise<void> {
  await applications.closeDue(trx, applicationId, now);
}

/** Days from local day `a` to local day `b` (`YYYY-MM-DD`). */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** The local day `n` days after `day`. */
function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** How a case with the stored due date stands at `now` (null when its form sets no deadline). */
export function deadlineView(status: ApplicationStatus, due: StoredDue, now: number, soon: number): CaseDeadline | null {
  if (due.dueAt === null && due.dueDate === null && due.pausedDays === null) return null;
  const dueAt = due.dueAt === null ? null : new Date(due.dueAt).toISOString();
  const base = { dueDate: due.dueDate, dueAt, daysLeft: null, status: null, remainingDays: null };
  if (status === 'returned') return { ...base, state: 'paused', remainingDays: due.pausedDays ?? 0 };
  if ((OPEN_STATUSES as readonly string[]).includes(status) && due.dueAt !== null && due.dueDate !== null) {
    const s = deadlineStatus({ state: 'due', date: due.dueDate, endsAt: due.dueAt } satisfies DueDate, now, soon);
    return { ...base, state: 'running', daysLeft: s.daysLeft, status: s.status };
  }
  return { ...base, state: 'closed' };
}

/** The inbox's `due` filter as bounds on `due_at`: `[from, before)`. */
export function dueBounds(due: 'soon' | 'overdue', now: number, soon: number): { from?: number; before: number } {
  if (due === 'overdue') return { before: now };
  return { from: now, before: dayEndsAt(addDays(todayIn(AGENCY_TIME_ZONE, new Date(now)), soon)) + 1 };
}

// ---- the reminder job ----

export interface DeadlineJobSummary {
  /** Open cases that got the due date they lacked (submitted before their form had a deadline, or before migration 015). */
  backfilled: number;
  /** Mails queued to assignees before a due date. */
  reminders: number;
  /** Mails queued to heads about overdue cases. */
  overdueNotices: number;
}

/** Cases read per query of a run. */
const DEFAULT_BATCH = 500;

/** The officials who hold a case's pending steps in their own right, by id. */
async function assigneesOf(conn: Conn, applicationId: string): Promise<string[]> {
  const held = await caseQueue.assignedOf(conn, applicationId);
  const ids = new Set<string>();
  for (const agencyId of new Set(held.filter((h) => h.role !== null).map((h) => h.agencyId))) {
    const people = await users.ofAgency(conn, agencyId);
    for (const h of held) if (h.agencyId === agencyId && h.role !== null) for (const u of people) if (u.roles.includes(h.role)) ids.add(u.id);
  }
  for (const h of held) if (h.userId !== null) ids.add(h.userId);
  return [...ids].sort();
}

/**
 * One run of the deadline job at `deps.now()`: reminders to assignees at each configured
 * threshold (days before the due date, counted in local days as the inbox shows them; several
 * thresholds reached at once give one mail), then one notice per overdue case to the heads of
 * its agency. Without mail configured it sends and records nothing. First it gives open cases
 * that lack one their due date (`backfill`).
 */
export async function runDeadlineJob(
  deps: Pick<Deps, 'db' | 'config' | 'now' | 'log' | 'forms'>,
  /** `batch`: cases read per query (default 500; tests make pages small). */
  options: { batch?: number } = {},
): Promise<DeadlineJobSummary> {
  const batch = options.batch ?? DEFAULT_BATCH;
  const summary: DeadlineJobSummary = { backfilled: await backfill(deps, batch), reminders: 0, overdueNotices: 0 };
  if (!mailOffered(deps.config)) return summary;
  const now = deps.now();
  const today = todayIn(AGENCY_TIME_ZONE, new Date(now));
  const thresholds = reminderDays(deps.config);

  if (thresholds.length > 0) {
    const furthest = Math.max(...thresholds);
    const until = dayEndsAt(addDays(today, furthest));
    // Every case in the window, a page at a time: those already reminded are read again (the
    // claim answers "sent"), so a single page could leave the later ones waiting for ever.
    let after: { dueAt: number; id: string } | undefined;
    for (;;) {
      const near = await deadlines.openDueBetween(deps.db, now, until, batch, after);
      for (const c of near) summary.reminders += await remind(deps, c, daysBetween(today, c.dueDate), thresholds, now);
      const last = near.at(-1);
      if (near.length < batch || !last) break;
      after = { dueAt: last.dueAt, id: last.id };
    }
  }
  // Keyset pages: a case whose head could not be told (no confirmed address) stays in this
  // query until one can, and must not hold the page the cases after it are on.
  let lateAfter: { dueAt: number; id: string } | undefined;
  for (;;) {
    const late = await deadlines.openOverdueUnnoticed(deps.db, now, batch, lateAfter);
    for (const c of late) summary.overdueNotices += await noticeOverdue(deps, c, now);
    const last = late.at(-1);
    if (late.length < batch || !last) break;
    lateAfter = { dueAt: last.dueAt, id: last.id };
  }
  return summary;
}

/**
 * Due dates for open or returned cases of form versions with a `deadline` that have none stored
 * (submitted before the form had one, or before migration 015), computed from their history as a
 * transition would. A batch per run; each in a transaction of its own.
 */
async function backfill(deps: Pick<Deps, 'db' | 'config' | 'forms'>, batch: number): Promise<number> {
  const versions: { formId: string; version: number }[] = [];
  for (const latest of deps.forms.list()) {
    for (let v = 1; v <= latest.version; v++) if (deps.forms.get(latest.id, v)?.deadline) versions.push({ formId: latest.id, version: v });
  }
  const lacking = await deadlines.withoutDue(deps.db, versions, batch);
  for (const app of lacking) await deps.db.transaction((trx) => refreshDue(deps, trx, app));
  return lacking.length;
}

/** Thrown in a claim's transaction when no mail was queued: rolls the claim back. */
class NothingQueued extends Error {}

/**
 * Claims `thresholds` of `c`'s due date and, when this run got any of them, queues the mails to
 * `recipients` in the same transaction; the claim is kept only if at least one mail was queued
 * (otherwise the next run tries again). Returns the number of mails queued.
 */
async function claimAndNotify(
  deps: Pick<Deps, 'db' | 'config' | 'now'>, c: DueCase, thresholds: readonly number[], now: number,
  recipients: (trx: Knex.Transaction) => Promise<readonly string[]>, event: OfficialEvent,
): Promise<number> {
  try {
    return await deps.db.transaction(async (trx) => {
      const claimed = await deadlines.claim(trx, c.id, c.dueDate, thresholds, now);
      if (claimed.length === 0) return 0;
      let sent = 0;
      for (const userId of await recipients(trx)) if (await notifyOfficial(deps, trx, userId, event)) sent++;
      if (sent === 0) throw new NothingQueued();
      return sent;
    });
  } catch (e) {
    if (e instanceof NothingQueued) return 0;
    throw e;
  }
}

async function remind(deps: Pick<Deps, 'db' | 'config' | 'now'>, c: DueCase, daysLeft: number, thresholds: readonly number[], now: number): Promise<number> {
  const reached = thresholds.filter((t) => daysLeft <= t);
  if (reached.length === 0) return 0;
  return claimAndNotify(deps, c, reached, now, (trx) => assigneesOf(trx, c.id), { kind: 'deadline-reminder', trackingNumber: c.trackingNumber, dueDate: c.dueDate, daysLeft });
}

async function noticeOverdue(deps: Pick<Deps, 'db' | 'config' | 'now'>, c: DueCase, now: number): Promise<number> {
  const heads = async (trx: Knex.Transaction) => (await users.ofAgency(trx, c.agencyId)).filter((u) => u.kind === 'official' && u.roles.includes('head')).map((u) => u.id);
  return claimAndNotify(deps, c, [OVERDUE_THRESHOLD], now, heads, { kind: 'deadline-overdue', trackingNumber: c.trackingNumber, dueDate: c.dueDate });
}

/** The job of `overa start`: runs every `deadlineIntervalMinutes` (0: never), one run at a time. */
export function startDeadlineJob(deps: Pick<Deps, 'db' | 'config' | 'now' | 'log' | 'forms'>): { stop(): void } {
  const minutes = deps.config.deadlineIntervalMinutes ?? DEFAULT_DEADLINES.deadlineIntervalMinutes;
  if (minutes <= 0) return { stop() {} };
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    runDeadlineJob(deps)
      .then((s) => { if (s.backfilled || s.reminders || s.overdueNotices) deps.log.info(s, 'deadline job run'); })
      .catch((err: unknown) => deps.log.warn({ err }, 'deadline job failed'))
      .finally(() => { running = false; });
  };
  const timer = setInterval(run, minutes * 60_000);
  timer.unref();
  // A first run soon after the start, so a restart does not delay a due reminder by a whole interval.
  const first = setTimeout(run, 5_000);
  first.unref();
  return {
    stop() {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}
