import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  'account.recoverLabel': 'Recovery code',
  'account.recoverHint': 'Lost every passkey? The agency gives you a one-time code once it has checked who you are. The new passkey replaces the lost ones.',
  'account.recover': 'Create a new passkey for my account',
  'field.recoveryCode.required': 'Enter the recovery code the agency gave you',
  'field.recoveryCode.unknown': 'This recovery code is not known. Check it against the one the agency gave you',
  'field.recoveryCode.used': 'This recovery code has already been used or replaced. Ask the agency for a new one',
  'field.recoveryCode.expired': 'This recovery code has expired. Ask the agency for a new one',
  'field.recoveryCode.tooLong': {
    plural: 'max',
    one: 'The recovery code must be {max} character or fewer',
    other: 'The recovery code must be {max} characters or fewer',
  },
  'problem.recovery-code-used': 'This recovery code can no longer be used. Ask the agency for a new one.',
};

/** English messages for the recovery code form of <overa-account> (its own chunk, components/account/recovery-view.ts); Serbian loads from ../sr-latn/account-recovery.ts when needed. */
export const accountRecoveryMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/account-recovery.ts'));
