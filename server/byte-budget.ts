/**
 * Bytes that several concurrent holders share, handed out first come, first served: `take(n)`
 * resolves once `n` bytes are free (and none asked before it still waits), with the function
 * that gives them back. A request for more than the whole budget takes the whole of it, so it
 * runs alone rather than never. For one object's use (the exchange's deliveries in flight),
 * never module state.
 */
export class ByteBudget {
  readonly #total: number;
  #free: number;
  readonly #waiting: { n: number; grant: () => void }[] = [];

  constructor(total: number) {
    if (!(total > 0)) throw new RangeError(`a byte budget must be positive, not ${total}`);
    this.#total = total;
    this.#free = total;
  }

  /** Bytes not taken now. */
  get free(): number {
    return this.#free;
  }

  /** Waits for `n` bytes (at most the whole budget); resolves with their release, to call once. */
  async take(n: number): Promise<() => void> {
    const want = Math.min(Math.max(0, n), this.#total);
    if (this.#waiting.length > 0 || want > this.#free) {
      await new Promise<void>((grant) => this.#waiting.push({ n: want, grant }));
    } else {
      this.#free -= want;
    }
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.#free += want;
      this.#grant();
    };
  }

  #grant(): void {
    while (this.#waiting.length > 0 && this.#waiting[0]!.n <= this.#free) {
      const next = this.#waiting.shift()!;
      this.#free -= next.n;
      next.grant();
    }
  }
}
