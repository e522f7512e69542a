import { defineMessages, type MessageBundle } from '../registry.ts';

/**
 * Whether a seal or signature of another authority is qualified (ETSI trusted lists), in plain
 * words: a part of the verdict's details.
 */
const en = {
  'verify.qual.level.QESeal': 'Qualified electronic seal',
  'verify.qual.level.QESig': 'Qualified electronic signature',
  'verify.qual.level.AdESeal-QC': 'Advanced electronic seal with a qualified certificate (not made on a qualified device)',
  'verify.qual.level.AdESig-QC': 'Advanced electronic signature with a qualified certificate (not made on a qualified device)',
  'verify.qual.level.AdESeal': 'Advanced electronic seal; its certificate is not qualified',
  'verify.qual.level.AdESig': 'Advanced electronic signature; its certificate is not qualified',
  'verify.qual.level.NA': 'Whether it is qualified cannot be said',
  'verify.qual.provider': 'Its certificate comes from {provider} ({service}), on the trusted list of {territory}.',
  'verify.qual.granted': 'On {date} that service was qualified (status “granted”).',
  'verify.qual.notGranted': 'On {date} that service was not qualified: its status was “{status}” from {since}.',
  'verify.qual.reason.service-not-granted': 'The service that issued the certificate was not qualified at the time of signing.',
  'verify.qual.reason.service-not-granted-at-issuance': 'The service was not qualified when it issued the certificate.',
  'verify.qual.reason.service-not-qualified': 'The service that issued the certificate does not issue qualified certificates.',
  'verify.qual.reason.service-not-yet-listed': 'The service was not yet on the trusted list at the time of signing.',
  'verify.qual.reason.certificate-not-qualified': 'The certificate is not a qualified certificate.',
  'verify.qual.reason.service-not-for-use': 'The service is not listed for this kind of certificate.',
  'verify.qual.reason.use-unknown': 'Neither the certificate nor the list says whether it is for signatures or for seals.',
  'verify.qual.reason.not-on-qscd': 'Nothing shows the key was kept on a qualified signature or seal creation device.',
  'verify.qual.reason.signature-not-valid': 'Only a seal or signature that checks out can be qualified.',
  'verify.qual.reason.other': 'The trusted list does not confirm it is qualified.',
  'verify.qual.listRefused': 'A trusted list was not used ({location}): {reason}',
  'verify.qual.refusal.signature-invalid': 'its signature does not match: it was changed or is not genuine.',
  'verify.qual.refusal.signer-not-pinned': 'it is signed by a key that is not among those trusted for it.',
  'verify.qual.refusal.no-pinned-certificates': 'no certificate to check its signature was given.',
  'verify.qual.refusal.expired': 'it is out of date (past its next update).',
  'verify.qual.refusal.other': 'it is not a valid trusted list.',
};

/** English messages for qualified status; Serbian loads from ../sr-latn/verify-qualification.ts when needed. */
export const verifyQualificationMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/verify-qualification.ts'));
