import type { Knex } from 'knex';
import type { Db } from './connection.ts';

interface Pending {
  work: (trx: Knex.Transaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Write transactions that arrive together, committed together (group commit). On SQLite the
 * driver is synchronous: each COMMIT's fsync holds the whole process, so twenty inbound
 * exchange messages in flight cost twenty fsyncs in a row, during which nothing else runs.
 * Work handed to run() while a batch is being written waits for the next batch; each piece
 * runs on the batch's transaction in a savepoint of its own, so its failure (a refusal, a
 * conflict) is its own and rolls back only its writes; and every promise of a batch settles
 * after the batch's one COMMIT: nothing is answered before it is durable. On PostgreSQL it
 * saves commits the same way.
 *
 * One per app (Deps.groupCommit): its queue is this app's, never the module's.
 */
export class GroupCommit {
  readonly #db: Db;
  readonly #maxBatch: number;
  #queue: Pending[] = [];
  #draining = false;

  constructor(db: Db, maxBatch = 64) {
    this.#db = db;
    this.#maxBatch = maxBatch;
  }

  /** Runs `work` in a savepoint of the next batch; settles once that batch has committed (or failed). */
  run<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#draining) {
        this.#draining = true;
        // After the current turn: what else arrives in it joins the first batch.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      const outcomes: Outcome[] = [];
      try {
        await this.#db.transaction(async (trx) => {
          // Savepoints by hand rather than knex's nested transactions: those build a transaction
          // object and a client of their own for each piece, a tenth of what a small piece costs.
          for (const p of batch) {
            await trx.raw('SAVEPOINT group_commit_piece');
            try {
              const value = await p.work(trx);
              await trx.raw('RELEASE SAVEPOINT group_commit_piece');
              outcomes.push({ ok: true, value });
            } catch (error) {
              await trx.raw('ROLLBACK TO SAVEPOINT group_commit_piece');
              await trx.raw('RELEASE SAVEPOINT group_commit_piece');
              outcomes.push({ ok: false, error });
            }
          }
        });
      } catch (error) {
        // The COMMIT (or the transaction itself) failed: nothing of the batch is stored.
        for (const p of batch) p.reject(error);
        continue;
      }
      batch.forEach((p, i) => {
        const o = outcomes[i]!;
        if (o.ok) p.resolve(o.value);
        else p.reject(o.error);
      });
    }
    this.#draining = false;
  }
}
