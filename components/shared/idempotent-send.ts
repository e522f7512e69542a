import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { newIdempotencyKey } from '../client/applications.ts';

/**
 * One intent to send something that must happen once (an application, a decision, an
 * acknowledgement), as a Lit reactive controller. The intent has one idempotency key, kept
 * across retries until the intent changes (`renew()`: the answers changed, another decision was
 * chosen), so a retry after a lost answer gets the first answer back instead of a second
 * record. One send at a time: pressing Send twice sends once.
 */
export class IdempotentSend implements ReactiveController {
  private current: string | null = null;
  private running = false;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** True while a send is on its way (the element renders its buttons disabled). */
  get busy(): boolean {
    return this.running;
  }

  /** The intent's key (made on first use). */
  get key(): string {
    return (this.current ??= newIdempotencyKey());
  }

  /** A new intent: the next send gets a new key. */
  renew(): void {
    this.current = null;
  }

  /**
   * Runs `send` with the intent's key, unless a send is already on its way (then resolves
   * undefined at once). The element renders when it starts and when it ends; a rejection
   * passes through, and the key stays for the retry.
   */
  async run<T>(send: (key: string) => Promise<T>): Promise<T | undefined> {
    if (this.running) return undefined;
    this.running = true;
    this.host.requestUpdate();
    try {
      return await send(this.key);
    } finally {
      this.running = false;
      this.host.requestUpdate();
    }
  }

  hostConnected(): void {}
}
