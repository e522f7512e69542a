import type { Knex } from 'knex';
import type { Db } from './connection.ts';

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

export const auditLog = {
  /** Reads the chain head and locks it until the transaction ends (PostgreSQL; SQLite serialises writers). */
  async lockHead(trx: Knex.Transaction): Promise<AuditHead> {
    // No .first(): its bound `LIMIT ?` makes SQLite's plan slower (docs/decisions.md); id is the key.
    const [row] = await trx('audit_head').where({ id: 1 }).forUpdate().select('seq', 'hash');
    return { seq: Number(row.seq), hash: row.hash as string };
  },
  async head(db: Db): Promise<AuditHead> {
    const row = await db('audit_head').where({ id: 1 }).first('seq', 'hash');
    return { seq: Number(row.seq), hash: row.hash as string };
  },
  async append(trx: Knex.Transaction, row: AuditRow): Promise<void> {
    await trx('audit_log').insert(row);
    await trx('audit_head').where({ id: 1 }).update({ seq: row.seq, hash: row.hash });
  },
  /** The entries about one subject, oldest first: an application's history, say. */
  async forSubject(db: Db, type: string, id: string): Promise<AuditRow[]> {
    const rows = await db<AuditRow>('audit_log').where({ subject_type: type, subject_id: id }).orderBy('seq');
    return rows.map((r) => ({ ...r, seq: Number(r.seq), at: Number(r.at) }));
  },
  /** Rows in sequence order, a page at a time, so verifying a long chain stays in bounded memory. */
  async *scan(db: Db, pageSize = 1000): AsyncGenerator<AuditRow> {
    let after = 0;
    for (;;) {
      const rows = await db<AuditRow>('audit_log').where('seq', '>', after).orderBy('seq').limit(pageSize);
      for (const r of rows) yield { ...r, seq: Number(r.seq), at: Number(r.at) };
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1]!.seq);
    }
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
 * One page of an agency's audit entries, newest first: keyset-paged on `seq`, so a page costs
 * the same however deep it is. The agency rule is a set of EXISTS probes on primary keys.
 */
export async function auditPage(db: Db, q: AuditPageQuery): Promise<AuditRow[]> {
  const query = db<AuditRow>('audit_log as a').select('a.*').orderBy('a.seq', 'desc').limit(q.limit);
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
  return rows.map((r) => ({ ...r, seq: Number(r.seq), at: Number(r.at) }));
}
