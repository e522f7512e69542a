/**
 * An application's fee as the applicant sees it: the payment details (payee, account, amount,
 * payment code, model 97 and reference, purpose) with copy buttons for the account and the
 * reference, the NBS IPS QR code that banking apps scan, and whether it is paid. Drawn by the
 * receipt of `<overa-application-form>` and the opened application of `<overa-my-applications>`,
 * both lazily loaded views (they list `paymentMessages` and `paymentStyles`); the QR code's
 * generator is a further chunk, loaded the first time a code is drawn.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { ApplicationFeeView } from '../core/api.ts';
import { feeIpsQrPayload, feePaymentOrder, type PaymentScript } from '../core/payments/fee.ts';
import { formatDateTime, msg, type Lang } from '../i18n/index.ts';

// Loaded here rather than with lazy-view.ts's lazyModule: a module this lazily loaded view shared
// with the elements' first load would be split out of it into a file of its own.
let qrModule: typeof import('./ips-qr-svg.ts') | undefined;
let qrLoading: Promise<void> | undefined;

/** Each code drawn, by its IPS text: encoded once, however often the view renders. */
const drawn = new Map<string, { readonly size: number; readonly d: string }>();
/** The QR chunk could not be loaded (offline): the details stand alone until the page is loaded again. */
let qrUnavailable = false;

/** The script of the payment order for a reader: Cyrillic for Cyrillic readers, else Latin (what a Serbian bank prints). */
export function paymentScript(lang: Lang): PaymentScript {
  return lang === 'sr-Cyrl' ? 'sr-Cyrl' : 'sr-Latn';
}

/** The amount in dinars for the reader, always with para (CLDR writes RSD without them): "370,00 RSD", "RSD 370.00". */
export function formatAmount(lang: Lang, amount: number): string {
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : lang, { style: 'currency', currency: 'RSD', currencyDisplay: 'code', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
}

/**
 * The payment block. `fee` is the application's fee as the API gives it (`ApplicationFeeView`),
 * `trackingNumber` the application's: the order and the QR text are core's feePaymentOrder and
 * feeIpsQrPayload, the one function the server uses too. `redraw` renders the element again
 * (its `requestUpdate`): the QR code's chunk arrives after the first render of the block.
 */
export function renderPayment(lang: Lang, fee: ApplicationFeeView, trackingNumber: string, redraw: () => void, headingLevel: 2 | 3 | 4 = 3): TemplateResult {
  const script = paymentScript(lang);
  const order = feePaymentOrder(fee, trackingNumber, script);
  const text = feeIpsQrPayload(fee, trackingNumber, script);
  const amount = formatAmount(lang, fee.amount);
  const payee = Array.isArray(order.payee) ? order.payee.join(', ') : String(order.payee);
  const label = msg(lang, 'payment.qrLabel', { amount, payee: fee.payee.name });
  const paid = fee.state === 'paid';
  const heading = msg(lang, 'payment.title');
  return html`<section part="payment" class="payment" aria-label=${heading} data-ips=${text}>
    ${headingLevel === 2 ? html`<h2 class="payment-title">${heading}</h2>` : headingLevel === 3 ? html`<h3 class="payment-title">${heading}</h3>` : html`<h4 class="payment-title">${heading}</h4>`}
    <p class="payment-status">
      ${msg(lang, 'payment.status')}
      <strong part="payment-status" class="tag payment-tag payment-tag--${fee.state}">${msg(lang, paid ? 'payment.paid' : 'payment.awaiting')}</strong>
    </p>
    ${paid && fee.paid ? html`<p>${msg(lang, 'payment.paidOn', { date: formatDateTime(lang, fee.paid.at) })}</p>` : nothing}
    ${!paid ? html`<p>${msg(lang, 'payment.intro')}</p>` : nothing}
    ${!paid && fee.requiredBeforeApproval ? html`<p class="payment-first">${msg(lang, 'payment.requiredFirst')}</p>` : nothing}
    <div class="payment-body">
      <dl class="payment-details">
        ${row(lang, 'payment.payee', payee)}
        ${row(lang, 'payment.account', fee.payee.account, 'account')}
        ${row(lang, 'payment.amount', amount)}
        ${row(lang, 'payment.paymentCode', fee.paymentCode)}
        ${row(lang, 'payment.model', order.reference!.model)}
        ${row(lang, 'payment.reference', order.reference!.number, 'reference')}
        ${row(lang, 'payment.purpose', order.purpose ?? '')}
      </dl>
      ${paid
        ? nothing
        : html`<figure class="payment-figure">
            ${qrOf(text, label, lang, redraw)}
            <figcaption class="hint">${msg(lang, 'payment.qrHint')}</figcaption>
          </figure>`}
    </div>
    <p class="payment-copy-status visually-hidden" role="status"></p>
  </section>`;
}

/** Screen pixels per module: whole pixels keep the edges sharp for a phone's camera. */
const MODULE_PX = 4;

// One template with the <svg> in it: its children parse as SVG without Lit's `svg` tag (which would
// grow every element's first load, where Lit lives).
function qrSvg(size: number, d: string, label: string): TemplateResult {
  const px = size * MODULE_PX;
  return html`<svg
    part="payment-qr"
    class="payment-qr"
    role="img"
    aria-label=${label}
    width=${px}
    height=${px}
    viewBox="0 0 ${size} ${size}"
    shape-rendering="crispEdges"
    xmlns="http://www.w3.org/2000/svg"
  >
    <rect width=${size} height=${size} fill="#fff"></rect>
    <path d=${d} fill="#000"></path>
  </svg>`;
}

/**
 * The code, or a placeholder while its chunk loads (then `redraw`). Not Lit's `until`: its
 * directive helpers would sit in every element's first load, where Lit lives.
 */
function qrOf(text: string, label: string, lang: Lang, redraw: () => void): TemplateResult {
  if (qrUnavailable) return html`<p class="hint payment-qr-failed">${msg(lang, 'payment.qrFailed')}</p>`;
  const m = qrModule;
  if (!m) {
    qrLoading ??= import('./ips-qr-svg.ts').then(
      (loaded) => {
        qrModule = loaded;
      },
      () => {
        qrUnavailable = true;
      },
    );
    void qrLoading.then(redraw);
    return html`<span class="payment-qr-placeholder" aria-hidden="true"></span>`;
  }
  let code = drawn.get(text);
  if (!code) {
    code = m.ipsQrPath(text);
    drawn.set(text, code);
  }
  return qrSvg(code.size, code.d, label);
}

type Copyable = 'account' | 'reference';

function row(lang: Lang, key: 'payment.payee' | 'payment.account' | 'payment.amount' | 'payment.paymentCode' | 'payment.model' | 'payment.reference' | 'payment.purpose', value: string, copy?: Copyable): TemplateResult {
  const what = msg(lang, key);
  return html`<div class="payment-row">
    <dt>${what}</dt>
    <dd>
      <span class="payment-value ${copy ? `payment-${copy}` : ''}">${value}</span>
      ${copy
        ? html`<button type="button" part="copy-button" class="secondary copy-button" aria-label=${msg(lang, 'payment.copyWhat', { what: what.toLowerCase() })} @click=${(e: Event) => copyValue(e, lang, value, what)}>
            ${msg(lang, 'payment.copy')}
          </button>`
        : nothing}
    </dd>
  </div>`;
}

async function copyValue(e: Event, lang: Lang, value: string, what: string): Promise<void> {
  const status = (e.currentTarget as HTMLElement).closest('.payment')?.querySelector('.payment-copy-status');
  let said: string;
  try {
    await navigator.clipboard.writeText(value);
    said = msg(lang, 'payment.copied', { what });
  } catch {
    said = msg(lang, 'payment.copyFailed');
  }
  if (status) status.textContent = said;
}

/** The payment block's rules, for the views that draw it (the tag colours come from tags.styles.ts where present). */
export const paymentStyles = css`
  .payment {
    margin: calc(var(--_space, 1rem) * 1.25) 0;
    padding: var(--_space, 1rem);
    border: 1px solid #b1b4b6;
    border-left: 5px solid var(--_primary, #1d70b8);
  }

  .payment-title {
    margin: 0 0 calc(var(--_space, 1rem) * 0.5);
    font-size: 1.125rem;
  }

  .payment-tag {
    display: inline-block;
    padding: 0.125rem 0.5rem;
    font-weight: 700;
  }

  .payment-tag--awaiting {
    background: #fff7bf;
    color: #594d00;
  }

  .payment-tag--paid {
    background: #cce2d8;
    color: #005a30;
  }

  .payment-first {
    font-weight: 700;
  }

  .payment-body {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space, 1rem);
    align-items: flex-start;
  }

  .payment-details {
    flex: 1 1 18rem;
    margin: 0;
  }

  .payment-row {
    display: grid;
    grid-template-columns: minmax(8rem, 40%) 1fr;
    gap: 0.5rem;
    padding: 0.375rem 0;
    border-bottom: 1px solid #b1b4b6;
  }

  .payment-row dt {
    font-weight: 700;
  }

  .payment-row dd {
    margin: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: baseline;
    overflow-wrap: anywhere;
  }

  .payment-account,
  .payment-reference {
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.02em;
  }

  .copy-button {
    padding: 0.125rem 0.5rem;
    font-size: 0.875rem;
  }

  .payment-figure {
    margin: 0;
    flex: 0 0 auto;
  }

  .payment-qr {
    display: block;
    max-width: 100%;
    height: auto;
    background: #fff;
  }

  .payment-qr-placeholder {
    display: block;
    width: 12rem;
    height: 12rem;
    background: #f3f2f1;
  }

  .payment-figure figcaption {
    max-width: 16rem;
    margin-top: 0.25rem;
  }
`;
