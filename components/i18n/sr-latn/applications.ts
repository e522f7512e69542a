import type { SerbianFor } from '../registry.ts';
import type { applicationsMessages } from '../en/applications.ts';

/** Serbian (Latin script) for application statuses and history entries (My applications, the inbox); the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof applicationsMessages> = {
  'applicationStatus.draft': 'Nacrt',
  'applicationStatus.submitted': 'Podnet',
  'applicationStatus.in_review': 'U obradi',
  'applicationStatus.approved': 'Odobren',
  'applicationStatus.issued': 'Dokument izdat',
  'applicationStatus.returned': 'Potrebne izmene',
  'applicationStatus.rejected': 'Odbijen',
  'history.application.created': 'Započeli ste zahtev',
  'history.application.updated': 'Izmenili ste odgovore',
  'history.application.updatedTimes': {
    plural: 'count',
    one: 'Izmenili ste odgovore {count} put',
    few: 'Izmenili ste odgovore {count} puta',
    other: 'Izmenili ste odgovore {count} puta',
  },
  'history.application.submitted': 'Podneli ste zahtev',
  'history.application.resubmitted': 'Ponovo ste podneli zahtev, sa izmenama',
  'history.application.returned': 'Zahtev vam je vraćen na izmenu',
  'history.application.rejected': 'Zahtev je odbijen',
  'history.application.approved': 'Zahtev je odobren',
  'history.application.reviewed': 'Službenik je pregledao zahtev i prosledio ga dalje',
  'history.application.agreed': 'Nadležna služba je dala saglasnost',
  'history.document.issued': 'Dokument je izdat',
  'history.document.revoked': 'Dokument je opozvan',
  'history.signature.created': 'Potpisan pristupnim ključem',
  'history.unknown': 'Ažurirano',
};

export default messages;
