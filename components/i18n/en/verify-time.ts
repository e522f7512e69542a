import { defineMessages, type MessageBundle } from '../registry.ts';

/** What a seal's time and long-term proof rest on, in plain words (a part of the verdict's details). */
const en = {
  'verify.time.level.B-B': 'Seal without a time-stamp ({level})',
  'verify.time.level.B-T': 'Seal with a trusted time-stamp ({level})',
  'verify.time.level.B-LT': 'Seal with a time-stamp and the data to check it later ({level})',
  'verify.time.level.B-LTA': 'Seal with long-term proof, kept up by time-stamps of the whole document ({level})',
  'verify.time.provenAt': 'A time-stamp proves the seal existed on {date}.',
  'verify.time.notProven': 'No time-stamp proves when the seal was made: it holds only while its certificate is valid.',
  'verify.time.sources': 'Checked with {list}.',
  'verify.time.source.dss': 'validation data stored in the document',
  'verify.time.source.signature': 'certificates carried by the seal',
  'verify.time.source.timestamp': 'the time-stamp',
  'verify.time.source.trust-anchor': 'the issuers you trust',
  'verify.time.revocation.good': 'The certificate authority confirmed the seal’s certificate was not revoked ({type}, {date}).',
  'verify.time.revocation.revoked': 'The seal’s certificate was revoked on {date}.',
  'verify.time.refused': { plural: 'count', one: '{count} piece of revocation data in the file was not accepted.', other: '{count} pieces of revocation data in the file were not accepted.' },
  'verify.reason.timestamp-imprint-mismatch': 'The document was changed after it was time-stamped.',
  'verify.reason.timestamp-signature-invalid': 'A time-stamp in the document is not genuine.',
  'verify.reason.timestamp-malformed': 'A time-stamp in the document cannot be read.',
  'verify.reason.certificate-revoked': 'The seal’s certificate was revoked before the document was sealed.',
  'verify.reason.certificate-revoked-no-poe': 'The seal’s certificate was revoked, and nothing proves the document was sealed before that.',
  'verify.reason.no-revocation-data': 'The seal’s certificate has expired, and the file holds no proof that it was not revoked when the document was sealed.',
  'verify.reason.revocation-data-not-fresh': 'The seal’s certificate has expired, and its revocation data is older than the seal. Try again later.',
};

/** English messages for the time and long-term proof of a seal; Serbian loads from ../sr-latn/verify-time.ts when needed. */
export const verifyTimeMessages: MessageBundle<typeof en> = defineMessages(en, () => import('../sr-latn/verify-time.ts'));
