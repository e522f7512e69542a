/**
 * Pages and repeating groups as shown for some answers (issue 21): which pages a form shows,
 * and which questions each item of a group shows. Apart from visibility.ts so that a form
 * without pages or groups never loads it (the element's pages-and-groups chunk does).
 */
import type { FormDefinition, FormField, FormPage } from './definition.ts';
import { isRecord, shapesOf, visibleFields, walk, walkForm } from './visibility.ts';

/**
 * The fields of item `index` of group `group` shown for these answers (its sub-fields' `when`
 * see the item's answers, then the top-level ones). [] when the group is not shown or has no such item.
 */
export function visibleItemFields(def: FormDefinition, group: string, data: unknown, index: number): FormField[] {
  const { fields, answers } = walkForm(shapesOf(def), isRecord(data) ? data : {});
  const entry = fields.find((w) => w.cf.field.name === group);
  if (!entry?.visible || !entry.cf.items) return [];
  const items = isRecord(data) && Array.isArray(data[group]) ? (data[group] as unknown[]) : [];
  const item = items[index];
  return walk(entry.cf.items, isRecord(item) ? item : {}, answers)
    .filter((w) => w.visible)
    .map((w) => w.cf.field);
}

/** A page as shown: the page (null for a form without pages: all its fields on one) and its fields shown now. */
export interface ShownPage {
  readonly page: FormPage | null;
  readonly fields: FormField[];
}

/**
 * The pages shown for these answers, in order: those whose `when` holds and that have a field
 * shown. A form without pages has one, with every field shown (even none).
 */
export function visiblePages(def: FormDefinition, data: unknown): ShownPage[] {
  const shown = visibleFields(def, data);
  if (!def.pages) return [{ page: null, fields: shown }];
  const on = new Set(shown.map((f) => f.name));
  const byName = new Map(shown.map((f) => [f.name, f]));
  return def.pages
    .map((page) => ({ page, fields: page.fields.filter((n) => on.has(n)).map((n) => byName.get(n)!) }))
    .filter((p) => p.fields.length > 0);
}
