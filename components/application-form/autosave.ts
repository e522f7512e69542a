import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { DraftStore, type SavedDraft } from './draft-store.ts';

const AUTOSAVE_DELAY_MS = 400;

/**
 * Autosave of an unfinished application in this browser, as a Lit reactive controller: a
 * change schedules a save (debounced), leaving the page saves at once, and a draft found on
 * loading is offered back (`offer`) — never overwritten before the person chooses to keep or
 * drop it. `snapshot()` says what to save; null means there is nothing worth keeping.
 */
export class AutosaveController implements ReactiveController {
  private store: DraftStore | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private offered: SavedDraft | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly snapshot: () => SavedDraft | null,
  ) {
    host.addController(this);
  }

  /** True when answers are kept in this browser (autosave on, a form loaded). */
  get on(): boolean {
    return this.store !== null;
  }

  /** A draft saved earlier that the person has not yet chosen to restore or drop. */
  get offer(): SavedDraft | null {
    return this.offered;
  }

  /** Starts keeping the answers under `key` (null: autosave off), and offers what was kept there before. */
  start(key: string | null): void {
    this.stop();
    this.store = key === null ? null : new DraftStore(key);
    const saved = this.store?.load() ?? null;
    this.offered = saved && hasAnswers(saved) ? saved : null;
    this.host.requestUpdate();
  }

  /** The person chose: restore (the element takes `offer` first) or start again (what was kept is dropped). */
  settle(keep: boolean): void {
    if (!keep) this.store?.clear();
    this.offered = null;
    this.host.requestUpdate();
  }

  /** The answers changed: save them shortly. */
  schedule(): void {
    if (!this.store || this.offered) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), AUTOSAVE_DELAY_MS);
  }

  /** Saves now what a scheduled save would have saved. */
  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.store || this.offered) return;
    const draft = this.snapshot();
    if (draft) this.store.save(draft);
    else this.store.clear();
  }

  /** The application was sent: what was kept goes, and nothing is kept from now on. */
  clear(): void {
    this.stop();
    this.store?.clear();
    this.store = null;
  }

  hostDisconnected(): void {
    this.flush();
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function hasAnswers(saved: SavedDraft): boolean {
  return Object.keys(saved.values).length > 0 || Object.values(saved.files).some((f) => f.length > 0);
}
