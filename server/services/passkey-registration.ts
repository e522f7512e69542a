import { randomBytes, randomUUID } from 'node:crypto';
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type RegistrationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type VerifiedRegistrationResponse,
} from '@simplewebauthn/server';
import type { User } from '../../components/core/user.ts';
import { toBase64Url } from '../../components/core/encoding.ts';
import type { Conn } from '../db/connection.ts';
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

/**
 * Options for navigator.credentials.create(), the same for every ceremony that makes a passkey
 * (a new account, another passkey of an account, a recovery): discoverable, user-verified, no
 * attestation, the algorithms core can check. `exclude`: the account's passkeys already known.
 */
export function passkeyCreationOptions(
  deps: Pick<Deps, 'config'>,
  account: { displayName: string; webauthnUserId: string },
  exclude: NonNullable<Parameters<typeof generateRegistrationOptions>[0]['excludeCredentials']> = [],
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: deps.config.rpName,
    rpID: deps.config.rpId,
    userName: account.displayName,
    userDisplayName: account.displayName,
    userID: Buffer.from(account.webauthnUserId, 'base64url'),
    attestationType: 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
    ...(exclude.length ? { excludeCredentials: exclude } : {}),
    timeout: deps.config.challengeTtl * 1000,
  });
}

/**
 * Verifies a new passkey against its ceremony's challenge, with the same rules for every
 * ceremony; `refuseKnown` also refuses a passkey already registered (409 credential-exists).
 */
export async function verifyNewPasskey(
  deps: Pick<Deps, 'config' | 'db'>,
  challenge: string,
  credential: Record<string, unknown>,
  options: { refuseKnown: boolean },
): Promise<VerifiedRegistrationResponse['registrationInfo'] & object> {
  let verification: VerifiedRegistrationResponse;
  try {
    verification = await verifyRegistrationResponse({
      response: credential as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: deps.config.origins,
      expectedRPID: deps.config.rpId,
      requireUserVerification: true,
      supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
    });
  } catch (err) {
    throw passkeyRejected((err as Error).message);
  }
  if (!verification.verified || !verification.registrationInfo) throw passkeyRejected('The attestation did not verify');
  const info = verification.registrationInfo;
  if (options.refuseKnown) await refuseKnownPasskey(deps.db, info.credential.id);
  return info;
}

type NewPasskey = Awaited<ReturnType<typeof verifyNewPasskey>>;

/** 409 credential-exists when this passkey is registered already (to anyone). */
export async function refuseKnownPasskey(conn: Conn, credentialId: string): Promise<void> {
  if (await credentials.exists(conn, credentialId)) {
    throw new HttpError(409, 'credential-exists', 'This passkey is already registered', {
      errors: [{ field: 'credential', code: 'exists', message: 'This passkey is already registered' }],
    });
  }
}

/** Stores a verified new passkey as the account's. */
export async function storePasskey(conn: Conn, userId: string, info: NewPasskey, now: number): Promise<void> {
  await credentials.insert(
    conn,
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
}

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
  const publicKey = await passkeyCreationOptions(deps, data);
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
  const info = await verifyNewPasskey(deps, flow.challenge, input.credential, { refuseKnown: true });

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
    await storePasskey(trx, userId, info, now);
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
