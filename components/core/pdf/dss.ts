/**
 * The Document Security Store (ISO 32000-2 §12.8.4.3, ETSI EN 319 142-1 §5.4.2): the
 * catalog's /DSS dictionary with /Certs, /OCSPs and /CRLs (arrays of streams holding DER),
 * and optionally /VRI, a dictionary of per-signature dictionaries (/Cert, /OCSP, /CRL) keyed
 * by the SHA-1 of a signature's /Contents. Tools write either or both; every stream named
 * anywhere is read, once, whatever its key. Bounded: at most `maxItems` streams and
 * `maxBytes` decoded bytes in all.
 *
 * Also: whether what follows a revision only adds a DSS (`onlyAddsValidationData`), as a
 * B-LT update does — the catalog changed for /DSS (and /Extensions) alone, no other object
 * of the earlier revision changed.
 */
import { PdfDict, PdfLimitError, PdfName, PdfRef, PdfString, type PdfValue, WorkBudget } from './lexer.ts';
import { PdfReader, PdfStream } from './reader.ts';

export interface DssItem {
  der: Uint8Array;
  /** Where its stream's data starts in the file (what a document time-stamp must cover). */
  offset: number;
}

export interface DssContent {
  certs: DssItem[];
  ocsps: DssItem[];
  crls: DssItem[];
  vri: number;
  /** Set when the limits stopped the reading. */
  truncated?: string;
}

export interface DssLimits {
  maxItems: number;
  maxBytes: number;
}

function readerLimits(bytes: Uint8Array, maxBytes: number): Parameters<typeof PdfReader.open>[1] {
  return {
    maxObjects: 1_000_000,
    maxStreamBytes: Math.max(1, maxBytes),
    maxTotalDecodedBytes: Math.max(1, maxBytes) + 16 * 1024 * 1024,
    budget: new WorkBudget(Math.max(32 * 1024 * 1024, 2 * bytes.length)),
  };
}

/** Reads the DSS of the file's last revision; undefined when there is none. Throws PdfSyntaxError / PdfLimitError on an unreadable structure. */
export async function readDss(bytes: Uint8Array, limits: DssLimits): Promise<DssContent | undefined> {
  // A file whose structure cannot be read has no DSS to speak of (the signatures, found by
  // their /ByteRange, are judged without it); a DSS that is there but broken is an error.
  let reader: PdfReader;
  let dss: PdfDict | undefined;
  try {
    reader = await PdfReader.open(bytes, readerLimits(bytes, limits.maxBytes));
    const root = await reader.dict(reader.trailer.get('Root'));
    dss = await reader.dict(root?.get('DSS'));
  } catch {
    return undefined;
  }
  if (!dss) return undefined;
  const out: DssContent = { certs: [], ocsps: [], crls: [], vri: 0 };
  const seen = new Set<number>();
  let total = 0;
  let count = 0;
  const take = async (list: PdfValue | undefined, into: DssItem[]) => {
    const arr = await reader.resolve(list);
    if (!Array.isArray(arr)) return;
    for (const v of arr) {
      if (out.truncated) return;
      if (v instanceof PdfRef) {
        if (seen.has(v.num)) continue;
        seen.add(v.num);
      }
      if (++count > limits.maxItems) {
        out.truncated = `more than ${limits.maxItems} pieces of validation data`;
        return;
      }
      const stream = await reader.resolve(v);
      if (!(stream instanceof PdfStream)) continue;
      try {
        const data = await reader.decode(stream, limits.maxBytes - total);
        total += data.length;
        into.push({ der: data, offset: stream.dataStart });
      } catch (err) {
        if (err instanceof PdfLimitError) out.truncated = `validation data over ${limits.maxBytes} bytes`;
        else throw err;
      }
    }
  };
  await take(dss.get('Certs'), out.certs);
  await take(dss.get('OCSPs'), out.ocsps);
  await take(dss.get('CRLs'), out.crls);
  const vri = await reader.dict(dss.get('VRI'));
  if (vri) {
    for (const value of [...vri.map.values()].slice(0, limits.maxItems)) {
      const entry = await reader.dict(value);
      if (!entry) continue;
      out.vri++;
      await take(entry.get('Cert'), out.certs);
      await take(entry.get('OCSP'), out.ocsps);
      await take(entry.get('CRL'), out.crls);
    }
  }
  return out;
}

function sameValue(a: PdfValue | undefined, b: PdfValue | undefined, depth = 0): boolean {
  if (depth > 32) return false;
  if (a === b) return true;
  if (a instanceof PdfName && b instanceof PdfName) return a.name === b.name;
  if (a instanceof PdfRef && b instanceof PdfRef) return a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfString && b instanceof PdfString) return a.bytes.length === b.bytes.length && a.bytes.every((x, i) => x === b.bytes[i]);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i], depth + 1));
  if (a instanceof PdfDict && b instanceof PdfDict) {
    if (a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) if (!sameValue(v, b.map.get(k), depth + 1)) return false;
    return true;
  }
  return false;
}

/** Catalog keys a validation-data update may add or change. */
const LTV_KEYS = new Set(['DSS', 'Extensions']);

/**
 * True when the updates between `revisionEnd` and the end of `bytes` change nothing of the
 * earlier revision but the catalog's /DSS (and /Extensions): every other object they write
 * is new, so reachable only from those keys. A reader shows nothing new.
 */
export async function onlyAddsValidationData(bytes: Uint8Array, revisionEnd: number): Promise<boolean> {
  try {
    // The file's own last cross-reference section must be one the updates wrote: a file cut
    // short inside an update still ends with the revision's startxref, and its tail is not a
    // DSS, just bytes.
    const tail = new TextDecoder('latin1').decode(bytes.subarray(Math.max(revisionEnd, bytes.length - 4096)));
    const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
    if (!m || Number(m[1]) < revisionEnd) return false;
    const limits = readerLimits(bytes, 16 * 1024 * 1024);
    const before = await PdfReader.open(bytes.subarray(0, revisionEnd), limits);
    const after = await PdfReader.open(bytes, limits);
    const rootRef = after.trailer.get('Root');
    const oldRootRef = before.trailer.get('Root');
    if (!(rootRef instanceof PdfRef) || !(oldRootRef instanceof PdfRef) || rootRef.num !== oldRootRef.num) return false;
    for (const key of ['Info', 'Encrypt']) if (!sameValue(after.trailer.get(key), before.trailer.get(key))) return false;
    for (const [num, entry] of after.entries()) {
      const old = before.entry(num);
      if (!old) continue; // a new object, which only the new /DSS can reach
      if (sameEntry(old, entry)) continue;
      if (old.kind === 'offset' && old.offset < 0 && entry.kind === 'offset' && entry.offset < 0) continue; // free before and after
      // Anything else changed — including a number the earlier revision had free, which one of
      // its objects might still name — is a change a reader may show.
      if (num !== rootRef.num) return false;
    }
    const oldRoot = await before.dict(oldRootRef);
    const newRoot = await after.dict(rootRef);
    if (!oldRoot || !newRoot) return false;
    for (const key of new Set([...oldRoot.map.keys(), ...newRoot.map.keys()])) {
      if (LTV_KEYS.has(key)) continue;
      if (!sameValue(oldRoot.get(key), newRoot.get(key))) return false;
    }
    return true;
  } catch {
    return false;
  }
}

type Entry = ReturnType<PdfReader['entry']>;

function sameEntry(a: NonNullable<Entry>, b: NonNullable<Entry>): boolean {
  return a.kind === b.kind && a.offset === b.offset && a.gen === b.gen && a.stream === b.stream;
}
