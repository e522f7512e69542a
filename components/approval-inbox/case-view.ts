/**
 * An open request in `<overa-approval-inbox>`, a chunk of its own: its facts, the issued
 * document once there is one, the answers and attachments (read first), then the approval line
 * and the decisions the official may make (comment, then signing with `<overa-sign>`), and the
 * full history. Rendering only: case-desk.ts (the chunk's entry) keeps the state and does the
 * sending. The element loads the chunk while the request is fetched (and on idle after its
 * first render); the list and the filters do not need it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ApplicationFeeView, AttachmentView, CaseStepView, CaseView, Decision, DocumentDetails } from '../core/api.ts';
import type { FormDefinition } from '../core/forms/definition.ts';
import { decisionSubjectId } from '../core/signing/decision.ts';
import { formatDateTime, msg, problemMessage, type Lang } from '../i18n/index.ts';
import type { LoadState } from '../shared/load-state.ts';
import { inboxCaseMessages } from '../i18n/en/inbox-case.ts';
import type { ShownProblem } from '../shared/problem.ts';
import type { OveraSignedDetail } from '../sign/sign.ts';
import disclosureStyles from '../styles/disclosure.styles.ts';
import { renderAnswers, renderAttachments, renderHistory, renderRefusals, renderStepper, type Preview } from './case-detail.ts';
import caseStyles from './case.styles.ts';
import decisionStyles from './decision.styles.ts';
import type { Deciding } from './case-desk.ts';
import type { OveraClient } from '../client/client.ts';
import { renderSendTo, sendToStyles, type SendTo } from './send-to.ts';

export type { SendTo } from './send-to.ts';
export const styles = [disclosureStyles, caseStyles, decisionStyles, sendToStyles];
export const messages = [inboxCaseMessages];

/** A return or a rejection must say why: the applicant reads it. */
const NEEDS_COMMENT: ReadonlySet<Decision> = new Set(['return', 'reject']);
const MAX_COMMENT = 2000;

/** What the case view needs from the element: its state, and what to do when the official acts. */
export interface CaseContext {
  readonly lang: Lang;
  readonly server: string;
  readonly deciding: Deciding | null;
  readonly previews: ReadonlyMap<string, Preview>;
  readonly definition: FormDefinition | undefined;
  renderError(problem: ShownProblem | null, retry: () => void): TemplateResult;
  ensureSign(): void;
  onPreview(a: AttachmentView): void;
  onChoose(step: CaseStepView, decision: Decision): void;
  /** The decision moves on (or is left: null); `focus` is where focus goes once it is drawn. */
  onDeciding(next: Deciding | null, focus?: string): void;
  onSigned(event: CustomEvent<OveraSignedDetail>): void;
  /** The case's issued document, when it is `issued` (loaded after the case). */
  readonly issued: LoadState<DocumentDetails>;
  /** Why its download failed, if it did. */
  readonly issuedNotice: ShownProblem | null;
  onDownloadIssued(d: DocumentDetails): void;
  onRetryIssued(): void;
  /** Sends a failed exchange message to a partner agency again (issue 19). */
  onRetryExchange(d: DocumentDetails, messageId: string): void;
  /** Whether the official may mark the fee (an official of the handling agency, not the applicant). */
  readonly mayMarkFee: boolean;
  /** While a mark or an undo is on its way, and why the last one failed. */
  readonly feeBusy: boolean;
  readonly feeProblem: ShownProblem | null;
  onMarkFee(statementReference: string): void;
  /** Undo the fee mark, with why (may be empty: the reason is optional). */
  onUndoFee(reason: string): void;
  /** What a failure is, as the element shows it (its error code and request id). */
  problem(err: unknown): ShownProblem;
  /** The client the "send to another agency" picker reads the directory and sends with. */
  readonly client: OveraClient | null;
  /** That picker's state (issue 19), as drawn; `sendToNow()` is the latest, for a request coming back. */
  readonly sendTo: SendTo | null;
  sendToNow(): SendTo | null;
  /** The picker moves on (or closes: null); `focus` is where focus goes once it is drawn. */
  onSendTo(next: SendTo | null, focus?: string): void;
  /** The document was sent to `agencyIds`: the element shows it as the server answered, closes the picker, says `announcement`. */
  onDistributed(d: DocumentDetails, agencyIds: readonly string[], announcement: string): void;
}

/**
 * The request below its heading, in the order an official reads it: facts (and the issued
 * document once there is one), the answers and attachments, then the approval line and the
 * decision, then the history. What is decided on comes before the buttons that decide it.
 */
export function renderCase(ctx: CaseContext, c: CaseView): TemplateResult {
  const { lang } = ctx;
  return html`<p class="case-facts">
      <span class="tag tag--${c.status}">${msg(lang, `applicationStatus.${c.status}`)}</span>
      ${msg(lang, c.origin === 'internal' ? 'inbox.draftedBy' : 'inbox.appliedBy', { name: c.applicant.displayName })}
      ${c.submittedAt ? html` · <time datetime=${c.submittedAt}>${formatDateTime(lang, c.submittedAt)}</time>` : nothing}
      ${c.round > 1 ? html` · ${msg(lang, 'inbox.round', { round: c.round })}` : nothing}
    </p>
    ${c.returnComment ? html`<blockquote class="comment">${c.returnComment}</blockquote>` : nothing}
    ${c.status === 'issued' ? renderIssued(ctx) : nothing}
    <h4>${msg(lang, 'inbox.answers')}</h4>
    ${renderAnswers(lang, c, ctx.definition)}
    ${renderAttachments(lang, c.attachments, ctx.previews, (a) => ctx.onPreview(a))}
    ${c.fee ? renderFee(ctx, c, c.fee) : nothing}
    <h4>${msg(lang, 'inbox.line')}</h4>
    ${renderStepper(lang, c.approvalLine)} ${renderDecision(ctx, c)}
    ${renderHistory(lang, c.history)}`;
}

/**
 * The fee: what is owed and the reference to look for on the bank statement, whether it was
 * marked paid (by whom, against which statement), and — for an official of the agency — marking
 * it paid or undoing a mistaken mark. A line waiting for the fee says so.
 */
function renderFee(ctx: CaseContext, c: CaseView, fee: ApplicationFeeView): TemplateResult {
  const { lang } = ctx;
  const paid = fee.state === 'paid';
  const open = c.status === 'submitted' || c.status === 'in_review';
  const amount = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : lang, { style: 'currency', currency: 'RSD', currencyDisplay: 'code', minimumFractionDigits: 2 }).format(fee.amount);
  // Both fee forms hand on their one optional text field, trimmed.
  const submitText = (id: string, then: (value: string) => void) => (e: SubmitEvent) => {
    e.preventDefault();
    then((e.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>(`#${id}`)?.value.trim() ?? '');
  };
  const mark = submitText('fee-statement', (v) => ctx.onMarkFee(v));
  const undo = submitText('fee-undo-reason', (v) => ctx.onUndoFee(v));
  return html`<section part="fee" class="fee" aria-labelledby="fee-heading">
    <h4 id="fee-heading">${msg(lang, 'inbox.fee.title')}</h4>
    <dl class="issued-facts">
      <div><dt>${msg(lang, 'inbox.fee.amount')}</dt><dd>${amount}</dd></div>
      <div><dt>${msg(lang, 'inbox.fee.account')}</dt><dd>${fee.payee.account}</dd></div>
      <div><dt>${msg(lang, 'inbox.fee.reference')}</dt><dd><code part="fee-reference">${fee.referenceModel} ${fee.reference}</code></dd></div>
      <div>
        <dt>${msg(lang, 'inbox.fee.state')}</dt>
        <dd><strong part="fee-state" class="fee-state fee-state--${fee.state}">${msg(lang, paid ? 'inbox.fee.paid' : 'inbox.fee.awaiting')}</strong></dd>
      </div>
    </dl>
    ${paid && fee.paid
      ? html`<p class="muted">
          ${msg(lang, 'inbox.fee.paidBy', { name: fee.paid.by?.displayName ?? '', date: formatDateTime(lang, fee.paid.at) })}
          ${fee.paid.statementReference ? html`<br />${msg(lang, 'inbox.fee.statement', { reference: fee.paid.statementReference })}` : nothing}
        </p>`
      : nothing}
    ${!paid && fee.requiredBeforeApproval && open ? html`<p part="fee-waits" class="refusal">${msg(lang, 'inbox.fee.lineWaits')}</p>` : nothing}
    ${ctx.feeProblem ? ctx.renderError(ctx.feeProblem, () => undefined) : nothing}
    ${!ctx.mayMarkFee
      ? nothing
      : paid
        ? html`<form class="fee-form" novalidate @submit=${undo}>
            <div class="field">
              <label for="fee-undo-reason">${msg(lang, 'inbox.fee.undoReasonLabel')} <span class="optional">${msg(lang, 'form.optional')}</span></label>
              <div id="fee-undo-reason-hint" class="hint">${msg(lang, 'inbox.fee.undoReasonHint')}</div>
              <input id="fee-undo-reason" part="fee-undo-reason" type="text" maxlength="2000" autocomplete="off" aria-describedby="fee-undo-reason-hint" />
            </div>
            <div class="actions">
              <button type="submit" part="fee-undo-button" class="secondary" ?disabled=${ctx.feeBusy}>${msg(lang, 'inbox.fee.undo')}</button>
            </div>
          </form>`
        : html`<form class="fee-form" novalidate @submit=${mark}>
            <div class="field">
              <label for="fee-statement">${msg(lang, 'inbox.fee.statementLabel')} <span class="optional">${msg(lang, 'form.optional')}</span></label>
              <div id="fee-statement-hint" class="hint">${msg(lang, 'inbox.fee.statementHint')}</div>
              <input id="fee-statement" type="text" maxlength="100" autocomplete="off" aria-describedby="fee-statement-hint" />
            </div>
            <div class="actions">
              <button type="submit" part="fee-paid-button" class="primary" ?disabled=${ctx.feeBusy}>${msg(lang, 'inbox.fee.markPaid')}</button>
            </div>
          </form>`}
  </section>`;
}

/** The document the final approval issued: its verification code, when, and its PDF. */
function renderIssued(ctx: CaseContext): TemplateResult {
  const { lang, issued } = ctx;
  const body = (): TemplateResult => {
    if (issued.state === 'error') {
      return ctx.renderError(issued.problem, () => ctx.onRetryIssued());
    }
    if (issued.state !== 'ready') return html`<p class="status status--busy" role="status">${msg(lang, 'inbox.issued.loading')}</p>`;
    const d = issued.value;
    return html`<dl class="issued-facts">
        <div><dt>${msg(lang, 'inbox.issued.code')}</dt><dd><code part="verification-code">${d.verificationCode}</code></dd></div>
        <div><dt>${msg(lang, 'inbox.issued.at')}</dt><dd><time datetime=${d.issuedAt}>${formatDateTime(lang, d.issuedAt)}</time></dd></div>
        <div><dt>${msg(lang, 'inbox.issued.seal')}</dt><dd part="seal-level">${msg(lang, `inbox.issued.level.${d.seal.level}`, { level: `PAdES ${d.seal.level}` })}</dd></div>
      </dl>
      ${d.seal.ltvPending ? html`<p part="ltv-pending" class="status">${msg(lang, 'inbox.issued.ltvPending')}</p>` : nothing}
      ${ctx.issuedNotice
        ? html`<p class="error-message" role="alert"><span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${problemMessage(lang, ctx.issuedNotice.code)}</p>`
        : nothing}
      <div class="actions">
        <button type="button" part="document-download-button" class="secondary" @click=${() => ctx.onDownloadIssued(d)}>${msg(lang, 'inbox.issued.download')}</button>
        <a part="document-verify-link" class="issued-verify" href=${d.verificationUrl} target="_blank" rel="noopener">${msg(lang, 'inbox.issued.verify')}</a>
      </div>
      ${renderLocalDeliveries(ctx, d)} ${renderPartnerDeliveries(ctx, d)} ${renderSendTo(ctx, d)}`;
  };
  return html`<section part="issued-document" class="issued" aria-labelledby="issued-heading">
    <h4 id="issued-heading">${msg(lang, 'inbox.issued.title')}</h4>
    ${body()}
  </section>`;
}

/** Agencies on this server the document went to: when, and whether they acknowledged receipt. */
function renderLocalDeliveries(ctx: CaseContext, d: DocumentDetails): TemplateResult | typeof nothing {
  const { lang } = ctx;
  const local = d.recipients.filter((r) => !r.partner);
  if (local.length === 0) return nothing;
  return html`<h5 class="partners-heading">${msg(lang, 'inbox.issued.local')}</h5>
    <ul part="local-deliveries" class="partner-deliveries">
      ${local.map((r) => html`<li data-agency=${r.agencyId}>
        <strong>${r.agencyName}</strong><br />
        <span part="local-delivery">${msg(lang, 'inbox.issued.sentAt', { at: formatDateTime(lang, r.sentAt) })}</span> ·
        <span part="local-answer">${r.status === 'accepted' && r.acceptedAt
          ? msg(lang, 'inbox.issued.answer.acknowledged', { at: formatDateTime(lang, r.acceptedAt) })
          : msg(lang, `inbox.issued.answer.${r.status}`)}</span>
      </li>`)}
    </ul>`;
}

/** Partner agencies on other servers the document went to: delivery, their answer, and a retry when it failed. */
function renderPartnerDeliveries(ctx: CaseContext, d: DocumentDetails): TemplateResult | typeof nothing {
  const { lang } = ctx;
  const partners = d.recipients.filter((r) => r.partner);
  if (partners.length === 0) return nothing;
  return html`<h5 class="partners-heading">${msg(lang, 'inbox.issued.partners')}</h5>
    <ul part="partner-deliveries" class="partner-deliveries">
      ${partners.map((r) => {
        const p = r.partner!;
        const delivery = p.delivery === 'delivered'
          ? msg(lang, 'inbox.issued.delivery.delivered', { at: p.receivedAt ? formatDateTime(lang, p.receivedAt) : '—' })
          : p.delivery === 'failed' ? msg(lang, 'inbox.issued.delivery.failed', { error: p.lastError ?? '—' }) : msg(lang, `inbox.issued.delivery.${p.delivery}`);
        const answer = r.status === 'rejected' ? msg(lang, 'inbox.issued.answer.rejected', { reason: p.reason ?? '—' }) : msg(lang, `inbox.issued.answer.${r.status}`);
        return html`<li data-agency=${r.agencyId}>
          <strong>${r.agencyName}</strong> <span class="partner-server">${p.server ?? ''}</span><br />
          <span part="partner-delivery">${delivery}</span> · <span part="partner-answer">${answer}</span>
          ${p.delivery === 'failed'
            ? html` <button type="button" part="partner-retry-button" class="secondary" @click=${() => ctx.onRetryExchange(d, p.messageId)}>
                ${msg(lang, 'inbox.issued.retry')}<span class="visually-hidden"> ${r.agencyName}</span>
              </button>`
            : nothing}
        </li>`;
      })}
    </ul>`;
}

function renderDecision(ctx: CaseContext, c: CaseView): TemplateResult | typeof nothing {
  const { lang } = ctx;
  const steps = c.approvalLine.filter((s) => s.allowedDecisions.length > 0);
  // A server from before the four-eyes rule sends no `refusal`.
  const refused = c.approvalLine.filter((s) => s.refusal);
  if (steps.length === 0) return refused.length ? html`<div part="decision" class="decision decision--refused">${renderRefusals(lang, c, refused)}</div>` : nothing;
  const d = ctx.deciding;
  return html`<div part="decision" class="decision">
    ${renderRefusals(lang, c, refused)}
    ${steps.map(
      (step) => html`<div class="decision-step">
        <p class="decision-for">
          ${msg(lang, 'inbox.decideStep', { step: msg(lang, `inbox.stepKind.${step.kind}`) })}
          ${step.as && step.as.basis !== 'assigned' ? html`<span class="mark">${msg(lang, step.as.basis === 'proxy' ? 'inbox.asProxy' : 'inbox.asDelegated')}</span>` : nothing}
        </p>
        <div class="actions">
          ${step.allowedDecisions.map(
            (decision) => html`<button
              type="button"
              class=${decision === 'return' || decision === 'reject' ? 'secondary' : 'primary'}
              aria-pressed=${d?.step === step.id && d.decision === decision ? 'true' : 'false'}
              ?disabled=${d?.phase === 'sending' || d?.phase === 'sign'}
              @click=${() => ctx.onChoose(step, decision)}
            >
              ${msg(lang, `inbox.decision.${decision}`)}
            </button>`,
          )}
        </div>
      </div>`,
    )}
    ${d ? renderDeciding(ctx, c, d) : nothing}
  </div>`;
}

/** Continue to signing: a return or a rejection without a reason stops at the comment, which says so. */
function toSigning(ctx: CaseContext, d: Extract<Deciding, { phase: 'compose' }>, event: SubmitEvent): void {
  event.preventDefault();
  const comment = d.comment.trim();
  if (NEEDS_COMMENT.has(d.decision) && comment === '') {
    ctx.onDeciding({ ...d, missingComment: true }, '#decision-comment');
    return;
  }
  ctx.onDeciding({ phase: 'sign', step: d.step, decision: d.decision, comment, context: { comment }, problem: d.problem }, 'overa-sign');
}

function renderDeciding(ctx: CaseContext, c: CaseView, d: Deciding): TemplateResult {
  const { lang } = ctx;
  const error = d.problem ? ctx.renderError(d.problem, () => ctx.onDeciding({ ...d, problem: null })) : nothing;
  if (d.phase === 'compose') {
    const required = NEEDS_COMMENT.has(d.decision);
    return html`${error}
      <form class="decision-form" novalidate @submit=${(e: SubmitEvent) => toSigning(ctx, d, e)}>
        <div class="field ${d.missingComment ? 'field--error' : ''}">
          <label for="decision-comment">
            ${msg(lang, required ? 'inbox.commentRequired' : 'inbox.comment')}
            ${required ? nothing : html`<span class="optional">${msg(lang, 'form.optional')}</span>`}
          </label>
          <div id="decision-comment-hint" class="hint">${msg(lang, required ? 'inbox.commentHintRequired' : 'inbox.commentHint')}</div>
          ${d.missingComment
            ? html`<p id="decision-comment-error" class="error-message">
                <span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${msg(lang, 'inbox.commentMissing')}
              </p>`
            : nothing}
          <textarea
            id="decision-comment"
            rows="3"
            maxlength=${MAX_COMMENT}
            aria-describedby="decision-comment-hint${d.missingComment ? ' decision-comment-error' : ''}"
            aria-invalid=${d.missingComment ? 'true' : 'false'}
            .value=${d.comment}
            @input=${(e: InputEvent) => ctx.onDeciding({ ...d, comment: (e.target as HTMLTextAreaElement).value, missingComment: false })}
          ></textarea>
        </div>
        <div class="actions">
          <button type="submit" class="primary">${msg(lang, 'inbox.continueToSign', { decision: msg(lang, `inbox.decision.${d.decision}`) })}</button>
          <button type="button" class="secondary" @click=${() => ctx.onDeciding(null)}>${msg(lang, 'inbox.cancel')}</button>
        </div>
      </form>`;
  }
  ctx.ensureSign();
  return html`${error}
    <overa-sign
      tabindex="-1"
      server=${ctx.server}
      lang=${lang}
      subject-type="decision"
      subject-id=${decisionSubjectId(c.id, d.step)}
      action=${d.decision}
      .context=${d.context}
      @overa-signed=${(e: CustomEvent<OveraSignedDetail>) => ctx.onSigned(e)}
    >
      <p><strong>${msg(lang, `inbox.decision.${d.decision}`)}</strong> — ${c.trackingNumber}</p>
      ${d.comment ? html`<blockquote class="comment">${d.comment}</blockquote>` : nothing}
    </overa-sign>
    ${d.phase === 'sending' ? html`<p class="status status--busy" role="status">${msg(lang, 'inbox.sending')}</p>` : nothing}
    <div class="actions">
      <button
        type="button"
        class="secondary"
        ?disabled=${d.phase === 'sending'}
        @click=${() => ctx.onDeciding({ phase: 'compose', step: d.step, decision: d.decision, comment: d.comment, missingComment: false, problem: d.problem })}
      >
        ${msg(lang, 'inbox.changeComment')}
      </button>
    </div>`;
}
