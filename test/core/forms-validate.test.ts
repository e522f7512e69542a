import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  LIMITS,
  validateApplication,
  visibleFields,
  type FormDefinition,
  type FormField,
  type UploadInfo,
  type ValidationIssue,
} from '../../components/core/index.ts';

const example = (id: string): FormDefinition =>
  JSON.parse(readFileSync(new URL(`../../examples/forms/${id}.json`, import.meta.url), 'utf8')) as FormDefinition;

const permit = example('building-permit');
const residence = example('certificate-of-residence');
const birth = example('birth-register-extract');

/** A minimal definition around some fields. */
const form = (...fields: FormField[]): FormDefinition => ({
  id: 'test',
  version: 1,
  agencyId: 'novi-primer',
  title: 'Test',
  fields,
  signature: { required: false },
  approvalLine: [{ id: 'approve', kind: 'approve', assignee: { role: 'head' } }],
  document: { template: 'test', title: 'Test' },
});

const TODAY = '2026-03-15';
const MB = 1024 * 1024;

const UPLOADS: Record<string, UploadInfo> = {
  'up-pdf-1': { size: 2 * MB, mediaType: 'application/pdf' },
  'up-pdf-2': { size: 5 * MB, mediaType: 'application/pdf' },
  'up-pdf-big': { size: 5 * MB + 1, mediaType: 'application/pdf' },
  'up-jpeg': { size: 300_000, mediaType: 'image/jpeg' },
  'up-exe': { size: 40_000, mediaType: 'application/x-msdownload' },
};

const personPermit = {
  investorType: 'person',
  investorName: '  Ana Petrović ',
  investorJmbg: '0101900710004',
  email: 'ana.petrovic@example.com',
  cadastralMunicipality: 'petrovaradin',
  parcelNumber: '1234/5',
  description: 'Porodična kuća, prizemlje i sprat, 180 m².',
  estimatedValue: 12_500_000,
  projectDocumentation: ['up-pdf-1', 'up-pdf-2'],
  ownershipProof: ['up-jpeg'],
  declaration: true,
};

const codes = (issues: readonly ValidationIssue[]) => issues.map((i) => `${i.field}:${i.code}`);

test('a complete building-permit application passes and is cleaned', () => {
  const result = validateApplication(permit, personPermit, { uploads: UPLOADS, today: TODAY });
  assert.deepEqual(result.issues, []);
  assert.equal(result.ok, true);
  assert.deepEqual(result.data, { ...personPermit, investorName: 'Ana Petrović' });
  // The cleaned arrays are copies.
  assert.notEqual(result.data.projectDocumentation, personPermit.projectDocumentation);
});

test('conditional fields: answers of hidden fields are dropped, their required rules do not apply', () => {
  const company = {
    ...personPermit,
    investorType: 'company',
    companyName: 'Gradnja Primer d.o.o.',
    companyPib: '101134702',
  };
  const result = validateApplication(permit, company, { uploads: UPLOADS, today: TODAY });
  assert.deepEqual(result.issues, []);
  assert.equal('investorName' in result.data, false);
  assert.equal('investorJmbg' in result.data, false);
  assert.equal(result.data.companyPib, '101134702');

  // A bad answer in a hidden field is not an error either.
  const hiddenBad = validateApplication(permit, { ...company, investorJmbg: 'not a jmbg', investorName: 42 }, { uploads: UPLOADS, today: TODAY });
  assert.deepEqual(hiddenBad.issues, []);

  // Shown, the company fields are required.
  const missing = validateApplication(permit, { ...personPermit, investorType: 'company', investorName: undefined, investorJmbg: undefined }, { uploads: UPLOADS, today: TODAY });
  assert.deepEqual(codes(missing.issues), ['companyName:required', 'companyPib:required']);

  // No investor type yet: neither branch is shown.
  assert.deepEqual(
    visibleFields(permit, {}).map((f) => f.name).filter((n) => /^(investor|company)/.test(n)),
    ['investorType'],
  );
});

test('conditional fields: residence email only for delivery by email, purposeOther only for "other"', () => {
  const base = {
    firstName: 'Marko', lastName: 'Marković', jmbg: '3112900735093', street: 'Bulevar oslobođenja 12',
    place: 'Novi Sad', postalCode: '21000', purpose: 'bank', delivery: 'online',
  };
  assert.deepEqual(validateApplication(residence, base).issues, []);
  assert.deepEqual(codes(validateApplication(residence, { ...base, delivery: 'email' }).issues), ['email:required']);
  assert.deepEqual(codes(validateApplication(residence, { ...base, delivery: 'email', email: 'marko@example' }).issues), ['email:email']);
  const ok = validateApplication(residence, { ...base, delivery: 'email', email: 'marko@example.rs' });
  assert.equal(ok.ok, true);
  assert.equal(ok.data.email, 'marko@example.rs');
  const dropped = validateApplication(residence, { ...base, email: 'marko@example.rs', purposeOther: 'x' });
  assert.equal(dropped.ok, true);
  assert.equal('email' in dropped.data, false);
  assert.equal('purposeOther' in dropped.data, false);
  assert.deepEqual(codes(validateApplication(residence, { ...base, purpose: 'other' }).issues), ['purposeOther:required']);
});

test('conditions: equals, in, filled, all of an array, booleans, multi-choice, and hiding cascades', () => {
  const def = form(
    { name: 'kind', type: 'radio', label: 'Vrsta', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }, { value: 'c', label: 'C' }] },
    { name: 'inAB', type: 'text', label: 'x', when: { field: 'kind', in: ['a', 'b'] } },
    { name: 'dependsOnInAB', type: 'text', label: 'x', when: { field: 'inAB', filled: true } },
    { name: 'emptyInAB', type: 'text', label: 'x', when: { field: 'inAB', filled: false } },
    { name: 'agree', type: 'checkbox', label: 'x' },
    { name: 'agreed', type: 'text', label: 'x', when: { field: 'agree', equals: true } },
    { name: 'tickedAndB', type: 'text', label: 'x', when: [{ field: 'agree', filled: true }, { field: 'kind', equals: 'b' }] },
    { name: 'langs', type: 'checkbox', label: 'x', options: [{ value: 'en', label: 'en' }, { value: 'de', label: 'de' }] },
    { name: 'german', type: 'text', label: 'x', when: { field: 'langs', equals: 'de' } },
    { name: 'count', type: 'number', label: 'x' },
    { name: 'three', type: 'text', label: 'x', when: { field: 'count', in: [3] } },
  );
  const shown = (data: Record<string, unknown>) => visibleFields(def, data).map((f) => f.name);
  // A hidden field has no answer: `filled: false` holds for it.
  const always = ['kind', 'emptyInAB', 'agree', 'langs', 'count'];
  assert.deepEqual(shown({}), always);
  assert.deepEqual(shown({ kind: 'a' }), ['kind', 'inAB', 'emptyInAB', 'agree', 'langs', 'count']);
  assert.deepEqual(shown({ kind: 'b', inAB: ' x ' }), ['kind', 'inAB', 'dependsOnInAB', 'agree', 'langs', 'count']);
  // inAB is hidden for kind c, so its (stale) answer does not show its dependant.
  assert.deepEqual(shown({ kind: 'c', inAB: 'x' }), always);
  // A blank answer is no answer.
  assert.deepEqual(shown({ kind: 'a', inAB: '   ' }), ['kind', 'inAB', 'emptyInAB', 'agree', 'langs', 'count']);
  // An unticked box is not "filled".
  assert.deepEqual(shown({ agree: false, kind: 'b' }).includes('tickedAndB'), false);
  assert.deepEqual(shown({ agree: true, kind: 'b' }).filter((n) => ['agreed', 'tickedAndB'].includes(n)), ['agreed', 'tickedAndB']);
  assert.deepEqual(shown({ agree: true, kind: 'a' }).includes('tickedAndB'), false);
  // Multi-choice: equals means "includes".
  assert.equal(shown({ langs: ['en', 'de'] }).includes('german'), true);
  assert.equal(shown({ langs: ['en'] }).includes('german'), false);
  // Numbers compare as numbers; an answer of the wrong type is no answer.
  assert.equal(shown({ count: 3 }).includes('three'), true);
  assert.equal(shown({ count: '3' }).includes('three'), false);
  // Anything that is not an object shows only the unconditional fields.
  assert.deepEqual(shown(null as unknown as Record<string, unknown>), always);
});

test('unknown fields: one issue per unknown key, named by that key', () => {
  const result = validateApplication(residence, { firstName: 'Ana', isAdmin: true, constructor: 'x', __proto__x: 1 });
  const unknown = result.issues.filter((i) => i.code === 'unknownField').map((i) => i.field);
  assert.deepEqual(unknown, ['isAdmin', 'constructor', '__proto__x']);
  assert.equal(result.ok, false);
  assert.equal('isAdmin' in result.data, false);
  // A very long unknown key is echoed cut short.
  const long = 'k'.repeat(10_000);
  const [echo] = validateApplication(form({ name: 'a', type: 'text', label: 'a' }), { [long]: 1 }).issues;
  assert.equal(echo!.field, `${'k'.repeat(LIMITS.unknownKeyEcho)}…`);
  // Keys that only exist on the prototype are not answers.
  const proto = Object.create({ firstName: 'Inherited' }) as Record<string, unknown>;
  assert.equal(validateApplication(form({ name: 'firstName', type: 'text', label: 'x', required: true }), proto).issues[0]!.code, 'required');
});

test('wrong JSON types give "type" with the expected kind, and are not stored', () => {
  const def = form(
    { name: 'text', type: 'text', label: 'x' },
    { name: 'num', type: 'number', label: 'x' },
    { name: 'box', type: 'checkbox', label: 'x' },
    { name: 'multi', type: 'checkbox', label: 'x', options: [{ value: 'a', label: 'a' }, { value: 'b', label: 'b' }] },
    { name: 'pick', type: 'select', label: 'x', options: [{ value: '1', label: 'a' }] },
    { name: 'when', type: 'date', label: 'x' },
    { name: 'files', type: 'file', label: 'x', maxFiles: 3 },
  );
  const result = validateApplication(def, {
    text: { nested: { deeper: ['x'] } },
    num: '12',
    box: 'true',
    multi: 'a',
    pick: 1,
    when: 20260101,
    files: 'up-1',
  });
  assert.deepEqual(
    result.issues.map((i) => [i.field, i.code, i.params?.expected]),
    [
      ['text', 'type', 'string'], ['num', 'type', 'number'], ['box', 'type', 'boolean'], ['multi', 'type', 'strings'],
      ['pick', 'type', 'string'], ['when', 'type', 'string'], ['files', 'type', 'strings'],
    ],
  );
  assert.deepEqual(result.data, {});
  assert.deepEqual(codes(validateApplication(def, { num: Number.NaN }).issues), ['num:type']);
  assert.deepEqual(codes(validateApplication(def, { num: Infinity }).issues), ['num:type']);
  assert.deepEqual(codes(validateApplication(def, { multi: ['a', 2] }).issues), ['multi:type']);
  assert.deepEqual(codes(validateApplication(def, { files: ['ok', { id: 1 }] }).issues), ['files:type']);
  assert.deepEqual(codes(validateApplication(def, { files: [''] }).issues), ['files:type']);
  // null means "no answer".
  assert.deepEqual(validateApplication(def, { text: null, num: null }).issues, []);
  // The data itself must be an object.
  for (const bad of [null, [], 'text', 42, true, undefined]) {
    const r = validateApplication(def, bad);
    assert.deepEqual(r.issues, [{ field: '', code: 'type', params: { expected: 'object' } }]);
    assert.equal(r.ok, false);
  }
});

test('text with a lone UTF-16 surrogate is not text ("type"), so every answer stored can be canonicalized', () => {
  const def = form({ name: 'a', type: 'text', label: 'x' }, { name: 'b', type: 'textarea', label: 'x' }, { name: 'c', type: 'text', label: 'x' });
  const result = validateApplication(def, { a: 'ok \uD800 here', b: '\uDC00', c: 'emoji 😀 fine' }, { today: TODAY });
  assert.deepEqual(codes(result.issues), ['a:type', 'b:type']);
  assert.deepEqual(result.data, { c: 'emoji 😀 fine' });
});

test('required, per field type, and the draft mode that leaves completeness out', () => {
  const result = validateApplication(permit, {}, { uploads: UPLOADS, today: TODAY });
  assert.deepEqual(codes(result.issues), [
    'investorType:required', 'email:required', 'cadastralMunicipality:required', 'parcelNumber:required',
    'description:required', 'estimatedValue:required', 'projectDocumentation:required', 'ownershipProof:required',
    'declaration:required',
  ]);
  assert.deepEqual(codes(validateApplication(permit, { ...personPermit, declaration: false }, { uploads: UPLOADS, today: TODAY }).issues), ['declaration:required']);
  assert.deepEqual(codes(validateApplication(permit, { ...personPermit, email: '   ' }, { uploads: UPLOADS, today: TODAY }).issues), ['email:required']);
  assert.deepEqual(codes(validateApplication(permit, { ...personPermit, ownershipProof: [] }, { uploads: UPLOADS, today: TODAY }).issues), ['ownershipProof:required']);

  const draft = validateApplication(permit, { investorType: 'person', investorJmbg: '123', email: 'ana@example.com' }, { mode: 'draft', uploads: UPLOADS });
  assert.deepEqual(codes(draft.issues), ['investorJmbg:jmbg']);
  assert.deepEqual(draft.data, { investorType: 'person', email: 'ana@example.com' });
  const def = form({ name: 'files', type: 'file', label: 'x', minFiles: 2, maxFiles: 3 });
  assert.deepEqual(validateApplication(def, { files: ['a'] }, { mode: 'draft' }).issues, []);
  assert.deepEqual(codes(validateApplication(def, { files: ['a'] }).issues), ['files:minFiles']);
});

test('every rule, through validateApplication, with its parameters', () => {
  const def = form(
    { name: 'name', type: 'text', label: 'x', minLength: 2, maxLength: 5 },
    { name: 'code', type: 'text', label: 'x', pattern: '[A-Z]{2}-[0-9]{3}' },
    { name: 'jmbg', type: 'text', label: 'x', validators: ['jmbg'] },
    { name: 'pib', type: 'text', label: 'x', validators: ['pib'] },
    { name: 'mail', type: 'email', label: 'x' },
    { name: 'phone', type: 'tel', label: 'x' },
    { name: 'born', type: 'date', label: 'x', min: 'today-120y', max: 'today' },
    { name: 'start', type: 'date', label: 'x', min: '2026-01-01', max: '2026-12-31' },
    { name: 'count', type: 'number', label: 'x', min: 1, max: 10 },
    { name: 'pick', type: 'select', label: 'x', options: [{ value: 'a', label: 'a' }] },
    { name: 'radio', type: 'radio', label: 'x', options: [{ value: 'a', label: 'a' }] },
    { name: 'multi', type: 'checkbox', label: 'x', options: [{ value: 'a', label: 'a' }, { value: 'b', label: 'b' }] },
    { name: 'long', type: 'textarea', label: 'x' },
  );
  const check = (data: Record<string, unknown>) => validateApplication(def, data, { today: TODAY }).issues;
  assert.deepEqual(check({ name: 'A' }), [{ field: 'name', code: 'minLength', params: { min: 2 } }]);
  assert.deepEqual(check({ name: 'Aleksandar' }), [{ field: 'name', code: 'maxLength', params: { max: 5 } }]);
  assert.deepEqual(check({ name: ' Ana ' }), []); // trimmed before counting
  assert.deepEqual(check({ code: 'AB-123' }), []);
  assert.deepEqual(check({ code: 'ab-123' }), [{ field: 'code', code: 'pattern' }]);
  assert.deepEqual(check({ jmbg: '0101900710005' }), [{ field: 'jmbg', code: 'jmbg' }]);
  assert.deepEqual(check({ jmbg: ' 0101900710004 ' }), []);
  assert.deepEqual(check({ pib: '101134703' }), [{ field: 'pib', code: 'pib' }]);
  assert.deepEqual(check({ mail: 'ana@example' }), [{ field: 'mail', code: 'email' }]);
  assert.deepEqual(check({ phone: 'zovi me' }), [{ field: 'phone', code: 'tel' }]);
  assert.deepEqual(check({ born: '2026-02-31' }), [{ field: 'born', code: 'date' }]);
  assert.deepEqual(check({ born: '2026-03-16' }), [{ field: 'born', code: 'max', params: { max: TODAY } }]);
  assert.deepEqual(check({ born: '1906-03-14' }), [{ field: 'born', code: 'min', params: { min: '1906-03-15' } }]);
  assert.deepEqual(check({ born: TODAY }), []);
  assert.deepEqual(check({ start: '2025-12-31' }), [{ field: 'start', code: 'min', params: { min: '2026-01-01' } }]);
  assert.deepEqual(check({ start: '2027-01-01' }), [{ field: 'start', code: 'max', params: { max: '2026-12-31' } }]);
  assert.deepEqual(check({ count: 0 }), [{ field: 'count', code: 'min', params: { min: 1 } }]);
  assert.deepEqual(check({ count: 10.5 }), [{ field: 'count', code: 'max', params: { max: 10 } }]);
  assert.deepEqual(check({ count: 10 }), []);
  assert.deepEqual(check({ pick: 'b' }), [{ field: 'pick', code: 'option' }]);
  assert.deepEqual(check({ pick: ' a' }), [{ field: 'pick', code: 'option' }]); // option values are not trimmed
  assert.deepEqual(check({ radio: 'z' }), [{ field: 'radio', code: 'option' }]);
  assert.deepEqual(check({ multi: ['a', 'a'] }), [{ field: 'multi', code: 'option' }]);
  assert.deepEqual(check({ multi: ['c'] }), [{ field: 'multi', code: 'option' }]);
  assert.deepEqual(check({ multi: ['b', 'a'] }), []);
  assert.deepEqual(check({ long: 'x'.repeat(LIMITS.textareaLength) }), []);
  assert.deepEqual(check({ long: 'x'.repeat(LIMITS.textareaLength + 1) }), [{ field: 'long', code: 'maxLength', params: { max: LIMITS.textareaLength } }]);
  assert.deepEqual(check({ name: 'x'.repeat(LIMITS.textLength + 1), code: 'y'.repeat(LIMITS.textLength + 1) }), [
    { field: 'name', code: 'maxLength', params: { max: 5 } },
    { field: 'code', code: 'maxLength', params: { max: LIMITS.textLength } },
  ]);
  // One issue per field: the first rule broken.
  assert.deepEqual(check({ name: 'A', code: 'x', pick: 'q' }).map((i) => i.field), ['name', 'code', 'pick']);
});

test('dates use Belgrade time by default', () => {
  const def = form({ name: 'when', type: 'date', label: 'x', max: 'today' });
  const farFuture = validateApplication(def, { when: '2999-01-01' });
  assert.equal(farFuture.issues[0]?.code, 'max');
  assert.match(String(farFuture.issues[0]?.params?.max), /^\d{4}-\d{2}-\d{2}$/);
});

test('files: upload lookup, type, size, counts, duplicates', () => {
  const opts = { uploads: UPLOADS, today: TODAY };
  const withDocs = (docs: unknown) => validateApplication(permit, { ...personPermit, projectDocumentation: docs }, opts).issues;
  assert.deepEqual(withDocs(['up-pdf-1', 'up-unknown']), [{ field: 'projectDocumentation', code: 'unknownUpload', params: { index: 1, upload: 'up-unknown' } }]);
  assert.deepEqual(withDocs(['constructor']), [{ field: 'projectDocumentation', code: 'unknownUpload', params: { index: 0, upload: 'constructor' } }]);
  assert.deepEqual(withDocs(['up-exe']), [{ field: 'projectDocumentation', code: 'accept', params: { index: 0, upload: 'up-exe', accept: 'application/pdf' } }]);
  assert.deepEqual(withDocs(['up-jpeg']), [{ field: 'projectDocumentation', code: 'accept', params: { index: 0, upload: 'up-jpeg', accept: 'application/pdf' } }]);
  assert.deepEqual(withDocs(['up-pdf-big']), [{ field: 'projectDocumentation', code: 'maxSize', params: { index: 0, upload: 'up-pdf-big', max: 5 * MB } }]);
  assert.deepEqual(withDocs(['up-pdf-1', 'up-pdf-1']), [{ field: 'projectDocumentation', code: 'duplicateUpload', params: { index: 1, upload: 'up-pdf-1' } }]);
  assert.deepEqual(withDocs(['a', 'b', 'c', 'd', 'e', 'f']), [{ field: 'projectDocumentation', code: 'maxFiles', params: { max: 5 } }]);
  assert.deepEqual(withDocs(['up-pdf-1', 'up-pdf-2']), []);
  const proof = (ids: string[]) => validateApplication(permit, { ...personPermit, ownershipProof: ids }, opts).issues;
  assert.deepEqual(proof(['up-pdf-1', 'up-jpeg']), []);
  assert.deepEqual(codes(proof(['up-pdf-1', 'up-jpeg', 'up-pdf-2'])), ['ownershipProof:maxFiles']);
  // Without an uploads table (the element before uploading), only counts and shapes are checked.
  const noLookup = validateApplication(permit, { ...personPermit, projectDocumentation: ['anything', 'else'] }, { today: TODAY });
  assert.deepEqual(noLookup.issues, []);
  // maxFiles defaults to 1.
  const single = form({ name: 'photo', type: 'file', label: 'x' });
  assert.deepEqual(codes(validateApplication(single, { photo: ['a', 'b'] }).issues), ['photo:maxFiles']);
  // minFiles, when some files are given.
  const two = form({ name: 'scans', type: 'file', label: 'x', minFiles: 2, maxFiles: 4 });
  assert.deepEqual(validateApplication(two, { scans: ['a'] }).issues, [{ field: 'scans', code: 'minFiles', params: { min: 2 } }]);
  assert.deepEqual(validateApplication(two, {}).issues, []); // optional and empty
});

test('the birth-register example: date of birth in the past, international extract shows the country', () => {
  const data = {
    firstName: 'Jelena', lastName: 'Jovanović', jmbg: '0101900710004', dateOfBirth: '1990-03-27',
    placeOfBirth: 'Zemun, Beograd', purpose: 'education', international: true, country: 'Austrija',
  };
  const ok = validateApplication(birth, data, { today: TODAY });
  assert.deepEqual(ok.issues, []);
  assert.equal(ok.data.country, 'Austrija');
  const domestic = validateApplication(birth, { ...data, international: false }, { today: TODAY });
  assert.equal(domestic.ok, true);
  assert.equal(domestic.data.international, false);
  assert.equal('country' in domestic.data, false);
  assert.deepEqual(codes(validateApplication(birth, { ...data, dateOfBirth: '2026-03-16' }, { today: TODAY }).issues), ['dateOfBirth:max']);
  assert.deepEqual(codes(validateApplication(birth, { ...data, dateOfBirth: '1990-02-29' }, { today: TODAY }).issues), ['dateOfBirth:date']);
});

// Abuse --------------------------------------------------------------------------------
// Bounds on work, not on time (speed targets live in bench/): what the validator reads and
// which patterns it runs, counted through pass-through proxies.

test('10,000 unknown fields: a capped issue list, and not one unknown value read', () => {
  const data: Record<string, unknown> = { ...personPermit };
  for (let i = 0; i < 10_000; i++) data[`field${i}`] = 'x'.repeat(100);
  // Counts reads of the unknown fields' values: they are only counted up to the cap, never looked at.
  let unknownReads = 0;
  const watched = new Proxy(data, {
    get(target, key, receiver) {
      if (typeof key === 'string' && key.startsWith('field')) unknownReads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const result = validateApplication(permit, watched, { uploads: UPLOADS, today: TODAY });
  assert.equal(result.issues.length, LIMITS.unknownFieldIssues);
  assert.ok(result.issues.every((i) => i.code === 'unknownField'));
  assert.deepEqual(result.issues.slice(0, 2).map((i) => i.field), ['field0', 'field1']);
  assert.equal(result.ok, false);
  assert.equal(unknownReads, 0);
});

test('huge strings get maxLength without any pattern work', () => {
  // A catastrophic pattern: on 30 × "a" it would take minutes to fail.
  const Original = RegExp;
  const tested: number[] = [];
  // Counts what the compiled pattern is run on (the validator compiles it with `new RegExp`).
  globalThis.RegExp = new Proxy(Original, {
    construct(target, args: [string, string]) {
      const re = new target(...args);
      const test = re.test.bind(re);
      re.test = (s: string) => {
        tested.push(s.length);
        return test(s);
      };
      return re;
    },
  });
  let issues: readonly ValidationIssue[] = [];
  try {
    const def = form({ name: 'evil', type: 'text', label: 'x', pattern: '(a+)+b', maxLength: 20 });
    assert.deepEqual(validateApplication(def, { evil: 'aab' }).issues, []);
    issues = validateApplication(def, { evil: 'a'.repeat(30) }).issues;
    issues = [...issues, ...validateApplication(def, { evil: 'a'.repeat(10_000_000) }).issues];
  } finally {
    globalThis.RegExp = Original;
  }
  assert.deepEqual(codes(issues), ['evil:maxLength', 'evil:maxLength']);
  assert.deepEqual(tested, [3], 'the pattern ran on the short value only');
});

test('huge arrays and deep nesting are refused without being walked', () => {
  const def = form(
    { name: 'files', type: 'file', label: 'x', maxFiles: 5 },
    { name: 'multi', type: 'checkbox', label: 'x', options: [{ value: 'a', label: 'a' }] },
    { name: 'text', type: 'text', label: 'x' },
    // Conditions on the huge arrays must not walk them either.
    { name: 'ifA', type: 'text', label: 'x', when: [{ field: 'multi', in: ['a', 'b'] }, { field: 'files', equals: 'z' }] },
  );
  let deep: unknown = 'bottom';
  for (let i = 0; i < 100_000; i++) deep = { d: deep };
  // Arrays that count how many of their items are read, and a nested object that counts any look inside.
  let reads = 0;
  const counting = () =>
    new Proxy(new Array<unknown>(1_000_000).fill('a'), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  let deepLooks = 0;
  const watchedDeep = new Proxy(deep as object, {
    get(target, key, receiver) {
      deepLooks++;
      return Reflect.get(target, key, receiver) as unknown;
    },
    ownKeys(target) {
      deepLooks++;
      return Reflect.ownKeys(target);
    },
  });
  const issues = validateApplication(def, { files: counting(), multi: counting(), text: watchedDeep }).issues;
  assert.deepEqual(codes(issues), ['files:maxFiles', 'multi:option', 'text:type']);
  assert.equal(reads, 0);
  assert.equal(deepLooks, 0);
});

test('patterns are compiled once per definition', () => {
  const def = form({ name: 'code', type: 'text', label: 'x', pattern: '[A-Z]{2}-[0-9]{3}' });
  const Original = RegExp;
  let constructed = 0;
  const Counting = new Proxy(Original, {
    construct(target, args: [string, string]) {
      constructed++;
      return new target(...args);
    },
  });
  globalThis.RegExp = Counting;
  try {
    for (let i = 0; i < 100; i++) validateApplication(def, { code: i % 2 ? 'AB-123' : 'bad' });
  } finally {
    globalThis.RegExp = Original;
  }
  assert.equal(constructed, 1);
  // A definition with a broken pattern (one that skipped checkDefinition) is a programming error.
  assert.throws(() => validateApplication(form({ name: 'p', type: 'text', label: 'x', pattern: '(' }), {}), TypeError);
});
