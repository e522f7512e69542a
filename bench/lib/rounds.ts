/**
 * Alternating rounds for benchmarks that compare sides of the same server in one run, where a
 * side leaves work behind after its round (an outbox worker still sending what the round
 * queued). That work would run on the same cores during the next side's round and make that
 * side look slower; so such a side is drained after each of its warm-ups and rounds, before the
 * next side starts.
 */

/** Rows of one outbox channel by state, as `outbox.counts` gives them. */
export type OutboxCounts = Record<'queued' | 'delivering' | 'delivered' | 'failed', number>;

/** Messages not yet sent (queued, or claimed and being sent) over any number of channels. */
export function unsent(...channels: OutboxCounts[]): number {
  return channels.reduce((n, c) => n + c.queued + c.delivering, 0);
}

/**
 * Polls `pending` until it is 0; returns how many milliseconds that took. Throws after
 * `timeoutMs` naming `what`, with the last count, so a stuck worker fails the run.
 */
export async function waitForDrain(pending: () => Promise<number>, what: string, options: { timeoutMs?: number; pollMs?: number } = {}): Promise<number> {
  const timeoutMs = options.timeoutMs ?? 240_000;
  const pollMs = options.pollMs ?? 100;
  const t0 = performance.now();
  for (;;) {
    const n = await pending();
    if (n === 0) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`${what} did not drain in ${timeoutMs} ms: ${n} messages left`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export interface AlternatingRounds<S extends string, R> {
  sides: readonly S[];
  rounds: number;
  warmUp(side: S): Promise<void>;
  round(side: S): Promise<R>;
  /** For each side that leaves work behind: waits until it is done, returns the ms waited. */
  drain: Partial<Record<S, () => Promise<number>>>;
  /** After each round (and its drain, if the side has one): for the log. */
  onRound?(side: S, index: number, result: R, drainedMs: number | undefined): void;
}

/**
 * Warms every side up in order, then runs `rounds` rounds per side, alternating the order
 * (forward, then backward) so no side always follows the same one. Each side with a `drain` is
 * drained after its warm-up and after each of its rounds. Returns every round's result per side
 * and the drain times per side.
 */
export async function alternatingRounds<S extends string, R>(o: AlternatingRounds<S, R>): Promise<{ seen: Record<S, R[]>; drained: Record<S, number[]> }> {
  const seen = Object.fromEntries(o.sides.map((s) => [s, []])) as unknown as Record<S, R[]>;
  const drained = Object.fromEntries(o.sides.map((s) => [s, []])) as unknown as Record<S, number[]>;
  for (const side of o.sides) {
    await o.warmUp(side);
    await o.drain[side]?.();
  }
  for (let i = 0; i < o.rounds; i++) {
    for (const side of i % 2 === 0 ? o.sides : [...o.sides].reverse()) {
      const r = await o.round(side);
      seen[side].push(r);
      const drain = o.drain[side];
      const ms = drain ? await drain() : undefined;
      if (ms !== undefined) drained[side].push(ms);
      o.onRound?.(side, i, r, ms);
    }
  }
  return { seen, drained };
}
