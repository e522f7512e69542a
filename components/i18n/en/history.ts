import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  'history.application.created': 'You started the application',
  'history.application.updated': 'You changed your answers',
  'history.application.updatedTimes': {
    plural: 'count',
    one: 'You changed your answers {count} time',
    other: 'You changed your answers {count} times',
  },
  'history.application.submitted': 'You submitted the application',
  'history.application.resubmitted': 'You submitted the application again, with changes',
  'history.application.returned': 'The application was returned to you for changes',
  'history.application.rejected': 'The application was rejected',
  'history.application.approved': 'The application was approved',
  'history.application.reviewed': 'An official reviewed the application and passed it on',
  'history.application.agreed': 'A department gave its agreement',
  'history.document.issued': 'The document was issued',
  'history.document.revoked': 'The document was revoked',
  'history.application.fee-paid': 'The agency recorded your payment of the fee',
  'history.application.fee-unpaid': 'The agency found that the fee has not been paid after all',
  'history.signature.created': 'Signed with a passkey',
};

/** English messages for what happened to an application, as the applicant reads it (My applications' opened application); Serbian loads from ../sr-latn/history.ts when needed. */
export const historyMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/history.ts'));
