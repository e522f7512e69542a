import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { idempotent } from '../idempotent.ts';
import { RequestBody } from '../request-body.ts';
import { RequestQuery } from '../request-query.ts';
import type { Deps } from '../services/deps.ts';
import { acceptReception, listReception, MAX_REJECTION_REASON, RECEPTION_STATUSES, rejectReception, type ReceptionQuery } from '../services/distribution.ts';
import { receivedPdf } from '../services/exchange.ts';

function parseQuery(ctx: ParameterizedContext): ReceptionQuery {
  const query = new RequestQuery(ctx.query);
  const limit = query.integer('limit', { min: 1, max: 100, default: 20 });
  const status = query.enum('status', RECEPTION_STATUSES);
  const cursor = query.cursor();
  query.done();
  return { limit, status, cursor };
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

  // A partner's document (issue 19): refused with a reason, signed (action `reject`, context {reason}).
  router.post('/:id/reject', (ctx) => {
    const body = new RequestBody(ctx.request.body ?? {});
    body.only(['signatureId', 'reason']);
    const signatureId = body.string('signatureId', { max: 64 });
    const reason = body.string('reason', { max: MAX_REJECTION_REASON });
    body.done();
    return idempotent(ctx, deps, async (trx) => ({ status: 200, body: await rejectReception(deps, trx, user(ctx), ctx.params.id!, signatureId, reason) }));
  });

  // The PDF of a partner's document (a local one is `GET documents/:id/pdf`).
  router.get('/:id/pdf', async (ctx) => {
    const { record, pdf } = await receivedPdf(deps, user(ctx), ctx.params.id!);
    ctx.attachment(`${record.trackingNumber}.pdf`);
    ctx.type = 'application/pdf';
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.etag = record.sha256;
    ctx.body = pdf;
  });

  return router;
}
