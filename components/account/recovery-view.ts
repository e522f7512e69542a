/**
 * The recovery code form of `<overa-account>` (issue 17, item 6), in the element's later-views
 * chunk (later-views.ts, with its words): only a person who lost every passkey opens "I have a recovery code from
 * the agency", so the sign-in form carries the disclosure's summary and the sending, and this
 * body is loaded when the disclosure opens (and on idle after the first render, LazyView).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { DirectiveResult } from 'lit/directive.js';
import { msg, type Lang } from '../i18n/index.ts';

export interface RecoveryContext {
  readonly lang: Lang;
  /**
   * The code as typed, as the element's `live(value)` (its own fields use Lit's `live`
   * directive too; taking it from the element keeps that directive out of a chunk of its own).
   */
  readonly value: DirectiveResult;
  /** What is wrong with it, said at the field, or null. */
  readonly error: string | null;
  /** The element is busy (a ceremony, signing out): the button waits. */
  readonly disabled: boolean;
  onInput(event: InputEvent): void;
  onRecover(): void;
}

export function renderRecovery(ctx: RecoveryContext): TemplateResult {
  const { lang, error } = ctx;
  const describedBy = `recovery-hint${error ? ' recovery-error' : ''}`;
  return html`<div class="field ${error ? 'field--error' : ''}">
      <label for="recovery">${msg(lang, 'account.recoverLabel')}</label>
      <div id="recovery-hint" class="hint">${msg(lang, 'account.recoverHint')}</div>
      ${error
        ? html`<p id="recovery-error" class="error-message">
            <span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${error}
          </p>`
        : nothing}
      <input
        id="recovery"
        part="recovery-input"
        class="code"
        name="recoveryCode"
        type="text"
        autocomplete="off"
        autocapitalize="characters"
        spellcheck="false"
        aria-describedby=${describedBy}
        aria-invalid=${error ? 'true' : 'false'}
        .value=${ctx.value}
        @input=${(e: InputEvent) => ctx.onInput(e)}
      />
    </div>
    <div class="actions">
      <button type="button" part="recover-button" class="secondary" ?disabled=${ctx.disabled} @click=${() => ctx.onRecover()}>
        ${msg(lang, 'account.recover')}
      </button>
    </div>`;
}
