import { createHash, randomInt } from 'node:crypto';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { User } from '../../components/core/user.ts';
import type { Db } from '../db/connection.ts';
import { credentials } from '../db/credentials.ts';
import { recoveryCodes, type RecoveryCodeRecord } from '../db/recovery-codes.ts';
import { sessions } from '../db/sessions.ts';
import { users } from '../db/users.ts';
import { HttpError, invalidField } from '../http-error.ts';
import { appendAudit } from './audit.ts';
import type { Deps } from './deps.ts';
import { passkeyRejected, startFlow, takeFlow } from './flows.ts';
import { passkeyCreationOptions, refuseKnownPasskey, storePasskey, verifyNewPasskey } from './passkey-registration.ts';
import { createSession } from './sessions.ts';

/**
 * Agency-assisted account recovery (issue 17, item 6; docs/security.md, "When every passkey is
 * lost"). Passkeys cannot be reset by e-mail or a security question: whoever holds the account
 * is whoever holds one of its passkeys. When a person has lost every one, the agency checks who
 * they are (in person, with an identity document, or as its rules say) and an operator issues a
 * one-time recovery code for that account (`overa accounts recover`, audited
 * `user.recovery-issued`). With the code the person registers a new passkey for the same
 * account (`POST auth/recover/options` and `auth/recover/verify`): the account's old passkeys
 * are removed and its sessions ended in the same transaction (a lost phone found by someone
 * else signs in no more), and `user.recovered` is audited.
 */

// The invites' alphabet and length (services/invites.ts): read aloud and typed by hand, ≈ 74 bits.
const ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
const GROUPS = 4;
const GROUP_LEN = 4;
/** A code is for the person in front of the agency now, not for later: one day by default. */
export const RECOVERY_TTL_SECONDS = 24 * 3600;

interface RecoverFlowData {
  userId: string;
  codeHash: string;
}

function hashCode(code: string): string {
  return createHash('sha256').update(code.toUpperCase().replace(/[\s-]/g, '')).digest('hex');
}

/**
 * Issues a one-time recovery code for an account (the CLI, after the agency has checked the
 * person's identity). Earlier unused codes of the account stop working. `note` says who checked
 * what (e.g. "ID card checked at desk 3"), for the audit log.
 */
export async function issueRecoveryCode(
  db: Db,
  input: { userId: string; ttlSeconds?: number; note?: string },
  now: number,
): Promise<{ code: string; user: User; expiresAt: number }> {
  const user = await users.get(db, input.userId);
  if (!user) throw new Error(`no user "${input.userId}"`);
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    for (let i = 0; i < GROUP_LEN; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  const code = groups.join('-');
  const expiresAt = now + (input.ttlSeconds ?? RECOVERY_TTL_SECONDS) * 1000;
  await db.transaction(async (trx) => {
    const voided = await recoveryCodes.voidUnused(trx, user.id, now);
    await recoveryCodes.insert(trx, { codeHash: hashCode(code), userId: user.id, expiresAt }, now);
    await appendAudit(
      trx,
      {
        actor: null,
        action: 'user.recovery-issued',
        subject: { type: 'user', id: user.id },
        data: { by: 'cli', note: input.note ?? null, expiresAt: new Date(expiresAt).toISOString(), replaced: voided },
      },
      now,
    );
  });
  return { code, user, expiresAt };
}

async function usableCode(db: Db, code: string, now: number): Promise<RecoveryCodeRecord> {
  const record = await recoveryCodes.get(db, hashCode(code));
  if (!record) throw invalidField('recoveryCode', 'unknown', 'This recovery code is not known');
  if (record.usedAt !== null) throw invalidField('recoveryCode', 'used', 'This recovery code has already been used');
  if (record.expiresAt <= now) throw invalidField('recoveryCode', 'expired', 'This recovery code has expired');
  return record;
}

/** Step 1: creation options for the account the code belongs to (its own WebAuthn user handle). */
export async function recoveryOptions(deps: Deps, input: { recoveryCode: string }): Promise<{ flowId: string; publicKey: PublicKeyCredentialCreationOptionsJSON }> {
  const record = await usableCode(deps.db, input.recoveryCode, deps.now());
  const user = await users.get(deps.db, record.userId);
  const webauthnUserId = await users.webauthnUserId(deps.db, record.userId);
  if (!user || !webauthnUserId) throw invalidField('recoveryCode', 'unknown', 'This recovery code is not known');
  const publicKey = await passkeyCreationOptions(deps, { displayName: user.displayName, webauthnUserId });
  const data: RecoverFlowData = { userId: user.id, codeHash: record.codeHash };
  const flowId = await startFlow(deps, 'recover', publicKey.challenge, data);
  return { flowId, publicKey };
}

/**
 * Step 2: verifies the attestation and, in one transaction, uses up the code, removes the
 * account's old passkeys and ends its sessions, stores the new passkey, audits
 * `user.recovered` and signs the person in.
 */
export async function recoveryVerify(
  deps: Deps,
  input: { flowId: string; credential: Record<string, unknown> },
): Promise<{ token: string; user: User }> {
  const flow = await takeFlow<RecoverFlowData>(deps, input.flowId, 'recover');
  // A passkey registered already is refused inside the transaction, after the code is taken (its 409 comes first).
  const info = await verifyNewPasskey(deps, flow.challenge, input.credential, { refuseKnown: false });
  const now = deps.now();
  return deps.db.transaction(async (trx) => {
    const record = await recoveryCodes.get(trx, flow.data.codeHash);
    if (!record || record.expiresAt <= now || !(await recoveryCodes.consume(trx, flow.data.codeHash, now))) {
      throw new HttpError(409, 'recovery-code-used', 'This recovery code can no longer be used', {
        detail: 'It was used or replaced meanwhile, or it expired; ask the agency for a new one',
        errors: [{ field: 'recoveryCode', code: 'used', message: 'This recovery code can no longer be used' }],
      });
    }
    const userId = flow.data.userId;
    await refuseKnownPasskey(trx, info.credential.id);
    const removed = await credentials.deleteAllForUser(trx, userId);
    const ended = await sessions.deleteAllForUser(trx, userId);
    for (const tokenHash of ended) await deps.events.publish(trx, { type: 'session-ended', tokenHash });
    await storePasskey(trx, userId, info, now);
    await appendAudit(
      trx,
      {
        actor: userId,
        action: 'user.recovered',
        subject: { type: 'user', id: userId },
        data: { credentialId: info.credential.id, removedPasskeys: removed, endedSessions: ended.length },
      },
      now,
    );
    const token = await createSession(trx, userId, deps.config.sessionTtl, now);
    const user = await users.get(trx, userId);
    if (!user) throw passkeyRejected('The account no longer exists');
    return { token, user };
  });
}
