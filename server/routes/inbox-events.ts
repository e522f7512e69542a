import Router from '@koa/router';
import type { CaseUpdatedEvent, DocumentReceivedEvent } from '../../components/core/api.ts';
import type { User } from '../../components/core/user.ts';
import { HttpError } from '../http-error.ts';
import type { Deps } from '../services/deps.ts';
import { hashToken, userForToken } from '../services/sessions.ts';
import { EventStream } from '../sse.ts';

/** A comment line this often keeps proxies from closing an idle stream, and re-checks the session. */
export const HEARTBEAT_MS = 15_000;

const TOKEN = /^[A-Za-z0-9_-]{20,200}$/;

/**
 * `GET /inbox/events`: server-sent events for the officials' inbox — `case-updated` whenever a
 * case of one's agency changes, `document-received` when another agency sends it a document
 * (docs/server.md, "Server-sent events").
 */
export function inboxEventRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/inbox' });

  router.get('/events', async (ctx) => {
    // EventSource cannot send headers: on this route alone the token may come as ?access_token=.
    // (The access log records the path without the query, so the token is not logged.)
    let user = ctx.state.user as User | undefined;
    let token = ctx.state.token as string | undefined;
    const queryToken = ctx.query.access_token;
    if (!user && queryToken !== undefined) {
      if (typeof queryToken !== 'string' || !TOKEN.test(queryToken) || !(user = await userForToken(deps.db, queryToken, deps.now()))) {
        throw new HttpError(401, 'unauthorized', 'Your session has ended', { detail: 'The access token is unknown or expired; sign in again' });
      }
      token = queryToken;
    }
    if (!user || token === undefined) {
      throw new HttpError(401, 'unauthorized', 'Sign in first', {
        detail: 'Send Authorization: Bearer <token>, or ?access_token=<token> from an EventSource',
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    const agencyId = user.agencyId;
    if (user.kind === 'citizen' || agencyId === undefined) throw new HttpError(403, 'not-allowed', 'The inbox is for officials');
    const signedIn: User = user;
    const sessionToken: string = token;
    const bus = deps.events;

    const stream = new EventStream();
    const tokenHash = hashToken(sessionToken);
    const sessionEnded = () => {
      stream.event('session-ended', {});
      stream.end();
    };
    const unsubscribe = await bus.subscribe({
      event(e) {
        // Signed out (on any instance): this stream ends at once.
        if (e.type === 'session-ended') {
          if (e.tokenHash === tokenHash) sessionEnded();
          return;
        }
        if (!e.agencies.includes(agencyId)) return;
        if (e.type === 'case-updated') stream.event('case-updated', e.data satisfies CaseUpdatedEvent);
        else if (e.type === 'document-received') stream.event('document-received', e.data satisfies DocumentReceivedEvent);
      },
      // Events may have been lost: the client should reload what it shows.
      resync: () => stream.event('ready', { resync: true }),
      closed: () => stream.end(),
    });
    stream.onEnd(unsubscribe);
    stream.every(HEARTBEAT_MS, () => {
      stream.comment('heartbeat');
      // An expired session stops receiving (a sign-out ended the stream already): the stream
      // ends, and EventSource's reconnection then gets a 401 and gives up.
      userForToken(deps.db, sessionToken, deps.now()).then(
        (still) => {
          if (!still) sessionEnded();
        },
        () => undefined,
      );
    });
    // Reconnect after 3 s if the connection drops; `ready` says "listening from now: load the inbox".
    stream.respond(ctx, { retryMs: 3000 });
    stream.event('ready', { resync: false, user: signedIn.id });
  });

  return router;
}
