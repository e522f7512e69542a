/**
 * The form definition format: what an agency writes (a JSON file per form and version)
 * and what the element renders and the validator checks. The JSON Schema next to this
 * file (form-definition.schema.json) describes the same shape for the server's start-up
 * check; checkDefinition (check.ts) adds the rules a schema cannot express.
 */
import type { DeadlineSpec } from '../deadlines.ts';
import { cyrillicToLatin, latinToCyrillic, toScript } from '../transliterate.ts';

/** The languages a form speaks (the same set as components/i18n's `Lang`). */
export type FormLang = 'en' | 'sr-Latn' | 'sr-Cyrl';

/**
 * Text shown to people. A plain string is Serbian, written in either script: the other
 * script is made by transliteration, and English readers get the Latin form. An object
 * gives any of the three explicitly (at least one Serbian script); a missing Serbian
 * script is transliterated from the other, a missing English falls back to Serbian Latin.
 */
export type LocalizedText =
  | string
  | { readonly 'sr-Latn'?: string; readonly 'sr-Cyrl'?: string; readonly en?: string };

export const FIELD_TYPES = [
  'text', 'textarea', 'number', 'date', 'email', 'tel', 'select', 'radio', 'checkbox', 'file', 'group',
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

/** Named validators a text field can ask for (see validators.ts). */
export type NamedValidator = 'jmbg' | 'pib';

/**
 * The rules whose message a definition can give a field of its own (`messages`), instead of
 * the one made from the field's label and the rule (components/i18n/form-messages.ts).
 */
export const MESSAGE_CODES = [
  'required', 'minLength', 'maxLength', 'min', 'max', 'pattern', 'email', 'tel', 'date', 'option',
  'jmbg', 'pib', 'accept', 'maxSize', 'minFiles', 'maxFiles',
  // Pages, groups, prefill and derived answers (issue 21, `pg`).
  'minItems', 'maxItems', 'matchesJmbg',
] as const;

export type MessageCode = (typeof MESSAGE_CODES)[number];

/** HTML `inputmode` values. */
export type InputMode = 'none' | 'text' | 'decimal' | 'numeric' | 'tel' | 'search' | 'email' | 'url';

export interface FieldOption {
  /** The value stored in the data (a string). */
  readonly value: string;
  readonly label: LocalizedText;
  /** A hint under the option (radios and checkboxes). */
  readonly hint?: LocalizedText;
}

/** A value a condition compares with. */
export type ConditionValue = string | number | boolean;

/**
 * One condition on an earlier field's answer:
 * - `{field, equals}`: the answer is that value (for a multi-choice checkbox: it includes it);
 * - `{field, in: [...]}`: the answer is one of them (multi-choice: includes any of them);
 * - `{field, filled: true|false}`: the field has (or has not) an answer.
 */
export type Condition =
  | { readonly field: string; readonly equals: ConditionValue }
  | { readonly field: string; readonly in: readonly ConditionValue[] }
  | { readonly field: string; readonly filled: boolean };

/** A field is shown when its condition holds; an array holds when all of its conditions do. */
export type When = Condition | readonly Condition[];

/**
 * A date bound: an ISO date `YYYY-MM-DD`, or `today`, optionally with an offset in days,
 * months or years: `today-18y`, `today+30d`, `today-6m`.
 */
export type DateBound = string;

export interface FormField {
  /** The key of this field's answer in the data: a letter, then letters, digits or `_`. */
  readonly name: string;
  readonly type: FieldType;
  /** The question (for a checkbox without options: the text next to the box). */
  readonly label: LocalizedText;
  readonly hint?: LocalizedText;
  /** Default false. A required field hidden by `when` is not required. */
  readonly required?: boolean;
  /** number: a number; date: a DateBound. Inclusive. */
  readonly min?: number | DateBound;
  readonly max?: number | DateBound;
  /** text, textarea, email, tel: length in UTF-16 code units (as HTML counts), after trimming. */
  readonly minLength?: number;
  readonly maxLength?: number;
  /** text, textarea, email, tel: a JavaScript regular expression (`u` flag) the whole answer must match, as HTML `pattern`. */
  readonly pattern?: string;
  /** The message shown when `pattern` does not match (say what the format is); the same as `messages.pattern`. */
  readonly patternMessage?: LocalizedText;
  /**
   * This field's own error messages, by rule, replacing the ones made from its label ("Enter
   * <label>", "<Label> must be …"): for wording the generated sentence cannot get right
   * ("Enter the investor’s JMBG", a Serbian label that is not in the accusative).
   */
  readonly messages?: { readonly [code in MessageCode]?: LocalizedText };
  /** text: named validators. */
  readonly validators?: readonly NamedValidator[];
  /** select and radio (required); checkbox with options is a multi-choice (string[]). */
  readonly options?: readonly FieldOption[];
  readonly when?: When;
  /** file: accepted media types (`application/pdf`, `image/*`). Absent: any type. */
  readonly accept?: readonly string[];
  /** file: the largest size of one file, in bytes. */
  readonly maxSize?: number;
  /** file: how many files at most (default 1). */
  readonly maxFiles?: number;
  /** file: how many files at least when any are given (a required file field needs at least one anyway). */
  readonly minFiles?: number;
  /** HTML autocomplete token(s) for the element, e.g. `given-name`, `email`, `bday`. */
  readonly autocomplete?: string;
  readonly inputmode?: InputMode;

  // ---- Repeating groups, prefill and derived answers (issue 21, owner `pg`) ----

  /**
   * group: the questions of ONE item (no groups inside a group, no files). The answer is an
   * array of item objects; a sub-field's `when` sees the answers of its own item first, then
   * the top-level answers before the group.
   */
  readonly fields?: readonly FormField[];
  /** group: how many items at least (default 0; 1 when the group is required). */
  readonly minItems?: number;
  /** group: how many items at most (default GROUP_MAX_ITEMS, 20). */
  readonly maxItems?: number;
  /** group: what one item is called ("Co-owner"): item headings, buttons and errors ("Co-owner 2: enter the JMBG"). */
  readonly itemLabel?: LocalizedText;
  /**
   * A value taken from the signed-in person's profile when a new draft starts; the person sees it
   * and can change it (text and email fields, top level).
   */
  readonly prefill?: PrefillSource;
  /**
   * A date field (date of birth) or a select/radio with the options `male` and `female` (sex):
   * the name of the JMBG field (a text field with the `jmbg` validator, in the same item or at
   * the top level) whose date of birth or sex this answer must agree with.
   */
  readonly matchesJmbg?: string;
}

/** What of the signed-in person's profile a field can be prefilled with. */
export const PREFILL_SOURCES = ['displayName', 'givenName', 'familyName', 'email'] as const;
export type PrefillSource = (typeof PREFILL_SOURCES)[number];

/** The most items a group has when it does not say (`maxItems`). */
export const GROUP_MAX_ITEMS = 20;

/** How many items a group needs at least: `minItems`, else 1 when it is required. */
export function groupMinItems(field: Pick<FormField, 'minItems' | 'required'>): number {
  return field.minItems ?? (field.required === true ? 1 : 0);
}

/** How many items a group takes at most. */
export function groupMaxItems(field: Pick<FormField, 'maxItems'>): number {
  return field.maxItems ?? GROUP_MAX_ITEMS;
}

/**
 * One page of a form (issue 21, owner `pg`). With `pages`, every top-level field is on exactly
 * one page, the pages taking the fields in the order of `fields`; the citizen answers page by page.
 */
export interface FormPage {
  /** A slug, unique in the form: the page's name in the history entry (and the address). */
  readonly id: string;
  readonly title: LocalizedText;
  readonly description?: LocalizedText;
  /** Names of top-level fields, in the order of `fields`. */
  readonly fields: readonly string[];
  /** The page and all its fields are shown only when this holds (conditions on fields of earlier pages). */
  readonly when?: When;
}

export type ApprovalStepKind = 'review' | 'agree' | 'approve';

/** Who decides a step: anyone with a role (in the form's agency, or another one), or one person. */
export type Assignee = { readonly role: string; readonly agencyId?: string } | { readonly userId: string };

/** One step of the approval line. Used by the approval issue; here it is only typed and checked. */
export interface ApprovalStep {
  readonly id: string;
  readonly kind: ApprovalStepKind;
  readonly assignee: Assignee;
  /** agree steps only: consecutive parallel agree steps run together. */
  readonly parallel?: boolean;
  /** approve step only: lower roles that may approve by delegation. */
  readonly delegation?: { readonly allowRoles: readonly string[] };
  /**
   * Default false (four eyes): whoever decided another step of the round may not decide this
   * one. True lifts the rule for this step only (`approvalRules.allowSamePersonSteps` lifts it
   * for the whole line).
   */
  readonly allowSamePerson?: boolean;
}

/** Rules for the whole approval line of a form. */
export interface ApprovalRules {
  /**
   * Default false: the four-eyes rule — a person who decided one step of a round of the line
   * (in their own name, as a substitute or by delegation) decides no other step of that round.
   * True lets one official take several steps (a small office with one clerk who is also head).
   */
  readonly allowSamePersonSteps?: boolean;
}

/**
 * What kind of public document is issued: a `decision` (rešenje: an administrative act with the
 * parts the general administrative procedure law gives it) or a `certificate` (uverenje: states
 * facts from official records).
 */
export type DocumentKind = 'decision' | 'certificate';

/** The script an issued document is written in (the other one stands beside its captions). */
export type DocumentScript = 'sr-Cyrl' | 'sr-Latn';

/**
 * The document issued on final approval, and its template: the text of each part of the act,
 * in which `{field}` is that field's answer, `{comment:<step id>}` the comment the official
 * signed with their decision on that step, and `{agency}`, `{trackingNumber}`, `{issuedDate}`,
 * `{validUntil}` what they say. Paragraphs are separated by a blank line. Parts are checked by
 * checkDefinition (which keys go with which kind, placeholders that name something).
 */
export interface DocumentSpec {
  /** The document's id (a slug): names it in the issuance's records and metadata. */
  readonly template: string;
  readonly title: LocalizedText;
  /** How many days the issued document is valid; absent: no expiry. */
  readonly validityDays?: number;
  /** Absent: a plain document that lists the answers (for internal documents such as a memo). */
  readonly kind?: DocumentKind;
  /** Default `sr-Cyrl`, the official script. */
  readonly script?: DocumentScript;
  /** Where the act is made (the place in its heading and above the signature). */
  readonly place?: LocalizedText;
  /** The introduction (uvod): the authority, the legal basis, on whose request; ends with "доноси" / "издаје". */
  readonly introduction?: LocalizedText;
  /** decision: the dispositive part (izreka): what is decided, for whom, about what. */
  readonly dispositive?: LocalizedText;
  /** certificate: the certified facts, as a statement. */
  readonly statement?: LocalizedText;
  /** Answers listed as caption / value rows under the dispositive part or the statement, in order. */
  readonly facts?: readonly string[];
  /** decision: the reasoning (obrazloženje); `{comment:approve}` makes the official's comment part of it. */
  readonly reasoning?: LocalizedText;
  /** decision: the instruction on legal remedy (pouka o pravnom leku). */
  readonly legalRemedy?: LocalizedText;
  /** A closing paragraph (a certificate's purpose, "не може се користити у друге сврхе"). */
  readonly closing?: LocalizedText;
  /**
   * What a code check shows anyone who holds the document's verification code, to compare
   * with the paper or file in hand (besides the issuer, the dates and the content
   * fingerprint): the answers naming the `holder` (the person or company it was issued to;
   * the answered ones are joined with spaces) and the `subject` (what it is about, e.g. the
   * parcel; one line per answer, with its label). Absent: neither is shown. Keep it to what a
   * checker needs: never a JMBG, never a file (checkDefinition refuses both).
   */
  readonly codeCheck?: DocumentCodeCheck;
}

/** The answers a code check shows (DocumentSpec.codeCheck): field names, in order. */
export interface DocumentCodeCheck {
  readonly holder?: readonly string[];
  readonly subject?: readonly string[];
}

/** Where an issued document goes besides the applicant. Used by distribution. */
export interface DistributionSpec {
  /**
   * The ids of the agencies the document is sent to as soon as it is issued (each finds it in
   * its reception inbox); never the form's own agency.
   */
  readonly agencies: readonly string[];
}

// ---- fees (issue 21, item 4) ----

/**
 * An administrative fee the applicant pays by bank transfer (a payment order, or the NBS IPS QR
 * code that banking apps scan). The reference is never written here: it is always model 97 of
 * the application's tracking number (components/core/payments/fee.ts, `feeReference`).
 */
export interface FeeSpec {
  /** Dinars, above 0, at most two decimals. */
  readonly amount: number;
  /**
   * Who is paid: the name (and optionally the address) printed on the payment order, and the
   * account, 18 digits or written bank-number-control (`840-742221843-57`), its control digits right.
   */
  readonly payee: { readonly name: string; readonly account: string; readonly address?: string };
  /** The payment code (šifra plaćanja): three digits, e.g. `253` for a fee paid by a citizen. */
  readonly paymentCode: string;
  /** The purpose of the payment (svrha plaćanja), at most 35 characters in each script. */
  readonly purpose: LocalizedText;
  /** Default false. True: the approval line starts only once an official has marked the fee paid. */
  readonly requiredBeforeApproval?: boolean;
}

/** Who a form is for: citizens and everyone (`public`), or officials of its agency (`internal`). */
export type FormAudience = 'public' | 'internal';

export interface FormDefinition {
  /** For editors: the path or URL of form-definition.schema.json. Ignored otherwise. */
  readonly $schema?: string;
  /** A slug: lower-case letters, digits and single hyphens. */
  readonly id: string;
  /** Starts at 1; a changed form is a new version, applications keep the version they were made with. */
  readonly version: number;
  readonly agencyId: string;
  readonly title: LocalizedText;
  readonly description?: LocalizedText;
  readonly fields: readonly FormField[];
  readonly signature: { readonly required: boolean };
  /**
   * Who applies with this form: `public` (default) — anyone, a citizen's request; `internal`
   * — only officials of the form's agency, drafting an internal document that then follows
   * the approval line like a request.
   */
  readonly audience?: FormAudience;
  readonly approvalLine: readonly ApprovalStep[];
  /** Rules for the whole line; absent: the defaults (see ApprovalRules). */
  readonly approvalRules?: ApprovalRules;
  readonly document: DocumentSpec;
  /** Agencies that receive every document issued with this form; absent: none (officials may still distribute it). */
  readonly distribution?: DistributionSpec;

  // ---- Pages (issue 21, owner `pg`) ----

  /** The fields grouped into pages; absent: one page with every field (as before pages existed). */
  readonly pages?: readonly FormPage[];
  /** The administrative fee (see FeeSpec); absent: the service is free. */
  readonly fee?: FeeSpec;
  // ---- legal deadline (issue 20, owner `dl`) ----
  /**
   * The time limit for a decision, counted from the submission as the law counts it
   * (components/core/deadlines.ts); absent: the form sets none and its cases have no due date.
   */
  readonly deadline?: DeadlineSpec;
}

/**
 * An answer: a string (text-like, date `YYYY-MM-DD`, select, radio), a number, a boolean
 * (checkbox), strings (multi-choice checkbox, upload ids) or items (a repeating group: one
 * object of answers per item).
 */
export type FieldValue = string | number | boolean | readonly string[] | readonly ApplicationData[];

/** The answers of an application, by field name. */
export type ApplicationData = { [name: string]: FieldValue };

/** The JSON type a field's answer has. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'strings' | 'items';

/** What JSON type the answer of `field` is. */
export function valueKind(field: Pick<FormField, 'type' | 'options'>): ValueKind {
  switch (field.type) {
    case 'number':
      return 'number';
    case 'checkbox':
      return field.options ? 'strings' : 'boolean';
    case 'file':
      return 'strings';
    case 'group':
      return 'items';
    default:
      return 'string';
  }
}

/** The path of an item's answer in errors (`coOwners[1].jmbg`, the index from 0), as problem+json and the element name it. */
export function itemPath(group: string, index: number, field: string): string {
  return `${group}[${index}].${field}`;
}

/**
 * What item `index` (from 0) of a group is called where people read it: its `itemLabel` (else the
 * group's label) and its number from 1 — "Co-owner 2". Headings, buttons, errors, documents.
 */
export function itemTitle(group: Pick<FormField, 'itemLabel' | 'label'>, index: number, lang: FormLang): string {
  return `${localize(group.itemLabel ?? group.label, lang).replace(/[?:]\s*$/, '')} ${index + 1}`;
}

/** `coOwners[1].jmbg` → its parts (`coOwners[1]`, the item itself: field ''); a top-level name → `{ field }`. */
export function parseFieldPath(path: string): { readonly field: string; readonly group?: string; readonly index?: number } {
  const m = /^([A-Za-z][A-Za-z0-9_]*)\[(\d{1,4})\](?:\.([A-Za-z][A-Za-z0-9_]*))?$/.exec(path);
  return m ? { group: m[1]!, index: Number(m[2]), field: m[3] ?? '' } : { field: path };
}

/** `text` in `lang` (see LocalizedText for the fallbacks). */
export function localize(text: LocalizedText, lang: FormLang): string {
  if (typeof text === 'string') return toScript(text, lang === 'sr-Cyrl' ? 'sr-Cyrl' : 'sr-Latn');
  const latin = text['sr-Latn'] ?? (text['sr-Cyrl'] !== undefined ? cyrillicToLatin(text['sr-Cyrl']) : undefined);
  switch (lang) {
    case 'en':
      return text.en ?? latin ?? '';
    case 'sr-Latn':
      return latin ?? text.en ?? '';
    case 'sr-Cyrl':
      return text['sr-Cyrl'] ?? (text['sr-Latn'] !== undefined ? latinToCyrillic(text['sr-Latn']) : text.en ?? '');
  }
}
