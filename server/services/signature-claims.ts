/**
 * Taking a passkey signature for the step it was made for (submitting an application now;
 * deciding a case later). Apart from services/signatures.ts so that the services that take
 * signatures do not import the subject registry, which imports them.
 */
import type { Knex } from 'knex';
import type { SigningSubject } from '../../components/core/signing/payload.ts';
import type { User } from '../../components/core/user.ts';
import { signatures, type SignatureRecord } from '../db/signatures.ts';
import { invalidField } from '../http-error.ts';

/**
 * Checks that signature `id` was made by `user` for exactly this subject, action and content,
 * and marks it used in the caller's transaction (so it is taken only if the step commits).
 * Every refusal is a 400 on `field`: `unknown` (no such signature, or somebody else's),
 * `wrong-subject`, `digest-mismatch`, `used`.
 */
export async function claimSignature(
  trx: Knex.Transaction,
  input: { id: string; user: User; subject: SigningSubject; action: string; digest: string; field?: string },
  now: number,
): Promise<SignatureRecord> {
  const field = input.field ?? 'signatureId';
  const s = await signatures.get(trx, input.id);
  // Somebody else's signature answers like a missing one: ids must not be probed.
  if (!s || s.signerId !== input.user.id) throw invalidField(field, 'unknown', 'There is no such signature');
  if (s.subject.type !== input.subject.type || s.subject.id !== input.subject.id || s.action !== input.action) {
    throw invalidField(field, 'wrong-subject', `This signature is not for ${input.action} of this ${input.subject.type}`);
  }
  if (s.digest !== input.digest) {
    throw invalidField(field, 'digest-mismatch', `The ${input.subject.type} changed after it was signed: sign it again`);
  }
  if (!(await signatures.markUsed(trx, s.id, now))) {
    throw invalidField(field, 'used', 'This signature was already used: sign again');
  }
  return { ...s, usedAt: now };
}
