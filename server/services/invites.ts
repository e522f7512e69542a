import { createHash, randomInt } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import { invites, type InviteRecord } from '../db/invites.ts';
import { agencies } from '../db/agencies.ts';
import { invalidField } from '../http-error.ts';

// No 0/O, 1/I/L, 2/Z, 5/S, 8/B: codes are read aloud and typed by hand.
const ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
const GROUPS = 4;
const GROUP_LEN = 4;

/** Uppercases and drops separators, so "acde-fghj" and "ACDEFGHJ" name the same code. */
export function normalizeInviteCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

function hashCode(code: string): string {
  return createHash('sha256').update(normalizeInviteCode(code)).digest('hex');
}

/**
 * Creates a one-time invite that makes its user an official (or admin) of an agency.
 * 16 characters of a 25-letter alphabet ≈ 74 bits. Only the hash is stored.
 */
export async function createInvite(
  db: Db,
  options: { agencyId: string; roles: string[]; kind?: 'official' | 'admin'; ttlSeconds?: number },
  now: number,
): Promise<string> {
  if (!(await agencies.get(db, options.agencyId))) throw new Error(`unknown agency "${options.agencyId}"`);
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    for (let i = 0; i < GROUP_LEN; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  const code = groups.join('-');
  await invites.insert(
    db,
    {
      codeHash: hashCode(code),
      agencyId: options.agencyId,
      roles: options.roles,
      kind: options.kind ?? 'official',
      expiresAt: now + (options.ttlSeconds ?? 14 * 24 * 3600) * 1000,
    },
    now,
  );
  return code;
}

/** An invite that can still be used, or a 400 naming the `inviteCode` field. */
export async function usableInvite(db: Db, code: string, now: number): Promise<InviteRecord> {
  const invite = await invites.get(db, hashCode(code));
  if (!invite) throw invalidField('inviteCode', 'unknown', 'This invite code is not known');
  if (invite.usedAt !== null) throw invalidField('inviteCode', 'used', 'This invite code has already been used');
  if (invite.expiresAt <= now) throw invalidField('inviteCode', 'expired', 'This invite code has expired');
  return invite;
}
