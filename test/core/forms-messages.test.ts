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
    message: 'Enter a valid JMBG: the 13-digit personal number shown on an ID card',
  });
  assert.equal(byField.investorName?.message, 'Enter an answer');
  assert.equal(byField.cadastralMunicipality?.message, 'Select an option');
  assert.equal(byField.estimatedValue?.message, 'Enter a number');
  assert.equal(byField.projectDocumentation?.message, 'Attach a file');
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
  assert.equal(formIssueMessage({ field: 'purpose', code: 'required' }, 'sr-Latn', residence), 'Izaberite jednu od ponuđenih mogućnosti');
  assert.equal(formIssueMessage({ field: 'email', code: 'email' }, 'en'), 'Enter an email address in the correct format, like name@example.com');
  // The example address is a parameter: it stays Latin on a Cyrillic page.
  assert.equal(formIssueMessage({ field: 'email', code: 'email' }, 'sr-Cyrl'), 'Унесите адресу е-поште у исправном облику, на пример ime.prezime@primer.rs');
});

test('dates, sizes, file types and counts are formatted for the language', () => {
  const max: ValidationIssue = { field: 'dateOfBirth', code: 'max', params: { max: '2026-03-15' } };
  assert.equal(formIssueMessage(max, 'en', birth), 'The date must be today or in the past');
  assert.equal(formIssueMessage(max, 'sr-Cyrl', birth), 'Датум не може бити у будућности');
  const min: ValidationIssue = { field: 'dateOfBirth', code: 'min', params: { min: '1876-03-15' } };
  assert.equal(formIssueMessage(min, 'en', birth), 'Enter a date that is the same as or after 15 March 1876');
  assert.equal(formIssueMessage(min, 'sr-Latn', birth), 'Unesite datum koji nije pre 15. mart 1876.');
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
