import type { Knex } from 'knex';

/**
 * Agency-assisted account recovery (issue 17, item 6): when every passkey of an account is lost,
 * the agency checks the person's identity and issues a one-time recovery code
 * (`overa accounts recover`) with which the person registers a new passkey for the same account.
 * Only the code's SHA-256 is kept, as for invites.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('recovery_codes', (t) => {
    t.string('code_hash', 64).primary();
    t.string('user_id', 36).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('used_at');
    t.index(['user_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('recovery_codes');
}
