/**
 * The later steps of `<overa-application-form>`, a chunk of its own: "check your answers",
 * sending (with signing, for forms that must be signed) and the receipt. The element loads it
 * when the person continues past the questions (and on idle after its first render); the
 * questions do not need it. Rendering only: the element keeps the state and does the sending.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ApplicationView } from '../core/api.ts';
import { localize, type ApplicationData, type FormDefinition, type FormField } from '../core/forms/definition.ts';
import { formatBytes, formatDate, msg, type Lang } from '../i18n/index.ts';
import { formSendMessages } from '../i18n/en/form-send.ts';
import type { OveraSignedDetail } from '../sign/sign.ts';
import type { AttachmentItem } from './attachments.ts';
import { paymentMessages } from '../i18n/en/payment.ts';
import { paymentStyles, renderPayment } from '../shared/payment-details.ts';
import checkStyles from './check.styles.ts';

export const styles = [checkStyles, paymentStyles];
export const messages = [formSendMessages, paymentMessages];

/** What the check step needs from the element. */
export interface CheckContext {
  readonly lang: Lang;
  readonly server: string;
  readonly def: FormDefinition;
  /** The answers as they would be sent, and the fields shown for them. */
  readonly data: ApplicationData;
  readonly fields: readonly FormField[];
  files(field: string): readonly AttachmentItem[];
  readonly signedIn: boolean;
  /** True while the draft is written or the application sent. */
  readonly busy: boolean;
  /** The draft being signed (forms that must be signed), and the signature once made. */
  readonly signing: { readonly draft: ApplicationView; readonly signatureId: string | null } | null;
  ensureAccount(): void;
  ensureSign(): void;
  onChange(field: string): void;
  onBack(): void;
  onSend(signatureId?: string): void;
  onToSigning(): void;
  onSigned(event: CustomEvent<OveraSignedDetail>): void;
}

/** "Check your answers": every answer shown with "Change", then how to send. */
export function renderCheck(ctx: CheckContext): TemplateResult {
  const { lang, def } = ctx;
  return html`<section part="check" class="check" aria-labelledby="check-heading">
    <h2 id="check-heading" tabindex="-1">${msg(lang, 'form.checkTitle')}</h2>
    <p class="lead">${localize(def.title, lang)}</p>
    <dl class="summary-list">
      ${ctx.fields.map(
        (f) => html`<div class="summary-row">
          <dt>${localize(f.label, lang)}</dt>
          <dd class="answer">${answerText(ctx, f)}</dd>
          <dd class="summary-action">
            <button type="button" class="link-button" ?disabled=${ctx.busy} @click=${() => ctx.onChange(f.name)}>
              ${msg(lang, 'form.change')}<span class="visually-hidden"> ${localize(f.label, lang)}</span>
            </button>
          </dd>
        </div>`,
      )}
    </dl>
    ${renderSendStep(ctx)}
  </section>`;
}

function answerText(ctx: CheckContext, field: FormField): TemplateResult | string {
  const { lang } = ctx;
  const v = ctx.data[field.name];
  if (field.type === 'file') {
    const files = ctx.files(field.name).filter((i) => i.state === 'done');
    if (!files.length) return msg(lang, 'form.notProvided');
    return html`<ul class="plain">${files.map((i) => html`<li>${i.name} (${formatBytes(lang, i.size)})</li>`)}</ul>`;
  }
  if (v === undefined) return msg(lang, 'form.notProvided');
  const label = (value: string) => {
    const o = field.options?.find((x) => x.value === value);
    return o ? localize(o.label, lang) : value;
  };
  if (typeof v === 'boolean') return msg(lang, v ? 'form.yes' : 'form.no');
  if (typeof v === 'number') return new Intl.NumberFormat(lang).format(v);
  if (typeof v !== 'string') return html`<ul class="plain">${v.map((x) => html`<li>${label(x)}</li>`)}</ul>`;
  if (field.type === 'date') return formatDate(lang, v);
  return field.options ? label(v) : v;
}

function renderSendStep(ctx: CheckContext): TemplateResult {
  const { lang, def, busy } = ctx;
  if (!ctx.signedIn) {
    ctx.ensureAccount();
    return html`<div class="notice">
      <h3>${msg(lang, 'form.signInTitle')}</h3>
      <p>${msg(lang, 'form.signInToSend')}</p>
      <overa-account server=${ctx.server} lang=${lang} primary-action="sign-in"></overa-account>
    </div>`;
  }
  const back = html`<button type="button" class="secondary" ?disabled=${busy} @click=${() => ctx.onBack()}>${msg(lang, 'form.back')}</button>`;
  if (!def.signature.required) {
    return html`
      <h3>${msg(lang, 'form.sendTitle')}</h3>
      <p>${msg(lang, 'form.sendText')}</p>
      <div class="actions">
        <button type="button" part="send-button" class="primary" ?disabled=${busy} @click=${() => ctx.onSend()}>${msg(lang, 'form.send')}</button>
        ${back}
      </div>
    `;
  }
  const signing = ctx.signing;
  if (!signing) {
    return html`
      <h3>${msg(lang, 'form.sendTitle')}</h3>
      <p>${msg(lang, 'form.sendTextSigned')}</p>
      <div class="actions">
        <button type="button" part="send-button" class="primary" ?disabled=${busy} @click=${() => ctx.onToSigning()}>
          ${msg(lang, 'form.toSigning')}
        </button>
        ${back}
      </div>
    `;
  }
  ctx.ensureSign();
  const signatureId = signing.signatureId;
  return html`
    <overa-sign
      part="sign"
      tabindex="-1"
      server=${ctx.server}
      lang=${lang}
      subject-type="application"
      subject-id=${signing.draft.id}
      action="submit"
      @overa-signed=${(e: CustomEvent<OveraSignedDetail>) => ctx.onSigned(e)}
    >
      <p class="signing-what"><strong>${localize(def.title, lang)}</strong><br />${msg(lang, 'form.draftNumber', { number: signing.draft.trackingNumber })}</p>
    </overa-sign>
    <div class="actions after-sign">
      ${signatureId
        ? html`<button type="button" part="send-button" class="primary" ?disabled=${busy} @click=${() => ctx.onSend(signatureId)}>
            ${msg(lang, 'form.send')}
          </button>`
        : nothing}
      ${back}
    </div>
  `;
}

/** The confirmation: the tracking number in a panel, what happens next, and where to follow it. */
export function renderReceipt(lang: Lang, app: ApplicationView, def: FormDefinition | undefined, applicationsHref: string, redraw: () => void): TemplateResult {
  return html`<div part="receipt" class="receipt" tabindex="-1" role="region" aria-labelledby="receipt-title">
      <h2 id="receipt-title">${msg(lang, 'form.sentTitle')}</h2>
      <p>${msg(lang, 'form.trackingLabel')}<br /><strong class="tracking">${app.trackingNumber}</strong></p>
    </div>
    ${app.fee ? renderPayment(lang, app.fee, app.trackingNumber, redraw, 3) : nothing}
    <h3>${msg(lang, 'form.nextTitle')}</h3>
    <p>${msg(lang, 'form.nextText', { form: def ? localize(def.title, lang) : app.formId })}</p>
    <p>${msg(lang, 'form.keepNumber')}</p>
    ${applicationsHref ? html`<p><a part="applications-link" href=${applicationsHref}>${msg(lang, 'form.toApplications')}</a></p>` : nothing}`;
}
