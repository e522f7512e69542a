import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The key under which Overa elements keep their steps in `history.state`. The host page's own
 * state (any other key) is kept as it is.
 */
export const HISTORY_STATE_KEY = 'overa';

/** What Overa keeps in a history entry: the step of every Overa element on the page, by its key. */
export type OveraHistoryState = Readonly<Record<string, string>>;

export interface HistoryStepsOptions<Step extends string> {
  /**
   * This element's key in the history state: distinct for every element on the page that
   * keeps steps (two forms on one page each keep their own step in the same entry).
   */
  key(): string;
  /** The person went Back or Forward to an entry where this element was at `step`. */
  onStep(step: Step): void;
  /** Is `step` a step of this element (a value from an entry written by another version is ignored)? */
  isStep(value: string): value is Step;
  /**
   * The address for an entry at `step`, when the host page opted in to seeing steps in its URL
   * (e.g. `?step=check`); undefined leaves the address as it is.
   */
  url?(step: Step): string | undefined;
  /** False turns history entries off (the host page manages its own routing). */
  enabled?(): boolean;
}

/**
 * Steps of an element as entries of the host page's history, as a Lit reactive controller:
 * `push(step)` when the person moves on (a new entry, as a new page would be), `replace(step)`
 * to say where the element is without a new entry, and Back and Forward call `onStep` with the
 * step of the entry they land on. Written by hand: routers (Vaadin Router, lit-labs/router)
 * own the page's URL, and an element embedded in somebody else's page must not.
 *
 * Every entry carries the steps of all the Overa elements on the page
 * (`history.state.overa = {<key>: <step>, …}`), copied from the entry before and changed for
 * the one element that moved, so two elements never fight: Back restores each one's step. An
 * entry without this element's key (the host page's own navigation, a fragment link) is not
 * this element's business and is ignored.
 */
export class HistorySteps<Step extends string> implements ReactiveController {
  private readonly onPopState = (event: PopStateEvent) => this.popped(event.state);

  constructor(
    host: ReactiveControllerHost,
    private readonly options: HistoryStepsOptions<Step>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('popstate', this.onPopState);
  }

  hostDisconnected(): void {
    window.removeEventListener('popstate', this.onPopState);
  }

  /** The step this element has in the current entry, if any. */
  get current(): Step | undefined {
    const value = stepsIn(history.state)[this.options.key()];
    return value !== undefined && this.options.isStep(value) ? value : undefined;
  }

  /** The person moved on to `step`: a new history entry (nothing when the element is already there). */
  push(step: Step): void {
    if (!this.on() || this.current === step) return;
    history.pushState(this.stateWith(step), '', this.options.url?.(step));
  }

  /** The element is at `step` now: the current entry says so, without a new entry. */
  replace(step: Step): void {
    if (!this.on() || this.current === step) return;
    history.replaceState(this.stateWith(step), '', this.options.url?.(step));
  }

  private on(): boolean {
    return this.options.enabled?.() ?? true;
  }

  private stateWith(step: Step): Record<string, unknown> {
    const state: unknown = history.state;
    const base = state !== null && typeof state === 'object' && !Array.isArray(state) ? (state as Record<string, unknown>) : {};
    return { ...base, [HISTORY_STATE_KEY]: { ...stepsIn(state), [this.options.key()]: step } };
  }

  private popped(state: unknown): void {
    if (!this.on()) return;
    const value = stepsIn(state)[this.options.key()];
    if (value !== undefined && this.options.isStep(value)) this.options.onStep(value);
  }
}

/** The Overa steps of a history entry's state (none when the entry is not ours). */
function stepsIn(state: unknown): OveraHistoryState {
  if (state === null || typeof state !== 'object') return {};
  const steps = (state as Record<string, unknown>)[HISTORY_STATE_KEY];
  if (steps === null || typeof steps !== 'object' || Array.isArray(steps)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(steps as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}
