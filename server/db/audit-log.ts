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
