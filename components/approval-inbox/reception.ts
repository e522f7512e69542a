import { html, nothing, type TemplateResult } from 'lit';
import type { ReceptionItem } from '../core/api.ts';
import { localize } from '../core/forms/definition.ts';
import { formatDateTime, msg, type Lang } from '../i18n/index.ts';

/** The reception view: documents other agencies sent, each to download and to acknowledge with a signature. */
export function renderReceptionList(
  lang: Lang,
  items: readonly ReceptionItem[],
  actions: {
    accepting: string | null;
    onDownload: (item: ReceptionItem) => void;
    onAccept: (item: ReceptionItem) => void;
    renderSigning: (item: ReceptionItem) => TemplateResult;
  },
): TemplateResult {
  if (items.length === 0) return html`<p class="empty">${msg(lang, 'inbox.receptionEmpty')}</p>`;
  return html`<ul part="reception" class="cases reception" aria-label=${msg(lang, 'inbox.viewReception')}>
    ${items.map(
      (item) => html`<li class="case received">
        <p class="case-line">
          <strong class="case-number">${item.trackingNumber}</strong>
          <span class="tag ${item.status === 'accepted' ? 'tag--approved' : 'tag--submitted'}">${msg(lang, `inbox.reception.${item.status}`)}</span>
          ${item.documentStatus !== 'valid' ? html`<span class="tag tag--rejected">${msg(lang, `documentStatus.${item.documentStatus}`)}</span>` : nothing}
        </p>
        <p class="case-title-plain"><strong>${localize(item.title, lang)}</strong></p>
        <p class="case-meta">
          ${msg(lang, 'inbox.sentBy', { agency: item.issuingAgency.name })} · <time datetime=${item.sentAt}>${formatDateTime(lang, item.sentAt)}</time>
        </p>
        ${item.status === 'accepted' && item.acceptedAt
          ? html`<p class="case-meta">${msg(lang, 'inbox.acceptedBy', { name: item.acceptedBy?.displayName ?? '—' })} ·
              <time datetime=${item.acceptedAt}>${formatDateTime(lang, item.acceptedAt)}</time></p>`
          : nothing}
        <div class="actions">
          <button type="button" class="secondary" @click=${() => actions.onDownload(item)}>
            ${msg(lang, 'inbox.download')}<span class="visually-hidden"> ${item.trackingNumber}</span>
          </button>
          ${item.status === 'pending' && actions.accepting !== item.id
            ? html`<button type="button" class="primary" @click=${() => actions.onAccept(item)}>
                ${msg(lang, 'inbox.acknowledge')}<span class="visually-hidden"> ${item.trackingNumber}</span>
              </button>`
            : nothing}
        </div>
        ${actions.accepting === item.id ? html`<div class="decision">${actions.renderSigning(item)}</div>` : nothing}
      </li>`,
    )}
  </ul>`;
}
