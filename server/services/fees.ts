/**
 * Fees (issue 21, item 4): what an application's fee looks like in the API, and an official
 * marking it paid (or undoing that). The payment order itself is core's (payments/fee.ts), the
 * approval line's waiting for it is the workflow's (waitsForFee, resumeLine, holdLine).
 */
import type { Knex } from 'knex';
import type { ApplicationFeeView, FeeState } from '../../components/core/api.ts';
import type { FeeSpec, FormDefinition } from '../../components/core/forms/definition.ts';
import { FEE_REFERENCE_MODEL, feeAccountDigits, feeReference } from '../../components/core/payments/fee.ts';
import type { User } from '../../components/core/user.ts';
import { applications, type ApplicationRecord } from '../db/applications.ts';
import type { Conn } from '../db/connection.ts';
import { feePayments, type FeePaymentRecord } from '../db/fee-payments.ts';
import { HttpError } from '../http-error.ts';
import { appendAudit } from './audit.ts';
import type { Deps } from './deps.ts';
import { notifyApplicant } from './mail.ts';
import { webhookEvent } from './webhooks.ts';
import { caseAgencies, holdLine, maySeeCase, publishCase, resumeLine } from './workflow.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** Longest bank statement reference, in characters (the column holds 100). */
export const MAX_STATEMENT_REFERENCE = 100;

/**
 * The fee of `app` as the API shows it. `forOfficials`: with who marked it paid and the bank
 * statement reference (a citizen sees only that and when it was paid).
 */
export function feeView(fee: FeeSpec, app: Pick<ApplicationRecord, 'trackingNumber'>, payment: FeePaymentRecord | undefined, forOfficials: boolean): ApplicationFeeView {
  return {
    ...fee,
    referenceModel: FEE_REFERENCE_MODEL,
    reference: feeReference(app.trackingNumber),
    accountDigits: feeAccountDigits(fee),
    requiredBeforeApproval: fee.requiredBeforeApproval === true,
    state: payment ? 'paid' : 'awaiting',
    paid: payment
      ? forOfficials
        ? { at: iso(payment.paidAt), by: { id: payment.paidBy, displayName: payment.paidByName }, statementReference: payment.statementReference }
        : { at: iso(payment.paidAt) }
      : null,
  };
}

/** The fee of one application (`{}` when its form has none), for spreading into its view. */
export async function feeOf(conn: Conn, def: FormDefinition | undefined, app: ApplicationRecord, forOfficials: boolean): Promise<{ fee?: ApplicationFeeView }> {
  if (!def?.fee || app.status === 'draft') return {};
  return { fee: feeView(def.fee, app, await feePayments.get(conn, app.id), forOfficials) };
}

/** Paid or awaiting, for each of `apps` whose form states a fee (drafts have none yet). */
export async function feeStates(
  conn: Conn, forms: Deps['forms'], apps: readonly Pick<ApplicationRecord, 'id' | 'formId' | 'formVersion' | 'status'>[],
): Promise<Map<string, { state: FeeState; requiredBeforeApproval: boolean }>> {
  const withFee = apps.flatMap((a) => {
    const fee = a.status === 'draft' ? undefined : forms.get(a.formId, a.formVersion)?.fee;
    return fee ? [{ id: a.id, requiredBeforeApproval: fee.requiredBeforeApproval === true }] : [];
  });
  const paid = await feePayments.paidOf(conn, withFee.map((a) => a.id));
  return new Map(withFee.map((a) => [a.id, { state: paid.has(a.id) ? 'paid' : 'awaiting', requiredBeforeApproval: a.requiredBeforeApproval }]));
}

function notAllowed(detail: string): HttpError {
  return new HttpError(403, 'not-allowed', 'You may not mark this fee', { detail });
}

/**
 * The case whose fee `user` may mark: an official of the handling agency —
 * the agency the fee is paid to checks its own bank statements —, never on their own
 * application. 403 for citizens, administrators and officials of other agencies on the line;
 * 404 for a case one may not see or that does not exist; 409 when its form states no fee or it
 * is still a draft.
 */
async function markable(deps: Deps, trx: Knex.Transaction, user: User, caseId: string): Promise<{ app: ApplicationRecord; def: FormDefinition; fee: FeeSpec }> {
  // Administrators read cases but take no part in them (they decide no step either).
  if (user.kind !== 'official') throw notAllowed('Officials of the agency mark fees paid');
  const app = await applications.get(trx, caseId);
  if (!app || !(await maySeeCase(trx, user, app))) throw new HttpError(404, 'case-not-found', 'There is no such case');
  if (user.agencyId !== app.agencyId) throw notAllowed(`Only officials of ${app.agencyId}, which the fee is paid to, mark it paid`);
  if (app.ownerId === user.id) throw notAllowed('You cannot mark the fee of an application you made');
  const def = deps.forms.get(app.formId, app.formVersion);
  if (!def?.fee) throw new HttpError(409, 'no-fee', 'This application has no fee', { detail: `The form ${app.formId} (version ${app.formVersion}) states no fee` });
  return { app, def, fee: def.fee };
}

/** Moves the application's version on (the case changed: an open case view must load it again). */
async function touch(trx: Knex.Transaction, app: ApplicationRecord, now: number): Promise<ApplicationRecord> {
  if (!(await applications.update(trx, app.id, app.version, { updatedAt: now }))) {
    throw new HttpError(409, 'conflict', 'The case was changed at the same time', { detail: 'Load the case again' });
  }
  return { ...app, version: app.version + 1, updatedAt: now };
}

/**
 * An official marks the fee of a case paid (optionally with the bank statement's reference): it
 * is recorded, audited, announced (`application.fee-paid` webhook, the inboxes' event, a mail
 * to the applicant as their notification settings allow), and a line that waited for it starts. 409 `fee-already-paid` when it is marked already.
 */
export async function markFeePaid(deps: Deps, trx: Knex.Transaction, user: User, caseId: string, input: { statementReference?: string | undefined }): Promise<void> {
  const { app, fee } = await markable(deps, trx, user, caseId);
  const existing = await feePayments.get(trx, app.id);
  if (existing) {
    throw new HttpError(409, 'fee-already-paid', 'The fee is already marked paid', {
      detail: `${existing.paidByName} marked it paid on ${iso(existing.paidAt)}`,
    });
  }
  const now = deps.now();
  const saved = await touch(trx, app, now);
  const statementReference = input.statementReference === undefined || input.statementReference === '' ? null : input.statementReference;
  await feePayments.insert(trx, { applicationId: app.id, paidAt: now, paidBy: user.id, paidByName: user.displayName, statementReference });
  await resumeLine(trx, saved);
  await appendAudit(trx, {
    actor: user.id,
    action: 'application.fee-paid',
    subject: { type: 'application', id: app.id },
    data: {
      amount: fee.amount, reference: feeReference(app.trackingNumber), statementReference,
      markedBy: { id: user.id, displayName: user.displayName }, version: saved.version,
    },
  }, now);
  await webhookEvent(deps, trx, 'application.fee-paid', await caseAgencies(trx, saved), {
    applicationId: app.id, trackingNumber: app.trackingNumber, amount: fee.amount, reference: feeReference(app.trackingNumber), status: saved.status,
  });
  await notifyApplicant(deps, trx, app.ownerId, { kind: 'fee-paid', applicationId: app.id, trackingNumber: app.trackingNumber, amount: fee.amount });
  await publishCase(deps, trx, saved);
}

/**
 * An official undoes a mistaken mark (audited, with an optional reason). A form that requires
 * the fee before approval holds its line again: the open steps wait, decided ones stay.
 * 409 `fee-not-paid` when it is not marked.
 */
export async function undoFeePaid(deps: Deps, trx: Knex.Transaction, user: User, caseId: string, input: { reason?: string | undefined }): Promise<void> {
  const { app, fee } = await markable(deps, trx, user, caseId);
  const existing = await feePayments.get(trx, app.id);
  if (!existing) throw new HttpError(409, 'fee-not-paid', 'The fee is not marked paid', { detail: 'There is no mark to undo' });
  const now = deps.now();
  const saved = await touch(trx, app, now);
  await feePayments.remove(trx, app.id);
  if (fee.requiredBeforeApproval === true) await holdLine(trx, saved);
  await appendAudit(trx, {
    actor: user.id,
    action: 'application.fee-unpaid',
    subject: { type: 'application', id: app.id },
    data: {
      reason: input.reason === undefined || input.reason === '' ? null : input.reason,
      markedPaidBy: { id: existing.paidBy, displayName: existing.paidByName }, markedPaidAt: existing.paidAt,
      statementReference: existing.statementReference, version: saved.version,
    },
  }, now);
  await publishCase(deps, trx, saved);
}
