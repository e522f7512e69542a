import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { msg, type Lang } from '../i18n/index.ts';

export interface ErrorSummary {
  title: string;
  /** `h3` where the summary sits under an element's own `h2`. */
  heading?: 'h2' | 'h3';
  /** Links to the fields at fault, each the content of one list item. */
  links?: readonly TemplateResult[];
  /** What went wrong, in words. */
  text?: string | undefined;
  /** The request id of the failed request, for support. */
  requestId?: string | null | undefined;
  retry?: { label: string; onClick: () => void; part?: string; className?: string };
}

/**
 * GOV.UK's error summary, as every element shows it: a thick-bordered box (`part="error"`,
 * focusable), a heading, links to the fields at fault, the problem in words, the reference
 * for support, and a retry button when trying again may help.
 */
export function errorSummary(lang: Lang, s: ErrorSummary): TemplateResult {
  return html`<div part="error" class="error-summary" tabindex="-1">
    <div role="alert">
      ${s.heading === 'h3' ? html`<h3>${s.title}</h3>` : html`<h2>${s.title}</h2>`}
      ${s.links?.length ? html`<ul>${s.links.map((link) => html`<li>${link}</li>`)}</ul>` : nothing}
      ${s.text !== undefined ? html`<p>${s.text}</p>` : nothing}
      ${s.requestId ? html`<p class="reference">${msg(lang, 'error.reference', { id: s.requestId })}</p>` : nothing}
    </div>
    ${s.retry
      ? html`<button type="button" part=${ifDefined(s.retry.part)} class=${s.retry.className ?? 'secondary'} @click=${s.retry.onClick}>${s.retry.label}</button>`
      : nothing}
  </div>`;
}
