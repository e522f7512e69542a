import type { SerbianFor } from '../registry.ts';
import type { historyMessages } from '../en/history.ts';

/** Serbian (Latin script) for what happened to an application, as the applicant reads it; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof historyMessages> = {
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
  'history.application.fee-paid': 'Organ je evidentirao uplatu takse',
  'history.application.fee-unpaid': 'Organ je utvrdio da taksa ipak nije plaćena',
  'history.signature.created': 'Potpisan pristupnim ključem',
};

export default messages;
