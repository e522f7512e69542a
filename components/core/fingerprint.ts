/**
 * Fingerprints as people compare them by eye: upper-case hexadecimal in groups of four
 * (`3F2A 91C0 …`), one case and no look-alike punctuation, the way GnuPG and Signal print
 * theirs. The one formatter for every place that shows a fingerprint: the sign box, the
 * code check of <overa-verify>, and the issued PDF (content fingerprints on its approval
 * page, the seal certificate's).
 */
import { fromBase64Url, toHex } from './encoding.ts';

/** Hex digits in a short fingerprint: 80 bits, five groups of four, as long as a verification code. */
export const SHORT_FINGERPRINT_DIGITS = 20;
const GROUP = 4;
const DIGEST_PREFIX = 'sha256:';

/**
 * A digest as lower-case hex, from any of the forms Overa keeps: `sha256:` + base64url (a
 * signing payload's `digest`, an application's content digest) or hex (a PDF's or a
 * certificate's SHA-256).
 */
export function fingerprintHex(digest: string): string {
  if (/^[0-9a-fA-F]+$/.test(digest) && digest.length % 2 === 0) return digest.toLowerCase();
  const body = digest.startsWith(DIGEST_PREFIX) ? digest.slice(DIGEST_PREFIX.length) : digest;
  return toHex(fromBase64Url(body));
}

/**
 * A digest for people to compare: upper-case hex in groups of four. Short by default (the
 * first 80 bits: enough to see that two things differ, short enough to read aloud); `full`
 * for the whole digest.
 */
export function formatFingerprint(digest: string, options: { full?: boolean } = {}): string {
  const hex = fingerprintHex(digest).toUpperCase();
  const shown = options.full ? hex : hex.slice(0, SHORT_FINGERPRINT_DIGITS);
  return (shown.match(new RegExp(`.{1,${GROUP}}`, 'g')) ?? []).join(' ');
}
