/**
 * The outer layers of DER: one tag-length-value at a time, without decoding what is inside.
 *
 * Written by hand because asn1js, our ASN.1 library, only decodes a whole tree: every block
 * of every certificate a CMS carries becomes objects, at about 1 ms per kilobyte on this
 * project's machines (each block passes @peculiar/utils's type checks several times). A
 * SignedData's top levels — which field is where, and each certificate's exact bytes — need
 * only the lengths, so parseCms splits them here and hands asn1js the small fields it reads.
 * Definite lengths only: BER's indefinite form (and anything that does not add up) gives
 * undefined, and the caller falls back to asn1js for the whole value.
 */

export interface Tlv {
  /** The identifier octet (class, constructed bit and a low tag number). */
  tag: number;
  /** The whole encoding: identifier, length and contents. */
  bytes: Uint8Array;
  /** The contents alone. */
  value: Uint8Array;
}

/** DER identifier octets the CMS top levels use. */
export const TAG = {
  integer: 0x02,
  octetString: 0x04,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
  context0: 0xa0,
  context1: 0xa1,
} as const;

/** The TLV at `offset` of `bytes`; undefined when it is not one this reader takes (see above). */
export function readTlv(bytes: Uint8Array, offset = 0): Tlv | undefined {
  if (offset + 2 > bytes.length) return undefined;
  const tag = bytes[offset]!;
  // High tag numbers (0x1f) do not occur in the layers read here.
  if ((tag & 0x1f) === 0x1f) return undefined;
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    // 0 is BER's indefinite form; more than 4 octets of length is more than a CMS can hold.
    if (n === 0 || n > 4 || start + n > bytes.length) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[start + i]!;
    start += n;
  }
  const end = start + length;
  if (end > bytes.length) return undefined;
  return { tag, bytes: bytes.subarray(offset, end), value: bytes.subarray(start, end) };
}

/** Every TLV inside a constructed value's contents, in order; undefined when they do not fill it exactly. */
export function readChildren(value: Uint8Array): Tlv[] | undefined {
  const children: Tlv[] = [];
  for (let offset = 0; offset < value.length;) {
    const child = readTlv(value, offset);
    if (!child) return undefined;
    children.push(child);
    offset += child.bytes.length;
  }
  return children;
}

/** The DER encoding of `tag` over the concatenated `parts` (definite length, shortest form). */
export function encodeTlv(tag: number, ...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const p of parts) length += p.length;
  const lengthBytes: number[] = [];
  if (length < 0x80) lengthBytes.push(length);
  else {
    for (let n = length; n > 0; n = Math.floor(n / 256)) lengthBytes.unshift(n & 0xff);
    lengthBytes.unshift(0x80 | lengthBytes.length);
  }
  const out = new Uint8Array(1 + lengthBytes.length + length);
  out[0] = tag;
  out.set(lengthBytes, 1);
  let offset = 1 + lengthBytes.length;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
