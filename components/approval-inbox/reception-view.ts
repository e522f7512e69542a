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
    renderSigning: (item) => html`${ctx.ensureSign()}${accepting?.problem ? ctx.renderError(accepting.problem, () => ctx.onAccepting({ ...accepting, problem: null })) : nothing}
      <overa-sign server=${ctx.server} lang=${lang} subject-type="reception" subject-id=${item.id} action="accept" @overa-signed=${(e: CustomEvent<OveraSignedDetail>) => ctx.onSigned(e)}>
        <p><strong>${localize(item.title, lang)}</strong> · ${item.trackingNumber} · ${item.issuingAgency.name}</p>
      </overa-sign>
      <button type="button" class="secondary" ?disabled=${ctx.sending} @click=${() => ctx.onAccepting(null)}>${msg(lang, 'inbox.cancel')}</button>`,
  });
}
