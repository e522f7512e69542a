import { OveraVerify, type OveraVerifiedDetail } from './verify.ts';

export { OveraVerify };
export type { OveraVerifiedDetail, OveraVerifyState, Verdict } from './verify.ts';

// We land in host pages we do not control: another copy of Overa may have defined the tag already.
if (!customElements.get('overa-verify')) customElements.define('overa-verify', OveraVerify);

declare global {
  interface HTMLElementTagNameMap {
    'overa-verify': OveraVerify;
  }
  interface GlobalEventHandlersEventMap {
    'overa-verified': CustomEvent<OveraVerifiedDetail>;
  }
}
