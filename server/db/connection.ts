import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import type { Config } from '../config.ts';
import { migrationSource } from './migrations/index.ts';

// int8 (bigint) columns hold epoch milliseconds, well inside Number's exact range.
pg.types.setTypeParser(20, (v: string) => Number(v));

export type Db = Knex;

/**
 * What a db module runs its SQL on: the database, or a transaction open on it. Every db
 * module function takes one unless it needs a transaction (row locks such as FOR UPDATE),
 * so a service can pass whichever it holds. (Knex.Transaction extends Knex, so the compiler
 * would take a transaction as a Db too; the name says the function is meant for both.)
 */
export type Conn = Db | Knex.Transaction;

export interface DbOptions {
  /** PostgreSQL only: schema to use (created if missing). Tests isolate themselves with it. */
  schema?: string;
}

/**
 * Opens the database named by the config: PostgreSQL when `databaseUrl` is set,
 * else SQLite at `<dataDir>/overa.sqlite` in WAL mode with foreign keys and a busy timeout.
 */
export function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, options: DbOptions = {}): Db {
  if (config.databaseUrl) {
    const pgConfig: Knex.Config = {
      client: 'pg',
      connection: config.databaseUrl,
      pool: { min: 0, max: 10 },
    };
    if (options.schema) pgConfig.searchPath = [options.schema];
    return knex(pgConfig);
  }
  mkdirSync(config.dataDir, { recursive: true });
  const held: { conn?: RawSqlite } = {};
  const db = knex({
    client: 'better-sqlite3',
    connection: { filename: join(config.dataDir, 'overa.sqlite') },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: RawSqlite, done: (err: Error | null, conn: unknown) => void) {
        // WAL for concurrent readers; synchronous=FULL so an acknowledged commit survives a
        // power cut as well as a killed process; busy_timeout so a second process (the CLI)
        // waits instead of failing.
        try {
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = FULL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('busy_timeout = 5000');
          cachePreparedStatements(conn);
          held.conn = conn;
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
  });
  sqliteConnections.set(db, held);
  return db;
}

/** The parts of a better-sqlite3 Database that we touch. */
interface RawSqlite {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
  readonly open: boolean;
  readonly inTransaction: boolean;
}

/** A prepared better-sqlite3 statement, as far as direct reads use it. */
export interface SqliteStatement<Row> {
  get(...params: unknown[]): Row | undefined;
}

/** The pool's one better-sqlite3 connection of each SQLite Db (set when the pool creates it). */
const sqliteConnections = new WeakMap<Db, { conn?: RawSqlite }>();

/**
 * The prepared statement for `sql` on a SQLite Db's connection, to run without knex (its
 * query builder, runner and pool cost several times the ~5 µs a primary-key read takes;
 * docs/decisions.md), or undefined: PostgreSQL, a transaction object, a closed database, or
 * a transaction open on the connection. That last case matters: knex holds the connection
 * across awaits during a transaction, and a read on it would see that transaction's
 * uncommitted writes; through knex the read waits for the connection instead, so callers
 * fall back to knex. Otherwise nothing else can be running on the connection (better-sqlite3
 * runs each statement to completion synchronously), so the read sees exactly what a knex
 * query would: the last committed state. Only for single reads that need no transaction.
 */
export function sqliteStatement<Row>(db: Conn, sql: string): SqliteStatement<Row> | undefined {
  const conn = sqliteConnections.get(db)?.conn;
  if (conn === undefined || !conn.open || conn.inTransaction) return undefined;
  return conn.prepare(sql) as SqliteStatement<Row>;
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * knex's better-sqlite3 dialect prepares every query anew, and preparing was the largest
 * single cost of an authenticated request (docs/decisions.md). knex runs each statement to
 * completion synchronously, so one prepared statement per SQL text can be reused safely;
 * SQLite re-prepares it by itself after a schema change. Bounded, oldest entry evicted.
 */
function cachePreparedStatements(conn: RawSqlite): void {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
    }
    return statement;
  };
}

/** Brings the schema up to date. */
export async function migrate(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

/** True for PostgreSQL, false for SQLite. */
export function isPostgres(db: Db): boolean {
  return db.client.config.client === 'pg';
}
