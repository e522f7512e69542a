import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { RequestQuery } from '../request-query.ts';
import type { Deps } from '../services/deps.ts';
import { INBOX_STATUSES, listInbox, type InboxQuery } from '../services/cases.ts';

function parseInboxQuery(ctx: ParameterizedContext): InboxQuery {
  const query = new RequestQuery(ctx.query);
  const limit = query.integer('limit', { min: 1, max: 100, default: 20 });
  // status=a,b or status=a&status=b
  const statuses = query.list('status', INBOX_STATUSES);
  const assigned = query.enum('assigned', ['me', 'role'] as const);
  const formId = query.string('form', { max: 64 });
  const q = query.string('q', { max: 200 });
  const from = query.date('from');
  const to = query.date('to', { end: true });
  if (from !== undefined && to !== undefined && to <= from) query.invalid('to', 'range', 'to must be after from');
  const due = query.enum('due', ['soon', 'overdue'] as const);
  const sort = query.enum('sort', ['submitted', 'due'] as const);
  const cursor = query.cursor();
  query.done();
  return { limit, cursor, statuses, formId, from, to, assigned, q, due, sort };
}

/**
 * The officials' inbox: `GET /inbox`, a page of cases (services/cases.ts). Its live updates,
 * `GET /inbox/events`, are in inbox-events.ts.
 */
export function inboxRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/inbox' });

  router.get('/', requireUser(), async (ctx) => {
    const query = parseInboxQuery(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listInbox(deps, ctx.state.user as User, query);
  });

  return router;
}
