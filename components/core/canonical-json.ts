import canonicalizeImpl from 'canonicalize';

/** A JSON value as RFC 8785 sees it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation: the one canonical form that every
 * digest and hash chain in Overa is computed over, in the browser and on the server alike.
 * Uses `canonicalize`, the implementation by the RFC's co-author.
 */
export function canonicalJson(value: JsonValue): string {
  const out = (canonicalizeImpl as unknown as (v: unknown) => string | undefined)(value);
  if (out === undefined) throw new TypeError('value cannot be canonicalized');
  return out;
}

/** Canonical JSON as UTF-8 bytes. */
export function canonicalBytes(value: JsonValue): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}
