import type { Knex } from 'knex';

/**
 * Issued documents (issue 6). One row per document, the sealed PDF with it: the row, the PDF
 * and the application becoming `issued` commit in one transaction, so no file can be left
 * behind by a rolled-back approval. Distribution (a later part) adds `document_recipients`
 * (document_id → documents.id, agency_id, …): the agencies that may then read a document.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('documents', (t) => {
    t.string('id', 36).primary();
    t.string('application_id', 36).notNullable().references('id').inTable('applications');
    t.string('agency_id', 64).notNullable().references('id').inTable('agencies');
    // The applicant: who may always read it.
    t.string('owner_id', 36).notNullable().references('id').inTable('users');
    t.string('form_id', 64).notNullable();
    t.integer('form_version').notNullable();
    // As issued (the form files may change later): the tracking number and the localized title (JSON).
    t.string('tracking_number', 32).notNullable();
    t.text('title').notNullable();
    // The printed code that anyone may type in (or scan) to look the document up.
    t.string('verification_code', 32).notNullable().unique();
    t.bigInteger('issued_at').notNullable();
    t.bigInteger('valid_until');
    // Hex SHA-256 of the PDF, its size, and the PDF itself.
    t.string('sha256', 64).notNullable();
    t.bigInteger('size').notNullable();
    t.binary('pdf').notNullable();
    // Which seal certificate sealed it (hex SHA-256 of its DER), and whether a TSA timestamped it.
    t.string('seal_certificate_sha256', 64).notNullable();
    t.boolean('timestamped').notNullable().defaultTo(false);
    // Revocation: once set, never cleared. superseded_by names the document that replaces it.
    t.bigInteger('revoked_at');
    t.string('revoked_by', 36).references('id').inTable('users');
    t.text('revocation_reason');
    t.string('superseded_by', 36).references('id').inTable('documents');
    t.bigInteger('created_at').notNullable();
    t.index(['application_id']);
    t.index(['owner_id', 'issued_at']);
    t.index(['agency_id', 'issued_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('documents');
}
