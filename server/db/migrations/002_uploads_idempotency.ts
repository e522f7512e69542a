import type { Knex } from 'knex';

/** Uploaded files (the bytes live in content-addressed storage) and idempotency keys. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('uploads', (t) => {
    t.string('id', 36).primary();
    t.string('owner_id', 36).notNullable().references('id').inTable('users');
    // The file is stored at <dataDir>/uploads/<sha256[0..2]>/<sha256>: one copy per content.
    t.string('sha256', 64).notNullable();
    t.bigInteger('size').notNullable();
    t.string('media_type', 100).notNullable();
    // The client's name for the file, sanitised, for display only: never a path.
    t.string('filename', 255).notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['owner_id', 'created_at']);
    t.index(['sha256']);
  });
  // One row per (user, key). Inserting it is the lock: a duplicate insert fails at once.
  // `status` is null while the first request is in flight; `claim_token` fences that request,
  // so a request whose claim went stale and was taken over cannot record a response.
  await db.schema.createTable('idempotency_keys', (t) => {
    t.string('user_id', 36).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('key', 200).notNullable();
    t.string('method', 10).notNullable();
    t.text('path').notNullable();
    t.string('request_hash', 64).notNullable();
    t.integer('status');
    t.text('response');
    t.string('claim_token', 36);
    t.bigInteger('claimed_at').notNullable();
    t.bigInteger('created_at').notNullable();
    t.primary(['user_id', 'key']);
    t.index(['created_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('idempotency_keys');
  await db.schema.dropTableIfExists('uploads');
}
