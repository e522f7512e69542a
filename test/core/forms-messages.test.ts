import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validateApplication, type FormDefinition, type IssueCode, type ValidationIssue } from '../../components/core/index.ts';
import { formatBytes, formatDate, type MessageKey } from '../../components/i18n/index.ts';
// Not re-exported by the i18n index: a page loads the validator's words only with the validator (components/application-form/validation.ts).
import { formIssueMessage, issueToFieldError } from '../../components/i18n/form-messages.ts';
import { loadAllMessages } from '../../components/i18n/all.ts';

// Serbian loads per area on demand (as in the browser); these tests use every area.
const MESSAGES = await loadAllMessages();

const example = (id: string): FormDefinition =>
  JSON.parse(readFileSync(new URL(`../../examples/forms/${id}.json`, import.meta.url), 'utf8')) as FormDefinition;

const permit = example('building-permit');
const residence = example('certificate-of-residence');
const birth = example('birth-register-extract');

const ALL_CODES: IssueCode[] = [
  'unknownField', 'type', 'required', 'minLength', 'maxLength', 'min', 'max', 'pattern', 'email', 'tel', 'date',
  'option', 'jmbg', 'pib', 'accept', 'empty', 'maxSize', 'minFiles', 'maxFiles', 'unknownUpload', 'duplicateUpload',
];

test('issueToFieldError: the FieldError a server sends, in English', () => {
  const { issues } = validateApplication(permit, { investorType: 'person', investorJmbg: '0101900710005', parcelNumber: '12a', hacker: 1 }, { today: '2026-03-15' });
  const errors = issues.map((i) => issueToFieldError(i, 'en', permit));
  const byField = Object.fromEntries(errors.map((e) => [e.field, e]));
  assert.deepEqual(byField.investorJmbg, {
    field: 'investorJmbg',
    code: 'jmbg',
    message: 'The investor’s JMBG must be 13 digits, exactly as on their ID card',
  });
  assert.equal(byField.investorName?.message, 'Enter the investor’s full name');
  assert.equal(byField.cadastralMunicipality?.message, 'Select the cadastral municipality');
  assert.equal(byField.estimatedValue?.message, 'Enter the estimated cost of the works');
  assert.equal(byField.projectDocumentation?.message, 'Attach the project documentation');
  assert.equal(byField.declaration?.message, 'Select the box to continue');
  assert.equal(byField.parcelNumber?.message, 'Enter the parcel number as on the title sheet, like 1234 or 1234/5');
  assert.equal(byField.hacker?.message, 'This form has no field named hacker');
  // The default language is English, and a definition is optional.
  assert.equal(issueToFieldError({ field: 'x', code: 'required' }).message, 'Enter an answer');
});

test('messages in the element’s language: Serbian in both scripts, patternMessage localized', () => {
  const postal: ValidationIssue = { field: 'postalCode', code: 'pattern' };
  assert.equal(formIssueMessage(postal, 'en', residence), 'A postcode has 5 digits, like 21000');
  assert.equal(formIssueMessage(postal, 'sr-Latn', residence), 'Poštanski broj ima 5 cifara, na primer 21000');
  assert.equal(formIssueMessage(postal, 'sr-Cyrl', residence), 'Поштански број има 5 цифара, на пример 21000');
  assert.equal(formIssueMessage({ field: 'jmbg', code: 'jmbg' }, 'sr-Cyrl'), 'Унесите исправан ЈМБГ: 13 цифара, као на личној карти');
  assert.equal(formIssueMessage({ field: 'purpose', code: 'required' }, 'sr-Latn', residence), 'Izaberite za šta vam je potrebno uverenje');
  assert.equal(formIssueMessage({ field: 'purpose', code: 'required' }, 'sr-Latn'), 'Popunite ovo polje');
  assert.equal(formIssueMessage({ field: 'email', code: 'email' }, 'en'), 'Enter an email address in the correct format, like name@example.com');
  // The example address is a parameter: it stays Latin on a Cyrillic page.
  assert.equal(formIssueMessage({ field: 'email', code: 'email' }, 'sr-Cyrl'), 'Унесите адресу е-поште у исправном облику, на пример ime.prezime@primer.rs');
});

test('dates, sizes, file types and counts are formatted for the language', () => {
  const max: ValidationIssue = { field: 'dateOfBirth', code: 'max', params: { max: '2026-03-15' } };
  assert.equal(formIssueMessage(max, 'en', birth), 'Date of birth must be today or in the past');
  assert.equal(formIssueMessage(max, 'sr-Cyrl', birth), 'Датум рођења не може бити у будућности');
  assert.equal(formIssueMessage(max, 'en'), 'Enter a date that is the same as or before 15 March 2026');
  const min: ValidationIssue = { field: 'dateOfBirth', code: 'min', params: { min: '1876-03-15' } };
  assert.equal(formIssueMessage(min, 'en', birth), 'Date of birth must be the same as or after 15 March 1876');
  assert.equal(formIssueMessage(min, 'sr-Latn', birth), 'Datum rođenja ne može biti pre 15. mart 1876.');
  assert.equal(formIssueMessage(min, 'sr-Latn'), 'Unesite datum koji nije pre 15. mart 1876.');
  assert.equal(formIssueMessage({ field: 'n', code: 'min', params: { min: 1500 } }, 'en'), 'Enter a number that is 1,500 or more');
  assert.equal(formIssueMessage({ field: 'n', code: 'max', params: { max: 1500.5 } }, 'sr-Latn'), 'Unesite broj koji nije veći od 1.500,5');

  const size: ValidationIssue = { field: 'ownershipProof', code: 'maxSize', params: { index: 0, upload: 'u', max: 5_242_880 } };
  assert.equal(formIssueMessage(size, 'en', permit), 'The selected file must be 5 MB or smaller');
  const type: ValidationIssue = { field: 'ownershipProof', code: 'accept', params: { index: 0, upload: 'u', accept: 'application/pdf, image/jpeg, image/png' } };
  assert.equal(formIssueMessage(type, 'en', permit), 'The selected file must be a PDF, JPEG or PNG');
  assert.equal(formIssueMessage(type, 'sr-Cyrl', permit), 'Изабрана датотека мора бити у формату PDF, JPEG или PNG');

  const files = (n: number) => formIssueMessage({ field: 'f', code: 'maxFiles', params: { max: n } }, 'sr-Latn');
  assert.equal(files(1), 'Priložite najviše 1 datoteku');
  assert.equal(files(2), 'Priložite najviše 2 datoteke');
  assert.equal(files(5), 'Priložite najviše 5 datoteka');
  assert.equal(formIssueMessage({ field: 'f', code: 'minFiles', params: { min: 1 } }, 'en'), 'Attach at least 1 file');
  assert.equal(formIssueMessage({ field: 't', code: 'maxLength', params: { max: 21 } }, 'sr-Cyrl'), 'Унесите највише 21 знак');

  assert.equal(formatBytes('en', 1_572_864), '1.5 MB');
  assert.equal(formatBytes('sr-Latn', 1_572_864), '1,5 MB');
  assert.equal(formatBytes('en', 2048), '2 KB');
  assert.equal(formatBytes('en', 900), '900 B');
  assert.equal(formatDate('sr-Cyrl', '2026-03-01'), '1. март 2026.');
});

test('every issue code has a message in every language, and the Cyrillic set has no Latin letters left', () => {
  const keys = (Object.keys(MESSAGES.en) as MessageKey[]).filter((k) => k.startsWith('validation.'));
  assert.ok(keys.length >= ALL_CODES.length);
  for (const code of ALL_CODES) {
    assert.ok(keys.includes(`validation.${code}` as MessageKey), code);
    for (const lang of ['en', 'sr-Latn', 'sr-Cyrl'] as const) {
      const text = formIssueMessage({ field: 'x', code, params: { min: 2, max: 5, accept: 'application/pdf' } }, lang);
      assert.ok(text.length > 0 && !text.includes('validation.'), `${lang} ${code}`);
    }
  }
  for (const key of keys) {
    for (const lang of ['sr-Latn', 'sr-Cyrl'] as const) assert.ok(MESSAGES[lang][key] !== undefined, `${lang} ${key}`);
    const message = MESSAGES['sr-Cyrl'][key];
    const texts = typeof message === 'string' ? [message] : [message.one, message.few, message.other];
    for (const t of texts) {
      if (t === undefined) continue;
      assert.doesNotMatch(t.replace(/\{\w+\}/g, ''), /[A-Za-z]/, `${key}: ${t}`);
    }
  }
});

/** A form whose fields have no messages of their own: every message is made from the label and the rule. */
const PLAIN: FormDefinition = {
  id: 'plain',
  version: 1,
  agencyId: 'novi-primer',
  title: 'Obrazac',
  fields: [
    { name: 'investorJmbg', type: 'text', label: { 'sr-Latn': 'JMBG investitora', en: 'Investor’s JMBG' }, required: true, validators: ['jmbg'], minLength: 13 },
    { name: 'pib', type: 'text', label: { 'sr-Latn': 'PIB', en: 'PIB' }, validators: ['pib'] },
    { name: 'name', type: 'text', label: { 'sr-Latn': 'Vaše ime', en: 'Your name' }, required: true, maxLength: 5 },
    { name: 'postcode', type: 'text', label: { 'sr-Latn': 'Poštanski broj', en: 'Postcode' }, pattern: '[0-9]{5}' },
    { name: 'buildingType', type: 'select', label: { 'sr-Latn': 'Vrsta objekta', en: 'Type of building' }, required: true, options: [{ value: 'house', label: 'Kuća' }] },
    { name: 'what', type: 'radio', label: { 'sr-Latn': 'Šta gradite?', en: 'What are you building?' }, required: true, options: [{ value: 'house', label: 'Kuća' }] },
    { name: 'note', type: 'textarea', label: { 'sr-Latn': 'Zašto?', en: 'Why?' }, required: true, minLength: 10 },
    { name: 'floors', type: 'number', label: { 'sr-Latn': 'Broj spratova', en: 'Number of floors' }, min: 1, max: 5 },
    { name: 'started', type: 'date', label: { 'sr-Latn': 'Datum početka radova', en: 'Start of the works' }, max: 'today' },
    { name: 'projectDocumentation', type: 'file', label: { 'sr-Latn': 'Projektna dokumentacija', en: 'Project documentation' }, required: true },
    { name: 'agree', type: 'checkbox', label: { 'sr-Latn': 'Slažem se', en: 'I agree' }, required: true },
  ],
  signature: { required: false },
  approvalLine: [{ id: 'approve', kind: 'approve', assignee: { role: 'head' } }],
  document: { template: 'certificate', title: 'Potvrda' },
};

const say = (field: string, code: IssueCode, lang: 'en' | 'sr-Latn' | 'sr-Cyrl', params?: Record<string, string | number>, def: FormDefinition = PLAIN) =>
  formIssueMessage(params ? { field, code, params } : { field, code }, lang, def);

test('messages say what to do for that field: made from its label and the rule, in three languages', () => {
  // Required on text: "Enter …" (English adds "the" and starts the label in lower case, not an abbreviation or "your").
  assert.equal(say('investorJmbg', 'required', 'en'), 'Enter the investor’s JMBG');
  assert.equal(say('name', 'required', 'en'), 'Enter your name');
  // Serbian labels are nominative: the neutral form, the label after a colon.
  assert.equal(say('investorJmbg', 'required', 'sr-Latn'), 'Unesite: JMBG investitora');
  assert.equal(say('investorJmbg', 'required', 'sr-Cyrl'), 'Унесите: ЈМБГ инвеститора');
  // Required on a choice: "Select …".
  assert.equal(say('buildingType', 'required', 'en'), 'Select the type of building');
  assert.equal(say('buildingType', 'required', 'sr-Latn'), 'Izaberite: Vrsta objekta');
  // A label that is a question is quoted as it is.
  assert.equal(say('what', 'required', 'en'), 'Select an answer to “What are you building?”');
  assert.equal(say('what', 'required', 'sr-Cyrl'), 'Изаберите одговор на питање „Шта градите?“');
  assert.equal(say('note', 'required', 'en'), 'Enter an answer to “Why?”');
  // Required on a file: "Attach …", or "Sign in to attach …" for a person not signed in.
  assert.equal(say('projectDocumentation', 'required', 'en'), 'Attach the project documentation');
  assert.equal(formIssueMessage({ field: 'projectDocumentation', code: 'required' }, 'en', PLAIN, { signedIn: false }), 'Sign in to attach the project documentation');
  assert.equal(formIssueMessage({ field: 'projectDocumentation', code: 'required' }, 'sr-Latn', PLAIN, { signedIn: false }), 'Prijavite se da biste priložili: Projektna dokumentacija');
  assert.equal(say('projectDocumentation', 'required', 'sr-Cyrl'), 'Приложите: Пројектна документација');
  // A declaration: its label is the statement itself.
  assert.equal(say('agree', 'required', 'en'), 'Select the box to continue');
  // Pattern and length rules: "<Label> must be …"; the label is the subject, nominative in Serbian too.
  assert.equal(say('investorJmbg', 'jmbg', 'en'), 'Investor’s JMBG must be 13 digits, exactly as on an ID card');
  assert.equal(say('investorJmbg', 'jmbg', 'sr-Latn'), 'JMBG investitora mora imati 13 cifara, tačno kao na ličnoj karti');
  assert.equal(say('investorJmbg', 'minLength', 'en', { min: 13 }), 'Investor’s JMBG must be 13 characters or more');
  assert.equal(say('investorJmbg', 'minLength', 'sr-Latn', { min: 13 }), 'JMBG investitora mora imati najmanje 13 znakova');
  assert.equal(say('pib', 'pib', 'sr-Cyrl'), 'ПИБ мора имати 9 цифара, тачно како га је доделила Пореска управа');
  assert.equal(say('name', 'maxLength', 'en', { max: 5 }), 'Your name must be 5 characters or fewer');
  assert.equal(say('name', 'maxLength', 'sr-Latn', { max: 5 }), 'Vaše ime može imati najviše 5 znakova');
  assert.equal(say('postcode', 'pattern', 'en'), 'Postcode must be in the correct format');
  assert.equal(say('postcode', 'pattern', 'sr-Cyrl'), 'Поштански број мора бити у исправном облику');
  assert.equal(say('floors', 'max', 'en', { max: 5 }), 'Number of floors must be 5 or less');
  assert.equal(say('floors', 'min', 'sr-Latn', { min: 1 }), 'Broj spratova mora biti najmanje 1');
  assert.equal(say('started', 'max', 'en', { max: '2026-03-15' }), 'Start of the works must be today or in the past');
  assert.equal(say('started', 'date', 'sr-Latn'), 'Datum početka radova mora biti datum koji postoji');
  // A question cannot be the subject of a sentence: the rule's own plain words.
  assert.equal(say('note', 'minLength', 'en', { min: 10 }), 'Enter at least 10 characters');
});

test('a form definition overrides a field\'s message per rule, in every language', () => {
  const own: FormDefinition = {
    ...PLAIN,
    fields: PLAIN.fields.map((f) =>
      f.name === 'investorJmbg'
        ? { ...f, messages: { required: { 'sr-Latn': 'Unesite JMBG investitora', en: 'Enter the investor’s JMBG' }, jmbg: { 'sr-Latn': 'JMBG ima 13 cifara', en: 'JMBG must be 13 digits' } } }
        : f.name === 'projectDocumentation'
          ? { ...f, messages: { required: { 'sr-Latn': 'Priložite projektnu dokumentaciju', en: 'Attach the project documentation' } } }
          : f,
    ),
  };
  assert.equal(say('investorJmbg', 'required', 'sr-Latn', undefined, own), 'Unesite JMBG investitora');
  assert.equal(say('investorJmbg', 'required', 'sr-Cyrl', undefined, own), 'Унесите ЈМБГ инвеститора');
  assert.equal(say('investorJmbg', 'jmbg', 'en', undefined, own), 'JMBG must be 13 digits');
  // Rules it does not override are still made from the label.
  assert.equal(say('investorJmbg', 'minLength', 'en', { min: 13 }, own), 'Investor’s JMBG must be 13 characters or more');
  // Signed out, a file's own message follows "Sign in, then".
  assert.equal(formIssueMessage({ field: 'projectDocumentation', code: 'required' }, 'sr-Latn', own, { signedIn: false }), 'Prijavite se, pa priložite projektnu dokumentaciju');
  assert.equal(formIssueMessage({ field: 'projectDocumentation', code: 'required' }, 'en', own, { signedIn: false }), 'Sign in, then attach the project documentation');
  // The server's FieldError carries the same words, and the rule's parameters.
  assert.deepEqual(issueToFieldError({ field: 'name', code: 'maxLength', params: { max: 5 } }, 'en', own), { field: 'name', code: 'maxLength', message: 'Your name must be 5 characters or fewer', params: { max: 5 } });
});

test('every demo form field has a message for each of its rules in all three languages, none of them a key or an empty string', () => {
  for (const def of [permit, residence, birth]) {
    for (const field of def.fields) {
      for (const code of ['required', 'minLength', 'maxLength', 'pattern', 'jmbg', 'pib', 'min', 'max', 'date'] as IssueCode[]) {
        for (const lang of ['en', 'sr-Latn', 'sr-Cyrl'] as const) {
          const message = formIssueMessage({ field: field.name, code, params: { min: 1, max: 5 } }, lang, def);
          assert.ok(message.length > 0 && !message.includes('validation.') && !message.includes('{'), `${def.id} ${field.name} ${code} ${lang}: ${message}`);
        }
      }
    }
    for (const field of def.fields) for (const own of Object.values(field.messages ?? {})) assert.equal(typeof own === 'object' && own.en !== undefined && own['sr-Latn'] !== undefined, true, `${def.id} ${field.name}: every language given`);
  }
});
