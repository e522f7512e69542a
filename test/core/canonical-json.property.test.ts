/**
 * Property tests of RFC 8785 canonical JSON, over values made by the seeded generator in
 * test/helpers/random.ts (PROPERTY_SEED=<n> replays a run; PROPERTY_RUNS scales it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, type JsonValue } from '../../components/core/canonical-json.ts';
import { canonicalSha256Hex } from '../../components/core/digest.ts';
import { forAll, jsonEqual, Random, propertySeed, type JsonLike } from '../helpers/random.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 2000);
const json = (r: Random) => r.json(r.int(0, 5)) as JsonValue;

/** The same value with the keys of every object in another order. */
function reorder(r: Random, v: JsonLike): JsonLike {
  if (Array.isArray(v)) return v.map((x) => reorder(r, x));
  if (v === null || typeof v !== 'object') return v;
  const out: { [key: string]: JsonLike } = {};
  for (const k of r.shuffle(Object.keys(v))) out[k] = reorder(r, v[k]!);
  return out;
}

/**
 * RFC 8785 written out plainly, to compare against: ECMAScript number and string serialisation
 * (JSON.stringify: well-formed, so it escapes only what the RFC escapes), object members sorted
 * by their names' UTF-16 code units, no whitespace.
 */
function reference(v: JsonLike): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(reference).join(',')}]`;
  const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(v[k]!)}`).join(',')}}`;
}

/** A value that may differ from `v` somewhere (or may not). */
function mutate(r: Random, v: JsonLike): JsonLike {
  if (r.bool(0.3)) return r.json(1);
  if (Array.isArray(v)) {
    if (v.length === 0) return [r.json(0)];
    const i = r.int(0, v.length - 1);
    return v.map((x, j) => (j === i ? mutate(r, x) : x));
  }
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 0 || r.bool(0.2)) return { ...v, [r.string({ maxLength: 4 })]: r.json(0) };
    const k = r.pick(keys);
    return { ...v, [k]: mutate(r, v[k]!) };
  }
  return r.json(0);
}

test('round trip: JSON.parse(canonical(x)) equals x (as JSON sees it: -0 is 0)', () => {
  forAll('round trip', RUNS, json, (x) => {
    assert.ok(jsonEqual(JSON.parse(canonicalJson(x)), x));
  });
});

test('idempotent: canonicalising the canonical form changes nothing', () => {
  forAll('idempotent', RUNS, json, (x) => {
    const once = canonicalJson(x);
    assert.equal(canonicalJson(JSON.parse(once) as JsonValue), once);
  });
});

test('key order does not matter, at any depth', () => {
  const r = new Random(propertySeed() ^ 0x1234);
  forAll('key order', RUNS, json, (x) => {
    assert.equal(canonicalJson(reorder(r, x) as JsonValue), canonicalJson(x));
  });
});

test('agrees with RFC 8785 written out plainly (sorting by UTF-16 code units, ECMAScript numbers)', () => {
  forAll('reference', RUNS, json, (x) => {
    assert.equal(canonicalJson(x), reference(x));
  });
});

test('one value, one form: canonical forms are equal exactly when the values are', () => {
  forAll(
    'injective',
    RUNS,
    (r) => {
      const x = json(r);
      return { x, y: r.bool(0.3) ? reorder(r, x) : mutate(r, x) };
    },
    ({ x, y }) => {
      assert.equal(canonicalJson(x) === canonicalJson(y as JsonValue), jsonEqual(x, y));
    },
  );
});

test('numbers: the shortest form that reads back as the same double', () => {
  forAll('numbers', RUNS * 5, (r) => r.number(), (n) => {
    const text = canonicalJson(n);
    assert.equal(Number(text), n === 0 ? 0 : n);
    assert.equal(text, Object.is(n, -0) ? '0' : String(n));
    assert.doesNotMatch(text, /^-0$|\+?Infinity|NaN/);
  });
});

test('lone surrogates, in a string or in a key, are refused; paired ones are kept', () => {
  forAll(
    'lone surrogates',
    RUNS,
    (r) => {
      const lone = String.fromCharCode(r.int(0xd800, 0xdfff));
      const s = r.string({ maxLength: 5 }) + lone + (r.bool() ? 'x' : '');
      return r.bool() ? { k: s } : { [s]: 1 };
    },
    (v) => {
      // A high surrogate followed by a low one would be a pair: the generator never puts them together.
      assert.throws(() => canonicalJson(v as JsonValue));
    },
  );
  assert.equal(canonicalJson('😀'), '"😀"');
});

test('unicode text is kept as it is: no normalisation, only the escapes JSON needs', () => {
  forAll('unicode', RUNS, (r) => r.string({ maxLength: 30 }), (s) => {
    const out = canonicalJson(s);
    assert.equal(JSON.parse(out), s);
    // Only control characters, quote and backslash are escaped (RFC 8785 §3.2.2.2).
    const inner = out.slice(1, -1).replace(/\\(?:["\\/bfnrt]|u[0-9a-f]{4})/g, '');
    assert.doesNotMatch(inner, /[\u0000-\u001f"\\]/);
  });
});

test('digests follow: the same value in any key order has one digest', async () => {
  const r = new Random(propertySeed());
  for (let i = 0; i < 200; i++) {
    const x = json(r);
    assert.equal(await canonicalSha256Hex(reorder(r, x) as JsonValue), await canonicalSha256Hex(x), `case ${i} (PROPERTY_SEED=${propertySeed()})`);
  }
});
