import type { SerbianFor } from '../registry.ts';
import type { myAppsMessages } from '../en/my-apps.ts';

/** Serbian (Latin script) for <overa-my-applications>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof myAppsMessages> = {
  // <overa-my-applications>
  'myApps.signedOut': 'Prijavite se pristupnim ključem da biste videli svoje zahteve i pratili kako napreduju.',
  'myApps.loading': 'Učitavamo vaše zahteve…',
  'myApps.empty': 'Još niste podneli nijedan zahtev.',
  'myApps.emptyHint': 'Kada podnesete zahtev elektronski, pojaviće se ovde i moći ćete da pratite kako napreduje.',
  'myApps.listLabel': 'Vaši zahtevi',
  'myApps.reference': 'Broj predmeta: {number}',
  'myApps.startedOn': 'Započet {date}',
  'myApps.submittedOn': 'Podnet {date}',
  'myApps.updatedOn': 'Poslednja promena {date}',
  'myApps.unknownForm': 'Zahtev ({form})',
  'myApps.showMore': 'Prikaži još zahteva',
  'myApps.loadingMore': 'Učitavamo još zahteva…',
  'myApps.showing': {
    plural: 'count',
    one: 'Prikazan je {count} zahtev',
    few: 'Prikazana su {count} zahteva',
    other: 'Prikazano je {count} zahteva',
  },
  'myApps.retry': 'Pokušaj ponovo',
  'myApps.detailHeading': 'Zahtev {number}',
  'myApps.detailLoading': 'Učitavamo zahtev…',
  'myApps.notFound': 'Ne možemo da pronađemo ovaj zahtev. Možda je povučen.',
  'myApps.resubmitted': 'Vaš zahtev je ponovo podnet.',
};

export default messages;
