/** A signed-in person as the API returns it (`GET /api/v1/me`, auth responses). */
export type UserKind = 'citizen' | 'official' | 'admin';

export interface User {
  id: string;
  displayName: string;
  kind: UserKind;
  agencyId?: string;
  /** The agency's name as it registered it (officials and admins). */
  agencyName?: string;
  roles: string[];
}
