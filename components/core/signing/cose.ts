/**
 * COSE public keys (RFC 9052/9053, as WebAuthn registers them) → WebCrypto keys, and the
 * signature conversions WebCrypto needs. Only what passkeys use: ES256, RS256 and EdDSA
 * (Ed25519). Browser-safe: WebCrypto and `@levischuck/tiny-cbor`, no Node built-ins.
 */
import { decodeCBOR, type CBORType } from '@levischuck/tiny-cbor';
import { fromBase64Url, toBase64Url } from '../encoding.ts';

/** COSE algorithm identifiers Overa verifies. */
export const COSE_ALG = { ES256: -7, EdDSA: -8, RS256: -257 } as const;
export type CoseAlgorithm = (typeof COSE_ALG)[keyof typeof COSE_ALG];
export type CoseAlgorithmName = keyof typeof COSE_ALG;

/** Why a key or signature could not be used; the verifier turns the code into a report reason. */
export type CoseErrorCode = 'malformed' | 'unsupported-algorithm' | 'unsupported-key';

export class CoseError extends Error {
  constructor(
    readonly code: CoseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CoseError';
  }
}

/** A credential public key ready for WebCrypto. */
export interface CosePublicKey {
  alg: CoseAlgorithm;
  name: CoseAlgorithmName;
  key: CryptoKey;
}

/**
 * Largest COSE_Key accepted, in bytes. An RSA-8192 key is about 1.05 KB; anything bigger is
 * not a passkey and is refused before it is decoded.
 */
export const MAX_COSE_KEY_BYTES = 2048;

// COSE labels (RFC 9052 §7.1, RFC 9053 §7).
const KTY = 1;
const ALG = 3;
const CRV = -1; // EC2 / OKP
const X = -2; // EC2 / OKP
const Y = -3; // EC2
const RSA_N = -1;
const RSA_E = -2;
const KTY_OKP = 1;
const KTY_EC2 = 2;
const KTY_RSA = 3;
const CRV_P256 = 1;
const CRV_ED25519 = 6;

const RSA_MIN_BITS = 2048;
const RSA_MAX_BITS = 8192;

/** A fresh copy whose buffer is exactly its bytes, typed for WebCrypto. */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

function bytesOf(map: Map<string | number, CBORType>, label: number, what: string): Uint8Array {
  const v = map.get(label);
  if (!(v instanceof Uint8Array)) throw new CoseError('malformed', `COSE key: ${what} is not a byte string`);
  return v;
}

function intOf(map: Map<string | number, CBORType>, label: number, what: string): number {
  const v = map.get(label);
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new CoseError('malformed', `COSE key: ${what} is not an integer`);
  return v;
}

/** Decodes a COSE_Key to its CBOR map, refusing anything that is not one. */
export function decodeCoseKey(input: string | Uint8Array): Map<string | number, CBORType> {
  if (typeof input === 'string' && input.length > Math.ceil((MAX_COSE_KEY_BYTES * 4) / 3)) {
    throw new CoseError('malformed', 'COSE key: too large');
  }
  let bytes: Uint8Array;
  try {
    bytes = typeof input === 'string' ? fromBase64Url(input) : input;
  } catch {
    throw new CoseError('malformed', 'COSE key: not base64url');
  }
  if (bytes.length === 0 || bytes.length > MAX_COSE_KEY_BYTES) throw new CoseError('malformed', 'COSE key: empty or too large');
  let decoded: CBORType;
  try {
    // tiny-cbor reads `data.buffer` from offset 0 for byte strings, so hand it a copy whose
    // buffer is exactly these bytes (a subarray would decode the wrong bytes).
    decoded = decodeCBOR(own(bytes));
  } catch {
    throw new CoseError('malformed', 'COSE key: not well-formed CBOR');
  }
  if (!(decoded instanceof Map)) throw new CoseError('malformed', 'COSE key: not a CBOR map');
  return decoded;
}

/** Strips leading zero bytes (JWK wants unsigned integers without them). */
function unsigned(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

/**
 * Imports a credential public key (COSE_Key: CBOR bytes, or base64url of them) for
 * verifying. Throws `CoseError`: `unsupported-algorithm` for algorithms other than ES256,
 * RS256 and EdDSA; `unsupported-key` for parameters we will not use (RSA outside
 * 2048–8192 bits); `malformed` for everything else, including points not on the curve.
 */
export async function importCoseKey(input: string | Uint8Array): Promise<CosePublicKey> {
  const map = decodeCoseKey(input);
  const kty = intOf(map, KTY, 'kty');
  // WebAuthn requires `alg` in a credential public key (§6.5.1.1), so a missing one is malformed.
  const alg = intOf(map, ALG, 'alg');
  if (alg !== COSE_ALG.ES256 && alg !== COSE_ALG.RS256 && alg !== COSE_ALG.EdDSA) {
    throw new CoseError('unsupported-algorithm', `COSE key: algorithm ${alg} is not supported`);
  }
  try {
    if (alg === COSE_ALG.ES256) {
      if (kty !== KTY_EC2) throw new CoseError('malformed', 'COSE key: ES256 needs kty EC2');
      if (intOf(map, CRV, 'crv') !== CRV_P256) throw new CoseError('malformed', 'COSE key: ES256 needs curve P-256');
      const x = bytesOf(map, X, 'x');
      const y = bytesOf(map, Y, 'y');
      if (x.length !== 32 || y.length !== 32) throw new CoseError('malformed', 'COSE key: P-256 coordinates must be 32 bytes');
      const point = new Uint8Array(65);
      point[0] = 0x04; // uncompressed point
      point.set(x, 1);
      point.set(y, 33);
      const key = await crypto.subtle.importKey('raw', point, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      return { alg, name: 'ES256', key };
    }
    if (alg === COSE_ALG.RS256) {
      if (kty !== KTY_RSA) throw new CoseError('malformed', 'COSE key: RS256 needs kty RSA');
      const n = unsigned(bytesOf(map, RSA_N, 'n'));
      const e = unsigned(bytesOf(map, RSA_E, 'e'));
      if (n.length === 0 || n[0] === 0) throw new CoseError('malformed', 'COSE key: RSA modulus is zero');
      // Bit length: whole bytes, less the leading zero bits of the first (clz32 counts 24 extra).
      const bits = n.length * 8 - (Math.clz32(n[0]!) - 24);
      if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) throw new CoseError('unsupported-key', `COSE key: RSA modulus of ${bits} bits`);
      if (e.length > 8 || (e[e.length - 1]! & 1) === 0 || (e.length === 1 && e[0]! < 3)) {
        throw new CoseError('malformed', 'COSE key: RSA exponent is not an odd integer ≥ 3');
      }
      const jwk: JsonWebKey = { kty: 'RSA', n: toBase64Url(n), e: toBase64Url(e), alg: 'RS256', ext: true };
      const key = await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
      return { alg, name: 'RS256', key };
    }
    if (kty !== KTY_OKP) throw new CoseError('malformed', 'COSE key: EdDSA needs kty OKP');
    // EdDSA (-8) in COSE also covers Ed448; WebAuthn authenticators use Ed25519, and so do we.
    if (intOf(map, CRV, 'crv') !== CRV_ED25519) throw new CoseError('unsupported-key', 'COSE key: EdDSA is supported on Ed25519 only');
    const x = bytesOf(map, X, 'x');
    if (x.length !== 32) throw new CoseError('malformed', 'COSE key: Ed25519 key must be 32 bytes');
    const key = await crypto.subtle.importKey('raw', own(x), { name: 'Ed25519' }, false, ['verify']);
    return { alg, name: 'EdDSA', key };
  } catch (err) {
    if (err instanceof CoseError) throw err;
    // WebCrypto refuses points off the curve and broken RSA parameters with a DataError.
    throw new CoseError('malformed', `COSE key: rejected by WebCrypto (${err instanceof Error ? err.name : 'error'})`);
  }
}

/**
 * ECDSA signature DER `SEQUENCE { INTEGER r, INTEGER s }` (what WebAuthn authenticators and
 * CMS signers produce) → raw `r‖s` of `size` bytes each (what WebCrypto verifies). Written by
 * hand: it is a few dozen lines, and no maintained browser library does just this without
 * pulling in a whole ASN.1 stack. Strict DER, as OpenSSL requires (a BER reader would take
 * some malformed encodings for the same numbers): minimal lengths (long form only from 128
 * bytes, as P-521 needs), minimal positive integers, no trailing bytes — anything else throws
 * `CoseError('malformed')`.
 */
export function derToRawEcdsa(der: Uint8Array, size = 32): Uint8Array<ArrayBuffer> {
  const bad = (why: string) => new CoseError('malformed', `ECDSA signature: ${why}`);
  // Each INTEGER is at most 2 + size + 1 bytes (short form, size ≤ 66); the SEQUENCE may need 0x81.
  if (der.length < 8 || der.length > 3 + 2 * (3 + size)) throw bad('wrong length');
  const longForm = der[1] === 0x81;
  const bodyLength = longForm ? der[2]! : der[1]!;
  const headLength = longForm ? 3 : 2;
  if (der[0] !== 0x30 || bodyLength !== der.length - headLength || (longForm ? bodyLength < 0x80 : bodyLength >= 0x80)) {
    throw bad('not a DER SEQUENCE');
  }
  const raw = new Uint8Array(2 * size);
  let pos = headLength;
  for (let half = 0; half < 2; half++) {
    if (der[pos] !== 0x02) throw bad('not a DER INTEGER');
    const len = der[pos + 1] ?? 0;
    const start = pos + 2;
    if (len < 1 || len > size + 1 || start + len > der.length) throw bad('bad INTEGER length');
    let v = der.subarray(start, start + len);
    if (v[0]! & 0x80) throw bad('negative INTEGER');
    if (v[0] === 0 && len > 1) {
      if (!(v[1]! & 0x80)) throw bad('INTEGER not minimally encoded');
      v = v.subarray(1);
    }
    if (v.length > size) throw bad('INTEGER too large');
    raw.set(v, half * size + size - v.length);
    pos = start + len;
  }
  if (pos !== der.length) throw bad('trailing bytes');
  return raw;
}

/**
 * Verifies a WebAuthn signature over `data` with a credential key. ES256 signatures arrive
 * DER-encoded and are converted first (a malformed one throws `CoseError('malformed')`);
 * RS256 (PKCS#1 v1.5) and EdDSA signatures are used as they are.
 */
export async function verifyCoseSignature(key: CosePublicKey, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  const signed = own(data);
  switch (key.name) {
    case 'ES256':
      return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key.key, derToRawEcdsa(signature), signed);
    case 'RS256':
      return crypto.subtle.verify({ name: 'RSASSA-PKCS1-v1_5' }, key.key, own(signature), signed);
    case 'EdDSA':
      return crypto.subtle.verify({ name: 'Ed25519' }, key.key, own(signature), signed);
  }
}
