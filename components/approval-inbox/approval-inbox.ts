import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ApplicationStatus, AttachmentView, CaseStepView, CaseUpdatedEvent, CaseView, Decision, DocumentReceivedEvent, FormSummary, InboxItem, ReceptionItem } from '../core/api.ts';
import { localize, type FormDefinition } from '../core/forms/definition.ts';
import { decisionSubjectId } from '../core/signing/decision.ts';
import {
  OveraApiError,
  OveraError,
  decideCase,
  acceptReception,
  fetchDocumentPdf,
  getCase,
  getForm,
  inboxEventsUrl,
  listForms,
  listInbox,
  listReception,
  newIdempotencyKey,
  type InboxFilters,
  type OveraClient,
  type Session,
} from '../client/index.ts';
import { formatDateTime, msg, problemMessage, type Lang } from '../i18n/index.ts';
import { OveraElement } from '../shared/overa-element.ts';
import { errorSummary } from '../shared/error-summary.ts';
import { lazyElement } from '../shared/lazy-element.ts';
import { commonMessages } from '../i18n/en/common.ts';
import type { OveraSignedDetail } from '../sign/sign.ts';
import { inboxMessages } from '../i18n/en/inbox.ts';
import { applicationsMessages } from '../i18n/en/applications.ts';
import baseStyles from '../styles/base.styles.ts';
import fieldStyles from '../styles/fields.styles.ts';
import tagStyles from '../styles/tags.styles.ts';
import linkButtonStyles from '../styles/link-button.styles.ts';
import disclosureStyles from '../styles/disclosure.styles.ts';
import { renderAnswers, renderAttachments, renderHistory, renderStepper, type Preview } from './case-detail.ts';
import { renderReceptionList } from './reception.ts';
import styles from './approval-inbox.styles.ts';

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

export interface OveraApprovalInboxEventDetails {
  'overa-case-opened': OveraCaseOpenedDetail;
  'overa-decided': OveraDecidedDetail;
}

/** What the element shows. */
export type OveraApprovalInboxState = 'signed-out' | 'not-official' | 'loading' | 'error' | 'empty' | 'list';

interface ShownProblem {
  code: string;
  requestId?: string | undefined;
}

/** A decision being made: chosen, then signed, then sent. */
interface Deciding {
  step: string;
  decision: Decision;
  comment: string;
  phase: 'compose' | 'sign' | 'sending';
  /** The comment fixed for signing (the signature covers it). */
  context: { comment: string } | null;
  problem: ShownProblem | null;
  missingComment: boolean;
  key: string;
}

type DetailState = { id: string; state: 'loading' } | { id: string; state: 'error'; problem: ShownProblem } | { id: string; state: 'ready'; case: CaseView };

/** Sign-in and signing load their elements when first shown (an inbox that is never signed out never loads sign-in). */
const ensureAccount = lazyElement('overa-account', () => import('../account/define.ts'));
const ensureSign = lazyElement('overa-sign', () => import('../sign/define.ts'));

const STATUSES: readonly ApplicationStatus[] = ['submitted', 'in_review', 'approved', 'issued', 'returned', 'rejected'];
/** A return or a rejection must say why: the applicant reads it. */
const NEEDS_COMMENT: ReadonlySet<Decision> = new Set(['return', 'reject']);
const MAX_COMMENT = 2000;

/**
 * The officials' approval inbox: the cases of their agency with filters and search, a case
 * with its answers, attachments previewed inline and the approval line drawn as a stepper,
 * and the decisions the official may make, each signed with their passkey. New decisions
 * made elsewhere arrive live (server-sent events) and are marked unread.
 *
 * Keyboard: Arrow keys move between cases, Enter opens one, Escape closes it.
 *
 * @summary Decide on requests: review, agree, approve, return or reject, signed with a passkey.
 *
 * @fires overa-case-opened - A case was opened. `detail: { id }`.
 * @fires overa-decided - A decision was recorded. `detail: { case, step, decision }`.
 *
 * @csspart views - The switch between requests and received documents.
 * @csspart reception - The list of documents other agencies sent.
 * @csspart filters - The filter and search form.
 * @csspart list - The list of cases.
 * @csspart row-button - One case in the list (a button).
 * @csspart unread - The count of cases updated since they were last seen.
 * @csspart detail - The opened case.
 * @csspart stepper - The approval line.
 * @csspart decision - The decision buttons, comment and signing.
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
  static override styles = [baseStyles, fieldStyles, tagStyles, linkButtonStyles, disclosureStyles, styles];
  static override messages = [commonMessages, inboxMessages, applicationsMessages];

  /** How many cases to load at a time (1–100). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 20;

  /** `cases`: requests to decide; `reception`: documents other agencies sent to this one. */
  @property({ reflect: true }) view: 'cases' | 'reception' = 'cases';

  @state() private phase: 'signed-out' | 'not-official' | 'loading' | 'error' | 'ready' = 'signed-out';
  @state() private items: InboxItem[] = [];
  @state() private nextCursor: string | null = null;
  @state() private problem: ShownProblem | null = null;
  @state() private filters: InboxFilters = {};
  @state() private forms: FormSummary[] = [];
  @state() private detail: DetailState | null = null;
  @state() private deciding: Deciding | null = null;
  @state() private previews: ReadonlyMap<string, Preview> = new Map();
  @state() private unread: ReadonlySet<string> = new Set();
  @state() private newCases = 0;
  @state() private announcement = '';
  @state() private moreBusy = false;
  @state() private received: ReceptionItem[] = [];
  @state() private receivedProblem: ShownProblem | null = null;
  @state() private receivedLoading = false;
  /** Documents that arrived (server-sent) while the cases were shown. */
  @state() private newReceived = 0;
  /** The reception being acknowledged (signing shown for it). */
  @state() private accepting: { id: string; key: string; problem: ShownProblem | null; sending: boolean } | null = null;

  private events: EventSource | null = null;
  private readonly definitions = new Map<string, Promise<FormDefinition | undefined>>();
  @state() private definitionsLoaded = 0;
  private readonly loadedDefinitions = new Map<string, FormDefinition>();
  private listToken = 0;

  /** What the element is showing now. */
  get state(): OveraApprovalInboxState {
    if (this.phase === 'ready') return this.items.length ? 'list' : 'empty';
    return this.phase;
  }

  /** The cases loaded so far. */
  get cases(): readonly InboxItem[] {
    return this.items;
  }

  /** The open case, once loaded. */
  get openCase(): CaseView | null {
    return this.detail?.state === 'ready' ? this.detail.case : null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.closeEvents();
    this.revokePreviews();
  }

  /** Loads the first page again with the current filters. */
  async refresh(): Promise<void> {
    await this.load();
  }

  protected override clientAttached(client: OveraClient): void {
    this.closeEvents();
    this.detail = null;
    if (client.token) void this.start(client);
    else this.phase = 'signed-out';
  }

  protected override sessionChanged(session: Session): void {
    if (!session.token) {
      this.closeEvents();
      this.items = [];
      this.detail = null;
      this.phase = 'signed-out';
    } else if (this.phase === 'signed-out' && this.client) {
      void this.start(this.client);
    }
  }

  private async start(client: OveraClient): Promise<void> {
    this.phase = 'loading';
    const user = client.user ?? (await client.me().catch(() => null));
    if (client !== this.client) return;
    if (!user) {
      this.phase = 'signed-out';
      return;
    }
    if (user.kind === 'citizen') {
      this.phase = 'not-official';
      return;
    }
    void listForms(client).then((forms) => (this.forms = forms), () => undefined);
    await this.load();
    if (this.view === 'reception') await this.loadReception();
    this.openEvents(client);
  }

  private async load(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const token = ++this.listToken;
    this.phase = this.items.length ? this.phase : 'loading';
    this.problem = null;
    try {
      const page = await listInbox(client, this.filters, { limit: this.limit });
      if (token !== this.listToken) return;
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      this.newCases = 0;
      this.phase = 'ready';
    } catch (err) {
      if (token !== this.listToken) return;
      if (err instanceof OveraApiError && err.status === 403) {
        this.phase = 'not-official';
        return;
      }
      this.problem = toProblem(err);
      this.phase = 'error';
    }
  }

  private async loadMore(): Promise<void> {
    const client = this.client;
    if (!client || !this.nextCursor || this.moreBusy) return;
    this.moreBusy = true;
    try {
      const page = await listInbox(client, this.filters, { limit: this.limit, cursor: this.nextCursor });
      const known = new Set(this.items.map((i) => i.id));
      this.items = [...this.items, ...page.items.filter((i) => !known.has(i.id))];
      this.nextCursor = page.nextCursor;
    } catch (err) {
      this.problem = toProblem(err);
    } finally {
      this.moreBusy = false;
    }
  }

  private async loadReception(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.receivedLoading = true;
    this.receivedProblem = null;
    try {
      this.received = (await listReception(client, { limit: this.limit })).items;
    } catch (err) {
      this.receivedProblem = toProblem(err);
    } finally {
      this.receivedLoading = false;
    }
  }

  private showView(view: 'cases' | 'reception'): void {
    this.view = view;
    if (view === 'reception') this.newReceived = 0;
    if (view === 'reception' && this.phase === 'ready') void this.loadReception();
  }

  private async download(item: ReceptionItem): Promise<void> {
    if (!this.client) return;
    try {
      const blob = await fetchDocumentPdf(this.client, item.documentId);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${item.trackingNumber}.pdf`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      this.receivedProblem = toProblem(err);
    }
  }

  private async onReceptionSigned(event: CustomEvent<OveraSignedDetail>): Promise<void> {
    const a = this.accepting;
    if (!a || !this.client) return;
    this.accepting = { ...a, sending: true };
    try {
      const updated = await acceptReception(this.client, a.id, event.detail.signatureId, a.key);
      this.received = this.received.map((r) => (r.id === updated.id ? updated : r));
      this.accepting = null;
      this.announcement = msg(this.resolvedLang, 'inbox.received');
    } catch (err) {
      this.accepting = { ...a, sending: false, problem: toProblem(err) };
    }
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
      if (!this.received.some((r) => r.id === event.id)) void this.loadReception();
    } else {
      this.newReceived++;
    }
    this.announcement = msg(this.resolvedLang, 'inbox.documentArrived', { number: event.trackingNumber });
  }

  private onCaseUpdated(event: CaseUpdatedEvent): void {
    const lang = this.resolvedLang;
    const index = this.items.findIndex((i) => i.id === event.id);
    const open = this.detail?.id === event.id;
    // Our own decision coming back, or an older event: already shown.
    if (open && this.detail?.state === 'ready' && this.detail.case.version >= event.version) return;
    if (index >= 0 && this.items[index]!.version >= event.version) return;
    if (index >= 0) {
      const next = [...this.items];
      next[index] = { ...next[index]!, status: event.status, version: event.version };
      this.items = next;
    } else {
      this.newCases++;
    }
    if (!open) this.unread = new Set([...this.unread, event.id]);
    this.announcement = msg(lang, 'inbox.updated', { number: event.trackingNumber });
    // The open case changed under the reader: show the new state, unless they are mid-decision.
    if (open && !this.deciding && this.detail?.state === 'ready' && this.detail.case.version !== event.version) void this.openCase_(event.id, false);
  }

  // ---------------------------------------------------------------- a case

  private async openCase_(id: string, focus: boolean): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (this.detail?.id !== id) {
      this.revokePreviews();
      this.deciding = null;
      this.detail = { id, state: 'loading' };
      this.emit('overa-case-opened', { id });
    }
    if (this.unread.has(id)) {
      const next = new Set(this.unread);
      next.delete(id);
      this.unread = next;
    }
    try {
      const c = await getCase(client, id);
      if (this.detail?.id !== id) return;
      this.detail = { id, state: 'ready', case: c };
      this.patchItem(c);
      void this.definition(c.formId, c.formVersion);
    } catch (err) {
      if (this.detail?.id !== id) return;
      this.detail = { id, state: 'error', problem: toProblem(err) };
    }
    if (focus) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.detail-heading, .detail .error-summary')?.focus();
    }
  }

  private closeCase(): void {
    const id = this.detail?.id;
    this.revokePreviews();
    this.detail = null;
    this.deciding = null;
    if (id) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-id="${id}"]`)?.focus());
  }

  private patchItem(c: CaseView): void {
    const index = this.items.findIndex((i) => i.id === c.id);
    if (index < 0) return;
    const next = [...this.items];
    next[index] = {
      ...next[index]!,
      status: c.status,
      version: c.version,
      actionable: c.approvalLine.some((s) => s.allowedDecisions.length > 0),
      pendingSteps: c.approvalLine.filter((s) => s.state === 'pending').map((s) => ({ id: s.id, kind: s.kind, assignee: s.assignee })),
    };
    this.items = next;
  }

  private definition(formId: string, version: number): Promise<FormDefinition | undefined> {
    const key = `${formId}@${version}`;
    let pending = this.definitions.get(key);
    if (!pending && this.client) {
      pending = getForm(this.client, formId, version).then(
        (def) => {
          this.loadedDefinitions.set(key, def);
          this.definitionsLoaded++;
          return def;
        },
        () => undefined,
      );
      this.definitions.set(key, pending);
    }
    return pending ?? Promise.resolve(undefined);
  }

  private formTitle(lang: Lang, formId: string, version?: number): string {
    const def = version !== undefined ? this.loadedDefinitions.get(`${formId}@${version}`) : undefined;
    const summary = this.forms.find((f) => f.id === formId);
    const title = def?.title ?? summary?.title;
    return title ? localize(title, lang) : formId;
  }

  private async togglePreview(a: AttachmentView): Promise<void> {
    const current = this.previews.get(a.id);
    const next = new Map(this.previews);
    if (current) {
      if (current.state === 'ready') URL.revokeObjectURL(current.url);
      next.delete(a.id);
      this.previews = next;
      return;
    }
    next.set(a.id, { state: 'loading' });
    this.previews = next;
    try {
      const blob = await this.client!.request<Blob>('GET', `uploads/${encodeURIComponent(a.id)}`, { as: 'blob' });
      // The server says what the bytes are; the blob gets exactly that type for the viewer.
      const url = URL.createObjectURL(new Blob([blob], { type: a.mediaType }));
      if (!this.previews.has(a.id)) {
        URL.revokeObjectURL(url);
        return;
      }
      this.previews = new Map(this.previews).set(a.id, { state: 'ready', url });
    } catch {
      if (this.previews.has(a.id)) this.previews = new Map(this.previews).set(a.id, { state: 'failed' });
    }
  }

  private revokePreviews(): void {
    for (const p of this.previews.values()) if (p.state === 'ready') URL.revokeObjectURL(p.url);
    this.previews = new Map();
  }

  // ---------------------------------------------------------------- deciding

  private choose(step: CaseStepView, decision: Decision): void {
    this.deciding = { step: step.id, decision, comment: '', phase: 'compose', context: null, problem: null, missingComment: false, key: newIdempotencyKey() };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#decision-comment')?.focus());
  }

  private toSigning(event: SubmitEvent): void {
    event.preventDefault();
    const d = this.deciding;
    if (!d) return;
    const comment = d.comment.trim();
    if (NEEDS_COMMENT.has(d.decision) && comment === '') {
      this.deciding = { ...d, missingComment: true };
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#decision-comment')?.focus());
      return;
    }
    this.deciding = { ...d, comment, missingComment: false, phase: 'sign', context: { comment } };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('overa-sign')?.focus());
  }

  private async onSigned(event: CustomEvent<OveraSignedDetail>): Promise<void> {
    const d = this.deciding;
    const c = this.openCase;
    if (!d || !c || !this.client) return;
    this.deciding = { ...d, phase: 'sending', problem: null };
    try {
      const input = { step: d.step, decision: d.decision, signatureId: event.detail.signatureId, ...(d.comment ? { comment: d.comment } : {}) };
      const updated = await decideCase(this.client, c.id, c.version, input, d.key);
      this.deciding = null;
      this.detail = { id: c.id, state: 'ready', case: updated };
      this.patchItem(updated);
      this.announcement = msg(this.resolvedLang, 'inbox.recorded');
      this.emit('overa-decided', { case: updated, step: d.step, decision: d.decision });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.detail-heading')?.focus();
    } catch (err) {
      const problem = toProblem(err);
      this.deciding = { ...d, phase: 'compose', context: null, problem };
      // Someone else decided, or the case moved on: show what it is now.
      if (err instanceof OveraApiError && (err.status === 409 || err.status === 412)) void this.openCase_(c.id, false);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.decision .error-summary')?.focus();
    }
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
    if (this.deciding && this.deciding.phase !== 'sending') {
      this.deciding = null;
      return;
    }
    this.closeCase();
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
    this.filters = filters;
    this.items = [];
    void this.load();
  }

  // ---------------------------------------------------------------- render

  protected override render(): TemplateResult {
    const lang = this.resolvedLang;
    void this.definitionsLoaded;
    return html`<div class="inbox" lang=${lang} aria-busy=${this.phase === 'loading' ? 'true' : 'false'}>
      <div class="head">
        <h2>${msg(lang, 'inbox.title')}</h2>
        ${this.unread.size
          ? html`<span part="unread" class="unread-count">${msg(lang, 'inbox.unread', { count: this.unread.size })}</span>`
          : nothing}
      </div>
      ${this.phase === 'ready' ? this.renderTabs(lang) : nothing}
      ${this.phase === 'ready' && this.view === 'reception' ? this.renderReception(lang) : this.renderBody(lang)}
      <p part="status" class="status visually-hidden" role="status">${this.announcement}</p>
    </div>`;
  }

  private renderBody(lang: Lang): TemplateResult {
    switch (this.phase) {
      case 'signed-out':
        ensureAccount();
        return html`<p>${msg(lang, 'inbox.signedOut')}</p>
          <overa-account server=${this.server} lang=${lang}></overa-account>`;
      case 'not-official':
        return html`<p class="notice-text">${msg(lang, 'inbox.notOfficial')}</p>`;
      case 'loading':
        return html`<p class="status status--busy">${msg(lang, 'inbox.loading')}</p>`;
      case 'error':
        return this.renderError(lang, this.problem, () => this.load());
      default:
        return html`${this.renderFilters(lang)}
          <div class="panes ${this.detail ? 'panes--open' : ''}">
            <div class="list-pane">${this.renderList(lang)}</div>
            ${this.detail ? html`<div class="detail-pane" @keydown=${this.onDetailKey}>${this.renderDetail(lang, this.detail)}</div>` : nothing}
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
    if (this.receivedLoading && this.received.length === 0) return html`<p class="status status--busy">${msg(lang, 'inbox.loading')}</p>`;
    return html`${this.receivedProblem ? this.renderError(lang, this.receivedProblem, () => this.loadReception()) : nothing}
      ${renderReceptionList(lang, this.received, {
        accepting: this.accepting?.id ?? null,
        onDownload: (item) => void this.download(item),
        onAccept: (item) => {
          this.accepting = { id: item.id, key: newIdempotencyKey(), problem: null, sending: false };
        },
        renderSigning: (item) => html`${ensureSign()}${this.accepting?.problem ? this.renderError(lang, this.accepting.problem, () => (this.accepting = { ...this.accepting!, problem: null })) : nothing}
          <overa-sign server=${this.server} lang=${lang} subject-type="reception" subject-id=${item.id} action="accept" @overa-signed=${this.onReceptionSigned}>
            <p><strong>${localize(item.title, lang)}</strong> · ${item.trackingNumber} · ${item.issuingAgency.name}</p>
          </overa-sign>
          <button type="button" class="secondary" ?disabled=${this.accepting?.sending} @click=${() => (this.accepting = null)}>${msg(lang, 'inbox.cancel')}</button>`,
      })}`;
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
          ${this.forms.map((form) => html`<option value=${form.id} ?selected=${f.form === form.id}>${localize(form.title, lang)}</option>`)}
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
      <div class="filter filter--actions">
        <button type="submit" class="secondary">${msg(lang, 'inbox.apply')}</button>
      </div>
    </form>`;
  }

  private renderList(lang: Lang): TemplateResult {
    const newer = this.newCases
      ? html`<p class="new-cases">
          <button type="button" class="link-button" @click=${() => this.load()}>${msg(lang, 'inbox.newCases', { count: this.newCases })}</button>
        </p>`
      : nothing;
    if (this.items.length === 0) {
      // New requests announced: the link to them is the whole story, never "there are none".
      if (this.newCases) return html`${newer}`;
      return html`<p class="empty">${msg(lang, Object.keys(this.filters).length ? 'inbox.emptyFiltered' : 'inbox.empty')}</p>`;
    }
    return html`${newer}
      <ul part="list" class="cases" aria-label=${msg(lang, 'inbox.listLabel')} @keydown=${this.onListKey}>
        ${this.items.map((item) => {
          const open = this.detail?.id === item.id;
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
              ${item.actionable ? html`<span class="yours">${msg(lang, 'inbox.yourDecision')}</span>` : nothing}
            </button>
          </li>`;
        })}
      </ul>
      ${this.nextCursor
        ? html`<button type="button" class="secondary more" ?disabled=${this.moreBusy} @click=${() => this.loadMore()}>${msg(lang, 'inbox.more')}</button>`
        : nothing}`;
  }

  private renderDetail(lang: Lang, detail: DetailState): TemplateResult {
    // Close heads the pane in its own row, beside the heading or above a message: never over them.
    const top = (content: TemplateResult | typeof nothing) => html`<div class="detail-top">
      ${content}<button type="button" class="link-button close" @click=${() => this.closeCase()}>${msg(lang, 'inbox.close')}</button>
    </div>`;
    if (detail.state === 'loading') return html`<section part="detail" class="detail">${top(nothing)}<p class="status status--busy">${msg(lang, 'inbox.loadingCase')}</p></section>`;
    if (detail.state === 'error') return html`<section part="detail" class="detail">${top(nothing)}${this.renderError(lang, detail.problem, () => this.openCase_(detail.id, true))}</section>`;
    const c = detail.case;
    const def = this.loadedDefinitions.get(`${c.formId}@${c.formVersion}`);
    return html`<section part="detail" class="detail" aria-labelledby="case-heading">
      ${top(html`<h3 id="case-heading" class="detail-heading" tabindex="-1">${this.formTitle(lang, c.formId, c.formVersion)} · <span class="nowrap">${c.trackingNumber}</span></h3>`)}
      <p class="case-facts">
        <span class="tag tag--${c.status}">${msg(lang, `applicationStatus.${c.status}`)}</span>
        ${msg(lang, c.origin === 'internal' ? 'inbox.draftedBy' : 'inbox.appliedBy', { name: c.applicant.displayName })}
        ${c.submittedAt ? html` · <time datetime=${c.submittedAt}>${formatDateTime(lang, c.submittedAt)}</time>` : nothing}
        ${c.round > 1 ? html` · ${msg(lang, 'inbox.round', { round: c.round })}` : nothing}
      </p>
      ${c.returnComment ? html`<blockquote class="comment">${c.returnComment}</blockquote>` : nothing}
      <h4>${msg(lang, 'inbox.line')}</h4>
      ${renderStepper(lang, c.approvalLine)} ${this.renderDecision(lang, c)}
      <h4>${msg(lang, 'inbox.answers')}</h4>
      ${renderAnswers(lang, c, def)}
      ${renderAttachments(lang, c.attachments, this.previews, (a) => void this.togglePreview(a))}
      ${renderHistory(lang, c.history)}
    </section>`;
  }

  private renderDecision(lang: Lang, c: CaseView): TemplateResult | typeof nothing {
    const steps = c.approvalLine.filter((s) => s.allowedDecisions.length > 0);
    if (steps.length === 0) return nothing;
    const d = this.deciding;
    return html`<div part="decision" class="decision">
      ${steps.map(
        (step) => html`<div class="decision-step">
          <p class="decision-for">
            ${msg(lang, 'inbox.decideStep', { step: msg(lang, `inbox.stepKind.${step.kind}`) })}
            ${step.as && step.as.basis !== 'assigned' ? html`<span class="mark">${msg(lang, step.as.basis === 'proxy' ? 'inbox.asProxy' : 'inbox.asDelegated')}</span>` : nothing}
          </p>
          <div class="actions">
            ${step.allowedDecisions.map(
              (decision) => html`<button
                type="button"
                class=${decision === 'return' || decision === 'reject' ? 'secondary' : 'primary'}
                aria-pressed=${d?.step === step.id && d.decision === decision ? 'true' : 'false'}
                ?disabled=${d?.phase === 'sending' || d?.phase === 'sign'}
                @click=${() => this.choose(step, decision)}
              >
                ${msg(lang, `inbox.decision.${decision}`)}
              </button>`,
            )}
          </div>
        </div>`,
      )}
      ${d ? this.renderDeciding(lang, c, d) : nothing}
    </div>`;
  }

  private renderDeciding(lang: Lang, c: CaseView, d: Deciding): TemplateResult {
    const error = d.problem ? this.renderError(lang, d.problem, () => (this.deciding = { ...d, problem: null })) : nothing;
    if (d.phase === 'compose') {
      const required = NEEDS_COMMENT.has(d.decision);
      return html`${error}
        <form class="decision-form" novalidate @submit=${this.toSigning}>
          <div class="field ${d.missingComment ? 'field--error' : ''}">
            <label for="decision-comment">
              ${msg(lang, required ? 'inbox.commentRequired' : 'inbox.comment')}
              ${required ? nothing : html`<span class="optional">${msg(lang, 'form.optional')}</span>`}
            </label>
            <div id="decision-comment-hint" class="hint">${msg(lang, required ? 'inbox.commentHintRequired' : 'inbox.commentHint')}</div>
            ${d.missingComment
              ? html`<p id="decision-comment-error" class="error-message">
                  <span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${msg(lang, 'inbox.commentMissing')}
                </p>`
              : nothing}
            <textarea
              id="decision-comment"
              rows="3"
              maxlength=${MAX_COMMENT}
              aria-describedby="decision-comment-hint${d.missingComment ? ' decision-comment-error' : ''}"
              aria-invalid=${d.missingComment ? 'true' : 'false'}
              .value=${d.comment}
              @input=${(e: InputEvent) => (this.deciding = { ...d, comment: (e.target as HTMLTextAreaElement).value, missingComment: false })}
            ></textarea>
          </div>
          <div class="actions">
            <button type="submit" class="primary">${msg(lang, 'inbox.continueToSign', { decision: msg(lang, `inbox.decision.${d.decision}`) })}</button>
            <button type="button" class="secondary" @click=${() => (this.deciding = null)}>${msg(lang, 'inbox.cancel')}</button>
          </div>
        </form>`;
    }
    ensureSign();
    return html`${error}
      <overa-sign
        tabindex="-1"
        server=${this.server}
        lang=${lang}
        subject-type="decision"
        subject-id=${decisionSubjectId(c.id, d.step)}
        action=${d.decision}
        .context=${d.context ?? undefined}
        @overa-signed=${this.onSigned}
      >
        <p><strong>${msg(lang, `inbox.decision.${d.decision}`)}</strong> — ${c.trackingNumber}</p>
        ${d.comment ? html`<blockquote class="comment">${d.comment}</blockquote>` : nothing}
      </overa-sign>
      ${d.phase === 'sending' ? html`<p class="status status--busy" role="status">${msg(lang, 'inbox.sending')}</p>` : nothing}
      <div class="actions">
        <button type="button" class="secondary" ?disabled=${d.phase === 'sending'} @click=${() => (this.deciding = { ...d, phase: 'compose', context: null })}>
          ${msg(lang, 'inbox.changeComment')}
        </button>
      </div>`;
  }
}

function toProblem(err: unknown): ShownProblem {
  if (err instanceof OveraApiError) return { code: err.code, requestId: err.requestId };
  if (err instanceof OveraError) return { code: err.code };
  console.error('overa-approval-inbox:', err);
  return { code: 'unknown' };
}
