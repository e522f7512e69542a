import Router from '@koa/router';
import type { User } from '../../components/core/user.ts';
import { HttpError } from '../http-error.ts';
import type { Deps } from '../services/deps.ts';
import { mayUseForm } from '../services/forms.ts';

/**
 * The forms one can apply with: public forms for everyone, and for officials also their
 * agency's internal forms. Definitions are data, safe to cache briefly; what an official is
 * shown differs from what everyone is, so theirs is cached privately.
 */
function cacheFor(user: User | undefined): string {
  return user ? 'private, max-age=60' : 'public, max-age=60';
}

export function formRoutes(deps: Deps): Router {
  const { forms } = deps;
  const router = new Router({ prefix: '/forms' });

  router.get('/', (ctx) => {
    const user = ctx.state.user as User | undefined;
    ctx.set('Cache-Control', cacheFor(user));
    ctx.set('Vary', 'Authorization');
    ctx.body = {
      // A retired form takes no new applications: it is not offered (GET /forms/:id still serves it to those started).
      forms: forms.list().filter((f) => !forms.retired(f.id) && mayUseForm(user, f)).map((f) => ({
        id: f.id,
        version: f.version,
        agencyId: f.agencyId,
        title: f.title,
        description: f.description,
        signatureRequired: f.signature.required,
        audience: f.audience ?? 'public',
      })),
    };
  });

  router.get('/:id', (ctx) => {
    const raw = ctx.query.version;
    let version: number | undefined;
    if (raw !== undefined) {
      version = Number(raw);
      if (typeof raw !== 'string' || !Number.isInteger(version) || version < 1) {
        throw new HttpError(400, 'validation', 'The request is not valid', {
          errors: [{ field: 'version', code: 'type', message: 'version must be a positive integer' }],
        });
      }
    }
    const user = ctx.state.user as User | undefined;
    const found = forms.get(ctx.params.id!, version);
    // An internal form is not there for anyone but its agency's officials.
    const form = found && mayUseForm(user, found) ? found : undefined;
    if (!form) {
      throw new HttpError(404, 'form-not-found', 'There is no such form', {
        detail: version === undefined ? `No form "${ctx.params.id}"` : `No version ${version} of form "${ctx.params.id}"`,
      });
    }
    ctx.set('Cache-Control', cacheFor(user));
    ctx.set('Vary', 'Authorization');
    ctx.body = form;
  });

  return router;
}
