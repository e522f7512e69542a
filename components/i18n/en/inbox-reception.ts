import { defineMessages, type MessageBundle } from '../registry.ts';

const en = {
  'inbox.receptionEmpty': 'No other agency has sent documents to yours yet.',
  'inbox.reception.pending': 'Awaiting acknowledgement',
  'inbox.reception.accepted': 'Acknowledged',
  'inbox.sentBy': 'Sent by {agency}',
  'inbox.acceptedBy': 'Receipt acknowledged by {name}',
  'inbox.download': 'Download the PDF',
  'inbox.acknowledge': 'Acknowledge receipt',
  'inbox.received': 'Receipt acknowledged.',
  'inbox.reception.rejected': 'Rejected',
  'inbox.partnerServer': 'from the server {server}',
  'inbox.partnerSeal': 'Seal verified: {subject}',
  'inbox.partnerReceived': 'Received',
  'inbox.rejectionReason': 'Reason for rejection: {reason}',
  'inbox.partnerRevoked': 'Revoked by the sending agency: {reason}',
  'inbox.reject': 'Reject',
  'inbox.rejectReasonLabel': 'Reason for rejection (sent to the sending agency, and part of what you sign)',
  'inbox.rejectContinue': 'Continue to sign',
  'inbox.rejectedNotice': 'The document was rejected; the sending agency is told.',
};

/** English messages for the documents other agencies sent, in <overa-approval-inbox> (a chunk loaded with that view); Serbian loads from ../sr-latn/inbox-reception.ts when needed. */
export const inboxReceptionMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/inbox-reception.ts'));
