import type { User } from '../../components/core/user.ts';
import type { Conn } from './connection.ts';
import { rowToUser, type UserRow } from './users.ts';

/** Proxy approval: `toUserId` acts for `fromUserId` from `startsAt` until (not including) `endsAt`. */
export interface DelegationRecord {
  id: string;
  fromUserId: string;
  toUserId: string;
  agencyId: string;
  startsAt: number;
  endsAt: number;
  createdAt: number;
  revokedAt: number | null;
}

interface DelegationRow {
  id: string;
  from_user_id: string;
  to_user_id: string;
  agency_id: string;
  starts_at: number | string;
  ends_at: number | string;
  created_at: number | string;
  revoked_at: number | string | null;
}

function toRecord(r: DelegationRow): DelegationRecord {
  return {
    id: r.id,
    fromUserId: r.from_user_id,
    toUserId: r.to_user_id,
    agencyId: r.agency_id,
    startsAt: Number(r.starts_at),
    endsAt: Number(r.ends_at),
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at == null ? null : Number(r.revoked_at),
  };
}

export const delegations = {
  async insert(db: Conn, d: Omit<DelegationRecord, 'revokedAt'>): Promise<void> {
    await db('delegations').insert({
      id: d.id,
      from_user_id: d.fromUserId,
      to_user_id: d.toUserId,
      agency_id: d.agencyId,
      starts_at: d.startsAt,
      ends_at: d.endsAt,
      created_at: d.createdAt,
    });
  },

  async get(db: Conn, id: string): Promise<DelegationRecord | undefined> {
    const rows = await db<DelegationRow>('delegations').where({ id }).select('*');
    return rows[0] && toRecord(rows[0]);
  },

  /**
   * The officials `substituteId` stands in for at `now` (live, unrevoked delegations), oldest
   * delegation first, as users (their roles and agency are what the substitute acts with).
   */
  async absentFor(db: Conn, substituteId: string, now: number): Promise<User[]> {
    const rows = await db('delegations as d')
      .join('users as u', 'u.id', 'd.from_user_id')
      .where('d.to_user_id', substituteId)
      .andWhere('d.starts_at', '<=', now)
      .andWhere('d.ends_at', '>', now)
      .whereNull('d.revoked_at')
      .orderBy([{ column: 'd.created_at' }, { column: 'd.id' }])
      .select<UserRow[]>('u.*');
    const seen = new Set<string>();
    return rows.map(rowToUser).filter((u) => !seen.has(u.id) && seen.add(u.id));
  },

  /** Delegations a person gave or received that have not ended by `now`, soonest first. */
  async listFor(db: Conn, userId: string, now: number): Promise<DelegationRecord[]> {
    const rows = await db<DelegationRow>('delegations')
      .where((w) => w.where({ from_user_id: userId }).orWhere({ to_user_id: userId }))
      .andWhere('ends_at', '>', now)
      .whereNull('revoked_at')
      .orderBy([{ column: 'starts_at' }, { column: 'id' }])
      .select('*');
    return rows.map(toRecord);
  },

  /** Revokes a live delegation; false when it was already revoked. */
  async revoke(db: Conn, id: string, now: number): Promise<boolean> {
    return (await db('delegations').where({ id }).whereNull('revoked_at').update({ revoked_at: now })) === 1;
  },
};
