import type { SerbianFor } from '../registry.ts';
import type { paymentMessages } from '../en/payment.ts';

/** Serbian (Latin script) for the fee's payment details; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof paymentMessages> = {
  'payment.title': 'Uplata takse',
  'payment.intro': 'Skenirajte QR kod u mobilnoj aplikaciji svoje banke ili prepišite ove podatke u nalog za uplatu.',
  'payment.requiredFirst': 'Organ počinje da rešava vaš zahtev kada taksa bude plaćena.',
  'payment.payee': 'Primalac',
  'payment.account': 'Račun primaoca',
  'payment.amount': 'Iznos',
  'payment.paymentCode': 'Šifra plaćanja',
  'payment.model': 'Model',
  'payment.reference': 'Poziv na broj',
  'payment.purpose': 'Svrha uplate',
  'payment.status': 'Taksa:',
  'payment.awaiting': 'Čeka uplatu',
  'payment.paid': 'Plaćena',
  'payment.paidOn': 'Uplata je evidentirana {date}.',
  'payment.qrLabel': 'IPS QR kod za uplatu {amount} primaocu {payee}',
  'payment.qrHint': 'Ovaj kod čitaju aplikacije banaka u Srbiji (NBS IPS QR).',
  'payment.qrFailed': 'QR kod ne može da se prikaže. Koristite podatke iznad.',
  'payment.copy': 'Kopiraj',
  'payment.copyWhat': 'Kopiraj: {what}',
  'payment.copied': 'Kopirano: {what}',
  'payment.copyFailed': 'Kopiranje nije uspelo. Označite tekst i kopirajte ga sami.',
};

export default messages;
