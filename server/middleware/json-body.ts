import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { HttpError } from '../http-error.ts';

/**
 * Parses JSON bodies up to `limit` bytes (413 beyond, 400 on malformed JSON, both as
 * problem+json through the error middleware) and refuses other content types on writes.
 * Requests to the `streamed` paths (uploads) are left unread for their route to stream.
 * Bodies nested deeper than MAX_DEPTH are refused with 400.
 */
export function jsonBody(options: { limit: number; streamed?: string[] }): Middleware {
  const streamed = new Set(options.streamed ?? []);
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: options.limit,
    // A body parser that swallows errors would hide malformed JSON; let them reach errorHandler.
    onError: (err) => {
      throw err;
    },
  }) as unknown as Middleware;
  return async (ctx, next) => {
    if (streamed.has(ctx.path.replace(/\/+$/, ''))) return next();
    const hasBody = ctx.request.length > 0 || ctx.get('Transfer-Encoding') !== '';
    if (hasBody && ['POST', 'PUT', 'PATCH'].includes(ctx.method) && !ctx.is('application/json')) {
      throw new HttpError(415, 'unsupported-media-type', 'Send application/json', {
        detail: `Content-Type ${ctx.get('Content-Type') || '(none)'} is not accepted here`,
      });
    }
    await parse(ctx, async () => {
      if (nestingDepth(ctx.request.body, MAX_DEPTH) > MAX_DEPTH) {
        throw new HttpError(400, 'too-deeply-nested', 'The request body is nested too deeply', {
          detail: `No Overa request nests JSON more than ${MAX_DEPTH} levels deep`,
        });
      }
      await next();
    });
  };
}

/**
 * Deeper than any Overa request needs. Refused here, once, so that no recursive code further
 * on (canonical JSON, request hashes, validators) can be driven into a stack overflow.
 */
const MAX_DEPTH = 64;

/** Nesting depth of a parsed JSON value, counted iteratively and only up to `stopAfter` + 1. */
function nestingDepth(value: unknown, stopAfter: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) {
      max = depth + 1;
      if (max > stopAfter) return max;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return max;
}
