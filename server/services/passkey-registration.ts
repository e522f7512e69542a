import { randomBytes, randomUUID } from 'node:crypto';
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type RegistrationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/server';
import type { User } from '../../components/core/user.ts';
import { toBase64Url } from '../../components/core/encoding.ts';
import { credentials } from '../db/credentials.ts';
import { invites } from '../db/invites.ts';
import { users } from '../db/users.ts';
import { HttpError } from '../http-error.ts';
import { appendAudit } from './audit.ts';
import type { Deps } from './deps.ts';
import { passkeyRejected, startFlow, takeFlow } from './flows.ts';
import { usableInvite } from './invites.ts';
import { createSession } from './sessions.ts';

interface RegisterFlowData {
  displayName: string;
  webauthnUserId: string;
  inviteCodeHash?: string;
}

/** ES256 and RS256: the algorithms our WebCrypto evidence verifier in core can check. */
export const PASSKEY_ALGORITHMS = [-7, -257];

/** Step 1: options for navigator.credentials.create(); the challenge is stored for 5 minutes. */
export async function registrationOptions(
  deps: Deps,
  input: { displayName: string; inviteCode?: string },
): Promise<{ flowId: string; publicKey: PublicKeyCredentialCreationOptionsJSON }> {
  const now = deps.now();
  const data: RegisterFlowData = { displayName: input.displayName, webauthnUserId: toBase64Url(randomBytes(32)) };
  if (input.inviteCode !== undefined) {
    const invite = await usableInvite(deps.db, input.inviteCode, now);
    data.inviteCodeHash = invite.codeHash;
  }
  const publicKey = await generateRegistrationOptions({
    rpName: deps.config.rpName,
    rpID: deps.config.rpId,
    userName: input.displayName,
    userDisplayName: input.displayName,
    userID: Buffer.from(data.webauthnUserId, 'base64url'),
    attestationType: 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
    timeout: deps.config.challengeTtl * 1000,
  });
  const flowId = await startFlow(deps, 'register', publicKey.challenge, data);
  return { flowId, publicKey };
}

/**
 * Step 2: verifies the attestation and, in one transaction, creates the user (an official
 * of the invite's agency when the flow carried an invite, consuming it), the credential,
 * the session and the audit entry.
 */
export async function registrationVerify(
  deps: Deps,
  input: { flowId: string; credential: Record<string, unknown> },
): Promise<{ token: string; user: User }> {
  const flow = await takeFlow<RegisterFlowData>(deps, input.flowId, 'register');
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: input.credential as unknown as RegistrationResponseJSON,
      expectedChallenge: flow.challenge,
      expectedOrigin: deps.config.origins,
      expectedRPID: deps.config.rpId,
      requireUserVerification: true,
      supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
    });
  } catch (err) {
    throw passkeyRejected((err as Error).message);
  }
  if (!verification.verified) throw passkeyRejected('The attestation did not verify');
  const info = verification.registrationInfo;
  if (await credentials.exists(deps.db, info.credential.id)) {
    throw new HttpError(409, 'credential-exists', 'This passkey is already registered', {
      errors: [{ field: 'credential', code: 'exists', message: 'This passkey is already registered' }],
    });
  }

  const now = deps.now();
  return deps.db.transaction(async (trx) => {
    const userId = randomUUID();
    let kind: User['kind'] = 'citizen';
    let agencyId: string | undefined;
    let roles: string[] = [];
    const invite = flow.data.inviteCodeHash ? await invites.get(trx, flow.data.inviteCodeHash) : undefined;
    if (invite) {
      kind = invite.kind;
      agencyId = invite.agencyId;
      roles = invite.roles;
    }
    const newUser = { id: userId, displayName: flow.data.displayName, kind, roles, webauthnUserId: flow.data.webauthnUserId };
    const user = await users.insert(trx, agencyId ? { ...newUser, agencyId } : newUser, now);
    // Consumed after the user exists (used_by references it); losing a race rolls everything back.
    if (flow.data.inviteCodeHash && !(invite && (await invites.consume(trx, invite.codeHash, userId, now)))) {
      throw new HttpError(409, 'invite-used', 'This invite code has already been used', {
        errors: [{ field: 'inviteCode', code: 'used', message: 'This invite code has already been used' }],
      });
    }
    await credentials.insert(
      trx,
      {
        id: info.credential.id,
        userId,
        publicKey: toBase64Url(info.credential.publicKey),
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
      },
      now,
    );
    await appendAudit(
      trx,
      {
        actor: userId,
        action: 'user.registered',
        subject: { type: 'user', id: userId },
        data: { kind, agencyId: agencyId ?? null, roles, credentialId: info.credential.id, invited: Boolean(flow.data.inviteCodeHash) },
      },
      now,
    );
    const token = await createSession(trx, userId, deps.config.sessionTtl, now);
    // Answered as GET me answers it: an official's agency by name too.
    return { token, user: (await users.get(trx, userId)) ?? user };
  });
}
