import type { SerbianFor } from '../registry.ts';
import type { verifyMessages } from '../en/verify.ts';

/** Serbian (Latin script) for <overa-verify>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof verifyMessages> = {
  // <overa-verify>
  'verify.title': 'Provera dokumenta',
  'verify.intro': 'Prevucite PDF ovde ili unesite kod za proveru odštampan na njemu. Datoteka se proverava u vašem pregledaču i ne šalje se nikuda.',
  'verify.introOffline': 'Prevucite PDF ovde. Proverava se u vašem pregledaču prema pouzdanim izdavaocima koje ova stranica navodi; ništa se ne šalje nikuda.',
  'verify.fileTitle': 'Provera datoteke',
  'verify.fileHint': 'PDF izdat sa elektronskim pečatom. Možete ga i prevući na ovo polje.',
  'verify.choose': 'Izaberite PDF',
  'verify.readingLabel': 'Čitamo {name}',
  'verify.reading': 'Čitamo {name}: {percent}%',
  'verify.checking': 'Proveravamo potpise…',
  'verify.fileUnreadable': 'Datoteka nije mogla da se pročita. Izaberite je ponovo.',
  'verify.codeTitle': 'Provera koda',
  'verify.codeHint': '20 slova i cifara u grupama po četiri, kako je odštampano na dokumentu, na primer {example}.',
  'verify.codeInvalid': 'Unesite kod kako je odštampan: 20 slova i cifara, na primer {example}',
  'verify.codeCharacter': 'Kodovi nikad ne sadrže „{character}“. Proverite taj znak na dokumentu: u kodovima nema {excluded}',
  'verify.codeLength': 'Kod ima 20 slova i cifara. Uneli ste {count}',
  'verify.codeUnknown': 'Nijedan dokument nema ovaj kod. Uporedite ga sa dokumentom i pokušajte ponovo',
  'verify.check': 'Proveri',
};

export default messages;
