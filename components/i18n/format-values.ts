/**
 * Values written for the reader's language: dates, date-times, file sizes and lists of file
 * types. Shared by the elements and the validator's messages (form-messages.ts).
 */
import type { Lang } from './format.ts';

/** British English for dates and lists, as GOV.UK writes them ("1 March 2026", "PDF, JPEG or PNG"). */
const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : lang);


/** Joins items as a list in the language: "a, b and c" / "a, b i c", or with `or` / `ili`. */
export function formatList(lang: Lang, items: readonly string[], type: 'conjunction' | 'disjunction' = 'conjunction'): string {
  return new Intl.ListFormat(locale(lang), { type }).format(items);
}

/** Names people know for the media types forms accept; others show their subtype in capitals. */
const MEDIA_NAMES: Readonly<Record<string, string>> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'image/tiff': 'TIFF',
  'image/heic': 'HEIC',
  'application/xml': 'XML',
  'text/xml': 'XML',
  'application/zip': 'ZIP',
  'text/plain': 'TXT',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word (DOCX)',
  'application/vnd.oasis.opendocument.text': 'ODT',
};

function mediaName(type: string): string {
  const known = MEDIA_NAMES[type];
  if (known) return known;
  const [major, minor = ''] = type.split('/');
  return minor === '*' ? type : minor.toUpperCase() || major!.toUpperCase();
}

/** Accepted media types as people say them: "PDF, JPEG or PNG". */
export function acceptedTypes(lang: Lang, accept: readonly string[]): string {
  const types = accept.map((t) => mediaName(t.trim())).filter(Boolean);
  return formatList(lang, [...new Set(types)], 'disjunction');
}

/** A byte count as people read it: 5242880 → "5 MB" (binary multiples, as file managers show). */
export function formatBytes(lang: Lang, bytes: number): string {
  // Serbian Cyrillic writes the units in Cyrillic too (МБ), as the form's own texts do.
  const [gb, mb, kb, b] = lang === 'sr-Cyrl' ? ['ГБ', 'МБ', 'КБ', 'Б'] : ['GB', 'MB', 'KB', 'B'];
  const units: [number, string][] = [[1024 ** 3, gb], [1024 ** 2, mb], [1024, kb]];
  const format = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  for (const [size, unit] of units) if (bytes >= size) return `${format.format(bytes / size)} ${unit}`;
  return `${format.format(bytes)} ${b}`;
}

const dateTimeFormats = new Map<Lang, Intl.DateTimeFormat>();

/** "3 March 2026 at 14:05" / "3. mart 2026. 14:05" / "3. март 2026. 14:05", in the reader's time zone. */
export function formatDateTime(lang: Lang, iso: string): string {
  let format = dateTimeFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long', timeStyle: 'short' });
    dateTimeFormats.set(lang, format);
  }
  return format.format(new Date(iso));
}

/** A `YYYY-MM-DD` date written out for the language: "1 March 2026", "1. mart 2026.", "1. март 2026.". */
export function formatDate(lang: Lang, iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y!, m! - 1, d!);
  return new Intl.DateTimeFormat(locale(lang), {
    day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC',
  }).format(date);
}
