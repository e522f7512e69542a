import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { toProblem, type ShownProblem } from './problem.ts';

/**
 * Where something an element shows stands: nobody is signed in to load it, it is on its way,
 * it failed (and why), or it is here. `X` adds an element's own states (the inbox's
 * `not-official`). One union, never a bag of flags.
 */
export type LoadState<T, X extends string = never> =
  | { readonly state: 'signed-out' }
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly problem: ShownProblem }
  | { readonly state: 'ready'; readonly value: T }
  | { readonly state: X };

export interface LoadStateOptions<T, X extends string> {
  /** Where it starts; by default `loading`. */
  initial?: LoadState<T, X>;
  /** The element's tag, for errors that are bugs of ours (logged). */
  who: string;
  /**
   * A failure that is a state of its own rather than an error to show (a 401 that ended the
   * session: `signed-out`; the inbox's 403: `not-official`). Return undefined for an error.
   */
  failed?: (err: unknown) => LoadState<T, X> | undefined;
}

/**
 * The load state of one thing an element shows (a list, a definition, an open case), as a
 * Lit reactive controller: `load()` moves it to `loading`, then to `ready` or `error`, and
 * asks the element to render at each step. A newer load, `set()` or `cancel()` wins over an
 * older load still on its way: the older one's signal is aborted and its result dropped, so a
 * slow answer never overwrites a newer one.
 */
export class LoadStateController<T, X extends string = never> implements ReactiveController {
  private current: LoadState<T, X>;
  private run = 0;
  private abort: AbortController | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: LoadStateOptions<T, X>,
  ) {
    this.current = options.initial ?? { state: 'loading' };
    host.addController(this);
  }

  /** The whole state, to switch on. */
  get now(): LoadState<T, X> {
    return this.current;
  }

  get state(): LoadState<T, X>['state'] {
    return this.current.state;
  }

  /** The value, when ready. */
  get value(): T | undefined {
    const s = this.current as LoadState<T>;
    return s.state === 'ready' ? s.value : undefined;
  }

  /** Why it failed, in the error state. */
  get problem(): ShownProblem | undefined {
    const s = this.current as LoadState<T>;
    return s.state === 'error' ? s.problem : undefined;
  }

  /** True while a load is on its way. */
  get busy(): boolean {
    return this.abort !== null;
  }

  /**
   * Loads with `task` (given a signal that aborts when a newer load starts). With `keep`, a
   * value on show stays `ready` while it reloads (`busy` says a reload is on its way); an
   * error is shown only if the reload fails. Resolves true when this load's outcome was
   * applied, false when a newer load, a `set()` or a `cancel()` overtook it.
   */
  async load(task: (signal: AbortSignal) => Promise<T>, options: { keep?: boolean } = {}): Promise<boolean> {
    const run = this.begin();
    const abort = new AbortController();
    this.abort = abort;
    if (!options.keep || this.current.state !== 'ready') this.apply({ state: 'loading' });
    try {
      const value = await task(abort.signal);
      if (run !== this.run) return false;
      this.end({ state: 'ready', value });
    } catch (err) {
      if (run !== this.run) return false;
      this.end(this.options.failed?.(err) ?? { state: 'error', problem: toProblem(err, this.options.who) });
    }
    return true;
  }

  /** Sets the state at once (signed out; a value changed here), abandoning a load on its way. */
  set(next: LoadState<T, X>): void {
    this.begin();
    this.apply(next);
  }

  /** Changes the ready value (a row brought up to date) without abandoning a reload on its way. */
  update(change: (value: T) => T): void {
    const s = this.current as LoadState<T>;
    if (s.state === 'ready') this.apply({ state: 'ready', value: change(s.value) });
  }

  /** Abandons a load on its way (its signal aborts, its result is dropped); the state stays as it is. */
  cancel(): void {
    this.begin();
  }

  hostConnected(): void {}

  private begin(): number {
    this.abort?.abort();
    this.abort = null;
    return ++this.run;
  }

  private end(next: LoadState<T, X>): void {
    this.abort = null;
    this.apply(next);
  }

  private apply(next: LoadState<T, X>): void {
    this.current = next;
    this.host.requestUpdate();
  }
}
