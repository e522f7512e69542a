import type { Knex } from 'knex';
import type { Conn } from './connection.ts';

/**
 * The SQL of the two tables of forms in the database (migration 018): `forms` (a form, its
 * draft, its retirement) and `form_versions` (its published versions, never changed).
 * Definitions are stored as the canonical JSON text the service made; this module does not parse them.
 */

/** One form of an agency. */
export interface FormRecord {
  id: string;
  agencyId: string;
  /** The draft's canonical JSON, or null. */
  draft: string | null;
  draftUpdatedAt: number | null;
  draftUpdatedBy: string | null;
  retiredAt: number | null;
  retiredBy: string | null;
  revision: number;
  createdAt: number;
  updatedAt: number;
}

/** One published version of a form. */
export interface FormVersionRecord {
  formId: string;
  version: number;
  /** Canonical JSON of the definition. */
  definition: string;
  /** Hex SHA-256 of `definition`. */
  digest: string;
  publishedAt: number;
  /** The administrator who published it; null when it came from OVERA_FORMS_DIR. */
  publishedBy: string | null;
  /** The file in OVERA_FORMS_DIR it came from, or null. */
  sourceFile: string | null;
}

/** A version without its definition: for lists. */
export type FormVersionSummary = Omit<FormVersionRecord, 'definition'>;

interface FormRow {
  id: string;
  agency_id: string;
  draft: string | null;
  draft_updated_at: number | string | null;
  draft_updated_by: string | null;
  retired_at: number | string | null;
  retired_by: string | null;
  revision: number | string;
  created_at: number | string;
  updated_at: number | string;
}

interface VersionRow {
  form_id: string;
  version: number | string;
  definition?: string;
  digest: string;
  published_at: number | string;
  published_by: string | null;
  source_file: string | null;
}

const orNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toForm(r: FormRow): FormRecord {
  return {
    id: r.id,
    agencyId: r.agency_id,
    draft: r.draft,
    draftUpdatedAt: orNull(r.draft_updated_at),
    draftUpdatedBy: r.draft_updated_by,
    retiredAt: orNull(r.retired_at),
    retiredBy: r.retired_by,
    revision: Number(r.revision),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function toSummary(r: VersionRow): FormVersionSummary {
  return {
    formId: r.form_id,
    version: Number(r.version),
    digest: r.digest,
    publishedAt: Number(r.published_at),
    publishedBy: r.published_by,
    sourceFile: r.source_file,
  };
}

const SUMMARY_COLUMNS = ['form_id', 'version', 'digest', 'published_at', 'published_by', 'source_file'];

export const forms = {
  async get(db: Conn, id: string): Promise<FormRecord | undefined> {
    const row = await db('forms').where({ id }).first<FormRow | undefined>();
    return row ? toForm(row) : undefined;
  },
  /** The form's row, locked until the transaction ends (PostgreSQL; SQLite serialises writers): publishing takes turns. */
  async lock(trx: Knex.Transaction, id: string): Promise<FormRecord | undefined> {
    const [row] = (await trx('forms').where({ id }).forUpdate().select('*')) as FormRow[];
    return row ? toForm(row) : undefined;
  },
  /** Every form (agencyId given: that agency's only), by id. */
  async list(db: Conn, agencyId?: string): Promise<FormRecord[]> {
    const q = db('forms');
    if (agencyId !== undefined) q.where({ agency_id: agencyId });
    return ((await q.orderBy('id')) as FormRow[]).map(toForm);
  },
  /** Adds the form's row unless it is there already (two instances starting at once load the same files). */
  async insertIfMissing(db: Conn, f: { id: string; agencyId: string; now: number }): Promise<void> {
    await db('forms').insert({ id: f.id, agency_id: f.agencyId, revision: 0, created_at: f.now, updated_at: f.now }).onConflict('id').ignore();
  },
  async setDraft(db: Conn, id: string, draft: { json: string | null; by: string | null; now: number }): Promise<void> {
    await db('forms').where({ id }).update({ draft: draft.json, draft_updated_at: draft.json === null ? null : draft.now, draft_updated_by: draft.by, updated_at: draft.now });
  },
  /** A new version was published: the draft (if any) is gone, the form is not retired, its revision grows. */
  async published(db: Conn, id: string, now: number, options: { clearDraft: boolean }): Promise<void> {
    await db('forms').where({ id }).update({
      ...(options.clearDraft ? { draft: null, draft_updated_at: null, draft_updated_by: null } : {}),
      retired_at: null, retired_by: null, updated_at: now, revision: db.raw('revision + 1'),
    });
  },
  async retire(db: Conn, id: string, by: string | null, now: number): Promise<void> {
    await db('forms').where({ id }).update({ retired_at: now, retired_by: by, updated_at: now, revision: db.raw('revision + 1') });
  },
  /** Removes a form that never had a published version (its draft was thrown away). */
  async removeUnpublished(db: Conn, id: string): Promise<void> {
    await db('forms').where({ id }).whereNotExists(db('form_versions').where({ form_id: id }).select(db.raw('1'))).delete();
  },
  /**
   * What changes with every publish and retirement anywhere: the sum of the forms' revisions
   * (each only grows, and rows with a revision are never deleted). One cheap query.
   */
  async stamp(db: Conn): Promise<number> {
    const row = await db('forms').sum({ n: 'revision' }).first<{ n: number | string | null }>();
    return Number(row?.n ?? 0);
  },
};

export const formVersions = {
  async insert(db: Conn, v: FormVersionRecord): Promise<void> {
    await db('form_versions').insert({
      form_id: v.formId, version: v.version, definition: v.definition, digest: v.digest,
      published_at: v.publishedAt, published_by: v.publishedBy, source_file: v.sourceFile,
    });
  },
  async get(db: Conn, formId: string, version: number): Promise<FormVersionRecord | undefined> {
    const row = await db('form_versions').where({ form_id: formId, version }).first<VersionRow | undefined>();
    return row ? { ...toSummary(row), definition: row.definition! } : undefined;
  },
  /** The versions of one form, oldest first, without their definitions. */
  async list(db: Conn, formId: string): Promise<FormVersionSummary[]> {
    return ((await db('form_versions').where({ form_id: formId }).orderBy('version').select(SUMMARY_COLUMNS)) as VersionRow[]).map(toSummary);
  },
  /** The highest version of each of these forms (forms without one are missing from the map). */
  async latest(db: Conn, formIds: readonly string[]): Promise<Map<string, number>> {
    if (formIds.length === 0) return new Map();
    const rows = (await db('form_versions').whereIn('form_id', [...formIds]).groupBy('form_id').select('form_id', db.raw('max(version) as v'))) as { form_id: string; v: number | string }[];
    return new Map(rows.map((r) => [r.form_id, Number(r.v)]));
  },
  /** Every published version with its definition: what an instance serves. */
  async all(db: Conn): Promise<FormVersionRecord[]> {
    return ((await db('form_versions').orderBy(['form_id', 'version'])) as VersionRow[]).map((r) => ({ ...toSummary(r), definition: r.definition! }));
  },
};
