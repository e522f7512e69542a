import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import type { Deps } from '../services/deps.ts';
import { receiveMessage, receiveMultipartMessage, retryExchange } from '../services/exchange.ts';
import { agencyDirectory } from '../services/partners.ts';

/**
 * Agency-to-agency exchange across servers (docs/exchange.md):
 * - `POST /exchange/messages`: a partner server delivers a signed message; no session — the
 *   envelope's seal signature is the credential (services/exchange.ts `receiveMessage`), and the
 *   answer is the receiving agency's signed receipt.
 * - `POST /documents/:id/exchange/:messageId/retry`: an official sends a failed message again.
 * - `GET /agencies`: the agencies a document can be sent to — this server's and partners' —
 *   for the official's "send to" picker.
 */
export function exchangeRoutes(deps: Deps): Router {
  const router = new Router();
  const user = (ctx: ParameterizedContext) => ctx.state.user as User;

  router.post('/exchange/messages', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = ctx.is('multipart/form-data') ? await receiveMultipartMessage(deps, ctx.req) : await receiveMessage(deps, ctx.request.body);
  });

  router.post('/documents/:id/exchange/:messageId/retry', requireUser(), async (ctx) => {
    ctx.body = await retryExchange(deps, user(ctx), ctx.params.id!, ctx.params.messageId!);
  });

  router.get('/agencies', requireUser(), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items: await agencyDirectory(deps, user(ctx)) };
  });

  return router;
}
