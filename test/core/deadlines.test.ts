import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkDeadlineSpec,
  dayEndsAt,
  deadlineStatus,
  dueDate,
  MAX_DEADLINE_DAYS,
  SERBIAN_PUBLIC_HOLIDAYS_2026 as HOLIDAYS,
  type DueDate,
} from '../../components/core/deadlines.ts';

// Instants are written in UTC on purpose, with the Belgrade local time beside them: the test
// must not lean on the code's own conversion. CET is UTC+1; CEST (29 March–25 October 2026) UTC+2.
const at = (iso: string): number => Date.parse(iso);
/** A winter (CET) local time in Belgrade → epoch ms. */
const cet = (local: string): number => Date.parse(`${local}+01:00`);
/** A summer (CEST) local time in Belgrade → epoch ms. */
const cest = (local: string): number => Date.parse(`${local}+02:00`);

function due(result: ReturnType<typeof dueDate>): DueDate {
  assert.equal(result.state, 'due', `expected a due date, got ${JSON.stringify(result)}`);
  return result as DueDate;
}

test('checkDeadlineSpec accepts whole days of either kind', () => {
  assert.equal(checkDeadlineSpec({ days: 30, kind: 'calendar' }), null);
  assert.equal(checkDeadlineSpec({ days: 1, kind: 'working' }), null);
  assert.equal(checkDeadlineSpec({ days: MAX_DEADLINE_DAYS, kind: 'working' }), null);
});

test('checkDeadlineSpec refuses 0, negative, non-integer and absurd limits, naming days', () => {
  assert.deepEqual(checkDeadlineSpec({ days: 0, kind: 'working' }), { path: 'days', reason: 'days must be at least 1, not 0' }, 'docs/forms.md');
  assert.deepEqual(checkDeadlineSpec({ days: -5, kind: 'working' }), { path: 'days', reason: 'days must be at least 1, not -5' });
  assert.deepEqual(checkDeadlineSpec({ days: 2.5, kind: 'working' }), {
    path: 'days',
    reason: 'days must be a whole number of days, not 2.5',
  });
  assert.deepEqual(checkDeadlineSpec({ days: MAX_DEADLINE_DAYS + 1, kind: 'calendar' }), {
    path: 'days',
    reason: `days must be at most ${MAX_DEADLINE_DAYS}, not ${MAX_DEADLINE_DAYS + 1}`,
  });
  for (const days of [Number.NaN, Infinity, '10', undefined, null]) {
    assert.deepEqual(checkDeadlineSpec({ days, kind: 'calendar' }), { path: 'days', reason: 'days must be a number' });
  }
});

test('checkDeadlineSpec refuses an unknown kind, unknown keys and non-objects', () => {
  const kind = { path: 'kind', reason: 'kind must be "calendar" or "working"' };
  assert.deepEqual(checkDeadlineSpec({ days: 8 }), kind);
  assert.deepEqual(checkDeadlineSpec({ days: 8, kind: 'business' }), kind);
  assert.deepEqual(checkDeadlineSpec({ days: 8, kind: 'working', from: 'today' }), {
    path: '',
    reason: 'deadline has an unknown key "from"',
  });
  for (const value of [null, 30, 'P30D', [30, 'working']]) {
    assert.deepEqual(checkDeadlineSpec(value), { path: '', reason: 'deadline must be an object { days, kind }' });
  }
});

test('the 2026 holiday list: the law\'s days, Orthodox Easter computed independently, and the Sunday rule', () => {
  // Meeus' Julian Easter algorithm, then +13 days to the Gregorian calendar (valid 1900–2099).
  const y = 2026;
  const d = (19 * (y % 19) + 15) % 30;
  const e = (2 * (y % 4) + 4 * (y % 7) - d + 34) % 7;
  const julianMonth = Math.floor((d + e + 114) / 31);
  const julianDay = ((d + e + 114) % 31) + 1;
  const easter = new Date(Date.UTC(y, julianMonth - 1, julianDay + 13));
  assert.equal(easter.toISOString().slice(0, 10), '2026-04-12');
  const day = (offset: number): string => new Date(easter.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  for (const offset of [-2, -1, 0, 1]) assert.ok(HOLIDAYS.includes(day(offset)), day(offset));

  for (const fixed of ['2026-01-01', '2026-01-02', '2026-01-07', '2026-02-15', '2026-02-16', '2026-05-01', '2026-05-02', '2026-11-11']) {
    assert.ok(HOLIDAYS.includes(fixed), fixed);
  }
  // 15 February 2026 is a Sunday: čl. 3a frees the first following working day, the 17th (the 16th is a holiday already).
  assert.equal(new Date('2026-02-15T12:00:00Z').getUTCDay(), 0);
  assert.ok(HOLIDAYS.includes('2026-02-17'));
  // Victory Day (9 May) is worked; 2 May 2026 is a Saturday, which the law does not move.
  assert.ok(!HOLIDAYS.includes('2026-05-09'));
  assert.ok(!HOLIDAYS.includes('2026-05-04'));
  assert.equal(HOLIDAYS.length, 13);
  assert.ok(Object.isFrozen(HOLIDAYS));
});

test('working days skip weekends', () => {
  // Monday 2 March 10:00 → Tue 3, Wed 4, Thu 5, Fri 6, (weekend), Mon 9.
  const r = due(dueDate({ days: 5, kind: 'working' }, [{ start: cet('2026-03-02T10:00') }], HOLIDAYS));
  assert.equal(r.date, '2026-03-09');
  assert.equal(r.endsAt, cet('2026-03-09T23:59:59.999'));
});

test('working days skip Orthodox Easter, Good Friday to Easter Monday', () => {
  // Wednesday 8 April → Thu 9 (1), [Fri 10 – Mon 13 holidays and weekend], Tue 14 (2) … Fri 17 (5).
  const r = due(dueDate({ days: 5, kind: 'working' }, [{ start: cest('2026-04-08T09:00') }], HOLIDAYS));
  assert.equal(r.date, '2026-04-17');
  // Without the holidays the same limit ends on Wednesday 15 April: the list is what moved it.
  assert.equal(due(dueDate({ days: 5, kind: 'working' }, [{ start: cest('2026-04-08T09:00') }], [])).date, '2026-04-15');
});

test('working days skip Statehood Day and the day freed by its Sunday', () => {
  // Friday 13 February → [Sat, Sun 15, Mon 16, Tue 17 not worked], Wed 18, Thu 19, Fri 20.
  assert.equal(due(dueDate({ days: 3, kind: 'working' }, [{ start: cet('2026-02-13T12:00') }], HOLIDAYS)).date, '2026-02-20');
  const withoutFreedDay = HOLIDAYS.filter((h) => h !== '2026-02-17');
  assert.equal(due(dueDate({ days: 3, kind: 'working' }, [{ start: cet('2026-02-13T12:00') }], withoutFreedDay)).date, '2026-02-19');
});

test('calendar days: a last day on a Saturday stays, on a Sunday moves to Monday', () => {
  // Monday 2 March + 5 days → Saturday 7 March: only Sundays and holidays move the end.
  assert.equal(due(dueDate({ days: 5, kind: 'calendar' }, [{ start: cet('2026-03-02T10:00') }], HOLIDAYS)).date, '2026-03-07');
  // Wednesday 1 July + 4 days → Sunday 5 July → Monday 6 July.
  const r = due(dueDate({ days: 4, kind: 'calendar' }, [{ start: cest('2026-07-01T10:00') }], HOLIDAYS));
  assert.equal(r.date, '2026-07-06');
  assert.equal(r.endsAt, cest('2026-07-06T23:59:59.999'));
});

test('calendar days ending on Good Friday run to the Tuesday after Easter Monday', () => {
  // Friday 27 March + 14 days → Friday 10 April (Good Friday); Sat 11, Sun 12, Mon 13 are holidays → Tue 14.
  // The count crosses the spring DST change (29 March) without losing or gaining a day.
  const r = due(dueDate({ days: 14, kind: 'calendar' }, [{ start: cet('2026-03-27T15:00') }], HOLIDAYS));
  assert.equal(r.date, '2026-04-14', 'the example in docs/forms.md');
  assert.equal(r.endsAt, at('2026-04-14T21:59:59.999Z'));
});

test('a submission late in the evening counts from the next local day, not the next UTC day', () => {
  // 22:30Z on 15 January is 23:30 in Belgrade, still the 15th: 30 days → Saturday 14 February.
  assert.equal(due(dueDate({ days: 30, kind: 'calendar' }, [{ start: at('2026-01-15T22:30:00Z') }], HOLIDAYS)).date, '2026-02-14');
  // 23:30Z is already 00:30 on the 16th in Belgrade (UTC still says the 15th): 30 days → Sunday
  // 15 February, Sretenje, with Monday 16 and the freed Tuesday 17 → Wednesday 18 February.
  assert.equal(due(dueDate({ days: 30, kind: 'calendar' }, [{ start: at('2026-01-15T23:30:00Z') }], HOLIDAYS)).date, '2026-02-18');
});

test('around the spring DST change (29 March 2026)', () => {
  // 22:30Z on 28 March is 23:30 CET on Saturday the 28th → 2 days: Sun 29, Mon 30.
  const a = due(dueDate({ days: 2, kind: 'calendar' }, [{ start: at('2026-03-28T22:30:00Z') }], HOLIDAYS));
  assert.equal(a.date, '2026-03-30');
  assert.equal(a.endsAt, at('2026-03-30T21:59:59.999Z')); // 23:59:59.999 CEST
  // 23:30Z is 00:30 CET on Sunday the 29th → Mon 30, Tue 31.
  const b = due(dueDate({ days: 2, kind: 'calendar' }, [{ start: at('2026-03-28T23:30:00Z') }], HOLIDAYS));
  assert.equal(b.date, '2026-03-31');
  // The 23-hour day itself ends at 23:59:59.999 CEST.
  assert.equal(dayEndsAt('2026-03-28'), at('2026-03-28T22:59:59.999Z'));
  assert.equal(dayEndsAt('2026-03-29'), at('2026-03-29T21:59:59.999Z'));
});

test('around the autumn DST change (25 October 2026)', () => {
  // 21:30Z on Friday 23 October is 23:30 CEST on the 23rd → 1 day: Saturday 24 (CEST until its end).
  const a = due(dueDate({ days: 1, kind: 'calendar' }, [{ start: at('2026-10-23T21:30:00Z') }], HOLIDAYS));
  assert.equal(a.date, '2026-10-24');
  assert.equal(a.endsAt, at('2026-10-24T21:59:59.999Z'));
  // 22:30Z is 00:30 CEST on Saturday the 24th → Sunday 25 → Monday 26, which ends in CET.
  const b = due(dueDate({ days: 1, kind: 'calendar' }, [{ start: at('2026-10-23T22:30:00Z') }], HOLIDAYS));
  assert.equal(b.date, '2026-10-26');
  assert.equal(b.endsAt, at('2026-10-26T22:59:59.999Z'));
  // The 25-hour day ends at 23:59:59.999 CET.
  assert.equal(dayEndsAt('2026-10-25'), at('2026-10-25T22:59:59.999Z'));
  // A submission in the repeated hour (02:30 CEST, then 02:30 CET) is on the 25th either way.
  for (const start of [at('2026-10-25T00:30:00Z'), at('2026-10-25T01:30:00Z')]) {
    assert.equal(due(dueDate({ days: 1, kind: 'calendar' }, [{ start }], HOLIDAYS)).date, '2026-10-26');
  }
});

test('the clock stops while the application is returned, through several returns', () => {
  const periods = [
    // Submitted Mon 2 March; returned Wed 4 March: Tue 3 and Wed 4 counted (the return day counts).
    { start: cet('2026-03-02T10:00'), end: cet('2026-03-04T12:00') },
    // Resubmitted Mon 9 March, counting from Tue 10; returned Thu 12: 10, 11, 12 counted.
    { start: cet('2026-03-09T09:00'), end: cet('2026-03-12T16:00') },
    // Resubmitted Fri 13 March: counting from Sat 14.
    { start: cet('2026-03-13T08:00') },
  ];
  // Calendar 10: 5 used, then 14, 15, 16, 17, 18 → Wednesday 18 March (without returns: Thursday 12).
  assert.equal(due(dueDate({ days: 10, kind: 'calendar' }, periods, HOLIDAYS)).date, '2026-03-18');
  assert.equal(due(dueDate({ days: 10, kind: 'calendar' }, [{ start: cet('2026-03-02T10:00') }], HOLIDAYS)).date, '2026-03-12');
  // Working 10: 5 used, then Mon 16 … Fri 20.
  assert.equal(due(dueDate({ days: 10, kind: 'working' }, periods, HOLIDAYS)).date, '2026-03-20');

  // While returned, there is no due date, only the days left.
  assert.deepEqual(dueDate({ days: 10, kind: 'calendar' }, periods.slice(0, 1), HOLIDAYS), { state: 'paused', remainingDays: 8 });
  assert.deepEqual(dueDate({ days: 10, kind: 'calendar' }, periods.slice(0, 2), HOLIDAYS), { state: 'paused', remainingDays: 5 });
  assert.deepEqual(dueDate({ days: 10, kind: 'working' }, periods.slice(0, 2), HOLIDAYS), { state: 'paused', remainingDays: 5 });
});

test('returned and resubmitted on the same days: no day counted twice, none lost', () => {
  const periods = [
    // Returned the day it was submitted: nothing counted.
    { start: cet('2026-03-02T09:00'), end: cet('2026-03-02T15:00') },
    // Resubmitted Tue 3, returned again the same day: still nothing (counting would start on the 4th).
    { start: cet('2026-03-03T10:00'), end: cet('2026-03-03T11:00') },
    // Resubmitted later that Tuesday: counting from Wed 4 → 4, 5, 6.
    { start: cet('2026-03-03T14:00') },
  ];
  assert.equal(due(dueDate({ days: 3, kind: 'calendar' }, periods, HOLIDAYS)).date, '2026-03-06');
});

test('a limit that ran out before a return keeps its due date', () => {
  // 2 calendar days from Mon 2 March end on Wed 4; the return on Fri 6 came too late to stop it.
  const r = dueDate({ days: 2, kind: 'calendar' }, [{ start: cet('2026-03-02T10:00'), end: cet('2026-03-06T10:00') }], HOLIDAYS);
  assert.deepEqual(r, { state: 'due', date: '2026-03-04', endsAt: cet('2026-03-04T23:59:59.999') });
});

test('dueDate refuses periods it cannot count and holidays that are not dates', () => {
  const spec = { days: 5, kind: 'working' } as const;
  assert.throws(() => dueDate(spec, [], HOLIDAYS), /at least one running period/);
  assert.throws(
    () => dueDate(spec, [{ start: cet('2026-03-02T10:00'), end: cet('2026-03-05T10:00') }, { start: cet('2026-03-04T10:00') }], HOLIDAYS),
    /period 1 starts before the previous one ended/,
  );
  assert.throws(() => dueDate(spec, [{ start: cet('2026-03-02T10:00') }, { start: cet('2026-03-04T10:00') }], HOLIDAYS), /period 0 has no end/);
  assert.throws(() => dueDate(spec, [{ start: cet('2026-03-05T10:00'), end: cet('2026-03-02T10:00') }], HOLIDAYS), /period 0 ends before it starts/);
  assert.throws(() => dueDate(spec, [{ start: cet('2026-03-02T10:00') }], ['2026-02-30']), /"2026-02-30"/);
  assert.throws(() => dayEndsAt('30.03.2026'), /not a date/);
});

test('deadlineStatus: on time, due soon, due today, overdue the moment the last day ends', () => {
  const d = due(dueDate({ days: 10, kind: 'working' }, [{ start: cet('2026-03-06T10:00') }], HOLIDAYS));
  assert.equal(d.date, '2026-03-20');
  assert.deepEqual(deadlineStatus(d, cet('2026-03-16T12:00'), 3), { status: 'on-time', daysLeft: 4 });
  assert.deepEqual(deadlineStatus(d, cet('2026-03-17T00:00'), 3), { status: 'due-soon', daysLeft: 3 });
  assert.deepEqual(deadlineStatus(d, cet('2026-03-20T08:00'), 0), { status: 'due-soon', daysLeft: 0 });
  assert.deepEqual(deadlineStatus(d, cet('2026-03-19T23:59:59.999'), 0), { status: 'on-time', daysLeft: 1 });
  assert.deepEqual(deadlineStatus(d, d.endsAt, 3), { status: 'due-soon', daysLeft: 0 });
  assert.deepEqual(deadlineStatus(d, d.endsAt + 1, 3), { status: 'overdue', daysLeft: -1 });
  assert.deepEqual(deadlineStatus(d, cet('2026-03-25T10:00'), 3), { status: 'overdue', daysLeft: -5 });
});

test('deadlineStatus counts local days, across a DST change and late in the evening', () => {
  const d = due(dueDate({ days: 2, kind: 'calendar' }, [{ start: at('2026-03-28T22:30:00Z') }], HOLIDAYS));
  assert.equal(d.date, '2026-03-30');
  // 23:30 CET on Saturday 28 March (22:30Z): two local days before Monday 30.
  assert.deepEqual(deadlineStatus(d, at('2026-03-28T22:30:00Z'), 1), { status: 'on-time', daysLeft: 2 });
  // 23:30Z on 29 March is 01:30 CEST on Monday 30: due today although UTC still says the 29th.
  assert.deepEqual(deadlineStatus(d, at('2026-03-29T23:30:00Z'), 1), { status: 'due-soon', daysLeft: 0 });
  // 22:30Z on 30 March is 00:30 CEST on the 31st: overdue.
  assert.deepEqual(deadlineStatus(d, at('2026-03-30T22:30:00Z'), 1), { status: 'overdue', daysLeft: -1 });
});
