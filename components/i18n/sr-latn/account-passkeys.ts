import type { SerbianFor } from '../registry.ts';
import type { accountPasskeyMessages } from '../en/account-passkeys.ts';

/** Serbian (Latin script) for the passkey list of <overa-account>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof accountPasskeyMessages> = {
  'passkeys.intro': 'Dodajte pristupni ključ na svaki uređaj koji koristite, na primer telefon i računar, da vas gubitak jednog uređaja ne bi ostavio bez pristupa.',
  'passkeys.count': {
    plural: 'count',
    one: 'Imate {count} pristupni ključ.',
    few: 'Imate {count} pristupna ključa.',
    other: 'Imate {count} pristupnih ključeva.',
  },
  'passkeys.kind.synced': 'Sinhronizovan pristupni ključ',
  'passkeys.kind.securityKey': 'Bezbednosni ključ',
  'passkeys.kind.device': 'Pristupni ključ na jednom uređaju',
  'passkeys.added': 'Dodat {date}',
  'passkeys.lastUsed': 'poslednji put korišćen {date}',
  'passkeys.neverUsed': 'još nije korišćen',
  'passkeys.add': 'Dodaj pristupni ključ na drugom uređaju',
  'passkeys.remove': 'Ukloni',
  'passkeys.removeLabel': 'Ukloni pristupni ključ dodat {date}',
  'passkeys.confirm': 'Ukloniti ovaj pristupni ključ? Više nećete moći da se prijavite niti da potpisujete njime.',
  'passkeys.confirmYes': 'Da, ukloni ga',
  'passkeys.cancel': 'Otkaži',
  'passkeys.onlyOne': 'Ovo je vaš jedini pristupni ključ, pa ne može da se ukloni. Prvo dodajte pristupni ključ na drugom uređaju: ako izgubite sve pristupne ključeve, nalog vam može vratiti samo organ, pošto proveri vaš identitet.',
  'passkeys.status.adding': 'Čekamo vaš novi pristupni ključ…',
  'passkeys.status.added': 'Pristupni ključ je dodat. Sada možete da se prijavite njime.',
  'passkeys.status.removing': 'Uklanjamo pristupni ključ…',
  'passkeys.status.removed': 'Pristupni ključ je uklonjen.',
  'problem.last-passkey': 'Ovo je vaš jedini pristupni ključ. Dodajte drugi pre nego što ga uklonite.',
  'problem.passkey-not-found': 'Ovaj pristupni ključ više nije u vašem nalogu. Spisak je osvežen.',
  'problem.passkey-on-device': 'Ovaj uređaj već ima pristupni ključ za vaš nalog. Dodajte ga na drugom uređaju, na primer na telefonu ili bezbednosnom ključu.',
};

export default messages;
