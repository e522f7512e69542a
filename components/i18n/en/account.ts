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
  'account.signedInAs': 'Signed in as {name}',
  'account.kindAgency': '{kind}, {agency}',
  'account.roles': { plural: 'count', one: 'Role: {roles}', other: 'Roles: {roles}' },
};

/** English messages for <overa-account>; Serbian loads from ../sr-latn/account.ts when needed. */
export const accountMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/account.ts'));
