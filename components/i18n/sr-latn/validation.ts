import type { SerbianFor } from '../registry.ts';
import type { validationMessages } from '../en/validation.ts';

/** Serbian (Latin script) for the form validator's issues (components/i18n/form-messages.ts); the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof validationMessages> = {
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
  'validation.empty': 'Izabrana datoteka je prazna',
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
};

export default messages;
