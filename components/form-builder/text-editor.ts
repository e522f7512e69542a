import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { LocalizedText } from '../core/forms/definition.ts';
import { msg } from '../i18n/index.ts';
import { errorsFor, type EditorContext } from './context.ts';
import { joinText, otherScript, pointer, splitText, transliterateTo, type Path, type TextParts } from './model.ts';

export interface TextEditorOptions {
  label: string;
  hint?: string;
  /** A paragraph (textarea) rather than a line. */
  multiline?: boolean;
  /** An optional text is removed when emptied; a required one (a label, a title) stays as "" for the checks to name. */
  optional?: boolean;
}

/**
 * One LocalizedText: Serbian in the script it is written in, the other script beside it
 * transliterated (and editable: writing it makes the text an object with both scripts), and
 * English. A fieldset, so each of the three inputs is announced with the text it belongs to.
 */
export function textEditor(ctx: EditorContext, path: Path, value: LocalizedText | undefined, o: TextEditorOptions): TemplateResult {
  const id = pointer(path);
  const parts = splitText(value, ctx.script);
  const other = otherScript(parts.written);
  const errors = errorsFor(ctx, id);
  const write = (next: TextParts) => ctx.set(path, joinText(next) ?? (o.optional ? undefined : ''));
  const scriptName = (s: 'sr-Latn' | 'sr-Cyrl') => msg(ctx.lang, s === 'sr-Latn' ? 'builder.text.latin' : 'builder.text.cyrillic');
  const hintId = o.hint ? `${id}-hint` : undefined;
  const control = (inputId: string, val: string, onInput: (v: string) => void, extra: { describedBy?: string | undefined; invalid?: 'true' | undefined; lang: string }) =>
    o.multiline
      ? html`<textarea
          id=${inputId}
          rows="3"
          lang=${extra.lang}
          .value=${live(val)}
          aria-describedby=${ifDefined(extra.describedBy)}
          aria-invalid=${ifDefined(extra.invalid)}
          @input=${(e: InputEvent) => onInput((e.target as HTMLTextAreaElement).value)}
        ></textarea>`
      : html`<input
          id=${inputId}
          type="text"
          lang=${extra.lang}
          .value=${live(val)}
          aria-describedby=${ifDefined(extra.describedBy)}
          aria-invalid=${ifDefined(extra.invalid)}
          @input=${(e: InputEvent) => onInput((e.target as HTMLInputElement).value)}
        />`;
  const transliterated = parts.other === undefined;
  const otherNote = `${id}-other-note`;
  return html`<fieldset class="text-editor field ${errors.invalid ? 'field--error' : ''}" data-anchor=${id}>
    <legend>${o.label}</legend>
    ${o.hint ? html`<div class="hint" id=${hintId!}>${o.hint}</div>` : nothing}
    ${errors.html}
    <div class="scripts">
      <div class="script">
        <label for=${id}>${msg(ctx.lang, 'builder.text.serbian', { script: scriptName(parts.written) })}</label>
        ${control(id, parts.sr, (v) => write({ ...parts, sr: v }), {
          describedBy: [hintId, errors.describedBy].filter(Boolean).join(' ') || undefined,
          invalid: errors.invalid,
          lang: parts.written,
        })}
      </div>
      <div class="script">
        <label for=${`${id}#other`}>${msg(ctx.lang, 'builder.text.serbian', { script: scriptName(other) })}</label>
        ${control(`${id}#other`, parts.other ?? transliterateTo(parts.sr, other), (v) => write({ ...parts, other: v }), { describedBy: otherNote, lang: other })}
        <div class="hint small" id=${otherNote}>
          ${transliterated
            ? msg(ctx.lang, 'builder.text.transliterated')
            : html`${msg(ctx.lang, 'builder.text.written')}
                <button type="button" class="link-button" @click=${() => write({ ...parts, other: undefined })}>
                  ${msg(ctx.lang, 'builder.text.useTransliteration')}<span class="visually-hidden">: ${o.label}</span>
                </button>`}
        </div>
      </div>
      <div class="script">
        <label for=${`${id}#en`}>${msg(ctx.lang, 'builder.text.english')}</label>
        ${control(`${id}#en`, parts.en, (v) => write({ ...parts, en: v }), { lang: 'en' })}
      </div>
    </div>
  </fieldset>`;
}
