import type { Knex } from 'knex';

/**
 * Fees (issue 21, item 4): an application's fee marked paid by an official — who, when, and the
 * bank statement's reference they checked it against (optional). One row while the fee counts as
 * paid; undoing the mark deletes the row (the audit log keeps both acts). Applications of forms
 * without a fee never have a row.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('fee_payments', (t) => {
    t.string('application_id', 36).primary().references('id').inTable('applications').onDelete('CASCADE');
    t.bigInteger('paid_at').notNullable();
    t.string('paid_by', 36).notNullable().references('id').inTable('users');
    // The official's name as it was when they marked it (names change; the record should not).
    t.string('paid_by_name', 200).notNullable();
    // What the bank statement calls the payment (izvod, a transaction number), for a later check.
    t.string('statement_reference', 100);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('fee_payments');
}
