/**
 * The inbox's read queries. Not a table of its own: one page of applications, reached through
 * one of several indexed paths (an agency's own cases, the cases it takes part in, the queue
 * of pending steps by role or by person, the cases of one search term). Each path is a plain
 * keyset query that walks one index in `(submitted_at, id)` order and stops after `limit`
 * rows; the service merges the paths it needs. Kept apart from db/applications.ts because it
 * reads case_steps, case_queue and case_terms too, and holds the only SQL that does.
 */
import type { Knex } from 'knex';
import type { ApplicationStatus } from '../../components/core/api.ts';
import type { ApplicationRecord, StoredDue } from './applications.ts';
import type { Conn } from './connection.ts';
import { prefixEnd } from './case-terms.ts';

export type InboxSource =
  /** Applications the agency handles (`status`: only those in that status). */
  | { kind: 'agency'; agencyId: string; status?: ApplicationStatus }
  /** Other agencies' applications in whose line the agency holds a step (current round). */
  | { kind: 'participant'; agencyId: string }
  /** Applications with a step pending for a role of an agency (assigned or by delegation). */
  | { kind: 'role'; agencyId: string; role: string }
  /** Applications with a step pending for a named person. */
  | { kind: 'user'; userId: string }
  /** Applications the agency sees that have this search term (in inbox order, from the index). */
  | { kind: 'term'; agencyId: string; term: string }
  /** Applications the agency sees with any term beginning with `prefix`: sorts every match, so only for a narrow range. */
  | { kind: 'prefix'; agencyId: string; prefix: string };

export interface InboxFilter {
  statuses?: readonly ApplicationStatus[];
  formId?: string;
  /** submitted_at ≥ from (epoch ms). */
  from?: number;
  /** submitted_at < to (epoch ms). */
  to?: number;
  /**
   * Folded words each of which must begin a term of the case (besides the one a term path is
   * for), looked up among the terms of `agencyId`: the reader's agency, whose terms every case
   * it sees has.
   */
  words?: { agencyId: string; words: readonly string[] };
  /** Only cases with a pending step for one of these roles (of agencies) or persons ("assigned"). */
  queue?: { roles: readonly { agencyId: string; role: string }[]; userIds: readonly string[] };
  /** Only cases whose due date ends in `[from, before)` (epoch ms): the "due soon" / "overdue" filters. */
  due?: { from?: number; before: number };
  /**
   * `submitted` (default): newest submission first, (submitted_at desc, id desc); `due`: soonest
   * due date first, cases without one last, (coalesce(due_at, NO_DUE) asc, id asc).
   */
  sort?: 'submitted' | 'due';
  /** Keyset: rows strictly after this one in (submitted_at desc, id desc) order. */
  after?: { submittedAt: number; id: string };
  /** Keyset of the `due` order: rows strictly after this one. */
  afterDue?: { dueKey: number; id: string };
  limit: number;
}

/** The sort key of a case without a due date in the `due` order: after every real one. */
export const NO_DUE = Number.MAX_SAFE_INTEGER;


/** An application as an inbox page lists it: the record without its answers, and sent. */
export type InboxRow = Pick<ApplicationRecord, 'id' | 'trackingNumber' | 'formId' | 'formVersion' | 'agencyId' | 'ownerId' | 'status' | 'version' | 'updatedAt'> & {
  submittedAt: number;
  /** The stored due date (migration 015). */
  due: StoredDue;
};

const COLUMNS = [
  'a.id', 'a.tracking_number', 'a.form_id', 'a.form_version', 'a.agency_id', 'a.owner_id', 'a.status', 'a.version', 'a.updated_at',
  'a.due_at', 'a.due_date', 'a.due_paused_days',
];

interface Row {
  id: string;
  tracking_number: string;
  form_id: string;
  form_version: number | string;
  agency_id: string;
  owner_id: string;
  status: ApplicationStatus;
  version: number | string;
  updated_at: number | string;
  sort_at: number | string;
  due_at: number | string | null;
  due_date: string | null;
  due_paused_days: number | string | null;
}

export const inbox = {
  /**
   * One path's rows in the filter's order, at most `filter.limit`. The `due` order is two index
   * walks: the cases with a due date by (due_at, id), then, if the page is not full, those
   * without one by id (a cursor in the second part skips the first).
   */
  async page(db: Conn, source: InboxSource, filter: InboxFilter): Promise<InboxRow[]> {
    if (filter.sort !== 'due') {
      const { q, at, id } = build(db, source, filter);
      if (filter.after) q.andWhereRaw(`(${at}, ${id}) < (?, ?)`, [filter.after.submittedAt, filter.after.id]);
      const rows = (await q.select([...COLUMNS, `${at} as sort_at`])
        .orderBy([{ column: at, order: 'desc' }, { column: id, order: 'desc' }])
        .limit(filter.limit)) as Row[];
      return rows.map(toInboxRow);
    }
    const after = filter.afterDue;
    let rows: Row[] = [];
    if (after?.dueKey !== NO_DUE) {
      const { q, at, id } = build(db, source, filter);
      q.whereNotNull('a.due_at');
      if (after) q.andWhereRaw(`(a.due_at, ${id}) > (?, ?)`, [after.dueKey, after.id]);
      rows = (await q.select([...COLUMNS, `${at} as sort_at`]).orderBy([{ column: 'a.due_at' }, { column: id }]).limit(filter.limit)) as Row[];
    }
    // A `due` filter wants a due date: no second part.
    if (rows.length < filter.limit && !filter.due) {
      const { q, at, id } = build(db, source, filter);
      q.whereNull('a.due_at');
      if (after?.dueKey === NO_DUE) q.andWhere(id, '>', after.id);
      rows = rows.concat((await q.select([...COLUMNS, `${at} as sort_at`]).orderBy(id).limit(filter.limit - rows.length)) as Row[]);
    }
    return rows.map(toInboxRow);
  },
};

/** A path's query with the filter's conditions, before order, keyset and limit: the query and its sort columns. */
function build(db: Conn, source: InboxSource, filter: InboxFilter): { q: Knex.QueryBuilder; at: string; id: string } {
  let q: Knex.QueryBuilder;
  // The sort columns of the index this path walks: applications' own, or the copy of
  // submitted_at kept on case_steps / case_queue so that those tables can lead.
  let at: string;
  let id: string;
  switch (source.kind) {
    case 'agency':
      q = db('applications as a').where('a.agency_id', source.agencyId).whereNotNull('a.submitted_at');
      if (source.status !== undefined) q.andWhere('a.status', source.status);
      at = 'a.submitted_at';
      id = 'a.id';
      break;
    case 'participant':
      q = db('case_steps as s')
        .join('applications as a', 'a.id', 's.application_id')
        .where('s.agency_id', source.agencyId)
        .andWhere('a.agency_id', '<>', source.agencyId)
        // Only the current round's steps: an older round's row carries an older submitted_at.
        .andWhereRaw('s.submitted_at = a.submitted_at');
      at = 's.submitted_at';
      id = 's.application_id';
      break;
    case 'role':
      q = db('case_queue as q').join('applications as a', 'a.id', 'q.application_id').where('q.agency_id', source.agencyId).andWhere('q.role', source.role);
      at = 'q.submitted_at';
      id = 'q.application_id';
      break;
    case 'user':
      q = db('case_queue as q').join('applications as a', 'a.id', 'q.application_id').where('q.user_id', source.userId);
      at = 'q.submitted_at';
      id = 'q.application_id';
      break;
    case 'term':
      q = db('case_terms as t').join('applications as a', 'a.id', 't.application_id').where('t.agency_id', source.agencyId).andWhere('t.term', source.term);
      at = 't.submitted_at';
      id = 't.application_id';
      break;
    case 'prefix': {
      // The range's cases from the index alone (two terms of one case may share the prefix:
      // distinct), sorted; cut to the page there when nothing about the application narrows
      // them further, so that only the page's rows are joined.
      const inner = db('case_terms as r').distinct('r.application_id', 'r.submitted_at').where('r.agency_id', source.agencyId)
        .andWhere('r.term', '>=', source.prefix).andWhere('r.term', '<', prefixEnd(source.prefix));
      if (filter.from !== undefined) inner.andWhere('r.submitted_at', '>=', filter.from);
      if (filter.to !== undefined) inner.andWhere('r.submitted_at', '<', filter.to);
      if (filter.after && filter.sort !== 'due') inner.andWhereRaw('(r.submitted_at, r.application_id) < (?, ?)', [filter.after.submittedAt, filter.after.id]);
      if (!filter.statuses && filter.formId === undefined && !filter.words && !filter.queue && !filter.due && filter.sort !== 'due') {
        inner.orderBy([{ column: 'r.submitted_at', order: 'desc' }, { column: 'r.application_id', order: 'desc' }]).limit(filter.limit);
      }
      q = db.from(inner.as('t')).join('applications as a', 'a.id', 't.application_id');
      at = 't.submitted_at';
      id = 't.application_id';
      break;
    }
  }
  if (filter.statuses !== undefined && !(source.kind === 'agency' && source.status !== undefined)) q.whereIn('a.status', [...filter.statuses]);
  if (filter.formId !== undefined) q.andWhere('a.form_id', filter.formId);
  if (filter.from !== undefined) q.andWhere(at, '>=', filter.from);
  if (filter.to !== undefined) q.andWhere(at, '<', filter.to);
  for (const w of filter.words?.words ?? []) {
    // A probe of case_terms' primary key (application, agency, term) per candidate row.
    q.whereExists((e) => {
      e.select(db.raw('1')).from('case_terms as w').whereRaw(`w.application_id = ${id}`)
        .andWhere('w.agency_id', filter.words!.agencyId)
        .andWhere('w.term', '>=', w).andWhere('w.term', '<', prefixEnd(w));
    });
  }
  const queue = filter.queue;
  if (queue) {
    q.whereExists((e) => {
      e.select(db.raw('1')).from('case_queue as qq').whereRaw(`qq.application_id = ${id}`).andWhere((o) => {
        for (const r of queue.roles) o.orWhere((x) => x.where('qq.agency_id', r.agencyId).andWhere('qq.role', r.role));
        if (queue.userIds.length) o.orWhereIn('qq.user_id', [...queue.userIds]);
        if (!queue.roles.length && !queue.userIds.length) o.whereRaw('1 = 0');
      });
    });
  }
  if (filter.due) {
    if (filter.due.from !== undefined) q.andWhere('a.due_at', '>=', filter.due.from);
    q.andWhere('a.due_at', '<', filter.due.before);
  }
  return { q, at, id };
}

function toInboxRow(r: Row): InboxRow {
  return {
    id: r.id,
    trackingNumber: r.tracking_number,
    formId: r.form_id,
    formVersion: Number(r.form_version),
    agencyId: r.agency_id,
    ownerId: r.owner_id,
    status: r.status,
    version: Number(r.version),
    updatedAt: Number(r.updated_at),
    submittedAt: Number(r.sort_at),
    due: {
      dueAt: r.due_at === null ? null : Number(r.due_at),
      dueDate: r.due_date,
      pausedDays: r.due_paused_days === null ? null : Number(r.due_paused_days),
    },
  };
}
