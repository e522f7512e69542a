import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  'account.nameLabel': 'Your name',
  'account.nameHint': 'Needed only to create a passkey. We show it on your applications and on documents you sign.',
  'account.inviteToggle': 'I have an invite code (officials only)',
  'account.inviteLabel': 'Invite code (officials only)',
  'account.inviteHint': 'The one-time code your agency gave you, for example {example}.',
  'account.register': 'Create a passkey',
  'account.signInIntro': 'Already have a passkey?',
  'account.signIn': 'Sign in with a passkey',
  'account.signOut': 'Sign out',
  'account.registerIntro': 'New to this service? Create a passkey.',
  'account.passkeys': 'Your passkeys',
  'account.passkeysLoading': 'Loading your passkeys…',
  'account.signedInAs': 'Signed in as {name}',
  'account.kindAgency': '{kind}, {agency}',
  'account.roles': { plural: 'count', one: 'Role: {roles}', other: 'Roles: {roles}' },
  'account.recoverToggle': 'I have a recovery code from the agency',
  'kind.citizen': 'Citizen',
  'kind.official': 'Official',
  'kind.admin': 'Administrator',
  'status.restoring': 'Checking whether you are signed in…',
  'status.signingOut': 'Signing out…',
  'status.signedOut': 'You have signed out.',
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
};

/** English messages for <overa-account>; Serbian loads from ../sr-latn/account.ts when needed. */
export const accountMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/account.ts'));
