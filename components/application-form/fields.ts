import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { localize, type FormField, type LocalizedText } from '../core/forms/definition.ts';
import { resolveDateBound } from '../core/forms/dates.ts';
import type { ValidationIssue } from '../core/forms/validate.ts';
import { msg, type Lang } from '../i18n/index.ts';
import type { AttachmentItem } from './attachments.ts';

/** A raw answer as the inputs hold it (numbers stay text until they are read); a repeating group holds its items. */
export type RawValue = string | boolean | string[] | RawItem[];

/** One item of a repeating group: its fields' raw answers. */
export type RawItem = { [name: string]: RawValue };

/** What a field needs from the form to render. */
export interface FieldContext {
  readonly lang: Lang;
  readonly today: string;
  value(name: string): RawValue | undefined;
  /** The message to show under the field, if any. */
  error(name: string): string | undefined;
  /** The words for a file's issue (a refused file). */
  issueMessage(issue: ValidationIssue): string;
  files(name: string): readonly AttachmentItem[];
  /** False when uploads are not possible yet (signed out). */
  readonly canUpload: boolean;
  readonly disabled: boolean;
  onValue(field: FormField, value: RawValue): void;
  onCommit(field: FormField): void;
  onFiles(field: FormField, files: File[]): void;
  onRemoveFile(field: FormField, key: string): void;
  /** A file field (file-field.ts, a chunk of its own): drawn by the element's lazily loaded view. */
  renderFile(field: FormField, error: string | undefined, cls: string): TemplateResult;
}

const t = (text: LocalizedText | undefined, lang: Lang) => (text === undefined ? '' : localize(text, lang));

export function described(field: FormField, error: string | undefined, extra: string[] = []): string {
  const ids = [...extra];
  if (field.hint) ids.push(`f-${field.name}-hint`);
  if (error) ids.push(`f-${field.name}-error`);
  return ids.join(' ');
}

export function labelText(field: FormField, lang: Lang): TemplateResult {
  return html`${t(field.label, lang)}${field.required ? nothing : html` <span class="optional">${msg(lang, 'form.optional')}</span>`}`;
}

function hintAndError(field: FormField, ctx: FieldContext, error: string | undefined): TemplateResult {
  return html`
    ${field.hint ? html`<div id="f-${field.name}-hint" class="hint">${t(field.hint, ctx.lang)}</div>` : nothing}
    ${error
      ? html`<p id="f-${field.name}-error" class="error-message"><span class="visually-hidden">${msg(ctx.lang, 'error.prefix')}</span> ${error}</p>`
      : nothing}
  `;
}

const INPUT_TYPES: Partial<Record<FormField['type'], string>> = { text: 'text', email: 'email', tel: 'tel', number: 'text', date: 'date' };

/** One field, in the GOV.UK pattern for its type. */
export function renderField(field: FormField, ctx: FieldContext): TemplateResult {
  const error = ctx.error(field.name);
  const cls = `field ${error ? 'field--error' : ''}`;
  switch (field.type) {
    case 'radio':
    case 'checkbox':
      if (field.type === 'radio' || field.options) return renderChoices(field, ctx, error, cls);
      return renderSingleCheckbox(field, ctx, error, cls);
    case 'file':
      // Drawn by the file-field chunk (loaded with a form that has file fields), through the element.
      return ctx.renderFile(field, error, cls);
    default:
      return html`<div class=${cls}>
        <label for="f-${field.name}">${labelText(field, ctx.lang)}</label>
        ${hintAndError(field, ctx, error)} ${renderControl(field, ctx, error)}
      </div>`;
  }
}

function renderControl(field: FormField, ctx: FieldContext, error: string | undefined): TemplateResult {
  const value = ctx.value(field.name);
  const text = typeof value === 'string' ? value : '';
  const common = {
    id: `f-${field.name}`,
    describedBy: described(field, error) || undefined,
    invalid: error ? 'true' : 'false',
  };
  const onInput = (e: Event) => ctx.onValue(field, (e.target as HTMLInputElement).value);
  const onChange = () => ctx.onCommit(field);
  if (field.type === 'textarea') {
    return html`<textarea
      id=${common.id}
      name=${field.name}
      rows="5"
      ?disabled=${ctx.disabled}
      aria-describedby=${ifDefined(common.describedBy)}
      aria-invalid=${common.invalid}
      autocomplete=${ifDefined(field.autocomplete)}
      .value=${live(text)}
      @input=${onInput}
      @change=${onChange}
    ></textarea>`;
  }
  if (field.type === 'select') {
    return html`<select
      id=${common.id}
      name=${field.name}
      ?disabled=${ctx.disabled}
      aria-describedby=${ifDefined(common.describedBy)}
      aria-invalid=${common.invalid}
      autocomplete=${ifDefined(field.autocomplete)}
      @change=${(e: Event) => {
        ctx.onValue(field, (e.target as HTMLSelectElement).value);
        ctx.onCommit(field);
      }}
    >
      <option value="" ?selected=${text === ''}>${msg(ctx.lang, 'form.choose')}</option>
      ${(field.options ?? []).map((o) => html`<option value=${o.value} ?selected=${o.value === text}>${t(o.label, ctx.lang)}</option>`)}
    </select>`;
  }
  const isNumber = field.type === 'number';
  const isDate = field.type === 'date';
  const dateBound = (b: number | string | undefined) => (typeof b === 'string' ? resolveDateBound(b, ctx.today) ?? undefined : undefined);
  return html`<input
    id=${common.id}
    name=${field.name}
    class=${isNumber || field.validators?.length ? 'narrow' : isDate ? 'date' : ''}
    type=${INPUT_TYPES[field.type] ?? 'text'}
    ?disabled=${ctx.disabled}
    aria-describedby=${ifDefined(common.describedBy)}
    aria-invalid=${common.invalid}
    autocomplete=${ifDefined(field.autocomplete)}
    inputmode=${ifDefined(field.inputmode ?? (isNumber ? 'decimal' : undefined))}
    spellcheck=${ifDefined(field.type === 'text' && field.validators?.length ? 'false' : undefined)}
    min=${ifDefined(isDate ? dateBound(field.min) : undefined)}
    max=${ifDefined(isDate ? dateBound(field.max) : undefined)}
    .value=${live(text)}
    @input=${onInput}
    @change=${onChange}
  />`;
}

function renderChoices(field: FormField, ctx: FieldContext, error: string | undefined, cls: string): TemplateResult {
  const multi = field.type === 'checkbox';
  const value = ctx.value(field.name);
  const chosen = new Set(Array.isArray(value) ? (value as string[]) : typeof value === 'string' && value ? [value] : []);
  const onChange = (optionValue: string, checked: boolean) => {
    if (multi) {
      const next = new Set(chosen);
      if (checked) next.add(optionValue);
      else next.delete(optionValue);
      ctx.onValue(field, (field.options ?? []).map((o) => o.value).filter((v) => next.has(v)));
    } else {
      ctx.onValue(field, optionValue);
    }
    ctx.onCommit(field);
  };
  return html`<div class=${cls}>
    <fieldset aria-describedby=${ifDefined(described(field, error) || undefined)}>
      <legend>${labelText(field, ctx.lang)}</legend>
      ${hintAndError(field, ctx, error)}
      <div class=${multi ? 'checkboxes' : 'radios'}>
        ${(field.options ?? []).map(
          (o, i) => html`<div class="choice">
            <input
              id="f-${field.name}-${i}"
              name=${field.name}
              type=${multi ? 'checkbox' : 'radio'}
              value=${o.value}
              ?disabled=${ctx.disabled}
              aria-describedby=${ifDefined(o.hint ? `f-${field.name}-${i}-hint` : undefined)}
              .checked=${live(chosen.has(o.value))}
              @change=${(e: Event) => onChange(o.value, (e.target as HTMLInputElement).checked)}
            />
            <label for="f-${field.name}-${i}">${t(o.label, ctx.lang)}</label>
            ${o.hint ? html`<div id="f-${field.name}-${i}-hint" class="hint choice-hint">${t(o.hint, ctx.lang)}</div>` : nothing}
          </div>`,
        )}
      </div>
    </fieldset>
  </div>`;
}

function renderSingleCheckbox(field: FormField, ctx: FieldContext, error: string | undefined, cls: string): TemplateResult {
  const checked = ctx.value(field.name) === true;
  return html`<div class=${cls}>
    ${hintAndError(field, ctx, error)}
    <div class="checkboxes">
      <div class="choice">
        <input
          id="f-${field.name}"
          name=${field.name}
          type="checkbox"
          ?disabled=${ctx.disabled}
          aria-describedby=${ifDefined(described(field, error) || undefined)}
          aria-invalid=${error ? 'true' : 'false'}
          .checked=${live(checked)}
          @change=${(e: Event) => {
            ctx.onValue(field, (e.target as HTMLInputElement).checked);
            ctx.onCommit(field);
          }}
        />
        <label for="f-${field.name}">${labelText(field, ctx.lang)}</label>
      </div>
    </div>
  </div>`;
}
