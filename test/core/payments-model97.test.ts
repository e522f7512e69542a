import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MODEL97_MAX_LENGTH,
  checkModel97Reference,
  isValidModel97Reference,
  mod97,
  model97ControlDigits,
  model97FromTrackingNumber,
  referenceDigits,
} from '../../components/core/payments/model97.ts';

/** ISO 7064 MOD 97-10 written out with BigInt, independently of the chunked implementation. */
function controlByTheBook(digits: string): string {
  return String(98n - ((BigInt(digits) * 100n) % 97n)).padStart(2, '0');
}

// Published examples.
// 1. The NBS IPS QR specification (Odluka o opštim pravilima za izvršavanje instant transfera
//    odobrenja, Prilog 1, tag RO; quoted in medigeek/php-ips-qr-code src/IPSQRCode.php):
//    "позив на број одобрења 9714123412, у којем је 97 број модела, а 14 је контролни број
//    који је … израчунат по моделу 97 за низ 123412".
// 2. The NBS example IPS QR text (nbs.rs/QRcode, the EPS bill): RO:97163220000111111111000 —
//    model 97, control digits 16, reference 3220000111111111000.
test('model 97: the control digits of the NBS published examples', () => {
  assert.equal(model97ControlDigits('123412'), '14');
  assert.equal(model97ControlDigits('3220000111111111000'), '16');
  assert.equal(checkModel97Reference('14123412'), null);
  assert.equal(checkModel97Reference('163220000111111111000'), null);
  assert.ok(isValidModel97Reference('16-3220000-111111111000'), 'dashes are allowed and ignored');
});

// Letters: ISO 7064 MOD 97-10 converts A=10 … Z=35, as the NBS payment-order rules do for model
// 97 (cekos.rs "Kontrolni broj – modul 97" citing the Odluka and ISO 7064). The IBAN check digits
// use the same computation on the rearranged IBAN: the published examples GB82 WEST 1234 5698
// 7654 32 (ECBS/ISO 13616) and the Serbian RS35 2600 0560 1001 6113 79 (SWIFT IBAN registry).
test('model 97: letters count as A=10 … Z=35 (checked on published IBANs)', () => {
  assert.equal(model97ControlDigits('WEST12345698765432GB'), '82');
  assert.equal(model97ControlDigits('west12345698765432gb'), '82', 'either case');
  assert.equal(model97ControlDigits('260005601001611379RS'), '35');
  assert.equal(referenceDigits('AZ-9 z'), '1035935');
});

test('model 97: control digits agree with the textbook formula, and every one is reachable', () => {
  const seen = new Set<string>();
  for (let n = 1; n < 20000; n += 7) {
    const body = String(n * 7919);
    const c = model97ControlDigits(body);
    assert.equal(c, controlByTheBook(body), body);
    assert.equal(mod97(body + c), 1, 'the reference with its control digits moved to the end is 1 mod 97');
    seen.add(c);
  }
  const long = '98765432109876543210987654321';
  assert.equal(model97ControlDigits(long), controlByTheBook(long), 'longer than a double holds');
  assert.ok(seen.has('02') && seen.has('98'), 'range 02–98');
});

test('model 97: a wrong control digit, a swap and a wrong character are caught', () => {
  assert.equal(checkModel97Reference('15123412'), 'controlDigits');
  assert.equal(checkModel97Reference('14124312'), 'controlDigits', 'two digits swapped');
  assert.equal(checkModel97Reference(''), 'empty');
  assert.equal(checkModel97Reference(' - '), 'empty');
  assert.equal(checkModel97Reference('14/123412'), 'characters');
  assert.equal(checkModel97Reference('1'), 'characters');
  assert.equal(checkModel97Reference('AB123'), 'characters', 'control digits are digits');
  assert.equal(checkModel97Reference('01' + '1'.repeat(MODEL97_MAX_LENGTH - 1)), 'tooLong');
  assert.throws(() => model97ControlDigits('12.5'), RangeError);
});

test('model 97: a reference from a tracking number', () => {
  // GU-2026-AC34: G=16 U=30, 2026, A=10 C=12, 34.
  const ref = model97FromTrackingNumber('GU-2026-AC34');
  assert.equal(ref.slice(2), '163020261012' + '34');
  assert.equal(ref, '0416302026101234', 'the example in docs/forms.md');
  assert.equal(ref.slice(0, 2), model97ControlDigits('GU2026AC34'), 'same control digits as the letters themselves');
  assert.ok(isValidModel97Reference(ref));
  assert.match(ref, /^\d+$/);
  // An Overa tracking number with a two-letter agency prefix fits exactly.
  const overa = model97FromTrackingNumber('GU-2026-XYWVUT');
  assert.equal(overa.length, MODEL97_MAX_LENGTH);
  assert.ok(isValidModel97Reference(overa));
  assert.equal(model97FromTrackingNumber('gu-2026-ac34'), ref, 'case does not matter');
  assert.throws(() => model97FromTrackingNumber('GUMP-2026-XYWVUT'), /at most 22/);
  assert.throws(() => model97FromTrackingNumber('GU/2026'), RangeError);
  assert.throws(() => model97FromTrackingNumber('--'), RangeError);
});
