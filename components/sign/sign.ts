import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { PasskeyEvidence } from '../core/signing/payload.ts';
import { formatFingerprint } from '../core/fingerprint.ts';
import { clientFor, preloadPasskeys, type Session } from '../client/client.ts';
import { completeSignature, prepareSignature, type SigningOptions } from '../client/signatures.ts';
import { OveraApiError, OveraError } from '../client/errors.ts';
import { msg, msgOr, problemMessage, type Lang } from '../i18n/index.ts';
import { OveraElement } from '../shared/overa-element.ts';
import { errorSummary } from '../shared/error-summary.ts';
import { lazyElement } from '../shared/lazy-element.ts';
import { FocusTracker } from '../shared/focus-track.ts';
import { commonMessages } from '../i18n/en/common.ts';
import { passkeyMessages } from '../i18n/en/passkey.ts';
import { signMessages } from '../i18n/en/sign.ts';
import baseStyles from '../styles/base.styles.ts';
import styles from './sign.styles.ts';

/** Detail of `overa-signed`. */
export interface OveraSignedDetail {
  signatureId: string;
  /** Everything needed to re-verify the signature offline (`verifyPasskeyEvidence` in overa/core). */
  evidence: PasskeyEvidence;
}

/** What the element shows. */
export type OveraSignState = 'signed-out' | 'preparing' | 'ready' | 'signing' | 'signed' | 'error';

/** A prepared flow is used only while comfortably inside the server's 5 minutes. */
/** Sign-in is offered only to a signed-out person: its element loads then (the embedded elements' chunk: this one is defined already). */
const ensureAccount = lazyElement('overa-account', () => import('../shared/embedded-elements.ts'));

const FRESH_FOR_MS = 4 * 60 * 1000;

/**
 * Signs one thing with a passkey: shows what is being signed (the slotted description, the
 * action in plain words, and a short fingerprint of the exact content's digest, computed by
 * the server from what it holds), then one button runs the passkey ceremony. Without a
 * session it offers sign-in or passkey creation first (an embedded `<overa-account>`; once
 * signed in there, focus moves to the box's heading and then to the sign button). A
 * cancelled or timed-out ceremony is not an error: the button is simply there again.
 *
 * @summary Sign content with a passkey, bound to exactly that content and action.
 *
 * @slot - A description of what is signed, in the page's words (e.g. the application's title and number).
 *
 * @fires overa-signed - The signature is stored. `detail: { signatureId, evidence }`.
 *
 * @csspart box - The whole signing box.
 * @csspart fingerprint - The digest's fingerprint.
 * @csspart sign-button - "Sign with a passkey".
 * @csspart retry-button - "Try again" after an error that needs a new start.
 * @csspart signed - The confirmation once signed.
 * @csspart error - The message when something went wrong.
 * @csspart status - The status line, a polite live region.
 *
 * @cssprop [--overa-color-primary=#1d70b8] - Primary button colour.
 * @cssprop [--overa-color-success=#00703c] - "Signed" colour.
 * @cssprop [--overa-color-danger=#d4351c] - Error colour.
 * @cssprop [--overa-color-focus=#ffdd00] - Focus ring colour.
 * @cssprop [--overa-color-text=#0b0c0c] - Text colour.
 * @cssprop [--overa-color-muted=#505a5f] - Secondary text colour.
 * @cssprop [--overa-color-surface=#ffffff] - Background.
 * @cssprop [--overa-font-family=inherit] - Font; by default the page's.
 * @cssprop [--overa-radius=4px] - Corner radius.
 * @cssprop [--overa-space=1rem] - Base spacing unit.
 */
export class OveraSign extends OveraElement<{ 'overa-signed': OveraSignedDetail }> {
  static override styles = [baseStyles, styles];
  static override messages = [commonMessages, signMessages, passkeyMessages];

  /** What kind of thing is signed: `application`, `decision` or `reception`. */
  @property({ attribute: 'subject-type', reflect: true }) subjectType = '';

  /** Its id. */
  @property({ attribute: 'subject-id', reflect: true }) subjectId = '';

  /** What the signature does to it: `submit`, `approve`, `accept`, … */
  @property({ reflect: true }) action = '';

  /** What is signed beyond the subject, for subject types that need it (a decision's `{comment}`). */
  @property({ attribute: false }) context: Record<string, unknown> | undefined;

  @state() private phase: OveraSignState = 'preparing';
  @state() private options: SigningOptions | null = null;
  @state() private problemCode: string | null = null;
  @state() private requestId: string | undefined;
  @state() private signedId: string | null = null;

  private preparedAt = 0;
  private prepareToken = 0;
  /** Someone signed in here: the sign button takes focus once it is ready (unless they moved on). */
  private focusWhenReady = false;

  /** Is the focus in the sign-in box shown to a signed-out person? It goes away on signing in: focus must not go with it. */
  private readonly focusInSignIn = new FocusTracker(this, 'overa-account');

  /** What the element shows now. */
  get state(): OveraSignState {
    return this.phase;
  }

  /** The stored signature's id once signed, else null. */
  get signatureId(): string | null {
    return this.signedId;
  }

  /** The payload about to be signed (after preparing), for pages that show more of it. */
  get payload(): SigningOptions['payload'] | null {
    return this.options?.payload ?? null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const attaching = !this.client || (changed.has('server') && this.client !== clientFor(this.server));
    super.willUpdate(changed);
    if (!attaching && (changed.has('subjectType') || changed.has('subjectId') || changed.has('action') || changed.has('context'))) {
      this.signedId = null;
      void this.prepare();
    }
  }

  /** Starts the passkey ceremony (the same as pressing the button). */
  async sign(): Promise<void> {
    const client = this.client;
    if (!client || this.phase === 'signing' || this.phase === 'signed') return;
    const hadFocus = this.matches(':focus-within');
    this.problemCode = null;
    this.phase = 'signing';
    try {
      // A flow left open too long (the person read carefully, or walked away) is started afresh.
      if (!this.options || Date.now() - this.preparedAt > FRESH_FOR_MS) await this.prepare(true);
      if (!this.options) return;
      const result = await completeSignature(client, this.options);
      this.signedId = result.id;
      this.phase = 'signed';
      this.emit('overa-signed', { signatureId: result.id, evidence: result.evidence });
      if (hadFocus) await this.focusPart('signed');
    } catch (err) {
      // Every flow is single use: whatever happened, the next attempt needs a new one.
      this.options = null;
      this.showError(err);
      // Ready again at once (the button stays usable; a fresh flow is fetched in the background).
      if (this.problemCode === 'cancelled') void this.prepare(true).catch(() => undefined);
      if (hadFocus) await this.focusPart(this.problemCode === 'cancelled' ? 'sign-button' : 'error');
    }
  }

  protected override clientAttached(): void {
    void this.prepare();
  }

  protected override sessionChanged(session: Session): void {
    if (this.phase === 'signing' || this.phase === 'signed') return;
    if (session.token && this.phase === 'signed-out') {
      this.focusWhenReady = this.focusInSignIn.inside;
      void this.prepare();
      if (this.focusWhenReady) void this.afterSignIn();
    }
    else if (!session.token) {
      this.options = null;
      this.phase = 'signed-out';
    }
  }

  /** Asks the server for the payload over the subject as it is now, and its fingerprint. */
  private async prepare(keepPhase = false): Promise<void> {
    const client = this.client;
    if (!client) return;
    const token = ++this.prepareToken;
    this.options = null;
    if (!client.token) {
      this.phase = 'signed-out';
      return;
    }
    if (!this.subjectType || !this.subjectId || !this.action) return;
    if (!keepPhase) this.phase = 'preparing';
    try {
      const options = await prepareSignature(client, { type: this.subjectType, id: this.subjectId }, this.action, this.context === undefined ? {} : { context: this.context });
      if (token !== this.prepareToken) return;
      this.options = options;
      this.preparedAt = Date.now();
      // The ceremony's code, while the person reads what they are about to sign.
      preloadPasskeys();
      if (!keepPhase) this.phase = 'ready';
    } catch (err) {
      if (token !== this.prepareToken) return;
      if (keepPhase) throw err;
      this.showError(err);
    }
    // Signed in here: on to the sign button (or what went wrong), if the person is still on the heading where we put them.
    if (this.focusWhenReady && !keepPhase && this.shadowRoot?.activeElement?.id === 'sign-title') await this.focusPart(this.phase === 'ready' ? 'sign-button' : 'error');
    if (!keepPhase) this.focusWhenReady = false;
  }

  private showError(err: unknown): void {
    if (err instanceof OveraApiError && err.status === 401) {
      this.phase = 'signed-out';
      return;
    }
    this.problemCode = err instanceof OveraError ? err.code : 'unknown';
    this.requestId = err instanceof OveraApiError ? err.requestId : undefined;
    if (!(err instanceof OveraError)) console.error('overa-sign:', err);
    // A cancelled ceremony is the person's choice, not a failure: back to "ready" with a note.
    this.phase = this.problemCode === 'cancelled' ? 'ready' : 'error';
  }

  /** Signed in here: focus on the box's heading while the payload is prepared (then on the sign button, see prepare). */
  private async afterSignIn(): Promise<void> {
    await this.updateComplete;
    if (this.focusWhenReady) this.renderRoot.querySelector<HTMLElement>('#sign-title')?.focus();
  }

  private async focusPart(name: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[part~="${name}"]`)?.focus();
  }

  private actionText(lang: Lang): string {
    return msgOr(lang, `sign.action.${this.subjectType}.${this.action}`, 'sign.action.generic', { action: this.action });
  }

  protected override render(): TemplateResult {
    const lang = this.resolvedLang;
    const busy = this.phase === 'preparing' || this.phase === 'signing';
    return html`<section part="box" class="box" lang=${lang} aria-labelledby="sign-title" aria-busy=${busy ? 'true' : 'false'}>
      <h3 id="sign-title" tabindex="-1">${msg(lang, 'sign.title')}</h3>
      <div class="what">
        <slot></slot>
        <p class="action"><span class="label">${msg(lang, 'sign.actionLabel')}</span> ${this.actionText(lang)}</p>
        ${this.options
          ? html`<p class="fingerprint-row">
              <span class="label">${msg(lang, 'sign.fingerprintLabel')}</span>
              <code part="fingerprint" class="fingerprint">${formatFingerprint(this.options.payload.digest)}</code>
            </p>
            <p class="hint">${msg(lang, 'sign.fingerprintHint')}</p>`
          : nothing}
      </div>
      ${this.renderBody(lang)}
      <p part="status" class="status ${busy ? 'status--busy' : ''}" role="status">${this.statusText(lang)}</p>
    </section>`;
  }

  private statusText(lang: Lang): string {
    if (this.phase === 'preparing') return msg(lang, 'sign.preparing');
    if (this.phase === 'signing') return msg(lang, 'status.waiting');
    return '';
  }

  private renderBody(lang: Lang): TemplateResult | typeof nothing {
    switch (this.phase) {
      case 'signed-out':
        ensureAccount();
        return html`<div class="sign-in">
          <p>${msg(lang, 'sign.signInFirst')}</p>
          <overa-account server=${this.server} lang=${lang} primary-action="sign-in"></overa-account>
        </div>`;
      case 'signed':
        return html`<div part="signed" class="signed" tabindex="-1" role="status">
          <p><strong>${msg(lang, 'sign.signed')}</strong></p>
        </div>`;
      case 'error':
        return html`${errorSummary(lang, {
            title: msg(lang, 'sign.errorTitle'),
            text: problemMessage(lang, this.problemCode ?? 'unknown'),
            requestId: this.requestId,
          })}
          <div class="actions">
            <button type="button" part="retry-button" class="secondary" @click=${() => this.prepare()}>${msg(lang, 'form.retry')}</button>
          </div>`;
      default:
        return html`${this.problemCode === 'cancelled' ? html`<p class="calm" role="status">${msg(lang, 'sign.cancelled')}</p>` : nothing}
          <div class="actions">
            <button type="button" part="sign-button" class="primary" ?disabled=${this.phase !== 'ready'} @click=${() => this.sign()}>
              ${msg(lang, 'sign.button')}
            </button>
          </div>`;
    }
  }
}
