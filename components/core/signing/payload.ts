/**
 * The signing payload (DESIGN.md, "Signing model"): what a passkey signature in Overa is
 * bound to. The WebAuthn challenge is SHA-256 of the payload's canonical JSON, so an
 * assertion made for one subject, action or content cannot be used for another.
 */
import { canonicalBytes, type JsonValue } from '../canonical-json.ts';
import { sha256 } from '../digest.ts';
import { formatFingerprint } from '../fingerprint.ts';
import { toBase64Url } from '../encoding.ts';
import type { UserKind } from '../user.ts';

/** What is being signed: an `application` (submit), a `decision` (a step of a case) or a `reception` (accept). */
export interface SigningSubject {
  type: string;
  id: string;
}

export interface SigningPayload {
  v: 1;
  purpose: 'overa-sign';
  subject: SigningSubject;
  /** What the signer does to the subject, e.g. `submit`, `approve`, `accept`. */
  action: string;
  /** `sha256:` + base64url of SHA-256 over the subject's canonical content. */
  digest: string;
  /** Random base64url, so two signatures of the same content are distinct ceremonies. */
  nonce: string;
  /** Issued at, in seconds since the epoch. */
  iat: number;
}

/** Who signed, as the server knew them at signing time. */
export interface Signer {
  id: string;
  displayName: string;
  kind: UserKind;
  agencyId: string | null;
  roles: string[];
}

/**
 * A passkey signature as kept and handed out: enough for anyone to re-verify it offline
 * with `verifyPasskeyEvidence`. Binary values are base64url.
 */
export interface PasskeyEvidence {
  payload: SigningPayload;
  credentialId: string;
  /** The credential's COSE_Key, as registered. */
  publicKey: string;
  /** COSE algorithm identifier: -7 ES256, -257 RS256, -8 EdDSA. */
  algorithm: number;
  authenticatorData: string;
  clientDataJSON: string;
  signature: string;
  signer: Signer;
  /** When the server accepted the signature (ISO 8601). */
  signedAt: string;
}

const DIGEST_PREFIX = 'sha256:';

/** `sha256:` + base64url(SHA-256(canonical JSON of content)): the `digest` of a payload. */
export async function contentDigest(content: JsonValue): Promise<string> {
  return DIGEST_PREFIX + toBase64Url(await sha256(canonicalBytes(content)));
}

/** True for a well-formed digest string (43 base64url characters after `sha256:`). */
export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && /^sha256:[A-Za-z0-9_-]{43}$/.test(value);
}

/** The payload as a JSON value, for canonicalisation. */
function asJson(payload: SigningPayload): JsonValue {
  return {
    v: payload.v,
    purpose: payload.purpose,
    subject: { type: payload.subject.type, id: payload.subject.id },
    action: payload.action,
    digest: payload.digest,
    nonce: payload.nonce,
    iat: payload.iat,
  };
}

/** The canonical bytes of a payload (RFC 8785). */
export function payloadBytes(payload: SigningPayload): Uint8Array {
  return canonicalBytes(asJson(payload));
}

/** The WebAuthn challenge for a payload: SHA-256 of its canonical JSON. */
export function payloadChallenge(payload: SigningPayload): Promise<Uint8Array> {
  return sha256(payloadBytes(payload));
}

/** Builds a payload; `nonce` and `iat` default to 16 random bytes and now. */
export function signingPayload(input: {
  subject: SigningSubject;
  action: string;
  digest: string;
  nonce?: string;
  iat?: number;
}): SigningPayload {
  return {
    v: 1,
    purpose: 'overa-sign',
    subject: { type: input.subject.type, id: input.subject.id },
    action: input.action,
    digest: input.digest,
    nonce: input.nonce ?? toBase64Url(crypto.getRandomValues(new Uint8Array(16))),
    iat: input.iat ?? Math.floor(Date.now() / 1000),
  };
}

/**
 * A short, readable fingerprint of a digest for people to compare (on screen and on the issued
 * document): core's one fingerprint formatter (fingerprint.ts), upper-case hex in groups of four.
 */
export function digestFingerprint(digest: string): string {
  return formatFingerprint(digest);
}
