import type { Conn } from './connection.ts';

export interface AgencyRow {
  id: string;
  name: string;
  created_at: number;
}

export const agencies = {
  async get(db: Conn, id: string): Promise<AgencyRow | undefined> {
    return db<AgencyRow>('agencies').where({ id }).first();
  },
  async list(db: Conn): Promise<AgencyRow[]> {
    return db<AgencyRow>('agencies').orderBy('id');
  },
  /** Inserts or renames: seeding and `overa init` may run more than once. */
  async upsert(db: Conn, row: AgencyRow): Promise<void> {
    await db('agencies').insert(row).onConflict('id').merge(['name']);
  },
};
