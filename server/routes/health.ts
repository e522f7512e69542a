import Router from '@koa/router';
import type { Db } from '../db/connection.ts';

/** Liveness and readiness in one: 200 when the database answers, 503 when it does not. */
export function healthRoutes(db: Db): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    try {
      await db.raw('select 1');
      ctx.body = { status: 'ok', database: 'ok' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'unavailable', database: 'unreachable' };
    }
  });
  return router;
}
