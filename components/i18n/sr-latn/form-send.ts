import type { SerbianFor } from '../registry.ts';
import type { formSendMessages } from '../en/form-send.ts';

/** Serbian (Latin script) for checking, signing and sending an application and its receipt in <overa-application-form>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof formSendMessages> = {
  'form.signInTitle': 'Prijavite se da biste poslali zahtev',
  'form.signInToSend': 'Prijavite se pristupnim ključem (ili ga napravite) da biste poslali zahtev. Vaši odgovori ostaju kakvi jesu.',
  'form.checkTitle': 'Proverite odgovore pre slanja zahteva',
  'form.change': 'Izmeni',
  'form.notProvided': 'Nije navedeno',
  'form.sendTitle': 'Pošaljite zahtev',
  'form.sendText': 'Slanjem zahteva potvrđujete da su podaci koje navodite, koliko vam je poznato, tačni.',
  'form.sendTextSigned': 'Zahtev ćete potpisati svojim pristupnim ključem. Potpisom potvrđujete da su podaci koje navodite, koliko vam je poznato, tačni.',
  'form.toSigning': 'Nastavi na potpisivanje',
  'form.draftNumber': 'Broj predmeta {number}',
  'form.send': 'Pošalji zahtev',
  'form.back': 'Nazad na pitanja',
  'form.sending': 'Šaljemo vaš zahtev…',
  'form.sentTitle': 'Zahtev je poslat',
  'form.trackingLabel': 'Vaš broj predmeta',
  'form.nextTitle': 'Šta sledi',
  'form.toApplications': 'Pratite svoj zahtev u delu „Moji zahtevi“',
  'form.nextText': 'Primili smo vaš zahtev „{form}“. Službenik će ga razmotriti, a svaki korak možete da pratite u delu „Moji zahtevi“.',
  'form.keepNumber': 'Sačuvajte broj predmeta i navedite ga ako nas kontaktirate u vezi sa ovim zahtevom.',
  'form.changedElsewhere': 'Ovaj zahtev je izmenjen u drugom prozoru. Vaši odgovori ovde su sačuvani; pošaljite ponovo da biste ih sačuvali.',
};

export default messages;
