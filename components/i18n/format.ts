import type { accountMessages } from './en/account.ts';
import type { applicationsMessages } from './en/applications.ts';
import type { commonMessages } from './en/common.ts';
import type { formMessages } from './en/form.ts';
import type { inboxMessages } from './en/inbox.ts';
import type { myAppsMessages } from './en/my-apps.ts';
import type { signMessages } from './en/sign.ts';
import type { statsMessages } from './en/stats.ts';
import type { validationMessages } from './en/validation.ts';
import type { verifyMessages } from './en/verify.ts';
import type { myAppsDetailMessages } from './en/my-apps-detail.ts';
import type { historyMessages } from './en/history.ts';
import type { passkeyMessages } from './en/passkey.ts';
import type { verifyVerdictMessages } from './en/verify-verdict.ts';
import type { inboxCaseMessages } from './en/inbox-case.ts';
import type { inboxReceptionMessages } from './en/inbox-reception.ts';
import type { formSendMessages } from './en/form-send.ts';
import type { formGroupMessages } from './en/form-group.ts';
import type { formFileMessages } from './en/form-file.ts';
import type { verifyDocumentMessages } from './en/verify-document.ts';
import type { verifyTimeMessages } from './en/verify-time.ts';
import type { verifyQualificationMessages } from './en/verify-qualification.ts';
import type { accountPasskeyMessages } from './en/account-passkeys.ts';
import type { accountRecoveryMessages } from './en/account-recovery.ts';
import type { formBuilderMessages } from './en/form-builder.ts';
import type { mailMessages } from './en/mail.ts';
import type { paymentMessages } from './en/payment.ts';
import type { KeysOf, MessageTable } from './registry.ts';

/** The languages Overa ships. Serbian is first-class in both scripts. */
export type Lang = 'en' | 'sr-Latn' | 'sr-Cyrl';

export const LANGS: readonly Lang[] = ['en', 'sr-Latn', 'sr-Cyrl'];

/**
 * A message with plural forms: `plural` names the numeric parameter that picks the form
 * (by Intl.PluralRules for the language); `other` is required, the rest as the language needs.
 */
export interface PluralMessage {
  plural: string;
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

export type Message = string | PluralMessage;

/** Every message key, over all areas (the English sets are the reference). */
export type MessageKey =
  | KeysOf<typeof accountMessages>
  | KeysOf<typeof applicationsMessages>
  | KeysOf<typeof commonMessages>
  | KeysOf<typeof formMessages>
  | KeysOf<typeof inboxMessages>
  | KeysOf<typeof myAppsMessages>
  | KeysOf<typeof signMessages>
  | KeysOf<typeof statsMessages>
  | KeysOf<typeof validationMessages>
  | KeysOf<typeof verifyMessages>
  | KeysOf<typeof myAppsDetailMessages>
  | KeysOf<typeof historyMessages>
  | KeysOf<typeof passkeyMessages>
  | KeysOf<typeof verifyVerdictMessages>
  | KeysOf<typeof inboxCaseMessages>
  | KeysOf<typeof inboxReceptionMessages>
  | KeysOf<typeof formSendMessages>
  | KeysOf<typeof formGroupMessages>
  | KeysOf<typeof formFileMessages>
  | KeysOf<typeof verifyDocumentMessages>
  | KeysOf<typeof verifyTimeMessages>
  | KeysOf<typeof verifyQualificationMessages>
  | KeysOf<typeof accountPasskeyMessages>
  | KeysOf<typeof accountRecoveryMessages>
  | KeysOf<typeof formBuilderMessages>
  | KeysOf<typeof mailMessages>
  | KeysOf<typeof paymentMessages>;

/** Named parameters: strings are inserted as they are, numbers formatted for the language. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** One piece of a formatted message: literal text, or a parameter's formatted value. */
export type MessagePart = string | { readonly param: string; readonly value: string };

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function rulesFor(lang: Lang): Intl.PluralRules {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  return rules;
}

function numberFormatFor(lang: Lang): Intl.NumberFormat {
  let format = numberFormats.get(lang);
  if (!format) numberFormats.set(lang, (format = new Intl.NumberFormat(lang)));
  return format;
}

/** Picks the plural form of a message for the numeric parameter it names. */
export function selectForm(lang: Lang, message: Message, params: MessageParams): string {
  if (typeof message === 'string') return message;
  const n = Number(params[message.plural] ?? NaN);
  if (Number.isNaN(n)) return message.other;
  const category = rulesFor(lang).select(n);
  return message[category] ?? message.other;
}

/** Splits a message into text and parameter values; unknown parameters stay as `{name}`. */
export function formatParts(lang: Lang, message: Message, params: MessageParams = {}): MessagePart[] {
  const text = selectForm(lang, message, params);
  const parts: MessagePart[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    const raw = params[name];
    if (raw === undefined) continue;
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ param: name, value: typeof raw === 'number' ? numberFormatFor(lang).format(raw) : raw });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** Formats a message to a string. */
export function formatMessage(lang: Lang, message: Message, params: MessageParams = {}): string {
  return formatParts(lang, message, params)
    .map((p) => (typeof p === 'string' ? p : p.value))
    .join('');
}

/**
 * Applies a text transformation (such as Latin → Cyrillic) to a message set, leaving
 * `{parameter}` names and the `plural` selector untouched.
 */
export function mapMessages(messages: MessageTable, transform: (text: string) => string): MessageTable {
  const mapText = (text: string) =>
    text
      .split(/(\{[A-Za-z0-9_]+\})/)
      .map((piece, i) => (i % 2 === 1 ? piece : transform(piece)))
      .join('');
  const out: Record<string, Message> = {};
  for (const [key, message] of Object.entries(messages)) {
    if (typeof message === 'string') {
      out[key] = mapText(message);
    } else {
      const forms: PluralMessage = { plural: message.plural, other: mapText(message.other) };
      for (const category of ['zero', 'one', 'two', 'few', 'many'] as const) {
        const form = message[category];
        if (form !== undefined) forms[category] = mapText(form);
      }
      out[key] = forms;
    }
  }
  return out;
}
