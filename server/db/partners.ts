import { readRows, type Conn } from './connection.ts';

/** A partner agency hosted on another Overa server (migration 014, services/partners.ts). */
export interface PartnerRecord {
  agencyId: string;
  name: string;
  /** The partner server's base URL. */
  url: string;
  /** The pinned certificate, PEM. */
  certificatePem: string;
  certificateSha256: string;
  /** The pin is a CA (the partner's seal must chain to it) rather than the seal certificate itself. */
  certificateIsCa: boolean;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  agency_id: string;
  name: string;
  url: string;
  certificate_pem: string;
  certificate_sha256: string;
  certificate_is_ca: boolean | number;
  created_at: number | string;
  updated_at: number | string;
}

function toRecord(r: Row): PartnerRecord {
  return {
    agencyId: r.agency_id,
    name: r.name,
    url: r.url,
    certificatePem: r.certificate_pem,
    certificateSha256: r.certificate_sha256,
    certificateIsCa: Boolean(r.certificate_is_ca),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export const partners = {
  async get(db: Conn, agencyId: string): Promise<PartnerRecord | undefined> {
    const [row] = await readRows<Row>(db, 'select * from `partners` where `agency_id` = ?', [agencyId], () => db('partners').where({ agency_id: agencyId }).select<Row[]>('*'));
    return row && toRecord(row);
  },

  async list(db: Conn): Promise<PartnerRecord[]> {
    return ((await db('partners').orderBy('agency_id')) as Row[]).map(toRecord);
  },

  /** Adds a partner, or replaces its URL, name and pinned certificate (a renewed seal). */
  async upsert(db: Conn, p: Omit<PartnerRecord, 'createdAt' | 'updatedAt'>, now: number): Promise<void> {
    await db('partners')
      .insert({
        agency_id: p.agencyId, name: p.name, url: p.url, certificate_pem: p.certificatePem, certificate_sha256: p.certificateSha256,
        certificate_is_ca: p.certificateIsCa, created_at: now, updated_at: now,
      })
      .onConflict('agency_id')
      .merge(['name', 'url', 'certificate_pem', 'certificate_sha256', 'certificate_is_ca', 'updated_at']);
  },

  async remove(db: Conn, agencyId: string): Promise<boolean> {
    return (await db('partners').where({ agency_id: agencyId }).delete()) === 1;
  },
};
