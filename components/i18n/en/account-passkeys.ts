import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  'passkeys.intro': 'Add a passkey on each device you use, such as your phone and your computer, so that losing one device does not lock you out.',
  'passkeys.count': { plural: 'count', one: 'You have {count} passkey.', other: 'You have {count} passkeys.' },
  'passkeys.kind.synced': 'Synced passkey',
  'passkeys.kind.securityKey': 'Security key',
  'passkeys.kind.device': 'Passkey on one device',
  'passkeys.added': 'Added {date}',
  'passkeys.lastUsed': 'last used {date}',
  'passkeys.neverUsed': 'not used yet',
  'passkeys.add': 'Add a passkey on another device',
  'passkeys.remove': 'Remove',
  'passkeys.removeLabel': 'Remove the passkey added {date}',
  'passkeys.confirm': 'Remove this passkey? You will no longer be able to sign in or sign with it.',
  'passkeys.confirmYes': 'Yes, remove it',
  'passkeys.cancel': 'Cancel',
  'passkeys.onlyOne': 'This is your only passkey, so it cannot be removed. Add a passkey on another device first: if every passkey is lost, only the agency can give you back your account, after checking who you are.',
  'passkeys.status.adding': 'Waiting for your new passkey…',
  'passkeys.status.added': 'Passkey added. You can now sign in with it.',
  'passkeys.status.removing': 'Removing the passkey…',
  'passkeys.status.removed': 'Passkey removed.',
  'problem.last-passkey': 'This is your only passkey. Add another before you remove it.',
  'problem.passkey-not-found': 'This passkey is no longer in your account. The list has been updated.',
  'problem.passkey-on-device': 'This device already has a passkey for your account. Add one on another device, such as your phone or a security key.',
};

/** English messages for the passkey list of <overa-account>; Serbian loads from ../sr-latn/account-passkeys.ts when needed. */
export const accountPasskeyMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/account-passkeys.ts'));
