/**
 * The officials' side of the API: the inbox, a case, decisions and proxy delegations, and
 * the URL of the inbox's server-sent events.
 */
import type { ApplicationStatus, CaseView, Decision, DelegationView, InboxItem, Page, ReceptionItem, ReceptionStatus } from '../core/api.ts';
import type { OveraClient } from './client.ts';

export interface InboxFilters {
  status?: ApplicationStatus[];
  /** A form id. */
  form?: string;
  /** A day (`YYYY-MM-DD`, in Serbia) or an ISO date-time. */
  from?: string;
  to?: string;
  /** Only cases waiting for me, or for my role. */
  assigned?: 'me' | 'role';
  /** Applicant name or tracking number. */
  q?: string;
  /** Open cases whose legal time limit ends soon, or has passed. */
  due?: 'soon' | 'overdue';
  /** `submitted` (the server's default): newest first; `due`: the time limit ending first. */
  sort?: 'submitted' | 'due';
}

export function listInbox(
  client: OveraClient,
  filters: InboxFilters = {},
  options: { limit?: number; cursor?: string | null; signal?: AbortSignal } = {},
): Promise<Page<InboxItem>> {
  const params = new URLSearchParams();
  if (filters.status?.length) params.set('status', filters.status.join(','));
  if (filters.form) params.set('form', filters.form);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.assigned) params.set('assigned', filters.assigned);
  if (filters.q?.trim()) params.set('q', filters.q.trim());
  if (filters.due) params.set('due', filters.due);
  if (filters.sort) params.set('sort', filters.sort);
  if (options.limit !== undefined) params.set('limit', String(options.limit));
  if (options.cursor) params.set('cursor', options.cursor);
  const query = params.size ? `?${params}` : '';
  return client.request<Page<InboxItem>>('GET', `inbox${query}`, options.signal ? { signal: options.signal } : {});
}

export function getCase(client: OveraClient, id: string, signal?: AbortSignal): Promise<CaseView> {
  return client.request<CaseView>('GET', `cases/${encodeURIComponent(id)}`, signal ? { signal } : {});
}

export interface DecisionInput {
  step: string;
  decision: Decision;
  comment?: string;
  /** The official's passkey signature over this decision (subject `decision`). */
  signatureId: string;
}

/** Decides a step. `version` is the case's version as loaded: a case changed since gets 412, a step decided by someone else 409. */
export function decideCase(client: OveraClient, id: string, version: number, input: DecisionInput, idempotencyKey?: string): Promise<CaseView> {
  const headers: Record<string, string> = { 'If-Match': `"${version}"` };
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  return client.request<CaseView>('POST', `cases/${encodeURIComponent(id)}/decisions`, { body: input, headers });
}

export function listDelegations(client: OveraClient, signal?: AbortSignal): Promise<{ items: DelegationView[] }> {
  return client.request<{ items: DelegationView[] }>('GET', 'delegations', signal ? { signal } : {});
}

export function createDelegation(client: OveraClient, input: { toUserId: string; from: string; until: string }): Promise<DelegationView> {
  return client.request<DelegationView>('POST', 'delegations', { body: input });
}

/**
 * The URL of `GET /inbox/events` for an EventSource: EventSource cannot send an
 * Authorization header, so the token rides in the query on this one route.
 */
export function inboxEventsUrl(client: OveraClient): string | null {
  if (!client.token) return null;
  const url = new URL('inbox/events', client.apiBase);
  url.searchParams.set('access_token', client.token);
  return url.href;
}

/** A receiving agency's inbox of documents other agencies sent it. */
export function listReception(
  client: OveraClient,
  options: { status?: ReceptionStatus; limit?: number; cursor?: string | null; signal?: AbortSignal } = {},
): Promise<Page<ReceptionItem>> {
  const params = new URLSearchParams();
  if (options.status) params.set('status', options.status);
  if (options.limit !== undefined) params.set('limit', String(options.limit));
  if (options.cursor) params.set('cursor', options.cursor);
  const query = params.size ? `?${params}` : '';
  return client.request<Page<ReceptionItem>>('GET', `reception${query}`, options.signal ? { signal: options.signal } : {});
}

/** Acknowledges receipt of a document, with the official's passkey signature on `{type: "reception", id}`. */
/** `POST reception/:id/reject`: a partner agency's document refused, with the reason the signature covers (issue 19). */
export function rejectReception(client: OveraClient, id: string, signatureId: string, reason: string, idempotencyKey?: string): Promise<ReceptionItem> {
  const headers: Record<string, string> = {};
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  return client.request<ReceptionItem>('POST', `reception/${encodeURIComponent(id)}/reject`, { body: { signatureId, reason }, headers });
}

export function acceptReception(client: OveraClient, id: string, signatureId: string, idempotencyKey?: string): Promise<ReceptionItem> {
  const headers: Record<string, string> = {};
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  return client.request<ReceptionItem>('POST', `reception/${encodeURIComponent(id)}/accept`, { body: { signatureId }, headers });
}
