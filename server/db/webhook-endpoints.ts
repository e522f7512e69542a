import type { Conn } from './connection.ts';

/** A subscribed endpoint (services/webhooks.ts); the secrets stay encrypted here. */
export interface WebhookEndpointRecord {
  id: string;
  /** null: every agency's events. */
  agencyId: string | null;
  url: string;
  /** Event types, or ['*']. */
  events: string[];
  description: string;
  secretEncrypted: string;
  previousSecretEncrypted: string | null;
  previousSecretUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  agency_id: string | null;
  url: string;
  events: string;
  description: string;
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  previous_secret_until: number | string | null;
  created_at: number | string;
  updated_at: number | string;
}

function toRecord(r: Row): WebhookEndpointRecord {
  return {
    id: r.id,
    agencyId: r.agency_id,
    url: r.url,
    events: JSON.parse(r.events) as string[],
    description: r.description,
    secretEncrypted: r.secret_encrypted,
    previousSecretEncrypted: r.previous_secret_encrypted,
    previousSecretUntil: r.previous_secret_until === null ? null : Number(r.previous_secret_until),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export const webhookEndpoints = {
  async insert(db: Conn, e: WebhookEndpointRecord): Promise<void> {
    await db('webhook_endpoints').insert({
      id: e.id, agency_id: e.agencyId, url: e.url, events: JSON.stringify(e.events), description: e.description,
      secret_encrypted: e.secretEncrypted, previous_secret_encrypted: e.previousSecretEncrypted,
      previous_secret_until: e.previousSecretUntil, created_at: e.createdAt, updated_at: e.updatedAt,
    });
  },
  async get(db: Conn, id: string): Promise<WebhookEndpointRecord | undefined> {
    const row = await db('webhook_endpoints').where({ id }).first<Row | undefined>();
    return row ? toRecord(row) : undefined;
  },
  /** Every endpoint (agencyId given: that agency's only), oldest first. */
  async list(db: Conn, agencyId?: string): Promise<WebhookEndpointRecord[]> {
    const q = db('webhook_endpoints');
    if (agencyId !== undefined) q.where({ agency_id: agencyId });
    return ((await q.orderBy(['created_at', 'id'])) as Row[]).map(toRecord);
  },
  /** The endpoints that hear events of these agencies: theirs, and those of every agency. */
  async forAgencies(db: Conn, agencyIds: readonly string[]): Promise<WebhookEndpointRecord[]> {
    const rows = await db('webhook_endpoints').whereNull('agency_id').orWhereIn('agency_id', [...agencyIds]) as Row[];
    return rows.map(toRecord);
  },
  async rotate(db: Conn, id: string, next: { secretEncrypted: string; previousSecretEncrypted: string; previousSecretUntil: number; updatedAt: number }): Promise<boolean> {
    const n = await db('webhook_endpoints').where({ id }).update({
      secret_encrypted: next.secretEncrypted, previous_secret_encrypted: next.previousSecretEncrypted,
      previous_secret_until: next.previousSecretUntil, updated_at: next.updatedAt,
    });
    return n === 1;
  },
  async remove(db: Conn, id: string): Promise<boolean> {
    return (await db('webhook_endpoints').where({ id }).delete()) === 1;
  },
};
