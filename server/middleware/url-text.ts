import type { Middleware } from 'koa';
import { HttpError } from '../http-error.ts';

/**
 * Refuses a NUL (`%00`) in the path or the query string, as jsonBody refuses it in bodies:
 * no Overa id or parameter holds one, and PostgreSQL cannot compare text with it (the query
 * would fail with a 500 instead of finding nothing).
 */
export function refuseNulInUrl(): Middleware {
  return async (ctx, next) => {
    if (/%00/.test(ctx.path) || /%00/.test(ctx.querystring)) {
      throw new HttpError(400, 'invalid-text', 'The address contains text that is not allowed', {
        detail: 'A NUL character (%00) in the path or the query is never valid here',
      });
    }
    await next();
  };
}
