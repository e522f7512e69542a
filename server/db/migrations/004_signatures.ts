import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  // Passkey signatures (DESIGN.md, "Signing model"). The evidence is kept whole as JSON so it
  // can be handed out and re-verified byte for byte; the columns beside it are what queries
  // and the rules (who signed what, has it been used) need.
  await db.schema.createTable('signatures', (t) => {
    t.string('id', 36).primary();
    t.string('subject_type', 32).notNullable();
    t.string('subject_id', 128).notNullable();
    t.string('action', 32).notNullable();
    t.string('digest', 64).notNullable();
    // No cascade: a signature is a record that must outlive whatever happens to the account.
    t.string('signer_id', 36).notNullable().references('id').inTable('users');
    // Not a foreign key: the evidence carries the public key, so it stays verifiable after the
    // passkey is removed.
    t.string('credential_id', 1024).notNullable();
    t.text('evidence').notNullable();
    t.bigInteger('created_at').notNullable();
    // Set when a submission (or, later, a decision) takes the signature: one signature, one use.
    t.bigInteger('used_at');
    t.index(['subject_type', 'subject_id']);
  });
  // A second line of defence behind `used_at`: two applications can never name one signature.
  await db.schema.alterTable('applications', (t) => {
    t.unique(['signature_id'], { indexName: 'applications_signature_id_unique' });
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('applications', (t) => {
    t.dropUnique(['signature_id'], 'applications_signature_id_unique');
  });
  await db.schema.dropTableIfExists('signatures');
}
