import { OveraApprovalInbox, type OveraCaseOpenedDetail, type OveraDecidedDetail, type OveraDocumentSentDetail } from './approval-inbox.ts';

export { OveraApprovalInbox };
export type { OveraCaseOpenedDetail, OveraDecidedDetail, OveraDocumentSentDetail, OveraApprovalInboxState } from './approval-inbox.ts';

// We land in host pages we do not control: another copy of Overa may have defined the tag already.
if (!customElements.get('overa-approval-inbox')) customElements.define('overa-approval-inbox', OveraApprovalInbox);

declare global {
  interface HTMLElementTagNameMap {
    'overa-approval-inbox': OveraApprovalInbox;
  }
  interface GlobalEventHandlersEventMap {
    'overa-case-opened': CustomEvent<OveraCaseOpenedDetail>;
    'overa-decided': CustomEvent<OveraDecidedDetail>;
    'overa-document-sent': CustomEvent<OveraDocumentSentDetail>;
  }
}
