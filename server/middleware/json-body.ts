import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { HttpError } from '../http-error.ts';

/**
 * Parses JSON bodies up to `limit` bytes (413 beyond, 400 on malformed JSON, both as
 * problem+json through the error middleware) and refuses other content types on writes.
 */
export function jsonBody(options: { limit: number }): Middleware {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: options.limit,
    // A body parser that swallows errors would hide malformed JSON; let them reach errorHandler.
    onError: (err) => {
      throw err;
    },
  }) as unknown as Middleware;
  return async (ctx, next) => {
    const hasBody = ctx.request.length > 0 || ctx.get('Transfer-Encoding') !== '';
    if (hasBody && ['POST', 'PUT', 'PATCH'].includes(ctx.method) && !ctx.is('application/json')) {
      throw new HttpError(415, 'unsupported-media-type', 'Send application/json', {
        detail: `Content-Type ${ctx.get('Content-Type') || '(none)'} is not accepted here`,
      });
    }
    await parse(ctx, next);
  };
}
