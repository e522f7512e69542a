import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state, query } from 'lit/decorators.js';
import type { ApplicationStatus, ApplicationSummary, ApplicationWithHistory, HistoryEntry } from '../core/api.ts';
import { localize, type LocalizedText } from '../core/forms/definition.ts';
import {
  clientFor,
  fetchDocumentPdf,
  getApplication,
  listForms,
  listMyApplications,
  OveraApiError,
  OveraError,
  type OveraClient,
  type Session,
} from '../client/index.ts';
import {
  formatDate,
  formatDateTime,
  msgOr,
  msg,
  msgParts,
  problemMessage,
  type Lang,
  type MessageKey,
  type MessageParams,
} from '../i18n/index.ts';
import { OveraElement } from '../shared/overa-element.ts';
import { errorSummary } from '../shared/error-summary.ts';
import { commonMessages } from '../i18n/en/common.ts';
import { myAppsMessages } from '../i18n/en/my-apps.ts';
import { applicationsMessages } from '../i18n/en/applications.ts';
import baseStyles from '../styles/base.styles.ts';
import styles from './my-applications.styles.ts';

/** Detail of `overa-application-selected`. */
export interface OveraApplicationSelectedDetail {
  /** The application's id (as in `GET applications/:id`). */
  id: string;
}

/** The `detail` of each event the element fires. */
export interface OveraMyApplicationsEventDetails {
  'overa-application-selected': OveraApplicationSelectedDetail;
}

/** What the element shows. */
export type OveraMyApplicationsState = 'signed-out' | 'loading' | 'error' | 'empty' | 'list';

/**
 * An application as `GET applications/:id` answers. `documentId` arrives with document
 * issuance (a later issue), so it is read defensively: it may be absent.
 */
type ApplicationDetail = ApplicationWithHistory & { documentId?: unknown };

interface ShownProblem {
  code: string;
  requestId?: string | undefined;
}

interface DetailState {
  id: string;
  app: ApplicationDetail | null;
  loading: boolean;
  problem: ShownProblem | null;
}

/** A timeline line: consecutive saves of the answers collapse into one (a form may save often). */
interface TimelineItem {
  entry: HistoryEntry;
  count: number;
}

interface Announcement {
  key: MessageKey;
  params?: MessageParams;
}

const STATUS_KEYS: Record<ApplicationStatus, MessageKey> = {
  draft: 'applicationStatus.draft',
  submitted: 'applicationStatus.submitted',
  in_review: 'applicationStatus.in_review',
  approved: 'applicationStatus.approved',
  issued: 'applicationStatus.issued',
  returned: 'applicationStatus.returned',
  rejected: 'applicationStatus.rejected',
};

const MAX_PAGE_SIZE = 100; // what GET applications accepts

/**
 * The signed-in citizen's applications: each with its form, reference number and status;
 * opening one shows what has happened to it. A returned application shows the official's
 * comment and offers to change and resubmit it (with `<overa-application-form>`, which the
 * page registers); an issued one offers its document. Shares the session of every Overa
 * element on the page that talks to the same `server` (sign in with `<overa-account>`).
 *
 * @summary The citizen's applications, their status and history.
 *
 * @fires overa-application-selected - An application was opened. `detail: { id }`.
 *
 * @csspart list - The list of applications (an `<ol>`).
 * @csspart row - One application in the list.
 * @csspart row-button - The button that opens and closes an application (its form title).
 * @csspart tag - A status tag (text on a tinted background).
 * @csspart detail - The opened application: status, comment, actions and history.
 * @csspart detail-heading - The heading of the opened application; focused when it opens.
 * @csspart timeline - The history, an `<ol>`, oldest first.
 * @csspart banner - The "Changes needed" notification with the official's comment.
 * @csspart resubmit-button - "Change and resubmit".
 * @csspart close-form-button - "Close without sending", under the application form.
 * @csspart download-button - "Download the document (PDF)".
 * @csspart show-more-button - "Show more applications".
 * @csspart empty - The "no applications yet" message.
 * @csspart signed-out - The "sign in" message.
 * @csspart error - The error box ("There is a problem").
 * @csspart retry-button - "Try again" in the error box.
 * @csspart success - "Your application has been sent again.", in the application after resubmitting.
 * @csspart status - The status line, a polite live region.
 *
 * @cssprop [--overa-color-primary=#1d70b8] - Primary button colour and the banner's colour.
 * @cssprop [--overa-color-danger=#d4351c] - Error colour.
 * @cssprop [--overa-color-focus=#ffdd00] - Focus ring colour.
 * @cssprop [--overa-color-text=#0b0c0c] - Text colour.
 * @cssprop [--overa-color-muted=#505a5f] - Secondary text (reference numbers, dates).
 * @cssprop [--overa-color-surface=#ffffff] - Background of the element.
 * @cssprop [--overa-color-link=#1d70b8] - Colour of the application buttons (they read as links).
 * @cssprop [--overa-font-family=inherit] - Font; by default the page's.
 * @cssprop [--overa-radius=4px] - Corner radius of the box and buttons.
 * @cssprop [--overa-space=1rem] - Base spacing unit.
 */
export class OveraMyApplications extends OveraElement<OveraMyApplicationsEventDetails> {
  static override styles = [baseStyles, styles];
  static override messages = [commonMessages, myAppsMessages, applicationsMessages];

  /** How many applications to load at a time (1–100); "Show more" loads the next ones. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 20;

  @state() private view: 'signed-out' | 'loading' | 'error' | 'ready' = 'signed-out';
  @state() private items: ApplicationSummary[] = [];
  @state() private nextCursor: string | null = null;
  @state() private problem: ShownProblem | null = null;
  @state() private moreBusy = false;
  @state() private moreProblem: ShownProblem | null = null;
  @state() private formTitles: ReadonlyMap<string, LocalizedText> | null = null;
  @state() private detail: DetailState | null = null;
  @state() private editing = false;
  /** Set after `<overa-application-form>` resubmitted the open application: a visible confirmation there. */
  @state() private resubmitted = false;
  @state() private downloadBusy = false;
  @state() private downloadProblem: ShownProblem | null = null;
  @state() private announcement: Announcement | null = null;

  @query('.error-summary') private errorBox?: HTMLElement;
  @query('.results') private resultsBox?: HTMLElement;
  @query('.detail-heading') private detailHeading?: HTMLElement;
  @query('.change-heading') private changeHeading?: HTMLElement;

  /** The session token the list on show belongs to (undefined: nothing loaded yet). */
  private loadedFor: string | null | undefined = undefined;
  private listAbort: AbortController | null = null;
  private moreAbort: AbortController | null = null;
  private detailAbort: AbortController | null = null;

  /** What the element is showing now. */
  get state(): OveraMyApplicationsState {
    if (this.view === 'ready') return this.items.length ? 'list' : 'empty';
    return this.view;
  }

  /** The applications loaded so far, newest first. */
  get applications(): readonly ApplicationSummary[] {
    return this.items;
  }

  /** The id of the open application, or null. */
  get openApplicationId(): string | null {
    return this.detail?.id ?? null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abortAll();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const attaching = !this.client || (changed.has('server') && this.client !== clientFor(this.server));
    super.willUpdate(changed);
    if (!attaching && changed.has('pageSize') && changed.get('pageSize') !== undefined && this.view !== 'signed-out') {
      void this.load('initial');
    }
  }

  /** Loads the list again from the start (and the open application, if any). */
  async refresh(): Promise<void> {
    await this.load('refresh');
  }

  private get limit(): number {
    const n = Math.trunc(Number(this.pageSize));
    return Number.isFinite(n) && n >= 1 ? Math.min(n, MAX_PAGE_SIZE) : 20;
  }

  protected override clientAttached(client: OveraClient): void {
    // Another server has other forms.
    this.formTitles = null;
    this.loadedFor = undefined;
    if (client.token) void this.load('initial');
    else this.showSignedOut();
  }

  /** Someone signed in or out (with <overa-account> or another element), or the session expired. */
  protected override sessionChanged(session: Session): void {
    // The same token with the user now known (a restore finishing) changes nothing here.
    if (session.token === this.loadedFor) return;
    if (session.token) {
      // Perhaps somebody else now: what was open was theirs.
      this.closeDetail();
      void this.load('initial');
    } else {
      this.showSignedOut();
    }
  }

  private showSignedOut(): void {
    this.abortAll();
    this.loadedFor = null;
    this.view = 'signed-out';
    this.items = [];
    this.nextCursor = null;
    this.problem = null;
    this.moreProblem = null;
    this.closeDetail();
    this.announcement = null;
  }

  private abortAll(): void {
    for (const controller of [this.listAbort, this.moreAbort, this.detailAbort]) controller?.abort();
    this.listAbort = this.moreAbort = this.detailAbort = null;
    this.moreBusy = false;
    this.downloadBusy = false;
  }

  /**
   * Loads the first page. `initial`: show "Loading…" in place of the list; `retry`: the same,
   * and focus follows the outcome (the person pressed "Try again"); `refresh` (the public
   * method): keep the list on show while it reloads, and reload the open application too.
   */
  private async load(mode: 'initial' | 'retry' | 'refresh'): Promise<void> {
    const client = this.client;
    if (!client) return;
    const token = client.token;
    if (!token) {
      this.showSignedOut();
      return;
    }
    this.loadedFor = token;
    this.listAbort?.abort();
    this.moreAbort?.abort();
    this.moreBusy = false;
    const abort = new AbortController();
    this.listAbort = abort;
    const hadFocus = this.hasFocusInside();
    if (mode !== 'refresh' || this.view !== 'ready') {
      this.view = 'loading';
      this.problem = null;
    }
    this.moreProblem = null;
    // Titles are a nicety: if the forms cannot be read, the list shows form ids, and the next load tries again.
    const titles = this.formTitles ? null : listForms(client, abort.signal).catch(() => null);
    try {
      // A refresh reloads as many as are on show (within what one request may ask for).
      const limit = mode === 'refresh' ? Math.min(MAX_PAGE_SIZE, Math.max(this.limit, this.items.length)) : this.limit;
      const page = await listMyApplications(client, { limit, signal: abort.signal });
      const forms = await titles;
      if (abort !== this.listAbort) return;
      if (forms) this.formTitles = new Map(forms.map((f) => [f.id, f.title]));
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.view = 'ready';
      this.listAbort = null;
      const open = this.detail?.id;
      if (open && !page.items.some((a) => a.id === open)) this.closeDetail();
      else if (open && mode === 'refresh') void this.loadDetail(open);
      if (mode === 'retry' && hadFocus) {
        await this.updateComplete;
        this.resultsBox?.focus();
      }
    } catch (err) {
      if (abort !== this.listAbort) return;
      this.listAbort = null;
      // A 401 has already ended the session (the client told onSession): nothing to report.
      if (!client.token) {
        this.showSignedOut();
        return;
      }
      this.problem = shownProblem(err, 'overa-my-applications');
      this.view = 'error';
      // Not the person's doing on first load: show why, but leave their focus alone.
      if (mode === 'retry' && hadFocus) {
        await this.updateComplete;
        this.errorBox?.focus();
      }
    }
  }

  private async showMore(): Promise<void> {
    const client = this.client;
    if (!client || this.moreBusy || !this.nextCursor) return;
    const abort = new AbortController();
    this.moreAbort = abort;
    this.moreBusy = true;
    this.moreProblem = null;
    this.announcement = { key: 'myApps.loadingMore' };
    const hadFocus = this.hasFocusInside();
    try {
      const page = await listMyApplications(client, { limit: this.limit, cursor: this.nextCursor, signal: abort.signal });
      if (abort !== this.moreAbort) return;
      const known = new Set(this.items.map((a) => a.id));
      const added = page.items.filter((a) => !known.has(a.id));
      this.items = [...this.items, ...added];
      this.nextCursor = page.nextCursor;
      this.announcement = { key: 'myApps.showing', params: { count: this.items.length } };
      // The "Show more" button may be gone: take the person to the first new application.
      if (hadFocus && added[0]) {
        await this.updateComplete;
        this.rowButton(added[0].id)?.focus();
      }
    } catch (err) {
      if (abort !== this.moreAbort) return;
      if (!client.token) {
        this.showSignedOut();
        return;
      }
      this.announcement = null;
      this.moreProblem = shownProblem(err, 'overa-my-applications');
    } finally {
      if (abort === this.moreAbort) {
        this.moreAbort = null;
        this.moreBusy = false;
      }
    }
  }

  /** Opens an application (closing the one that was open), or closes it if it is the open one. */
  private async toggle(summary: ApplicationSummary): Promise<void> {
    if (this.detail?.id === summary.id) {
      this.closeDetail();
      return;
    }
    this.closeDetail();
    this.detail = { id: summary.id, app: null, loading: true, problem: null };
    this.emit('overa-application-selected', { id: summary.id });
    await this.updateComplete;
    // The heading is there at once (it needs only the reference number), so focus lands
    // before the history arrives and stays put when it does.
    this.detailHeading?.focus();
    await this.loadDetail(summary.id);
  }

  private closeDetail(): void {
    this.detailAbort?.abort();
    this.detailAbort = null;
    this.detail = null;
    this.editing = false;
    this.resubmitted = false;
    this.downloadBusy = false;
    this.downloadProblem = null;
  }

  private async loadDetail(id: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.detailAbort?.abort();
    const abort = new AbortController();
    this.detailAbort = abort;
    const previous = this.detail?.id === id ? this.detail.app : null;
    this.detail = { id, app: previous, loading: true, problem: null };
    try {
      const app: ApplicationDetail = await getApplication(client, id, abort.signal);
      if (abort !== this.detailAbort) return;
      this.detailAbort = null;
      this.detail = { id, app, loading: false, problem: null };
      // The list may be older than what was just read: keep the row in step.
      this.items = this.items.map((a) =>
        a.id === id ? { ...a, status: app.status, updatedAt: app.updatedAt, submittedAt: app.submittedAt } : a,
      );
    } catch (err) {
      if (abort !== this.detailAbort) return;
      this.detailAbort = null;
      if (!client.token) {
        this.showSignedOut();
        return;
      }
      this.detail = { id, app: null, loading: false, problem: shownProblem(err, 'overa-my-applications') };
    }
  }

  private async startChange(): Promise<void> {
    this.editing = true;
    this.resubmitted = false;
    this.announcement = null;
    await this.updateComplete;
    this.changeHeading?.focus();
  }

  private async stopChange(): Promise<void> {
    this.editing = false;
    await this.updateComplete;
    this.detailHeading?.focus();
  }

  /**
   * `<overa-application-form>` resubmitted the application: show it as it is now. Reading it
   * again also brings its row up to date, and leaves the rest of the list (and the place
   * in it) as it was.
   */
  private async onSubmitted(): Promise<void> {
    const id = this.detail?.id;
    if (!id) return;
    this.editing = false;
    this.resubmitted = true;
    this.announcement = { key: 'myApps.resubmitted' };
    await this.updateComplete;
    this.detailHeading?.focus();
    await this.loadDetail(id);
  }

  private async download(app: ApplicationDetail, documentId: string): Promise<void> {
    const client = this.client;
    if (!client || this.downloadBusy) return;
    this.downloadBusy = true;
    this.downloadProblem = null;
    this.announcement = { key: 'myApps.downloading' };
    try {
      const blob = await fetchDocumentPdf(client, documentId);
      if (this.detail?.id !== app.id) return;
      saveBlob(this.renderRoot, blob, `${app.trackingNumber}.pdf`);
      this.announcement = { key: 'myApps.downloaded' };
    } catch (err) {
      if (this.detail?.id !== app.id) return;
      this.announcement = null;
      const problem = shownProblem(err, 'overa-my-applications');
      this.downloadProblem = problem.code === 'not-found' || problem.code === 'http-404' ? { ...problem, code: 'document-not-found' } : problem;
    } finally {
      this.downloadBusy = false;
    }
  }

  private rowButton(id: string): HTMLButtonElement | null {
    return this.renderRoot.querySelector<HTMLButtonElement>(`#${CSS.escape(rowId(id))}`);
  }

  private hasFocusInside(): boolean {
    return this.matches(':focus-within');
  }


  // ---- rendering ----

  protected override render(): TemplateResult {
    const lang = this.resolvedLang;
    const busy = this.view === 'loading' || this.moreBusy;
    // The confirmation of a resubmission is on show in the application: the live region only says it.
    const hidden = this.resubmitted && this.announcement?.key === 'myApps.resubmitted';
    const statusClass = `status${busy || this.downloadBusy ? ' status--busy' : ''}${hidden ? ' visually-hidden' : ''}`;
    return html`<div class="root" lang=${lang} aria-busy=${busy ? 'true' : 'false'}>
      ${this.renderBody(lang)}
      <p part="status" class=${statusClass} role="status">${this.statusText(lang)}</p>
    </div>`;
  }

  private statusText(lang: Lang): string {
    if (this.view === 'loading') return msg(lang, 'myApps.loading');
    return this.announcement ? msg(lang, this.announcement.key, this.announcement.params) : '';
  }

  private renderBody(lang: Lang): TemplateResult | typeof nothing {
    switch (this.view) {
      case 'signed-out':
        return html`<p part="signed-out" class="signed-out">${msg(lang, 'myApps.signedOut')}</p>`;
      case 'loading':
        return nothing;
      case 'error':
        return this.renderError(lang, this.problem ?? { code: 'unknown' }, () => this.load('retry'));
      case 'ready':
        return this.items.length === 0
          ? html`<div part="empty" class="results empty" tabindex="-1">
              <p class="empty-title">${msg(lang, 'myApps.empty')}</p>
              <p class="hint">${msg(lang, 'myApps.emptyHint')}</p>
            </div>`
          : this.renderList(lang);
    }
  }

  private renderError(lang: Lang, problem: ShownProblem, retry: () => void): TemplateResult {
    return errorSummary(lang, {
      title: msg(lang, 'error.title'),
      text: problemText(lang, problem),
      requestId: problem.requestId,
      retry: { label: msg(lang, 'myApps.retry'), onClick: retry, part: 'retry-button', className: 'secondary retry' },
    });
  }

  private renderList(lang: Lang): TemplateResult {
    return html`
      <ol part="list" class="results list" tabindex="-1" aria-label=${msg(lang, 'myApps.listLabel')}>
        ${this.items.map((a) => this.renderRow(lang, a))}
      </ol>
      ${this.moreProblem
        ? html`<p class="error-message more-error" role="alert">
            <span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${problemText(lang, this.moreProblem)}
          </p>`
        : nothing}
      ${this.nextCursor
        ? html`<div class="actions more">
            <button
              type="button"
              part="show-more-button"
              class="secondary"
              aria-disabled=${this.moreBusy ? 'true' : 'false'}
              @click=${() => this.showMore()}
            >
              ${msg(lang, 'myApps.showMore')}
            </button>
          </div>`
        : nothing}
    `;
  }

  private renderRow(lang: Lang, a: ApplicationSummary): TemplateResult {
    const open = this.detail?.id === a.id;
    const started = msg(lang, 'myApps.startedOn', { date: formatDate(lang, localDate(a.createdAt)) });
    const submitted = a.submittedAt ? msg(lang, 'myApps.submittedOn', { date: formatDate(lang, localDate(a.submittedAt)) }) : started;
    const since = localDate(a.submittedAt ?? a.createdAt);
    const updated = localDate(a.updatedAt) !== since ? msg(lang, 'myApps.updatedOn', { date: formatDate(lang, localDate(a.updatedAt)) }) : null;
    return html`<li part="row" class="row ${open ? 'row--open' : ''}">
      <div class="row-head">
        <h2 class="row-heading">
          <button
            type="button"
            part="row-button"
            class="row-button"
            id=${rowId(a.id)}
            aria-expanded=${open ? 'true' : 'false'}
            aria-controls=${open ? detailId(a.id) : nothing}
            @click=${() => this.toggle(a)}
          >
            <span class="row-title">${this.formTitle(lang, a.formId)}</span>
            <span class="visually-hidden">, ${a.trackingNumber}</span>
          </button>
        </h2>
        ${this.renderTag(lang, a.status)}
      </div>
      <p class="meta">
        <span class="reference-number">${withNumber(lang, 'myApps.reference', a.trackingNumber)}</span>
        <span>${submitted}</span>
        ${updated ? html`<span>${updated}</span>` : nothing}
      </p>
      ${open && this.detail ? this.renderDetail(lang, a, this.detail) : nothing}
    </li>`;
  }

  private renderTag(lang: Lang, status: ApplicationStatus): TemplateResult {
    const key = STATUS_KEYS[status] as MessageKey | undefined;
    // A status this version does not know yet still says something rather than nothing.
    const label = key ? msg(lang, key) : msg(lang, 'history.unknown');
    return html`<strong part="tag" class="tag tag--${status}">${label}</strong>`;
  }

  private formTitle(lang: Lang, formId: string): string {
    const title = this.formTitles?.get(formId);
    return title !== undefined ? localize(title, lang) : msg(lang, 'myApps.unknownForm', { form: formId });
  }

  private renderDetail(lang: Lang, summary: ApplicationSummary, detail: DetailState): TemplateResult {
    const app = detail.app;
    const headingId = `${detailId(summary.id)}-heading`;
    return html`<div part="detail" class="detail" id=${detailId(summary.id)} role="group" aria-labelledby=${headingId}>
      <h3 part="detail-heading" class="detail-heading" id=${headingId} tabindex="-1">
        ${withNumber(lang, 'myApps.detailHeading', summary.trackingNumber)}
      </h3>
      ${this.resubmitted
        ? html`<p part="success" class="success">${msg(lang, 'myApps.resubmitted')}</p>`
        : nothing}
      ${detail.problem ? this.renderError(lang, detail.problem, () => this.loadDetail(summary.id)) : nothing}
      ${!app && detail.loading ? html`<p class="status status--busy">${msg(lang, 'myApps.detailLoading')}</p>` : nothing}
      ${app ? this.renderApplication(lang, app) : nothing}
    </div>`;
  }

  private renderApplication(lang: Lang, app: ApplicationDetail): TemplateResult {
    const documentId = typeof app.documentId === 'string' && app.documentId !== '' ? app.documentId : null;
    return html`
      <p class="detail-status">${msg(lang, 'myApps.statusLabel')} ${this.renderTag(lang, app.status)}</p>
      ${app.status === 'returned' ? this.renderReturned(lang, app) : nothing}
      ${app.status === 'issued' && documentId ? this.renderIssued(lang, app, documentId) : nothing}
      ${this.editing && app.status === 'returned' ? nothing : this.renderHistory(lang, app)}
    `;
  }

  private renderReturned(lang: Lang, app: ApplicationDetail): TemplateResult {
    // While the form is open it shows the comment itself (it also works on its own page): not twice.
    if (this.editing) return this.renderChange(lang, app);
    const titleId = `${detailId(app.id)}-banner`;
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
            <button type="button" part="resubmit-button" class="primary" @click=${() => this.startChange()}>
              ${msg(lang, 'myApps.resubmit')}
            </button>
          </div>
        </div>
      </div>
    `;
  }

  /** The application form for this application, prefilled by the form itself from `application-id`. */
  private renderChange(lang: Lang, app: ApplicationDetail): TemplateResult {
    return html`<div class="change" @overa-submitted=${() => this.onSubmitted()}>
      <h4 class="change-heading" tabindex="-1">${msg(lang, 'myApps.changeHeading')}</h4>
      <overa-application-form server=${this.server} lang=${lang} form-id=${app.formId} application-id=${app.id}></overa-application-form>
      <div class="actions">
        <button type="button" class="secondary" part="close-form-button" @click=${() => this.stopChange()}>
          ${msg(lang, 'myApps.closeForm')}
        </button>
      </div>
    </div>`;
  }

  private renderIssued(lang: Lang, app: ApplicationDetail, documentId: string): TemplateResult {
    return html`<div class="issued">
      <p>${msg(lang, 'myApps.issuedIntro')}</p>
      ${this.downloadProblem
        ? html`<p class="error-message" role="alert">
            <span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${problemText(lang, this.downloadProblem)}
          </p>`
        : nothing}
      <div class="actions">
        <button
          type="button"
          part="download-button"
          class="primary"
          aria-disabled=${this.downloadBusy ? 'true' : 'false'}
          @click=${() => this.download(app, documentId)}
        >
          ${msg(lang, 'myApps.download', { format: 'PDF' })}
        </button>
      </div>
    </div>`;
  }

  private renderHistory(lang: Lang, app: ApplicationDetail): TemplateResult | typeof nothing {
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
}

// ---- helpers (no state) ----

const rowId = (id: string) => `application-${id}`;
const detailId = (id: string) => `application-${id}-detail`;

/** A message with a reference number in it, the number kept on one line (it is read out on the phone). */
function withNumber(lang: Lang, key: MessageKey, number: string): TemplateResult {
  const pieces = msgParts(lang, key, { number });
  return html`${pieces.map((p) => (typeof p === 'string' ? p : html`<span class="number">${p.value}</span>`))}`;
}

function shownProblem(err: unknown, who: string): ShownProblem {
  if (err instanceof OveraApiError) return { code: err.code, requestId: err.requestId };
  if (err instanceof OveraError) return { code: err.code };
  console.error(`${who}:`, err);
  return { code: 'unknown' };
}

function problemText(lang: Lang, problem: ShownProblem): string {
  if (problem.code === 'application-not-found') return msg(lang, 'myApps.notFound');
  if (problem.code === 'document-not-found') return msg(lang, 'myApps.documentNotFound');
  return problemMessage(lang, problem.code);
}

/** The local calendar date of an instant, as `YYYY-MM-DD` (what formatDate takes). */
function localDate(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
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

/** Saves a Blob as a file: an object URL and a temporary `<a download>` (kept in our shadow root, away from the page). */
function saveBlob(root: HTMLElement | DocumentFragment, blob: Blob, filename: string): void {
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
