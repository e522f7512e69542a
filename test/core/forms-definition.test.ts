import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// The named export: under NodeNext the default import of this CommonJS module types as the module.
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  checkDefinition,
  localize,
  valueKind,
  type FormDefinition,
  type FormField,
} from '../../components/core/index.ts';

const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));

const schema = read('../../components/core/forms/form-definition.schema.json') as Record<string, unknown>;
// As the server should compile it: strict (a schema mistake is an error, not a warning), all errors.
const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile(schema);

const EXAMPLES = ['certificate-of-residence', 'birth-register-extract', 'building-permit', 'residence-registration'] as const;
const example = (id: string) => read(`../../examples/forms/${id}.json`) as FormDefinition;

/** A deep copy, loosely typed (any) so a test can break it anywhere. */
type Loose = Record<string, any>;
const copy = (def: FormDefinition): Loose => structuredClone(def) as Loose;

/** The instance paths of the schema errors. */
const schemaPaths = (value: unknown): string[] => {
  if (validate(value)) return [];
  return [...new Set((validate.errors ?? []).map((e) => e.instancePath))];
};

test('the schema is draft 2020-12 and compiles in ajv strict mode', () => {
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(typeof validate, 'function');
});

test('the three example forms pass the schema and checkDefinition', () => {
  for (const id of EXAMPLES) {
    const def = example(id);
    assert.equal(validate(def), true, `${id}: ${JSON.stringify(validate.errors)}`);
    assert.deepEqual(checkDefinition(def), [], id);
    assert.equal(def.id, id);
    assert.equal(def.agencyId, 'novi-primer');
  }
  const permit = example('building-permit');
  assert.equal(permit.signature.required, true);
  assert.deepEqual(permit.approvalLine.map((s) => [s.id, s.kind, s.parallel ?? false]), [
    ['review', 'review', false], ['urbanism', 'agree', true], ['cadastre', 'agree', true], ['approve', 'approve', false],
  ]);
  assert.deepEqual(permit.approvalLine.at(-1)?.delegation, { allowRoles: ['deputy-head'] });
  assert.deepEqual(example('certificate-of-residence').approvalLine.map((s) => s.kind), ['review', 'approve']);
});

test('the schema rejects broken definitions at the right path', () => {
  const base = example('building-permit');
  const cases: [string, (d: Loose) => void, string][] = [
    ['missing title', (d) => delete d.title, ''],
    ['unknown top-level key', (d) => (d.owner = 'x'), ''],
    ['id not a slug', (d) => (d.id = 'Building Permit'), '/id'],
    ['version not an integer', (d) => (d.version = 1.5), '/version'],
    ['version zero', (d) => (d.version = 0), '/version'],
    ['no fields', (d) => (d.fields = []), '/fields'],
    ['unknown field type', (d) => (d.fields[1].type = 'password'), '/fields/1/type'],
    ['unknown field key', (d) => (d.fields[1].placeholder = 'x'), '/fields/1'],
    ['field name not an identifier', (d) => (d.fields[2].name = '2nd-name'), '/fields/2/name'],
    ['field name starting with _', (d) => (d.fields[2].name = '__proto__'), '/fields/2/name'],
    ['label missing', (d) => delete d.fields[0].label, '/fields/0'],
    ['English only', (d) => (d.fields[0].label = { en: 'Investor' }), '/fields/0/label'],
    ['unknown language', (d) => (d.fields[0].label = { 'sr-Latn': 'x', de: 'y' }), '/fields/0/label'],
    ['empty label', (d) => (d.fields[0].label = ''), '/fields/0/label'],
    ['string min on a number field', (d) => (d.fields[10].min = '2026-01-01'), '/fields/10/min'],
    ['number max on a date field', (d) => (d.fields.push({ name: 'd', type: 'date', label: 'd', max: 5 })), '/fields/16/max'],
    ['date bound in words', (d) => (d.fields.push({ name: 'd', type: 'date', label: 'd', max: 'tomorrow' })), '/fields/16/max'],
    ['unknown named validator', (d) => (d.fields[2].validators = ['iban']), '/fields/2/validators/0'],
    ['condition with two tests', (d) => (d.fields[1].when = { field: 'investorType', equals: 'person', filled: true }), '/fields/1/when'],
    ['condition without a test', (d) => (d.fields[1].when = { field: 'investorType' }), '/fields/1/when'],
    ['accept not a media type', (d) => (d.fields[12].accept = ['.pdf']), '/fields/12/accept/0'],
    ['maxSize not positive', (d) => (d.fields[12].maxSize = 0), '/fields/12/maxSize'],
    ['inputmode unknown', (d) => (d.fields[2].inputmode = 'digits'), '/fields/2/inputmode'],
    ['signature without required', (d) => (d.signature = {}), '/signature'],
    ['empty approval line', (d) => (d.approvalLine = []), '/approvalLine'],
    ['unknown step kind', (d) => (d.approvalLine[0].kind = 'sign'), '/approvalLine/0/kind'],
    ['assignee with role and userId', (d) => (d.approvalLine[0].assignee = { role: 'clerk', userId: 'u1' }), '/approvalLine/0/assignee'],
    ['delegation without roles', (d) => (d.approvalLine[3].delegation = { allowRoles: [] }), '/approvalLine/3/delegation/allowRoles'],
    ['template path traversal', (d) => (d.document.template = '../../etc/passwd'), '/document/template'],
    ['validityDays negative', (d) => (d.document.validityDays = -1), '/document/validityDays'],
    ['distribution without agencies', (d) => (d.distribution = {}), '/distribution'],
    ['distribution to no agency', (d) => (d.distribution = { agencies: [] }), '/distribution/agencies'],
    ['distribution agency not a slug', (d) => (d.distribution = { agencies: ['RGZ Katastar'] }), '/distribution/agencies/0'],
    ['distribution twice to one agency', (d) => (d.distribution = { agencies: ['rgz', 'rgz'] }), '/distribution/agencies'],
    ['unknown distribution key', (d) => (d.distribution = { agencies: ['rgz'], cc: ['x'] }), '/distribution'],
    ['deadline of no days', (d) => (d.deadline = { days: 0, kind: 'calendar' }), '/deadline/days'],
    ['deadline in half days', (d) => (d.deadline = { days: 1.5, kind: 'calendar' }), '/deadline/days'],
    ['deadline of an unknown kind', (d) => (d.deadline = { days: 30, kind: 'business' }), '/deadline/kind'],
    ['deadline without a kind', (d) => (d.deadline = { days: 30 }), '/deadline'],
    ['unknown deadline key', (d) => (d.deadline = { days: 30, kind: 'working', from: 'submission' }), '/deadline'],
  ];
  for (const [name, breakIt, path] of cases) {
    const def = copy(base);
    breakIt(def);
    const paths = schemaPaths(def);
    assert.ok(paths.length > 0, `${name}: accepted`);
    assert.ok(paths.includes(path), `${name}: expected an error at "${path}", got ${JSON.stringify(paths)}`);
  }
});

const field = (f: Partial<FormField> & Pick<FormField, 'name' | 'type'>): FormField => ({ label: f.name, ...f });

// The example's document template and code check name its fields: a form with other fields gets a plain document.
const withFields = (...fields: FormField[]): FormDefinition => {
  const base = example('certificate-of-residence');
  return { ...base, fields, document: { template: base.document.template, title: base.document.title } };
};

const problems = (def: FormDefinition) => checkDefinition(def).map((p) => p.path);

test('checkDefinition: unique field names and option values', () => {
  const def = withFields(
    field({ name: 'a', type: 'text' }),
    field({ name: 'a', type: 'number' }),
    field({ name: 'c', type: 'radio', options: [{ value: 'x', label: 'X' }, { value: 'x', label: 'Y' }] }),
  );
  const found = checkDefinition(def);
  assert.deepEqual(found.map((p) => p.path), ['/fields/1/name', '/fields/2/options/1/value']);
  assert.match(found[0]!.message, /duplicate field name "a"/);
});

test('checkDefinition: conditions refer to an earlier field, with values it can have', () => {
  const kind = field({ name: 'kind', type: 'select', options: [{ value: 'a', label: 'A' }] });
  assert.deepEqual(problems(withFields(kind, field({ name: 'x', type: 'text', when: { field: 'nope', equals: 'a' } }))), ['/fields/1/when/field']);
  assert.deepEqual(problems(withFields(field({ name: 'x', type: 'text', when: { field: 'kind', equals: 'a' } }), kind)), ['/fields/0/when/field']);
  assert.deepEqual(problems(withFields(field({ name: 'x', type: 'text', when: { field: 'x', filled: true } }))), ['/fields/0/when/field']);
  assert.deepEqual(problems(withFields(kind, field({ name: 'x', type: 'text', when: { field: 'kind', equals: 'b' } }))), ['/fields/1/when/equals']);
  assert.deepEqual(problems(withFields(kind, field({ name: 'x', type: 'text', when: [{ field: 'kind', filled: true }, { field: 'kind', in: ['a', 'z'] }] }))), ['/fields/1/when/1/in/1']);
  const box = field({ name: 'box', type: 'checkbox' });
  assert.deepEqual(problems(withFields(box, field({ name: 'x', type: 'text', when: { field: 'box', equals: 'true' } }))), ['/fields/1/when/equals']);
  assert.deepEqual(problems(withFields(box, field({ name: 'x', type: 'text', when: { field: 'box', equals: true } }))), []);
  const n = field({ name: 'n', type: 'number' });
  assert.deepEqual(problems(withFields(n, field({ name: 'x', type: 'text', when: { field: 'n', in: [1, '2'] } }))), ['/fields/1/when/in/1']);
});

test('checkDefinition: options where they belong, keys only on the types they apply to', () => {
  assert.deepEqual(problems(withFields(field({ name: 's', type: 'select' }))), ['/fields/0']);
  assert.deepEqual(problems(withFields(field({ name: 'r', type: 'radio' }))), ['/fields/0']);
  assert.deepEqual(problems(withFields(field({ name: 't', type: 'text', options: [{ value: 'a', label: 'a' }] }))), ['/fields/0/options']);
  assert.deepEqual(problems(withFields(field({ name: 't', type: 'text', accept: ['application/pdf'], min: 1 }))), ['/fields/0/min', '/fields/0/accept']);
  assert.deepEqual(problems(withFields(field({ name: 'n', type: 'number', maxLength: 3 }))), ['/fields/0/maxLength']);
  assert.deepEqual(problems(withFields(field({ name: 'e', type: 'email', validators: ['jmbg'] }))), ['/fields/0/validators']);
  assert.deepEqual(problems(withFields(field({ name: 't', type: 'text', patternMessage: 'x' }))), ['/fields/0/patternMessage']);
});

test('checkDefinition: min ≤ max, minLength ≤ maxLength, minFiles ≤ maxFiles, real dates, valid patterns', () => {
  assert.deepEqual(problems(withFields(field({ name: 'n', type: 'number', min: 10, max: 1 }))), ['/fields/0/min']);
  assert.deepEqual(problems(withFields(field({ name: 'n', type: 'number', min: 1, max: 1 }))), []);
  assert.deepEqual(problems(withFields(field({ name: 'n', type: 'number', min: '1' }))), ['/fields/0/min']);
  assert.deepEqual(problems(withFields(field({ name: 'd', type: 'date', min: '2026-02-01', max: '2026-01-01' }))), ['/fields/0/min']);
  assert.deepEqual(problems(withFields(field({ name: 'd', type: 'date', min: 'today', max: 'today-1d' }))), ['/fields/0/min']);
  assert.deepEqual(problems(withFields(field({ name: 'd', type: 'date', min: 'today-120y', max: 'today' }))), []);
  assert.deepEqual(problems(withFields(field({ name: 'd', type: 'date', min: '2030-01-01', max: 'today' }))), []); // not comparable
  assert.deepEqual(problems(withFields(field({ name: 'd', type: 'date', max: '2026-02-31' }))), ['/fields/0/max']);
  assert.deepEqual(problems(withFields(field({ name: 't', type: 'text', minLength: 5, maxLength: 4 }))), ['/fields/0/minLength']);
  assert.deepEqual(problems(withFields(field({ name: 'f', type: 'file', minFiles: 2 }))), ['/fields/0/minFiles']);
  assert.deepEqual(problems(withFields(field({ name: 'f', type: 'file', minFiles: 2, maxFiles: 3 }))), []);
  const bad = checkDefinition(withFields(field({ name: 't', type: 'text', pattern: '([0-9]' })));
  assert.deepEqual(bad.map((p) => p.path), ['/fields/0/pattern']);
  assert.match(bad[0]!.message, /not a valid regular expression/);
});

test('checkDefinition: exactly one approve step, last; parallel agree steps in pairs; delegation on approve only', () => {
  // The example's reasoning names the approve step's comment: these lines get a plain document.
  const line = (...steps: FormDefinition['approvalLine']) => {
    const base = example('building-permit');
    return { ...base, approvalLine: steps, document: { template: base.document.template, title: base.document.title } };
  };
  const review = { id: 'review', kind: 'review', assignee: { role: 'clerk' } } as const;
  const approve = { id: 'approve', kind: 'approve', assignee: { role: 'head' } } as const;
  const agree = (id: string, parallel?: boolean) => ({ id, kind: 'agree', assignee: { role: id }, ...(parallel === undefined ? {} : { parallel }) }) as const;
  assert.deepEqual(problems(line(review, approve)), []);
  assert.deepEqual(problems(line(review)), ['/approvalLine']);
  assert.deepEqual(problems(line(approve, review)), ['/approvalLine/0/kind']);
  assert.deepEqual(problems(line(review, { ...approve, id: 'first' }, approve)), ['/approvalLine/1/kind', '/approvalLine']);
  assert.deepEqual(problems(line(review, review, approve)), ['/approvalLine/1/id']);
  assert.deepEqual(problems(line({ ...review, parallel: true }, approve)), ['/approvalLine/0/parallel']);
  assert.deepEqual(problems(line(review, agree('urbanism', true), approve)), ['/approvalLine/1/parallel']);
  assert.deepEqual(problems(line(review, agree('urbanism', true), agree('cadastre', true), agree('fire'), approve)), []);
  assert.deepEqual(problems(line(review, { ...review, id: 'r2', delegation: { allowRoles: ['deputy-head'] } }, approve)), ['/approvalLine/1/delegation']);
  // The approval line of a definition with only other problems is still checked.
  assert.deepEqual(problems(line({ id: 'a', kind: 'agree', assignee: { userId: 'u-1' } }, { ...approve, assignee: { role: 'head', agencyId: 'other-agency' } })), []);
});

test('checkDefinition: a document is distributed to other agencies, each once', () => {
  const to = (...agencies: string[]): FormDefinition => ({ ...example('building-permit'), distribution: { agencies } });
  assert.deepEqual(example('building-permit').distribution, { agencies: ['rgz'] });
  assert.deepEqual(problems(to('rgz', 'drugi-grad')), []);
  assert.deepEqual(problems(to('rgz', 'novi-primer')), ['/distribution/agencies/1']);
  assert.deepEqual(problems(to('rgz', 'drugi-grad', 'rgz')), ['/distribution/agencies/2']);
});

test('checkDefinition: a deadline is checked by core\'s one check, at its JSON pointer', () => {
  const due = (deadline: unknown): FormDefinition => ({ ...example('certificate-of-residence'), deadline } as FormDefinition);
  assert.deepEqual(example('certificate-of-residence').deadline, { days: 30, kind: 'calendar' });
  assert.deepEqual(example('building-permit').deadline, { days: 5, kind: 'working' });
  assert.deepEqual(problems(due({ days: 60, kind: 'calendar' })), []);
  assert.deepEqual(problems(due({ days: 0, kind: 'calendar' })), ['/deadline/days']);
  assert.deepEqual(problems(due({ days: 30, kind: 'weekdays' })), ['/deadline/kind']);
  assert.deepEqual(problems(due({ days: 30, kind: 'working', extra: 1 })), ['/deadline']);
  assert.deepEqual(problems(due('30 days')), ['/deadline']);
});

test('document templates: the schema knows the kinds, scripts and parts', () => {
  const permit = example('building-permit');
  const with_ = (change: (d: Loose) => void) => { const d = copy(permit); change(d); return d; };
  assert.deepEqual(schemaPaths(with_((d) => (d.document.kind = 'permit'))), ['/document/kind']);
  assert.deepEqual(schemaPaths(with_((d) => (d.document.script = 'en'))), ['/document/script']);
  assert.deepEqual(schemaPaths(with_((d) => (d.document.dispositive = { en: 'English only' }))), ['/document/dispositive']);
  assert.deepEqual(schemaPaths(with_((d) => (d.document.facts = ['not a name!']))), ['/document/facts/0']);
  assert.deepEqual(schemaPaths(with_((d) => (d.document.obrazlozenje = 'typo'))), ['/document']);
});

test('checkDefinition: a document template has the parts of its kind, and its placeholders name fields and steps', () => {
  const permit = example('building-permit');
  const residence = example('certificate-of-residence');
  const doc = (def: FormDefinition, change: (d: Loose) => void): FormDefinition => {
    const d = copy(def);
    change(d.document);
    return d as FormDefinition;
  };
  const messages = (def: FormDefinition) => checkDefinition(def).map((p) => `${p.path}: ${p.message}`);
  assert.equal(permit.document.kind, 'decision');
  assert.equal(residence.document.kind, 'certificate');
  // A decision needs its four parts and has no statement.
  assert.deepEqual(problems(doc(permit, (d) => delete d.legalRemedy)), ['/document/legalRemedy']);
  assert.deepEqual(problems(doc(permit, (d) => { delete d.reasoning; delete d.introduction; })), ['/document/introduction', '/document/reasoning']);
  assert.deepEqual(problems(doc(permit, (d) => (d.statement = 'Потврђује се'))), ['/document/statement']);
  // A certificate states facts: a statement, no dispositive, reasoning or legal remedy.
  assert.deepEqual(problems(doc(residence, (d) => delete d.statement)), ['/document/statement']);
  assert.deepEqual(messages(doc(residence, (d) => (d.legalRemedy = 'Жалба'))), ['/document/legalRemedy: a certificate has no "legalRemedy" (a certificate states facts: use "statement")']);
  // Without a kind, the parts of an act are errors; place, introduction, facts and closing are not.
  assert.deepEqual(problems(doc(permit, (d) => delete d.kind)), ['/document/dispositive', '/document/reasoning', '/document/legalRemedy']);
  assert.deepEqual(problems(doc(residence, (d) => { delete d.kind; delete d.statement; })), []);
  // Placeholders: a field, a step's comment, or a built-in; nothing else, and no stray braces.
  assert.deepEqual(messages(doc(permit, (d) => (d.dispositive = 'Издаје се {investorNam}.'))), [
    '/document/dispositive: {investorNam}: no field named "investorNam" (nor {agency}, {trackingNumber}, {issuedDate}, {validUntil})',
  ]);
  assert.deepEqual(messages(doc(permit, (d) => (d.reasoning = { 'sr-Latn': 'Ok {comment:approve}', 'sr-Cyrl': 'Не {comment:odobrenje}' }))), [
    '/document/reasoning/sr-Cyrl: {comment:odobrenje}: the approval line has no step "odobrenje"',
  ]);
  assert.deepEqual(problems(doc(permit, (d) => (d.legalRemedy = 'Рок је {осам} дана'))), ['/document/legalRemedy']);
  assert.deepEqual(problems(doc(permit, (d) => (d.reasoning = '{agency} {trackingNumber} {issuedDate} {validUntil} {comment:review} {parcelNumber}'))), []);
  // Facts: fields of the form, each once.
  assert.deepEqual(problems(doc(permit, (d) => (d.facts = ['parcelNumber', 'nope', 'parcelNumber']))), ['/document/facts/1', '/document/facts/2']);
});

test('localize: one Serbian script written, the other transliterated; English falls back to Serbian Latin', () => {
  assert.equal(localize('Ulica i kućni broj', 'sr-Latn'), 'Ulica i kućni broj');
  assert.equal(localize('Ulica i kućni broj', 'sr-Cyrl'), 'Улица и кућни број');
  assert.equal(localize('Ulica i kućni broj', 'en'), 'Ulica i kućni broj');
  assert.equal(localize('Љубазни фењерџија', 'sr-Latn'), 'Ljubazni fenjerdžija');
  assert.equal(localize('Љубазни фењерџија', 'sr-Cyrl'), 'Љубазни фењерџија');
  assert.equal(localize('Љубазни фењерџија', 'en'), 'Ljubazni fenjerdžija');

  const both = { 'sr-Latn': 'Mesto', en: 'Town' };
  assert.equal(localize(both, 'en'), 'Town');
  assert.equal(localize(both, 'sr-Latn'), 'Mesto');
  assert.equal(localize(both, 'sr-Cyrl'), 'Место');
  const cyrillicOnly = { 'sr-Cyrl': 'Поштански број' };
  assert.equal(localize(cyrillicOnly, 'sr-Latn'), 'Poštanski broj');
  assert.equal(localize(cyrillicOnly, 'en'), 'Poštanski broj');
  // Both scripts given: no transliteration (Roman numerals and foreign words stay as written).
  const explicit = { 'sr-Latn': 'Novi Sad I', 'sr-Cyrl': 'Нови Сад I' };
  assert.equal(localize(explicit, 'sr-Cyrl'), 'Нови Сад I');
  assert.equal(localize('Novi Sad I', 'sr-Cyrl'), 'Нови Сад И'); // why the example gives both

  // Every label, hint and title of the examples reads in all three languages.
  for (const id of EXAMPLES) {
    const def = example(id);
    for (const lang of ['en', 'sr-Latn', 'sr-Cyrl'] as const) {
      assert.ok(localize(def.title, lang).length > 0);
      for (const f of def.fields) {
        const label = localize(f.label, lang);
        assert.ok(label.length > 0, `${id}.${f.name}`);
        if (lang === 'sr-Cyrl') assert.doesNotMatch(label.replace(/\b[IVX]+\b/g, ''), /[A-Za-z]/, `${id}.${f.name}: ${label}`);
      }
    }
  }
});

test('valueKind: the JSON type of each field type', () => {
  const kinds = Object.fromEntries(
    (['text', 'textarea', 'number', 'date', 'email', 'tel', 'select', 'radio', 'checkbox', 'file'] as const).map((type) => [type, valueKind({ type })]),
  );
  assert.deepEqual(kinds, {
    text: 'string', textarea: 'string', number: 'number', date: 'string', email: 'string', tel: 'string',
    select: 'string', radio: 'string', checkbox: 'boolean', file: 'strings',
  });
  assert.equal(valueKind({ type: 'checkbox', options: [{ value: 'a', label: 'a' }] }), 'strings');
});

test('messages: a field\'s own error messages by rule, only for rules the field has', () => {
  const good = copy(example('building-permit'));
  assert.deepEqual(schemaPaths(good), []);
  const jmbg = good.fields.find((f: Loose) => f.name === 'investorJmbg');
  assert.equal(localize(jmbg.messages.required, 'sr-Cyrl'), 'Унесите ЈМБГ инвеститора');
  // The schema: known rules only, each a localized text.
  const bad = copy(example('building-permit'));
  bad.fields[1].messages = { required: 'Unesite ime', tooLong: 'x' };
  bad.fields[2].messages = { jmbg: 5 };
  bad.fields[3].messages = {};
  assert.deepEqual(schemaPaths(bad).sort(), ['/fields/1/messages', '/fields/2/messages/jmbg', '/fields/3/messages'].sort());
  // checkDefinition: a message for a rule the field never breaks is a mistake.
  const texts = { en: 'x', 'sr-Latn': 'x' };
  assert.deepEqual(problems(withFields(field({ name: 't', type: 'text', messages: { required: texts } }))), ['/fields/0/messages/required']);
  assert.deepEqual(problems(withFields(field({ name: 't', type: 'text', required: true, messages: { required: texts, maxLength: texts } }))), []);
  assert.deepEqual(problems(withFields(field({ name: 't', type: 'text', messages: { jmbg: texts, pattern: texts, minLength: texts } }))), [
    '/fields/0/messages/jmbg', '/fields/0/messages/pattern', '/fields/0/messages/minLength',
  ]);
  assert.deepEqual(problems(withFields(field({ name: 't', type: 'text', pattern: '[0-9]+', patternMessage: 'x', messages: { pattern: texts } }))), ['/fields/0/messages/pattern']);
  assert.deepEqual(problems(withFields(field({ name: 'n', type: 'number', messages: { maxLength: texts, email: texts } }))), ['/fields/0/messages/maxLength', '/fields/0/messages/email']);
  assert.deepEqual(problems(withFields(field({ name: 'f', type: 'file', accept: ['application/pdf'], messages: { accept: texts, maxFiles: texts, maxSize: texts } }))), ['/fields/0/messages/maxSize']);
});

test('each problem names its rule by a stable code, with the values its words name; the English message stays', () => {
  const permit = example('building-permit');
  const find = (def: FormDefinition, path: string) => checkDefinition(def).find((p) => p.path === path);
  const dup = copy(permit);
  dup.fields[1].name = dup.fields[0].name;
  assert.deepEqual(find(dup as FormDefinition, '/fields/1/name'), {
    path: '/fields/1/name', code: 'field-duplicate-name', params: { name: dup.fields[0].name, first: '/fields/0' },
    message: `duplicate field name "${dup.fields[0].name}" (first at /fields/0)`,
  });
  const bounds = copy(permit);
  bounds.fields.push({ name: 'dogs', type: 'number', label: 'Psi', min: 5, max: 2 });
  assert.deepEqual(find(bounds as FormDefinition, `/fields/${bounds.fields.length - 1}/min`), {
    path: `/fields/${bounds.fields.length - 1}/min`, code: 'min-above-max', params: { min: 5, max: 2 }, message: 'min (5) is above max (2)',
  });
  const line = copy(permit);
  line.approvalLine.push({ id: 'review', kind: 'approve', assignee: { role: 'head' } });
  assert.deepEqual(checkDefinition(line as FormDefinition).map((p) => [p.path, p.code, p.params]), [
    ['/approvalLine/3/kind', 'step-approve-not-last', {}],
    ['/approvalLine/4/id', 'step-duplicate-id', { id: 'review', first: '/approvalLine/0' }],
    ['/approvalLine', 'line-many-approve', { count: 2 }],
  ]);
  const fee = copy(permit);
  fee.fee.paymentCode = '25';
  fee.deadline = { days: 0, kind: 'working' };
  assert.deepEqual(checkDefinition(fee as FormDefinition).map((p) => [p.path, p.code, p.params]), [
    ['/deadline/days', 'deadline-days', { max: 3650 }],
    ['/fee/paymentCode', 'fee-payment-code', { paymentCode: '25' }],
  ]);
  // Every problem of the broken definitions above has a code and params beside its English message.
  for (const def of [dup, bounds, line, fee]) {
    for (const p of checkDefinition(def as FormDefinition)) {
      assert.match(p.code, /^[a-z]+(-[a-z]+)*$/, p.path);
      assert.equal(typeof p.params, 'object', p.path);
      assert.ok(p.message.length > 0, p.path);
    }
  }
});
