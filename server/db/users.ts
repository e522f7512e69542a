import type { User, UserKind } from '../../components/core/user.ts';
import type { Conn } from './connection.ts';

export interface UserRow {
  id: string;
  display_name: string;
  kind: UserKind;
  agency_id: string | null;
  roles: string;
  webauthn_user_id: string;
  created_at: number;
  /** From a join with agencies, where the query makes one. */
  agency_name?: string | null;
}

export interface NewUser {
  id: string;
  displayName: string;
  kind: UserKind;
  agencyId?: string;
  roles: string[];
  webauthnUserId: string;
}

export function rowToUser(row: UserRow): User {
  const user: User = { id: row.id, displayName: row.display_name, kind: row.kind, roles: JSON.parse(row.roles) as string[] };
  if (row.agency_id) user.agencyId = row.agency_id;
  if (row.agency_name) user.agencyName = row.agency_name;
  return user;
}

export const users = {
  async insert(db: Conn, u: NewUser, now: number): Promise<User> {
    await db('users').insert({
      id: u.id,
      display_name: u.displayName,
      kind: u.kind,
      agency_id: u.agencyId ?? null,
      roles: JSON.stringify(u.roles),
      webauthn_user_id: u.webauthnUserId,
      created_at: now,
    });
    return rowToUser({
      id: u.id, display_name: u.displayName, kind: u.kind, agency_id: u.agencyId ?? null,
      roles: JSON.stringify(u.roles), webauthn_user_id: u.webauthnUserId, created_at: now,
    });
  },
  /** One user, with their agency's name (what the API answers for the signed-in person). */
  async get(db: Conn, id: string): Promise<User | undefined> {
    const row = await db('users')
      .leftJoin('agencies', 'agencies.id', 'users.agency_id')
      .where('users.id', id)
      .first<UserRow | undefined>('users.*', 'agencies.name as agency_name');
    return row && rowToUser(row);
  },
  /** Several users by id (names for an inbox page or a history), in no particular order. */
  async getMany(db: Conn, ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const rows = await db<UserRow>('users').whereIn('id', [...new Set(ids)]).select('*');
    return rows.map(rowToUser);
  },
  /** The WebAuthn user handle, to check a discoverable assertion's userHandle against. */
  async webauthnUserId(db: Conn, id: string): Promise<string | undefined> {
    const row = await db<UserRow>('users').where({ id }).first('webauthn_user_id');
    return row?.webauthn_user_id;
  },
  /** Locks a user's row until the transaction ends (PostgreSQL; SQLite's writer lock already serialises). */
  async lock(db: Conn, id: string): Promise<void> {
    await db('users').where({ id }).forUpdate().first('id');
  },
  /** The officials and admins of an agency (a few dozen; the caller picks by role). */
  async ofAgency(db: Conn, agencyId: string): Promise<User[]> {
    const rows = await db<UserRow>('users').where({ agency_id: agencyId }).whereNot({ kind: 'citizen' }).orderBy('id').select('*');
    return rows.map(rowToUser);
  },
  async count(db: Conn): Promise<number> {
    const row = await db('users').count<{ n: number | string }[]>({ n: '*' }).first();
    return Number(row?.n ?? 0);
  },
};
