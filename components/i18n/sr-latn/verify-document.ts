import type { SerbianFor } from '../registry.ts';
import type { verifyDocumentMessages } from '../en/verify-document.ts';

/** Serbian (Latin script) for the genuine document of <overa-verify>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof verifyDocumentMessages> = {
  'verify.genuine.title': 'Dokument izdat sa ovim kodom',
  'verify.genuine.compare': 'Uporedite papir ili datoteku koju ste dobili sa ovim. Ako se ime, predmet, datum ili otisak razlikuju, to što ste dobili nije ovaj dokument.',
  'verify.genuine.holder': 'Izdat za',
  'verify.genuine.issuedOn': 'Datum izdavanja',
  'verify.genuine.fingerprint': 'Otisak sadržaja',
  'verify.genuine.fingerprintHint': 'Odštampan je na dokumentu uz njegove podatke. Isti otisak znači isti sadržaj.',
  'verify.genuine.fileFingerprint': 'Otisak PDF datoteke (SHA-256)',
  'verify.genuine.download': 'Preuzmite izvorni PDF ({size})',
  'verify.genuine.previewLabel': 'Prva strana izvornog dokumenta',
  'verify.genuine.loading': 'Učitavamo izvorni dokument…',
  'verify.genuine.previewFailed': 'Prva strana ne može da se prikaže ovde. Preuzmite PDF da biste je videli.',
  'verify.genuine.unavailable': 'Izvorni dokument nije mogao da se učita.',
  'verify.genuine.mismatch': 'Primljena datoteka nije ona koju je izdavalac zaveo pod ovim kodom. Ne oslanjajte se na nju; obratite se izdavaocu.',
  'verify.genuine.retry': 'Pokušajte ponovo',
};

export default messages;
