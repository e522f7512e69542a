/**
 * A seal's qualified status in plain words (from trusted lists, ETSI TS 119 612), under its line
 * in the verdict's details: what it is (qualified seal, advanced seal…), whose service issued
 * its certificate and on which list, the service's status at the time, and why it is not
 * qualified when it is not. Part of the verdict chunk (verdict.ts).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { SignatureReportEntry } from '../core/report.ts';
import { formatDateTime, msg, msgOr, type Lang } from '../i18n/index.ts';

/** A list given to the element that was not used, and why (core's refusal reason). */
export interface ListRefusal {
  readonly location?: string;
  readonly reason: string;
}

export function renderQualification(lang: Lang, e: SignatureReportEntry): TemplateResult | typeof nothing {
  const q = e.qualification;
  if (!q) return nothing;
  const at = formatDateTime(lang, q.at);
  return html`<ul class="seal-time qualification">
    <li><strong>${msg(lang, `verify.qual.level.${q.level}`)}</strong></li>
    <li>${msg(lang, 'verify.qual.provider', { provider: q.provider, service: q.service, territory: q.territory })}</li>
    ${q.serviceStatus === 'granted'
      ? html`<li>${msg(lang, 'verify.qual.granted', { date: at })}</li>`
      : q.serviceStatus && q.statusFrom
        ? html`<li>${msg(lang, 'verify.qual.notGranted', { date: at, status: q.serviceStatus, since: formatDateTime(lang, q.statusFrom) })}</li>`
        : nothing}
    ${q.reasons.map((r) => html`<li>${msgOr(lang, `verify.qual.reason.${r.code}`, 'verify.qual.reason.other')}</li>`)}
  </ul>`;
}

export function renderListRefusals(lang: Lang, refusals: readonly ListRefusal[]): TemplateResult | typeof nothing {
  if (refusals.length === 0) return nothing;
  return html`<ul class="reasons">
    ${refusals.map((r) => html`<li>${msg(lang, 'verify.qual.listRefused', { location: r.location ?? '—', reason: msgOr(lang, `verify.qual.refusal.${r.reason}`, 'verify.qual.refusal.other') })}</li>`)}
  </ul>`;
}
