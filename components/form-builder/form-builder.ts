import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { localize, type FormDefinition } from '../core/forms/definition.ts';
import type { OveraClient, Session } from '../client/client.ts';
import { OveraApiError } from '../client/errors.ts';
import { getAdminForm, getAdminFormVersion, listAdminForms, publishForm, saveFormDraft, type AdminFormSummary } from '../client/admin-forms.ts';
import { msg, msgOr, problemMessage, type Lang } from '../i18n/index.ts';
import { commonMessages } from '../i18n/en/common.ts';
import { formBuilderMessages } from '../i18n/en/form-builder.ts';
import { OveraElement } from '../shared/overa-element.ts';
import { errorSummary } from '../shared/error-summary.ts';
import { LoadStateController } from '../shared/load-state.ts';
import { toProblem, type ShownProblem } from '../shared/problem.ts';
import baseStyles from '../styles/base.styles.ts';
import fieldStyles from '../styles/fields.styles.ts';
import linkButtonStyles from '../styles/link-button.styles.ts';
import '../application-form/define.ts';
import type { BuilderDefinition } from './contract-types.ts';
import { problemText, select, textInput, checkbox, type EditorContext } from './context.ts';
import { deadlineEditor, feeEditor, pagesEditor } from './extras-editor.ts';
import { fieldList } from './field-editor.ts';
import { approvalLine, distributionEditor, documentEditor } from './line-editor.ts';
import {
  anchorFor,
  emptyDefinition,
  exportJson,
  findProblems,
  importJson,
  insertIn,
  moveIn,
  pointer,
  previewDefinition,
  orderPages,
  placeNewField,
  dropFromPages,
  removeIn,
  renameField,
  setIn,
  type BuilderProblem,
  type Path,
  type SerbianScript,
} from './model.ts';
import { textEditor } from './text-editor.ts';
import styles from './form-builder.styles.ts';

/** Detail of `overa-form-saved`: the draft as the server keeps it. */
export interface OveraFormSavedDetail {
  id: string;
  draft: BuilderDefinition;
}

/** Detail of `overa-form-published`. */
export interface OveraFormPublishedDetail {
  id: string;
  version: number;
  publishedAt: string;
}

export interface OveraFormBuilderEventDetails {
  'overa-form-saved': OveraFormSavedDetail;
  'overa-form-published': OveraFormPublishedDetail;
}

const WHO = 'overa-form-builder';
const PREVIEW_LANGS: readonly Lang[] = ['sr-Latn', 'sr-Cyrl', 'en'];
const DEFAULT_ROLES = ['clerk', 'head'];
/** Each language named in itself, as language switches do (the same words in every language). */
const LANG_NAMES: Record<Lang, string> = { 'sr-Latn': 'Latinica', 'sr-Cyrl': 'Ћирилица', en: 'English' };

/** A comma- or space-separated attribute as a list. */
const listConverter = {
  fromAttribute: (value: string | null): string[] => (value ?? '').split(/[\s,]+/).filter(Boolean),
  toAttribute: (value: readonly string[]): string => value.join(','),
};

type Busy = 'saving' | 'publishing' | 'opening' | null;

/**
 * A form builder for an agency's administrator: build and edit a form definition without
 * writing JSON. Questions of every type — with labels in Serbian (written in one script, the
 * other shown transliterated and editable) and English, hints, required, validators (JMBG,
 * PIB), lengths, patterns, bounds, options, file rules and conditions on earlier answers —
 * moved with Move up / Move down and removed with Undo; repeating groups and pages; the fee
 * and the legal time limit; the approval line with the agency's roles; the document issued
 * and the agencies it goes to. A live preview beside it is the real
 * `<overa-application-form>`, in Serbian Latin, Cyrillic or English.
 *
 * Problems come from the same `checkDefinition` the server runs (and the JSON Schema's rules
 * a person can get wrong): after "Check the form", saving or importing, each is shown beside
 * the part at fault and in a GOV.UK error summary linking to it. The preview shows the last
 * version without problems.
 *
 * The JSON can be imported (a file or pasted) and exported (downloaded). With a `server`
 * attribute, the builder lists the agency's forms and saves drafts and publishes versions
 * through `/api/v1/admin/forms` (an administrator of the agency must be signed in on the page;
 * `server=""` is the page's own origin); without the attribute it works on its own, import and
 * export only. Methods: `check()` (show every problem; true when there is none),
 * `exportJson()`, `importJson(json)`. It is loaded on its own (never part
 * of a citizen's first load): `import 'overa/form-builder/define'`, or the bundle loads it when
 * the page has the tag.
 *
 * @summary Build a form without writing JSON: questions, pages, approval line, document, live preview.
 *
 * @fires overa-form-saved - A draft was saved on the server. `detail: { id, draft }`.
 * @fires overa-form-published - The draft was published. `detail: { id, version, publishedAt }`.
 *
 * @csspart error - The error summary, focused when it appears.
 * @csspart editor - The editing column.
 * @csspart preview - The preview column with the real `<overa-application-form>`.
 * @csspart check-button - "Check the form".
 * @csspart export-button - "Download JSON".
 * @csspart new-button - "Start a new form" (Undo brings the one on show back).
 * @csspart import - The import controls (a file, or pasted JSON).
 * @csspart save-button - "Save draft" (with a server).
 * @csspart publish-button - "Publish" (with a server).
 * @csspart undo - The banner after a removal, with Undo.
 * @csspart status - The status line, a polite live region.
 *
 * @cssprop [--overa-color-primary=#1d70b8] - Primary button colour.
 * @cssprop [--overa-color-danger=#d4351c] - Error colour.
 * @cssprop [--overa-color-focus=#ffdd00] - Focus ring colour.
 * @cssprop [--overa-color-text=#0b0c0c] - Text colour.
 * @cssprop [--overa-color-muted=#505a5f] - Hint colour.
 * @cssprop [--overa-color-surface=#ffffff] - Background.
 * @cssprop [--overa-font-family=inherit] - Font; by default the page's.
 * @cssprop [--overa-radius=4px] - Corner radius.
 * @cssprop [--overa-space=1rem] - Base spacing unit.
 */
export class OveraFormBuilder extends OveraElement<OveraFormBuilderEventDetails> {
  static override styles = [baseStyles, fieldStyles, linkButtonStyles, styles];
  static override messages = [commonMessages, formBuilderMessages];

  /** The agency's roles an approval step can be given to (comma-separated; by default `clerk,head`). */
  @property({ converter: listConverter }) roles: string[] = DEFAULT_ROLES;

  /** Agency ids offered for distribution (comma-separated; any id can be typed). */
  @property({ converter: listConverter }) agencies: string[] = [];

  /** The agency a new form belongs to. */
  @property() agency = '';

  /** The script the agency writes Serbian in; the other one is transliterated. */
  @property() script: SerbianScript = 'sr-Latn';

  /** With a server: the form to open (its draft, else its latest published version). */
  @property({ attribute: 'form-id' }) formId = '';

  @state() private def: BuilderDefinition = emptyDefinition('');
  @state() private checked = false;
  /** The preview's language; until one is chosen, the builder's own. */
  @state() private previewLang: Lang | null = null;
  /** The definition before the last removal, what was removed, and where it was (focus returns there on Undo). */
  @state() private undo: { def: BuilderDefinition; what: string; anchor: string } | null = null;
  @state() private status = '';
  @state() private importError: string | null = null;
  @state() private serverProblems: readonly BuilderProblem[] = [];
  @state() private requestProblem: (ShownProblem & { status?: number }) | null = null;
  @state() private busy: Busy = null;
  /** Ids and anchors the last render drew: where each problem can be shown. */
  private drawn = new Set<string>();

  /** The problems on show by the control they are shown at, worked out once per render. */
  private placement = new Map<string, BuilderProblem[]>();
  private started = false;
  private serverGiven = false;
  private lastGood: FormDefinition | null = null;
  /** What of lastGood the form element renders, as JSON: a new object (which resets the preview's answers) only when that changed. */
  private lastGoodKey = '';
  private readonly forms = new LoadStateController<AdminFormSummary[]>(this, {
    who: WHO,
    initial: { state: 'signed-out' },
    failed: (err) => (err instanceof OveraApiError && err.status === 401 ? { state: 'signed-out' } : undefined),
  });

  // Found when needed (a plain getter rather than Lit's @query: that decorator's module would ride
  // in the first load of the bundle that carries every element, where this one is only lazy).
  // check() is public: before the element was ever connected there is no shadow root yet.
  private get errorBox(): HTMLElement | null {
    return this.renderRoot?.querySelector('.error-summary') ?? null;
  }

  /** The definition being edited. Setting it starts over (no undo, no problems shown until checked). */
  get definition(): BuilderDefinition {
    return this.def;
  }

  set definition(value: BuilderDefinition) {
    this.started = true;
    this.def = value;
    this.undo = null;
    this.serverProblems = [];
    this.checked = false;
  }

  /** What is wrong with the definition now (checkDefinition's problems and the builder's own), by JSON pointer. */
  get problems(): readonly BuilderProblem[] {
    return [...this.serverProblems, ...findProblems(this.def)];
  }

  /** The definition as JSON, as "Download JSON" saves it. */
  exportJson(): string {
    return exportJson(this.def);
  }

  /** Replaces the definition with the one in `json`; false (and the reason shown) when it is not one. */
  async importJson(json: string): Promise<boolean> {
    const result = importJson(json);
    if (!result.ok) {
      this.importError = msg(this.resolvedLang, result.code === 'json' ? 'builder.import.notJson' : 'builder.import.notForm', { detail: result.detail });
      await this.updateComplete;
      this.shadowRoot?.getElementById('import-text')?.focus();
      return false;
    }
    this.definition = result.definition;
    this.importError = null;
    this.status = msg(this.resolvedLang, 'builder.import.done', { title: localize(result.definition.title, this.resolvedLang) || result.definition.id });
    await this.check();
    return true;
  }

  /** Shows every problem (beside its part and in the summary, which takes focus); true when there is none. */
  async check(): Promise<boolean> {
    this.checked = true;
    const ok = this.problems.length === 0;
    await this.updateComplete;
    if (!ok) this.errorBox?.focus();
    else if (this.status === '') this.status = msg(this.resolvedLang, 'builder.check.none');
    return ok;
  }

  override connectedCallback(): void {
    // Before the first update reflects `server`'s default: only a server the page gave turns the API on.
    if (!this.hasUpdated) this.serverGiven = this.hasAttribute('server') || this.server !== '';
    super.connectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('server') && this.server !== '') this.serverGiven = true;
    if (!this.started && (changed.has('agency') || !this.hasUpdated)) this.def = emptyDefinition(this.agency || 'agency');
    // The first `form-id` opens once the client is attached (clientAttached); a later one here.
    if (changed.has('formId') && this.hasUpdated && this.formId && this.client) void this.open(this.formId);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const root = this.shadowRoot!;
    const drawn = new Set<string>();
    for (const el of root.querySelectorAll('[id], [data-anchor]')) {
      drawn.add(el.getAttribute('data-anchor') ?? el.id);
      if (el.id) drawn.add(el.id);
    }
    const same = drawn.size === this.drawn.size && [...drawn].every((d) => this.drawn.has(d));
    if (same) return;
    // A problem whose part was not drawn yet (a question just added) moves to it: render once more only then.
    const shown = this.checked || this.serverProblems.length ? this.problems : [];
    const before = shown.map((p) => this.placeOf(p));
    this.drawn = drawn;
    if (shown.some((p, i) => this.placeOf(p) !== before[i])) this.requestUpdate();
  }

  protected override clientAttached(client: OveraClient): void {
    if (!this.serverGiven) return;
    if (client.token) {
      void this.forms.load((signal) => listAdminForms(client, signal));
      if (this.formId) void this.open(this.formId);
    }
  }

  protected override sessionChanged(session: Session): void {
    if (!this.serverGiven || !this.client) return;
    const client = this.client;
    if (session.token && this.forms.state === 'signed-out') void this.forms.load((signal) => listAdminForms(client, signal));
    if (!session.token) this.forms.set({ state: 'signed-out' });
  }

  // ---------------------------------------------------------------- edits

  private edit(next: BuilderDefinition): void {
    this.started = true;
    this.def = next;
    this.serverProblems = [];
    if (this.status) this.status = '';
  }

  private readonly ctx = (): EditorContext => ({
    lang: this.resolvedLang,
    def: this.def,
    script: this.script === 'sr-Cyrl' ? 'sr-Cyrl' : 'sr-Latn',
    roles: this.roles.length ? this.roles : DEFAULT_ROLES,
    set: (path, value) => {
      // A question renamed: the conditions, pages, facts and checks that name it follow.
      if (path.at(-1) === 'name' && path[0] === 'fields' && typeof value === 'string') this.edit(renameField(this.def, path.slice(0, -1), value));
      else this.edit(setIn(this.def, path, value));
    },
    insert: (path, item, index) => {
      const at = index ?? ((this.arrayAt(path)?.length) ?? 0);
      const next = insertIn(this.def, path, item, at);
      // A new question of a form with pages goes on the page of the one before it.
      this.edit(path.length === 1 && path[0] === 'fields' ? placeNewField(next, at) : next);
      void this.focusFirstIn(pointer([...path, at]));
    },
    remove: (path, index, what, dropEmpty) => {
      this.undo = { def: this.def, what, anchor: pointer([...path, index]) };
      const next = removeIn(this.def, path, index, dropEmpty);
      // A removed question leaves its page too (Undo brings both back).
      this.edit(path.length === 1 && path[0] === 'fields' ? dropFromPages(next, this.def.fields[index]?.name ?? '') : next);
      this.status = '';
      void this.focusSelector('.undo h3');
    },
    move: (path, from, to, focusIds) => {
      const next = moveIn(this.def, path, from, to);
      // Pages list their questions in the order of the form's.
      this.edit(path.length === 1 && path[0] === 'fields' ? orderPages(next) : next);
      this.status = msg(this.resolvedLang, 'builder.moved', { n: to + 1 });
      void this.focusMoved(pointer([...path, to]), focusIds.map((id) => id.replace(pointer([...path, from]), pointer([...path, to]))));
    },
    focus: (id) => void this.focusFirstIn(id),
    problemsAt: (id) => this.placement.get(id) ?? [],
  });

  private arrayAt(path: Path): unknown[] | undefined {
    let at: unknown = this.def;
    for (const key of path) at = (at as Record<string | number, unknown> | undefined)?.[key];
    return Array.isArray(at) ? at : undefined;
  }

  /** Each problem at the control it belongs to, or the nearest drawn part around it. */
  private placed(problems: readonly BuilderProblem[]): Map<string, BuilderProblem[]> {
    const out = new Map<string, BuilderProblem[]>();
    for (const p of problems) {
      const id = this.placeOf(p);
      out.set(id, [...(out.get(id) ?? []), p]);
    }
    return out;
  }

  private placeOf(p: BuilderProblem): string {
    let id = anchorFor(p.path);
    while (id !== '' && !this.drawn.has(id)) id = id.slice(0, id.lastIndexOf('/'));
    return id === '' ? '/meta' : id;
  }

  private onUndo(): void {
    if (!this.undo) return;
    const { def, what, anchor } = this.undo;
    this.undo = null;
    this.edit(def);
    this.status = msg(this.resolvedLang, 'builder.undone', { what });
    void this.focusFirstIn(anchor);
  }

  // ---------------------------------------------------------------- focus

  private async focusSelector(selector: string): Promise<void> {
    await this.updateComplete;
    this.shadowRoot?.querySelector<HTMLElement>(selector)?.focus();
  }

  private async focusFirstIn(anchor: string): Promise<void> {
    await this.updateComplete;
    const root = this.shadowRoot!;
    const byId = root.getElementById(anchor);
    if (byId?.matches('input, select, textarea, button')) {
      byId.focus();
      return;
    }
    const box = root.querySelector(`[data-anchor="${CSS.escape(anchor)}"]`) ?? byId;
    (box?.querySelector<HTMLElement>('input, select, textarea') ?? box?.querySelector<HTMLElement>('button'))?.focus();
  }

  private async focusMoved(_anchor: string, ids: readonly string[]): Promise<void> {
    await this.updateComplete;
    for (const id of ids) {
      const el = this.shadowRoot!.getElementById(id) as HTMLButtonElement | null;
      if (el && !el.disabled) {
        el.focus();
        return;
      }
    }
  }

  /** A link of the error summary: focus the control at fault (or the first control of its part). */
  private focusProblem(event: Event, id: string): void {
    event.preventDefault();
    const root = this.shadowRoot!;
    const target = root.getElementById(id) ?? root.querySelector(`[data-anchor="${CSS.escape(id)}"]`);
    if (!target) return;
    const focusable = target.matches('input, select, textarea, button') ? (target as HTMLElement) : target.querySelector<HTMLElement>('input, select, textarea, button');
    (focusable ?? (target as HTMLElement)).focus();
    target.scrollIntoView({ block: 'center' });
  }

  // ---------------------------------------------------------------- import / export

  private download(): void {
    const blob = new Blob([this.exportJson()], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${this.def.id || 'form'}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    this.status = msg(this.resolvedLang, 'builder.export.done', { file: a.download });
  }

  /** An empty form instead of this one; Undo brings this one back. */
  private startNew(): void {
    const what = localize(this.def.title ?? '', this.resolvedLang) || this.def.id;
    this.undo = { def: this.def, what, anchor: '/id' };
    this.edit(emptyDefinition(this.agency || this.def.agencyId || 'agency'));
    this.checked = false;
    void this.focusSelector('.undo h3');
  }

  private async onImportFile(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    await this.importJson(await file.text());
    input.value = '';
  }

  private async onImportText(): Promise<void> {
    const text = (this.shadowRoot!.getElementById('import-text') as HTMLTextAreaElement).value;
    await this.importJson(text);
  }

  // ---------------------------------------------------------------- server

  private async open(id: string): Promise<void> {
    const client = this.client;
    if (!client || !this.serverGiven) return;
    this.busy = 'opening';
    this.requestProblem = null;
    try {
      const form = await getAdminForm<BuilderDefinition>(client, id);
      const def = form.draft ?? (form.publishedVersion !== null ? await getAdminFormVersion<BuilderDefinition>(client, id, form.publishedVersion) : null);
      if (def) {
        this.definition = def;
        this.status = msg(this.resolvedLang, 'builder.api.opened', { id });
      }
    } catch (err) {
      this.showRequestProblem(err);
    } finally {
      this.busy = null;
    }
  }

  private async save(publish: boolean): Promise<void> {
    const client = this.client;
    if (!client || this.busy) return;
    if (!(await this.check())) return;
    this.busy = publish ? 'publishing' : 'saving';
    this.requestProblem = null;
    this.status = msg(this.resolvedLang, publish ? 'builder.api.publishing' : 'builder.api.saving');
    try {
      const draft = await saveFormDraft(client, this.def);
      this.emit('overa-form-saved', { id: this.def.id, draft });
      if (publish) {
        const { version, publishedAt } = await publishForm(client, this.def.id);
        this.status = msg(this.resolvedLang, 'builder.api.published', { version });
        this.emit('overa-form-published', { id: this.def.id, version, publishedAt });
      } else {
        this.status = msg(this.resolvedLang, 'builder.api.saved');
      }
      void this.forms.load((signal) => listAdminForms(client, signal), { keep: true });
    } catch (err) {
      this.status = '';
      this.showRequestProblem(err);
      await this.updateComplete;
      this.errorBox?.focus();
    } finally {
      this.busy = null;
    }
  }

  /** 422: the server's checkDefinition problems go beside their parts; 401/403 and the rest to the summary. */
  private showRequestProblem(err: unknown): void {
    if (err instanceof OveraApiError && err.status === 422 && err.fieldErrors.length) {
      this.checked = true;
      this.serverProblems = err.fieldErrors.map((e) => ({
        path: e.field.startsWith('/') ? e.field : `/${e.field.replace(/\./g, '/')}`,
        message: e.message,
        ...(e.rule === undefined ? {} : { rule: e.rule, params: e.params ?? {} }),
      }));
      return;
    }
    this.requestProblem = { ...toProblem(err, WHO), ...(err instanceof OveraApiError ? { status: err.status } : {}) };
  }

  private requestProblemText(p: ShownProblem & { status?: number }): string {
    if (p.status === 401) return msg(this.resolvedLang, 'builder.api.unauthorized');
    if (p.status === 403) return msg(this.resolvedLang, 'builder.api.forbidden');
    if (p.status === 422) return msg(this.resolvedLang, 'builder.api.refused');
    return problemMessage(this.resolvedLang, p.code);
  }

  // ---------------------------------------------------------------- render

  override render(): TemplateResult {
    const lang = this.resolvedLang;
    const own = findProblems(this.def);
    const problems = this.checked || this.serverProblems.length ? [...this.serverProblems, ...own] : [];
    this.placement = this.placed(problems);
    const ctx = this.ctx();
    if (own.length === 0) this.updatePreview();
    return html`<div class="layout">
      <div class="editor" part="editor">
        <h2>${msg(lang, 'builder.title')}</h2>
        ${this.renderSummary(lang, problems)}
        ${this.undo
          ? html`<div class="undo" part="undo" role="region" aria-labelledby="undo-title">
              <h3 id="undo-title" tabindex="-1">${msg(lang, 'builder.removed', { what: this.undo.what })}</h3>
              <button type="button" class="secondary" @click=${this.onUndo}>${msg(lang, 'builder.undo')}</button>
            </div>`
          : nothing}
        ${this.serverGiven ? this.renderForms(lang) : nothing}
        <nav class="contents" aria-labelledby="contents-title">
          <h3 id="contents-title">${msg(lang, 'builder.contents')}</h3>
          <ul>
            ${(['meta', 'questions', 'pages', 'line', 'document', 'distribution', 'fee', 'json'] as const).map(
              (s) => html`<li><a href=${`#s-${s}`} @click=${(e: Event) => this.focusProblem(e, `s-${s}`)}>${msgOr(lang, `builder.section.${s}`, 'builder.title')}</a></li>`,
            )}
          </ul>
        </nav>
        ${this.section('meta', html`
          <div data-anchor="/meta">${ctx.problemsAt('/meta').length ? html`<p class="error-message">${ctx.problemsAt('/meta').map((p) => html`${problemText(lang, p)}<br />`)}</p>` : nothing}</div>
          <div class="row">
            ${textInput(ctx, ['id'], this.def.id, { label: msg(lang, 'builder.meta.id'), hint: msg(lang, 'builder.slugHint', { example: 'building-permit' }), width: 'medium' })}
            ${textInput(ctx, ['agencyId'], this.def.agencyId, { label: msg(lang, 'builder.meta.agency'), width: 'medium' })}
          </div>
          ${textEditor(ctx, ['title'], this.def.title, { label: msg(lang, 'builder.meta.title') })}
          ${textEditor(ctx, ['description'], this.def.description, { label: msg(lang, 'builder.meta.description'), multiline: true, optional: true })}
          ${select(ctx, ['audience'], this.def.audience ?? 'public', msg(lang, 'builder.meta.audience'), [
            { value: 'public', label: msg(lang, 'builder.meta.public') },
            { value: 'internal', label: msg(lang, 'builder.meta.internal') },
          ], (v) => ctx.set(['audience'], v === 'public' && this.def.audience === undefined ? undefined : v))}
          ${checkbox(ctx, ['signature', 'required'], this.def.signature.required, msg(lang, 'builder.meta.signature'), (on) => ctx.set(['signature', 'required'], on))}
        `)}
        ${this.section('questions', fieldList(ctx, ['fields'], this.def.fields, [], false))}
        ${this.section('pages', pagesEditor(ctx))}
        ${this.section('line', approvalLine(ctx))}
        ${this.section('document', documentEditor(ctx))}
        ${this.section('distribution', distributionEditor(ctx, this.agencies))}
        ${this.section('fee', html`${feeEditor(ctx)}${deadlineEditor(ctx)}`)}
        ${this.section('json', this.renderJson(lang))}
      </div>
      <div class="preview" part="preview">
        <h2 id="preview-title">${msg(lang, 'builder.preview.title')}</h2>
        <fieldset class="preview-lang">
          <legend>${msg(lang, 'builder.preview.lang')}</legend>
          ${PREVIEW_LANGS.map(
            (l) => html`<div class="check inline">
              <input type="radio" name="preview-lang" id=${`preview-${l}`} .checked=${(this.previewLang ?? lang) === l} @change=${() => (this.previewLang = l)} />
              <label for=${`preview-${l}`} lang=${l} translate="no">${LANG_NAMES[l]}</label>
            </div>`,
          )}
        </fieldset>
        ${this.lastGood && own.length ? html`<p class="hint">${msg(lang, 'builder.preview.stale')}</p>` : nothing}
        ${this.lastGood
          ? html`<overa-application-form
              .definition=${this.lastGood}
              lang=${this.previewLang ?? lang}
              no-autosave
              no-history
              server=${ifDefined(this.serverGiven ? this.server : undefined)}
            ></overa-application-form>`
          : html`<p class="hint">${msg(lang, 'builder.preview.none')}</p>`}
      </div>
      <p part="status" class="status" role="status" aria-live="polite">${this.status}</p>
    </div>`;
  }

  /**
   * The preview follows the definition without problems, but keeps its object (and the answers
   * tried in it) while only parts it does not render change: the approval line, the document.
   */
  private updatePreview(): void {
    const next = previewDefinition(this.def);
    const key = JSON.stringify([next.id, next.version, next.agencyId, next.title, next.description, next.fields, next.pages, next.signature, next.audience]);
    if (key === this.lastGoodKey && this.lastGood) return;
    this.lastGoodKey = key;
    this.lastGood = next;
  }

  /** A section of the editor with its heading (the contents link to it). */
  private section(name: string, content: TemplateResult): TemplateResult {
    return html`<section class="part" id=${`s-${name}`} tabindex="-1" aria-labelledby=${`s-${name}-title`}>
      <h3 id=${`s-${name}-title`}>${msgOr(this.resolvedLang, `builder.section.${name}`, 'builder.title')}</h3>
      ${content}
    </section>`;
  }

  private renderSummary(lang: Lang, problems: readonly BuilderProblem[]): TemplateResult | typeof nothing {
    if (problems.length === 0 && !this.requestProblem) return nothing;
    return errorSummary(lang, {
      title: msg(lang, 'error.title'),
      heading: 'h3',
      links: problems.map((p) => {
        const id = this.placeOf(p);
        return html`<a href=${`#${id}`} @click=${(e: Event) => this.focusProblem(e, id)}>${this.where(p)}: ${problemText(lang, p)}</a>`;
      }),
      text: this.requestProblem ? this.requestProblemText(this.requestProblem) : undefined,
      requestId: this.requestProblem?.requestId,
    });
  }

  /** Where a problem is, in words: "Question 2 (city)", "Approval step 1", "Document". */
  private where(p: BuilderProblem): string {
    const lang = this.resolvedLang;
    const segs = p.path.split('/').slice(1);
    if (segs[0] === 'fields' && segs[1] !== undefined) {
      const f = this.def.fields[Number(segs[1])];
      const base = msg(lang, 'builder.fields.question', { n: Number(segs[1]) + 1 }) + (f ? ` (${f.name})` : '');
      if (segs[2] === 'fields' && segs[3] !== undefined) {
        const sub = f?.fields?.[Number(segs[3])];
        return `${base}, ${msg(lang, 'builder.fields.question', { n: Number(segs[3]) + 1 })}${sub ? ` (${sub.name})` : ''}`;
      }
      return base;
    }
    if (segs[0] === 'approvalLine' && segs[1] !== undefined) return msg(lang, 'builder.line.step', { n: Number(segs[1]) + 1 });
    if (segs[0] === 'pages' && segs[1] !== undefined) return msg(lang, 'builder.pages.page', { n: Number(segs[1]) + 1 });
    const section: Record<string, string> = { fields: 'questions', approvalLine: 'line', document: 'document', distribution: 'distribution', fee: 'fee', deadline: 'fee', pages: 'pages' };
    return msgOr(lang, `builder.section.${section[segs[0] ?? ''] ?? 'meta'}`, 'builder.title');
  }

  private renderForms(lang: Lang): TemplateResult {
    const s = this.forms.now;
    return html`<section class="part" aria-labelledby="forms-title">
      <h3 id="forms-title">${msg(lang, 'builder.api.forms')}</h3>
      ${s.state === 'signed-out' ? html`<p class="hint">${msg(lang, 'builder.api.signIn')}</p>` : nothing}
      ${s.state === 'loading' ? html`<p class="hint">${msg(lang, 'builder.api.loading')}</p>` : nothing}
      ${s.state === 'error' ? html`<p class="error-message">${s.problem.code === 'not-allowed' || s.problem.code === 'http-403' ? msg(lang, 'builder.api.forbidden') : problemMessage(lang, s.problem.code)}</p>` : nothing}
      ${s.state === 'ready'
        ? s.value.length === 0
          ? html`<p class="hint">${msg(lang, 'builder.api.noForms')}</p>`
          : html`<ul class="forms">
              ${s.value.map(
                (f) => html`<li>
                  <button type="button" class="link-button" ?disabled=${this.busy !== null} @click=${() => void this.open(f.id)}>
                    ${localize((f.title ?? f.id) as FormDefinition['title'], lang) || f.id}
                  </button>
                  <span class="hint">${f.id} · ${msgOr(lang, `builder.api.state.${f.state}`, 'builder.api.state.draft')}${f.publishedVersion !== null ? ` · v${f.publishedVersion}` : ''}${f.hasDraft ? ` · ${msg(lang, 'builder.api.hasDraft')}` : ''}</span>
                </li>`,
              )}
            </ul>`
        : nothing}
    </section>`;
  }

  /** Import, export, check, save and publish (the last two with a server). */
  private renderJson(lang: Lang): TemplateResult {
    return html`<div class="buttons">
        <button type="button" part="check-button" @click=${() => void this.check()}>${msg(lang, 'builder.check.button')}</button>
        <button type="button" class="secondary" part="export-button" @click=${this.download}>${msg(lang, 'builder.export.button')}</button>
        <button type="button" class="secondary" part="new-button" @click=${this.startNew}>${msg(lang, 'builder.new.button')}</button>
        ${this.serverGiven
          ? html`<button type="button" class="secondary" part="save-button" ?disabled=${this.busy !== null} @click=${() => void this.save(false)}>${msg(lang, 'builder.api.save')}</button>
              <button type="button" part="publish-button" ?disabled=${this.busy !== null} @click=${() => void this.save(true)}>${msg(lang, 'builder.api.publish')}</button>`
          : html`<p class="hint">${msg(lang, 'builder.api.offline')}</p>`}
      </div>
      <div class="import" part="import">
        <div class="field">
          <label for="import-file">${msg(lang, 'builder.import.file')}</label>
          <input type="file" id="import-file" accept="application/json,.json" @change=${this.onImportFile} />
        </div>
        <div class="field ${this.importError ? 'field--error' : ''}">
          <label for="import-text">${msg(lang, 'builder.import.paste')}</label>
          ${this.importError ? html`<p class="error-message" id="import-error"><span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${this.importError}</p>` : nothing}
          <textarea id="import-text" rows="4" spellcheck="false" aria-describedby=${ifDefined(this.importError ? 'import-error' : undefined)} aria-invalid=${ifDefined(this.importError ? 'true' : undefined)}></textarea>
        </div>
        <button type="button" class="secondary" @click=${() => void this.onImportText()}>${msg(lang, 'builder.import.button')}</button>
      </div>`;
  }
}
