import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import type { Config } from '../config.ts';
import { migrationSource } from './migrations/index.ts';

// int8 (bigint) columns hold epoch milliseconds, well inside Number's exact range.
pg.types.setTypeParser(20, (v: string) => Number(v));

export type Db = Knex;

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
  return knex({
    client: 'sqlite3',
    connection: { filename: join(config.dataDir, 'overa.sqlite') },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { exec(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
        // WAL for concurrent readers; synchronous=FULL so an acknowledged commit survives a
        // power cut as well as a killed process; busy_timeout so a second process (the CLI)
        // waits instead of failing.
        conn.exec(
          'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
          (err) => done(err, conn),
        );
      },
    },
  });
}

/** Brings the schema up to date. */
export async function migrate(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

/** True for PostgreSQL, false for SQLite. */
export function isPostgres(db: Db): boolean {
  return db.client.config.client === 'pg';
}
