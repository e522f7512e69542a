/**
 * A small seeded generator for property tests and fuzzing (no dependency: fast-check is not
 * installed). Every run with the same seed makes the same values; a failing property reports
 * its seed and case so that `PROPERTY_SEED=<seed>` reproduces it.
 */

/** sfc32: small, fast, and good enough for test data (passes PractRand to 2^40+). */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** [0, 1) */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Fisher–Yates, on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** A finite double: small integers, edge values, or any bit pattern that is finite. */
  number(): number {
    switch (this.int(0, 5)) {
      case 0:
        return this.int(-1000, 1000);
      case 1:
        return this.pick(EDGE_NUMBERS);
      case 2:
        return (this.next() - 0.5) * 10 ** this.int(-30, 30);
      case 3:
        return this.int(-(2 ** 31), 2 ** 31) * 2 ** this.int(0, 40);
      default: {
        const view = new DataView(new ArrayBuffer(8));
        for (;;) {
          view.setUint32(0, this.uint32());
          view.setUint32(4, this.uint32());
          const n = view.getFloat64(0);
          if (Number.isFinite(n)) return n;
        }
      }
    }
  }

  /** A string mixing ASCII, edge characters (controls, bidi marks, NUL, emoji, combining marks) and any code point. */
  string(options: { maxLength?: number; loneSurrogates?: boolean } = {}): string {
    const max = options.maxLength ?? 20;
    const length = this.bool(0.1) ? 0 : this.int(1, max);
    let out = '';
    while (out.length < length) {
      switch (this.int(0, 4)) {
        case 0:
          out += String.fromCharCode(this.int(0x20, 0x7e));
          break;
        case 1:
          out += this.pick(EDGE_STRINGS);
          break;
        case 2:
          out += String.fromCodePoint(this.int(0, 0x2ff));
          break;
        case 3: {
          // Any code point but the surrogate range (a pair is made for the astral ones).
          const cp = this.int(0, 0x10ffff);
          out += cp >= 0xd800 && cp <= 0xdfff ? 'x' : String.fromCodePoint(cp);
          break;
        }
        default:
          out += options.loneSurrogates && this.bool(0.3) ? String.fromCharCode(this.int(0xd800, 0xdfff)) : this.pick(['a', 'Ђ', 'ć', '😀']);
      }
    }
    return out;
  }

  /** Any JSON value (as JSON.parse could return it), at most `depth` levels deep. */
  json(depth = 4, options: { loneSurrogates?: boolean; maxItems?: number } = {}): JsonLike {
    const maxItems = options.maxItems ?? 6;
    const kind = depth <= 0 ? this.int(0, 3) : this.int(0, 5);
    switch (kind) {
      case 0:
        return this.pick([null, true, false]);
      case 1:
        return this.number();
      case 2:
      case 3:
        return this.string(options);
      case 4:
        return Array.from({ length: this.int(0, maxItems) }, () => this.json(depth - 1, options));
      default: {
        const o: { [key: string]: JsonLike } = {};
        const n = this.int(0, maxItems);
        for (let i = 0; i < n; i++) o[this.bool(0.2) ? this.pick(EDGE_KEYS) : this.string({ ...options, maxLength: 8 })] = this.json(depth - 1, options);
        return o;
      }
    }
  }
}

export type JsonLike = null | boolean | number | string | JsonLike[] | { [key: string]: JsonLike };

export const EDGE_NUMBERS: readonly number[] = [
  0, -0, 1, -1, 0.1, 1e21, 1e-7, 1e-6, 1e20, 123456789012345680000, 9007199254740991, 9007199254740992, -9007199254740993,
  Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2250738585072014e-308, 333333333.3333333, 4.35, 0.000001, 1.5e300,
];

export const EDGE_STRINGS: readonly string[] = [
  '', ' ', '\u0000', '\u0007', '\b', '\t', '\n', '\r', '\u001f', '\u007f', '\u0080', '\u0085', '\u00a0', '\u00ad',
  '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069',
  '\u2028', '\u2029', '\ufeff', '\ufffd', '\uffff', '\ufb33', '😀', '👩‍👩‍👧', '🇷🇸', 'e\u0301', 'Ђурђевак', 'ćčžšđ', 'אבג', 'العربية', 'İı', 'ß',
  '"', '\\', '/', '\'', '<script>alert(1)</script>', "'; drop table users; --", '../../etc/passwd', '%00', '${x}', '{{x}}', '__proto__',
];

export const EDGE_KEYS: readonly string[] = ['', '__proto__', 'constructor', 'prototype', 'toString', '1', '01', '-1', '€', '\u0000', '😀', 'a'.repeat(300)];

/** JSON equality as JSON sees it: -0 and 0 are the same number, key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The seed for this run: PROPERTY_SEED, else a fixed one (reproducible CI), printed by forAll. */
export function propertySeed(): number {
  const env = process.env.PROPERTY_SEED;
  return env === undefined ? 0x5eed0e4a : Number(env) >>> 0;
}

/**
 * Checks `property` on `runs` generated cases. On a failure, throws with the seed, the case
 * number and the value (cut short), so the case can be replayed.
 */
export function forAll<T>(
  name: string,
  runs: number,
  generate: (random: Random) => T,
  property: (value: T) => void,
  seed = propertySeed(),
): void {
  const random = new Random(seed);
  for (let i = 0; i < runs; i++) {
    const value = generate(random);
    try {
      property(value);
    } catch (err) {
      let shown: string;
      try {
        shown = JSON.stringify(value);
      } catch {
        shown = String(value);
      }
      if (shown !== undefined && shown.length > 2000) shown = `${shown.slice(0, 2000)}…`;
      const e = new Error(`property "${name}" failed on case ${i} (PROPERTY_SEED=${seed}): ${(err as Error).message}\nvalue: ${shown}`);
      e.cause = err;
      throw e;
    }
  }
}
