import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { idempotent } from '../middleware/idempotency.ts';
import { RequestBody } from '../request-body.ts';
import type { Deps } from '../services/deps.ts';
import type { FormRegistry } from '../services/forms.ts';
import { getDocument, getDocumentPdf, revokeDocument, useForms } from '../services/documents.ts';

/**
 * Issued documents: `GET /documents/:id`, `GET /documents/:id/pdf` (the owner, the issuing
 * agency, agencies it was distributed to; anybody else gets the 404 of an unknown id) and
 * `POST /documents/:id/revoke` (admins and approvers of the issuing agency). Rules live in
 * services/documents.ts.
 */
export function documentRoutes(deps: Deps, forms: FormRegistry): Router {
  // Issuance runs from the approval workflow with deps only: it finds the app's forms here.
  useForms(deps, forms);
  const router = new Router({ prefix: '/documents' });
  router.use(requireUser());
  const user = (ctx: ParameterizedContext) => ctx.state.user as User;

  router.get('/:id', async (ctx) => {
    const document = await getDocument(deps, user(ctx), ctx.params.id!);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = document;
  });

  router.get('/:id/pdf', async (ctx) => {
    const { document, pdf } = await getDocumentPdf(deps, user(ctx), ctx.params.id!);
    ctx.status = 200;
    ctx.attachment(`${document.trackingNumber}.pdf`);
    ctx.type = 'application/pdf';
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.etag = document.sha256;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = pdf;
  });

  router.post('/:id/revoke', (ctx) => {
    const body = new RequestBody(ctx.request.body ?? {});
    body.only(['reason', 'supersededBy']);
    const reason = body.string('reason', { max: 1000 });
    const supersededBy = body.string('supersededBy', { max: 64, optional: true });
    body.done();
    return idempotent(ctx, deps, async (trx) => {
      const document = await revokeDocument(deps, trx, forms, user(ctx), ctx.params.id!, { reason, supersededBy });
      return { status: 200, body: document };
    });
  });

  return router;
}
