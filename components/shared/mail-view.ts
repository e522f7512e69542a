/**
 * E-mail notifications for the signed-in person (issue 20, item 1), one chunk shared by
 * `<overa-account>` ("Notifications by e-mail", in its later-views chunk) and the receipt of
 * `<overa-application-form>` (a short offer that opens the same flow inline): give an address,
 * confirm it with the six-digit code the mail brings (nothing is sent to it before: the server
 * refuses too), change it, remove it, stop notifications and start them again. When the server
 * has no SMTP configured (`GET me` says `mail.offered: false`) it draws nothing at all.
 *
 * `MailManager` is the state and the sending (a reactive controller of the element that shows
 * it); its `render` draws it. Focus follows each step: the code field after the code is sent,
 * the confirmed address after confirming, the field at fault after an error.
 */
import { css, html, nothing, type ReactiveController, type ReactiveElement, type TemplateResult } from 'lit';
import type { MailStatus } from '../core/api.ts';
import type { OveraClient } from '../client/client.ts';
import { confirmMailAddress, getMailStatus, removeMailAddress, setMailAddress, setMailNotifications } from '../client/mail.ts';
import { OveraApiError } from '../client/errors.ts';
import { mailMessages } from '../i18n/en/mail.ts';
import { fieldMessage, msg, msgParts, problemMessage, type Lang, type MessageKey } from '../i18n/index.ts';
import { errorSummary } from './error-summary.ts';
import { LoadStateController } from './load-state.ts';
import { toProblem, type ShownProblem } from './problem.ts';

export const messages = [mailMessages];

export const styles = [
  css`
    .mail {
      margin-top: calc(var(--_space) * 1.5);
      padding-top: calc(var(--_space) * 1.25);
      border-top: 1px solid var(--_line);
    }
    .mail h2,
    .mail h3.mail-title {
      margin-top: 0;
      font-size: 1.25rem;
    }
    .mail .mail-state:focus {
      outline: 3px solid var(--_focus);
      outline-offset: 4px;
    }
    .mail .actions {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--_space) * 0.5);
    }
    .mail .actions button {
      margin: 0;
    }
    .mail input.mail-code {
      max-width: 9ch;
      letter-spacing: 0.15em;
    }
    .mail .danger {
      color: #ffffff;
      background: var(--_danger);
      box-shadow: 0 2px 0 #55150b;
    }
  `,
];

type Busy = 'send' | 'confirm' | 'switch' | 'remove';
type MailField = 'mailAddress' | 'mailCode';
/** What the person is doing besides looking: typing a (new) address, or asked "remove it?". */
type Step = 'address' | 'removing' | null;

const WHO = 'overa-mail';
const IDS: Record<MailField, string> = { mailAddress: 'mail-address', mailCode: 'mail-code' };
// As plain as the server's check (services/mail.ts): the code that comes back is the real proof.
const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface MailManagerOptions {
  client(): OveraClient | null;
  /**
   * `account`: the whole part, under its own heading (an `h2`), saying also when there is no
   * address. `offer`: the receipt's short offer (an `h3`): one sentence when notifications are
   * on already, else an invitation that opens the same flow.
   */
  readonly mode: 'account' | 'offer';
}

/** Whether mail is offered, the address and its code, and every change to them. */
export class MailManager implements ReactiveController {
  private readonly status: LoadStateController<MailStatus>;
  private busy: Busy | null = null;
  private step: Step = null;
  /** The offer was opened ("Get e-mail updates"). */
  private opened = false;
  private address = '';
  private code = '';
  private fieldProblem: { field: MailField; code: string } | null = null;
  private problem: ShownProblem | null = null;
  private said: { key: MessageKey; address?: string } | null = null;
  /**
   * The server was seen to offer mail (a fact about the server, kept across people): only then
   * does loading say "Loading your e-mail settings…". The first time it is not yet known whether
   * there is anything to load, and a server without SMTP must not flash words about e-mail.
   */
  private offered = false;

  constructor(
    private readonly host: ReactiveElement,
    private readonly options: MailManagerOptions,
  ) {
    this.status = new LoadStateController<MailStatus>(host, { who: WHO });
    host.addController(this);
  }

  hostConnected(): void {}

  /** Signed out, or another person signed in: nothing of the last person is kept. */
  reset(): void {
    this.step = null;
    this.opened = false;
    this.address = '';
    this.code = '';
    this.fieldProblem = null;
    this.problem = null;
    this.said = null;
    this.status.set({ state: 'loading' });
  }

  async load(): Promise<void> {
    const client = this.options.client();
    if (!client) return;
    await this.status.load(async (signal) => {
      const status = await getMailStatus(client, signal);
      this.offered = status.offered;
      return status;
    }, { keep: true });
  }

  render(lang: Lang): TemplateResult | typeof nothing {
    const now = this.status.now;
    const account = this.options.mode === 'account';
    if (now.state === 'loading') {
      return account && this.offered ? html`<p class="mail status status--busy" role="status">${msg(lang, 'mail.loading')}</p>` : nothing;
    }
    if (now.state === 'error') {
      // On the receipt the offer is a nicety: a failure to ask about it does not cloud the receipt.
      if (!account) return nothing;
      return this.section(
        lang,
        errorSummary(lang, {
          title: msg(lang, 'error.title'),
          heading: 'h3',
          text: problemMessage(lang, now.problem.code),
          requestId: now.problem.requestId,
          retry: { label: msg(lang, 'form.retry'), onClick: () => void this.load() },
        }),
      );
    }
    if (now.state !== 'ready' || !now.value.offered) return nothing;
    return this.section(lang, this.renderBody(lang, now.value));
  }

  private section(lang: Lang, body: TemplateResult): TemplateResult {
    const account = this.options.mode === 'account';
    const title = msg(lang, account ? 'mail.title' : 'mail.offer.title');
    return html`<section part="mail" class="mail" aria-labelledby="mail-title">
      ${account ? html`<h2 id="mail-title">${title}</h2>` : html`<h3 id="mail-title" class="mail-title">${title}</h3>`}
      ${this.renderProblem(lang)} ${body}
      <p class="status ${this.busy ? 'status--busy' : ''}" role="status">${this.said ? msg(lang, this.said.key, { address: this.said.address ?? '' }) : ''}</p>
    </section>`;
  }

  private renderBody(lang: Lang, s: MailStatus): TemplateResult {
    const account = this.options.mode === 'account';
    const parts: (TemplateResult | typeof nothing)[] = [];
    if (s.address) {
      if (account || !s.notifications) parts.push(this.renderConfirmed(lang, s));
      else parts.push(html`<p class="mail-state" tabindex="-1">${this.strong(lang, 'mail.offer.on', s.address)}</p>`);
    } else if (account && !s.pending && this.step !== 'address') {
      parts.push(html`<p class="mail-state" tabindex="-1">${msg(lang, 'mail.none')}</p>`);
    }
    if (!s.address && !account && !this.opened && !s.pending) {
      parts.push(html`<p>${msg(lang, 'mail.offer.text')}</p>
        <div class="actions">
          <button type="button" part="mail-open-button" class="secondary" @click=${() => void this.open()}>${msg(lang, 'mail.offer.open')}</button>
        </div>`);
      return html`${parts}`;
    }
    if (s.pending && this.step !== 'address') parts.push(this.renderCode(lang, s));
    else if (this.step === 'address' || (!s.address && (account || this.opened))) parts.push(this.renderAddress(lang, s));
    if (account && !s.address) parts.push(html`<p class="hint">${msg(lang, 'mail.what')}</p>`);
    return html`${parts}`;
  }

  private strong(lang: Lang, key: MessageKey, address: string): TemplateResult {
    return html`${msgParts(lang, key, { address }).map((p) => (typeof p === 'string' ? p : html`<strong>${p.value}</strong>`))}`;
  }

  private renderConfirmed(lang: Lang, s: MailStatus): TemplateResult {
    const account = this.options.mode === 'account';
    const disabled = this.busy !== null;
    const removing = this.step === 'removing';
    const on = s.notifications;
    const text = account ? (on ? 'mail.on' : 'mail.off') : 'mail.offer.off';
    return html`<p class="mail-state" tabindex="-1">${this.strong(lang, text, s.address!)}</p>
      ${removing
        ? html`<div class="confirm" role="group" aria-labelledby="mail-remove-text">
            <p id="mail-remove-text">${this.strong(lang, 'mail.removeConfirm', s.address!)}</p>
            <div class="actions">
              <button type="button" part="mail-remove-yes" class="danger" ?disabled=${disabled} @click=${() => void this.remove()}>${msg(lang, 'mail.removeYes')}</button>
              <button type="button" class="secondary mail-remove-cancel" ?disabled=${disabled} @click=${() => void this.cancel('.mail-remove')}>${msg(lang, 'mail.cancel')}</button>
            </div>
          </div>`
        : html`<div class="actions">
            <button type="button" part="mail-switch" class=${on ? 'secondary' : 'primary'} ?disabled=${disabled} @click=${() => void this.switchTo(!on)}>
              ${msg(lang, on ? 'mail.stop' : 'mail.start')}
            </button>
            ${account && this.step !== 'address'
              ? html`<button type="button" part="mail-change" class="secondary mail-change" ?disabled=${disabled} @click=${() => void this.change()}>${msg(lang, 'mail.change')}</button>
                  <button type="button" part="mail-remove" class="secondary mail-remove" ?disabled=${disabled} @click=${() => void this.askToRemove()}>${msg(lang, 'mail.remove')}</button>`
              : nothing}
          </div>`}`;
  }

  private renderAddress(lang: Lang, s: MailStatus): TemplateResult {
    const problem = this.fieldProblem?.field === 'mailAddress' ? this.fieldProblem : null;
    const canCancel = Boolean(s.address || s.pending);
    return html`<form class="mail-form" novalidate @submit=${(e: SubmitEvent) => void this.sendCode(e)}>
      ${this.field(lang, 'mailAddress', problem, html`<input
        id="mail-address"
        part="mail-address-input"
        name="email"
        type="email"
        autocomplete="email"
        spellcheck="false"
        aria-describedby="mail-address-hint${problem ? ' mail-address-error' : ''}"
        aria-invalid=${problem ? 'true' : 'false'}
        .value=${this.address}
        @input=${(e: InputEvent) => this.onInput('mailAddress', e)}
      />`)}
      <div class="actions">
        <button type="submit" part="mail-send-button" class="primary" ?disabled=${this.busy !== null}>${msg(lang, 'mail.sendCode')}</button>
        ${canCancel
          ? html`<button type="button" class="secondary" ?disabled=${this.busy !== null} @click=${() => void this.cancel('.mail-change, #mail-code')}>${msg(lang, 'mail.cancel')}</button>`
          : nothing}
      </div>
    </form>`;
  }

  private renderCode(lang: Lang, s: MailStatus): TemplateResult {
    const problem = this.fieldProblem?.field === 'mailCode' ? this.fieldProblem : null;
    const disabled = this.busy !== null;
    return html`<form class="mail-form" novalidate @submit=${(e: SubmitEvent) => void this.confirm(e)}>
      <p class="mail-pending">${this.strong(lang, 'mail.pending', s.pending!)}</p>
      ${s.address ? html`<p class="hint">${this.strong(lang, 'mail.stillOld', s.address)}</p>` : nothing}
      ${this.field(lang, 'mailCode', problem, html`<input
        id="mail-code"
        part="mail-code-input"
        class="mail-code"
        name="code"
        type="text"
        inputmode="numeric"
        autocomplete="one-time-code"
        spellcheck="false"
        aria-describedby="mail-code-hint${problem ? ' mail-code-error' : ''}"
        aria-invalid=${problem ? 'true' : 'false'}
        .value=${this.code}
        @input=${(e: InputEvent) => this.onInput('mailCode', e)}
      />`)}
      <div class="actions">
        <button type="submit" part="mail-confirm-button" class="primary" ?disabled=${disabled}>${msg(lang, 'mail.confirm')}</button>
        <button type="button" part="mail-resend-button" class="secondary" ?disabled=${disabled} @click=${() => void this.resend(s.pending!)}>${msg(lang, 'mail.resend')}</button>
        <button type="button" part="mail-other-button" class="secondary" ?disabled=${disabled} @click=${() => void this.change()}>${msg(lang, 'mail.otherAddress')}</button>
      </div>
    </form>`;
  }

  private field(lang: Lang, field: MailField, problem: { code: string } | null, input: TemplateResult): TemplateResult {
    const id = IDS[field];
    const address = field === 'mailAddress';
    return html`<div class="field ${problem ? 'field--error' : ''}">
      <label for=${id}>${msg(lang, address ? 'mail.addressLabel' : 'mail.codeLabel')}</label>
      <div id="${id}-hint" class="hint">${msg(lang, address ? 'mail.addressHint' : 'mail.codeHint')}</div>
      ${problem
        ? html`<p id="${id}-error" class="error-message"><span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${this.fieldText(lang, field, problem.code)}</p>`
        : nothing}
      ${input}
    </div>`;
  }

  private fieldText(lang: Lang, field: MailField, code: string): string {
    return fieldMessage(lang, field, code, { example: lang === 'en' ? 'name@example.rs' : 'ime@primer.rs' });
  }

  private renderProblem(lang: Lang): TemplateResult | typeof nothing {
    const f = this.fieldProblem;
    if (!f && !this.problem) return nothing;
    return html`<div class="mail-error">
      ${errorSummary(lang, {
        title: msg(lang, 'error.title'),
        heading: 'h3',
        links: f
          ? [html`<a href="#${IDS[f.field]}" @click=${(e: MouseEvent) => this.toField(e, f.field)}>${this.fieldText(lang, f.field, f.code)}</a>`]
          : [],
        text: this.problem ? problemMessage(lang, this.problem.code) : undefined,
        requestId: this.problem?.requestId,
      })}
    </div>`;
  }

  // ---- doing ----

  private get lang(): Lang {
    return (this.host as ReactiveElement & { resolvedLang: Lang }).resolvedLang;
  }

  private update(): void {
    this.host.requestUpdate();
  }

  private async focus(selector: string): Promise<void> {
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private toField(event: MouseEvent, field: MailField): void {
    // Never let the host page's URL change: focus the field ourselves.
    event.preventDefault();
    this.host.renderRoot.querySelector<HTMLElement>(`#${IDS[field]}`)?.focus();
  }

  private onInput(field: MailField, event: InputEvent): void {
    const value = (event.target as HTMLInputElement).value;
    if (field === 'mailAddress') this.address = value;
    else this.code = value;
    if (this.fieldProblem?.field === field) {
      this.fieldProblem = null;
      this.update();
    }
  }

  private async open(): Promise<void> {
    this.opened = true;
    this.said = null;
    this.update();
    await this.focus('#mail-address');
  }

  private async change(): Promise<void> {
    this.step = 'address';
    this.address = '';
    this.fieldProblem = null;
    this.problem = null;
    this.said = null;
    this.update();
    await this.focus('#mail-address');
  }

  private async askToRemove(): Promise<void> {
    this.step = 'removing';
    this.said = null;
    this.problem = null;
    this.update();
    await this.focus('[part~="mail-remove-yes"]');
  }

  private async cancel(focusNext: string): Promise<void> {
    this.step = null;
    this.fieldProblem = null;
    this.problem = null;
    this.update();
    await this.focus(focusNext);
  }

  /**
   * Runs one call: the buttons wait while it is on its way; its answer is the new status; a
   * failure is shown (on its field when the server names one) and focused.
   */
  private async run(busy: Busy, saying: MessageKey, call: (client: OveraClient) => Promise<MailStatus | void>): Promise<MailStatus | null> {
    const client = this.options.client();
    if (!client || this.busy) return null;
    this.busy = busy;
    this.problem = null;
    this.fieldProblem = null;
    this.said = { key: saying };
    this.update();
    try {
      const status = (await call(client)) ?? { ...this.status.value!, address: null, pending: null, lang: null, notifications: false };
      this.status.set({ state: 'ready', value: status });
      return status;
    } catch (err) {
      this.said = null;
      const onField = err instanceof OveraApiError ? err.fieldErrors.find((e) => e.field === 'address' || e.field === 'code') : undefined;
      if (onField) this.fieldProblem = { field: onField.field === 'address' ? 'mailAddress' : 'mailCode', code: onField.code };
      else this.problem = toProblem(err, WHO);
      this.update();
      await this.focus('.mail-error .error-summary');
      return null;
    } finally {
      this.busy = null;
      this.update();
    }
  }

  private async sendCode(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const address = this.address.trim();
    const problem = address === '' ? 'required' : address.length > 254 ? 'tooLong' : ADDRESS.test(address) ? null : 'invalid';
    if (problem) {
      this.fieldProblem = { field: 'mailAddress', code: problem };
      this.problem = null;
      this.said = null;
      this.update();
      await this.focus('.mail-error .error-summary');
      return;
    }
    await this.resend(address);
  }

  private async resend(address: string): Promise<void> {
    const status = await this.run('send', 'mail.status.sending', (client) => setMailAddress(client, address, this.lang));
    if (!status) return;
    this.step = null;
    this.code = '';
    this.address = '';
    this.said = { key: 'mail.status.sent', address };
    this.update();
    await this.focus('#mail-code');
  }

  private async confirm(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const code = this.code.replace(/\s/g, '');
    const problem = code === '' ? 'required' : /^\d{6}$/.test(code) ? null : 'invalid';
    if (problem) {
      this.fieldProblem = { field: 'mailCode', code: problem };
      this.problem = null;
      this.said = null;
      this.update();
      await this.focus('.mail-error .error-summary');
      return;
    }
    const status = await this.run('confirm', 'mail.status.confirming', (client) => confirmMailAddress(client, code));
    if (!status) return;
    this.code = '';
    this.opened = false;
    this.said = { key: 'mail.status.confirmed', address: status.address ?? '' };
    this.update();
    await this.focus('.mail-state');
  }

  private async switchTo(on: boolean): Promise<void> {
    const status = await this.run('switch', 'mail.status.working', (client) => setMailNotifications(client, on));
    if (!status) return;
    this.said = { key: on ? 'mail.status.started' : 'mail.status.stopped' };
    this.update();
    // The same button, now saying the opposite: keep it focused.
    await this.focus('[part~="mail-switch"]');
  }

  private async remove(): Promise<void> {
    const status = await this.run('remove', 'mail.status.working', (client) => removeMailAddress(client));
    if (!status) return;
    this.step = null;
    this.said = { key: 'mail.status.removed' };
    this.update();
    await this.focus('.mail-state');
  }
}
