/**
 * A repeating group in `<overa-application-form>` (co-owners of a parcel, members of a
 * household): its items one after another, each with a numbered heading, its own questions and
 * a "Remove" button, then "Add another …". A chunk of its own, loaded when a form with a group
 * loads: forms without one never fetch it. Rendering only: the element keeps the items, moves
 * the focus after adding or removing, and checks the answers with the shared validator.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { groupMaxItems, groupMinItems, itemTitle, localize, type FormField } from '../core/forms/definition.ts';
import { msg } from '../i18n/index.ts';
import { formGroupMessages } from '../i18n/en/form-group.ts';
import { addButtonId, itemControlName, itemHeadingId, renderField, type FieldContext } from './fields.ts';

export const messages = [formGroupMessages];

export const styles = [
  css`
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
  onAdd(): void;
  onRemove(index: number): void;
}

/** An item's question under its control name (`coOwners-1-jmbg`): unique ids, labels that point at the right control. */
export function itemField(group: string, index: number, field: FormField): FormField {
  return { ...field, name: itemControlName(group, index, field.name) };
}

/** The group: a fieldset with its question, hint and error, the items, and the add button. */
export function renderGroup(g: GroupContext): TemplateResult {
  const { group, count, fields: ctx } = g;
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
    <fieldset aria-describedby=${ifDefined(describedBy || undefined)}>
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
          ${g.itemFields(i).map((f) => renderField(itemField(group.name, i, f), ctx))}
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
