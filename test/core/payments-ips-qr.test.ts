import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IPS_QR_LIMITS,
  IpsQrError,
  buildIpsQrPayload,
  formatIpsAmount,
  isValidAccount,
  normalizeAccount,
  parseIpsQrPayload,
  type IpsPaymentOrder,
} from '../../components/core/payments/ips-qr.ts';
import { model97FromTrackingNumber } from '../../components/core/payments/model97.ts';

// The National Bank of Serbia's example IPS QR text (nbs.rs/QRcode, the EPS electricity bill),
// with the payee's and payer's address lines separated by CR LF as the NBS example writes them.
const NBS_EXAMPLE =
  'K:PR|V:01|C:1|R:845000000040484987|N:JP EPS BEOGRAD\r\nBALKANSKA 13|I:RSD3596,13|P:MRĐO MAČKATOVIĆ\r\nŽUPSKA 13\r\nBEOGRAD 6|SF:189|S:UPLATA PO RAČUNU ZA EL. ENERGIJU|RO:97163220000111111111000';

const NBS_ORDER: IpsPaymentOrder = {
  account: '845-0000000404849-87',
  payee: ['JP EPS BEOGRAD', 'BALKANSKA 13'],
  amount: 3596.13,
  payer: 'MRĐO MAČKATOVIĆ\nŽUPSKA 13\nBEOGRAD 6',
  paymentCode: '189',
  purpose: 'UPLATA PO RAČUNU ZA EL. ENERGIJU',
  reference: { model: '97', number: '163220000111111111000' },
};

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof IpsQrError, String(e));
    return `${e.field}/${e.tag ?? ''}`;
  }
  assert.fail('no error');
}

test('IPS QR: the NBS example is built exactly', () => {
  assert.equal(buildIpsQrPayload(NBS_ORDER), NBS_EXAMPLE);
  assert.equal(buildIpsQrPayload({ ...NBS_ORDER, account: '845000000040484987', amount: '3596,13' }), NBS_EXAMPLE);
});

test('IPS QR: the NBS example is read back', () => {
  assert.deepEqual(parseIpsQrPayload(NBS_EXAMPLE), {
    account: '845000000040484987',
    payee: ['JP EPS BEOGRAD', 'BALKANSKA 13'],
    amount: '3596.13',
    payer: ['MRĐO MAČKATOVIĆ', 'ŽUPSKA 13', 'BEOGRAD 6'],
    paymentCode: '189',
    purpose: 'UPLATA PO RAČUNU ZA EL. ENERGIJU',
    reference: { model: '97', number: '163220000111111111000' },
  });
  // Plain LF line breaks (as some banks' samples print them) read the same.
  assert.deepEqual(parseIpsQrPayload(NBS_EXAMPLE.replaceAll('\r\n', '\n')).payer, ['MRĐO MAČKATOVIĆ', 'ŽUPSKA 13', 'BEOGRAD 6']);
});

test('IPS QR: optional tags with no value are left out, mandatory ones in order', () => {
  const minimal = buildIpsQrPayload({ account: '840-955845-10', payee: 'Čigra doo', amount: 1025.12, paymentCode: '289' });
  assert.equal(minimal, 'K:PR|V:01|C:1|R:840000000095584510|N:Čigra doo|I:RSD1025,12|SF:289');
  assert.equal(buildIpsQrPayload({ account: '840-955845-10', payee: 'A', amount: 1, paymentCode: '289', purpose: '  ', payer: [] }), 'K:PR|V:01|C:1|R:840000000095584510|N:A|I:RSD1,00|SF:289');
  assert.deepEqual(parseIpsQrPayload(minimal), { account: '840000000095584510', payee: ['Čigra doo'], amount: '1025.12', paymentCode: '289' });
});

test('IPS QR: a fee with a model 97 reference from a tracking number round-trips', () => {
  const number = model97FromTrackingNumber('GU-2026-AC34KM');
  const order: IpsPaymentOrder = {
    account: '840-0000742221843-57',
    payee: ['Gradska uprava Grada Beograda', 'Kraljice Marije 1, Beograd'],
    amount: '1234.5',
    payer: ['Петар Петровић', 'Кнеза Милоша 12'],
    paymentCode: '253',
    purpose: 'Taksa za građevinsku dozvolu',
    reference: { model: '97', number },
  };
  const payload = buildIpsQrPayload(order);
  assert.match(payload, /\|I:RSD1234,50\|/);
  assert.ok(payload.endsWith(`|RO:97${number}`));
  const read = parseIpsQrPayload(payload);
  assert.equal(read.amount, '1234.50');
  assert.deepEqual(read.payer, ['Петар Петровић', 'Кнеза Милоша 12']);
  assert.deepEqual(read.reference, { model: '97', number });
});

// The NBS recommendations (nbs.rs/QRcode/info_lat.html, field R): 840-955845-10, 165-55-74 and
// 310-1234567891211-86 are written with the middle part padded to 13 digits.
test('IPS QR: accounts are normalised to 18 digits and their control digits checked', () => {
  assert.equal(normalizeAccount('840-955845-10'), '840000000095584510');
  assert.equal(normalizeAccount('165-55-74'), '165000000000005574');
  assert.equal(normalizeAccount('310-1234567891211-86'), '310123456789121186');
  assert.equal(normalizeAccount(' 845 0000000404849 87 '), '845000000040484987', 'spaces between the groups');
  assert.equal(normalizeAccount('265-1660310005042-68'), '265166031000504268');
  assert.ok(!isValidAccount('840-955845-11'), 'wrong control digits');
  assert.ok(!isValidAccount('845000000040484978'), 'two digits swapped');
  assert.ok(!isValidAccount('84-955845-10'));
  assert.ok(!isValidAccount('840-12345678901234-10'), 'middle part longer than 13');
  assert.ok(!isValidAccount('84500000004048498'), '17 digits');
  assert.equal(fieldOf(() => buildIpsQrPayload({ ...NBS_ORDER, account: '840-955845-11' })), 'account/R');
});

test('IPS QR: amounts are RSD, a decimal comma and two decimals', () => {
  assert.equal(formatIpsAmount(3596.13), '3596,13');
  assert.equal(formatIpsAmount(10), '10,00');
  assert.equal(formatIpsAmount(0.1 + 0.2), '0,30');
  assert.equal(formatIpsAmount(0), '0,00');
  assert.equal(formatIpsAmount('1234,5'), '1234,50');
  assert.equal(formatIpsAmount('007.'), '7,00');
  assert.equal(formatIpsAmount('999999999999.99'), '999999999999,99');
  for (const bad of [-1, 1.005, Number.NaN, Infinity, '1.234,50', '1 000', ',01', '12.345', '1000000000000']) {
    assert.equal(fieldOf(() => formatIpsAmount(bad)), 'amount/I', String(bad));
  }
});

test('IPS QR: values the code cannot hold are refused, naming the field', () => {
  assert.equal(fieldOf(() => buildIpsQrPayload({ ...NBS_ORDER, payee: '' })), 'payee/N');
  assert.equal(fieldOf(() => buildIpsQrPayload({ ...NBS_ORDER, payee: 'A|B' })), 'payee/N');
  assert.equal(fieldOf(() => buildIpsQrPayload({ ...NBS_ORDER, payee: 'x'.repeat(IPS_QR_LIMITS.payee + 1) })), 'payee/N');
  assert.equal(buildIpsQrPayload({ ...NBS_ORDER, payee: 'Š'.repeat(IPS_QR_LIMITS.payee) }).includes('N:' + 'Š'.repeat(70) + '|'), true, '70 characters, not bytes');
  assert.equal(fieldOf(() => buildIpsQrPayload({ ...NBS_ORDER, payer: 'y'.repeat(71) })), 'payer/P');
  assert.equal(fieldOf(() => buildIpsQrPayload({ ...NBS_ORDER, payer: 'a\tb' })), 'payer/P');
  assert.equal(fieldOf(() => buildIpsQrPayload({ ...NBS_ORDER, paymentCode: '89' })), 'paymentCode/SF');
  assert.equal(fieldOf(() => buildIpsQrPayload({ ...NBS_ORDER, purpose: 'z'.repeat(36) })), 'purpose/S');
  assert.equal(fieldOf(() => buildIpsQrPayload({ ...NBS_ORDER, purpose: 'two\nlines' })), 'purpose/S');
  assert.equal(fieldOf(() => buildIpsQrPayload({ ...NBS_ORDER, reference: { model: '97', number: '173220000111111111000' } })), 'reference/RO');
  assert.equal(fieldOf(() => buildIpsQrPayload({ ...NBS_ORDER, reference: { model: '9', number: '1' } })), 'reference/RO');
  assert.equal(fieldOf(() => buildIpsQrPayload({ ...NBS_ORDER, reference: { model: '00', number: '12|3' } })), 'reference/RO');
  assert.equal(fieldOf(() => buildIpsQrPayload({ ...NBS_ORDER, amount: '12,345' })), 'amount/I');
});

test('IPS QR: model 97 is written without dashes; other models as given; no model is 00', () => {
  assert.ok(buildIpsQrPayload({ ...NBS_ORDER, reference: { model: '97', number: '16-3220000-111111111000' } }).endsWith('|RO:97163220000111111111000'));
  assert.ok(buildIpsQrPayload({ ...NBS_ORDER, reference: { model: '', number: '1234' } }).endsWith('|RO:001234'));
  // The NBS recommendations' example of a reference under no model: 1234 → 001234.
  assert.ok(buildIpsQrPayload({ ...NBS_ORDER, reference: { model: '11', number: '800515599052-20060-1' } }).endsWith('|RO:11800515599052-20060-1'));
});

test('IPS QR: the reader refuses malformed texts, naming the field', () => {
  const cases: [string, string][] = [
    ['', 'payload/'],
    ['|' + NBS_EXAMPLE, 'payload/'],
    [NBS_EXAMPLE + '|', 'payload/'],
    [NBS_EXAMPLE.replace('K:PR', 'K:PT'), 'payload/K'],
    [NBS_EXAMPLE.replace('V:01', 'V:02'), 'payload/V'],
    [NBS_EXAMPLE.replace('|S:UPLATA', '|X:UPLATA'), 'payload/X'],
    [NBS_EXAMPLE.replace('|S:UPLATA PO RAČUNU ZA EL. ENERGIJU', '|S:'), 'payload/S'],
    [NBS_EXAMPLE.replace('|SF:189', '') + '|SF:189', 'payload/SF'],
    [NBS_EXAMPLE.replace('|SF:189', ''), 'paymentCode/SF'],
    [NBS_EXAMPLE.replace('R:845000000040484987', 'R:845000000040484988'), 'account/R'],
    [NBS_EXAMPLE.replace('R:845000000040484987', 'R:845-0000000404849-87'), 'account/R'],
    [NBS_EXAMPLE.replace('RSD3596,13', 'RSD3596.13'), 'amount/I'],
    [NBS_EXAMPLE.replace('RSD3596,13', 'EUR3596,13'), 'amount/I'],
    [NBS_EXAMPLE.replace('RO:9716', 'RO:9717'), 'reference/RO'],
  ];
  for (const [payload, where] of cases) assert.equal(fieldOf(() => parseIpsQrPayload(payload)), where, JSON.stringify(payload.slice(-40)));
  // The specification lets a printed bill show a zero amount and leave decimals out (RSD1025,).
  assert.equal(parseIpsQrPayload(NBS_EXAMPLE.replace('RSD3596,13', 'RSD1025,')).amount, '1025.00');
});
