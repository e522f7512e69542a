/**
 * The forms and applications part of the API, as plain functions over a client: the
 * elements import only what they use, and the client class stays about sessions.
 */
import type {
  ApplicationSummary,
  ApplicationView,
  ApplicationWithHistory,
  FormSummary,
  Page,
} from '../core/api.ts';
import type { ApplicationData, FormDefinition } from '../core/forms/definition.ts';
import type { OveraClient } from './client.ts';

export interface ApplicationInput {
  formId: string;
  formVersion: number;
  data: ApplicationData;
  /** Upload ids the file fields refer to (optional: the server derives them from `data`). */
  attachments?: string[];
}

export interface WriteOptions {
  /** Makes a retry of the same call return the first answer instead of writing again. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** A fresh random Idempotency-Key: one per user intent (one click of "Submit"), reused on retries. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

function writeHeaders(options: WriteOptions, version?: number): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  if (version !== undefined) headers['If-Match'] = `"${version}"`;
  return headers;
}

function withSignal<T extends object>(options: T, signal: AbortSignal | undefined): T & { signal?: AbortSignal } {
  return signal ? { ...options, signal } : options;
}

export async function listForms(client: OveraClient, signal?: AbortSignal): Promise<FormSummary[]> {
  const { forms } = await client.request<{ forms: FormSummary[] }>('GET', 'forms', withSignal({ auth: false }, signal));
  return forms;
}

export function getForm(client: OveraClient, id: string, version?: number, signal?: AbortSignal): Promise<FormDefinition> {
  const query = version === undefined ? '' : `?version=${version}`;
  return client.request<FormDefinition>('GET', `forms/${encodeURIComponent(id)}${query}`, withSignal({ auth: false }, signal));
}

/** Creates a draft (incomplete answers are fine; wrong ones are not). */
export function createApplication(client: OveraClient, input: ApplicationInput, options: WriteOptions = {}): Promise<ApplicationView> {
  return client.request<ApplicationView>('POST', 'applications', withSignal({ body: input, headers: writeHeaders(options) }, options.signal));
}

/** Replaces a draft's answers; `version` is the one last loaded (a stale one gets 412). */
export function updateApplication(
  client: OveraClient,
  id: string,
  version: number,
  input: Pick<ApplicationInput, 'data' | 'attachments'>,
  options: WriteOptions = {},
): Promise<ApplicationView> {
  return client.request<ApplicationView>(
    'PUT',
    `applications/${encodeURIComponent(id)}`,
    withSignal({ body: input, headers: writeHeaders(options, version) }, options.signal),
  );
}

/** Submits a draft (or resubmits a returned application), with the citizen's signature when the form requires one. */
export function submitApplication(
  client: OveraClient,
  id: string,
  version: number,
  input: { signatureId?: string } = {},
  options: WriteOptions = {},
): Promise<ApplicationView> {
  return client.request<ApplicationView>(
    'POST',
    `applications/${encodeURIComponent(id)}/submit`,
    withSignal({ body: input, headers: writeHeaders(options, version) }, options.signal),
  );
}

export function getApplication(client: OveraClient, id: string, signal?: AbortSignal): Promise<ApplicationWithHistory> {
  return client.request<ApplicationWithHistory>('GET', `applications/${encodeURIComponent(id)}`, withSignal({}, signal));
}

/** The signed-in person's applications, newest first. */
export function listMyApplications(
  client: OveraClient,
  options: { limit?: number; cursor?: string | null; signal?: AbortSignal } = {},
): Promise<Page<ApplicationSummary>> {
  const params = new URLSearchParams();
  if (options.limit !== undefined) params.set('limit', String(options.limit));
  if (options.cursor) params.set('cursor', options.cursor);
  const query = params.size ? `?${params}` : '';
  return client.request<Page<ApplicationSummary>>('GET', `applications${query}`, withSignal({}, options.signal));
}
