/**
 * E-mail to citizens (issue 20, item 1). A citizen gives an address (`PUT /me/email`); a
 * six-digit code goes to it through the outbox; only once the code comes back
 * (`POST /me/email/confirm`) is the address used. Then the events of their applications —
 * received, returned (with the official's reason), rejected, issued (with the verification
 * code) — queue one mail each in the event's own transaction (services/outbox.ts), written in
 * the language and script given with the address, plain text and HTML, with an unsubscribe link
 * that works without signing in. A mail never carries the document or the answers of a form.
 * Without `OVERA_SMTP_URL` and `OVERA_MAIL_FROM` nothing is taken, queued or sent.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import nodemailer from 'nodemailer';
import type { User } from '../../components/core/user.ts';
import type { MailStatus } from '../../components/core/api.ts';
import { mailAddresses, type MailAddressRecord, type MailLang } from '../db/mail-addresses.ts';
import { HttpError, invalidField } from '../http-error.ts';
import { appendAudit } from './audit.ts';
import type { Deps } from './deps.ts';
import { MAIL_WORDS, type MailKind } from './mail-messages.ts';
import { enqueue, PermanentDeliveryError, type OutboxHandlers } from './outbox.ts';

export const MAIL_LANGS: readonly MailLang[] = ['sr-Cyrl', 'sr-Latn', 'en'];
/** How long a confirmation code is good for, and how many wrong codes end it. */
export const MAIL_CODE_TTL_MS = 30 * 60_000;
export const MAIL_CODE_MAX_ATTEMPTS = 5;

/** What `GET /me` tells an element about mail (the shape is shared with the client: core/api.ts). */
export type { MailStatus };

/** The message of the `mail` channel, as queued and as sent on every attempt. */
interface MailPayload {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The unsubscribe URL (List-Unsubscribe), for notifications. */
  unsubscribe?: string;
}

export function mailOffered(config: Deps['config']): boolean {
  return Boolean(config.smtpUrl && config.mailFrom);
}

function notConfigured(): HttpError {
  return new HttpError(503, 'mail-not-configured', 'E-mail is not offered on this server', {
    detail: 'The operator has not set OVERA_SMTP_URL and OVERA_MAIL_FROM',
  });
}

const codeHash = (userId: string, code: string) => createHash('sha256').update(`${userId}:${code}`).digest('hex');

// A deliberately plain check (one @, no spaces, a dot in the domain): the confirmation code is
// the real proof that the address works; a full RFC 5322 parser would only refuse fewer typos.
const ADDRESS = /^[^\s@<>()"',;:\\]+@[^\s@<>()"',;:\\]+\.[^\s@<>()"',;:\\]+$/;

export function checkAddress(address: unknown): string {
  if (typeof address !== 'string' || address.trim() === '') throw invalidField('address', 'required', 'Give an e-mail address');
  const a = address.trim();
  if (a.length > 254 || !ADDRESS.test(a)) throw invalidField('address', 'invalid', 'This is not an e-mail address');
  return a;
}

export function checkLang(lang: unknown): MailLang {
  if (!MAIL_LANGS.includes(lang as MailLang)) throw invalidField('lang', 'invalid', `One of ${MAIL_LANGS.join(', ')}`);
  return lang as MailLang;
}

function statusOf(config: Deps['config'], m: MailAddressRecord | undefined): MailStatus {
  return {
    offered: mailOffered(config),
    address: m?.address ?? null,
    pending: m?.pendingAddress ?? null,
    lang: m?.lang ?? null,
    notifications: m ? m.address !== null && m.notify : false,
  };
}

export async function mailStatus(deps: Pick<Deps, 'db' | 'config'>, user: User): Promise<MailStatus> {
  return statusOf(deps.config, await mailAddresses.get(deps.db, user.id));
}

// ---- rendering ----

/** The server's public URL (as services/documents.ts has it; not imported, documents imports this module). */
const publicUrlOf = (deps: Pick<Deps, 'config'>) => deps.config.publicUrl ?? `http://localhost:${deps.config.port}`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function fill(template: string, values: Record<string, string>, esc: (s: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => esc(values[k] ?? ''));
}

/** Plain text and HTML of one mail; every value escaped in the HTML, links as links. */
export function renderMail(lang: MailLang, kind: MailKind, values: Record<string, string>, links: { follow?: string; followCase?: string; unsubscribe?: string }): Omit<MailPayload, 'to'> {
  const w = MAIL_WORDS[lang];
  const words = w.kinds[kind];
  const text: string[] = words.lines.map((l) => fill(l, values, (s) => s));
  const html: string[] = words.lines.map((l) => `<p>${fill(l, values, escapeHtml)}</p>`);
  const link = (u: string) => `<a href="${escapeHtml(u)}">${escapeHtml(u)}</a>`;
  if (links.follow) {
    text.push(fill(w.follow, { link: links.follow }, (s) => s));
    html.push(`<p>${fill(escapeHtml(w.follow), { link: links.follow }, link)}</p>`);
  }
  if (links.followCase) {
    text.push(fill(w.followCase, { link: links.followCase }, (s) => s));
    html.push(`<p>${fill(escapeHtml(w.followCase), { link: links.followCase }, link)}</p>`);
  }
  if (links.unsubscribe) {
    text.push('--', fill(w.stop, { link: links.unsubscribe }, (s) => s));
    html.push(`<hr><p><small>${fill(escapeHtml(w.stop), { link: links.unsubscribe }, link)}</small></p>`);
  }
  return {
    subject: fill(words.subject, values, (s) => s),
    text: `${text.join('\n\n')}\n`,
    html: `<!doctype html><html lang="${lang}"><meta charset="utf-8"><body>${html.join('\n')}</body></html>`,
    ...(links.unsubscribe ? { unsubscribe: links.unsubscribe } : {}),
  };
}

export function unsubscribeUrl(deps: Pick<Deps, 'config'>, token: string): string {
  return `${publicUrlOf(deps)}/api/v1/mail/unsubscribe?token=${encodeURIComponent(token)}`;
}

// ---- the address ----

/**
 * Sets or changes the address: it waits, pending, for the code sent to it (the confirmed one,
 * if any, keeps getting mail until then). Audited without the address (the log is kept forever).
 */
export async function setEmail(deps: Pick<Deps, 'db' | 'config' | 'now'>, user: User, input: { address: unknown; lang: unknown }): Promise<MailStatus> {
  if (!mailOffered(deps.config)) throw notConfigured();
  const address = checkAddress(input.address);
  const lang = checkLang(input.lang);
  const now = deps.now();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  return deps.db.transaction(async (trx) => {
    const old = await mailAddresses.getForUpdate(trx, user.id);
    const record: MailAddressRecord = {
      userId: user.id, address: old?.address ?? null, pendingAddress: address, codeHash: codeHash(user.id, code),
      codeExpiresAt: now + MAIL_CODE_TTL_MS, codeAttempts: 0, lang,
      unsubscribeToken: old?.unsubscribeToken ?? randomBytes(32).toString('base64url'),
      notify: old?.notify ?? true, confirmedAt: old?.confirmedAt ?? null, updatedAt: now,
    };
    await mailAddresses.put(trx, record);
    await appendAudit(trx, { actor: user.id, action: 'user.email-set', subject: { type: 'user', id: user.id }, data: { lang } }, now);
    const mail = renderMail(lang, 'confirm', { code }, {});
    await enqueue(trx, [{ channel: 'mail', target: user.id, eventType: 'mail.confirm', payload: JSON.stringify({ to: address, ...mail } satisfies MailPayload) }], now);
    return statusOf(deps.config, record);
  });
}

/** The code sent to the pending address: right → it becomes the address mail goes to. */
export async function confirmEmail(deps: Pick<Deps, 'db' | 'config' | 'now'>, user: User, code: unknown): Promise<MailStatus> {
  if (!mailOffered(deps.config)) throw notConfigured();
  if (typeof code !== 'string' || !/^\d{6}$/.test(code.trim())) throw invalidField('code', 'invalid', 'The six-digit code from the e-mail');
  const now = deps.now();
  const outcome = await deps.db.transaction(async (trx) => {
    const m = await mailAddresses.getForUpdate(trx, user.id);
    if (!m || m.pendingAddress === null || m.codeHash === null) return { error: invalidField('code', 'no-pending-address', 'No address is waiting for a code: set one first') };
    if (m.codeExpiresAt === null || m.codeExpiresAt < now || m.codeAttempts >= MAIL_CODE_MAX_ATTEMPTS) {
      // The wrong tries are counted in the row, so the code ends for good; the address is asked again.
      return { error: invalidField('code', 'expired', 'The code has expired or was tried too often: set the address again for a new one') };
    }
    if (!timingSafeEqual(Buffer.from(codeHash(user.id, code.trim()), 'hex'), Buffer.from(m.codeHash, 'hex'))) {
      await mailAddresses.put(trx, { ...m, codeAttempts: m.codeAttempts + 1, updatedAt: now });
      return { error: invalidField('code', 'wrong', 'This is not the code that was sent') };
    }
    const record: MailAddressRecord = {
      ...m, address: m.pendingAddress, pendingAddress: null, codeHash: null, codeExpiresAt: null, codeAttempts: 0,
      notify: true, confirmedAt: now, updatedAt: now,
    };
    await mailAddresses.put(trx, record);
    await appendAudit(trx, { actor: user.id, action: 'user.email-confirmed', subject: { type: 'user', id: user.id } }, now);
    return { status: statusOf(deps.config, record) };
  });
  // A wrong try is committed before it is refused (it counts).
  if ('error' in outcome) throw outcome.error;
  return outcome.status;
}

/** Forgets the address (confirmed and pending); nothing more is sent, queued mail included. */
export async function removeEmail(deps: Pick<Deps, 'db' | 'now'>, user: User): Promise<void> {
  const now = deps.now();
  await deps.db.transaction(async (trx) => {
    if (await mailAddresses.remove(trx, user.id)) {
      await appendAudit(trx, { actor: user.id, action: 'user.email-removed', subject: { type: 'user', id: user.id } }, now);
    }
  });
}

/**
 * The person's own switch, signed in: stops notifications to the confirmed address, or starts
 * them again (the unsubscribe link can only stop them). Needs a confirmed address (409 without).
 */
export async function setNotifications(deps: Pick<Deps, 'db' | 'config' | 'now'>, user: User, on: boolean): Promise<MailStatus> {
  if (!mailOffered(deps.config)) throw notConfigured();
  const now = deps.now();
  return deps.db.transaction(async (trx) => {
    const m = await mailAddresses.getForUpdate(trx, user.id);
    if (!m || m.address === null) throw new HttpError(409, 'no-confirmed-address', 'There is no confirmed address to send notifications to', { detail: 'Give an address and confirm it with the code sent to it first' });
    if (m.notify === on) return statusOf(deps.config, m);
    const record: MailAddressRecord = { ...m, notify: on, updatedAt: now };
    await mailAddresses.put(trx, record);
    await appendAudit(trx, { actor: user.id, action: on ? 'user.email-notifications-on' : 'user.email-notifications-off', subject: { type: 'user', id: user.id } }, now);
    return statusOf(deps.config, record);
  });
}

/** The unsubscribe link, without signing in: notifications stop (the address stays until removed). */
export async function unsubscribe(deps: Pick<Deps, 'db' | 'now'>, token: unknown): Promise<MailLang> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 64) throw invalidField('token', 'invalid', 'The token of the unsubscribe link');
  const now = deps.now();
  return deps.db.transaction(async (trx) => {
    const m = await mailAddresses.byUnsubscribeToken(trx, token);
    if (!m) throw new HttpError(404, 'unsubscribe-token-unknown', 'This unsubscribe link is not valid (any more)');
    if (m.notify) {
      await mailAddresses.put(trx, { ...m, notify: false, updatedAt: now });
      await appendAudit(trx, { actor: null, action: 'user.email-unsubscribed', subject: { type: 'user', id: m.userId } }, now);
    }
    return m.lang;
  });
}

/** The language of an unsubscribe token's owner, for the page the link opens (404 when unknown). */
export async function unsubscribeLang(deps: Pick<Deps, 'db'>, token: unknown): Promise<MailLang> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 64) throw invalidField('token', 'invalid', 'The token of the unsubscribe link');
  const m = await mailAddresses.byUnsubscribeToken(deps.db, token);
  if (!m) throw new HttpError(404, 'unsubscribe-token-unknown', 'This unsubscribe link is not valid (any more)');
  return m.lang;
}

// ---- notifications ----

export type ApplicantEvent =
  | { kind: 'received'; applicationId: string; trackingNumber: string }
  | { kind: 'returned'; applicationId: string; trackingNumber: string; reason: string }
  | { kind: 'rejected'; applicationId: string; trackingNumber: string }
  | { kind: 'issued'; applicationId: string; trackingNumber: string; verificationCode: string }
  // An official marked the case's fee paid (services/fees.ts); the amount in dinars.
  | { kind: 'fee-paid'; applicationId: string; trackingNumber: string; amount: number };

/**
 * Queues the applicant's mail about an event, in the event's transaction: nothing when mail is
 * not configured, the person has no confirmed address or stopped notifications. Only the
 * tracking number, the official's reason, the verification code and the fee's amount go in,
 * never answers.
 */
export async function notifyApplicant(deps: Pick<Deps, 'config' | 'now'>, trx: Knex.Transaction, ownerId: string, event: ApplicantEvent): Promise<void> {
  if (!mailOffered(deps.config)) return;
  const m = await mailAddresses.get(trx, ownerId);
  if (!m || m.address === null || !m.notify) return;
  const values: Record<string, string> = { trackingNumber: event.trackingNumber };
  if (event.kind === 'returned') values.reason = event.reason;
  if (event.kind === 'issued') values.verificationCode = event.verificationCode;
  if (event.kind === 'fee-paid') values.amount = mailAmount(m.lang, event.amount);
  const follow = deps.config.myApplicationsUrl ?? `${publicUrlOf(deps)}/`;
  const mail = renderMail(m.lang, event.kind, values, { follow, unsubscribe: unsubscribeUrl(deps, m.unsubscribeToken) });
  const now = deps.now();
  await enqueue(trx, [{ channel: 'mail', target: ownerId, eventType: `application.${event.kind}`, payload: JSON.stringify({ to: m.address, ...mail } satisfies MailPayload) }], now);
}

export type OfficialEvent =
  | { kind: 'deadline-reminder'; trackingNumber: string; dueDate: string; daysLeft: number }
  | { kind: 'deadline-overdue'; trackingNumber: string; dueDate: string };

/** A day `YYYY-MM-DD` as people read it: `7. 12. 2026.` in Serbian, as it is in English. */
export function mailDate(lang: MailLang, day: string): string {
  if (lang === 'en') return day;
  return `${Number(day.slice(8, 10))}. ${Number(day.slice(5, 7))}. ${day.slice(0, 4)}.`;
}

/** An amount of dinars as people read it: `1.234,50` in Serbian, `1,234.50` in English. */
export function mailAmount(lang: MailLang, amount: number): string {
  return new Intl.NumberFormat(lang === 'en' ? 'en' : 'sr-Latn', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
}

/**
 * Queues an official's mail about a case's time limit (services/deadlines.ts), in the caller's
 * transaction: nothing when mail is not configured or the official has no confirmed address or
 * stopped notifications. Only the tracking number and the dates go in, never answers or names.
 * Officials give their address as citizens do (`PUT /me/email`). Returns whether one was queued.
 */
export async function notifyOfficial(deps: Pick<Deps, 'config' | 'now'>, trx: Knex.Transaction, userId: string, event: OfficialEvent): Promise<boolean> {
  if (!mailOffered(deps.config)) return false;
  const m = await mailAddresses.get(trx, userId);
  if (!m || m.address === null || !m.notify) return false;
  const values: Record<string, string> = { trackingNumber: event.trackingNumber, dueDate: mailDate(m.lang, event.dueDate) };
  if (event.kind === 'deadline-reminder') values.daysLeft = String(event.daysLeft);
  const followCase = deps.config.backOfficeUrl ?? `${publicUrlOf(deps)}/`;
  const mail = renderMail(m.lang, event.kind, values, { followCase, unsubscribe: unsubscribeUrl(deps, m.unsubscribeToken) });
  await enqueue(trx, [{ channel: 'mail', target: userId, eventType: event.kind === 'deadline-reminder' ? 'deadline.reminder' : 'deadline.overdue', payload: JSON.stringify({ to: m.address, ...mail } satisfies MailPayload) }], deps.now());
  return true;
}

// ---- delivery ----

/**
 * The outbox handler of the `mail` channel (none without SMTP: the channel is left alone).
 * Before sending it looks again: a notification goes only to the address still confirmed and
 * wanting mail, a code only to the address still waiting for it. The Message-ID is made from the
 * outbox id, so a repeated delivery is recognisably the same message.
 *
 * The transport keeps a few SMTP connections open and sends one mail after another on them
 * (nodemailer's pool; `?pool=false` in OVERA_SMTP_URL turns it off): a new connection per mail
 * is a TCP handshake, EHLO and QUIT more per message, in the worker that shares the event loop
 * and the cores with the request path (bench/submit-notify.ts; on a loaded machine one run read
 * 0.42× without the pool, runs with it 0.56–1.17×: docs/benchmarks.md). The connections close
 * with the process; an SMTP server that drops them meanwhile is a failed attempt, retried.
 */
export function mailHandlers(deps: Pick<Deps, 'db' | 'config'>): OutboxHandlers {
  if (!mailOffered(deps.config)) return {};
  const transport = nodemailer.createTransport({ url: deps.config.smtpUrl!, pool: true });
  const domain = new URL(publicUrlOf(deps)).hostname;
  return {
    mail: async (message) => {
      const p = JSON.parse(message.payload) as MailPayload;
      const m = await mailAddresses.get(deps.db, message.target);
      const still = message.eventType === 'mail.confirm' ? m?.pendingAddress === p.to : m?.address === p.to && m.notify;
      if (!still) throw new PermanentDeliveryError('the address was changed or removed, or notifications were stopped');
      await transport.sendMail({
        from: deps.config.mailFrom!,
        to: p.to,
        subject: p.subject,
        text: p.text,
        html: p.html,
        messageId: `<${message.id}@${domain}>`,
        ...(p.unsubscribe ? { list: { unsubscribe: { url: p.unsubscribe, comment: 'Unsubscribe' } }, headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } } : {}),
      });
    },
  };
}
