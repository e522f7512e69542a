import type { SerbianFor } from '../registry.ts';
import type { formMessages } from '../en/form.ts';

/** Serbian (Latin script) for <overa-application-form>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof formMessages> = {
  // <overa-application-form>
  'form.loading': 'Učitavamo obrazac…',
  'form.loadFailed': 'Obrazac nije mogao da se učita',
  'form.choose': 'Izaberite…',
  'form.continue': 'Nastavi',
  'form.autosaveNote': 'Vaši odgovori se čuvaju u ovom pregledaču dok popunjavate, pa možete da se vratite na njih. Brišu se kada pošaljete zahtev.',
  'form.restoreTitle': 'Već ste počeli da popunjavate ovaj zahtev',
  'form.restoreText': 'Sačuvali smo u ovom pregledaču odgovore koje ste dali {when}.',
  'form.restore': 'Nastavi gde sam stao',
  'form.startAgain': 'Počni iz početka',
  'form.restored': 'Vaši raniji odgovori su vraćeni u obrazac.',
  'form.returnedTitle': 'Zahtev {number} vam je vraćen na dopunu',
  'form.returnedText': 'Unesite izmene koje su tražene iznad, pa ponovo pošaljite zahtev.',
  'form.signInForFiles': 'Da biste priložili datoteke i poslali zahtev, prijavite se pristupnim ključem ili ga napravite. Na pitanja možete da odgovorite i pre toga.',
  'form.signInToContinue': 'Prijavite se pristupnim ključem da biste nastavili sa ovim zahtevom.',
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
