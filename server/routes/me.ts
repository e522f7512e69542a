import Router from '@koa/router';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { configuredRateLimit, signedInUser } from '../middleware/rate-limit.ts';
import { RequestBody } from '../request-body.ts';
import type { Deps } from '../services/deps.ts';
import { confirmEmail, mailStatus, removeEmail, setEmail, setNotifications } from '../services/mail.ts';

/**
 * The signed-in person: `GET /me` (with whether mail is offered and their address), and their
 * e-mail address for notifications (docs/server.md, "E-mail to citizens"; rules in services/mail.ts):
 * `PUT /me/email` (set or change: a code goes to it), `POST /me/email/confirm`, `DELETE /me/email`,
 * `PUT /me/email/notifications` (stop them, or start them again).
 */
export function meRoutes(deps: Deps): Router {
  const router = new Router();
  router.get('/me', requireUser(), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { user: ctx.state.user, mail: await mailStatus(deps, ctx.state.user as User) };
  });

  router.put('/me/email', requireUser(), configuredRateLimit(deps, 'mailCodes', signedInUser), async (ctx) => {
    const body = new RequestBody(ctx.request.body);
    body.only(['address', 'lang']);
    const address = body.string('address', { max: 254 });
    const lang = body.string('lang', { max: 8 });
    body.done();
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 202;
    ctx.body = await setEmail(deps, ctx.state.user as User, { address, lang });
  });

  router.post('/me/email/confirm', requireUser(), async (ctx) => {
    const body = new RequestBody(ctx.request.body);
    body.only(['code']);
    const code = body.string('code', { max: 16 });
    body.done();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await confirmEmail(deps, ctx.state.user as User, code);
  });

  router.put('/me/email/notifications', requireUser(), async (ctx) => {
    const body = new RequestBody(ctx.request.body);
    body.only(['notifications']);
    const on = body.boolean('notifications');
    body.done();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await setNotifications(deps, ctx.state.user as User, on!);
  });

  router.delete('/me/email', requireUser(), async (ctx) => {
    await removeEmail(deps, ctx.state.user as User);
    ctx.status = 204;
  });
  return router;
}
