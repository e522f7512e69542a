import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ApplicationView } from '../core/api.ts';
import { localize, parseFieldPath, type ApplicationData, type FieldValue, type FormDefinition, type FormField } from '../core/forms/definition.ts';
import type { ValidationIssue } from '../core/forms/validate.ts';
import { visibleFields } from '../core/forms/visibility.ts';
import { todayIn } from '../core/forms/dates.ts';
import { clientFor, type OveraClient, type Session } from '../client/client.ts';
import { createApplication, getApplication, getForm, submitApplication, updateApplication } from '../client/applications.ts';
import { OveraError } from '../client/errors.ts';
import { msg, problemMessage, type Lang } from '../i18n/index.ts';
import { OveraElement } from '../shared/overa-element.ts';
import { errorSummary } from '../shared/error-summary.ts';
import { lazyElement } from '../shared/lazy-element.ts';
import { LazyView, lazyModule } from '../shared/lazy-view.ts';
import { LoadStateController } from '../shared/load-state.ts';
import { IdempotentSend } from '../shared/idempotent-send.ts';
import { HistorySteps } from '../shared/history-steps.ts';
import { FocusTracker } from '../shared/focus-track.ts';
import { toProblem, type ShownProblem } from '../shared/problem.ts';
import { commonMessages } from '../i18n/en/common.ts';
import { formMessages } from '../i18n/en/form.ts';
import baseStyles from '../styles/base.styles.ts';
import fieldStyles from '../styles/fields.styles.ts';
import type { Attachments } from './attachments.ts';
import { AutosaveController } from './autosave.ts';
import { DraftStore, type SavedDraft } from './draft-store.ts';
import { addButtonId, controlId, controlNameOfPath, itemControlName, itemHeadingId, pathOfControlName } from './control-ids.ts';
import { described, labelText, renderField, type FieldContext, type RawItem, type RawValue } from './fields.ts';
import type { ServerIssue, SendHost, Signing } from './check-view.ts';
import type { FileKit } from './file-field.ts';
import type { Kit, ShownPage } from './pages-groups.ts';
import type { FileRules } from './validation.ts';
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

/**
 * The steps that are entries of the host page's history (components/shared/history-steps.ts):
 * the questions, "check your answers", signing (forms that must be signed), the receipt.
 */
export type OveraApplicationFormHistoryStep = 'form' | 'check' | 'signing' | 'sent' | `form:${string}`;
const HISTORY_STEPS: readonly string[] = ['form', 'check', 'signing', 'sent'] satisfies OveraApplicationFormHistoryStep[];

/** Where the person is once the form has loaded: answering, checking the answers, or done. */
type Stage = { readonly step: 'form' } | { readonly step: 'check' } | { readonly step: 'sent'; readonly receipt: ApplicationView };

/** An error shown beside a field: the validator's issue, or a message the server gave. */
interface ShownIssue {
  issue: ValidationIssue;
  /** Set when the server found what the local check did not (words already chosen). */
  message?: string;
}

/**
 * The errors on show: beside their fields, and (in the form's order) in the error summary once
 * the person tried to go on. `attempted`: they tried, so "required" errors show from then on.
 */
interface Issues {
  readonly shown: Readonly<Record<string, ShownIssue>>;
  readonly summary: readonly string[];
  readonly attempted: boolean;
}

const NO_ISSUES: Issues = { shown: {}, summary: [], attempted: false };
/** No checks before uploading (the validator's chunk could not load): the server refuses what it must. */
const NO_FILE_RULES: FileRules = { check: () => undefined, typeIssue: () => undefined };
const FORM: Stage = { step: 'form' };
/** The first question's control (not its hint, which comes before it). */
const FIRST_QUESTION = 'form :is(input, select, textarea)[id^="f-"]';
const WHO = 'overa-application-form';
/** Loading without a form to load (no `form-id` yet): the element waits in its loading state. */
const NO_FORM = new Error('no form given');

/** The sign-in and signing steps load their elements (one chunk, shared/embedded-elements.ts) when a person reaches them. */
const ensureAccount = lazyElement('overa-account', () => import('../shared/embedded-elements.ts'));
const ensureSign = lazyElement('overa-sign', () => import('../shared/embedded-elements.ts'));

/** "Check your answers", sending and the receipt: a chunk loaded when the person continues (and on idle). */
const checkModule = lazyModule(() => import('./check-view.ts'));
/** The validator, the file rules and their words: a chunk loaded on idle (nothing is wrong with an untouched form). */
const validationModule = lazyModule(() => import('./validation.ts'));
/** Pages, repeating groups and prefill: a chunk loaded with a form that has any of them (others never fetch it). */
const pagesGroupsModule = lazyModule(() => import('./pages-groups.ts'));
type PagesGroups = Awaited<ReturnType<typeof pagesGroupsModule.load>>;
/** The first-load modules the pages-and-groups chunk uses, handed to it (it imports their types only). */
const KIT: Kit = { renderField, controlId, itemControlName, itemHeadingId, addButtonId, controlNameOfPath };

/** File fields (choose, drop, progress, remove): a chunk loaded with a form that has one (others never fetch it). */
const fileFieldModule = lazyModule(() => import('./file-field.ts'));
/** What the file-field chunk uses of fields.ts (it imports its types only). */
const FILE_KIT: FileKit = { labelText, described };

/** What sending (check-view.ts) calls of the client, handed to it (it imports their types only). */
const SEND_API: SendHost['api'] = { create: createApplication, update: updateApplication, submit: submitApplication };

/** Does this form need the pages-and-groups chunk? */
const needsPagesGroups = (def: FormDefinition): boolean => def.pages !== undefined || def.fields.some((f) => f.type === 'group' || f.prefill !== undefined);

/**
 * An application form for a citizen's request, rendered from the agency's form definition:
 * every field type, hints, "(optional)" labels, validation after interaction and on
 * continuing (a GOV.UK error summary that takes focus and links to each field), autosave in
 * the browser with an offer to restore, attachments with progress and cancel, a "check your
 * answers" step, and one submission per intent (an idempotency key), ending in a receipt
 * with the tracking number. Where the server offers e-mail, the receipt offers updates by
 * e-mail in place: the address and the code from the mail, as in `<overa-account>` (a chunk of
 * its own, loaded with the receipt).
 *
 * A form with `pages` is answered page by page: "Continue" checks only that page's answers, each
 * page is a history entry (`form:<page id>`) with a "Back" link to the page before, and "check
 * your answers" lists the answers under each page's title, with "Change" links that go to the
 * page and then come straight back. A repeating group (`type: 'group'`) shows its items with
 * numbered headings, "Add another …" and "Remove" (the focus moves to the new item's first
 * question, or to the item before the removed one), and names the item in its errors
 * ("Co-owner 2: enter the JMBG"). Fields with `prefill` start with the signed-in person's name
 * (or e-mail), which they can change. Pages, groups and prefill come in a chunk of their own,
 * loaded only with a form that has them; a form without them is the single page it always was.
 * File fields (choose, drop, progress, remove, with their uploads and words) are a chunk of their
 * own too, loaded with a form that has one, beside its definition.
 *
 * Each step — the questions, "check your answers", signing, the receipt — is an entry of the
 * host page's history (`history.pushState`, the steps kept under `history.state.overa`, the
 * address unchanged unless `step-param` names a query parameter for it): the browser's Back
 * from "check your answers" returns to the questions with every answer kept, Forward checks
 * them again, and after sending Back leaves the receipt where it is. Two forms on one page
 * each keep their own step (by their `id`, else their form's id). Focus follows every step
 * change (the new step's heading or its next action), and after "Create a passkey" or "Sign
 * in" inside the form it moves on to what the person came to do, never to `<body>`.
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
 * @csspart mail - On the receipt, where the server offers e-mail: "Get updates by e-mail" (or where they go, once on); the `mail-*` parts of `<overa-account>` inside.
 * @csspart mail-open-button - "Get e-mail updates": opens the address and code fields in place.
 * @csspart payment - The fee's payment details and IPS QR code (forms with a fee).
 * @csspart payment-status - The fee's status tag ("Awaiting payment", "Paid").
 * @csspart payment-qr - The NBS IPS QR code (an `<svg>`) that banking apps scan.
 * @csspart copy-button - "Copy" beside the account and the payment reference (poziv na broj).
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
  static override styles = [baseStyles, fieldStyles, styles];
  static override messages = [commonMessages, formMessages];

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

  /**
   * Turns off history entries. By default each step (the questions, "check your answers",
   * signing, the receipt) is an entry of the page's history, so the browser's Back and Forward
   * move between them. A page that keeps its own routing in the history turns them off.
   */
  @property({ type: Boolean, attribute: 'no-history' }) noHistory = false;

  /**
   * Shows the step in the page's address as this query parameter (`step-param="step"` gives
   * `?step=check`). By default the address never changes: the steps live in `history.state`.
   */
  @property({ attribute: 'step-param' }) stepParam = '';

  /** The form definition itself, instead of loading it by `form-id`. */
  @property({ attribute: false }) definition: FormDefinition | null = null;

  /** The form: loading, failed (or waiting for a sign-in), or here to fill in. */
  private readonly form = new LoadStateController<FormDefinition>(this, { who: WHO, failed: (err) => (err === NO_FORM ? { state: 'loading' } : undefined) });
  private readonly autosave = new AutosaveController(this, () => this.draftSnapshot());
  /** One idempotency key per intent to send, kept across retries until the answers change. */
  private readonly send = new IdempotentSend(this);
  /** Each step an entry of the host page's history: Back from "check your answers" is back to the questions. */
  private readonly steps = new HistorySteps<OveraApplicationFormHistoryStep>(this, {
    key: () => this.historyKey(),
    onStep: (step) => void this.onHistoryStep(step),
    url: (step) => {
      if (!this.stepParam) return undefined;
      const url = new URL(location.href);
      url.searchParams.set(this.stepParam, step);
      return url.href;
    },
    enabled: () => !this.noHistory,
  });
  private readonly checkView = new LazyView(this, checkModule);
  private readonly validation = new LazyView(this, validationModule);
  /** Not prefetched on idle: only a form with pages, groups or prefill needs it, and loads it with the form. */
  private readonly pagesGroups = new LazyView(this, pagesGroupsModule, { prefetch: false });
  /** Not prefetched on idle either: only a form with a file field needs it, and loads it with the form. */
  private readonly fileFields = new LazyView(this, fileFieldModule, { prefetch: false });
  /** The file fields' attachments: made when the file-field chunk is in (a form without file fields has none). */
  private attachments: Attachments | null = null;

  @state() private stage: Stage = FORM;
  /** Forms with pages: the page shown (its id); null for a form without pages. */
  @state() private pageId: string | null = null;
  /** A "Change" link brought the person to a page: continuing goes straight back to "check your answers". */
  private returnToCheck = false;
  /** Prefilled fields the person has not changed yet (a later sign-in may still fill the empty ones). */
  private readonly prefilled = new Set<string>();
  @state() private values: Record<string, RawValue> = {};
  @state() private issues: Issues = NO_ISSUES;
  /** Why continuing or sending failed (beyond the fields), shown in the error summary. */
  @state() private problem: ShownProblem | null = null;
  /** The status line: sending, restored. */
  @state() private status: string | null = null;
  /** The server's draft of these answers (created once per intent to send, or the application being continued). */
  @state() private application: ApplicationView | null = null;
  /** Forms that must be signed: the draft being signed, and the signature once made (kept so that sending can be retried without signing again). */
  @state() private signing: Signing | null = null;

  /** Focus the questions' heading once the form is in (someone signed in to continue an application). */
  private focusWhenLoaded = false;
  /** The answers last written to the server draft (JSON), to skip a needless PUT on retry. */
  private savedToServer: string | null = null;
  private signedIn = false;

  /** Is the focus in one of this element's own sign-in boxes (the form's, the check step's; not the signing box's)? */
  private readonly focusInSignIn = new FocusTracker(this, 'overa-account');

  /** The screen shown now. */
  get step(): OveraApplicationFormStep {
    const load = this.form.state;
    if (load === 'ready') return this.stage.step;
    return load === 'error' ? 'load-error' : 'loading';
  }

  /** The answers as they would be sent (files as upload ids). */
  get data(): ApplicationData {
    return this.collect();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.attachments?.abortAll();
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
    if (!was && this.signedIn && this.applicationId && this.form.state === 'error') void this.load();
    if (!this.signedIn) this.problem = null;
    const pg = this.pg();
    if (pg && session.user && this.form.value && !this.application) this.values = pg.prefilledValues(this.form.value, this.values, this.prefilled, session.user) ?? this.values;
    this.requestUpdate();
    if (!was && this.signedIn && this.focusInSignIn.inside) this.focusAfterSignIn();
  }

  // ---------------------------------------------------------------- loading

  /** Loads the definition (and the application to continue, if any), then offers a saved draft. */
  private async load(): Promise<void> {
    const client = this.client ?? clientFor(this.server);
    this.problem = null;
    await this.form.load(async (signal) => {
      let app: ApplicationView | null = null;
      if (this.applicationId) {
        if (!client.token) throw new OveraError('sign-in-required', 'Sign in to continue this application');
        app = await getApplication(client, this.applicationId, signal);
      }
      const def = this.definition ?? (app
        ? await getForm(client, app.formId, app.formVersion)
        : this.formId
          ? await getForm(client, this.formId, this.formVersion)
          : null);
      if (!def) throw NO_FORM;
      // Sent already: its receipt is what there is to show, drawn at once.
      const sent = app && app.status !== 'draft' && app.status !== 'returned' ? app : null;
      if (sent) await this.checkView.load().catch(() => undefined);
      // Pages, groups, prefill, file fields: their chunks are part of such a form (it cannot be
      // drawn without them), fetched side by side.
      await Promise.all([
        needsPagesGroups(def) ? this.pagesGroups.load() : undefined,
        def.fields.some((f) => f.type === 'file')
          ? this.fileFields.load().then((m) => {
              this.attachments ??= new m.Attachments(() => {
                this.requestUpdate();
                this.answersChanged();
              });
            })
          : undefined,
      ]);
      if (!signal.aborted) this.begin(client, def, app, sent);
      return def;
    });
    if (this.form.state !== 'ready') return;
    // A reload on "check your answers" starts again at the questions: the entry says so.
    this.steps.replace(this.historyStep);
    if (this.focusWhenLoaded) {
      this.focusWhenLoaded = false;
      await this.focusSelector('.form-title');
    }
  }

  /** A form (re)loaded: fresh answers (or the application's), a new intent to send, and the draft kept in this browser offered back. */
  private begin(client: OveraClient, def: FormDefinition, app: ApplicationView | null, sent: ApplicationView | null): void {
    this.application = app && !sent ? app : null;
    this.values = {};
    this.issues = NO_ISSUES;
    this.signing = null;
    this.send.renew();
    this.pageId = def.pages?.[0]?.id ?? null;
    this.returnToCheck = false;
    this.prefilled.clear();
    if (app) this.prefill(def, app);
    // (Called while the form loads: `this.form.value` is not this definition yet.)
    const pg = this.pg(def);
    if (pg && !app) {
      this.values = pg.startGroups(def, this.values);
      this.values = pg.prefilledValues(def, this.values, this.prefilled, client.user) ?? this.values;
    }
    this.autosave.start(this.noAutosave ? null : DraftStore.keyFor(client.apiBase, def.id, def.version, app?.id ?? null));
    this.stage = sent ? { step: 'sent', receipt: sent } : FORM;
  }

  private prefill(def: FormDefinition, app: ApplicationView): void {
    const values: Record<string, RawValue> = {};
    for (const field of def.fields) {
      const v = app.data[field.name];
      if (v === undefined) continue;
      if (field.type === 'file') {
        const ids = new Set(Array.isArray(v) ? v : []);
        this.attachments?.restore(field.name, app.attachments.filter((a) => ids.has(a.id)));
      } else {
        values[field.name] = field.type === 'group' ? this.pg(def)!.toRaw(field, v) : typeof v === 'number' ? String(v) : (v as RawValue);
      }
    }
    this.values = values;
    this.savedToServer = JSON.stringify(app.data);
  }

  /** The pages-and-groups chunk, for a form that needs it (loaded with the form); undefined for others. */
  private pg(def: FormDefinition | undefined = this.form.value): PagesGroups | undefined {
    return def && needsPagesGroups(def) ? this.pagesGroups.get() : undefined;
  }

  // ---------------------------------------------------------------- answers

  /** The answers in the data's own types: numbers parsed, empty answers left out, files as ids. */
  private collect(): ApplicationData {
    return this.collectLevel(this.form.value?.fields ?? [], this.values, true);
  }

  /** One level of answers: the form's, or one item's (a group keeps every item, even an empty one: the person added it). */
  private collectLevel(fields: readonly FormField[], values: Readonly<Record<string, RawValue>>, top: boolean): ApplicationData {
    const data: Record<string, FieldValue> = {};
    for (const field of fields) {
      if (field.type === 'file') {
        const ids = (top && this.attachments?.ids(field.name)) || [];
        if (ids.length) data[field.name] = ids;
        continue;
      }
      const v = values[field.name];
      if (field.type === 'group') {
        const items = Array.isArray(v) ? (v as RawItem[]) : [];
        if (items.length) data[field.name] = items.map((item) => this.collectLevel(field.fields ?? [], item, false));
        continue;
      }
      if (v === undefined || v === '' || v === false || (Array.isArray(v) && v.length === 0)) continue;
      if (field.type === 'number' && typeof v === 'string') {
        const t = v.trim().replace(',', '.');
        data[field.name] = /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : v;
      } else {
        data[field.name] = v as FieldValue;
      }
    }
    return data;
  }

  /** The answers' issues, once the validator is in (it is loaded on idle, and awaited where a person acts before that). */
  private validate(): ValidationIssue[] {
    const def = this.form.value;
    const validator = this.validation.get();
    return def && validator ? validator.issuesIn(def, this.collect(), this.attachments?.uploadInfo() ?? {}) : [];
  }

  private issueFor(field: string): ValidationIssue | undefined {
    return this.validate().find((i) => i.field === field);
  }

  private showIssues(shown: Record<string, ShownIssue>, summary = this.issues.summary, attempted = this.issues.attempted): void {
    this.issues = { shown, summary, attempted };
  }

  private onValue(field: FormField, value: RawValue): void {
    const path = pathOfControlName(field.name);
    const p = parseFieldPath(path);
    if (p.group === undefined) {
      this.values = { ...this.values, [field.name]: value };
      this.prefilled.delete(field.name);
    } else {
      const items = [...this.itemsOf(p.group)];
      items[p.index!] = { ...items[p.index!], [p.field]: value };
      this.values = { ...this.values, [p.group]: items };
    }
    this.answersChanged();
    // An error goes away as soon as the answer is right; new errors wait for a commit.
    const shown = this.issues.shown[path];
    if (shown) {
      const issue = this.issueFor(path);
      if (!issue) this.hideIssue(path);
      else if (!shown.message) this.showIssues({ ...this.issues.shown, [path]: { issue } });
    }
  }

  /** A group's items as the inputs hold them. */
  private itemsOf(group: string): readonly RawItem[] {
    const v = this.values[group];
    return Array.isArray(v) ? (v as RawItem[]) : [];
  }

  /** "Add …": a new empty item, and the focus on its first question. */
  private async onAddItem(group: FormField): Promise<void> {
    const items = [...this.itemsOf(group.name), {}];
    this.values = { ...this.values, [group.name]: items };
    this.hideIssue(group.name);
    this.answersChanged();
    await this.focusSelector(this.pg()!.newItemFocus(KIT, this.form.value!, group.name, this.collect(), items.length - 1));
  }

  /** "Remove": the item goes (errors of later items move up with them), the focus to the item before it, else the add button. */
  private async onRemoveItem(group: FormField, index: number): Promise<void> {
    const pg = this.pg()!;
    this.values = { ...this.values, [group.name]: this.itemsOf(group.name).filter((_, i) => i !== index) };
    const shown = pg.withoutItem(this.issues.shown, group.name, index);
    this.showIssues(shown, this.issues.summary.filter((f) => shown[f]));
    this.answersChanged();
    this.status = pg.removedText(this.resolvedLang, group, index);
    // The add button is back whenever there is room (a full group shows a note in its place, with the same id).
    await this.focusSelector(index > 0 ? `#${itemHeadingId(group.name, index - 1)}` : `#f-${group.name}-add`);
  }

  /** A field was left or changed (change event): now it may say what is wrong with it. */
  private onCommit(field: FormField): void {
    // `change` does not cross the shadow boundary on its own: say it on the host, as a native control would.
    this.dispatchEvent(new Event('change', { bubbles: true }));
    const path = pathOfControlName(field.name);
    const check = () => {
      const issue = this.issueFor(path);
      if (issue && (issue.code !== 'required' || this.issues.attempted)) this.showIssues({ ...this.issues.shown, [path]: { issue } });
      else if (!issue) this.hideIssue(path);
    };
    // Usually in already (loaded on idle); left before that, the field says so as soon as it is.
    if (this.validation.get()) check();
    else void this.validation.load().then(check, () => undefined);
  }

  private hideIssue(name: string): void {
    if (!this.issues.shown[name]) return;
    const next = { ...this.issues.shown };
    delete next[name];
    this.showIssues(next);
  }

  private async onFiles(field: FormField, files: File[]): Promise<void> {
    const client = this.client;
    if (!client) return;
    // The file rules come with the validator (usually in already); offline without it, the server checks alone.
    const rules = this.validation.get()?.fileRules ?? (await this.validation.load().then((v) => v.fileRules, () => NO_FILE_RULES));
    this.attachments?.add(client, field, files, rules);
    this.hideIssue(field.name);
  }

  private onRemoveFile(field: FormField, key: string): void {
    this.attachments?.cancel(field.name, key);
    this.answersChanged();
  }

  /** Changed answers are a new intent to send (a new key, a new draft to sign), and are saved in this browser shortly. */
  private answersChanged(): void {
    this.send.renew();
    this.signing = null;
    this.autosave.schedule();
  }

  // ---------------------------------------------------------------- autosave

  /** What the browser keeps: the answers given, the uploaded files and the server draft's id (null: nothing worth keeping). */
  private draftSnapshot(): SavedDraft | null {
    const files = this.attachments?.snapshot() ?? {};
    const values: SavedDraft['values'] = {};
    for (const [k, v] of Object.entries(this.values)) if (v !== '' && v !== false) values[k] = v;
    if (Object.keys(values).length === 0 && Object.keys(files).length === 0 && !this.application) return null;
    return { values, files, applicationId: this.application?.id ?? null, savedAt: new Date().toISOString() };
  }

  private async restoreDraft(): Promise<void> {
    const saved = this.autosave.offer;
    const def = this.form.value;
    if (!saved || !def) return;
    const values: Record<string, RawValue> = {};
    for (const field of def.fields) {
      const v = saved.values[field.name];
      if (v !== undefined && field.type !== 'file') values[field.name] = v;
      if (field.type === 'file' && saved.files[field.name]) this.attachments?.restore(field.name, saved.files[field.name]!);
    }
    this.values = values;
    this.autosave.settle(true);
    this.status = msg(this.resolvedLang, 'form.restored');
    if (saved.applicationId && !this.application && this.client?.token) {
      try {
        const app = await getApplication(this.client, saved.applicationId);
        if (app.status === 'draft') this.application = app;
      } catch {
        /* gone or not ours any more: a new draft is made on sending */
      }
    }
    await this.focusSelector(FIRST_QUESTION);
  }

  private discardDraft(): void {
    this.autosave.settle(false);
    void this.focusSelector(FIRST_QUESTION);
  }

  // ---------------------------------------------------------------- steps

  /**
   * Continue: on a page of a form with pages, this page's answers are checked and the next page
   * shown (a new history entry); on the last page (or after a "Change"), every answer is checked
   * (and files must have arrived), then "check your answers".
   */
  private async onContinue(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const def = this.form.value;
    if (!def || this.send.busy) return;
    const pg = this.pg();
    const pages = def.pages && pg ? pg.visiblePages(def, this.collect()) : [];
    const at = pg ? pg.pageIndex(pages, this.pageId) : 0;
    if (pg && !this.returnToCheck && at < pages.length - 1) {
      this.problem = null;
      if (!this.validation.get()) await this.validation.load().catch(() => undefined);
      const shown = pg.onPage(pages[at], this.blockingIssues(def));
      if (Object.keys(shown).length > 0) {
        this.showIssues(shown, this.issues.summary, true);
        await this.showSummary();
        return;
      }
      this.issues = NO_ISSUES;
      this.autosave.flush();
      await this.showPage(pages[at + 1]!.page!.id, true);
      return;
    }
    if (await this.toCheck()) this.steps.push('check');
  }

  /** Shows page `id` (a new history entry when `push`), its heading focused as a new page's would be. */
  private async showPage(id: string, push: boolean, focus = '.form-title'): Promise<void> {
    this.stage = FORM;
    this.signing = null;
    this.pageId = id;
    if (push) this.steps.push(`form:${id}`);
    await this.focusSelector(focus);
  }

  /** The page's "Back": the entry before in the history (the page before), or without history the page before. */
  private onPageBack(): void {
    const def = this.form.value;
    if (!def) return;
    if (!this.noHistory) {
      history.back();
      return;
    }
    const pg = this.pg()!;
    const pages = pg.visiblePages(def, this.collect());
    const at = pg.pageIndex(pages, this.pageId);
    if (at > 0) void this.showPage(pages[at - 1]!.page!.id, false);
  }

  /** To "check your answers" (from Continue, or Forward in the browser), unless something stops the person. */
  private async toCheck(): Promise<boolean> {
    const def = this.form.value;
    if (!def || this.send.busy) return false;
    this.problem = null;
    // Usually in already; offline without it, the answers go on to the server, which checks them as always.
    if (!this.validation.get()) await this.validation.load().catch(() => undefined);
    let shown = this.blockingIssues(def);
    if (Object.keys(shown).length > 0) {
      const pg = this.pg();
      if (def.pages && pg) {
        // To the first page with something to fix, with that page's errors.
        const pages = pg.visiblePages(def, this.collect());
        const page = pg.pageWith(pages, Object.keys(shown)) ?? pages[0]!;
        shown = pg.onPage(page, shown);
        this.stage = FORM;
        if (page.page && page.page.id !== this.pageId) {
          this.pageId = page.page.id;
          this.steps.push(`form:${page.page.id}`);
        }
      }
      this.showIssues(shown, this.issues.summary, true);
      await this.showSummary();
      return false;
    }
    this.returnToCheck = false;
    this.issues = { ...NO_ISSUES, attempted: true };
    this.autosave.flush();
    await this.checkView.load().catch(() => undefined);
    this.stage = { step: 'check' };
    await this.focusSelector('#check-heading');
    return true;
  }

  // ---------------------------------------------------------------- history

  /** Where the person is, as a history step. */
  private get historyStep(): OveraApplicationFormHistoryStep {
    const step = this.stage.step;
    if (step === 'form' && this.pageId !== null) return `form:${this.pageId}`;
    return step === 'check' && this.signing ? 'signing' : step;
  }

  /**
   * This element's key in the page's history: its `id`, else its form's id (with its place
   * among the elements on the page without an id, from the second on).
   */
  private historyKey(): string {
    if (this.id) return this.id;
    const place = [...(this.getRootNode() as ParentNode).querySelectorAll(WHO)].filter((el) => !el.id).indexOf(this);
    return `${WHO}:${this.form.value?.id}${place > 0 ? `:${place + 1}` : ''}`;
  }

  /** Back or Forward landed on an entry where this form was at `step`: go there, answers kept. */
  private async onHistoryStep(step: string): Promise<void> {
    const now = this.historyStep;
    const page = step.startsWith('form:') ? step.slice('form:'.length) : null;
    if (this.form.state !== 'ready' || step === now || !(HISTORY_STEPS.includes(step) || page)) return;
    // Sent is sent: the receipt stays, and no entry re-opens the application for editing.
    // A send on its way finishes where it started. Either way the entry says where the form is.
    if (now === 'sent' || this.send.busy || step === 'sent') {
      this.steps.replace(now);
      return;
    }
    if (step === 'form' || page !== null) {
      // Back (or Forward) to a page: that page, answers kept; a page hidden now gives the first one.
      const def = this.form.value!;
      const shown: readonly ShownPage[] = this.pg()?.visiblePages(def, this.collect()) ?? [{ page: null, fields: [] }];
      const target = shown.find((p) => p.page?.id === page) ?? shown[0]!;
      if (now.startsWith('form') && target.page) {
        this.returnToCheck = false;
        await this.showPage(target.page.id, false);
        if (target.page.id !== page) this.steps.replace(this.historyStep);
        return;
      }
      if (target.page) this.pageId = target.page.id;
      this.returnToCheck = false;
      await this.backToForm(undefined, false);
      return;
    }
    if (now.startsWith('form') && !(await this.toCheck())) {
      this.steps.replace(this.historyStep);
      return;
    }
    if (step === 'check') {
      this.signing = null;
      await this.focusSelector('#check-heading');
      return;
    }
    // Forward to signing: the draft is written again if it must be (the same as "Continue to signing").
    const check = await this.checkView.load().catch(() => undefined);
    if (!(check && (await check.toSigning(this.sender(), false)))) this.steps.replace(this.historyStep);
  }

  /**
   * Someone signed in with a box inside this element (the signing box looks after its own
   * focus): the box goes away, so focus goes on to what the person came to do.
   */
  private focusAfterSignIn(): void {
    if (this.form.state !== 'ready') this.focusWhenLoaded = true;
    else void this.focusSelector(this.stage.step === 'check' ? '[part~="send-button"]' : FIRST_QUESTION);
  }

  /** What stops the person from going on: the validator's issues, files that could not be attached, files still on their way. */
  private blockingIssues(def: FormDefinition): Record<string, ShownIssue> {
    const shown: Record<string, ShownIssue> = {};
    for (const issue of this.validate()) shown[issue.field] = { issue };
    // Files that could not be attached, or are on their way (a form with file fields has their chunk).
    const fileFields = fileFieldModule.value;
    if (fileFields && this.attachments) fileFields.blockingFileIssues(def, this.attachments, this.resolvedLang, shown);
    return shown;
  }

  /** The summary lists the errors on show in the form's order, says so (overa-invalid), and takes focus. */
  private async showSummary(): Promise<void> {
    const def = this.form.value;
    const pg = this.pg();
    const order = (path: string) => (pg && def ? pg.pathOrder(def, path) : (def?.fields ?? []).findIndex((f) => f.name === path));
    const summary = Object.keys(this.issues.shown).sort((a, b) => order(a) - order(b));
    this.showIssues(this.issues.shown, summary);
    const lang = this.resolvedLang;
    this.emit('overa-invalid', {
      issues: summary.map((field) => ({ field, code: this.issues.shown[field]!.issue.code, message: this.messageFor(field, lang) })),
    });
    await this.focusSelector('.error-summary');
  }

  /** Back to the questions (answers kept): to `field` ("Change"), else the first question, or (Back in the browser) the heading. */
  private async backToForm(field?: string, push = true): Promise<void> {
    const def = this.form.value;
    this.stage = FORM;
    this.signing = null;
    this.problem = null;
    const pg = this.pg();
    if (def?.pages && pg && field) {
      // "Change": the page with that answer, then straight back to "check your answers".
      const page = pg.pageWith(pg.visiblePages(def, this.collect()), [field]);
      if (page?.page) this.pageId = page.page.id;
      this.returnToCheck = true;
    }
    if (push) this.steps.push(this.historyStep);
    await this.focusSelector(field ? `#${this.linkTarget(field)}` : push ? FIRST_QUESTION : '.form-title');
  }

  // ---------------------------------------------------------------- sending

  /** Sending (check-view.ts, in before anyone can send) works on this element's state through this. */
  private sender(): SendHost {
    // The getters and setters below are this element's state (their own `this` is the object).
    const el = this;
    return {
      get lang() {
        return el.resolvedLang;
      },
      client: () => el.client,
      def: () => el.form.value,
      data: () => el.collect(),
      send: el.send,
      autosave: el.autosave,
      api: SEND_API,
      get application() {
        return el.application;
      },
      set application(app) {
        el.application = app;
      },
      get savedToServer() {
        return el.savedToServer;
      },
      set savedToServer(json) {
        el.savedToServer = json;
      },
      get signing() {
        return el.signing;
      },
      set signing(signing) {
        el.signing = signing;
      },
      get status() {
        return el.status;
      },
      set status(status) {
        el.status = status;
      },
      get problem() {
        return el.problem;
      },
      set problem(problem) {
        el.problem = problem;
      },
      sent: (app) => {
        el.stage = { step: 'sent', receipt: app };
        el.steps.push('sent');
        el.emit('overa-submitted', { application: app });
      },
      issueFor: (field) => el.issueFor(field),
      withValidator: async () => Boolean(el.validation.get() ?? (await el.validation.load().catch(() => undefined))),
      showServerIssues: (shown) => el.showServerIssues(shown),
      problemOf: (err) => toProblem(err, WHO),
      pushStep: (step) => el.steps.push(step),
      focus: (selector) => el.focusSelector(selector),
    };
  }

  /** The server found errors in the answers (it is the authority): back on the form with them, on their page. */
  private async showServerIssues(found: Record<string, ServerIssue>): Promise<void> {
    let shown: Record<string, ShownIssue> = found;
    this.stage = FORM;
    this.signing = null;
    const def = this.form.value;
    const pg = this.pg();
    if (def?.pages && pg) {
      const page = pg.pageWith(pg.visiblePages(def, this.collect()), Object.keys(shown));
      if (page?.page) this.pageId = page.page.id;
      shown = pg.onPage(page, shown);
    }
    this.showIssues(shown);
    this.steps.push(this.historyStep);
    await this.updateComplete;
    await this.showSummary();
  }







  private async focusSelector(selector: string): Promise<void> {
    await this.updateComplete;
    const el = this.renderRoot.querySelector<HTMLElement>(selector);
    el?.focus();
    el?.scrollIntoView?.({ block: 'nearest' });
  }

  private messageFor(field: string, lang: Lang): string {
    const shown = this.issues.shown[field];
    if (!shown) return '';
    return shown.message ?? this.validation.get()?.issueMessage(shown.issue, lang, this.form.value ?? undefined, { signedIn: this.signedIn }) ?? '';
  }

  private onSummaryLink(event: MouseEvent, field: string): void {
    // Never change the host page's URL: focus the field ourselves, as GOV.UK's script does.
    event.preventDefault();
    const el = this.renderRoot.querySelector<HTMLElement>(`#${this.linkTarget(field)}`);
    if (!el) return;
    // Scroll the question (legend or label) into view too, not just the control.
    el?.closest('.field')?.scrollIntoView({ block: 'start' });
    el?.focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------- render

  protected override render(): TemplateResult {
    const lang = this.resolvedLang;
    const load = this.form.now;
    let body: TemplateResult;
    if (load.state === 'ready') body = this.renderStage(lang, load.value);
    else if (load.state === 'error') body = this.renderLoadError(lang, load.problem);
    else body = html`<p class="status status--busy" role="status">${msg(lang, 'form.loading')}</p>`;
    return html`<div lang=${lang} aria-busy=${this.send.busy || load.state === 'loading' ? 'true' : 'false'}>${body}</div>`;
  }

  private renderStage(lang: Lang, def: FormDefinition): TemplateResult {
    const stage = this.stage;
    if (stage.step === 'form') return this.renderForm(lang, def);
    if (stage.step === 'sent') return this.checkView.render(lang, (view) => view.renderReceipt(lang, stage.receipt, def, this.applicationsHref, () => this.requestUpdate(), { host: this, client: () => this.client, lazyView: (load) => new LazyView(this, lazyModule(load)) }));
    return html`${this.renderErrorSummary(lang)}
      ${this.checkView.render(lang, (view) =>
        view.renderCheck({
          lang,
          server: this.server,
          def,
          data: this.collect(),
          fields: visibleFields(def, this.collect()),
          sections: def.pages ? this.pg()?.visiblePages(def, this.collect()).map((p) => ({ title: localize(p.page!.title, lang), fields: p.fields })) : undefined,
          files: (name) => this.attachments?.of(name) ?? [],
          signedIn: this.signedIn,
          busy: this.send.busy,
          signing: this.signing,
          ensureAccount,
          ensureSign,
          onChange: (field) => void this.backToForm(field),
          onBack: () => void this.backToForm(),
          sender: this.sender(),
        }),
      )}
      <p part="status" class="status ${this.send.busy ? 'status--busy' : ''}" role="status">${this.status ?? ''}</p>`;
  }

  private renderLoadError(lang: Lang, problem: ShownProblem): TemplateResult {
    if (problem.code === 'sign-in-required') {
      ensureAccount();
      return html`<div class="notice">
        <p>${msg(lang, 'form.signInToContinue')}</p>
        <overa-account server=${this.server} lang=${lang} primary-action="sign-in"></overa-account>
      </div>`;
    }
    return errorSummary(lang, {
      title: msg(lang, 'form.loadFailed'),
      text: problemMessage(lang, problem.code),
      retry: { label: msg(lang, 'form.retry'), onClick: () => void this.load() },
    });
  }

  private renderHeading(lang: Lang, def: FormDefinition): TemplateResult {
    return html`<h2 class="form-title" tabindex="-1">${localize(def.title, lang)}</h2>
      ${def.description ? html`<p class="lead">${localize(def.description, lang)}</p>` : nothing}`;
  }

  private renderErrorSummary(lang: Lang): TemplateResult | typeof nothing {
    const fields = this.issues.summary.filter((f) => this.issues.shown[f]);
    if (fields.length === 0 && !this.problem) return nothing;
    return errorSummary(lang, {
      title: msg(lang, 'error.title'),
      links: fields.map(
        (f) => html`<a href="#${this.linkTarget(f)}" @click=${(e: MouseEvent) => this.onSummaryLink(e, f)}>${this.summaryText(f, lang)}</a>`,
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

  /**
   * A summary line: the message, which names its field ("Enter the investor’s full name"); a
   * message in the rule's plain words ("Enter at least 10 characters") gets the question before it.
   */
  private summaryText(field: string, lang: Lang): TemplateResult {
    const message = this.messageFor(field, lang);
    const label = this.fieldLabel(field, lang);
    if (message.toLowerCase().includes(label.toLowerCase())) return html`${message}`;
    return html`<span class="summary-field">${label}:</span> ${message}`;
  }

  /** The question, so "Enter an answer" in the summary says which one (the inline error sits under it already). */
  private fieldLabel(path: string, lang: Lang): string {
    const f = this.fieldAt(path);
    return f ? localize(f.label, lang).replace(/[?:]\s*$/, '') : path;
  }

  /** The field a path names: top level, or a field of a group's item. */
  private fieldAt(path: string): FormField | undefined {
    const def = this.form.value;
    if (!def) return undefined;
    return parseFieldPath(path).group === undefined ? def.fields.find((x) => x.name === path) : this.pg()?.itemFieldAt(def, path);
  }

  /** The id of the control an error links to: the field's, an item field's, an item's heading, or a group's add button. */
  private linkTarget(path: string): string {
    const def = this.form.value;
    const top = def?.fields.find((x) => x.name === path);
    if (top && top.type !== 'group') return controlId(top);
    const pg = this.pg();
    return def && pg ? pg.groupLinkTarget(KIT, def, path) : path;
  }

  private renderRestoreOffer(lang: Lang): TemplateResult | typeof nothing {
    const saved = this.autosave.offer;
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
    const ctx: FieldContext = {
      lang,
      today: todayIn(),
      value: (name) => {
        const p = parseFieldPath(pathOfControlName(name));
        return p.group === undefined ? this.values[name] : this.itemsOf(p.group)[p.index!]?.[p.field];
      },
      error: (name) => {
        const path = pathOfControlName(name);
        return this.issues.shown[path] ? this.messageFor(path, lang) : undefined;
      },
      issueMessage: (issue) => this.validation.get()?.issueMessage(issue, lang) ?? '',
      files: (name) => this.attachments?.of(name) ?? [],
      canUpload: this.signedIn,
      disabled: this.send.busy,
      onValue: (field, value) => this.onValue(field, value),
      onCommit: (field) => this.onCommit(field),
      onFiles: (field, files) => this.onFiles(field, files),
      onRemoveFile: (field, key) => this.onRemoveFile(field, key),
      renderFile: (field, error, cls) => this.fileFields.render(lang, (m) => m.renderFile(FILE_KIT, field, ctx, error, cls)),
    };
    return ctx;
  }

  /** A question: a field, or a repeating group (drawn by its chunk, a "Loading…" until it is in). */
  private renderQuestion(f: FormField, ctx: FieldContext, data: ApplicationData): TemplateResult {
    if (f.type !== 'group') return renderField(f, ctx);
    return this.pagesGroups.render(ctx.lang, (view) =>
      view.renderGroup({
        group: f,
        count: this.itemsOf(f.name).length,
        itemFields: (index) => view.visibleItemFields(this.form.value!, f.name, data, index),
        fields: ctx,
        kit: KIT,
        onAdd: () => void this.onAddItem(f),
        onRemove: (index) => void this.onRemoveItem(f, index),
      }),
    );
  }

  private renderForm(lang: Lang, def: FormDefinition): TemplateResult {
    const ctx = this.fieldContext(lang);
    const data = this.collect();
    const pg = def.pages ? this.pg() : undefined;
    const pages = pg ? pg.visiblePages(def, data) : [];
    const at = pg ? pg.pageIndex(pages, this.pageId) : 0;
    const fields = pg ? pages[at]?.fields ?? [] : visibleFields(def, data);
    // Without pages as always: any file field of the form; with pages: one on this page.
    const hasFiles = (def.pages ? fields : def.fields).some((f) => f.type === 'file');
    return html`
      ${this.renderErrorSummary(lang)} ${pg && pages[at]?.page ? pg.renderPageHeading(lang, def, pages, at, () => this.onPageBack()) : this.renderHeading(lang, def)}
      ${this.renderReturned(lang)} ${at === 0 ? this.renderRestoreOffer(lang) : nothing}
      ${hasFiles && !this.signedIn
        ? html`<div class="notice sign-in-notice">
            <p>${msg(lang, 'form.signInForFiles')}</p>
            ${ensureAccount()}<overa-account server=${this.server} lang=${lang}></overa-account>
          </div>`
        : nothing}
      <form part="form" novalidate @submit=${this.onContinue}>
        ${fields.map((f) => this.renderQuestion(f, ctx, data))}
        <div class="actions">
          <button type="submit" part="continue-button" class="primary" ?disabled=${this.send.busy}>${msg(lang, 'form.continue')}</button>
        </div>
        ${this.autosave.on ? html`<p class="hint autosave-note">${msg(lang, 'form.autosaveNote')}</p>` : nothing}
      </form>
      <p part="status" class="status" role="status">${this.status ?? ''}</p>
    `;
  }
}
