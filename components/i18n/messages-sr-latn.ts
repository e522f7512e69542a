import type { Messages } from './format.ts';

/**
 * Serbian, Latin script: written by hand. The Cyrillic set is derived from this one with
 * core's latinToCyrillic (see messages.ts), so Serbian is written once. Keep foreign words
 * and codes out of the text (pass them as parameters): parameters are not transliterated.
 */
export const srLatn: Messages = {
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

  'kind.citizen': 'Građanin',
  'kind.official': 'Službenik',
  'kind.admin': 'Administrator',

  'status.waiting': 'Čekamo vaš pristupni ključ…',
  'status.restoring': 'Proveravamo da li ste prijavljeni…',
  'status.signingOut': 'Odjavljujemo vas…',
  'status.signedOut': 'Odjavili ste se.',

  'error.title': 'Postoji problem',
  'error.prefix': 'Greška:',
  'error.reference': 'Broj za podršku: {id}',

  'field.invalid': 'Proverite šta ste ovde uneli',
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

  'validation.required': 'Popunite ovo polje',
  'validation.required.choice': 'Izaberite jednu od ponuđenih mogućnosti',
  'validation.required.choices': 'Izaberite bar jednu mogućnost',
  'validation.required.confirm': 'Označite polje da biste nastavili',
  'validation.required.date': 'Unesite datum',
  'validation.required.number': 'Unesite broj',
  'validation.required.file': 'Priložite datoteku',
  'validation.type': 'Unesite ispravan odgovor',
  'validation.type.number': 'Unesite broj',
  'validation.unknownField': 'Ovaj obrazac nema polje {field}',
  'validation.minLength': {
    plural: 'min',
    one: 'Unesite najmanje {min} znak',
    few: 'Unesite najmanje {min} znaka',
    other: 'Unesite najmanje {min} znakova',
  },
  'validation.maxLength': {
    plural: 'max',
    one: 'Unesite najviše {max} znak',
    few: 'Unesite najviše {max} znaka',
    other: 'Unesite najviše {max} znakova',
  },
  'validation.min': 'Unesite broj koji nije manji od {min}',
  'validation.max': 'Unesite broj koji nije veći od {max}',
  'validation.min.date': 'Unesite datum koji nije pre {min}',
  'validation.max.date': 'Unesite datum koji nije posle {max}',
  'validation.min.today': 'Datum ne može biti u prošlosti',
  'validation.max.today': 'Datum ne može biti u budućnosti',
  'validation.pattern': 'Unesite podatak u ispravnom obliku',
  'validation.email': 'Unesite adresu e-pošte u ispravnom obliku, na primer {example}',
  'validation.tel': 'Unesite broj telefona, na primer 011 123 4567 ili +381 64 123 4567',
  'validation.date': 'Unesite datum koji postoji',
  'validation.option': 'Izaberite jednu od ponuđenih mogućnosti',
  'validation.jmbg': 'Unesite ispravan JMBG: 13 cifara, kao na ličnoj karti',
  'validation.pib': 'Unesite ispravan poreski identifikacioni broj (PIB): 9 cifara',
  'validation.accept': 'Izabrana datoteka mora biti u formatu {types}',
  'validation.maxSize': 'Izabrana datoteka može imati najviše {max}',
  'validation.minFiles': {
    plural: 'min',
    one: 'Priložite najmanje {min} datoteku',
    few: 'Priložite najmanje {min} datoteke',
    other: 'Priložite najmanje {min} datoteka',
  },
  'validation.maxFiles': {
    plural: 'max',
    one: 'Priložite najviše {max} datoteku',
    few: 'Priložite najviše {max} datoteke',
    other: 'Priložite najviše {max} datoteka',
  },
  'validation.unknownUpload': 'Ova datoteka nije stigla do nas. Priložite je ponovo',
  'validation.duplicateUpload': 'Ista datoteka je priložena dva puta. Uklonite jednu',

  // <overa-application-form>

  // <overa-my-applications>

  'problem.unknown': 'Nešto nije u redu. Pokušajte ponovo.',
  'problem.validation': 'Proverite označena polja.',
  'problem.network': 'Servis trenutno nije dostupan. Proverite internet vezu i pokušajte ponovo.',
  'problem.aborted': 'Zahtev je prekinut. Pokušajte ponovo.',
  'problem.cancelled': 'Zahtev za pristupni ključ je otkazan ili je isteklo vreme. Ništa nije promenjeno. Pokušajte ponovo kada budete spremni.',
  'problem.already-registered': 'Ovaj uređaj već ima pristupni ključ za ovaj servis. Izaberite „Prijavi se pristupnim ključem“.',
  'problem.unsupported': 'Ovaj pregledač ili uređaj ne može da koristi pristupne ključeve. Probajte ažuran pregledač ili drugi uređaj.',
  'problem.security': 'Ova stranica nema dozvolu da koristi pristupne ključeve za ovaj servis. Obavestite vlasnika sajta.',
  'problem.passkey-failed': 'Pristupni ključ nije mogao da se upotrebi. Pokušajte ponovo.',
  'problem.flow-expired': 'Zahtev za pristupni ključ je trajao predugo i istekao je. Pokušajte ponovo.',
  'problem.flow-invalid': 'Zahtev za pristupni ključ je već iskorišćen ili nije poznat. Pokušajte ponovo.',
  'problem.passkey-rejected': 'Servis nije prihvatio vaš pristupni ključ. Pokušajte ponovo ili napravite novi pristupni ključ.',
  'problem.unknown-passkey': 'Ovaj pristupni ključ nije registrovan na ovom servisu. Najpre napravite pristupni ključ.',
  'problem.credential-exists': 'Ovaj pristupni ključ je već registrovan. Izaberite „Prijavi se pristupnim ključem“.',
  'problem.invite-used': 'Ovaj pozivni kod je već iskorišćen. Zatražite novi od svog organa.',
  'problem.unauthorized': 'Vaša sesija je završena. Prijavite se ponovo.',
  'problem.rate-limited': 'Previše pokušaja. Sačekajte minut i pokušajte ponovo.',
  'problem.internal': 'Nešto nije u redu na našoj strani. Pokušajte ponovo kasnije.',
};
