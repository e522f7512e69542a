/**
 * The opened application in `<overa-my-applications>`, a chunk of its own: its status, the
 * "changes needed" banner with the form to change and resubmit it, the issued document to
 * download, and what has happened to it. The element loads it when an application is opened
 * (and on idle after its first render); the list does not need it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ApplicationStatus, HistoryEntry } from '../core/api.ts';
import { formatDateTime, msg, msgOr, problemMessage, type Lang } from '../i18n/index.ts';
import { myAppsDetailMessages } from '../i18n/en/my-apps-detail.ts';
import { historyMessages } from '../i18n/en/history.ts';
import type { ShownProblem } from '../shared/problem.ts';
import type { ApplicationDetail, Open } from './my-applications.ts';
import { paymentMessages } from '../i18n/en/payment.ts';
import { paymentStyles, renderPayment } from '../shared/payment-details.ts';
import detailStyles from './application-detail.styles.ts';

export const styles = [detailStyles, paymentStyles];
export { fetchDocumentPdf } from '../client/documents.ts';
export const messages = [myAppsDetailMessages, historyMessages, paymentMessages];

/** What the detail needs from the element: where it is, and what to do when a button is pressed. */
export interface DetailContext {
  readonly lang: Lang;
  readonly server: string;
  readonly open: Open;
  readonly detailId: string;
  /** Change it in the form (`changing`), close the form (`reading`), or the form sent it again (`resubmitted`). */
  onMode(mode: Open['mode']): void;
  onDownload(documentId: string): void;
  /** Renders the element again (a later chunk, the QR code's, has arrived). */
  redraw(): void;
  /**
   * The status as the list draws it (the element's statusTag): passed in rather than imported,
   * because this chunk importing the element's module made esbuild take the whole element out of
   * the main chunk of the bundle with every element into one shared with this chunk (bench/bundle-size.ts).
   */
  statusTag(status: ApplicationStatus): TemplateResult;
}

/** A timeline line: consecutive saves of the answers collapse into one (a form may save often). */
interface TimelineItem {
  entry: HistoryEntry;
  count: number;
}

/** The application as it is now: status, then what is asked of the person, then its history. */
export function renderApplication(ctx: DetailContext, app: ApplicationDetail): TemplateResult {
  const { lang } = ctx;
  const documentId = typeof app.documentId === 'string' && app.documentId !== '' ? app.documentId : null;
  const changing = ctx.open.mode === 'changing' && app.status === 'returned';
  return html`
    <p class="detail-status">${msg(lang, 'myApps.statusLabel')} ${ctx.statusTag(app.status)}</p>
    ${app.status === 'returned' ? (changing ? renderChange(ctx, app) : renderReturned(ctx, app)) : nothing}
    ${app.status === 'issued' && documentId ? renderIssued(ctx, documentId) : nothing}
    ${app.fee && !changing ? renderPayment(lang, app.fee, app.trackingNumber, () => ctx.redraw(), 4) : nothing}
    ${changing ? nothing : renderHistory(lang, app)}
  `;
}

function renderReturned(ctx: DetailContext, app: ApplicationDetail): TemplateResult {
  const { lang } = ctx;
  // While the form is open it shows the comment itself (it also works on its own page): not twice.
  const titleId = `${ctx.detailId}-banner`;
  const comment = app.returnComment ?? lastComment(app.history, 'application.returned');
  return html`
    <div part="banner" class="banner" role="region" aria-labelledby=${titleId}>
      <div class="banner-header">
        <h4 class="banner-title" id=${titleId}>${msg(lang, 'myApps.returnedTitle')}</h4>
      </div>
      <div class="banner-content">
        <p>${msg(lang, 'myApps.returnedIntro')}</p>
        ${comment ? html`<blockquote class="comment">${comment}</blockquote>` : nothing}
        <div class="actions">
          <button type="button" part="resubmit-button" class="primary" @click=${() => ctx.onMode('changing')}>
            ${msg(lang, 'myApps.resubmit')}
          </button>
        </div>
      </div>
    </div>
  `;
}

/** The application form for this application, prefilled by the form itself from `application-id`. */
function renderChange(ctx: DetailContext, app: ApplicationDetail): TemplateResult {
  const { lang } = ctx;
  return html`<div class="change" @overa-submitted=${() => ctx.onMode('resubmitted')}>
    <h4 class="change-heading" tabindex="-1">${msg(lang, 'myApps.changeHeading')}</h4>
    <overa-application-form server=${ctx.server} lang=${lang} form-id=${app.formId} application-id=${app.id}></overa-application-form>
    <div class="actions">
      <button type="button" class="secondary" part="close-form-button" @click=${() => ctx.onMode('reading')}>
        ${msg(lang, 'myApps.closeForm')}
      </button>
    </div>
  </div>`;
}

function renderIssued(ctx: DetailContext, documentId: string): TemplateResult {
  const { lang, open } = ctx;
  const download = open.download;
  return html`<div class="issued">
    <p>${msg(lang, 'myApps.issuedIntro')}</p>
    ${download.state === 'failed'
      ? html`<p class="error-message" role="alert">
          <span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${downloadProblemText(lang, download.problem)}
        </p>`
      : nothing}
    <div class="actions">
      <button
        type="button"
        part="download-button"
        class="primary"
        aria-disabled=${download.state === 'busy' ? 'true' : 'false'}
        @click=${() => ctx.onDownload(documentId)}
      >
        ${msg(lang, 'myApps.download', { format: 'PDF' })}
      </button>
    </div>
  </div>`;
}

function downloadProblemText(lang: Lang, problem: ShownProblem): string {
  // The server has no document (yet) for it: say that, not "not found".
  if (problem.code === 'document-not-found' || problem.code === 'not-found' || problem.code === 'http-404') return msg(lang, 'myApps.documentNotFound');
  if (problem.code === 'application-not-found') return msg(lang, 'myApps.notFound');
  return problemMessage(lang, problem.code);
}

function renderHistory(lang: Lang, app: ApplicationDetail): TemplateResult | typeof nothing {
  const items = timeline(app.history);
  if (items.length === 0) return nothing;
  // While the application is returned, the banner above quotes the latest comment: not twice.
  const quoted = app.status === 'returned' ? items.map((i) => i.entry.action).lastIndexOf('application.returned') : -1;
  return html`<h4 class="history-heading">${msg(lang, 'myApps.historyHeading')}</h4>
    <ol part="timeline" class="timeline">
      ${items.map(({ entry, count }, index) => {
        const said = typeof entry.data.comment === 'string' && entry.data.comment !== '' ? entry.data.comment : null;
        const comment = index === quoted ? null : said;
        return html`<li class="event event--${entry.action.replace(/[^a-z0-9]+/gi, '-')}">
          <p class="event-title">${historyText(lang, entry.action, count)}</p>
          <p class="event-time"><time datetime=${entry.at}>${formatDateTime(lang, entry.at)}</time></p>
          ${comment ? html`<blockquote class="comment">${comment}</blockquote>` : nothing}
        </li>`;
      })}
    </ol>`;
}

function historyText(lang: Lang, action: string, count: number): string {
  if (action === 'application.updated' && count > 1) return msg(lang, 'history.application.updatedTimes', { count });
  return msgOr(lang, `history.${action}`, 'history.unknown');
}

/** The history, oldest first, with each run of saved answers as one line (the latest time). */
function timeline(history: readonly HistoryEntry[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  const sorted = [...history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const entry of sorted) {
    const last = items[items.length - 1];
    if (last && entry.action === 'application.updated' && last.entry.action === 'application.updated') {
      items[items.length - 1] = { entry, count: last.count + 1 };
    } else {
      items.push({ entry, count: 1 });
    }
  }
  return items;
}

function lastComment(history: readonly HistoryEntry[], action: string): string | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i]!;
    if (entry.action === action) return typeof entry.data.comment === 'string' ? entry.data.comment : null;
  }
  return null;
}

/** Saves a Blob as a file: an object URL and a temporary `<a download>` (kept in the element's shadow root, away from the page). */
export function saveBlob(root: HTMLElement | DocumentFragment, blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  root.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
