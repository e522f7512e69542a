/**
 * A lazy, bounded reader for the objects of one PDF revision: the cross-reference data
 * (classic tables, cross-reference streams, hybrid files, the /Prev chain), indirect
 * objects (also inside object streams) and stream data (FlateDecode with PNG/TIFF
 * predictors). It reads only the objects asked for, so looking up one embedded file in a
 * 10 MB document touches a few kilobytes, and every step is bounded (objects, decoded
 * bytes, parser work). Inflate uses the platform's DecompressionStream (browsers and Node
 * alike), with the output cut off at a limit, so a compression bomb costs nothing.
 *
 * Given `bytes.subarray(0, n)` it reads the revision that ends at `n`: that is how the
 * verifier reads the document exactly as a signature covers it.
 */
import { Lexer, matchAt, nameOf, PdfDict, PdfLimitError, PdfRef, PdfSyntaxError, type PdfValue, type WorkBudget } from './lexer.ts';

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly dataStart: number,
    readonly dataEnd: number,
  ) {}
}

export type PdfObject = PdfValue | PdfStream;

type XrefEntry = { kind: 'offset'; offset: number; gen: number } | { kind: 'compressed'; stream: number; index: number };

export interface ReaderLimits {
  /** Cross-reference entries, at most. */
  maxObjects: number;
  /** Bytes one decoded stream may have. */
  maxStreamBytes: number;
  /** Decoded bytes of all streams together. */
  maxTotalDecodedBytes: number;
  budget: WorkBudget;
}

const MAX_XREF_SECTIONS = 64;
const MAX_REF_HOPS = 32;

/** Reads the PDF revision in `bytes`. `open` throws PdfSyntaxError when its structure cannot be read. */
export class PdfReader {
  private readonly xref = new Map<number, XrefEntry>();
  private readonly cache = new Map<number, PdfObject>();
  private readonly objectStreams = new Map<number, { data: Uint8Array; offsets: Map<number, number> }>();
  private decodedTotal = 0;
  trailer = new PdfDict();

  private constructor(
    readonly bytes: Uint8Array,
    readonly limits: ReaderLimits,
  ) {}

  static async open(bytes: Uint8Array, limits: ReaderLimits): Promise<PdfReader> {
    const reader = new PdfReader(bytes, limits);
    await reader.readXref();
    return reader;
  }

  private lexer(pos: number): Lexer {
    return new Lexer(this.bytes, pos, this.bytes.length, this.limits.budget);
  }

  /** The offset after the last `startxref` of the revision. */
  private startXref(): number {
    const { bytes } = this;
    const min = Math.max(0, bytes.length - 4096);
    for (let i = bytes.length - 9; i >= min; i--) {
      if (bytes[i] === 0x73 && matchAt(bytes, i, 'startxref')) {
        const lx = this.lexer(i + 9);
        return lx.integer();
      }
    }
    throw new PdfSyntaxError('no startxref');
  }

  private async readXref(): Promise<void> {
    const queue = [this.startXref()];
    const seen = new Set<number>();
    let first = true;
    while (queue.length > 0) {
      const offset = queue.shift()!;
      if (seen.has(offset) || offset < 0 || offset >= this.bytes.length) continue;
      if (seen.size >= MAX_XREF_SECTIONS) throw new PdfLimitError('too many cross-reference sections');
      seen.add(offset);
      const lx = this.lexer(offset);
      lx.skipWhite();
      let trailer: PdfDict;
      if (matchAt(this.bytes, lx.pos, 'xref')) {
        lx.pos += 4;
        trailer = this.readTable(lx);
        const stm = trailer.get('XRefStm');
        // Hybrid file: the stream holds the compressed objects the table marks free.
        if (typeof stm === 'number') await this.readXrefStream(stm).catch(() => undefined);
      } else {
        trailer = await this.readXrefStream(offset);
      }
      if (first) {
        this.trailer = trailer;
        first = false;
      } else if (!this.trailer.map.has('Root') && trailer.map.has('Root')) {
        this.trailer.map.set('Root', trailer.get('Root')!);
      }
      const prev = trailer.get('Prev');
      if (typeof prev === 'number') queue.push(prev);
    }
    if (!this.trailer.map.has('Root')) throw new PdfSyntaxError('the trailer has no /Root');
  }

  private addEntry(num: number, entry: XrefEntry): void {
    // Newer sections are read first: the first entry for an object number wins.
    if (this.xref.has(num)) return;
    if (this.xref.size >= this.limits.maxObjects) throw new PdfLimitError('too many objects');
    this.xref.set(num, entry);
  }

  private readTable(lx: Lexer): PdfDict {
    for (;;) {
      lx.skipWhite();
      if (matchAt(this.bytes, lx.pos, 'trailer')) {
        lx.pos += 7;
        lx.skipWhite();
        return lx.dictionary();
      }
      const start = lx.integer();
      const count = lx.integer();
      if (count > this.limits.maxObjects) throw new PdfLimitError('cross-reference section too long');
      for (let i = 0; i < count; i++) {
        const offset = lx.integer();
        const gen = lx.integer();
        const kind = lx.keyword();
        if (kind === 'n') this.addEntry(start + i, { kind: 'offset', offset, gen });
        else if (kind === 'f') {
          if (!this.xref.has(start + i)) this.xref.set(start + i, { kind: 'offset', offset: -1, gen });
        } else throw new PdfSyntaxError('bad cross-reference entry');
      }
    }
  }

  private async readXrefStream(offset: number): Promise<PdfDict> {
    const obj = this.parseObjectAt(offset);
    if (!(obj.value instanceof PdfStream) || nameOf(obj.value.dict.get('Type')) !== 'XRef') throw new PdfSyntaxError('not a cross-reference stream');
    const dict = obj.value.dict;
    const w = dict.get('W');
    if (!Array.isArray(w) || w.length !== 3 || !w.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 8)) {
      throw new PdfSyntaxError('bad /W');
    }
    const [w1, w2, w3] = w as [number, number, number];
    const size = dict.get('Size');
    const index = dict.get('Index') ?? [0, typeof size === 'number' ? size : 0];
    if (!Array.isArray(index) || index.length % 2 !== 0 || !index.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) {
      throw new PdfSyntaxError('bad /Index');
    }
    const data = await this.decode(obj.value, this.limits.maxStreamBytes);
    const row = w1 + w2 + w3;
    if (row === 0) throw new PdfSyntaxError('bad /W');
    const field = (p: number, n: number, dflt: number) => {
      if (n === 0) return dflt;
      let v = 0;
      for (let i = 0; i < n; i++) v = v * 256 + data[p + i]!;
      return v;
    };
    let p = 0;
    for (let k = 0; k < index.length; k += 2) {
      const start = index[k] as number;
      const count = index[k + 1] as number;
      for (let i = 0; i < count && p + row <= data.length; i++, p += row) {
        const type = field(p, w1, 1);
        const f2 = field(p + w1, w2, 0);
        const f3 = field(p + w1 + w2, w3, 0);
        if (type === 1) this.addEntry(start + i, { kind: 'offset', offset: f2, gen: f3 });
        else if (type === 2) this.addEntry(start + i, { kind: 'compressed', stream: f2, index: f3 });
        else if (!this.xref.has(start + i)) this.xref.set(start + i, { kind: 'offset', offset: -1, gen: 0 });
      }
    }
    return dict;
  }

  /** Parses `N G obj … [stream … endstream]` at `offset`. */
  private parseObjectAt(offset: number): { num: number; gen: number; value: PdfObject } {
    const lx = this.lexer(offset);
    const { num, gen } = lx.objectHeader();
    const value = lx.value();
    if (!(value instanceof PdfDict)) return { num, gen, value };
    lx.skipWhite();
    if (!matchAt(this.bytes, lx.pos, 'stream')) return { num, gen, value };
    let start = lx.pos + 6;
    if (this.bytes[start] === 0x0d) start++;
    if (this.bytes[start] === 0x0a) start++;
    return { num, gen, value: new PdfStream(value, start, this.streamEnd(value, start)) };
  }

  /** Where a stream's data ends: /Length when it is direct and lands on `endstream`, else the next `endstream`. */
  private streamEnd(dict: PdfDict, start: number): number {
    const { bytes } = this;
    const length = dict.get('Length');
    if (typeof length === 'number' && Number.isSafeInteger(length) && length >= 0 && start + length <= bytes.length) {
      let p = start + length;
      while (p < bytes.length && p < start + length + 4 && (bytes[p] === 0x0d || bytes[p] === 0x0a || bytes[p] === 0x20)) p++;
      if (matchAt(bytes, p, 'endstream')) return start + length;
    }
    // Indirect or wrong /Length: find `endstream` (bounded by the stream size limit).
    const limit = Math.min(bytes.length, start + this.limits.maxStreamBytes + 16);
    for (let i = bytes.indexOf(0x65 /* e */, start); i >= 0 && i < limit; i = bytes.indexOf(0x65, i + 1)) {
      if (matchAt(bytes, i, 'endstream')) {
        let end = i;
        if (bytes[end - 1] === 0x0a) end--;
        if (bytes[end - 1] === 0x0d) end--;
        return Math.max(start, end);
      }
    }
    throw new PdfSyntaxError('stream without endstream');
  }

  /** The cross-reference entry of object `num` as this revision reads it (offset -1: free; compressed: in object stream `stream`). */
  entry(num: number): { kind: 'offset' | 'compressed'; offset: number; gen: number; stream: number } | undefined {
    const e = this.xref.get(num);
    if (!e) return undefined;
    return e.kind === 'offset' ? { kind: 'offset', offset: e.offset, gen: e.gen, stream: -1 } : { kind: 'compressed', offset: e.index, gen: 0, stream: e.stream };
  }

  /** Every cross-reference entry of this revision. */
  *entries(): Generator<[number, NonNullable<ReturnType<PdfReader['entry']>>]> {
    for (const num of this.xref.keys()) yield [num, this.entry(num)!];
  }

  /** The object `num` (generation numbers are not checked against the entry: readers do not either). */
  async object(num: number): Promise<PdfObject> {
    const cached = this.cache.get(num);
    if (cached !== undefined) return cached;
    const entry = this.xref.get(num);
    let value: PdfObject = null;
    if (entry?.kind === 'offset' && entry.offset >= 0) {
      const obj = this.parseObjectAt(entry.offset);
      if (obj.num !== num) throw new PdfSyntaxError(`object ${num} is not at its offset`);
      value = obj.value;
    } else if (entry?.kind === 'compressed') {
      value = await this.compressedObject(entry.stream, entry.index, num);
    }
    this.cache.set(num, value);
    return value;
  }

  private async compressedObject(streamNum: number, index: number, num: number): Promise<PdfValue> {
    let stm = this.objectStreams.get(streamNum);
    if (!stm) {
      const entry = this.xref.get(streamNum);
      if (entry?.kind !== 'offset' || entry.offset < 0) throw new PdfSyntaxError(`object stream ${streamNum} not found`);
      const obj = this.parseObjectAt(entry.offset);
      if (!(obj.value instanceof PdfStream) || nameOf(obj.value.dict.get('Type')) !== 'ObjStm') throw new PdfSyntaxError(`${streamNum} is not an object stream`);
      const n = obj.value.dict.get('N');
      const first = obj.value.dict.get('First');
      if (typeof n !== 'number' || typeof first !== 'number' || n < 0 || n > this.limits.maxObjects) throw new PdfSyntaxError('bad object stream');
      const data = await this.decode(obj.value, this.limits.maxStreamBytes);
      const offsets = new Map<number, number>();
      const lx = new Lexer(data, 0, Math.min(first, data.length), this.limits.budget);
      for (let i = 0; i < n; i++) offsets.set(lx.integer(), first + lx.integer());
      stm = { data, offsets };
      this.objectStreams.set(streamNum, stm);
    }
    void index; // the header says where each object is; the index is only a hint
    const at = stm.offsets.get(num);
    if (at === undefined) throw new PdfSyntaxError(`object ${num} is not in object stream ${streamNum}`);
    return new Lexer(stm.data, at, stm.data.length, this.limits.budget).value();
  }

  /** Follows references (a bounded number of hops). */
  async resolve(value: PdfObject | undefined): Promise<PdfObject | undefined> {
    let v = value;
    for (let hops = 0; v instanceof PdfRef; hops++) {
      if (hops >= MAX_REF_HOPS) throw new PdfLimitError('reference chain too long');
      v = await this.object(v.num);
    }
    return v;
  }

  async dict(value: PdfObject | undefined): Promise<PdfDict | undefined> {
    const v = await this.resolve(value);
    return v instanceof PdfDict ? v : undefined;
  }

  /** A stream's decoded data, at most `maxBytes` (PdfLimitError beyond). */
  async decode(stream: PdfStream, maxBytes: number): Promise<Uint8Array> {
    let data = this.bytes.subarray(stream.dataStart, stream.dataEnd);
    const filterValue = await this.resolve(stream.dict.get('Filter'));
    const filters = (Array.isArray(filterValue) ? filterValue : filterValue === undefined || filterValue === null ? [] : [filterValue]).map((f) => nameOf(f as PdfValue));
    const parmsValue = await this.resolve(stream.dict.get('DecodeParms'));
    const parmsList = Array.isArray(parmsValue) ? parmsValue : [parmsValue];
    for (let i = 0; i < filters.length; i++) {
      const filter = filters[i];
      const budget = Math.min(maxBytes, this.limits.maxTotalDecodedBytes - this.decodedTotal);
      if (filter === 'FlateDecode' || filter === 'Fl') {
        data = await inflate(data, budget);
        const parms = await this.dict(parmsList[i] as PdfValue | undefined);
        if (parms) data = unpredict(data, parms);
      } else {
        throw new PdfSyntaxError(`unsupported filter ${filter ?? '(not a name)'}`);
      }
      this.decodedTotal += data.length;
    }
    if (data.length > maxBytes) throw new PdfLimitError(`stream over ${maxBytes} bytes`);
    return data;
  }
}

/**
 * zlib inflate with the platform's DecompressionStream, stopping at `maxBytes`. Lenient like
 * PDF readers: a stream whose end is damaged yields what was inflated before the damage.
 */
export async function inflate(data: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const ds = new DecompressionStream('deflate');
  const writer = ds.writable.getWriter();
  const writing = writer
    .write(data as Uint8Array<ArrayBuffer>)
    .then(() => writer.close())
    .catch(() => undefined);
  const reader = ds.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new PdfLimitError(`inflated data over ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof PdfLimitError) throw err;
    if (total === 0) throw new PdfSyntaxError('bad FlateDecode data');
  }
  await writing;
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/** Undoes a PNG (Predictor ≥ 10) or TIFF (Predictor 2, 8 bits) predictor (§7.4.4.4). */
function unpredict(data: Uint8Array, parms: PdfDict): Uint8Array {
  const num = (k: string, d: number) => {
    const v = parms.get(k);
    return typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 1 << 16 ? v : d;
  };
  const predictor = num('Predictor', 1);
  if (predictor === 1) return data;
  const colors = num('Colors', 1);
  const bpc = num('BitsPerComponent', 8);
  const columns = num('Columns', 1);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowBytes = Math.ceil((colors * bpc * columns) / 8);
  if (predictor === 2) {
    if (bpc !== 8) throw new PdfSyntaxError('TIFF predictor with other than 8 bits per component');
    const out = data.slice();
    for (let r = 0; r < out.length; r += rowBytes) {
      for (let i = r + colors; i < Math.min(r + rowBytes, out.length); i++) out[i] = (out[i]! + out[i - colors]!) & 0xff;
    }
    return out;
  }
  if (predictor < 10) throw new PdfSyntaxError(`unsupported predictor ${predictor}`);
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = new Uint8Array(rows * rowBytes);
  const prev = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowBytes + 1)]!;
    const src = r * (rowBytes + 1) + 1;
    const dst = r * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const raw = data[src + i]!;
      const left = i >= bpp ? out[dst + i - bpp]! : 0;
      const up = prev[i]!;
      const upLeft = i >= bpp ? prev[i - bpp]! : 0;
      let v: number;
      switch (type) {
        case 0: v = raw; break;
        case 1: v = raw + left; break;
        case 2: v = raw + up; break;
        case 3: v = raw + ((left + up) >> 1); break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - upLeft);
          v = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default:
          throw new PdfSyntaxError(`bad PNG predictor row type ${type}`);
      }
      out[dst + i] = v & 0xff;
    }
    prev.set(out.subarray(dst, dst + rowBytes));
  }
  return out;
}

