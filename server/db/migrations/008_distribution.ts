import type { Knex } from 'knex';

/**
 * Distribution between agencies (issue 6, item 5): one row per (document, receiving agency).
 * The row is the reception in the receiving agency's inbox (`GET /api/v1/reception`) and what
 * lets that agency's officials read the document; it becomes `accepted` with the receiving
 * official's passkey signature (subject `reception`).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('document_recipients', (t) => {
    // The reception's id: `reception/:id` and the signing subject's id.
    t.string('id', 36).primary();
    t.string('document_id', 36).notNullable().references('id').inTable('documents');
    t.string('agency_id', 64).notNullable().references('id').inTable('agencies');
    // pending | accepted
    t.string('status', 16).notNullable().defaultTo('pending');
    t.bigInteger('sent_at').notNullable();
    // null: sent automatically on issuance, to an agency the form names.
    t.string('sent_by', 36).references('id').inTable('users');
    t.bigInteger('accepted_at');
    t.string('accepted_by', 36).references('id').inTable('users');
    t.string('signature_id', 36).references('id').inTable('signatures');
    // Sent once to each agency: a second distribution is refused, and a race cannot send twice.
    t.unique(['document_id', 'agency_id'], { indexName: 'document_recipients_document_agency' });
    // The reception inbox: an agency's rows newest first, keyset-paged (with and without status).
    t.index(['agency_id', 'sent_at', 'id'], 'document_recipients_agency_sent');
    t.index(['agency_id', 'status', 'sent_at', 'id'], 'document_recipients_agency_status_sent');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('document_recipients');
}
