import type { SerbianFor } from '../registry.ts';
import type { passkeyMessages } from '../en/passkey.ts';

/** Serbian (Latin script) for passkey ceremonies (<overa-account>, <overa-sign>); the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof passkeyMessages> = {
  'status.waiting': 'Čekamo vaš pristupni ključ…',
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
};

export default messages;
