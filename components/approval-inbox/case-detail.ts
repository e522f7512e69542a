import { html, nothing, type TemplateResult } from 'lit';
import type { AttachmentView, CaseHistoryEntry, CaseStepView, CaseView, DecisionView, OnBehalfOf } from '../core/api.ts';
import { itemTitle, localize, type ApplicationData, type FieldValue, type FormDefinition, type FormField } from '../core/forms/definition.ts';
import { formatBytes, formatDate, formatDateTime, msg, msgOr, roleName, type Lang } from '../i18n/index.ts';

/**
 * Render helpers for one case in the inbox: the answers, the attachments with their
 * previews, and the approval line drawn as a stepper. Pure functions of their inputs; the
 * element owns the state.
 */

/** A preview of an attachment, once fetched (object URL) or while it is fetched. */
export type Preview = { state: 'loading' } | { state: 'ready'; url: string } | { state: 'failed' };

function answerText(lang: Lang, field: FormField | undefined, value: FieldValue): string {
  const option = (v: string) => {
    const o = field?.options?.find((x) => x.value === v);
    return o ? localize(o.label, lang) : v;
  };
  if (typeof value === 'boolean') return msg(lang, value ? 'form.yes' : 'form.no');
  if (typeof value === 'number') return new Intl.NumberFormat(lang).format(value);
  if (typeof value !== 'string') return (value as readonly string[]).map(option).join(', ');
  if (field?.type === 'date') return formatDate(lang, value);
  return field?.options ? option(value) : value;
}

/** The answers as a summary list, in the form's order (file answers are shown as attachments). */
export function renderAnswers(lang: Lang, c: CaseView, def: FormDefinition | undefined): TemplateResult {
  const names = def ? def.fields.map((f) => f.name) : Object.keys(c.data);
  const rows = names.filter((n) => c.data[n] !== undefined && def?.fields.find((f) => f.name === n)?.type !== 'file');
  return html`<dl class="answers">
    ${rows.map((name) => {
      const field = def?.fields.find((f) => f.name === name);
      return html`<div class="answer-row">
        <dt>${field ? localize(field.label, lang) : name}</dt>
        <dd>${field?.type === 'group' ? renderItems(lang, field, c.data[name] as readonly ApplicationData[]) : answerText(lang, field, c.data[name]!)}</dd>
      </div>`;
    })}
  </dl>`;
}

/** A repeating group's answers, item by item ("Co-owner 1", then its answers). */
function renderItems(lang: Lang, group: FormField, items: readonly ApplicationData[]): TemplateResult {
  return html`<ol class="answer-items">
    ${items.map(
      (item, i) => html`<li>
        <strong>${itemTitle(group, i, lang)}</strong>
        <dl class="answers answers--item">
          ${(group.fields ?? [])
            .filter((f) => item[f.name] !== undefined)
            .map((f) => html`<div class="answer-row"><dt>${localize(f.label, lang)}</dt><dd>${answerText(lang, f, item[f.name]!)}</dd></div>`)}
        </dl>
      </li>`,
    )}
  </ol>`;
}

export function renderAttachments(
  lang: Lang,
  attachments: readonly AttachmentView[],
  previews: ReadonlyMap<string, Preview>,
  onPreview: (a: AttachmentView) => void,
): TemplateResult | typeof nothing {
  if (attachments.length === 0) return nothing;
  return html`<h4>${msg(lang, 'inbox.attachments')}</h4>
    <ul class="attachments">
      ${attachments.map((a) => {
        const preview = previews.get(a.id);
        const canPreview = a.mediaType === 'application/pdf' || a.mediaType.startsWith('image/');
        return html`<li class="attachment">
          <span class="file-name">${a.filename}</span> <span class="muted">(${formatBytes(lang, a.size)})</span>
          ${canPreview
            ? html`<button type="button" class="link-button" aria-expanded=${preview ? 'true' : 'false'} @click=${() => onPreview(a)}>
                ${msg(lang, preview ? 'inbox.hidePreview' : 'inbox.preview')}<span class="visually-hidden"> ${a.filename}</span>
              </button>`
            : nothing}
          ${preview?.state === 'loading' ? html`<p class="muted" role="status">${msg(lang, 'inbox.previewLoading')}</p>` : nothing}
          ${preview?.state === 'failed' ? html`<p class="error-text" role="alert">${msg(lang, 'inbox.previewFailed')}</p>` : nothing}
          ${preview?.state === 'ready'
            ? a.mediaType === 'application/pdf'
              ? html`<iframe class="preview preview--pdf" title=${a.filename} src=${preview.url}></iframe>`
              : html`<img class="preview" alt=${a.filename} src=${preview.url} />`
            : nothing}
        </li>`;
      })}
    </ul>`;
}

function onBehalfText(lang: Lang, d: DecisionView): string {
  if (!d.onBehalfOf) return '';
  const who = personOrRole(lang, d.onBehalfOf);
  return msg(lang, d.basis === 'proxy' ? 'inbox.proxyFor' : 'inbox.delegatedFor', { who });
}

function personOrRole(lang: Lang, who: OnBehalfOf): string {
  return 'displayName' in who ? who.displayName : roleName(lang, who.role);
}

function assigneeText(lang: Lang, step: CaseStepView): string {
  const a = step.assignee;
  return 'role' in a ? roleName(lang, a.role) : (a.displayName ?? msg(lang, 'inbox.namedOfficial'));
}

/** How a step reads: its state, except that a done step ended by a return or a rejection says so. */
type StepLook = CaseStepView['state'] | 'returned' | 'rejected';

function stepLook(step: CaseStepView): StepLook {
  if (step.state === 'done' && step.decision?.decision === 'return') return 'returned';
  if (step.state === 'done' && step.decision?.decision === 'reject') return 'rejected';
  return step.state;
}

/** The icon is decoration (aria-hidden); the step's state text says the same in words. */
const STEP_ICON: Record<StepLook, string> = { done: '✓', returned: '↩\uFE0E', rejected: '✕', pending: '●', waiting: '○', cancelled: '–' };

/** The approval line as a stepper: who, when, which decision, and delegated or proxy marks. */
export function renderStepper(lang: Lang, steps: readonly CaseStepView[]): TemplateResult {
  return html`<ol part="stepper" class="stepper">
    ${steps.map((step) => {
      const d = step.decision;
      const look = stepLook(step);
      const parallel = steps.filter((s) => s.stage === step.stage).length > 1;
      return html`<li class="step step--${look} ${d ? `step--${d.decision}` : ''}">
        <span class="step-icon" aria-hidden="true">${STEP_ICON[look]}</span>
        <div class="step-body">
          <p class="step-title">
            <strong>${msg(lang, `inbox.stepKind.${step.kind}`)}</strong> · ${assigneeText(lang, step)}
            ${parallel ? html`<span class="muted"> · ${msg(lang, 'inbox.parallel')}</span>` : nothing}
          </p>
          <p class="step-state">${msg(lang, `inbox.stepState.${look}`)}</p>
          ${d
            ? html`<p class="step-decision">
                  ${msg(lang, `inbox.decided.${d.decision}`, { name: d.decidedBy.displayName })}
                  <time datetime=${d.decidedAt}>${formatDateTime(lang, d.decidedAt)}</time>
                </p>
                ${d.basis !== 'assigned' ? html`<p class="mark mark--${d.basis}">${onBehalfText(lang, d)}</p>` : nothing}
                ${d.comment ? html`<blockquote class="comment">${d.comment}</blockquote>` : nothing}`
            : nothing}
        </div>
      </li>`;
    })}
  </ol>`;
}

/**
 * Why the official may not decide these open steps of theirs, in place of the decision buttons:
 * `inbox.refusal.<type>` (four-eyes: the step they already decided, by its number in the line),
 * else a plain "you cannot decide this step" for a rule this element does not know yet.
 */
export function renderRefusals(lang: Lang, c: CaseView, steps: readonly CaseStepView[]): TemplateResult[] {
  return steps.map((step) => {
    const refusal = step.refusal!;
    const index = c.approvalLine.findIndex((s) => s.id === refusal.step);
    const decided = c.approvalLine[index];
    const kind = msg(lang, `inbox.stepKind.${step.kind}`);
    const text = decided
      ? msgOr(lang, `inbox.refusal.${refusal.type}`, 'inbox.refusal.unknown', { step: kind, number: index + 1, decided: msg(lang, `inbox.stepKind.${decided.kind}`) })
      : msg(lang, 'inbox.refusal.unknown', { step: kind });
    return html`<p class="refusal">${text}</p>`;
  });
}

/**
 * What happened, in words for the official: `inbox.event.<action>` for every action the server
 * writes to an application's audit trail, and a plain "Updated" for one it adds later. Worded
 * without "you" (the official reads what others did) and, in Serbian, without a gendered verb.
 */
function eventText(lang: Lang, action: string): string {
  return msgOr(lang, `inbox.event.${action}`, 'inbox.event.unknown');
}

/** The case's full history, oldest first: when, who (when a person acted), what in words, and the reason given (an undone fee mark…). */
export function renderHistory(lang: Lang, history: readonly CaseHistoryEntry[]): TemplateResult {
  return html`<details class="history">
    <summary>${msg(lang, 'inbox.history', { count: history.length })}</summary>
    <ol class="plain-list">
      ${history.map(
        (h) => html`<li>
          <time datetime=${h.at}>${formatDateTime(lang, h.at)}</time> —
          ${h.actorName ? html`${h.actorName}: ` : nothing}${eventText(lang, h.action)}${typeof h.data.reason === 'string' && h.data.reason
            ? html` <q part="history-reason">${h.data.reason}</q>`
            : nothing}
        </li>`,
      )}
    </ol>
  </details>`;
}
