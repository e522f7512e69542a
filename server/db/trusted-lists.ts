import type { Conn } from './connection.ts';

/** The stored copy of one configured trusted list (migration 019). */
export interface TrustedListCopy {
  name: string;
  location: string;
  /** The last signed XML that verified; null until one did. */
  xml: string | null;
  /** Its verified reading (core VerifiedTrustedList as JSON text). */
  verified: string | null;
  sequenceNumber: number | null;
  issuedAt: number | null;
  nextUpdateAt: number | null;
  verifiedAt: number | null;
  lastAttemptAt: number | null;
  lastErrorReason: string | null;
  lastError: string | null;
  updatedAt: number;
}

interface Row {
  name: string;
  location: string;
  xml: string | null;
  verified: string | null;
  sequence_number: number | string | null;
  issued_at: number | string | null;
  next_update_at: number | string | null;
  verified_at: number | string | null;
  last_attempt_at: number | string | null;
  last_error_reason: string | null;
  last_error: string | null;
  updated_at: number | string;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toCopy(r: Row): TrustedListCopy {
  return {
    name: r.name,
    location: r.location,
    xml: r.xml,
    verified: r.verified,
    sequenceNumber: num(r.sequence_number),
    issuedAt: num(r.issued_at),
    nextUpdateAt: num(r.next_update_at),
    verifiedAt: num(r.verified_at),
    lastAttemptAt: num(r.last_attempt_at),
    lastErrorReason: r.last_error_reason,
    lastError: r.last_error,
    updatedAt: Number(r.updated_at),
  };
}

const SUMMARY = ['name', 'location', 'sequence_number', 'issued_at', 'next_update_at', 'verified_at', 'last_attempt_at', 'last_error_reason', 'last_error', 'updated_at'];

export const trustedListCopies = {
  /** Every stored copy without its XML and reading (cheap: what decides whether a cache is current). */
  async summaries(db: Conn): Promise<TrustedListCopy[]> {
    const rows = (await db('trusted_list_copies').select(SUMMARY).orderBy('name')) as Row[];
    return rows.map((r) => toCopy({ ...r, xml: null, verified: null }));
  },

  async get(db: Conn, name: string): Promise<TrustedListCopy | undefined> {
    const row = (await db('trusted_list_copies').where({ name }).first()) as Row | undefined;
    return row ? toCopy(row) : undefined;
  },

  /** The verified readings of the copies named (JSON text each). */
  async verified(db: Conn, names: readonly string[]): Promise<{ name: string; verified: string }[]> {
    if (names.length === 0) return [];
    const rows = (await db('trusted_list_copies').select('name', 'verified').whereIn('name', [...names]).whereNotNull('verified')) as { name: string; verified: string }[];
    return rows;
  },

  /** A new good copy replaces the old one, and clears the last error. */
  async storeGood(db: Conn, copy: { name: string; location: string; xml: string; verified: string; sequenceNumber: number; issuedAt: number; nextUpdateAt: number | null; verifiedAt: number }, now: number): Promise<void> {
    const row = {
      name: copy.name, location: copy.location, xml: copy.xml, verified: copy.verified, sequence_number: copy.sequenceNumber,
      issued_at: copy.issuedAt, next_update_at: copy.nextUpdateAt, verified_at: copy.verifiedAt,
      last_attempt_at: now, last_error_reason: null, last_error: null, updated_at: now,
    };
    await db('trusted_list_copies').insert(row).onConflict('name').merge();
  },

  /** A failed attempt: recorded beside the last good copy, which stays as it was. */
  async recordFailure(db: Conn, name: string, location: string, reason: string, detail: string, now: number): Promise<void> {
    const updated = await db('trusted_list_copies').where({ name }).update({ last_attempt_at: now, last_error_reason: reason, last_error: detail.slice(0, 2000), updated_at: now });
    if (updated === 0) {
      await db('trusted_list_copies')
        .insert({ name, location, last_attempt_at: now, last_error_reason: reason, last_error: detail.slice(0, 2000), updated_at: now })
        .onConflict('name')
        .merge(['last_attempt_at', 'last_error_reason', 'last_error', 'updated_at']);
    }
  },
};

export const trustedListLeases = {
  /**
   * Takes the refresh lease for `worker` until `until` when it is free (expired) or already
   * this worker's: one atomic UPDATE, so of several instances exactly one gets it.
   */
  async take(db: Conn, worker: string, now: number, until: number): Promise<boolean> {
    const n = await db('trusted_list_leases')
      .where({ name: 'refresh' })
      .andWhere((q) => q.where('lease_until', '<=', now).orWhere('leased_by', worker))
      .update({ leased_by: worker, lease_until: until });
    return n === 1;
  },

  async release(db: Conn, worker: string): Promise<void> {
    await db('trusted_list_leases').where({ name: 'refresh', leased_by: worker }).update({ leased_by: null, lease_until: 0 });
  },
};
