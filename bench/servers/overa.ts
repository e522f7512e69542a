// The real Overa app (createApp, full middleware stack) on a fresh SQLite database in
// OVERA_DATA_DIR, with one citizen and a live session, on 127.0.0.1, in its own process.
// Started by bench/; the parent owns (creates and removes) the data folder.
//
// Logging: the app builds its own pino logger from config.logLevel exactly as in production
// (no logger injected), so the access log line is written to this process's stdout, which
// the parent points at /dev/null or a file. BENCH_LOG_LEVEL picks the level (default info).
// OVERA_FORMS_DIR, when set, is the forms folder (default none).

import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../server/config.ts';
import { openDatabase, migrate } from '../../server/db/connection.ts';
import { users } from '../../server/db/users.ts';
import { createSession } from '../../server/services/sessions.ts';
import { createApp } from '../../server/app.ts';
import { createHttpServer } from '../../server/http-server.ts';
import { reportReady } from '../lib/child-server.ts';

const dataDir = process.env.OVERA_DATA_DIR;
if (!dataDir) throw new Error('OVERA_DATA_DIR is required');

const config = loadConfig(
  { OVERA_DATA_DIR: dataDir, PORT: '0', OVERA_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', ...(process.env.OVERA_FORMS_DIR ? { OVERA_FORMS_DIR: process.env.OVERA_FORMS_DIR } : {}) },
  dataDir,
);
const db = openDatabase(config);
await migrate(db);
const now = Date.now();
const user = await users.insert(db, { id: 'bench-user', displayName: 'Bench Citizen', kind: 'citizen', roles: [], webauthnUserId: 'YmVuY2gtdXNlcg' }, now);
const token = await createSession(db, user.id, 3600, now);

const app = createApp(config, { db });
const server = createHttpServer(app, config); // as server/main.ts
server.listen(0, '127.0.0.1', () => {
  reportReady({ token, userId: user.id, logLevel: config.logLevel }, (server.address() as AddressInfo).port, async () => {
    server.closeAllConnections();
    server.close();
    await db.destroy();
  });
});
