import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { PublicDocumentStatus } from '../core/documents.ts';
import type { GenuineDocument } from './issued-document.ts';
import type { VerificationReport } from '../core/report.ts';
import type { ListRefusal } from './verdict-qualification.ts';
import type { ForeignSealLists } from './foreign-seal.ts';
import { CODE_ALPHABET, readVerificationCode, type VerificationCodeReading } from '../core/verification-code.ts';
import { OveraApiError, OveraError } from '../client/errors.ts';
import { apiBaseFor, clientFor } from '../client/client.ts';
import { formatList, msg, problemMessage, type Lang } from '../i18n/index.ts';
import { OveraElement } from '../shared/overa-element.ts';
import { errorSummary } from '../shared/error-summary.ts';
import { LazyView, lazyModule } from '../shared/lazy-view.ts';
import { commonMessages } from '../i18n/en/common.ts';
import { verifyMessages } from '../i18n/en/verify.ts';
import baseStyles from '../styles/base.styles.ts';
import fieldStyles from '../styles/fields.styles.ts';
import styles from './verify.styles.ts';

/** Detail of `overa-verified`. */
export interface OveraVerifiedDetail {
  /** The overall verdict shown. */
  verdict: Verdict;
  /** The signatures' report, when a file was checked. */
  report: VerificationReport | null;
  /** The issuer's status of the document, when a code was looked up. */
  status: PublicDocumentStatus | null;
}

/** What the element concluded: genuine and current, not valid, or cannot be confirmed. */
export type Verdict = 'valid' | 'invalid' | 'unconfirmed';

/** What the element shows. */
export type OveraVerifyState = 'idle' | 'reading' | 'checking' | 'done';

/** A SHA-256 in hex, of bytes in hand. */
async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Codes stay in Latin letters in every language: they are typed as printed. */
const CODE_EXAMPLE = 'ACDE-FGHJ-KMNP-QRTU-VWXY';

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The verdict and its details: a chunk loaded while a check runs. */
const verdictModule = lazyModule(() => import('./verdict.ts'));

/** The genuine document a valid code leads to (facts, PDF, first page): a chunk loaded with a code check. */
const documentModule = lazyModule(() => import('./issued-document.ts'));

/**
 * Checks a document anyone holds: drop or choose the PDF, or type the code printed on it (a
 * QR code's `?code=` fills it in). The PDF is checked in this browser, offline if need be —
 * the agency's seal against the trust anchors given, every passkey signature inside it, and
 * that nothing was changed — and, with a `server`, the issuer says whether the document is
 * still valid, revoked or replaced. The verdict is in words, colour and a symbol; the details
 * are one click away. A valid code also shows the genuine document to compare with the one in
 * hand: the holder, the subject, the issue date and the content fingerprint, the original PDF
 * to download and its first page. The verifier (pkijs) loads only when a file is checked, the
 * PDF viewer (PDF.js) only when a valid code's document is shown. A seal of another authority
 * (one that does not lead to the trust anchors) is checked again against trusted lists (ETSI
 * TS 119 612) — the server's, or list files given and verified here — and its qualified status
 * shown (qualified seal, advanced seal…); that code loads only for such a seal.
 *
 * @summary Check whether a document is genuine: drop the PDF or type its code.
 *
 * @fires overa-verified - A check finished. `detail: { verdict, report, status }`.
 *
 * @csspart drop-zone - Where a PDF can be dropped (with the "Choose a PDF" button).
 * @csspart file-button - "Choose a PDF".
 * @csspart code-form - The verification code form.
 * @csspart code-input - The verification code field.
 * @csspart progress - The progress bar while a file is read.
 * @csspart verdict - The verdict panel, focused when it appears.
 * @csspart details - The details: issuer, document, every signature (for a seal: its PAdES level, the time a time-stamp proves, where its validation data came from, and — for a seal of another authority on a trusted list — whether it is a qualified seal).
 * @csspart document - The genuine document a valid code leads to: its facts, PDF and first page.
 * @csspart fingerprint - The genuine document's content fingerprint.
 * @csspart preview - The canvas with the genuine document's first page.
 * @csspart pdf-link - "Download the original PDF".
 * @csspart error - An error box.
 * @csspart status - The status line, a polite live region.
 *
 * @cssprop [--overa-color-primary=#1d70b8] - Buttons.
 * @cssprop [--overa-color-success=#00703c] - The "valid" verdict.
 * @cssprop [--overa-color-danger=#d4351c] - The "not valid" verdict, errors.
 * @cssprop [--overa-color-warning=#f47738] - The "cannot be confirmed" verdict.
 * @cssprop [--overa-color-focus=#ffdd00] - Focus ring colour.
 * @cssprop [--overa-color-text=#0b0c0c] - Text colour.
 * @cssprop [--overa-color-muted=#505a5f] - Secondary text.
 * @cssprop [--overa-color-surface=#ffffff] - Background.
 * @cssprop [--overa-font-family=inherit] - Font; by default the page's.
 * @cssprop [--overa-radius=4px] - Corner radius.
 * @cssprop [--overa-space=1rem] - Base spacing unit.
 */
export class OveraVerify extends OveraElement<{ 'overa-verified': OveraVerifiedDetail }> {
  static override styles = [baseStyles, fieldStyles, styles];
  static override messages = [commonMessages, verifyMessages];

  /**
   * Whom to trust: a URL of a PEM file or of Overa's `GET /trust` (JSON), or PEM text itself.
   * Default: the server's published anchors (`/api/v1/trust`); `offline` with none: no seal is trusted.
   */
  @property({ attribute: 'trust-anchors' }) trustAnchors = '';

  /**
   * Trusted lists (ETSI TS 119 612) for seals of other authorities: URLs of list files (XML,
   * space-separated — the EU list of lists and national lists), checked here, in the browser,
   * against `trusted-list-signers`. Default: the lists the server verified
   * (`GET /trust?include=services`); `offline` with none: no list. Fetched and checked only
   * when a file's seal does not lead to the trust anchors (a foreign seal).
   */
  @property({ attribute: 'trusted-lists' }) trustedLists = '';

  /** The certificates allowed to sign the list files: PEM text or a URL of a PEM file (national lists are also pinned by a list of lists among them). */
  @property({ attribute: 'trusted-list-signers' }) trustedListSigners = '';

  /** List files given directly (XML text or bytes, e.g. from a file input), checked like `trusted-lists`. */
  @property({ attribute: false }) trustedListFiles: readonly (string | Uint8Array)[] = [];

  /** A verification code to look up at once (the page's `?code=` is used when this is empty). */
  @property() code = '';

  /**
   * Never ask a server: check files against the trust anchors given, and nothing else (a
   * verification page saved as a static file, or used with no connection).
   */
  @property({ type: Boolean, reflect: true }) offline = false;

  @state() private phase: OveraVerifyState = 'idle';
  @state() private progress = 0;
  @state() private fileName = '';
  @state() private fileSize = 0;
  @state() private report: VerificationReport | null = null;
  @state() private docStatus: PublicDocumentStatus | null = null;
  @state() private fileHash: string | null = null;
  @state() private problem: string | null = null;
  @state() private codeValue = '';
  @state() private codeError: string | null = null;
  /** What to fix about the file chosen (not a PDF, empty): a field error, not a verdict. */
  @state() private fileError: string | null = null;
  @state() private dropping = false;

  private readonly verdictView = new LazyView(this, verdictModule);
  private readonly documentView = new LazyView(this, documentModule);
  /** The genuine document of the last valid code looked up, while it is shown. */
  @state() private genuine: GenuineDocument | null = null;
  private anchorsCache: Promise<string[]> | null = null;
  private listsCache: Promise<ForeignSealLists> | null = null;
  @state() private listRefusals: ListRefusal[] = [];
  private run = 0;

  /** What the element shows now. */
  get state(): OveraVerifyState {
    return this.phase;
  }

  /** The verdict shown (after a check). */
  get verdict(): Verdict | null {
    return this.phase === 'done' ? this.computeVerdict() : null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.code && typeof location !== 'undefined') {
      const fromUrl = new URLSearchParams(location.search).get('code');
      if (fromUrl) this.code = fromUrl;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('trustAnchors') || changed.has('server')) this.anchorsCache = null;
    if (changed.has('trustedLists') || changed.has('trustedListSigners') || changed.has('trustedListFiles') || changed.has('server') || changed.has('offline')) this.listsCache = null;
    if (changed.has('code') && this.code) {
      this.codeValue = this.code;
      if (!this.offline) void this.lookUp(this.code);
    }
  }

  /**
   * The genuine document shown after a valid code check (its facts, its PDF once fetched, how
   * far its first page is drawn), or null. (Not named `document`: inline handlers on the element
   * would see it instead of the page's `document`.)
   */
  get genuineDocument(): GenuineDocument | null {
    return this.genuine;
  }

  private letDocumentGo(): void {
    this.genuine?.dispose();
    this.genuine = null;
  }

  /** Checks a PDF (what dropping or choosing a file does). */
  async verifyFile(file: Blob & { name?: string }): Promise<void> {
    const run = ++this.run;
    this.letDocumentGo();
    this.problem = null;
    this.fileError = null;
    this.report = null;
    this.fileHash = null;
    this.fileName = file.name ?? 'document.pdf';
    this.fileSize = file.size;
    this.phase = 'reading';
    this.progress = 0;
    try {
      const bytes = await this.read(file, run);
      if (run !== this.run) return;
      this.phase = 'checking';
      // The verifier (pkijs, asn1js) is a chunk of its own: pages that never check a file never load it.
      // reportHeadline comes with it (core/report.ts is in the verifier's chunk), not in the first load.
      const [{ verifyDocument }, { reportHeadline }, anchors] = await Promise.all([import('../core/pdf/verify-document.ts'), import('../core/report.ts'), this.anchors()]);
      let [report, hash] = await Promise.all([verifyDocument(bytes, { trustAnchors: anchors }), sha256Hex(bytes)]);
      if (run !== this.run) return;
      // A seal of another authority: checked again with the trusted lists (their code loads only now).
      this.listRefusals = [];
      if (report.signatures.some((e) => e.kind === 'seal' && e.reasons.some((r) => r.code === 'no-chain'))) {
        const lists = await this.lists();
        if (run !== this.run) return;
        this.listRefusals = lists.refusals;
        if (lists.set) report = await verifyDocument(bytes, { trustAnchors: anchors, trustedLists: lists.set });
        if (run !== this.run) return;
      }
      // Not a document at all (not a PDF, empty): the person chose the wrong file; say so at the file field.
      const said = reportHeadline(report);
      if (said.inputError) {
        // Its words are the verdict view's (verify.headline.*): loaded with it.
        await this.verdictView.load().catch(() => undefined);
        if (run !== this.run) return;
        this.phase = 'idle';
        this.fileError = msg(this.resolvedLang, `verify.headline.${said.code}`);
        await this.focusPart('file-button');
        return;
      }
      this.report = report;
      this.fileHash = hash;
      // The code inside the file lets the issuer be asked, when there is one to ask.
      const code = this.codeFromReport(report);
      if (code && !this.offline && !this.docStatus) await this.lookUp(code, true);
      await this.finish();
    } catch (err) {
      if (run !== this.run) return;
      this.phase = 'idle';
      this.problem = err instanceof OveraError ? err.code : 'file-unreadable';
      await this.focusPart('error');
    }
  }

  /** Reads the file in chunks, so a large one shows progress. */
  private async read(file: Blob, run: number): Promise<Uint8Array> {
    const out = new Uint8Array(file.size);
    const reader = file.stream().getReader();
    let offset = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (run !== this.run) {
        await reader.cancel();
        break;
      }
      out.set(value, offset);
      offset += value.length;
      this.progress = file.size ? offset / file.size : 1;
    }
    return out.subarray(0, offset);
  }

  private codeFromReport(report: VerificationReport): string | null {
    // Only a document whose seal checked out names a code worth asking the issuer about.
    return report.indication === 'TOTAL_PASSED' ? (report.document?.issued?.verificationCode ?? null) : null;
  }

  private async lookUp(raw: string, quiet = false): Promise<void> {
    const reading = readVerificationCode(raw);
    if (!('code' in reading)) {
      this.codeError = codeProblem(this.resolvedLang, reading);
      await this.focusPart('code-input');
      return;
    }
    const code = reading.code;
    this.codeError = null;
    this.codeValue = code;
    if (this.offline) return;
    const client = this.client ?? clientFor(this.server);
    const run = quiet ? this.run : ++this.run;
    if (!quiet) {
      this.report = null;
      this.fileHash = null;
      this.letDocumentGo();
      this.phase = 'checking';
    }
    try {
      this.docStatus = await client.request<PublicDocumentStatus>('GET', `verify/${encodeURIComponent(code)}`, { auth: false });
      // A valid code shows the genuine document: its chunk, then its PDF (while the verdict is drawn).
      if (!quiet && this.docStatus.status === 'valid' && this.docStatus.facts) {
        const view = await this.documentView.load().catch(() => undefined);
        if (view && run === this.run && view.showsDocument(this.docStatus)) this.genuine = new view.GenuineDocument(this, client, this.docStatus);
      }
    } catch (err) {
      this.docStatus = null;
      if (err instanceof OveraApiError && err.status === 404) {
        this.codeError = msg(this.resolvedLang, 'verify.codeUnknown');
      } else {
        this.problem = err instanceof OveraError ? err.code : 'unknown';
      }
    }
    if (!quiet && run === this.run) await this.finish();
  }

  private async finish(): Promise<void> {
    const done = Boolean(this.report || this.docStatus);
    // The verdict's chunk is usually in already (prefetched on idle); if not, it is drawn when it is.
    if (done) await this.verdictView.load().catch(() => undefined);
    this.phase = done ? 'done' : 'idle';
    if (this.phase === 'done') {
      this.emit('overa-verified', { verdict: this.computeVerdict(), report: this.report, status: this.docStatus });
      await this.focusPart('verdict');
    } else {
      await this.focusPart(this.codeError ? 'code-input' : 'error');
    }
  }

  /** File and issuer together: the worst of what they say wins. */
  private computeVerdict(): Verdict {
    const s = this.docStatus;
    if (s && s.status !== 'valid') return 'invalid';
    if (s && this.fileHash && s.sha256 !== this.fileHash) {
      // A file in hand that is not the issued one: its own seal decides, but it is not this document.
      if (this.report?.indication !== 'TOTAL_PASSED') return this.report?.indication === 'TOTAL_FAILED' ? 'invalid' : 'unconfirmed';
    }
    if (this.report) {
      if (this.report.indication === 'TOTAL_PASSED') return 'valid';
      return this.report.indication === 'TOTAL_FAILED' ? 'invalid' : 'unconfirmed';
    }
    return s ? 'valid' : 'unconfirmed';
  }

  /** The trusted lists (./foreign-seal.ts, a chunk loaded only for a seal of another authority), once per setting. */
  private lists(): Promise<ForeignSealLists> {
    this.listsCache ??= import('./foreign-seal.ts').then(({ trustedListsFor }) =>
      trustedListsFor({ urls: this.trustedLists, signers: this.trustedListSigners, files: this.trustedListFiles, offline: this.offline, apiBase: apiBaseFor(this.server) }),
    );
    return this.listsCache;
  }

  /** The trust anchors as PEM texts: inline PEM, or fetched from the URL given or the server's `/trust`. */
  private anchors(): Promise<string[]> {
    this.anchorsCache ??= (async () => {
      const given = this.trustAnchors.trim();
      if (given.includes('-----BEGIN CERTIFICATE-----')) return given.match(PEM) ?? [];
      const url = given || (this.offline ? '' : `${apiBaseFor(this.server)}trust`);
      if (!url) return [];
      try {
        const response = await fetch(new URL(url, typeof location === 'undefined' ? undefined : location.href), { headers: { Accept: 'application/json, application/x-pem-file, text/plain' } });
        if (!response.ok) return [];
        // Overa's `GET /trust` answers JSON (each anchor with its PEM); anything else is read as PEM text.
        if (/json/i.test(response.headers.get('Content-Type') ?? '')) {
          const json = (await response.json()) as { anchors?: { pem?: unknown }[] };
          return (json.anchors ?? []).flatMap((a) => (typeof a.pem === 'string' ? [a.pem] : []));
        }
        return (await response.text()).match(PEM) ?? [];
      } catch {
        // Offline with no anchors: every seal is then "cannot be confirmed", never "valid".
        return [];
      }
    })();
    return this.anchorsCache;
  }

  private async focusPart(name: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[part~="${name}"]`)?.focus();
  }

  private onFiles(files: FileList | readonly File[] | null | undefined): void {
    const file = files?.[0];
    if (file) void this.verifyFile(file);
  }

  private onCodeSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.lookUp(this.codeValue);
  }

  // ---------------------------------------------------------------- render

  protected override render(): TemplateResult {
    const lang = this.resolvedLang;
    const busy = this.phase === 'reading' || this.phase === 'checking';
    return html`<section class="verify" lang=${lang} aria-busy=${busy ? 'true' : 'false'} aria-labelledby="verify-title">
      <h2 id="verify-title">${msg(lang, 'verify.title')}</h2>
      <p class="lead">${msg(lang, this.offline ? 'verify.introOffline' : 'verify.intro')}</p>
      ${this.problem ? this.renderProblem(lang) : nothing} ${this.phase === 'done' ? this.renderVerdict(lang) : nothing}
      ${this.phase === 'done' && this.genuine ? this.documentView.render(lang, () => this.genuine!.render(lang)) : nothing}
      <div class="ways">
        ${this.renderDropZone(lang, busy)} ${this.offline ? nothing : this.renderCodeForm(lang, busy)}
      </div>
      <p part="status" class="status ${busy ? 'status--busy' : ''}" role="status">${this.statusText(lang)}</p>
    </section>`;
  }

  private statusText(lang: Lang): string {
    if (this.phase === 'reading') return msg(lang, 'verify.reading', { name: this.fileName, percent: Math.round(this.progress * 100) });
    if (this.phase === 'checking') return msg(lang, 'verify.checking');
    return '';
  }

  private renderVerdict(lang: Lang): TemplateResult {
    const found = { verdict: this.computeVerdict(), report: this.report, status: this.docStatus, fileHash: this.fileHash, file: this.fileName ? { name: this.fileName, size: this.fileSize } : null, listRefusals: this.listRefusals };
    return this.verdictView.render(lang, (view) => view.renderVerdict(lang, found));
  }

  private renderProblem(lang: Lang): TemplateResult {
    const text = this.problem === 'file-unreadable' ? msg(lang, 'verify.fileUnreadable') : problemMessage(lang, this.problem ?? 'unknown');
    return errorSummary(lang, { title: msg(lang, 'error.title'), heading: 'h3', text });
  }

  private renderDropZone(lang: Lang, busy: boolean): TemplateResult {
    const onDrop = (e: DragEvent) => {
      e.preventDefault();
      this.dropping = false;
      if (!busy) this.onFiles(e.dataTransfer?.files);
    };
    const error = this.fileError;
    return html`<div
      part="drop-zone"
      class="drop-zone ${this.dropping ? 'dropping' : ''} ${error ? 'field--error' : ''}"
      @dragover=${(e: DragEvent) => {
        e.preventDefault();
        this.dropping = true;
      }}
      @dragleave=${() => (this.dropping = false)}
      @drop=${onDrop}
    >
      <h3>${msg(lang, 'verify.fileTitle')}</h3>
      <p class="hint" id="file-hint">${msg(lang, 'verify.fileHint')}</p>
      ${error ? html`<p class="error-message" id="file-error"><span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${error}</p>` : nothing}
      <input
        id="verify-file"
        type="file"
        accept="application/pdf,.pdf"
        class="visually-hidden"
        tabindex="-1"
        aria-hidden="true"
        @change=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          this.onFiles(input.files);
          input.value = '';
        }}
      />
      <button
        type="button"
        part="file-button"
        class="secondary"
        aria-describedby="file-hint${error ? ' file-error' : ''}"
        ?disabled=${busy}
        @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#verify-file')?.click()}
      >
        ${msg(lang, 'verify.choose')}
      </button>
      ${this.phase === 'reading'
        ? html`<progress part="progress" max="100" value=${Math.round(this.progress * 100)} aria-label=${msg(lang, 'verify.readingLabel', { name: this.fileName })}></progress>`
        : nothing}
    </div>`;
  }

  private renderCodeForm(lang: Lang, busy: boolean): TemplateResult {
    const error = this.codeError;
    return html`<form part="code-form" class="code-form ${error ? 'field--error' : ''}" novalidate @submit=${this.onCodeSubmit}>
      <h3><label for="verify-code">${msg(lang, 'verify.codeTitle')}</label></h3>
      <p class="hint" id="code-hint">${msg(lang, 'verify.codeHint', { example: CODE_EXAMPLE })}</p>
      ${error ? html`<p class="error-message" id="code-error"><span class="visually-hidden">${msg(lang, 'error.prefix')}</span> ${error}</p>` : nothing}
      <input
        id="verify-code"
        part="code-input"
        class="code"
        name="code"
        autocomplete="off"
        autocapitalize="characters"
        spellcheck="false"
        aria-describedby="code-hint${error ? ' code-error' : ''}"
        aria-invalid=${error ? 'true' : 'false'}
        .value=${this.codeValue}
        @input=${(e: InputEvent) => {
          this.codeValue = (e.target as HTMLInputElement).value;
          this.codeError = null;
        }}
      />
      <button type="submit" class="primary" ?disabled=${busy}>${msg(lang, 'verify.check')}</button>
    </form>`;
  }
}

/** The letters and digits a code never has (look-alikes), as a person reads them. */
const NOT_IN_CODES = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'].filter((c) => !CODE_ALPHABET.includes(c));

/** What to fix in a typed code: the character that is never in one, or how many there are. */
function codeProblem(lang: Lang, reading: Exclude<VerificationCodeReading, { code: string }>): string {
  if (reading.problem === 'character') return msg(lang, 'verify.codeCharacter', { character: reading.character, excluded: formatList(lang, NOT_IN_CODES, 'disjunction') });
  if (reading.length === 0) return msg(lang, 'verify.codeInvalid', { example: CODE_EXAMPLE });
  return msg(lang, 'verify.codeLength', { count: reading.length });
}
