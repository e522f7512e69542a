import type { PluralMessage } from './format.ts';

/**
 * English messages: the reference set. Every key here must exist in every language
 * (the type of `srLatn` checks it). `{name}` is a named parameter; a PluralMessage picks
 * its form with Intl.PluralRules from the numeric parameter it names.
 */
export const en = {
  'account.nameLabel': 'Your name',
  'account.nameHint': 'Needed only to create a passkey. We show it on your applications and on documents you sign.',
  'account.inviteToggle': 'I have an invite code (officials only)',
  'account.inviteLabel': 'Invite code (officials only)',
  'account.inviteHint': 'The one-time code your agency gave you, for example {example}.',
  'account.register': 'Create a passkey',
  'account.signInIntro': 'Already have a passkey?',
  'account.signIn': 'Sign in with a passkey',
  'account.signOut': 'Sign out',
  'account.signedInAs': 'Signed in as {name}',
  'account.kindAgency': '{kind}, {agency}',
  'account.roles': { plural: 'count', one: 'Role: {roles}', other: 'Roles: {roles}' },

  'kind.citizen': 'Citizen',
  'kind.official': 'Official',
  'kind.admin': 'Administrator',

  'status.waiting': 'Waiting for your passkey…',
  'status.restoring': 'Checking whether you are signed in…',
  'status.signingOut': 'Signing out…',
  'status.signedOut': 'You have signed out.',

  'error.title': 'There is a problem',
  'error.prefix': 'Error:',
  'error.reference': 'Reference for support: {id}',

  'field.invalid': 'Check what you entered here',
  'field.displayName.required': 'Enter your name',
  'field.displayName.tooLong': {
    plural: 'max',
    one: 'Your name must be {max} character or fewer',
    other: 'Your name must be {max} characters or fewer',
  },
  'field.inviteCode.unknown': 'This invite code is not known. Check it against the one your agency gave you',
  'field.inviteCode.used': 'This invite code has already been used. Ask your agency for a new one',
  'field.inviteCode.expired': 'This invite code has expired. Ask your agency for a new one',
  'field.inviteCode.tooLong': {
    plural: 'max',
    one: 'The invite code must be {max} character or fewer',
    other: 'The invite code must be {max} characters or fewer',
  },

  'problem.unknown': 'Something went wrong. Try again.',
  'problem.validation': 'Check the fields marked below.',
  'problem.network': 'The service cannot be reached. Check your internet connection and try again.',
  'problem.aborted': 'The request was stopped. Try again.',
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
  'problem.unauthorized': 'Your session has ended. Sign in again.',
  'problem.rate-limited': 'Too many attempts. Wait a minute and try again.',
  'problem.internal': 'Something went wrong on our side. Try again later.',
} as const satisfies Record<string, string | PluralMessage>;
