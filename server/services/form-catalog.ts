/**
 * The forms the app serves, kept in the database (issue 21, item 6): every published version in
 * `form_versions`, retirements in `forms`. Each app instance holds a copy (a FormSnapshot) so
 * that the many synchronous readers (`deps.forms.get/list`) stay as they were, and keeps it up to date:
 *
 *  - **version check, at most once a second**: before an API request (app.ts) the instance asks
 *    the database for the sum of the forms' revisions, one cheap query, at most once per
 *    FORM_CATALOG_MAX_AGE_MS of its clock; a different sum (a publish or a retirement anywhere)
 *    reloads the published versions. So a publish on one instance is visible on the others
 *    within a second, and at once on the instance that made it (it reloads after its commit).
 *  - a reader that misses a version it was told about (an application started on another
 *    instance a moment ago) forces a check (`refresh({ force: true })`), see services/applications.ts.
 *
 * On start the forms of OVERA_FORMS_DIR are loaded as published versions (`start`): a file already
 * published with the same content changes nothing, a higher version is published, and a file whose
 * content differs from the version of that number in the database stops the start with an error
 * naming the file: a published version never changes.
 */
import type { Knex } from 'knex';
import type { FormDefinition } from '../../components/core/forms/definition.ts';
import type { DefinitionProblem } from '../../components/core/forms/check.ts';
import { canonicalJson, type JsonValue } from '../../components/core/canonical-json.ts';
import { canonicalSha256Hex } from '../../components/core/digest.ts';
import type { Conn, Db } from '../db/connection.ts';
import { forms, formVersions } from '../db/form-versions.ts';
import { definitionChecker, FormDefinitionError, FormSnapshot, type FormFile, type FormRegistry } from './forms.ts';

/** How old an instance's copy of the published forms may get before it asks the database again. */
export const FORM_CATALOG_MAX_AGE_MS = 1000;

/** A definition as stored: its canonical JSON and the SHA-256 of that. */
export async function storedForm(def: FormDefinition): Promise<{ json: string; digest: string }> {
  const value = def as unknown as JsonValue;
  return { json: canonicalJson(value), digest: await canonicalSha256Hex(value) };
}

export class FormCatalog implements FormRegistry {
  private snapshot: FormSnapshot;
  private stamp: number | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private started: Promise<void> | undefined;
  private inFlight: Promise<void> | undefined;
  /** All the schema's problems at once, for administrators (the files stop at the first). */
  readonly check: (definition: unknown) => DefinitionProblem[] = definitionChecker({ allErrors: true });

  /**
   * `files`: the forms of OVERA_FORMS_DIR, already read and checked (readFormFiles); until
   * `start` has run they are what the instance serves, so a reader before the first request
   * sees what the server was started with.
   */
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly files: readonly FormFile[] = [],
  ) {
    this.snapshot = new FormSnapshot(files.map((f) => f.definition));
  }

  list(): FormDefinition[] {
    return this.snapshot.list();
  }

  get(id: string, version?: number): FormDefinition | undefined {
    return this.snapshot.get(id, version);
  }

  retired(id: string): boolean {
    return this.snapshot.retired(id);
  }

  /** Loads the files into the database (once per instance), then the published forms from it. */
  start(): Promise<void> {
    // A failure (the database away a moment) is tried again by the next caller, not kept.
    this.started ??= this.importFiles().then(() => this.lookAgain(this.db)).catch((err: unknown) => {
      this.started = undefined;
      throw err;
    });
    return this.started;
  }

  async refresh(options: { force?: boolean; conn?: Conn } = {}): Promise<void> {
    // Inside the caller's transaction: look on its connection, waiting for nobody (SQLite has
    // one connection, held by that transaction; a look on the pool would wait for ever).
    if (options.conn) return this.lookAgain(options.conn);
    await this.start();
    if (options.force) {
      // A look already on its way may have read the stamp before the caller's commit: look anew.
      await this.inFlight?.catch(() => undefined);
      return this.lookAgain(this.db);
    }
    if (this.now() - this.checkedAt < FORM_CATALOG_MAX_AGE_MS) return;
    // One look at a time; a caller that arrives meanwhile waits for it.
    this.inFlight ??= this.lookAgain(this.db).finally(() => {
      this.inFlight = undefined;
    });
    await this.inFlight;
  }

  private async lookAgain(conn: Conn): Promise<void> {
    const stamp = await forms.stamp(conn);
    this.checkedAt = this.now();
    if (stamp !== this.stamp) await this.reload(conn, stamp);
  }

  /** `stamp`: read before the versions, so a publish between the two reads is seen again on the next look. */
  private async reload(conn: Conn, stamp: number): Promise<void> {
    const versions = await formVersions.all(conn);
    const all = await forms.list(conn);
    // Two looks at once (a forced one beside another): the older must not replace the newer.
    if (this.stamp !== undefined && stamp < this.stamp) return;
    this.snapshot = new FormSnapshot(
      versions.map((v) => JSON.parse(v.definition) as FormDefinition),
      all.filter((f) => f.retiredAt !== null).map((f) => f.id),
    );
    this.stamp = stamp;
  }

  private async importFiles(): Promise<void> {
    for (const file of this.files) {
      await this.db.transaction((trx) => this.importFile(trx, file));
    }
  }

  private async importFile(trx: Knex.Transaction, file: FormFile): Promise<void> {
    const def = file.definition;
    const now = this.now();
    const { json, digest } = await storedForm(def);
    await forms.insertIfMissing(trx, { id: def.id, agencyId: def.agencyId, now });
    // Two instances starting together take turns here; the second finds the version in place.
    const form = (await forms.lock(trx, def.id))!;
    if (form.agencyId !== def.agencyId) {
      throw new FormDefinitionError(file.path, '/agencyId', `form "${def.id}" belongs to agency "${form.agencyId}" in the database, not "${def.agencyId}"`);
    }
    const existing = await formVersions.get(trx, def.id, def.version);
    if (existing) {
      if (existing.digest !== digest) {
        throw new FormDefinitionError(
          file.path, '/version',
          `form "${def.id}" version ${def.version} is already published with other content (SHA-256 ${existing.digest}, this file ${digest}); `
          + 'a published version never changes: give the changed form a higher "version"',
        );
      }
      return;
    }
    await formVersions.insert(trx, { formId: def.id, version: def.version, definition: json, digest, publishedAt: now, publishedBy: null, sourceFile: file.name });
    await forms.published(trx, def.id, now, { clearDraft: false });
  }
}
