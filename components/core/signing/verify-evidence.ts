/**
 * Offline re-verification of a passkey signature (DESIGN.md, "Signing model"): anyone
 * holding a `PasskeyEvidence` can check, with WebCrypto alone, that the signer's
 * authenticator signed exactly this payload for this relying party. Runs in browsers
 * (`<overa-verify>`) and in Node (the server) alike: no Node built-ins, no server library.
 */
import { sha256 } from '../digest.ts';
import { fromBase64Url, toBase64Url } from '../encoding.ts';
import type { Indication, ReportReason, SignatureReportEntry, SignatureScope, SubIndication } from '../report.ts';
import type { UserKind } from '../user.ts';
import { CoseError, importCoseKey, MAX_COSE_KEY_BYTES, verifyCoseSignature, type CosePublicKey } from './cose.ts';
import { isDigest, payloadChallenge, type Signer, type SigningPayload } from './payload.ts';

export interface VerifyPasskeyOptions {
  /** The relying party id the credential is scoped to (e.g. `eprijava.gov.rs`). */
  rpId: string;
  /** Origins a signing ceremony may have run on (e.g. `https://eprijava.gov.rs`). */
  allowedOrigins: readonly string[];
  /** Require the UV flag (PIN or biometrics). Default true: a signature is a deliberate act. */
  requireUserVerification?: boolean;
}

/** The reason codes `verifyPasskeyEvidence` reports; elements translate them. */
export type PasskeyReasonCode =
  /** A field is missing, of the wrong type or not decodable; `detail` names it. */
  | 'malformed'
  /** A field is over its size limit and was not looked at. */
  | 'too-large'
  /** The challenge signed is not SHA-256 of this payload: the payload was changed. */
  | 'challenge-mismatch'
  /** clientData.type is not `webauthn.get` (e.g. a registration's data). */
  | 'wrong-type'
  | 'origin-not-allowed'
  | 'rp-id-mismatch'
  | 'user-not-present'
  | 'user-not-verified'
  /** The signature does not verify with the credential's public key. */
  | 'bad-signature'
  /** The key's algorithm is not ES256, RS256 or EdDSA. */
  | 'unsupported-algorithm'
  /** The key's parameters are ones we do not verify (RSA outside 2048–8192 bits, Ed448). */
  | 'unsupported-key'
  /** `evidence.algorithm` is not the algorithm of `evidence.publicKey`. */
  | 'algorithm-mismatch'
  /** The verifier itself failed; nothing can be said about the signature. */
  | 'verifier-error';

/**
 * Size limits, checked on the encoded strings before anything is decoded or hashed, so a
 * hostile evidence costs no more than a real one. Bytes for binary fields, characters for text.
 */
export const PASSKEY_EVIDENCE_LIMITS = {
  clientDataJSON: 64 * 1024,
  authenticatorData: 64 * 1024,
  /** An RSA-8192 signature; ES256 DER is at most 72 bytes, Ed25519 64. */
  signature: 1024,
  /** WebAuthn caps credential ids at 1023 bytes. */
  credentialId: 1023,
  publicKey: MAX_COSE_KEY_BYTES,
  /** subject.type, subject.id, action, nonce, signer ids and roles. */
  text: 256,
  displayName: 1024,
  roles: 64,
} as const;

const OUTCOME: Record<PasskeyReasonCode, { indication: Indication; subIndication?: SubIndication }> = {
  'malformed': { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' },
  'too-large': { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' },
  'algorithm-mismatch': { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' },
  'challenge-mismatch': { indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' },
  'bad-signature': { indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE' },
  'wrong-type': { indication: 'TOTAL_FAILED', subIndication: 'SIG_CONSTRAINTS_FAILURE' },
  'origin-not-allowed': { indication: 'TOTAL_FAILED', subIndication: 'SIG_CONSTRAINTS_FAILURE' },
  'rp-id-mismatch': { indication: 'TOTAL_FAILED', subIndication: 'SIG_CONSTRAINTS_FAILURE' },
  'user-not-present': { indication: 'TOTAL_FAILED', subIndication: 'SIG_CONSTRAINTS_FAILURE' },
  'user-not-verified': { indication: 'TOTAL_FAILED', subIndication: 'SIG_CONSTRAINTS_FAILURE' },
  'unsupported-algorithm': { indication: 'INDETERMINATE', subIndication: 'FORMAT_FAILURE' },
  'unsupported-key': { indication: 'INDETERMINATE', subIndication: 'FORMAT_FAILURE' },
  'verifier-error': { indication: 'INDETERMINATE' },
};

/**
 * When several checks fail, the sub-indication is the most basic one, in the order a DSS
 * validation runs them: the format, then the data hash, then the signature value, then
 * the constraints on it.
 */
const SUB_ORDER: SubIndication[] = ['FORMAT_FAILURE', 'HASH_FAILURE', 'SIG_CRYPTO_FAILURE', 'SIG_CONSTRAINTS_FAILURE'];

const USER_KINDS: readonly UserKind[] = ['citizen', 'official', 'admin'];
const PAYLOAD_KEYS = new Set(['v', 'purpose', 'subject', 'action', 'digest', 'nonce', 'iat']);
const SUBJECT_KEYS = new Set(['type', 'id']);
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
/** rpIdHash (32) ‖ flags (1) ‖ signCount (4). */
const AUTH_DATA_MIN = 37;

type Fail = (code: PasskeyReasonCode, detail?: string) => void;

interface Draft {
  id: string;
  reasons: ReportReason[];
  signer?: Signer;
  signedAt?: string;
  scope?: SignatureScope;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isText(v: unknown, max: number = PASSKEY_EVIDENCE_LIMITS.text): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

/** Own enumerable keys outside `allowed`, for refusing fields the signature does not cover. */
function extraKeys(v: Record<string, unknown>, allowed: Set<string>): string[] {
  return Object.keys(v).filter((k) => !allowed.has(k));
}

/**
 * Decodes a base64url field after checking its size. Only the canonical unpadded
 * encoding is accepted, so one set of bytes has exactly one evidence string.
 */
function binaryField(value: unknown, name: string, maxBytes: number, fail: Fail): Uint8Array | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    fail('malformed', `${name}: not a base64url string`);
    return undefined;
  }
  if (value.length > Math.ceil((maxBytes * 4) / 3)) {
    fail('too-large', `${name}: over ${maxBytes} bytes`);
    return undefined;
  }
  if (!BASE64URL.test(value) || value.length % 4 === 1) {
    fail('malformed', `${name}: not base64url`);
    return undefined;
  }
  const bytes = fromBase64Url(value);
  if (toBase64Url(bytes) !== value) {
    fail('malformed', `${name}: not canonical base64url`);
    return undefined;
  }
  return bytes;
}

/** A clean copy of a well-formed v1 signing payload, or undefined (with reasons). */
function readPayload(value: unknown, fail: Fail): SigningPayload | undefined {
  if (!isRecord(value)) {
    fail('malformed', 'payload: not an object');
    return undefined;
  }
  // Read each field once: a getter could answer differently the second time.
  const { v, purpose, subject, action, digest, nonce, iat } = value;
  const problems: string[] = [];
  const extra = extraKeys(value, PAYLOAD_KEYS);
  // Fields outside the canonical form are not covered by the signature; refuse them rather
  // than let a viewer show them as signed.
  if (extra.length > 0) problems.push(`unexpected field(s) ${extra.slice(0, 5).join(', ')}`);
  if (v !== 1) problems.push('v is not 1');
  if (purpose !== 'overa-sign') problems.push('purpose is not overa-sign');
  let subjectType: unknown;
  let subjectId: unknown;
  if (!isRecord(subject)) {
    problems.push('subject is not an object');
  } else {
    ({ type: subjectType, id: subjectId } = subject);
    if (extraKeys(subject, SUBJECT_KEYS).length > 0) problems.push('subject has unexpected fields');
    if (!isText(subjectType) || !isText(subjectId)) problems.push('subject.type and subject.id must be short non-empty strings');
  }
  if (!isText(action)) problems.push('action must be a short non-empty string');
  if (!isDigest(digest)) problems.push('digest is not sha256:<base64url>');
  if (!isText(nonce) || !BASE64URL.test(nonce)) problems.push('nonce must be short base64url');
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat) || iat < 0) problems.push('iat must be a non-negative integer');
  if (problems.length > 0) {
    fail('malformed', `payload: ${problems.join('; ')}`);
    return undefined;
  }
  return {
    v: 1,
    purpose: 'overa-sign',
    subject: { type: subjectType as string, id: subjectId as string },
    action: action as string,
    digest: digest as string,
    nonce: nonce as string,
    iat: iat as number,
  };
}

/** A clean copy of a well-formed signer. `agencyId` may be absent (JSON drops undefined). */
function readSigner(value: unknown, fail: Fail): Signer | undefined {
  const bad = () => {
    fail('malformed', 'signer: needs id, displayName, kind, roles and agencyId (string or null)');
    return undefined;
  };
  if (!isRecord(value)) return bad();
  const { id, displayName, kind, agencyId, roles } = value;
  if (!isText(id) || !isText(displayName, PASSKEY_EVIDENCE_LIMITS.displayName)) return bad();
  if (typeof kind !== 'string' || !(USER_KINDS as readonly string[]).includes(kind)) return bad();
  if (!(agencyId === undefined || agencyId === null || isText(agencyId))) return bad();
  if (!Array.isArray(roles) || roles.length > PASSKEY_EVIDENCE_LIMITS.roles) return bad();
  const roleList = roles.slice();
  if (!roleList.every((r) => isText(r))) return bad();
  return { id, displayName, kind: kind as UserKind, agencyId: agencyId ?? null, roles: roleList as string[] };
}

function readSignedAt(value: unknown, fail: Fail): string | undefined {
  if (typeof value === 'string' && value.length <= 40 && ISO_INSTANT.test(value) && Number.isFinite(Date.parse(value))) return value;
  fail('malformed', 'signedAt: not an ISO 8601 date-time');
  return undefined;
}

interface ClientData {
  type: string;
  challenge: string;
  origin: string;
}

function readClientData(bytes: Uint8Array, fail: Fail): ClientData | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    fail('malformed', 'clientDataJSON: not UTF-8 JSON');
    return undefined;
  }
  if (!isRecord(parsed)) {
    fail('malformed', 'clientDataJSON: not a JSON object');
    return undefined;
  }
  const { type, challenge, origin } = parsed;
  if (typeof type !== 'string' || typeof challenge !== 'string' || typeof origin !== 'string') {
    fail('malformed', 'clientDataJSON: type, challenge and origin must be strings');
    return undefined;
  }
  return { type, challenge, origin };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function check(evidence: unknown, options: VerifyPasskeyOptions, draft: Draft): Promise<void> {
  const fail: Fail = (code, detail) => {
    draft.reasons.push(detail === undefined ? { code } : { code, detail });
  };
  if (!isRecord(evidence)) {
    fail('malformed', 'evidence: not an object');
    return;
  }
  const { payload: payloadIn, credentialId, publicKey, algorithm, authenticatorData, clientDataJSON, signature, signer, signedAt } = evidence;

  const credentialBytes = binaryField(credentialId, 'credentialId', PASSKEY_EVIDENCE_LIMITS.credentialId, fail);
  if (credentialBytes) draft.id = credentialId as string;

  const payload = readPayload(payloadIn, fail);
  if (payload) draft.scope = { digest: payload.digest, subject: { ...payload.subject }, action: payload.action };
  const who = readSigner(signer, fail);
  if (who) draft.signer = who;
  const when = readSignedAt(signedAt, fail);
  if (when) draft.signedAt = when;

  const authData = binaryField(authenticatorData, 'authenticatorData', PASSKEY_EVIDENCE_LIMITS.authenticatorData, fail);
  const clientDataBytes = binaryField(clientDataJSON, 'clientDataJSON', PASSKEY_EVIDENCE_LIMITS.clientDataJSON, fail);
  const signatureBytes = binaryField(signature, 'signature', PASSKEY_EVIDENCE_LIMITS.signature, fail);
  const keyBytes = binaryField(publicKey, 'publicKey', PASSKEY_EVIDENCE_LIMITS.publicKey, fail);
  const alg = typeof algorithm === 'number' && Number.isSafeInteger(algorithm) ? algorithm : undefined;
  if (alg === undefined) fail('malformed', 'algorithm: not a COSE algorithm identifier');

  // The client data: what the browser says was signed, where, and for which challenge.
  const clientData = clientDataBytes && readClientData(clientDataBytes, fail);
  if (clientData) {
    if (payload && clientData.challenge !== toBase64Url(await payloadChallenge(payload))) {
      fail('challenge-mismatch', 'the challenge signed is not SHA-256 of this payload');
    }
    if (clientData.type !== 'webauthn.get') fail('wrong-type', `clientData.type is ${JSON.stringify(clientData.type.slice(0, 40))}`);
    if (!options.allowedOrigins.includes(clientData.origin)) fail('origin-not-allowed', `origin ${JSON.stringify(clientData.origin.slice(0, 200))}`);
  }

  // The authenticator data: which relying party, and what the authenticator saw of the user.
  // Bytes after the fixed 37 (extensions) are covered by the signature and not read here.
  if (authData) {
    if (authData.length < AUTH_DATA_MIN) {
      fail('malformed', `authenticatorData: ${authData.length} bytes, at least ${AUTH_DATA_MIN} expected`);
    } else {
      if (!equalBytes(authData.subarray(0, 32), await sha256(options.rpId))) fail('rp-id-mismatch', `rpIdHash is not SHA-256 of ${options.rpId}`);
      const flags = authData[32]!;
      if (!(flags & FLAG_UP)) fail('user-not-present');
      if ((options.requireUserVerification ?? true) && !(flags & FLAG_UV)) fail('user-not-verified');
    }
  }

  // The key, and the signature over authenticatorData ‖ SHA-256(clientDataJSON).
  let key: CosePublicKey | undefined;
  if (keyBytes) {
    try {
      key = await importCoseKey(keyBytes);
    } catch (err) {
      if (!(err instanceof CoseError)) throw err;
      fail(err.code, `publicKey: ${err.message}`);
    }
  }
  if (key && alg !== undefined && key.alg !== alg) {
    fail('algorithm-mismatch', `evidence says ${alg}, the key is ${key.alg} (${key.name})`);
  }
  if (key && authData && authData.length >= AUTH_DATA_MIN && clientDataBytes && signatureBytes) {
    const signed = new Uint8Array(authData.length + 32);
    signed.set(authData, 0);
    signed.set(await sha256(clientDataBytes), authData.length);
    let valid = false;
    try {
      valid = await verifyCoseSignature(key, signatureBytes, signed);
    } catch (err) {
      if (err instanceof CoseError) {
        fail('malformed', `signature: ${err.message}`);
        return;
      }
      // WebCrypto may throw rather than answer false for a signature of the wrong length.
      valid = false;
    }
    if (!valid) fail('bad-signature');
  }
}

/** The entry's indication from its reasons: see OUTCOME and SUB_ORDER. */
function finish(draft: Draft): SignatureReportEntry {
  const entry: SignatureReportEntry = { id: draft.id, kind: 'passkey', indication: 'TOTAL_PASSED', reasons: draft.reasons };
  if (draft.reasons.length > 0) {
    const outcomes = draft.reasons.map((r) => OUTCOME[r.code as PasskeyReasonCode]);
    const failed = outcomes.filter((o) => o.indication === 'TOTAL_FAILED');
    if (failed.length > 0) {
      entry.indication = 'TOTAL_FAILED';
      const subs = new Set(failed.map((o) => o.subIndication));
      const sub = SUB_ORDER.find((s) => subs.has(s));
      if (sub) entry.subIndication = sub;
    } else {
      entry.indication = 'INDETERMINATE';
      const sub = outcomes.find((o) => o.subIndication !== undefined)?.subIndication;
      if (sub) entry.subIndication = sub;
    }
  }
  if (draft.signer) entry.signer = draft.signer;
  if (draft.signedAt) entry.signedAt = draft.signedAt;
  if (draft.scope) entry.scope = draft.scope;
  return entry;
}

/**
 * Re-verifies a passkey signature offline and reports on it as one signature entry. Never
 * throws and never trusts its input: anything that is not well-formed evidence is a
 * TOTAL_FAILED / FORMAT_FAILURE entry saying which field is wrong. Every failed check is
 * listed, not only the first. It does not check the signature counter (it needs state) nor
 * that the credential belongs to the signer (the agency's seal vouches for that).
 */
export async function verifyPasskeyEvidence(evidence: unknown, options: VerifyPasskeyOptions): Promise<SignatureReportEntry> {
  const draft: Draft = { id: '', reasons: [] };
  try {
    await check(evidence, options, draft);
  } catch (err) {
    // A throwing getter on the input, or a bug here: say nothing about the signature.
    draft.reasons.push({ code: 'verifier-error', detail: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 200) : 'unknown error' });
  }
  return finish(draft);
}
