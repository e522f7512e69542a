import type { SerbianFor } from '../registry.ts';
import type { inboxReceptionMessages } from '../en/inbox-reception.ts';

/** Serbian (Latin script) for the documents other agencies sent, in <overa-approval-inbox>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof inboxReceptionMessages> = {
  'inbox.receptionEmpty': 'Nijedan drugi organ još nije poslao dokumente vašem.',
  'inbox.reception.pending': 'Čeka potvrdu prijema',
  'inbox.reception.accepted': 'Prijem potvrđen',
  'inbox.sentBy': 'Poslao: {agency}',
  'inbox.acceptedBy': 'Prijem potvrdio: {name}',
  'inbox.download': 'Preuzmi PDF',
  'inbox.acknowledge': 'Potvrdi prijem',
  'inbox.received': 'Prijem je potvrđen.',
  'inbox.reception.rejected': 'Odbijeno',
  'inbox.partnerServer': 'sa servera {server}',
  'inbox.partnerSeal': 'Pečat proveren: {subject}',
  'inbox.partnerReceived': 'Primljeno',
  'inbox.rejectionReason': 'Razlog odbijanja: {reason}',
  'inbox.partnerRevoked': 'Organ pošiljalac je opozvao dokument: {reason}',
  'inbox.reject': 'Odbij',
  'inbox.rejectReasonLabel': 'Razlog odbijanja (šalje se organu pošiljaocu i deo je onoga što potpisujete)',
  'inbox.rejectContinue': 'Nastavi na potpisivanje',
  'inbox.rejectedNotice': 'Dokument je odbijen; organ pošiljalac se obaveštava.',
};

export default messages;
