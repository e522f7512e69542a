/**
 * The `/ByteRange` scan of the PDF signature finder (components/core/pdf/parse.ts) reads the
 * byte pair at every eighth position only: it must still find every occurrence, in file
 * order, wherever it lies (first and last bytes, either alignment) and whatever surrounds it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyHits, keyHitsInSlices } from '../../components/core/pdf/parse.ts';
import { Random } from '../helpers/random.ts';

const KEY = '/ByteRange';

/** The plain definition: every `/ByteRange` followed by white-space, a delimiter it allows, or the end. */
function reference(bytes: Uint8Array): number[] {
  const text = Buffer.from(bytes).toString('latin1');
  const out: number[] = [];
  for (let i = text.indexOf(KEY); i >= 0; i = text.indexOf(KEY, i + 1)) {
    const after = bytes[i + KEY.length];
    if (after === undefined || [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x5b, 0x2f, 0x3c, 0x28].includes(after)) out.push(i);
  }
  return out;
}

test('keyHits finds every /ByteRange, in file order (seeded random files, keys planted anywhere)', () => {
  const seed = Number(process.env.PROPERTY_SEED ?? 7);
  const rnd = new Random(seed);
  // Mostly the key's own letters, so that near misses and overlaps are common.
  const alphabet = Buffer.from('/ByteRange [<( \n/BytRangeeeR0');
  for (let n = 0; n < 400; n++) {
    const size = 1 + (rnd.uint32() % 300);
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = rnd.uint32() % 4 === 0 ? rnd.uint32() & 0xff : alphabet[rnd.uint32() % alphabet.length]!;
    const planted = rnd.uint32() % 6;
    for (let k = 0; k < planted && size >= KEY.length; k++) {
      const at = k === 0 ? 0 : k === 1 ? size - KEY.length : rnd.uint32() % (size - KEY.length + 1);
      bytes.set(Buffer.from(KEY), at);
    }
    const expected = reference(bytes);
    assert.deepEqual(keyHits(bytes, 1000), expected, `seed ${seed}, case ${n}: ${Buffer.from(bytes).toString('latin1')}`);
    // The same bytes at an odd offset in their buffer (read a byte at a time, not in 16-bit words).
    const odd = new Uint8Array(size + 1).subarray(1);
    odd.set(bytes);
    assert.deepEqual(keyHits(odd, 1000), expected, `seed ${seed}, case ${n}, odd offset`);
    if (expected.length > 1) assert.deepEqual(keyHits(bytes, 1), expected.slice(0, 1), `seed ${seed}, case ${n}: the first only`);
  }
});

test('keyHits on a file of nothing but key letters and keys back to back', () => {
  const repeated = Buffer.from(`${KEY}${KEY} ${KEY}/${KEY}e`.repeat(50));
  assert.deepEqual(keyHits(repeated, 10_000), reference(repeated));
  const letters = Buffer.alloc(10_000, 'e');
  assert.deepEqual(keyHits(letters, 10), []);
  assert.deepEqual(keyHits(new Uint8Array(0), 10), []);
  assert.deepEqual(keyHits(Buffer.from(KEY), 10), [0]);
});

test('keyHitsInSlices (a turn for the host every 2 MiB) finds the same keys, those across a slice boundary included', async () => {
  const MiB = 1024 * 1024;
  const bytes = new Uint8Array(6 * MiB + 123).fill(0x20);
  // Ending at a boundary, across one (by 4 and by 9 bytes), starting right after one, at one, at the end.
  const at = [0, 20, 2 * MiB - 25, 2 * MiB - 4, 4 * MiB - 1, 4 * MiB + 9, 6 * MiB, 6 * MiB + 123 - KEY.length];
  for (const i of at) bytes.set(Buffer.from(KEY), i);
  const expected = keyHits(bytes, 1000);
  assert.deepEqual(expected, at);
  assert.deepEqual(expected, reference(bytes));
  assert.deepEqual(await keyHitsInSlices(bytes, 1000), expected);
  assert.deepEqual(await keyHitsInSlices(bytes, 3), expected.slice(0, 3));
  const odd = new Uint8Array(bytes.length + 1).subarray(1);
  odd.set(bytes);
  assert.deepEqual(await keyHitsInSlices(odd, 1000), expected);
});
