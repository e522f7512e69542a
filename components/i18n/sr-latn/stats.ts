import type { SerbianFor } from '../registry.ts';
import type { statsMessages } from '../en/stats.ts';

/** Serbian (Latin script) for <overa-stats>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof statsMessages> = {
  // <overa-stats>
  'stats.loading': 'Učitavanje podataka…',
  'stats.empty': 'U ovom periodu još nije bilo zahteva.',
  'stats.emptyHint': 'Podaci se ovde pojavljuju kada se zahtevi podnesu elektronski.',
  'stats.retry': 'Pokušaj ponovo',
  'stats.chartsLabel': 'Zahtevi po mesecima',
  'stats.chartSummary': '{title}: broj podnetih zahteva po mesecima. {values}',
  'stats.barValue': { plural: 'count', one: '{month}: {count} zahtev', few: '{month}: {count} zahteva', other: '{month}: {count} zahteva' },
  'stats.barFewer': '{month}: manje od {min} zahteva',
  'stats.fewer': 'manje od\u00a0{min}',
  'stats.tableCaption': 'Učinak usluga po mesecima',
  'stats.col.month': 'Mesec',
  'stats.col.submitted': 'Zahtevi',
  'stats.col.approved': 'Odobreno',
  'stats.col.returned': 'Vraćeno na dopunu',
  'stats.col.rejected': 'Odbijeno',
  'stats.col.issued': 'Izdati dokumenti',
  'stats.col.finished': 'Rešeno',
  'stats.col.median': 'Srednje vreme do odluke (medijana, dani)',
  'stats.col.p90': '9 od 10 rešeno za (dana)',
  'stats.col.onTime': 'Rešeno u zakonskom roku',
  'stats.noTimeLimit': '–',
  'stats.note': 'Zahtev se računa u kalendarskom mesecu u kojem je prvi put podnet (vreme u Srbiji). Vreme do odluke meri se od prvog podnošenja do odobrenja ili odbijanja. Radi zaštite privatnosti, brojevi manji od {min} se ne prikazuju, a vremena samo kada je rešeno najmanje {min} zahteva.',
  'stats.asOf': 'Poslednji mesec još traje. Podaci na dan {date}',
  'stats.downloadsLabel': 'Otvoreni podaci',
  'stats.download': 'Preuzmite podatke u formatu {format}',
  'stats.unknownForm': 'Usluga {form}',
};

export default messages;
