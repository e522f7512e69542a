/**
 * The documents other agencies sent, in `<overa-approval-inbox>`: a chunk of its own, loaded
 * when the official switches to them (and on idle after the element's first render). The
 * element keeps the list (and loads it with this chunk); the downloading and acknowledging
 * live here (ReceptionDesk), so the list of cases' first load carries none of it.
 */
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ReceptionItem } from '../core/api.ts';
import { localize } from '../core/forms/definition.ts';
import type { OveraClient } from '../client/client.ts';
import { acceptReception, rejectReception } from '../client/cases.ts';
import { fetchDocumentPdf, fetchReceivedPdf } from '../client/documents.ts';
import { msg, type Lang } from '../i18n/index.ts';
import { inboxReceptionMessages } from '../i18n/en/inbox-reception.ts';
import { IdempotentSend } from '../shared/idempotent-send.ts';
import { toProblem, type ShownProblem } from '../shared/problem.ts';
import type { OveraSignedDetail } from '../sign/sign.ts';
import { renderReceptionList } from './reception.ts';
import { saveBlob } from './save-blob.ts';
import decisionStyles from './decision.styles.ts';
import receptionStyles from './reception.styles.ts';

export const styles = [decisionStyles, receptionStyles];
export const messages = [inboxReceptionMessages];

const WHO = 'overa-approval-inbox';

/** A received document being acknowledged (its signing shown), and why the last attempt failed. */
export interface Accepting {
  readonly id: string;
  readonly problem: ShownProblem | null;
  /** `reject`: a partner's document refused with a reason (issue 19); default `accept`. */
  readonly action?: 'accept' | 'reject';
  /** The rejection's reason, and whether the official moved on to sign it (it is part of what is signed). */
  readonly reason?: string;
  readonly confirmed?: boolean;
}

/** What the reception desk needs from the element: its client, and where results go. */
export interface ReceptionHost {
  readonly element: ReactiveControllerHost & { readonly server: string };
  client(): OveraClient | null;
  /** The language the element renders in (for announcements). */
  lang(): Lang;
  /** A document's new state, as the server answered an acknowledgement. */
  received(item: ReceptionItem): void;
  announce(text: string): void;
  renderError(lang: Lang, problem: ShownProblem | null, retry: () => void): TemplateResult;
  ensureSign(): void;
}

/** One per element, made when this chunk is first in: downloads and acknowledgements (or rejections) of received documents. */
export class ReceptionDesk {
  private accepting: Accepting | null = null;
  /** One idempotency key per acknowledgement. */
  private readonly acceptSend: IdempotentSend;
  /** A download that failed (said above the list). */
  private notice: ShownProblem | null = null;

  constructor(private readonly host: ReceptionHost) {
    this.acceptSend = new IdempotentSend(host.element);
  }

  /** The list is read again: an old download failure is no longer news. */
  clearNotice(): void {
    this.notice = null;
  }

  /** The received documents (`retry` reads them again), with a failed download said above them. */
  render(lang: Lang, items: readonly ReceptionItem[], retry: () => void): TemplateResult {
    const host = this.host;
    return html`${this.notice ? host.renderError(lang, this.notice, retry) : nothing}
      ${renderReception(
        {
          lang,
          server: host.element.server,
          accepting: this.accepting,
          sending: this.acceptSend.busy,
          renderError: (problem, again) => host.renderError(lang, problem, again),
          ensureSign: () => host.ensureSign(),
          onDownload: (item) => void this.download(item),
          onAccepting: (next) => this.onAccepting(next),
          onSigned: (e) => void this.onSigned(e),
        },
        items,
      )}`;
  }

  private async download(item: ReceptionItem): Promise<void> {
    const client = this.host.client();
    if (!client) return;
    try {
      // A partner's document lives in this server's reception, not among its issued documents.
      const blob = item.partner ? await fetchReceivedPdf(client, item.id) : await fetchDocumentPdf(client, item.documentId);
      saveBlob(blob, `${item.trackingNumber}.pdf`);
    } catch (err) {
      this.notice = toProblem(err, WHO);
      this.host.element.requestUpdate();
    }
  }

  private onAccepting(next: Accepting | null): void {
    // Acknowledging another document (or the same one again) is a new intent.
    if (next && next.id !== this.accepting?.id) this.acceptSend.renew();
    this.accepting = next;
    this.host.element.requestUpdate();
  }

  private async onSigned(event: CustomEvent<OveraSignedDetail>): Promise<void> {
    const a = this.accepting;
    const host = this.host;
    const client = host.client();
    if (!a || !client) return;
    try {
      const updated = await this.acceptSend.run((key) => a.action === 'reject'
        ? rejectReception(client, a.id, event.detail.signatureId, a.reason ?? '', key)
        : acceptReception(client, a.id, event.detail.signatureId, key));
      if (!updated) return;
      host.received(updated);
      this.onAccepting(null);
      host.announce(msg(host.lang(), a.action === 'reject' ? 'inbox.rejectedNotice' : 'inbox.received'));
    } catch (err) {
      this.onAccepting({ ...a, problem: toProblem(err, WHO) });
    }
  }
}

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
