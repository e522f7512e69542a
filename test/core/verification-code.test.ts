import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeVerificationCode, readVerificationCode } from '../../components/core/verification-code.ts';

const CODE = 'ACDE-FGHJ-KMNP-QRTU-VWXY';

test('readVerificationCode: the grouped code, whatever the spacing, case, or a keyboard left in Cyrillic', () => {
  assert.deepEqual(readVerificationCode('acde fghj kmnp qrtu vwxy'), { code: CODE });
  // Typed on a Serbian keyboard in Cyrillic mode: each key gives its Cyrillic letter (U → У, H → Х).
  assert.deepEqual(readVerificationCode('АЦДЕ ФГХЈ КМНП ЉРТУ ВЊЏЅ'), { code: CODE });
  assert.deepEqual(readVerificationCode('ацде-фгхј-кмнп-љрту-вњџѕ'), { code: CODE });
  // A key whose letter is never in codes is named by the Latin letter of the key (С is the S key).
  assert.deepEqual(readVerificationCode('АЦДС'), { problem: 'character', character: 'S' });
});

test('readVerificationCode: says which character is never in a code, or how many there were', () => {
  assert.deepEqual(readVerificationCode('ACDE-FGHJ-KMNP-QRTU-VWX0'), { problem: 'character', character: '0' });
  assert.deepEqual(readVerificationCode('acb'), { problem: 'character', character: 'B' });
  assert.deepEqual(readVerificationCode('ACDE-FGHJ'), { problem: 'length', length: 8 });
  assert.deepEqual(readVerificationCode(''), { problem: 'length', length: 0 });
  // Too long: counting stops one past the length, whatever was pasted.
  assert.deepEqual(readVerificationCode('A'.repeat(10_000)), { problem: 'length', length: 21 });
});

test('normalizeVerificationCode is the code or null', () => {
  assert.equal(normalizeVerificationCode(CODE.toLowerCase()), CODE);
  assert.equal(normalizeVerificationCode('ACDE'), null);
  assert.equal(normalizeVerificationCode(`${CODE}${' '.repeat(60)}`), null);
});
