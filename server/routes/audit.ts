import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { User } from '../../components/core/user.ts';
import { fromBase64Url, toBase64Url } from '../../components/core/encoding.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { HttpError, invalidField } from '../http-error.ts';
import type { Deps } from '../services/deps.ts';
import { agencyAuditPage, auditChainState, auditEntryView } from '../services/audit.ts';

/** Admins only: the audit log is about everybody, citizens included. */
function requireAdmin(ctx: ParameterizedContext): User & { agencyId: string } {
  const user = ctx.state.user as User;
  if (user.kind !== 'admin' || !user.agencyId) {
    throw new HttpError(403, 'not-allowed', 'Only an agency administrator may read the audit log', {
      detail: 'The audit log is open to administrators of an agency',
    });
  }
  return user as User & { agencyId: string };
}

/** A single-valued query parameter of at most `max` characters, or undefined when absent. */
function param(ctx: ParameterizedContext, name: string, max: number): string | undefined {
  const v = ctx.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '' || v.length > max) throw invalidField(name, 'invalid', `${name} must be given once, 1 to ${max} characters`);
  return v;
}

const encodeCursor = (seq: number) => toBase64Url(new TextEncoder().encode(`s${seq}`));

function decodeCursor(cursor: string): number {
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(cursor));
  } catch {
    // fall through to the refusal below
  }
  const m = /^s(\d{1,15})$/.exec(text);
  if (!m) throw invalidField('cursor', 'invalid', 'cursor is not one this server gave out');
  return Number(m[1]);
}

/**
 * The audit log over HTTP, for administrators (docs/security.md, "Audit over HTTP"):
 *  - `GET /audit[?subjectType=&subjectId=&actor=&limit=&cursor=]`: the agency's entries, newest
 *    first, keyset-paged;
 *  - `GET /audit/verify`: the whole chain checked, as `overa audit verify` does.
 */
export function auditRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/audit' });
  router.use(requireUser());

  router.get('/', async (ctx) => {
    const admin = requireAdmin(ctx);
    const limitRaw = param(ctx, 'limit', 4);
    const limit = limitRaw === undefined ? 50 : Number(limitRaw);
    if (!/^\d+$/.test(limitRaw ?? '50') || limit < 1 || limit > 200) throw invalidField('limit', 'range', 'limit must be a whole number from 1 to 200');
    const subjectType = param(ctx, 'subjectType', 32);
    const subjectId = param(ctx, 'subjectId', 128);
    if (subjectId !== undefined && subjectType === undefined) {
      throw invalidField('subjectType', 'required', 'subjectType is required with subjectId');
    }
    const actor = param(ctx, 'actor', 36);
    const cursor = param(ctx, 'cursor', 64);
    const rows = await agencyAuditPage(deps, {
      agencyId: admin.agencyId,
      limit: limit + 1,
      ...(subjectType !== undefined ? { subjectType } : {}),
      ...(subjectId !== undefined ? { subjectId } : {}),
      ...(actor !== undefined ? { actor } : {}),
      ...(cursor !== undefined ? { beforeSeq: decodeCursor(cursor) } : {}),
    });
    const items = rows.slice(0, limit).map(auditEntryView);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!.seq) : null };
  });

  router.get('/verify', async (ctx) => {
    requireAdmin(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await auditChainState(deps.db);
  });

  return router;
}
