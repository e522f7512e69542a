import type { SerbianFor } from '../registry.ts';
import type { applicationsMessages } from '../en/applications.ts';

/** Serbian (Latin script) for application statuses (My applications, the inbox); the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof applicationsMessages> = {
  'applicationStatus.draft': 'Nacrt',
  'applicationStatus.submitted': 'Podnet',
  'applicationStatus.in_review': 'U obradi',
  'applicationStatus.approved': 'Odobren',
  'applicationStatus.issued': 'Dokument izdat',
  'applicationStatus.returned': 'Potrebne izmene',
  'applicationStatus.rejected': 'Odbijen',
  'history.unknown': 'Ažurirano',
};

export default messages;
