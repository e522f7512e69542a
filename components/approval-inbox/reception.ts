import { html, nothing, type TemplateResult } from 'lit';
import type { PartnerReception, ReceptionItem } from '../core/api.ts';
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
    /** A partner's document refused with a reason (issue 19). */
    onReject: (item: ReceptionItem) => void;
    renderSigning: (item: ReceptionItem) => TemplateResult;
  },
): TemplateResult {
  if (items.length === 0) return html`<p class="empty">${msg(lang, 'inbox.receptionEmpty')}</p>`;
  return html`<ul part="reception" class="cases reception" aria-label=${msg(lang, 'inbox.viewReception')}>
    ${items.map(
      (item) => html`<li class="case received">
        <p class="case-line">
          <strong class="case-number">${item.trackingNumber}</strong>
          <span class="tag ${item.status === 'accepted' ? 'tag--approved' : item.status === 'rejected' ? 'tag--rejected' : 'tag--submitted'}">${msg(lang, `inbox.reception.${item.status}`)}</span>
          ${item.documentStatus !== 'valid' ? html`<span class="tag tag--rejected">${msg(lang, `documentStatus.${item.documentStatus}`)}</span>` : nothing}
        </p>
        <p class="case-title-plain"><strong>${localize(item.title, lang)}</strong></p>
        <p class="case-meta">
          ${msg(lang, 'inbox.sentBy', { agency: item.issuingAgency.name })}${item.partner ? html` ${msg(lang, 'inbox.partnerServer', { server: item.partner.server })}` : nothing} · <time datetime=${item.sentAt}>${formatDateTime(lang, item.sentAt)}</time>
        </p>
        ${item.partner ? renderPartner(lang, item.partner) : nothing}
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
          ${item.status === 'pending' && item.partner && actions.accepting !== item.id
            ? html`<button type="button" part="reject-button" class="secondary" @click=${() => actions.onReject(item)}>
                ${msg(lang, 'inbox.reject')}<span class="visually-hidden"> ${item.trackingNumber}</span>
              </button>`
            : nothing}
        </div>
        ${actions.accepting === item.id ? html`<div class="decision">${actions.renderSigning(item)}</div>` : nothing}
      </li>`,
    )}
  </ul>`;
}

/** Where a partner's document came from and how it was checked (issue 19). */
function renderPartner(lang: Lang, p: PartnerReception): TemplateResult {
  return html`<p class="case-meta partner" part="partner">
      ${p.seal.verified ? html`<span class="seal-ok">✓</span> ` : nothing}${msg(lang, 'inbox.partnerSeal', { subject: p.seal.subject })} ·
      ${msg(lang, 'inbox.partnerReceived')} <time datetime=${p.receivedAt}>${formatDateTime(lang, p.receivedAt)}</time>
    </p>
    ${p.rejectionReason ? html`<p class="case-meta">${msg(lang, 'inbox.rejectionReason', { reason: p.rejectionReason })}</p>` : nothing}
    ${p.revocation ? html`<p class="case-meta revoked" role="note">${msg(lang, 'inbox.partnerRevoked', { reason: p.revocation.reason })}</p>` : nothing}`;
}
