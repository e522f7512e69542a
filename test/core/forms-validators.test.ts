import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accept,
  anchorPattern,
  date,
  email,
  isDateBound,
  isRealDate,
  isValidJmbg,
  isValidPib,
  jmbg,
  jmbgBirthDate,
  jmbgControlDigit,
  max,
  maxFiles,
  maxLength,
  maxSize,
  notEmpty,
  min,
  minFiles,
  minLength,
  option,
  pattern,
  pib,
  pibCheckDigit,
  required,
  resolveDateBound,
  tel,
  todayIn,
} from '../../components/core/forms/validators.ts';

test('required: empty is undefined, null, "" and []; a required checkbox must be ticked', () => {
  for (const empty of [undefined, null, '', []]) assert.equal(required.validate(empty, true), 'required');
  for (const filled of ['a', 0, ['x'], true]) assert.equal(required.validate(filled, true), null);
  assert.equal(required.validate(false, true), 'required');
  assert.equal(required.validate(undefined, false), null);
  assert.equal(required.validate(false, false), null);
});

test('minLength and maxLength count UTF-16 code units, as HTML does', () => {
  assert.equal(minLength.validate('abc', 3), null);
  assert.equal(minLength.validate('ab', 3), 'minLength');
  assert.equal(maxLength.validate('Ђорђе', 5), null);
  assert.equal(maxLength.validate('Ђорђе!', 5), 'maxLength');
  assert.equal(maxLength.validate('😀', 1), 'maxLength'); // one emoji is two code units
});

test('min and max: numbers with numbers, ISO dates with ISO dates, inclusive', () => {
  assert.equal(min.validate(5, 5), null);
  assert.equal(min.validate(4.99, 5), 'min');
  assert.equal(max.validate(10, 10), null);
  assert.equal(max.validate(10.01, 10), 'max');
  assert.equal(min.validate(-1, 0), 'min');
  assert.equal(min.validate('2026-01-01', '2026-01-01'), null);
  assert.equal(min.validate('2025-12-31', '2026-01-01'), 'min');
  assert.equal(max.validate('2026-01-02', '2026-01-01'), 'max');
  // A bound of the other type never passes (a definition mistake must not let data through).
  assert.equal(min.validate('5', 1), 'min');
});

test('pattern: the whole value must match, as the HTML pattern attribute', () => {
  const re = anchorPattern('[0-9]{5}');
  assert.equal(pattern.validate('21000', re), null);
  assert.equal(pattern.validate('210000', re), 'pattern');
  assert.equal(pattern.validate('x21000', re), 'pattern');
  const alt = anchorPattern('a|b');
  assert.equal(pattern.validate('a', alt), null);
  assert.equal(pattern.validate('ab', alt), 'pattern'); // grouped before anchoring: ^(?:a|b)$
  assert.equal(pattern.validate('Ђ', anchorPattern('\\p{Lu}')), null); // the u flag
  assert.throws(() => anchorPattern('(unclosed'));
});

test('email: WHATWG syntax with a dotted domain', () => {
  for (const ok of ['ana@example.com', 'ana.petrovic+zahtev@mail.gov.rs', "o'neil@example.co.uk", 'a_b-c@sub-domain.example.rs']) {
    assert.equal(email.validate(ok), null, ok);
  }
  for (const bad of ['ana', 'ana@', '@example.com', 'ana@example', 'ana@@example.com', 'ana @example.com', 'ana@-example.com', 'ana@example..com', 'ana@example.com.', 'ана@пример.срб', `${'a'.repeat(250)}@example.com`]) {
    assert.equal(email.validate(bad), 'email', bad);
  }
});

test('tel: digits with the usual separators, 6 to 15 digits, + only in front', () => {
  for (const ok of ['011 123 4567', '064/123-4567', '+381 64 123 4567', '(011) 123-45-67', '0641234567', '021 456 789']) {
    assert.equal(tel.validate(ok), null, ok);
  }
  for (const bad of ['12345', '+381 64 123 4567 8901', '064 123 4567 ext 2', '381+641234567', 'telefon', '++381641234567', '']) {
    assert.equal(tel.validate(bad), 'tel', bad);
  }
});

test('date: real calendar dates only (no 31 February, 29 February in leap years)', () => {
  for (const ok of ['2026-01-31', '2024-02-29', '2000-02-29', '1999-12-31', '2026-04-30', '0001-01-01']) {
    assert.equal(date.validate(ok), null, ok);
  }
  for (const bad of ['2026-02-31', '2026-02-30', '2025-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '0000-01-01', '2026-1-5', '26-01-05', '2026-01-05T00:00', ' 2026-01-05', '05.01.2026.']) {
    assert.equal(date.validate(bad), 'date', bad);
  }
  assert.equal(isRealDate('2400-02-29'), true);
  assert.equal(isRealDate('2100-02-29'), false);
});

test('option: one value, or several distinct values, from the options', () => {
  const options = new Set(['a', 'b', 'c']);
  assert.equal(option.validate('a', options), null);
  assert.equal(option.validate('d', options), 'option');
  assert.equal(option.validate('A', options), 'option');
  assert.equal(option.validate(['a', 'c'], options), null);
  assert.equal(option.validate(['a', 'a'], options), 'option');
  assert.equal(option.validate(['a', 'x'], options), 'option');
  assert.equal(option.validate(['a', 'b', 'c', 'a'], options), 'option');
});

// JMBG ---------------------------------------------------------------------------------

/** The official rule written out letter by letter, independently of the implementation. */
function jmbgControlByTheBook(first12: string): number {
  const [a, b, c, d, e, f, g, h, i, j, k, l] = [...first12].map(Number) as number[];
  const m = 11 - ((7 * (a! + g!) + 6 * (b! + h!) + 5 * (c! + i!) + 4 * (d! + j!) + 3 * (e! + k!) + 2 * (f! + l!)) % 11);
  return m > 9 ? 0 : m;
}

// Published valid numbers: python-stdnum's Serbian JMBG doctests (stdnum/rs/jmbg.py and
// tests/test_rs_jmbg.doctest, "generated online"), a selection.
const PUBLISHED_JMBG = [
  '0101900350008',
  '0101900710004', '0101900710012', '0101900710020', '0101900715006', '0101900720018', '0101900725044',
  '3112900730008', '3112900730016', '3112900730091', '3112900735018', '3112900735093',
];

test('jmbg: published valid numbers pass', () => {
  for (const n of PUBLISHED_JMBG) {
    assert.equal(jmbg.validate(n), null, n);
    assert.equal(jmbgControlDigit(n.slice(0, 12)), Number(n[12]), n);
  }
});

test('jmbg: the control digit matches the official formula on many constructed numbers', () => {
  // Every day of 1987 and 2004 (leap), several regions and serial numbers.
  let checked = 0;
  for (const year of [1987, 2004]) {
    for (let day = new Date(Date.UTC(year, 0, 1)); day.getUTCFullYear() === year; day = new Date(day.getTime() + 86_400_000)) {
      const ddmm = `${String(day.getUTCDate()).padStart(2, '0')}${String(day.getUTCMonth() + 1).padStart(2, '0')}`;
      for (const rrbbb of ['71000', '71501', '80123', '85999', '91777']) {
        const first12 = `${ddmm}${String(year).slice(1)}${rrbbb}`;
        const k = jmbgControlByTheBook(first12);
        assert.equal(jmbgControlDigit(first12), k, first12);
        assert.equal(isValidJmbg(first12 + k), true, first12 + k);
        for (let wrong = 0; wrong <= 9; wrong++) if (wrong !== k) assert.equal(isValidJmbg(first12 + wrong), false);
        checked++;
      }
    }
  }
  assert.equal(checked, (365 + 366) * 5);
});

test('jmbg: m of 10 or 11 gives control digit 0', () => {
  // Weighted sum ≡ 1 (mod 11) → m = 10; ≡ 0 → m = 11: both give 0, per the rule.
  assert.equal(jmbgControlByTheBook('010199071013'), 0);
  assert.equal(jmbgControlDigit('010199071013'), 0);
  assert.equal(isValidJmbg('0101990710130'), true);
  assert.equal(isValidJmbg('0101990710040'), true);
  assert.equal(isValidJmbg('0101990710041'), false);
});

test('jmbg: invalid numbers are refused', () => {
  // Impossible dates of birth, each with the control digit that would otherwise be right.
  const withRightControl = (first12: string) => first12 + jmbgControlByTheBook(first12);
  const badDates = ['310299071000', '290200171000', '310498771500', '001399071000', '000099071000', '321287071000'].map(withRightControl);
  const invalid = [
    '0101900350007', // python-stdnum's published invalid example: wrong control digit
    '0101900710005', // a valid number with its last digit changed
    '3112900735092',
    '0101900710040', // two digits swapped (…004 → …040)
    ...badDates, // 31 February, 29 February 2001, 31 April, month 13, day 0, 32 December
    '010190071000', // 12 digits
    '01019007100044', // 14 digits
    '010190071000a',
    '0101 90071000',
    '',
  ];
  assert.equal(badDates[1], '2902001710002');
  for (const n of invalid) assert.equal(jmbg.validate(n), 'jmbg', n);
});

test('jmbg: the date of birth, with the millennium restored', () => {
  assert.equal(jmbgBirthDate('0101900710004'), '1900-01-01');
  assert.equal(jmbgBirthDate('3112900735093'), '1900-12-31');
  assert.equal(jmbgBirthDate('1505005710001'), '2005-05-15');
  assert.equal(jmbgBirthDate('2902004710000'), '2004-02-29');
  assert.equal(jmbgBirthDate('2902001710002'), null);
  assert.equal(jmbgBirthDate('12345'), null);
});

// PIB ----------------------------------------------------------------------------------

/** ISO 7064 MOD 11,10 as the standard describes it, independently of the implementation. */
function mod1110CheckDigit(digits: string): number {
  let product = 10;
  for (const ch of digits) {
    let sum = (product + Number(ch)) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  return (11 - product) % 10;
}

// Published valid numbers: python-stdnum's Serbian PIB doctests ("found online"), a selection.
const PUBLISHED_PIB = [
  '101134702', '100000303', '100081000', '100081235', '100085087', '100110287', '100187392',
  '101230316', '101895156', '102056361', '103054816', '103470618', '103883410', '104111220',
];

test('pib: published valid numbers pass, and their check digit follows MOD 11,10', () => {
  for (const n of PUBLISHED_PIB) {
    assert.equal(pib.validate(n), null, n);
    assert.equal(pibCheckDigit(n.slice(0, 8)), Number(n[8]), n);
    assert.equal(mod1110CheckDigit(n.slice(0, 8)), Number(n[8]), n);
  }
});

test('pib: the check digit matches ISO 7064 MOD 11,10 on constructed numbers; any other last digit fails', () => {
  for (let i = 0; i < 2000; i++) {
    const first8 = String(10_000_000 + ((i * 7_919_993) % 90_000_000)).padStart(8, '0');
    const check = mod1110CheckDigit(first8);
    assert.equal(pibCheckDigit(first8), check, first8);
    assert.equal(isValidPib(first8 + check), true);
    assert.equal(isValidPib(first8 + ((check + 1 + (i % 9)) % 10)), false);
  }
});

test('pib: invalid numbers are refused', () => {
  for (const n of ['101134703', '100000304', '10113470', '1011347021', '10113470a', '101 134 702', 'RS101134702', '']) {
    assert.equal(pib.validate(n), 'pib', n);
  }
});

// Files --------------------------------------------------------------------------------

test('accept: media types, with wildcards, parameters and case ignored', () => {
  assert.equal(accept.validate('application/pdf', ['application/pdf']), null);
  assert.equal(accept.validate('Application/PDF; version=1.7', ['application/pdf']), null);
  assert.equal(accept.validate('image/png', ['application/pdf', 'image/*']), null);
  assert.equal(accept.validate('image/png', ['application/pdf', 'image/jpeg']), 'accept');
  assert.equal(accept.validate('application/x-msdownload', ['application/pdf']), 'accept');
  assert.equal(accept.validate('imagefoo/png', ['image/*']), 'accept');
});

test('notEmpty, maxSize, minFiles, maxFiles', () => {
  assert.equal(notEmpty.validate(1), null);
  assert.equal(notEmpty.validate(0), 'empty');
  assert.equal(maxSize.validate(5_242_880, 5_242_880), null);
  assert.equal(maxSize.validate(5_242_881, 5_242_880), 'maxSize');
  assert.equal(minFiles.validate(['a'], 1), null);
  assert.equal(minFiles.validate(['a'], 2), 'minFiles');
  assert.equal(maxFiles.validate(['a', 'b'], 2), null);
  assert.equal(maxFiles.validate(['a', 'b', 'c'], 2), 'maxFiles');
});

// Date bounds --------------------------------------------------------------------------

test('date bounds: absolute dates and today with offsets', () => {
  for (const ok of ['today', 'today-18y', 'today+30d', 'today-6m', '2026-01-31']) assert.equal(isDateBound(ok), true, ok);
  for (const bad of ['tomorrow', 'today-18', 'today - 18y', 'today-18w', '2026-02-31', 'TODAY']) assert.equal(isDateBound(bad), false, bad);
  assert.equal(resolveDateBound('today', '2026-03-15'), '2026-03-15');
  assert.equal(resolveDateBound('2020-01-01', '2026-03-15'), '2020-01-01');
  assert.equal(resolveDateBound('today-18y', '2026-03-15'), '2008-03-15');
  assert.equal(resolveDateBound('today-1y', '2024-02-29'), '2023-02-28');
  assert.equal(resolveDateBound('today+1d', '2023-02-28'), '2023-03-01');
  assert.equal(resolveDateBound('today+1d', '2024-02-28'), '2024-02-29');
  assert.equal(resolveDateBound('today-1d', '2026-01-01'), '2025-12-31');
  assert.equal(resolveDateBound('today-1m', '2026-03-31'), '2026-02-28');
  assert.equal(resolveDateBound('today+13m', '2025-12-15'), '2027-01-15');
  assert.equal(resolveDateBound('today-2000y', '2026-03-15'), '0026-03-15');
  assert.equal(resolveDateBound('nonsense', '2026-03-15'), null);
});

test('today is a YYYY-MM-DD date in Belgrade time', () => {
  // 23:30 UTC on 31 December is already 1 January in Belgrade (UTC+1 in winter).
  assert.equal(todayIn('Europe/Belgrade', new Date('2025-12-31T23:30:00Z')), '2026-01-01');
  assert.equal(todayIn('UTC', new Date('2025-12-31T23:30:00Z')), '2025-12-31');
  assert.match(todayIn(), /^\d{4}-\d{2}-\d{2}$/);
});
