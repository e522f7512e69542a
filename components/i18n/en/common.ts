import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  'documentStatus.valid': 'Valid',
  'documentStatus.revoked': 'Revoked',
  'documentStatus.superseded': 'Replaced by a newer document',

  'status.loadingView': 'Loading…',

  'error.title': 'There is a problem',
  'error.prefix': 'Error:',
  'error.reference': 'Reference for support: {id}',

  'field.invalid': 'Check what you entered here',
  'form.retry': 'Try again',
  'form.optional': '(optional)',
  'form.yes': 'Yes',
  'form.no': 'No',
  'problem.not-editable': 'This application has already been sent and can no longer be changed.',
  'problem.version-mismatch': 'This application was changed in another window. Send again to save your answers.',
  'problem.conflict': 'The application was being changed at the same moment. Try again.',
  'problem.form-not-found': 'This form is not available. The link may be out of date.',
  'problem.form-retired': 'This service is no longer offered here. Applications already sent are handled as before.',
  'problem.form-version-superseded': 'This form has just been changed. Reload the page to fill in the new version.',
  'problem.application-not-found': 'This application cannot be found. It may belong to another account.',
  'problem.sign-in-required': 'Sign in to continue.',
  'role.clerk': 'Clerk',
  'role.head': 'Head of department',
  'role.deputy-head': 'Deputy head',
  'role.urbanism': 'Urban planning',
  'role.cadastre': 'Cadastre',
  'role.finance': 'Finance',
  'role.legal': 'Legal affairs',

  'problem.unknown': 'Something went wrong. Try again.',
  'problem.validation': 'Check the fields marked below.',
  'problem.network': 'The service cannot be reached. Check your internet connection and try again.',
  'problem.origin-not-allowed': 'This site is not allowed to use the service. Its administrators must add its address to the service’s OVERA_ORIGINS setting.',
  'problem.aborted': 'The request was stopped. Try again.',
  'problem.unauthorized': 'Your session has ended. Sign in again.',
  'problem.rate-limited': 'Too many attempts. Wait a minute and try again.',
  'problem.internal': 'Something went wrong on our side. Try again later.',
};

/** English messages every element shares (errors, statuses, problem codes, document statuses, roles); Serbian loads from ../sr-latn/common.ts when needed. */
export const commonMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/common.ts'));
