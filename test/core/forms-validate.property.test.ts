/**
 * Property tests of the one form validator (validateApplication), over the example forms and
 * a form with every field type, fed data made by the seeded generator in test/helpers/random.ts:
 * plausible answers, wrong types, hostile strings, unknown keys, hidden fields, non-objects.
 * PROPERTY_SEED=<n> replays a run; PROPERTY_RUNS scales it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  LIMITS,
  validateApplication,
  visibleFields,
  valueKind,
  checkDefinition,
  type FormDefinition,
  type FormField,
  type UploadInfo,
  type ValidationResult,
} from '../../components/core/index.ts';
import { jmbgControlDigit } from '../../components/core/forms/validators.ts';
import { jmbgFacts } from '../../components/core/forms/jmbg.ts';
import { parseFieldPath } from '../../components/core/forms/definition.ts';
import { forAll, Random, type JsonLike } from '../helpers/random.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1500);
const TODAY = '2026-03-15';

const example = (id: string): FormDefinition =>
  JSON.parse(readFileSync(new URL(`../../examples/forms/${id}.json`, import.meta.url), 'utf8')) as FormDefinition;

const label = { en: 'x' };
/** Every field type, rules of every kind, and a chain of conditions (c shows when b, b when a). */
const everything: FormDefinition = {
  id: 'everything',
  version: 1,
  agencyId: 'novi-primer',
  title: label,
  signature: { required: false },
  approvalLine: [{ id: 'approve', kind: 'approve', assignee: { role: 'head' } }],
  document: { template: 'test', title: label },
  fields: [
    { name: 'a', type: 'radio', label, required: true, options: [{ value: 'yes', label }, { value: 'no', label }] },
    { name: 'b', type: 'text', label, required: true, minLength: 2, maxLength: 10, pattern: '[A-Za-zćčžšđ ]+', when: { field: 'a', equals: 'yes' } },
    { name: 'c', type: 'number', label, min: 0, max: 100, when: { field: 'b', filled: true } },
    { name: 'jmbg', type: 'text', label, validators: ['jmbg'] },
    { name: 'pib', type: 'text', label, validators: ['pib'] },
    { name: 'notes', type: 'textarea', label, maxLength: 50 },
    { name: 'email', type: 'email', label },
    { name: 'tel', type: 'tel', label },
    { name: 'born', type: 'date', label, min: '1900-01-01', max: 'today' },
    { name: 'count', type: 'number', label, required: true, min: -5, max: 5 },
    { name: 'kind', type: 'select', label, options: [{ value: 'one', label }, { value: 'two', label }] },
    { name: 'many', type: 'checkbox', label, options: [{ value: 'x', label }, { value: 'y', label }, { value: 'z', label }], when: [{ field: 'a', in: ['yes', 'no'] }] },
    { name: 'agree', type: 'checkbox', label, required: true },
    { name: 'files', type: 'file', label, accept: ['application/pdf', 'image/*'], maxSize: 1000, maxFiles: 2, minFiles: 1 },
  ],
};

const FORMS: FormDefinition[] = [
  everything,
  example('building-permit'),
  example('certificate-of-residence'),
  example('birth-register-extract'),
  // Pages, a repeating group with item conditions, prefill and JMBG cross-checks (issue 21).
  example('residence-registration'),
];

const UPLOADS: Record<string, UploadInfo> = {
  pdf: { size: 500, mediaType: 'application/pdf' },
  big: { size: 5000, mediaType: 'application/pdf' },
  png: { size: 10, mediaType: 'image/png' },
  exe: { size: 10, mediaType: 'application/x-msdownload' },
};

const KNOWN_CODES = new Set([
  'unknownField', 'type', 'required', 'minLength', 'maxLength', 'min', 'max', 'pattern', 'email', 'tel', 'date', 'option',
  'jmbg', 'pib', 'accept', 'maxSize', 'minFiles', 'maxFiles', 'unknownUpload', 'duplicateUpload',
  'minItems', 'maxItems', 'matchesJmbg',
]);

function validJmbg(r: Random): string {
  const base = `${String(r.int(1, 28)).padStart(2, '0')}${String(r.int(1, 12)).padStart(2, '0')}${r.pick(['990', '985', '001'])}${String(r.int(10, 99))}${String(r.int(0, 999)).padStart(3, '0')}`;
  return base + jmbgControlDigit(base);
}

/** A good answer for a field (when it has no pattern or named rule the generator cannot meet). */
function plausible(r: Random, f: FormField): JsonLike | undefined {
  switch (valueKind(f)) {
    case 'number': {
      const lo = typeof f.min === 'number' ? f.min : 0;
      const hi = typeof f.max === 'number' ? f.max : lo + 1000;
      return r.int(Math.ceil(lo), Math.floor(hi));
    }
    case 'boolean':
      return f.required ? true : r.bool();
    case 'items':
      return Array.from({ length: r.int(f.required ? 1 : 0, 3) }, () => answers(r, f.fields ?? [], true));
    case 'strings':
      if (f.type === 'file') return r.pick([['pdf'], ['pdf', 'png']]);
      return f.options ? [r.pick(f.options).value] : ['x'];
    default:
      if (f.options) return r.pick(f.options).value;
      if (f.type === 'date') return '1990-05-17';
      if (f.validators?.includes('jmbg') || /jmbg/i.test(f.name)) return validJmbg(r);
      if (f.validators?.includes('pib') || /pib/i.test(f.name)) return '101134702';
      if (f.type === 'email') return 'ana@example.com';
      if (f.type === 'tel') return '+381 21 123 4567';
      if (f.pattern) return /\\d/.test(f.pattern) ? String(r.int(10000, 99999)) : 'Ana';
      return r.pick(['Ana', 'Ana Anić', 'Бул. ослобођења 12']);
  }
}

/** An answer for a field: usually of the right kind (valid or not), sometimes anything at all. */
function answer(r: Random, f: FormField, good: boolean): JsonLike | undefined {
  if (good) return f.required || r.bool(0.5) ? plausible(r, f) : undefined;
  if (r.bool(0.15)) return undefined;
  if (r.bool(0.15)) return r.json(2, { loneSurrogates: r.bool(0.2) });
  switch (valueKind(f)) {
    case 'number':
      return r.pick([r.int(-10, 200), r.number(), 0, -0, typeof f.min === 'number' ? f.min : 1, typeof f.max === 'number' ? f.max : 2]);
    case 'boolean':
      return r.bool();
    case 'items':
      if (r.bool(0.1)) return Array.from({ length: r.int(0, 30) }, () => answers(r, f.fields ?? [], false));
      return Array.from({ length: r.int(0, 4) }, () => (r.bool(0.1) ? (r.json(0) as JsonLike) : answers(r, f.fields ?? [], r.bool(0.5))));
    case 'strings': {
      const pool = f.type === 'file' ? [...Object.keys(UPLOADS), 'unknown-id', ''] : [...(f.options ?? []).map((o) => o.value), 'nope'];
      return Array.from({ length: r.int(0, 4) }, () => (r.bool(0.1) ? (r.json(0) as JsonLike) : r.pick(pool)));
    }
    default:
      if (f.options) return r.bool(0.8) ? r.pick(f.options).value : r.string();
      if (f.type === 'date') return r.pick(['1990-05-17', '1899-12-31', '2026-03-15', '2026-03-16', '2026-02-30', '17.05.1990', r.string({ maxLength: 10 })]);
      if (f.validators?.includes('jmbg') || /jmbg/i.test(f.name)) return r.bool(0.6) ? validJmbg(r) : r.string({ maxLength: 14 });
      if (f.type === 'email') return r.pick(['ana@example.com', 'not an email', `${r.string({ maxLength: 5 })}@x.rs`]);
      return r.pick([r.string({ maxLength: 12 }), `  ${r.string({ maxLength: 6 })}  `, 'x'.repeat(r.int(0, 1200)), 'Ana Anić', '21000']);
  }
}

/** Answers for one level (the form, or one item of a group); good dates of birth and sexes agree with their JMBG. */
function answers(r: Random, fields: readonly FormField[], good: boolean): { [k: string]: JsonLike } {
  const out: { [k: string]: JsonLike } = {};
  for (const f of fields) {
    const a = answer(r, f, good && r.bool(0.9));
    if (a !== undefined) out[f.name] = a;
  }
  for (const f of fields) {
    const facts = f.matchesJmbg && typeof out[f.matchesJmbg] === 'string' ? jmbgFacts(out[f.matchesJmbg] as string) : null;
    if (good && facts && out[f.name] !== undefined && r.bool(0.9)) out[f.name] = f.type === 'date' ? facts.birthDate : facts.sex;
  }
  return out;
}

function data(r: Random, def: FormDefinition): JsonLike {
  if (r.bool(0.03)) return r.pick<JsonLike>([null, [], 'data', 42, true, [{}]]);
  // Half the cases start from good answers and spoil a few; the rest are anything goes.
  const good = r.bool(0.5);
  const out = answers(r, def.fields, good);
  const extra = r.bool(good ? 0.9 : 0.7) ? 0 : r.int(1, r.bool(0.1) ? 40 : 3);
  for (let i = 0; i < extra; i++) out[r.bool(0.3) ? r.pick(['__proto__', 'constructor', 'x'.repeat(150), '']) : r.string({ maxLength: 8 })] = r.json(1);
  return out;
}

interface Case {
  def: FormDefinition;
  data: JsonLike;
  withUploads: boolean;
}

const gen = (r: Random): Case => {
  const def = r.pick(FORMS);
  return { def, data: data(r, def), withUploads: r.bool(0.7) };
};

const run = (c: Case, mode: 'submit' | 'draft', data: unknown = c.data): ValidationResult =>
  validateApplication(c.def, data, { mode, today: TODAY, ...(c.withUploads ? { uploads: UPLOADS } : {}) });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

test('the forms under test are valid definitions', () => {
  for (const def of FORMS) assert.deepEqual(checkDefinition(def), [], def.id);
});

test('never throws, is deterministic, and leaves its input alone', () => {
  forAll('never throws', RUNS, gen, (c) => {
    const before = JSON.stringify(c.data);
    for (const mode of ['submit', 'draft'] as const) {
      const first = run(c, mode);
      assert.equal(JSON.stringify(run(c, mode)), JSON.stringify(first));
    }
    assert.equal(JSON.stringify(c.data), before);
  });
});

test('issues name known fields (or unknown keys that were sent), with known codes, one per field at most', () => {
  forAll('issue shape', RUNS, gen, (c) => {
    for (const mode of ['submit', 'draft'] as const) {
      const result = run(c, mode);
      assert.equal(result.ok, result.issues.length === 0);
      if (!isRecord(c.data)) {
        assert.deepEqual(result.issues.map((i) => [i.field, i.code]), [['', 'type']]);
        assert.deepEqual(result.data, {});
        continue;
      }
      const names = c.def.fields.map((f) => f.name);
      const visible = new Set(visibleFields(c.def, c.data).map((f) => f.name));
      const fieldIssues = result.issues.filter((i) => i.code !== 'unknownField');
      const unknown = result.issues.filter((i) => i.code === 'unknownField');
      for (const i of result.issues) assert.ok(KNOWN_CODES.has(i.code), `code ${i.code}`);
      // An item's issues (at `group[i].field`) belong to their group: top-level field issues come first, in order, then unknown keys.
      const top = (i: { field: string }) => parseFieldPath(i.field).group ?? i.field;
      const itemUnknown = unknown.filter((i) => parseFieldPath(i.field).group !== undefined && names.includes(top(i)));
      for (const i of [...fieldIssues, ...itemUnknown]) {
        const p = parseFieldPath(i.field);
        assert.ok(names.includes(top(i)), `issue on "${i.field}", which is no field`);
        assert.ok(visible.has(top(i)), `issue on hidden field ${i.field}`);
        if (p.group === undefined) continue;
        const group = c.def.fields.find((f) => f.name === p.group)!;
        assert.equal(group.type, 'group', `${i.field}: an item path on a ${group.type} field`);
        const items = c.data[p.group];
        assert.ok(Array.isArray(items) && p.index! < items.length, `${i.field}: no such item`);
        if (i.code !== 'unknownField') assert.ok(p.field === '' || group.fields!.some((f) => f.name === p.field), `${i.field}: no such item field`);
      }
      assert.equal(new Set(fieldIssues.map((i) => i.field)).size, fieldIssues.length, 'one issue per field');
      const order = (i: { field: string }) => names.indexOf(top(i));
      const ordered = fieldIssues.map(order);
      assert.deepEqual(ordered, [...ordered].sort((a, b) => a - b), 'issues in the definition\'s order');
      const topUnknown = unknown.filter((i) => !itemUnknown.includes(i));
      assert.deepEqual(result.issues.filter((i) => !itemUnknown.includes(i)), [...fieldIssues.filter((i) => !itemUnknown.includes(i)), ...topUnknown]);
      const sentUnknown = Object.keys(c.data).filter((k) => !names.includes(k));
      assert.ok(topUnknown.length <= Math.min(sentUnknown.length, LIMITS.unknownFieldIssues));
      if (itemUnknown.length === 0) assert.equal(topUnknown.length, Math.min(sentUnknown.length, LIMITS.unknownFieldIssues));
      assert.ok(unknown.length <= LIMITS.unknownFieldIssues, 'unknown keys are capped across items too');
      for (const i of topUnknown) {
        const echoed = i.field.endsWith('…') ? sentUnknown.some((k) => k.length > LIMITS.unknownKeyEcho && k.startsWith(i.field.slice(0, -1))) : sentUnknown.includes(i.field);
        assert.ok(echoed, `unknownField "${i.field}" was not sent`);
        assert.ok(i.field.length <= LIMITS.unknownKeyEcho + 1);
      }
    }
  });
});

test('the cleaned data holds only visible fields, each of its field\'s JSON kind', () => {
  forAll('cleaned data', RUNS, gen, (c) => {
    const result = run(c, 'submit');
    if (!isRecord(c.data)) return;
    const visible = new Map(visibleFields(c.def, c.data).map((f) => [f.name, f]));
    for (const [name, value] of Object.entries(result.data)) {
      const f = visible.get(name);
      assert.ok(f, `cleaned data has ${name}, which is not a visible field`);
      checkKind(f, value, name);
    }
  });
});

/** A cleaned answer has its field's JSON kind; a group's items hold only their fields' answers. */
function checkKind(f: FormField, value: unknown, name: string): void {
  const kind = valueKind(f);
  if (kind === 'strings') assert.ok(Array.isArray(value) && value.every((v) => typeof v === 'string'), name);
  else if (kind === 'items') {
    assert.ok(Array.isArray(value) && value.length > 0, name);
    (value as unknown[]).forEach((item, i) => {
      assert.ok(isRecord(item), `${name}[${i}]`);
      for (const [k, v] of Object.entries(item)) {
        const sub = f.fields!.find((x) => x.name === k);
        assert.ok(sub, `${name}[${i}].${k} is no item field`);
        checkKind(sub, v, `${name}[${i}].${k}`);
      }
    });
  } else assert.equal(typeof value, kind, name);
  if (typeof value === 'string') assert.notEqual(value, '', `${name}: empty answers are left out`);
}

test('drafts refuse nothing that submitting accepts; submitting adds only completeness', () => {
  forAll('draft ⊆ submit', RUNS, gen, (c) => {
    const key = (i: { field: string; code: string }) => `${i.field}\u0000${i.code}`;
    const submit = new Set(run(c, 'submit').issues.map(key));
    const draft = run(c, 'draft').issues;
    for (const i of draft) assert.ok(submit.has(key(i)), `draft issue ${i.field}:${i.code} is missing on submit`);
    const draftKeys = new Set(draft.map(key));
    for (const i of run(c, 'submit').issues) {
      if (!draftKeys.has(key(i))) assert.ok(i.code === 'required' || i.code === 'minFiles' || i.code === 'minItems', `submit-only issue ${i.field}:${i.code}`);
    }
  });
});

test('idempotent: accepted data, validated again, is accepted unchanged', (ctx) => {
  let accepted = 0;
  let submittable = 0;
  forAll('idempotent', RUNS * 2, gen, (c) => {
    for (const mode of ['submit', 'draft'] as const) {
      const first = run(c, mode);
      if (!first.ok) continue;
      accepted++;
      if (mode === 'submit') submittable++;
      const again = run(c, mode, first.data);
      assert.deepEqual(again.issues, []);
      assert.deepEqual(again.data, first.data);
    }
  });
  // The generator must reach accepted data often enough for this to mean something.
  ctx.diagnostic(`${accepted} accepted cases, ${submittable} of them complete enough to submit`);
  assert.ok(accepted > RUNS / 5 && submittable > RUNS / 20, `only ${accepted} accepted cases, ${submittable} submittable`);
});
