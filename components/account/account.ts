import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { User } from '../core/user.ts';
import { OveraApiError, OveraError } from '../client/errors.ts';
import { preloadPasskeys, type OveraClient, type PersistMode, type Session } from '../client/client.ts';
import { OveraElement } from '../shared/overa-element.ts';
import { errorSummary } from '../shared/error-summary.ts';
import { LazyView, lazyModule, whenIdle } from '../shared/lazy-view.ts';
import type { PasskeyManager } from './passkeys-view.ts';
import type { MailManager } from '../shared/mail-view.ts';
import { commonMessages } from '../i18n/en/common.ts';
import { passkeyMessages } from '../i18n/en/passkey.ts';
import {
  fieldMessage,
  formatList,
  inReaderScript,
  msg,
  msgParts,
  problemMessage,
  roleName,
  type Lang,
  type MessageKey,
  type MessageParams,
} from '../i18n/index.ts';
import { accountMessages } from '../i18n/en/account.ts';
import baseStyles from '../styles/base.styles.ts';
import fieldStyles from '../styles/fields.styles.ts';
import disclosureStyles from '../styles/disclosure.styles.ts';
import styles from './account.styles.ts';

/** Detail of `overa-signed-in`. */
export interface OveraSignedInDetail {
  user: User;
  /** True when the session was restored from a stored token on load, false after a passkey ceremony. */
  restored: boolean;
}

/** Detail of `overa-signed-out` (nothing to tell). */
export type OveraSignedOutDetail = Record<string, never>;

/** The `detail` of each event the element fires. */
export interface OveraAccountEventDetails {
  'overa-signed-in': OveraSignedInDetail;
  'overa-signed-out': OveraSignedOutDetail;
}

/** What the element shows. */
export type OveraAccountState = 'restoring' | 'signed-out' | 'working' | 'signed-in';

type Field = 'displayName' | 'inviteCode' | 'recoveryCode';
type Busy = 'register' | 'sign-in' | 'sign-out' | 'recover';

interface FieldProblem {
  code: string;
}

interface ShownProblem {
  code: string;
  requestId?: string | undefined;
}

/** Longest name and invite code the server accepts (server/routes/auth.ts). */
const MAX: Record<Field, number> = { displayName: 100, inviteCode: 64, recoveryCode: 64 };
const FIELD_IDS: Record<Field, string> = { displayName: 'name', inviteCode: 'invite', recoveryCode: 'recovery' };
const INVITE_EXAMPLE = 'ACDE-FGHJ-KMNP-QRTU';

/** Which action comes first (primary button) when signed out. */
export type OveraAccountPrimaryAction = 'register' | 'sign-in';

/**
 * The signed-in person's passkey list and the recovery code form: one chunk (later-views.ts),
 * loaded when "Your passkeys" or "I have a recovery code from the agency" is opened.
 */
const laterViewsModule = lazyModule(() => import('./later-views.ts'));

/**
 * Passkey sign-in for Overa: create an account with a passkey (officials add a one-time
 * invite code), sign in with a passkey, see who is signed in, sign out. Signed in, "Your
 * passkeys" lists the person's passkeys (how each is kept, added, last used), adds another one
 * (another device) and removes one, never the last. Where the person probably has an account
 * already (My applications, a sign step), `primary-action="sign-in"` puts "Sign in with a
 * passkey" first as the primary button and creating one second. Every Overa element on the page
 * that talks to the same `server` shares the session.
 *
 * Signed in, where the server offers e-mail (`OVERA_SMTP_URL` and `OVERA_MAIL_FROM` set; `GET
 * /api/v1/me` says `mail.offered`), "Notifications by e-mail" gives an address, confirms it with
 * the six-digit code the mail brings (nothing is sent to it before), changes it, removes it, and
 * stops and restarts the notifications (received, returned, rejected, fee received, issued).
 * Without SMTP on the server nothing of it is shown.
 *
 * @summary Create a passkey, sign in with it, sign out; e-mail notifications.
 *
 * @fires overa-signed-in - A person signed in (after a ceremony, or on load from a stored
 *   session). `detail: { user, restored }`.
 * @fires overa-signed-out - The person signed out with this element's button. `detail: {}`.
 *
 * @csspart form - The signed-out form.
 * @csspart name-input - The "Your name" text input.
 * @csspart invite-input - The invite code input (officials only).
 * @csspart register-button - The "Create a passkey" button (primary unless `primary-action="sign-in"`).
 * @csspart sign-in-button - The "Sign in with a passkey" button (primary with `primary-action="sign-in"`).
 * @csspart recovery-input - The recovery code input, under "I have a recovery code from the agency".
 * @csspart recover-button - "Create a new passkey for my account", with a recovery code.
 * @csspart passkeys - The "Your passkeys" disclosure (signed in).
 * @csspart passkey-list - The list of the person's passkeys.
 * @csspart add-passkey-button - "Add a passkey on another device".
 * @csspart remove-passkey-button - "Remove" on a passkey (not on the only one).
 * @csspart confirm-remove-button - "Yes, remove it", after "Remove".
 * @csspart only-passkey - The note under the only passkey: why it cannot be removed.
 * @csspart mail - The "Notifications by e-mail" section (signed in, where the server offers mail).
 * @csspart mail-address-input - Its e-mail address input.
 * @csspart mail-send-button - "Send the code" to the address.
 * @csspart mail-code-input - The six-digit code from the mail.
 * @csspart mail-confirm-button - "Confirm the address".
 * @csspart mail-resend-button - "Send a new code".
 * @csspart mail-other-button - "Use another address" (while a code is awaited).
 * @csspart mail-switch - "Stop e-mail notifications" / "Start e-mail notifications again".
 * @csspart mail-change - "Change the address".
 * @csspart mail-remove - "Remove the address"; then `mail-remove-yes`, "Yes, remove it".
 * @csspart mail-remove-yes - "Yes, remove it", after "Remove the address".
 * @csspart user - The "Signed in as …" block.
 * @csspart sign-out-button - The "Sign out" button.
 * @csspart error - The error box ("There is a problem"), focused when it appears.
 * @csspart status - The status line ("Waiting for your passkey…"), a polite live region.
 *
 * @cssprop [--overa-color-primary=#1d70b8] - Primary button colour (white text sits on it).
 * @cssprop [--overa-color-danger=#d4351c] - Error colour (a lighter red in dark mode).
 * @cssprop [--overa-color-focus=#ffdd00] - Focus ring colour.
 * @cssprop [--overa-color-text=#0b0c0c] - Text colour.
 * @cssprop [--overa-color-muted=#505a5f] - Hint and status text colour.
 * @cssprop [--overa-color-surface=#ffffff] - Background of the element.
 * @cssprop [--overa-color-link=#1d70b8] - Colour of the invite code disclosure.
 * @cssprop [--overa-font-family=inherit] - Font; by default the page's.
 * @cssprop [--overa-radius=4px] - Corner radius of the box, inputs and buttons.
 * @cssprop [--overa-space=1rem] - Base spacing unit.
 */
export class OveraAccount extends OveraElement<OveraAccountEventDetails> {
  static override styles = [baseStyles, fieldStyles, disclosureStyles, styles];
  static override messages = [commonMessages, accountMessages, passkeyMessages];

  /** A one-time invite code for officials: prefills the invite field and shows it. */
  @property({ attribute: 'invite-code' }) inviteCode = '';

  /** Where the session token is kept after signing in here: `session` (survives a reload) or `memory`. */
  @property() persist: PersistMode = 'session';

  /**
   * Which action is the primary one when signed out: `register` (default: "Create a passkey"
   * first) or `sign-in` ("Sign in with a passkey" first, creating one second), for places where
   * the person probably has an account already.
   */
  @property({ attribute: 'primary-action' }) primaryAction: OveraAccountPrimaryAction = 'register';

  /**
   * A one-time recovery code from the agency (`overa accounts recover`), for a person who lost
   * every passkey: prefills and opens "I have a recovery code from the agency".
   */
  @property({ attribute: 'recovery-code' }) recoveryCode = '';

  @state() private view: 'restoring' | 'signed-out' | 'signed-in' = 'signed-out';
  @state() private busy: Busy | null = null;
  @state() private currentUser: User | null = null;
  @state() private fieldProblems: Partial<Record<Field, FieldProblem>> = {};
  @state() private problem: ShownProblem | null = null;
  @state() private status: MessageKey | null = null;
  @state() private inviteOpen = false;
  @state() private nameValue = '';
  @state() private inviteValue = '';
  @state() private recoverOpen = false;
  @state() private recoverValue = '';
  @state() private passkeysOpen = false;

  private readonly passkeysView = new LazyView(this, laterViewsModule);
  private readonly recoveryView = new LazyView(this, laterViewsModule);
  private passkeyManager: PasskeyManager | null = null;
  private mailManager: MailManager | null = null;
  /** Whose e-mail settings were asked for (they are shown once the server says mail is offered). */
  private mailFor: string | null = null;

  // What focus moves to, found when needed (plain getters rather than Lit's @query: that decorator's
  // module would ride in the first load of every element on the page that embeds this one).
  private get errorBox(): HTMLElement | null {
    return this.renderRoot.querySelector('.error-summary');
  }
  private get userBox(): HTMLElement | null {
    return this.renderRoot.querySelector('.user');
  }
  private get nameInput(): HTMLInputElement | null {
    return this.renderRoot.querySelector('#name');
  }
  private get inviteInput(): HTMLInputElement | null {
    return this.renderRoot.querySelector('#invite');
  }
  private get signInButton(): HTMLButtonElement | null {
    return this.renderRoot.querySelector('[part="sign-in-button"]');
  }

  /** The signed-in user, or null. */
  get user(): User | null {
    return this.currentUser;
  }

  /** What the element is showing now. */
  get state(): OveraAccountState {
    return this.busy ? 'working' : this.view;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('inviteCode') && this.inviteCode) {
      this.inviteValue = this.inviteCode;
    }
    if (changed.has('recoveryCode') && this.recoveryCode) {
      this.recoverValue = this.recoveryCode;
      this.recoverOpen = true;
    }
    // Signed in (anew): ask for the person's e-mail settings (drawn once mail is known to be offered).
    const id = this.view === 'signed-in' ? this.currentUser?.id : undefined;
    if (id && this.mailFor !== id) {
      this.mailFor = id;
      void this.openMail();
    }
  }

  protected override firstUpdated(): void {
    // The ceremonies' code, before the person presses a passkey button.
    whenIdle(preloadPasskeys);
  }

  /** Signs out (the same as pressing "Sign out"). */
  async signOut(): Promise<void> {
    if (!this.client || this.busy) return;
    const hadFocus = this.hasFocusInside();
    this.busy = 'sign-out';
    this.problem = null;
    this.status = 'status.signingOut';
    await this.client.signOut();
    this.busy = null;
    this.currentUser = null;
    this.view = 'signed-out';
    this.resetPasskeys();
    this.status = 'status.signedOut';
    this.emit('overa-signed-out', {});
    if (hadFocus) {
      await this.updateComplete;
      this.signInButton?.focus();
    }
  }

  protected override clientAttached(client: OveraClient): void {
    this.problem = null;
    this.fieldProblems = {};
    if (client.user) {
      this.currentUser = client.user;
      this.view = 'signed-in';
    } else if (client.token) {
      void this.restore(client);
    } else {
      this.currentUser = null;
      this.view = 'signed-out';
    }
  }

  private async restore(client: OveraClient): Promise<void> {
    this.view = 'restoring';
    this.status = 'status.restoring';
    try {
      const user = await client.me();
      if (client !== this.client) return;
      this.status = null;
      if (user) {
        this.currentUser = user;
        this.view = 'signed-in';
        this.emit('overa-signed-in', { user, restored: true });
      } else {
        this.view = 'signed-out';
      }
    } catch (err) {
      if (client !== this.client) return;
      this.status = null;
      this.view = 'signed-out';
      // Not the person's doing: show why, but do not move their focus.
      await this.showError(err, false);
    }
  }

  /** Session changes made elsewhere (another element, an expired token). */
  protected override sessionChanged(session: Session): void {
    if (this.busy) return;
    if (session.user) {
      if (this.currentUser?.id !== session.user.id || this.view !== 'signed-in') {
        if (this.currentUser?.id !== session.user.id) this.resetPasskeys();
        this.currentUser = session.user;
        this.view = 'signed-in';
        this.status = null;
      }
    } else if (!session.token && this.view === 'signed-in') {
      this.currentUser = null;
      this.view = 'signed-out';
      this.resetPasskeys();
    }
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    // Enter in the recovery code field means "recover", not "create a passkey".
    if ((this.renderRoot as ShadowRoot).activeElement?.id === FIELD_IDS.recoveryCode) {
      await this.onRecover();
      return;
    }
    if (this.busy || !this.client) return;
    const client = this.client;
    const problems = this.validate();
    this.fieldProblems = problems;
    this.problem = null;
    this.status = null;
    if (Object.keys(problems).length > 0) {
      await this.focusErrorBox();
      return;
    }
    const name = this.nameValue.trim();
    const invite = this.inviteVisible ? this.inviteValue.trim() : '';
    await this.ceremony('register', () => client.register(name, invite || undefined, { persist: this.persist }));
  }

  private async onRecover(): Promise<void> {
    if (this.busy || !this.client) return;
    const client = this.client;
    const code = this.recoverValue.trim();
    const problems: Partial<Record<Field, FieldProblem>> = {};
    if (code === '') problems.recoveryCode = { code: 'required' };
    else if ([...code].length > MAX.recoveryCode) problems.recoveryCode = { code: 'tooLong' };
    this.fieldProblems = problems;
    this.problem = null;
    this.status = null;
    if (problems.recoveryCode) {
      this.recoverOpen = true;
      await this.focusErrorBox();
      return;
    }
    await this.ceremony('recover', () => client.recover(code, { persist: this.persist }));
  }

  private async onSignIn(): Promise<void> {
    if (this.busy || !this.client) return;
    const client = this.client;
    // Signing in needs no name: whatever the form said about it no longer applies.
    this.fieldProblems = {};
    await this.ceremony('sign-in', () => client.signIn({ persist: this.persist }));
  }

  private async ceremony(kind: Busy, run: () => Promise<User>): Promise<void> {
    const hadFocus = this.hasFocusInside();
    this.busy = kind;
    this.problem = null;
    this.status = 'status.waiting';
    let user: User;
    try {
      user = await run();
    } catch (err) {
      this.busy = null;
      this.status = null;
      await this.showError(err, true);
      return;
    }
    this.busy = null;
    this.status = null;
    this.currentUser = user;
    this.view = 'signed-in';
    this.nameValue = '';
    this.inviteValue = '';
    this.recoverValue = '';
    this.recoverOpen = false;
    this.emit('overa-signed-in', { user, restored: false });
    if (hadFocus) {
      await this.updateComplete;
      this.userBox?.focus();
    }
  }

  private validate(): Partial<Record<Field, FieldProblem>> {
    const problems: Partial<Record<Field, FieldProblem>> = {};
    const name = this.nameValue.trim();
    if (name === '') problems.displayName = { code: 'required' };
    else if ([...name].length > MAX.displayName) problems.displayName = { code: 'tooLong' };
    if (this.inviteVisible && [...this.inviteValue.trim()].length > MAX.inviteCode) problems.inviteCode = { code: 'tooLong' };
    return problems;
  }

  private async showError(err: unknown, moveFocus: boolean): Promise<void> {
    const fieldProblems: Partial<Record<Field, FieldProblem>> = {};
    let problem: ShownProblem | null;
    if (err instanceof OveraApiError) {
      for (const e of err.fieldErrors) {
        if ((e.field === 'displayName' || e.field === 'inviteCode' || e.field === 'recoveryCode') && !fieldProblems[e.field]) fieldProblems[e.field] = { code: e.code };
      }
      if (fieldProblems.inviteCode) this.inviteOpen = true;
      if (fieldProblems.recoveryCode) this.recoverOpen = true;
      const onFields = Object.keys(fieldProblems).length > 0;
      problem = onFields ? null : { code: err.code === 'validation' ? 'unknown' : err.code, requestId: err.requestId };
    } else if (err instanceof OveraError) {
      problem = { code: err.code };
    } else {
      console.error('overa-account:', err);
      problem = { code: 'unknown' };
    }
    this.fieldProblems = fieldProblems;
    this.problem = problem;
    if (moveFocus) await this.focusErrorBox();
  }

  private async focusErrorBox(): Promise<void> {
    await this.updateComplete;
    this.errorBox?.focus();
  }

  private onNameInput(event: InputEvent): void {
    this.nameValue = (event.target as HTMLInputElement).value;
    this.clearFixed('displayName');
  }

  private onInviteInput(event: InputEvent): void {
    this.inviteValue = (event.target as HTMLInputElement).value;
    this.clearFixed('inviteCode');
  }

  private onRecoveryInput(event: InputEvent): void {
    this.recoverValue = (event.target as HTMLInputElement).value;
    if (this.fieldProblems.recoveryCode) {
      const next = { ...this.fieldProblems };
      delete next.recoveryCode;
      this.fieldProblems = next;
    }
  }

  private onRecoverToggle(event: Event): void {
    this.recoverOpen = (event.target as HTMLDetailsElement).open;
  }

  /** After an attempt, a field's error goes away as soon as what is typed is acceptable (new errors wait for the next attempt). */
  private clearFixed(field: Field): void {
    if (!this.fieldProblems[field]) return;
    const stillWrong = this.validate()[field];
    const serverSaid = !['required', 'tooLong'].includes(this.fieldProblems[field].code);
    if (!stillWrong || serverSaid) {
      const next = { ...this.fieldProblems };
      delete next[field];
      this.fieldProblems = next;
    }
  }

  private onToggle(event: Event): void {
    this.inviteOpen = (event.target as HTMLDetailsElement).open;
  }

  private onSummaryLink(event: MouseEvent, field: Field): void {
    // Never let the host page's URL change: focus the field ourselves (as GOV.UK's JS does).
    event.preventDefault();
    if (field === 'inviteCode') this.inviteOpen = true;
    if (field === 'recoveryCode') this.recoverOpen = true;
    void this.updateComplete.then(() => {
      const input = field === 'displayName' ? this.nameInput : field === 'inviteCode' ? this.inviteInput : this.renderRoot.querySelector<HTMLInputElement>('#recovery');
      input?.focus();
      input?.scrollIntoView({ block: 'center' });
    });
  }

  private get inviteVisible(): boolean {
    return Boolean(this.inviteCode) || this.inviteOpen;
  }

  private hasFocusInside(): boolean {
    return this.matches(':focus-within');
  }

  // ---- The signed-in person's passkeys (the manager and its view are a chunk of their own) ----

  private resetPasskeys(): void {
    this.passkeysOpen = false;
    this.passkeyManager?.reset();
    this.mailFor = null;
    this.mailManager?.reset();
  }

  /** "Notifications by e-mail" (in the later-views chunk): drawn once the server says it offers mail. */
  private async openMail(): Promise<void> {
    const m = await this.passkeysView.load().catch(() => undefined);
    if (!m || !this.mailFor) return;
    this.mailManager ??= new m.MailManager(this, { client: () => this.client, mode: 'account' });
    await this.mailManager.load();
  }

  private onPasskeysToggle(event: Event): void {
    const open = (event.target as HTMLDetailsElement).open;
    if (open === this.passkeysOpen) return;
    this.passkeysOpen = open;
    if (open) void this.openPasskeys();
  }

  private async openPasskeys(): Promise<void> {
    // A chunk that cannot be fetched: the view says so, with "Try again" (LazyView).
    const m = await this.passkeysView.load().catch(() => undefined);
    if (!m || !this.passkeysOpen) return;
    this.passkeyManager ??= new m.PasskeyManager(this, {
      client: () => this.client,
      busy: () => this.busy !== null,
      setStatus: (key) => {
        this.status = key;
      },
    });
    await this.passkeyManager.load();
  }

  private renderPasskeys(lang: Lang): TemplateResult {
    return html`<details part="passkeys" class="passkeys" ?open=${this.passkeysOpen} @toggle=${this.onPasskeysToggle}>
      <summary>${msg(lang, 'account.passkeys')}</summary>
      <div class="details-body">
        ${this.passkeysOpen
          ? this.passkeysView.render(lang, () =>
              this.passkeyManager
                ? this.passkeyManager.render(lang)
                : html`<p class="status status--busy" role="status">${msg(lang, 'account.passkeysLoading')}</p>`,
            )
          : nothing}
      </div>
    </details>`;
  }

  protected override render(): TemplateResult {
    const lang = this.resolvedLang;
    if (this.view === 'restoring') {
      return html`<div class="restoring" lang=${lang} aria-busy="true">${this.renderStatus(lang)}</div>`;
    }
    if (this.view === 'signed-in' && this.currentUser) {
      return html`<div lang=${lang} aria-busy=${this.busy ? 'true' : 'false'}>${this.renderUser(lang, this.currentUser)}${this.renderStatus(lang)}</div>`;
    }
    return html`<div lang=${lang}>${this.renderForm(lang)}</div>`;
  }

  private renderForm(lang: Lang): TemplateResult {
    const busy = this.busy !== null;
    const inviteField = this.renderField(lang, 'inviteCode');
    const signInFirst = this.primaryAction === 'sign-in';
    const fields = html`${this.renderField(lang, 'displayName')}
      ${this.inviteCode
        ? inviteField
        : html`<details ?open=${this.inviteOpen} @toggle=${this.onToggle}>
            <summary>${msg(lang, 'account.inviteToggle')}</summary>
            <div class="details-body">${inviteField}</div>
          </details>`}`;
    const register = html`<button type="submit" part="register-button" class=${signInFirst ? 'secondary' : 'primary'} ?disabled=${busy}>
      ${msg(lang, 'account.register')}
    </button>`;
    const signIn = html`<button type="button" part="sign-in-button" class=${signInFirst ? 'primary' : 'secondary'} ?disabled=${busy} @click=${this.onSignIn}>
      ${msg(lang, 'account.signIn')}
    </button>`;
    // A returning person's way in comes first where they probably have an account; creating one follows.
    return signInFirst
      ? html`
          <form part="form" novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${this.onSubmit}>
            ${this.renderErrorBox(lang)}
            <div class="actions sign-in-first">${signIn}</div>
            <div class="register-second">
              <p>${msg(lang, 'account.registerIntro')}</p>
              ${fields}
              <div class="actions">${register}</div>
            </div>
            ${this.renderRecovery(lang)} ${this.renderStatus(lang)}
          </form>
        `
      : html`
          <form part="form" novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${this.onSubmit}>
            ${this.renderErrorBox(lang)} ${fields}
            <div class="actions">${register}</div>
            <div class="sign-in">
              <p>${msg(lang, 'account.signInIntro')}</p>
              ${signIn}
            </div>
            ${this.renderRecovery(lang)} ${this.renderStatus(lang)}
          </form>
        `;
  }

  /**
   * Every passkey lost: the agency's one-time code gets a new passkey for the same account (not
   * on an invite: that makes a new account). The form in the disclosure is in the later-views
   * chunk (recovery-view.ts), prefetched on idle; the summary and the sending stay here. Once the
   * chunk is in, the form is drawn in the closed disclosure too (as when it was in this file), so
   * opening it shows it at once; before, opening it loads it ("Loading…" in its place).
   */
  private renderRecovery(lang: Lang): TemplateResult | typeof nothing {
    if (this.inviteCode) return nothing;
    const problem = this.fieldProblems.recoveryCode;
    return html`<details class="recovery" ?open=${this.recoverOpen} @toggle=${this.onRecoverToggle}>
      <summary>${msg(lang, 'account.recoverToggle')}</summary>
      <div class="details-body">
        ${this.recoverOpen || laterViewsModule.value
          ? this.recoveryView.render(lang, (m) =>
              m.renderRecovery({
                lang,
                value: live(this.recoverValue),
                error: problem ? this.fieldText(lang, 'recoveryCode', problem) : null,
                disabled: this.busy !== null,
                onInput: (e) => this.onRecoveryInput(e),
                onRecover: () => void this.onRecover(),
              }),
            )
          : nothing}
      </div>
    </details>`;
  }

  private renderField(lang: Lang, field: Field): TemplateResult {
    const id = FIELD_IDS[field];
    const problem = this.fieldProblems[field];
    const describedBy = `${id}-hint${problem ? ` ${id}-error` : ''}`;
    const isName = field === 'displayName';
    return html`
      <div class="field ${problem ? 'field--error' : ''}">
        <label for=${id}>${msg(lang, isName ? 'account.nameLabel' : 'account.inviteLabel')}</label>
        <div id="${id}-hint" class="hint">
          ${isName ? msg(lang, 'account.nameHint') : msg(lang, 'account.inviteHint', { example: INVITE_EXAMPLE })}
        </div>
        ${problem
          ? html`<p id="${id}-error" class="error-message">
              <span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${this.fieldText(lang, field, problem)}
            </p>`
          : nothing}
        ${isName
          ? html`<input
              id="name"
              part="name-input"
              name="displayName"
              type="text"
              autocomplete="name"
              spellcheck="false"
              aria-describedby=${describedBy}
              aria-invalid=${problem ? 'true' : 'false'}
              .value=${live(this.nameValue)}
              @input=${this.onNameInput}
            />`
          : html`<input
              id="invite"
              part="invite-input"
              class="code"
              name="inviteCode"
              type="text"
              autocomplete="off"
              autocapitalize="characters"
              spellcheck="false"
              aria-describedby=${describedBy}
              aria-invalid=${problem ? 'true' : 'false'}
              .value=${live(this.inviteValue)}
              @input=${this.onInviteInput}
            />`}
      </div>
    `;
  }

  private fieldText(lang: Lang, field: Field, problem: FieldProblem): string {
    const params: MessageParams = { max: MAX[field] };
    return fieldMessage(lang, field, problem.code, params);
  }

  private renderErrorBox(lang: Lang): TemplateResult | typeof nothing {
    const fields = (Object.keys(FIELD_IDS) as Field[]).filter((f) => this.fieldProblems[f]);
    if (fields.length === 0 && !this.problem) return nothing;
    return errorSummary(lang, {
      title: msg(lang, 'error.title'),
      links: fields.map(
        (f) => html`<a href="#${FIELD_IDS[f]}" @click=${(e: MouseEvent) => this.onSummaryLink(e, f)}>${this.fieldText(lang, f, this.fieldProblems[f]!)}</a>`,
      ),
      text: this.problem ? problemMessage(lang, this.problem.code) : undefined,
      requestId: this.problem?.requestId,
    });
  }

  private renderUser(lang: Lang, user: User): TemplateResult {
    const parts = msgParts(lang, 'account.signedInAs', { name: user.displayName });
    const kind = msg(lang, `kind.${user.kind}`);
    const agency = user.agencyName ? inReaderScript(lang, user.agencyName) : user.agencyId;
    return html`
      <div part="user" class="user" tabindex="-1">
        <p class="name">${parts.map((p) => (typeof p === 'string' ? p : html`<strong>${p.value}</strong>`))}</p>
        ${user.kind !== 'citizen'
          ? html`<p class="kind">${agency ? msg(lang, 'account.kindAgency', { kind, agency }) : kind}</p>`
          : nothing}
        ${user.kind !== 'citizen' && user.roles.length
          ? html`<p class="roles">${msg(lang, 'account.roles', { count: user.roles.length, roles: formatList(lang, user.roles.map((r) => roleName(lang, r))) })}</p>`
          : nothing}
      </div>
      <button type="button" part="sign-out-button" class="secondary" ?disabled=${this.busy !== null} @click=${() => this.signOut()}>
        ${msg(lang, 'account.signOut')}
      </button>
      ${this.mailManager?.render(lang)} ${this.renderPasskeys(lang)}
    `;
  }

  private renderStatus(lang: Lang): TemplateResult {
    const busy = this.busy !== null || this.view === 'restoring';
    return html`<p part="status" class="status ${busy && this.status ? 'status--busy' : ''}" role="status">${this.status ? msg(lang, this.status) : ''}</p>`;
  }
}
