import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('applications', (t) => {
    t.string('id', 36).primary();
    // What the citizen quotes on the phone: agency prefix, year, random part (see services/applications.ts).
    t.string('tracking_number', 32).notNullable().unique();
    t.string('form_id', 64).notNullable();
    t.integer('form_version').notNullable();
    t.string('agency_id', 64).notNullable().references('id').inTable('agencies');
    t.string('owner_id', 36).notNullable().references('id').inTable('users');
    t.string('status', 16).notNullable();
    t.text('data').notNullable();
    t.text('attachments').notNullable().defaultTo('[]');
    t.string('signature_id', 36);
    t.text('return_comment');
    // Bumped on every change: the ETag / If-Match version that later issues rely on.
    t.integer('version').notNullable().defaultTo(1);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('submitted_at');
    // Keyset paging of "my applications", newest first.
    t.index(['owner_id', 'created_at', 'id']);
    t.index(['agency_id', 'status']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('applications');
}
