/**
 * The National Bank of Serbia's IPS QR code for a payment order printed on a bill (`K:PR`),
 * which Serbian banking apps scan to fill in a payment: building the text the code holds and
 * reading it back.
 *
 * The text is tags `TAG:value` joined by `|`, in this order: K (PR), V (01), C (1 = UTF-8),
 * R (payee account, 18 digits), N (payee name, then address lines), I (RSD and the amount with
 * a decimal comma), P (payer, optional), SF (payment code, 3 digits), S (purpose, optional),
 * RO (model and reference, optional). Optional tags with no value are left out (never `|S:|`);
 * nothing comes before K or after the last value. Lines inside N and P are separated by CR LF,
 * as in the NBS example. Sources: docs/decisions.md ("Fees: model 97 and the IPS QR code").
 *
 * Written by hand: the format is a dozen tags, and the packages for it are single-author
 * generators that do not check the values.
 */
import { checkModel97Reference, mod97 } from './model97.ts';

/** The fields of a payment order, as the code's builder takes them and its reader returns them. */
export interface IpsPaymentOrder {
  /** The payee's account: 18 digits, or the usual `840-955845-10` form (middle part up to 13 digits). */
  account: string;
  /** The payee's name, then optionally its address, one line each (or one string with line breaks). */
  payee: string | readonly string[];
  /** The amount in dinars: a number, or a decimal string with a point or comma (`1234.50`, `1234,5`). */
  amount: number | string;
  /** The payer's name and address lines (optional). */
  payer?: string | readonly string[];
  /** The payment code (šifra plaćanja): three digits, e.g. 189, 253, 289. */
  paymentCode: string;
  /** The purpose of the payment (svrha plaćanja, optional). */
  purpose?: string;
  /** The model and the reference (poziv na broj, optional); a model-97 reference must have right control digits. */
  reference?: { model: string; number: string };
}

/** The payment order read back from an IPS QR text. */
export interface IpsPaymentOrderRead {
  account: string;
  payee: string[];
  /** The amount as the code writes it after RSD, with a point: `3596.13`. */
  amount: string;
  payer?: string[];
  paymentCode: string;
  purpose?: string;
  reference?: { model: string; number: string };
}

export type IpsQrField = keyof IpsPaymentOrder | 'payload';

/** A value the IPS QR code cannot hold, naming the field (and the tag) at fault. */
export class IpsQrError extends Error {
  constructor(
    readonly field: IpsQrField,
    readonly tag: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'IpsQrError';
  }
}

/** Maximum lengths, in characters, from the NBS specification. */
export const IPS_QR_LIMITS = { payee: 70, payer: 70, purpose: 35, reference: 35, amountDigits: 12 } as const;

const LINE_BREAK = '\r\n';

/**
 * A Serbian bank account as 18 digits: `BBB-N…N-KK` has its middle part padded with zeros to
 * 13 digits (840-955845-10 → 840000000095584510). Throws if the form is wrong or the control
 * digits KK are not right (the 18 digits mod 97 must be 1, ISO 7064 MOD 97-10).
 */
export function normalizeAccount(account: string): string {
  const written = account.trim();
  let digits: string;
  const parts = /^(\d{3})-(\d{1,13})-(\d{2})$/.exec(written);
  if (parts) digits = parts[1]! + parts[2]!.padStart(13, '0') + parts[3]!;
  else if (/^\d{18}$/.test(written.replace(/ /g, ''))) digits = written.replace(/ /g, '');
  else throw new IpsQrError('account', 'R', `The account must be 18 digits or written bank-number-control, e.g. 840-955845-10: "${account}"`);
  if (mod97(digits) !== 1) throw new IpsQrError('account', 'R', `The account's control digits are not right: "${account}"`);
  return digits;
}

/** True for an account normalizeAccount accepts. */
export function isValidAccount(account: string): boolean {
  try {
    normalizeAccount(account);
    return true;
  } catch {
    return false;
  }
}

/**
 * The amount after `RSD`: whole dinars, a comma, two decimals (`3596,13`; `10` → `10,00`).
 * From 0,00 (a printed bill may show zero) to 999999999999,99; no thousands separators.
 */
export function formatIpsAmount(amount: number | string): string {
  let text: string;
  if (typeof amount === 'number') {
    if (!Number.isFinite(amount) || amount < 0 || Math.abs(amount * 100 - Math.round(amount * 100)) > 1e-6) {
      throw new IpsQrError('amount', 'I', `The amount must be a number of dinars with at most two decimals: ${String(amount)}`);
    }
    text = amount.toFixed(2);
  } else {
    text = amount.trim();
  }
  const m = /^(\d+)(?:[.,](\d{0,2}))?$/.exec(text);
  if (!m) throw new IpsQrError('amount', 'I', `The amount must be dinars with at most two decimals, without thousands separators: "${String(amount)}"`);
  const whole = m[1]!.replace(/^0+(?=\d)/, '');
  if (whole.length > IPS_QR_LIMITS.amountDigits) throw new IpsQrError('amount', 'I', `The amount is at most 999999999999,99 dinars: "${String(amount)}"`);
  return `${whole},${(m[2] ?? '').padEnd(2, '0')}`;
}

// Characters no value may hold: the tag separator and control characters (lines only in N and P).
const FORBIDDEN = /[|\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/;
const LINE_CHARS = /[\r\n]/;

function lines(value: string | readonly string[]): string[] {
  return (typeof value === 'string' ? value.split(/\r?\n/) : [...value]).map((l) => l.trim()).filter((l) => l !== '');
}

function text(field: IpsQrField, tag: string, value: string | readonly string[], max: number, multiline: boolean): string {
  const parts = multiline ? lines(value) : [String(value).trim()];
  for (const p of parts) {
    // After splitting into lines, a CR or LF left is a lone one (or a break inside one line).
    if (FORBIDDEN.test(p) || LINE_CHARS.test(p)) {
      throw new IpsQrError(field, tag, `The ${field} may not hold "|", line breaks${multiline ? ' inside a line' : ''} or control characters`);
    }
  }
  const joined = parts.join(LINE_BREAK);
  if ([...joined].length > max) throw new IpsQrError(field, tag, `The ${field} is at most ${String(max)} characters in the IPS QR code (line breaks count)`);
  return joined;
}

/**
 * The text of an IPS QR code (`K:PR`) for a payment order. Throws IpsQrError naming the field
 * when a value does not fit the NBS specification.
 */
export function buildIpsQrPayload(order: IpsPaymentOrder): string {
  const tags: string[] = ['K:PR', 'V:01', 'C:1', `R:${normalizeAccount(order.account)}`];
  const payee = text('payee', 'N', order.payee, IPS_QR_LIMITS.payee, true);
  if (payee === '') throw new IpsQrError('payee', 'N', 'The payee name is required');
  tags.push(`N:${payee}`, `I:RSD${formatIpsAmount(order.amount)}`);
  if (order.payer !== undefined) {
    const payer = text('payer', 'P', order.payer, IPS_QR_LIMITS.payer, true);
    if (payer !== '') tags.push(`P:${payer}`);
  }
  if (!/^\d{3}$/.test(order.paymentCode)) throw new IpsQrError('paymentCode', 'SF', `The payment code is three digits: "${order.paymentCode}"`);
  tags.push(`SF:${order.paymentCode}`);
  if (order.purpose !== undefined) {
    const purpose = text('purpose', 'S', order.purpose, IPS_QR_LIMITS.purpose, false);
    if (purpose !== '') tags.push(`S:${purpose}`);
  }
  if (order.reference !== undefined) tags.push(`RO:${referenceTag(order.reference)}`);
  return tags.join('|');
}

function referenceTag(reference: { model: string; number: string }): string {
  const model = reference.model === '' ? '00' : reference.model;
  if (!/^\d{2}$/.test(model)) throw new IpsQrError('reference', 'RO', `The model is two digits, e.g. 97: "${reference.model}"`);
  const number = reference.number.trim();
  if (model === '97') {
    // The specification: a model-97 reference is written without dashes or spaces.
    const problem = checkModel97Reference(number);
    if (problem !== null || !/^\d+$/.test(number.replace(/[\s-]/g, ''))) {
      throw new IpsQrError('reference', 'RO', `The model 97 reference is not right (${problem ?? 'digits only'}): "${reference.number}"`);
    }
    return model + number.replace(/[\s-]/g, '');
  }
  if (number === '' || FORBIDDEN.test(number) || LINE_CHARS.test(number) || !/^[0-9A-Za-z-]+$/.test(number)) {
    throw new IpsQrError('reference', 'RO', `The reference holds digits, letters and dashes: "${reference.number}"`);
  }
  const tag = model + number;
  if (tag.length > IPS_QR_LIMITS.reference) throw new IpsQrError('reference', 'RO', `Model and reference are at most ${String(IPS_QR_LIMITS.reference)} characters`);
  return tag;
}

const TAG_ORDER = ['K', 'V', 'C', 'R', 'N', 'I', 'P', 'SF', 'S', 'RO'] as const;

/**
 * Reads the text of a `K:PR` IPS QR code back into its fields (the builder's inverse, for tests
 * that decode the printed code, and for anyone checking a code). Tags must be known, each once,
 * in the specification's order; the values are checked as the builder checks them. Throws
 * IpsQrError naming the field at fault (`payload` for the text's shape).
 */
export function parseIpsQrPayload(payload: string): IpsPaymentOrderRead {
  if (payload === '' || payload.startsWith('|') || payload.endsWith('|')) {
    throw new IpsQrError('payload', null, 'An IPS QR text starts with K:PR and has no "|" at either end');
  }
  const values = new Map<string, string>();
  let last = -1;
  for (const field of payload.split('|')) {
    const colon = field.indexOf(':');
    const tag = colon < 0 ? field : field.slice(0, colon);
    const at = TAG_ORDER.indexOf(tag as (typeof TAG_ORDER)[number]);
    if (colon < 0 || at < 0) throw new IpsQrError('payload', tag, `Unknown or malformed tag: "${field.slice(0, 20)}"`);
    if (at <= last) throw new IpsQrError('payload', tag, `Tag ${tag} is repeated or out of order`);
    last = at;
    const value = field.slice(colon + 1);
    if (value === '') throw new IpsQrError('payload', tag, `Tag ${tag} has no value (an empty optional tag is left out)`);
    values.set(tag, value);
  }
  const need = (tag: string, field: IpsQrField): string => {
    const v = values.get(tag);
    if (v === undefined) throw new IpsQrError(field, tag, `Tag ${tag} is required`);
    return v;
  };
  if (need('K', 'payload') !== 'PR') throw new IpsQrError('payload', 'K', 'Only payment orders (K:PR) are read');
  if (need('V', 'payload') !== '01') throw new IpsQrError('payload', 'V', 'Only version 01 is read');
  if (need('C', 'payload') !== '1') throw new IpsQrError('payload', 'C', 'The character set must be 1 (UTF-8)');
  const account = need('R', 'account');
  if (!/^\d{18}$/.test(account)) throw new IpsQrError('account', 'R', 'The account in the code is 18 digits');
  normalizeAccount(account);
  const amountTag = need('I', 'amount');
  const amount = /^RSD(\d{1,12}),(\d{0,2})$/.exec(amountTag);
  if (!amount) throw new IpsQrError('amount', 'I', `The amount is RSD, dinars, a comma and up to two decimals: "${amountTag}"`);
  const order: IpsPaymentOrderRead = {
    account,
    payee: lines(text('payee', 'N', need('N', 'payee'), IPS_QR_LIMITS.payee, true)),
    amount: `${amount[1]!}.${amount[2]!.padEnd(2, '0')}`,
    paymentCode: need('SF', 'paymentCode'),
  };
  if (!/^\d{3}$/.test(order.paymentCode)) throw new IpsQrError('paymentCode', 'SF', 'The payment code is three digits');
  const payer = values.get('P');
  if (payer !== undefined) order.payer = lines(text('payer', 'P', payer, IPS_QR_LIMITS.payer, true));
  const purpose = values.get('S');
  if (purpose !== undefined) order.purpose = text('purpose', 'S', purpose, IPS_QR_LIMITS.purpose, false);
  const ro = values.get('RO');
  if (ro !== undefined) {
    const reference = { model: ro.slice(0, 2), number: ro.slice(2) };
    referenceTag(reference);
    order.reference = reference;
  }
  return order;
}
