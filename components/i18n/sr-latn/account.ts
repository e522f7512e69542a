import type { SerbianFor } from '../registry.ts';
import type { accountMessages } from '../en/account.ts';

/** Serbian (Latin script) for <overa-account>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof accountMessages> = {
  'account.nameLabel': 'Vaše ime i prezime',
  'account.nameHint': 'Potrebno je samo za pravljenje pristupnog ključa. Prikazujemo ga na vašim zahtevima i na dokumentima koje potpisujete.',
  'account.inviteToggle': 'Imam pozivni kod (samo za službenike)',
  'account.inviteLabel': 'Pozivni kod (samo za službenike)',
  'account.inviteHint': 'Jednokratni kod koji ste dobili od svog organa, na primer {example}.',
  'account.register': 'Napravi pristupni ključ',
  'account.signInIntro': 'Već imate pristupni ključ?',
  'account.signIn': 'Prijavi se pristupnim ključem',
  'account.signOut': 'Odjavi se',
  'account.registerIntro': 'Prvi put koristite ovu uslugu? Napravite pristupni ključ.',
  'account.passkeys': 'Vaši pristupni ključevi',
  'account.passkeysLoading': 'Učitavamo vaše pristupne ključeve…',
  'account.signedInAs': 'Prijavljeni ste kao {name}',
  'account.kindAgency': '{kind}, {agency}',
  'account.roles': { plural: 'count', one: 'Uloga: {roles}', few: 'Uloge: {roles}', other: 'Uloge: {roles}' },
  'account.recoverToggle': 'Imam kod za obnovu naloga od organa',
  'kind.citizen': 'Građanin',
  'kind.official': 'Službenik',
  'kind.admin': 'Administrator',
  'status.restoring': 'Proveravamo da li ste prijavljeni…',
  'status.signingOut': 'Odjavljujemo vas…',
  'status.signedOut': 'Odjavili ste se.',
  'field.displayName.required': 'Unesite svoje ime i prezime',
  'field.displayName.tooLong': {
    plural: 'max',
    one: 'Ime i prezime može imati najviše {max} znak',
    few: 'Ime i prezime može imati najviše {max} znaka',
    other: 'Ime i prezime može imati najviše {max} znakova',
  },
  'field.inviteCode.unknown': 'Ovaj pozivni kod nije poznat. Uporedite ga sa kodom koji ste dobili od svog organa',
  'field.inviteCode.used': 'Ovaj pozivni kod je već iskorišćen. Zatražite novi od svog organa',
  'field.inviteCode.expired': 'Ovom pozivnom kodu je istekao rok. Zatražite novi od svog organa',
  'field.inviteCode.tooLong': {
    plural: 'max',
    one: 'Pozivni kod može imati najviše {max} znak',
    few: 'Pozivni kod može imati najviše {max} znaka',
    other: 'Pozivni kod može imati najviše {max} znakova',
  },
};

export default messages;
