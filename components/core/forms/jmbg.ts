/**
 * What a JMBG says about its holder, and checks of a date of birth or sex given elsewhere in a
 * form against it (issue 21's derived answers). The JMBG itself — its control digit and the
 * date in it, with the century rule — is checked by validators.ts; this file reuses that.
 *
 * A JMBG is DDMMYYYRRBBBK: date of birth (DDMMYYY, the millennium left out), region RR, BBB the
 * serial number in the region and day — 000–499 men, 500–999 women — and K the control digit.
 */
import { isRealDate, isValidJmbg, jmbgBirthDate } from './validators.ts';

export { jmbgBirthDate } from './validators.ts';

export type JmbgSex = 'male' | 'female';

/** The sex a valid JMBG records (digits 10–12: 000–499 male, 500–999 female), or null for an invalid JMBG. */
export function jmbgSex(jmbg: string): JmbgSex | null {
  if (!isValidJmbg(jmbg)) return null;
  return Number(jmbg.slice(9, 12)) < 500 ? 'male' : 'female';
}

/** What a valid JMBG says: date of birth `YYYY-MM-DD` and sex; null for an invalid JMBG. */
export function jmbgFacts(jmbg: string): { birthDate: string; sex: JmbgSex } | null {
  const sex = jmbgSex(jmbg);
  const birthDate = jmbgBirthDate(jmbg);
  return sex === null || birthDate === null ? null : { birthDate, sex };
}

/**
 * The outcome of a cross-check. `jmbgInvalid`: the JMBG is not a valid one, so nothing can be
 * compared (its own field reports that); `valueInvalid`: the date or sex given is not one;
 * `mismatch`: both are valid and differ — `expected` is what the JMBG says.
 */
export type JmbgCrossCheck<T> =
  | { ok: true }
  | { ok: false; reason: 'jmbgInvalid' | 'valueInvalid' }
  | { ok: false; reason: 'mismatch'; expected: T };

/** Checks a date of birth (`YYYY-MM-DD`) against the one in a JMBG. */
export function checkBirthDateAgainstJmbg(birthDate: string, jmbg: string): JmbgCrossCheck<string> {
  if (!isValidJmbg(jmbg)) return { ok: false, reason: 'jmbgInvalid' };
  const expected = jmbgBirthDate(jmbg)!;
  if (!isRealDate(birthDate)) return { ok: false, reason: 'valueInvalid' };
  return birthDate === expected ? { ok: true } : { ok: false, reason: 'mismatch', expected };
}

/** Checks a sex (`male` or `female`) against the one a JMBG records. */
export function checkSexAgainstJmbg(sex: string, jmbg: string): JmbgCrossCheck<JmbgSex> {
  const expected = jmbgSex(jmbg);
  if (expected === null) return { ok: false, reason: 'jmbgInvalid' };
  if (sex !== 'male' && sex !== 'female') return { ok: false, reason: 'valueInvalid' };
  return sex === expected ? { ok: true } : { ok: false, reason: 'mismatch', expected };
}
