import type { Lang } from './format.ts';

/**
 * Maps a BCP 47 tag to one of Overa's languages, or undefined when we have no messages for it.
 * Serbian without a script subtag (`sr`, `sr-RS`, `sr-ME`) is Cyrillic, the official script;
 * `sr-Latn-*` (and the old `sh`) is Latin. Any `en-*` is English.
 */
export function normalizeLang(tag: string | null | undefined): Lang | undefined {
  if (!tag) return undefined;
  const subtags = tag.trim().toLowerCase().replace(/_/g, '-').split('-');
  const primary = subtags[0];
  if (primary === 'sh') return 'sr-Latn';
  if (primary === 'sr') {
    if (subtags.includes('latn')) return 'sr-Latn';
    return 'sr-Cyrl';
  }
  if (primary === 'en') return 'en';
  return undefined;
}

/** The nearest `lang` attribute's value: the node itself, then its ancestors (across shadow roots), then `<html>`. */
export function inheritedLangTag(node: Node): string | null {
  let current: Node | null = node;
  while (current) {
    if (current instanceof Element && current.hasAttribute('lang')) return current.getAttribute('lang');
    if (current.parentNode) {
      current = current.parentNode;
    } else if (current instanceof ShadowRoot) {
      current = current.host;
    } else {
      current = null;
    }
  }
  return node.ownerDocument?.documentElement.getAttribute('lang') ?? null;
}

/**
 * The language an element speaks: its own `lang`, else the closest ancestor's `[lang]`
 * (crossing shadow roots), else `<html lang>`; English when that language is not one we have.
 * As in HTML, the nearest `lang` decides: an unsupported nearest language is not skipped.
 */
export function resolveLang(element: Element): Lang {
  return normalizeLang(inheritedLangTag(element)) ?? 'en';
}

type Listener = () => void;
const documentListeners = new Set<Listener>();
let documentObserver: MutationObserver | null = null;

/**
 * Calls `listener` when `<html lang>` changes (one shared MutationObserver per page, as
 * Shoelace does). Returns the unsubscribe function.
 */
export function observeDocumentLang(listener: Listener): () => void {
  documentListeners.add(listener);
  if (!documentObserver && typeof MutationObserver !== 'undefined' && typeof document !== 'undefined') {
    documentObserver = new MutationObserver(() => {
      for (const l of [...documentListeners]) l();
    });
    documentObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }
  return () => {
    documentListeners.delete(listener);
    if (documentListeners.size === 0 && documentObserver) {
      documentObserver.disconnect();
      documentObserver = null;
    }
  };
}
