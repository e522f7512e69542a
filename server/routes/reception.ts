import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { ReceptionStatus } from '../../components/core/api.ts';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { idempotent } from '../idempotent.ts';
import { invalidField } from '../http-error.ts';
import { RequestBody } from '../request-body.ts';
import type { Deps } from '../services/deps.ts';
import { acceptReception, listReception, RECEPTION_STATUSES, type ReceptionQuery } from '../services/distribution.ts';

function one(ctx: ParameterizedContext, name: string): string | undefined {
  const v = ctx.query[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw invalidField(name, 'type', `${name} must be given once`);
  return v;
}

function parseQuery(ctx: ParameterizedContext): ReceptionQuery {
  const limitRaw = one(ctx, 'limit');
  const limit = limitRaw === undefined ? 20 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidField('limit', 'range', 'limit must be a whole number from 1 to 100');
  const status = one(ctx, 'status');
  if (status !== undefined && !(RECEPTION_STATUSES as readonly string[]).includes(status)) {
    throw invalidField('status', 'invalid', `status must be one of: ${RECEPTION_STATUSES.join(', ')}`);
  }
  const cursor = one(ctx, 'cursor');
  if (cursor !== undefined && cursor.length > 200) throw invalidField('cursor', 'invalid', 'cursor is not one this server gave out');
  return { limit, status: status as ReceptionStatus | undefined, cursor: cursor === '' ? undefined : cursor };
}

/**
 * A receiving agency's inbox of documents other agencies sent it: `GET /reception` and
 * `POST /reception/:id/accept` (receipt acknowledged with a passkey signature). Officials and
 * admins only; rules in services/distribution.ts.
 */
export function receptionRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/reception' });
  router.use(requireUser());
  const user = (ctx: ParameterizedContext) => ctx.state.user as User;

  router.get('/', async (ctx) => {
    const query = parseQuery(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listReception(deps, user(ctx), query);
  });

  router.post('/:id/accept', (ctx) => {
    const body = new RequestBody(ctx.request.body ?? {});
    body.only(['signatureId']);
    const signatureId = body.string('signatureId', { max: 64 });
    body.done();
    return idempotent(ctx, deps, async (trx) => ({ status: 200, body: await acceptReception(deps, trx, user(ctx), ctx.params.id!, signatureId) }));
  });

  return router;
}
