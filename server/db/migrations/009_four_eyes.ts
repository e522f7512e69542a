import type { Knex } from 'knex';

/**
 * Four-eyes approval (issue 15, item 5): whether a person who decided one step of a round may
 * decide another step of it. Kept on each step of the round, copied from the form's
 * `approvalRules.allowSamePersonSteps` at (re)submission like the rest of the line, so a form
 * file changed later never changes a running case. Rows written before this migration get the
 * rule (true): from now on, one person decides one step of a case.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('case_steps', (t) => {
    // true: whoever decided another step of this round may not decide this one.
    t.boolean('four_eyes').notNullable().defaultTo(true);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('case_steps', (t) => {
    t.dropColumn('four_eyes');
  });
}
