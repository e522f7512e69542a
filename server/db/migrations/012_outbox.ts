import type { Knex } from 'knex';

/**
 * The outbox (issue 20, item 4): one durable queue for every message the server sends out of
 * band — webhooks now, e-mail and agency-to-agency exchange messages later — written in the
 * transaction of the event that causes it and delivered by the outbox worker
 * (services/outbox.ts). And the webhook endpoints an administrator subscribed (issue 20, item 3).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('outbox_messages', (t) => {
    // The delivery id: the same on every attempt (a webhook's `webhook-id`).
    t.string('id', 36).primary();
    // webhook | mail | exchange
    t.string('channel', 16).notNullable();
    // What the channel sends to: a webhook endpoint's id, an address, a partner agency.
    t.string('target', 255).notNullable();
    // The event that caused it (e.g. `document.issued`), for the delivery log.
    t.string('event_type', 64).notNullable();
    // The message itself, JSON text, exactly as sent on every attempt.
    t.text('payload').notNullable();
    // queued | delivering | delivered | failed
    t.string('state', 16).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('next_attempt_at').notNullable();
    // While `delivering`: which worker holds it, and until when (then anyone may take it again).
    t.bigInteger('lease_until');
    t.string('leased_by', 64);
    t.text('last_error');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('delivered_at');
    // The claim: due messages in order.
    t.index(['state', 'next_attempt_at'], 'outbox_messages_due');
    // The delivery log of one target, newest first.
    t.index(['channel', 'target', 'created_at'], 'outbox_messages_target');
  });
  await db.schema.createTable('webhook_endpoints', (t) => {
    t.string('id', 36).primary();
    // The agency whose events it hears (an administrator's endpoint); null: every agency (the operator's, by CLI).
    t.string('agency_id', 64).references('id').inTable('agencies');
    t.string('url', 2048).notNullable();
    // JSON array of event types, or ["*"].
    t.text('events').notNullable();
    t.string('description', 500).notNullable().defaultTo('');
    // The signing secret, encrypted (AES-256-GCM, key OVERA_WEBHOOK_SECRET_KEY): base64 of iv|ciphertext|tag.
    t.text('secret_encrypted').notNullable();
    // After a rotation, the previous secret keeps signing beside the new one until this time.
    t.text('previous_secret_encrypted');
    t.bigInteger('previous_secret_until');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('webhook_endpoints');
  await db.schema.dropTableIfExists('outbox_messages');
}
