import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  'applicationStatus.draft': 'Draft',
  'applicationStatus.submitted': 'Submitted',
  'applicationStatus.in_review': 'Being reviewed',
  'applicationStatus.approved': 'Approved',
  'applicationStatus.issued': 'Document issued',
  'applicationStatus.returned': 'Changes needed',
  'applicationStatus.rejected': 'Rejected',
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
  'history.signature.created': 'Signed with a passkey',
  'history.unknown': 'Updated',
};

/** English messages for application statuses and history entries (My applications, the inbox); Serbian loads from ../sr-latn/applications.ts when needed. */
export const applicationsMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/applications.ts'));
