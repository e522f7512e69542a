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
  'form.signInToContinue': 'Prijavite se pristupnim ključem da biste nastavili sa ovim zahtevom.',
};

export default messages;
