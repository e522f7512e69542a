/**
 * The message tables, filled per area (components/i18n/en/*) so a page downloads only the
 * words of the elements it uses. English is built in: an area's English registers when its
 * module loads. Serbian loads on demand, per area, the first time an element renders in
 * Serbian (as Lit Localize's runtime mode and Shoelace's translations do); the Cyrillic set
 * is derived from the Latin one then, so Serbian is written once.
 */
import { mapMessages, type Lang, type Message } from './format.ts';

export type MessageTable = { readonly [key: string]: Message };

/** One area's messages: the English set, and how to load its Serbian (Latin) set. */
export interface MessageBundle<T extends MessageTable = MessageTable> {
  readonly en: T;
  readonly loadSerbian: () => Promise<{ readonly default: { readonly [K in keyof T]: Message } }>;
}

/** The type of an area's Serbian set: every key of its English set, no other. */
export type SerbianFor<B extends MessageBundle> = { readonly [K in keyof B['en']]: Message };

/** The keys an area defines. */
export type KeysOf<B extends MessageBundle> = keyof B['en'] & string;

const tables: Record<Lang, Record<string, Message>> = { en: {}, 'sr-Latn': {}, 'sr-Cyrl': {} };
const loading = new Map<MessageBundle, Promise<void>>();
const loaded = new WeakSet<MessageBundle>();
/** The transliterator, once a Serbian area has loaded it (it comes with the first one). */
let transliterate: typeof import('../core/transliterate.ts').toScript | undefined;

/** Declares an area: its English set is available at once, its Serbian set via `loadSerbian`. */
export function defineMessages<T extends MessageTable>(en: T, loadSerbian: MessageBundle<T>['loadSerbian']): MessageBundle<T> {
  Object.assign(tables.en, en);
  return { en, loadSerbian };
}

/**
 * Makes `bundles` speak `lang`. Returns undefined when they already do (English always),
 * else a promise that settles when the Serbian sets are in; if one fails to load (offline),
 * the promise rejects and those messages fall back to English until a later call loads them.
 */
export function loadMessages(bundles: readonly MessageBundle[], lang: Lang): Promise<void> | undefined {
  if (lang === 'en') return undefined;
  const pending = bundles.filter((b) => !loaded.has(b)).map(loadSerbian);
  return pending.length === 0 ? undefined : Promise.all(pending).then(() => undefined);
}

/** The message `key` in `lang`, else in English, else undefined. */
export function lookupMessage(lang: Lang, key: string): Message | undefined {
  return tables[lang][key] ?? tables.en[key];
}

function loadSerbian(bundle: MessageBundle): Promise<void> {
  let promise = loading.get(bundle);
  if (!promise) {
    promise = Promise.all([bundle.loadSerbian(), import('../core/transliterate.ts')]).then(([{ default: latin }, { latinToCyrillic, toScript }]) => {
      transliterate = toScript;
      Object.assign(tables['sr-Latn'], latin);
      Object.assign(tables['sr-Cyrl'], mapMessages(latin, latinToCyrillic));
      loaded.add(bundle);
    });
    promise.catch(() => loading.delete(bundle));
    loading.set(bundle, promise);
  }
  return promise;
}

/**
 * A name written in Serbian (an agency's, say) in the reader's script: on a Serbian page the
 * transliterator came with the element's messages; in English, the name as written.
 */
export function inReaderScript(lang: Lang, text: string): string {
  return lang === 'en' || transliterate === undefined ? text : transliterate(text, lang);
}

/** A copy of everything loaded in `lang` (for tests and tools; elements use lookupMessage). */
export function loadedMessages(lang: Lang): MessageTable {
  return { ...tables[lang] };
}
