import type { Middleware } from 'koa';
import type { Db } from '../db/connection.ts';
import { HttpError } from '../http-error.ts';
import { userForToken } from '../services/sessions.ts';

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,200})$/;

/**
 * Reads `Authorization: Bearer <token>` and puts the user in ctx.state.user. A malformed
 * or dead token is a 401 (a client should know its session ended), not anonymous access.
 */
export function authenticate(options: { db: Db; now: () => number }): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    if (header) {
      const match = BEARER.exec(header);
      const user = match ? await userForToken(options.db, match[1]!, options.now()) : undefined;
      if (!user) {
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
