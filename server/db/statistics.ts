import type { Conn } from './connection.ts';

/**
 * The SQL of the open-data statistics (services/statistics.ts decides what is published).
 * Everything is aggregated in the database and only aggregates leave it: counts per agency,
 * form and month, and for the processing times the few ranked durations a median and a 90th
 * percentile are read from. No id, name or answer of any application is selected.
 *
 * A case is counted in the month of its *first* submission (round 1 of its approval line,
 * `case_steps.submitted_at`; a resubmission after a return does not move it). Months are
 * calendar months in Serbia: the caller gives their boundaries (epoch ms of local midnight on
 * the 1st), and the bucket is a balanced CASE over them, so both databases put a case in the
 * same month with the same SQL and no time-zone support of their own.
 */

/** One calendar month: `[start, end)` in epoch ms. */
export interface MonthBucket {
  /** `YYYY-MM`. */
  month: string;
  start: number;
  end: number;
}

export interface StatisticsFilter {
  agencyId?: string | undefined;
  formId?: string | undefined;
  /** Forms left out (internal documents are not services to the public). */
  excludeForms?: readonly string[];
  /** The months to count, consecutive and in order; cases submitted outside them are not read. */
  months: readonly MonthBucket[];
}

/** Counts of one agency, form and month. */
export interface StatisticsCounts {
  agencyId: string;
  formId: string;
  month: string;
  /** Cases first submitted in the month. */
  submitted: number;
  /** `approve` decisions on them (at most one per case). */
  approved: number;
  /** `return` decisions on them (a case may be returned more than once). */
  returned: number;
  /** `reject` decisions on them. */
  rejected: number;
  /** Of them, cases whose document was issued. */
  issued: number;
  /** Of them, cases with a final outcome: approved (and issued) or rejected. */
  finished: number;
  /** Of the finished ones, those whose form set a legal time limit (they have a due date)… */
  finishedWithDeadline: number;
  /** …and of those, the ones decided on or before their due date (`deadline_met`, migration 015). */
  onTime: number;
}

/** A ranked processing time of one group: the `rank`-th shortest (1-based) of `n`. */
export interface RankedDuration {
  agencyId: string;
  formId: string;
  month: string;
  n: number;
  rank: number;
  /** Milliseconds from the first submission to the final outcome. */
  ms: number;
}

type Binding = string | number;

function rowsOf<T>(result: unknown): T[] {
  // pg answers {rows}, better-sqlite3 the rows themselves.
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * `case when t < b then (…) else (…) end` over the month boundaries, as a balanced tree: about
 * log2(months) comparisons per case instead of one per month.
 */
function monthCase(column: string, months: readonly MonthBucket[], bindings: Binding[]): string {
  if (months.length === 1) {
    bindings.push(months[0]!.month);
    return 'cast(? as varchar(7))';
  }
  const mid = Math.floor(months.length / 2);
  bindings.push(months[mid]!.start);
  const lowBindings: Binding[] = [];
  const low = monthCase(column, months.slice(0, mid), lowBindings);
  const highBindings: Binding[] = [];
  const high = monthCase(column, months.slice(mid), highBindings);
  bindings.push(...lowBindings, ...highBindings);
  return `case when ${column} < ? then ${low} else ${high} end`;
}

/**
 * The submitted cases in the months, one row each, with their month and what became of them:
 * `finished_at` is the time of the final decision (approve or reject; issuance is counted apart,
 * from `documents`). Selected: agency, form, month, counts and times, nothing else.
 */
function casesSql(filter: StatisticsFilter, bindings: Binding[]): string {
  const months = filter.months;
  const bucket = monthCase('f.submitted_at', months, bindings);
  const where: string[] = ['f.submitted_at >= ?', 'f.submitted_at < ?'];
  const whereBindings: Binding[] = [months[0]!.start, months[months.length - 1]!.end];
  if (filter.agencyId !== undefined) {
    where.push('a.agency_id = ?');
    whereBindings.push(filter.agencyId);
  }
  if (filter.formId !== undefined) {
    where.push('a.form_id = ?');
    whereBindings.push(filter.formId);
  }
  if (filter.excludeForms?.length) {
    where.push(`a.form_id not in (${filter.excludeForms.map(() => '?').join(', ')})`);
    whereBindings.push(...filter.excludeForms);
  }
  bindings.push(...whereBindings);
  return `select a.agency_id, a.form_id, ${bucket} as bucket, f.submitted_at,
      coalesce(d.approved, 0) as approved, coalesce(d.returned, 0) as returned, coalesce(d.rejected, 0) as rejected,
      case when exists (select 1 from documents doc where doc.application_id = a.id) then 1 else 0 end as issued,
      d.finished_at,
      case when d.finished_at is not null then a.deadline_met end as on_time
    from applications a
    join case_steps f on f.application_id = a.id and f.round = 1 and f.position = 0
    left join (
      select application_id,
        sum(case when decision = 'approve' then 1 else 0 end) as approved,
        sum(case when decision = 'return' then 1 else 0 end) as returned,
        sum(case when decision = 'reject' then 1 else 0 end) as rejected,
        max(case when decision in ('approve', 'reject') then decided_at end) as finished_at
      from case_steps
      where decision in ('approve', 'return', 'reject')
      group by application_id
    ) d on d.application_id = a.id
    where ${where.join(' and ')}`;
}

export const statistics = {
  /** The first and last first-submission time of the cases the filter selects (ignoring its months). */
  async submissionRange(db: Conn, filter: Omit<StatisticsFilter, 'months'>): Promise<{ first: number; last: number } | undefined> {
    const q = db('applications as a')
      .join('case_steps as f', (j) => j.on('f.application_id', 'a.id').andOnVal('f.round', 1).andOnVal('f.position', 0))
      .min({ first: 'f.submitted_at' })
      .max({ last: 'f.submitted_at' });
    if (filter.agencyId !== undefined) q.where('a.agency_id', filter.agencyId);
    if (filter.formId !== undefined) q.where('a.form_id', filter.formId);
    if (filter.excludeForms?.length) q.whereNotIn('a.form_id', [...filter.excludeForms]);
    const [row] = (await q) as { first: number | string | null; last: number | string | null }[];
    if (!row || row.first === null || row.last === null) return undefined;
    return { first: Number(row.first), last: Number(row.last) };
  },

  /** Counts per agency, form and month, ordered by agency, form and month. */
  async counts(db: Conn, filter: StatisticsFilter): Promise<StatisticsCounts[]> {
    if (filter.months.length === 0) return [];
    const bindings: Binding[] = [];
    const cases = casesSql(filter, bindings);
    const result = await db.raw(
      `select agency_id, form_id, bucket, count(*) as submitted,
         sum(approved) as approved, sum(returned) as returned, sum(rejected) as rejected, sum(issued) as issued,
         sum(case when finished_at is not null then 1 else 0 end) as finished,
         sum(case when on_time is not null then 1 else 0 end) as finished_with_deadline,
         sum(coalesce(on_time, 0)) as on_time
       from (${cases}) c
       group by agency_id, form_id, bucket
       order by agency_id, form_id, bucket`,
      bindings,
    );
    return rowsOf<Record<string, string | number>>(result).map((r) => ({
      agencyId: String(r.agency_id),
      formId: String(r.form_id),
      month: String(r.bucket),
      submitted: Number(r.submitted),
      approved: Number(r.approved),
      returned: Number(r.returned),
      rejected: Number(r.rejected),
      issued: Number(r.issued),
      finished: Number(r.finished),
      finishedWithDeadline: Number(r.finished_with_deadline),
      onTime: Number(r.on_time),
    }));
  },

  /**
   * For each agency, form and month, the processing times at the given quantiles' ranks: for
   * quantile q of n sorted times, the ranks floor((n-1)q)+1 and the one after it (linear
   * interpolation between them, as PostgreSQL's percentile_cont does). Quantiles are given as
   * tenths (5 = median, 9 = 90th percentile) so the ranks are whole-number arithmetic on both
   * databases. Ranking is done by window functions: only those few rows per group come back.
   */
  async rankedDurations(db: Conn, filter: StatisticsFilter, tenths: readonly number[]): Promise<RankedDuration[]> {
    if (filter.months.length === 0 || tenths.length === 0) return [];
    const bindings: Binding[] = [];
    const cases = casesSql(filter, bindings);
    const ranks = tenths.flatMap((t) => {
      if (!Number.isInteger(t) || t < 0 || t > 10) throw new Error(`a quantile in tenths, not ${t}`);
      return [`(n - 1) * ${t} / 10 + 1`, `(n - 1) * ${t} / 10 + 2`];
    });
    const result = await db.raw(
      `select agency_id, form_id, bucket, n, pos, ms from (
         select agency_id, form_id, bucket, ms,
           row_number() over (partition by agency_id, form_id, bucket order by ms) as pos,
           count(*) over (partition by agency_id, form_id, bucket) as n
         from (select agency_id, form_id, bucket, finished_at - submitted_at as ms from (${cases}) c where finished_at is not null) t
       ) r
       where pos in (${ranks.join(', ')})
       order by agency_id, form_id, bucket, pos`,
      bindings,
    );
    return rowsOf<Record<string, string | number>>(result).map((r) => ({
      agencyId: String(r.agency_id),
      formId: String(r.form_id),
      month: String(r.bucket),
      n: Number(r.n),
      rank: Number(r.pos),
      ms: Number(r.ms),
    }));
  },
};
