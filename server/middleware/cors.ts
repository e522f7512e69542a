import cors from '@koa/cors';
import type { Middleware } from 'koa';

/**
 * CORS for the configured embedding origins only. No credentials: sessions are bearer
 * tokens, so a foreign origin gains nothing it was not handed.
 */
export function corsForOrigins(options: { origins: string[] }): Middleware {
  const allowed = new Set(options.origins);
  const full = cors({
    origin: (ctx) => {
      const origin = ctx.get('Origin');
      return allowed.has(origin) ? origin : '';
    },
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Request-Id'],
    exposeHeaders: ['ETag', 'Idempotent-Replayed', 'Location', 'Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
  // Without an Origin header @koa/cors only adds `Vary: Origin` (its origin callback answers ''
  // and it calls next): done here without its async round. Origins are never '' (config.ts).
  return (ctx, next) => {
    if (ctx.get('Origin') !== '') return full(ctx, next);
    ctx.vary('Origin');
    return next();
  };
}
