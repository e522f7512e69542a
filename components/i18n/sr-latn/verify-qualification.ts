import type { SerbianFor } from '../registry.ts';
import type { verifyQualificationMessages } from '../en/verify-qualification.ts';

/** Serbian (Latin script) for qualified status; the Cyrillic set is derived from it. */
const messages: SerbianFor<typeof verifyQualificationMessages> = {
  'verify.qual.level.QESeal': 'Kvalifikovani elektronski pečat',
  'verify.qual.level.QESig': 'Kvalifikovani elektronski potpis',
  'verify.qual.level.AdESeal-QC': 'Napredni elektronski pečat sa kvalifikovanim sertifikatom (nije napravljen na kvalifikovanom sredstvu)',
  'verify.qual.level.AdESig-QC': 'Napredni elektronski potpis sa kvalifikovanim sertifikatom (nije napravljen na kvalifikovanom sredstvu)',
  'verify.qual.level.AdESeal': 'Napredni elektronski pečat; njegov sertifikat nije kvalifikovan',
  'verify.qual.level.AdESig': 'Napredni elektronski potpis; njegov sertifikat nije kvalifikovan',
  'verify.qual.level.NA': 'Ne može se reći da li je kvalifikovan',
  'verify.qual.provider': 'Sertifikat je izdao {provider} ({service}), sa liste pouzdanih usluga za {territory}.',
  'verify.qual.granted': 'Dana {date} ta usluga je bila kvalifikovana (status „granted”).',
  'verify.qual.notGranted': 'Dana {date} ta usluga nije bila kvalifikovana: njen status je bio „{status}” od {since}.',
  'verify.qual.reason.service-not-granted': 'Usluga koja je izdala sertifikat nije bila kvalifikovana u vreme potpisivanja.',
  'verify.qual.reason.service-not-granted-at-issuance': 'Usluga nije bila kvalifikovana kada je izdala sertifikat.',
  'verify.qual.reason.service-not-qualified': 'Usluga koja je izdala sertifikat ne izdaje kvalifikovane sertifikate.',
  'verify.qual.reason.service-not-yet-listed': 'Usluga još nije bila na listi pouzdanih usluga u vreme potpisivanja.',
  'verify.qual.reason.certificate-not-qualified': 'Sertifikat nije kvalifikovan.',
  'verify.qual.reason.service-not-for-use': 'Usluga nije na listi za ovu vrstu sertifikata.',
  'verify.qual.reason.use-unknown': 'Ni sertifikat ni lista ne kažu da li je namenjen potpisima ili pečatima.',
  'verify.qual.reason.not-on-qscd': 'Ništa ne pokazuje da je ključ čuvan na kvalifikovanom sredstvu za potpis ili pečat.',
  'verify.qual.reason.signature-not-valid': 'Kvalifikovan može biti samo pečat ili potpis koji je ispravan.',
  'verify.qual.reason.other': 'Lista pouzdanih usluga ne potvrđuje da je kvalifikovan.',
  'verify.qual.listRefused': 'Jedna lista pouzdanih usluga nije korišćena ({location}): {reason}',
  'verify.qual.refusal.signature-invalid': 'njen potpis se ne slaže: menjana je ili nije izvorna.',
  'verify.qual.refusal.signer-not-pinned': 'potpisana je ključem koji nije među onima kojima se za nju veruje.',
  'verify.qual.refusal.no-pinned-certificates': 'nije dat nijedan sertifikat za proveru njenog potpisa.',
  'verify.qual.refusal.expired': 'zastarela je (prošao je rok za sledeće ažuriranje).',
  'verify.qual.refusal.other': 'nije ispravna lista pouzdanih usluga.',
};

export default messages;
