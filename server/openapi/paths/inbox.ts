import { INBOX_STATUSES } from '../../services/cases.ts';
import { API, json, operation, queryParam, ref, type Paths } from '../common.ts';

const day = { anyOf: [{ type: 'string', format: 'date' }, { type: 'string', format: 'date-time' }] };

/** The officials' inbox and its event stream (docs/server.md, "The inbox", "Server-sent events"). */
export const inboxPaths: Paths = {
  [`${API}/inbox`]: {
    get: operation({
      operationId: 'listInbox',
      summary: 'Cases for the signed-in official, newest submission first (or soonest due)',
      tag: 'approval',
      access: 'user',
      parameters: [
        queryParam('limit', '1–100, default 20', { type: 'integer', minimum: 1, maximum: 100, default: 20 }),
        queryParam('cursor', '`nextCursor` of the page before (opaque)', { type: 'string', minLength: 1, maxLength: 200 }),
        queryParam('status', 'One or more statuses (`status=a,b` or repeated); default all of them', { type: 'array', items: { enum: [...INBOX_STATUSES] } }, { style: 'form', explode: true }),
        queryParam('form', 'A form id', { type: 'string', minLength: 1, maxLength: 64 }),
        queryParam('from', 'Submitted from: a day `YYYY-MM-DD` (in Serbia) or a date-time with its offset', day),
        queryParam('to', 'Submitted until: a day (the whole day included) or a date-time with its offset', day),
        queryParam('assigned', '`me`: a pending step names me (or one I stand in for); `role`: a pending step is for one of my roles', { enum: ['me', 'role'] }),
        queryParam('due', '`soon`: open cases whose legal time limit ends within OVERA_DEADLINE_SOON_DAYS days (not yet overdue); `overdue`: open cases past it', { enum: ['soon', 'overdue'] }),
        queryParam('sort', '`submitted` (default): newest submission first; `due`: soonest due date first, cases without one last', { enum: ['submitted', 'due'] }),
        queryParam('q', 'Words that begin words of the applicant\'s name or the tracking number (case, script and diacritics ignored)', { type: 'string', minLength: 1, maxLength: 200 }),
      ],
      responses: { 200: json('A page (`Cache-Control: no-store`)', ref('InboxPage')) },
      problems: {
        400: 'A bad parameter (`validation`, naming each): `limit`, `cursor`, `status`, `form`, `from`, `to`, `assigned`, `due`, `sort`, a `q` with no word of two letters or more; one given twice (but `status`) or empty.',
        403: 'A citizen (`not-allowed`).',
      },
    }),
  },
  [`${API}/inbox/events`]: {
    get: operation({
      operationId: 'inboxEvents',
      summary: 'Server-sent events for the official\'s inbox',
      description: [
        'A `text/event-stream` that stays open. Events: `ready` `{resync, user}` first (and `{resync: true}` when events may have been missed): reload the inbox;',
        '`case-updated` (data: `CaseUpdatedEvent`) whenever a case the agency sees is submitted, resubmitted or decided; `document-received` (data: `DocumentReceivedEvent`) when another agency sends the agency a document; `session-ended` `{}` when the session ends (the stream then ends): at once on sign-out, at the next heartbeat on expiry;',
        '`: heartbeat` comments every 15 s; `retry: 3000`. EventSource cannot send headers, so the token may also come as `?access_token=`.',
      ].join(' '),
      tag: 'approval',
      access: 'user',
      security: [{ bearer: [] }, { accessToken: [] }],
      responses: {
        200: {
          description: 'The event stream (`Cache-Control: no-store`)',
          content: { 'text/event-stream': { schema: { type: 'string', description: 'Events as described above; the data of `case-updated` is a `CaseUpdatedEvent`, of `document-received` a `DocumentReceivedEvent`' } } },
        },
      },
      problems: {
        401: 'An `access_token` that is unknown or expired.',
        403: 'A citizen (`not-allowed`).',
      },
    }),
  },
};
