import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Problem } from '../../components/core/problem.ts';
import { PROBLEM_TYPE_BASE } from '../../components/core/problem.ts';
import { HttpError } from '../http-error.ts';

/** Errors thrown by co-body / raw-body and Koa's ctx.throw carry a status and an expose flag. */
interface StatusError extends Error {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
}

const BODY_ERRORS: Record<string, { type: string; title: string }> = {
  'entity.too.large': { type: 'body-too-large', title: 'The request body is too large' },
  'entity.parse.failed': { type: 'malformed-json', title: 'The request body is not valid JSON' },
  'encoding.unsupported': { type: 'unsupported-encoding', title: 'The request body encoding is not supported' },
  'charset.unsupported': { type: 'unsupported-encoding', title: 'The request body charset is not supported' },
  'request.aborted': { type: 'request-aborted', title: 'The request was aborted' },
};

/**
 * The answers the API router leaves empty, in the API's words: no route for the path (404), none
 * for the method (405) or a method it does not know (501). For 405 and 501 its allowedMethods
 * has set `Allow` (RFC 9110 §15.5.6), which stays on the answer.
 */
function unanswered(ctx: Context): HttpError {
  const allow = ctx.response.get('Allow');
  // The router sets an empty Allow on a 501 for a path it has no route for: say nothing instead.
  if (!allow) ctx.remove('Allow');
  if (ctx.status === 405) {
    return new HttpError(405, 'method-not-allowed', 'This method is not allowed here', {
      detail: `${ctx.method} is not allowed at ${ctx.path}; allowed: ${allow}`,
    });
  }
  if (ctx.status === 501) {
    return new HttpError(501, 'not-implemented', 'The server does not know this method', { detail: `The server does not know ${ctx.method}` });
  }
  return new HttpError(404, 'not-found', 'Not found', { detail: `No resource at ${ctx.method} ${ctx.path}` });
}

/**
 * Comes first in the stack: turns every thrown error into application/problem+json
 * (RFC 9457). Unexpected errors are logged with the request id and answered with a
 * generic 500 that reveals nothing about the internals.
 */
export function errorHandler(options: { log: Logger }): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      const status = ctx.status;
      if ((status === 404 || status === 405 || status === 501) && ctx.body == null && ctx.path.startsWith('/api/')) throw unanswered(ctx);
    } catch (thrown) {
      const err = thrown as StatusError;
      const requestId = ctx.state.requestId as string | undefined;
      let problem: Problem;
      if (err instanceof HttpError) {
        problem = { type: err.type, title: err.title, status: err.status, detail: err.message };
        if (err.errors) problem.errors = err.errors;
        ctx.set(err.headers);
      } else {
        const status = err.status ?? err.statusCode ?? 500;
        // co-body reports bad JSON as a SyntaxError with status 400 and no type.
        const known = err instanceof SyntaxError && status === 400 ? BODY_ERRORS['entity.parse.failed'] : err.type ? BODY_ERRORS[err.type] : undefined;
        if (status >= 500 || !(err.expose ?? status < 500)) {
          options.log.error({ err, requestId }, 'unhandled error');
          problem = { type: PROBLEM_TYPE_BASE + 'internal', title: 'Internal server error', status: 500 };
        } else {
          problem = {
            type: PROBLEM_TYPE_BASE + (known?.type ?? 'bad-request'),
            title: known?.title ?? err.message,
            status,
            detail: err.message,
          };
        }
      }
      if (requestId) problem.requestId = requestId;
      problem.instance = ctx.path;
      ctx.status = problem.status;
      ctx.type = 'application/problem+json';
      ctx.body = problem;
    }
  };
}
