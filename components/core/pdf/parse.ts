/**
 * Finds the signature dictionaries of a PDF and checks their /ByteRange and /Contents.
 *
 * Why hand-written and not pdf-lib: a signature is only meaningful with raw byte offsets —
 * which bytes the /ByteRange covers, where the /Contents hex string lies, whether that
 * string is exactly the gap between the ranges, where each revision ends — and pdf-lib
 * parses the whole file into objects without exposing those offsets, keeps only the last
 * revision of an object, and does all of it synchronously in one unbounded call. Here the
 * file is scanned for `/ByteRange` keys (which also finds signatures added by incremental
 * updates, and ones a broken cross-reference table no longer points to), the dictionary
 * around each is parsed with the bounded lexer, and every offset is checked against the
 * file. A signature dictionary cannot live in a compressed object stream (its offsets are
 * in the file), so scanning the raw bytes sees every real one.
 */
import { yieldToHost } from './budget.ts';
import { isHexDigit, isWhite, Lexer, matchAt, nameOf, PdfDict, PdfLimitError, PdfString, pdfText, type WorkBudget } from './lexer.ts';

/** A problem with one signature's PDF structure; the codes are report reason codes. */
export interface StructureProblem {
  code:
    | 'byte-range-malformed'
    | 'byte-range-out-of-bounds'
    | 'byte-range-gap-not-contents'
    | 'signature-dictionary-not-covered'
    | 'contents-missing'
    | 'duplicate-keys'
    | 'cms-too-large';
  detail: string;
}

/** One signature dictionary as found in the file. */
export interface FoundSignature {
  /** Where the dictionary starts (`<<`) and ends (just after `>>`). */
  start: number;
  end: number;
  /** The four numbers of /ByteRange when it is well-formed. */
  byteRange?: [number, number, number, number];
  /** The decoded /Contents (the CMS, usually followed by zero padding). */
  contents?: Uint8Array;
  type?: string;
  filter?: string;
  subFilter?: string;
  /** The raw /M date string. */
  m?: string;
  name?: string;
  reason?: string;
  location?: string;
  /** Structural problems; empty when the dictionary and its ranges are sound. */
  problems: StructureProblem[];
}

export interface FindOptions {
  /** Stop after finding this many (one more is looked for, to tell that there are more). */
  maxSignatures: number;
  /** Largest decoded /Contents accepted. */
  maxContentsBytes: number;
  budget: WorkBudget;
}

export interface FindResult {
  signatures: FoundSignature[];
  /**
   * Why the search stopped early: more signature dictionaries than `maxSignatures`, or more
   * `/ByteRange` occurrences that were not signatures than are worth looking at.
   */
  truncated: false | 'signatures' | 'candidates';
}

const KEY = '/ByteRange';
/** `/ByteRange` occurrences looked at, at most (a real file has one per signature; text about PDF signatures has more). */
const MAX_HITS = 1000;
/** Parser work (bytes looked at) between two turns of the host while dictionaries are read: a few milliseconds. */
const PARSE_SLICE = 128 * 1024;
/** `<<` positions tried backwards from one hit before giving up on it. */
const MAX_CANDIDATES = 16;

/**
 * The key's nine byte pairs (`/B`, `By`, … `ge`, all different), as a little-endian 16-bit
 * number → 1 + where the pair starts in the key; 0 for every other pair.
 */
const PAIRS = new Uint8Array(65536);
for (let i = 0; i + 1 < KEY.length; i++) PAIRS[KEY.charCodeAt(i) | (KEY.charCodeAt(i + 1) << 8)] = i + 1;
/** 16-bit reads see byte pairs as the table does (every platform a browser or Node runs on; checked anyway). */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** `/ByteRange` at `i`, followed by a non-regular character (or the end). */
function hitAt(bytes: Uint8Array, i: number): boolean {
  for (let k = 0; k < KEY.length; k++) if (bytes[i + k] !== KEY.charCodeAt(k)) return false;
  const after = bytes[i + KEY.length];
  return after === undefined || isWhite(after) || after === 0x5b || after === 0x2f || after === 0x3c || after === 0x28;
}

/**
 * Positions of `/ByteRange` followed by a non-regular character, in file order, at most
 * `max`. This is the one pass over every byte of the file, so it is made cheap: it reads
 * the byte pair at every eighth position only — an occurrence of the 10-byte key holds nine
 * pair starts, so one or two of them — and looks closer only when that pair is one of the
 * key's (one in 7,000 for random bytes). No read depends on the one before, unlike a
 * Boyer–Moore–Horspool skip: about 2 ms per 10 MB in Chromium instead of 3.5 ms.
 */
export function keyHits(bytes: Uint8Array, max: number): number[] {
  const out: number[] = [];
  // Plain numbers in the loops: a typed array's length is a load and a check on every use.
  const n = bytes.length;
  const last = n - KEY.length;
  const pairs = PAIRS;
  let prev = -1;
  if (LITTLE_ENDIAN && bytes.byteOffset % 2 === 0) {
    // Aligned: one 16-bit read per pair (the pair at byte 2k, little-endian like the table).
    const words = new Uint16Array(bytes.buffer, bytes.byteOffset, n >> 1);
    const count = words.length;
    for (let k = 0; k < count; k += 4) {
      const o = pairs[words[k]!]!;
      if (o === 0) continue;
      const i = 2 * k - (o - 1);
      if (i < 0 || i > last || i === prev || !hitAt(bytes, i)) continue;
      prev = i;
      if (out.push(i) >= max) break;
    }
  } else {
    for (let j = 0; j + 1 < n; j += 8) {
      const o = pairs[bytes[j]! | (bytes[j + 1]! << 8)]!;
      if (o === 0) continue;
      const i = j - (o - 1);
      if (i < 0 || i > last || i === prev || !hitAt(bytes, i)) continue;
      prev = i;
      if (out.push(i) >= max) break;
    }
  }
  return out;
}

/** Bytes scanned between two turns of the host (keyHitsInSlices): a few milliseconds of work. */
const SCAN_SLICE = 2 * 1024 * 1024;

/**
 * keyHits over the whole file in slices of SCAN_SLICE bytes, with a turn of the host
 * (yieldToHost) after each, so that scanning a 25 MB file does not hold a server's other
 * requests (or a page's input) up for its whole length. Same positions as keyHits: slices
 * start at multiples of 16, so the stride lines up, and each reaches a few bytes into the next
 * so that a key across the boundary is seen by the slice it starts in.
 */
export async function keyHitsInSlices(bytes: Uint8Array, max: number): Promise<number[]> {
  if (bytes.length <= SCAN_SLICE) return keyHits(bytes, max);
  const out: number[] = [];
  for (let start = 0; start < bytes.length && out.length < max; start += SCAN_SLICE) {
    if (start > 0) await yieldToHost();
    const end = Math.min(bytes.length, start + SCAN_SLICE);
    for (const i of keyHits(bytes.subarray(start, Math.min(bytes.length, end + KEY.length + 16)), max - out.length)) {
      if (start + i >= end) break; // the next slice's
      out.push(start + i);
    }
  }
  return out;
}

/** `<<` starts at or before `from` (nearest first), not before `min`. */
function* dictStartsBefore(bytes: Uint8Array, from: number, min: number): Generator<number> {
  let i = from;
  while (i >= min) {
    i = bytes.lastIndexOf(0x3c, i);
    if (i < min) return;
    if (bytes[i + 1] === 0x3c) yield i;
    i -= 1;
  }
}

/**
 * The dictionary that has the `/ByteRange` key at `hit` as one of its own keys: the nearest
 * `<<` before it whose dictionary parses and spans the hit. A hit inside a string, a stream
 * or a nested dictionary's value is not a signature's key and gives undefined.
 */
function enclosingDictionary(bytes: Uint8Array, hit: number, window: number, budget: WorkBudget): PdfDict | undefined {
  let tries = 0;
  for (const start of dictStartsBefore(bytes, hit - 1, Math.max(0, hit - window))) {
    if (++tries > MAX_CANDIDATES) return undefined;
    let dict: PdfDict;
    try {
      dict = new Lexer(bytes, start, Math.min(bytes.length, start + 2 * window), budget).dictionary();
    } catch (err) {
      if (err instanceof PdfLimitError && err.message.includes('budget')) throw err;
      continue;
    }
    if (dict.end <= hit) continue; // closes before the hit: an earlier or nested dictionary
    return dict.keyAt.get('ByteRange') === hit ? dict : undefined;
  }
  return undefined;
}

function isSignatureDictionary(dict: PdfDict): boolean {
  const type = nameOf(dict.get('Type'));
  return dict.map.has('Contents') && (type === 'Sig' || type === 'DocTimeStamp' || dict.map.has('Filter') || dict.map.has('SubFilter'));
}

/** Reads and checks one signature dictionary's fields against the file. */
function readSignature(bytes: Uint8Array, dict: PdfDict, maxContentsBytes: number): FoundSignature {
  const found: FoundSignature = { start: dict.start, end: dict.end, problems: [] };
  const problem = (code: StructureProblem['code'], detail: string) => found.problems.push({ code, detail });
  const text = (key: string) => pdfText(dict.get(key))?.slice(0, 500);
  const type = nameOf(dict.get('Type'));
  if (type) found.type = type;
  const filter = nameOf(dict.get('Filter'));
  if (filter) found.filter = filter;
  const subFilter = nameOf(dict.get('SubFilter'));
  if (subFilter) found.subFilter = subFilter;
  const m = text('M');
  if (m) found.m = m;
  const name = text('Name');
  if (name) found.name = name;
  const reason = text('Reason');
  if (reason) found.reason = reason;
  const location = text('Location');
  if (location) found.location = location;

  const dup = dict.duplicates.filter((k) => ['ByteRange', 'Contents', 'SubFilter', 'Filter', 'Type', 'M'].includes(k));
  if (dup.length > 0) problem('duplicate-keys', `the signature dictionary repeats ${dup.join(', ')}`);

  const br = dict.get('ByteRange');
  if (!Array.isArray(br) || br.length !== 4 || !br.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) {
    problem('byte-range-malformed', '/ByteRange is not an array of four non-negative integers');
  } else {
    const [a, b, c, d] = br as [number, number, number, number];
    found.byteRange = [a, b, c, d];
    if (a !== 0 || b <= 0 || c <= b || d < 0) {
      problem('byte-range-malformed', `/ByteRange [${br.join(' ')}] must start at 0 and leave one gap between two ranges`);
    } else if (c + d > bytes.length) {
      problem('byte-range-out-of-bounds', `/ByteRange ends at ${c + d}, the file has ${bytes.length} bytes`);
    }
  }

  const contents = dict.get('Contents');
  if (!(contents instanceof PdfString) || !contents.hex) {
    problem('contents-missing', '/Contents is not a hex string');
  } else {
    if (found.byteRange && found.problems.every((p) => !p.code.startsWith('byte-range'))) {
      const [, b, c, d] = found.byteRange;
      // The gap must be exactly the /Contents string of this dictionary: anything else in it
      // would be unsigned bytes a reader still shows (signature wrapping).
      if (contents.start !== b || contents.end !== c) {
        problem('byte-range-gap-not-contents', `the gap [${b}, ${c}) is not this dictionary's /Contents [${contents.start}, ${contents.end})`);
      } else if (!gapIsHex(bytes, b, c)) {
        problem('byte-range-gap-not-contents', 'the gap holds something other than hex digits');
      }
      // The dictionary itself (/M, /SubFilter, /ByteRange...) must be signed.
      if (dict.end > c + d) problem('signature-dictionary-not-covered', 'the signature dictionary ends after the signed ranges');
    }
    if (contents.bytes.length > maxContentsBytes) {
      problem('cms-too-large', `/Contents is ${contents.bytes.length} bytes, the limit is ${maxContentsBytes}`);
    } else {
      found.contents = contents.bytes;
    }
  }
  return found;
}

function gapIsHex(bytes: Uint8Array, b: number, c: number): boolean {
  if (bytes[b] !== 0x3c || bytes[c - 1] !== 0x3e) return false;
  for (let i = b + 1; i < c - 1; i++) if (!isHexDigit(bytes[i]) && !isWhite(bytes[i])) return false;
  return true;
}

/**
 * Every signature dictionary in the file, in file order, including those of incremental
 * updates. Dictionaries that do not look like signatures (no /Contents, no /Filter,
 * /SubFilter or /Type /Sig) are skipped; ones that do are returned with their problems.
 * Gives the host a turn every few megabytes of the scan and every PARSE_SLICE bytes of parser
 * work (twenty dictionaries with large /Contents are a lot of hex to decode).
 */
export async function findSignatures(bytes: Uint8Array, options: FindOptions): Promise<FindResult> {
  const found: FoundSignature[] = [];
  const window = 2 * options.maxContentsBytes + 64 * 1024;
  let hits = 0;
  let lastEnd = -1;
  let truncated: FindResult['truncated'] = false;
  let workAtTurn = options.budget.left;
  for (const hit of await keyHitsInSlices(bytes, MAX_HITS + 1)) {
    if (hit < lastEnd) continue; // inside the dictionary just found
    if (++hits > MAX_HITS) {
      truncated = 'candidates';
      break;
    }
    if (workAtTurn - options.budget.left >= PARSE_SLICE) {
      await yieldToHost();
      workAtTurn = options.budget.left;
    }
    const dict = enclosingDictionary(bytes, hit, window, options.budget);
    if (!dict || !isSignatureDictionary(dict)) continue;
    lastEnd = dict.end;
    found.push(readSignature(bytes, dict, options.maxContentsBytes));
    if (found.length > options.maxSignatures) {
      truncated = 'signatures';
      break;
    }
  }
  const signatures = withoutRestatements(found).slice(0, options.maxSignatures);
  return { signatures, truncated };
}

/**
 * Drops a dictionary that restates another signature: a copy written in a later revision
 * (some tools rewrite the signature dictionary when they update a file) has the same
 * /ByteRange and /Contents as the original, but its /Contents is not the gap the ranges
 * leave, so on its own it would look like a wrapping attack. The original is verified.
 */
function withoutRestatements(found: FoundSignature[]): FoundSignature[] {
  const sound = found.filter((f) => f.problems.length === 0 && f.byteRange && f.contents);
  return found.filter((f) => {
    const restatement = f.problems.some((p) => p.code === 'byte-range-gap-not-contents') && f.problems.every((p) => p.code === 'byte-range-gap-not-contents' || p.code === 'signature-dictionary-not-covered');
    if (!restatement || !f.byteRange || !f.contents) return true;
    return !sound.some((o) => o.byteRange!.every((n, i) => n === f.byteRange![i]) && sameBytes(o.contents!, f.contents!));
  });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * True when nothing but white-space follows `end`: the bytes after a signature's ranges
 * add nothing a reader would show. Anything else is an unsigned incremental update.
 */
export function onlyWhiteAfter(bytes: Uint8Array, end: number): boolean {
  for (let i = end; i < bytes.length; i++) if (!isWhite(bytes[i])) return false;
  return true;
}

/** True when the file starts like a PDF (`%PDF-` within its first KiB, as readers accept). */
export function hasPdfHeader(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 1024);
  for (let i = 0; i + 5 <= n; i++) if (bytes[i] === 0x25 && matchAt(bytes, i, '%PDF-')) return true;
  return false;
}

/** True when `%%EOF` appears in the last KiB (a file cut short usually lacks it). */
export function hasEofMarker(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 5; i >= Math.max(0, bytes.length - 1024); i--) if (bytes[i] === 0x25 && matchAt(bytes, i, '%%EOF')) return true;
  return false;
}

/**
 * A PDF date (§7.9.4: `D:YYYYMMDDHHmmSSOHH'mm`, every part after the year optional) as a
 * Date, or undefined when it is not one.
 */
export function parsePdfDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(?:(\d{2})'?(?:(\d{2})'?)?)?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (sign === '+' || sign === '-') ms -= (sign === '+' ? 1 : -1) * (Number(oh) * 60 + Number(om)) * 60_000;
  const date = new Date(ms);
  return Number.isFinite(date.getTime()) ? date : undefined;
}
