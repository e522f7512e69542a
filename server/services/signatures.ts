/**
 * Passkey signatures (DESIGN.md, "Signing model"): the server builds a signing payload over
 * the content it holds, the person's passkey signs its SHA-256 as the WebAuthn challenge, and
 * the server keeps the whole assertion as evidence anyone can re-verify offline. What may be
 * signed, by whom, and over which content is the subject registry's business
 * (services/signing-subjects.ts), not this module's.
 */
import { randomUUID } from 'node:crypto';
import {
  generateAuthenticationOptions,
  type AuthenticatorTransport,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { cose, decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';
import type { SignatureView, SigningOptions as CoreSigningOptions } from '../../components/core/api.ts';
import type { User } from '../../components/core/user.ts';
import { fromBase64Url, toBase64Url } from '../../components/core/encoding.ts';
import {
  payloadChallenge,
  signingPayload,
  type PasskeyEvidence,
  type SigningPayload,
  type SigningSubject,
} from '../../components/core/signing/payload.ts';
import { credentials } from '../db/credentials.ts';
import { signatures } from '../db/signatures.ts';
import { users } from '../db/users.ts';
import { HttpError, invalidField } from '../http-error.ts';
import { appendAudit } from './audit.ts';
import type { Deps } from './deps.ts';
import { passkeyRejected, startFlow, takeFlow } from './flows.ts';
import { verifyAssertion } from './assertions.ts';
import { signingSubjectType, signingSubjectTypes, type SigningContext, type SigningSubjectType } from './signing-subjects.ts';

/** `POST /signatures/options`. */
export type SigningOptions = CoreSigningOptions<PublicKeyCredentialRequestOptionsJSON>;

/** `POST /signatures`, `GET /signatures/:id`. */
export type { SignatureView };

/**
 * A signing ceremony lives 5 minutes whatever `challengeTtl` says: long enough to read what is
 * being signed and find the passkey, short enough that the content cannot drift far.
 */
export const SIGNING_FLOW_TTL = 300;

/** What the flow remembers between options and signing. */
interface SigningFlow {
  userId: string;
  payload: SigningPayload;
  /** What the client said it signs beyond the subject (a decision's comment), as read. */
  context?: SigningContext;
}

// Generous for any real authenticator (an RSA-4096 signature is 684 characters); keeps a
// client from parking a quarter-megabyte "evidence" in the table.
const MAX_RESPONSE_FIELD = 16 * 1024;

const iso = (ms: number) => new Date(ms).toISOString();

function notFound(): HttpError {
  // Unknown, and known but hidden from this user, answer alike.
  return new HttpError(404, 'not-found', 'There is no such subject');
}

function notAllowed(reason: string): HttpError {
  return new HttpError(403, 'not-allowed', 'You may not sign this', { detail: reason });
}

function subjectTypeOf(type: string, action: string): SigningSubjectType<unknown> {
  const t = signingSubjectType(type);
  if (!t) throw invalidField('subject.type', 'unknown', `subject.type must be one of: ${signingSubjectTypes().join(', ')}`);
  if (!t.actions.includes(action)) throw invalidField('action', 'unknown', `action must be one of: ${t.actions.join(', ')}`);
  return t;
}

/**
 * Step 1: the payload over the subject's content as the server holds it now (never a digest
 * from the browser), and request options whose challenge is that payload's SHA-256, limited
 * to the signer's own passkeys.
 */
export async function signingOptions(
  deps: Deps, user: User, input: { subject: SigningSubject; action: string; context?: unknown },
): Promise<SigningOptions> {
  const type = subjectTypeOf(input.subject.type, input.action);
  let context: SigningContext | undefined;
  if (type.readContext) context = type.readContext(input.context);
  else if (input.context !== undefined) throw invalidField('context', 'unexpected', `A signature on ${input.subject.type} takes no context`);
  const subject = await type.load(deps.db, user, input.subject.id, deps.now());
  if (subject === undefined) throw notFound();
  const verdict = type.mayAct(user, subject, input.action);
  if (verdict !== true) throw typeof verdict === 'string' ? notAllowed(verdict) : verdict;

  const payload = signingPayload({
    subject: { type: input.subject.type, id: input.subject.id },
    action: input.action,
    digest: await type.digest(subject, input.action, context),
    iat: Math.floor(deps.now() / 1000),
  });
  const own = await credentials.listForUser(deps.db, user.id);
  const publicKey = await generateAuthenticationOptions({
    rpID: deps.config.rpId,
    challenge: (await payloadChallenge(payload)) as Uint8Array<ArrayBuffer>,
    allowCredentials: own.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransport[] })),
    userVerification: 'required',
    timeout: SIGNING_FLOW_TTL * 1000,
  });
  const flow: SigningFlow = context === undefined ? { userId: user.id, payload } : { userId: user.id, payload, context };
  const flowId = await startFlow<SigningFlow>(deps, 'sign', publicKey.challenge, flow, SIGNING_FLOW_TTL);
  return { flowId, payload, publicKey };
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** One of the assertion's binary fields, checked before it is verified and kept as evidence. */
function responseField(credential: Record<string, unknown>, name: 'authenticatorData' | 'clientDataJSON' | 'signature'): string {
  const response = credential.response;
  const value = response !== null && typeof response === 'object' ? (response as Record<string, unknown>)[name] : undefined;
  const field = `credential.response.${name}`;
  if (typeof value !== 'string' || value === '') throw invalidField(field, 'required', `${field} must be a base64url string`);
  if (value.length > MAX_RESPONSE_FIELD) throw invalidField(field, 'tooLong', `${field} must be at most ${MAX_RESPONSE_FIELD} characters`);
  // Strictly base64url (what toJSON() of a PublicKeyCredential gives): lenient decoders
  // differ on stray characters, and the evidence must hold exactly the bytes that verified.
  if (!BASE64URL.test(value)) throw invalidField(field, 'invalid', `${field} must be base64url`);
  return value;
}

/** The COSE algorithm of a stored public key (-7 ES256, -257 RS256, -8 EdDSA). */
function coseAlgorithm(publicKey: string): number {
  const alg = decodeCredentialPublicKey(fromBase64Url(publicKey) as Uint8Array<ArrayBuffer>).get(cose.COSEKEYS.alg);
  if (typeof alg !== 'number') throw new Error('stored credential public key has no algorithm');
  return alg;
}

/**
 * Step 2: verifies the assertion against the flow's payload and the signer's own passkey,
 * checks again that the action is still allowed and the content still the one signed, and
 * stores the evidence with its audit entry in one transaction.
 */
export async function createSignature(deps: Deps, user: User, input: { flowId: string; credential: Record<string, unknown> }): Promise<SignatureView> {
  const fields = {
    authenticatorData: responseField(input.credential, 'authenticatorData'),
    clientDataJSON: responseField(input.credential, 'clientDataJSON'),
    signature: responseField(input.credential, 'signature'),
  };
  const flow = await takeFlow<SigningFlow>(deps, input.flowId, 'sign');
  if (flow.data.userId !== user.id) {
    // Somebody else's flow id is as good as an unknown one.
    throw new HttpError(400, 'flow-invalid', 'This passkey request is unknown or was already used', {
      detail: 'Start again: ask for new options',
      errors: [{ field: 'flowId', code: 'unknown', message: 'Unknown or already used flowId' }],
    });
  }
  const payload = flow.data.payload;

  const credentialId = input.credential.id;
  if (typeof credentialId !== 'string' || credentialId === '') throw passkeyRejected('credential.id is missing');
  const stored = await credentials.get(deps.db, credentialId);
  // Only the signer's own passkeys sign for them; another person's is refused like an unknown one.
  if (!stored || stored.userId !== user.id) throw passkeyRejected('This passkey is not one of yours');

  // The challenge from the payload itself rather than the stored copy: what is verified is what is kept.
  const verification = await verifyAssertion(deps, input.credential, stored, toBase64Url(await payloadChallenge(payload)));
  const userHandle = (input.credential.response as { userHandle?: unknown }).userHandle;
  if (userHandle !== undefined && userHandle !== null && userHandle !== (await users.webauthnUserId(deps.db, user.id))) {
    throw passkeyRejected('The user handle does not belong to this passkey');
  }

  const type = subjectTypeOf(payload.subject.type, payload.action);
  const now = deps.now();
  return deps.db.transaction(async (trx) => {
    // The rules and the content are checked again: between options and now the subject may
    // have been submitted, returned, edited or hidden from this user.
    const subject = await type.load(trx, user, payload.subject.id, now);
    if (subject === undefined) throw notFound();
    const verdict = type.mayAct(user, subject, payload.action);
    if (verdict !== true) throw typeof verdict === 'string' ? notAllowed(verdict) : verdict;
    if ((await type.digest(subject, payload.action, flow.data.context)) !== payload.digest) {
      throw new HttpError(409, 'subject-changed', `The ${payload.subject.type} changed while you were signing`, {
        detail: 'Ask for new options and sign what it says now',
      });
    }
    // Authenticators that keep no counter report 0 forever; any other value must grow (as at sign-in).
    if (!(await credentials.advanceCounter(trx, stored.id, stored.counter, verification.newCounter, now))) {
      throw passkeyRejected('The sign counter did not advance: the passkey may have been cloned');
    }
    const evidence: PasskeyEvidence = {
      payload,
      credentialId: stored.id,
      publicKey: stored.publicKey,
      algorithm: coseAlgorithm(stored.publicKey),
      ...fields,
      signer: { id: user.id, displayName: user.displayName, kind: user.kind, agencyId: user.agencyId ?? null, roles: [...user.roles] },
      signedAt: iso(now),
    };
    const id = randomUUID();
    await signatures.insert(trx, {
      id, subject: payload.subject, action: payload.action, digest: payload.digest,
      signerId: user.id, credentialId: stored.id, evidence, createdAt: now,
    });
    await appendAudit(
      trx,
      { actor: user.id, action: 'signature.created', subject: payload.subject, data: { signatureId: id, action: payload.action, digest: payload.digest } },
      now,
    );
    return { id, evidence };
  });
}

/** A signature, to those who may see what was signed; anybody else gets the 404 of an unknown id. */
export async function getSignature(deps: Deps, user: User, id: string): Promise<SignatureView> {
  const s = await signatures.get(deps.db, id);
  const type = s && signingSubjectType(s.subject.type);
  if (!s || !type || (await type.load(deps.db, user, s.subject.id, deps.now())) === undefined) {
    throw new HttpError(404, 'signature-not-found', 'There is no such signature');
  }
  return { id: s.id, evidence: s.evidence };
}
