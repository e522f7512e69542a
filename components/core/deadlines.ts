/**
 * Legal time limits for a decision (issue 20, item 2): a form's `deadline` spec, the public
 * holidays, the due date of a case and how it stands today. Pure arithmetic on instants and
 * `YYYY-MM-DD` days in the agency's time zone (Europe/Belgrade), for the server and the
 * elements alike; nothing here reads a clock or a database.
 *
 * Hand-written rather than taken from a date library: the rules are the Serbian laws' own
 * (ZUP's counting, the Law on public holidays' Sunday rule), which no library encodes, and the
 * only time-zone work needed — a local day of an instant and the instant a local day ends —
 * is `Intl` plus `agencyMidnight`, which core already has.
 *
 * How the law is read (see docs/decisions.md, "Legal deadlines"):
 * - Zakon o opštem upravnom postupku ("Sl. glasnik RS", 18/2016 and amendments — ZUP),
 *   čl. 80 (računanje rokova): a time limit in days starts to run on the day after the event
 *   (the day of the event is not counted); if its last day falls on a day the authority does
 *   not work, it ends when the next working day ends. čl. 145: the decision is due within the
 *   time limit counted from the start of the procedure, i.e. from the submission.
 * - Interpretation (ours, the law says nothing of an online "return"): while an application is
 *   returned to the citizen for correction the clock stops, and on resubmission it runs again,
 *   counting from the day after the resubmission, as for a new event under čl. 80. The day of
 *   the return itself is counted (the authority had it). ZUP čl. 59 (neuredan zahtev; article
 *   number to confirm) deems a request corrected in time proper from the start; the issue asks
 *   for the stopped clock, which is the kinder reading for the authority and the one the inbox
 *   needs.
 * - Interpretation: "a day the authority does not work" is, for a limit in calendar days, a
 *   Sunday or a public holiday (as the ZUP of 2002 spelled it out); for a limit in working
 *   days, only Monday–Friday days that are not public holidays are counted at all, so its last
 *   day is always a working day.
 */
import { isRealDate, todayIn } from './forms/dates.ts';
import { AGENCY_TIME_ZONE, agencyMidnight } from './time-zone.ts';

/** How a form sets the time limit for a decision. */
export interface DeadlineSpec {
  /** Length of the time limit, a whole number of days, 1 to {@link MAX_DEADLINE_DAYS}. */
  readonly days: number;
  /** `calendar`: every day counts; `working`: only Monday–Friday days that are not public holidays. */
  readonly kind: 'calendar' | 'working';
}

/** The longest time limit a form may set: ten years, far beyond any a law sets, against typos. */
export const MAX_DEADLINE_DAYS = 3650;

/** Why a deadline spec was refused: where (`days`, `kind` or the spec itself) and a plain reason. */
export interface DeadlineSpecProblem {
  readonly path: '' | 'days' | 'kind';
  readonly reason: string;
}

/**
 * Checks a form's `deadline` value. Null when it is a valid {@link DeadlineSpec}; otherwise
 * the first problem found, naming the key at fault.
 */
export function checkDeadlineSpec(value: unknown): DeadlineSpecProblem | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { path: '', reason: 'deadline must be an object { days, kind }' };
  }
  const extra = Object.keys(value).find((k) => k !== 'days' && k !== 'kind');
  if (extra !== undefined) return { path: '', reason: `deadline has an unknown key "${extra}"` };
  const { days, kind } = value as { days?: unknown; kind?: unknown };
  if (typeof days !== 'number' || !Number.isFinite(days)) {
    return { path: 'days', reason: 'days must be a number' };
  }
  if (!Number.isInteger(days)) return { path: 'days', reason: `days must be a whole number of days, not ${days}` };
  if (days < 1) return { path: 'days', reason: `days must be at least 1, not ${days}` };
  if (days > MAX_DEADLINE_DAYS) return { path: 'days', reason: `days must be at most ${MAX_DEADLINE_DAYS}, not ${days}` };
  if (kind !== 'calendar' && kind !== 'working') {
    return { path: 'kind', reason: 'kind must be "calendar" or "working"' };
  }
  return null;
}

/**
 * Serbia's public non-working days in 2026, an example for tests and the demo; the agency's
 * configuration supplies the real list. From the Zakon o državnim i drugim praznicima u
 * Republici Srbiji ("Sl. glasnik RS", 43/2001, 101/2007, 92/2011):
 * - čl. 1: Sretenje, Statehood Day, 15 and 16 February;
 * - čl. 1a: New Year 1 and 2 January, Labour Day 1 and 2 May, Armistice Day 11 November
 *   (Victory Day, 9 May, is also a state holiday but čl. 3 has it worked, so it is not listed);
 * - čl. 2: Orthodox Christmas, 7 January, and Easter from Good Friday to Easter Monday
 *   (Orthodox Easter 2026 is 12 April: 10–13 April);
 * - čl. 3: on these days state bodies do not work;
 * - čl. 3a: if a day of a state holiday (čl. 1 and 1a — not the religious ones of čl. 2) falls
 *   on a Sunday, the first following working day is not worked. In 2026 Sretenje's 15 February
 *   is a Sunday and Monday the 16th is the holiday's own second day, so Tuesday 17 February is
 *   the day not worked. No other state holiday day falls on a Sunday in 2026 (2 May is a Saturday,
 *   which the law does not move).
 * Weekend days of holidays are listed too: the list says which days are holidays, the
 * arithmetic already skips weekends where it should.
 */
export const SERBIAN_PUBLIC_HOLIDAYS_2026: readonly string[] = Object.freeze([
  '2026-01-01', // Nova godina (Thursday)
  '2026-01-02', // Nova godina (Friday)
  '2026-01-07', // Božić (Wednesday)
  '2026-02-15', // Sretenje (Sunday)
  '2026-02-16', // Sretenje (Monday)
  '2026-02-17', // čl. 3a: 15 February fell on a Sunday
  '2026-04-10', // Veliki petak
  '2026-04-11', // Velika subota
  '2026-04-12', // Vaskrs
  '2026-04-13', // Vaskršnji ponedeljak
  '2026-05-01', // Praznik rada (Friday)
  '2026-05-02', // Praznik rada (Saturday)
  '2026-11-11', // Dan primirja (Wednesday)
]);

/**
 * One stretch of time during which the clock runs: from the submission (or a resubmission)
 * to the return to the citizen, in ms since the epoch; `end` absent while it still runs.
 */
export interface RunningPeriod {
  readonly start: number;
  readonly end?: number;
}

/** The last day of a time limit: the local date and the instant that day ends (23:59:59.999 local). */
export interface DueDate {
  readonly state: 'due';
  /** `YYYY-MM-DD` in Europe/Belgrade. */
  readonly date: string;
  /** ms since the epoch of the last millisecond of `date` in Europe/Belgrade. */
  readonly endsAt: number;
}

/** The clock is stopped (the application is with the citizen) and had `remainingDays` left. */
export interface PausedDeadline {
  readonly state: 'paused';
  readonly remainingDays: number;
}

const DAY_MS = 86_400_000;

/** A day as a whole number (days since 1970-01-01), so days can be counted with + and -. */
function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

function isoDay(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The local day of an instant in the agency's time zone. */
function localDay(at: number): number {
  return dayNumber(todayIn(AGENCY_TIME_ZONE, new Date(at)));
}

/**
 * The instant a local day `YYYY-MM-DD` ends in Europe/Belgrade: one ms before the next day's
 * local midnight, so 23:59:59.999 local on the 23-hour and 25-hour days of DST changes too.
 */
export function dayEndsAt(date: string): number {
  if (!isRealDate(date)) throw new TypeError(`not a date YYYY-MM-DD: "${date}"`);
  return endOfDay(dayNumber(date));
}

function endOfDay(n: number): number {
  const d = new Date(n * DAY_MS);
  return agencyMidnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate() + 1) - 1;
}

function holidaySet(holidays: readonly string[]): Set<number> {
  const set = new Set<number>();
  for (const h of holidays) {
    if (!isRealDate(h)) throw new TypeError(`a public holiday must be a date YYYY-MM-DD, not "${h}"`);
    set.add(dayNumber(h));
  }
  return set;
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(n: number): number {
  return new Date(n * DAY_MS).getUTCDay();
}

/**
 * The due date of a case: the day the time limit ends and the instant it ends.
 *
 * `periods` are the stretches the clock ran, oldest first: the submission opens the first, a
 * return closes one, a resubmission opens the next. Each stretch counts the days after its
 * start day up to and including its end day (ZUP čl. 80: the event's day is not counted);
 * with `kind: 'working'` only working days count. When the count reaches `spec.days`, that is
 * the last day; for calendar days a last day on a Sunday or a holiday moves to the next such
 * day that is neither. When the clock is stopped before the count is reached, the result is
 * `paused` with the days still left.
 *
 * Throws a TypeError for periods out of order, overlapping or open before the last, and for a
 * holiday that is not a `YYYY-MM-DD` date; the spec must have passed {@link checkDeadlineSpec}.
 */
export function dueDate(
  spec: DeadlineSpec,
  periods: readonly RunningPeriod[],
  holidays: readonly string[],
): DueDate | PausedDeadline {
  if (periods.length === 0) throw new TypeError('a deadline needs at least one running period (the submission)');
  const off = holidaySet(holidays);
  const isHoliday = (n: number): boolean => off.has(n);
  const counts = spec.kind === 'working'
    ? (n: number): boolean => weekday(n) !== 0 && weekday(n) !== 6 && !isHoliday(n)
    : (): boolean => true;

  let left = spec.days;
  let previousEnd = -Infinity;
  for (const [i, p] of periods.entries()) {
    if (!Number.isFinite(p.start) || p.start < previousEnd) {
      throw new TypeError(`running period ${i} starts before the previous one ended`);
    }
    if (p.end === undefined && i !== periods.length - 1) {
      throw new TypeError(`running period ${i} has no end but is not the last`);
    }
    if (p.end !== undefined && !(p.end >= p.start)) throw new TypeError(`running period ${i} ends before it starts`);
    const last = p.end === undefined ? Infinity : localDay(p.end);
    for (let n = localDay(p.start) + 1; n <= last; n++) {
      if (counts(n) && --left === 0) {
        let end = n;
        // ZUP čl. 80: a last day the authority does not work moves to the next working day.
        while (weekday(end) === 0 || isHoliday(end)) end++;
        return { state: 'due', date: isoDay(end), endsAt: endOfDay(end) };
      }
    }
    previousEnd = p.end ?? Infinity;
  }
  return { state: 'paused', remainingDays: left };
}

/** Where a case stands against its due date. */
export interface DeadlineStatus {
  readonly status: 'on-time' | 'due-soon' | 'overdue';
  /** Local days from today to the due date: 0 on the last day, negative once it has passed. */
  readonly daysLeft: number;
}

/**
 * How a running deadline stands at `now`: `overdue` once its last day has ended, `due-soon`
 * when `soonDays` local days or fewer are left (0: only on the last day), else `on-time`.
 */
export function deadlineStatus(due: DueDate, now: number, soonDays: number): DeadlineStatus {
  const daysLeft = dayNumber(due.date) - localDay(now);
  if (now > due.endsAt) return { status: 'overdue', daysLeft };
  return { status: daysLeft <= soonDays ? 'due-soon' : 'on-time', daysLeft };
}
