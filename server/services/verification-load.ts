import type { VerificationWork } from '../../components/core/pdf/budget.ts';
import { DEFAULT_VERIFY_LIMITS, type Config } from '../config.ts';
import { HttpError } from '../http-error.ts';

export interface VerificationLoadLimits {
  /** Verifications running at once. */
  concurrency: number;
  /** Verifications waiting for a turn, at most; more are refused at once. */
  queue: number;
  /** How long one waits before it is refused. */
  queueWaitMs: number;
}

export function verificationLoadLimits(config: Config): VerificationLoadLimits {
  return {
    concurrency: config.verifyConcurrency ?? DEFAULT_VERIFY_LIMITS.verifyConcurrency,
    queue: config.verifyQueue ?? DEFAULT_VERIFY_LIMITS.verifyQueue,
    queueWaitMs: config.verifyQueueWaitMs ?? DEFAULT_VERIFY_LIMITS.verifyQueueWaitMs,
  };
}

/** Buffers for files being verified are kept this long after their last use, then let go. */
const BUFFER_IDLE_MS = 10_000;
/** Room is added in steps of this, so that a slightly larger file next time still fits. */
const BUFFER_STEP = 1024 * 1024;

interface Waiter {
  grant: () => void;
  refuse: (err: Error) => void;
}

/**
 * What `POST verify` costs this instance right now, and the turns it hands out: at most
 * `concurrency` verifications run at once, up to `queue` more wait at most `queueWaitMs` for a
 * turn, and any beyond are answered 503 with Retry-After. The rate limit bounds requests per
 * client; this bounds the CPU and memory all clients together can take from one instance,
 * whatever the number of clients. One per app (createApp), never module state: each instance
 * (and each test's app) has its own.
 *
 * It also lends the buffers the files are read into for their turn, and reuses them: a fresh
 * 25 MB buffer per request made the garbage collector pause every other request for tens of
 * milliseconds at two requests a second; a reused one costs nothing. At most one per turn;
 * let go after a few idle seconds.
 *
 * And the counters an operator or a test reads: bytes of request bodies spooled on disk and
 * held in memory now, and the verification work done so far.
 */
export class VerificationLoad {
  running = 0;
  private readonly waiting: Waiter[] = [];
  /** Bytes of `POST verify` bodies in temp files now (still arriving, or waiting for a turn). */
  spooledBytes = 0;
  /** Bytes of `POST verify` bodies held in memory now (only while verified: at most `concurrency` files). */
  heldBytes = 0;
  /** Work done by every verification so far (verifyDocument's counters). */
  readonly work: VerificationWork = { signedBytesHashed: 0, signatureChecks: 0 };
  /** Requests answered 503 (no turn) and 422 (over their work budget) so far. */
  refusedBusy = 0;
  refusedBudget = 0;
  private readonly freeBuffers: Buffer[] = [];
  private buffersLent = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly limits: VerificationLoadLimits) {}

  /** Bytes of buffers kept for files being verified (lent or free). */
  get bufferBytes(): number {
    return this.freeBuffers.reduce((sum, b) => sum + b.length, 0) + this.buffersLent;
  }

  /**
   * A buffer of at least `size` bytes for one turn's file (its contents are whatever it held
   * before); give it back with `returnBuffer` when the verification is done with it.
   */
  borrowBuffer(size: number): Buffer {
    const at = this.freeBuffers.findIndex((b) => b.length >= size);
    let buffer: Buffer;
    if (at >= 0) buffer = this.freeBuffers.splice(at, 1)[0]!;
    else {
      // None large enough: a smaller free one is dropped rather than kept beside a new one.
      this.freeBuffers.pop();
      buffer = Buffer.allocUnsafeSlow(Math.ceil(Math.max(size, 1) / BUFFER_STEP) * BUFFER_STEP);
    }
    this.buffersLent += buffer.length;
    return buffer;
  }

  returnBuffer(buffer: Buffer): void {
    this.buffersLent -= buffer.length;
    // Never more free than there are turns.
    if (this.freeBuffers.length < this.limits.concurrency) this.freeBuffers.push(buffer);
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.freeBuffers.length = 0;
      this.idleTimer = undefined;
    }, BUFFER_IDLE_MS);
    this.idleTimer.unref();
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * A turn: resolves with its release (call it exactly once, when done), or rejects with the
   * 503 when none comes in time, or with `signal`'s reason when the client goes while waiting.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.running < this.limits.concurrency && this.waiting.length === 0) {
      this.running++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.limits.queue) return Promise.reject(this.busy());
    return new Promise((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
      };
      const waiter: Waiter = {
        grant: () => {
          leave();
          resolve(this.releaser());
        },
        refuse: (err) => {
          leave();
          reject(err);
        },
      };
      const timer = setTimeout(() => waiter.refuse(this.busy()), this.limits.queueWaitMs);
      const onAbort = () => waiter.refuse(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting[0];
      // The turn passes straight to the first in line, so `running` never dips under a queue.
      if (next) next.grant();
      else this.running--;
    };
  }

  private busy(): HttpError {
    this.refusedBusy++;
    const retryAfter = Math.max(1, Math.ceil(this.limits.queueWaitMs / 1000));
    return new HttpError(503, 'server-busy', 'The server is busy verifying other documents', {
      detail: `${this.limits.concurrency} verification(s) run at once here and ${this.waiting.length} wait for a turn; try again in ${retryAfter} second(s)`,
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
}
