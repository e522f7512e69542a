/**
 * overa/i18n: messages in English, Serbian Latin and Serbian Cyrillic, with named
 * parameters and plural forms, and the rule that picks an element's language.
 */
import { formatMessage, formatParts, type Lang, type Message, type MessageKey, type MessageParams, type MessagePart } from './format.ts';
import { MESSAGES } from './messages.ts';

export { LANGS, formatMessage, formatParts, mapMessages, type Lang, type Message, type MessageKey, type MessageParams, type MessagePart, type Messages, type PluralMessage } from './format.ts';
export { normalizeLang, resolveLang, inheritedLangTag, observeDocumentLang } from './lang.ts';
export { MESSAGES } from './messages.ts';
export { formIssueMessage, issueToFieldError, formatBytes, formatDate, formatDateTime, acceptedTypes } from './form-messages.ts';

/** True when `key` names a message (for keys built at run time, such as problem codes). */
export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(MESSAGES.en, key);
}

/** The message `key` in `lang`, with its parameters filled in (falls back to English). */
export function msg(lang: Lang, key: MessageKey, params: MessageParams = {}): string {
  return formatMessage(lang, messageFor(lang, key), params);
}

/** Like msg, but keeps parameters apart so an element can mark them up (e.g. a name in <strong>). */
export function msgParts(lang: Lang, key: MessageKey, params: MessageParams = {}): MessagePart[] {
  return formatParts(lang, messageFor(lang, key), params);
}

/** The message for an error code (`problem.<code>`), or the generic one. */
export function problemMessage(lang: Lang, code: string, params: MessageParams = {}): string {
  const key = `problem.${code}`;
  return msg(lang, hasMessage(key) ? key : 'problem.unknown', params);
}

/** The message for a field error (`field.<field>.<code>`), or a generic "check this field". */
export function fieldMessage(lang: Lang, field: string, code: string, params: MessageParams = {}): string {
  const key = `field.${field}.${code}`;
  return msg(lang, hasMessage(key) ? key : 'field.invalid', params);
}

/** Joins items as a list in the language ("a, b and c" / "a, b i c"). */
export function formatList(lang: Lang, items: readonly string[]): string {
  return new Intl.ListFormat(lang, { type: 'conjunction' }).format(items);
}

function messageFor(lang: Lang, key: MessageKey): Message {
  return (MESSAGES[lang] ?? MESSAGES.en)[key] ?? MESSAGES.en[key];
}
