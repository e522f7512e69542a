import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { User } from '../../components/core/user.ts';
import type { FieldError } from '../../components/core/problem.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { HttpError } from '../http-error.ts';
import { RequestBody } from '../request-body.ts';
import type { Deps } from '../services/deps.ts';
import { createSignature, getSignature, signingOptions } from '../services/signatures.ts';

/**
 * `subject: {type, id}`, with errors named `subject.type` / `subject.id` (RequestBody reads
 * one level only). Collected together with the rest of the body's errors.
 */
function readSubject(value: unknown, errors: FieldError[]): { type: string; id: string } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    errors.push({ field: 'subject', code: value === undefined ? 'required' : 'type', message: 'subject must be an object {type, id}' });
    return undefined;
  }
  const s = value as Record<string, unknown>;
  for (const key of Object.keys(s).slice(0, 50)) {
    if (key !== 'type' && key !== 'id') errors.push({ field: `subject.${key}`, code: 'unknownField', message: `subject.${key} is not a field of this request` });
  }
  const read = (key: 'type' | 'id', max: number): string | undefined => {
    const v = s[key];
    const field = `subject.${key}`;
    if (v === undefined || v === null || v === '') errors.push({ field, code: 'required', message: `${field} is required` });
    else if (typeof v !== 'string') errors.push({ field, code: 'type', message: `${field} must be a string` });
    else if ([...v].length > max) errors.push({ field, code: 'tooLong', message: `${field} must be at most ${max} characters` });
    else return v;
    return undefined;
  };
  const type = read('type', 32);
  const id = read('id', 128);
  return type !== undefined && id !== undefined ? { type, id } : undefined;
}

/** Passkey signatures: the contract in DESIGN.md ("signatures"); rules in services/signatures.ts. */
export function signatureRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/signatures' });
  router.use(requireUser());
  const user = (ctx: ParameterizedContext) => ctx.state.user as User;

  router.post('/options', async (ctx) => {
    const body = new RequestBody(ctx.request.body);
    // `context`: what a subject type signs beyond the subject itself (a decision's comment).
    body.only(['subject', 'action', 'context']);
    const action = body.string('action', { max: 32 });
    const subjectErrors: FieldError[] = [];
    const subject = readSubject(body.raw('subject'), subjectErrors);
    // One 400 listing every field at fault, the body's own and subject's.
    let errors: FieldError[] = [];
    try {
      body.done();
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      errors = err.errors ?? [];
    }
    errors.push(...subjectErrors);
    if (errors.length > 0) {
      throw new HttpError(400, 'validation', 'The request is not valid', { detail: errors.map((e) => e.message).join('; '), errors });
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await signingOptions(deps, user(ctx), { subject: subject!, action: action!, context: body.raw('context') });
  });

  router.post('/', async (ctx) => {
    const body = new RequestBody(ctx.request.body);
    body.only(['flowId', 'credential']);
    const flowId = body.string('flowId', { max: 64 });
    const credential = body.object('credential');
    body.done();
    const signature = await createSignature(deps, user(ctx), { flowId, credential: credential! });
    ctx.status = 201;
    ctx.set('Location', `/api/v1/signatures/${signature.id}`);
    ctx.body = signature;
  });

  router.get('/:id', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await getSignature(deps, user(ctx), ctx.params.id!);
  });

  return router;
}
