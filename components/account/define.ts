import { OveraAccount, type OveraSignedInDetail, type OveraSignedOutDetail } from './account.ts';

export { OveraAccount };
export type { OveraSignedInDetail, OveraSignedOutDetail, OveraAccountState } from './account.ts';

// We land in host pages we do not control: another copy of Overa may have defined the tag already.
if (!customElements.get('overa-account')) customElements.define('overa-account', OveraAccount);

declare global {
  interface HTMLElementTagNameMap {
    'overa-account': OveraAccount;
  }
  interface GlobalEventHandlersEventMap {
    'overa-signed-in': CustomEvent<OveraSignedInDetail>;
    'overa-signed-out': CustomEvent<OveraSignedOutDetail>;
  }
}
