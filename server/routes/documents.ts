import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { idempotent } from '../idempotent.ts';
import { RequestBody } from '../request-body.ts';
import type { Deps } from '../services/deps.ts';
import { distributeDocument, getDocument, getDocumentPdf, revokeDocument } from '../services/documents.ts';
import { MAX_DISTRIBUTE } from '../services/distribution.ts';
import { HttpError } from '../http-error.ts';
import type { FieldError } from '../../components/core/problem.ts';

/** `agencyIds`: 1–50 agency ids (strings of at most 64 characters); errors name `agencyIds[i]`. */
function readAgencyIds(value: unknown): string[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(value)) {
    errors.push({ field: 'agencyIds', code: value === undefined || value === null ? 'required' : 'type', message: 'agencyIds must be an array of agency ids' });
  } else if (value.length === 0 || value.length > MAX_DISTRIBUTE) {
    errors.push({ field: 'agencyIds', code: value.length === 0 ? 'required' : 'tooMany', message: `agencyIds must name 1 to ${MAX_DISTRIBUTE} agencies` });
  } else {
    value.forEach((v, i) => {
      const field = `agencyIds[${i}]`;
      if (typeof v !== 'string' || v.trim() === '') errors.push({ field, code: 'type', message: `${field} must be an agency id` });
      else if (v.length > 64) errors.push({ field, code: 'tooLong', message: `${field} must be at most 64 characters` });
    });
  }
  if (errors.length) throw new HttpError(400, 'validation', 'The request is not valid', { detail: errors.map((e) => e.message).join('; '), errors });
  return (value as string[]).map((v) => v.trim());
}

/**
 * Issued documents: `GET /documents/:id`, `GET /documents/:id/pdf` (the owner, the issuing
 * agency, agencies it was distributed to; anybody else gets the 404 of an unknown id),
 * `POST /documents/:id/distribute` (officials of the issuing agency) and
 * `POST /documents/:id/revoke` (admins and approvers of the issuing agency). Rules live in
 * services/documents.ts and services/distribution.ts.
 */
export function documentRoutes(deps: Deps): Router {
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

  router.post('/:id/distribute', (ctx) => {
    const body = new RequestBody(ctx.request.body ?? {});
    body.only(['agencyIds']);
    const agencyIds = readAgencyIds(body.raw('agencyIds'));
    body.done();
    return idempotent(ctx, deps, async (trx) => ({ status: 200, body: await distributeDocument(deps, trx, user(ctx), ctx.params.id!, agencyIds) }));
  });

  router.post('/:id/revoke', (ctx) => {
    const body = new RequestBody(ctx.request.body ?? {});
    body.only(['reason', 'supersededBy']);
    const reason = body.string('reason', { max: 1000 });
    const supersededBy = body.string('supersededBy', { max: 64, optional: true });
    body.done();
    return idempotent(ctx, deps, async (trx) => {
      const document = await revokeDocument(deps, trx, user(ctx), ctx.params.id!, { reason, supersededBy });
      return { status: 200, body: document };
    });
  });

  return router;
}
