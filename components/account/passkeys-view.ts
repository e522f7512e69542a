/**
 * The signed-in person's passkeys in `<overa-account>`, in the element's later-views chunk
 * (later-views.ts, with its words and this style): loaded when the "Your passkeys" disclosure
 * is opened (and on idle after the first render), so the sign-in form does not carry it. Each passkey says how it is kept, when it was
 * added and last used; "Add a passkey on another device" runs a registration ceremony for the
 * same account; "Remove" asks first, and the only passkey has no "Remove" but says why (the
 * server refuses it too: issue 17, item 6). `PasskeyManager` is the state and the sending (a
 * reactive controller of the element); `renderPasskeys` draws it.
 */
import { css, html, nothing, type ReactiveController, type ReactiveElement, type TemplateResult } from 'lit';
import type { PasskeyView } from '../core/api.ts';
import type { OveraClient } from '../client/client.ts';
import { addPasskey, listPasskeys, removePasskey } from '../client/passkeys.ts';
import { formatDateTime, msg, problemMessage, type Lang, type MessageKey } from '../i18n/index.ts';
import { errorSummary } from '../shared/error-summary.ts';
import { LoadStateController } from '../shared/load-state.ts';
import { toProblem, type ShownProblem } from '../shared/problem.ts';

const WHO = 'overa-account';

/** What the element is doing with its passkeys: nothing, adding one, asking to remove one, removing it. */
export type PasskeyAction =
  | { readonly kind: 'adding' }
  | { readonly kind: 'confirming'; readonly id: string }
  | { readonly kind: 'removing'; readonly id: string };

export interface PasskeysContext {
  readonly lang: Lang;
  readonly passkeys: readonly PasskeyView[];
  readonly action: PasskeyAction | null;
  /** Anything else the element is busy with (signing out): the buttons wait. */
  readonly disabled: boolean;
  onAdd(): void;
  onRemove(id: string): void;
  onConfirm(id: string): void;
  onCancel(id: string): void;
}

export const styles = [
  css`
    .passkeys-intro {
      margin-top: 0;
    }
    .passkey-list {
      list-style: none;
      margin: 0 0 var(--_space);
      padding: 0;
      border-top: 1px solid var(--_line);
    }
    .passkey {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: calc(var(--_space) * 0.5) var(--_space);
      padding: calc(var(--_space) * 0.75) 0;
      border-bottom: 1px solid var(--_line);
    }
    .passkey p {
      margin: 0;
    }
    .passkey .when {
      color: var(--_muted);
    }
    .passkey .confirm {
      flex-basis: 100%;
    }
    .passkey .confirm p {
      margin-bottom: calc(var(--_space) * 0.5);
    }
    .passkey .confirm button + button {
      margin-left: calc(var(--_space) * 0.5);
    }
    .passkey button {
      margin: 0;
    }
    .warning {
      border-left: 5px solid var(--_line);
      padding-left: calc(var(--_space) * 0.75);
    }
    .danger {
      color: #ffffff;
      background: var(--_danger);
      box-shadow: 0 2px 0 #55150b;
    }
  `,
];

/** How a passkey is kept, in words a person knows: synced (a password manager, a phone's account), a security key, or one device. */
export function passkeyKind(p: PasskeyView): MessageKey {
  if (p.backedUp || p.deviceType === 'multiDevice') return 'passkeys.kind.synced';
  if (p.transports.length > 0 && !p.transports.includes('internal') && !p.transports.includes('hybrid')) return 'passkeys.kind.securityKey';
  return 'passkeys.kind.device';
}

export function renderPasskeys(ctx: PasskeysContext): TemplateResult {
  const { lang, passkeys, action } = ctx;
  const busy = ctx.disabled || (action !== null && action.kind !== 'confirming');
  const only = passkeys.length === 1;
  return html`
    <p class="passkeys-intro">${msg(lang, 'passkeys.intro')}</p>
    <p class="passkeys-count" tabindex="-1">${msg(lang, 'passkeys.count', { count: passkeys.length })}</p>
    <ul part="passkey-list" class="passkey-list">
      ${passkeys.map((p) => renderPasskey(ctx, p, only, busy))}
    </ul>
    ${only ? html`<p part="only-passkey" class="warning">${msg(lang, 'passkeys.onlyOne')}</p>` : nothing}
    <button type="button" part="add-passkey-button" class="secondary" ?disabled=${busy} @click=${() => ctx.onAdd()}>${msg(lang, 'passkeys.add')}</button>
  `;
}

function renderPasskey(ctx: PasskeysContext, p: PasskeyView, only: boolean, busy: boolean): TemplateResult {
  const { lang, action } = ctx;
  const added = formatDateTime(lang, p.createdAt);
  const confirming = action?.kind === 'confirming' && action.id === p.id;
  return html`<li class="passkey" data-id=${p.id}>
    <div>
      <p><strong>${msg(lang, passkeyKind(p))}</strong></p>
      <p class="when">
        ${msg(lang, 'passkeys.added', { date: added })} ·
        ${p.lastUsedAt ? msg(lang, 'passkeys.lastUsed', { date: formatDateTime(lang, p.lastUsedAt) }) : msg(lang, 'passkeys.neverUsed')}
      </p>
    </div>
    ${only || confirming
      ? nothing
      : html`<button type="button" part="remove-passkey-button" class="secondary remove" aria-label=${msg(lang, 'passkeys.removeLabel', { date: added })} ?disabled=${busy} @click=${() => ctx.onRemove(p.id)}>
          ${msg(lang, 'passkeys.remove')}
        </button>`}
    ${confirming
      ? html`<div class="confirm" role="group" aria-labelledby="confirm-text">
          <p id="confirm-text">${msg(lang, 'passkeys.confirm')}</p>
          <button type="button" part="confirm-remove-button" class="danger confirm-yes" ?disabled=${busy} @click=${() => ctx.onConfirm(p.id)}>${msg(lang, 'passkeys.confirmYes')}</button>
          <button type="button" class="secondary confirm-cancel" ?disabled=${busy} @click=${() => ctx.onCancel(p.id)}>${msg(lang, 'passkeys.cancel')}</button>
        </div>`
      : nothing}
  </li>`;
}

/** What the manager needs from its element. */
export interface PasskeyManagerOptions {
  client(): OveraClient | null;
  /** The element is busy with something else (signing out): the buttons wait. */
  busy(): boolean;
  /** The element's status line (a polite live region). */
  setStatus(key: MessageKey | null): void;
}

/** The person's passkeys: loading the list, adding one, asking before removing one, removing it; where focus goes after each. */
export class PasskeyManager implements ReactiveController {
  private readonly list: LoadStateController<PasskeyView[]>;
  private action: PasskeyAction | null = null;
  private problem: ShownProblem | null = null;

  constructor(
    private readonly host: ReactiveElement,
    private readonly options: PasskeyManagerOptions,
  ) {
    this.list = new LoadStateController<PasskeyView[]>(host, { who: WHO });
    host.addController(this);
  }

  hostConnected(): void {}

  /** Signed out, or another person signed in: nothing of the last list is kept. */
  reset(): void {
    this.action = null;
    this.problem = null;
    this.list.set({ state: 'loading' });
  }

  /** Loads the list; a list on show stays while it reloads. */
  async load(): Promise<void> {
    const client = this.options.client();
    if (!client) return;
    await this.list.load((signal) => listPasskeys(client, signal), { keep: true });
  }

  render(lang: Lang): TemplateResult {
    const now = this.list.now;
    if (now.state === 'error') {
      return errorSummary(lang, {
        title: msg(lang, 'error.title'),
        heading: 'h3',
        text: problemMessage(lang, now.problem.code),
        requestId: now.problem.requestId,
        retry: { label: msg(lang, 'form.retry'), onClick: () => void this.load() },
      });
    }
    if (now.state !== 'ready') return html`<p class="status status--busy" role="status">${msg(lang, 'account.passkeysLoading')}</p>`;
    return html`${this.problem
        ? html`<div class="passkeys-error">
            ${errorSummary(lang, { title: msg(lang, 'error.title'), heading: 'h3', text: problemMessage(lang, this.problem.code), requestId: this.problem.requestId })}
          </div>`
        : nothing}
      ${renderPasskeys({
        lang,
        passkeys: now.value,
        action: this.action,
        disabled: this.options.busy(),
        onAdd: () => void this.add(),
        onRemove: (id) => void this.askToRemove(id),
        onConfirm: (id) => void this.remove(id),
        onCancel: (id) => void this.cancel(id),
      })}`;
  }

  private set(action: PasskeyAction | null, problem: ShownProblem | null = this.problem): void {
    this.action = action;
    this.problem = problem;
    this.host.requestUpdate();
  }

  private async focus(selector: string, within?: HTMLElement): Promise<void> {
    await this.host.updateComplete;
    (within ?? this.host.renderRoot).querySelector<HTMLElement>(selector)?.focus();
  }

  private row(id: string): HTMLElement | undefined {
    return [...this.host.renderRoot.querySelectorAll<HTMLElement>('.passkey')].find((row) => row.dataset.id === id);
  }

  private async add(): Promise<void> {
    const client = this.options.client();
    if (!client || this.options.busy() || this.action) return;
    const hadFocus = this.host.matches(':focus-within');
    this.set({ kind: 'adding' }, null);
    this.options.setStatus('passkeys.status.adding');
    try {
      const added = await addPasskey(client);
      this.list.update((list) => [...list.filter((p) => p.id !== added.id), added]);
      this.options.setStatus('passkeys.status.added');
      this.set(null);
      // The button was disabled during the ceremony: give it its focus back.
      if (hadFocus) await this.focus('[part~="add-passkey-button"]');
    } catch (err) {
      this.set(null);
      await this.showProblem(err);
    }
  }

  private async askToRemove(id: string): Promise<void> {
    if (this.options.busy() || (this.action && this.action.kind !== 'confirming')) return;
    this.set({ kind: 'confirming', id }, null);
    this.options.setStatus(null);
    await this.focus('.confirm-yes');
  }

  private async cancel(id: string): Promise<void> {
    this.set(null);
    await this.host.updateComplete;
    this.row(id)?.querySelector<HTMLElement>('.remove')?.focus();
  }

  private async remove(id: string): Promise<void> {
    const client = this.options.client();
    if (!client || this.options.busy() || this.action?.kind !== 'confirming') return;
    this.set({ kind: 'removing', id });
    this.options.setStatus('passkeys.status.removing');
    try {
      await removePasskey(client, id);
      this.list.update((list) => list.filter((p) => p.id !== id));
      this.options.setStatus('passkeys.status.removed');
      this.set(null);
      await this.focus('.passkeys-count');
    } catch (err) {
      this.set(null);
      await this.showProblem(err);
      // The list was out of date (removed elsewhere, or another one was): bring it up to date.
      if (this.problem?.code === 'passkey-not-found' || this.problem?.code === 'last-passkey') void this.load();
    }
  }

  private async showProblem(err: unknown): Promise<void> {
    this.options.setStatus(null);
    const problem = toProblem(err, WHO);
    // This device already holds one of the account's passkeys (excludeCredentials), or the server has it already.
    const onDevice = problem.code === 'already-registered' || problem.code === 'credential-exists';
    this.set(this.action, onDevice ? { code: 'passkey-on-device' } : problem);
    await this.focus('.passkeys-error .error-summary');
  }
}
