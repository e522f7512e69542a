import { API, empty, json, jsonBody, operation, queryParam, ref, type Paths } from '../common.ts';

const token = queryParam('token', 'The token of the unsubscribe link in every notification', { type: 'string', minLength: 1, maxLength: 64 }, { required: true });
const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });

/** E-mail to citizens (docs/server.md, "E-mail to citizens"): my address, and the unsubscribe link. */
export const mailPaths: Paths = {
  [`${API}/me/email`]: {
    put: operation({
      operationId: 'setMyEmail',
      summary: 'Give or change my e-mail address for notifications (audit entry `user.email-set`)',
      description: 'A six-digit code goes to the address through the outbox; the address is used only once the code comes back (`POST /me/email/confirm`). Until then a confirmed address, if any, keeps getting mail. `lang` is the language and script the mails are written in.',
      tag: 'auth',
      access: 'user',
      jsonParser: true,
      rateLimited: 'mailCodes',
      requestBody: jsonBody({
        type: 'object',
        required: ['address', 'lang'],
        additionalProperties: false,
        properties: { address: { type: 'string', maxLength: 254 }, lang: { enum: ['sr-Cyrl', 'sr-Latn', 'en'] } },
      }),
      responses: { 202: json('The address waits for its code (`Cache-Control: no-store`)', ref('MailStatus')) },
      problems: {
        400: '`address` missing or not an address, `lang` not one of the three (`validation`, naming the field), a field the request does not have (`unknownField`).',
        503: 'SMTP is not configured on this server (`mail-not-configured`).',
      },
    }),
    delete: operation({
      operationId: 'removeMyEmail',
      summary: 'Forget my e-mail address, confirmed and pending (audit entry `user.email-removed`)',
      description: 'Nothing more is sent to it, mail already queued included.',
      tag: 'auth',
      access: 'user',
      responses: { 204: empty('Forgotten (also when there was none)') },
    }),
  },
  [`${API}/me/email/confirm`]: {
    post: operation({
      operationId: 'confirmMyEmail',
      summary: 'Confirm my address with the code sent to it (audit entry `user.email-confirmed`)',
      description: 'The code is good for 30 minutes and five wrong tries; then the address is given again for a new one.',
      tag: 'auth',
      access: 'user',
      jsonParser: true,
      requestBody: jsonBody({ type: 'object', required: ['code'], additionalProperties: false, properties: { code: { type: 'string', pattern: '^\\d{6}$' } } }),
      responses: { 200: json('The address is confirmed (`Cache-Control: no-store`)', ref('MailStatus')) },
      problems: {
        400: 'On the field `code` (`validation`): not six digits (`invalid`), not the code that was sent (`wrong`, counted), expired or tried too often (`expired`), no address waiting (`no-pending-address`).',
        503: 'SMTP is not configured on this server (`mail-not-configured`).',
      },
    }),
  },
  [`${API}/me/email/notifications`]: {
    put: operation({
      operationId: 'setMyNotifications',
      summary: 'Stop my e-mail notifications, or start them again (audit entries `user.email-notifications-off`/`-on`)',
      description: 'The signed-in person\'s own switch (the unsubscribe link can only stop them). The address stays as it is.',
      tag: 'auth',
      access: 'user',
      jsonParser: true,
      requestBody: jsonBody({ type: 'object', required: ['notifications'], additionalProperties: false, properties: { notifications: { type: 'boolean' } } }),
      responses: { 200: json('Notifications as they are now (`Cache-Control: no-store`)', ref('MailStatus')) },
      problems: {
        400: '`notifications` missing or not true/false (`validation`, naming the field), a field the request does not have (`unknownField`).',
        409: 'No confirmed address (`no-confirmed-address`).',
        503: 'SMTP is not configured on this server (`mail-not-configured`).',
      },
    }),
  },
  [`${API}/mail/unsubscribe`]: {
    get: operation({
      operationId: 'unsubscribePage',
      summary: 'The unsubscribe link\'s page: one button, in the person\'s language (changes nothing)',
      description: 'A GET changes nothing, so a mail scanner that opens links does not unsubscribe anybody.',
      tag: 'auth',
      access: 'public',
      parameters: [token],
      responses: { 200: html('A page with a button that posts to the same URL') },
      problems: { 400: 'No `token` (`validation`).', 404: 'The token is unknown (`unsubscribe-token-unknown`).' },
    }),
    post: operation({
      operationId: 'unsubscribe',
      summary: 'Stop e-mail notifications, without signing in (audit entry `user.email-unsubscribed`)',
      description: 'The token is the whole authority and can only stop notifications. RFC 8058 one-click: the body (`List-Unsubscribe=One-Click`, any content type) is not read. The address stays until the person removes it; confirming an address again turns notifications back on.',
      tag: 'auth',
      access: 'public',
      parameters: [token],
      responses: { 200: html('For a browser (`Accept: text/html`): a page saying so'), 204: empty('Stopped (or already stopped)') },
      problems: { 400: 'No `token` (`validation`).', 404: 'The token is unknown (`unsubscribe-token-unknown`).' },
    }),
  },
};
