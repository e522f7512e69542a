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

  // Form answers, by validator code (components/core/forms): see formIssueMessage.
  'validation.required': 'Enter an answer',
  'validation.required.choice': 'Select an option',
  'validation.required.choices': 'Select at least one option',
  'validation.required.confirm': 'Select the box to continue',
  'validation.required.date': 'Enter a date',
  'validation.required.number': 'Enter a number',
  'validation.required.file': 'Attach a file',
  'validation.type': 'Enter a valid answer',
  'validation.type.number': 'Enter a number',
  'validation.unknownField': 'This form has no field named {field}',
  'validation.minLength': {
    plural: 'min',
    one: 'Enter at least {min} character',
    other: 'Enter at least {min} characters',
  },
  'validation.maxLength': {
    plural: 'max',
    one: 'Enter {max} character or fewer',
    other: 'Enter {max} characters or fewer',
  },
  'validation.min': 'Enter a number that is {min} or more',
  'validation.max': 'Enter a number that is {max} or less',
  'validation.min.date': 'Enter a date that is the same as or after {min}',
  'validation.max.date': 'Enter a date that is the same as or before {max}',
  'validation.min.today': 'The date must be today or in the future',
  'validation.max.today': 'The date must be today or in the past',
  'validation.pattern': 'Enter this in the correct format',
  'validation.email': 'Enter an email address in the correct format, like {example}',
  'validation.tel': 'Enter a telephone number, like 011 123 4567 or +381 64 123 4567',
  'validation.date': 'Enter a real date',
  'validation.option': 'Select one of the options shown',
  'validation.jmbg': 'Enter a valid JMBG: the 13-digit personal number shown on an ID card',
  'validation.pib': 'Enter a valid tax identification number (PIB): 9 digits',
  'validation.accept': 'The selected file must be a {types}',
  'validation.maxSize': 'The selected file must be {max} or smaller',
  'validation.minFiles': {
    plural: 'min',
    one: 'Attach at least {min} file',
    other: 'Attach at least {min} files',
  },
  'validation.maxFiles': {
    plural: 'max',
    one: 'Attach no more than {max} file',
    other: 'Attach no more than {max} files',
  },
  'validation.unknownUpload': 'This file did not reach us. Attach it again',
  'validation.duplicateUpload': 'The same file is attached twice. Remove one of them',

  // <overa-application-form>

  // <overa-my-applications>

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
