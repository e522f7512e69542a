/**
 * Model 97 payment references (poziv na broj, model 97) and the ISO 7064 MOD 97-10 check
 * they and Serbian bank account numbers share.
 *
 * A model-97 reference is two control digits followed by the reference proper, e.g.
 * `14123412` (model 97, control digits 14, reference 123412 — the example in the National Bank
 * of Serbia's IPS QR specification). The control digits are ISO 7064 MOD 97-10 of the
 * reference: letters count as two digits (A=10 … Z=35, as ISO 7064 and the NBS payment-order
 * rules convert them), dashes and spaces are left out; control = 98 − (reference·100 mod 97).
 *
 * Written by hand: the check is a dozen lines of arithmetic, and the libraries that have it
 * (IBAN packages) expose it only for IBANs.
 */

/** The longest model-97 reference, control digits included (see MODEL97_MAX_LENGTH in docs/decisions.md). */
export const MODEL97_MAX_LENGTH = 22;

const SEPARATORS = /[\s-]/g;
const REFERENCE_CHARS = /^[0-9A-Z]+$/;

/**
 * The reference in digits: separators (dashes, spaces) left out, letters (either case)
 * replaced by two digits, A=10 … Z=35. Null if any other character is present or nothing is left.
 */
export function referenceDigits(reference: string): string | null {
  const compact = reference.replace(SEPARATORS, '').toUpperCase();
  if (!REFERENCE_CHARS.test(compact)) return null;
  let digits = '';
  for (const ch of compact) digits += ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
  return digits;
}

/** A string of decimal digits modulo 97 (read in chunks: the numbers are longer than a double holds exactly). */
export function mod97(digits: string): number {
  let rest = 0;
  for (let i = 0; i < digits.length; i += 7) rest = Number(String(rest) + digits.slice(i, i + 7)) % 97;
  return rest;
}

/** The two ISO 7064 MOD 97-10 control digits of a reference (digits, letters, dashes, spaces); throws on other characters. */
export function model97ControlDigits(reference: string): string {
  const digits = referenceDigits(reference);
  if (digits === null) throw new RangeError(`A model 97 reference has only digits, letters and dashes: "${reference}"`);
  return String(98 - mod97(digits + '00')).padStart(2, '0');
}

export type Model97Problem = 'empty' | 'characters' | 'tooLong' | 'controlDigits';

/**
 * Checks a model-97 reference written after the model (control digits first): `14123412`,
 * `16-3220000-111111111000`. Dashes and spaces are allowed and not counted against the length;
 * letters are allowed as the rules allow them. Null when it is right, else what is wrong.
 */
export function checkModel97Reference(reference: string): Model97Problem | null {
  const compact = reference.replace(SEPARATORS, '');
  if (compact === '') return 'empty';
  if (!REFERENCE_CHARS.test(compact.toUpperCase()) || compact.length < 3 || !/^\d\d/.test(compact)) return 'characters';
  if (compact.length > MODEL97_MAX_LENGTH) return 'tooLong';
  return model97ControlDigits(compact.slice(2)) === compact.slice(0, 2) ? null : 'controlDigits';
}

/** True for a right model-97 reference (see checkModel97Reference). */
export function isValidModel97Reference(reference: string): boolean {
  return checkModel97Reference(reference) === null;
}

/**
 * The model-97 reference for a tracking number, in digits only (control digits first; the
 * model, 97, is written separately: `RO:97` + this in an IPS QR code).
 *
 * The mapping: dashes and spaces are left out, digits stay, and each letter becomes its two
 * ISO 7064 digits (A=10 … Z=35). So `GU-2026-AC34` becomes `1630` `2026` `1012` `34`, and the
 * control digits are those the rules give the tracking number itself with its letters: a bank
 * checking either form gets the same answer. Banks' payment forms and the IPS QR code take the
 * reference in digits only, so the digits are what is printed.
 *
 * Throws a RangeError when the tracking number has other characters or the reference would
 * be longer than MODEL97_MAX_LENGTH.
 */
export function model97FromTrackingNumber(trackingNumber: string): string {
  const digits = referenceDigits(trackingNumber);
  if (digits === null) throw new RangeError(`A tracking number for a model 97 reference has only letters, digits and dashes: "${trackingNumber}"`);
  const reference = model97ControlDigits(digits) + digits;
  if (reference.length > MODEL97_MAX_LENGTH) {
    throw new RangeError(`The model 97 reference for "${trackingNumber}" would have ${String(reference.length)} digits; at most ${String(MODEL97_MAX_LENGTH)} fit`);
  }
  return reference;
}
