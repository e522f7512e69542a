import Router from '@koa/router';
import { requireUser } from '../middleware/authenticate.ts';

export function meRoutes(): Router {
  const router = new Router();
  router.get('/me', requireUser(), (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { user: ctx.state.user };
  });
  return router;
}
