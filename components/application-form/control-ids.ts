/**
 * The ids and control names of the form's questions (`f-<name>`, an item's `coOwners-1-jmbg`):
 * apart from fields.ts so that the pages-and-groups chunk can name controls without importing
 * the field renderer statically (which would split it out of the element's first-load chunk).
 */
import type { FormField } from '../core/forms/definition.ts';

/**
 * The name a field of a group's item is rendered under (`coOwners-1-jmbg`): ids and lookups
 * need one name per control, and a field name never holds `-`, so the path is easy to read back.
 */
export const itemControlName = (group: string, index: number, field: string): string => `${group}-${index}-${field}`;

/** The id of an item's heading (where the focus goes when the item after it is removed). */
export const itemHeadingId = (group: string, index: number): string => `f-${itemControlName(group, index, 'heading')}`;

/** The id of a group's "Add" button (the error summary's link for the group itself). */
export const addButtonId = (group: string): string => `f-${group}-add`;

/** A control name back to the answer's path: `coOwners-1-jmbg` → `coOwners[1].jmbg`; a top-level name stays. */
export function pathOfControlName(name: string): string {
  const [group, index, field] = name.split('-');
  return field === undefined ? name : `${group}[${index}].${field}`;
}

/** A path (`coOwners[1].jmbg`) to its control name (`coOwners-1-jmbg`). */
export function controlNameOfPath(path: string): string {
  const m = /^(\w+)\[(\d+)\](?:\.(\w+))?$/.exec(path);
  if (!m) return path;
  return m[3] === undefined ? `${m[1]}-${m[2]}` : itemControlName(m[1]!, Number(m[2]), m[3]);
}

/** The id of a field's (first) control: what labels and the error summary point at. */
export const controlId = (field: Pick<FormField, 'name' | 'type' | 'options'>): string => {
  if (field.type === 'radio' || (field.type === 'checkbox' && field.options)) return `f-${field.name}-0`;
  // File fields: the visible "Choose files" button, not the hidden native input behind it.
  if (field.type === 'file') return `f-${field.name}-button`;
  return `f-${field.name}`;
};
