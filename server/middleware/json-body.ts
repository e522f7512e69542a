import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { watchBodyProgress } from '../body-progress.ts';
import { HttpError } from '../http-error.ts';
import { notAnObject } from '../request-body.ts';

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
  const { depth, loneSurrogate } = inspect(ctx.request.body, MAX_DEPTH);
  if (depth > MAX_DEPTH) {
    throw new HttpError(400, 'too-deeply-nested', 'The request body is nested too deeply', {
      detail: `No Overa request nests JSON more than ${MAX_DEPTH} levels deep`,
    });
  }
  if (loneSurrogate) {
    throw new HttpError(400, 'invalid-text', 'The request body contains text that is not valid Unicode', {
      detail: 'A \\uD800–\\uDFFF escape without its pair is not a character (RFC 8785 canonical JSON refuses it), and \\u0000 is not text (PostgreSQL refuses it)',
    });
  }
  await next();
}

/**
 * Deeper than any Overa request needs. Refused here, once, so that no recursive code further
 * on (canonical JSON, request hashes, validators) can be driven into a stack overflow.
 */
const MAX_DEPTH = 64;

/** A UTF-16 surrogate without its pair: JSON can carry it as an escape, but it is not text. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Not text: a lone surrogate, or NUL (which no Overa field needs and PostgreSQL cannot store in text). */
const NOT_TEXT = new RegExp(`${LONE_SURROGATE.source}|\\u0000`);

/**
 * One iterative walk over a parsed body: its nesting depth (only up to `stopAfter` + 1) and
 * whether any string or key holds a lone surrogate (which would make canonical JSON, and so
 * every digest and the audit chain, throw further on).
 */
function inspect(value: unknown, stopAfter: number): { depth: number; loneSurrogate: boolean } {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (NOT_TEXT.test(v)) return { depth: max, loneSurrogate: true };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) {
      max = depth + 1;
      if (max > stopAfter) return { depth: max, loneSurrogate: false };
    }
    if (Array.isArray(v)) {
      for (const child of v) stack.push([child, depth + 1]);
    } else {
      for (const [key, child] of Object.entries(v as object)) {
        if (NOT_TEXT.test(key)) return { depth: max, loneSurrogate: true };
        stack.push([child, depth + 1]);
      }
    }
  }
  return { depth: max, loneSurrogate: false };
}
