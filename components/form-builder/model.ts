/**
 * The builder's edits as pure functions over a definition (no DOM): set a value at a JSON
 * path, insert, move and remove array items, change a field's type, split and join a
 * LocalizedText, import and export the JSON, and say where on screen a problem belongs. The
 * element keeps one immutable definition and replaces it through these, so undo, export and
 * the preview always see one consistent object.
 */
import { APPLIES_TO, checkDefinition, type DefinitionProblem } from '../core/forms/check.ts';
import { FIELD_TYPES, type Condition, type FormDefinition, type LocalizedText, type When } from '../core/forms/definition.ts';
import { latinToCyrillic, cyrillicToLatin } from '../core/transliterate.ts';
import type { BuilderDefinition, BuilderField, BuilderFieldType } from './contract-types.ts';

/** A path into the definition: object keys and array indexes. */
export type Path = readonly (string | number)[];

type Json = unknown;

/** The JSON pointer of `path` (`['fields', 0, 'name']` → `/fields/0/name`). */
export function pointer(path: Path): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The value at `path`, or undefined. */
export function getIn(root: Json, path: Path): Json {
  let at: Json = root;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, Json>)[key];
  }
  return at;
}

/**
 * A copy of `root` with `value` at `path` (objects and arrays on the way copied, the rest
 * shared). `undefined` removes an object key: an optional part left empty is absent from the
 * JSON rather than `""`. Existing keys keep their place, so an export diffs cleanly.
 */
export function setIn<T>(root: T, path: Path, value: Json): T {
  if (path.length === 0) return value as T;
  const [key, ...rest] = path;
  const base = (root ?? (typeof key === 'number' ? [] : {})) as Record<string | number, Json> | Json[];
  const next = setIn((base as Record<string | number, Json>)[key!], rest, value);
  if (Array.isArray(base)) {
    const copy = base.slice();
    copy[key as number] = next;
    return copy as T;
  }
  const copy: Record<string, Json> = { ...(base as Record<string, Json>) };
  if (next === undefined) delete copy[key!];
  else copy[key!] = next;
  return copy as T;
}

function arrayAt(root: Json, path: Path): Json[] {
  const a = getIn(root, path);
  return Array.isArray(a) ? a : [];
}

/** Inserts `item` at `index` (at the end when absent) of the array at `path`. */
export function insertIn<T>(root: T, path: Path, item: Json, index?: number): T {
  const a = arrayAt(root, path).slice();
  a.splice(index ?? a.length, 0, item);
  return setIn(root, path, a);
}

/** Removes item `index` of the array at `path`; an array left empty is removed when `dropEmpty`. */
export function removeIn<T>(root: T, path: Path, index: number, dropEmpty = false): T {
  const a = arrayAt(root, path).slice();
  a.splice(index, 1);
  return setIn(root, path, dropEmpty && a.length === 0 ? undefined : a);
}

/** Moves item `from` of the array at `path` to `to`. */
export function moveIn<T>(root: T, path: Path, from: number, to: number): T {
  const a = arrayAt(root, path).slice();
  if (to < 0 || to >= a.length) return root;
  const [item] = a.splice(from, 1);
  a.splice(to, 0, item);
  return setIn(root, path, a);
}

// ------------------------------------------------------------------ fields

/** Every field type the builder offers: core's, the repeating group included. */
export const BUILDER_FIELD_TYPES: readonly BuilderFieldType[] = FIELD_TYPES;

/** Which keys go with which field types: core's rule (checkDefinition refuses the others). */
const TYPE_KEYS: Partial<Record<string, readonly BuilderFieldType[]>> = APPLIES_TO;

/** Whether `key` applies to a field of `type`. */
export function appliesTo(key: string, type: BuilderFieldType): boolean {
  const types = TYPE_KEYS[key];
  return types === undefined || types.includes(type);
}

/** `field` as another type: the keys that do not apply to the new type are dropped (min/max change meaning between number and date). */
export function changeType(field: BuilderField, type: BuilderFieldType): BuilderField {
  const next: Record<string, Json> = {};
  for (const [key, value] of Object.entries(field)) {
    if (key === 'type') next.type = type;
    else if (appliesTo(key, type) && !((key === 'min' || key === 'max') && field.type !== type)) next[key] = value;
  }
  if ((type === 'select' || type === 'radio') && !next.options) next.options = [{ value: 'option1', label: '' }];
  if (type === 'group' && !next.fields) next.fields = [];
  // A message for a rule the new type does not have would be refused by checkDefinition.
  if (next.messages) delete next.messages;
  return next as unknown as BuilderField;
}

/** A name like `field3` that no field in `taken` has. */
export function freshName(taken: readonly BuilderField[], stem = 'field'): string {
  const names = new Set(taken.map((f) => f.name));
  for (let i = taken.length + 1; ; i++) if (!names.has(`${stem}${i}`)) return `${stem}${i}`;
}

export function newField(taken: readonly BuilderField[], type: BuilderFieldType = 'text'): BuilderField {
  return changeType({ name: freshName(taken), type: 'text', label: '' }, type);
}

/** An empty form of `agencyId` that checkDefinition accepts except for what only a person can write (the labels). */
export function emptyDefinition(agencyId: string): BuilderDefinition {
  return {
    id: 'new-form',
    version: 1,
    agencyId,
    title: '',
    fields: [],
    signature: { required: false },
    approvalLine: [{ id: 'approve', kind: 'approve', assignee: { role: 'head' } }],
    document: { template: 'new-form', title: '' },
  };
}

/** A condition list with `from` renamed `to`. */
function renameIn(when: When | undefined, from: string, to: string): When | undefined {
  if (when === undefined) return undefined;
  const one = (c: Condition): Condition => (c.field === from ? { ...c, field: to } : c);
  return Array.isArray(when) ? when.map(one) : one(when as Condition);
}

/**
 * The field at `fieldPath` renamed `to`, with what names it following: conditions (of the
 * form's questions, of a group's questions, of pages), pages, the document's facts and code
 * check, JMBG cross-checks. A group's question is renamed within its group only. When another
 * question already has the name (a name half typed), only the field changes: two questions
 * would otherwise merge their references.
 */
export function renameField(def: BuilderDefinition, fieldPath: Path, to: string): BuilderDefinition {
  const field = getIn(def, fieldPath) as BuilderField | undefined;
  const renamed = setIn(def, [...fieldPath, 'name'], to);
  if (!field || field.name === to || field.name === '') return renamed;
  const from = field.name;
  const nested = fieldPath.length > 2;
  const siblings = (nested ? (getIn(def, fieldPath.slice(0, -1)) as BuilderField[]) : def.fields).filter((f) => f !== field);
  if (siblings.some((f) => f.name === to || f.name === from)) return renamed;
  const fixField = (f: BuilderField): BuilderField => {
    let next: BuilderField = f;
    const when = renameIn(f.when, from, to);
    if (when !== f.when) next = { ...next, when: when! };
    if (f.matchesJmbg === from) next = { ...next, matchesJmbg: to };
    return next;
  };
  if (nested) {
    const groupPath = fieldPath.slice(0, -2);
    const group = getIn(renamed, groupPath) as BuilderField;
    return setIn(renamed, [...groupPath, 'fields'], (group.fields ?? []).map(fixField));
  }
  const top = renamed.fields.map((f) => {
    const fixed = fixField(f);
    // A group's questions may name top-level ones too (unless one of the group's own has that name).
    if (fixed.type !== 'group' || fixed.fields?.some((s) => s.name === from)) return fixed;
    return { ...fixed, fields: fixed.fields?.map(fixField) };
  });
  const facts = renamed.document.facts?.map((n) => (n === from ? to : n));
  const codeCheck = renamed.document.codeCheck;
  const swap = (names: readonly string[] | undefined) => names?.map((n) => (n === from ? to : n));
  return {
    ...renamed,
    fields: top,
    ...(renamed.pages ? { pages: renamed.pages.map((p) => ({ ...p, fields: p.fields.map((n) => (n === from ? to : n)), ...(p.when ? { when: renameIn(p.when, from, to)! } : {}) })) } : {}),
    document: {
      ...renamed.document,
      ...(facts ? { facts } : {}),
      ...(codeCheck ? { codeCheck: { ...codeCheck, ...(codeCheck.holder ? { holder: swap(codeCheck.holder)! } : {}), ...(codeCheck.subject ? { subject: swap(codeCheck.subject)! } : {}) } } : {}),
    },
  };
}

// ------------------------------------------------------------------ pages follow the questions

/**
 * `def` with each page's questions in the order of `fields`, as core requires (checkDefinition:
 * "pages take the fields in the order of fields"): after a question moved, its page lists it
 * where it now stands. A move across a page boundary is not undone here; core's error says so
 * at that page's questions.
 */
export function orderPages(def: BuilderDefinition): BuilderDefinition {
  if (!def.pages) return def;
  const index = new Map(def.fields.map((f, i) => [f.name, i]));
  const at = (n: string) => index.get(n) ?? Number.MAX_SAFE_INTEGER;
  return { ...def, pages: def.pages.map((p) => ({ ...p, fields: [...p.fields].sort((a, b) => at(a) - at(b)) })) };
}

/**
 * `def` with the new question at `fields[index]` on a page: the page of the question before it
 * (the first page for a first question), so that with pages every question stays on exactly one.
 */
export function placeNewField(def: BuilderDefinition, index: number): BuilderDefinition {
  const pages = def.pages;
  const field = def.fields[index];
  if (!pages || pages.length === 0 || !field) return def;
  let page = 0;
  for (let i = index - 1; i >= 0; i--) {
    const name = def.fields[i]!.name;
    const p = pages.findIndex((q) => q.fields.includes(name));
    if (p >= 0) {
      page = p;
      break;
    }
  }
  return orderPages(setIn(def, ['pages', page, 'fields'], [...pages[page]!.fields, field.name]));
}

/** `def` with `name` on no page (its question was removed). */
export function dropFromPages(def: BuilderDefinition, name: string): BuilderDefinition {
  if (!def.pages) return def;
  return { ...def, pages: def.pages.map((p) => (p.fields.includes(name) ? { ...p, fields: p.fields.filter((n) => n !== name) } : p)) };
}

// ------------------------------------------------------------------ localized text

export type SerbianScript = 'sr-Latn' | 'sr-Cyrl';

/** A LocalizedText as the editor shows it: Serbian in the script it was written in, the other script if written explicitly, English. */
export interface TextParts {
  readonly written: SerbianScript;
  readonly sr: string;
  /** The other script, when written explicitly (else it is transliterated). */
  readonly other: string | undefined;
  readonly en: string;
}

const CYRILLIC = /[\u0400-\u04FF]/;
const LATIN = /[A-Za-zčćžšđČĆŽŠĐ]/;

export const otherScript = (s: SerbianScript): SerbianScript => (s === 'sr-Latn' ? 'sr-Cyrl' : 'sr-Latn');

export function transliterateTo(text: string, script: SerbianScript): string {
  return script === 'sr-Cyrl' ? latinToCyrillic(text) : cyrillicToLatin(text);
}

/** Splits `text` for editing; `preferred` is the script the agency writes in when nothing says otherwise. */
export function splitText(text: LocalizedText | undefined, preferred: SerbianScript): TextParts {
  if (text === undefined) return { written: preferred, sr: '', other: undefined, en: '' };
  // A plain string is in whichever script it is written in; with no letters yet, in the agency's.
  if (typeof text === 'string') return { written: CYRILLIC.test(text) ? 'sr-Cyrl' : LATIN.test(text) ? 'sr-Latn' : preferred, sr: text, other: undefined, en: '' };
  const latin = text['sr-Latn'];
  const cyr = text['sr-Cyrl'];
  const en = text.en ?? '';
  if (latin !== undefined && cyr !== undefined) {
    return preferred === 'sr-Cyrl' ? { written: 'sr-Cyrl', sr: cyr, other: latin, en } : { written: 'sr-Latn', sr: latin, other: cyr, en };
  }
  if (cyr !== undefined) return { written: 'sr-Cyrl', sr: cyr, other: undefined, en };
  return { written: 'sr-Latn', sr: latin ?? '', other: undefined, en };
}

/**
 * The LocalizedText of `parts`: a plain string when only Serbian is written (the other script
 * comes by transliteration, English readers get Latin), an object as soon as English or the
 * other script is written explicitly; undefined when nothing is written.
 */
export function joinText(parts: TextParts): LocalizedText | undefined {
  const sr = parts.sr;
  const en = parts.en.trim() === '' ? undefined : parts.en;
  if (parts.other === undefined && en === undefined) return sr === '' ? undefined : sr;
  const out: { 'sr-Latn'?: string; 'sr-Cyrl'?: string; en?: string } = {};
  if (sr !== '' || parts.other === undefined) out[parts.written] = sr;
  if (parts.other !== undefined) out[otherScript(parts.written)] = parts.other;
  if (en !== undefined) out.en = en;
  return out;
}

// ------------------------------------------------------------------ import / export

/** The JSON a person downloads: the definition, two-space indented, as a file an agency keeps. */
export function exportJson(def: BuilderDefinition): string {
  return `${JSON.stringify(def, null, 2)}\n`;
}

export type ImportResult = { readonly ok: true; readonly definition: BuilderDefinition } | { readonly ok: false; readonly code: 'json' | 'shape'; readonly detail: string };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads a definition from JSON: enough of its shape to edit it (the checks that follow say
 * what else is wrong). Keys the builder has no editor for are kept as they are.
 */
export function importJson(text: string): ImportResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, code: 'json', detail: (e as Error).message };
  }
  if (!isObject(value)) return { ok: false, code: 'shape', detail: 'not an object' };
  for (const key of ['id', 'agencyId'] as const) if (typeof value[key] !== 'string') return { ok: false, code: 'shape', detail: `"${key}" is not a string` };
  if (!Array.isArray(value.fields) || !value.fields.every((f) => isObject(f) && typeof f.name === 'string' && typeof f.type === 'string')) {
    return { ok: false, code: 'shape', detail: '"fields" is not a list of fields' };
  }
  if (!Array.isArray(value.approvalLine) || !value.approvalLine.every((s) => isObject(s) && isObject(s.assignee))) {
    return { ok: false, code: 'shape', detail: '"approvalLine" is not a list of steps' };
  }
  if (!isObject(value.document)) return { ok: false, code: 'shape', detail: '"document" is missing' };
  if (!isObject(value.signature)) return { ok: false, code: 'shape', detail: '"signature" is missing' };
  if (value.distribution !== undefined && !(isObject(value.distribution) && Array.isArray(value.distribution.agencies))) {
    return { ok: false, code: 'shape', detail: '"distribution" has no "agencies" list' };
  }
  if (value.pages !== undefined && !(Array.isArray(value.pages) && value.pages.every((p) => isObject(p) && Array.isArray(p.fields)))) {
    return { ok: false, code: 'shape', detail: '"pages" is not a list of pages' };
  }
  if (typeof value.version !== 'number') value = { ...value, version: 1 };
  return { ok: true, definition: value as unknown as BuilderDefinition };
}

// ------------------------------------------------------------------ problems

/** A problem as the builder shows it: where (JSON pointer), and either a builder message code or core's rule. */
export interface BuilderProblem {
  readonly path: string;
  /** A builder check (`builder.check.<code>` in the messages). */
  readonly code?: string;
  /** checkDefinition's rule (`builder.definition.<rule>` in the messages), with the values its words name. */
  readonly rule?: string;
  readonly params?: Readonly<Record<string, string | number>>;
  /** checkDefinition's message (English, as core words it): shown when the builder has no words for the rule. */
  readonly message?: string;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Serbian written in neither script. */
function noSerbian(text: LocalizedText | undefined): boolean {
  if (text === undefined) return true;
  if (typeof text === 'string') return text.trim() === '';
  return !(text['sr-Latn']?.trim() || text['sr-Cyrl']?.trim());
}

/**
 * What the JSON Schema says (the server checks it before checkDefinition) that a person
 * building a form can get wrong: names and slugs, labels, empty lists. The rest is core's.
 */
function shapeProblems(def: BuilderDefinition): BuilderProblem[] {
  const out: BuilderProblem[] = [];
  const add = (path: string, code: string) => out.push({ path, code });
  if (!SLUG.test(def.id)) add('/id', 'slug');
  if (!SLUG.test(def.agencyId)) add('/agencyId', 'slug');
  if (noSerbian(def.title)) add('/title', 'text');
  if (def.fields.length === 0) add('/fields', 'noFields');
  const fieldShape = (f: BuilderField, at: string, nested: boolean) => {
    if (!FIELD_NAME.test(f.name)) add(`${at}/name`, 'name');
    if (noSerbian(f.label)) add(`${at}/label`, 'text');
    f.options?.forEach((o, j) => {
      if (o.value.trim() === '') add(`${at}/options/${j}/value`, 'value');
      if (noSerbian(o.label)) add(`${at}/options/${j}/label`, 'text');
    });
    if (f.options?.length === 0) add(`${at}/options`, 'noOptions');
    if (f.type === 'group') {
      if (nested) add(`${at}/type`, 'nestedGroup');
      if (!f.fields?.length) add(`${at}/fields`, 'noFields');
      const seen = new Set<string>();
      f.fields?.forEach((sub, k) => {
        fieldShape(sub, `${at}/fields/${k}`, true);
        if (seen.has(sub.name)) add(`${at}/fields/${k}/name`, 'duplicate');
        seen.add(sub.name);
      });
    }
  };
  def.fields.forEach((f, i) => fieldShape(f, `/fields/${i}`, false));
  if (def.approvalLine.length === 0) add('/approvalLine', 'noSteps');
  def.approvalLine.forEach((s, i) => {
    if (!SLUG.test(s.id)) add(`/approvalLine/${i}/id`, 'slug');
    if ('role' in s.assignee && s.assignee.role.trim() === '') add(`/approvalLine/${i}/assignee`, 'role');
  });
  if (!SLUG.test(def.document.template)) add('/document/template', 'slug');
  if (noSerbian(def.document.title)) add('/document/title', 'text');
  def.distribution?.agencies.forEach((a, i) => {
    if (!SLUG.test(a)) add(`/distribution/agencies/${i}`, 'slug');
  });
  def.pages?.forEach((p, i) => {
    if (!SLUG.test(p.id)) add(`/pages/${i}/id`, 'slug');
    if (noSerbian(p.title)) add(`/pages/${i}/title`, 'text');
  });
  if (def.fee) {
    if (!(def.fee.amount > 0)) add('/fee/amount', 'amount');
    if (def.fee.payee.name.trim() === '') add('/fee/payee/name', 'required');
    if (!/^(\d{18}|\d{3}-\d{1,13}-\d{2})$/.test(def.fee.payee.account)) add('/fee/payee/account', 'account');
    if (!/^\d{3}$/.test(def.fee.paymentCode)) add('/fee/paymentCode', 'paymentCode');
    if (noSerbian(def.fee.purpose)) add('/fee/purpose', 'text');
  }
  if (def.deadline && !(Number.isInteger(def.deadline.days) && def.deadline.days > 0)) add('/deadline/days', 'days');
  return out;
}

/**
 * Everything wrong with `def`: the builder's shape checks, then core's checkDefinition (the
 * same function the server runs), which assumes the shape, so it runs only once the shape holds
 * for the parts it reads.
 */
export function findProblems(def: BuilderDefinition): BuilderProblem[] {
  const shape = shapeProblems(def);
  let core: DefinitionProblem[] = [];
  try {
    core = checkDefinition(def);
  } catch {
    // A half-built shape core cannot read: the shape problems say what to fix first.
  }
  const taken = new Set(shape.map((p) => p.path));
  return [...shape, ...core.filter((p) => !taken.has(p.path)).map((p) => ({ path: p.path, rule: p.code, params: p.params, message: p.message }))];
}

/** The LocalizedText keys of a field and of a definition: a problem inside one belongs to the whole text's editor. */
const TEXT_KEYS = new Set(['label', 'hint', 'patternMessage', 'itemLabel', 'title', 'description', 'purpose', 'place', 'introduction', 'dispositive', 'statement', 'reasoning', 'legalRemedy', 'closing']);

/**
 * The editor control a problem at `path` belongs to (its element id is that pointer): the
 * nearest part the builder renders. Conditions belong to their whole `when` editor, texts to
 * their text editor, document facts to their list.
 */
export function anchorFor(path: string): string {
  const segs = path.split('/').slice(1);
  const out: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    out.push(s);
    const parent = segs[i - 1];
    if (TEXT_KEYS.has(s) && parent !== 'payee') break;
    if (s === 'when' || s === 'facts' || s === 'codeCheck' || s === 'accept' || s === 'validators' || s === 'messages' || s === 'assignee') break;
    if (s === 'deadline') break;
    if (parent === 'pages' && segs[i + 1] === 'fields') {
      out.push('fields');
      break;
    }
  }
  return `/${out.join('/')}`;
}

// ------------------------------------------------------------------ preview

/**
 * The definition the live preview renders: the definition as it is (the form element renders
 * pages, repeating groups and prefill; the fee shows on the receipt, not in the form).
 */
export function previewDefinition(def: BuilderDefinition): FormDefinition {
  return def;
}
