/**
 * The words of the mails to citizens (services/mail.ts), in Overa's three languages. Written
 * here rather than taken from components/i18n: the server may import only core, and these are
 * the server's own messages. Values (a tracking number, a code, an official's reason, links)
 * are put in as they are: never transliterated, and escaped for HTML by the renderer.
 */
import type { MailLang } from '../db/mail-addresses.ts';

export type MailKind = 'confirm' | 'received' | 'returned' | 'rejected' | 'issued' | 'fee-paid'
  // To officials (services/deadlines.ts): a case's time limit is near, or has passed.
  | 'deadline-reminder' | 'deadline-overdue';

interface Words {
  subject: string;
  /** Paragraphs; `{name}` is replaced by a value. */
  lines: string[];
}

export interface MailWords {
  kinds: Record<MailKind, Words>;
  follow: string;
  /** The link of a mail to an official: the back office. */
  followCase: string;
  stop: string;
  stopButton: string;
  stopped: string;
}

export const MAIL_WORDS: Record<MailLang, MailWords> = {
  en: {
    kinds: {
      confirm: { subject: 'Confirm your e-mail address', lines: ['Your confirmation code is {code}.', 'It is valid for 30 minutes. If you did not ask for it, ignore this message: nothing will be sent to this address.'] },
      received: { subject: 'We received your application {trackingNumber}', lines: ['Your application {trackingNumber} was received and is being processed.'] },
      returned: { subject: 'Your application {trackingNumber} was returned for correction', lines: ['Your application {trackingNumber} was returned to you for correction.', 'The official\'s reason: {reason}'] },
      rejected: { subject: 'Your application {trackingNumber} was rejected', lines: ['Your application {trackingNumber} was rejected.'] },
      issued: { subject: 'Your document for application {trackingNumber} was issued', lines: ['The document you applied for with application {trackingNumber} was issued.', 'Its verification code: {verificationCode}'] },
      'fee-paid': { subject: 'We received the fee for your application {trackingNumber}', lines: ['Your payment of the fee for application {trackingNumber}, {amount} dinars, was received and recorded.'] },
      'deadline-reminder': { subject: 'Case {trackingNumber}: the time limit ends on {dueDate}', lines: ['The time limit for a decision on case {trackingNumber} ends on {dueDate}.', 'Days left: {daysLeft}. You hold a pending step of this case.'] },
      'deadline-overdue': { subject: 'Case {trackingNumber} is overdue', lines: ['The time limit for a decision on case {trackingNumber} ended on {dueDate} and the case is not decided yet.', 'You are told as the head of the unit.'] },
    },
    follow: 'See it in My applications: {link}',
    followCase: 'Open it in the back office: {link}',
    stop: 'To stop these messages: {link}',
    stopButton: 'Stop e-mail notifications',
    stopped: 'You will get no more e-mail notifications.',
  },
  'sr-Latn': {
    kinds: {
      confirm: { subject: 'Potvrdite adresu e-pošte', lines: ['Vaš kod za potvrdu je {code}.', 'Važi 30 minuta. Ako ga niste tražili, zanemarite ovu poruku: na ovu adresu ništa neće biti poslato.'] },
      received: { subject: 'Primili smo vaš zahtev {trackingNumber}', lines: ['Vaš zahtev {trackingNumber} je primljen i u obradi je.'] },
      returned: { subject: 'Vaš zahtev {trackingNumber} je vraćen na dopunu', lines: ['Vaš zahtev {trackingNumber} vam je vraćen na dopunu.', 'Obrazloženje službenika: {reason}'] },
      rejected: { subject: 'Vaš zahtev {trackingNumber} je odbijen', lines: ['Vaš zahtev {trackingNumber} je odbijen.'] },
      issued: { subject: 'Izdat je dokument po vašem zahtevu {trackingNumber}', lines: ['Dokument koji ste tražili zahtevom {trackingNumber} je izdat.', 'Kod za proveru: {verificationCode}'] },
      'fee-paid': { subject: 'Primili smo uplatu takse za vaš zahtev {trackingNumber}', lines: ['Vaša uplata takse za zahtev {trackingNumber}, {amount} dinara, primljena je i evidentirana.'] },
      'deadline-reminder': { subject: 'Predmet {trackingNumber}: rok ističe {dueDate}', lines: ['Rok za odlučivanje o predmetu {trackingNumber} ističe {dueDate}.', 'Preostalo dana: {daysLeft}. Kod vas je korak ovog predmeta koji čeka odluku.'] },
      'deadline-overdue': { subject: 'Predmet {trackingNumber} je prekoračio rok', lines: ['Rok za odlučivanje o predmetu {trackingNumber} istekao je {dueDate}, a o predmetu još nije odlučeno.', 'Obaveštenje dobijate kao rukovodilac.'] },
    },
    follow: 'Pogledajte u delu Moji zahtevi: {link}',
    followCase: 'Otvorite ga u delu za službenike: {link}',
    stop: 'Da više ne primate ove poruke: {link}',
    stopButton: 'Ne šalji mi više poruke',
    stopped: 'Više nećete primati obaveštenja e-poštom.',
  },
  'sr-Cyrl': {
    kinds: {
      confirm: { subject: 'Потврдите адресу е-поште', lines: ['Ваш код за потврду је {code}.', 'Важи 30 минута. Ако га нисте тражили, занемарите ову поруку: на ову адресу ништа неће бити послато.'] },
      received: { subject: 'Примили смо ваш захтев {trackingNumber}', lines: ['Ваш захтев {trackingNumber} је примљен и у обради је.'] },
      returned: { subject: 'Ваш захтев {trackingNumber} је враћен на допуну', lines: ['Ваш захтев {trackingNumber} вам је враћен на допуну.', 'Образложење службеника: {reason}'] },
      rejected: { subject: 'Ваш захтев {trackingNumber} је одбијен', lines: ['Ваш захтев {trackingNumber} је одбијен.'] },
      issued: { subject: 'Издат је документ по вашем захтеву {trackingNumber}', lines: ['Документ који сте тражили захтевом {trackingNumber} је издат.', 'Код за проверу: {verificationCode}'] },
      'fee-paid': { subject: 'Примили смо уплату таксе за ваш захтев {trackingNumber}', lines: ['Ваша уплата таксе за захтев {trackingNumber}, {amount} динара, примљена је и евидентирана.'] },
      'deadline-reminder': { subject: 'Предмет {trackingNumber}: рок истиче {dueDate}', lines: ['Рок за одлучивање о предмету {trackingNumber} истиче {dueDate}.', 'Преостало дана: {daysLeft}. Код вас је корак овог предмета који чека одлуку.'] },
      'deadline-overdue': { subject: 'Предмет {trackingNumber} је прекорачио рок', lines: ['Рок за одлучивање о предмету {trackingNumber} истекао је {dueDate}, а о предмету још није одлучено.', 'Обавештење добијате као руководилац.'] },
    },
    follow: 'Погледајте у делу Моји захтеви: {link}',
    followCase: 'Отворите га у делу за службенике: {link}',
    stop: 'Да више не примате ове поруке: {link}',
    stopButton: 'Не шаљи ми више поруке',
    stopped: 'Више нећете примати обавештења е-поштом.',
  },
};
