import { hash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { User } from '../../components/core/user.ts';
import type { Db } from '../db/connection.ts';
import { sessions } from '../db/sessions.ts';
import type { EventBus } from './events.ts';

/**
 * Tokens are stored only as their SHA-256: a leaked database holds no usable session.
 * One-shot `hash` (Node ≥ 20.12): every authenticated request runs this, and it skips
 * building a Hash stream object.
 */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** Issues a bearer token (256 random bits) for a user; returns the token itself, once. */
export async function createSession(db: Db | Knex.Transaction, userId: string, ttlSeconds: number, now: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await sessions.insert(db, hashToken(token), userId, now, now + ttlSeconds * 1000);
  return token;
}

/** The user a bearer token belongs to, if the session is live. */
export async function userForToken(db: Db, token: string, now: number): Promise<User | undefined> {
  return sessions.liveUser(db, hashToken(token), now);
}

/**
 * Signs out: the session's row goes, and when that commits the event streams open with the
 * token end (`session-ended`) on every instance, rather than at their next heartbeat.
 */
export async function endSession(db: Db, token: string, events: EventBus | undefined): Promise<void> {
  const tokenHash = hashToken(token);
  await db.transaction(async (trx) => {
    await sessions.delete(trx, tokenHash);
    await events?.publish(trx, { type: 'session-ended', tokenHash });
  });
}
