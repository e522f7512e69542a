import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import { DECISIONS, type DecisionKind } from '../../components/core/signing/decision.ts';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { idempotent } from '../idempotent.ts';
import { invalidField } from '../http-error.ts';
import { RequestBody } from '../request-body.ts';
import type { Deps } from '../services/deps.ts';
import { getCase } from '../services/cases.ts';
import { decide, MAX_COMMENT } from '../services/workflow.ts';
import { markFeePaid, MAX_STATEMENT_REFERENCE, undoFeePaid } from '../services/fees.ts';
import { etag, ifMatch } from '../versions.ts';

/** One case for officials, and decisions on its steps. Rules in services/workflow.ts. */
export function caseRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/cases' });
  router.use(requireUser());
  const user = (ctx: ParameterizedContext) => ctx.state.user as User;

  router.get('/:id', async (ctx) => {
    const c = await getCase(deps, deps.db, user(ctx), ctx.params.id!);
    ctx.set('Cache-Control', 'no-store');
    ctx.set('ETag', etag(c.version));
    ctx.body = c;
  });

  router.post('/:id/decisions', (ctx) => {
    const body = new RequestBody(ctx.request.body);
    body.only(['step', 'decision', 'comment', 'signatureId']);
    const step = body.string('step', { max: 64 });
    const decision = body.string('decision', { max: 16 });
    const comment = body.string('comment', { max: MAX_COMMENT, optional: true });
    const signatureId = body.string('signatureId', { max: 64 });
    body.done();
    if (!(DECISIONS as readonly string[]).includes(decision!)) {
      throw invalidField('decision', 'invalid', `decision must be one of: ${DECISIONS.join(', ')}`);
    }
    const expected = ifMatch(ctx);
    const id = ctx.params.id!;
    return idempotent(ctx, deps, async (trx) => {
      await decide(deps, trx, user(ctx), id, { step: step!, decision: decision as DecisionKind, comment, signatureId: signatureId! }, expected);
      const c = await getCase(deps, trx, user(ctx), id);
      return { status: 200, body: c, headers: { ETag: etag(c.version) } };
    });
  });

  // The fee (services/fees.ts): an official of the handling agency marks it paid, or undoes a mistaken
  // mark (a POST of its own, not a DELETE: the undo carries a reason for the audit log).
  router.post('/:id/fee-paid', (ctx) => {
    const body = new RequestBody(ctx.request.body ?? {});
    body.only(['statementReference']);
    const statementReference = body.string('statementReference', { max: MAX_STATEMENT_REFERENCE, optional: true });
    body.done();
    const id = ctx.params.id!;
    return idempotent(ctx, deps, async (trx) => {
      await markFeePaid(deps, trx, user(ctx), id, { statementReference });
      const c = await getCase(deps, trx, user(ctx), id);
      return { status: 200, body: c, headers: { ETag: etag(c.version) } };
    });
  });

  router.post('/:id/fee-unpaid', (ctx) => {
    const body = new RequestBody(ctx.request.body ?? {});
    body.only(['reason']);
    const reason = body.string('reason', { max: MAX_COMMENT, optional: true });
    body.done();
    const id = ctx.params.id!;
    return idempotent(ctx, deps, async (trx) => {
      await undoFeePaid(deps, trx, user(ctx), id, { reason });
      const c = await getCase(deps, trx, user(ctx), id);
      return { status: 200, body: c, headers: { ETag: etag(c.version) } };
    });
  });

  return router;
}
