/**
 * The event bus behind `GET /inbox/events`: a decision (or a submission) in one request
 * shows up at once in every open inbox of the agencies concerned, and a document sent to an
 * agency in its "Received documents"; a sign-out ends the streams open with that session.
 *
 * - SQLite (one instance): in process. An event is handed to the listeners when the
 *   transaction that made it commits, never for one that rolled back.
 * - PostgreSQL (any number of instances): `pg_notify` inside the writing transaction
 *   (PostgreSQL delivers it on commit, and drops it on rollback) and one `LISTEN` connection
 *   per instance, opened while that instance has listeners. Every instance, the writer
 *   included, learns of the event the same way.
 */
import type { Knex } from 'knex';
import pg from 'pg';
import type { CaseUpdatedEvent, DocumentReceivedEvent } from '../../components/core/api.ts';
import { isPostgres, type Db } from '../db/connection.ts';

export interface CaseEvent {
  type: 'case-updated';
  /** The agencies whose officials see the case: they are told, nobody else. */
  agencies: string[];
  data: CaseUpdatedEvent;
}

export interface ReceptionEvent {
  type: 'document-received';
  /** The receiving agency (one per event): its officials are told, nobody else. */
  agencies: [string];
  data: DocumentReceivedEvent;
}

/**
 * A session ended (signed out): the streams opened with it end, on every instance. It names the
 * session by its token's SHA-256, which the database already holds and which opens nothing.
 */
export interface SessionEndedEvent {
  type: 'session-ended';
  tokenHash: string;
}

/** What travels on the bus. */
export type BusEvent = CaseEvent | ReceptionEvent | SessionEndedEvent;

export interface EventListener {
  event(e: BusEvent): void;
  /** Events may have been missed (the LISTEN connection was lost and is back): reload. */
  resync?(): void;
  /** The bus is shutting down: end the stream. */
  closed?(): void;
}

export interface EventBus {
  /** Delivers `e` when `trx` commits (a savepoint: when it and every transaction around it commit). */
  publish(trx: Knex.Transaction, e: BusEvent): Promise<void>;
  /** Resolves once the listener will receive every event committed from now on. */
  subscribe(listener: EventListener): Promise<() => void>;
  /** Tells every listener the bus is closing and lets go of the LISTEN connection. */
  close(): Promise<void>;
}

/** Calls each listener; one that throws does not stop the others. */
class Listeners {
  readonly set = new Set<EventListener>();
  emit(e: BusEvent): void {
    for (const l of [...this.set]) {
      try {
        l.event(e);
      } catch {
        // A listener's failure (a closed socket) is its own business.
      }
    }
  }
  each(f: (l: EventListener) => void): void {
    for (const l of [...this.set]) {
      try {
        f(l);
      } catch {
        // as above
      }
    }
  }
}

/** One process: listeners are called after the publishing transaction commits. */
export function inProcessBus(): EventBus {
  const listeners = new Listeners();
  // knex resolves a transaction's executionPromise on COMMIT, rejects it on a ROLLBACK with a
  // reason (the transaction's function threw) but resolves it on a bare `trx.rollback()`, and
  // resolves a savepoint's on its release whatever its outer transaction then does. So the bus
  // notes explicit rollbacks itself, and waits for every level to end well (as PostgreSQL
  // delivers a NOTIFY only when the outermost transaction commits).
  const watched = new WeakSet<Knex.Transaction>();
  const rolledBack = new WeakSet<Knex.Transaction>();
  const watch = (t: Knex.Transaction) => {
    if (watched.has(t)) return;
    watched.add(t);
    const rollback = t.rollback.bind(t);
    t.rollback = ((...args: Parameters<Knex.Transaction['rollback']>) => {
      rolledBack.add(t);
      return rollback(...args);
    }) as Knex.Transaction['rollback'];
  };
  /** Resolves true when `trx` and every transaction it is nested in commit. */
  const commits = (trx: Knex.Transaction): Promise<boolean> => {
    const levels: Knex.Transaction[] = [];
    for (let t: Knex.Transaction | undefined = trx; t; t = t.parentTransaction) levels.push(t);
    levels.forEach(watch);
    return Promise.all(levels.map((t) => t.executionPromise)).then(
      () => levels.every((t) => !rolledBack.has(t)),
      () => false,
    );
  };
  return {
    async publish(trx, e) {
      // A transaction that has already ended commits nothing more.
      if (trx.isCompleted()) return;
      void commits(trx).then((committed) => {
        if (committed) listeners.emit(e);
      });
    },
    async subscribe(listener) {
      listeners.set.add(listener);
      return () => void listeners.set.delete(listener);
    },
    async close() {
      listeners.each((l) => l.closed?.());
      listeners.set.clear();
    },
  };
}

/**
 * The channel: one per schema, so that several Overa databases in one PostgreSQL (the tests
 * run one schema per file) do not hear each other. NOTIFY channels are database-wide.
 */
export function eventsChannel(db: Db): string {
  const searchPath = (db.client.config as { searchPath?: string | string[] }).searchPath;
  const schema = Array.isArray(searchPath) ? searchPath[0] : searchPath;
  const suffix = schema ? `_${schema.toLowerCase().replace(/[^a-z0-9_]/g, '_')}` : '';
  return `overa_events${suffix}`.slice(0, 63);
}

const RECONNECT_MS = 1000;

/** Several instances on one PostgreSQL: NOTIFY in the writing transaction, LISTEN while anyone listens. */
export function postgresBus(db: Db, databaseUrl: string): EventBus {
  const channel = eventsChannel(db);
  const listeners = new Listeners();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const drop = () => {
    const c = client;
    client = undefined;
    if (c) void c.end().catch(() => undefined);
  };

  const connect = (): Promise<void> => {
    // Already listening (a stream that subscribed while the connection was down reconnected
    // before the retry did): a second connection would hand every event over twice.
    if (client) return Promise.resolve();
    connecting ??= (async () => {
      // Named, so that an operator sees it in pg_stat_activity.
      const c = new pg.Client({ connectionString: databaseUrl, application_name: 'overa-events' });
      c.on('notification', (msg) => {
        if (msg.channel !== channel || !msg.payload) return;
        let e: BusEvent;
        try {
          e = JSON.parse(msg.payload) as BusEvent;
        } catch {
          return;
        }
        listeners.emit(e);
      });
      const lost = () => {
        if (client !== c) return;
        drop();
        // Events were missed while the connection was down: reconnect, then ask to reload.
        if (!closed && listeners.set.size > 0) scheduleReconnect();
      };
      c.on('error', lost);
      c.on('end', lost);
      try {
        await c.connect();
        await c.query(`LISTEN "${channel}"`);
      } catch (err) {
        void c.end().catch(() => undefined);
        throw err;
      }
      client = c;
      // Everyone left while we were connecting.
      if (listeners.set.size === 0) drop();
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const scheduleReconnect = () => {
    if (retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      if (closed || listeners.set.size === 0) return;
      connect().then(
        () => listeners.each((l) => l.resync?.()),
        () => scheduleReconnect(),
      );
    }, RECONNECT_MS);
    retry.unref();
  };

  return {
    async publish(trx, e) {
      await trx.raw('select pg_notify(?, ?)', [channel, JSON.stringify(e)]);
    },
    async subscribe(listener) {
      if (closed) throw new Error('the event bus is closed');
      listeners.set.add(listener);
      try {
        if (!client) await connect();
      } catch (err) {
        listeners.set.delete(listener);
        throw err;
      }
      return () => {
        listeners.set.delete(listener);
        // Nobody left on this instance: no need to hold a connection.
        if (listeners.set.size === 0 && !connecting) drop();
      };
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      listeners.each((l) => l.closed?.());
      listeners.set.clear();
      await connecting?.catch(() => undefined);
      drop();
    },
  };
}

/** The bus for this database: in process on SQLite, LISTEN/NOTIFY on PostgreSQL. */
export function createEventBus(db: Db, databaseUrl: string | undefined): EventBus {
  return isPostgres(db) && databaseUrl ? postgresBus(db, databaseUrl) : inProcessBus();
}
