import type { SerbianFor } from '../registry.ts';
import type { verifyTimeMessages } from '../en/verify-time.ts';

/** Serbian (Latin script) for the time and long-term proof of a seal; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof verifyTimeMessages> = {
  'verify.time.level.B-B': 'Pečat bez vremenskog žiga ({level})',
  'verify.time.level.B-T': 'Pečat sa pouzdanim vremenskim žigom ({level})',
  'verify.time.level.B-LT': 'Pečat sa vremenskim žigom i podacima za kasniju proveru ({level})',
  'verify.time.level.B-LTA': 'Pečat sa dugoročnim dokazom, koji obnavljaju vremenski žigovi celog dokumenta ({level})',
  'verify.time.provenAt': 'Vremenski žig dokazuje da je pečat postojao {date}.',
  'verify.time.notProven': 'Nijedan vremenski žig ne dokazuje kada je pečat stavljen: važi samo dok mu je sertifikat važeći.',
  'verify.time.sources': 'Provereno pomoću: {list}.',
  'verify.time.source.dss': 'podaci za proveru sačuvani u dokumentu',
  'verify.time.source.signature': 'sertifikati koje nosi pečat',
  'verify.time.source.timestamp': 'vremenski žig',
  'verify.time.source.trust-anchor': 'izdavaoci kojima verujete',
  'verify.time.revocation.good': 'Sertifikaciono telo je potvrdilo da sertifikat pečata nije bio opozvan ({type}, {date}).',
  'verify.time.revocation.revoked': 'Sertifikat pečata je opozvan {date}.',
  'verify.time.refused': {
    plural: 'count',
    one: '{count} podatak o opozivu u datoteci nije prihvaćen.',
    few: '{count} podatka o opozivu u datoteci nisu prihvaćena.',
    other: '{count} podataka o opozivu u datoteci nije prihvaćeno.',
  },
  'verify.reason.timestamp-imprint-mismatch': 'Dokument je menjan posle vremenskog žiga.',
  'verify.reason.timestamp-signature-invalid': 'Vremenski žig u dokumentu nije izvoran.',
  'verify.reason.timestamp-malformed': 'Vremenski žig u dokumentu ne može da se pročita.',
  'verify.reason.certificate-revoked': 'Sertifikat pečata je opozvan pre nego što je dokument pečatiran.',
  'verify.reason.certificate-revoked-no-poe': 'Sertifikat pečata je opozvan, a ništa ne dokazuje da je dokument pečatiran pre toga.',
  'verify.reason.no-revocation-data': 'Sertifikat pečata je istekao, a datoteka nema dokaz da nije bio opozvan kada je dokument pečatiran.',
  'verify.reason.revocation-data-not-fresh': 'Sertifikat pečata je istekao, a podaci o opozivu su stariji od pečata. Pokušajte ponovo kasnije.',
};

export default messages;
