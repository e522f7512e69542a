/**
 * Named validators: small units with one `validate(value, param)` each, returning null
 * when the value passes or the issue code when it does not. validateApplication
 * (validate.ts) composes them; the element and the server use that one composition.
 *
 * They check one value and do nothing else: they do not trim, look at other fields or
 * know about visibility, and they expect the value's JSON type to be right already.
 */
import { isRealDate } from './dates.ts';

/** Dates and date bounds live in dates.ts (a form draws its date fields with them before the rules load); the rules' users find them here as before. */
export { daysInMonth, isDateBound, isRealDate, resolveDateBound, todayIn } from './dates.ts';

/** Every code an answer can be refused with (validateApplication adds `unknownField` and `type`). */
export type IssueCode =
  | 'unknownField'
  | 'type'
  | 'required'
  | 'minLength'
  | 'maxLength'
  | 'min'
  | 'max'
  | 'pattern'
  | 'email'
  | 'tel'
  | 'date'
  | 'option'
  | 'jmbg'
  | 'pib'
  | 'accept'
  | 'empty'
  | 'maxSize'
  | 'minFiles'
  | 'maxFiles'
  | 'unknownUpload'
  | 'duplicateUpload'
  // Repeating groups and derived answers (issue 21): too few or too many items, a date of birth or sex the JMBG contradicts.
  | 'minItems'
  | 'maxItems'
  | 'matchesJmbg';

export interface Validator<V, P = void> {
  /** The issue code this validator reports. */
  readonly code: IssueCode;
  validate(value: V, param: P): IssueCode | null;
}

function unit<V, P = void>(code: IssueCode, ok: (value: V, param: P) => boolean): Validator<V, P> {
  return { code, validate: (value, param) => (ok(value, param) ? null : code) };
}

const isEmptyValue = (value: unknown): boolean =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * `required`: the field has an answer. Empty is undefined, null, '' and []; a boolean
 * (a single checkbox) must be true: a required checkbox is one the person must tick.
 */
export const required = unit<unknown, boolean>('required', (value, isRequired) => {
  if (!isRequired) return true;
  if (typeof value === 'boolean') return value;
  return !isEmptyValue(value);
});

/** `minLength`: at least `min` UTF-16 code units, as HTML counts. */
export const minLength = unit<string, number>('minLength', (value, min) => value.length >= min);

/** `maxLength`: at most `max` UTF-16 code units. */
export const maxLength = unit<string, number>('maxLength', (value, max) => value.length <= max);

/** `min`: a number, or an ISO date compared with an ISO date (string order is date order). */
export const min = unit<number | string, number | string>('min', (value, bound) =>
  typeof value === typeof bound ? value >= bound : false,
);

/** `max`: see `min`. */
export const max = unit<number | string, number | string>('max', (value, bound) =>
  typeof value === typeof bound ? value <= bound : false,
);

/** `pattern`: the whole value matches (compile with anchorPattern). */
export const pattern = unit<string, RegExp>('pattern', (value, re) => {
  re.lastIndex = 0;
  return re.test(value);
});

/** Compiles a definition's `pattern` the way HTML does: the whole value must match, `u` flag. Throws on a bad pattern. */
export function anchorPattern(source: string): RegExp {
  return new RegExp(`^(?:${source})$`, 'u');
}

/** The longest email address (RFC 5321 path limit). */
export const EMAIL_MAX_LENGTH = 254;

// WHATWG "valid e-mail address", with at least one dot in the domain: citizens' addresses
// are on the public Internet, and "ime@gmail" is a typo, not an intranet host.
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

/** `email`: an address in the form name@domain.tld (WHATWG syntax, a dotted domain, ≤ 254 characters). */
export const email = unit<string>('email', (value) => value.length <= EMAIL_MAX_LENGTH && EMAIL.test(value));

const TEL_CHARS = /^\+?[0-9 ()/.-]+$/;

/**
 * `tel`: a telephone number as people write it: digits with spaces, hyphens, dots,
 * slashes or brackets, an optional leading `+`; 6 to 15 digits (E.164 allows 15).
 * Serbian examples: 011 123 4567, 064/123-4567, +381 64 123 4567.
 */
export const tel = unit<string>('tel', (value) => {
  if (value.length > 30 || !TEL_CHARS.test(value)) return false;
  let digits = 0;
  for (const ch of value) if (ch >= '0' && ch <= '9') digits++;
  return digits >= 6 && digits <= 15;
});

/** `date`: a real calendar date `YYYY-MM-DD`. */
export const date = unit<string>('date', isRealDate);

/** `option`: the value (or, for a multi-choice, every value, each once) is one of the options. */
export const option = unit<string | readonly string[], ReadonlySet<string>>('option', (value, options) => {
  if (typeof value === 'string') return options.has(value);
  if (value.length > options.size) return false;
  const seen = new Set<string>();
  for (const v of value) {
    if (!options.has(v) || seen.has(v)) return false;
    seen.add(v);
  }
  return true;
});

const JMBG_WEIGHTS = [7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/**
 * The JMBG control digit of the first 12 digits:
 * m = 11 − ((7(a+g) + 6(b+h) + 5(c+i) + 4(d+j) + 3(e+k) + 2(f+l)) mod 11); m > 9 gives 0.
 */
export function jmbgControlDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (first12.charCodeAt(i) - 48) * JMBG_WEIGHTS[i]!;
  const m = 11 - (sum % 11);
  return m > 9 ? 0 : m;
}

/**
 * The date of birth in a JMBG (`DDMMYYY`, the millennium left out: 8xx–9xx are 1800s–1900s,
 * 0xx–7xx are 2000s) as `YYYY-MM-DD`, or null when it is not a real date.
 */
export function jmbgBirthDate(jmbgValue: string): string | null {
  if (!/^\d{13}$/.test(jmbgValue)) return null;
  const yyy = Number(jmbgValue.slice(4, 7));
  const year = yyy >= 800 ? 1000 + yyy : 2000 + yyy;
  const iso = `${String(year)}-${jmbgValue.slice(2, 4)}-${jmbgValue.slice(0, 2)}`;
  return isRealDate(iso) ? iso : null;
}

/** True for a JMBG: 13 digits, a real date of birth, and the right control digit. */
export function isValidJmbg(value: string): boolean {
  return jmbgBirthDate(value) !== null && jmbgControlDigit(value) === value.charCodeAt(12) - 48;
}

/** `jmbg`: the 13-digit unique master citizen number (jedinstveni matični broj građana). */
export const jmbg = unit<string>('jmbg', isValidJmbg);

/** The ISO 7064 MOD 11,10 check digit of the first 8 digits of a PIB. */
export function pibCheckDigit(first8: string): number {
  let p = 10;
  for (let i = 0; i < 8; i++) {
    let s = (first8.charCodeAt(i) - 48 + p) % 10;
    if (s === 0) s = 10;
    p = (2 * s) % 11;
  }
  return (11 - p) % 10;
}

/** True for a PIB: 9 digits, the last an ISO 7064 MOD 11,10 check digit. */
export function isValidPib(value: string): boolean {
  return /^\d{9}$/.test(value) && pibCheckDigit(value) === value.charCodeAt(8) - 48;
}

/** `pib`: the 9-digit tax identification number (poreski identifikacioni broj). */
export const pib = unit<string>('pib', isValidPib);

/** The bare media type, lower case, without parameters: `Application/PDF; x=y` → `application/pdf`. */
export function essence(mediaType: string): string {
  return mediaType.split(';')[0]!.trim().toLowerCase();
}

/** `accept`: a file's media type is one of the accepted ones (`type/subtype` or `type/*`). */
export const accept = unit<string, readonly string[]>('accept', (mediaType, accepted) => {
  const type = essence(mediaType);
  return accepted.some((a) => {
    const want = essence(a);
    return want.endsWith('/*') ? type.startsWith(want.slice(0, -1)) : type === want;
  });
});

/** `empty`: a file has at least one byte (an empty file is never a document). */
export const notEmpty = unit<number>('empty', (size) => size > 0);

/** `maxSize`: a file is at most `max` bytes. */
export const maxSize = unit<number, number>('maxSize', (size, maxBytes) => size <= maxBytes);

/** `minFiles`: at least `min` files. */
export const minFiles = unit<readonly unknown[], number>('minFiles', (files, minCount) => files.length >= minCount);

/** `maxFiles`: at most `max` files. */
export const maxFiles = unit<readonly unknown[], number>('maxFiles', (files, maxCount) => files.length <= maxCount);

/** The named validators a definition can list in a field's `validators`. */
export const NAMED_VALIDATORS = { jmbg, pib } as const;
