import Router from '@koa/router';
import type { User } from '../../components/core/user.ts';
import { RequestBody } from '../request-body.ts';
import type { Deps } from '../services/deps.ts';
import { registrationOptions, registrationVerify } from '../services/passkey-registration.ts';
import { authenticationOptions, authenticationVerify } from '../services/passkey-authentication.ts';
import { endSession } from '../services/sessions.ts';
import { recoveryOptions, recoveryVerify } from '../services/account-recovery.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { signInRateLimit, signUpRateLimit } from '../middleware/rate-limit.ts';

/** Passkey accounts: the contract in DESIGN.md ("passkeys"), relied on by outside clients. */
export function authRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/auth' });

  router.post('/register/options', signUpRateLimit(deps), async (ctx) => {
    const body = new RequestBody(ctx.request.body);
    body.only(['displayName', 'inviteCode']);
    const displayName = body.string('displayName', { max: 100 });
    const inviteCode = body.string('inviteCode', { max: 64, optional: true });
    body.done();
    ctx.body = await registrationOptions(deps, inviteCode ? { displayName, inviteCode } : { displayName });
  });

  router.post('/register/verify', async (ctx) => {
    const body = new RequestBody(ctx.request.body);
    const flowId = body.string('flowId', { max: 64 });
    const credential = body.object('credential');
    body.done();
    ctx.status = 201;
    ctx.body = await registrationVerify(deps, { flowId, credential: credential! });
  });

  router.post('/login/options', signInRateLimit(deps), async (ctx) => {
    ctx.body = await authenticationOptions(deps);
  });

  router.post('/login/verify', async (ctx) => {
    const body = new RequestBody(ctx.request.body);
    const flowId = body.string('flowId', { max: 64 });
    const credential = body.object('credential');
    body.done();
    ctx.body = await authenticationVerify(deps, { flowId, credential: credential! });
  });

  // Agency-assisted recovery: a one-time code from `overa accounts recover` lets the person register a new passkey for their account.
  router.post('/recover/options', signUpRateLimit(deps), async (ctx) => {
    const body = new RequestBody(ctx.request.body);
    body.only(['recoveryCode']);
    const recoveryCode = body.string('recoveryCode', { max: 64 });
    body.done();
    ctx.body = await recoveryOptions(deps, { recoveryCode });
  });

  router.post('/recover/verify', async (ctx) => {
    const body = new RequestBody(ctx.request.body);
    const flowId = body.string('flowId', { max: 64 });
    const credential = body.object('credential');
    body.done();
    ctx.status = 201;
    ctx.body = await recoveryVerify(deps, { flowId, credential: credential! });
  });

  router.post('/logout', requireUser(), async (ctx) => {
    await endSession(deps, ctx.state.user as User, ctx.state.token as string);
    ctx.status = 204;
  });

  return router;
}
