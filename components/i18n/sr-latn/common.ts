import type { SerbianFor } from '../registry.ts';
import type { commonMessages } from '../en/common.ts';

/** Serbian (Latin script) messages every element shares; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof commonMessages> = {
  'documentStatus.valid': 'Važeći',
  'documentStatus.revoked': 'Opozvan',
  'documentStatus.superseded': 'Zamenjen novijim dokumentom',

  'status.loadingView': 'Učitava se…',

  'error.title': 'Postoji problem',
  'error.prefix': 'Greška:',
  'error.reference': 'Broj za podršku: {id}',

  'field.invalid': 'Proverite šta ste ovde uneli',
  'form.retry': 'Pokušaj ponovo',
  'form.optional': '(nije obavezno)',
  'form.yes': 'Da',
  'form.no': 'Ne',
  'problem.not-editable': 'Ovaj zahtev je već poslat i više ne može da se menja.',
  'problem.version-mismatch': 'Ovaj zahtev je izmenjen u drugom prozoru. Pošaljite ponovo da biste sačuvali svoje odgovore.',
  'problem.conflict': 'Zahtev se menjao u istom trenutku. Pokušajte ponovo.',
  'problem.form-not-found': 'Ovaj obrazac nije dostupan. Veza je možda zastarela.',
  'problem.form-retired': 'Ova usluga se više ne nudi ovde. Već poslati zahtevi se rešavaju kao i do sada.',
  'problem.form-version-superseded': 'Ovaj obrazac je upravo izmenjen. Ponovo učitajte stranicu da biste popunili novu verziju.',
  'problem.application-not-found': 'Ovaj zahtev nije pronađen. Možda pripada drugom nalogu.',
  'problem.sign-in-required': 'Prijavite se da biste nastavili.',
  'role.clerk': 'Referent',
  'role.head': 'Načelnik',
  'role.deputy-head': 'Zamenik načelnika',
  'role.urbanism': 'Urbanizam',
  'role.cadastre': 'Katastar',
  'role.finance': 'Finansije',
  'role.legal': 'Pravni poslovi',

  'problem.unknown': 'Nešto nije u redu. Pokušajte ponovo.',
  'problem.validation': 'Proverite označena polja.',
  'problem.network': 'Servis trenutno nije dostupan. Proverite internet vezu i pokušajte ponovo.',
  'problem.origin-not-allowed': 'Ovaj sajt nema dozvolu da koristi servis. Njegovi administratori treba da dodaju njegovu adresu u podešavanje servisa OVERA_ORIGINS.',
  'problem.aborted': 'Zahtev je prekinut. Pokušajte ponovo.',
  'problem.unauthorized': 'Vaša sesija je završena. Prijavite se ponovo.',
  'problem.rate-limited': 'Previše pokušaja. Sačekajte minut i pokušajte ponovo.',
  'problem.internal': 'Nešto nije u redu na našoj strani. Pokušajte ponovo kasnije.',
};

export default messages;
