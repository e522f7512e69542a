import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { HttpError } from '../http-error.ts';
import { RequestQuery } from '../request-query.ts';
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
    const query = new RequestQuery(ctx.query);
    const limit = query.integer('limit', { min: 1, max: 200, default: 50 });
    const subjectType = query.string('subjectType', { max: 32 });
    const subjectId = query.string('subjectId', { max: 128 });
    if (subjectId !== undefined && ctx.query.subjectType === undefined) {
      query.invalid('subjectType', 'required', 'subjectType is required with subjectId');
    }
    const actor = query.string('actor', { max: 36 });
    const cursor = query.cursor();
    query.done();
    const rows = await agencyAuditPage(deps, {
      agencyId: admin.agencyId,
      limit: limit + 1,
      ...(subjectType !== undefined ? { subjectType } : {}),
      ...(subjectId !== undefined ? { subjectId } : {}),
      ...(actor !== undefined ? { actor } : {}),
      ...(cursor !== undefined ? { beforeSeq: decodeCursor(cursor, ['integer'])[0] } : {}),
    });
    const items = rows.slice(0, limit).map(auditEntryView);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items, nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1]!.seq]) : null };
  });

  router.get('/verify', async (ctx) => {
    requireAdmin(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await auditChainState(deps.db);
  });

  return router;
}
