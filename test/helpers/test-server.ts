/**
 * Starts the real Overa app on a free port with a fresh database: SQLite in a temp folder,
 * or, when DATABASE_URL is set, a fresh PostgreSQL schema that is dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import knex from 'knex';
import pino from 'pino';
import { loadConfig, type Config } from '../../server/config.ts';
import { openDatabase, migrate, type Db } from '../../server/db/connection.ts';
import { createApp, type OveraApp } from '../../server/app.ts';
import { createHttpServer } from '../../server/http-server.ts';
import type { TrustAnchorSource } from '../../server/services/trust.ts';
import { ensureDemoKeys } from '../../server/documents/keys.ts';
import { DEMO_AGENCY } from '../../server/seed.ts';

export const TEST_ORIGIN = 'https://www.novi-primer.example';

export interface TestDb {
  db: Db;
  config: Config;
  dialect: 'sqlite' | 'postgresql';
  drop(): Promise<void>;
}

/** A fresh, migrated database and the config that points at it. */
export async function createTestDb(env: NodeJS.ProcessEnv = {}): Promise<TestDb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'overa-test-'));
  const databaseUrl = process.env.DATABASE_URL;
  const config = loadConfig(
    { OVERA_DATA_DIR: dataDir, OVERA_ORIGINS: TEST_ORIGIN, OVERA_LOG_LEVEL: 'silent', PORT: '0', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...env },
    dataDir,
  );
  // The demo agency's seal (in this test's data folder): approving a case issues a sealed document.
  // Tests of key handling itself start without (`OVERA_TEST_DEMO_KEYS: 'no'`).
  if (env.OVERA_TEST_DEMO_KEYS !== 'no') await ensureDemoKeys(config, [DEMO_AGENCY]);
  if (!databaseUrl) {
    const db = openDatabase(config);
    await migrate(db);
    return {
      db, config, dialect: 'sqlite',
      async drop() {
        await db.destroy();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: databaseUrl });
  await admin.raw('create schema ??', [schema]);
  const db = openDatabase(config, { schema });
  await migrate(db);
  return {
    db, config, dialect: 'postgresql',
    async drop() {
      await db.destroy();
      await admin.raw('drop schema ?? cascade', [schema]);
      await admin.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestServer extends TestDb {
  url: string;
  app: OveraApp;
  /** Milliseconds added to the server's clock. */
  clock: { offset: number };
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/** `log`: the server's logger (default: silent, or `OVERA_TEST_LOG`'s level on stderr); `trustAnchors`: for `POST verify` (default none). */
export async function startTestServer(env: NodeJS.ProcessEnv = {}, options: { log?: pino.Logger; trustAnchors?: TrustAnchorSource } = {}): Promise<TestServer> {
  const testDb = await createTestDb(env);
  const clock = { offset: 0 };
  const app = createApp(testDb.config, {
    db: testDb.db,
    now: () => Date.now() + clock.offset,
    log: options.log ?? pino({ level: process.env.OVERA_TEST_LOG ?? 'silent' }, pino.destination(2)),
    ...(options.trustAnchors ? { trustAnchors: options.trustAnchors } : {}),
  });
  const server: Server = createHttpServer(app, testDb.config);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    ...testDb,
    url,
    app,
    clock,
    async api<T>(method: string, path: string, options: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined || options.raw !== undefined) headers['Content-Type'] ??= 'application/json';
      if (options.token) headers.Authorization = `Bearer ${options.token}`;
      const res = await fetch(url + path, {
        method,
        headers,
        body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T };
    },
    async close() {
      // Event streams end and the PostgreSQL LISTEN connection goes before the database does.
      await app.deps.events?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      app.deps.keys.close();
      await testDb.drop();
    },
  };
}
