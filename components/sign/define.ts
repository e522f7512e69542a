import { OveraSign, type OveraSignedDetail } from './sign.ts';

export { OveraSign };
export type { OveraSignedDetail, OveraSignState } from './sign.ts';

// We land in host pages we do not control: another copy of Overa may have defined the tag already.
if (!customElements.get('overa-sign')) customElements.define('overa-sign', OveraSign);

declare global {
  interface HTMLElementTagNameMap {
    'overa-sign': OveraSign;
  }
  interface GlobalEventHandlersEventMap {
    'overa-signed': CustomEvent<OveraSignedDetail>;
  }
}
