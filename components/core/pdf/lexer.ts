/**
 * A small PDF object parser (ISO 32000-1 §7.2–7.3): names, numbers, strings, arrays,
 * dictionaries, references and keywords, read at a given offset of the raw file bytes. It
 * keeps the byte positions that signature checking needs (where a dictionary starts and
 * ends, where each key and each string lies) and it is bounded: nesting depth, entries per
 * container and a work budget shared by every parse of one verification, so hostile input
 * costs no more than a limit, never a stack overflow or an endless loop.
 *
 * Streams are not read here (see reader.ts): this parser stops at the `stream` keyword.
 */

export class PdfName {
  constructor(readonly name: string) {}
}

/** A string object with its raw position: `start` is at `(` or `<`, `end` just after `)` or `>`. */
export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    readonly hex: boolean,
    readonly start: number,
    readonly end: number,
  ) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

/** A dictionary with its span (`start` at `<<`, `end` just after `>>`) and where each key was read. */
export class PdfDict {
  readonly map = new Map<string, PdfValue>();
  readonly keyAt = new Map<string, number>();
  /** Keys that appeared more than once (the first value is kept; the PDF is ambiguous there). */
  readonly duplicates: string[] = [];
  start = 0;
  end = 0;

  get(key: string): PdfValue | undefined {
    return this.map.get(key);
  }
}

export type PdfValue = number | boolean | null | PdfName | PdfString | PdfRef | PdfDict | PdfValue[];

/** The input is not well-formed PDF syntax where it was read. */
export class PdfSyntaxError extends Error {
  override name = 'PdfSyntaxError';
}

/** A work or size limit was reached: the input may be fine, but it was not read to the end. */
export class PdfLimitError extends Error {
  override name = 'PdfLimitError';
}

/**
 * Work left for one verification, in bytes looked at by the parser. Shared by every Lexer
 * of that verification, so many small parses cannot add up to unbounded work either.
 */
export class WorkBudget {
  constructor(public left: number) {}

  spend(n: number): void {
    this.left -= n;
    if (this.left < 0) throw new PdfLimitError('parser work budget exhausted');
  }
}

const MAX_DEPTH = 32;
const MAX_ENTRIES = 100_000;
const MAX_NUMBER_CHARS = 40;

/** Character classes by byte: 1 = white-space, 2 = delimiter, 0 = regular. */
const CLASS = new Uint8Array(256);
for (const b of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASS[b] = 1;
for (const c of '()<>[]{}/%') CLASS[c.charCodeAt(0)] = 2;

/** Hex digit values, or 255. */
const HEX = new Uint8Array(256).fill(255);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

export function isWhite(b: number | undefined): boolean {
  return b !== undefined && CLASS[b] === 1;
}

export function isHexDigit(b: number | undefined): boolean {
  return b !== undefined && HEX[b] !== 255;
}

/** True when `bytes` at `pos` spells `text` (ASCII). */
export function matchAt(bytes: Uint8Array, pos: number, text: string): boolean {
  if (pos < 0 || pos + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[pos + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Latin-1 text of a short byte range (names, keywords, numbers). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** Reads PDF objects from `bytes`, starting at `pos`, never past `end`. */
export class Lexer {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    pos: number,
    readonly end: number,
    readonly budget: WorkBudget,
  ) {
    this.pos = pos;
  }

  /** Skips white-space and comments. */
  skipWhite(): void {
    const { bytes, end } = this;
    let p = this.pos;
    for (;;) {
      while (p < end && CLASS[bytes[p]!] === 1) p++;
      if (p < end && bytes[p] === 0x25 /* % */) {
        while (p < end && bytes[p] !== 0x0a && bytes[p] !== 0x0d) p++;
        continue;
      }
      break;
    }
    this.budget.spend(p - this.pos);
    this.pos = p;
  }

  /** The run of regular characters at the current position (a keyword or number), without moving. */
  peekRegular(): string {
    let p = this.pos;
    while (p < this.end && p - this.pos < 64 && CLASS[this.bytes[p]!] === 0) p++;
    return latin1(this.bytes, this.pos, p);
  }

  /** Reads a keyword (a run of regular characters); throws when there is none. */
  keyword(): string {
    this.skipWhite();
    const word = this.peekRegular();
    if (word === '') throw new PdfSyntaxError(`keyword expected at ${this.pos}`);
    this.pos += word.length;
    this.budget.spend(word.length);
    return word;
  }

  /** Reads `N G obj` and returns N and G, or throws. */
  objectHeader(): { num: number; gen: number } {
    const num = this.integer();
    const gen = this.integer();
    if (this.keyword() !== 'obj') throw new PdfSyntaxError(`"obj" expected at ${this.pos}`);
    return { num, gen };
  }

  /** Reads a non-negative integer token, or throws. */
  integer(): number {
    this.skipWhite();
    const word = this.peekRegular();
    if (!/^\d{1,15}$/.test(word)) throw new PdfSyntaxError(`integer expected at ${this.pos}`);
    this.pos += word.length;
    this.budget.spend(word.length);
    return Number(word);
  }

  /** Reads one object. */
  value(depth = 0): PdfValue {
    if (depth > MAX_DEPTH) throw new PdfLimitError('objects nested too deeply');
    this.skipWhite();
    const { bytes } = this;
    if (this.pos >= this.end) throw new PdfSyntaxError('unexpected end of data');
    const c = bytes[this.pos]!;
    switch (c) {
      case 0x2f: // /
        return this.name();
      case 0x28: // (
        return this.literalString();
      case 0x3c: // <
        return bytes[this.pos + 1] === 0x3c ? this.dictionary(depth) : this.hexString();
      case 0x5b: // [
        return this.array(depth);
      default:
        break;
    }
    if (CLASS[c] === 2) throw new PdfSyntaxError(`unexpected "${String.fromCharCode(c)}" at ${this.pos}`);
    const start = this.pos;
    const word = this.peekRegular();
    this.pos += word.length;
    this.budget.spend(word.length);
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (word.length > MAX_NUMBER_CHARS || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
      throw new PdfSyntaxError(`unexpected "${word.slice(0, 20)}" at ${start}`);
    }
    const n = Number(word);
    if (!Number.isFinite(n)) throw new PdfSyntaxError(`bad number at ${start}`);
    // `num gen R` is a reference: look ahead two tokens, and step back if it is not one.
    if (/^\d{1,10}$/.test(word)) {
      const save = this.pos;
      this.skipWhite();
      const gen = this.peekRegular();
      if (/^\d{1,5}$/.test(gen)) {
        this.pos += gen.length;
        this.skipWhite();
        if (this.bytes[this.pos] === 0x52 /* R */ && (this.pos + 1 >= this.end || CLASS[this.bytes[this.pos + 1]!] !== 0)) {
          this.pos += 1;
          return new PdfRef(n, Number(gen));
        }
      }
      this.pos = save;
    }
    return n;
  }

  private name(): PdfName {
    const { bytes, end } = this;
    let p = this.pos + 1;
    let s = '';
    while (p < end && CLASS[bytes[p]!] === 0) {
      const b = bytes[p]!;
      if (b === 0x23 /* # */ && isHexDigit(bytes[p + 1]) && isHexDigit(bytes[p + 2])) {
        s += String.fromCharCode(HEX[bytes[p + 1]!]! * 16 + HEX[bytes[p + 2]!]!);
        p += 3;
      } else {
        s += String.fromCharCode(b);
        p++;
      }
      if (s.length > 127) throw new PdfLimitError('name too long');
    }
    this.budget.spend(p - this.pos);
    this.pos = p;
    return new PdfName(s);
  }

  private literalString(): PdfString {
    const { bytes, end } = this;
    const start = this.pos;
    const out: number[] = [];
    let p = start + 1;
    let nesting = 1;
    while (p < end) {
      const b = bytes[p]!;
      if (b === 0x5c /* \ */) {
        const n = bytes[p + 1];
        p += 2;
        switch (n) {
          case 0x6e: out.push(0x0a); break; // n
          case 0x72: out.push(0x0d); break; // r
          case 0x74: out.push(0x09); break; // t
          case 0x62: out.push(0x08); break; // b
          case 0x66: out.push(0x0c); break; // f
          case 0x0d: if (bytes[p] === 0x0a) p++; break; // line continuation
          case 0x0a: break;
          case undefined: break;
          default:
            if (n >= 0x30 && n <= 0x37) {
              let v = n - 0x30;
              for (let k = 0; k < 2 && bytes[p]! >= 0x30 && bytes[p]! <= 0x37; k++) v = v * 8 + (bytes[p++]! - 0x30);
              out.push(v & 0xff);
            } else {
              out.push(n);
            }
        }
        continue;
      }
      if (b === 0x28) nesting++;
      else if (b === 0x29 && --nesting === 0) {
        p++;
        this.budget.spend(p - start);
        this.pos = p;
        return new PdfString(Uint8Array.from(out), false, start, p);
      }
      if (b === 0x0d) {
        // An unescaped end of line reads as \n, whatever it was.
        out.push(0x0a);
        if (bytes[p + 1] === 0x0a) p++;
      } else {
        out.push(b);
      }
      p++;
    }
    throw new PdfSyntaxError(`unterminated string at ${start}`);
  }

  private hexString(): PdfString {
    const { bytes, end } = this;
    const start = this.pos;
    let p = start + 1;
    // Count first, so the output is allocated once (a signature's /Contents can be long).
    let digits = 0;
    while (p < end && bytes[p] !== 0x3e /* > */) {
      const b = bytes[p]!;
      if (HEX[b] !== 255) digits++;
      else if (CLASS[b] !== 1) throw new PdfSyntaxError(`bad character in hex string at ${p}`);
      p++;
    }
    if (p >= end) throw new PdfSyntaxError(`unterminated hex string at ${start}`);
    this.budget.spend(p - start);
    const out = new Uint8Array((digits + 1) >> 1);
    let k = 0;
    for (let i = start + 1; i < p; i++) {
      const v = HEX[bytes[i]!]!;
      if (v === 255) continue;
      if ((k & 1) === 0) out[k >> 1] = v << 4;
      else out[k >> 1]! |= v;
      k++;
    }
    this.pos = p + 1;
    return new PdfString(out, true, start, p + 1);
  }

  private array(depth: number): PdfValue[] {
    this.pos++;
    const out: PdfValue[] = [];
    for (;;) {
      this.skipWhite();
      if (this.pos >= this.end) throw new PdfSyntaxError('unterminated array');
      if (this.bytes[this.pos] === 0x5d /* ] */) {
        this.pos++;
        return out;
      }
      if (out.length >= MAX_ENTRIES) throw new PdfLimitError('array too long');
      out.push(this.value(depth + 1));
    }
  }

  /** Reads a dictionary at the current position (which must be `<<`). */
  dictionary(depth = 0): PdfDict {
    const dict = new PdfDict();
    dict.start = this.pos;
    if (this.bytes[this.pos] !== 0x3c || this.bytes[this.pos + 1] !== 0x3c) throw new PdfSyntaxError(`"<<" expected at ${this.pos}`);
    this.pos += 2;
    for (;;) {
      this.skipWhite();
      if (this.pos >= this.end) throw new PdfSyntaxError('unterminated dictionary');
      if (this.bytes[this.pos] === 0x3e && this.bytes[this.pos + 1] === 0x3e) {
        this.pos += 2;
        dict.end = this.pos;
        return dict;
      }
      if (this.bytes[this.pos] !== 0x2f) throw new PdfSyntaxError(`name expected as a dictionary key at ${this.pos}`);
      const keyAt = this.pos;
      const key = this.name().name;
      const value = this.value(depth + 1);
      if (dict.map.has(key)) {
        dict.duplicates.push(key);
        continue;
      }
      if (dict.map.size >= MAX_ENTRIES) throw new PdfLimitError('dictionary too large');
      dict.map.set(key, value);
      dict.keyAt.set(key, keyAt);
    }
  }
}

/** The text of a PDF text string (§7.9.2.2): UTF-16BE or UTF-8 with a BOM, else PDFDocEncoding (read as Latin-1). */
export function pdfText(value: PdfValue | undefined): string | undefined {
  if (!(value instanceof PdfString)) return undefined;
  const b = value.bytes;
  try {
    if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(b.subarray(2));
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(3));
  } catch {
    return undefined;
  }
  return latin1(b, 0, b.length);
}

/** A name's text, or undefined. */
export function nameOf(value: PdfValue | undefined): string | undefined {
  return value instanceof PdfName ? value.name : undefined;
}
