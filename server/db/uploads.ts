import type { Knex } from 'knex';
import type { Conn } from './connection.ts';

export interface UploadRecord {
  id: string;
  ownerId: string;
  sha256: string;
  size: number;
  mediaType: string;
  filename: string;
  createdAt: number;
}

interface UploadRow {
  id: string;
  owner_id: string;
  sha256: string;
  size: number | string;
  media_type: string;
  filename: string;
  created_at: number | string;
}

function toRecord(row: UploadRow): UploadRecord {
  return {
    id: row.id,
    ownerId: row.owner_id,
    sha256: row.sha256,
    size: Number(row.size),
    mediaType: row.media_type,
    filename: row.filename,
    createdAt: Number(row.created_at),
  };
}

export const uploads = {
  async insert(db: Conn, u: UploadRecord): Promise<void> {
    await db('uploads').insert({
      id: u.id,
      owner_id: u.ownerId,
      sha256: u.sha256,
      size: u.size,
      media_type: u.mediaType,
      filename: u.filename,
      created_at: u.createdAt,
    });
  },
  /** Those of `ids` that `ownerId` uploaded (others' ids are simply absent). */
  async listOwned(db: Conn, ownerId: string, ids: readonly string[]): Promise<UploadRecord[]> {
    if (ids.length === 0) return [];
    const rows = await db<UploadRow>('uploads').where({ owner_id: ownerId }).whereIn('id', [...new Set(ids)]).select('*');
    return rows.map(toRecord);
  },
  async get(db: Conn, id: string): Promise<UploadRecord | undefined> {
    const row = await db<UploadRow>('uploads').where({ id }).first();
    return row && toRecord(row);
  },
  /** How many uploads a user made after `since`, and when the oldest of those was made. */
  async countSince(db: Conn, ownerId: string, since: number): Promise<{ count: number; oldest: number | null }> {
    const row = await db('uploads')
      .where({ owner_id: ownerId })
      .andWhere('created_at', '>', since)
      .first<{ n: number | string; oldest: number | string | null }>(db.raw('count(*) as n'), db.raw('min(created_at) as oldest'));
    return { count: Number(row?.n ?? 0), oldest: row?.oldest == null ? null : Number(row.oldest) };
  },
  /**
   * Locks the owner's user row until the transaction ends (PostgreSQL; SQLite serialises
   * writers), so that two concurrent uploads cannot both pass the daily count check.
   */
  async lockOwner(trx: Knex.Transaction, ownerId: string): Promise<void> {
    await trx('users').where({ id: ownerId }).forUpdate().first('id');
  },
};
