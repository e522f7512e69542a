/**
 * The signed-in person's passkeys in `<overa-account>`, a chunk of its own: loaded when the
 * "Your passkeys" disclosure is opened (and on idle after the first render). Each passkey says
 * how it is kept, when it was added and last used; "Add a passkey on another device" runs a
 * registration ceremony for the same account; "Remove" asks first, and the only passkey has no
 * "Remove" but says why (the server refuses it too: issue 17, item 6). Rendering only: the
 * element keeps the state and does the sending.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { PasskeyView } from '../core/api.ts';
import { formatDateTime, msg, type Lang, type MessageKey } from '../i18n/index.ts';
import { accountPasskeyMessages } from '../i18n/en/account-passkeys.ts';

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

export const messages = [accountPasskeyMessages];

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
