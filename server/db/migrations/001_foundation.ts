import type { Knex } from 'knex';

// Times are epoch milliseconds in bigint columns: one representation on SQLite and PostgreSQL.
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('agencies', (t) => {
    t.string('id', 64).primary();
    t.string('name', 200).notNullable();
    t.bigInteger('created_at').notNullable();
  });
  await db.schema.createTable('users', (t) => {
    t.string('id', 36).primary();
    t.string('display_name', 100).notNullable();
    t.string('kind', 16).notNullable();
    t.string('agency_id', 64).references('id').inTable('agencies');
    t.text('roles').notNullable().defaultTo('[]');
    // The WebAuthn user handle (random bytes, base64url), distinct from our id by the spec's advice.
    t.string('webauthn_user_id', 128).notNullable().unique();
    t.bigInteger('created_at').notNullable();
  });
  await db.schema.createTable('credentials', (t) => {
    t.string('id', 1024).primary();
    t.string('user_id', 36).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('public_key').notNullable();
    t.bigInteger('counter').notNullable().defaultTo(0);
    t.text('transports').notNullable().defaultTo('[]');
    t.string('device_type', 32);
    t.boolean('backed_up').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_used_at');
    t.index(['user_id']);
  });
  await db.schema.createTable('sessions', (t) => {
    t.string('token_hash', 64).primary();
    t.string('user_id', 36).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.index(['expires_at']);
  });
  await db.schema.createTable('challenges', (t) => {
    t.string('flow_id', 36).primary();
    t.string('kind', 32).notNullable();
    t.string('challenge', 128).notNullable();
    t.text('data').notNullable().defaultTo('{}');
    t.bigInteger('expires_at').notNullable();
    t.index(['expires_at']);
  });
  await db.schema.createTable('invites', (t) => {
    t.string('code_hash', 64).primary();
    t.string('agency_id', 64).notNullable().references('id').inTable('agencies');
    t.text('roles').notNullable().defaultTo('[]');
    t.string('kind', 16).notNullable().defaultTo('official');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('used_at');
    t.string('used_by', 36).references('id').inTable('users');
  });
  await db.schema.createTable('audit_log', (t) => {
    t.bigInteger('seq').primary();
    t.bigInteger('at').notNullable();
    t.string('actor', 36);
    t.string('action', 64).notNullable();
    t.string('subject_type', 32).notNullable();
    t.string('subject_id', 128).notNullable();
    t.text('data').notNullable().defaultTo('{}');
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.index(['subject_type', 'subject_id']);
  });
  // The chain head: one row, locked while appending so concurrent writers (even on several
  // instances) serialise, and so a truncated tail is detectable.
  await db.schema.createTable('audit_head', (t) => {
    t.integer('id').primary();
    t.bigInteger('seq').notNullable();
    t.string('hash', 64).notNullable();
  });
  await db('audit_head').insert({ id: 1, seq: 0, hash: '0'.repeat(64) });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['audit_head', 'audit_log', 'invites', 'challenges', 'sessions', 'credentials', 'users', 'agencies']) {
    await db.schema.dropTableIfExists(table);
  }
}
