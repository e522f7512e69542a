import type { Deps } from './deps.ts';

/** Whether the database answers a trivial query: the server's readiness. */
export async function databaseReachable(deps: Pick<Deps, 'db'>): Promise<boolean> {
  try {
    await deps.db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}
