import type { Conn } from './connection.ts';

export interface InviteRecord {
  codeHash: string;
  agencyId: string;
  roles: string[];
  kind: 'official' | 'admin';
  expiresAt: number;
  usedAt: number | null;
}

export const invites = {
  async insert(db: Conn, i: Omit<InviteRecord, 'usedAt'>, now: number): Promise<void> {
    await db('invites').insert({
      code_hash: i.codeHash,
      agency_id: i.agencyId,
      roles: JSON.stringify(i.roles),
      kind: i.kind,
      created_at: now,
      expires_at: i.expiresAt,
    });
  },
  async get(db: Conn, codeHash: string): Promise<InviteRecord | undefined> {
    const row = await db('invites').where({ code_hash: codeHash }).first();
    if (!row) return undefined;
    return {
      codeHash: row.code_hash as string,
      agencyId: row.agency_id as string,
      roles: JSON.parse(row.roles as string) as string[],
      kind: row.kind as 'official' | 'admin',
      expiresAt: Number(row.expires_at),
      usedAt: row.used_at == null ? null : Number(row.used_at),
    };
  },
  /** Marks an invite used; false if it was already used (by a concurrent request, say). */
  async consume(db: Conn, codeHash: string, userId: string, now: number): Promise<boolean> {
    const n = await db('invites').where({ code_hash: codeHash }).whereNull('used_at').update({ used_at: now, used_by: userId });
    return n === 1;
  },
};
