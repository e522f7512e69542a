import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkBirthDateAgainstJmbg,
  checkSexAgainstJmbg,
  jmbgBirthDate,
  jmbgFacts,
  jmbgSex,
} from '../../components/core/forms/jmbg.ts';
import { jmbgControlDigit } from '../../components/core/forms/validators.ts';

/** A valid JMBG from its first 12 digits (the control digit from the one validator). */
const withControl = (first12: string): string => first12 + String(jmbgControlDigit(first12));

// Published valid numbers (python-stdnum's Serbian JMBG doctests, as in forms-validators.test.ts):
// serial numbers 000–499 are men, 500–999 women.
test('JMBG: sex from the serial number (digits 10–12)', () => {
  assert.equal(jmbgSex('0101900710004'), 'male'); // 000
  assert.equal(jmbgSex('0101900710012'), 'male'); // 001
  assert.equal(jmbgSex('0101900715006'), 'female'); // 500
  assert.equal(jmbgSex('3112900735018'), 'female'); // 501
  assert.equal(jmbgSex(withControl('010190071499')), 'male', '499 is the last male number');
  assert.equal(jmbgSex(withControl('010190071999')), 'female');
  assert.equal(jmbgSex('0101900710005'), null, 'wrong control digit');
  assert.equal(jmbgSex('010190071000'), null, '12 digits');
});

test('JMBG: date of birth with the century rule (8xx–9xx → 1800s–1900s, 0xx–7xx → 2000s)', () => {
  assert.equal(jmbgBirthDate('3112900730008'), '1900-12-31');
  assert.equal(jmbgBirthDate(withControl('150399871002')), '1998-03-15');
  assert.equal(jmbgBirthDate(withControl('290200471002')), '2004-02-29');
  assert.equal(jmbgBirthDate(withControl('010189971002')), '1899-01-01');
  assert.deepEqual(jmbgFacts(withControl('150399871502')), { birthDate: '1998-03-15', sex: 'female' });
  assert.equal(jmbgFacts('3112900730009'), null);
});

test('JMBG: a date of birth is checked against the JMBG', () => {
  const j = withControl('150399871002');
  assert.deepEqual(checkBirthDateAgainstJmbg('1998-03-15', j), { ok: true });
  assert.deepEqual(checkBirthDateAgainstJmbg('1998-03-16', j), { ok: false, reason: 'mismatch', expected: '1998-03-15' });
  assert.deepEqual(checkBirthDateAgainstJmbg('2998-03-15', j), { ok: false, reason: 'mismatch', expected: '1998-03-15' });
  assert.deepEqual(checkBirthDateAgainstJmbg('15.03.1998.', j), { ok: false, reason: 'valueInvalid' });
  assert.deepEqual(checkBirthDateAgainstJmbg('1998-02-30', j), { ok: false, reason: 'valueInvalid' });
  assert.deepEqual(checkBirthDateAgainstJmbg('1998-03-15', j.slice(0, 12) + String((Number(j[12]) + 1) % 10)), { ok: false, reason: 'jmbgInvalid' });
  assert.deepEqual(checkBirthDateAgainstJmbg('1998-03-15', ''), { ok: false, reason: 'jmbgInvalid' });
});

test('JMBG: a sex is checked against the JMBG', () => {
  assert.deepEqual(checkSexAgainstJmbg('male', '0101900710004'), { ok: true });
  assert.deepEqual(checkSexAgainstJmbg('female', '0101900715006'), { ok: true });
  assert.deepEqual(checkSexAgainstJmbg('female', '0101900710004'), { ok: false, reason: 'mismatch', expected: 'male' });
  assert.deepEqual(checkSexAgainstJmbg('male', '3112900735018'), { ok: false, reason: 'mismatch', expected: 'female' });
  assert.deepEqual(checkSexAgainstJmbg('M', '0101900710004'), { ok: false, reason: 'valueInvalid' });
  assert.deepEqual(checkSexAgainstJmbg('male', '0101900710005'), { ok: false, reason: 'jmbgInvalid' });
});

test('JMBG: every day and both sexes agree with the derived facts', () => {
  let checked = 0;
  for (const [yyy, year] of [[987, 1987], [4, 2004]] as const) {
    for (let m = 1; m <= 12; m++) {
      for (let d = 1; d <= 31; d++) {
        const iso = `${String(year)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const dd = String(d).padStart(2, '0') + String(m).padStart(2, '0') + String(yyy).padStart(3, '0');
        for (const [serial, sex] of [['123', 'male'], ['654', 'female']] as const) {
          const j = withControl(`${dd}71${serial}`);
          const facts = jmbgFacts(j);
          if (new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) {
            assert.equal(facts, null, j);
            continue;
          }
          assert.deepEqual(facts, { birthDate: iso, sex }, j);
          assert.deepEqual(checkBirthDateAgainstJmbg(iso, j), { ok: true });
          assert.deepEqual(checkSexAgainstJmbg(sex, j), { ok: true });
          checked++;
        }
      }
    }
  }
  assert.equal(checked, 2 * (365 + 366));
});
