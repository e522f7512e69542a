/**
 * The outbox (issue 20, item 4): every message the server sends out of band — webhooks now,
 * e-mail and agency-to-agency exchange messages later — is a row written by `enqueue` in the
 * transaction of the event that causes it, so an event that rolls back sends nothing and one
 * that commits is sent even if the process dies a moment later.
 *
 * The worker (`createOutboxWorker`, started by `overa start`) claims due messages with a lease
 * (db/outbox.ts `claim`: one atomic UPDATE, `FOR UPDATE SKIP LOCKED` on PostgreSQL), hands each
 * to its channel's handler, and marks it delivered, or schedules the next attempt with
 * exponential backoff, or after `outboxMaxAttempts` marks it `failed`. A worker that dies
 * mid-delivery leaves its lease to run out; then any worker takes the message again. So delivery
 * is at least once, and a repeat always carries the message's one id (receivers de-duplicate by it).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Knex } from 'knex';
import { DEFAULT_OUTBOX, type Config } from '../config.ts';
import { outbox, type NewOutboxMessage, type OutboxChannel, type OutboxMessage } from '../db/outbox.ts';
import type { Deps } from './deps.ts';

/** A message to write: the id is made here unless given. */
export type OutboxInput = Omit<NewOutboxMessage, 'id'> & { id?: string };

/** Writes messages in the caller's transaction; returns their ids. */
export async function enqueue(trx: Knex.Transaction, messages: readonly OutboxInput[], now: number): Promise<string[]> {
  const rows = messages.map((m) => ({ ...m, id: m.id ?? randomUUID() }));
  await outbox.insertMany(trx, rows, now);
  return rows.map((r) => r.id);
}

/**
 * A handler's verdict that trying again cannot help (the webhook endpoint was removed): the
 * message is `failed` at once.
 */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/**
 * Sends one message; throws when it was not delivered. Called again (same message, same id) on a
 * retry. It may return a function that records what the delivery brought back (an exchange
 * message's receipt): the worker runs it in the one transaction that marks its batch delivered,
 * so the record and the `delivered` state commit together, once per batch.
 */
export type OutboxHandler = (message: OutboxMessage) => Promise<void | OutboxSettle>;
export type OutboxSettle = (trx: Knex.Transaction) => Promise<void>;
export type OutboxHandlers = Partial<Record<OutboxChannel, OutboxHandler>>;

export interface OutboxSettings {
  pollMs: number;
  batch: number;
  leaseMs: number;
  backoffMs: number;
  backoffMaxMs: number;
  maxAttempts: number;
}

export function outboxSettings(config: Config): OutboxSettings {
  return {
    pollMs: config.outboxPollMs ?? DEFAULT_OUTBOX.outboxPollMs,
    batch: config.outboxBatch ?? DEFAULT_OUTBOX.outboxBatch,
    leaseMs: config.outboxLeaseMs ?? DEFAULT_OUTBOX.outboxLeaseMs,
    backoffMs: config.outboxBackoffMs ?? DEFAULT_OUTBOX.outboxBackoffMs,
    backoffMaxMs: config.outboxBackoffMaxMs ?? DEFAULT_OUTBOX.outboxBackoffMaxMs,
    maxAttempts: config.outboxMaxAttempts ?? DEFAULT_OUTBOX.outboxMaxAttempts,
  };
}

/**
 * The delay before attempt `attempts + 1` after `attempts` failed ones: backoffMs, then doubled
 * each time, at most backoffMaxMs. No jitter: the claim already spreads the load (one worker per
 * message), and a fixed schedule is what an administrator reading the log can predict.
 */
export function backoffDelay(s: Pick<OutboxSettings, 'backoffMs' | 'backoffMaxMs'>, attempts: number): number {
  return Math.min(s.backoffMaxMs, s.backoffMs * 2 ** Math.max(0, attempts - 1));
}

export interface OutboxWorker {
  /** This worker's name in `leased_by`. */
  readonly id: string;
  /** Starts polling every `outboxPollMs`. */
  start(): void;
  /** Looks for due messages now (after an enqueue, or from a test). */
  wake(): void;
  /** Claims and delivers one batch; resolves with how many it handled. */
  runOnce(): Promise<number>;
  /** Claims and delivers one message, if it is due (the CLI's `webhooks test`). */
  deliverNow(id: string): Promise<OutboxMessage | undefined>;
  /** Stops polling and waits for the deliveries in flight. */
  stop(): Promise<void>;
}

/**
 * Batches a worker delivers at once (see `tick`). Four: with more messages arriving together, a
 * receiver commits more of them at once (an Overa partner's group commit), and the exchange
 * benchmark's receiver spent 1.3–1.7 ms of CPU per document in five runs of six, against
 * 1.9–2.2 with two (docs/decisions.md). A mail relay still sees at most the transport pool's connections.
 */
const MAX_IN_FLIGHT = 4;

/**
 * A worker over `deps.db` with a handler per channel (channels without one are left alone,
 * for a worker that has them). Its state lives in the object it returns, never in the module.
 */
export function createOutboxWorker(deps: Pick<Deps, 'db' | 'config' | 'now' | 'log'>, handlers: OutboxHandlers, options: { id?: string } = {}): OutboxWorker {
  const s = outboxSettings(deps.config);
  const id = options.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const channels = Object.keys(handlers) as OutboxChannel[];
  let timer: NodeJS.Timeout | undefined;
  const running = new Set<Promise<number>>();
  let again = false;
  let stopped = true;
  // The targets of the batches being delivered: a batch claimed meanwhile leaves them out, so
  // one recipient's messages still go one after another in the order they were queued.
  const busyTargets = new Map<string, number>();
  let claiming: Promise<unknown> = Promise.resolve();

  /** Sends one message; truthy when delivered (marked by the caller), a failure is recorded here. */
  const send = async (m: OutboxMessage): Promise<false | { settle?: OutboxSettle }> => {
    const handler = handlers[m.channel]!;
    try {
      const settle = await handler(m);
      return settle ? { settle } : {};
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const permanent = err instanceof PermanentDeliveryError;
      const next = permanent || m.attempts >= s.maxAttempts ? null : deps.now() + backoffDelay(s, m.attempts);
      await outbox.attemptFailed(deps.db, m.id, id, message, next);
      deps.log.warn({ outboxId: m.id, channel: m.channel, attempts: m.attempts, err: message, failed: next === null }, 'outbox delivery failed');
      return false;
    }
  };

  /**
   * Sends a batch and marks what was delivered in one statement: on SQLite every commit is an
   * fsync shared with the request path, so one per batch rather than one per message. Messages
   * to different recipients go at once; those to one recipient (a person's mails, a partner's
   * messages) one after another in the order they were queued, so "received" never arrives after
   * "returned". A message whose lease ran out meanwhile is not marked (another worker has it;
   * same id).
   */
  const deliver = async (batch: readonly OutboxMessage[]): Promise<void> => {
    const byRecipient = new Map<string, OutboxMessage[]>();
    for (const m of batch) {
      const key = `${m.channel}\u0000${m.target}`;
      byRecipient.set(key, [...(byRecipient.get(key) ?? []), m]);
    }
    const delivered: string[] = [];
    const settles: OutboxSettle[] = [];
    await Promise.all([...byRecipient.values()].map(async (queue) => {
      for (const m of queue) {
        const sent = await send(m);
        if (!sent) continue;
        delivered.push(m.id);
        if (sent.settle) settles.push(sent.settle);
      }
    }));
    if (settles.length === 0) {
      await outbox.deliveredMany(deps.db, delivered, id, deps.now());
      return;
    }
    await deps.db.transaction(async (trx) => {
      await outbox.deliveredMany(trx, delivered, id, deps.now());
      for (const settle of settles) await settle(trx);
    });
  };

  const claim = (limit: number, only?: string): Promise<OutboxMessage[]> => {
    // One claim at a time, each leaving out the targets of the batches in flight (taken when it resolves).
    const claimed = claiming.then(async () => {
      const now = deps.now();
      const batch = await outbox.claim(deps.db, { worker: id, now, leaseUntil: now + s.leaseMs, limit, channels, notTargets: [...busyTargets.keys()], ...(only === undefined ? {} : { id: only }) });
      for (const m of batch) busyTargets.set(m.target, (busyTargets.get(m.target) ?? 0) + 1);
      return batch;
    });
    claiming = claimed.catch(() => undefined);
    return claimed;
  };

  const release = (batch: readonly OutboxMessage[]) => {
    for (const m of batch) {
      const left = (busyTargets.get(m.target) ?? 1) - 1;
      if (left > 0) busyTargets.set(m.target, left);
      else busyTargets.delete(m.target);
    }
  };

  /** Claims up to `limit` (or the one message `only`) and delivers them; `claimed` is told how many as soon as they are claimed. */
  const claimAndDeliver = async (limit: number, only?: string, claimed?: (n: number) => void): Promise<number> => {
    const batch = await claim(limit, only);
    claimed?.(batch.length);
    try {
      await deliver(batch);
    } finally {
      release(batch);
    }
    return batch.length;
  };

  const runOnce = () => claimAndDeliver(s.batch);

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
    timer.unref();
  };

  /**
   * Up to MAX_IN_FLIGHT batches at once: while one batch waits for its recipients' answers, the
   * next is claimed and sent, so neither this process nor the recipients sit idle between
   * batches (the exchange benchmark's two servers did, in turn).
   */
  const tick = () => {
    if (running.size >= MAX_IN_FLIGHT) {
      again = true;
      return;
    }
    const run = claimAndDeliver(s.batch, undefined, (n) => {
      // A full batch: more may be due at once, claimed beside this one.
      if (n >= s.batch && running.size < MAX_IN_FLIGHT) schedule(0);
    }).catch((err: unknown) => {
      deps.log.warn({ err }, 'outbox worker: claiming failed');
      return 0;
    });
    running.add(run);
    void run.then((n) => {
      running.delete(run);
      const more = again || n >= s.batch;
      again = false;
      if (more || running.size === 0) schedule(more ? 0 : s.pollMs);
    });
  };

  return {
    id,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    wake() {
      if (!stopped) schedule(0);
    },
    runOnce,
    async deliverNow(messageId) {
      await claimAndDeliver(1, messageId);
      return outbox.get(deps.db, messageId);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(running);
    },
  };
}
