import Router from '@koa/router';
import { HttpError } from '../http-error.ts';
import type { FormRegistry } from '../services/forms.ts';

/** Public: the forms citizens can apply with. Definitions are data, safe to cache briefly. */
export function formRoutes(forms: FormRegistry): Router {
  const router = new Router({ prefix: '/forms' });

  router.get('/', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.body = {
      forms: forms.list().map((f) => ({
        id: f.id,
        version: f.version,
        agencyId: f.agencyId,
        title: f.title,
        description: f.description,
        signatureRequired: f.signature.required,
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
    const form = forms.get(ctx.params.id!, version);
    if (!form) {
      throw new HttpError(404, 'form-not-found', 'There is no such form', {
        detail: version === undefined ? `No form "${ctx.params.id}"` : `No version ${version} of form "${ctx.params.id}"`,
      });
    }
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.body = form;
  });

  return router;
}
