/**
 * The genuine document a valid verification code leads to, shown by `<overa-verify>` after a
 * code check (a chunk of its own, loaded with the check): the facts a checker compares with the
 * paper or file in hand — the holder, the subject, the issue date, the content fingerprint —
 * the original sealed PDF to download, and its first page drawn (PDF.js, a further chunk
 * imported only here, once the PDF is in). The PDF is fetched from the issuer
 * (`GET verify/:code/pdf`) and its SHA-256 checked against the one the issuer registered
 * for the code before anything of it is shown.
 */
import { html, nothing, type LitElement, type ReactiveController, type TemplateResult } from 'lit';
import type { DocumentCheckFacts, PublicDocumentStatus } from '../core/documents.ts';
import { sha256 } from '../core/digest.ts';
import { toHex } from '../core/encoding.ts';
import { formatFingerprint } from '../core/fingerprint.ts';
import { localize } from '../core/forms/definition.ts';
import type { OveraClient } from '../client/client.ts';
import { fetchDocumentPdfByCode } from '../client/documents.ts';
import { formatBytes, formatDate, msg, type Lang } from '../i18n/index.ts';
import { verifyDocumentMessages } from '../i18n/en/verify-document.ts';
import genuineStyles from './issued-document.styles.ts';

export const styles = [genuineStyles];
export const messages = [verifyDocumentMessages];

/** A valid document's status, with the facts the issuer gives while it is valid. */
export type ValidStatus = PublicDocumentStatus & { facts: DocumentCheckFacts };

/** Whether a status is one the genuine document is shown for. */
export function showsDocument(status: PublicDocumentStatus | null): status is ValidStatus {
  return status !== null && status.status === 'valid' && status.facts !== null && status.facts !== undefined;
}

/** Widest first page drawn, in CSS pixels: legible on a desktop, and the column sets it on a phone. */
const PREVIEW_MAX_WIDTH = 420;

/**
 * The original document of one code check, as a Lit reactive controller on the element: it
 * fetches the PDF, checks it against the registered SHA-256, offers it as a download (an
 * object URL, revoked when the element lets the document go) and draws its first page once
 * the element has rendered the canvas.
 */
export class GenuineDocument implements ReactiveController {
  /** Where the PDF stands: on its way, in and matching, not the registered one, or not fetched. */
  state: 'loading' | 'ready' | 'mismatch' | 'failed' = 'loading';
  /** The first page: not yet drawn, being drawn, on the canvas, or not drawable here. */
  preview: 'waiting' | 'drawing' | 'drawn' | 'failed' = 'waiting';
  private bytes: Uint8Array | null = null;
  private url: string | null = null;
  private readonly abort = new AbortController();

  constructor(
    private readonly host: LitElement,
    private readonly client: OveraClient,
    readonly status: ValidStatus,
  ) {
    host.addController(this);
    void this.fetch();
  }

  /** The PDF's bytes once fetched and checked (for tests and for saving). */
  get pdf(): Uint8Array | null {
    return this.bytes;
  }

  /** Lets the document go: stops a fetch on its way, frees the download's object URL. */
  dispose(): void {
    this.abort.abort();
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
    this.host.removeController(this);
  }

  // Off the page the download's object URL is freed; back on it, made again from the bytes.
  hostDisconnected(): void {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }

  hostConnected(): void {
    if (this.bytes && !this.url) {
      this.url = this.objectUrl(this.bytes);
      this.host.requestUpdate();
    }
  }

  private objectUrl(bytes: Uint8Array): string {
    return URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }));
  }

  hostUpdated(): void {
    if (this.state !== 'ready' || this.preview !== 'waiting' || !this.bytes) return;
    const canvas = this.host.renderRoot.querySelector<HTMLCanvasElement>('canvas[part~="preview"]');
    if (canvas) void this.draw(canvas, this.bytes);
  }

  private async fetch(): Promise<void> {
    this.state = 'loading';
    this.host.requestUpdate();
    try {
      const blob = await fetchDocumentPdfByCode(this.client, this.status.verificationCode, this.abort.signal);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      // What the issuer serves must be what it registered for the code (the status's SHA-256).
      const hash = toHex(await sha256(bytes));
      if (this.abort.signal.aborted) return;
      if (hash !== this.status.sha256) {
        this.state = 'mismatch';
      } else {
        this.bytes = bytes;
        this.url = this.objectUrl(bytes);
        this.state = 'ready';
      }
    } catch {
      if (this.abort.signal.aborted) return;
      this.state = 'failed';
    }
    this.host.requestUpdate();
  }

  private async draw(canvas: HTMLCanvasElement, bytes: Uint8Array): Promise<void> {
    this.preview = 'drawing';
    try {
      // PDF.js: its own chunk, fetched now and only now.
      const { drawFirstPage } = await import('./pdf-preview.ts');
      const width = Math.min(PREVIEW_MAX_WIDTH, canvas.parentElement?.clientWidth || PREVIEW_MAX_WIDTH);
      await drawFirstPage(bytes, canvas, width);
      this.preview = 'drawn';
    } catch (err) {
      console.warn('overa-verify: the first page could not be drawn', err);
      this.preview = 'failed';
    }
    this.host.requestUpdate();
  }

  render(lang: Lang): TemplateResult {
    const { facts } = this.status;
    return html`<section part="document" class="genuine" aria-labelledby="genuine-title">
      <h3 id="genuine-title">${msg(lang, 'verify.genuine.title')}</h3>
      <p class="compare">${msg(lang, 'verify.genuine.compare')}</p>
      <div class="genuine-body">
        <dl part="facts">
          ${facts.holder ? html`<dt>${msg(lang, 'verify.genuine.holder')}</dt><dd part="holder">${localize(facts.holder, lang)}</dd>` : nothing}
          ${facts.subject.map((line) => html`<dt>${localize(line.label, lang)}</dt><dd>${localize(line.value, lang)}</dd>`)}
          <dt>${msg(lang, 'verify.genuine.issuedOn')}</dt>
          <dd>${formatDate(lang, this.status.issuedAt.slice(0, 10))}</dd>
          <dt>${msg(lang, 'verify.genuine.fingerprint')}</dt>
          <dd>
            <code part="fingerprint" class="fingerprint">${formatFingerprint(facts.contentDigest)}</code>
            <span class="hint">${msg(lang, 'verify.genuine.fingerprintHint')}</span>
          </dd>
        </dl>
        ${this.renderOriginal(lang)}
      </div>
    </section>`;
  }

  private renderOriginal(lang: Lang): TemplateResult {
    switch (this.state) {
      case 'loading':
        return html`<p class="status status--busy" role="status">${msg(lang, 'verify.genuine.loading')}</p>`;
      case 'mismatch':
        return html`<p part="error" class="error-message" role="alert">${msg(lang, 'verify.genuine.mismatch')}</p>`;
      case 'failed':
        return html`<div role="alert">
          <p part="error" class="error-message">${msg(lang, 'verify.genuine.unavailable')}</p>
          <button type="button" class="secondary" @click=${() => void this.fetch()}>${msg(lang, 'verify.genuine.retry')}</button>
        </div>`;
      case 'ready':
        return html`<div class="original">
          <figure>
            ${this.preview === 'failed'
              ? html`<p class="hint">${msg(lang, 'verify.genuine.previewFailed')}</p>`
              : html`<canvas part="preview" role="img" aria-label=${msg(lang, 'verify.genuine.previewLabel')} data-state=${this.preview}></canvas>`}
            <figcaption>${msg(lang, 'verify.genuine.previewLabel')}</figcaption>
          </figure>
          <p>
            <a part="pdf-link" href=${this.url ?? ''} download="${this.status.verificationCode}.pdf" type="application/pdf"
              >${msg(lang, 'verify.genuine.download', { size: formatBytes(lang, this.status.facts.pdfSize) })}</a
            >
          </p>
          <p class="hint">
            ${msg(lang, 'verify.genuine.fileFingerprint')}:
            <code class="file-fingerprint">${formatFingerprint(this.status.sha256, { full: true })}</code>
          </p>
        </div>`;
    }
  }
}
