import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  // <overa-approval-inbox>
  'inbox.views': 'What to show',
  'inbox.viewCases': 'Requests',
  'inbox.viewReception': 'Received documents',
  'inbox.viewReceptionNew': { plural: 'count', one: 'Received documents ({count} new)', other: 'Received documents ({count} new)' },
  'inbox.documentArrived': 'Document {number} has arrived.',
  'inbox.title': 'Inbox',
  'inbox.unread': { plural: 'count', one: '{count} updated', other: '{count} updated' },
  'inbox.unreadMark': '(updated since you last looked)',
  'inbox.signedOut': 'Sign in with your passkey to see your agency’s requests.',
  'inbox.notOfficial': 'The inbox is for officials of the agency. Citizens follow their requests in “My applications”.',
  'inbox.loading': 'Loading the inbox…',
  'inbox.search': 'Search by applicant or tracking number',
  'inbox.status': 'Status',
  'inbox.any': 'Any',
  'inbox.assigned': 'Waiting for',
  'inbox.assignedAll': 'Anyone',
  'inbox.assignedMe': 'Me',
  'inbox.assignedRole': 'My role',
  'inbox.form': 'Service',
  'inbox.from': 'Submitted from',
  'inbox.to': 'Submitted until',
  'inbox.apply': 'Show',
  'inbox.newCases': { plural: 'count', one: '{count} new request: show it', other: '{count} new requests: show them' },
  'inbox.empty': 'There are no requests for your agency yet.',
  'inbox.emptyFiltered': 'No requests match. Change the search or the filters.',
  'inbox.listLabel': 'Requests',
  'inbox.internal': 'internal document',
  'inbox.yourDecision': 'Waiting for your decision',
  'inbox.awaitingFee': 'Awaiting fee payment',
  'inbox.more': 'Show more requests',
  'inbox.close': 'Close',
  'inbox.loadingCase': 'Loading the request…',
  'inbox.cancel': 'Cancel',
  'inbox.updated': 'Request {number} was updated.',
};

/** English messages for <overa-approval-inbox>; Serbian loads from ../sr-latn/inbox.ts when needed. */
export const inboxMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/inbox.ts'));
