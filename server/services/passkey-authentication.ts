import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { User } from '../../components/core/user.ts';
import { credentials } from '../db/credentials.ts';
import { users } from '../db/users.ts';
import { HttpError } from '../http-error.ts';
import { appendAudit } from './audit.ts';
import type { Deps } from './deps.ts';
import { passkeyRejected, startFlow, takeFlow } from './flows.ts';
import { verifyAssertion } from './assertions.ts';
import { createSession } from './sessions.ts';

/** Step 1: options for navigator.credentials.get() with discoverable credentials (no user named). */
export async function authenticationOptions(deps: Deps): Promise<{ flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }> {
  const publicKey = await generateAuthenticationOptions({
    rpID: deps.config.rpId,
    userVerification: 'required',
    timeout: deps.config.challengeTtl * 1000,
  });
  const flowId = await startFlow(deps, 'login', publicKey.challenge, {});
  return { flowId, publicKey };
}

/**
 * Step 2: verifies the assertion against the stored credential, checks the user handle,
 * moves the sign counter forward (refusing a counter that did not grow) and opens a session.
 */
export async function authenticationVerify(
  deps: Deps,
  input: { flowId: string; credential: Record<string, unknown> },
): Promise<{ token: string; user: User }> {
  const flow = await takeFlow<Record<string, never>>(deps, input.flowId, 'login');
  const credentialId = input.credential.id;
  if (typeof credentialId !== 'string' || credentialId === '') throw passkeyRejected('credential.id is missing');
  const stored = await credentials.get(deps.db, credentialId);
  if (!stored) {
    throw new HttpError(400, 'unknown-passkey', 'This passkey is not registered here', {
      detail: 'Create an account first, or use a passkey you registered with this service',
      errors: [{ field: 'credential', code: 'unknown', message: 'Unknown credential id' }],
    });
  }
  const verification = await verifyAssertion(deps, input.credential, stored, flow.challenge);

  const user = await users.get(deps.db, stored.userId);
  if (!user) throw passkeyRejected('The passkey has no account');
  const userHandle = (input.credential.response as { userHandle?: unknown } | undefined)?.userHandle;
  if (userHandle !== undefined && userHandle !== (await users.webauthnUserId(deps.db, user.id))) {
    throw passkeyRejected('The user handle does not belong to this passkey');
  }
  const now = deps.now();
  return deps.db.transaction(async (trx) => {
    const { newCounter } = verification;
    // Authenticators that keep no counter report 0 forever; any other value must grow.
    if (!(await credentials.advanceCounter(trx, stored.id, stored.counter, newCounter, now))) {
      throw passkeyRejected('The sign counter did not advance: the passkey may have been cloned');
    }
    await appendAudit(trx, { actor: user.id, action: 'user.signed-in', subject: { type: 'user', id: user.id }, data: { credentialId: stored.id } }, now);
    const token = await createSession(trx, user.id, deps.config.sessionTtl, now);
    return { token, user };
  });
}
