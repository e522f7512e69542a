/**
 * The work one verification may do, counted where it is done: bytes of signed ranges hashed
 * and cryptographic signature checks. A file of a few hundred kilobytes can name the whole
 * file in twenty /ByteRange arrays, or carry twenty CMS with long certificate paths: without a
 * budget its cost is the number of signatures times the file, not the file. The parser has a
 * budget of its own (WorkBudget, bytes looked at).
 */

/** What a verification did; a caller may pass one in (`VerifyDocumentOptions.work`) to read it afterwards. */
export interface VerificationWork {
  /** Bytes of signed ranges hashed (a range hashed twice counts twice). */
  signedBytesHashed: number;
  /** Signature values checked: seals, time-stamp tokens, certificate links of their paths. */
  signatureChecks: number;
}

export class BudgetExceededError extends Error {
  override name = 'BudgetExceededError';
}

export class VerificationBudget {
  private hashed = 0;
  private checks = 0;

  constructor(
    /** Bytes of signed ranges this verification may hash. */
    readonly maxHashedBytes: number,
    readonly maxSignatureChecks: number,
    /** The caller's counters, added to as work is done. */
    private readonly work?: VerificationWork,
  ) {}

  /** Called before hashing `n` bytes; throws when that would pass the budget. */
  hash(n: number): void {
    if (this.hashed + n > this.maxHashedBytes) {
      throw new BudgetExceededError(`hashing ${n} more bytes would pass the budget of ${this.maxHashedBytes} bytes for this file (${this.hashed} hashed so far)`);
    }
    this.hashed += n;
    if (this.work) this.work.signedBytesHashed += n;
  }

  /** Gives back bytes counted by `hash` that were not hashed after all. */
  refund(n: number): void {
    this.hashed -= n;
    if (this.work) this.work.signedBytesHashed -= n;
  }

  /** Called before each signature check; throws when the budget has none left. */
  signatureCheck(): void {
    if (this.checks + 1 > this.maxSignatureChecks) throw new BudgetExceededError(`more than ${this.maxSignatureChecks} signature checks would be needed`);
    this.checks += 1;
    if (this.work) this.work.signatureChecks += 1;
  }
}

/**
 * Gives the host a turn (other requests on a server, input and drawing in a page) between
 * slices of long synchronous work: `scheduler.yield` where the platform has it, Node's
 * `setImmediate`, else a message through a MessageChannel (a task, without the 4 ms that
 * browsers add to nested `setTimeout(0)`).
 */
export function yieldToHost(): Promise<void> {
  const g = globalThis as {
    scheduler?: { yield?: () => Promise<void> };
    setImmediate?: (callback: () => void) => unknown;
    MessageChannel?: typeof MessageChannel;
  };
  if (typeof g.scheduler?.yield === 'function') return g.scheduler.yield();
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof g.MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new g.MessageChannel!();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
