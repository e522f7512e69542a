/** Browser-side wrapper for the overa-server plugin (test/plugins/overa-server.mjs). */
import { executeServerCommand } from '@web/test-runner-commands';

let url: Promise<string> | undefined;

/** Base URL of the real Overa server the test runner started (e.g. http://localhost:40123). */
export function overaServer(): Promise<string> {
  url ??= executeServerCommand<{ url: string }, undefined>('overa-server').then((r) => r.url);
  return url;
}

let mailUrl: Promise<string> | undefined;

/**
 * A second real Overa server, with e-mail to citizens configured (a loopback SMTP server and the
 * outbox worker): the elements offer notifications there. Started when first asked for.
 */
export function overaMailServer(): Promise<string> {
  mailUrl ??= executeServerCommand<{ url: string }, { mail: boolean }>('overa-server', { mail: true }).then((r) => r.url);
  return mailUrl;
}

/** The mails the mail server has sent to `to` so far, oldest first. */
export async function overaMails(to: string): Promise<{ to: string; subject: string; text: string }[]> {
  const { mails } = await executeServerCommand<{ mails: { to: string; subject: string; text: string }[] }, { to: string }>('overa-mails', { to });
  return mails;
}

/** A fresh one-time invite code for an official of the demo agency (or the one given). */
export async function overaInvite(options: { roles: string[]; agencyId?: string; kind?: 'official' | 'admin' }): Promise<string> {
  const { code } = await executeServerCommand<{ code: string }, typeof options>('overa-invite', options);
  return code;
}

/** A one-time recovery code for an account, as the agency issues it (`overa accounts recover`). */
export async function overaRecoveryCode(userId: string): Promise<string> {
  const { code } = await executeServerCommand<{ code: string }, { userId: string }>('overa-recovery-code', { userId });
  return code;
}

/** A document a partner agency on another server sent to the demo agency, received as over the wire (issue 19). */
export async function overaPartnerDocument(trackingNumber: string): Promise<{ receptionId: string; documentId: string }> {
  return executeServerCommand<{ receptionId: string; documentId: string }, { trackingNumber: string }>('overa-partner-document', { trackingNumber });
}

/**
 * A partner agency on a second Overa server (issue 19), partners both ways with the demo agency;
 * from then on the test server's outbox delivers to it (queued, then delivered with a receipt).
 */
export async function overaPartnerServer(): Promise<{ agencyId: string; name: string; url: string }> {
  return executeServerCommand<{ agencyId: string; name: string; url: string }, undefined>('overa-partner-server');
}
