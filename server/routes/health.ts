import Router from '@koa/router';
import type { Deps } from '../services/deps.ts';
import { databaseReachable } from '../services/health.ts';

/** Liveness and readiness in one: 200 when the database answers, 503 when it does not. */
export function healthRoutes(deps: Deps): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    if (await databaseReachable(deps)) {
      ctx.body = { status: 'ok', database: 'ok' };
    } else {
      ctx.status = 503;
      ctx.body = { status: 'unavailable', database: 'unreachable' };
    }
  });
  return router;
}
