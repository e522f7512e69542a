/**
 * Mutations of signed PDFs (and of the CMS blobs inside them) for fuzzing `verifyDocument`,
 * with a seeded generator so a run can be repeated exactly. Used by the CI fuzz test
 * (test/core/verify-document.test.ts) and the longer run in scripts/fuzz-verify.ts.
 */
import * as asn1js from 'asn1js';
import type { VerificationReport } from '../../components/core/report.ts';
import { signatureContents } from './pdf-sign.ts';

/** mulberry32: small, fast, good enough for choosing mutations. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzSource {
  name: string;
  pdf: Uint8Array;
  /** Where the first signature's hex CMS lies, and the DER it holds. */
  hexStart: number;
  hexEnd: number;
  der: Uint8Array;
  /** Where the first signature dictionary roughly lies (for targeted mutations). */
  dictStart: number;
  dictEnd: number;
  /** What a signature's CMS cannot do without: the signed attributes' content and the signature value. */
  essential: Uint8Array[];
}

/** The signed attributes (contents octets) and the signature value of the CMS's first signer, read with asn1js. */
function essentialParts(der: Uint8Array): Uint8Array[] {
  const info = asn1js.fromBER(der as Uint8Array<ArrayBuffer>).result as asn1js.Sequence;
  const signedData = (info.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
  const signerInfos = signedData.valueBlock.value[signedData.valueBlock.value.length - 1] as asn1js.Set;
  const signer = signerInfos.valueBlock.value[0] as asn1js.Sequence;
  const out: Uint8Array[] = [];
  for (const el of signer.valueBlock.value) {
    const raw = new Uint8Array(el.valueBeforeDecodeView);
    if (el.idBlock.tagClass === 3 && el.idBlock.tagNumber === 0) out.push(raw.subarray(raw.length - (el as asn1js.Constructed).valueBlock.valueBeforeDecodeView.byteLength));
    if (el instanceof asn1js.OctetString) out.push(new Uint8Array(el.valueBlock.valueHexView));
  }
  return out;
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).includes(Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength));
}

export function fuzzSource(name: string, pdf: Uint8Array): FuzzSource {
  const { hexStart, hexEnd, der } = signatureContents(pdf);
  return { name, pdf, hexStart, hexEnd, der, dictStart: Math.max(0, hexStart - 400), dictEnd: Math.min(pdf.length, hexEnd + 200), essential: essentialParts(der) };
}

export const MUTATIONS = [
  'bit-flip',
  'dictionary-byte',
  'cms-hex-digit',
  'cms-blob',
  'truncate',
  'insert',
  'delete',
  'duplicate-chunk',
  'byte-range-numbers',
  'cms-length-bytes',
] as const;
export type MutationKind = (typeof MUTATIONS)[number];

const HEX = '0123456789abcdef';

/** Concatenates byte arrays (spreading half a megabyte into Uint8Array.of would overflow the stack). */
function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Writes `der` as hex into the source's gap (padded with zeros, or cut to fit). */
function withCms(src: FuzzSource, der: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.pdf);
  const width = src.hexEnd - src.hexStart;
  const hex = hexOf(der).slice(0, width).padEnd(width, '0');
  out.set(Buffer.from(hex, 'latin1'), src.hexStart);
  return out;
}

/** One mutation of `src`, chosen by `random`. */
export function mutate(src: FuzzSource, random: () => number, kind: MutationKind = MUTATIONS[Math.floor(random() * MUTATIONS.length)]!): { kind: MutationKind; pdf: Uint8Array } {
  const pick = (n: number) => Math.floor(random() * n);
  const { pdf } = src;
  let out: Uint8Array;
  switch (kind) {
    case 'bit-flip': {
      out = new Uint8Array(pdf);
      for (let i = 1 + pick(4); i > 0; i--) out[pick(out.length)]! ^= 1 << pick(8);
      break;
    }
    case 'dictionary-byte': {
      out = new Uint8Array(pdf);
      const at = src.dictStart + pick(src.dictEnd - src.dictStart);
      out[at] = '0123456789 <>[]/()RobjB'.charCodeAt(pick(23));
      break;
    }
    case 'cms-hex-digit': {
      out = new Uint8Array(pdf);
      const at = src.hexStart + pick(Math.min(src.hexEnd - src.hexStart, 2 * src.der.length + 8));
      out[at] = HEX.charCodeAt(pick(16));
      break;
    }
    case 'cms-blob': {
      const der = new Uint8Array(src.der);
      const op = pick(4);
      if (op === 0) for (let i = 1 + pick(3); i > 0; i--) der[pick(der.length)] = pick(256);
      if (op === 1) return { kind, pdf: withCms(src, der.subarray(0, pick(der.length))) };
      if (op === 2) {
        const at = pick(der.length);
        return { kind, pdf: withCms(src, concat(der.subarray(0, at), der.subarray(at + 1 + pick(8)))) };
      }
      if (op === 3) {
        const at = pick(der.length);
        return { kind, pdf: withCms(src, concat(der.subarray(0, at), Array.from({ length: 1 + pick(8) }, () => pick(256)), der.subarray(at))) };
      }
      out = withCms(src, der);
      break;
    }
    case 'cms-length-bytes': {
      // Length octets are where BER parsers go wrong: set one to a large or indefinite value.
      const der = new Uint8Array(src.der);
      const at = 1 + pick(Math.min(der.length - 1, 200));
      der[at] = [0x80, 0x81, 0x82, 0x83, 0x84, 0xff, 0x00, 0x7f][pick(8)]!;
      out = withCms(src, der);
      break;
    }
    case 'truncate':
      out = pdf.slice(0, pick(pdf.length));
      break;
    case 'insert': {
      const at = pick(pdf.length + 1);
      const extra = Array.from({ length: 1 + pick(16) }, () => pick(256));
      out = concat(pdf.subarray(0, at), extra, pdf.subarray(at));
      break;
    }
    case 'delete': {
      const at = pick(pdf.length);
      out = concat(pdf.subarray(0, at), pdf.subarray(Math.min(pdf.length, at + 1 + pick(64))));
      break;
    }
    case 'duplicate-chunk': {
      const from = src.dictStart + pick(src.dictEnd - src.dictStart);
      const len = 1 + pick(600);
      const at = pick(pdf.length);
      out = concat(pdf.subarray(0, at), pdf.subarray(from, from + len), pdf.subarray(at));
      break;
    }
    case 'byte-range-numbers': {
      const text = Buffer.from(pdf).toString('latin1');
      const m = /\/ByteRange\s*\[([^\]]*)\]/.exec(text)!;
      const inner = m[1]!;
      const numbers = [0, src.hexStart - 1, src.hexEnd + 1, pdf.length - src.hexEnd - 1];
      const i = pick(4);
      numbers[i] = [0, 1, -1, pdf.length, 2 ** 31, numbers[i]! + 1 + pick(100), numbers[i]! - 1 - pick(100)][pick(7)]!;
      const replacement = numbers.join(' ').slice(0, inner.length).padEnd(inner.length, ' ');
      out = new Uint8Array(pdf);
      out.set(Buffer.from(replacement, 'latin1'), m.index + m[0].indexOf('[') + 1);
      break;
    }
  }
  return { kind, pdf: out };
}

/**
 * What must hold for any input: a well-formed report, every failure with a reason; and
 * TOTAL_PASSED only when nothing the signature covers changed: outside the gap the bytes are
 * equal, and the CMS read from the gap still holds the original signed attributes and
 * signature value (a change elsewhere in the CMS — a second copy of a certificate, hex case,
 * padding — leaves a valid signature valid).
 */
export function invariantProblem(src: FuzzSource, mutated: Uint8Array, report: VerificationReport): string | undefined {
  const indications = ['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE'];
  if (!indications.includes(report.indication)) return `bad indication ${String(report.indication)}`;
  if (!Array.isArray(report.signatures) || report.signaturesCount !== report.signatures.length) return 'signature count mismatch';
  for (const e of report.signatures) {
    if (!indications.includes(e.indication) || !Array.isArray(e.reasons)) return 'malformed entry';
    if (e.indication !== 'TOTAL_PASSED' && e.reasons.length === 0) return `entry ${e.id} is ${e.indication} without a reason`;
  }
  if (report.indication !== 'TOTAL_PASSED' && report.signatures.every((e) => e.indication === 'TOTAL_PASSED') && !report.reasons?.length) {
    return 'not passed, yet no entry and no document reason says why';
  }
  if (report.indication === 'TOTAL_PASSED') {
    if (mutated.length !== src.pdf.length) return 'TOTAL_PASSED after a change of length';
    for (let i = 0; i < mutated.length; i++) {
      if ((i < src.hexStart || i >= src.hexEnd) && mutated[i] !== src.pdf[i]) return `TOTAL_PASSED with byte ${i} changed`;
    }
    const hex = Buffer.from(mutated.subarray(src.hexStart, src.hexEnd)).toString('latin1').replace(/[\s\0]/g, '');
    const der = new Uint8Array(Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex'));
    if (!src.essential.every((part) => contains(der, part))) return 'TOTAL_PASSED with changed signed attributes or signature value';
  }
  return undefined;
}
