/**
 * What reads a form's title (localized text: core/forms/definition.ts and the transliterator
 * under it), as a chunk the inbox loads with the list of forms the titles arrive in: the list
 * of cases shows a form's id until then, so its first load need not carry it.
 */
export { localize } from '../core/forms/definition.ts';
