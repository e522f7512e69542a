import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
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
  const filename = join(config.dataDir, 'overa.sqlite');
  const held: HeldSqlite = { filename };
  const db = knex({
    client: 'better-sqlite3',
    connection: { filename },
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
          // The reader (sqliteStatement) goes when the connection goes (knex's destroy closes it).
          const close = conn.close.bind(conn);
          conn.close = () => {
            held.reader?.close();
            held.reader = undefined;
            close();
          };
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
  close(): void;
  readonly open: boolean;
  readonly inTransaction: boolean;
}

/** A prepared better-sqlite3 statement, as far as direct reads use it. */
export interface SqliteStatement<Row> {
  get(...params: unknown[]): Row | undefined;
  all(...params: unknown[]): Row[];
}

/**
 * Rows by `sql` run directly on SQLite (sqliteStatement) when it can, else by `viaKnex` (the
 * same query written for knex: PostgreSQL, or inside a transaction). For the reads every
 * exchange message makes on both sides (docs/decisions.md).
 */
export async function readRows<Row>(db: Conn, sql: string, params: readonly unknown[], viaKnex: () => Promise<Row[]>): Promise<Row[]> {
  const direct = sqliteStatement<Row>(db, sql);
  return direct === undefined ? viaKnex() : direct.all(...params);
}

/**
 * The pool's one better-sqlite3 connection of a SQLite Db (set when the pool creates it), and a
 * second one, opened when first needed, for reads while a transaction holds the first.
 */
interface HeldSqlite {
  filename: string;
  conn?: RawSqlite;
  reader?: RawSqlite;
}

const sqliteConnections = new WeakMap<Db, HeldSqlite>();

/** The database file of a SQLite Db (db/checkpointer.ts opens a connection of its own to it); undefined for PostgreSQL. */
export function sqliteFilename(db: Db): string | undefined {
  return sqliteConnections.get(db)?.filename;
}

/**
 * The prepared statement for `sql` on a SQLite Db's connection, to run without knex (its
 * query builder, runner and pool cost several times the ~5 µs a primary-key read takes;
 * docs/decisions.md), or undefined: PostgreSQL, a transaction object, or a closed database.
 * Nothing else can be running on the connection (better-sqlite3 runs each statement to
 * completion synchronously), so the read sees exactly what a knex query would: the last
 * committed state. Except while a transaction is open on it: knex holds the connection across
 * awaits then, and a read on it would see that transaction's uncommitted writes. Such reads go
 * to a second connection of the same file instead (WAL lets it read beside the writer): it
 * sees the last committed state, as the read would through knex had it come a moment earlier,
 * rather than waiting behind the transaction (inbound exchange messages read the partners
 * directory while the group commit of others is open). Only for single reads that need no
 * transaction.
 */
export function sqliteStatement<Row>(db: Conn, sql: string): SqliteStatement<Row> | undefined {
  const held = sqliteConnections.get(db);
  if (held?.conn === undefined || !held.conn.open) return undefined;
  if (!held.conn.inTransaction) return held.conn.prepare(sql) as SqliteStatement<Row>;
  held.reader ??= openReader(held.filename);
  return held.reader.prepare(sql) as SqliteStatement<Row>;
}

/** better-sqlite3's Database, as far as the reader uses it (the package ships no types; knex loads it the same way). */
type SqliteDatabase = new (filename: string, options: { fileMustExist: boolean }) => RawSqlite;

/** The second connection sqliteStatement reads on; it writes nothing. */
function openReader(filename: string): RawSqlite {
  const Database = createRequire(import.meta.url)('better-sqlite3') as SqliteDatabase;
  const reader = new Database(filename, { fileMustExist: true });
  reader.pragma('query_only = ON');
  reader.pragma('busy_timeout = 5000');
  cachePreparedStatements(reader);
  return reader;
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
