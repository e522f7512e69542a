import type { MailLang, MailStatus } from '../core/api.ts';
import type { User } from '../core/user.ts';
import type { OveraClient } from './client.ts';

/**
 * The signed-in person's e-mail notifications (docs/server.md, "E-mail to citizens"): whether
 * the server offers them at all, the address, and the calls that give, confirm, change and
 * remove it and switch notifications off and on. An address is used only after the code sent
 * to it comes back (`confirmMailAddress`).
 */

/** Whether mail is offered and the person's address (`GET me`, its `mail`). */
export async function getMailStatus(client: OveraClient, signal?: AbortSignal): Promise<MailStatus> {
  const { mail } = await client.request<{ user: User; mail?: MailStatus }>('GET', 'me', signal ? { signal } : {});
  // A server from before e-mail notifications says nothing of mail: it offers none.
  return mail ?? { offered: false, address: null, pending: null, lang: null, notifications: false };
}

/** Gives (or changes) the address: a six-digit code goes to it, and it waits for that code (`pending`). */
export function setMailAddress(client: OveraClient, address: string, lang: MailLang): Promise<MailStatus> {
  return client.request<MailStatus>('PUT', 'me/email', { body: { address, lang } });
}

/** The code from the mail: the pending address becomes the one notifications go to. */
export function confirmMailAddress(client: OveraClient, code: string): Promise<MailStatus> {
  return client.request<MailStatus>('POST', 'me/email/confirm', { body: { code } });
}

/** Stops notifications (false) or starts them again (true); needs a confirmed address. */
export function setMailNotifications(client: OveraClient, on: boolean): Promise<MailStatus> {
  return client.request<MailStatus>('PUT', 'me/email/notifications', { body: { notifications: on } });
}

/** Forgets the address, confirmed and pending. */
export async function removeMailAddress(client: OveraClient): Promise<void> {
  await client.request<void>('DELETE', 'me/email');
}
