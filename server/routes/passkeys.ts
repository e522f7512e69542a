import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { RequestBody } from '../request-body.ts';
import type { Deps } from '../services/deps.ts';
import { addPasskeyOptions, addPasskeyVerify, listPasskeys, removePasskey } from '../services/passkeys.ts';

/** The signed-in person's passkeys: list, add another (a registration ceremony), remove. Rules in services/passkeys.ts. */
export function passkeyRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/me/passkeys' });
  router.use(requireUser());
  const user = (ctx: ParameterizedContext) => ctx.state.user as User;

  router.get('/', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items: await listPasskeys(deps, user(ctx)) };
  });

  // The body, if any, is ignored (`{}`), as for auth/login/options.
  router.post('/options', async (ctx) => {
    ctx.body = await addPasskeyOptions(deps, user(ctx));
  });

  router.post('/', async (ctx) => {
    const body = new RequestBody(ctx.request.body);
    const flowId = body.string('flowId', { max: 64 });
    const credential = body.object('credential');
    body.done();
    const passkey = await addPasskeyVerify(deps, user(ctx), { flowId, credential: credential! });
    ctx.status = 201;
    ctx.set('Location', `/api/v1/me/passkeys/${encodeURIComponent(passkey.id)}`);
    ctx.body = passkey;
  });

  router.delete('/:id', async (ctx) => {
    await removePasskey(deps, user(ctx), ctx.params.id!);
    ctx.status = 204;
  });

  return router;
}
