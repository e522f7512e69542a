import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { HttpError } from '../http-error.ts';
import { RequestBody } from '../request-body.ts';
import type { Deps } from '../services/deps.ts';
import {
  addWebhook, listWebhooks, removeWebhook, retryWebhookDelivery, rotateWebhookSecret, testWebhook, webhookDeliveries,
} from '../services/webhooks.ts';

/** An agency's administrator: webhooks hear that agency's events. */
function requireAdmin(ctx: ParameterizedContext): string {
  const user = ctx.state.user as User;
  if (user.kind !== 'admin' || !user.agencyId) {
    throw new HttpError(403, 'not-allowed', 'Only an agency administrator may manage webhooks');
  }
  return user.agencyId;
}

/**
 * Webhooks for the agency's systems (docs/server.md, "Webhooks"); rules in services/webhooks.ts.
 *  - `GET|POST /admin/webhooks`, `DELETE /admin/webhooks/:id`;
 *  - `POST /admin/webhooks/:id/rotate` (a new secret), `POST /admin/webhooks/:id/test`;
 *  - `GET /admin/webhooks/:id/deliveries` (the log), `POST /admin/webhooks/deliveries/:id/retry`.
 */
export function webhookRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/admin/webhooks' });
  router.use(requireUser());

  router.get('/', async (ctx) => {
    const agencyId = requireAdmin(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items: await listWebhooks(deps, agencyId) };
  });

  router.post('/', async (ctx) => {
    const agencyId = requireAdmin(ctx);
    const body = new RequestBody(ctx.request.body);
    body.only(['url', 'events', 'description']);
    const url = body.string('url', { max: 2048 });
    const events = body.raw('events');
    const description = body.string('description', { max: 500, optional: true });
    body.done();
    const e = await addWebhook(deps, { url, events, description, agencyId });
    ctx.status = 201;
    ctx.set('Location', `/api/v1/admin/webhooks/${e.id}`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = e;
  });

  router.delete('/:id', async (ctx) => {
    await removeWebhook(deps, ctx.params.id!, requireAdmin(ctx));
    ctx.status = 204;
  });

  router.post('/:id/rotate', async (ctx) => {
    const agencyId = requireAdmin(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await rotateWebhookSecret(deps, ctx.params.id!, agencyId);
  });

  router.post('/:id/test', async (ctx) => {
    const deliveryId = await testWebhook(deps, ctx.params.id!, requireAdmin(ctx));
    ctx.status = 202;
    ctx.body = { deliveryId };
  });

  router.get('/:id/deliveries', async (ctx) => {
    const agencyId = requireAdmin(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items: await webhookDeliveries(deps, ctx.params.id!, agencyId) };
  });

  router.post('/deliveries/:id/retry', async (ctx) => {
    const agencyId = requireAdmin(ctx);
    ctx.status = 202;
    ctx.body = await retryWebhookDelivery(deps, ctx.params.id!, agencyId);
  });

  return router;
}
