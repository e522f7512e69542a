import { canonicalBytes, type JsonValue } from './canonical-json.ts';
import { toHex } from './encoding.ts';

/** SHA-256 with WebCrypto (globalThis.crypto exists in browsers and in Node ≥ 20). */
export async function sha256(data: Uint8Array | string): Promise<Uint8Array> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** Hex SHA-256 of the canonical JSON of a value. */
export async function canonicalSha256Hex(value: JsonValue): Promise<string> {
  return toHex(await sha256(canonicalBytes(value)));
}
