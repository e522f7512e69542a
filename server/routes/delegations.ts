import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { invalidField } from '../http-error.ts';
import { RequestBody } from '../request-body.ts';
import type { Deps } from '../services/deps.ts';
import { createDelegation, listDelegations, revokeDelegation } from '../services/workflow.ts';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO date-time with its offset (a window must not depend on the server's time zone). */
function instant(field: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!DATE_TIME.test(value) || Number.isNaN(ms)) throw invalidField(field, 'date', `${field} must be an ISO 8601 date-time with an offset, e.g. 2026-03-02T08:00:00+01:00`);
  return ms;
}

/** Proxy approval: an official names a substitute for a period. Rules in services/workflow.ts. */
export function delegationRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/delegations' });
  router.use(requireUser());
  const user = (ctx: ParameterizedContext) => ctx.state.user as User;

  router.post('/', async (ctx) => {
    const body = new RequestBody(ctx.request.body);
    body.only(['toUserId', 'from', 'until']);
    const toUserId = body.string('toUserId', { max: 64 });
    const fromRaw = body.string('from', { max: 40 });
    const untilRaw = body.string('until', { max: 40 });
    body.done();
    const from = instant('from', fromRaw)!;
    const until = instant('until', untilRaw)!;
    const d = await deps.db.transaction((trx) => createDelegation(deps, trx, user(ctx), { toUserId: toUserId!, from, until }));
    ctx.status = 201;
    ctx.set('Location', `/api/v1/delegations/${d.id}`);
    ctx.body = d;
  });

  router.get('/', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items: await listDelegations(deps, user(ctx)) };
  });

  router.delete('/:id', async (ctx) => {
    ctx.body = await deps.db.transaction((trx) => revokeDelegation(deps, trx, user(ctx), ctx.params.id!));
  });

  return router;
}
