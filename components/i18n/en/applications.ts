import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  'applicationStatus.draft': 'Draft',
  'applicationStatus.submitted': 'Submitted',
  'applicationStatus.in_review': 'Being reviewed',
  'applicationStatus.approved': 'Approved',
  'applicationStatus.issued': 'Document issued',
  'applicationStatus.returned': 'Changes needed',
  'applicationStatus.rejected': 'Rejected',
  'history.unknown': 'Updated',
};

/** English messages for application statuses (My applications, the inbox); Serbian loads from ../sr-latn/applications.ts when needed. */
export const applicationsMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/applications.ts'));
