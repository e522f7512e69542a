import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ApplicationView } from '../core/api.ts';
import { localize, type ApplicationData, type FieldValue, type FormDefinition, type FormField } from '../core/forms/definition.ts';
import { validateApplication, visibleFields, type ValidationIssue } from '../core/forms/validate.ts';
import { todayIn } from '../core/forms/validators.ts';
import {
  clientFor,
  createApplication,
  getApplication,
  getForm,
  newIdempotencyKey,
  OveraApiError,
  OveraError,
  submitApplication,
  updateApplication,
  type OveraClient,
  type Session,
} from '../client/index.ts';
import {
  formatBytes,
  formatDate,
  formatList,
  formIssueMessage,
  msg,
  problemMessage,
  type Lang,
} from '../i18n/index.ts';
import type { OveraSignedDetail } from '../sign/sign.ts';
import { OveraElement } from '../shared/overa-element.ts';
import { errorSummary } from '../shared/error-summary.ts';
import { lazyElement } from '../shared/lazy-element.ts';
import { commonMessages } from '../i18n/en/common.ts';
import { formMessages } from '../i18n/en/form.ts';
import { validationMessages } from '../i18n/en/validation.ts';
import baseStyles from '../styles/base.styles.ts';
import fieldStyles from '../styles/fields.styles.ts';
import linkButtonStyles from '../styles/link-button.styles.ts';
import { Attachments } from './attachments.ts';
import { DraftStore, type SavedDraft } from './draft-store.ts';
import { controlId, renderField, type FieldContext, type RawValue } from './fields.ts';
import styles from './application-form.styles.ts';

/** Detail of `overa-submitted`. */
export interface OveraSubmittedDetail {
  /** The submitted application, with its tracking number. */
  application: ApplicationView;
}

/** Detail of `overa-invalid`: what stopped the person from going on, in the element's language. */
export interface OveraInvalidDetail {
  issues: { field: string; code: string; message: string }[];
}

export interface OveraApplicationFormEventDetails {
  'overa-submitted': OveraSubmittedDetail;
  'overa-invalid': OveraInvalidDetail;
}

/** Which screen the element shows. */
export type OveraApplicationFormStep = 'loading' | 'load-error' | 'form' | 'check' | 'sent';

/** An error shown beside a field: the validator's issue, or a message the server gave. */
interface ShownIssue {
  issue: ValidationIssue;
  /** Set when the server found what the local check did not (words already chosen). */
  message?: string;
}

interface ShownProblem {
  code: string;
  requestId?: string | undefined;
}

/** The sign-in and signing steps load their elements when a person reaches them. */
const ensureAccount = lazyElement('overa-account', () => import('../account/define.ts'));
const ensureSign = lazyElement('overa-sign', () => import('../sign/define.ts'));

const AUTOSAVE_DELAY_MS = 400;

/**
 * An application form for a citizen's request, rendered from the agency's form definition:
 * every field type, hints, "(optional)" labels, validation after interaction and on
 * continuing (a GOV.UK error summary that takes focus and links to each field), autosave in
 * the browser with an offer to restore, attachments with progress and cancel, a "check your
 * answers" step, and one submission per intent (an idempotency key), ending in a receipt
 * with the tracking number.
 *
 * @summary Apply online: fill in, attach, check, send.
 *
 * @fires overa-submitted - The application was sent. `detail: { application }` (with `trackingNumber`).
 * @fires overa-invalid - Continuing or sending was stopped by errors. `detail: { issues: [{field, code, message}] }`.
 * @fires change - A field's answer was committed (native-like; `input` events from the fields bubble as they are).
 *
 * @csspart form - The form (fields step).
 * @csspart error - The error summary, focused when it appears.
 * @csspart restore - The "continue where you left off" banner.
 * @csspart returned - The official's comment on a returned application.
 * @csspart continue-button - "Continue" to the check step.
 * @csspart check - The "check your answers" step.
 * @csspart send-button - "Send application" (or "Continue to signing" for a form that must be signed).
 * @csspart sign - The embedded `<overa-sign>` (forms that must be signed).
 * @csspart receipt - The confirmation panel with the tracking number.
 * @csspart applications-link - The receipt's link to "My applications" (with `applications-href`).
 * @csspart status - The status line, a polite live region.
 *
 * @cssprop [--overa-color-primary=#1d70b8] - Primary button colour.
 * @cssprop [--overa-color-success=#00703c] - Receipt panel and "sent" colour.
 * @cssprop [--overa-color-danger=#d4351c] - Error colour.
 * @cssprop [--overa-color-focus=#ffdd00] - Focus ring colour.
 * @cssprop [--overa-color-text=#0b0c0c] - Text colour.
 * @cssprop [--overa-color-muted=#505a5f] - Hint colour.
 * @cssprop [--overa-color-surface=#ffffff] - Background.
 * @cssprop [--overa-font-family=inherit] - Font; by default the page's.
 * @cssprop [--overa-radius=4px] - Corner radius.
 * @cssprop [--overa-space=1rem] - Base spacing unit.
 */
export class OveraApplicationForm extends OveraElement<OveraApplicationFormEventDetails> {
  static override styles = [baseStyles, fieldStyles, linkButtonStyles, styles];
  static override messages = [commonMessages, formMessages, validationMessages];

  /** The form to load (`GET /forms/:id`), unless `definition` is set. */
  @property({ attribute: 'form-id', reflect: true }) formId = '';

  /** A version of the form; by default the current one. */
  @property({ attribute: 'form-version', type: Number }) formVersion: number | undefined;

  /** An existing draft or returned application to continue (prefilled from the server). */
  @property({ attribute: 'application-id', reflect: true }) applicationId = '';

  /** The host page's "My applications" address: the receipt then links to it. */
  @property({ attribute: 'applications-href' }) applicationsHref = '';

  /** Turns off keeping unfinished answers in this browser (e.g. on shared computers). */
  @property({ type: Boolean, attribute: 'no-autosave' }) noAutosave = false;

  /** The form definition itself, instead of loading it by `form-id`. */
  @property({ attribute: false }) definition: FormDefinition | null = null;

  @state() private def: FormDefinition | null = null;
  @state() private phase: OveraApplicationFormStep = 'loading';
  @state() private values: Record<string, RawValue> = {};
  @state() private shown: Record<string, ShownIssue> = {};
  /** True once the person tried to continue: `required` errors show from then on. */
  @state() private attempted = false;
  @state() private summaryFields: string[] = [];
  @state() private problem: ShownProblem | null = null;
  @state() private busy = false;
  @state() private status: string | null = null;
  @state() private application: ApplicationView | null = null;
  /** The draft being signed (forms that require a signature), once written to the server. */
  @state() private signingDraft: ApplicationView | null = null;
  /** The signature made over `signingDraft`, kept so that sending can be retried without signing again. */
  @state() private signatureId: string | null = null;
  @state() private receipt: ApplicationView | null = null;
  @state() private restoreOffer: SavedDraft | null = null;
  @state() private signedIn = false;
  @state() private revision = 0;

  private readonly attachments = new Attachments(() => this.onAttachmentsChanged());
  private drafts: DraftStore | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** One key per "send" intent, kept across retries until the answers change. */
  private sendKey: string | null = null;
  /** The answers last written to the server draft (JSON), to skip a needless PUT on retry. */
  private savedToServer: string | null = null;
  private loadToken = 0;

  /** The screen shown now. */
  get step(): OveraApplicationFormStep {
    return this.phase;
  }

  /** The answers as they would be sent (files as upload ids). */
  get data(): ApplicationData {
    return this.collect();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.flushAutosave();
    this.attachments.abortAll();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const serverChanged = changed.has('server') && this.client !== null && this.client !== clientFor(this.server);
    super.willUpdate(changed);
    if (changed.has('definition') || changed.has('formId') || changed.has('formVersion') || changed.has('applicationId') || serverChanged) {
      void this.load();
    }
  }

  protected override clientAttached(client: OveraClient): void {
    this.signedIn = Boolean(client.token);
    if (client.token && !client.user) void client.me().catch(() => undefined);
  }

  protected override sessionChanged(session: Session): void {
    const was = this.signedIn;
    this.signedIn = Boolean(session.token);
    // Someone signed in on the page while a returned application waited for it: load it now.
    if (!was && this.signedIn && this.applicationId && this.phase === 'load-error') void this.load();
    if (!this.signedIn) this.problem = null;
  }

  /** Loads the definition (and the application to continue, if any), then offers a saved draft. */
  private async load(): Promise<void> {
    const token = ++this.loadToken;
    const client = this.client ?? clientFor(this.server);
    this.phase = 'loading';
    this.problem = null;
    try {
      let app: ApplicationView | null = null;
      if (this.applicationId) {
        if (!client.token) throw new OveraError('sign-in-required', 'Sign in to continue this application');
        app = await getApplication(client, this.applicationId);
      }
      const def = this.definition ?? (app
        ? await getForm(client, app.formId, app.formVersion)
        : this.formId
          ? await getForm(client, this.formId, this.formVersion)
          : null);
      if (token !== this.loadToken) return;
      if (!def) {
        this.phase = 'loading';
        return;
      }
      this.def = def;
      this.application = app && (app.status === 'draft' || app.status === 'returned') ? app : null;
      this.values = {};
      this.shown = {};
      this.attempted = false;
      this.summaryFields = [];
      this.receipt = null;
      if (app) this.prefill(def, app);
      this.drafts = this.noAutosave ? null : new DraftStore(DraftStore.keyFor(client.apiBase, def.id, def.version, app?.id ?? null));
      const saved = this.drafts?.load() ?? null;
      this.restoreOffer = saved && hasAnswers(saved) ? saved : null;
      this.phase = app && !this.application ? 'sent' : 'form';
      if (app && !this.application) this.receipt = app;
    } catch (err) {
      if (token !== this.loadToken) return;
      this.problem = toProblem(err);
      this.phase = 'load-error';
    }
  }

  private prefill(def: FormDefinition, app: ApplicationView): void {
    const values: Record<string, RawValue> = {};
    for (const field of def.fields) {
      const v = app.data[field.name];
      if (v === undefined) continue;
      if (field.type === 'file') {
        const ids = new Set(Array.isArray(v) ? v : []);
        this.attachments.restore(field.name, app.attachments.filter((a) => ids.has(a.id)));
      } else {
        values[field.name] = typeof v === 'number' ? String(v) : (v as RawValue);
      }
    }
    this.values = values;
    this.savedToServer = JSON.stringify(app.data);
  }

  // ---------------------------------------------------------------- answers

  /** The answers in the data's own types: numbers parsed, empty answers left out, files as ids. */
  private collect(): ApplicationData {
    const data: Record<string, FieldValue> = {};
    for (const field of this.def?.fields ?? []) {
      if (field.type === 'file') {
        const ids = this.attachments.ids(field.name);
        if (ids.length) data[field.name] = ids;
        continue;
      }
      const v = this.values[field.name];
      if (v === undefined || v === '' || v === false || (Array.isArray(v) && v.length === 0)) continue;
      if (field.type === 'number' && typeof v === 'string') {
        const t = v.trim().replace(',', '.');
        data[field.name] = /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : v;
      } else {
        data[field.name] = v;
      }
    }
    return data;
  }

  private validate(): ValidationIssue[] {
    if (!this.def) return [];
    const result = validateApplication(this.def, this.collect(), {
      mode: 'submit',
      uploads: this.attachments.uploadInfo(),
      today: todayIn(),
    });
    return result.issues;
  }

  private issueFor(field: string): ValidationIssue | undefined {
    return this.validate().find((i) => i.field === field);
  }

  private onValue(field: FormField, value: RawValue): void {
    this.values = { ...this.values, [field.name]: value };
    this.answersChanged();
    // An error goes away as soon as the answer is right; new errors wait for a commit.
    if (this.shown[field.name]) {
      const issue = this.issueFor(field.name);
      if (!issue) this.hideIssue(field.name);
      else if (!this.shown[field.name]!.message) this.shown = { ...this.shown, [field.name]: { issue } };
    }
  }

  /** A field was left or changed (change event): now it may say what is wrong with it. */
  private onCommit(field: FormField): void {
    const issue = this.issueFor(field.name);
    if (issue && (issue.code !== 'required' || this.attempted)) this.shown = { ...this.shown, [field.name]: { issue } };
    else if (!issue) this.hideIssue(field.name);
    // `change` does not cross the shadow boundary on its own: say it on the host, as a native control would.
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }

  private hideIssue(name: string): void {
    if (!this.shown[name]) return;
    const next = { ...this.shown };
    delete next[name];
    this.shown = next;
  }

  private onFiles(field: FormField, files: File[]): void {
    if (!this.client) return;
    this.attachments.add(this.client, field, files);
    this.hideIssue(field.name);
  }

  private onRemoveFile(field: FormField, key: string): void {
    this.attachments.cancel(field.name, key);
    this.answersChanged();
  }

  private onAttachmentsChanged(): void {
    this.revision++;
    this.answersChanged();
  }

  private answersChanged(): void {
    this.sendKey = null;
    this.signingDraft = null;
    this.signatureId = null;
    this.scheduleAutosave();
  }

  // ---------------------------------------------------------------- autosave

  private scheduleAutosave(): void {
    // Never overwrite a saved draft the person has not yet chosen to keep or drop.
    if (!this.drafts || this.restoreOffer || this.phase === 'sent') return;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flushAutosave(), AUTOSAVE_DELAY_MS);
  }

  private flushAutosave(): void {
    if (this.saveTimer === undefined) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.drafts || this.restoreOffer || this.phase === 'sent') return;
    const files = this.attachments.snapshot();
    const values: SavedDraft['values'] = {};
    for (const [k, v] of Object.entries(this.values)) if (v !== '' && v !== false) values[k] = v;
    if (Object.keys(values).length === 0 && Object.keys(files).length === 0 && !this.application) {
      this.drafts.clear();
      return;
    }
    this.drafts.save({ values, files, applicationId: this.application?.id ?? null, savedAt: new Date().toISOString() });
  }

  private async restoreDraft(): Promise<void> {
    const saved = this.restoreOffer;
    if (!saved || !this.def) return;
    const values: Record<string, RawValue> = {};
    for (const field of this.def.fields) {
      const v = saved.values[field.name];
      if (v !== undefined && field.type !== 'file') values[field.name] = v;
      if (field.type === 'file' && saved.files[field.name]) this.attachments.restore(field.name, saved.files[field.name]!);
    }
    this.values = values;
    this.restoreOffer = null;
    this.status = msg(this.resolvedLang, 'form.restored');
    if (saved.applicationId && !this.application && this.client?.token) {
      try {
        const app = await getApplication(this.client, saved.applicationId);
        if (app.status === 'draft') this.application = app;
      } catch {
        /* gone or not ours any more: a new draft is made on sending */
      }
    }
    await this.focusSelector('form [id^="f-"]');
  }

  private discardDraft(): void {
    this.drafts?.clear();
    this.restoreOffer = null;
    void this.focusSelector('form [id^="f-"]');
  }

  // ---------------------------------------------------------------- steps

  private async onContinue(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.def || this.busy) return;
    this.attempted = true;
    this.problem = null;
    const issues = this.validate();
    const files = this.def.fields.filter((f) => f.type === 'file');
    const waiting = files.filter((f) => this.attachments.of(f.name).some((i) => i.state === 'uploading'));
    // A file that could not be attached stays listed with its reason until removed: going on
    // past it would leave the applicant believing it was sent.
    const failed = files
      .map((f) => ({ field: f, names: this.attachments.of(f.name).filter((i) => i.state === 'failed').map((i) => i.name) }))
      .filter((f) => f.names.length > 0);
    if (issues.length > 0 || waiting.length > 0 || failed.length > 0) {
      const shown: Record<string, ShownIssue> = {};
      for (const issue of issues) shown[issue.field] = { issue };
      for (const { field, names } of failed) {
        const message = msg(this.resolvedLang, 'form.file.fixFailed', { count: names.length, names: formatList(this.resolvedLang, names) });
        shown[field.name] = { issue: { field: field.name, code: 'required' }, message };
      }
      for (const f of waiting) if (!shown[f.name]) shown[f.name] = { issue: { field: f.name, code: 'required' }, message: msg(this.resolvedLang, 'form.file.wait') };
      this.shown = shown;
      await this.showSummary();
      return;
    }
    this.shown = {};
    this.summaryFields = [];
    this.flushAutosave();
    this.phase = 'check';
    await this.focusSelector('#check-heading');
  }

  private async showSummary(): Promise<void> {
    const order = (this.def?.fields ?? []).map((f) => f.name);
    this.summaryFields = Object.keys(this.shown).sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const lang = this.resolvedLang;
    this.emit('overa-invalid', {
      issues: this.summaryFields.map((field) => ({ field, code: this.shown[field]!.issue.code, message: this.messageFor(field, lang) })),
    });
    await this.focusSelector('.error-summary');
  }

  private async backToForm(field?: string): Promise<void> {
    this.phase = 'form';
    this.signingDraft = null;
    this.signatureId = null;
    this.problem = null;
    const target = field ? this.def?.fields.find((f) => f.name === field) : undefined;
    await this.focusSelector(target ? `#${controlId(target)}` : 'form [id^="f-"]');
  }

  /**
   * Sends the application: writes the server draft (created once per intent, thanks to the
   * idempotency key, or updated when the answers changed), then submits it with the
   * signature when there is one. A retry after a lost answer reuses the same keys, so the
   * server answers as the first time and no second application appears.
   */
  private async send(signatureId?: string): Promise<void> {
    const client = this.client;
    if (!this.def || !client || this.busy) return;
    if (!client.token) {
      this.problem = { code: 'sign-in-required' };
      await this.focusSelector('.error-summary');
      return;
    }
    this.busy = true;
    this.problem = null;
    this.status = msg(this.resolvedLang, 'form.sending');
    try {
      const key = (this.sendKey ??= newIdempotencyKey());
      const app = await this.ensureDraft(client, key);
      const input = signatureId === undefined ? {} : { signatureId };
      const sent = await submitApplication(client, app.id, app.version, input, { idempotencyKey: `${key}:submit` });
      this.finish(sent);
    } catch (err) {
      this.busy = false;
      this.status = null;
      await this.showSendError(err);
      return;
    }
    await this.focusSelector('.receipt');
  }

  /** Forms that need a signature: write the draft first, so that what is signed is what the server holds. */
  private async prepareSigning(): Promise<void> {
    const client = this.client;
    if (!this.def || !client || this.busy) return;
    this.busy = true;
    this.problem = null;
    try {
      this.signingDraft = await this.ensureDraft(client, (this.sendKey ??= newIdempotencyKey()));
    } catch (err) {
      await this.showSendError(err);
    } finally {
      this.busy = false;
    }
    if (this.signingDraft) await this.focusSelector('overa-sign');
  }

  private async ensureDraft(client: OveraClient, key: string): Promise<ApplicationView> {
    const def = this.def!;
    const data = this.collect();
    const json = JSON.stringify(data);
    let app = this.application;
    if (!app) {
      app = await createApplication(client, { formId: def.id, formVersion: def.version, data }, { idempotencyKey: `${key}:create` });
    } else if (this.savedToServer !== json) {
      app = await updateApplication(client, app.id, app.version, { data });
    } else {
      return app;
    }
    this.application = app;
    this.savedToServer = json;
    this.flushAutosave();
    return app;
  }

  private onSigned(event: CustomEvent<OveraSignedDetail>): void {
    this.signatureId = event.detail.signatureId;
    void this.send(event.detail.signatureId);
  }

  private finish(app: ApplicationView): void {
    this.busy = false;
    this.status = null;
    this.receipt = app;
    this.application = null;
    this.signingDraft = null;
    this.signatureId = null;
    this.sendKey = null;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.drafts?.clear();
    this.phase = 'sent';
    this.emit('overa-submitted', { application: app });
  }

  private async showSendError(err: unknown): Promise<void> {
    if (err instanceof OveraApiError && err.fieldErrors.some((e) => e.field.startsWith('data.'))) {
      // The server is the authority: show its findings on the fields, back on the form.
      const shown: Record<string, ShownIssue> = {};
      for (const e of err.fieldErrors) {
        if (!e.field.startsWith('data.')) continue;
        const name = e.field.slice(5).split('.')[0]!;
        const local = this.issueFor(name);
        shown[name] = local ? { issue: local } : { issue: { field: name, code: e.code as ValidationIssue['code'] }, message: msg(this.resolvedLang, 'field.invalid') };
      }
      this.shown = shown;
      this.phase = 'form';
      await this.updateComplete;
      await this.showSummary();
      return;
    }
    if (err instanceof OveraApiError && err.status === 412) {
      // Someone (this person in another tab) changed the draft: start from what the server has.
      this.application = null;
      this.savedToServer = null;
    }
    this.problem = toProblem(err);
    await this.focusSelector('.error-summary');
  }

  private async focusSelector(selector: string): Promise<void> {
    await this.updateComplete;
    const el = this.renderRoot.querySelector<HTMLElement>(selector);
    el?.focus();
    el?.scrollIntoView?.({ block: 'nearest' });
  }

  private messageFor(field: string, lang: Lang): string {
    const shown = this.shown[field];
    if (!shown) return '';
    return shown.message ?? formIssueMessage(shown.issue, lang, this.def ?? undefined);
  }

  private onSummaryLink(event: MouseEvent, field: string): void {
    // Never change the host page's URL: focus the field ourselves, as GOV.UK's script does.
    event.preventDefault();
    const target = this.def?.fields.find((f) => f.name === field);
    if (!target) return;
    const el = this.renderRoot.querySelector<HTMLElement>(`#${controlId(target)}`);
    // Scroll the question (legend or label) into view too, not just the control.
    el?.closest('.field')?.scrollIntoView({ block: 'start' });
    el?.focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------- render

  protected override render(): TemplateResult {
    const lang = this.resolvedLang;
    void this.revision;
    let body: TemplateResult;
    switch (this.phase) {
      case 'loading':
        body = html`<p class="status status--busy" role="status">${msg(lang, 'form.loading')}</p>`;
        break;
      case 'load-error':
        body = this.renderLoadError(lang);
        break;
      case 'check':
        body = this.renderCheck(lang);
        break;
      case 'sent':
        body = this.renderReceipt(lang);
        break;
      default:
        body = this.renderForm(lang);
    }
    return html`<div lang=${lang} aria-busy=${this.busy || this.phase === 'loading' ? 'true' : 'false'}>${body}</div>`;
  }

  private renderLoadError(lang: Lang): TemplateResult {
    if (this.problem?.code === 'sign-in-required') {
      ensureAccount();
      return html`<div class="notice">
        <p>${msg(lang, 'form.signInToContinue')}</p>
        <overa-account server=${this.server} lang=${lang}></overa-account>
      </div>`;
    }
    return errorSummary(lang, {
      title: msg(lang, 'form.loadFailed'),
      text: problemMessage(lang, this.problem?.code ?? 'unknown'),
      retry: { label: msg(lang, 'form.retry'), onClick: () => void this.load() },
    });
  }

  private renderHeading(lang: Lang): TemplateResult {
    const def = this.def!;
    return html`<h2 class="form-title">${localize(def.title, lang)}</h2>
      ${def.description ? html`<p class="lead">${localize(def.description, lang)}</p>` : nothing}`;
  }

  private renderErrorSummary(lang: Lang): TemplateResult | typeof nothing {
    const fields = this.summaryFields.filter((f) => this.shown[f]);
    if (fields.length === 0 && !this.problem) return nothing;
    return errorSummary(lang, {
      title: msg(lang, 'error.title'),
      links: fields.map(
        (f) => html`<a href="#${this.linkTarget(f)}" @click=${(e: MouseEvent) => this.onSummaryLink(e, f)}
          ><span class="summary-field">${this.fieldLabel(f, lang)}:</span> ${this.messageFor(f, lang)}</a
        >`,
      ),
      text: this.problem ? this.problemText(lang, this.problem.code) : undefined,
      requestId: this.problem?.requestId,
    });
  }

  private problemText(lang: Lang, code: string): string {
    if (code === 'sign-in-required') return msg(lang, 'form.signInToSend');
    if (code === 'version-mismatch' || code === 'precondition-failed') return msg(lang, 'form.changedElsewhere');
    return problemMessage(lang, code);
  }

  /** The question, so "Enter an answer" in the summary says which one (the inline error sits under it already). */
  private fieldLabel(field: string, lang: Lang): string {
    const f = this.def?.fields.find((x) => x.name === field);
    return f ? localize(f.label, lang).replace(/[?:]\s*$/, '') : field;
  }

  private linkTarget(field: string): string {
    const f = this.def?.fields.find((x) => x.name === field);
    return f ? controlId(f) : field;
  }

  private renderRestoreOffer(lang: Lang): TemplateResult | typeof nothing {
    const saved = this.restoreOffer;
    if (!saved) return nothing;
    const when = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(saved.savedAt));
    return html`<div part="restore" class="banner" role="region" aria-labelledby="restore-title">
      <h3 id="restore-title">${msg(lang, 'form.restoreTitle')}</h3>
      <p>${msg(lang, 'form.restoreText', { when })}</p>
      <div class="actions">
        <button type="button" class="primary" @click=${() => this.restoreDraft()}>${msg(lang, 'form.restore')}</button>
        <button type="button" class="secondary" @click=${() => this.discardDraft()}>${msg(lang, 'form.startAgain')}</button>
      </div>
    </div>`;
  }

  private renderReturned(lang: Lang): TemplateResult | typeof nothing {
    const app = this.application;
    if (!app || app.status !== 'returned') return nothing;
    return html`<div part="returned" class="banner banner--returned" role="region" aria-labelledby="returned-title">
      <h3 id="returned-title">${msg(lang, 'form.returnedTitle', { number: app.trackingNumber })}</h3>
      ${app.returnComment ? html`<blockquote class="comment">${app.returnComment}</blockquote>` : nothing}
      <p>${msg(lang, 'form.returnedText')}</p>
    </div>`;
  }

  private fieldContext(lang: Lang): FieldContext {
    return {
      lang,
      today: todayIn(),
      value: (name) => this.values[name],
      error: (name) => (this.shown[name] ? this.messageFor(name, lang) : undefined),
      files: (name) => this.attachments.of(name),
      canUpload: this.signedIn,
      disabled: this.busy,
      onValue: (field, value) => this.onValue(field, value),
      onCommit: (field) => this.onCommit(field),
      onFiles: (field, files) => this.onFiles(field, files),
      onRemoveFile: (field, key) => this.onRemoveFile(field, key),
    };
  }

  private renderForm(lang: Lang): TemplateResult {
    const def = this.def!;
    const ctx = this.fieldContext(lang);
    const fields = visibleFields(def, this.collect());
    const hasFiles = def.fields.some((f) => f.type === 'file');
    return html`
      ${this.renderErrorSummary(lang)} ${this.renderHeading(lang)} ${this.renderReturned(lang)} ${this.renderRestoreOffer(lang)}
      ${hasFiles && !this.signedIn
        ? html`<div class="notice sign-in-notice">
            <p>${msg(lang, 'form.signInForFiles')}</p>
            ${ensureAccount()}<overa-account server=${this.server} lang=${lang}></overa-account>
          </div>`
        : nothing}
      <form part="form" novalidate @submit=${this.onContinue}>
        ${fields.map((f) => renderField(f, ctx))}
        <div class="actions">
          <button type="submit" part="continue-button" class="primary" ?disabled=${this.busy}>${msg(lang, 'form.continue')}</button>
        </div>
        ${this.drafts ? html`<p class="hint autosave-note">${msg(lang, 'form.autosaveNote')}</p>` : nothing}
      </form>
      <p part="status" class="status" role="status">${this.status ?? ''}</p>
    `;
  }

  private answerText(field: FormField, lang: Lang): TemplateResult | string {
    const data = this.collect();
    const v = data[field.name];
    if (field.type === 'file') {
      const files = this.attachments.of(field.name).filter((i) => i.state === 'done');
      if (!files.length) return msg(lang, 'form.notProvided');
      return html`<ul class="plain">${files.map((i) => html`<li>${i.name} (${formatBytes(lang, i.size)})</li>`)}</ul>`;
    }
    if (v === undefined) return msg(lang, 'form.notProvided');
    const label = (value: string) => {
      const o = field.options?.find((x) => x.value === value);
      return o ? localize(o.label, lang) : value;
    };
    if (typeof v === 'boolean') return msg(lang, v ? 'form.yes' : 'form.no');
    if (typeof v === 'number') return new Intl.NumberFormat(lang).format(v);
    if (typeof v !== 'string') return html`<ul class="plain">${v.map((x) => html`<li>${label(x)}</li>`)}</ul>`;
    if (field.type === 'date') return formatDate(lang, v);
    return field.options ? label(v) : v;
  }

  private renderCheck(lang: Lang): TemplateResult {
    const def = this.def!;
    const fields = visibleFields(def, this.collect());
    return html`
      ${this.renderErrorSummary(lang)}
      <section part="check" class="check" aria-labelledby="check-heading">
        <h2 id="check-heading" tabindex="-1">${msg(lang, 'form.checkTitle')}</h2>
        <p class="lead">${localize(def.title, lang)}</p>
        <dl class="summary-list">
          ${fields.map(
            (f) => html`<div class="summary-row">
              <dt>${localize(f.label, lang)}</dt>
              <dd class="answer">${this.answerText(f, lang)}</dd>
              <dd class="summary-action">
                <button type="button" class="link-button" ?disabled=${this.busy} @click=${() => this.backToForm(f.name)}>
                  ${msg(lang, 'form.change')}<span class="visually-hidden"> ${localize(f.label, lang)}</span>
                </button>
              </dd>
            </div>`,
          )}
        </dl>
        ${this.renderSendStep(lang)}
      </section>
      <p part="status" class="status ${this.busy ? 'status--busy' : ''}" role="status">${this.status ?? ''}</p>
    `;
  }

  private renderSendStep(lang: Lang): TemplateResult {
    const def = this.def!;
    if (!this.signedIn) {
      ensureAccount();
      return html`<div class="notice">
        <h3>${msg(lang, 'form.signInTitle')}</h3>
        <p>${msg(lang, 'form.signInToSend')}</p>
        <overa-account server=${this.server} lang=${lang}></overa-account>
      </div>`;
    }
    const back = html`<button type="button" class="secondary" ?disabled=${this.busy} @click=${() => this.backToForm()}>${msg(lang, 'form.back')}</button>`;
    if (!def.signature.required) {
      return html`
        <h3>${msg(lang, 'form.sendTitle')}</h3>
        <p>${msg(lang, 'form.sendText')}</p>
        <div class="actions">
          <button type="button" part="send-button" class="primary" ?disabled=${this.busy} @click=${() => this.send()}>${msg(lang, 'form.send')}</button>
          ${back}
        </div>
      `;
    }
    const draft = this.signingDraft;
    if (!draft) {
      return html`
        <h3>${msg(lang, 'form.sendTitle')}</h3>
        <p>${msg(lang, 'form.sendTextSigned')}</p>
        <div class="actions">
          <button type="button" part="send-button" class="primary" ?disabled=${this.busy} @click=${() => this.prepareSigning()}>
            ${msg(lang, 'form.toSigning')}
          </button>
          ${back}
        </div>
      `;
    }
    ensureSign();
    return html`
      <overa-sign
        part="sign"
        tabindex="-1"
        server=${this.server}
        lang=${lang}
        subject-type="application"
        subject-id=${draft.id}
        action="submit"
        @overa-signed=${this.onSigned}
      >
        <p class="signing-what"><strong>${localize(def.title, lang)}</strong><br />${msg(lang, 'form.draftNumber', { number: draft.trackingNumber })}</p>
      </overa-sign>
      <div class="actions after-sign">
        ${this.signatureId
          ? html`<button type="button" part="send-button" class="primary" ?disabled=${this.busy} @click=${() => this.send(this.signatureId ?? undefined)}>
              ${msg(lang, 'form.send')}
            </button>`
          : nothing}
        ${back}
      </div>
    `;
  }

  private renderReceipt(lang: Lang): TemplateResult {
    const app = this.receipt!;
    const def = this.def;
    return html`<div part="receipt" class="receipt" tabindex="-1" role="region" aria-labelledby="receipt-title">
        <h2 id="receipt-title">${msg(lang, 'form.sentTitle')}</h2>
        <p>${msg(lang, 'form.trackingLabel')}<br /><strong class="tracking">${app.trackingNumber}</strong></p>
      </div>
      <h3>${msg(lang, 'form.nextTitle')}</h3>
      <p>${msg(lang, 'form.nextText', { form: def ? localize(def.title, lang) : app.formId })}</p>
      <p>${msg(lang, 'form.keepNumber')}</p>
      ${this.applicationsHref
        ? html`<p><a part="applications-link" href=${this.applicationsHref}>${msg(lang, 'form.toApplications')}</a></p>`
        : nothing}`;
  }
}

function hasAnswers(saved: SavedDraft): boolean {
  return Object.keys(saved.values).length > 0 || Object.values(saved.files).some((f) => f.length > 0);
}

function toProblem(err: unknown): ShownProblem {
  if (err instanceof OveraApiError) return { code: err.status === 412 ? 'version-mismatch' : err.code, requestId: err.requestId };
  if (err instanceof OveraError) return { code: err.code };
  console.error('overa-application-form:', err);
  return { code: 'unknown' };
}
