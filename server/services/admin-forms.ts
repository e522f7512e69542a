/**
 * Agency administrators write their forms (issue 21, item 6; the contract of
 * `/api/v1/admin/forms`, docs/forms.md "Forms in the database"): a draft per form, published as
 * numbered versions that never change afterwards, a diff of each version against the one before,
 * and retirement (no new applications; those started continue). Only an administrator (`kind`
 * 'admin') of the form's agency may do any of it. Definitions are opaque here: whatever the JSON
 * Schema and core's checkDefinition accept (pages, fees, deadlines… included) is stored as given.
 */
import type { Knex } from 'knex';
import type { FormDefinition, LocalizedText } from '../../components/core/forms/definition.ts';
import type { DefinitionProblem } from '../../components/core/forms/check.ts';
import type { JsonValue } from '../../components/core/canonical-json.ts';
import { jsonDiff, type JsonChange } from '../../components/core/json-diff.ts';
import type { User } from '../../components/core/user.ts';
import { forms, formVersions, type FormRecord } from '../db/form-versions.ts';
import type { Conn } from '../db/connection.ts';
import { HttpError } from '../http-error.ts';
import { appendAudit } from './audit.ts';
import type { Deps } from './deps.ts';
import { storedForm } from './form-catalog.ts';

export type AdminFormState = 'draft' | 'published' | 'retired';

export interface AdminFormSummary {
  id: string;
  agencyId: string;
  title: LocalizedText;
  state: AdminFormState;
  publishedVersion: number | null;
  hasDraft: boolean;
  updatedAt: string;
}

export interface AdminFormVersion {
  version: number;
  publishedAt: string;
  /** The administrator who published it; null for a version loaded from OVERA_FORMS_DIR. */
  publishedBy: string | null;
  /** Hex SHA-256 of the version's canonical JSON (as in its audit entry). */
  digest: string;
}

export interface AdminFormView {
  id: string;
  agencyId: string;
  state: AdminFormState;
  publishedVersion: number | null;
  draft: FormDefinition | null;
  versions: AdminFormVersion[];
}

export interface FormDiff {
  from: number | null;
  to: number;
  changes: JsonChange[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The agency the user administers; 403 for anybody else. */
export function administeredAgency(user: User): string {
  if (user.kind !== 'admin' || !user.agencyId) {
    throw new HttpError(403, 'not-allowed', 'Only an agency administrator may manage forms');
  }
  return user.agencyId;
}

function formNotFound(id: string): HttpError {
  return new HttpError(404, 'form-not-found', 'There is no such form', { detail: `No form "${id}"` });
}

/** The form, if it is the administrator's agency's: 404 when there is none, 403 when it is another agency's. */
async function ownForm(conn: Conn, user: User, id: string, lock?: Knex.Transaction): Promise<FormRecord> {
  const agencyId = administeredAgency(user);
  const form = lock ? await forms.lock(lock, id) : await forms.get(conn, id);
  if (!form) throw formNotFound(id);
  if (form.agencyId !== agencyId) {
    throw new HttpError(403, 'not-allowed', 'This form belongs to another agency', { detail: `Only administrators of its agency manage form "${id}"` });
  }
  return form;
}

function stateOf(form: FormRecord, publishedVersion: number | null): AdminFormState {
  if (form.retiredAt !== null) return 'retired';
  return publishedVersion === null ? 'draft' : 'published';
}

/** 422 with one error per problem, each naming its place in the definition by JSON pointer. */
function invalidDefinition(problems: readonly DefinitionProblem[]): HttpError {
  return new HttpError(422, 'invalid-form-definition', 'The form definition is not valid', {
    detail: problems.slice(0, 5).map((p) => `${p.path || '(root)'}: ${p.message}`).join('; '),
    errors: problems.map((p) => ({ field: p.path, code: 'definition', rule: p.code, params: p.params, message: p.message })),
  });
}

/** The problems of a definition, without saving anything (`POST /admin/forms/check`). */
export function checkForm(deps: Pick<Deps, 'forms'>, user: User, definition: unknown): { problems: DefinitionProblem[] } {
  administeredAgency(user);
  return { problems: deps.forms.check(definition) };
}

async function summary(conn: Conn, f: FormRecord, publishedVersion: number | null): Promise<AdminFormSummary> {
  // The title people know it by: the published one; a form never published has its draft's.
  const shown = publishedVersion === null ? f.draft : (await formVersions.get(conn, f.id, publishedVersion))!.definition;
  const title = shown === null ? f.id : (JSON.parse(shown) as FormDefinition).title;
  return { id: f.id, agencyId: f.agencyId, title, state: stateOf(f, publishedVersion), publishedVersion, hasDraft: f.draft !== null, updatedAt: iso(f.updatedAt) };
}

export async function listAgencyForms(deps: Pick<Deps, 'db'>, user: User): Promise<AdminFormSummary[]> {
  return listForms(deps, administeredAgency(user));
}

export async function getAgencyForm(deps: Pick<Deps, 'db'>, user: User, id: string): Promise<AdminFormView> {
  const form = await ownForm(deps.db, user, id);
  const versions = await formVersions.list(deps.db, id);
  const publishedVersion = versions.length ? versions[versions.length - 1]!.version : null;
  return {
    id: form.id,
    agencyId: form.agencyId,
    state: stateOf(form, publishedVersion),
    publishedVersion,
    draft: form.draft === null ? null : (JSON.parse(form.draft) as FormDefinition),
    versions: versions.map((v) => ({ version: v.version, publishedAt: iso(v.publishedAt), publishedBy: v.publishedBy, digest: v.digest })),
  };
}

/** The number the next published version gets. */
async function nextVersion(conn: Conn, id: string): Promise<number> {
  return ((await formVersions.latest(conn, [id])).get(id) ?? 0) + 1;
}

/**
 * Saves the draft of form `id` (a new form when there is none of that id): `id` must be the
 * path's and `agencyId` the administrator's (409 otherwise); its `version` is set to the number
 * it would be published as; it must pass the schema and checkDefinition (422 naming each problem).
 */
export async function saveDraft(deps: Pick<Deps, 'db' | 'now' | 'forms'>, user: User, id: string, body: unknown): Promise<{ draft: FormDefinition }> {
  const agencyId = administeredAgency(user);
  return deps.db.transaction(async (trx) => {
    const existing = await forms.lock(trx, id);
    // Another agency's form: refused as such, whatever the body says.
    if (existing && existing.agencyId !== agencyId) await ownForm(trx, user, id);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidDefinition([{ path: '', code: 'schema', params: { keyword: 'type' }, message: 'must be an object (a form definition)' }]);
    const given = body as Record<string, unknown>;
    if (given.id !== id) {
      throw new HttpError(409, 'form-id-mismatch', 'The definition is of another form', {
        detail: `Its "id" is ${JSON.stringify(given.id)}, the address names "${id}"`,
        errors: [{ field: '/id', code: 'mismatch', message: `must be "${id}"` }],
      });
    }
    if (given.agencyId !== agencyId) {
      throw new HttpError(409, 'form-agency-mismatch', 'The definition is of another agency', {
        detail: `Its "agencyId" is ${JSON.stringify(given.agencyId)}; you administer "${agencyId}"`,
        errors: [{ field: '/agencyId', code: 'mismatch', message: `must be "${agencyId}"` }],
      });
    }
    const draft = { ...given, version: await nextVersion(trx, id) };
    const problems = deps.forms.check(draft);
    if (problems.length) throw invalidDefinition(problems);
    const now = deps.now();
    const { json } = await storedForm(draft as unknown as FormDefinition);
    if (!existing) await forms.insertIfMissing(trx, { id, agencyId, now });
    await forms.setDraft(trx, id, { json, by: user.id, now });
    return { draft: JSON.parse(json) as FormDefinition };
  });
}

/** Throws the draft away; a form never published goes with it. */
export async function deleteDraft(deps: Pick<Deps, 'db' | 'now'>, user: User, id: string): Promise<void> {
  await deps.db.transaction(async (trx) => {
    await ownForm(trx, user, id, trx);
    await forms.setDraft(trx, id, { json: null, by: null, now: deps.now() });
    await forms.removeUnpublished(trx, id);
  });
}

/**
 * Publishes `def` as the form's next version, in the caller's transaction with the form's row
 * locked, audited (`form.published`: the version, the SHA-256 of its canonical JSON, the version
 * before it and how many changes lie between). `actor`: the administrator, or null for the operator (CLI).
 */
async function publishLocked(
  deps: Pick<Deps, 'now' | 'forms'>, trx: Knex.Transaction, form: FormRecord, given: FormDefinition, actor: string | null, options: { clearDraft: boolean },
): Promise<{ version: number; publishedAt: string }> {
  const id = form.id;
  const previous = (await formVersions.latest(trx, [id])).get(id) ?? null;
  const version = (previous ?? 0) + 1;
  const def = { ...given, version };
  // Checked again: the server may have been updated since the draft was saved.
  const problems = deps.forms.check(def);
  if (problems.length) throw invalidDefinition(problems);
  const now = deps.now();
  const { json, digest } = await storedForm(def);
  await formVersions.insert(trx, { formId: id, version, definition: json, digest, publishedAt: now, publishedBy: actor, sourceFile: null });
  await forms.published(trx, id, now, options);
  const before = previous === null ? null : (await formVersions.get(trx, id, previous))!;
  const changes = jsonDiff(before === null ? {} : (JSON.parse(before.definition) as JsonValue), JSON.parse(json) as JsonValue).length;
  await appendAudit(trx, {
    actor,
    action: 'form.published',
    subject: { type: 'form', id },
    data: { formId: id, agencyId: form.agencyId, version, digest, previousVersion: previous, changes, ...(form.retiredAt !== null ? { unretired: true } : {}) },
  }, now);
  return { version, publishedAt: iso(now) };
}

/** Retires the form (its row locked), audited (`form.retired`); a retired form stays as it is. */
async function retireLocked(deps: Pick<Deps, 'now'>, trx: Knex.Transaction, form: FormRecord, actor: string | null): Promise<void> {
  const published = (await formVersions.latest(trx, [form.id])).get(form.id);
  if (published === undefined) throw new HttpError(409, 'not-published', 'Only a published form can be retired', { detail: `Form "${form.id}" has no published version; delete its draft instead` });
  if (form.retiredAt !== null) return;
  const now = deps.now();
  await forms.retire(trx, form.id, actor, now);
  await appendAudit(trx, { actor, action: 'form.retired', subject: { type: 'form', id: form.id }, data: { formId: form.id, agencyId: form.agencyId, version: published } }, now);
}

/**
 * Publishes the draft as the next version (never changed afterwards). Publishing a retired form
 * brings it back. The instance reloads its forms after the commit; others within a second.
 */
export async function publishDraft(deps: Pick<Deps, 'db' | 'now' | 'forms'>, user: User, id: string): Promise<{ version: number; publishedAt: string }> {
  const result = await deps.db.transaction(async (trx) => {
    const form = await ownForm(trx, user, id, trx);
    if (form.draft === null) throw new HttpError(409, 'no-draft', 'There is no draft to publish', { detail: `Form "${id}" has no draft: save one first (PUT …/draft)` });
    return publishLocked(deps, trx, form, JSON.parse(form.draft) as FormDefinition, user.id, { clearDraft: true });
  });
  await deps.forms.refresh({ force: true });
  return result;
}

/** Stops new applications with the form; those started continue. Audited (`form.retired`); once. */
export async function retireForm(deps: Pick<Deps, 'db' | 'now' | 'forms'>, user: User, id: string): Promise<void> {
  await deps.db.transaction(async (trx) => retireLocked(deps, trx, await ownForm(trx, user, id, trx), user.id));
  await deps.forms.refresh({ force: true });
}

// ---- the operator's side (`overa forms …`, server/forms-cli.ts): any agency, audited with no actor ----

/** Every form (or one agency's), as administrators list theirs. */
export async function listForms(deps: Pick<Deps, 'db'>, agencyId?: string): Promise<AdminFormSummary[]> {
  const rows = await forms.list(deps.db, agencyId);
  const latest = await formVersions.latest(deps.db, rows.map((f) => f.id));
  const out: AdminFormSummary[] = [];
  for (const f of rows) out.push(await summary(deps.db, f, latest.get(f.id) ?? null));
  return out;
}

/**
 * Publishes a definition (a file the operator gives) as its form's next version: a new form
 * of its `agencyId`, or the next version of the form of that id (of the same agency). Its
 * `version` is ignored; an administrator's draft stays as it is.
 */
export async function publishAsOperator(deps: Pick<Deps, 'db' | 'now' | 'forms'>, definition: unknown): Promise<{ id: string; version: number; publishedAt: string }> {
  const problems = deps.forms.check(definition);
  if (problems.length) throw invalidDefinition(problems);
  const def = definition as FormDefinition;
  const result = await deps.db.transaction(async (trx) => {
    await forms.insertIfMissing(trx, { id: def.id, agencyId: def.agencyId, now: deps.now() });
    const form = (await forms.lock(trx, def.id))!;
    if (form.agencyId !== def.agencyId) {
      throw new HttpError(409, 'form-agency-mismatch', 'The definition is of another agency', { detail: `Form "${def.id}" belongs to agency "${form.agencyId}", not "${def.agencyId}"` });
    }
    return { id: def.id, ...(await publishLocked(deps, trx, form, def, null, { clearDraft: false })) };
  });
  await deps.forms.refresh({ force: true });
  return result;
}

export async function retireAsOperator(deps: Pick<Deps, 'db' | 'now' | 'forms'>, id: string): Promise<void> {
  await deps.db.transaction(async (trx) => {
    const form = await forms.lock(trx, id);
    if (!form) throw formNotFound(id);
    await retireLocked(deps, trx, form, null);
  });
  await deps.forms.refresh({ force: true });
}

async function versionOf(conn: Conn, id: string, version: number): Promise<FormDefinition> {
  const v = await formVersions.get(conn, id, version);
  if (!v) throw new HttpError(404, 'form-version-not-found', 'There is no such version', { detail: `Form "${id}" has no version ${version}` });
  return JSON.parse(v.definition) as FormDefinition;
}

export async function getVersion(deps: Pick<Deps, 'db'>, user: User, id: string, version: number): Promise<FormDefinition> {
  await ownForm(deps.db, user, id);
  return versionOf(deps.db, id, version);
}

/** A version against the one before it (`from: null` for the first: every member an `add`). */
export async function diffVersion(deps: Pick<Deps, 'db'>, user: User, id: string, version: number): Promise<FormDiff> {
  await ownForm(deps.db, user, id);
  const to = await versionOf(deps.db, id, version);
  const earlier = (await formVersions.list(deps.db, id)).filter((v) => v.version < version);
  const from = earlier.length ? earlier[earlier.length - 1]!.version : null;
  const before: JsonValue = from === null ? {} : (await versionOf(deps.db, id, from)) as unknown as JsonValue;
  return { from, to: version, changes: jsonDiff(before, to as unknown as JsonValue) };
}
