import type { SerbianFor } from '../registry.ts';
import type { myAppsDetailMessages } from '../en/my-apps-detail.ts';

/** Serbian (Latin script) for an opened application in <overa-my-applications>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof myAppsDetailMessages> = {
  'myApps.statusLabel': 'Status:',
  'myApps.historyHeading': 'Tok zahteva',
  'myApps.returnedTitle': 'Potrebne su izmene',
  'myApps.returnedIntro': 'Organ vam je vratio zahtev i traži da izmenite sledeće:',
  'myApps.resubmit': 'Izmeni i ponovo podnesi',
  'myApps.changeHeading': 'Izmenite zahtev',
  'myApps.closeForm': 'Zatvori bez slanja',
  'myApps.issuedIntro': 'Vaš dokument je izdat.',
  'myApps.download': 'Preuzmi dokument ({format})',
  'myApps.downloading': 'Preuzimamo dokument…',
  'myApps.downloaded': 'Dokument je preuzet.',
  'myApps.documentNotFound': 'Dokument još nije dostupan. Pokušajte ponovo kasnije.',
};

export default messages;
