/**
 * An application's fee, on the officials' side: marking it paid, undoing the mark. A module of
 * its own so that <overa-approval-inbox> loads it with the open case's chunk, not its first load.
 */
import type { CaseView } from '../core/api.ts';
import type { OveraClient } from './client.ts';

/** Marks the fee of a case paid (officials of the handling agency), optionally with the bank statement it was checked against. */
export function markFeePaid(client: OveraClient, id: string, input: { statementReference?: string } = {}, idempotencyKey?: string): Promise<CaseView> {
  return client.request<CaseView>('POST', `cases/${encodeURIComponent(id)}/fee-paid`, { body: input, ...(idempotencyKey ? { headers: { 'Idempotency-Key': idempotencyKey } } : {}) });
}

/** Undoes a mistaken "fee paid" mark (audited, with an optional reason). */
export function undoFeePaid(client: OveraClient, id: string, input: { reason?: string } = {}, idempotencyKey?: string): Promise<CaseView> {
  return client.request<CaseView>('POST', `cases/${encodeURIComponent(id)}/fee-unpaid`, { body: input, ...(idempotencyKey ? { headers: { 'Idempotency-Key': idempotencyKey } } : {}) });
}
