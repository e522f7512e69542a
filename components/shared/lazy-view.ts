import { adoptStyles, html, supportsAdoptingStyleSheets, type CSSResult, type LitElement, type ReactiveController, type TemplateResult } from 'lit';
import { loadMessages, msg, type Lang, type MessageBundle } from '../i18n/index.ts';
import { OveraNetworkError } from '../client/errors.ts';
import { errorSummary } from './error-summary.ts';

/** What a lazily loaded view brings besides its code: its style sheets and its message areas. */
export interface ViewModule {
  readonly styles?: readonly CSSResult[];
  readonly messages?: readonly MessageBundle[];
}

/**
 * One module loaded with `import()`, shared by every element on the page: the first call to
 * `load()` fetches it, later ones get the same promise (a failed load may be tried again), and
 * `value` has it at hand synchronously once it is in.
 */
export interface LazyModule<M> {
  readonly value: M | undefined;
  load(): Promise<M>;
}

export function lazyModule<M>(load: () => Promise<M>): LazyModule<M> {
  let pending: Promise<M> | null = null;
  const lazy = {
    value: undefined as M | undefined,
    load(): Promise<M> {
      pending ??= load().then(
        (m) => (lazy.value = m),
        (err: unknown) => {
          pending = null;
          throw err;
        },
      );
      return pending;
    },
  };
  return lazy;
}

/** Runs `task` when the browser is idle (soon after the first render), or shortly after where it cannot say. */
export function whenIdle(task: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: 2000 });
  else setTimeout(task, 200);
}

/** The element a view is drawn in: its language, and the message areas it keeps loaded in that language. */
export interface ViewHost extends LitElement {
  readonly resolvedLang: Lang;
  addMessageAreas(areas: readonly MessageBundle[]): void;
}

/**
 * A later view of an element (check your answers, an open case, a verification's details)
 * whose code, style sheet and messages are a chunk of their own, as a Lit reactive
 * controller. The element `load()`s it when the view is reached (usually while the data the
 * view needs is on its way) and draws it with `render()`; after the element's first render the
 * chunk is also fetched when the browser is idle, so on a normal connection it is already in
 * when reached and its loading never shows. If it is reached first, a "Loading…" status (or,
 * offline, an error with "Try again") stands in its place.
 */
export class LazyView<M extends ViewModule> implements ReactiveController {
  private status: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  private prefetched = false;
  private adopted = false;

  /**
   * `prefetch: false` leaves out the fetch on idle: for a part only some uses need (a form's
   * pages and groups), which the element loads itself when it does.
   */
  constructor(
    private readonly host: ViewHost,
    private readonly module: LazyModule<M>,
    options: { readonly prefetch?: boolean } = {},
  ) {
    this.prefetched = options.prefetch === false;
    host.addController(this);
  }

  /** Where this view stands for this element. */
  get state(): 'idle' | 'loading' | 'ready' | 'error' {
    return this.status;
  }

  /**
   * The module, ready to draw in the element's language, or undefined (its load has then
   * started, and the element renders again when it is in).
   */
  get(): M | undefined {
    const m = this.module.value;
    if (m && (this.status === 'ready' || this.prepare(m))) return m;
    if (this.status !== 'loading' && this.status !== 'error') void this.load().catch(() => undefined);
    return undefined;
  }

  /**
   * Loads the view (code, messages in the element's language, styles). Await it before entering
   * the view to enter it drawn. A chunk that cannot be fetched rejects as the network failure it
   * is (OveraNetworkError), so an element's error summary says "cannot be reached".
   */
  async load(): Promise<M> {
    if (this.status !== 'ready') this.set('loading');
    let m: M;
    try {
      m = await this.module.load();
    } catch (err) {
      this.set('error');
      throw new OveraNetworkError(err);
    }
    if (!this.prepare(m)) await loadMessages(m.messages ?? [], this.host.resolvedLang)?.catch(() => undefined);
    this.set('ready');
    return m;
  }

  /**
   * The view drawn by `draw`, or in its place a polite "Loading…" (an error with "Try again"
   * when the chunk could not be fetched).
   */
  render(lang: Lang, draw: (m: M) => TemplateResult): TemplateResult {
    const m = this.get();
    if (m) return draw(m);
    if (this.status === 'error') {
      return errorSummary(lang, {
        title: msg(lang, 'error.title'),
        heading: 'h3',
        text: msg(lang, 'problem.network'),
        retry: { label: msg(lang, 'form.retry'), onClick: () => void this.load().catch(() => undefined) },
      });
    }
    return html`<p class="status status--busy" role="status">${msg(lang, 'status.loadingView')}</p>`;
  }

  hostUpdated(): void {
    if (this.prefetched) return;
    this.prefetched = true;
    whenIdle(() => {
      this.module.load().then((m) => loadMessages(m.messages ?? [], this.host.resolvedLang)).catch(() => undefined);
    });
  }

  /** Makes a loaded module drawable here: its styles adopted, its messages kept; true when its messages are in already. */
  private prepare(m: M): boolean {
    if (!this.adopted) {
      this.adopted = true;
      if (m.messages) this.host.addMessageAreas(m.messages);
      if (m.styles) this.adopt(m.styles);
    }
    return loadMessages(m.messages ?? [], this.host.resolvedLang) === undefined;
  }

  private adopt(sheets: readonly CSSResult[]): void {
    const root = this.host.renderRoot;
    if (!(root instanceof ShadowRoot)) return;
    // Lit adopts the element's own sheets once, when its shadow root is made; the view's come
    // after them, less any the element (or another of its views) has already.
    if (supportsAdoptingStyleSheets) {
      const have = new Set(root.adoptedStyleSheets);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...sheets.map((s) => s.styleSheet!).filter((s) => !have.has(s))];
    } else {
      const own = (this.host.constructor as typeof LitElement).elementStyles;
      adoptStyles(root, sheets.filter((s) => !own.includes(s)));
    }
  }

  private set(status: LazyView<M>['status']): void {
    if (this.status === status) return;
    this.status = status;
    this.host.requestUpdate();
  }
}
