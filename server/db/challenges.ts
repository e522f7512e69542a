import type { Conn } from './connection.ts';

/**
 * `sign`: a passkey signature over a signing payload (services/signatures.ts); `add-passkey`:
 * a signed-in person registering another passkey (services/passkeys.ts); `recover`: a new
 * passkey for an account whose passkeys were all lost (services/account-recovery.ts).
 */
export type ChallengeKind = 'register' | 'login' | 'sign' | 'add-passkey' | 'recover';

export interface ChallengeRecord<T> {
  flowId: string;
  kind: ChallengeKind;
  challenge: string;
  data: T;
  expiresAt: number;
}

export const challenges = {
  async insert<T>(db: Conn, c: ChallengeRecord<T>): Promise<void> {
    await db('challenges').insert({
      flow_id: c.flowId,
      kind: c.kind,
      challenge: c.challenge,
      data: JSON.stringify(c.data),
      expires_at: c.expiresAt,
    });
  },
  /**
   * Reads and deletes a challenge in one step: a flow can be used once, even when two
   * requests (or two instances) race for it: only the one whose delete hit the row wins.
   */
  async take<T>(db: Conn, flowId: string, kind: ChallengeKind): Promise<ChallengeRecord<T> | undefined> {
    return db.transaction(async (trx) => {
      const row = await trx('challenges').where({ flow_id: flowId, kind }).first();
      if (!row) return undefined;
      const deleted = await trx('challenges').where({ flow_id: flowId }).delete();
      if (deleted !== 1) return undefined;
      return {
        flowId: row.flow_id as string,
        kind: row.kind as ChallengeKind,
        challenge: row.challenge as string,
        data: JSON.parse(row.data as string) as T,
        expiresAt: Number(row.expires_at),
      };
    });
  },
  async deleteExpired(db: Conn, now: number): Promise<number> {
    return db('challenges').where('expires_at', '<=', now).delete();
  },
};
