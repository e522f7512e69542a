/**
 * Starts the real Overa server in this process for browser tests: a fresh SQLite database
 * in a temporary folder, the demo agency seeded, on a free port. Loaded by
 * overa-server.mjs through tsx (the server is TypeScript).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { Config } from '../../server/config.ts';
import { createApp } from '../../server/app.ts';
import { openDatabase, migrate } from '../../server/db/connection.ts';
import { applications } from '../../server/db/applications.ts';
import { appendAudit } from '../../server/services/audit.ts';
import { createInvite } from '../../server/services/invites.ts';
import { DEMO_AGENCY, seedDemo } from '../../server/seed.ts';

export interface RunningOvera {
  /** Base URL, e.g. http://localhost:40123 (no trailing slash). */
  url: string;
  dataDir: string;
  /** A fresh one-time invite code. */
  invite(options: { agencyId?: string; roles: string[]; kind?: 'official' | 'admin' }): Promise<string>;
  /**
   * Returns a submitted application to its owner with an official's comment. It stands in
   * for the approval workflow of the next issue (an official's "return" decision), so the
   * citizen's side can be tested now; replace it with a real decision once that exists.
   */
  returnApplication(id: string, comment: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startOvera(options: { origins: string[]; logLevel?: Config['logLevel'] }): Promise<RunningOvera> {
  const dataDir = await mkdtemp(join(tmpdir(), 'overa-wtr-'));
  const config: Config = {
    port: 0,
    dataDir,
    origins: options.origins,
    rpId: 'localhost',
    rpName: 'Overa (tests)',
    jsonLimit: 256 * 1024,
    sessionTtl: 3600,
    challengeTtl: 120,
    uploadMaxBytes: 25 * 1024 * 1024,
    uploadTypes: ['application/pdf', 'image/jpeg', 'image/png'],
    uploadMaxPerDay: 200,
    logLevel: options.logLevel ?? 'silent',
    // The example forms (certificate-of-residence and birth-register-extract need no signature).
    formsDir: fileURLToPath(new URL('../../examples/forms', import.meta.url)),
  };
  const db = openDatabase(config);
  await migrate(db);
  await seedDemo(db, Date.now());
  const app = createApp(config, { db, log: pino({ level: config.logLevel }) });
  const server = createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // 'localhost' so the URL's host matches the RP ID and the page's host.
    server.listen(0, 'localhost', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    dataDir,
    invite: (o) => createInvite(db, { agencyId: o.agencyId ?? DEMO_AGENCY.id, roles: o.roles, kind: o.kind ?? 'official' }, Date.now()),
    // The state change and its audit entry in one transaction, as the server's own services do.
    returnApplication: (id, comment) =>
      db.transaction(async (trx) => {
        const a = await applications.get(trx, id);
        if (!a) throw new Error(`no application ${id}`);
        if (a.status !== 'submitted' && a.status !== 'in_review') throw new Error(`application ${id} is ${a.status}, not submitted`);
        const now = Date.now();
        if (!(await applications.update(trx, id, a.version, { status: 'returned', returnComment: comment, updatedAt: now }))) {
          throw new Error(`application ${id} changed at the same time`);
        }
        await appendAudit(trx, { actor: null, action: 'application.returned', subject: { type: 'application', id }, data: { comment } }, now);
      }),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
