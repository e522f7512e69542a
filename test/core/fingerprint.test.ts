/**
 * One way to show a fingerprint (issue 17, item 9): core's formatFingerprint, upper-case hex
 * in groups of four, for every digest form Overa keeps; the sign box, the code check and the
 * PDF all use it (digestFingerprint is the same formatter under its older name).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fingerprintHex, formatFingerprint, SHORT_FINGERPRINT_DIGITS } from '../../components/core/fingerprint.ts';
import { contentDigest, digestFingerprint } from '../../components/core/signing/payload.ts';

const hex = createHash('sha256').update('overa').digest('hex');
const digest = `sha256:${Buffer.from(hex, 'hex').toString('base64url')}`;

test('a digest in either form gives the same hex: sha256:base64url, hex in either case', () => {
  assert.equal(fingerprintHex(digest), hex);
  assert.equal(fingerprintHex(hex), hex);
  assert.equal(fingerprintHex(hex.toUpperCase()), hex);
});

test('short: the first 80 bits, upper-case hex in five groups of four; full: all 64 digits in sixteen', () => {
  const short = formatFingerprint(digest);
  assert.equal(short, hex.slice(0, SHORT_FINGERPRINT_DIGITS).toUpperCase().match(/.{4}/g)!.join(' '));
  assert.match(short, /^[0-9A-F]{4}( [0-9A-F]{4}){4}$/);
  assert.equal(formatFingerprint(hex), short, 'the PDF\'s hex SHA-256 and a payload digest of the same bytes read the same');
  const full = formatFingerprint(hex, { full: true });
  assert.match(full, /^[0-9A-F]{4}( [0-9A-F]{4}){15}$/);
  assert.equal(full.replace(/ /g, '').toLowerCase(), hex);
});

test('one case only: no lower-case letter, nothing but hex digits and spaces, for any digest', async () => {
  for (let i = 0; i < 50; i++) {
    const d = await contentDigest({ i });
    for (const shown of [formatFingerprint(d), formatFingerprint(d, { full: true }), digestFingerprint(d)]) assert.match(shown, /^[0-9A-F ]+$/);
    assert.equal(digestFingerprint(d), formatFingerprint(d));
  }
});

test('every place that shows a fingerprint uses the one formatter', () => {
  const uses = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
  for (const path of ['components/sign/sign.ts', 'components/verify/issued-document.ts', 'server/documents/template.ts']) {
    const source = uses(path);
    assert.match(source, /import \{ formatFingerprint \} from '\.\.\/(\.\.\/components\/)?core\/fingerprint\.ts'/, path);
    // No hand-made grouping of a digest beside it (the seal's fingerprint used to be grouped by eight in place).
    assert.doesNotMatch(source, /\.match\(\/\.\{1,\d\}\/g\)/, `${path} groups a digest by hand`);
  }
});
