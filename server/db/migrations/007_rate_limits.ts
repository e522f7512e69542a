import type { Knex } from 'knex';

/**
 * Abuse limits and audit reading (issue 9): fixed-window request counters shared by every
 * instance, and the index `GET /api/v1/audit?actor=…` pages by.
 */
export async function up(db: Knex): Promise<void> {
  // One row per limited key per window: `key` is "<limit name>:<client>" (an IP, a user id),
  // `window_start` the window's first millisecond. Incremented atomically with
  // INSERT … ON CONFLICT … DO UPDATE … RETURNING (server/db/rate-limits.ts).
  await db.schema.createTable('rate_limits', (t) => {
    t.string('key', 200).notNullable();
    t.bigInteger('window_start').notNullable();
    t.integer('count').notNullable();
    // When the row can go: the end of its window (swept by housekeeping).
    t.bigInteger('expires_at').notNullable();
    t.primary(['key', 'window_start']);
    t.index(['expires_at'], 'rate_limits_expires_at');
  });
  await db.schema.alterTable('audit_log', (t) => {
    t.index(['actor', 'seq'], 'audit_log_actor_seq');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('audit_log', (t) => {
    t.dropIndex([], 'audit_log_actor_seq');
  });
  await db.schema.dropTableIfExists('rate_limits');
}
