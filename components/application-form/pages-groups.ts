/**
 * Pages and repeating groups in `<overa-application-form>` (issue 21): a chunk of its own, which
 * the element loads with a form that has pages or a group (forms without them never fetch it).
 *
 * A page's heading (the form's title above the page's, "Back" to the page before), which pages
 * are shown, and a repeating group (co-owners of a parcel, members of a household): its items one
 * after another, each with a numbered heading, its own questions and a "Remove" button, then
 * "Add another …". Rendering and pure helpers: the element keeps the answers and the steps,
 * moves the focus, and checks the answers with the shared validator.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import {
  groupMaxItems,
  groupMinItems,
  itemPath,
  itemTitle,
  localize,
  parseFieldPath,
  type ApplicationData,
  type FieldValue,
  type FormDefinition,
  type FormField,
} from '../core/forms/definition.ts';
import { visibleItemFields, visiblePages, type ShownPage } from '../core/forms/pages.ts';
import { msg, type Lang } from '../i18n/index.ts';
import { formGroupMessages } from '../i18n/en/form-group.ts';
import linkButtonStyles from '../styles/link-button.styles.ts';
// Types only: the field renderer and the control ids come from the element (`Kit`). A static
// import of them here would make esbuild split them out of the element's first-load chunk into
// shared chunks of their own (+0.9 KB min+gz for every form, bench/bundle-size.ts).
import type { FieldContext, RawItem, RawValue, renderField } from './fields.ts';
import type { addButtonId, controlId, controlNameOfPath, itemControlName, itemHeadingId } from './control-ids.ts';

/** What the chunk uses of the element's first-load modules, handed over by the element. */
export interface Kit {
  readonly renderField: typeof renderField;
  readonly controlId: typeof controlId;
  readonly itemControlName: typeof itemControlName;
  readonly itemHeadingId: typeof itemHeadingId;
  readonly addButtonId: typeof addButtonId;
  readonly controlNameOfPath: typeof controlNameOfPath;
}

export { visibleItemFields, visiblePages, type ShownPage };

export const messages = [formGroupMessages];

export const styles = [
  linkButtonStyles,
  css`
    /* Forms with pages: the form's name above the page's title, and Back to the page before. */
    .form-caption {
      margin: 0;
      color: var(--_muted, inherit);
    }
    .page-back {
      margin: 0 0 var(--_space);
    }
    .group-item {
      border-left: 4px solid var(--_line);
      padding: 0 0 0 var(--_space);
      margin: 0 0 calc(var(--_space) * 1.5);
    }
    .group-item-title {
      font-size: 1.125rem;
      margin: 0 0 calc(var(--_space) * 0.75);
    }
    .group-item-title:focus {
      outline: 3px solid var(--_focus);
      outline-offset: 2px;
    }
    .group-remove,
    .group-add {
      margin: 0 0 var(--_space);
    }
  `,
];

/** What a group needs from the element to render. */
export interface GroupContext {
  readonly group: FormField;
  /** How many items there are. */
  readonly count: number;
  /** The questions shown in item `index` (their own conditions applied). */
  itemFields(index: number): readonly FormField[];
  /** The context the item's questions render with (it reads control names: itemControlName). */
  readonly fields: FieldContext;
  readonly kit: Kit;
  onAdd(): void;
  onRemove(index: number): void;
}

/** An item's question under its control name (`coOwners-1-jmbg`): unique ids, labels that point at the right control. */
export function itemField(kit: Kit, group: string, index: number, field: FormField): FormField {
  return { ...field, name: kit.itemControlName(group, index, field.name) };
}

/** The group: a fieldset with its question, hint and error, the items, and the add button. */
export function renderGroup(g: GroupContext): TemplateResult {
  const { group, count, fields: ctx, kit } = g;
  const { itemHeadingId, addButtonId } = kit;
  const lang = ctx.lang;
  const error = ctx.error(group.name);
  const min = groupMinItems(group);
  const max = groupMaxItems(group);
  const label = localize(group.itemLabel ?? group.label, lang);
  // Inside a sentence ("Add another co-owner"), unless the label starts with an abbreviation.
  const first = label.split(/\s/, 1)[0] ?? '';
  const item = /\p{Lu}/u.test(first.slice(1)) ? label : label.charAt(0).toLocaleLowerCase(lang) + label.slice(1);
  const describedBy = [group.hint ? `f-${group.name}-hint` : '', error ? `f-${group.name}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field group ${error ? 'field--error' : ''}">
    <fieldset aria-describedby=${describedBy || nothing}>
      <legend>${localize(group.label, lang)}${group.required || min > 0 ? nothing : html` <span class="optional">${msg(lang, 'form.optional')}</span>`}</legend>
      ${group.hint ? html`<div id="f-${group.name}-hint" class="hint">${localize(group.hint, lang)}</div>` : nothing}
      ${error
        ? html`<p id="f-${group.name}-error" class="error-message"><span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${error}</p>`
        : nothing}
      ${count === 0 ? html`<p class="hint group-none">${msg(lang, 'form.group.none')}</p>` : nothing}
      ${Array.from({ length: count }, (_, i) => {
        const title = itemTitle(group, i, lang);
        return html`<section class="group-item" aria-labelledby=${itemHeadingId(group.name, i)}>
          <h3 class="group-item-title" id=${itemHeadingId(group.name, i)} tabindex="-1">${title}</h3>
          ${g.itemFields(i).map((f) => kit.renderField(itemField(kit, group.name, i, f), ctx))}
          ${count > min
            ? html`<button type="button" class="secondary group-remove" ?disabled=${ctx.disabled} @click=${() => g.onRemove(i)}>
                ${msg(lang, 'form.group.remove')}<span class="visually-hidden"> ${title}</span>
              </button>`
            : nothing}
        </section>`;
      })}
      ${count < max
        ? html`<button type="button" id=${addButtonId(group.name)} class="secondary group-add" ?disabled=${ctx.disabled} @click=${() => g.onAdd()}>
            ${msg(lang, count === 0 ? 'form.group.addFirst' : 'form.group.addAnother', { item })}
          </button>`
        : html`<p class="hint group-full" id=${addButtonId(group.name)} tabindex="-1">${msg(lang, 'form.group.full', { max })}</p>`}
    </fieldset>
  </div>`;
}

/** The top-level field a path is about (`coOwners[1].jmbg` → `coOwners`). */
export const topOf = (path: string): string => parseFieldPath(path).group ?? path;

/** The index of the page shown now (`pageId`) among the pages shown for these answers; the first if it is hidden now. */
export function pageIndex(pages: readonly ShownPage[], pageId: string | null): number {
  const i = pages.findIndex((p) => p.page?.id === pageId);
  return i === -1 ? 0 : i;
}

/** The first shown page that has one of these paths' fields (errors to show), if any. */
export function pageWith(pages: readonly ShownPage[], paths: readonly string[]): ShownPage | undefined {
  const tops = new Set(paths.map(topOf));
  return pages.find((p) => p.fields.some((f) => tops.has(f.name)));
}

/** Only the entries of a page's fields (and their items). */
export function onPage<T>(page: ShownPage | undefined, byPath: Readonly<Record<string, T>>): Record<string, T> {
  const on = new Set(page?.fields.map((f) => f.name) ?? []);
  return Object.fromEntries(Object.entries(byPath).filter(([path]) => on.has(topOf(path))));
}

/** A page's heading: the form's title above the page's, Back to the page before, the page's description. */
export function renderPageHeading(lang: Lang, def: FormDefinition, pages: readonly ShownPage[], at: number, onBack: () => void): TemplateResult {
  const page = pages[at]!.page!;
  return html`${at > 0
      ? html`<p class="page-back"><button type="button" class="link-button" @click=${onBack}>${msg(lang, 'form.pageBack')}</button></p>`
      : nothing}
    <p class="form-caption">${localize(def.title, lang)}</p>
    <h2 class="form-title" tabindex="-1">${localize(page.title, lang)}</h2>
    ${at === 0 && def.description ? html`<p class="lead">${localize(def.description, lang)}</p>` : nothing}
    ${page.description ? html`<p class="lead">${localize(page.description, lang)}</p>` : nothing}`;
}

/** A stored answer as the inputs hold it: numbers as text, a group's items one by one. */
export function toRaw(field: FormField, value: FieldValue): RawValue {
  if (typeof value === 'number') return String(value);
  if (field.type !== 'group') return value as RawValue;
  return (value as readonly ApplicationData[]).map((item) => {
    const raw: RawItem = {};
    for (const sub of field.fields ?? []) if (item[sub.name] !== undefined) raw[sub.name] = toRaw(sub, item[sub.name]!);
    return raw;
  });
}

/** What of the signed-in person's profile the element knows. */
export interface Profile {
  readonly displayName?: string;
  readonly email?: string;
}

/** A profile value for a prefilled field: the name as the account has it, split at the first space for given and family names. */
export function profileValue(source: FormField['prefill'], profile: Profile | null): string | undefined {
  const name = profile?.displayName?.trim();
  switch (source) {
    case 'displayName':
      return name || undefined;
    case 'givenName':
      return name ? name.split(/\s+/)[0] : undefined;
    case 'familyName':
      return name?.split(/\s+/).slice(1).join(' ') || undefined;
    case 'email':
      return profile?.email || undefined;
    default:
      return undefined;
  }
}

/**
 * The answers with prefilled fields filled from the profile (null: nothing changes). A field
 * the person answered is left alone; one still holding an earlier prefill may take a newer one.
 */
export function prefilledValues(
  def: FormDefinition,
  values: Readonly<Record<string, RawValue>>,
  prefilled: Set<string>,
  profile: Profile | null,
): Record<string, RawValue> | null {
  let next: Record<string, RawValue> | null = null;
  for (const field of def.fields) {
    if (!field.prefill) continue;
    const current = values[field.name];
    if (current !== undefined && current !== '' && !prefilled.has(field.name)) continue;
    const value = profileValue(field.prefill, profile);
    if (value === undefined || value === current) continue;
    next ??= { ...values };
    next[field.name] = value;
    prefilled.add(field.name);
  }
  return next;
}

/** A new draft: every group starts with as many empty items as it needs at least. */
export function startGroups(def: FormDefinition, values: Readonly<Record<string, RawValue>>): Record<string, RawValue> {
  const next = { ...values };
  for (const field of def.fields) {
    if (field.type === 'group' && next[field.name] === undefined) next[field.name] = Array.from({ length: groupMinItems(field) }, () => ({}));
  }
  return next;
}

/** Where a path comes in the form: its field's place, then its item's, then the item field's. */
export function pathOrder(def: FormDefinition, path: string): number {
  const p = parseFieldPath(path);
  const top = def.fields.findIndex((f) => f.name === (p.group ?? p.field));
  if (p.group === undefined) return top * 1e6;
  const sub = def.fields[top]?.fields?.findIndex((f) => f.name === p.field) ?? -1;
  return top * 1e6 + (p.index! + 1) * 1e3 + sub + 1;
}

/** The field an item path names. */
export function itemFieldAt(def: FormDefinition, path: string): FormField | undefined {
  const p = parseFieldPath(path);
  return def.fields.find((x) => x.name === p.group)?.fields?.find((x) => x.name === p.field);
}

/** The id a group's error (or an item's) links to: an item field's control, an item's heading, or the add button. */
export function groupLinkTarget(kit: Kit, def: FormDefinition, path: string): string {
  const { addButtonId, controlId, controlNameOfPath, itemHeadingId } = kit;
  const p = parseFieldPath(path);
  const group = def.fields.find((x) => x.name === (p.group ?? p.field));
  if (!group) return path;
  if (p.group === undefined) return addButtonId(group.name);
  const sub = group.fields?.find((x) => x.name === p.field);
  return sub ? controlId({ ...sub, name: controlNameOfPath(path) }) : itemHeadingId(group.name, p.index!);
}

/** The selector of a new item's first question (or its heading). */
export function newItemFocus(kit: Kit, def: FormDefinition, group: string, data: ApplicationData, index: number): string {
  const { controlId, itemControlName, itemHeadingId } = kit;
  const first = visibleItemFields(def, group, data, index)[0];
  return first ? `#${controlId({ ...first, name: itemControlName(group, index, first.name) })}` : `#${itemHeadingId(group, index)}`;
}

/** Errors after removing item `index`: that item's go, later items' move up with them. */
export function withoutItem<T extends { issue: { field: string } }>(shown: Readonly<Record<string, T>>, group: string, index: number): Record<string, T> {
  const next: Record<string, T> = {};
  for (const [path, entry] of Object.entries(shown)) {
    const p = parseFieldPath(path);
    if (p.group !== group || p.index === undefined || p.index < index) next[path] = entry;
    else if (p.index > index) {
      const moved = p.field ? itemPath(group, p.index - 1, p.field) : `${group}[${p.index - 1}]`;
      next[moved] = { ...entry, issue: { ...entry.issue, field: moved } };
    }
  }
  return next;
}

/** "Co-owner 2 removed", for the status line. */
export function removedText(lang: Lang, group: FormField, index: number): string {
  return msg(lang, 'form.group.removed', { item: itemTitle(group, index, lang) });
}
