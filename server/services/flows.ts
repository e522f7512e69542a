import { randomUUID } from 'node:crypto';
import { HttpError } from '../http-error.ts';
import { challenges, type ChallengeKind, type ChallengeRecord } from '../db/challenges.ts';
import type { Deps } from './deps.ts';

/**
 * Stores a ceremony's challenge for `ttlSeconds` (default `challengeTtl`); returns the flow id
 * the client sends back.
 */
export async function startFlow<T>(deps: Deps, kind: ChallengeKind, challenge: string, data: T, ttlSeconds = deps.config.challengeTtl): Promise<string> {
  const flowId = randomUUID();
  await challenges.insert(deps.db, { flowId, kind, challenge, data, expiresAt: deps.now() + ttlSeconds * 1000 });
  return flowId;
}

/**
 * Takes a ceremony's stored challenge, once. Unknown, already used and expired flows are
 * all refused with 400 naming `flowId`; the row is gone afterwards in every case.
 */
export async function takeFlow<T>(deps: Deps, flowId: string, kind: ChallengeKind): Promise<ChallengeRecord<T>> {
  const flow = await challenges.take<T>(deps.db, flowId, kind);
  if (!flow) {
    throw new HttpError(400, 'flow-invalid', 'This passkey request is unknown or was already used', {
      detail: 'Start again: ask for new options',
      errors: [{ field: 'flowId', code: 'unknown', message: 'Unknown or already used flowId' }],
    });
  }
  if (flow.expiresAt <= deps.now()) {
    throw new HttpError(400, 'flow-expired', 'This passkey request has expired', {
      detail: 'Start again: ask for new options',
      errors: [{ field: 'flowId', code: 'expired', message: 'The challenge expired' }],
    });
  }
  return flow;
}

/** A WebAuthn response that failed verification: 400, with the library's reason as detail. */
export function passkeyRejected(reason: string): HttpError {
  return new HttpError(400, 'passkey-rejected', 'The passkey response was not accepted', {
    detail: reason,
    errors: [{ field: 'credential', code: 'rejected', message: reason }],
  });
}
