/**
 * The later steps of `<overa-application-form>`, a chunk of its own: "check your answers",
 * sending (with signing, for forms that must be signed) and the receipt. The element loads it
 * when the person continues past the questions (and on idle after its first render); the
 * questions do not need it. Rendering only: the element keeps the state and does the sending.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ApplicationView } from '../core/api.ts';
import { itemTitle, localize, type ApplicationData, type FieldValue, type FormDefinition, type FormField } from '../core/forms/definition.ts';
import { formatBytes, formatDate, msg, type Lang } from '../i18n/index.ts';
import { formSendMessages } from '../i18n/en/form-send.ts';
import type { OveraSignedDetail } from '../sign/sign.ts';
import type { AttachmentItem } from './attachments.ts';
import type { OveraClient } from '../client/client.ts';
import type { createApplication, submitApplication, updateApplication } from '../client/applications.ts';
import { OveraApiError } from '../client/errors.ts';
import type { ValidationIssue } from '../core/forms/validate.ts';
import type { IdempotentSend } from '../shared/idempotent-send.ts';
import type { ShownProblem } from '../shared/problem.ts';
import type { AutosaveController } from './autosave.ts';
import type { LazyView, ViewHost } from '../shared/lazy-view.ts';
import type { MailManager } from '../shared/mail-view.ts';
import { paymentMessages } from '../i18n/en/payment.ts';
import { paymentStyles, renderPayment } from '../shared/payment-details.ts';
import linkButtonStyles from '../styles/link-button.styles.ts';
import checkStyles from './check.styles.ts';

/** The link buttons ("Change") come with the views that draw them: the questions have none. */
export const styles = [linkButtonStyles, checkStyles, paymentStyles];
export const messages = [formSendMessages, paymentMessages];

/** What the check step needs from the element. */
export interface CheckContext {
  readonly lang: Lang;
  readonly server: string;
  readonly def: FormDefinition;
  /** The answers as they would be sent, and the fields shown for them. */
  readonly data: ApplicationData;
  readonly fields: readonly FormField[];
  /** Forms with pages: the answers grouped by page (the page's title, its fields shown), in order. */
  readonly sections?: readonly { readonly title: string; readonly fields: readonly FormField[] }[];
  files(field: string): readonly AttachmentItem[];
  readonly signedIn: boolean;
  /** True while the draft is written or the application sent. */
  readonly busy: boolean;
  /** The draft being signed (forms that must be signed), and the signature once made. */
  readonly signing: Signing | null;
  ensureAccount(): void;
  ensureSign(): void;
  onChange(field: string): void;
  onBack(): void;
  /** Sending, signing first where the form must be signed: the functions below, on the element's state. */
  readonly sender: SendHost;
}

/** A form that must be signed, at its signing step: the draft being signed, and the signature once made. */
export interface Signing {
  readonly draft: ApplicationView;
  readonly signatureId: string | null;
}

/** An error beside a field that the server found: the validator's issue, and the server's words where the validator is not in. */
export interface ServerIssue {
  readonly issue: ValidationIssue;
  readonly message?: string;
}

/**
 * What sending needs of `<overa-application-form>`. Sending (write the server draft once per
 * intent, submit, sign first where the form must be signed, say what went wrong) is code of
 * this chunk, which is always in before a person can send: it draws the Send button. The state
 * it changes stays the element's (its first view draws it too), read and written through this.
 */
export interface SendHost {
  readonly lang: Lang;
  client(): OveraClient | null;
  def(): FormDefinition | undefined;
  /** The answers as they would be sent. */
  data(): ApplicationData;
  readonly send: IdempotentSend;
  readonly autosave: AutosaveController;
  /**
   * The client's application calls, from the element: a value imported from client/applications.ts
   * here would split that module out of the first load into a file of its own (more files, larger in all).
   */
  readonly api: { readonly create: typeof createApplication; readonly update: typeof updateApplication; readonly submit: typeof submitApplication };
  /** The server's draft of these answers, and the answers last written to it (JSON), to skip a needless PUT on retry. */
  application: ApplicationView | null;
  savedToServer: string | null;
  signing: Signing | null;
  status: string | null;
  problem: ShownProblem | null;
  /** Sent: the receipt shown (a history entry), `overa-submitted` fired. */
  sent(app: ApplicationView): void;
  /** The issue the validator finds in a field now, if any. */
  issueFor(field: string): ValidationIssue | undefined;
  /** Loads the validator's chunk if it is not in yet; true once it is (false: it could not load). */
  withValidator(): Promise<boolean>;
  /** Back on the form with the server's findings beside their fields (on their page), and the summary. */
  showServerIssues(shown: Record<string, ServerIssue>): Promise<void>;
  /** What to say about a failure that is not about the answers. */
  problemOf(err: unknown): ShownProblem;
  pushStep(step: 'signing'): void;
  focus(selector: string): Promise<void>;
}

/** "Check your answers": every answer shown with "Change", then how to send. */
export function renderCheck(ctx: CheckContext): TemplateResult {
  const { lang, def } = ctx;
  return html`<section part="check" class="check" aria-labelledby="check-heading">
    <h2 id="check-heading" tabindex="-1">${msg(lang, 'form.checkTitle')}</h2>
    <p class="lead">${localize(def.title, lang)}</p>
    ${ctx.sections
      ? ctx.sections.map((s) => html`<h3 class="summary-section">${s.title}</h3>${summaryList(ctx, s.fields)}`)
      : summaryList(ctx, ctx.fields)}
    ${renderSendStep(ctx)}
  </section>`;
}

/** Answers as a summary list, each with its "Change" (which goes to the question, and from a page straight back here). */
function summaryList(ctx: CheckContext, fields: readonly FormField[]): TemplateResult {
  const { lang } = ctx;
  return html`<dl class="summary-list">
    ${fields.map(
      (f) => html`<div class="summary-row">
        <dt>${localize(f.label, lang)}</dt>
        <dd class="answer">${f.type === 'group' ? groupAnswer(ctx, f) : answerText(ctx, f, ctx.data[f.name])}</dd>
        <dd class="summary-action">
          <button type="button" class="link-button" ?disabled=${ctx.busy} @click=${() => ctx.onChange(f.name)}>
            ${msg(lang, 'form.change')}<span class="visually-hidden"> ${localize(f.label, lang)}</span>
          </button>
        </dd>
      </div>`,
    )}
  </dl>`;
}

/** A repeating group's answers, item by item: the item's name, then its answers. */
function groupAnswer(ctx: CheckContext, group: FormField): TemplateResult | string {
  const items = (ctx.data[group.name] ?? []) as readonly ApplicationData[];
  if (items.length === 0) return msg(ctx.lang, 'form.notProvided');
  return html`<ol class="plain group-answers">
    ${items.map(
      (item, i) => html`<li>
        <strong class="item-title">${itemTitle(group, i, ctx.lang)}</strong>
        <dl class="item-answers">
          ${(group.fields ?? [])
            .filter((f) => item[f.name] !== undefined)
            .map((f) => html`<div><dt>${localize(f.label, ctx.lang)}</dt> <dd>${answerText(ctx, f, item[f.name])}</dd></div>`)}
        </dl>
      </li>`,
    )}
  </ol>`;
}

function answerText(ctx: CheckContext, field: FormField, v: FieldValue | undefined): TemplateResult | string {
  const { lang } = ctx;
  if (field.type === 'file') {
    const files = ctx.files(field.name).filter((i) => i.state === 'done');
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
  if (typeof v !== 'string') return html`<ul class="plain">${(v as readonly string[]).map((x) => html`<li>${label(x)}</li>`)}</ul>`;
  if (field.type === 'date') return formatDate(lang, v);
  return field.options ? label(v) : v;
}

function renderSendStep(ctx: CheckContext): TemplateResult {
  const { lang, def, busy } = ctx;
  if (!ctx.signedIn) {
    ctx.ensureAccount();
    return html`<div class="notice">
      <h3>${msg(lang, 'form.signInTitle')}</h3>
      <p>${msg(lang, 'form.signInToSend')}</p>
      <overa-account server=${ctx.server} lang=${lang} primary-action="sign-in"></overa-account>
    </div>`;
  }
  const back = html`<button type="button" class="secondary" ?disabled=${busy} @click=${() => ctx.onBack()}>${msg(lang, 'form.back')}</button>`;
  if (!def.signature.required) {
    return html`
      <h3>${msg(lang, 'form.sendTitle')}</h3>
      <p>${msg(lang, 'form.sendText')}</p>
      <div class="actions">
        <button type="button" part="send-button" class="primary" ?disabled=${busy} @click=${() => void sendApplication(ctx.sender)}>${msg(lang, 'form.send')}</button>
        ${back}
      </div>
    `;
  }
  const signing = ctx.signing;
  if (!signing) {
    return html`
      <h3>${msg(lang, 'form.sendTitle')}</h3>
      <p>${msg(lang, 'form.sendTextSigned')}</p>
      <div class="actions">
        <button type="button" part="send-button" class="primary" ?disabled=${busy} @click=${() => void toSigning(ctx.sender)}>
          ${msg(lang, 'form.toSigning')}
        </button>
        ${back}
      </div>
    `;
  }
  ctx.ensureSign();
  const signatureId = signing.signatureId;
  return html`
    <overa-sign
      part="sign"
      tabindex="-1"
      server=${ctx.server}
      lang=${lang}
      subject-type="application"
      subject-id=${signing.draft.id}
      action="submit"
      @overa-signed=${(e: CustomEvent<OveraSignedDetail>) => onSigned(ctx.sender, e)}
    >
      <p class="signing-what"><strong>${localize(def.title, lang)}</strong><br />${msg(lang, 'form.draftNumber', { number: signing.draft.trackingNumber })}</p>
    </overa-sign>
    <div class="actions after-sign">
      ${signatureId
        ? html`<button type="button" part="send-button" class="primary" ?disabled=${busy} @click=${() => void sendApplication(ctx.sender, signatureId)}>
            ${msg(lang, 'form.send')}
          </button>`
        : nothing}
      ${back}
    </div>
  `;
}

/**
 * Sends the application: writes the server draft (created once per intent, thanks to the
 * idempotency key, or updated when the answers changed), then submits it with the signature
 * when there is one. A retry after a lost answer reuses the same keys, so the server answers as
 * the first time and no second application appears.
 */
export async function sendApplication(h: SendHost, signatureId?: string): Promise<void> {
  const client = h.client();
  const def = h.def();
  if (!def || !client || h.send.busy) return;
  if (!client.token) {
    h.problem = { code: 'sign-in-required' };
    await h.focus('.error-summary');
    return;
  }
  h.problem = null;
  h.status = msg(h.lang, 'form.sending');
  let sent: ApplicationView | undefined;
  try {
    sent = await h.send.run(async (key) => {
      const app = await ensureDraft(h, client, def, key);
      const input = signatureId === undefined ? {} : { signatureId };
      return h.api.submit(client, app.id, app.version, input, { idempotencyKey: `${key}:submit` });
    });
  } catch (err) {
    h.status = null;
    await showSendError(h, err);
    return;
  }
  if (!sent) return;
  h.status = null;
  h.application = null;
  h.signing = null;
  h.send.renew();
  h.autosave.clear();
  h.sent(sent);
  await h.focus('.receipt');
}

/** Forms that need a signature: write the draft first, so that what is signed is what the server holds. */
export async function toSigning(h: SendHost, push = true): Promise<boolean> {
  const client = h.client();
  const def = h.def();
  if (!def || !client?.token || h.send.busy) return false;
  h.problem = null;
  try {
    const draft = await h.send.run((key) => ensureDraft(h, client, def, key));
    if (draft) h.signing = { draft, signatureId: null };
  } catch (err) {
    await showSendError(h, err);
  }
  if (!h.signing) return false;
  if (push) h.pushStep('signing');
  await h.focus('overa-sign');
  return true;
}

async function ensureDraft(h: SendHost, client: OveraClient, def: FormDefinition, key: string): Promise<ApplicationView> {
  const data = h.data();
  const json = JSON.stringify(data);
  let app = h.application;
  if (!app) {
    app = await h.api.create(client, { formId: def.id, formVersion: def.version, data }, { idempotencyKey: `${key}:create` });
  } else if (h.savedToServer !== json) {
    app = await h.api.update(client, app.id, app.version, { data });
  } else {
    return app;
  }
  h.application = app;
  h.savedToServer = json;
  h.autosave.flush();
  return app;
}

function onSigned(h: SendHost, event: CustomEvent<OveraSignedDetail>): void {
  const signatureId = event.detail.signatureId;
  if (h.signing) h.signing = { ...h.signing, signatureId };
  void sendApplication(h, signatureId);
}

async function showSendError(h: SendHost, err: unknown): Promise<void> {
  if (err instanceof OveraApiError && err.fieldErrors.some((e) => e.field.startsWith('data.'))) {
    // The server is the authority: show its findings on the fields, back on the form.
    const validator = await h.withValidator();
    const shown: Record<string, ServerIssue> = {};
    for (const e of err.fieldErrors) {
      if (!e.field.startsWith('data.')) continue;
      const name = e.field.slice(5);
      const local = h.issueFor(name);
      // What only the server could find (an upload it does not know): the same words, made here in the element's language.
      const issue = local ?? ({ field: name, code: e.code, params: e.params } as ValidationIssue);
      // Without the validator's chunk (it could not load): the server's own (English) words.
      shown[name] = validator ? { issue } : { issue, message: e.message };
    }
    await h.showServerIssues(shown);
    return;
  }
  if (err instanceof OveraApiError && err.status === 412) {
    // Someone (this person in another tab) changed the draft: start from what the server has.
    h.application = null;
    h.savedToServer = null;
  }
  h.problem = err instanceof OveraApiError && err.status === 412 ? { code: 'version-mismatch', requestId: err.requestId } : h.problemOf(err);
  await h.focus('.error-summary');
}


type MailModule = typeof import('../shared/mail-view.ts');

/** What the receipt's e-mail offer needs from the element: itself (it draws the offer), its client, and a lazy view of it. */
export interface ReceiptHost {
  readonly host: ViewHost;
  client(): OveraClient | null;
  /**
   * The element's `new LazyView(this, lazyModule(load))`: made there rather than here because a
   * value imported from shared/lazy-view.ts in this chunk makes esbuild split that module out of
   * the first load into a file of its own (more gzipped files, larger in all).
   */
  lazyView(load: () => Promise<MailModule>): LazyView<MailModule>;
}

/**
 * E-mail notifications (../shared/mail-view.ts, the same flow as in `<overa-account>`): a chunk
 * of its own, loaded once a receipt shows, so neither the questions nor "check your answers"
 * carry it. It draws nothing unless the server offers mail.
 */
const loadMail = () => import('../shared/mail-view.ts');
const mailOffers = new WeakMap<ViewHost, { manager: MailManager | null; forApplication: string }>();

function renderMailOffer(lang: Lang, app: ApplicationView, r: ReceiptHost): TemplateResult | typeof nothing {
  let offer = mailOffers.get(r.host);
  if (!offer) {
    const o = { manager: null as MailManager | null, forApplication: app.id };
    mailOffers.set(r.host, (offer = o));
    r.lazyView(loadMail)
      .load()
      .then((m) => {
        o.manager = new m.MailManager(r.host, { client: () => r.client(), mode: 'offer' });
        return o.manager.load();
      })
      .catch(() => undefined);
  } else if (offer.forApplication !== app.id) {
    // Another application sent from the same element: ask again (the address may have changed since).
    offer.forApplication = app.id;
    void offer.manager?.load();
  }
  return offer.manager?.render(lang) ?? nothing;
}

/** The confirmation: the tracking number in a panel, what happens next, where to follow it, the fee's payment details, and the offer of e-mail updates. */
export function renderReceipt(lang: Lang, app: ApplicationView, def: FormDefinition | undefined, applicationsHref: string, redraw: () => void, mail?: ReceiptHost): TemplateResult {
  return html`<div part="receipt" class="receipt" tabindex="-1" role="region" aria-labelledby="receipt-title">
      <h2 id="receipt-title">${msg(lang, 'form.sentTitle')}</h2>
      <p>${msg(lang, 'form.trackingLabel')}<br /><strong class="tracking">${app.trackingNumber}</strong></p>
    </div>
    ${app.fee ? renderPayment(lang, app.fee, app.trackingNumber, redraw, 3) : nothing}
    <h3>${msg(lang, 'form.nextTitle')}</h3>
    <p>${msg(lang, 'form.nextText', { form: def ? localize(def.title, lang) : app.formId })}</p>
    <p>${msg(lang, 'form.keepNumber')}</p>
    ${applicationsHref ? html`<p><a part="applications-link" href=${applicationsHref}>${msg(lang, 'form.toApplications')}</a></p>` : nothing}
    ${mail ? renderMailOffer(lang, app, mail) : nothing}`;
}
