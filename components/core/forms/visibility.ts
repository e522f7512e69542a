/**
 * Which fields of a form are shown for some answers (their `when` conditions), exactly as the
 * validator (validate.ts) decides it: one pass over the fields in order, each answer checked
 * for its JSON type, trimmed and emptied the same way. Apart from the rules, so that a page
 * can draw a form (and its conditional questions) before the validator and its messages load.
 */
import { groupMaxItems, valueKind, type ApplicationData, type Condition, type FieldValue, type FormDefinition, type FormField, type FormPage, type ValueKind, type When } from './definition.ts';

/** What the conditions need to know of a field: its answer's kind, whether text is trimmed, how many items a list answer may have. */
export interface FieldShape {
  readonly field: FormField;
  readonly kind: ValueKind;
  readonly trim: boolean;
  /** The most items a valid array answer can have (multi-choice: the options; files: maxFiles; groups: maxItems). */
  readonly maxItems: number;
  /** The `when` of the field's page (forms with pages): the field is shown only when that holds too. */
  readonly pageWhen?: When;
  /** group: the shapes of one item's fields. */
  readonly items?: readonly FieldShape[];
}

const TRIMMED = new Set<FormField['type']>(['text', 'textarea', 'email', 'tel', 'date']);

export function shapeOf(field: FormField, pageWhen?: When): FieldShape {
  const shape: FieldShape = {
    field,
    kind: valueKind(field),
    trim: TRIMMED.has(field.type),
    maxItems: field.type === 'file' ? field.maxFiles ?? 1 : field.type === 'group' ? groupMaxItems(field) : field.options?.length ?? 0,
    ...(field.type === 'group' ? { items: (field.fields ?? []).map((f) => shapeOf(f)) } : {}),
  };
  return pageWhen === undefined ? shape : { ...shape, pageWhen };
}

/** The page each top-level field is on, by name (empty without pages). */
export function pagesByField(def: FormDefinition): ReadonlyMap<string, FormPage> {
  const byField = new Map<string, FormPage>();
  for (const page of def.pages ?? []) for (const name of page.fields) if (!byField.has(name)) byField.set(name, page);
  return byField;
}

const shapes = new WeakMap<FormDefinition, readonly FieldShape[]>();

/** The shapes of a definition's fields, made once per definition object (treat definitions as immutable). */
export function shapesOf(def: FormDefinition): readonly FieldShape[] {
  let found = shapes.get(def);
  if (!found) {
    const pages = pagesByField(def);
    shapes.set(def, (found = def.fields.map((f) => shapeOf(f, pages.get(f.name)?.when))));
  }
  return found;
}

export type Normalized = { readonly state: 'absent' } | { readonly state: 'type' } | { readonly state: 'value'; readonly value: FieldValue };

const ABSENT: Normalized = { state: 'absent' };
const WRONG_TYPE: Normalized = { state: 'type' };

/** A UTF-16 surrogate without its pair: not text, and RFC 8785 refuses to canonicalize it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Checks the JSON type, trims strings and maps empty answers to absent. Never walks into arrays. */
export function normalize(cf: FieldShape, raw: unknown): Normalized {
  if (raw === undefined || raw === null) return ABSENT;
  switch (cf.kind) {
    case 'string': {
      if (typeof raw !== 'string' || LONE_SURROGATE.test(raw)) return WRONG_TYPE;
      const value = cf.trim ? raw.trim() : raw;
      return value === '' ? ABSENT : { state: 'value', value };
    }
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw) ? { state: 'value', value: raw } : WRONG_TYPE;
    case 'boolean':
      return typeof raw === 'boolean' ? { state: 'value', value: raw } : WRONG_TYPE;
    case 'strings':
      if (!Array.isArray(raw)) return WRONG_TYPE;
      return raw.length === 0 ? ABSENT : { state: 'value', value: raw as readonly string[] };
    case 'items':
      // The items themselves are looked at by the validator (each must be an object of answers).
      if (!Array.isArray(raw)) return WRONG_TYPE;
      return raw.length === 0 ? ABSENT : { state: 'value', value: raw as readonly ApplicationData[] };
  }
}

/** The answers conditions look at: a name's answer, if it has one. */
export type Answers = (name: string) => FieldValue | undefined;

const NO_ANSWERS: Answers = () => undefined;

function holds(condition: Condition, answers: Answers): boolean {
  const answer = answers(condition.field);
  if ('filled' in condition) return (answer !== undefined && answer !== false) === condition.filled;
  if (answer === undefined) return false;
  const wanted: readonly unknown[] = 'in' in condition ? condition.in : [condition.equals];
  if (Array.isArray(answer)) return (answer as readonly unknown[]).some((a) => wanted.includes(a));
  return wanted.includes(answer);
}

function isShown(when: When | undefined, answers: Answers): boolean {
  if (when === undefined) return true;
  if (Array.isArray(when)) return (when as readonly Condition[]).every((c) => holds(c, answers));
  return holds(when as Condition, answers);
}

export function isRecord(data: unknown): data is Readonly<Record<string, unknown>> {
  return typeof data === 'object' && data !== null && !Array.isArray(data);
}

export interface Walked<S extends FieldShape = FieldShape> {
  readonly cf: S;
  readonly visible: boolean;
  readonly normalized: Normalized;
}

/** The fields walked, and the answers of the visible ones (what the conditions of a group's items look at besides their own). */
export interface WalkedForm<S extends FieldShape = FieldShape> {
  readonly fields: Walked<S>[];
  readonly answers: Answers;
}

/**
 * One pass over the fields in order. A field's `when` (and its page's) sees the answers of the
 * earlier visible fields (of the right type), so hiding cascades: a field that depends on a
 * hidden one sees no answer. `outer`: the answers outside (for the fields of a group's item,
 * the top-level answers), looked at for names this level does not have.
 */
export function walkForm<S extends FieldShape>(fields: readonly S[], data: Readonly<Record<string, unknown>>, outer: Answers = NO_ANSWERS): WalkedForm<S> {
  const own = new Map<string, FieldValue>();
  const names = new Set(fields.map((cf) => cf.field.name));
  const answers: Answers = (name) => (names.has(name) ? own.get(name) : outer(name));
  const walked = fields.map((cf) => {
    const name = cf.field.name;
    const normalized = normalize(cf, Object.hasOwn(data, name) ? data[name] : undefined);
    const visible = isShown(cf.pageWhen, answers) && isShown(cf.field.when, answers);
    // An over-long array (refused anyway) is no answer for conditions, so it is never walked.
    if (visible && normalized.state === 'value' && !(Array.isArray(normalized.value) && normalized.value.length > cf.maxItems)) {
      own.set(name, normalized.value);
    }
    return { cf, visible, normalized };
  });
  return { fields: walked, answers };
}

/** walkForm's fields alone. */
export function walk<S extends FieldShape>(fields: readonly S[], data: Readonly<Record<string, unknown>>, outer?: Answers): Walked<S>[] {
  return walkForm(fields, data, outer).fields;
}

/** The fields shown for these answers, in order (for the element: what to render and what to check). */
export function visibleFields(def: FormDefinition, data: unknown): FormField[] {
  return walk(shapesOf(def), isRecord(data) ? data : {})
    .filter((w) => w.visible)
    .map((w) => w.cf.field);
}
