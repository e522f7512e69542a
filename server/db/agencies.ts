import { readRows, type Conn } from './connection.ts';

export interface AgencyRow {
  id: string;
  name: string;
  created_at: number;
}

export const agencies = {
  async get(db: Conn, id: string): Promise<AgencyRow | undefined> {
    return (await readRows<AgencyRow>(db, 'select * from `agencies` where `id` = ?', [id], () => db<AgencyRow>('agencies').where({ id }).select('*')))[0];
  },
  async list(db: Conn): Promise<AgencyRow[]> {
    return db<AgencyRow>('agencies').orderBy('id');
  },
  /** Inserts or renames: seeding and `overa init` may run more than once. */
  async upsert(db: Conn, row: AgencyRow): Promise<void> {
    await db('agencies').insert(row).onConflict('id').merge(['name']);
  },
};
