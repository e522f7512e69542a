import type { Middleware } from 'koa';
import type { Logger } from 'pino';

/** One structured log line per request: method, path, status, duration, request id, user. */
export function accessLog(options: { log: Logger }): Middleware {
  return async (ctx, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      options.log.info(
        {
          requestId: ctx.state.requestId,
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round((performance.now() - start) * 10) / 10,
          user: (ctx.state.user as { id?: string } | undefined)?.id,
        },
        'request',
      );
    }
  };
}
