import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { idempotent } from '../idempotent.ts';
import { etag, ifMatch } from '../versions.ts';
import { RequestBody } from '../request-body.ts';
import { RequestQuery } from '../request-query.ts';
import type { Deps } from '../services/deps.ts';
import { createDraft, getWithHistory, listMine, submit, updateDraft } from '../services/applications.ts';

/** Civil applications: drafts, submission, "my applications". Rules live in services/applications.ts. */
export function applicationRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/applications' });
  router.use(requireUser());
  const user = (ctx: ParameterizedContext) => ctx.state.user as User;

  router.post('/', (ctx) => {
    const body = new RequestBody(ctx.request.body);
    body.only(['formId', 'formVersion', 'data', 'attachments']);
    const formId = body.string('formId', { max: 64 });
    const formVersion = body.integer('formVersion', { min: 1, max: 1_000_000 });
    body.object('data');
    body.done();
    return idempotent(ctx, deps, async (trx) => {
      const app = await createDraft(deps, trx, user(ctx), { formId, formVersion: formVersion!, data: body.raw('data'), attachments: body.raw('attachments') });
      return { status: 201, body: app, headers: { Location: `/api/v1/applications/${app.id}`, ETag: etag(app.version) } };
    });
  });

  router.get('/', async (ctx) => {
    const query = new RequestQuery(ctx.query);
    const limit = query.integer('limit', { min: 1, max: 100, default: 20 });
    const cursor = query.cursor();
    query.done();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listMine(deps, user(ctx), cursor === undefined ? { limit } : { limit, cursor });
  });

  router.get('/:id', async (ctx) => {
    const app = await getWithHistory(deps, user(ctx), ctx.params.id!);
    ctx.set('Cache-Control', 'no-store');
    ctx.set('ETag', etag(app.version));
    ctx.body = app;
  });

  router.put('/:id', async (ctx) => {
    const body = new RequestBody(ctx.request.body);
    body.only(['data', 'attachments']);
    body.object('data');
    body.done();
    const expected = ifMatch(ctx);
    const app = await deps.db.transaction((trx) =>
      updateDraft(deps, trx, user(ctx), ctx.params.id!, { data: body.raw('data'), attachments: body.raw('attachments') }, expected));
    ctx.set('ETag', etag(app.version));
    ctx.body = app;
  });

  router.post('/:id/submit', (ctx) => {
    const body = new RequestBody(ctx.request.body ?? {});
    body.only(['signatureId']);
    const signatureId = body.string('signatureId', { max: 64, optional: true });
    body.done();
    const expected = ifMatch(ctx);
    return idempotent(ctx, deps, async (trx) => {
      const app = await submit(deps, trx, user(ctx), ctx.params.id!, signatureId === undefined ? {} : { signatureId }, expected);
      return { status: 200, body: app, headers: { ETag: etag(app.version) } };
    });
  });

  return router;
}
