/**
 * Every message area at once, for tests, tools and the server (an element loads only its own
 * areas through its static `messages`).
 */
import { accountMessages } from './en/account.ts';
import { applicationsMessages } from './en/applications.ts';
import { commonMessages } from './en/common.ts';
import { formMessages } from './en/form.ts';
import { inboxMessages } from './en/inbox.ts';
import { myAppsMessages } from './en/my-apps.ts';
import { signMessages } from './en/sign.ts';
import { statsMessages } from './en/stats.ts';
import { validationMessages } from './en/validation.ts';
import { verifyMessages } from './en/verify.ts';
import { myAppsDetailMessages } from './en/my-apps-detail.ts';
import { historyMessages } from './en/history.ts';
import { passkeyMessages } from './en/passkey.ts';
import { verifyVerdictMessages } from './en/verify-verdict.ts';
import { inboxCaseMessages } from './en/inbox-case.ts';
import { inboxReceptionMessages } from './en/inbox-reception.ts';
import { formSendMessages } from './en/form-send.ts';
import { formGroupMessages } from './en/form-group.ts';
import { formFileMessages } from './en/form-file.ts';
import { verifyDocumentMessages } from './en/verify-document.ts';
import { verifyTimeMessages } from './en/verify-time.ts';
import { verifyQualificationMessages } from './en/verify-qualification.ts';
import { accountPasskeyMessages } from './en/account-passkeys.ts';
import { accountRecoveryMessages } from './en/account-recovery.ts';
import { formBuilderMessages } from './en/form-builder.ts';
import { mailMessages } from './en/mail.ts';
import { paymentMessages } from './en/payment.ts';
import { LANGS, type Lang } from './format.ts';
import { loadMessages, loadedMessages, type MessageBundle, type MessageTable } from './registry.ts';

export const ALL_MESSAGE_AREAS: readonly MessageBundle[] = [
  accountMessages,
  applicationsMessages,
  commonMessages,
  formMessages,
  inboxMessages,
  myAppsMessages,
  signMessages,
  statsMessages,
  validationMessages,
  verifyMessages,
  myAppsDetailMessages,
  historyMessages,
  passkeyMessages,
  verifyVerdictMessages,
  inboxCaseMessages,
  inboxReceptionMessages,
  formSendMessages,
  formGroupMessages,
  formFileMessages,
  verifyDocumentMessages,
  verifyTimeMessages,
  verifyQualificationMessages,
  accountPasskeyMessages,
  accountRecoveryMessages,
  formBuilderMessages,
  mailMessages,
  paymentMessages,
];

/** Loads every area in every language and returns the complete tables. */
export async function loadAllMessages(): Promise<Readonly<Record<Lang, MessageTable>>> {
  await loadMessages(ALL_MESSAGE_AREAS, 'sr-Latn');
  return Object.fromEntries(LANGS.map((lang) => [lang, loadedMessages(lang)])) as Record<Lang, MessageTable>;
}
