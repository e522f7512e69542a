import type { Knex } from 'knex';

/**
 * Long-term signatures (issue 18, items 2 and 3): the PAdES level each document reached, and
 * what the archive job needs to find and claim work.
 * - `pades_level`: B-B, B-T, B-LT or B-LTA, as written into the stored PDF. Rows from before
 *   this migration are B-T when a TSA time-stamped them, else B-B.
 * - `ltv_pending`: the configured level was not reached at issuance (a responder or the TSA
 *   did not answer, with OVERA_LTV_ON_FAILURE=defer); `ltv_error` says why, and the archive job
 *   (`overa documents extend`) retries.
 * - `archive_until`: when the newest time-stamp's certificate ends (epoch ms): the archive job
 *   renews documents whose proof of existence ends within its window.
 * - `ltv_lease_until`: a claim by one instance of the archive job (compare-and-set), so that
 *   several instances never extend the same document at once.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('documents', (t) => {
    t.string('pades_level', 8).notNullable().defaultTo('B-B');
    t.boolean('ltv_pending').notNullable().defaultTo(false);
    t.text('ltv_error');
    t.bigInteger('archive_until');
    t.bigInteger('ltv_lease_until');
    t.index(['ltv_pending']);
    t.index(['archive_until']);
  });
  await db('documents').where({ timestamped: true }).update({ pades_level: 'B-T' });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('documents', (t) => {
    t.dropIndex(['ltv_pending']);
    t.dropIndex(['archive_until']);
    t.dropColumn('pades_level');
    t.dropColumn('ltv_pending');
    t.dropColumn('ltv_error');
    t.dropColumn('archive_until');
    t.dropColumn('ltv_lease_until');
  });
}
