import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ApplicationStatus, AttachmentView, CaseDeadline, CaseStepView, CaseUpdatedEvent, CaseView, Decision, DocumentDetails, DocumentReceivedEvent, FormSummary, InboxItem, Page, ReceptionItem } from '../core/api.ts';
import { localize, type FormDefinition } from '../core/forms/definition.ts';
import { OveraApiError } from '../client/errors.ts';
import { decideCase, acceptReception, rejectReception, getCase, inboxEventsUrl, listInbox, listReception, type InboxFilters } from '../client/cases.ts';
import { fetchDocumentPdf, fetchReceivedPdf, getDocument, retryExchangeMessage } from '../client/documents.ts';
import { getForm, listForms } from '../client/applications.ts';
import type { OveraClient, Session } from '../client/client.ts';
import { formatDate, formatDateTime, msg, problemMessage, type Lang } from '../i18n/index.ts';
import { OveraElement } from '../shared/overa-element.ts';
import { errorSummary } from '../shared/error-summary.ts';
import { lazyElement } from '../shared/lazy-element.ts';
import { LazyView, lazyModule } from '../shared/lazy-view.ts';
import { LoadStateController } from '../shared/load-state.ts';
import { IdempotentSend } from '../shared/idempotent-send.ts';
import { toProblem, type ShownProblem } from '../shared/problem.ts';
import { commonMessages } from '../i18n/en/common.ts';
import type { OveraSignedDetail } from '../sign/sign.ts';
import { inboxMessages } from '../i18n/en/inbox.ts';
import { applicationsMessages } from '../i18n/en/applications.ts';
import baseStyles from '../styles/base.styles.ts';
import fieldStyles from '../styles/fields.styles.ts';
import tagStyles from '../styles/tags.styles.ts';
import linkButtonStyles from '../styles/link-button.styles.ts';
import type { Preview } from './case-detail.ts';
import type { SendTo } from './case-view.ts';
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

/**
 * A decision being made on one step of the open case: the comment is written (`compose`),
 * then signed (`sign`, the comment fixed in `context`: the signature covers it), then sent.
 * `problem` is why the last attempt failed, shown until the official moves on.
 */
export type Deciding =
  | {
      readonly phase: 'compose';
      readonly step: string;
      readonly decision: Decision;
      readonly comment: string;
      /** A return or rejection was continued without a reason. */
      readonly missingComment: boolean;
      readonly problem: ShownProblem | null;
    }
  | {
      readonly phase: 'sign' | 'sending';
      readonly step: string;
      readonly decision: Decision;
      readonly comment: string;
      readonly context: { readonly comment: string };
      readonly problem: ShownProblem | null;
    };

/** A received document being acknowledged (its signing shown), and why the last attempt failed. */
export interface Accepting {
  readonly id: string;
  readonly problem: ShownProblem | null;
  /** `reject`: a partner's document refused with a reason (issue 19); default `accept`. */
  readonly action?: 'accept' | 'reject';
  /** The rejection's reason, and whether the official moved on to sign it (it is part of what is signed). */
  readonly reason?: string;
  readonly confirmed?: boolean;
}

/** Sign-in and signing load their elements (one chunk, shared/embedded-elements.ts) when first shown. */
const ensureAccount = lazyElement('overa-account', () => import('../shared/embedded-elements.ts'));
const ensureSign = lazyElement('overa-sign', () => import('../shared/embedded-elements.ts'));

/** An open request and the received documents are views of their own, loaded when reached (and on idle). */
const caseModule = lazyModule(() => import('./case-view.ts'));
const receptionModule = lazyModule(() => import('./reception-view.ts'));

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
  /** The open case's issued document (its code and PDF), once the case is `issued`. */
  private readonly issued = new LoadStateController<DocumentDetails>(this, { who: WHO });
  /** The documents other agencies sent (the reception view). */
  private readonly received = new LoadStateController<ReceptionItem[]>(this, { who: WHO, initial: { state: 'ready', value: [] } });
  private readonly caseView = new LazyView(this, caseModule);
  private readonly receptionView = new LazyView(this, receptionModule);
  /** One idempotency key per decision chosen, one per acknowledgement. */
  private readonly decisionSend = new IdempotentSend(this);
  private readonly acceptSend = new IdempotentSend(this);

  @state() private open: string | null = null;
  @state() private filters: InboxFilters = {};
  @state() private forms: FormSummary[] = [];
  @state() private deciding: Deciding | null = null;
  @state() private accepting: Accepting | null = null;
  @state() private moreBusy = false;
  @state() private previews: ReadonlyMap<string, Preview> = new Map();
  @state() private unread: ReadonlySet<string> = new Set();
  @state() private newCases = 0;
  /** Documents that arrived (server-sent) while the cases were shown. */
  @state() private newReceived = 0;
  /** A download of a received document that failed (said above the list). */
  @state() private receptionNotice: ShownProblem | null = null;
  /** A download of the open case's issued document that failed (said beside its button). */
  @state() private issuedNotice: ShownProblem | null = null;
  @state() private announcement = '';
  /** A fee mark (or its undo) on its way, and why the last one failed. */
  @state() private feeBusy = false;
  @state() private feeProblem: ShownProblem | null = null;
  /** "Send to another agency" on the open case's issued document (issue 19); drawn and driven by the case view. */
  @state() private sendTo: SendTo | null = null;
  /** While a partner delivery of the issued document is queued, the next look at it (see watchDeliveries). */
  private deliveryTimer: ReturnType<typeof setTimeout> | undefined;

  private events: EventSource | null = null;
  private readonly definitions = new Map<string, Promise<FormDefinition | undefined>>();
  @state() private definitionsLoaded = 0;
  private readonly loadedDefinitions = new Map<string, FormDefinition>();

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
    this.revokePreviews();
    clearTimeout(this.deliveryTimer);
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
    void listForms(client).then((forms) => (this.forms = forms), () => undefined);
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
    this.receptionNotice = null;
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

  private async download(item: ReceptionItem): Promise<void> {
    if (!this.client) return;
    try {
      // A partner's document lives in this server's reception, not among its issued documents.
      const blob = item.partner ? await fetchReceivedPdf(this.client, item.id) : await fetchDocumentPdf(this.client, item.documentId);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${item.trackingNumber}.pdf`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      this.receptionNotice = toProblem(err, WHO);
    }
  }

  private onAccepting(next: Accepting | null): void {
    // Acknowledging another document (or the same one again) is a new intent.
    if (next && next.id !== this.accepting?.id) this.acceptSend.renew();
    this.accepting = next;
  }

  private async onReceptionSigned(event: CustomEvent<OveraSignedDetail>): Promise<void> {
    const a = this.accepting;
    const client = this.client;
    if (!a || !client) return;
    try {
      const updated = await this.acceptSend.run((key) => a.action === 'reject'
        ? rejectReception(client, a.id, event.detail.signatureId, a.reason ?? '', key)
        : acceptReception(client, a.id, event.detail.signatureId, key));
      if (!updated) return;
      this.received.update((items) => items.map((r) => (r.id === updated.id ? updated : r)));
      this.accepting = null;
      this.announcement = msg(this.resolvedLang, a.action === 'reject' ? 'inbox.rejectedNotice' : 'inbox.received');
    } catch (err) {
      this.accepting = { ...a, problem: toProblem(err, WHO) };
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
    if (shown && !this.deciding && shown.version !== event.version) void this.openCase_(event.id, false);
  }

  // ---------------------------------------------------------------- a case

  /** Opens a case (or reads the open one again): its view's chunk loads alongside the case. */
  private async openCase_(id: string, focus: boolean): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (this.open !== id) {
      this.revokePreviews();
      this.deciding = null;
      this.sendTo = null;
      this.open = id;
      this.detail.set({ state: 'loading' });
      this.issued.set({ state: 'loading' });
      this.emit('overa-case-opened', { id });
    }
    if (this.unread.has(id)) {
      const next = new Set(this.unread);
      next.delete(id);
      this.unread = next;
    }
    const applied = await this.detail.load(
      async () => {
        const [c] = await Promise.all([getCase(client, id), this.caseView.load()]);
        return c;
      },
      { keep: true },
    );
    // Another case was opened (or this one closed) meanwhile.
    if (!applied) return;
    const c = this.detail.value;
    if (c) {
      this.patchItem(c);
      void this.definition(c.formId, c.formVersion);
      this.loadIssued(c);
    }
    if (focus) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.detail-heading, .detail .error-summary')?.focus();
    }
  }

  /** Loads the issued document of an `issued` case (once per document); anything else has none. */
  private loadIssued(c: CaseView): void {
    const documentId = c.status === 'issued' && typeof c.documentId === 'string' ? c.documentId : null;
    if (!documentId || !this.client) {
      this.issued.set({ state: 'loading' });
      return;
    }
    if (this.issued.value?.id === documentId) return;
    const client = this.client;
    this.issuedNotice = null;
    void this.issued.load((signal) => getDocument(client, documentId, signal)).then(() => this.watchDeliveries());
  }

  /**
   * While a delivery to a partner agency is queued or on its way, the issued document is read
   * again (after 1 s, doubling to 30 s) so the official sees it delivered without reloading.
   * A failed look leaves the document on show and tries later; another document stops it.
   */
  private watchDeliveries(delay = 1000): void {
    clearTimeout(this.deliveryTimer);
    const d = this.issued.value;
    const client = this.client;
    if (!client || !d?.recipients.some((r) => r.partner?.delivery === 'queued' || r.partner?.delivery === 'delivering')) return;
    const again = () => this.issued.value?.id === d.id && this.watchDeliveries(Math.min(delay * 2, 30_000));
    this.deliveryTimer = setTimeout(() => {
      getDocument(client, d.id).then((next) => {
        if (this.issued.value?.id !== d.id || this.issued.busy) return;
        this.issued.set({ state: 'ready', value: next });
        again();
      }, again);
    }, delay);
  }

  /** A failed message to a partner agency sent again; the document is read again to show it queued. */
  private async retryExchange(d: DocumentDetails, messageId: string): Promise<void> {
    if (!this.client) return;
    const client = this.client;
    this.issuedNotice = null;
    try {
      await retryExchangeMessage(client, d.id, messageId);
      await this.issued.load((signal) => getDocument(client, d.id, signal));
      this.watchDeliveries();
    } catch (err) {
      this.issuedNotice = toProblem(err, WHO);
    }
  }

  private async downloadIssued(d: DocumentDetails): Promise<void> {
    if (!this.client) return;
    this.issuedNotice = null;
    try {
      const blob = await fetchDocumentPdf(this.client, d.id);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${d.trackingNumber}.pdf`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      this.issuedNotice = toProblem(err, WHO);
    }
  }

  private closeCase(focusRow = true): void {
    const id = this.open;
    this.revokePreviews();
    this.open = null;
    this.detail.set({ state: 'loading' });
    this.deciding = null;
    this.feeProblem = null;
    this.sendTo = null;
    clearTimeout(this.deliveryTimer);
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
    // Each choice is a new intent to decide: a key of its own.
    this.decisionSend.renew();
    this.onDeciding({ phase: 'compose', step: step.id, decision, comment: '', missingComment: false, problem: null }, '#decision-comment');
  }

  private onDeciding(next: Deciding | null, focus?: string): void {
    this.deciding = next;
    if (focus) {
      void this.focusAfter(focus).then((target) => {
        if (next?.phase === 'sign' && target) this.keepInView(target);
      });
    }
  }

  /** Once drawn, focus goes to the first of `selector`. */
  private async focusAfter(selector: string): Promise<HTMLElement | null> {
    await this.updateComplete;
    const target = this.renderRoot.querySelector<HTMLElement>(selector);
    target?.focus();
    return target;
  }

  /**
   * After "Continue to signing": the sign box, whose button is at its foot, is scrolled fully into
   * view (issue 17, item 7), and kept there while it grows as its content arrives (the fingerprint
   * of what is signed) until it is ready; focus alone only brings its top into view.
   */
  private keepInView(box: HTMLElement): void {
    const reveal = () => box.scrollIntoView({ block: 'nearest' });
    reveal();
    const observer = new ResizeObserver(() => {
      if (!box.isConnected || this.deciding?.phase !== 'sign') {
        observer.disconnect();
        return;
      }
      reveal();
      if ((box as HTMLElement & { state?: string }).state !== 'preparing') observer.disconnect();
    });
    observer.observe(box);
  }

  /**
   * Marks the open case's fee paid, or undoes the mark. No idempotency key: a repeated mark is
   * refused (409) and changes nothing, and the case is then read again to show where it stands.
   */
  private async sendFee(mark: boolean, statementReference = ''): Promise<void> {
    const c = this.openCase;
    const client = this.client;
    if (!c || !client || this.feeBusy) return;
    this.feeBusy = true;
    this.feeProblem = null;
    try {
      // The requests come with the case's chunk (its buttons are there), not in the first load.
      const view = await this.caseView.load();
      const updated = mark
        ? await view.markFeePaid(client, c.id, statementReference ? { statementReference } : {})
        : await view.undoFeePaid(client, c.id);
      if (this.open !== c.id) return;
      this.detail.set({ state: 'ready', value: updated });
      this.patchItem(updated);
      this.announcement = msg(this.resolvedLang, mark ? 'inbox.fee.marked' : 'inbox.fee.undone');
    } catch (err) {
      if (this.open !== c.id) return;
      this.feeProblem = toProblem(err, WHO);
      if (err instanceof OveraApiError && err.status === 409) void this.openCase_(c.id, false);
    } finally {
      this.feeBusy = false;
    }
  }

  private async onSigned(event: CustomEvent<OveraSignedDetail>): Promise<void> {
    const d = this.deciding;
    const c = this.openCase;
    const client = this.client;
    if (!d || d.phase === 'compose' || !c || !client) return;
    this.deciding = { ...d, phase: 'sending', problem: null };
    try {
      const input = { step: d.step, decision: d.decision, signatureId: event.detail.signatureId, ...(d.comment ? { comment: d.comment } : {}) };
      const updated = await this.decisionSend.run((key) => decideCase(client, c.id, c.version, input, key));
      if (!updated) return;
      this.deciding = null;
      this.detail.set({ state: 'ready', value: updated });
      this.patchItem(updated);
      // The final approval issued the document: the case shows it (its code, its PDF).
      this.loadIssued(updated);
      this.announcement = msg(this.resolvedLang, 'inbox.recorded');
      this.emit('overa-decided', { case: updated, step: d.step, decision: d.decision });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.detail-heading')?.focus();
    } catch (err) {
      this.deciding = { phase: 'compose', step: d.step, decision: d.decision, comment: d.comment, missingComment: false, problem: toProblem(err, WHO) };
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
    // The innermost thing open closes first: the "send to" picker, a decision, then the case.
    if (this.sendTo) {
      if (this.sendTo.phase !== 'sending') {
        this.sendTo = null;
        void this.focusAfter('[part~="send-to-button"]');
      }
      return;
    }
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
    void this.definitionsLoaded;
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
    return html`${this.receptionNotice ? this.renderError(lang, this.receptionNotice, () => this.loadReception()) : nothing}
      ${this.receptionView.render(lang, (view) =>
        view.renderReception(
          {
            lang,
            server: this.server,
            accepting: this.accepting,
            sending: this.acceptSend.busy,
            renderError: (problem, retry) => this.renderError(lang, problem, retry),
            ensureSign,
            onDownload: (item) => void this.download(item),
            onAccepting: (next) => this.onAccepting(next),
            onSigned: (e) => void this.onReceptionSigned(e),
          },
          items,
        ),
      )}`;
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
      ${this.caseView.render(lang, (view) =>
        view.renderCase(
          {
            lang,
            server: this.server,
            deciding: this.deciding,
            previews: this.previews,
            definition: this.loadedDefinitions.get(`${c.formId}@${c.formVersion}`),
            renderError: (problem, retry) => this.renderError(lang, problem, retry),
            ensureSign,
            onPreview: (a) => void this.togglePreview(a),
            onChoose: (step, decision) => this.choose(step, decision),
            onDeciding: (next, focus) => this.onDeciding(next, focus),
            onSigned: (e) => void this.onSigned(e),
            issued: this.issued.now,
            issuedNotice: this.issuedNotice,
            onDownloadIssued: (d) => void this.downloadIssued(d),
            onRetryIssued: () => {
              this.issued.set({ state: 'loading' });
              this.loadIssued(c);
            },
            onRetryExchange: (d, messageId) => void this.retryExchange(d, messageId),
            mayMarkFee: this.client?.user?.kind === 'official' && this.client.user.agencyId === c.agencyId && this.client.user.id !== c.ownerId,
            feeBusy: this.feeBusy,
            feeProblem: this.feeProblem,
            onMarkFee: (statementReference) => void this.sendFee(true, statementReference),
            onUndoFee: () => void this.sendFee(false),
            problem: (err) => toProblem(err, WHO),
            client: this.client,
            sendTo: this.sendTo,
            sendToNow: () => this.sendTo,
            onSendTo: (next, focus) => {
              this.sendTo = next;
              if (focus) void this.focusAfter(focus);
            },
            onDistributed: (d, agencyIds, announcement) => {
              this.issued.set({ state: 'ready', value: d });
              this.emit('overa-document-sent', { documentId: d.id, agencyIds: [...agencyIds] });
              this.sendTo = null;
              this.announcement = announcement;
              this.watchDeliveries();
              void this.focusAfter('[part~="send-to-button"]');
            },
          },
          c,
        ),
      )}
    </section>`;
  }
}
