import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ApplicationStatus, ApplicationSummary, ApplicationWithHistory, Page } from '../core/api.ts';
import type { LocalizedText } from '../core/forms/definition.ts';
import { clientFor, type OveraClient, type Session } from '../client/client.ts';
import { getApplication, listForms, listMyApplications } from '../client/applications.ts';
import { formatDate, msg, msgParts, problemMessage, type Lang, type MessageKey, type MessageParams } from '../i18n/index.ts';
import { OveraElement } from '../shared/overa-element.ts';
import { errorSummary } from '../shared/error-summary.ts';
import { LoadStateController } from '../shared/load-state.ts';
import { LazyView, lazyModule } from '../shared/lazy-view.ts';
import { toProblem, type ShownProblem } from '../shared/problem.ts';
import { commonMessages } from '../i18n/en/common.ts';
import { myAppsMessages } from '../i18n/en/my-apps.ts';
import { applicationsMessages } from '../i18n/en/applications.ts';
import baseStyles from '../styles/base.styles.ts';
import tagStyles from '../styles/tags.styles.ts';
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
export type ApplicationDetail = ApplicationWithHistory & { documentId?: unknown };

/** The list on show: the applications loaded so far, and where the next page starts. */
type List = Page<ApplicationSummary>;

/** "Show more": nothing asked, on its way, or failed (said under the list). */
type More = { readonly state: 'idle' } | { readonly state: 'loading' } | { readonly state: 'failed'; readonly problem: ShownProblem };

/**
 * The open application: which one, what the person is doing with it (reading it, changing it
 * in the form, or just resubmitted it: a confirmation shows), and its document download.
 */
export interface Open {
  readonly id: string;
  readonly mode: 'reading' | 'changing' | 'resubmitted';
  readonly download: { readonly state: 'idle' } | { readonly state: 'busy' } | { readonly state: 'failed'; readonly problem: ShownProblem };
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

/** Reads form titles: loaded with the list of forms (shared/form-titles.ts), which the list waits for. */
const formTitles = lazyModule(() => import('../shared/form-titles.ts'));

const MAX_PAGE_SIZE = 100; // what GET applications accepts
const WHO = 'overa-my-applications';
const IDLE = { state: 'idle' } as const;

/** The opened application's view (status, banner, document, history): a chunk loaded when one is opened. */
const detailModule = lazyModule(() => import('./application-detail.ts'));

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
 * @csspart payment - The fee's payment details and IPS QR code (forms with a fee).
 * @csspart payment-status - The fee's status tag ("Awaiting payment", "Paid").
 * @csspart payment-qr - The NBS IPS QR code (an `<svg>`) that banking apps scan.
 * @csspart copy-button - "Copy" beside the account and the payment reference (poziv na broj).
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
  static override styles = [baseStyles, tagStyles, styles];
  static override messages = [commonMessages, myAppsMessages, applicationsMessages];

  /** How many applications to load at a time (1–100); "Show more" loads the next ones. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 20;

  /** The list: signed out, loading, failed, or the applications on show. */
  private readonly list = new LoadStateController<List>(this, { who: WHO, initial: { state: 'signed-out' }, failed: () => this.signedOutUnlessToken() });
  /** The open application's own load, while one is open. */
  private readonly detail = new LoadStateController<ApplicationDetail>(this, { who: WHO, failed: () => this.signedOutUnlessToken() });
  private readonly detailView = new LazyView(this, detailModule);

  @state() private more: More = IDLE;
  @state() private open: Open | null = null;
  @state() private formTitles: ReadonlyMap<string, LocalizedText> | null = null;
  @state() private announcement: Announcement | null = null;

  /** The session token the list on show belongs to (undefined: nothing loaded yet). */
  private loadedFor: string | null | undefined = undefined;
  private moreAbort: AbortController | null = null;

  /** What the element is showing now. */
  get state(): OveraMyApplicationsState {
    const list = this.list.now;
    if (list.state === 'ready') return list.value.items.length ? 'list' : 'empty';
    return list.state;
  }

  /** The applications loaded so far, newest first. */
  get applications(): readonly ApplicationSummary[] {
    return this.list.value?.items ?? [];
  }

  /** The id of the open application, or null. */
  get openApplicationId(): string | null {
    return this.open?.id ?? null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abortAll();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const attaching = !this.client || (changed.has('server') && this.client !== clientFor(this.server));
    super.willUpdate(changed);
    if (!attaching && changed.has('pageSize') && changed.get('pageSize') !== undefined && this.list.state !== 'signed-out') {
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

  /** A failed request after which no one is signed in: a 401 ended the session (sessionChanged clears the rest), nothing to report. */
  private signedOutUnlessToken(): { state: 'signed-out' } | undefined {
    return this.client?.token ? undefined : { state: 'signed-out' };
  }

  private showSignedOut(): void {
    this.abortAll();
    this.loadedFor = null;
    this.list.set({ state: 'signed-out' });
    this.closeDetail();
    this.announcement = null;
  }

  private abortAll(): void {
    this.list.cancel();
    this.detail.cancel();
    this.cancelMore();
    if (this.open?.download.state === 'busy') this.open = { ...this.open, download: IDLE };
  }

  private cancelMore(): void {
    this.moreAbort?.abort();
    this.moreAbort = null;
    this.more = IDLE;
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
    this.cancelMore();
    const hadFocus = this.hasFocusInside();
    // A refresh reloads as many as are on show (within what one request may ask for).
    const shown = this.applications.length;
    const limit = mode === 'refresh' ? Math.min(MAX_PAGE_SIZE, Math.max(this.limit, shown)) : this.limit;
    const applied = await this.list.load(
      async (signal) => {
        // Titles are a nicety: if the forms cannot be read, the list shows form ids, and the next load tries again.
        const titles = this.formTitles ? null : Promise.all([listForms(client, signal), formTitles.load()]).then(([forms]) => forms, () => null);
        const page = await listMyApplications(client, { limit, signal });
        const forms = await titles;
        if (forms && !signal.aborted) this.formTitles = new Map(forms.map((f) => [f.id, f.title]));
        return page;
      },
      { keep: mode === 'refresh' },
    );
    if (!applied) return;
    const list = this.list.now;
    if (list.state === 'ready') {
      const open = this.open?.id;
      if (open && !list.value.items.some((a) => a.id === open)) this.closeDetail();
      else if (open && mode === 'refresh') void this.loadDetail(open);
    }
    // The person pressed "Try again": focus follows the outcome. On a first load it is not
    // their doing: the outcome shows, but their focus is left alone.
    if (mode === 'retry' && hadFocus && (list.state === 'ready' || list.state === 'error')) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(list.state === 'ready' ? '.results' : '.error-summary')?.focus();
    }
  }

  private async showMore(): Promise<void> {
    const client = this.client;
    const list = this.list.value;
    if (!client || this.more.state === 'loading' || !list?.nextCursor) return;
    const abort = new AbortController();
    this.moreAbort = abort;
    this.more = { state: 'loading' };
    this.announcement = { key: 'myApps.loadingMore' };
    const hadFocus = this.hasFocusInside();
    try {
      const page = await listMyApplications(client, { limit: this.limit, cursor: list.nextCursor, signal: abort.signal });
      if (abort !== this.moreAbort) return;
      this.moreAbort = null;
      this.more = IDLE;
      const known = new Set(list.items.map((a) => a.id));
      const added = page.items.filter((a) => !known.has(a.id));
      this.list.update((l) => ({ items: [...l.items, ...added], nextCursor: page.nextCursor }));
      this.announcement = { key: 'myApps.showing', params: { count: this.applications.length } };
      // The "Show more" button may be gone: take the person to the first new application.
      if (hadFocus && added[0]) {
        await this.updateComplete;
        this.rowButton(added[0].id)?.focus();
      }
    } catch (err) {
      if (abort !== this.moreAbort) return;
      this.moreAbort = null;
      if (!client.token) {
        this.showSignedOut();
        return;
      }
      this.announcement = null;
      this.more = { state: 'failed', problem: toProblem(err, WHO) };
    }
  }

  /** Opens an application (closing the one that was open), or closes it if it is the open one. */
  private async toggle(summary: ApplicationSummary): Promise<void> {
    if (this.open?.id === summary.id) {
      this.closeDetail();
      return;
    }
    this.closeDetail();
    this.open = { id: summary.id, mode: 'reading', download: IDLE };
    this.detail.set({ state: 'loading' });
    this.emit('overa-application-selected', { id: summary.id });
    await this.updateComplete;
    // The heading is there at once (it needs only the reference number), so focus lands
    // before the history arrives and stays put when it does.
    this.renderRoot.querySelector<HTMLElement>('.detail-heading')?.focus();
    await this.loadDetail(summary.id);
  }

  private closeDetail(): void {
    this.detail.set({ state: 'loading' });
    this.open = null;
  }

  /** Reads the open application (keeping it on show if it is), and its view's chunk alongside. */
  private async loadDetail(id: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    const applied = await this.detail.load(
      async (signal) => {
        const [app] = await Promise.all([getApplication(client, id, signal), this.detailView.load()]);
        return app;
      },
      { keep: true },
    );
    const app = this.detail.value;
    if (!applied || !app || this.open?.id !== id) return;
    // The list may be older than what was just read: keep the row in step.
    this.list.update((l) => ({
      ...l,
      items: l.items.map((a) => (a.id === id ? { ...a, status: app.status, updatedAt: app.updatedAt, submittedAt: app.submittedAt } : a)),
    }));
  }

  /**
   * The person changes what they do with the open application: change it in the form, close
   * the form, or the form sent it again — then it is shown as it is now (reading it again also
   * brings its row up to date, and leaves the rest of the list, and the place in it, as it was).
   */
  private async setMode(mode: Open['mode']): Promise<void> {
    const open = this.open;
    if (!open) return;
    this.open = { ...open, mode };
    if (mode !== 'reading') this.announcement = mode === 'resubmitted' ? { key: 'myApps.resubmitted' } : null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(mode === 'changing' ? '.change-heading' : '.detail-heading')?.focus();
    if (mode === 'resubmitted') await this.loadDetail(open.id);
  }

  private async download(documentId: string): Promise<void> {
    const client = this.client;
    const app = this.detail.value;
    const open = this.open;
    if (!client || !app || !open || open.download.state === 'busy') return;
    this.open = { ...open, download: { state: 'busy' } };
    this.announcement = { key: 'myApps.downloading' };
    const stillOpen = () => this.open?.id === app.id;
    try {
      // The button is in the opened application's chunk: its download code came with it.
      const view = await this.detailView.load();
      const blob = await view.fetchDocumentPdf(client, documentId);
      if (!stillOpen()) return;
      view.saveBlob(this.renderRoot, blob, `${app.trackingNumber}.pdf`);
      this.open = { ...this.open!, download: IDLE };
      this.announcement = { key: 'myApps.downloaded' };
    } catch (err) {
      if (!stillOpen()) return;
      this.announcement = null;
      this.open = { ...this.open!, download: { state: 'failed', problem: toProblem(err, WHO) } };
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
    const loading = this.list.state === 'loading';
    const busy = loading || this.more.state === 'loading';
    // The confirmation of a resubmission is on show in the application: the live region only says it.
    const hidden = this.open?.mode === 'resubmitted' && this.announcement?.key === 'myApps.resubmitted';
    const statusClass = `status${busy || this.open?.download.state === 'busy' ? ' status--busy' : ''}${hidden ? ' visually-hidden' : ''}`;
    return html`<div class="root" lang=${lang} aria-busy=${busy ? 'true' : 'false'}>
      ${this.renderBody(lang)}
      <p part="status" class=${statusClass} role="status">${this.statusText(lang)}</p>
    </div>`;
  }

  private statusText(lang: Lang): string {
    if (this.list.state === 'loading') return msg(lang, 'myApps.loading');
    return this.announcement ? msg(lang, this.announcement.key, this.announcement.params) : '';
  }

  private renderBody(lang: Lang): TemplateResult | typeof nothing {
    const list = this.list.now;
    switch (list.state) {
      case 'signed-out':
        return html`<p part="signed-out" class="signed-out">${msg(lang, 'myApps.signedOut')}</p>`;
      case 'loading':
        return nothing;
      case 'error':
        return this.renderError(lang, list.problem, () => this.load('retry'));
      case 'ready':
        return list.value.items.length === 0
          ? html`<div part="empty" class="results empty" tabindex="-1">
              <p class="empty-title">${msg(lang, 'myApps.empty')}</p>
              <p class="hint">${msg(lang, 'myApps.emptyHint')}</p>
            </div>`
          : this.renderList(lang, list.value);
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

  private renderList(lang: Lang, list: List): TemplateResult {
    const more = this.more;
    return html`
      <ol part="list" class="results list" tabindex="-1" aria-label=${msg(lang, 'myApps.listLabel')}>
        ${list.items.map((a) => this.renderRow(lang, a))}
      </ol>
      ${more.state === 'failed'
        ? html`<p class="error-message more-error" role="alert">
            <span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${problemText(lang, more.problem)}
          </p>`
        : nothing}
      ${list.nextCursor
        ? html`<div class="actions more">
            <button
              type="button"
              part="show-more-button"
              class="secondary"
              aria-disabled=${more.state === 'loading' ? 'true' : 'false'}
              @click=${() => this.showMore()}
            >
              ${msg(lang, 'myApps.showMore')}
            </button>
          </div>`
        : nothing}
    `;
  }

  private renderRow(lang: Lang, a: ApplicationSummary): TemplateResult {
    const open = this.open?.id === a.id ? this.open : null;
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
        ${statusTag(lang, a.status)}
      </div>
      <p class="meta">
        <span class="reference-number">${withNumber(lang, 'myApps.reference', a.trackingNumber)}</span>
        <span>${submitted}</span>
        ${updated ? html`<span>${updated}</span>` : nothing}
      </p>
      ${open ? this.renderDetail(lang, a, open) : nothing}
    </li>`;
  }

  private formTitle(lang: Lang, formId: string): string {
    const title = this.formTitles?.get(formId);
    const localize = formTitles.value?.localize;
    return title !== undefined && localize ? localize(title, lang) : msg(lang, 'myApps.unknownForm', { form: formId });
  }

  /** The open application's frame: its heading at once, then its load state, then (a chunk of its own) the application. */
  private renderDetail(lang: Lang, summary: ApplicationSummary, open: Open): TemplateResult {
    const detail = this.detail.now;
    const headingId = `${detailId(summary.id)}-heading`;
    return html`<div part="detail" class="detail" id=${detailId(summary.id)} role="group" aria-labelledby=${headingId}>
      <h3 part="detail-heading" class="detail-heading" id=${headingId} tabindex="-1">
        ${withNumber(lang, 'myApps.detailHeading', summary.trackingNumber)}
      </h3>
      ${open.mode === 'resubmitted' ? html`<p part="success" class="success">${msg(lang, 'myApps.resubmitted')}</p>` : nothing}
      ${detail.state === 'error' ? this.renderError(lang, detail.problem, () => this.loadDetail(summary.id)) : nothing}
      ${detail.state === 'loading' ? html`<p class="status status--busy">${msg(lang, 'myApps.detailLoading')}</p>` : nothing}
      ${detail.state === 'ready'
        ? this.detailView.render(lang, (view) =>
            view.renderApplication(
              {
                lang,
                server: this.server,
                open,
                detailId: detailId(summary.id),
                onMode: (mode) => void this.setMode(mode),
                onDownload: (documentId) => void this.download(documentId),
                redraw: () => this.requestUpdate(),
                statusTag: (status) => statusTag(lang, status),
              },
              detail.value,
            ),
          )
        : nothing}
    </div>`;
  }
}

// ---- helpers (no state) ----

/** An application's status as a tag: words on a tint (the list and the opened application draw it the same way). */
export function statusTag(lang: Lang, status: ApplicationStatus): TemplateResult {
  const key = STATUS_KEYS[status] as MessageKey | undefined;
  // A status this version does not know yet still says something rather than nothing.
  const label = key ? msg(lang, key) : msg(lang, 'history.unknown');
  return html`<strong part="tag" class="tag tag--${status}">${label}</strong>`;
}

const rowId = (id: string) => `application-${id}`;
const detailId = (id: string) => `application-${id}-detail`;

/** A message with a reference number in it, the number kept on one line (it is read out on the phone). */
function withNumber(lang: Lang, key: MessageKey, number: string): TemplateResult {
  const pieces = msgParts(lang, key, { number });
  return html`${pieces.map((p) => (typeof p === 'string' ? p : html`<span class="number">${p.value}</span>`))}`;
}

function problemText(lang: Lang, problem: ShownProblem): string {
  if (problem.code === 'application-not-found') return msg(lang, 'myApps.notFound');
  return problemMessage(lang, problem.code);
}

/** The local calendar date of an instant, as `YYYY-MM-DD` (what formatDate takes). */
function localDate(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
