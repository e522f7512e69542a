import type { SerbianFor } from '../registry.ts';
import type { signMessages } from '../en/sign.ts';

/** Serbian (Latin script) for <overa-sign>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof signMessages> = {
  // <overa-sign>
  'sign.title': 'Potpišite pristupnim ključem',
  'sign.actionLabel': 'Potpisujete:',
  'sign.action.application.submit': 'da podnosite ovaj zahtev, tačno kako je prikazan',
  'sign.action.decision.approve': 'svoje odobrenje ovog zahteva',
  'sign.action.decision.agree': 'svoju saglasnost sa ovim zahtevom',
  'sign.action.decision.review': 'da ste pregledali ovaj zahtev',
  'sign.action.decision.return': 'da vraćate ovaj zahtev podnosiocu na dopunu',
  'sign.action.decision.reject': 'da odbijate ovaj zahtev',
  'sign.action.reception.accept': 'da je vaš organ primio ovaj dokument',
  'sign.action.generic': '„{action}“',
  'sign.fingerprintLabel': 'Otisak sadržaja:',
  'sign.fingerprintHint': 'Ovaj kod označava tačno sadržaj koji potpisujete. Štampa se na izdatom dokumentu, pa svako može da vidi da ništa nije menjano.',
  'sign.button': 'Potpiši pristupnim ključem',
  'sign.preparing': 'Pripremamo ono što ćete potpisati…',
  'sign.signed': 'Potpisano. Vaš potpis je vezan tačno za ovaj sadržaj.',
  'sign.cancelled': 'Zahtev za pristupni ključ je otkazan ili je isteklo vreme. Ništa nije potpisano. Potpišite ponovo kada budete spremni.',
  'sign.signInFirst': 'Da biste potpisali, najpre se prijavite pristupnim ključem ili ga napravite.',
  'sign.errorTitle': 'Potpisivanje nije uspelo',
  'problem.subject-changed': 'Ono što ste potpisivali se u međuvremenu promenilo. Proverite ponovo, pa potpišite.',
  'problem.not-allowed': 'Ovo trenutno ne možete da potpišete.',
  'problem.not-found': 'Ono što želite da potpišete nije pronađeno.',
};

export default messages;
