import cors from '@koa/cors';
import type { Middleware } from 'koa';

/**
 * CORS for the configured embedding origins only. No credentials: sessions are bearer
 * tokens, so a foreign origin gains nothing it was not handed.
 */
export function corsForOrigins(options: { origins: string[] }): Middleware {
  const allowed = new Set(options.origins);
  return cors({
    origin: (ctx) => {
      const origin = ctx.get('Origin');
      return allowed.has(origin) ? origin : '';
    },
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Request-Id'],
    exposeHeaders: ['ETag', 'Idempotent-Replayed', 'Location', 'Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
}
