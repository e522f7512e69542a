import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ApplicationStatus, CaseDeadline, CaseUpdatedEvent, CaseView, Decision, DocumentReceivedEvent, FormSummary, InboxItem, Page, ReceptionItem } from '../core/api.ts';
import { OveraApiError } from '../client/errors.ts';
import { getCase, inboxEventsUrl, listInbox, listReception, type InboxFilters } from '../client/cases.ts';
import { listForms } from '../client/applications.ts';
import type { OveraClient, Session } from '../client/client.ts';
import { formatDate, formatDateTime, msg, problemMessage, type Lang } from '../i18n/index.ts';
import { OveraElement } from '../shared/overa-element.ts';
import { errorSummary } from '../shared/error-summary.ts';
import { lazyElement } from '../shared/lazy-element.ts';
import { LazyView, lazyModule } from '../shared/lazy-view.ts';
import { LoadStateController } from '../shared/load-state.ts';
import type { ShownProblem } from '../shared/problem.ts';
import { commonMessages } from '../i18n/en/common.ts';
import { inboxMessages } from '../i18n/en/inbox.ts';
import { applicationsMessages } from '../i18n/en/applications.ts';
import baseStyles from '../styles/base.styles.ts';
import fieldStyles from '../styles/fields.styles.ts';
import tagStyles from '../styles/tags.styles.ts';
import linkButtonStyles from '../styles/link-button.styles.ts';
import type { CaseDesk } from './case-desk.ts';
import type { ReceptionDesk } from './reception-view.ts';
import styles from './approval-inbox.styles.ts';

export type { Deciding } from './case-desk.ts';
export type { Accepting } from './reception-view.ts';

/** Detail of `overa-case-opened`. */
export interface OveraCaseOpenedDetail {
  id: string;
}

/** Detail of `overa-decided`. */
export interface OveraDecidedDetail {
  case: CaseView;
  step: string;
  decision: Decision;
}

/** Detail of `overa-document-sent`: the issued document and the agencies it was just sent to (issue 19). */
export interface OveraDocumentSentDetail {
  documentId: string;
  agencyIds: string[];
}

export interface OveraApprovalInboxEventDetails {
  'overa-case-opened': OveraCaseOpenedDetail;
  'overa-decided': OveraDecidedDetail;
  'overa-document-sent': OveraDocumentSentDetail;
}

/** What the element shows. */
export type OveraApprovalInboxState = 'signed-out' | 'not-official' | 'loading' | 'error' | 'empty' | 'list';

/** Sign-in and signing load their elements (one chunk, shared/embedded-elements.ts) when first shown. */
const ensureAccount = lazyElement('overa-account', () => import('../shared/embedded-elements.ts'));
const ensureSign = lazyElement('overa-sign', () => import('../shared/embedded-elements.ts'));

/**
 * An open request and the received documents are later views, one chunk (later-views.ts) loaded
 * when either is reached (and on idle): their drawing and everything done in them (deciding,
 * signing, downloading, acknowledging) are there, so the list's first load carries none of it.
 */
const laterViews = lazyModule(() => import('./later-views.ts'));

/** Reads form titles: loaded with the list of forms (shared/form-titles.ts). */
const formTitles = lazyModule(() => import('../shared/form-titles.ts'));

const STATUSES: readonly ApplicationStatus[] = ['submitted', 'in_review', 'approved', 'issued', 'returned', 'rejected'];
const WHO = 'overa-approval-inbox';

/**
 * The officials' approval inbox: the cases of their agency with filters and search, a case
 * with its answers and attachments (previewed inline) read first, then the approval line drawn
 * as a stepper and the decisions the official may make, each signed with their passkey (after
 * "Continue to signing" the sign box is scrolled fully into view). Once the final approval
 * issues the document, the case shows it: its verification code and its PDF, the agencies it
 * was sent to, and "Send to another agency" (this server's agencies and partner agencies on
 * other servers alike, docs/exchange.md). New decisions made elsewhere arrive live (server-sent
 * events) and are marked unread.
 *
 * The filters include the legal time limit (ending soon, passed) and the order (newest first,
 * or the time limit ending first); each row shows its case's due date and how it stands.
 *
 * Keyboard: Arrow keys move between cases, Enter opens one, Escape closes it (or, first, the
 * "send to" picker or a decision open in it).
 *
 * @summary Decide on requests: review, agree, approve, return or reject, signed with a passkey.
 *
 * @fires overa-case-opened - A case was opened. `detail: { id }`.
 * @fires overa-decided - A decision was recorded. `detail: { case, step, decision }`.
 * @fires overa-document-sent - The issued document was sent to more agencies ("Send to another agency"). `detail: { documentId, agencyIds }`.
 *
 * @csspart views - The switch between requests and received documents.
 * @csspart reception - The list of documents other agencies sent.
 * @csspart filters - The filter and search form.
 * @csspart list - The list of cases.
 * @csspart row-button - One case in the list (a button).
 * @csspart awaiting-fee - "Awaiting fee payment" on a case whose approval line waits for its fee.
 * @csspart fee - The open case's fee: amount, reference, paid or not, and the buttons to mark it.
 * @csspart fee-paid-button - "Mark the fee as paid".
 * @csspart fee-undo-button - "Undo: the fee is not paid".
 * @csspart due - A case's legal time limit in its row: the due date and "due in N days" / "overdue by N days", or that the clock stopped.
 * @csspart unread - The count of cases updated since they were last seen.
 * @csspart detail - The opened case.
 * @csspart stepper - The approval line.
 * @csspart decision - The decision buttons, comment and signing; or, on a step that is the official's but that another official must decide (the four-eyes rule), the reason.
 * @csspart issued-document - The document an issued case's final approval issued.
 * @csspart verification-code - Its verification code.
 * @csspart document-download-button - "Download the document (PDF)".
 * @csspart document-verify-link - The link to its public check page.
 * @csspart local-deliveries - The agencies on this server it was sent to.
 * @csspart local-delivery - When it was sent to one of them.
 * @csspart local-answer - That agency's acknowledgement of receipt (not yet, acknowledged and when).
 * @csspart partner-deliveries - Its deliveries to partner agencies on other servers (docs/exchange.md).
 * @csspart partner-delivery - One delivery's state (queued, delivered with the receipt's time, failed and why).
 * @csspart partner-answer - The partner agency's answer (not yet, accepted, rejected and why).
 * @csspart partner-retry-button - "Send again", on a delivery that failed.
 * @csspart send-to-button - "Send to another agency", on a valid issued document (officials of the issuing agency).
 * @csspart send-to - The "send to" picker: the agencies of `GET agencies`, a confirmation, and the sending.
 * @csspart send-to-agencies - Its fieldset of checkboxes: this server's agencies and partners (marked with their server); those already sent to are disabled.
 * @csspart send-to-continue-button - "Continue", to the confirmation.
 * @csspart send-to-chosen - The agencies chosen, in the confirmation.
 * @csspart send-to-confirm-button - "Send": `POST documents/:id/distribute`; the delivery lists then show them (a partner's queued, then delivered).
 * @csspart partner - In the reception, where a partner's document came from: its verified seal and the time of receipt.
 * @csspart reject-button - "Reject", on a partner's pending document.
 * @csspart reject-reason - The reason for a rejection, written before it is signed.
 * @csspart error - An error box.
 * @csspart status - The status line, a polite live region.
 *
 * @cssprop [--overa-color-primary=#1d70b8] - Primary button colour, the current step.
 * @cssprop [--overa-color-success=#00703c] - Completed steps.
 * @cssprop [--overa-color-danger=#d4351c] - Errors, rejected steps.
 * @cssprop [--overa-color-focus=#ffdd00] - Focus ring colour.
 * @cssprop [--overa-color-text=#0b0c0c] - Text colour.
 * @cssprop [--overa-color-muted=#505a5f] - Secondary text.
 * @cssprop [--overa-color-surface=#ffffff] - Background.
 * @cssprop [--overa-font-family=inherit] - Font; by default the page's.
 * @cssprop [--overa-radius=4px] - Corner radius.
 * @cssprop [--overa-space=1rem] - Base spacing unit.
 */
export class OveraApprovalInbox extends OveraElement<OveraApprovalInboxEventDetails> {
  static override styles = [baseStyles, fieldStyles, tagStyles, linkButtonStyles, styles];
  static override messages = [commonMessages, inboxMessages, applicationsMessages];

  /** How many cases to load at a time (1–100). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 20;

  /** `cases`: requests to decide; `reception`: documents other agencies sent to this one. */
  @property({ reflect: true }) view: 'cases' | 'reception' = 'cases';

  /** The cases: signed out, not an official, loading, failed, or the cases on show. */
  private readonly list = new LoadStateController<Page<InboxItem>, 'not-official'>(this, {
    who: WHO,
    initial: { state: 'signed-out' },
    failed: (err) => (err instanceof OveraApiError && err.status === 403 ? { state: 'not-official' } : undefined),
  });
  /** The open case's own load, while one is open (`open`). */
  private readonly detail = new LoadStateController<CaseView>(this, { who: WHO });
  /** The documents other agencies sent (the reception view). */
  private readonly received = new LoadStateController<ReceptionItem[]>(this, { who: WHO, initial: { state: 'ready', value: [] } });
  private readonly caseView = new LazyView(this, laterViews);
  private readonly receptionView = new LazyView(this, laterViews);
  /** What is done in the open case and in the received documents (later-views.ts): made once that chunk is in. */
  private caseDesk: CaseDesk | null = null;
  private receptionDesk: ReceptionDesk | null = null;

  @state() private open: string | null = null;
  @state() private filters: InboxFilters = {};
  @state() private forms: FormSummary[] = [];
  @state() private moreBusy = false;
  @state() private unread: ReadonlySet<string> = new Set();
  @state() private newCases = 0;
  /** Documents that arrived (server-sent) while the cases were shown. */
  @state() private newReceived = 0;
  @state() private announcement = '';

  private events: EventSource | null = null;

  /** What the element is showing now. */
  get state(): OveraApprovalInboxState {
    const list = this.list.now;
    if (list.state === 'ready') return list.value.items.length ? 'list' : 'empty';
    return list.state;
  }

  /** The cases loaded so far. */
  get cases(): readonly InboxItem[] {
    return this.list.value?.items ?? [];
  }

  /** The open case, once loaded. */
  get openCase(): CaseView | null {
    return this.open ? (this.detail.value ?? null) : null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.closeEvents();
    this.caseDesk?.reset();
  }

  /** Loads the first page again with the current filters. */
  async refresh(): Promise<void> {
    await this.load();
  }

  protected override clientAttached(client: OveraClient): void {
    this.closeEvents();
    this.closeCase(false);
    if (client.token) void this.start(client);
    else this.list.set({ state: 'signed-out' });
  }

  protected override sessionChanged(session: Session): void {
    if (!session.token) {
      this.closeEvents();
      this.closeCase(false);
      this.list.set({ state: 'signed-out' });
    } else if (this.list.state === 'signed-out' && this.client) {
      void this.start(this.client);
    }
  }

  /** Someone is signed in: an official sees the cases (and hears of changes live), a citizen is told the inbox is not for them. */
  private async start(client: OveraClient): Promise<void> {
    this.list.set({ state: 'loading' });
    const user = client.user ?? (await client.me().catch(() => null));
    if (client !== this.client) return;
    if (!user) {
      this.list.set({ state: 'signed-out' });
      return;
    }
    if (user.kind === 'citizen') {
      this.list.set({ state: 'not-official' });
      return;
    }
    void Promise.all([listForms(client), formTitles.load()]).then(([forms]) => (this.forms = forms), () => undefined);
    await this.load();
    if (this.view === 'reception') await this.loadReception();
    this.openEvents(client);
  }

  private async load(): Promise<void> {
    const client = this.client;
    if (!client) return;
    // The cases on show stay while they reload (a refresh, the new requests link).
    const applied = await this.list.load((signal) => listInbox(client, this.filters, { limit: this.limit, signal }), { keep: this.cases.length > 0 });
    if (applied && this.list.state === 'ready') this.newCases = 0;
  }

  private async loadMore(): Promise<void> {
    const client = this.client;
    const list = this.list.value;
    if (!client || !list?.nextCursor || this.moreBusy) return;
    this.moreBusy = true;
    try {
      const page = await listInbox(client, this.filters, { limit: this.limit, cursor: list.nextCursor });
      const known = new Set(list.items.map((i) => i.id));
      this.list.update((l) => ({ items: [...l.items, ...page.items.filter((i) => !known.has(i.id))], nextCursor: page.nextCursor }));
    } catch {
      // The button stays: pressing it again tries again.
    } finally {
      this.moreBusy = false;
    }
  }

  private async loadReception(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.receptionDesk?.clearNotice();
    // A list on show stays while it reloads; an empty one says "Loading…".
    await this.received.load(
      async (signal) => {
        const [page] = await Promise.all([listReception(client, { limit: this.limit, signal }), this.receptionView.load()]);
        return page.items;
      },
      { keep: (this.received.value?.length ?? 0) > 0 },
    );
  }

  private showView(view: 'cases' | 'reception'): void {
    this.view = view;
    if (view === 'reception') this.newReceived = 0;
    if (view === 'reception' && this.list.state === 'ready') void this.loadReception();
  }

  private get limit(): number {
    const n = Math.trunc(Number(this.pageSize));
    return Number.isFinite(n) && n >= 1 ? Math.min(n, 100) : 20;
  }

  // ---------------------------------------------------------------- live updates

  private openEvents(client: OveraClient): void {
    this.closeEvents();
    const url = inboxEventsUrl(client);
    if (!url || typeof EventSource === 'undefined') return;
    const source = new EventSource(url);
    source.addEventListener('case-updated', (e) => {
      try {
        this.onCaseUpdated(JSON.parse((e as MessageEvent<string>).data) as CaseUpdatedEvent);
      } catch {
        /* not ours to understand: ignore */
      }
    });
    source.addEventListener('document-received', (e) => {
      try {
        this.onDocumentReceived(JSON.parse((e as MessageEvent<string>).data) as DocumentReceivedEvent);
      } catch {
        /* as above */
      }
    });
    // The browser reconnects by itself; a dead session ends the stream for good (401).
    this.events = source;
  }

  private closeEvents(): void {
    this.events?.close();
    this.events = null;
  }

  /** Another agency sent us a document: the list shows it at once, or the tab counts it. */
  private onDocumentReceived(event: DocumentReceivedEvent): void {
    if (this.view === 'reception') {
      if (!this.received.value?.some((r) => r.id === event.id)) void this.loadReception();
    } else {
      this.newReceived++;
    }
    this.announcement = msg(this.resolvedLang, 'inbox.documentArrived', { number: event.trackingNumber });
  }

  private onCaseUpdated(event: CaseUpdatedEvent): void {
    const lang = this.resolvedLang;
    const items = this.cases;
    const index = items.findIndex((i) => i.id === event.id);
    const open = this.open === event.id;
    const shown = open ? this.openCase : null;
    // Our own decision coming back, or an older event: already shown.
    if (shown && shown.version >= event.version) return;
    if (index >= 0 && items[index]!.version >= event.version) return;
    if (index >= 0) {
      this.list.update((l) => ({ ...l, items: l.items.map((i) => (i.id === event.id ? { ...i, status: event.status, version: event.version } : i)) }));
    } else {
      this.newCases++;
    }
    if (!open) this.unread = new Set([...this.unread, event.id]);
    this.announcement = msg(lang, 'inbox.updated', { number: event.trackingNumber });
    // The open case changed under the reader: show the new state, unless they are mid-decision.
    if (shown && !this.caseDesk?.busy && shown.version !== event.version) void this.openCase_(event.id, false);
  }

  // ---------------------------------------------------------------- a case

  /** Opens a case (or reads the open one again): its view's chunk loads alongside the case. */
  private async openCase_(id: string, focus: boolean): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (this.open !== id) {
      this.caseDesk?.reset();
      this.open = id;
      this.detail.set({ state: 'loading' });
      this.emit('overa-case-opened', { id });
    }
    if (this.unread.has(id)) {
      const next = new Set(this.unread);
      next.delete(id);
      this.unread = next;
    }
    const applied = await this.detail.load(
      async () => {
        const [c, m] = await Promise.all([getCase(client, id), this.caseView.load()]);
        this.desk(m);
        return c;
      },
      { keep: true },
    );
    // Another case was opened (or this one closed) meanwhile.
    if (!applied) return;
    const c = this.detail.value;
    if (c) {
      this.patchItem(c);
      this.caseDesk?.opened(c);
    }
    if (focus) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.detail-heading, .detail .error-summary')?.focus();
    }
  }

  private closeCase(focusRow = true): void {
    const id = this.open;
    this.caseDesk?.reset();
    this.open = null;
    this.detail.set({ state: 'loading' });
    if (id && focusRow) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-id="${id}"]`)?.focus());
  }

  private patchItem(c: CaseView): void {
    this.list.update((l) => ({
      ...l,
      items: l.items.map((i) =>
        i.id === c.id
          ? {
              ...i,
              status: c.status,
              version: c.version,
              actionable: c.approvalLine.some((s) => s.allowedDecisions.length > 0),
              pendingSteps: c.approvalLine.filter((s) => s.state === 'pending').map((s) => ({ id: s.id, kind: s.kind, assignee: s.assignee })),
              ...(c.fee ? { fee: { state: c.fee.state, requiredBeforeApproval: c.fee.requiredBeforeApproval } } : {}),
              deadline: c.deadline ?? null,
            }
          : i,
      ),
    }));
  }

  private formTitle(lang: Lang, formId: string, version?: number): string {
    const def = version !== undefined ? this.caseDesk?.title(formId, version) : undefined;
    const title = def ?? this.forms.find((f) => f.id === formId)?.title;
    const localize = formTitles.value?.localize;
    return title && localize ? localize(title, lang) : formId;
  }

  /** The element's case desk (case-desk.ts), made the first time its chunk is in. */
  private desk(m: typeof import('./later-views.ts')): CaseDesk {
    return (this.caseDesk ??= new m.CaseDesk({
      element: this,
      client: () => this.client,
      lang: () => this.resolvedLang,
      openCase: () => this.openCase,
      show: (c) => {
        this.detail.set({ state: 'ready', value: c });
        this.patchItem(c);
      },
      reload: (id) => void this.openCase_(id, false),
      announce: (text) => (this.announcement = text),
      decided: (detail) => this.emit('overa-decided', detail),
      sent: (detail) => this.emit('overa-document-sent', detail),
      renderError: (lang, problem, retry) => this.renderError(lang, problem, retry),
      ensureSign,
    }));
  }

  /** The element's reception desk (reception-view.ts), made the first time its chunk is in. */
  private reception(m: typeof import('./later-views.ts')): ReceptionDesk {
    return (this.receptionDesk ??= new m.ReceptionDesk({
      element: this,
      client: () => this.client,
      lang: () => this.resolvedLang,
      received: (item) => this.received.update((items) => items.map((r) => (r.id === item.id ? item : r))),
      announce: (text) => (this.announcement = text),
      renderError: (lang, problem, retry) => this.renderError(lang, problem, retry),
      ensureSign,
    }));
  }

  // ---------------------------------------------------------------- keyboard

  private onListKey(event: KeyboardEvent): void {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[part~="row-button"]')];
    const index = buttons.indexOf(event.target as HTMLButtonElement);
    if (index < 0) return;
    let next = -1;
    if (event.key === 'ArrowDown') next = Math.min(index + 1, buttons.length - 1);
    else if (event.key === 'ArrowUp') next = Math.max(index - 1, 0);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = buttons.length - 1;
    if (next < 0) return;
    event.preventDefault();
    buttons[next]!.focus();
  }

  private onDetailKey(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    // The innermost thing open closes first: the "send to" picker, a decision, then the case.
    if (!this.caseDesk?.escape()) this.closeCase();
  }

  private applyFilters(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const get = (name: string) => String(data.get(name) ?? '').trim();
    const filters: InboxFilters = {};
    if (get('q')) filters.q = get('q');
    if (get('status')) filters.status = [get('status') as ApplicationStatus];
    if (get('form')) filters.form = get('form');
    if (get('assigned') === 'me' || get('assigned') === 'role') filters.assigned = get('assigned') as 'me' | 'role';
    if (get('from')) filters.from = get('from');
    if (get('to')) filters.to = get('to');
    if (get('due') === 'soon' || get('due') === 'overdue') filters.due = get('due') as 'soon' | 'overdue';
    if (get('sort') === 'due') filters.sort = 'due';
    this.filters = filters;
    this.list.set({ state: 'loading' });
    void this.load();
  }

  // ---------------------------------------------------------------- render

  protected override render(): TemplateResult {
    const lang = this.resolvedLang;
    const ready = this.list.state === 'ready';
    return html`<div class="inbox" lang=${lang} aria-busy=${this.list.state === 'loading' ? 'true' : 'false'}>
      <div class="head">
        <h2>${msg(lang, 'inbox.title')}</h2>
        ${this.unread.size
          ? html`<span part="unread" class="unread-count">${msg(lang, 'inbox.unread', { count: this.unread.size })}</span>`
          : nothing}
      </div>
      ${ready ? this.renderTabs(lang) : nothing}
      ${ready && this.view === 'reception' ? this.renderReception(lang) : this.renderBody(lang)}
      <p part="status" class="status visually-hidden" role="status">${this.announcement}</p>
    </div>`;
  }

  private renderBody(lang: Lang): TemplateResult {
    const list = this.list.now;
    switch (list.state) {
      case 'signed-out':
        ensureAccount();
        return html`<p>${msg(lang, 'inbox.signedOut')}</p>
          <overa-account server=${this.server} lang=${lang}></overa-account>`;
      case 'not-official':
        return html`<p class="notice-text">${msg(lang, 'inbox.notOfficial')}</p>`;
      case 'loading':
        return html`<p class="status status--busy">${msg(lang, 'inbox.loading')}</p>`;
      case 'error':
        return this.renderError(lang, list.problem, () => this.load());
      case 'ready':
        return html`${this.renderFilters(lang)}
          <div class="panes ${this.open ? 'panes--open' : ''}">
            <div class="list-pane">${this.renderList(lang, list.value)}</div>
            ${this.open ? html`<div class="detail-pane" @keydown=${this.onDetailKey}>${this.renderDetail(lang, this.open)}</div>` : nothing}
          </div>`;
    }
  }

  private renderTabs(lang: Lang): TemplateResult {
    const tab = (view: 'cases' | 'reception', label: string) =>
      html`<button type="button" class="tab" aria-pressed=${this.view === view ? 'true' : 'false'} @click=${() => this.showView(view)}>${label}</button>`;
    return html`<div part="views" class="tabs" role="group" aria-label=${msg(lang, 'inbox.views')}>
      ${tab('cases', msg(lang, 'inbox.viewCases'))}
      ${tab('reception', this.newReceived > 0 ? msg(lang, 'inbox.viewReceptionNew', { count: this.newReceived }) : msg(lang, 'inbox.viewReception'))}
    </div>`;
  }

  private renderReception(lang: Lang): TemplateResult {
    const received = this.received.now;
    if (received.state === 'loading') return html`<p class="status status--busy">${msg(lang, 'inbox.loading')}</p>`;
    if (received.state === 'error') return this.renderError(lang, received.problem, () => this.loadReception());
    const items = this.received.value ?? [];
    return this.receptionView.render(lang, (m) => this.reception(m).render(lang, items, () => void this.loadReception()));
  }

  private renderError(lang: Lang, problem: ShownProblem | null, retry: () => void): TemplateResult {
    return errorSummary(lang, {
      title: msg(lang, 'error.title'),
      heading: 'h3',
      text: problemMessage(lang, problem?.code ?? 'unknown'),
      requestId: problem?.requestId,
      retry: { label: msg(lang, 'form.retry'), onClick: retry },
    });
  }

  private renderFilters(lang: Lang): TemplateResult {
    const f = this.filters;
    return html`<form part="filters" class="filters" role="search" @submit=${this.applyFilters}>
      <div class="filter filter--q">
        <label for="inbox-q">${msg(lang, 'inbox.search')}</label>
        <input id="inbox-q" name="q" type="search" .value=${f.q ?? ''} autocomplete="off" />
      </div>
      <div class="filter">
        <label for="inbox-status">${msg(lang, 'inbox.status')}</label>
        <select id="inbox-status" name="status">
          <option value="">${msg(lang, 'inbox.any')}</option>
          ${STATUSES.map((s) => html`<option value=${s} ?selected=${f.status?.[0] === s}>${msg(lang, `applicationStatus.${s}`)}</option>`)}
        </select>
      </div>
      <div class="filter">
        <label for="inbox-assigned">${msg(lang, 'inbox.assigned')}</label>
        <select id="inbox-assigned" name="assigned">
          <option value="">${msg(lang, 'inbox.assignedAll')}</option>
          <option value="me" ?selected=${f.assigned === 'me'}>${msg(lang, 'inbox.assignedMe')}</option>
          <option value="role" ?selected=${f.assigned === 'role'}>${msg(lang, 'inbox.assignedRole')}</option>
        </select>
      </div>
      <div class="filter">
        <label for="inbox-form">${msg(lang, 'inbox.form')}</label>
        <select id="inbox-form" name="form">
          <option value="">${msg(lang, 'inbox.any')}</option>
          ${this.forms.map((form) => html`<option value=${form.id} ?selected=${f.form === form.id}>${this.formTitle(lang, form.id)}</option>`)}
        </select>
      </div>
      <div class="filter">
        <label for="inbox-from">${msg(lang, 'inbox.from')}</label>
        <input id="inbox-from" name="from" type="date" .value=${f.from ?? ''} />
      </div>
      <div class="filter">
        <label for="inbox-to">${msg(lang, 'inbox.to')}</label>
        <input id="inbox-to" name="to" type="date" .value=${f.to ?? ''} />
      </div>
      <div class="filter">
        <label for="inbox-due">${msg(lang, 'inbox.due')}</label>
        <select id="inbox-due" name="due">
          <option value="">${msg(lang, 'inbox.any')}</option>
          <option value="soon" ?selected=${f.due === 'soon'}>${msg(lang, 'inbox.dueSoonFilter')}</option>
          <option value="overdue" ?selected=${f.due === 'overdue'}>${msg(lang, 'inbox.overdueFilter')}</option>
        </select>
      </div>
      <div class="filter">
        <label for="inbox-sort">${msg(lang, 'inbox.sort')}</label>
        <select id="inbox-sort" name="sort">
          <option value="">${msg(lang, 'inbox.sortSubmitted')}</option>
          <option value="due" ?selected=${f.sort === 'due'}>${msg(lang, 'inbox.sortDue')}</option>
        </select>
      </div>
      <div class="filter filter--actions">
        <button type="submit" class="secondary">${msg(lang, 'inbox.apply')}</button>
      </div>
    </form>`;
  }

  private renderList(lang: Lang, list: Page<InboxItem>): TemplateResult {
    const newer = this.newCases
      ? html`<p class="new-cases">
          <button type="button" class="link-button" @click=${() => this.load()}>${msg(lang, 'inbox.newCases', { count: this.newCases })}</button>
        </p>`
      : nothing;
    if (list.items.length === 0) {
      // New requests announced: the link to them is the whole story, never "there are none".
      if (this.newCases) return html`${newer}`;
      return html`<p class="empty">${msg(lang, Object.keys(this.filters).length ? 'inbox.emptyFiltered' : 'inbox.empty')}</p>`;
    }
    return html`${newer}
      <ul part="list" class="cases" aria-label=${msg(lang, 'inbox.listLabel')} @keydown=${this.onListKey}>
        ${list.items.map((item) => {
          const open = this.open === item.id;
          const unread = this.unread.has(item.id);
          return html`<li class="case ${open ? 'case--open' : ''}">
            <button
              type="button"
              part="row-button"
              class="case-button"
              data-id=${item.id}
              aria-current=${open ? 'true' : 'false'}
              @click=${() => this.openCase_(item.id, true)}
            >
              <span class="case-line">
                <strong class="case-number">${item.trackingNumber}</strong>
                ${unread ? html`<span class="dot" aria-hidden="true"></span><span class="visually-hidden">${msg(lang, 'inbox.unreadMark')}</span>` : nothing}
                <span class="tag tag--${item.status}">${msg(lang, `applicationStatus.${item.status}`)}</span>
              </span>
              <span class="case-title">${this.formTitle(lang, item.formId, item.formVersion)}</span>
              <span class="case-meta">
                ${item.applicant.displayName} · <time datetime=${item.submittedAt}>${formatDateTime(lang, item.submittedAt)}</time>
                ${item.origin === 'internal' ? html` · ${msg(lang, 'inbox.internal')}` : nothing}
              </span>
              ${this.renderDue(lang, item.deadline)}
              ${item.actionable ? html`<span class="yours">${msg(lang, 'inbox.yourDecision')}</span>` : nothing}
              ${item.fee?.state === 'awaiting' && item.fee.requiredBeforeApproval && (item.status === 'submitted' || item.status === 'in_review')
                ? html`<span part="awaiting-fee" class="awaiting-fee">${msg(lang, 'inbox.awaitingFee')}</span>`
                : nothing}
            </button>
          </li>`;
        })}
      </ul>
      ${list.nextCursor
        ? html`<button type="button" class="secondary more" ?disabled=${this.moreBusy} @click=${() => this.loadMore()}>${msg(lang, 'inbox.more')}</button>`
        : nothing}`;
  }

  /**
   * The legal time limit of a case in its row: the due date and how it stands ("due in 3 days",
   * "overdue by 2 days"), or that the clock stopped while the request is with the applicant.
   * Nothing for a form without one or a decided case.
   */
  private renderDue(lang: Lang, d: CaseDeadline | null | undefined): TemplateResult | typeof nothing {
    if (!d || d.state === 'closed') return nothing;
    if (d.state === 'paused') {
      return html`<span part="due" class="due due--paused">${msg(lang, 'inbox.duePaused', { count: d.remainingDays ?? 0 })}</span>`;
    }
    if (d.dueDate === null || d.daysLeft === null) return nothing;
    const left = d.daysLeft;
    const standing = d.status === 'overdue'
      ? (left < 0 ? msg(lang, 'inbox.overdueBy', { count: -left }) : msg(lang, 'inbox.overdueToday'))
      : left === 0 ? msg(lang, 'inbox.dueToday') : msg(lang, 'inbox.dueIn', { count: left });
    return html`<span part="due" class="due due--${d.status ?? 'on-time'}">
      ${msg(lang, 'inbox.dueOn', { date: formatDate(lang, d.dueDate) })} · <span class="due-standing">${standing}</span>
    </span>`;
  }

  /** The open case's frame: Close at its head, then its load state, then (a chunk of its own) the case. */
  private renderDetail(lang: Lang, id: string): TemplateResult {
    // Close heads the pane in its own row, beside the heading or above a message: never over them.
    const top = (content: TemplateResult | typeof nothing) => html`<div class="detail-top">
      ${content}<button type="button" class="link-button close" @click=${() => this.closeCase()}>${msg(lang, 'inbox.close')}</button>
    </div>`;
    const detail = this.detail.now;
    if (detail.state === 'loading') return html`<section part="detail" class="detail">${top(nothing)}<p class="status status--busy">${msg(lang, 'inbox.loadingCase')}</p></section>`;
    if (detail.state !== 'ready') {
      const problem = detail.state === 'error' ? detail.problem : null;
      return html`<section part="detail" class="detail">${top(nothing)}${this.renderError(lang, problem, () => this.openCase_(id, true))}</section>`;
    }
    const c = detail.value;
    return html`<section part="detail" class="detail" aria-labelledby="case-heading">
      ${top(html`<h3 id="case-heading" class="detail-heading" tabindex="-1">${this.formTitle(lang, c.formId, c.formVersion)} · <span class="nowrap">${c.trackingNumber}</span></h3>`)}
      ${c.deadline && c.deadline.state !== 'closed' ? html`<p class="detail-due">${this.renderDue(lang, c.deadline)}</p>` : nothing}
      ${this.caseView.render(lang, (m) => this.desk(m).render(lang, c))}
    </section>`;
  }
}
