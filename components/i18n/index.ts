/**
 * overa/i18n: messages in English, Serbian Latin and Serbian Cyrillic, with named
 * parameters and plural forms, and the rule that picks an element's language.
 */
import { formatMessage, formatParts, type Lang, type Message, type MessageKey, type MessageParams, type MessagePart } from './format.ts';
import { lookupMessage } from './registry.ts';

export { LANGS, formatMessage, formatParts, mapMessages, type Lang, type Message, type MessageKey, type MessageParams, type MessagePart, type PluralMessage } from './format.ts';
export { normalizeLang, resolveLang, inheritedLangTag, observeDocumentLang } from './lang.ts';
export { defineMessages, inReaderScript, loadMessages, lookupMessage, type KeysOf, type MessageBundle, type MessageTable, type SerbianFor } from './registry.ts';
export { commonMessages } from './en/common.ts';
export { formatBytes, formatDate, formatDateTime, formatList, acceptedTypes } from './format-values.ts';

/** True when `key` names a loaded message (for keys built at run time, such as problem codes). */
export function hasMessage(key: string): key is MessageKey {
  return lookupMessage('en', key) !== undefined;
}

/** An agency role's name (`role.<id>` in the shared messages); a role an agency added itself shows its id. */
export function roleName(lang: Lang, role: string): string {
  const key = `role.${role}`;
  return hasMessage(key) ? msg(lang, key) : role;
}

/** The message `key` in `lang`, with its parameters filled in (falls back to English). */
export function msg(lang: Lang, key: MessageKey, params: MessageParams = {}): string {
  return formatMessage(lang, messageFor(lang, key), params);
}

/** Like msg, but keeps parameters apart so an element can mark them up (e.g. a name in <strong>). */
export function msgParts(lang: Lang, key: MessageKey, params: MessageParams = {}): MessagePart[] {
  return formatParts(lang, messageFor(lang, key), params);
}

/**
 * The message `key` when there is one (a key built at run time from a code the server or a
 * report sends), else the generic `fallback`; `params` go to whichever is used.
 */
export function msgOr(lang: Lang, key: string, fallback: MessageKey, params: MessageParams = {}): string {
  return msg(lang, hasMessage(key) ? key : fallback, params);
}

/** The message for an error code (`problem.<code>`), or the generic one. */
export function problemMessage(lang: Lang, code: string, params: MessageParams = {}): string {
  return msgOr(lang, `problem.${code}`, 'problem.unknown', params);
}

/** The message for a field error (`field.<field>.<code>`), or a generic "check this field". */
export function fieldMessage(lang: Lang, field: string, code: string, params: MessageParams = {}): string {
  return msgOr(lang, `field.${field}.${code}`, 'field.invalid', params);
}

/** An unknown key shows as itself (and in the console), never as an empty space or a crash. */
function messageFor(lang: Lang, key: MessageKey): Message {
  const message = lookupMessage(lang, key);
  if (message !== undefined) return message;
  console.error(`overa: no message "${key}" (is its area in the element's static messages?)`);
  return key;
}
