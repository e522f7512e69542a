import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { watchBodyProgress } from '../body-progress.ts';
import { HttpError } from '../http-error.ts';
import { notAnObject, refuseUnreadable } from '../request-body.ts';

/**
 * Parses JSON bodies up to `limit` bytes (413 beyond, 400 on malformed JSON or JSON that is not
 * an object or array, all as problem+json through the error middleware) and refuses other
 * content types on writes.
 * Requests to the `streamed` paths (uploads) are left unread for their route to stream, and so
 * are multipart/form-data requests to the `multipart` paths.
 * Bodies nested deeper than MAX_DEPTH are refused with 400. A body that stops arriving for
 * `idleMs` is answered 408 and its connection closed (server/body-progress.ts), so a half-sent
 * body holds neither a connection nor what was read of it for long.
 */
export function jsonBody(options: { limit: number; streamed?: string[]; idleMs?: number; larger?: Record<string, number>; multipart?: string[] }): Middleware {
  const streamed = new Set(options.streamed ?? []);
  const multipart = new Set(options.multipart ?? []);
  const parser = (limit: number) => bodyParser({
    enableTypes: ['json'],
    jsonLimit: limit,
    // A body parser that swallows errors would hide malformed JSON; let them reach errorHandler.
    onError: (err) => {
      throw inOurWords(err);
    },
  }) as unknown as Middleware;
  const defaultParse = parser(options.limit);
  // Paths whose bodies carry documents (an exchange message's base64 parts) get a limit of their own.
  const larger = new Map(Object.entries(options.larger ?? {}).map(([path, limit]) => [path, parser(limit)]));
  return async (ctx, next) => {
    const path = ctx.path.replace(/\/+$/, '');
    if (streamed.has(path)) return next();
    // Paths that take JSON or multipart/form-data (an exchange message): the latter is their route's to stream.
    if (multipart.has(path) && ctx.is('multipart/form-data')) return next();
    const parse = larger.get(path) ?? defaultParse;
    const hasBody = ctx.request.length > 0 || ctx.get('Transfer-Encoding') !== '';
    if (hasBody && ['POST', 'PUT', 'PATCH'].includes(ctx.method) && !ctx.is('application/json')) {
      throw new HttpError(415, 'unsupported-media-type', 'Send application/json', {
        detail: `Content-Type ${ctx.get('Content-Type') || '(none)'} is not accepted here`,
      });
    }
    // No compressed bodies: browsers never send them, and inflating is a bomb waiting to go off
    // (a broken stream was a 500 from zlib). RFC 7694: 415 naming the coding we accept.
    const coding = ctx.get('Content-Encoding').trim().toLowerCase();
    if (hasBody && coding !== '' && coding !== 'identity') {
      throw new HttpError(415, 'unsupported-encoding', 'The request body encoding is not supported', {
        detail: `Content-Encoding ${coding} is not accepted; send the body uncompressed`,
        headers: { 'Accept-Encoding': 'identity' },
      });
    }
    // The parser reads bodies of these methods only (its `parsedMethods`); for the others it
    // would just call on, so it is not entered at all.
    if (!PARSED_METHODS.has(ctx.method.toUpperCase())) return checked(ctx, next);
    // The parser (raw-body) fails with the error a stalled body is given, and errorHandler
    // answers it; with nothing listening any more, the request is simply destroyed.
    const stop = hasBody
      ? watchBodyProgress(ctx.req, options.idleMs, (err) => {
          if (ctx.req.listenerCount('error') > 0) ctx.req.emit('error', err);
          else ctx.req.destroy();
        })
      : () => {};
    try {
      await parse(ctx, () => {
        stop();
        return checked(ctx, next);
      });
    } finally {
      stop();
    }
  };
}

/**
 * co-body's strict mode refuses every body that does not start with `{` or `[` before parsing
 * it, in its own words ("invalid JSON, only supports object and array"). Said again here: JSON
 * that is not an object (`null`, `5`, `"x"`) as RequestBody says it, anything else as malformed
 * JSON with the parser's reason. Other errors pass unchanged.
 */
function inOurWords(err: Error & { body?: unknown }): Error {
  if (!(err instanceof SyntaxError) || typeof err.body !== 'string' || OBJECT_OR_ARRAY.test(err.body)) return err;
  let value: unknown;
  try {
    value = JSON.parse(err.body);
  } catch (parseError) {
    return Object.assign(parseError as SyntaxError, { status: 400 });
  }
  return notAnObject(value);
}

/** What co-body's strict mode lets through to its parser (its `strictJSONReg`). */
const OBJECT_OR_ARRAY = /^[\x20\x09\x0a\x0d]*[[{]/;

/** @koa/bodyparser's default `parsedMethods`. */
const PARSED_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Refuses a parsed body nested too deeply or holding text that is not text, then calls on. */
async function checked(ctx: Parameters<Middleware>[0], next: () => Promise<unknown>): Promise<void> {
  refuseUnreadable(ctx.request.body);
  await next();
}
