import type { SerbianFor } from '../registry.ts';
import type { accountRecoveryMessages } from '../en/account-recovery.ts';

/** Serbian (Latin script) for the recovery code form of <overa-account>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof accountRecoveryMessages> = {
  'account.recoverLabel': 'Kod za obnovu naloga',
  'account.recoverHint': 'Izgubili ste sve pristupne ključeve? Organ vam daje jednokratni kod pošto proveri vaš identitet. Novi pristupni ključ zamenjuje izgubljene.',
  'account.recover': 'Napravi novi pristupni ključ za moj nalog',
  'field.recoveryCode.required': 'Unesite kod za obnovu naloga koji ste dobili od organa',
  'field.recoveryCode.unknown': 'Ovaj kod za obnovu naloga nije poznat. Uporedite ga sa kodom koji ste dobili od organa',
  'field.recoveryCode.used': 'Ovaj kod za obnovu naloga je već iskorišćen ili zamenjen. Zatražite novi od organa',
  'field.recoveryCode.expired': 'Ovom kodu za obnovu naloga je istekao rok. Zatražite novi od organa',
  'field.recoveryCode.tooLong': {
    plural: 'max',
    one: 'Kod za obnovu naloga može imati najviše {max} znak',
    few: 'Kod za obnovu naloga može imati najviše {max} znaka',
    other: 'Kod za obnovu naloga može imati najviše {max} znakova',
  },
  'problem.recovery-code-used': 'Ovaj kod za obnovu naloga više ne može da se koristi. Zatražite novi od organa.',
};

export default messages;
