import { LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { clientFor, type OveraClient, type Session } from '../client/client.ts';
import { commonMessages, inheritedLangTag, loadMessages, normalizeLang, observeDocumentLang, type Lang, type MessageBundle } from '../i18n/index.ts';

/**
 * What every Overa element shares: the `server` it talks to (through the one shared client
 * per server, so all elements on a page share the session), its language (its own `lang`,
 * else the nearest one on the page, following changes to `<html lang>`), and events that
 * bubble out of the shadow root. Subclasses react in `clientAttached` and `sessionChanged`.
 */
export abstract class OveraElement<Events extends object = Record<string, unknown>> extends LitElement {
  /**
   * The message areas the element renders (components/i18n/en/*). In Serbian, an update waits
   * until their Serbian sets have loaded, so the element never flashes English first.
   */
  static messages: readonly MessageBundle[] = [commonMessages];

  /** Base URL of the Overa server; empty = the page's own origin. */
  @property({ reflect: true }) server = '';

  /** Language (`en`, `sr-Latn`, `sr-Cyrl`, `sr` = Cyrillic); by default the nearest `lang` on the page. */
  @property({ reflect: true }) override lang!: string;

  /** Bumped when `<html lang>` changes, to render again in the new language. */
  @state() private langRevision = 0;

  /** Message areas of views loaded later (components/shared/lazy-view.ts), kept in the element's language like its own. */
  private readonly laterMessages = new Set<MessageBundle>();

  /** The shared client for `server`, while connected. */
  protected client: OveraClient | null = null;
  private unsubscribe: (() => void) | null = null;
  private unobserveLang: (() => void) | null = null;

  /** The language the element renders in. */
  get resolvedLang(): Lang {
    void this.langRevision;
    return normalizeLang(this.lang || inheritedLangTag(this)) ?? 'en';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unobserveLang = observeDocumentLang(() => this.langRevision++);
    // On first connection wait for the first update, so a `server` set right after appending
    // the element is the one used; on reconnection pick the session up again at once.
    if (this.hasUpdated) this.attachClient();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unobserveLang?.();
    this.unobserveLang = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.client = null;
  }

  /** Holds an update back while the element's Serbian messages load (Lit awaits a returned promise). */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const own = (this.constructor as typeof OveraElement).messages;
    const pending = loadMessages(this.laterMessages.size ? [...own, ...this.laterMessages] : own, this.resolvedLang);
    if (!pending) return super.scheduleUpdate();
    // Offline and the Serbian chunk not cached: render in English rather than not at all.
    return pending.catch(() => undefined).then(() => super.scheduleUpdate());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.client) {
      if (this.isConnected) this.attachClient();
    } else if (changed.has('server') && this.client !== clientFor(this.server)) {
      this.attachClient();
    }
  }

  /** Keeps `areas` (a lazily loaded view's messages) in the element's language from now on. */
  addMessageAreas(areas: readonly MessageBundle[]): void {
    for (const area of areas) this.laterMessages.add(area);
  }

  /** The client is (newly) this element's: on first connection, reconnection, or a new `server`. */
  protected clientAttached(_client: OveraClient): void {}

  /** The session changed: somebody signed in or out here or in another element, or it expired. */
  protected sessionChanged(_session: Session): void {}

  /** Fires one of the element's events (`Events` maps each name to its detail); it bubbles out of the shadow root. */
  protected emit<K extends keyof Events & string>(type: K, detail: Events[K]): void {
    this.dispatchEvent(new CustomEvent<Events[K]>(type, { detail, bubbles: true, composed: true }));
  }

  private attachClient(): void {
    this.unsubscribe?.();
    const client = clientFor(this.server);
    this.client = client;
    this.unsubscribe = client.subscribe((session) => this.sessionChanged(session));
    this.clientAttached(client);
  }
}
