/**
 * The builder's edits as pure functions (components/form-builder/model.ts): LocalizedText split
 * for editing and joined back (a plain string until English or the other script is written),
 * path edits that keep what they do not touch, a type change that drops what no longer
 * applies, import that refuses what is not a form, and where on screen each problem belongs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { anchorFor, changeType, dropFromPages, emptyDefinition, exportJson, findProblems, importJson, insertIn, joinText, moveIn, orderPages, placeNewField, removeIn, renameField, setIn, splitText } from '../../components/form-builder/model.ts';
import type { BuilderDefinition } from '../../components/form-builder/contract-types.ts';

const FORMS = fileURLToPath(new URL('../../examples/forms/', import.meta.url));

test('a text written once in Serbian stays a plain string; English or the other script written makes it an object', () => {
  const latin = splitText('Ime i prezime', 'sr-Latn');
  assert.deepEqual(latin, { written: 'sr-Latn', sr: 'Ime i prezime', other: undefined, en: '' });
  assert.equal(joinText(latin), 'Ime i prezime');
  assert.deepEqual(joinText({ ...latin, en: 'Full name' }), { 'sr-Latn': 'Ime i prezime', en: 'Full name' });
  assert.deepEqual(joinText({ ...latin, other: 'Име и презиме (ручно)' }), { 'sr-Latn': 'Ime i prezime', 'sr-Cyrl': 'Име и презиме (ручно)' });
  // A Cyrillic string is written in Cyrillic whatever the agency's default.
  assert.equal(splitText('Име', 'sr-Latn').written, 'sr-Cyrl');
  assert.equal(splitText('', 'sr-Cyrl').written, 'sr-Cyrl');
  // Both scripts: the agency's script is the written one.
  assert.deepEqual(splitText({ 'sr-Latn': 'A', 'sr-Cyrl': 'Б' }, 'sr-Cyrl'), { written: 'sr-Cyrl', sr: 'Б', other: 'A', en: '' });
  assert.equal(joinText({ written: 'sr-Latn', sr: '', other: undefined, en: ' ' }), undefined);
});

test('path edits copy what they change, keep the rest, and drop emptied optional keys', () => {
  const def = emptyDefinition('novi-primer');
  const withField = insertIn(def, ['fields'], { name: 'a', type: 'text', label: 'A' });
  assert.equal(def.fields.length, 0);
  const hinted = setIn(withField, ['fields', 0, 'hint'], 'Savet');
  assert.equal(hinted.fields[0]!.hint, 'Savet');
  assert.equal(hinted.approvalLine, def.approvalLine);
  assert.ok(!('hint' in setIn(hinted, ['fields', 0, 'hint'], undefined).fields[0]!));
  const three = insertIn(insertIn(hinted, ['fields'], { name: 'b', type: 'text', label: 'B' }), ['fields'], { name: 'c', type: 'text', label: 'C' });
  assert.deepEqual(moveIn(three, ['fields'], 0, 2).fields.map((f) => f.name), ['b', 'c', 'a']);
  assert.equal(moveIn(three, ['fields'], 0, -1), three);
  assert.deepEqual(removeIn(three, ['fields'], 1).fields.map((f) => f.name), ['a', 'c']);
  const distributed = setIn(def, ['distribution'], { agencies: ['rgz'] });
  assert.ok(!('distribution' in removeIn(distributed, ['distribution', 'agencies'], 0, true).distribution!));
});

test('changing a field\'s type drops the keys the new type has not, and gives a choice its options', () => {
  const text = { name: 'n', type: 'text' as const, label: 'N', required: true, maxLength: 5, validators: ['jmbg' as const], messages: { jmbg: 'x' } };
  assert.deepEqual(changeType(text, 'textarea'), { name: 'n', type: 'textarea', label: 'N', required: true, maxLength: 5 });
  assert.deepEqual(changeType(text, 'select'), { name: 'n', type: 'select', label: 'N', required: true, options: [{ value: 'option1', label: '' }] });
  assert.deepEqual(changeType({ name: 'n', type: 'number', label: 'N', min: 1 }, 'date'), { name: 'n', type: 'date', label: 'N' });
  assert.deepEqual(changeType(text, 'group'), { name: 'n', type: 'group', label: 'N', required: true, fields: [] });
});

test('every example form imports, has no problem in the builder, and exports as it came', () => {
  for (const file of readdirSync(FORMS).filter((f) => f.endsWith('.json'))) {
    const json = readFileSync(FORMS + file, 'utf8');
    const result = importJson(json);
    assert.ok(result.ok, file);
    assert.deepEqual(findProblems(result.definition), [], file);
    assert.deepEqual(JSON.parse(exportJson(result.definition)), JSON.parse(json), file);
  }
});

test('import refuses what is not JSON or not a form, and says why', () => {
  const notJson = importJson('{');
  assert.equal(notJson.ok, false);
  assert.equal(!notJson.ok && notJson.code, 'json');
  const noFields = importJson(JSON.stringify({ id: 'a', agencyId: 'b', fields: 3 }));
  assert.deepEqual(noFields, { ok: false, code: 'shape', detail: '"fields" is not a list of fields' });
  const noVersion = importJson(JSON.stringify({ id: 'a', agencyId: 'b', fields: [], approvalLine: [], document: {}, signature: { required: false } }));
  assert.ok(noVersion.ok && noVersion.definition.version === 1);
});

test('problems: the builder\'s shape checks first, then core checkDefinition, each placed at its editor', () => {
  const def: BuilderDefinition = {
    ...emptyDefinition('novi-primer'),
    title: 'Obrazac',
    fields: [
      { name: 'later', type: 'text', label: 'Kasnije', when: { field: 'first', filled: true } },
      { name: 'first', type: 'text', label: '', pattern: '[' },
    ],
    document: { template: 'obrazac', title: 'Obrazac' },
  };
  const problems = findProblems(def);
  assert.deepEqual(problems.map((p) => p.path), ['/fields/1/label', '/fields/0/when/field', '/fields/1/pattern']);
  assert.equal(problems[0]!.code, 'text');
  assert.match(problems[1]!.message!, /must come before/);
  assert.equal(anchorFor('/fields/0/when/field'), '/fields/0/when');
  assert.equal(anchorFor('/fields/0/when/1/in/0'), '/fields/0/when');
  assert.equal(anchorFor('/fields/2/label/en'), '/fields/2/label');
  assert.equal(anchorFor('/fields/2/options/1/value'), '/fields/2/options/1/value');
  assert.equal(anchorFor('/fields/3/fields/0/name'), '/fields/3/fields/0/name');
  assert.equal(anchorFor('/document/introduction/sr-Latn'), '/document/introduction');
  assert.equal(anchorFor('/document/facts/2'), '/document/facts');
  assert.equal(anchorFor('/distribution/agencies/0'), '/distribution/agencies/0');
  assert.equal(anchorFor('/pages/1/fields/0'), '/pages/1/fields');
  assert.equal(anchorFor('/fee/payee/name'), '/fee/payee/name');
  assert.equal(anchorFor('/deadline/days'), '/deadline');
});

test('renaming a question renames it where it is named, unless another question has the name', () => {
  const def: BuilderDefinition = {
    ...emptyDefinition('novi-primer'),
    fields: [
      { name: 'jmbg', type: 'text', label: 'JMBG', validators: ['jmbg'] },
      { name: 'born', type: 'date', label: 'Rođen', matchesJmbg: 'jmbg', when: { field: 'jmbg', filled: true } },
      { name: 'owners', type: 'group', label: 'Vlasnici', fields: [{ name: 'share', type: 'number', label: 'Udeo', when: [{ field: 'jmbg', filled: true }] }] },
    ],
    // A page's condition looks at earlier pages only (core's rule).
    pages: [
      { id: 'a', title: 'A', fields: ['jmbg'] },
      { id: 'b', title: 'B', fields: ['born', 'owners'], when: { field: 'jmbg', filled: true } },
    ],
    document: { template: 'x', title: 'X', facts: ['jmbg'], codeCheck: { subject: ['born'] } },
  };
  const next = renameField(def, ['fields', 0], 'ownerJmbg');
  assert.equal(next.fields[0]!.name, 'ownerJmbg');
  assert.equal(next.fields[1]!.matchesJmbg, 'ownerJmbg');
  assert.deepEqual(next.fields[1]!.when, { field: 'ownerJmbg', filled: true });
  assert.deepEqual(next.fields[2]!.fields![0]!.when, [{ field: 'ownerJmbg', filled: true }]);
  assert.deepEqual(next.pages![0]!.fields, ['ownerJmbg']);
  assert.deepEqual(next.pages![1]!.when, { field: 'ownerJmbg', filled: true });
  assert.deepEqual(next.document.facts, ['ownerJmbg']);
  assert.deepEqual(findProblems(next), findProblems(def));
  // "born" is taken: only the field changes.
  const clash = renameField(def, ['fields', 0], 'born');
  assert.deepEqual(clash.fields[1]!.when, { field: 'jmbg', filled: true });
  // A group's question is renamed within its group.
  assert.equal(renameField(def, ['fields', 2, 'fields', 0], 'portion').fields[2]!.fields![0]!.name, 'portion');
});

test('pages follow the questions: in the order of fields, a new question on the page of the one before, a removed one off its page', () => {
  const def: BuilderDefinition = {
    ...emptyDefinition('novi-primer'),
    title: 'Primer',
    fields: [
      { name: 'a', type: 'text', label: 'A' },
      { name: 'b', type: 'text', label: 'B' },
      { name: 'c', type: 'text', label: 'C' },
    ],
    pages: [
      { id: 'one', title: 'Jedan', fields: ['a', 'b'] },
      { id: 'two', title: 'Dva', fields: ['c'] },
    ],
    document: { template: 'x', title: 'X' },
  };
  assert.deepEqual(findProblems(def), []);
  // b and a swap places on page one: the page lists them in the new order, and core agrees.
  const moved = orderPages(moveIn(def, ['fields'], 1, 0));
  assert.deepEqual(moved.pages![0]!.fields, ['b', 'a']);
  assert.deepEqual(findProblems(moved), []);
  // A move across pages is core's error, at that page's questions.
  const across = orderPages(moveIn(def, ['fields'], 2, 0));
  assert.deepEqual(findProblems(across).map((p) => anchorFor(p.path)), ['/pages/1/fields']);
  // A question added after b goes on page one, after the last one on page two.
  const added = placeNewField(insertIn(def, ['fields'], { name: 'd', type: 'text', label: 'D' }, 2), 2);
  assert.deepEqual(added.pages!.map((p) => p.fields), [['a', 'b', 'd'], ['c']]);
  assert.deepEqual(placeNewField(insertIn(def, ['fields'], { name: 'e', type: 'text', label: 'E' }), 3).pages![1]!.fields, ['c', 'e']);
  assert.deepEqual(placeNewField(insertIn(def, ['fields'], { name: 'f', type: 'text', label: 'F' }, 0), 0).pages![0]!.fields, ['f', 'a', 'b']);
  // Removed: off its page too.
  assert.deepEqual(dropFromPages(removeIn(def, ['fields'], 2), 'c').pages![1]!.fields, []);
});
