/**
 * Calendar dates as forms write them (`YYYY-MM-DD`) and date bounds (`today-18y`): what a
 * date field needs to be drawn (its min and max) and the `date`, `min` and `max` rules need to
 * check it (validators.ts re-exports these).
 */
import { AGENCY_TIME_ZONE } from '../time-zone.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days in a month of the Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for a real calendar date written `YYYY-MM-DD` (year 0001–9999): no 31 February, 29 February only in leap years. */
export function isRealDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const DATE_BOUND = /^today(?:([+-])(\d{1,4})([dmy]))?$/;

/** True for a DateBound: `YYYY-MM-DD` (a real date) or `today` with an optional `±N(d|m|y)` offset. */
export function isDateBound(bound: string): boolean {
  return DATE_BOUND.test(bound) || isRealDate(bound);
}

/**
 * Resolves a DateBound to `YYYY-MM-DD` against `today` (`YYYY-MM-DD`). Month and year
 * offsets keep the day of the month where it exists, else take the month's last day
 * (29 February − 1y → 28 February). Null for something that is not a DateBound.
 */
export function resolveDateBound(bound: string, today: string): string | null {
  const rel = DATE_BOUND.exec(bound);
  if (!rel) return isRealDate(bound) ? bound : null;
  const base = ISO_DATE.exec(today);
  if (!base) return null;
  let year = Number(base[1]);
  let month = Number(base[2]);
  let day = Number(base[3]);
  if (rel[1] !== undefined) {
    const n = Number(rel[2]) * (rel[1] === '-' ? -1 : 1);
    if (rel[3] === 'd') {
      // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
      const t = new Date(0);
      t.setUTCFullYear(year, month - 1, day + n);
      year = t.getUTCFullYear();
      month = t.getUTCMonth() + 1;
      day = t.getUTCDate();
    } else {
      const months = year * 12 + (month - 1) + (rel[3] === 'm' ? n : n * 12);
      year = Math.floor(months / 12);
      month = (months % 12) + 1;
      day = Math.min(day, daysInMonth(year, month));
    }
  }
  if (year < 1 || year > 9999) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Today's date `YYYY-MM-DD` in a time zone (default the agencies' own, Europe/Belgrade). */
export function todayIn(timeZone: string = AGENCY_TIME_ZONE, now: Date = new Date()): string {
  try {
    // en-CA formats dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}
