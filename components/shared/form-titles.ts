/**
 * What reads a form's title (localized text: core/forms/definition.ts and the transliterator
 * under it) as a chunk of its own, for elements that show form titles only once `GET forms` has
 * answered (the inbox, My applications): they load it with that list (`lazyModule`, lazy-view.ts),
 * so their first load need not carry it; until then (or if either fails) they show the form's id.
 */
export { localize } from '../core/forms/definition.ts';
