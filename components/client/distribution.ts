import type { AgencyDirectory, DirectoryAgency, DistributeRequest, DocumentDetails } from '../core/api.ts';
import type { OveraClient } from './client.ts';

/*
 * Sending an issued document to other agencies (issue 19): the directory and the send. A module
 * of its own so that only the view that sends (the inbox's case view, loaded lazily) brings it.
 */

/**
 * The agencies a document can be sent to (`GET agencies`, issue 19): this server's and partner
 * agencies on other servers alike, the reader's own left out. For the "send to" picker.
 */
export async function listAgencies(client: OveraClient, signal?: AbortSignal): Promise<DirectoryAgency[]> {
  const page = await client.request<AgencyDirectory>('GET', 'agencies', signal ? { signal } : {});
  return page.items;
}

/**
 * Sends an issued document to more agencies (`POST documents/:id/distribute`): local ones get
 * it in their reception at once, partners as a signed message through the outbox (queued, then
 * delivered). The answer is the document with its recipients. The key makes a retry after a
 * lost answer return the first answer instead of failing as "already sent".
 */
export function distributeDocument(client: OveraClient, documentId: string, agencyIds: readonly string[], idempotencyKey?: string): Promise<DocumentDetails> {
  const headers: Record<string, string> = {};
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const body: DistributeRequest = { agencyIds: [...agencyIds] };
  return client.request<DocumentDetails>('POST', `documents/${encodeURIComponent(documentId)}/distribute`, { body, headers });
}
