/**
 * What an official does in an open case of `<overa-approval-inbox>`, part of the case view's
 * chunk (case-view.ts): the issued document and its deliveries, attachment previews, the fee
 * mark, "send to another agency", and a decision from its comment to its signed record. The
 * element keeps the list and the open case's own load (so the case and this chunk are fetched
 * together); everything done in the case lives here, so the list's first load carries none of it.
 */
import { type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { AttachmentView, CaseStepView, CaseView, Decision, DocumentDetails } from '../core/api.ts';
import type { FormDefinition } from '../core/forms/definition.ts';
import { OveraApiError } from '../client/errors.ts';
import type { OveraClient } from '../client/client.ts';
import { decideCase } from '../client/cases.ts';
import { getForm } from '../client/applications.ts';
import { fetchDocumentPdf, getDocument, retryExchangeMessage } from '../client/documents.ts';
import { markFeePaid, undoFeePaid } from '../client/fees.ts';
import { msg, type Lang } from '../i18n/index.ts';
import { IdempotentSend } from '../shared/idempotent-send.ts';
import { LoadStateController } from '../shared/load-state.ts';
import { toProblem, type ShownProblem } from '../shared/problem.ts';
import { saveBlob } from './save-blob.ts';
import type { OveraSignedDetail } from '../sign/sign.ts';
import type { OveraDecidedDetail, OveraDocumentSentDetail } from './approval-inbox.ts';
import type { Preview } from './case-detail.ts';
import { renderCase } from './case-view.ts';
import type { SendTo } from './send-to.ts';

const WHO = 'overa-approval-inbox';

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

/** What the desk needs from the element: its client and open case, and where results go. */
export interface CaseHost {
  /** The element, for renders and its shadow root (focus). */
  readonly element: ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment; readonly server: string };
  client(): OveraClient | null;
  /** The language the element renders in (for announcements). */
  lang(): Lang;
  /** The open case as loaded, or null (none open, or loading). */
  openCase(): CaseView | null;
  /** The open case changed here (a decision, a fee mark): show it, in the list too. */
  show(c: CaseView): void;
  /** Read the open case again (it moved on elsewhere: 409, 412). */
  reload(id: string): void;
  announce(text: string): void;
  decided(detail: OveraDecidedDetail): void;
  sent(detail: OveraDocumentSentDetail): void;
  renderError(lang: Lang, problem: ShownProblem | null, retry: () => void): TemplateResult;
  ensureSign(): void;
}

/** One per element, made when the case view's chunk is first in; `reset()` when a case is closed or another opened. */
export class CaseDesk {
  /** The open case's issued document (its code and PDF), once the case is `issued`. */
  private readonly issued: LoadStateController<DocumentDetails>;
  /** One idempotency key per decision chosen. */
  private readonly decisionSend: IdempotentSend;
  private deciding: Deciding | null = null;
  private previews: ReadonlyMap<string, Preview> = new Map();
  /** A download of the issued document that failed (said beside its button). */
  private issuedNotice: ShownProblem | null = null;
  /** A fee mark (or its undo) on its way, and why the last one failed. */
  private feeBusy = false;
  private feeProblem: ShownProblem | null = null;
  /** "Send to another agency" on the issued document (issue 19). */
  private sendTo: SendTo | null = null;
  /** While a partner delivery of the issued document is queued, the next look at it (see watchDeliveries). */
  private deliveryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly definitions = new Map<string, Promise<FormDefinition | undefined>>();
  private readonly loadedDefinitions = new Map<string, FormDefinition>();

  constructor(private readonly host: CaseHost) {
    this.issued = new LoadStateController<DocumentDetails>(host.element, { who: WHO });
    this.decisionSend = new IdempotentSend(host.element);
  }

  /** True while a decision is open (a case changed elsewhere is then not redrawn under the official). */
  get busy(): boolean {
    return this.deciding !== null;
  }

  /** The title of a form version whose definition was loaded with a case, if it was. */
  title(formId: string, version: number): FormDefinition['title'] | undefined {
    return this.loadedDefinitions.get(`${formId}@${version}`)?.title;
  }

  /** Leaves the open case behind: previews freed, decision and picker closed, no more polling. */
  reset(): void {
    for (const p of this.previews.values()) if (p.state === 'ready') URL.revokeObjectURL(p.url);
    this.previews = new Map();
    this.deciding = null;
    this.feeProblem = null;
    this.sendTo = null;
    this.issued.set({ state: 'loading' });
    clearTimeout(this.deliveryTimer);
    this.update();
  }

  /** A case was (re)loaded: its form's definition and its issued document follow. */
  opened(c: CaseView): void {
    void this.definition(c.formId, c.formVersion);
    this.loadIssued(c);
  }

  /**
   * Escape in the open case: the innermost thing open closes first, the "send to" picker, then
   * a decision. False when neither was open (the element then closes the case).
   */
  escape(): boolean {
    if (this.sendTo) {
      if (this.sendTo.phase !== 'sending') {
        this.sendTo = null;
        this.update();
        void this.focusAfter('[part~="send-to-button"]');
      }
      return true;
    }
    if (this.deciding && this.deciding.phase !== 'sending') {
      this.deciding = null;
      this.update();
      return true;
    }
    return false;
  }

  render(lang: Lang, c: CaseView): TemplateResult {
    const host = this.host;
    const client = host.client();
    return renderCase(
      {
        lang,
        server: host.element.server,
        deciding: this.deciding,
        previews: this.previews,
        definition: this.loadedDefinitions.get(`${c.formId}@${c.formVersion}`),
        renderError: (problem, retry) => host.renderError(lang, problem, retry),
        ensureSign: () => host.ensureSign(),
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
        mayMarkFee: client?.user?.kind === 'official' && client.user.agencyId === c.agencyId && client.user.id !== c.ownerId,
        feeBusy: this.feeBusy,
        feeProblem: this.feeProblem,
        onMarkFee: (statementReference) => void this.sendFee(true, statementReference),
        onUndoFee: (reason) => void this.sendFee(false, '', reason),
        problem: (err) => toProblem(err, WHO),
        client,
        sendTo: this.sendTo,
        sendToNow: () => this.sendTo,
        onSendTo: (next, focus) => {
          this.sendTo = next;
          this.update();
          if (focus) void this.focusAfter(focus);
        },
        onDistributed: (d, agencyIds, announcement) => {
          this.issued.set({ state: 'ready', value: d });
          host.sent({ documentId: d.id, agencyIds: [...agencyIds] });
          this.sendTo = null;
          host.announce(announcement);
          this.watchDeliveries();
          void this.focusAfter('[part~="send-to-button"]');
        },
      },
      c,
    );
  }

  private update(): void {
    this.host.element.requestUpdate();
  }

  private definition(formId: string, version: number): Promise<FormDefinition | undefined> {
    const key = `${formId}@${version}`;
    let pending = this.definitions.get(key);
    const client = this.host.client();
    if (!pending && client) {
      pending = getForm(client, formId, version).then(
        (def) => {
          this.loadedDefinitions.set(key, def);
          this.update();
          return def;
        },
        () => undefined,
      );
      this.definitions.set(key, pending);
    }
    return pending ?? Promise.resolve(undefined);
  }

  /** Loads the issued document of an `issued` case (once per document); anything else has none. */
  private loadIssued(c: CaseView): void {
    const documentId = c.status === 'issued' && typeof c.documentId === 'string' ? c.documentId : null;
    const client = this.host.client();
    if (!documentId || !client) {
      this.issued.set({ state: 'loading' });
      return;
    }
    if (this.issued.value?.id === documentId) return;
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
    const client = this.host.client();
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
    const client = this.host.client();
    if (!client) return;
    this.issuedNotice = null;
    try {
      await retryExchangeMessage(client, d.id, messageId);
      await this.issued.load((signal) => getDocument(client, d.id, signal));
      this.watchDeliveries();
    } catch (err) {
      this.issuedNotice = toProblem(err, WHO);
      this.update();
    }
  }

  private async downloadIssued(d: DocumentDetails): Promise<void> {
    const client = this.host.client();
    if (!client) return;
    this.issuedNotice = null;
    this.update();
    try {
      saveBlob(await fetchDocumentPdf(client, d.id), `${d.trackingNumber}.pdf`);
    } catch (err) {
      this.issuedNotice = toProblem(err, WHO);
      this.update();
    }
  }

  private async togglePreview(a: AttachmentView): Promise<void> {
    const current = this.previews.get(a.id);
    const next = new Map(this.previews);
    this.update();
    if (current) {
      if (current.state === 'ready') URL.revokeObjectURL(current.url);
      next.delete(a.id);
      this.previews = next;
      return;
    }
    next.set(a.id, { state: 'loading' });
    this.previews = next;
    try {
      const blob = await this.host.client()!.request<Blob>('GET', `uploads/${encodeURIComponent(a.id)}`, { as: 'blob' });
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
    this.update();
  }

  private choose(step: CaseStepView, decision: Decision): void {
    // Each choice is a new intent to decide: a key of its own.
    this.decisionSend.renew();
    this.onDeciding({ phase: 'compose', step: step.id, decision, comment: '', missingComment: false, problem: null }, '#decision-comment');
  }

  private onDeciding(next: Deciding | null, focus?: string): void {
    this.deciding = next;
    this.update();
    if (focus) {
      void this.focusAfter(focus).then((target) => {
        if (next?.phase === 'sign' && target) this.keepInView(target);
      });
    }
  }

  /** Once drawn, focus goes to the first of `selector`. */
  private async focusAfter(selector: string): Promise<HTMLElement | null> {
    await this.host.element.updateComplete;
    const target = this.host.element.renderRoot.querySelector<HTMLElement>(selector);
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
   * Marks the open case's fee paid (with the bank statement's reference, if given), or undoes
   * the mark (with why, if given: it goes into the case's audit). No idempotency key: a repeated mark is
   * refused (409) and changes nothing, and the case is then read again to show where it stands.
   */
  private async sendFee(mark: boolean, statementReference = '', reason = ''): Promise<void> {
    const host = this.host;
    const c = host.openCase();
    const client = host.client();
    if (!c || !client || this.feeBusy) return;
    this.feeBusy = true;
    this.feeProblem = null;
    this.update();
    try {
      const updated = mark ? await markFeePaid(client, c.id, statementReference ? { statementReference } : {}) : await undoFeePaid(client, c.id, reason ? { reason } : {});
      if (host.openCase()?.id !== c.id) return;
      host.show(updated);
      host.announce(msg(host.lang(), mark ? 'inbox.fee.marked' : 'inbox.fee.undone'));
    } catch (err) {
      if (host.openCase()?.id !== c.id) return;
      this.feeProblem = toProblem(err, WHO);
      if (err instanceof OveraApiError && err.status === 409) host.reload(c.id);
    } finally {
      this.feeBusy = false;
      this.update();
    }
  }

  private async onSigned(event: CustomEvent<OveraSignedDetail>): Promise<void> {
    const host = this.host;
    const d = this.deciding;
    const c = host.openCase();
    const client = host.client();
    if (!d || d.phase === 'compose' || !c || !client) return;
    this.onDeciding({ ...d, phase: 'sending', problem: null });
    try {
      const input = { step: d.step, decision: d.decision, signatureId: event.detail.signatureId, ...(d.comment ? { comment: d.comment } : {}) };
      const updated = await this.decisionSend.run((key) => decideCase(client, c.id, c.version, input, key));
      if (!updated) return;
      this.deciding = null;
      host.show(updated);
      // The final approval issued the document: the case shows it (its code, its PDF).
      this.loadIssued(updated);
      host.announce(msg(host.lang(), 'inbox.recorded'));
      host.decided({ case: updated, step: d.step, decision: d.decision });
      void this.focusAfter('.detail-heading');
    } catch (err) {
      this.onDeciding({ phase: 'compose', step: d.step, decision: d.decision, comment: d.comment, missingComment: false, problem: toProblem(err, WHO) });
      // Someone else decided, or the case moved on: show what it is now.
      if (err instanceof OveraApiError && (err.status === 409 || err.status === 412)) host.reload(c.id);
      void this.focusAfter('.decision .error-summary');
    }
  }
}
