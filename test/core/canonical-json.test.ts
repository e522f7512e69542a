import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, canonicalBytes, type JsonValue } from '../../components/core/canonical-json.ts';
import { canonicalSha256Hex } from '../../components/core/digest.ts';
import { toBase64Url, fromBase64Url, toHex } from '../../components/core/encoding.ts';

// Test vectors from RFC 8785, sections 3.2.2 and 3.2.3.
test('RFC 8785 §3.2.2: values, numbers and string escapes', () => {
  const input = JSON.parse(
    '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
  ) as JsonValue;
  assert.equal(
    canonicalJson(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
});

test('RFC 8785 §3.2.3: properties sorted by UTF-16 code units', () => {
  const input = JSON.parse(
    '{"€":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
  ) as Record<string, string>;
  // Read the order off the string: Object.keys would put the integer-like key "1" first.
  const out = canonicalJson(input);
  const order = Object.values(input).sort((x, y) => out.indexOf(`"${x}"`) - out.indexOf(`"${y}"`));
  assert.deepEqual(order, [
    'Carriage Return', 'One', 'Control', 'Latin Small Letter O With Diaeresis', 'Euro Sign', 'Emoji: Grinning Face', 'Hebrew Letter Dalet With Dagesh',
  ]);
});

test('nested objects and arrays; key order of the input does not matter', async () => {
  const a = { b: [3, { z: 1, a: 'x' }], a: { d: null, c: true } };
  const b = { a: { c: true, d: null }, b: [3, { a: 'x', z: 1 }] };
  assert.equal(canonicalJson(a), '{"a":{"c":true,"d":null},"b":[3,{"a":"x","z":1}]}');
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.equal(await canonicalSha256Hex(a), await canonicalSha256Hex(b));
  assert.equal(new TextDecoder().decode(canonicalBytes({ ć: 'Ђ' })), '{"ć":"Ђ"}');
});

test('values JSON cannot hold are refused', () => {
  assert.throws(() => canonicalJson(Number.NaN as unknown as JsonValue));
  assert.throws(() => canonicalJson(Number.POSITIVE_INFINITY as unknown as JsonValue));
});

test('base64url and hex', () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.equal(toBase64Url(bytes), Buffer.from(bytes).toString('base64url'));
  assert.deepEqual(fromBase64Url(toBase64Url(bytes)), bytes);
  assert.equal(toHex(Uint8Array.of(0, 15, 255)), '000fff');
  assert.throws(() => fromBase64Url('a+b/'), /base64url/);
});
