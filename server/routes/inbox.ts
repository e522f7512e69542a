import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { ApplicationStatus, CaseUpdatedEvent, DocumentReceivedEvent } from '../../components/core/api.ts';
import type { User } from '../../components/core/user.ts';
import { requireUser } from '../middleware/authenticate.ts';
import { HttpError, invalidField } from '../http-error.ts';
import type { Deps } from '../services/deps.ts';
import { INBOX_STATUSES, listInbox, type InboxQuery } from '../services/cases.ts';
import { hashToken, userForToken } from '../services/sessions.ts';

/** A comment line this often keeps proxies from closing an idle stream, and re-checks the session. */
export const HEARTBEAT_MS = 15_000;

const TOKEN = /^[A-Za-z0-9_-]{20,200}$/;

function one(ctx: ParameterizedContext, name: string): string | undefined {
  const v = ctx.query[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw invalidField(name, 'type', `${name} must be given once`);
  return v;
}

// The offset of Belgrade from UTC at an instant ("GMT+01:00" / "GMT+02:00").
const BELGRADE_OFFSET = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Belgrade', timeZoneName: 'longOffset' });

function belgradeOffsetMs(at: number): number {
  const name = BELGRADE_OFFSET.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
}

/** Midnight at the start of a calendar day in Serbia, as epoch ms. */
function belgradeMidnight(y: number, m: number, d: number): number {
  const utc = Date.UTC(y, m - 1, d);
  // The offset at the guess, then at the result: right across a DST change too.
  const guess = utc - belgradeOffsetMs(utc);
  return utc - belgradeOffsetMs(guess);
}

/**
 * `from` / `to` of the inbox: a calendar day `YYYY-MM-DD` (a day in Serbia; `to` includes the
 * whole day) or an ISO date-time with its offset.
 */
function parseDate(ctx: ParameterizedContext, name: 'from' | 'to'): number | undefined {
  const v = one(ctx, name);
  if (v === undefined || v === '') return undefined;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) throw invalidField(name, 'date', `${name} is not a real date`);
    return name === 'from' ? belgradeMidnight(y, m, d) : belgradeMidnight(y, m, d + 1);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  throw invalidField(name, 'date', `${name} must be a date (YYYY-MM-DD) or a date-time with its offset`);
}

function parseInboxQuery(ctx: ParameterizedContext): InboxQuery {
  const limitRaw = one(ctx, 'limit');
  const limit = limitRaw === undefined ? 20 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidField('limit', 'range', 'limit must be a whole number from 1 to 100');
  // status=a,b or status=a&status=b
  const raw = ctx.query.status;
  let statuses: ApplicationStatus[] | undefined;
  if (raw !== undefined) {
    const list = (Array.isArray(raw) ? raw : [raw]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
    const bad = list.find((s) => !(INBOX_STATUSES as readonly string[]).includes(s));
    if (bad !== undefined || list.length === 0) throw invalidField('status', 'invalid', `status must be among: ${INBOX_STATUSES.join(', ')}`);
    statuses = [...new Set(list)] as ApplicationStatus[];
  }
  const assigned = one(ctx, 'assigned');
  if (assigned !== undefined && assigned !== 'me' && assigned !== 'role') throw invalidField('assigned', 'invalid', 'assigned must be "me" or "role"');
  const formId = one(ctx, 'form');
  if (formId !== undefined && (formId === '' || formId.length > 64)) throw invalidField('form', 'invalid', 'form must be a form id');
  const q = one(ctx, 'q');
  if (q !== undefined && [...q].length > 200) throw invalidField('q', 'tooLong', 'q must be at most 200 characters');
  const from = parseDate(ctx, 'from');
  const to = parseDate(ctx, 'to');
  if (from !== undefined && to !== undefined && to <= from) throw invalidField('to', 'range', 'to must be after from');
  return { limit, cursor: one(ctx, 'cursor'), statuses, formId, from, to, assigned: assigned as InboxQuery['assigned'], q: q === '' ? undefined : q };
}

/**
 * The officials' inbox: `GET /inbox` (a page of cases) and `GET /inbox/events` (server-sent
 * events: `case-updated` whenever a case of one's agency changes, `document-received` when
 * another agency sends it a document).
 */
export function inboxRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/inbox' });

  router.get('/', requireUser(), async (ctx) => {
    const query = parseInboxQuery(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listInbox(deps, ctx.state.user as User, query);
  });

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
    if (!bus) throw new HttpError(503, 'unavailable', 'Events are not available on this server');

    const stream = new PassThrough();
    let ended = false;
    const send = (chunk: string) => {
      if (!ended) stream.write(chunk);
    };
    const event = (name: string, data: unknown) => send(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

    let heartbeat: NodeJS.Timeout | undefined;
    let unsubscribe: (() => void) | undefined;
    const end = () => {
      if (ended) return;
      ended = true;
      if (heartbeat) clearInterval(heartbeat);
      unsubscribe?.();
      stream.end();
    };
    const tokenHash = hashToken(sessionToken);
    const sessionEnded = () => {
      event('session-ended', {});
      end();
    };
    unsubscribe = await bus.subscribe({
      event(e) {
        // Signed out (on any instance): this stream ends at once.
        if (e.type === 'session-ended') {
          if (e.tokenHash === tokenHash) sessionEnded();
          return;
        }
        if (!e.agencies.includes(agencyId)) return;
        if (e.type === 'case-updated') event('case-updated', e.data satisfies CaseUpdatedEvent);
        else if (e.type === 'document-received') event('document-received', e.data satisfies DocumentReceivedEvent);
      },
      // Events may have been lost: the client should reload what it shows.
      resync: () => event('ready', { resync: true }),
      closed: end,
    });
    // The response's close: the client went away (the request's own close comes earlier, once it is read).
    ctx.res.on('close', end);
    stream.on('close', end);
    heartbeat = setInterval(() => {
      send(': heartbeat\n\n');
      // An expired session stops receiving (a sign-out ended the stream already): the stream
      // ends, and EventSource's reconnection then gets a 401 and gives up.
      userForToken(deps.db, sessionToken, deps.now()).then(
        (still) => {
          if (!still) sessionEnded();
        },
        () => undefined,
      );
    }, HEARTBEAT_MS);
    heartbeat.unref();

    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.status = 200;
    ctx.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    ctx.body = stream;
    // Reconnect after 3 s if the connection drops; `ready` says "listening from now: load the inbox".
    send('retry: 3000\n\n');
    event('ready', { resync: false, user: signedIn.id });
  });

  return router;
}
