/**
 * The rules of a form definition that its JSON Schema cannot express. Run after the
 * schema check (the schema guarantees the shape; this looks at meaning): the server runs
 * both at start-up and stops at the first definition with a problem.
 */
import { groupMaxItems, valueKind, type Condition, type DocumentSpec, type FieldType, type FormDefinition, type FormField, type LocalizedText, type MessageCode, type When } from './definition.ts';
import { checkDeadlineSpec, MAX_DEADLINE_DAYS } from '../deadlines.ts';
import { anchorPattern, isDateBound, resolveDateBound } from './validators.ts';
import { checkFee, type FeeProblemCode } from '../payments/fee.ts';

/**
 * The rules a definition can break, by stable code: tools and translations key on these (the
 * form builder words each in its own language from `params`); `message` is the English wording.
 * `schema` is the JSON Schema's (the server's check before this one), worded by the validator.
 */
export type DefinitionProblemCode =
  | 'schema'
  | 'field-duplicate-name' | 'key-not-applicable' | 'options-required' | 'pattern-message-without-pattern' | 'pattern-invalid'
  | 'option-duplicate-value' | 'prefill-in-group' | 'prefill-email-not-email-field' | 'prefill-name-on-email-field'
  | 'group-nested' | 'group-no-fields' | 'group-item-file' | 'group-min-items-above-max' | 'group-required-min-items-zero'
  | 'matches-jmbg-no-field' | 'matches-jmbg-no-field-in-item' | 'matches-jmbg-self' | 'matches-jmbg-not-jmbg' | 'matches-jmbg-sex-options'
  | 'page-duplicate-id' | 'page-no-such-field' | 'page-field-twice' | 'page-field-order' | 'page-condition-not-earlier' | 'field-on-no-page'
  | 'message-not-applicable'
  | 'bound-not-number' | 'min-above-max' | 'date-bound-invalid' | 'date-min-after-max' | 'min-length-above-max' | 'min-files-above-max'
  | 'condition-no-field' | 'condition-field-after' | 'condition-group' | 'condition-value-type' | 'condition-not-option' | 'condition-no-values'
  | 'step-duplicate-id' | 'step-parallel-not-agree' | 'step-parallel-alone' | 'step-delegation-not-approve' | 'step-approve-not-last'
  | 'line-no-approve' | 'line-many-approve'
  | 'deadline-invalid' | 'deadline-days' | 'deadline-kind'
  | 'distribution-own-agency' | 'distribution-duplicate'
  | 'document-part-needs-kind' | 'document-part-required' | 'document-part-forbidden'
  | 'placeholder-no-step' | 'placeholder-no-field' | 'placeholder-stray' | 'fact-no-field' | 'fact-duplicate'
  | 'code-check-no-field' | 'code-check-file' | 'code-check-jmbg' | 'code-check-group'
  | FeeProblemCode;

/** The values a problem's words name (field names, numbers, JSON pointers), by name. */
export type DefinitionProblemParams = Readonly<Record<string, string | number>>;

/**
 * One problem: a JSON pointer into the definition (as ajv's `instancePath`), the rule broken
 * (`code`, with the values its words name in `params`) and what is wrong in English (`message`:
 * the server's problem+json and the CLI).
 */
export interface DefinitionProblem {
  readonly path: string;
  readonly code: DefinitionProblemCode;
  readonly params: DefinitionProblemParams;
  readonly message: string;
}

type FieldKey = keyof FormField;

/** Which field types each type-specific key applies to (the builder drops the others when a field's type changes). */
export const APPLIES_TO: Partial<Record<FieldKey, readonly FieldType[]>> = {
  min: ['number', 'date'],
  max: ['number', 'date'],
  minLength: ['text', 'textarea', 'email', 'tel'],
  maxLength: ['text', 'textarea', 'email', 'tel'],
  pattern: ['text', 'textarea', 'email', 'tel'],
  patternMessage: ['text', 'textarea', 'email', 'tel'],
  validators: ['text'],
  options: ['select', 'radio', 'checkbox'],
  accept: ['file'],
  maxSize: ['file'],
  maxFiles: ['file'],
  minFiles: ['file'],
  fields: ['group'],
  minItems: ['group'],
  maxItems: ['group'],
  itemLabel: ['group'],
  prefill: ['text', 'email'],
  matchesJmbg: ['date', 'select', 'radio'],
};

// A reference date to compare two relative (or two absolute) date bounds.
const REFERENCE_DAY = '2001-01-01';

/** Checks what the schema cannot. Returns [] for a good definition. */
export function checkDefinition(def: FormDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const report: Report = (path, code, params, message) => problems.push({ path, code, params, message });
  checkFields(def.fields, '/fields', null, report);
  checkPages(def, report);
  checkApprovalLine(def, report);
  checkDistribution(def, report);
  checkDeadline(def, report);
  checkDocument(def, report);
  checkCodeCheck(def, report);
  // The fee: its rules live with the payment order they make (payments/fee.ts).
  if (def.fee) for (const p of checkFee(def.fee)) report(`/fee${p.path}`, p.code, p.params, p.message);
  return problems;
}

type Report = (path: string, code: DefinitionProblemCode, params: DefinitionProblemParams, message: string) => void;

/**
 * The fields of one level: the form's (`outer` null), or one item of a group (`outer`: the
 * top-level fields before the group, which the item's conditions and JMBG checks may name).
 */
function checkFields(fields: readonly FormField[], base: string, outer: readonly FormField[] | null, report: Report): void {
  const seen = new Map<string, number>();
  fields.forEach((field, i) => {
    const at = `${base}/${i}`;
    const first = seen.get(field.name);
    if (first !== undefined) report(`${at}/name`, 'field-duplicate-name', { name: field.name, first: `${base}/${first}` }, `duplicate field name "${field.name}" (first at ${base}/${first})`);
    else seen.set(field.name, i);

    for (const [key, types] of Object.entries(APPLIES_TO) as [FieldKey, readonly FieldType[]][]) {
      if (field[key] !== undefined && !types.includes(field.type)) {
        report(`${at}/${key}`, 'key-not-applicable', { key, type: field.type, types: types.join(', ') }, `"${key}" does not apply to a ${field.type} field (only ${types.join(', ')})`);
      }
    }
    if ((field.type === 'select' || field.type === 'radio') && !field.options) {
      report(at, 'options-required', { type: field.type }, `a ${field.type} field needs "options"`);
    }
    if (field.patternMessage !== undefined && field.pattern === undefined) {
      report(`${at}/patternMessage`, 'pattern-message-without-pattern', {}, '"patternMessage" without "pattern"');
    }
    checkMessages(field, at, report);
    checkBounds(field, at, report);
    if (field.pattern !== undefined) {
      try {
        anchorPattern(field.pattern);
      } catch (e) {
        report(`${at}/pattern`, 'pattern-invalid', { error: (e as Error).message }, `not a valid regular expression: ${(e as Error).message}`);
      }
    }
    if (field.options) {
      const values = new Map<string, number>();
      field.options.forEach((o, j) => {
        const dup = values.get(o.value);
        if (dup !== undefined) report(`${at}/options/${j}/value`, 'option-duplicate-value', { value: o.value, first: `${at}/options/${dup}` }, `duplicate option value "${o.value}" (first at ${at}/options/${dup})`);
        else values.set(o.value, j);
      });
    }
    if (field.when !== undefined) {
      forConditions(field.when, `${at}/when`, (c, path) => {
        // In an item: an earlier field of the item, else a top-level field before the group.
        const own = fields.slice(0, i).some((f) => f.name === c.field);
        if (outer && !own && !fields.some((f) => f.name === c.field)) checkCondition(outer, outer.length, c, path, report);
        else checkCondition(fields, i, c, path, report);
      });
    }
    if (field.type === 'group') checkGroup(field, at, fields.slice(0, i), outer, report);
    if (field.prefill !== undefined) {
      if (outer) report(`${at}/prefill`, 'prefill-in-group', {}, 'a field of a group is not prefilled (the profile is one person; items are others)');
      if (field.prefill === 'email' && field.type !== 'email') report(`${at}/prefill`, 'prefill-email-not-email-field', {}, 'an e-mail address prefills an email field');
      if (field.prefill !== 'email' && field.type === 'email') report(`${at}/prefill`, 'prefill-name-on-email-field', { prefill: field.prefill }, `"${field.prefill}" is a name: an email field is prefilled with "email"`);
    }
    if (field.matchesJmbg !== undefined) checkMatchesJmbg(field, at, fields, outer, report);
  });
}

function forConditions(when: When, at: string, each: (c: Condition, path: string) => void): void {
  if (Array.isArray(when)) (when as readonly Condition[]).forEach((c, j) => each(c, `${at}/${j}`));
  else each(when as Condition, at);
}

function checkGroup(field: FormField, at: string, before: readonly FormField[], outer: readonly FormField[] | null, report: Report): void {
  if (outer) {
    report(`${at}/type`, 'group-nested', {}, 'a group inside a group is not supported: give the item its own fields');
    return;
  }
  if (!field.fields || field.fields.length === 0) {
    report(at, 'group-no-fields', {}, 'a group needs "fields": the questions of one item');
    return;
  }
  field.fields.forEach((sub, j) => {
    if (sub.type === 'file') report(`${at}/fields/${j}/type`, 'group-item-file', {}, 'a group item takes no files: ask for them in a file field of the form');
  });
  checkFields(field.fields, `${at}/fields`, before, report);
  const max = groupMaxItems(field);
  if (field.minItems !== undefined && field.minItems > max) report(`${at}/minItems`, 'group-min-items-above-max', { min: field.minItems, max }, `minItems (${field.minItems}) is above maxItems (${max})`);
  if (field.required === true && field.minItems === 0) report(`${at}/minItems`, 'group-required-min-items-zero', {}, 'a required group needs at least one item: minItems 0 contradicts "required"');
}

/** matchesJmbg names a JMBG field (in the same item, or at the top level) and goes on a date of birth or a sex. */
function checkMatchesJmbg(field: FormField, at: string, fields: readonly FormField[], outer: readonly FormField[] | null, report: Report): void {
  const name = field.matchesJmbg!;
  const target = fields.find((f) => f.name === name) ?? outer?.find((f) => f.name === name);
  if (!target) report(`${at}/matchesJmbg`, outer ? 'matches-jmbg-no-field-in-item' : 'matches-jmbg-no-field', { name }, `no field named "${name}"${outer ? ' in the item or before the group' : ''}`);
  else if (target === field) report(`${at}/matchesJmbg`, 'matches-jmbg-self', {}, 'a field cannot be checked against itself');
  else if (target.type !== 'text' || !target.validators?.includes('jmbg')) report(`${at}/matchesJmbg`, 'matches-jmbg-not-jmbg', { name }, `"${name}" is not a JMBG field (a text field with the "jmbg" validator)`);
  if (field.type === 'select' || field.type === 'radio') {
    const values = new Set((field.options ?? []).map((o) => o.value));
    if (values.size !== 2 || !values.has('male') || !values.has('female')) {
      report(`${at}/matchesJmbg`, 'matches-jmbg-sex-options', { male: 'male', female: 'female' }, 'a sex checked against a JMBG has exactly the options "male" and "female"');
    }
  }
}

/** Pages: every top-level field on exactly one, in the order of `fields`; a page's condition looks at earlier pages. */
function checkPages(def: FormDefinition, report: Report): void {
  const pages = def.pages;
  if (!pages) return;
  const index = new Map(def.fields.map((f, i) => [f.name, i]));
  const onPage = new Map<string, number>();
  const ids = new Map<string, number>();
  let last = -1;
  pages.forEach((page, p) => {
    const at = `/pages/${p}`;
    const dup = ids.get(page.id);
    if (dup !== undefined) report(`${at}/id`, 'page-duplicate-id', { id: page.id, first: `/pages/${dup}` }, `duplicate page id "${page.id}" (first at /pages/${dup})`);
    else ids.set(page.id, p);
    page.fields.forEach((name, j) => {
      const i = index.get(name);
      const where = `${at}/fields/${j}`;
      if (i === undefined) {
        report(where, 'page-no-such-field', { name }, `no top-level field named "${name}"`);
        return;
      }
      const other = onPage.get(name);
      if (other !== undefined) {
        report(where, 'page-field-twice', { name, page: pages[other]!.id }, `"${name}" is already on page "${pages[other]!.id}": a field is on exactly one page`);
        return;
      }
      onPage.set(name, p);
      if (i < last) report(where, 'page-field-order', { name, after: def.fields[last]!.name }, `"${name}" is out of order: pages take the fields in the order of "fields" ("${def.fields[last]!.name}" comes after it)`);
      last = Math.max(last, i);
    });
    if (page.when !== undefined) {
      const firstField = Math.min(...page.fields.map((n) => index.get(n) ?? Infinity));
      forConditions(page.when, `${at}/when`, (c, path) => {
        const target = onPage.get(c.field);
        if (index.has(c.field) && (target === undefined || target >= p)) {
          report(`${path}/field`, 'page-condition-not-earlier', { field: c.field }, `"${c.field}" is not on an earlier page: a page's condition looks at the answers before it`);
          return;
        }
        checkCondition(def.fields, Number.isFinite(firstField) ? firstField : def.fields.length, c, path, report);
      });
    }
  });
  def.fields.forEach((f, i) => {
    if (!onPage.has(f.name)) report(`/fields/${i}`, 'field-on-no-page', { name: f.name }, `"${f.name}" is on no page: with "pages", every field is on exactly one`);
  });
}

const TEXT_TYPES: readonly FieldType[] = ['text', 'textarea', 'email', 'tel'];

/** When a rule can refuse a field's answer: a message for a rule that never applies is a mistake in the definition. */
const MESSAGE_APPLIES: Record<MessageCode, (f: FormField) => string | null> = {
  required: (f) => (f.required === true ? null : 'the field is not required'),
  minLength: (f) => (f.minLength !== undefined ? null : 'the field has no minLength'),
  maxLength: (f) => (TEXT_TYPES.includes(f.type) ? null : `a ${f.type} field has no length`),
  min: (f) => (f.min !== undefined ? null : 'the field has no min'),
  max: (f) => (f.max !== undefined ? null : 'the field has no max'),
  pattern: (f) => (f.pattern === undefined ? 'the field has no pattern' : f.patternMessage !== undefined ? 'give it once: "patternMessage" says it already' : null),
  email: (f) => (f.type === 'email' ? null : 'only an email field checks email addresses'),
  tel: (f) => (f.type === 'tel' ? null : 'only a tel field checks telephone numbers'),
  date: (f) => (f.type === 'date' ? null : 'only a date field checks dates'),
  option: (f) => (f.options ? null : 'the field has no options'),
  jmbg: (f) => (f.validators?.includes('jmbg') ? null : 'the field has no "jmbg" validator'),
  pib: (f) => (f.validators?.includes('pib') ? null : 'the field has no "pib" validator'),
  accept: (f) => (f.accept !== undefined ? null : 'the field has no accept'),
  maxSize: (f) => (f.maxSize !== undefined ? null : 'the field has no maxSize'),
  minFiles: (f) => (f.minFiles !== undefined ? null : 'the field has no minFiles'),
  maxFiles: (f) => (f.type === 'file' ? null : 'only a file field takes files'),
  minItems: (f) => (f.type === 'group' && (f.minItems ?? 0) > 0 ? null : 'the field is not a group with minItems'),
  maxItems: (f) => (f.type === 'group' ? null : 'only a group has items'),
  matchesJmbg: (f) => (f.matchesJmbg !== undefined ? null : 'the field has no matchesJmbg'),
};

function checkMessages(field: FormField, at: string, report: Report): void {
  for (const code of Object.keys(field.messages ?? {}) as MessageCode[]) {
    const why = MESSAGE_APPLIES[code]?.(field);
    if (why) report(`${at}/messages/${code}`, 'message-not-applicable', { rule: code }, `a message for "${code}", but ${why}`);
  }
}

function checkBounds(field: FormField, at: string, report: Report): void {
  const { min, max } = field;
  if (field.type === 'number') {
    if (min !== undefined && typeof min !== 'number') report(`${at}/min`, 'bound-not-number', { key: 'min' }, 'must be a number for a number field');
    if (max !== undefined && typeof max !== 'number') report(`${at}/max`, 'bound-not-number', { key: 'max' }, 'must be a number for a number field');
    if (typeof min === 'number' && typeof max === 'number' && min > max) report(`${at}/min`, 'min-above-max', { min, max }, `min (${min}) is above max (${max})`);
  }
  if (field.type === 'date') {
    for (const [key, bound] of [['min', min], ['max', max]] as const) {
      if (bound !== undefined && (typeof bound !== 'string' || !isDateBound(bound))) {
        report(`${at}/${key}`, 'date-bound-invalid', { key }, 'must be a real date YYYY-MM-DD, or "today" with an optional offset such as "today-18y"');
      }
    }
    if (typeof min === 'string' && typeof max === 'string' && isDateBound(min) && isDateBound(max)) {
      // Comparable when both are absolute or both relative to today.
      if (min.startsWith('today') === max.startsWith('today')) {
        const lo = resolveDateBound(min, REFERENCE_DAY);
        const hi = resolveDateBound(max, REFERENCE_DAY);
        if (lo !== null && hi !== null && lo > hi) report(`${at}/min`, 'date-min-after-max', { min, max }, `min (${min}) is after max (${max})`);
      }
    }
  }
  if (field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) {
    report(`${at}/minLength`, 'min-length-above-max', { min: field.minLength, max: field.maxLength }, `minLength (${field.minLength}) is above maxLength (${field.maxLength})`);
  }
  if (field.type === 'file' && field.minFiles !== undefined && field.minFiles > (field.maxFiles ?? 1)) {
    report(`${at}/minFiles`, 'min-files-above-max', { min: field.minFiles, max: field.maxFiles ?? 1 }, `minFiles (${field.minFiles}) is above maxFiles (${field.maxFiles ?? '1, the default'})`);
  }
}

function checkCondition(fields: readonly FormField[], index: number, c: Condition, at: string, report: Report): void {
  const target = fields.findIndex((f) => f.name === c.field);
  if (target === -1) {
    report(`${at}/field`, 'condition-no-field', { field: c.field }, `no field named "${c.field}"`);
    return;
  }
  if (target >= index) {
    report(`${at}/field`, 'condition-field-after', { field: c.field }, `"${c.field}" must come before the field that depends on it`);
    return;
  }
  if ('filled' in c) return;
  const ref = fields[target]!;
  if (ref.type === 'group') {
    report(at, 'condition-group', { field: c.field }, `"${c.field}" is a group: test it with "filled" only`);
    return;
  }
  const values = 'in' in c ? c.in : [c.equals];
  const key = 'in' in c ? 'in' : 'equals';
  const kind = valueKind(ref);
  const options = ref.options ? new Set(ref.options.map((o) => o.value)) : undefined;
  values.forEach((value, j) => {
    const path = 'in' in c ? `${at}/in/${j}` : `${at}/equals`;
    const expected = kind === 'strings' ? 'string' : kind;
    if (typeof value !== expected) {
      report(path, 'condition-value-type', { field: c.field, type: ref.type, expected }, `"${c.field}" is a ${ref.type} field: compare with a ${expected}`);
    } else if (options && !options.has(value as string)) {
      report(path, 'condition-not-option', { value: String(value), field: c.field }, `"${String(value)}" is not an option of "${c.field}"`);
    }
  });
  if (values.length === 0) report(`${at}/${key}`, 'condition-no-values', {}, 'needs at least one value');
}

function checkApprovalLine(def: FormDefinition, report: Report): void {
  const steps = def.approvalLine;
  const ids = new Map<string, number>();
  steps.forEach((step, i) => {
    const at = `/approvalLine/${i}`;
    const dup = ids.get(step.id);
    if (dup !== undefined) report(`${at}/id`, 'step-duplicate-id', { id: step.id, first: `/approvalLine/${dup}` }, `duplicate step id "${step.id}" (first at /approvalLine/${dup})`);
    else ids.set(step.id, i);
    if (step.parallel !== undefined && step.kind !== 'agree') report(`${at}/parallel`, 'step-parallel-not-agree', {}, 'only agree steps run in parallel');
    if (step.parallel === true && step.kind === 'agree') {
      const together = (s: (typeof steps)[number] | undefined) => s?.kind === 'agree' && s.parallel === true;
      if (!together(steps[i - 1]) && !together(steps[i + 1])) {
        report(`${at}/parallel`, 'step-parallel-alone', {}, 'a parallel agree step needs a parallel agree step next to it to run with');
      }
    }
    if (step.delegation !== undefined && step.kind !== 'approve') report(`${at}/delegation`, 'step-delegation-not-approve', {}, 'only the approve step can be delegated');
    if (step.kind === 'approve' && i !== steps.length - 1) report(`${at}/kind`, 'step-approve-not-last', {}, 'the approve step must be the last step');
  });
  const approvals = steps.filter((s) => s.kind === 'approve').length;
  if (approvals === 0) report('/approvalLine', 'line-no-approve', {}, 'needs one approve step, as the last step');
  if (approvals > 1) report('/approvalLine', 'line-many-approve', { count: approvals }, `has ${approvals} approve steps; exactly one, the last, is allowed`);
}

/** The legal deadline, if any: the one check of components/core/deadlines.ts, at its JSON pointer. */
function checkDeadline(def: FormDefinition, report: Report): void {
  if (def.deadline === undefined) return;
  const problem = checkDeadlineSpec(def.deadline);
  if (!problem) return;
  if (problem.path === 'days') report('/deadline/days', 'deadline-days', { max: MAX_DEADLINE_DAYS }, problem.reason);
  else if (problem.path === 'kind') report('/deadline/kind', 'deadline-kind', {}, problem.reason);
  else report('/deadline', 'deadline-invalid', {}, problem.reason);
}

function checkDistribution(def: FormDefinition, report: Report): void {
  const seen = new Map<string, number>();
  def.distribution?.agencies.forEach((agencyId, i) => {
    const at = `/distribution/agencies/${i}`;
    if (agencyId === def.agencyId) report(at, 'distribution-own-agency', { agency: agencyId }, `"${agencyId}" is the form's own agency: a document is distributed to other agencies`);
    const dup = seen.get(agencyId);
    if (dup !== undefined) report(at, 'distribution-duplicate', { agency: agencyId, first: `/distribution/agencies/${dup}` }, `duplicate agency "${agencyId}" (first at /distribution/agencies/${dup})`);
    else seen.set(agencyId, i);
  });
}

/** The parts each kind of document has; the others are errors (a certificate decides nothing). */
export const DOCUMENT_PARTS: Record<'decision' | 'certificate', { required: readonly (keyof DocumentSpec)[]; forbidden: readonly (keyof DocumentSpec)[] }> = {
  decision: { required: ['introduction', 'dispositive', 'reasoning', 'legalRemedy'], forbidden: ['statement'] },
  certificate: { required: ['statement'], forbidden: ['dispositive', 'reasoning', 'legalRemedy'] },
};

/** The text parts of a document template, in the order the act has them. */
export const DOCUMENT_TEXT_PARTS = ['place', 'introduction', 'dispositive', 'statement', 'reasoning', 'legalRemedy', 'closing'] as const;

/** Placeholders every document template may use besides `{field}` and `{comment:<step id>}`. */
export const DOCUMENT_PLACEHOLDERS = ['agency', 'trackingNumber', 'issuedDate', 'validUntil'] as const;

/** `{name}` and `{comment:step-id}` in a template text. */
export const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*|comment:[a-z0-9]+(?:-[a-z0-9]+)*)\}/g;

function checkDocument(def: FormDefinition, report: Report): void {
  const doc = def.document;
  const parts = DOCUMENT_TEXT_PARTS.filter((p) => doc[p] !== undefined);
  if (doc.kind === undefined) {
    for (const p of ['dispositive', 'statement', 'reasoning', 'legalRemedy'] as const) {
      if (doc[p] !== undefined) report(`/document/${p}`, 'document-part-needs-kind', { part: p }, `"${p}" needs "kind" ("decision" or "certificate"): the parts of an act depend on its kind`);
    }
  } else {
    const rules = DOCUMENT_PARTS[doc.kind];
    for (const p of rules.required) {
      if (doc[p] === undefined) report(`/document/${p}`, 'document-part-required', { kind: doc.kind, part: p }, `a ${doc.kind} needs "${p}"`);
    }
    for (const p of rules.forbidden) {
      if (doc[p] !== undefined) report(`/document/${p}`, 'document-part-forbidden', { kind: doc.kind, part: p }, `a ${doc.kind} has no "${p}"${p === 'statement' ? ' (its "dispositive" says what is decided)' : ' (a certificate states facts: use "statement")'}`);
    }
  }
  const fields = new Set(def.fields.map((f) => f.name));
  const steps = new Set(def.approvalLine.map((s) => s.id));
  for (const p of parts) {
    const text: LocalizedText = doc[p]!;
    const texts = typeof text === 'string' ? [['', text]] : Object.entries(text).map(([lang, t]) => [`/${lang}`, t ?? '']);
    for (const [lang, t] of texts) {
      for (const [, name] of t!.matchAll(PLACEHOLDER)) {
        if (name!.startsWith('comment:')) {
          const step = name!.slice('comment:'.length);
          if (!steps.has(step)) report(`/document/${p}${lang}`, 'placeholder-no-step', { placeholder: `{${name}}`, step }, `{${name}}: the approval line has no step "${step}"`);
        } else if (!fields.has(name!) && !(DOCUMENT_PLACEHOLDERS as readonly string[]).includes(name!)) {
          report(`/document/${p}${lang}`, 'placeholder-no-field', { placeholder: `{${name}}`, name: name!, known: DOCUMENT_PLACEHOLDERS.map((n) => `{${n}}`).join(', ') }, `{${name}}: no field named "${name}" (nor ${DOCUMENT_PLACEHOLDERS.map((n) => `{${n}}`).join(', ')})`);
        }
      }
      const stray = t!.replace(PLACEHOLDER, '').match(/\{[^}]*\}?/);
      if (stray) report(`/document/${p}${lang}`, 'placeholder-stray', { text: stray[0], known: DOCUMENT_PLACEHOLDERS.map((n) => `{${n}}`).join(', ') }, `"${stray[0]}" is not a placeholder: write {field}, {comment:<step id>} or ${DOCUMENT_PLACEHOLDERS.map((n) => `{${n}}`).join(', ')}`);
    }
  }
  const seen = new Map<string, number>();
  doc.facts?.forEach((name, i) => {
    if (!fields.has(name)) report(`/document/facts/${i}`, 'fact-no-field', { name }, `no field named "${name}"`);
    const dup = seen.get(name);
    if (dup !== undefined) report(`/document/facts/${i}`, 'fact-duplicate', { name, first: `/document/facts/${dup}` }, `duplicate fact "${name}" (first at /document/facts/${dup})`);
    else seen.set(name, i);
  });
}

/** The answers a code check shows the public: fields of the form, never a file or a JMBG. */
function checkCodeCheck(def: FormDefinition, report: Report): void {
  for (const key of ['holder', 'subject'] as const) {
    def.document.codeCheck?.[key]?.forEach((name, i) => {
      const at = `/document/codeCheck/${key}/${i}`;
      const field = def.fields.find((f) => f.name === name);
      if (!field) report(at, 'code-check-no-field', { name }, `no field named "${name}"`);
      else if (field.type === 'file') report(at, 'code-check-file', { name }, `"${name}" is a file: a code check shows no files`);
      else if (field.validators?.includes('jmbg')) report(at, 'code-check-jmbg', { name }, `"${name}" is a JMBG: a code check never shows one`);
      else if (field.type === 'group') report(at, 'code-check-group', { name }, `"${name}" is a group: a code check shows single answers`);
    });
  }
}
