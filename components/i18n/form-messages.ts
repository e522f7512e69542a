/**
 * Words for the form validator's issues (components/core/forms/validate.ts). Core returns
 * codes and parameters only; this module, on the i18n side of the one-way dependency
 * (i18n may import core, never the reverse), picks the message for the field's type,
 * formats dates, sizes and file types for the language, and uses a definition's own
 * `patternMessage`.
 */
import { localize, type FormDefinition, type FormField } from '../core/forms/definition.ts';
import type { ValidationIssue } from '../core/forms/validate.ts';
import type { FieldError } from '../core/problem.ts';
import { formatMessage, type Lang, type MessageKey, type MessageParams } from './format.ts';
import { MESSAGES } from './messages.ts';

/** British English for dates and lists, as GOV.UK writes them ("1 March 2026", "PDF, JPEG or PNG"). */
const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : lang);

const text = (lang: Lang, key: MessageKey, params: MessageParams = {}) =>
  formatMessage(lang, (MESSAGES[lang] ?? MESSAGES.en)[key] ?? MESSAGES.en[key], params);

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
  return new Intl.ListFormat(locale(lang), { type: 'disjunction' }).format([...new Set(types)]);
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

function requiredKey(field: FormField | undefined): MessageKey {
  switch (field?.type) {
    case 'select':
    case 'radio':
      return 'validation.required.choice';
    case 'checkbox':
      return field.options ? 'validation.required.choices' : 'validation.required.confirm';
    case 'date':
      return 'validation.required.date';
    case 'number':
      return 'validation.required.number';
    case 'file':
      return 'validation.required.file';
    default:
      return 'validation.required';
  }
}

/**
 * The message for an issue in `lang`. Pass the definition for the best wording: the
 * field's type picks the words for `required`, its `patternMessage` replaces the generic
 * one, and a `today` date bound is said as such. Without it the message is generic.
 */
export function formIssueMessage(issue: ValidationIssue, lang: Lang, def?: FormDefinition): string {
  const field = def?.fields.find((f) => f.name === issue.field);
  const params: Record<string, string | number> = { ...issue.params };
  switch (issue.code) {
    case 'required':
      return text(lang, requiredKey(field));
    case 'type':
      return text(lang, field?.type === 'number' ? 'validation.type.number' : 'validation.type');
    case 'unknownField':
      return text(lang, 'validation.unknownField', { field: issue.field });
    case 'pattern':
      return field?.patternMessage !== undefined ? localize(field.patternMessage, lang) : text(lang, 'validation.pattern');
    case 'min':
    case 'max': {
      const bound = params[issue.code];
      if (typeof bound !== 'string') return text(lang, `validation.${issue.code}`, params);
      if (field?.[issue.code] === 'today') return text(lang, `validation.${issue.code}.today`);
      return text(lang, `validation.${issue.code}.date`, { [issue.code]: formatDate(lang, bound) });
    }
    case 'email':
      return text(lang, 'validation.email', { example: lang === 'en' ? 'name@example.com' : 'ime.prezime@primer.rs' });
    case 'accept':
      return text(lang, 'validation.accept', { types: acceptedTypes(lang, String(params.accept ?? '').split(',')) });
    case 'maxSize':
      return text(lang, 'validation.maxSize', { max: formatBytes(lang, Number(params.max)) });
    default:
      return text(lang, `validation.${issue.code}`, params);
  }
}

/**
 * An issue as the FieldError of a problem+json response (or of the element's error
 * summary): the server sends English (`lang` 'en'), the element shows its own language.
 */
export function issueToFieldError(issue: ValidationIssue, lang: Lang = 'en', def?: FormDefinition): FieldError {
  return { field: issue.field, code: issue.code, message: formIssueMessage(issue, lang, def) };
}
