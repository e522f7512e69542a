import type { Db } from '../db/connection.ts';
import { sessions } from '../db/sessions.ts';
import { challenges } from '../db/challenges.ts';

/** Deletes expired sessions and abandoned WebAuthn challenges. Safe to run on every instance at once. */
export async function sweepExpired(db: Db, now: number): Promise<{ sessions: number; challenges: number }> {
  return { sessions: await sessions.deleteExpired(db, now), challenges: await challenges.deleteExpired(db, now) };
}
