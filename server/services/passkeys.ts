import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { PasskeyView } from '../../components/core/api.ts';
import type { User } from '../../components/core/user.ts';
import { credentials, type CredentialListing } from '../db/credentials.ts';
import { users } from '../db/users.ts';
import { HttpError } from '../http-error.ts';
import { appendAudit } from './audit.ts';
import type { Deps } from './deps.ts';
import { startFlow, takeFlow } from './flows.ts';
import { passkeyCreationOptions, storePasskey, verifyNewPasskey } from './passkey-registration.ts';

/**
 * The signed-in person's own passkeys (issue 17, item 6): list them, add another (a second
 * device, a phone next to a laptop) with a real registration ceremony for the existing account,
 * and remove one. The last passkey cannot be removed: an account without one can only come back
 * through the agency (docs/security.md, "When every passkey is lost"), so the server refuses
 * (409 `last-passkey`) rather than trusting the page to warn.
 */

interface AddFlowData {
  userId: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

function toView(c: CredentialListing): PasskeyView {
  const deviceType = c.deviceType === 'singleDevice' || c.deviceType === 'multiDevice' ? c.deviceType : null;
  return {
    id: c.id,
    transports: c.transports,
    deviceType,
    backedUp: c.backedUp,
    createdAt: iso(c.createdAt),
    lastUsedAt: c.lastUsedAt === null ? null : iso(c.lastUsedAt),
  };
}

/** The person's passkeys, oldest first. */
export async function listPasskeys(deps: Pick<Deps, 'db'>, user: User): Promise<PasskeyView[]> {
  return (await credentials.listingsForUser(deps.db, user.id)).map(toView);
}

/**
 * Step 1 of adding a passkey: creation options for the existing account (its WebAuthn user
 * handle, so a discoverable sign-in with the new passkey finds the same person), excluding the
 * passkeys it already has so an authenticator that holds one says so instead of making a second.
 */
export async function addPasskeyOptions(deps: Deps, user: User): Promise<{ flowId: string; publicKey: PublicKeyCredentialCreationOptionsJSON }> {
  const webauthnUserId = await users.webauthnUserId(deps.db, user.id);
  if (!webauthnUserId) throw new HttpError(401, 'unauthorized', 'Your session has ended');
  const existing = await credentials.listForUser(deps.db, user.id);
  const publicKey = await passkeyCreationOptions(deps, { displayName: user.displayName, webauthnUserId }, existing);
  const data: AddFlowData = { userId: user.id };
  const flowId = await startFlow(deps, 'add-passkey', publicKey.challenge, data);
  return { flowId, publicKey };
}

/**
 * Step 2: verifies the attestation and stores the new passkey for the person who asked for the
 * options (a flow started by someone else is unknown to this person), with the audit entry
 * `user.passkey-added`, in one transaction.
 */
export async function addPasskeyVerify(
  deps: Deps,
  user: User,
  input: { flowId: string; credential: Record<string, unknown> },
): Promise<PasskeyView> {
  const flow = await takeFlow<AddFlowData>(deps, input.flowId, 'add-passkey');
  if (flow.data.userId !== user.id) {
    throw new HttpError(400, 'flow-invalid', 'This passkey request is unknown or was already used', {
      detail: 'Start again: ask for new options',
      errors: [{ field: 'flowId', code: 'unknown', message: 'Unknown or already used flowId' }],
    });
  }
  const info = await verifyNewPasskey(deps, flow.challenge, input.credential, { refuseKnown: true });
  const now = deps.now();
  await deps.db.transaction(async (trx) => {
    await storePasskey(trx, user.id, info, now);
    await appendAudit(
      trx,
      { actor: user.id, action: 'user.passkey-added', subject: { type: 'user', id: user.id }, data: { credentialId: info.credential.id } },
      now,
    );
  });
  return toView({
    id: info.credential.id,
    transports: info.credential.transports ?? [],
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    createdAt: now,
    lastUsedAt: null,
  });
}

/**
 * Removes one of the person's passkeys, audited (`user.passkey-removed`). Another person's
 * passkey, or none, is a 404 (whether it exists elsewhere is not told); the last one is a 409.
 * The person's row is locked first, so two removals racing for the last two cannot both pass.
 * Sessions already open stay open (a session is not tied to the passkey that opened it).
 */
export async function removePasskey(deps: Pick<Deps, 'db' | 'now'>, user: User, credentialId: string): Promise<void> {
  const now = deps.now();
  await deps.db.transaction(async (trx) => {
    await users.lock(trx, user.id);
    const mine = (await credentials.listForUser(trx, user.id)).some((c) => c.id === credentialId);
    if (!mine) {
      throw new HttpError(404, 'passkey-not-found', 'There is no such passkey in your account');
    }
    if ((await credentials.countForUser(trx, user.id)) <= 1) {
      throw new HttpError(409, 'last-passkey', 'This is your only passkey', {
        detail: 'Add another passkey first: an account without a passkey can only be recovered by the agency, after it checks who you are',
        errors: [{ field: 'id', code: 'lastPasskey', message: 'This is your only passkey' }],
      });
    }
    await credentials.deleteForUser(trx, user.id, credentialId);
    await appendAudit(trx, { actor: user.id, action: 'user.passkey-removed', subject: { type: 'user', id: user.id }, data: { credentialId } }, now);
  });
}
