import type { Knex } from 'knex';

/**
 * Trusted lists (issue 22): the last good copy of each configured list (ETSI TS 119 612), as
 * fetched and verified — kept when a later refresh fails, so a server restarts with lists it
 * can use and every instance serves the same ones — and the lease row that lets one instance
 * at a time refresh them.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('trusted_list_copies', (t) => {
    // The configured list's name: `lotl`, or its territory (`RS`, `AT`…).
    t.string('name', 32).primary();
    // Where it was fetched from (URL or file), as configured when it was stored.
    t.string('location', 2048).notNullable();
    // The signed XML exactly as fetched (the last copy that verified).
    t.text('xml');
    // The verified reading of that XML (core's VerifiedTrustedList, JSON): what the verifier and GET /trust use.
    t.text('verified');
    t.integer('sequence_number');
    t.bigInteger('issued_at');
    // NextUpdate: the refresh job fetches before it; past it the copy is no longer used.
    t.bigInteger('next_update_at');
    t.bigInteger('verified_at');
    // The last attempt, good or bad, and why it failed (core's refusal reason, or a fetch error).
    t.bigInteger('last_attempt_at');
    t.string('last_error_reason', 64);
    t.text('last_error');
    t.bigInteger('updated_at').notNullable();
  });
  await db.schema.createTable('trusted_list_leases', (t) => {
    t.string('name', 32).primary();
    t.string('leased_by', 64);
    t.bigInteger('lease_until').notNullable().defaultTo(0);
  });
  await db('trusted_list_leases').insert({ name: 'refresh', leased_by: null, lease_until: 0 });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('trusted_list_leases');
  await db.schema.dropTableIfExists('trusted_list_copies');
}
