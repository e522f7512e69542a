/**
 * Property tests of the payment building blocks, fed by the seeded generator in
 * test/helpers/random.ts (PROPERTY_SEED=<n> replays a run; PROPERTY_RUNS scales it):
 * whatever the builder accepts, the reader reads back to the same fields; model 97 catches
 * every single wrong digit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IpsQrError, buildIpsQrPayload, formatIpsAmount, normalizeAccount, parseIpsQrPayload, type IpsPaymentOrder } from '../../components/core/payments/ips-qr.ts';
import { isValidModel97Reference, model97ControlDigits, model97FromTrackingNumber } from '../../components/core/payments/model97.ts';
import { forAll, type Random } from '../helpers/random.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1500);

const digits = (r: Random, n: number): string => Array.from({ length: n }, () => String(r.int(0, 9))).join('');

function account(r: Random): string {
  const bank = digits(r, 3);
  const middle = digits(r, r.int(1, 13));
  const base = bank + middle.padStart(13, '0');
  let control = String(98 - Number(BigInt(base + '00') % 97n)).padStart(2, '0');
  if (r.bool(0.1)) control = String((Number(control) + 1) % 100).padStart(2, '0');
  return r.bool() ? `${bank}-${middle}-${control}` : base + control;
}

const NAMES = ['JP EPS BEOGRAD', 'Градска управа', 'Čigra doo', 'Petar Petrović', 'Кнеза Милоша 12', '11000 Beograd'];

function text(r: Random, max: number): string {
  return r.bool(0.6) ? r.pick(NAMES) : r.string({ maxLength: max });
}

function order(r: Random): IpsPaymentOrder {
  const o: IpsPaymentOrder = {
    account: account(r),
    payee: r.bool() ? Array.from({ length: r.int(0, 3) }, () => text(r, 40)) : text(r, 80),
    amount: r.bool() ? r.int(0, 10_000_000) / 100 : r.bool() ? `${String(r.int(0, 99999))},${digits(r, r.int(0, 2))}` : r.string({ maxLength: 8 }),
    paymentCode: r.bool(0.9) ? digits(r, 3) : r.string({ maxLength: 4 }),
  };
  if (r.bool()) o.payer = r.bool() ? [text(r, 30), text(r, 30)] : text(r, 80);
  if (r.bool()) o.purpose = text(r, 40);
  if (r.bool()) {
    const body = digits(r, r.int(1, 19));
    o.reference = r.bool(0.7)
      ? { model: '97', number: (r.bool(0.9) ? model97ControlDigits(body) : digits(r, 2)) + body }
      : { model: r.pick(['', '00', '11']), number: r.bool() ? body : r.string({ maxLength: 12 }) };
  }
  return o;
}

const lines = (v: string | readonly string[]): string[] =>
  (typeof v === 'string' ? v.split(/\r?\n/) : [...v]).map((l) => l.trim()).filter((l) => l !== '');

test('IPS QR: whatever the builder accepts reads back to the same fields; what it refuses names a field', () => {
  let built = 0;
  forAll('ips round trip', RUNS, order, (o) => {
    let payload: string;
    try {
      payload = buildIpsQrPayload(o);
    } catch (e) {
      assert.ok(e instanceof IpsQrError, `not an IpsQrError: ${String(e)}`);
      assert.notEqual(e.field, 'payload');
      return;
    }
    built++;
    assert.ok(!payload.includes('||') && !payload.endsWith('|') && payload.startsWith('K:PR|V:01|C:1|R:'));
    const read = parseIpsQrPayload(payload);
    assert.equal(read.account, normalizeAccount(o.account));
    assert.deepEqual(read.payee, lines(o.payee));
    assert.equal(read.amount, formatIpsAmount(o.amount).replace(',', '.'));
    assert.equal(read.paymentCode, o.paymentCode);
    assert.deepEqual(read.payer, o.payer === undefined || lines(o.payer).length === 0 ? undefined : lines(o.payer));
    assert.equal(read.purpose, o.purpose === undefined || o.purpose.trim() === '' ? undefined : o.purpose.trim());
    if (o.reference) assert.equal(read.reference!.model + read.reference!.number, (o.reference.model || '00') + o.reference.number.trim());
    else assert.equal(read.reference, undefined);
  });
  assert.ok(built > RUNS / 6, `only ${String(built)} of ${String(RUNS)} orders were built: the generator is too hostile to test the round trip`);
});

test('model 97: every single wrong digit of a reference from a tracking number is caught', () => {
  const ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
  forAll('model 97 single errors', Math.ceil(RUNS / 10), (r) => `${r.pick(['GU', 'RGZ', 'A'])}-${String(r.int(2020, 2099))}-${Array.from({ length: 6 }, () => r.pick([...ALPHABET])).join('')}`, (tracking) => {
    let ref: string;
    try {
      ref = model97FromTrackingNumber(tracking);
    } catch (e) {
      assert.ok(e instanceof RangeError && /at most 22/.test(e.message), String(e));
      assert.ok(tracking.startsWith('RGZ'), 'only a three-letter prefix is too long');
      return;
    }
    assert.ok(isValidModel97Reference(ref), ref);
    for (let i = 0; i < ref.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === ref[i]) continue;
        const wrong = ref.slice(0, i) + String(d) + ref.slice(i + 1);
        assert.ok(!isValidModel97Reference(wrong), `${wrong} (from ${ref}) passed`);
      }
    }
  });
});
