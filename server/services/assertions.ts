import { verifyAuthenticationResponse, type AuthenticationResponseJSON, type AuthenticatorTransport } from '@simplewebauthn/server';
import { fromBase64Url } from '../../components/core/encoding.ts';
import type { CredentialRecord } from '../db/credentials.ts';
import type { Deps } from './deps.ts';
import { passkeyRejected } from './flows.ts';

/**
 * Verifies a WebAuthn assertion (sign-in, or a signature) made with a stored passkey against
 * the expected challenge, this server's origins and RP ID, user verification required. Any
 * failure is a 400 `passkey-rejected`. Resolves with the authenticator's new sign counter.
 */
export async function verifyAssertion(
  deps: Pick<Deps, 'config'>,
  credential: unknown,
  stored: CredentialRecord,
  expectedChallenge: string,
): Promise<{ newCounter: number }> {
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: credential as AuthenticationResponseJSON,
      expectedChallenge,
      expectedOrigin: deps.config.origins,
      expectedRPID: deps.config.rpId,
      requireUserVerification: true,
      credential: {
        id: stored.id,
        publicKey: fromBase64Url(stored.publicKey) as Uint8Array<ArrayBuffer>,
        counter: stored.counter,
        transports: stored.transports as AuthenticatorTransport[],
      },
    });
  } catch (err) {
    throw passkeyRejected((err as Error).message);
  }
  if (!verification.verified) throw passkeyRejected('The assertion did not verify');
  return { newCounter: verification.authenticationInfo.newCounter };
}
