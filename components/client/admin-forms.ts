/**
 * Forms in the database, for an agency administrator (`/api/v1/admin/forms…`, issue 21, the
 * shared contract): list the agency's forms, read one, save a draft, publish it. Plain
 * functions over a client, as components/client/applications.ts. The definition travels as
 * JSON; a definition checkDefinition refuses comes back as a 422 problem whose `errors` name
 * the parts at fault by JSON pointer (`field`).
 */
import type { OveraClient } from './client.ts';

/** One row of `GET /admin/forms`. */
export interface AdminFormSummary {
  readonly id: string;
  readonly agencyId: string;
  /** The title as the definition gives it (a LocalizedText). */
  readonly title: unknown;
  readonly state: 'draft' | 'published' | 'retired';
  readonly publishedVersion: number | null;
  readonly hasDraft: boolean;
  readonly updatedAt: string;
}

/** `GET /admin/forms/:id`. `D` is the definition type the caller edits. */
export interface AdminForm<D> {
  readonly id: string;
  readonly agencyId: string;
  readonly state: 'draft' | 'published' | 'retired';
  readonly publishedVersion: number | null;
  readonly draft: D | null;
  readonly versions: readonly { readonly version: number; readonly publishedAt: string; readonly publishedBy: string }[];
}

const path = (id: string, rest = '') => `admin/forms/${encodeURIComponent(id)}${rest}`;
const withSignal = <T extends object>(options: T, signal?: AbortSignal): T => (signal ? { ...options, signal } : options);

/** The forms of the signed-in administrator's agency. */
export async function listAdminForms(client: OveraClient, signal?: AbortSignal): Promise<AdminFormSummary[]> {
  const { items } = await client.request<{ items: AdminFormSummary[] }>('GET', 'admin/forms', withSignal({}, signal));
  return items;
}

export function getAdminForm<D>(client: OveraClient, id: string, signal?: AbortSignal): Promise<AdminForm<D>> {
  return client.request<AdminForm<D>>('GET', path(id), withSignal({}, signal));
}

/** A published version of a form. */
export function getAdminFormVersion<D>(client: OveraClient, id: string, version: number, signal?: AbortSignal): Promise<D> {
  return client.request<D>('GET', path(id, `/versions/${version}`), withSignal({}, signal));
}

/** Saves `definition` as the draft of its form (creates the form when its id is new). */
export async function saveFormDraft<D extends { readonly id: string }>(client: OveraClient, definition: D, signal?: AbortSignal): Promise<D> {
  const { draft } = await client.request<{ draft: D }>('PUT', path(definition.id, '/draft'), withSignal({ body: definition }, signal));
  return draft;
}

/** Publishes the saved draft as the form's next version. */
export function publishForm(client: OveraClient, id: string, signal?: AbortSignal): Promise<{ version: number; publishedAt: string }> {
  return client.request<{ version: number; publishedAt: string }>('POST', path(id, '/publish'), withSignal({ body: {} }, signal));
}
