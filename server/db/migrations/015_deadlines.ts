import type { Knex } from 'knex';

/**
 * Legal deadlines (issue 20, item 2): the due date of every case whose form sets a `deadline`,
 * kept on the application so the inbox can sort and filter by it in SQL, recomputed on each
 * transition (services/deadlines.ts); and the reminders sent, one row per case, due date and
 * threshold, so that each is sent once even with several instances running the job.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('applications', (t) => {
    // While a decision is awaited: the instant the time limit's last day ends (ms). Null: no
    // deadline, the clock is stopped (returned), or the case is decided.
    t.bigInteger('due_at');
    // That last day, YYYY-MM-DD in Europe/Belgrade (what people are told); kept once decided.
    t.string('due_date', 10);
    // While returned to the applicant: the days of the time limit still left; else null.
    t.integer('due_paused_days');
    // Set by the final decision (approve or reject) of a case with a due date: 1 when it was made
    // on or before `due_at`, 0 when after; null without a deadline. The statistics count it.
    t.smallint('deadline_met');
    // The inbox's "due soon" / "overdue" filters and its order by due date, per agency: an index
    // walk in (due_at, id) order, and one over the cases without a due date (null) by id.
    t.index(['agency_id', 'due_at', 'id'], 'applications_agency_due');
  });
  await db.schema.createTable('deadline_reminders', (t) => {
    t.string('application_id', 36).notNullable().references('id').inTable('applications').onDelete('CASCADE');
    // The due date the reminder was about: after a return and a resubmission the date moves and
    // the reminders start afresh for the new one.
    t.string('due_date', 10).notNullable();
    // Days before the due date (a configured reminder), or -1: the notice that it is overdue.
    t.integer('threshold').notNullable();
    t.bigInteger('sent_at').notNullable();
    // The claim: whoever inserts the row sends the mail (insert-or-ignore, safe with several instances).
    t.primary(['application_id', 'due_date', 'threshold']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('deadline_reminders');
  await db.schema.alterTable('applications', (t) => {
    t.dropIndex(['agency_id', 'due_at', 'id'], 'applications_agency_due');
    t.dropColumn('deadline_met');
    t.dropColumn('due_at');
    t.dropColumn('due_date');
    t.dropColumn('due_paused_days');
  });
}
