/**
 * The verdict of `<overa-verify>` and its details (issuer, document, every signature, the
 * reasons in words), a chunk of its own: the element loads it while a file or a code is being
 * checked (and on idle after its first render); the drop zone and the code form do not need it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { PublicDocumentStatus } from '../core/documents.ts';
import { localize } from '../core/forms/definition.ts';
import { commonNameOf, reportHeadline, type ReportHeadline, type ReportReason, type VerificationReport } from '../core/report.ts';
import { formatBytes, formatDate, formatDateTime, inReaderScript, msg, msgOr, type Lang } from '../i18n/index.ts';
import { verifyVerdictMessages } from '../i18n/en/verify-verdict.ts';
import disclosureStyles from '../styles/disclosure.styles.ts';
import verdictStyles from './verdict.styles.ts';
import { renderSealTime } from './verdict-time.ts';
import { verifyTimeMessages } from '../i18n/en/verify-time.ts';
import { verifyQualificationMessages } from '../i18n/en/verify-qualification.ts';
import { renderListRefusals, renderQualification, type ListRefusal } from './verdict-qualification.ts';
import type { Verdict } from './verify.ts';

export const styles = [disclosureStyles, verdictStyles];
export const messages = [verifyVerdictMessages, verifyTimeMessages, verifyQualificationMessages];

/** What a check found: the verdict, and what it rests on (the file's report, the issuer's word, or both). */
export interface Finding {
  readonly verdict: Verdict;
  readonly report: VerificationReport | null;
  readonly status: PublicDocumentStatus | null;
  /** The SHA-256 of the file checked, to compare with the issuer's. */
  readonly fileHash: string | null;
  readonly file: { readonly name: string; readonly size: number } | null;
  /** Trusted lists given to the element that were not used (refused when checked). */
  readonly listRefusals?: readonly ListRefusal[];
}

/** The verdict in words, colour and a symbol, and the details one click away. */
export function renderVerdict(lang: Lang, found: Finding): TemplateResult {
  const { verdict, status: s, report } = found;
  const symbol = verdict === 'valid' ? '✓' : verdict === 'invalid' ? '✗' : '?';
  const said = fileHeadline(found);
  // The certificate's name, in the reader's script (as the agency's name is everywhere else).
  const signer = said?.signer === undefined ? undefined : inReaderScript(lang, said.signer);
  const why = said && said.code !== 'valid' && said.code !== 'failed' && said.code !== 'indeterminate' ? null : verdictReason(lang, found);
  return html`<div part="verdict" class="verdict verdict--${verdict}" tabindex="-1" role="region" aria-labelledby="verdict-title">
      <p class="verdict-symbol" aria-hidden="true">${symbol}</p>
      <div>
        <h3 id="verdict-title">${said ? msg(lang, `verify.headline.${said.code}`, { signer: signer ?? msg(lang, 'verify.unknownSigner') }) : msg(lang, `verify.verdict.${verdict}`)}</h3>
        ${said
          ? html`<p class="verdict-label"><strong>${msg(lang, `verify.verdict.${verdict}`)}</strong>${signer
                ? html` · ${msg(lang, 'verify.sealedBy', { signer })}`
                : nothing}</p>`
          : nothing}
        ${why ? html`<p>${why}</p>` : nothing}
      </div>
    </div>
    <details part="details" class="details">
      <summary>${msg(lang, 'verify.showDetails')}</summary>
      <dl class="facts">
        ${s
          ? html`<div><dt>${msg(lang, 'verify.document')}</dt><dd>${localize(s.title, lang)}</dd></div>
              <div><dt>${msg(lang, 'verify.issuer')}</dt><dd>${s.issuer.name}</dd></div>
              <div><dt>${msg(lang, 'verify.issued')}</dt><dd>${formatDate(lang, s.issuedAt.slice(0, 10))}</dd></div>
              ${s.validUntil ? html`<div><dt>${msg(lang, 'verify.validUntil')}</dt><dd>${formatDate(lang, s.validUntil.slice(0, 10))}</dd></div>` : nothing}
              <div><dt>${msg(lang, 'verify.code')}</dt><dd><code>${s.verificationCode}</code></dd></div>
              <div><dt>${msg(lang, 'verify.issuerStatus')}</dt><dd>${msg(lang, `documentStatus.${s.status}`)}</dd></div>`
          : renderIssuedInfo(lang, report)}
        ${found.file && report
          ? html`<div><dt>${msg(lang, 'verify.file')}</dt><dd>${found.file.name} (${formatBytes(lang, found.file.size)})</dd></div>`
          : nothing}
      </dl>
      ${report ? renderSignatures(lang, report) : nothing} ${renderListRefusals(lang, found.listRefusals ?? [])}
    </details>`;
}

/** Offline: what the sealed file itself says it is (trustworthy only as far as its seal is). */
function renderIssuedInfo(lang: Lang, report: VerificationReport | null): TemplateResult | typeof nothing {
  const info = report?.indication === 'TOTAL_PASSED' ? report.document?.issued : undefined;
  if (!info) return nothing;
  return html`${info.title ? html`<div><dt>${msg(lang, 'verify.document')}</dt><dd>${localize(info.title, lang)}</dd></div>` : nothing}
    ${info.agencyName ? html`<div><dt>${msg(lang, 'verify.issuer')}</dt><dd>${info.agencyName}</dd></div>` : nothing}
    ${info.issuedAt ? html`<div><dt>${msg(lang, 'verify.issued')}</dt><dd>${formatDate(lang, info.issuedAt.slice(0, 10))}</dd></div>` : nothing}
    ${info.validUntil ? html`<div><dt>${msg(lang, 'verify.validUntil')}</dt><dd>${formatDate(lang, info.validUntil.slice(0, 10))}</dd></div>` : nothing}
    ${info.verificationCode ? html`<div><dt>${msg(lang, 'verify.code')}</dt><dd><code>${info.verificationCode}</code></dd></div>` : nothing}`;
}

/**
 * What the file's own report says, reason first (core's reportHeadline), when the file decides
 * the verdict; null when the issuer's word does (revoked, replaced, another file) or no file
 * was checked.
 */
function fileHeadline(found: Finding): ReportHeadline | null {
  const { status: s, report } = found;
  if (!report || (s && s.status !== 'valid') || (s && found.fileHash && s.sha256 !== found.fileHash)) return null;
  return reportHeadline(report);
}

function verdictReason(lang: Lang, found: Finding): string {
  const { verdict, status: s, report } = found;
  if (s?.status === 'revoked') return msg(lang, 'verify.why.revoked', { date: formatDate(lang, (s.revokedAt ?? s.issuedAt).slice(0, 10)), reason: s.revocationReason ?? '' });
  if (s?.status === 'superseded') return msg(lang, 'verify.why.superseded', { code: s.supersededBy ?? '' });
  if (s && found.fileHash && s.sha256 !== found.fileHash) return msg(lang, 'verify.why.otherFile');
  if (verdict === 'valid') return msg(lang, report ? (s ? 'verify.why.validBoth' : 'verify.why.validFile') : 'verify.why.validCode');
  const reason = report?.reasons?.[0] ?? report?.signatures.find((e) => e.indication !== 'TOTAL_PASSED')?.reasons[0];
  return reason ? reasonText(lang, reason) : msg(lang, verdict === 'invalid' ? 'verify.why.invalid' : 'verify.why.unconfirmed');
}

function renderSignatures(lang: Lang, report: VerificationReport): TemplateResult {
  return html`<h4>${msg(lang, 'verify.signatures', { count: report.signatures.length })}</h4>
    <ul class="signatures">
      ${report.signatures.map((e) => {
        const who = e.kind === 'seal' ? (e.certificate ? commonNameOf(e.certificate.subject) : msg(lang, 'verify.unknownSigner')) : (e.signer?.displayName ?? msg(lang, 'verify.unknownSigner'));
        const word = e.indication === 'TOTAL_PASSED' ? 'valid' : e.indication === 'TOTAL_FAILED' ? 'invalid' : 'unconfirmed';
        return html`<li class="signature signature--${word}">
          <p>
            <span class="sig-symbol" aria-hidden="true">${word === 'valid' ? '✓' : word === 'invalid' ? '✗' : '?'}</span>
            <strong>${msg(lang, e.kind === 'seal' ? 'verify.seal' : 'verify.passkey')}</strong>: ${who}
            ${e.signedAt ? html` · <time datetime=${e.signedAt}>${formatDateTime(lang, e.signedAt)}</time>` : nothing}
          </p>
          <p class="sig-state">${msg(lang, `verify.entry.${word}`)}</p>
          ${e.reasons.length ? html`<ul class="reasons">${e.reasons.map((r) => html`<li>${reasonText(lang, r)}</li>`)}</ul>` : nothing}
          ${renderSealTime(lang, e)} ${renderQualification(lang, e)}
        </li>`;
      })}
    </ul>`;
}

/** A report reason in plain words, by its code (or a generic sentence). */
function reasonText(lang: Lang, reason: ReportReason): string {
  return msgOr(lang, `verify.reason.${reason.code}`, 'verify.reason.other');
}
