/**
 * Serbian Cyrillic ↔ Latin transliteration (the official 1:1 alphabet mapping),
 * so an agency writes a label once and gets the other script.
 *
 * Written by hand: the mapping is a fixed table of 30 letters, and the one subtle part
 * (Latin digraphs lj, nj, dž that map to a single Cyrillic letter) is a few lines;
 * no maintained library covers both directions with correct digraph casing.
 */

const CYR = 'абвгдђежзијклљмнњопрстћуфхцчџшАБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ';
const LAT = [
  'a', 'b', 'v', 'g', 'd', 'đ', 'e', 'ž', 'z', 'i', 'j', 'k', 'l', 'lj', 'm', 'n', 'nj', 'o', 'p',
  'r', 's', 't', 'ć', 'u', 'f', 'h', 'c', 'č', 'dž', 'š',
];

const toLatin = new Map<string, string>();
const toCyrillic = new Map<string, string>();
for (let i = 0; i < LAT.length; i++) {
  const lower = LAT[i]!;
  const upper = lower.charAt(0).toUpperCase() + lower.slice(1);
  toLatin.set(CYR[i]!, lower);
  toLatin.set(CYR[i + LAT.length]!, upper);
  toCyrillic.set(lower, CYR[i]!);
  toCyrillic.set(upper, CYR[i + LAT.length]!);
  // All-caps digraphs (LJ, NJ, DŽ) appear in headings and abbreviations.
  toCyrillic.set(lower.toUpperCase(), CYR[i + LAT.length]!);
}

const DIGRAPH = /^(lj|nj|dž)$/i;

const isLetter = (c: string) => c !== '' && /\p{L}/u.test(c);
const isUpper = (c: string) => isLetter(c) && c === c.toUpperCase() && c !== c.toLowerCase();

/** Cyrillic → Latin. Capital digraph letters become "Lj" before lower case, "LJ" in all-caps words. */
export function cyrillicToLatin(text: string): string {
  let out = '';
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const lat = toLatin.get(ch);
    if (lat === undefined) {
      out += ch;
      continue;
    }
    if (lat.length === 2 && lat !== lat.toLowerCase()) {
      // Љ, Њ, Џ: "LJ" inside an all-caps word ("ЉУБАВ" → "LJUBAV", "КОЊ" stays "KONJ"), else "Lj".
      const next = chars[i + 1] ?? '';
      const prev = chars[i - 1] ?? '';
      const allCaps = isLetter(next) ? isUpper(next) : isUpper(prev);
      out += allCaps ? lat.toUpperCase() : lat;
      continue;
    }
    out += lat;
  }
  return out;
}

/** Q, W, X and Y are not Serbian letters: a word with one is foreign ("WebP", "passkey", "DOCX"). */
const FOREIGN = /[qwxy]/i;

/**
 * International abbreviations of file formats and standards, which Serbian Cyrillic text
 * writes in Latin ("у PDF формату"); Serbian ones (JMBG, PIB, MUP) are transliterated.
 */
const LATIN_ABBREVIATIONS = new Set(['PDF', 'JPEG', 'JPG', 'PNG', 'GIF', 'TIFF', 'HEIC', 'QR', 'JSON', 'CSV', 'ZIP', 'ODT', 'TXT', 'SHA', 'URL', 'HTTP', 'HTTPS', 'PAdES', 'CMS']);

/** Where an environment variable's name (capitals and digits joined by `_`, e.g. OVERA_ORIGINS) starting at `i` ends, else `i`. */
function settingNameAt(chars: readonly string[], i: number): number {
  let end = i;
  while (end < chars.length && /^[A-Z0-9_]$/.test(chars[end]!)) end++;
  return /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(chars.slice(i, end).join('')) ? end : i;
}

/**
 * Latin → Cyrillic. "lj", "nj" and "dž" become one letter. A few words where the pair is
 * two letters (e.g. "nadživeti", "konjugacija") are listed as exceptions below. A foreign
 * word (one with q, w, x or y) and an international abbreviation (PDF, QR) stay in Latin
 * whole, as Serbian Cyrillic text writes them, rather than a mix of both scripts.
 */
export function latinToCyrillic(text: string): string {
  let out = '';
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    if (isLetter(chars[i]!) && (i === 0 || !isLetter(chars[i - 1]!))) {
      // A setting's name (OVERA_ORIGINS) is typed as written: it stays in Latin whole.
      const name = settingNameAt(chars, i);
      if (name > i) {
        out += chars.slice(i, name).join('');
        i = name - 1;
        continue;
      }
      let end = i;
      while (end < chars.length && isLetter(chars[end]!)) end++;
      const word = chars.slice(i, end).join('');
      if (FOREIGN.test(word) || LATIN_ABBREVIATIONS.has(word)) {
        out += word;
        i = end - 1;
        continue;
      }
    }
    const pair = chars[i]! + (chars[i + 1] ?? '');
    if (DIGRAPH.test(pair) && !splitsDigraph(chars, i)) {
      const cyr = toCyrillic.get(pair) ?? toCyrillic.get(pair.charAt(0).toUpperCase() + pair.charAt(1).toLowerCase());
      if (cyr !== undefined) {
        out += cyr;
        i++;
        continue;
      }
    }
    const ch = chars[i]!;
    out += toCyrillic.get(ch) ?? ch;
  }
  return out;
}

/**
 * Word stems where "dž" / "nj" spans a prefix boundary and stays two letters
 * (nad-živeti, od-živeti, in-jekcija, kon-jugacija), with the offset of that pair in the stem.
 */
const SPLIT_STEMS: ReadonlyArray<readonly [string, number]> = [
  ['nadživ', 2], ['odživ', 1], ['injekc', 1], ['konjug', 2], ['konjunk', 2], ['vanjezi', 2],
];

function splitsDigraph(chars: string[], at: number): boolean {
  let start = at;
  while (start > 0 && isLetter(chars[start - 1]!)) start--;
  let end = at;
  while (end < chars.length && isLetter(chars[end]!)) end++;
  const word = chars.slice(start, end).join('').toLowerCase();
  return SPLIT_STEMS.some(([stem, offset]) => {
    const idx = word.indexOf(stem);
    return idx >= 0 && idx + offset === at - start;
  });
}

/** True when the text contains Serbian Cyrillic letters. */
export function isCyrillic(text: string): boolean {
  return /[\u0400-\u04FF]/.test(text);
}

export type SerbianScript = 'sr-Latn' | 'sr-Cyrl';

/** Returns the text in the requested script, whichever script it was written in. */
export function toScript(text: string, script: SerbianScript): string {
  return script === 'sr-Cyrl' ? latinToCyrillic(text) : cyrillicToLatin(text);
}
