import { hash, randomBytes } from 'node:crypto';
import type { User } from '../../components/core/user.ts';
import type { Conn, Db } from '../db/connection.ts';
import { sessions } from '../db/sessions.ts';
import { appendAudit } from './audit.ts';
import type { Deps } from './deps.ts';

/**
 * Tokens are stored only as their SHA-256: a leaked database holds no usable session.
 * One-shot `hash` (Node ≥ 20.12): every authenticated request runs this, and it skips
 * building a Hash stream object.
 */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** Issues a bearer token (256 random bits) for a user; returns the token itself, once. */
export async function createSession(db: Conn, userId: string, ttlSeconds: number, now: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await sessions.insert(db, hashToken(token), userId, now, now + ttlSeconds * 1000);
  return token;
}

/** The user a bearer token belongs to, if the session is live. */
export async function userForToken(db: Db, token: string, now: number): Promise<User | undefined> {
  return sessions.liveUser(db, hashToken(token), now);
}

/**
 * Signs out: ends the session and records it in the audit log in the same transaction, as signing
 * in does (`user.signed-in`); when that commits, the event streams open with the token end
 * (`session-ended`) on every instance, rather than at their next heartbeat. A session already
 * gone (two sign-outs racing) records nothing more.
 */
export async function endSession(deps: Pick<Deps, 'db' | 'now' | 'events'>, user: User, token: string): Promise<void> {
  const now = deps.now();
  const tokenHash = hashToken(token);
  await deps.db.transaction(async (trx) => {
    if (!(await sessions.delete(trx, tokenHash))) return;
    await appendAudit(trx, { actor: user.id, action: 'user.signed-out', subject: { type: 'user', id: user.id } }, now);
    await deps.events.publish(trx, { type: 'session-ended', tokenHash });
  });
}
