import type { Db } from '../db/connection.ts';
import { sessions } from '../db/sessions.ts';
import { challenges } from '../db/challenges.ts';
import { deleteExpiredIdempotencyKeys } from './idempotency.ts';
import { uploadStore } from './uploads.ts';
import { verifySpool } from './verification.ts';
import { deleteExpiredRateLimits } from './rate-limits.ts';

export interface SweepResult {
  sessions: number;
  challenges: number;
  idempotencyKeys: number;
  rateLimits: number;
  /** Temp files of uploads cut off by a crash (only when `dataDir` is given). */
  uploadTemps?: number;
  /** Spooled `POST verify` bodies left by a crash (only when `dataDir` is given). */
  verifyTemps?: number;
}

/** A temp upload file this old belongs to no live request (Node cuts requests off after 5 minutes). */
const UPLOAD_TEMP_AGE_MS = 3600 * 1000;

/**
 * Deletes expired sessions, abandoned WebAuthn challenges, idempotency keys past their
 * 24 hours, rate-limit windows that have ended, and, given the data folder, upload and verification temp files left by a crash. Safe to run on
 * every instance at once.
 */
export async function sweepExpired(db: Db, now: number, options: { dataDir?: string } = {}): Promise<SweepResult> {
  const result: SweepResult = {
    sessions: await sessions.deleteExpired(db, now),
    challenges: await challenges.deleteExpired(db, now),
    idempotencyKeys: await deleteExpiredIdempotencyKeys(db, now),
    rateLimits: await deleteExpiredRateLimits(db, now),
  };
  if (options.dataDir) {
    result.uploadTemps = await uploadStore({ dataDir: options.dataDir }).sweepTemp(now - UPLOAD_TEMP_AGE_MS);
    result.verifyTemps = await verifySpool({ dataDir: options.dataDir }).sweepTemp(now - UPLOAD_TEMP_AGE_MS);
  }
  return result;
}
