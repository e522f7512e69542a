/**
 * The documents other agencies sent, in `<overa-approval-inbox>`: a chunk of its own, loaded
 * when the official switches to them (and on idle after the element's first render).
 * Rendering only: the element keeps the list and does the downloading and acknowledging.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ReceptionItem } from '../core/api.ts';
import { localize } from '../core/forms/definition.ts';
import { msg, type Lang } from '../i18n/index.ts';
import { inboxReceptionMessages } from '../i18n/en/inbox-reception.ts';
import type { ShownProblem } from '../shared/problem.ts';
import type { OveraSignedDetail } from '../sign/sign.ts';
import { renderReceptionList } from './reception.ts';
import decisionStyles from './decision.styles.ts';
import receptionStyles from './reception.styles.ts';
import type { Accepting } from './approval-inbox.ts';

export const styles = [decisionStyles, receptionStyles];
export const messages = [inboxReceptionMessages];

/** What the reception view needs from the element. */
export interface ReceptionContext {
  readonly lang: Lang;
  readonly server: string;
  readonly accepting: Accepting | null;
  /** True while an acknowledgement is being sent. */
  readonly sending: boolean;
  renderError(problem: ShownProblem | null, retry: () => void): TemplateResult;
  ensureSign(): void;
  onDownload(item: ReceptionItem): void;
  onAccepting(next: Accepting | null): void;
  onSigned(event: CustomEvent<OveraSignedDetail>): void;
}

/** The received documents, each to download and (while pending) to acknowledge with a signature. */
export function renderReception(ctx: ReceptionContext, items: readonly ReceptionItem[]): TemplateResult {
  const { lang, accepting } = ctx;
  return renderReceptionList(lang, items, {
    accepting: accepting?.id ?? null,
    onDownload: (item) => ctx.onDownload(item),
    onAccept: (item) => ctx.onAccepting({ id: item.id, problem: null }),
    onReject: (item) => ctx.onAccepting({ id: item.id, problem: null, action: 'reject', reason: '', confirmed: false }),
    renderSigning: (item) => {
      const a = accepting!;
      const cancel = html`<button type="button" class="secondary" ?disabled=${ctx.sending} @click=${() => ctx.onAccepting(null)}>${msg(lang, 'inbox.cancel')}</button>`;
      // A rejection's reason is part of what is signed: it is written first, then signed as it is.
      if (a.action === 'reject' && !a.confirmed) return renderReason(ctx, a, cancel);
      const context = a.action === 'reject' ? { reason: a.reason ?? '' } : undefined;
      return html`${ctx.ensureSign()}${a.problem ? ctx.renderError(a.problem, () => ctx.onAccepting({ ...a, problem: null })) : nothing}
        <overa-sign server=${ctx.server} lang=${lang} subject-type="reception" subject-id=${item.id} action=${a.action ?? 'accept'} .context=${context}
          @overa-signed=${(e: CustomEvent<OveraSignedDetail>) => ctx.onSigned(e)}>
          <p><strong>${localize(item.title, lang)}</strong> · ${item.trackingNumber} · ${item.issuingAgency.name}</p>
          ${a.action === 'reject' ? html`<p>${msg(lang, 'inbox.rejectionReason', { reason: a.reason ?? '' })}</p>` : nothing}
        </overa-sign>
        ${cancel}`;
    },
  });
}

/** The reason of a rejection, before signing it. */
function renderReason(ctx: ReceptionContext, a: Accepting, cancel: TemplateResult): TemplateResult {
  const { lang } = ctx;
  const id = `reject-reason-${a.id}`;
  const go = (e: Event) => {
    e.preventDefault();
    const reason = ((e.target as HTMLFormElement).elements.namedItem('reason') as HTMLTextAreaElement).value.trim();
    if (reason) ctx.onAccepting({ ...a, reason, confirmed: true });
  };
  return html`<form class="decision-form" @submit=${go}>
    <label for=${id}>${msg(lang, 'inbox.rejectReasonLabel')}</label>
    <textarea id=${id} name="reason" part="reject-reason" required maxlength="2000" rows="3"></textarea>
    <div class="actions">
      <button type="submit" class="primary">${msg(lang, 'inbox.rejectContinue')}</button>
      ${cancel}
    </div>
  </form>`;
}
