import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { HttpError } from '../http-error.ts';
import type { Deps } from '../services/deps.ts';
import {
  checkForm, deleteDraft, diffVersion, getAgencyForm, getVersion, listAgencyForms, publishDraft, retireForm, saveDraft,
} from '../services/admin-forms.ts';

/** `:version` of the path: a positive integer, else a 400 naming it. */
function versionParam(ctx: ParameterizedContext): number {
  const raw = ctx.params.version as string;
  const version = Number(raw);
  if (!/^[1-9][0-9]{0,6}$/.test(raw)) {
    throw new HttpError(400, 'validation', 'The request is not valid', {
      errors: [{ field: 'version', code: 'type', message: 'version must be a positive integer' }],
    });
  }
  return version;
}

/**
 * Forms an agency's administrators write (docs/forms.md, "Forms in the database"); rules in
 * services/admin-forms.ts. Everything here is for administrators of the form's agency.
 *  - `GET /admin/forms`, `GET /admin/forms/:id`, `POST /admin/forms/check`;
 *  - `PUT|DELETE /admin/forms/:id/draft`, `POST /admin/forms/:id/publish`, `POST /admin/forms/:id/retire`;
 *  - `GET /admin/forms/:id/versions/:version`, `GET /admin/forms/:id/versions/:version/diff`.
 */
export function adminFormRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/admin/forms' });
  router.use(requireUser());
  const user = (ctx: ParameterizedContext) => ctx.state.user as User;

  router.get('/', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items: await listAgencyForms(deps, user(ctx)) };
  });

  router.post('/check', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = checkForm(deps, user(ctx), ctx.request.body);
  });

  router.get('/:id', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await getAgencyForm(deps, user(ctx), ctx.params.id!);
  });

  router.put('/:id/draft', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await saveDraft(deps, user(ctx), ctx.params.id!, ctx.request.body);
  });

  router.delete('/:id/draft', async (ctx) => {
    await deleteDraft(deps, user(ctx), ctx.params.id!);
    ctx.status = 204;
  });

  router.post('/:id/publish', async (ctx) => {
    const published = await publishDraft(deps, user(ctx), ctx.params.id!);
    ctx.status = 201;
    ctx.set('Location', `/api/v1/admin/forms/${ctx.params.id}/versions/${published.version}`);
    ctx.body = published;
  });

  router.post('/:id/retire', async (ctx) => {
    await retireForm(deps, user(ctx), ctx.params.id!);
    ctx.status = 204;
  });

  router.get('/:id/versions/:version', async (ctx) => {
    const version = versionParam(ctx);
    ctx.body = await getVersion(deps, user(ctx), ctx.params.id!, version);
    // A published version never changes (set after the answer: an error is not to be kept).
    ctx.set('Cache-Control', 'private, max-age=86400, immutable');
  });

  router.get('/:id/versions/:version/diff', async (ctx) => {
    const version = versionParam(ctx);
    ctx.body = await diffVersion(deps, user(ctx), ctx.params.id!, version);
    ctx.set('Cache-Control', 'private, max-age=86400, immutable');
  });

  return router;
}
