import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import { rateLimits } from '../db/rate-limits.ts';

/** At most `limit` requests per client in each fixed window of `windowSeconds`. */
export interface RateLimitRule {
  /** Names the counter; rules with the same name share one budget per client. */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitOutcome {
  allowed: boolean;
  /** Requests counted in this window, this one included. */
  count: number;
  /** Seconds until the window ends and the count starts again (at least 1). */
  retryAfter: number;
}

/** Longest key stored as it is; longer client keys are stored as a hash. */
const MAX_KEY = 200;

/** The stored key of one client under one rule. */
export function rateLimitKey(name: string, client: string): string {
  const key = `${name}:${client}`;
  return key.length <= MAX_KEY ? key : `${name}:#${createHash('sha256').update(client).digest('hex')}`;
}

/**
 * Counts one request of `client` under `rule` and says whether it is allowed. Fixed windows
 * (aligned to multiples of the window length since the epoch) counted in the database, so
 * every instance behind a load balancer shares the count, and a restart forgets nothing.
 * A fixed window lets a client send up to twice the limit across a window boundary: the
 * price of one atomic statement per request, and well inside what the limits are for
 * (bounding unauthenticated writes and guessing, not metering).
 */
export async function hitRateLimit(db: Db, rule: RateLimitRule, client: string, now: number): Promise<RateLimitOutcome> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = now - (now % windowMs);
  const windowEnd = windowStart + windowMs;
  const count = await rateLimits.hit(db, rateLimitKey(rule.name, client), windowStart, windowEnd);
  return { allowed: count <= rule.limit, count, retryAfter: Math.max(1, Math.ceil((windowEnd - now) / 1000)) };
}

/** Deletes the counters of windows that have ended. */
export async function deleteExpiredRateLimits(db: Db, now: number): Promise<number> {
  return rateLimits.deleteExpired(db, now);
}
