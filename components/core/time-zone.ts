/**
 * The agencies' time zone: calendar days and months (a form's "today" bounds, the inbox's
 * `from`/`to` days, open-data months, dates printed on documents) are counted in it, in the
 * browser and on the server alike.
 */
export const AGENCY_TIME_ZONE = 'Europe/Belgrade';

// Built on first use and kept: constructing a time-zone formatter is far dearer than using one,
// and a page that only imports the constant should not pay for it.
let offsetFormat: Intl.DateTimeFormat | undefined;

/** The agency zone's offset from UTC at an instant, in ms ("GMT+01:00" → 3,600,000). */
function offsetMs(at: number): number {
  offsetFormat ??= new Intl.DateTimeFormat('en-US', { timeZone: AGENCY_TIME_ZONE, timeZoneName: 'longOffset' });
  const name = offsetFormat.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
}

/**
 * Midnight at the start of a calendar day in the agency's time zone, as epoch ms. Month and
 * day roll over as in `Date.UTC` (day 32 is the 1st of the next month, month 13 January).
 */
export function agencyMidnight(year: number, month: number, day: number): number {
  const utc = Date.UTC(year, month - 1, day);
  // The offset at the guess, then at the result: right across a DST change too.
  const guess = utc - offsetMs(utc);
  return utc - offsetMs(guess);
}
