import type { Knex } from 'knex';
import type { Conn } from './connection.ts';

export interface AuditRow {
  seq: number;
  at: number;
  actor: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  data: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHead {
  seq: number;
  hash: string;
}

const toRow = (r: AuditRow): AuditRow => ({ ...r, seq: Number(r.seq), at: Number(r.at) });

/**
 * The one rule for reading the log: only the entries the chain vouches for, 1 ≤ seq ≤ the head's
 * seq. The head is read by a subquery of the same statement, so the range and the rows come from
 * one snapshot (an entry appended meanwhile is either in both or in neither). A row written
 * straight into the table outside that range (seq 0, a negative one, one past the head) is not
 * part of the record: readers never show it, and `overa audit verify` reports it. With no head row
 * the range is empty: nothing is vouched for.
 */
function withinChain<Q extends Knex.QueryBuilder>(conn: Conn, query: Q, column = 'seq'): Q {
  return query.where(column, '>=', 1).where(column, '<=', conn('audit_head').where({ id: 1 }).select('seq')) as Q;
}

export const auditLog = {
  /**
   * Reads the chain head and locks it until the transaction ends (PostgreSQL; SQLite serialises
   * writers). Undefined when the head row is missing (a damaged database).
   */
  async lockHead(trx: Knex.Transaction): Promise<AuditHead | undefined> {
    // No .first(): its bound `LIMIT ?` makes SQLite's plan slower (docs/decisions.md); id is the key.
    const [row] = await trx('audit_head').where({ id: 1 }).forUpdate().select('seq', 'hash');
    return row && { seq: Number(row.seq), hash: row.hash as string };
  },
  /** The chain head, or undefined when its row is missing (a damaged database). */
  async head(db: Conn): Promise<AuditHead | undefined> {
    const row = await db('audit_head').where({ id: 1 }).first('seq', 'hash');
    return row && { seq: Number(row.seq), hash: row.hash as string };
  },
  async append(trx: Knex.Transaction, row: AuditRow): Promise<void> {
    await trx('audit_log').insert(row);
    await trx('audit_head').where({ id: 1 }).update({ seq: row.seq, hash: row.hash });
  },
  /** The entries about one subject that the chain vouches for, oldest first: an application's history, say. */
  async forSubject(db: Conn, type: string, id: string): Promise<AuditRow[]> {
    const rows = await withinChain(db, db<AuditRow>('audit_log').where({ subject_type: type, subject_id: id })).orderBy('seq');
    return rows.map(toRow);
  },
  /**
   * The rows with from ≤ seq ≤ to in sequence order, a page at a time, so verifying a long chain
   * stays in bounded memory. Reads the table as it is (for verification), not through the chain's range.
   */
  async *scan(db: Conn, range: { from: number; to: number }, pageSize = 1000): AsyncGenerator<AuditRow> {
    let from = range.from;
    for (;;) {
      const rows = await db<AuditRow>('audit_log').whereBetween('seq', [from, range.to]).orderBy('seq').limit(pageSize);
      for (const r of rows) yield toRow(r);
      if (rows.length < pageSize) return;
      from = Number(rows[rows.length - 1]!.seq) + 1;
    }
  },
  /**
   * The sequence numbers of the rows outside the chain (seq < 1 or seq > the head's, the head read
   * in the same statement), lowest first, a page at a time. Empty when the chain is whole.
   */
  async *outsideChain(db: Conn, pageSize = 1000): AsyncGenerator<number> {
    let after: number | undefined;
    for (;;) {
      const query = db('audit_log')
        .where((w) => w.where('seq', '<', 1).orWhere('seq', '>', db('audit_head').where({ id: 1 }).select('seq')))
        .orderBy('seq')
        .limit(pageSize)
        .select('seq');
      if (after !== undefined) query.where('seq', '>', after);
      const rows = (await query) as { seq: number | string }[];
      for (const r of rows) yield Number(r.seq);
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1]!.seq);
    }
  },
  /** How many rows the table holds, in the chain or not. */
  async count(db: Conn): Promise<number> {
    const [row] = (await db('audit_log').count({ n: '*' })) as { n: number | string }[];
    return Number(row!.n);
  },
};

/**
 * Subjects that belong to an agency, and where to read which agency: GET /api/v1/audit shows
 * an agency's admins the entries about these. (`agency` subjects are the agency itself.)
 */
export const AGENCY_SUBJECTS: Readonly<Record<string, { table: string; idColumn: string; agencyColumn: string }>> = {
  application: { table: 'applications', idColumn: 'id', agencyColumn: 'agency_id' },
  document: { table: 'documents', idColumn: 'id', agencyColumn: 'agency_id' },
  delegation: { table: 'delegations', idColumn: 'id', agencyColumn: 'agency_id' },
  user: { table: 'users', idColumn: 'id', agencyColumn: 'agency_id' },
  // Publishing and retiring an agency's form (services/admin-forms.ts).
  form: { table: 'forms', idColumn: 'id', agencyColumn: 'agency_id' },
};

export interface AuditPageQuery {
  /** Only entries whose actor is a user of this agency or whose subject belongs to it. */
  agencyId: string;
  subjectType?: string;
  subjectId?: string;
  actor?: string;
  /** Entries with a smaller sequence number than this (the keyset cursor); absent = from the newest. */
  beforeSeq?: number;
  limit: number;
}

/**
 * One page of an agency's audit entries that the chain vouches for, newest first: keyset-paged on
 * `seq`, so a page costs the same however deep it is. The agency rule is a set of EXISTS probes on primary keys.
 */
export async function auditPage(db: Conn, q: AuditPageQuery): Promise<AuditRow[]> {
  const query = withinChain(db, db<AuditRow>('audit_log as a'), 'a.seq').select('a.*').orderBy('a.seq', 'desc').limit(q.limit);
  if (q.beforeSeq !== undefined) query.where('a.seq', '<', q.beforeSeq);
  if (q.subjectType !== undefined) query.where('a.subject_type', q.subjectType);
  if (q.subjectId !== undefined) query.where('a.subject_id', q.subjectId);
  if (q.actor !== undefined) query.where('a.actor', q.actor);
  query.where((w) => {
    w.whereExists((s) => s.select(db.raw('1')).from('users as au').whereRaw('au.id = a.actor').where('au.agency_id', q.agencyId));
    w.orWhere((o) => o.where('a.subject_type', 'agency').where('a.subject_id', q.agencyId));
    for (const [type, t] of Object.entries(AGENCY_SUBJECTS)) {
      w.orWhere((o) =>
        o.where('a.subject_type', type).whereExists((s) =>
          s.select(db.raw('1')).from(`${t.table} as s`).whereRaw(`s.${t.idColumn} = a.subject_id`).where(`s.${t.agencyColumn}`, q.agencyId)),
      );
    }
  });
  const rows = await query;
  return rows.map(toRow);
}
