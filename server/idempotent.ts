import type { Knex } from 'knex';
import type { ParameterizedContext } from 'koa';
import type { User } from '../components/core/user.ts';
import type { Deps } from './services/deps.ts';
import {
  IDEMPOTENT_REPLAYED_HEADER,
  parseIdempotencyKey,
  runIdempotent,
  type IdempotentResult,
} from './services/idempotency.ts';

/**
 * Answers a write route through its idempotency key (`Idempotency-Key` header, optional):
 * runs `work` in a transaction whose commit also records the response against the key, or
 * replays the recorded response (with `Idempotent-Replayed: true`). Put requireUser()
 * before the route: keys belong to a user.
 *
 *   router.post('/applications', requireUser(), (ctx) =>
 *     idempotent(ctx, deps, (trx) => createDraft(deps, trx, ctx.state.user, input)));
 *
 * Errors: 400 naming the header when it is malformed, 422 when the key was used for a
 * different request, 409 while the first request with the key is in flight.
 */
export async function idempotent<T>(
  ctx: ParameterizedContext,
  deps: Pick<Deps, 'db' | 'now'>,
  work: (trx: Knex.Transaction) => Promise<IdempotentResult<T>>,
): Promise<void> {
  const user = ctx.state.user as User | undefined;
  if (!user) throw new Error('idempotent() needs a signed-in user: put requireUser() before the route');
  const key = parseIdempotencyKey(ctx.req.headers['idempotency-key']);
  const outcome = await runIdempotent(
    deps,
    { userId: user.id, key, method: ctx.method, path: ctx.path, body: (ctx.request as { body?: unknown }).body },
    work,
  );
  ctx.status = outcome.status;
  if (outcome.headers) ctx.set(outcome.headers);
  if (outcome.replayed) ctx.set(IDEMPOTENT_REPLAYED_HEADER, 'true');
  ctx.body = outcome.body;
}
