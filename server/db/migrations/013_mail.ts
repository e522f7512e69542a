import type { Knex } from 'knex';

/**
 * A citizen's e-mail address for notifications (issue 20, item 1): the confirmed address, an
 * address waiting for its confirmation code (kept hashed, with an expiry and a count of wrong
 * tries), the language and script the mails are written in, and the token of the unsubscribe
 * link. One row per user who ever gave an address.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('mail_addresses', (t) => {
    t.string('user_id', 36).primary().references('id').inTable('users').onDelete('CASCADE');
    // The confirmed address, the only one mail is ever sent to; null until confirmed.
    t.string('address', 254);
    // An address given but not confirmed yet, and the SHA-256 of its code.
    t.string('pending_address', 254);
    t.string('code_hash', 64);
    t.bigInteger('code_expires_at');
    t.integer('code_attempts').notNullable().defaultTo(0);
    // sr-Cyrl | sr-Latn | en: given with the address.
    t.string('lang', 8).notNullable();
    // The unsubscribe link's token (random, 32 bytes base64url): it can only stop notifications.
    t.string('unsubscribe_token', 64).notNullable().unique();
    // false after unsubscribing (until an address is confirmed again).
    t.boolean('notify').notNullable().defaultTo(true);
    t.bigInteger('confirmed_at');
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('mail_addresses');
}
