import type { SerbianFor } from '../registry.ts';
import type { formFileMessages } from '../en/form-file.ts';

/** Serbian (Latin script) for file fields in <overa-application-form>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof formFileMessages> = {
  'form.signInForFiles': 'Da biste priložili datoteke i poslali zahtev, prijavite se pristupnim ključem ili ga napravite. Na pitanja možete da odgovorite i pre toga.',
  'form.file.types': 'Datoteke moraju biti {types}.',
  'form.file.maxSize': 'Svaka datoteka može imati najviše {max}.',
  'form.file.maxFiles': { plural: 'max', one: 'Možete priložiti {max} datoteku.', few: 'Možete priložiti najviše {max} datoteke.', other: 'Možete priložiti najviše {max} datoteka.' },
  'form.file.signIn': 'Prijavite se da biste priložili datoteke.',
  'form.file.listLabel': 'Datoteke priložene uz „{field}“',
  'form.file.uploading': 'Šaljemo {name}',
  'form.file.uploaded': 'Poslato',
  'form.file.failed': 'Datoteka nije mogla da se pošalje. Pokušajte ponovo',
  'form.file.chooseOne': 'Izaberite datoteku',
  'form.file.chooseMany': 'Izaberite datoteke',
  'form.file.orDrop': 'ili ih prevucite ovde',
  'form.file.cancel': 'Otkaži',
  'form.file.remove': 'Ukloni',
  'form.file.fixFailed': {
    plural: 'count',
    one: 'Uklonite datoteku {names}, koja nije mogla da se priloži, ili izaberite drugu',
    few: 'Uklonite datoteke {names}, koje nisu mogle da se prilože, ili izaberite druge',
    other: 'Uklonite datoteke {names}, koje nisu mogle da se prilože, ili izaberite druge',
  },
  'form.file.wait': 'Sačekajte da se datoteka do kraja pošalje',
};

export default messages;
