/**
 * A seal's time and long-term proof in plain words, under its line in the verdict's details:
 * the level it reached, the time a time-stamp proves, where the validation data came from and
 * what the revocation data said. Part of the verdict chunk (verdict.ts).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { SignatureReportEntry, ValidationDataSource } from '../core/report.ts';
import { formatDateTime, formatList, msg, type Lang } from '../i18n/index.ts';

/** The lines for one seal (nothing for passkey signatures or seals the verifier could not read). */
export function renderSealTime(lang: Lang, e: SignatureReportEntry): TemplateResult | typeof nothing {
  if (e.kind !== 'seal' || (!e.level && !e.validationData)) return nothing;
  const data = e.validationData;
  const sources = [...new Set<ValidationDataSource>([...(data?.certificates ?? []).map((c) => c.source), ...(data?.revocation ?? []).filter((r) => r.accepted).map((r) => r.source)])];
  const signer = data?.certificates[0];
  const evidence = data?.revocation.find((r) => r.accepted && r.certificate === signer?.subject && r.status === signer?.status);
  const refused = data?.revocation.filter((r) => !r.accepted).length ?? 0;
  return html`<ul class="seal-time">
    ${e.level ? html`<li>${msg(lang, `verify.time.level.${e.level}`, { level: `PAdES ${e.level}` })}</li>` : nothing}
    <li>
      ${e.bestSignatureTime
        ? msg(lang, 'verify.time.provenAt', { date: formatDateTime(lang, e.bestSignatureTime) })
        : msg(lang, 'verify.time.notProven')}
    </li>
    ${signer?.status === 'revoked' && signer.revokedAt
      ? html`<li>${msg(lang, 'verify.time.revocation.revoked', { date: formatDateTime(lang, signer.revokedAt) })}</li>`
      : evidence?.thisUpdate
        ? html`<li>${msg(lang, 'verify.time.revocation.good', { type: evidence.type, date: formatDateTime(lang, evidence.thisUpdate) })}</li>`
        : nothing}
    ${sources.length ? html`<li>${msg(lang, 'verify.time.sources', { list: formatList(lang, sources.map((s) => msg(lang, `verify.time.source.${s}`))) })}</li>` : nothing}
    ${refused ? html`<li>${msg(lang, 'verify.time.refused', { count: refused })}</li>` : nothing}
  </ul>`;
}
