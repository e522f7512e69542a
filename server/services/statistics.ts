/**
 * Open data: an agency's service performance, published for anyone (issue 8). Per agency, form
 * and month of first submission (a calendar month in Serbia): requests submitted, the decisions
 * on them (approved, returned, rejected), documents issued, and how long requests took from first
 * submission to the final decision (approval, which normally issues the document in the same
 * transaction, or rejection): the median and the 90th percentile in days, to one decimal; and,
 * for forms that set a legal time limit, how many were decided on or before their due date and
 * their share in per cent (services/deadlines.ts keeps the due date).
 *
 * What keeps people out of it:
 * - only aggregates leave the database (db/statistics.ts): no id, name, personal number or
 *   answer of any request, no official's name;
 * - every count below `minCount` (config `openDataMinCount`, default 5) is published as `null`
 *   with `suppressed: true`, and the times only when at least `minCount` requests finished;
 * - filters only choose rows, they never change how a row is counted, so no two answers can be
 *   subtracted to recover a suppressed count;
 * - internal forms (`audience: "internal"`, documents officials draft) are not services to the
 *   public and are left out.
 */
import type { LocalizedText } from '../../components/core/forms/definition.ts';
import { localize } from '../../components/core/forms/definition.ts';
import type { OpenDataFigure, OpenDataRow, OpenDataStatistics } from '../../components/core/api.ts';
import { latinToCyrillic, toScript } from '../../components/core/transliterate.ts';
import { AGENCY_TIME_ZONE, agencyMidnight } from '../../components/core/time-zone.ts';
import { DEFAULT_OPEN_DATA_MIN_COUNT } from '../config.ts';
import { agencies } from '../db/agencies.ts';
import { statistics, type MonthBucket, type RankedDuration, type StatisticsCounts } from '../db/statistics.ts';
import type { Deps } from './deps.ts';
import type { FormRegistry } from './forms.ts';

const DAY_MS = 24 * 3600_000;
/** Months are read from 2000 on, and at most this many at once (50 years). */
const FIRST_YEAR = 2000;
export const MAX_MONTHS = 600;

export type CsvLang = 'en' | 'sr-Latn' | 'sr-Cyrl';

export interface StatisticsQuery {
  agencyId?: string | undefined;
  formId?: string | undefined;
  /** `YYYY-MM`, inclusive. */
  from?: string | undefined;
  /** `YYYY-MM`, inclusive. */
  to?: string | undefined;
}

// ---- months in Serbia ----

const BELGRADE_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: AGENCY_TIME_ZONE });

/** Midnight at the start of the 1st of a month in Serbia (`month` 1–12; 13 is January next year), as epoch ms. */
export function belgradeMonthStart(year: number, month: number): number {
  return agencyMidnight(year, month, 1);
}

/** The day in Serbia, `YYYY-MM-DD`. */
export function belgradeDay(at: number): string {
  return BELGRADE_DAY.format(new Date(at));
}

/** `YYYY-MM` → a month index (year * 12 + month - 1). */
function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function monthName(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The months from `first` to `last` (month indexes, inclusive) with their boundaries. */
export function monthBuckets(first: number, last: number): MonthBucket[] {
  const out: MonthBucket[] = [];
  let start = belgradeMonthStart(Math.floor(first / 12), (first % 12) + 1);
  for (let i = first; i <= last; i++) {
    const end = belgradeMonthStart(Math.floor((i + 1) / 12), ((i + 1) % 12) + 1);
    out.push({ month: monthName(i), start, end });
    start = end;
  }
  return out;
}

/** A month `YYYY-MM` from 2000 on, or undefined. */
export function parseMonth(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month] = [Number(m[1]), Number(m[2])];
  if (year < FIRST_YEAR || month < 1 || month > 12) return undefined;
  return text;
}

/** The month index of an instant, in Serbia. */
function monthOf(at: number): number {
  return monthIndex(belgradeDay(at).slice(0, 7));
}

// ---- the figures ----

/** A count as published: suppressed below `min`. */
function figure(value: number, min: number): OpenDataFigure {
  return value < min ? { value: null, suppressed: true } : { value, suppressed: false };
}

const SUPPRESSED: OpenDataFigure = { value: null, suppressed: true };
/** No figure because there is nothing to count (no request of the row had a legal time limit): not suppressed. */
const NOT_APPLICABLE: OpenDataFigure = { value: null, suppressed: false };

/** Milliseconds as days, to one decimal. */
function days(ms: number): number {
  return Math.round((ms / DAY_MS) * 10) / 10;
}

/**
 * Quantile `tenths`/10 of `n` sorted values, interpolated linearly between the ranks
 * floor((n-1)q)+1 and the next (1-based), from the values at those ranks.
 */
function quantile(n: number, tenths: number, at: ReadonlyMap<number, number>): number | undefined {
  const h = (n - 1) * tenths;
  const lo = Math.floor(h / 10) + 1;
  const frac = (h % 10) / 10;
  const a = at.get(lo);
  if (a === undefined) return undefined;
  if (frac === 0) return a;
  const b = at.get(lo + 1);
  return b === undefined ? undefined : a + frac * (b - a);
}

const key = (r: { agencyId: string; formId: string; month: string }) => `${r.agencyId}\u0000${r.formId}\u0000${r.month}`;

/**
 * The published rows: each count suppressed below `min`, and the median and 90th percentile of
 * the processing time only when at least `min` requests finished.
 */
export function publishRows(counts: readonly StatisticsCounts[], ranked: readonly RankedDuration[], min: number): OpenDataRow[] {
  const ranks = new Map<string, { n: number; at: Map<number, number> }>();
  for (const r of ranked) {
    const k = key(r);
    const group = ranks.get(k) ?? { n: r.n, at: new Map<number, number>() };
    group.at.set(r.rank, r.ms);
    ranks.set(k, group);
  }
  return counts.map((c) => {
    const group = ranks.get(key(c));
    const enough = c.finished >= min && group !== undefined;
    const median = enough ? quantile(group.n, 5, group.at) : undefined;
    const p90 = enough ? quantile(group.n, 9, group.at) : undefined;
    return {
      agencyId: c.agencyId,
      formId: c.formId,
      month: c.month,
      submitted: figure(c.submitted, min),
      approved: figure(c.approved, min),
      returned: figure(c.returned, min),
      rejected: figure(c.rejected, min),
      issued: figure(c.issued, min),
      finished: figure(c.finished, min),
      medianDays: median === undefined ? SUPPRESSED : { value: days(median), suppressed: false },
      p90Days: p90 === undefined ? SUPPRESSED : { value: days(p90), suppressed: false },
      // Only requests whose form set a time limit count here; none decided: nothing to publish.
      decidedOnTime: c.finishedWithDeadline === 0 ? NOT_APPLICABLE : figure(c.onTime, min),
      // The share only over at least `min` decided requests, like the times.
      onTimePercent: c.finishedWithDeadline === 0 ? NOT_APPLICABLE
        : c.finishedWithDeadline >= min ? { value: Math.round((c.onTime / c.finishedWithDeadline) * 1000) / 10, suppressed: false } : SUPPRESSED,
    };
  });
}

/** The internal forms the server knows: left out of the statistics. */
function internalForms(forms: FormRegistry): string[] {
  return forms.list().filter((f) => f.audience === 'internal').map((f) => f.id);
}

/**
 * The statistics for a query (already checked by the route: ids are slugs, months real, `from`
 * not after `to`). Without `from` / `to` the months run from the first request to the last.
 */
export async function openDataStatistics(deps: Deps, query: StatisticsQuery): Promise<OpenDataStatistics> {
  const { forms } = deps;
  const min = deps.config.openDataMinCount ?? DEFAULT_OPEN_DATA_MIN_COUNT;
  const now = deps.now();
  const base = { agencyId: query.agencyId, formId: query.formId, excludeForms: internalForms(forms) };
  const result: OpenDataStatistics = {
    asOf: belgradeDay(now),
    timeZone: AGENCY_TIME_ZONE,
    minCount: min,
    filters: { agency: query.agencyId ?? null, form: query.formId ?? null, from: query.from ?? null, to: query.to ?? null },
    agencies: [],
    forms: [],
    rows: [],
  };

  let first = query.from === undefined ? undefined : monthIndex(query.from);
  let last = query.to === undefined ? undefined : monthIndex(query.to);
  if (first === undefined || last === undefined) {
    const range = await statistics.submissionRange(deps.db, base);
    if (!range) return result;
    first ??= Math.max(monthOf(range.first), FIRST_YEAR * 12);
    last ??= Math.max(monthOf(range.last), first);
  }
  if (last < first) return result;
  // A range longer than the cap keeps its latest months (the route refuses such a query; data
  // spread that far by a wrong clock must not make one query unbounded).
  first = Math.max(first, last - MAX_MONTHS + 1);
  const filter = { ...base, months: monthBuckets(first, last) };

  const [counts, ranked] = await Promise.all([statistics.counts(deps.db, filter), statistics.rankedDurations(deps.db, filter, [5, 9])]);
  result.rows = publishRows(counts, ranked, min);

  const agencyIds = new Set(result.rows.map((r) => r.agencyId));
  const names = new Map((await agencies.list(deps.db)).map((a) => [a.id, a.name]));
  result.agencies = [...agencyIds].sort().map((id) => ({ id, name: names.get(id) ?? id }));
  result.forms = [...new Set(result.rows.map((r) => r.formId))].sort().map((id) => ({ id, title: forms.get(id)?.title ?? null }));
  return result;
}

// ---- CSV ----

export const CSV_COLUMNS = [
  'agency_id', 'agency_name', 'form_id', 'form_title', 'month',
  'submitted', 'approved', 'returned', 'rejected', 'issued', 'finished', 'median_days', 'p90_days', 'note',
  // Added later (legal deadlines): after `note`, so the columns before keep their places.
  'decided_on_time', 'on_time_percent',
] as const;

const NOTES: Record<'en' | 'sr-Latn', (min: number) => string> = {
  en: (min) => `Empty cells: fewer than ${min} (left out so that no person can be identified)`,
  'sr-Latn': (min) => `Prazna polja: manje od ${min} (izostavljeno da se niko ne bi mogao prepoznati)`,
};

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes
 * doubled. Text that a spreadsheet would take for a formula — starting with `=`, `+`, `-`, `@`,
 * a tab or a carriage return (OWASP, "CSV Injection") — gets a `'` in front, so that an agency
 * name or a form title cannot run something on the computer of whoever opens the download.
 * Numbers are figures, written as they are.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The statistics as CSV (RFC 4180: CRLF line ends, a header row, quoted fields where needed):
 * one line per row of the JSON, a suppressed figure as an empty cell with a note on its line.
 * Names and titles in `lang`; numbers with a dot as the decimal separator.
 */
export function statisticsCsv(stats: OpenDataStatistics, lang: CsvLang = 'sr-Latn'): string {
  const agencyNames = new Map(stats.agencies.map((a) => [a.id, a.name]));
  const formTitles = new Map(stats.forms.map((f) => [f.id, f.title]));
  const note = lang === 'sr-Cyrl' ? latinToCyrillic(NOTES['sr-Latn'](stats.minCount)) : NOTES[lang](stats.minCount);
  const script = lang === 'sr-Cyrl' ? 'sr-Cyrl' : 'sr-Latn';
  const title = (t: LocalizedText | null | undefined) => (t == null ? '' : localize(t, lang));
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of stats.rows) {
    const onTime = [r.decidedOnTime ?? NOT_APPLICABLE, r.onTimePercent ?? NOT_APPLICABLE];
    const figures = [r.submitted, r.approved, r.returned, r.rejected, r.issued, r.finished, r.medianDays, r.p90Days];
    const cells: (string | number | null)[] = [
      r.agencyId,
      toScript(agencyNames.get(r.agencyId) ?? '', script),
      r.formId,
      title(formTitles.get(r.formId)),
      r.month,
      ...figures.map((f) => f.value),
      [...figures, ...onTime].some((f) => f.suppressed) ? note : '',
      ...onTime.map((f) => f.value),
    ];
    lines.push(cells.map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
