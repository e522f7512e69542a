import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What Overa keeps in a history entry (`history.state.overa`): the step of every Overa element on the page, by its key. */
export type OveraHistoryState = Readonly<Record<string, string>>;

export interface HistoryStepsOptions<Step extends string> {
  /**
   * This element's key in the history state: distinct for every element on the page that
   * keeps steps (two forms on one page each keep their own step in the same entry).
   */
  key(): string;
  /** The person went Back or Forward to an entry where this element was at `step` (check it: an entry may be older than this code). */
  onStep(step: string): void;
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
 * the one element that moved, so two elements never fight: Back restores each one's step. The
 * host page's own state (its other keys) is kept. An entry without this element's key (the
 * host page's own navigation, a fragment link) is not this element's business and is ignored.
 */
export class HistorySteps<Step extends string> implements ReactiveController {
  private readonly onPopState = (event: PopStateEvent) => {
    const step = stepsIn(event.state)[this.options.key()];
    if (step && this.on()) this.options.onStep(step);
  };

  constructor(
    host: ReactiveControllerHost,
    private readonly options: HistoryStepsOptions<Step>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    addEventListener('popstate', this.onPopState);
  }

  hostDisconnected(): void {
    removeEventListener('popstate', this.onPopState);
  }

  /** The person moved on to `step`: a new history entry (nothing when the element is there already). */
  push(step: Step): void {
    this.write(step, true);
  }

  /** The element is at `step` now: the current entry says so, without a new entry. */
  replace(step: Step): void {
    this.write(step, false);
  }

  private on(): boolean {
    return this.options.enabled?.() ?? true;
  }

  private write(step: Step, push: boolean): void {
    const state: unknown = history.state;
    const steps = stepsIn(state);
    const key = this.options.key();
    if (!this.on() || steps[key] === step) return;
    const base = state !== null && typeof state === 'object' ? state : {};
    history[push ? 'pushState' : 'replaceState']({ ...base, overa: { ...steps, [key]: step } }, '', this.options.url?.(step));
  }
}

/** The Overa steps of a history entry's state (none when the entry is not ours). */
function stepsIn(state: unknown): OveraHistoryState {
  const steps = (state as { overa?: unknown } | null)?.overa;
  return steps !== null && typeof steps === 'object' ? (steps as OveraHistoryState) : {};
}
