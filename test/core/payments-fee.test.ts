import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  checkDefinition,
  checkFee,
  feeIpsQrPayload,
  feePaymentOrder,
  feeReference,
  isValidModel97Reference,
  model97FromTrackingNumber,
  parseIpsQrPayload,
  type FeeSpec,
  type FormDefinition,
} from '../../components/core/index.ts';

const FEE: FeeSpec = {
  amount: 370,
  payee: { name: 'Budžet Republike Srbije', account: '840-742221843-57' },
  paymentCode: '253',
  purpose: { 'sr-Latn': 'Republička administrativna taksa', 'sr-Cyrl': 'Републичка административна такса', en: 'Republic administrative fee' },
};

test('the reference is model 97 of the tracking number without its agency prefix', () => {
  assert.equal(feeReference('NP-2026-XY34QA'), model97FromTrackingNumber('2026-XY34QA'));
  assert.equal(feeReference('NP-2026-XY34QA'), '4220263334342610');
  assert.ok(isValidModel97Reference(feeReference('NP-2026-XY34QA')));
  // The longest prefix the server makes would not fit whole; without it every tracking number does.
  assert.throws(() => model97FromTrackingNumber('GRUV-2026-YYYYYY'), RangeError);
  assert.equal(feeReference('GRUV-2026-YYYYYY'), model97FromTrackingNumber('2026-YYYYYY'));
  assert.equal(feeReference('GRUV-2026-YYYYYY').length, 18);
  // No letter prefix: the whole number.
  assert.equal(feeReference('2026-123456'), model97FromTrackingNumber('2026-123456'));
});

test('the payment order of an application: payee, account, amount, code, purpose in the script, model 97 + reference', () => {
  assert.deepEqual(feePaymentOrder(FEE, 'NP-2026-XY34QA'), {
    account: '840-742221843-57',
    payee: ['Budžet Republike Srbije'],
    amount: 370,
    paymentCode: '253',
    purpose: 'Republička administrativna taksa',
    reference: { model: '97', number: '4220263334342610' },
  });
  assert.equal(feePaymentOrder(FEE, 'NP-2026-XY34QA', 'sr-Cyrl').purpose, 'Републичка административна такса');
  const withAddress = feePaymentOrder({ ...FEE, payee: { ...FEE.payee, address: 'Beograd' } }, 'NP-2026-XY34QA');
  assert.deepEqual(withAddress.payee, ['Budžet Republike Srbije', 'Beograd']);
});

test('the IPS QR text of a fee is exact and reads back with the core parser', () => {
  const text = feeIpsQrPayload(FEE, 'NP-2026-XY34QA');
  assert.equal(text, 'K:PR|V:01|C:1|R:840000074222184357|N:Budžet Republike Srbije|I:RSD370,00|SF:253|S:Republička administrativna taksa|RO:974220263334342610');
  const read = parseIpsQrPayload(text);
  assert.equal(read.account, '840000074222184357');
  assert.equal(read.amount, '370.00');
  assert.deepEqual(read.reference, { model: '97', number: '4220263334342610' });
  assert.equal(parseIpsQrPayload(feeIpsQrPayload(FEE, 'NP-2026-XY34QA', 'sr-Cyrl')).purpose, 'Републичка административна такса');
});

test('checkFee: amount, account control digits, payment code, purpose that fits the code', () => {
  assert.deepEqual(checkFee(FEE), []);
  assert.deepEqual(checkFee({ ...FEE, amount: 1234.5 }), []);
  const paths = (fee: FeeSpec) => checkFee(fee).map((p) => p.path);
  assert.deepEqual(paths({ ...FEE, amount: 0 }), ['/amount']);
  assert.deepEqual(paths({ ...FEE, amount: -5 }), ['/amount']);
  assert.deepEqual(paths({ ...FEE, amount: 10.005 }), ['/amount']);
  assert.deepEqual(paths({ ...FEE, payee: { ...FEE.payee, account: '840-742221843-58' } }), ['/payee/account']);
  assert.deepEqual(paths({ ...FEE, payee: { ...FEE.payee, account: '840-abc-57' } }), ['/payee/account']);
  assert.deepEqual(paths({ ...FEE, paymentCode: '25' }), ['/paymentCode']);
  assert.deepEqual(paths({ ...FEE, purpose: { en: 'Fee' } }), ['/purpose']);
  // 36 characters: one too many for the S tag.
  assert.deepEqual(paths({ ...FEE, purpose: 'Republička administrativna taksa 123' }), ['/purpose']);
  assert.deepEqual(paths({ ...FEE, payee: { ...FEE.payee, name: 'N'.repeat(60), address: 'A'.repeat(20) } }), ['/payee']);
});

test('checkDefinition reports fee problems under /fee', () => {
  const def = JSON.parse(readFileSync(new URL('../../examples/forms/building-permit.json', import.meta.url), 'utf8')) as FormDefinition;
  assert.ok(def.fee, 'the building permit example states its fee');
  assert.deepEqual(checkDefinition(def), []);
  const bad = { ...def, fee: { ...def.fee, amount: 0.001, paymentCode: 'x53' } };
  assert.deepEqual(checkDefinition(bad).map((p) => p.path), ['/fee/amount', '/fee/paymentCode']);
});
