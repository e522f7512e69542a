import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { hasMessage, msg, msgOr, roleName, type Lang } from '../i18n/index.ts';
import type { BuilderDefinition } from './contract-types.ts';
import { pointer, type BuilderProblem, type Path, type SerbianScript } from './model.ts';

/**
 * What the builder's sub-views (fields, approval line, pages, fee) get from the element: the
 * definition, the language, the edits, and the problems by the part they belong to. The views
 * are render functions of their own files; the element owns the state.
 */
export interface EditorContext {
  readonly lang: Lang;
  readonly def: BuilderDefinition;
  /** The script the agency writes Serbian in (the other one is transliterated). */
  readonly script: SerbianScript;
  /** The agency's roles, for approval steps. */
  readonly roles: readonly string[];
  set(path: Path, value: unknown): void;
  insert(path: Path, item: unknown, index?: number): void;
  remove(path: Path, index: number, what: string, dropEmpty?: boolean): void;
  /** Moves an item; focus then goes to `focusIds[0]`, or the next of them that is enabled (the first item has no "Move up"). */
  move(path: Path, from: number, to: number, focusIds: readonly string[]): void;
  /** After the next render, focuses the element `id` (or the first control of the part with that anchor). */
  focus(id: string): void;
  /** The problems that belong to the control with element id `id` (a JSON pointer). */
  problemsAt(id: string): readonly BuilderProblem[];
}

/**
 * The words of one problem in the builder's language: the builder's own check, or core
 * checkDefinition's rule from the builder's messages (its English message for a rule it has no
 * words for, e.g. from a newer server).
 */
export function problemText(lang: Lang, p: BuilderProblem): string {
  if (p.code) return msgOr(lang, `builder.check.${p.code}`, 'builder.check.invalid');
  const key = `builder.definition.${p.rule ?? ''}`;
  if (p.rule && hasMessage(key)) return msg(lang, key, { message: p.message ?? '', ...p.params });
  return p.message ?? '';
}

/** The error messages under a control (GOV.UK: above the control, after the hint), and the id they go by. */
export function errorsFor(ctx: EditorContext, id: string): { html: TemplateResult | typeof nothing; describedBy: string | undefined; invalid: 'true' | undefined } {
  const problems = ctx.problemsAt(id);
  if (problems.length === 0) return { html: nothing, describedBy: undefined, invalid: undefined };
  return {
    html: html`<p class="error-message" id=${`${id}-error`}>
      ${problems.map((p) => html`<span class="visually-hidden">${msg(ctx.lang, 'error.prefix')}</span> ${problemText(ctx.lang, p)}<br />`)}
    </p>`,
    describedBy: `${id}-error`,
    invalid: 'true',
  };
}

const describedBy = (...ids: (string | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

/** Wraps a control with its label, hint and errors, the error bar on the whole group. */
function group(id: string, errors: ReturnType<typeof errorsFor>, content: TemplateResult, className = 'field'): TemplateResult {
  return html`<div class="${className} ${errors.invalid ? 'field--error' : ''}" data-anchor=${id}>${content}</div>`;
}

export interface InputOptions {
  label: string;
  hint?: string;
  type?: 'text' | 'number' | 'url';
  /** Shown in the input until something is written. */
  width?: 'short' | 'medium' | 'long';
  inputmode?: 'numeric' | 'decimal';
  /** How the input's text becomes the stored value (undefined removes the key). */
  parse?: (raw: string) => unknown;
  list?: string;
}

/** A text (or number) input bound to `path`. */
export function textInput(ctx: EditorContext, path: Path, value: string | number | undefined, o: InputOptions): TemplateResult {
  const id = pointer(path);
  const errors = errorsFor(ctx, id);
  const hintId = o.hint ? `${id}-hint` : undefined;
  const parse = o.parse ?? ((raw: string) => raw);
  return group(
    id,
    errors,
    html`<label for=${id}>${o.label}</label>
      ${o.hint ? html`<div class="hint" id=${hintId!}>${o.hint}</div>` : nothing}
      ${errors.html}
      <input
        id=${id}
        class=${o.width ?? 'medium'}
        type=${o.type === 'number' ? 'text' : o.type ?? 'text'}
        inputmode=${ifDefined(o.inputmode)}
        list=${ifDefined(o.list)}
        spellcheck="false"
        autocomplete="off"
        .value=${live(value === undefined ? '' : String(value))}
        aria-describedby=${ifDefined(describedBy(hintId, errors.describedBy))}
        aria-invalid=${ifDefined(errors.invalid)}
        @input=${(e: InputEvent) => ctx.set(path, parse((e.target as HTMLInputElement).value))}
      />`,
  );
}

/** Whole numbers and decimals typed into a text input: empty removes the key, anything else that is no number is kept as typed (core says what is wrong). */
export function parseNumber(raw: string): unknown {
  const t = raw.trim().replace(',', '.');
  if (t === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : raw;
}

/** Text that is absent when empty. */
export const optionalText = (raw: string): string | undefined => (raw === '' ? undefined : raw);

export function checkbox(ctx: EditorContext, path: Path, checked: boolean, label: string, onChange?: (checked: boolean) => void, hint?: string): TemplateResult {
  const id = pointer(path);
  const errors = errorsFor(ctx, id);
  const hintId = hint ? `${id}-hint` : undefined;
  return group(
    id,
    errors,
    html`${errors.html}<div class="check">
        <input
          type="checkbox"
          id=${id}
          .checked=${live(checked)}
          aria-describedby=${ifDefined(describedBy(hintId, errors.describedBy))}
          @change=${(e: Event) => {
            const on = (e.target as HTMLInputElement).checked;
            if (onChange) onChange(on);
            else ctx.set(path, on ? true : undefined);
          }}
        /><label for=${id}>${label}</label>
      </div>
      ${hint ? html`<div class="hint check-hint" id=${hintId!}>${hint}</div>` : nothing}`,
    'field field--check',
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

export function select(ctx: EditorContext, path: Path, value: string, label: string, options: readonly SelectOption[], onChange?: (value: string) => void, hint?: string): TemplateResult {
  const id = pointer(path);
  const errors = errorsFor(ctx, id);
  const hintId = hint ? `${id}-hint` : undefined;
  return group(
    id,
    errors,
    html`<label for=${id}>${label}</label>
      ${hint ? html`<div class="hint" id=${hintId!}>${hint}</div>` : nothing}
      ${errors.html}
      <select
        id=${id}
        aria-describedby=${ifDefined(describedBy(hintId, errors.describedBy))}
        aria-invalid=${ifDefined(errors.invalid)}
        @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          if (onChange) onChange(v);
          else ctx.set(path, v === '' ? undefined : v);
        }}
      >
        ${options.map((o) => html`<option value=${o.value} ?selected=${o.value === value}>${o.label}</option>`)}
      </select>`,
  );
}

/** The roles of the agency as select options, with their names where the shared messages have them. */
export function roleOptions(lang: Lang, roles: readonly string[], current: string): SelectOption[] {
  const all = roles.includes(current) || current === '' ? roles : [...roles, current];
  return all.map((r) => ({ value: r, label: roleName(lang, r) === r ? r : `${roleName(lang, r)} (${r})` }));
}

/** A small action button (Move up, Remove…) whose accessible name says what it acts on. */
export function smallButton(id: string, text: string, what: string, onClick: () => void, options: { disabled?: boolean; danger?: boolean } = {}): TemplateResult {
  return html`<button
    type="button"
    id=${id}
    class="secondary small ${options.danger ? 'danger' : ''}"
    ?disabled=${options.disabled ?? false}
    @click=${onClick}
  >
    ${text}<span class="visually-hidden">: ${what}</span>
  </button>`;
}

