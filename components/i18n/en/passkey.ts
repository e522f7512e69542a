import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  'status.waiting': 'Waiting for your passkey…',
  'problem.cancelled': 'The passkey request was cancelled or timed out. Nothing was changed. Try again when you are ready.',
  'problem.already-registered': 'This device already has a passkey for this service. Use “Sign in with a passkey” instead.',
  'problem.unsupported': 'This browser or device cannot use passkeys. Try an up-to-date browser, or another device.',
  'problem.security': 'This page is not allowed to use passkeys for this service. Please tell the owner of the site.',
  'problem.passkey-failed': 'Your passkey could not be used. Try again.',
  'problem.flow-expired': 'The passkey request took too long and has expired. Try again.',
  'problem.flow-invalid': 'The passkey request was already used or is not known. Try again.',
  'problem.passkey-rejected': 'The service did not accept your passkey. Try again, or create a new passkey.',
  'problem.unknown-passkey': 'This passkey is not registered with this service. Create a passkey first.',
  'problem.credential-exists': 'This passkey is already registered. Use “Sign in with a passkey” instead.',
  'problem.invite-used': 'This invite code has already been used. Ask your agency for a new one.',
};

/** English messages for passkey ceremonies (<overa-account>, <overa-sign>): waiting for the passkey, and why one did not work; Serbian loads from ../sr-latn/passkey.ts when needed. */
export const passkeyMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/passkey.ts'));
