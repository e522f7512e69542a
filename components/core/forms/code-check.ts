/**
 * The facts a code check shows (a form's `document.codeCheck`): the holder's name and the subject
 * of an issued document, from its application's answers, for anyone holding the verification
 * code to compare with the paper or file in hand. Shared by the server (which answers
 * `GET verify/:code`) and anything that wants to show the same words.
 */
import { localize, type ApplicationData, type FormDefinition, type FormField, type LocalizedText } from './definition.ts';
import { visibleFields } from './visibility.ts';

const LANGS = ['sr-Latn', 'sr-Cyrl', 'en'] as const;

/** One line of the subject: the field's label and its answer. */
export interface DocumentFactLine {
  label: LocalizedText;
  value: LocalizedText;
}

/** What a code check shows of the application: the holder (null when the form names none) and the subject lines. */
export interface DocumentFactsText {
  holder: LocalizedText | null;
  subject: DocumentFactLine[];
}

/**
 * An answer as text in each language: an option by its label, anything else as it was typed
 * (in every language alike: a name is not transliterated, so it reads as on the document).
 */
function answerText(field: FormField, value: ApplicationData[string] | undefined): LocalizedText | null {
  if (value === undefined || value === '' || typeof value === 'boolean') return null;
  const option = (v: string): LocalizedText => field.options?.find((o) => o.value === v)?.label ?? asTyped(v);
  if (Array.isArray(value)) return value.length ? join(value.map(option), ', ') : null;
  if (field.options) return option(String(value));
  const date = field.type === 'date' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value)) : null;
  // A date as the document prints it in Serbian (27.11.2026.), and as written in English.
  if (date) return { 'sr-Latn': `${date[3]}.${date[2]}.${date[1]}.`, 'sr-Cyrl': `${date[3]}.${date[2]}.${date[1]}.`, en: String(value) };
  return asTyped(String(value));
}

const asTyped = (text: string): LocalizedText => ({ 'sr-Latn': text, 'sr-Cyrl': text, en: text });

function join(parts: readonly LocalizedText[], separator: string): LocalizedText {
  return Object.fromEntries(LANGS.map((lang) => [lang, parts.map((p) => localize(p, lang)).join(separator)])) as LocalizedText;
}

/** The holder and subject of a document issued from `data` with `form` (its `document.codeCheck`; visible, answered fields only). */
export function documentFacts(form: FormDefinition, data: ApplicationData): DocumentFactsText {
  const visible = new Map(visibleFields(form, data).map((f) => [f.name, f]));
  const answered = (names: readonly string[] | undefined) =>
    (names ?? []).flatMap((name) => {
      const field = visible.get(name);
      const value = field ? answerText(field, data[name]) : null;
      return field && value ? [{ label: field.label, value }] : [];
    });
  const holder = answered(form.document.codeCheck?.holder);
  return { holder: holder.length ? join(holder.map((h) => h.value), ' ') : null, subject: answered(form.document.codeCheck?.subject) };
}
