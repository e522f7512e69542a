import type { Knex } from 'knex';

/**
 * Forms in the database (issue 21, item 6). `forms`: one row per form an agency has, with its
 * unpublished draft and whether it is retired; `form_versions`: every published version, its
 * definition as canonical JSON (RFC 8785) and the SHA-256 of that text. A published version is
 * never updated or deleted: applications keep the version they were started on.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('forms', (t) => {
    t.string('id', 64).primary();
    // No foreign key: forms from OVERA_FORMS_DIR are loaded before the demo seeds its agencies.
    t.string('agency_id', 64).notNullable().index();
    // The administrator's draft (canonical JSON), null when there is none.
    t.text('draft');
    t.bigInteger('draft_updated_at');
    t.string('draft_updated_by', 36);
    t.bigInteger('retired_at');
    t.string('retired_by', 36);
    // Grows with every publish and retirement: the sum over all forms tells an instance whether
    // its copy of the published forms is out of date (services/forms.ts, the form catalog).
    t.integer('revision').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
  await db.schema.createTable('form_versions', (t) => {
    t.string('form_id', 64).notNullable().references('id').inTable('forms');
    t.integer('version').notNullable();
    t.text('definition').notNullable();
    t.string('digest', 64).notNullable();
    t.bigInteger('published_at').notNullable();
    // The administrator who published it; null for a version loaded from OVERA_FORMS_DIR.
    t.string('published_by', 36);
    // The file a version came from (its name in OVERA_FORMS_DIR), null when published through the API.
    t.string('source_file', 255);
    t.primary(['form_id', 'version']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('form_versions');
  await db.schema.dropTableIfExists('forms');
}
