/**
 * The one validator of application data: the element calls it for feedback as people
 * type, the server calls it again as the authority. Same definition, same data, same
 * issues. It returns codes and parameters; components/i18n turns them into words
 * (issueToFieldError), so core stays free of message text.
 */
import { groupMaxItems, groupMinItems, itemPath, type ApplicationData, type FieldValue, type FormDefinition, type FormField } from './definition.ts';
import { isRecord, pagesByField, shapeOf, walkForm, type Answers, type FieldShape } from './visibility.ts';
import { checkBirthDateAgainstJmbg, checkSexAgainstJmbg } from './jmbg.ts';
import * as rules from './validators.ts';
import type { IssueCode, Validator } from './validators.ts';

/** Parameters of an issue, ready for a message: `{min}`, `{max}`, `{accept}`, `{index}`, … */
export type IssueParams = Readonly<Record<string, string | number>>;

/**
 * One problem with the data. `field` is the field's name, or for a field of a repeating
 * group's item its path `<group>[<index from 0>].<field>` (`coOwners[1].jmbg`; an item that is
 * not an object: `coOwners[1]`). For `unknownField` it is the unknown key (in an item: its
 * path), cut to 100 characters; for data that is not an object at all, `''`.
 */
export interface ValidationIssue {
  readonly field: string;
  readonly code: IssueCode;
  readonly params?: IssueParams;
}

/** What the server knows about an upload (from `POST /api/v1/uploads`). */
export interface UploadInfo {
  readonly size: number;
  readonly mediaType: string;
}

export interface ValidateOptions {
  /**
   * The uploads the data may refer to, by id. Given: every upload id must be here and its
   * type and size are checked. Absent (e.g. in the browser before upload): only counts are checked.
   */
  readonly uploads?: Readonly<Record<string, UploadInfo>>;
  /**
   * `submit` (default) checks everything. `draft` leaves out completeness (`required`,
   * `minFiles`), so a half-filled form can be saved; every other rule still applies.
   */
  readonly mode?: 'submit' | 'draft';
  /** Today as `YYYY-MM-DD` for `today` date bounds (default: today in Europe/Belgrade). */
  readonly today?: string;
}

export interface ValidationResult {
  /** True when there are no issues. */
  readonly ok: boolean;
  /** At most one issue per field, in the definition's order, then unknown fields (capped). */
  readonly issues: ValidationIssue[];
  /**
   * The valid answers of visible fields, strings trimmed, empty answers left out: what to
   * store when `ok`. Answers of hidden fields are dropped (not an error).
   */
  readonly data: ApplicationData;
}

/** Bounds that keep the work proportional to the definition, not to the data sent. */
export const LIMITS = {
  /** Longest answer of a text, email or tel field without its own maxLength. */
  textLength: 1_000,
  /** Longest answer of a textarea without its own maxLength. */
  textareaLength: 10_000,
  /** Longest upload id. */
  uploadIdLength: 200,
  /** How many `unknownField` issues are reported at most (the rest of the keys are not looked at). */
  unknownFieldIssues: 20,
  /** How much of an unknown key is echoed in its issue. */
  unknownKeyEcho: 100,
} as const;

/** The fields shown for some answers: the element draws them before this module loads (visibility.ts). */
export { visibleFields } from './visibility.ts';

interface CompiledField extends FieldShape {
  readonly maxLength: number;
  readonly pattern: RegExp | undefined;
  readonly options: ReadonlySet<string> | undefined;
  readonly maxFiles: number;
  readonly named: readonly Validator<string>[];
  /** group: one item's fields. */
  readonly items: readonly CompiledField[] | undefined;
}

interface CompiledForm {
  readonly fields: readonly CompiledField[];
  readonly byName: ReadonlyMap<string, CompiledField>;
}

function compileField(def: FormDefinition, field: FormField, pageWhen: FieldShape['pageWhen']): CompiledField {
  let pattern: RegExp | undefined;
  if (field.pattern !== undefined) {
    try {
      pattern = rules.anchorPattern(field.pattern);
    } catch {
      throw new TypeError(`form ${def.id} v${def.version}: field ${field.name} has an invalid pattern (run checkDefinition)`);
    }
  }
  const items = field.type === 'group' ? (field.fields ?? []).map((f) => compileField(def, f, undefined)) : undefined;
  return {
    ...shapeOf(field, pageWhen),
    maxLength: field.maxLength ?? (field.type === 'textarea' ? LIMITS.textareaLength : LIMITS.textLength),
    pattern,
    options: field.options ? new Set(field.options.map((o) => o.value)) : undefined,
    maxFiles: field.maxFiles ?? 1,
    named: (field.validators ?? []).map((name) => rules.NAMED_VALIDATORS[name]),
    items,
  };
}

const compiledForms = new WeakMap<FormDefinition, CompiledForm>();

/** Compiles patterns and option sets once per definition object (treat definitions as immutable). */
function compile(def: FormDefinition): CompiledForm {
  const cached = compiledForms.get(def);
  if (cached) return cached;
  const pages = pagesByField(def);
  const fields = def.fields.map((field) => compileField(def, field, pages.get(field.name)?.when));
  const compiled: CompiledForm = { fields, byName: new Map(fields.map((cf) => [cf.field.name, cf])) };
  compiledForms.set(def, compiled);
  return compiled;
}

interface Context {
  readonly submit: boolean;
  readonly uploads: Readonly<Record<string, UploadInfo>> | undefined;
  readonly today: string;
  /** How many unknown keys were reported (all levels together, capped). */
  unknown: number;
}

const issue = (field: string, code: IssueCode, params?: IssueParams): ValidationIssue =>
  params === undefined ? { field, code } : { field, code, params };

/** The first rule the answer breaks, or null. The answer is of the right type and not empty. */
function firstIssue(cf: CompiledField, value: FieldValue, ctx: Context): ValidationIssue | null {
  const { field } = cf;
  const name = field.name;
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'email':
    case 'tel': {
      const s = value as string;
      // Length first: an over-long answer gets no regular-expression work.
      if (rules.maxLength.validate(s, cf.maxLength)) return issue(name, 'maxLength', { max: cf.maxLength });
      if (field.minLength !== undefined && rules.minLength.validate(s, field.minLength)) return issue(name, 'minLength', { min: field.minLength });
      if (field.type === 'email' && rules.email.validate(s)) return issue(name, 'email');
      if (field.type === 'tel' && rules.tel.validate(s)) return issue(name, 'tel');
      if (cf.pattern && rules.pattern.validate(s, cf.pattern)) return issue(name, 'pattern');
      for (const named of cf.named) if (named.validate(s)) return issue(name, named.code);
      return null;
    }
    case 'date': {
      const s = value as string;
      if (rules.date.validate(s)) return issue(name, 'date');
      const lo = typeof field.min === 'string' ? rules.resolveDateBound(field.min, ctx.today) : null;
      if (lo !== null && rules.min.validate(s, lo)) return issue(name, 'min', { min: lo });
      const hi = typeof field.max === 'string' ? rules.resolveDateBound(field.max, ctx.today) : null;
      if (hi !== null && rules.max.validate(s, hi)) return issue(name, 'max', { max: hi });
      return null;
    }
    case 'number': {
      const n = value as number;
      if (typeof field.min === 'number' && rules.min.validate(n, field.min)) return issue(name, 'min', { min: field.min });
      if (typeof field.max === 'number' && rules.max.validate(n, field.max)) return issue(name, 'max', { max: field.max });
      return null;
    }
    case 'select':
    case 'radio':
      return cf.options && rules.option.validate(value as string, cf.options) ? issue(name, 'option') : null;
    case 'checkbox': {
      if (!cf.options) return null; // a boolean: `required` was checked already
      const chosen = value as readonly unknown[];
      // Longer than the option list cannot be right: refuse without walking it.
      if (chosen.length <= cf.options.size && !chosen.every((c) => typeof c === 'string')) return issue(name, 'type', { expected: 'strings' });
      return rules.option.validate(chosen as readonly string[], cf.options) ? issue(name, 'option') : null;
    }
    case 'file':
      return fileIssue(cf, value as readonly unknown[], ctx);
    case 'group':
      return null; // its items are checked by checkGroup
  }
}

function fileIssue(cf: CompiledField, ids: readonly unknown[], ctx: Context): ValidationIssue | null {
  const { field } = cf;
  const name = field.name;
  if (rules.maxFiles.validate(ids, cf.maxFiles)) return issue(name, 'maxFiles', { max: cf.maxFiles });
  const seen = new Set<string>();
  for (let index = 0; index < ids.length; index++) {
    const upload = ids[index];
    if (typeof upload !== 'string' || upload === '' || upload.length > LIMITS.uploadIdLength) return issue(name, 'type', { expected: 'strings', index });
    if (seen.has(upload)) return issue(name, 'duplicateUpload', { index, upload });
    seen.add(upload);
    if (!ctx.uploads) continue;
    if (!Object.hasOwn(ctx.uploads, upload)) return issue(name, 'unknownUpload', { index, upload });
    const info = ctx.uploads[upload]!;
    if (field.accept && rules.accept.validate(info.mediaType, field.accept)) {
      return issue(name, 'accept', { index, upload, accept: field.accept.join(', ') });
    }
    if (field.maxSize !== undefined && rules.maxSize.validate(info.size, field.maxSize)) {
      return issue(name, 'maxSize', { index, upload, max: field.maxSize });
    }
  }
  if (ctx.submit && field.minFiles !== undefined && rules.minFiles.validate(ids, field.minFiles)) {
    return issue(name, 'minFiles', { min: field.minFiles });
  }
  return null;
}

/**
 * Validates application data against a definition.
 *
 * - `data` is whatever arrived (parsed JSON): it must be an object of answers by field name.
 * - Keys that name no field → `unknownField` (at most LIMITS.unknownFieldIssues of them).
 * - Fields hidden by `when` are ignored and their answers dropped from the cleaned data.
 * - Wrong JSON type → `type`; then `required`; then the field's rules, first failure only.
 * - Files: `options.uploads` resolves upload ids to their size and media type.
 *
 * Work is bounded by the definition: strings are length-checked before any pattern,
 * arrays longer than allowed are refused without being walked, unknown keys are only
 * counted up to the cap, nested values are never descended into.
 */
export function validateApplication(def: FormDefinition, data: unknown, options: ValidateOptions = {}): ValidationResult {
  if (!isRecord(data)) return { ok: false, issues: [issue('', 'type', { expected: 'object' })], data: {} };
  const form = compile(def);
  const ctx: Context = {
    submit: (options.mode ?? 'submit') === 'submit',
    uploads: options.uploads,
    today: options.today ?? rules.todayIn(),
    unknown: 0,
  };
  const { issues, cleaned } = checkLevel(form.fields, form.byName, data, ctx, { answers: () => undefined, valid: () => undefined }, (name) => name);
  return { ok: issues.length === 0, issues, data: cleaned };
}

/** What a level of answers (the form, or one item of a group) can look at outside itself. */
interface Outside {
  /** The answers conditions see (visible, of the right type). */
  readonly answers: Answers;
  /** The answers that passed their rules, and the path of their field (for a JMBG cross-check). */
  readonly valid: (name: string) => { readonly value: FieldValue; readonly path: string } | undefined;
}

/**
 * Checks one level of answers: the form's, or one item's. Every field in order; groups once the
 * plain answers are known (an item's cross-check may look at a top-level JMBG); JMBG
 * cross-checks last (the JMBG may come after the date of birth). Issues come out in the
 * fields' order, at most one per field (per item field for groups), then unknown keys.
 */
function checkLevel(
  fields: readonly CompiledField[],
  byName: ReadonlyMap<string, CompiledField>,
  data: Readonly<Record<string, unknown>>,
  ctx: Context,
  outside: Outside,
  at: (name: string) => string,
): { issues: ValidationIssue[]; cleaned: ApplicationData } {
  const walked = walkForm(fields, data, outside.answers);
  const found: (readonly ValidationIssue[] | undefined)[] = [];
  const cleaned: ApplicationData = {};
  const here = (name: string, value: FieldValue) => ({ value, path: at(name) });
  const valid: Outside['valid'] = (name) => (byName.has(name) ? (Object.hasOwn(cleaned, name) ? here(name, cleaned[name]!) : undefined) : outside.valid(name));
  const at0 = (i: ValidationIssue): ValidationIssue => ({ ...i, field: at(i.field) });

  walked.fields.forEach(({ cf, visible, normalized }, i) => {
    if (!visible || cf.field.type === 'group') return;
    const name = cf.field.name;
    if (normalized.state === 'type') {
      found[i] = [issue(at(name), 'type', { expected: cf.kind })];
      return;
    }
    const value = normalized.state === 'value' ? normalized.value : undefined;
    if (ctx.submit && rules.required.validate(value, cf.field.required === true)) {
      found[i] = [issue(at(name), 'required')];
      return;
    }
    if (value === undefined) return;
    const first = firstIssue(cf, value, ctx);
    if (first) found[i] = [at0(first)];
    else cleaned[name] = Array.isArray(value) ? [...(value as readonly string[])] : value;
  });

  walked.fields.forEach(({ cf, visible, normalized }, i) => {
    if (!visible || cf.field.type !== 'group') return;
    const name = cf.field.name;
    if (normalized.state === 'type') {
      found[i] = [issue(at(name), 'type', { expected: 'items' })];
      return;
    }
    const items = normalized.state === 'value' ? (normalized.value as readonly unknown[]) : [];
    const result = checkGroup(cf, items, ctx, { answers: walked.answers, valid }, at(name));
    if (result.issues.length) found[i] = result.issues;
    if (result.items.length) cleaned[name] = result.items;
  });

  walked.fields.forEach(({ cf, visible }, i) => {
    const name = cf.field.name;
    const other = cf.field.matchesJmbg;
    if (!visible || other === undefined || !Object.hasOwn(cleaned, name)) return;
    const jmbg = valid(other);
    if (!jmbg || typeof jmbg.value !== 'string') return; // no valid JMBG: nothing to compare with (its own field says why)
    const value = cleaned[name] as string;
    const check = cf.field.type === 'date' ? checkBirthDateAgainstJmbg(value, jmbg.value) : checkSexAgainstJmbg(value, jmbg.value);
    if (!check.ok && check.reason === 'mismatch') {
      found[i] = [issue(at(name), 'matchesJmbg', { jmbgField: jmbg.path, expected: check.expected })];
      delete cleaned[name];
    }
  });

  const issues = found.flatMap((f) => f ?? []);
  for (const key in data) {
    if (!Object.hasOwn(data, key) || byName.has(key)) continue;
    if (ctx.unknown++ >= LIMITS.unknownFieldIssues) break;
    const path = at(key);
    const echo = path.length > LIMITS.unknownKeyEcho ? `${path.slice(0, LIMITS.unknownKeyEcho)}…` : path;
    issues.push(issue(echo, 'unknownField'));
  }
  return { issues, cleaned };
}

/**
 * A repeating group's items: how many (at most maxItems, refused without walking more; at least
 * minItems on submitting), then each item as a level of its own, its issues at item paths.
 */
function checkGroup(cf: CompiledField, items: readonly unknown[], ctx: Context, outside: Outside, path: string): { issues: ValidationIssue[]; items: ApplicationData[] } {
  const { field } = cf;
  const max = groupMaxItems(field);
  if (items.length > max) return { issues: [issue(path, 'maxItems', { max })], items: [] };
  const issues: ValidationIssue[] = [];
  const min = groupMinItems(field);
  if (ctx.submit && items.length < min) {
    issues.push(issue(path, items.length === 0 && field.required === true ? 'required' : 'minItems', { min }));
  }
  const cleaned: ApplicationData[] = [];
  const itemFields = cf.items ?? [];
  const itemNames = new Map(itemFields.map((f) => [f.field.name, f]));
  items.forEach((item, index) => {
    if (!isRecord(item)) {
      issues.push(issue(`${path}[${index}]`, 'type', { expected: 'object' }));
      return;
    }
    const level = checkLevel(itemFields, itemNames, item, ctx, outside, (name) => itemPath(field.name, index, name));
    issues.push(...level.issues);
    cleaned.push(level.cleaned);
  });
  return { issues, items: cleaned };
}
