import { isIPv4, isIPv6 } from 'node:net';
import type { Middleware, ParameterizedContext } from 'koa';
import { DEFAULT_RATE_LIMITS, type RateLimitName } from '../config.ts';
import { HttpError } from '../http-error.ts';
import type { Deps } from '../services/deps.ts';
import { hitRateLimit } from '../services/rate-limits.ts';

export interface RateLimitOptions {
  /** Names the counter; limiters with the same name share one budget per client. */
  name: string;
  /** Requests allowed per client per window; 0 turns the limiter off. */
  limit: number;
  windowSeconds: number;
  /** Who is counted: an IP, a user id. `undefined` lets the request through uncounted. */
  key: (ctx: ParameterizedContext) => string | undefined;
  /**
   * Given the 429 before it is thrown. For routes that stream their body (uploads), so the
   * rest of the body can be drained and a client still sending sees the answer.
   */
  refuse?: (ctx: ParameterizedContext, err: HttpError) => Error;
}

/**
 * Counts each request against a per-client budget kept in the database (rate_limits), and
 * answers `429 too-many-requests` with `Retry-After` (seconds) beyond it. Being in the
 * database, the count holds across instances and restarts.
 *
 *   router.post('/verify', rateLimit(deps, { name: 'verify', limit: 120, windowSeconds: 60, key: clientIp }), handler);
 *
 * or, with the limits from the config: `router.post('/verify', configuredRateLimit(deps, 'verify', clientIp), handler)`.
 */
export function rateLimit(deps: Pick<Deps, 'db' | 'now'>, options: RateLimitOptions): Middleware {
  const { name, limit, windowSeconds } = options;
  if (limit <= 0) return (_ctx, next) => next();
  return async (ctx, next) => {
    const client = options.key(ctx);
    if (client !== undefined) {
      const outcome = await hitRateLimit(deps.db, { name, limit, windowSeconds }, client, deps.now());
      if (!outcome.allowed) {
        const err = new HttpError(429, 'too-many-requests', 'Too many requests', {
          detail: `At most ${limit} such requests are accepted per ${windowSeconds} seconds; try again in ${outcome.retryAfter} seconds`,
          headers: { 'Retry-After': String(outcome.retryAfter) },
        });
        throw options.refuse ? options.refuse(ctx, err) : err;
      }
    }
    await next();
  };
}

/** A limiter with the configured limit `name` (config `rateLimits`, DEFAULT_RATE_LIMITS when unset). */
export function configuredRateLimit(
  deps: Pick<Deps, 'db' | 'now' | 'config'>,
  name: RateLimitName,
  key: RateLimitOptions['key'],
  extra: Pick<RateLimitOptions, 'refuse'> = {},
): Middleware {
  const setting = deps.config.rateLimits?.[name] ?? DEFAULT_RATE_LIMITS[name];
  return rateLimit(deps, { name, limit: setting.limit, windowSeconds: setting.windowSeconds, key, ...extra });
}

/**
 * The client's address as the key: `ctx.ip`, which honours `X-Forwarded-For` only when
 * `trustProxy` is set (clientAddress says which addresses are one client).
 */
export function clientIp(ctx: ParameterizedContext): string {
  return clientAddress(ctx.ip);
}

/** The signed-in user as the key (put requireUser() first); anonymous requests are not counted. */
export function signedInUser(ctx: ParameterizedContext): string | undefined {
  return (ctx.state.user as { id?: string } | undefined)?.id;
}

/** The key of every loopback address: 127.0.0.0/8 and ::1 are this machine, over either stack. */
const LOOPBACK = 'loopback';

/**
 * Who is counted for an address. One client may reach the server over IPv4 and IPv6, so:
 * IPv4-mapped IPv6 (`::ffff:192.0.2.1`, also written `::ffff:c000:201`) is the IPv4 address;
 * the loopback addresses (127.0.0.0/8, `::1`, and mapped `::ffff:127.0.0.1`) are one client;
 * any other IPv6 address counts by its /64 (a host or a home gets a whole /64 and may pick
 * any address in it).
 */
export function clientAddress(ip: string): string {
  let a = (ip ?? '').trim().toLowerCase();
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (isIPv4(a)) return a.startsWith('127.') ? LOOPBACK : a;
  if (isIPv6(a)) {
    const groups = ipv6Groups(a);
    const zeros = (n: number) => groups.slice(0, n).every((g) => g === '0');
    if (zeros(5) && groups[5] === 'ffff') {
      const [hi, lo] = [parseInt(groups[6]!, 16), parseInt(groups[7]!, 16)];
      return clientAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    if (zeros(7) && groups[7] === '1') return LOOPBACK;
    return `${groups.slice(0, 4).join(':')}::/64`;
  }
  return a === '' ? 'unknown' : a;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros. */
function ipv6Groups(a: string): string[] {
  let text = a;
  // A trailing dotted quad (::1.2.3.4) is two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [b0, b1, b2, b3] = quad.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, quad.index) + `${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g || '0', 16).toString(16));
}

/** Sign-in (`POST auth/login/options`), per client IP. */
export const signInRateLimit = (deps: Pick<Deps, 'db' | 'now' | 'config'>) => configuredRateLimit(deps, 'signIn', clientIp);
/** Sign-up (`POST auth/register/options`), per client IP. */
export const signUpRateLimit = (deps: Pick<Deps, 'db' | 'now' | 'config'>) => configuredRateLimit(deps, 'signUp', clientIp);
/** Public verification (`POST verify`, `GET verify/:code`: one budget), per client IP. */
export const verifyRateLimit = (deps: Pick<Deps, 'db' | 'now' | 'config'>) => configuredRateLimit(deps, 'verify', clientIp);
