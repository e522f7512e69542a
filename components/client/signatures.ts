import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import type { SignatureView } from '../core/api.ts';
import type { SigningOptions as CoreSigningOptions } from '../core/api.ts';
import type { SigningSubject } from '../core/signing/payload.ts';
import type { OveraClient } from './client.ts';
import { passkeyError } from './errors.ts';

/** `POST /signatures/options`: the payload the server built over what it holds, and the ceremony's options. */
export type SigningOptions = CoreSigningOptions<PublicKeyCredentialRequestOptionsJSON>;

/**
 * Asks the server what signing `action` on `subject` means now (its digest) and starts a
 * 5-minute flow. `context` is what some subject types sign beyond the subject itself (a
 * decision's `{comment}`); the server folds it into the digest it computes.
 */
export function prepareSignature(
  client: OveraClient,
  subject: SigningSubject,
  action: string,
  options: { context?: Record<string, unknown>; signal?: AbortSignal } = {},
): Promise<SigningOptions> {
  const body = options.context === undefined ? { subject, action } : { subject, action, context: options.context };
  return client.request<SigningOptions>('POST', 'signatures/options', options.signal ? { body, signal: options.signal } : { body });
}

/** Runs the passkey ceremony over a prepared payload and stores the signature. Rejects with OveraPasskeyError when the person cancels. */
export async function completeSignature(client: OveraClient, options: SigningOptions): Promise<SignatureView> {
  // The ceremony's code loads with the first one (it is usually in already: <overa-sign> fetches it while preparing).
  let credential;
  try {
    credential = await (await import('./webauthn.ts')).getPasskey(options.publicKey);
  } catch (err) {
    throw passkeyError(err);
  }
  return client.request<SignatureView>('POST', 'signatures', { body: { flowId: options.flowId, credential } });
}

/** A stored signature's evidence, for whoever may see its subject. */
export function getSignature(client: OveraClient, id: string, signal?: AbortSignal): Promise<SignatureView> {
  return client.request<SignatureView>('GET', `signatures/${encodeURIComponent(id)}`, signal ? { signal } : {});
}
