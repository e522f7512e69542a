import type { Knex } from 'knex';
import { searchTerms } from '../../search-text.ts';

const isPg = (db: Knex) => db.client.config.client === 'pg';

/**
 * The approval workflow (issue 5): the steps of each application's approval line, the work
 * queue of pending steps, proxy delegations, the inbox's search index, and the indexes the
 * inbox pages by.
 */
export async function up(db: Knex): Promise<void> {
  // One row per step per round of an application's approval line: a snapshot of the form's
  // line taken at (re)submission, so the rules never depend on the form files after that,
  // and the decision made on it. A returned application starts a new round; the old rows stay
  // as the record.
  await db.schema.createTable('case_steps', (t) => {
    t.string('application_id', 36).notNullable().references('id').inTable('applications');
    t.integer('round').notNullable();
    t.string('step_id', 64).notNullable();
    t.integer('position').notNullable();
    // Steps of one stage run together (consecutive parallel agree steps); the next stage opens
    // when every step of this one is done.
    t.integer('stage').notNullable();
    t.string('kind', 16).notNullable();
    // The agency whose officials decide: the role's agency, or the form's for a named person.
    t.string('agency_id', 64).notNullable();
    t.string('role', 64);
    // Not a foreign key: a form may name a person who has no account yet.
    t.string('user_id', 36);
    // JSON array of the roles that may approve by delegation (approve step only).
    t.text('delegate_roles');
    // waiting | pending | done | cancelled
    t.string('state', 16).notNullable();
    // The application's submitted_at of this round: the inbox's sort key, so that an agency
    // that only takes part in other agencies' lines pages through its steps in order.
    t.bigInteger('submitted_at').notNullable();
    t.string('decision', 16);
    t.text('comment');
    t.string('decided_by', 36).references('id').inTable('users');
    // Names as they were when the decision was made: the record must not change with a rename.
    t.string('decided_by_name', 100);
    // assigned | delegated | proxy
    t.string('basis', 16);
    t.string('on_behalf_of_user', 36);
    t.string('on_behalf_of_name', 100);
    t.string('on_behalf_of_role', 64);
    t.string('signature_id', 36).references('id').inTable('signatures');
    t.bigInteger('decided_at');
    t.primary(['application_id', 'round', 'step_id']);
    // Cases an agency takes part in without handling them (an agree step of another agency's form).
    t.index(['agency_id', 'submitted_at', 'application_id'], 'case_steps_agency_submitted');
  });
  // A signature decides one step, ever (besides signatures.used_at).
  await db.schema.alterTable('case_steps', (t) => {
    t.unique(['signature_id'], { indexName: 'case_steps_signature_id_unique' });
  });

  // Who can act on each pending step: one row per way to hold it (the assigned role or person,
  // and each role allowed to approve by delegation). Rows live only while the step is pending,
  // so "assigned to me / to my role" reads a small table in inbox order.
  await db.schema.createTable('case_queue', (t) => {
    t.increments('id').primary();
    t.string('application_id', 36).notNullable().references('id').inTable('applications');
    t.string('step_id', 64).notNullable();
    t.string('agency_id', 64).notNullable();
    t.string('role', 64);
    t.string('user_id', 36);
    // assigned | delegated
    t.string('basis', 16).notNullable();
    t.bigInteger('submitted_at').notNullable();
    t.index(['agency_id', 'role', 'submitted_at', 'application_id'], 'case_queue_role');
    t.index(['user_id', 'submitted_at', 'application_id'], 'case_queue_user');
    t.index(['application_id'], 'case_queue_application');
  });

  // Proxy approval: `to_user_id` acts for `from_user_id` in [starts_at, ends_at).
  await db.schema.createTable('delegations', (t) => {
    t.string('id', 36).primary();
    t.string('from_user_id', 36).notNullable().references('id').inTable('users');
    t.string('to_user_id', 36).notNullable().references('id').inTable('users');
    t.string('agency_id', 64).notNullable().references('id').inTable('agencies');
    t.bigInteger('starts_at').notNullable();
    t.bigInteger('ends_at').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('revoked_at');
    t.index(['to_user_id', 'ends_at'], 'delegations_to');
    t.index(['from_user_id', 'ends_at'], 'delegations_from');
  });

  // The inbox pages an agency's cases newest submission first, optionally by status or form
  // (a date range is a range on submitted_at in the same indexes). Drafts have no submitted_at.
  await db.schema.alterTable('applications', (t) => {
    t.index(['agency_id', 'submitted_at', 'id'], 'applications_inbox');
    t.index(['agency_id', 'status', 'submitted_at', 'id'], 'applications_inbox_status');
    t.index(['agency_id', 'form_id', 'submitted_at', 'id'], 'applications_inbox_form');
  });

  // Search over the applicant's name and the tracking number: one row per word ("term") of
  // either, for every agency that sees the case, with the inbox's sort key. A search word finds
  // the terms it begins (a short loose-index walk) and then reads each term's cases already in
  // inbox order, so a page costs a few index seeks however common the name is (db/inbox.ts).
  await db.schema.createTable('case_terms', (t) => {
    t.string('application_id', 36).notNullable().references('id').inTable('applications');
    t.string('agency_id', 64).notNullable();
    t.string('term', 64).notNullable();
    t.bigInteger('submitted_at').notNullable();
    t.primary(['application_id', 'agency_id', 'term']);
  });
  if (isPg(db)) {
    // Prefix ranges compare terms byte by byte: never under a linguistic collation, where
    // hyphens are ignored and the range would miss or add terms.
    await db.raw('alter table case_terms alter column term type varchar(64) collate "C"');
  }
  await db.schema.alterTable('case_terms', (t) => {
    t.index(['agency_id', 'term', 'submitted_at', 'application_id'], 'case_terms_search');
  });
  // Applications submitted before this migration become searchable too (by their own agency).
  const rows = (await db('applications as a')
    .join('users as u', 'u.id', 'a.owner_id')
    .whereNotNull('a.submitted_at')
    .select('a.id', 'a.agency_id', 'a.tracking_number', 'a.submitted_at', 'u.display_name')) as
    { id: string; agency_id: string; tracking_number: string; submitted_at: number | string; display_name: string }[];
  const terms = rows.flatMap((r) => searchTerms(r.tracking_number, r.display_name).map((term) => ({
    application_id: r.id, agency_id: r.agency_id, term, submitted_at: Number(r.submitted_at),
  })));
  for (let i = 0; i < terms.length; i += 200) await db('case_terms').insert(terms.slice(i, i + 200));
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('case_terms');
  await db.schema.alterTable('applications', (t) => {
    t.dropIndex([], 'applications_inbox');
    t.dropIndex([], 'applications_inbox_status');
    t.dropIndex([], 'applications_inbox_form');
  });
  await db.schema.dropTableIfExists('delegations');
  await db.schema.dropTableIfExists('case_queue');
  await db.schema.dropTableIfExists('case_steps');
}
