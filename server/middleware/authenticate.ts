import type { Middleware } from 'koa';
import { HttpError } from '../http-error.ts';
import type { Deps } from '../services/deps.ts';
import { userForToken } from '../services/sessions.ts';

/** The scheme name is case-insensitive (RFC 9110 §11.1); the token is ours, so its form is known. */
const BEARER = /^Bearer ([A-Za-z0-9_-]{20,200})$/i;
/** `Bearer`, alone or followed by anything: a token was meant, even if it is malformed. */
const BEARER_SCHEME = /^Bearer(?:[ \t]|$)/i;
/**
 * An auth-scheme (an RFC 9110 token) followed by credentials: short enough to name back in the
 * answer. A lone word is not named: it may be a bare token sent without its scheme.
 */
const SCHEME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}(?=[ \t]+\S)/;

/**
 * Reads `Authorization: Bearer <token>` and puts the user in ctx.state.user. A malformed
 * or dead token is a 401 (a client should know its session ended), not anonymous access;
 * another scheme (`Basic`, …) is a 401 that says a Bearer token is expected.
 */
export function authenticate(deps: Pick<Deps, 'db' | 'now'>): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    if (header) {
      const match = BEARER.exec(header);
      const user = match ? await userForToken(deps.db, match[1]!, deps.now()) : undefined;
      if (!user) {
        if (!match && !BEARER_SCHEME.test(header)) throw bearerExpected(header);
        throw new HttpError(401, 'unauthorized', 'Your session has ended', {
          detail: 'The bearer token is unknown or expired; sign in again',
          headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        });
      }
      ctx.state.user = user;
      ctx.state.token = match![1];
    }
    await next();
  };
}

/** 401 for credentials in a scheme other than Bearer: only its name is repeated, never the credentials. */
function bearerExpected(header: string): HttpError {
  const scheme = SCHEME.exec(header)?.[0];
  return new HttpError(401, 'unauthorized', 'A Bearer token is expected', {
    detail: `${scheme ? `The ${scheme} scheme is not accepted here` : 'This Authorization header is not a Bearer token'}; send Authorization: Bearer <token>, the token from auth/login/verify`,
    // No error code: RFC 6750 §3.1, a client that used an unsupported authentication method.
    headers: { 'WWW-Authenticate': 'Bearer' },
  });
}

/** Route guard: a signed-in user is required. */
export function requireUser(): Middleware {
  return async (ctx, next) => {
    if (!ctx.state.user) {
      throw new HttpError(401, 'unauthorized', 'Sign in first', {
        detail: 'This request needs Authorization: Bearer <token>',
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    await next();
  };
}
