import Router from '@koa/router';
import type { Deps } from '../services/deps.ts';
import { MAIL_WORDS } from '../services/mail-messages.ts';
import { unsubscribe, unsubscribeLang } from '../services/mail.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The unsubscribe link of every notification (docs/server.md, "E-mail to citizens"), without
 * signing in: the token is the whole authority, and it can only stop notifications.
 *  - `GET /mail/unsubscribe?token=` — a small page with one button; a GET changes nothing, so
 *    a mail scanner that opens links does not unsubscribe anybody;
 *  - `POST /mail/unsubscribe?token=` — stops them (also RFC 8058 one-click, which posts
 *    `List-Unsubscribe=One-Click`: the body is not read, app.ts lets it through unparsed).
 */
export function mailRoutes(deps: Deps): Router {
  const router = new Router({ prefix: '/mail' });
  router.get('/unsubscribe', async (ctx) => {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    const lang = await unsubscribeLang(deps, token);
    const w = MAIL_WORDS[lang];
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = `<!doctype html><html lang="${lang}"><meta charset="utf-8"><title>${escapeHtml(w.stopButton)}</title><body>`
      + `<form method="post" action="?token=${encodeURIComponent(token)}"><button type="submit">${escapeHtml(w.stopButton)}</button></form>`
      + '</body></html>';
  });
  router.post('/unsubscribe', async (ctx) => {
    const lang = await unsubscribe(deps, ctx.query.token);
    ctx.set('Cache-Control', 'no-store');
    // A person pressing the page's button (a browser asks for text/html) gets words; a mail client, 204.
    if (ctx.get('Accept').includes('text/html')) {
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = `<!doctype html><html lang="${lang}"><meta charset="utf-8"><body><p>${escapeHtml(MAIL_WORDS[lang].stopped)}</p></body></html>`;
    } else {
      ctx.status = 204;
    }
  });
  return router;
}
