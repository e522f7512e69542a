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
  'account.signedInAs': 'Prijavljeni ste kao {name}',
  'account.kindAgency': '{kind}, {agency}',
  'account.roles': { plural: 'count', one: 'Uloga: {roles}', few: 'Uloge: {roles}', other: 'Uloge: {roles}' },
};

export default messages;
