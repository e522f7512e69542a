/**
 * The fonts of issued documents: DejaVu Sans and DejaVu Sans Bold (server/documents/fonts/,
 * Bitstream Vera licence), embedded as fontkit subsets — TrueType (CIDFontType2, Identity-H)
 * with a ToUnicode map, so text is copied and extracted as written, in both Serbian scripts.
 *
 * Subsetting a font for every document cost more than everything else in issuance together
 * (docs/benchmarks.md), so each face has a base subset, built once per process, compressed,
 * and embedded byte for byte in every document: for the regular face (which sets the
 * applicants' answers) Serbian Latin and Cyrillic, the other Latin letters of Serbia's minority
 * languages (Latin-1, Latin Extended-A, ș ț), the rest of basic Cyrillic and the common
 * punctuation; for the bold face (headings, names) Serbian Latin and Cyrillic. A document with
 * a character outside its base gets the base plus its own extra characters (kept for the next
 * document with exactly those extras) — never characters from other documents, so a font
 * tells nothing about anybody else's text. Text is not shaped: Serbian needs no ligatures or
 * contextual forms in DejaVu Sans, and unshaped text extracts exactly.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';

type FontkitFont = ReturnType<typeof fontkit.create>;
type Glyph = ReturnType<FontkitFont['glyphForCodePoint']>;

const FONTS_DIR = new URL('./fonts/', import.meta.url);

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const SERBIAN: readonly number[] = [
  ...range(0x20, 0x7e), // ASCII
  0xa0, 0xa7, 0xab, 0xb0, 0xbb, // no-break space § « ° »
  0x106, 0x107, 0x10c, 0x10d, 0x110, 0x111, 0x160, 0x161, 0x17d, 0x17e, // Ć ć Č č Đ đ Š š Ž ž
  0x402, ...range(0x408, 0x40b), 0x40f, ...range(0x410, 0x44f), 0x452, ...range(0x458, 0x45b), 0x45f, // Serbian Cyrillic
  0x2013, 0x2014, 0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2022, 0x2026, 0x2116, // – — ‘ ’ ‚ “ ” „ • … №
  0xfffd, // � drawn for a character the font lacks (PDF/A: text never shows .notdef)
];

/** The regular face's base: Serbian, the Latin letters of the minority languages, basic Cyrillic, punctuation. */
const WIDE: readonly number[] = sortedUnique([
  ...SERBIAN,
  ...range(0xa0, 0x17f), // Latin-1 Supplement, Latin Extended-A (Hungarian, Slovak, Romanian, Albanian…)
  ...range(0x218, 0x21b), // Ș ș Ț ț
  ...range(0x400, 0x45f), 0x490, 0x491, // Cyrillic: Rusyn, Ukrainian, Russian, Macedonian, Bulgarian
  ...range(0x2010, 0x2014), 0x2020, 0x2021, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122, 0x2212,
]);

/** Subsets for documents with characters beyond the base, by their extra characters. */
const EXTRA_CACHE = 32;

/** A subset, ready to embed: compressed font program and ToUnicode map, widths, metrics. */
export interface SubsetFont {
  /** `ABCDEF+DejaVuSans`: a tag naming this subset, then the PostScript name. */
  baseFont: string;
  /** Deflated TrueType subset, and its length before compression (/Length1). */
  fontFile: Uint8Array;
  fontFileLength: number;
  /** Deflated ToUnicode CMap. */
  toUnicode: Uint8Array;
  /** Advance widths by glyph id (CID), in 1/1000 em. */
  widths: number[];
  descriptor: { flags: number; bbox: [number, number, number, number]; italicAngle: number; ascent: number; descent: number; capHeight: number; xHeight: number };
  /** Code point → glyph id in this subset. */
  gids: Map<number, number>;
}

function sortedUnique(list: Iterable<number>): number[] {
  return [...new Set(list)].sort((a, b) => a - b);
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

function utf16Hex(cp: number): string {
  if (cp < 0x10000) return hex4(cp);
  const v = cp - 0x10000;
  return hex4(0xd800 + (v >> 10)) + hex4(0xdc00 + (v & 0x3ff));
}

/** The ToUnicode CMap (bfchar blocks of at most 100, as the CMap format wants). */
function toUnicodeCmap(entries: [number, number][]): string {
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    blocks.push(`${chunk.length} beginbfchar\n${chunk.map(([gid, cp]) => `<${hex4(gid)}> <${utf16Hex(cp)}>`).join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin', '12 dict begin', 'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def', '/CMapType 2 def',
    '1 begincodespacerange', '<0000> <FFFF>', 'endcodespacerange',
    ...blocks,
    'endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end',
  ].join('\n');
}

async function encodeSubset(subset: ReturnType<FontkitFont['createSubset']>): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    const stream = subset.encodeStream() as unknown as NodeJS.EventEmitter;
    stream.on('data', (b: Uint8Array) => parts.push(b));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
}

/** Builds a subset of `font` with these characters (and .notdef). */
async function buildSubset(font: FontkitFont, codePoints: readonly number[]): Promise<SubsetFont> {
  const subset = font.createSubset();
  const gids = new Map<number, number>();
  const widthsById = new Map<number, number>([[0, 0]]);
  const unicode: [number, number][] = [];
  const scale = 1000 / font.unitsPerEm;
  for (const cp of codePoints) {
    const glyph: Glyph = font.glyphForCodePoint(cp);
    if (glyph.id === 0) continue; // not in the font: drawn as nothing (gid 0)
    const gid = subset.includeGlyph(glyph);
    gids.set(cp, gid);
    if (!widthsById.has(gid)) {
      widthsById.set(gid, Math.round(glyph.advanceWidth * scale));
      unicode.push([gid, cp]);
    }
  }
  const program = await encodeSubset(subset);
  const widths = Array.from({ length: Math.max(...widthsById.keys()) + 1 }, (_, i) => widthsById.get(i) ?? 0);
  const tag = [...createHash('sha256').update(program).digest().subarray(0, 6)].map((b) => String.fromCharCode(65 + (b % 26))).join('');
  const familyClass = (font['OS/2'] as { sFamilyClass?: number } | undefined)?.sFamilyClass ?? 0;
  // PDF 32000 9.8.2: Symbolic (it has glyphs outside the standard Latin set), Serif, Italic, FixedPitch.
  const flags = (font.post.isFixedPitch ? 1 : 0) | (familyClass >= 1 && familyClass <= 7 ? 2 : 0) | 4 | (font.italicAngle !== 0 ? 64 : 0);
  const { minX, minY, maxX, maxY } = font.bbox;
  const s = (v: number) => Math.round(v * scale);
  return {
    baseFont: `${tag}+${font.postscriptName}`,
    fontFile: deflateSync(program, { level: 9 }),
    fontFileLength: program.length,
    toUnicode: deflateSync(toUnicodeCmap(unicode), { level: 9 }),
    widths,
    descriptor: {
      flags, bbox: [s(minX), s(minY), s(maxX), s(maxY)], italicAngle: font.italicAngle,
      ascent: s(font.ascent), descent: s(font.descent), capHeight: s(font.capHeight || font.ascent), xHeight: s(font.xHeight || 0),
    },
    gids,
  };
}

/** One face (regular or bold): the parsed font, its base subset, subsets with extras. */
export class Face {
  private baseSubset: Promise<SubsetFont> | undefined;
  private readonly extras = new Map<string, Promise<SubsetFont>>();
  private font: FontkitFont | undefined;

  constructor(
    readonly file: string,
    /** The resource name in page dictionaries. */
    readonly resource: string,
    readonly base: readonly number[],
  ) {}

  private parsed(): FontkitFont {
    this.font ??= fontkit.create(readFileSync(new URL(this.file, FONTS_DIR)));
    return this.font;
  }

  /** A subset with every character in `codePoints` that the font has. */
  async subsetFor(codePoints: ReadonlySet<number>): Promise<SubsetFont> {
    this.baseSubset ??= buildSubset(this.parsed(), this.base);
    const base = await this.baseSubset;
    const font = this.parsed();
    const missing = sortedUnique([...codePoints].filter((cp) => !base.gids.has(cp) && font.hasGlyphForCodePoint(cp)));
    if (missing.length === 0) return base;
    const key = missing.join(',');
    let subset = this.extras.get(key);
    if (subset === undefined) {
      subset = buildSubset(font, sortedUnique([...this.base, ...missing]));
      if (this.extras.size >= EXTRA_CACHE) this.extras.delete(this.extras.keys().next().value!);
      subset.catch(() => this.extras.delete(key));
    }
    this.extras.delete(key);
    this.extras.set(key, subset);
    return subset;
  }
}

export const FACES = {
  regular: new Face('DejaVuSans.ttf', 'F1', WIDE),
  bold: new Face('DejaVuSans-Bold.ttf', 'F2', SERBIAN),
};

const glyphTables = new WeakMap<SubsetFont, Map<number, { hex: string; width: number }>>();

/** Code point → glyph id as 4 hex digits and advance width: what setting text needs, per subset. */
function glyphTable(subset: SubsetFont): Map<number, { hex: string; width: number }> {
  let table = glyphTables.get(subset);
  if (!table) {
    table = new Map([...subset.gids].map(([cp, gid]) => [cp, { hex: hex4(gid), width: subset.widths[gid] ?? 0 }]));
    glyphTables.set(subset, table);
  }
  return table;
}


/** Text set in one subset: width for wrapping, glyph ids for the content stream. */
export class SetFont {
  private readonly table: Map<number, { hex: string; width: number }>;

  constructor(
    readonly face: Face,
    readonly subset: SubsetFont,
  ) {
    this.table = glyphTable(subset);
  }

  /**
   * The glyph of a character: a character the font lacks is drawn as U+FFFD (in every base
   * subset), never as glyph 0 — PDF/A (ISO 19005-2/3 6.2.11.8) forbids showing .notdef.
   */
  private glyph(cp: number): { hex: string; width: number } | undefined {
    return this.table.get(cp) ?? this.table.get(0xfffd);
  }

  /** Width of `text` at `size` pt. */
  width(text: string, size: number): number {
    let w = 0;
    for (const ch of text) w += this.glyph(ch.codePointAt(0)!)?.width ?? 0;
    return (w * size) / 1000;
  }

  /** `text` as a hex string of 2-byte glyph ids (Identity-H). */
  hex(text: string): string {
    const parts: string[] = [];
    for (const ch of text) {
      const g = this.glyph(ch.codePointAt(0)!);
      if (g) parts.push(g.hex);
    }
    return parts.join('');
  }
}
