import type { Conn } from './connection.ts';

/**
 * The inbox's search index (server/search-text.ts): one row per term of a case's tracking
 * number and applicant name, per agency that sees the case, with the inbox sort key
 * (submitted_at), so that the cases of one term come out of the index already in inbox order.
 */
export const caseTerms = {
  async insert(db: Conn, applicationId: string, agencies: readonly string[], terms: readonly string[], submittedAt: number): Promise<void> {
    const rows = agencies.flatMap((agencyId) => terms.map((term) => ({ application_id: applicationId, agency_id: agencyId, term, submitted_at: submittedAt })));
    if (rows.length) await db('case_terms').insert(rows);
  },

  countPrefix,

  /** A resubmission moves the case in the inbox order. */
  async resubmitted(db: Conn, applicationId: string, submittedAt: number): Promise<void> {
    await db('case_terms').where({ application_id: applicationId }).update({ submitted_at: submittedAt });
  },

  /**
   * The distinct terms of an agency's cases that begin with `prefix`, at most `max` of them, in
   * order: a loose index walk (one seek per term, however many cases each has), written as a
   * recursive query so that both databases run it the same way.
   */
  async expand(db: Conn, agencyId: string, prefix: string, max: number): Promise<string[]> {
    const end = prefixEnd(prefix);
    const r = await db.raw(
      `with recursive v(term, n) as (
         select (select min(term) from case_terms where agency_id = ? and term >= ? and term < ?), 1
         union all
         select (select min(term) from case_terms where agency_id = ? and term > v.term and term < ?), n + 1
         from v where v.term is not null and n < ?
       )
       select term from v where term is not null`,
      [agencyId, prefix, end, agencyId, end, max],
    );
    const rows = (Array.isArray(r) ? r : (r as { rows: { term: string }[] }).rows) as { term: string }[];
    return rows.map((x) => x.term);
  },
};

/**
 * How many index entries of the agency's terms begin with `prefix`, counting no further than
 * `cap` (so it costs at most `cap` index steps).
 */
export async function countPrefix(db: Conn, agencyId: string, prefix: string, cap: number): Promise<number> {
  // Ordered as the index is, so that no planner prefers a table scan that stops "early".
  const inner = db('case_terms').where('agency_id', agencyId).andWhere('term', '>=', prefix).andWhere('term', '<', prefixEnd(prefix))
    .orderBy(['agency_id', 'term']).select(db.raw('1')).limit(cap);
  const row = (await db.from(inner.as('x')).count({ n: '*' }).first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/**
 * The smallest string after every string that begins with `prefix`: terms hold only
 * [a-z0-9-], all below `~`, compared byte by byte (the column is COLLATE "C" on PostgreSQL).
 */
export function prefixEnd(prefix: string): string {
  return `${prefix}~`;
}
