/**
 * What a code check shows of an application (issue 17, item 1): the form's `document.codeCheck`,
 * checked when forms load (fields that exist; never a file or a JMBG) and turned into the
 * holder and subject lines by core's documentFacts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { checkDefinition, type FormDefinition } from '../../components/core/index.ts';
import { documentFacts } from '../../components/core/forms/code-check.ts';
import { JMBG } from '../helpers/sample-data.ts';

const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(read('../../components/core/forms/form-definition.schema.json') as object);
const example = (id: string) => read(`../../examples/forms/${id}.json`) as FormDefinition;
const withFacts = (def: FormDefinition, facts: unknown): FormDefinition => ({ ...def, document: { ...def.document, codeCheck: facts } as FormDefinition['document'] });

test('every example form names its facts, and they pass the schema and checkDefinition', () => {
  for (const id of ['building-permit', 'certificate-of-residence', 'birth-register-extract', 'internal-memo', 'request-for-approval']) {
    const def = example(id);
    assert.ok(def.document.codeCheck, `${id} names what a code check shows`);
    assert.equal(validate(def), true, `${id}: ${JSON.stringify(validate.errors)}`);
    assert.deepEqual(checkDefinition(def), [], id);
  }
});

test('checkDefinition refuses a fact that is no field, a file, or a JMBG; the schema refuses other keys', () => {
  const permit = example('building-permit');
  const problems = checkDefinition(withFacts(permit, { holder: ['investorName', 'investorJmbg'], subject: ['nonesuch', 'projectDocumentation'] }));
  assert.deepEqual(problems.map((p) => p.path), ['/document/codeCheck/holder/1', '/document/codeCheck/subject/0', '/document/codeCheck/subject/1']);
  assert.match(problems[0]!.message, /JMBG/);
  assert.match(problems[2]!.message, /file/);
  assert.equal(validate(withFacts(permit, { holder: ['investorName'], email: ['email'] })), false);
  assert.equal(validate(withFacts(permit, { holder: [] })), false, 'an empty list says nothing');
});

test('the holder: the answered, visible fields joined, as typed in every language; the subject: options by their label', () => {
  const permit = example('building-permit');
  const person = documentFacts(permit, { investorType: 'person', investorName: 'Milica Petrović', investorJmbg: JMBG, cadastralMunicipality: 'futog', parcelNumber: '1234/5' });
  assert.deepEqual(person.holder, { 'sr-Latn': 'Milica Petrović', 'sr-Cyrl': 'Milica Petrović', en: 'Milica Petrović' });
  assert.deepEqual(person.subject.map((l) => [l.label, l.value]), [
    [{ 'sr-Latn': 'Katastarska opština', en: 'Cadastral municipality' }, 'Futog'],
    [{ 'sr-Latn': 'Broj katastarske parcele', en: 'Cadastral parcel number' }, { 'sr-Latn': '1234/5', 'sr-Cyrl': '1234/5', en: '1234/5' }],
  ]);
  // A company: the person's name field is hidden, so an answer left in it is not shown.
  const company = documentFacts(permit, { investorType: 'company', investorName: 'Stale', companyName: 'Gradnja d.o.o.', cadastralMunicipality: 'kac', parcelNumber: '7' });
  assert.equal((company.holder as { en: string }).en, 'Gradnja d.o.o.');
  assert.deepEqual(JSON.stringify(company).includes('Stale'), false);
  // Nothing named: nothing shown.
  assert.deepEqual(documentFacts(withFacts(permit, undefined), { investorName: 'X' }), { holder: null, subject: [] });
});

test('a date reads as the document prints it in Serbian, ISO in English', () => {
  const birth = example('birth-register-extract');
  const facts = documentFacts(birth, { firstName: 'Ana', lastName: 'Anić', dateOfBirth: '1990-01-01', placeOfBirth: 'Novi Sad' });
  assert.deepEqual(facts.subject[0]!.value, { 'sr-Latn': '01.01.1990.', 'sr-Cyrl': '01.01.1990.', en: '1990-01-01' });
  assert.equal((facts.holder as { 'sr-Cyrl': string })['sr-Cyrl'], 'Ana Anić');
});
