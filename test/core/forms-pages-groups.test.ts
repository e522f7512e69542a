/**
 * Pages, repeating groups, prefill and JMBG cross-checks (issue 21) in the one validator and in
 * checkDefinition: what the element and the server both run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkDefinition,
  itemPath,
  parseFieldPath,
  validateApplication,
  visibleFields,
  visibleItemFields,
  visiblePages,
  type FormDefinition,
  type FormField,
  type FormPage,
} from '../../components/core/index.ts';
import { jmbgControlDigit } from '../../components/core/forms/validators.ts';
import { formIssueMessage, issueToFieldError } from '../../components/i18n/form-messages.ts';
import { loadAllMessages } from '../../components/i18n/all.ts';

// Serbian loads per area on demand (as in the browser); these tests use the validator's.
await loadAllMessages();

const withControl = (twelve: string) => twelve + jmbgControlDigit(twelve);
/** 15 March 1998, a man (serial 710) and a woman (serial 715). */
const MAN = withControl('150399871002');
const WOMAN = withControl('150399871502');
const TODAY = '2026-03-15';

const coOwners: FormField = {
  name: 'coOwners',
  type: 'group',
  label: { 'sr-Latn': 'Suvlasnici parcele', en: 'Co-owners of the parcel' },
  itemLabel: { 'sr-Latn': 'Suvlasnik', en: 'Co-owner' },
  required: true,
  maxItems: 3,
  when: { field: 'shared', equals: 'yes' },
  fields: [
    { name: 'name', type: 'text', label: { 'sr-Latn': 'Ime i prezime', en: 'Full name' }, required: true },
    { name: 'jmbg', type: 'text', label: 'JMBG', required: true, validators: ['jmbg'] },
    { name: 'birthDate', type: 'date', label: { 'sr-Latn': 'Datum rođenja', en: 'Date of birth' }, matchesJmbg: 'jmbg' },
    { name: 'share', type: 'number', label: { 'sr-Latn': 'Udeo (%)', en: 'Share (%)' }, min: 1, max: 100 },
    { name: 'minor', type: 'checkbox', label: { 'sr-Latn': 'Maloletan', en: 'A minor' } },
    // Shown only in items of minors, and only when the applicant said a guardian signs.
    { name: 'guardian', type: 'text', label: { 'sr-Latn': 'Staratelj', en: 'Guardian' }, required: true, when: [{ field: 'minor', equals: true }, { field: 'guardianSigns', equals: true }] },
  ],
};

const PAGES: FormPage[] = [
  { id: 'applicant', title: { 'sr-Latn': 'Podnosilac', en: 'Applicant' }, fields: ['fullName', 'email', 'jmbg', 'sex', 'guardianSigns'] },
  { id: 'parcel', title: { 'sr-Latn': 'Parcela', en: 'Parcel' }, fields: ['shared'] },
  { id: 'owners', title: { 'sr-Latn': 'Suvlasnici', en: 'Co-owners' }, fields: ['coOwners'], when: { field: 'shared', equals: 'yes' } },
  { id: 'notes', title: { 'sr-Latn': 'Napomena', en: 'Notes' }, fields: ['notes'] },
];

const def: FormDefinition = {
  id: 'pages-test',
  version: 1,
  agencyId: 'novi-primer',
  title: 'Test',
  signature: { required: false },
  approvalLine: [{ id: 'approve', kind: 'approve', assignee: { role: 'head' } }],
  document: { template: 'test', title: 'Test' },
  fields: [
    { name: 'fullName', type: 'text', label: { 'sr-Latn': 'Ime i prezime', en: 'Full name' }, required: true, prefill: 'displayName' },
    { name: 'email', type: 'email', label: 'E-pošta', prefill: 'email' },
    { name: 'jmbg', type: 'text', label: 'JMBG', required: true, validators: ['jmbg'] },
    {
      name: 'sex', type: 'radio', label: { 'sr-Latn': 'Pol', en: 'Sex' }, matchesJmbg: 'jmbg',
      options: [{ value: 'male', label: { 'sr-Latn': 'Muški', en: 'Male' } }, { value: 'female', label: { 'sr-Latn': 'Ženski', en: 'Female' } }],
    },
    { name: 'guardianSigns', type: 'checkbox', label: 'Staratelj potpisuje' },
    { name: 'shared', type: 'radio', label: 'Parcela ima suvlasnike?', required: true, options: [{ value: 'yes', label: 'Da' }, { value: 'no', label: 'Ne' }] },
    coOwners,
    { name: 'notes', type: 'textarea', label: 'Napomena' },
  ],
  pages: PAGES,
};

const owner = (over: Record<string, unknown> = {}) => ({ name: 'Ana Anić', jmbg: WOMAN, birthDate: '1998-03-15', share: 50, ...over });
const base = { fullName: 'Petar Petrović', jmbg: MAN, sex: 'male', shared: 'yes' };
const run = (data: unknown, mode: 'submit' | 'draft' = 'submit') => validateApplication(def, data, { today: TODAY, mode });

test('the test form is a good definition', () => {
  assert.deepEqual(checkDefinition(def), []);
});

test('groups: items are checked with their own rules, errors at item paths', () => {
  const result = run({ ...base, coOwners: [owner(), owner({ jmbg: '123', share: 0 }), owner({ name: '  ' })] });
  assert.deepEqual(result.issues, [
    { field: 'coOwners[1].jmbg', code: 'jmbg' },
    { field: 'coOwners[1].share', code: 'min', params: { min: 1 } },
    { field: 'coOwners[2].name', code: 'required' },
  ]);
  const ok = run({ ...base, coOwners: [owner(), owner({ name: ' Marko ', share: undefined })] });
  assert.deepEqual(ok.issues, []);
  assert.deepEqual(ok.data.coOwners, [owner(), { name: 'Marko', jmbg: WOMAN, birthDate: '1998-03-15' }]);
});

test('groups: min and max items; a required group needs one; drafts skip completeness', () => {
  assert.deepEqual(run({ ...base }).issues, [{ field: 'coOwners', code: 'required', params: { min: 1 } }]);
  assert.deepEqual(run({ ...base, coOwners: [] }).issues, [{ field: 'coOwners', code: 'required', params: { min: 1 } }]);
  assert.deepEqual(run({ ...base }, 'draft').issues, []);
  // Over the maximum: refused without walking the items (the bad item is not even looked at).
  assert.deepEqual(run({ ...base, coOwners: [owner(), owner(), owner(), { jmbg: 'x' }] }).issues, [{ field: 'coOwners', code: 'maxItems', params: { max: 3 } }]);
  const two: FormDefinition = { ...def, fields: def.fields.map((f) => (f.name === 'coOwners' ? { ...f, required: false, minItems: 2 } : f)) };
  assert.deepEqual(checkDefinition(two), []);
  assert.deepEqual(validateApplication(two, { ...base, coOwners: [owner()] }, { today: TODAY }).issues, [{ field: 'coOwners', code: 'minItems', params: { min: 2 } }]);
  assert.deepEqual(validateApplication(two, { ...base, coOwners: [owner()] }, { today: TODAY, mode: 'draft' }).issues, []);
});

test('groups: wrong shapes are type issues, unknown keys in an item are named by path', () => {
  assert.deepEqual(run({ ...base, coOwners: 'Ana' }).issues, [{ field: 'coOwners', code: 'type', params: { expected: 'items' } }]);
  assert.deepEqual(run({ ...base, coOwners: [owner(), 'Ana', null] }).issues, [
    { field: 'coOwners[1]', code: 'type', params: { expected: 'object' } },
    { field: 'coOwners[2]', code: 'type', params: { expected: 'object' } },
  ]);
  assert.deepEqual(run({ ...base, coOwners: [owner({ nickname: 'A' })] }).issues, [{ field: 'coOwners[0].nickname', code: 'unknownField' }]);
});

test('groups: a hidden group is not required and its items are dropped', () => {
  const result = run({ ...base, shared: 'no', coOwners: [{ jmbg: 'not a jmbg' }] });
  assert.deepEqual(result.issues, []);
  assert.equal(result.data.coOwners, undefined);
});

test('groups: an item field\'s condition sees its own item, then the top-level answers', () => {
  const minor = owner({ minor: true });
  // The guardian question shows only for minors, and only when the applicant said a guardian signs.
  assert.deepEqual(run({ ...base, coOwners: [minor] }).issues, []);
  assert.deepEqual(run({ ...base, guardianSigns: true, coOwners: [owner(), minor] }).issues, [{ field: 'coOwners[1].guardian', code: 'required' }]);
  const data = { ...base, guardianSigns: true, coOwners: [owner(), minor] };
  assert.deepEqual(visibleItemFields(def, 'coOwners', data, 0).map((f) => f.name), ['name', 'jmbg', 'birthDate', 'share', 'minor']);
  assert.deepEqual(visibleItemFields(def, 'coOwners', data, 1).map((f) => f.name), ['name', 'jmbg', 'birthDate', 'share', 'minor', 'guardian']);
  assert.deepEqual(visibleItemFields(def, 'coOwners', { ...data, shared: 'no' }, 1), []);
});

test('pages: a page\'s condition hides the page and its fields (not required, answers dropped)', () => {
  const noOwners = { ...base, shared: 'no' };
  assert.deepEqual(visiblePages(def, noOwners).map((p) => p.page?.id), ['applicant', 'parcel', 'notes']);
  assert.deepEqual(visiblePages(def, base).map((p) => p.page?.id), ['applicant', 'parcel', 'owners', 'notes']);
  assert.deepEqual(visiblePages(def, base)[0]!.fields.map((f) => f.name), ['fullName', 'email', 'jmbg', 'sex', 'guardianSigns']);
  // The page's condition alone hides the group even if the group's own `when` would show it.
  const pageOnly: FormDefinition = { ...def, fields: def.fields.map((f) => (f.name === 'coOwners' ? { ...f, when: undefined } : f)) };
  assert.deepEqual(checkDefinition(pageOnly), []);
  assert.equal(visibleFields(pageOnly, noOwners).some((f) => f.name === 'coOwners'), false);
  assert.deepEqual(validateApplication(pageOnly, { ...noOwners, coOwners: [{}] }, { today: TODAY }).issues, []);
  // A form without pages is one page with every field shown.
  const flat: FormDefinition = { ...def, pages: undefined };
  assert.deepEqual(visiblePages(flat, base).map((p) => [p.page, p.fields.length]), [[null, 8]]);
});

test('matchesJmbg: a date of birth or sex the JMBG contradicts is refused, naming both fields', async () => {
  const wrongSex = run({ ...base, sex: 'female', coOwners: [owner()] });
  assert.deepEqual(wrongSex.issues, [{ field: 'sex', code: 'matchesJmbg', params: { jmbgField: 'jmbg', expected: 'male' } }]);
  assert.equal(wrongSex.data.sex, undefined);
  assert.equal(formIssueMessage(wrongSex.issues[0]!, 'en', def), 'Sex does not match the JMBG: by the JMBG it is Male');
  const wrongDate = run({ ...base, coOwners: [owner({ birthDate: '1998-03-16' })] });
  assert.deepEqual(wrongDate.issues, [{ field: 'coOwners[0].birthDate', code: 'matchesJmbg', params: { jmbgField: 'coOwners[0].jmbg', expected: '1998-03-15' } }]);
  assert.equal(formIssueMessage(wrongDate.issues[0]!, 'en', def), 'Co-owner 1: date of birth does not match the JMBG: by the JMBG it is 15 March 1998');
  assert.match(formIssueMessage(wrongDate.issues[0]!, 'sr-Latn', def), /^Suvlasnik 1 – datum rođenja se ne slaže sa poljem „JMBG“: prema JMBG-u je 15\. mart 1998/);
  // An invalid JMBG is its own field's error; nothing to compare with.
  assert.deepEqual(run({ ...base, jmbg: '1234567890123', coOwners: [owner()] }).issues.map((i) => [i.field, i.code]), [['jmbg', 'jmbg']]);
});

test('item errors name the item, in English and both Serbian scripts', async () => {
  const issue = { field: itemPath('coOwners', 1, 'jmbg'), code: 'required' } as const;
  assert.equal(formIssueMessage(issue, 'en', def), 'Co-owner 2: enter the JMBG');
  assert.equal(formIssueMessage(issue, 'sr-Latn', def), 'Suvlasnik 2 – unesite: JMBG');
  assert.equal(formIssueMessage(issue, 'sr-Cyrl', def), 'Сувласник 2 – унесите: ЈМБГ');
  assert.deepEqual(issueToFieldError(issue, 'en', def), { field: 'coOwners[1].jmbg', code: 'required', message: 'Co-owner 2: enter the JMBG' });
  assert.deepEqual(parseFieldPath('coOwners[1].jmbg'), { group: 'coOwners', index: 1, field: 'jmbg' });
  assert.deepEqual(parseFieldPath('jmbg'), { field: 'jmbg' });
});

test('checkDefinition: pages', () => {
  const paths = (d: FormDefinition) => checkDefinition(d).map((p) => p.path);
  assert.deepEqual(paths({ ...def, pages: [PAGES[0]!, PAGES[1]!, PAGES[2]!] }), ['/fields/7']);
  assert.deepEqual(paths({ ...def, pages: [...PAGES, { id: 'again', title: 'x', fields: ['notes'] }] }), ['/pages/4/fields/0']);
  assert.deepEqual(paths({ ...def, pages: [PAGES[1]!, PAGES[0]!, PAGES[2]!, PAGES[3]!] }), [0, 1, 2, 3, 4].map((j) => `/pages/1/fields/${j}`));
  assert.deepEqual(paths({ ...def, pages: [...PAGES.slice(0, 3), { ...PAGES[3]!, id: 'applicant' }] }), ['/pages/3/id']);
  assert.deepEqual(paths({ ...def, pages: [...PAGES.slice(0, 3), { ...PAGES[3]!, fields: ['notes', 'nope'] }] }), ['/pages/3/fields/1']);
  // A page's condition looks at earlier pages only.
  assert.deepEqual(paths({ ...def, pages: [PAGES[0]!, { ...PAGES[1]!, when: { field: 'notes', filled: true } }, PAGES[2]!, PAGES[3]!] }), ['/pages/1/when/field']);
  assert.deepEqual(paths({ ...def, pages: [PAGES[0]!, PAGES[1]!, { ...PAGES[2]!, when: [{ field: 'shared', equals: 'maybe' }] }, PAGES[3]!] }), ['/pages/2/when/0/equals']);
});

test('checkDefinition: groups, prefill and matchesJmbg', () => {
  const withGroup = (g: Partial<FormField>, sub?: FormField[]) => ({
    ...def,
    fields: def.fields.map((f) => (f.name === 'coOwners' ? { ...f, ...g, ...(sub ? { fields: sub } : {}) } : f)),
  });
  const paths = (d: FormDefinition) => checkDefinition(d).map((p) => p.path);
  assert.deepEqual(paths(withGroup({ minItems: 5 })), ['/fields/6/minItems']);
  assert.deepEqual(paths(withGroup({ minItems: 0 })), ['/fields/6/minItems']);
  assert.deepEqual(paths(withGroup({}, [...coOwners.fields!, { name: 'deed', type: 'file', label: 'x' }])), ['/fields/6/fields/6/type']);
  assert.deepEqual(paths(withGroup({}, [...coOwners.fields!, { name: 'inner', type: 'group', label: 'x', fields: [{ name: 'a', type: 'text', label: 'a' }] }])), ['/fields/6/fields/6/type']);
  assert.deepEqual(paths(withGroup({}, [...coOwners.fields!, { name: 'jmbg', type: 'text', label: 'x' }])), ['/fields/6/fields/6/name']);
  // Conditions in an item: an earlier item field or a top-level field before the group; never a later one.
  assert.deepEqual(paths(withGroup({}, [{ ...coOwners.fields![0]!, when: { field: 'notes', filled: true } }, ...coOwners.fields!.slice(1)])), ['/fields/6/fields/0/when/field']);
  assert.deepEqual(paths(withGroup({}, [{ ...coOwners.fields![0]!, when: { field: 'jmbg', filled: true } }, ...coOwners.fields!.slice(1)])), ['/fields/6/fields/0/when/field']);
  // A group is tested with "filled" only.
  assert.deepEqual(paths({ ...def, fields: def.fields.map((f) => (f.name === 'notes' ? { ...f, when: { field: 'coOwners', equals: 'x' } } : f)) }), ['/fields/7/when']);
  // matchesJmbg: a JMBG field, on a date or a male/female choice.
  assert.deepEqual(paths(withGroup({}, coOwners.fields!.map((f) => (f.name === 'birthDate' ? { ...f, matchesJmbg: 'name' } : f)))), ['/fields/6/fields/2/matchesJmbg']);
  const sexOptions = def.fields.map((f) => (f.name === 'sex' ? { ...f, options: [{ value: 'm', label: 'M' }, { value: 'f', label: 'F' }] } : f));
  assert.deepEqual(paths({ ...def, fields: sexOptions }), ['/fields/3/matchesJmbg']);
  assert.deepEqual(paths({ ...def, fields: def.fields.map((f) => (f.name === 'notes' ? { ...f, matchesJmbg: 'jmbg' } : f)) }), ['/fields/7/matchesJmbg']);
  // prefill: text or email fields, top level, an email with "email".
  assert.deepEqual(paths({ ...def, fields: def.fields.map((f) => (f.name === 'email' ? { ...f, prefill: 'givenName' as const } : f)) }), ['/fields/1/prefill']);
  assert.deepEqual(paths({ ...def, fields: def.fields.map((f) => (f.name === 'notes' ? { ...f, prefill: 'displayName' as const } : f)) }), ['/fields/7/prefill']);
  assert.deepEqual(paths(withGroup({}, coOwners.fields!.map((f) => (f.name === 'name' ? { ...f, prefill: 'displayName' as const } : f)))), ['/fields/6/fields/0/prefill']);
});
