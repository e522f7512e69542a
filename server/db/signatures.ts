import type { PasskeyEvidence, SigningSubject } from '../../components/core/signing/payload.ts';
import type { Conn } from './connection.ts';

/** A stored passkey signature: its evidence, and the columns the rules look at. */
export interface SignatureRecord {
  id: string;
  subject: SigningSubject;
  action: string;
  digest: string;
  signerId: string;
  credentialId: string;
  evidence: PasskeyEvidence;
  createdAt: number;
  /** When a submission, a decision or a reception took it; null while unused. */
  usedAt: number | null;
}

interface SignatureRow {
  id: string;
  subject_type: string;
  subject_id: string;
  action: string;
  digest: string;
  signer_id: string;
  credential_id: string;
  evidence: string;
  created_at: number | string;
  used_at: number | string | null;
}

function toRecord(r: SignatureRow): SignatureRecord {
  return {
    id: r.id,
    subject: { type: r.subject_type, id: r.subject_id },
    action: r.action,
    digest: r.digest,
    signerId: r.signer_id,
    credentialId: r.credential_id,
    evidence: JSON.parse(r.evidence) as PasskeyEvidence,
    createdAt: Number(r.created_at),
    usedAt: r.used_at == null ? null : Number(r.used_at),
  };
}

export const signatures = {
  async insert(db: Conn, s: Omit<SignatureRecord, 'usedAt'>): Promise<void> {
    await db('signatures').insert({
      id: s.id,
      subject_type: s.subject.type,
      subject_id: s.subject.id,
      action: s.action,
      digest: s.digest,
      signer_id: s.signerId,
      credential_id: s.credentialId,
      evidence: JSON.stringify(s.evidence),
      created_at: s.createdAt,
    });
  },

  async get(db: Conn, id: string): Promise<SignatureRecord | undefined> {
    const rows = await db<SignatureRow>('signatures').where({ id }).select('*');
    return rows[0] && toRecord(rows[0]);
  },

  /**
   * The signatures that were taken (used) about one application, oldest first: its own
   * (`application`, id) and its decisions (`decision`, `<id>:<step>`, found by key range so
   * the (subject_type, subject_id) index serves it on both databases).
   */
  async usedForApplication(db: Conn, applicationId: string): Promise<SignatureRecord[]> {
    const rows = await db<SignatureRow>('signatures')
      .whereNotNull('used_at')
      .andWhere((w) => {
        w.where({ subject_type: 'application', subject_id: applicationId }).orWhere((d) =>
          // ';' is the character after ':', so this is every id starting with "<id>:".
          d.where('subject_type', 'decision').andWhere('subject_id', '>=', `${applicationId}:`).andWhere('subject_id', '<', `${applicationId};`));
      })
      .orderBy([{ column: 'created_at', order: 'asc' }, { column: 'id', order: 'asc' }])
      .select('*');
    return rows.map(toRecord);
  },

  /**
   * Marks a signature used if nobody used it before (compare-and-set), so two submissions
   * racing with one signature cannot both take it. False when it was already used.
   */
  async markUsed(db: Conn, id: string, now: number): Promise<boolean> {
    return (await db('signatures').where({ id }).whereNull('used_at').update({ used_at: now })) === 1;
  },
};
