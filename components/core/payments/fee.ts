/**
 * A form's fee (FeeSpec) as the payment order an applicant makes: the one place where the
 * payee, amount, payment code, purpose and the model-97 reference of an application come
 * together. The server puts the reference in its views and the elements draw the payment
 * details and the IPS QR code from the same order, so both always say the same thing.
 */
import { localize, type FeeSpec } from '../forms/definition.ts';
import { buildIpsQrPayload, formatIpsAmount, IpsQrError, normalizeAccount, type IpsPaymentOrder } from './ips-qr.ts';
import { model97FromTrackingNumber } from './model97.ts';

/** The payment model of every fee reference: 97, control digits by ISO 7064 MOD 97-10. */
export const FEE_REFERENCE_MODEL = '97';

/** The script a payment order is written in: the purpose in Cyrillic or Latin (an English reader gets Latin). */
export type PaymentScript = 'sr-Latn' | 'sr-Cyrl';

/**
 * The model-97 reference (poziv na broj) of an application's fee: its tracking number without
 * the agency prefix (`NP-2026-XY34QA` → `2026-XY34QA`), letters as two digits, control digits in
 * front: `4220263334342610`. The prefix is left out because an Overa tracking number with a
 * three- or four-letter prefix would not fit in a payment order's 22 characters, and one rule
 * for every agency is easier to reconcile than two (docs/decisions.md, "Fees: the form's fee").
 * A tracking number without a letter prefix is used whole.
 */
export function feeReference(trackingNumber: string): string {
  const parts = trackingNumber.trim().split('-');
  const withoutPrefix = parts.length >= 3 && /^[A-Za-z]+$/.test(parts[0]!) ? parts.slice(1).join('-') : trackingNumber;
  return model97FromTrackingNumber(withoutPrefix);
}

/**
 * The payment order for an application's fee: the form's fee, the reference from the tracking
 * number (model 97), the purpose in `script`. What `buildIpsQrPayload` turns into the QR text.
 */
export function feePaymentOrder(fee: FeeSpec, trackingNumber: string, script: PaymentScript = 'sr-Latn'): IpsPaymentOrder {
  return {
    account: fee.payee.account,
    payee: fee.payee.address !== undefined ? [fee.payee.name, fee.payee.address] : [fee.payee.name],
    amount: fee.amount,
    paymentCode: fee.paymentCode,
    purpose: localize(fee.purpose, script),
    reference: { model: FEE_REFERENCE_MODEL, number: feeReference(trackingNumber) },
  };
}

/** The IPS QR text of an application's fee (`K:PR|V:01|…|RO:97…`). */
export function feeIpsQrPayload(fee: FeeSpec, trackingNumber: string, script: PaymentScript = 'sr-Latn'): string {
  return buildIpsQrPayload(feePaymentOrder(fee, trackingNumber, script));
}

/** The account as the IPS code and bank statements write it: 18 digits. */
export function feeAccountDigits(fee: FeeSpec): string {
  return normalizeAccount(fee.payee.account);
}

/** The rules a fee can break, by stable code (checkDefinition's codes include these). */
export type FeeProblemCode =
  | 'fee-amount-not-positive' | 'fee-amount-invalid' | 'fee-account-invalid' | 'fee-payment-code' | 'fee-purpose-required'
  | 'fee-not-in-qr-code';

/**
 * One problem with a fee: a JSON pointer under the fee (`/amount`, `/payee/account`, …), the
 * rule broken (`code`, the values its words name in `params`) and what is wrong in English.
 */
export interface FeeProblem {
  readonly path: string;
  readonly code: FeeProblemCode;
  readonly params: Readonly<Record<string, string | number>>;
  readonly message: string;
}

// A tracking number of the longest shape the server makes, letters everywhere they may be:
// the longest reference, to check that the whole order fits the IPS code.
const LONGEST_TRACKING_NUMBER = 'XXXX-2026-XXXXXX';

const PATH_OF: Record<string, string> = {
  account: '/payee/account',
  payee: '/payee',
  amount: '/amount',
  paymentCode: '/paymentCode',
  purpose: '/purpose',
  reference: '',
  payer: '',
  payload: '',
};

/**
 * What is wrong with a fee (for checkDefinition): the amount above 0 with at most two
 * decimals, the account's control digits (mod 97, as the NBS defines them), a three-digit
 * payment code, a purpose in both scripts, and that the whole order fits the IPS QR code
 * (purpose at most 35 characters, name and address at most 70).
 */
export function checkFee(fee: FeeSpec): FeeProblem[] {
  const problems: FeeProblem[] = [];
  if (!(typeof fee.amount === 'number' && fee.amount > 0)) problems.push({ path: '/amount', code: 'fee-amount-not-positive', params: {}, message: 'the amount must be above 0 dinars' });
  else {
    try {
      formatIpsAmount(fee.amount);
    } catch (e) {
      problems.push({ path: '/amount', code: 'fee-amount-invalid', params: { amount: String(fee.amount) }, message: (e as Error).message });
    }
  }
  try {
    normalizeAccount(fee.payee.account);
  } catch (e) {
    problems.push({ path: '/payee/account', code: 'fee-account-invalid', params: { account: fee.payee.account }, message: (e as Error).message });
  }
  if (!/^\d{3}$/.test(fee.paymentCode)) problems.push({ path: '/paymentCode', code: 'fee-payment-code', params: { paymentCode: fee.paymentCode }, message: `the payment code is three digits, e.g. 253: "${fee.paymentCode}"` });
  // A payment order is Serbian: an English purpose alone would reach the bank untranslated.
  const serbian = typeof fee.purpose === 'string' ? fee.purpose : (fee.purpose['sr-Latn'] ?? fee.purpose['sr-Cyrl'] ?? '');
  if (serbian.trim() === '') {
    problems.push({ path: '/purpose', code: 'fee-purpose-required', params: {}, message: 'the purpose of the payment is required, in Serbian' });
  }
  if (problems.length) return problems;
  const seen = new Set<string>();
  for (const script of ['sr-Latn', 'sr-Cyrl'] as const) {
    try {
      feeIpsQrPayload(fee, LONGEST_TRACKING_NUMBER, script);
    } catch (e) {
      const field = e instanceof IpsQrError ? e.field : 'payload';
      const message = field === 'purpose' ? `${(e as Error).message} (in ${script})` : (e as Error).message;
      const path = PATH_OF[field] ?? '';
      // One problem per place: a purpose too long in Latin is too long in Cyrillic as well.
      // The IPS QR code's limits: what does not fit is named by the order's field (purpose, payee…).
      if (!seen.has(path)) problems.push({ path, code: 'fee-not-in-qr-code', params: { field, script }, message });
      seen.add(path);
    }
  }
  return problems;
}
