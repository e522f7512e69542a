import type { SerbianFor } from '../registry.ts';
import type { inboxMessages } from '../en/inbox.ts';

/** Serbian (Latin script) for <overa-approval-inbox>; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof inboxMessages> = {
  // <overa-approval-inbox>
  'inbox.views': 'Prikaz',
  'inbox.viewCases': 'Zahtevi',
  'inbox.viewReception': 'Primljeni dokumenti',
  'inbox.viewReceptionNew': { plural: 'count', one: 'Primljeni dokumenti ({count} nov)', few: 'Primljeni dokumenti ({count} nova)', other: 'Primljeni dokumenti ({count} novih)' },
  'inbox.documentArrived': 'Stigao je dokument {number}.',
  'inbox.title': 'Prijemno sanduče',
  'inbox.unread': { plural: 'count', one: '{count} izmenjen', few: '{count} izmenjena', other: '{count} izmenjenih' },
  'inbox.unreadMark': '(izmenjen otkad ste ga poslednji put videli)',
  'inbox.signedOut': 'Prijavite se pristupnim ključem da biste videli zahteve svog organa.',
  'inbox.notOfficial': 'Prijemno sanduče je za službenike organa. Građani prate svoje zahteve u delu „Moji zahtevi“.',
  'inbox.loading': 'Učitavamo prijemno sanduče…',
  'inbox.search': 'Pretraga po podnosiocu ili broju predmeta',
  'inbox.status': 'Status',
  'inbox.any': 'Svi',
  'inbox.assigned': 'Čeka na',
  'inbox.assignedAll': 'Bilo koga',
  'inbox.assignedMe': 'Mene',
  'inbox.assignedRole': 'Moju ulogu',
  'inbox.form': 'Usluga',
  'inbox.from': 'Podneto od',
  'inbox.to': 'Podneto do',
  'inbox.apply': 'Prikaži',
  'inbox.newCases': { plural: 'count', one: '{count} novi zahtev: prikaži', few: '{count} nova zahteva: prikaži', other: '{count} novih zahteva: prikaži' },
  'inbox.empty': 'Za vaš organ još nema zahteva.',
  'inbox.emptyFiltered': 'Nijedan zahtev ne odgovara. Promenite pretragu ili filtere.',
  'inbox.listLabel': 'Zahtevi',
  'inbox.internal': 'interni dokument',
  'inbox.yourDecision': 'Čeka vašu odluku',
  'inbox.awaitingFee': 'Čeka uplatu takse',
  'inbox.more': 'Prikaži još zahteva',
  'inbox.close': 'Zatvori',
  'inbox.loadingCase': 'Učitavamo zahtev…',
  'inbox.cancel': 'Otkaži',
  'inbox.updated': 'Zahtev {number} je izmenjen.',
};

export default messages;
