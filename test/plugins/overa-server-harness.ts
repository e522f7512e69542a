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
import { createInvite } from '../../server/services/invites.ts';
import { issueRecoveryCode } from '../../server/services/account-recovery.ts';
import { DEMO_AGENCY, seedDemo } from '../../server/seed.ts';
import { ensureDemoKeys, loadSeal, sealChainPath } from '../../server/documents/keys.ts';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { addPartner } from '../../server/services/partners.ts';
import { exchangeHandler, receiveMessage } from '../../server/services/exchange.ts';
import { createOutboxWorker, type OutboxWorker } from '../../server/services/outbox.ts';
import { agencies } from '../../server/db/agencies.ts';
import type { Db } from '../../server/db/connection.ts';
import { signDetached } from '../../server/documents/exchange-cms.ts';
import { canonicalJson, type JsonValue } from '../../components/core/canonical-json.ts';
import type { ExchangeEnvelope } from '../../components/core/exchange.ts';
import { mailHandlers } from '../../server/services/mail.ts';
import { startSmtpSink, type ReceivedMail } from '../helpers/smtp-sink.ts';


export interface RunningOvera {
  /** Base URL, e.g. http://localhost:40123 (no trailing slash). */
  url: string;
  dataDir: string;
  /** A fresh one-time invite code. */
  invite(options: { agencyId?: string; roles: string[]; kind?: 'official' | 'admin' }): Promise<string>;
  /** A one-time recovery code for an account (as `overa accounts recover` issues it). */
  recoveryCode(userId: string): Promise<string>;
  /** A document a partner agency on another server sends to the demo agency, signed and received as over the wire (issue 19). */
  partnerDocument(trackingNumber: string): Promise<{ receptionId: string; documentId: string }>;
  /** With `mail`: every mail the server sent so far (through its outbox worker and a loopback SMTP server), to `to`. */
  mails(to: string): ReceivedMail[];
  /**
   * A partner agency on a second Overa server in this process (its own data folder and SQLite
   * database), partners both ways with the demo agency; from the first call on, this server's
   * outbox delivers exchange messages, so a document sent there is queued, then delivered with
   * the partner's signed receipt (issue 19). Started once.
   */
  partnerServer(): Promise<PartnerServer>;
  stop(): Promise<void>;
}

export interface PartnerServer {
  agencyId: string;
  name: string;
  url: string;
}

/** Listens on a free port of 'localhost' (the URL's host matches the RP ID and the page's host). */
async function listen(app: ReturnType<typeof createApp>): Promise<{ server: ReturnType<typeof createServer>; url: string }> {
  const server = createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, 'localhost', resolve);
  });
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}` };
}



/**
 * The server for the component tests; with `mail`, e-mail to citizens is configured too (a
 * loopback SMTP server, the outbox worker polling fast), so the elements offer it.
 */
export async function startOvera(options: { origins: string[]; logLevel?: Config['logLevel']; mail?: boolean }): Promise<RunningOvera> {
  const dataDir = await mkdtemp(join(tmpdir(), 'overa-wtr-'));
  const received: ReceivedMail[] = [];
  const smtp = options.mail ? await startSmtpSink(received) : null;
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
    // Every element test signs people up and in from this one address within a minute or so;
    // the limits themselves are tested in test/server/rate-limits.test.ts.
    rateLimits: { signUp: { limit: 10_000, windowSeconds: 60 }, signIn: { limit: 10_000, windowSeconds: 60 } },
    logLevel: options.logLevel ?? 'silent',
    // The example forms (certificate-of-residence and birth-register-extract need no signature).
    formsDir: fileURLToPath(new URL('../../examples/forms', import.meta.url)),
    ...(smtp
      ? {
          smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
          mailFrom: 'Overa (tests) <no-reply@localhost>',
          outboxPollMs: 20,
          outboxBackoffMs: 50,
          outboxBackoffMaxMs: 200,
        }
      : {}),
  };
  const db = openDatabase(config);
  await migrate(db);
  await seedDemo(db, Date.now());
  // The demo agency's seal: a final approval issues a sealed document, as in production.
  await ensureDemoKeys(config, [DEMO_AGENCY]);
  const app = createApp(config, { db, log: pino({ level: config.logLevel }) });
  const { server, url } = await listen(app);
  let worker: OutboxWorker | null = null;
  if (smtp) {
    worker = createOutboxWorker(app.deps, mailHandlers(app.deps));
    worker.start();
  }
  let partner: Promise<{ info: PartnerServer; server: ReturnType<typeof createServer>; db: Db; dataDir: string; worker: OutboxWorker }> | undefined;
  const startPartner = async () => {
    const agency = { id: 'susedni-grad', name: 'Gradska uprava Susedni Grad' };
    const partnerDir = await mkdtemp(join(tmpdir(), 'overa-wtr-partner-'));
    const partnerConfig: Config = { ...config, dataDir: partnerDir };
    const partnerDb = openDatabase(partnerConfig);
    await migrate(partnerDb);
    await agencies.upsert(partnerDb, { ...agency, created_at: Date.now() });
    await ensureDemoKeys(partnerConfig, [agency]);
    const partnerApp = createApp(partnerConfig, { db: partnerDb, log: pino({ level: config.logLevel }) });
    const listening = await listen(partnerApp);
    // Each side pins the other's seal (chain file: seal first, root after), as `overa partners add` does.
    await addPartner(partnerApp.deps, { agencyId: DEMO_AGENCY.id, url, certificatePem: readFileSync(sealChainPath(config, DEMO_AGENCY.id), 'utf8') });
    await addPartner(app.deps, { agencyId: agency.id, url: listening.url, certificatePem: readFileSync(sealChainPath(partnerConfig, agency.id), 'utf8') });
    // Only the exchange channel: webhooks and mail stay queued, as in the rest of the element tests.
    const worker = createOutboxWorker(app.deps, { exchange: exchangeHandler(app.deps) });
    worker.start();
    return { info: { agencyId: agency.id, name: agency.name, url: listening.url }, server: listening.server, db: partnerDb, dataDir: partnerDir, worker };
  };
  return {
    url,
    dataDir,
    invite: (o) => createInvite(db, { agencyId: o.agencyId ?? DEMO_AGENCY.id, roles: o.roles, kind: o.kind ?? 'official' }, Date.now()),
    recoveryCode: async (userId) => (await issueRecoveryCode(db, { userId, note: 'element test' }, Date.now())).code,
    async partnerDocument(trackingNumber) {
      const partner = { id: 'partner-grad', name: 'Gradska uprava Partner Grad' };
      await ensureDemoKeys(config, [partner]);
      await addPartner(app.deps, { agencyId: partner.id, url: 'https://eprijem.partner-grad.example', certificatePem: readFileSync(sealChainPath(config, partner.id), 'utf8') });
      const pdf = readFileSync(fileURLToPath(new URL('../../examples/forms/certificate-of-residence.json', import.meta.url)));
      const now = new Date().toISOString();
      const envelope: ExchangeEnvelope = {
        protocol: 'overa-exchange/1', messageId: randomUUID(), type: 'document',
        from: { agencyId: partner.id, name: partner.name, server: 'https://eprijem.partner-grad.example' }, to: { agencyId: DEMO_AGENCY.id },
        documentId: randomUUID(), title: { 'sr-Latn': 'Uverenje o prebivalištu', en: 'Certificate of residence' }, documentType: 'certificate-of-residence',
        trackingNumber, issuedAt: now, time: now,
        parts: [{ name: 'document.pdf', contentType: 'application/pdf', sha256: createHash('sha256').update(pdf).digest('hex'), size: pdf.length }],
      };
      const signature = await signDetached(new TextEncoder().encode(canonicalJson(envelope as unknown as JsonValue)), await loadSeal(config, partner.id));
      await receiveMessage(app.deps, { envelope, signature: Buffer.from(signature).toString('base64'), parts: [{ name: 'document.pdf', data: pdf.toString('base64') }] });
      const row = await db('received_documents').where({ document_id: envelope.documentId }).first<{ id: string }>('id');
      return { receptionId: row!.id, documentId: envelope.documentId };
    },
    mails: (to) => received.filter((m) => m.to === to),
    async partnerServer() {
      partner ??= startPartner();
      return (await partner).info;
    },
    async stop() {
      if (partner) {
        const p = await partner;
        await p.worker.stop();
        p.server.closeAllConnections();
        await new Promise<void>((resolve) => p.server.close(() => resolve()));
        await p.db.destroy();
        await rm(p.dataDir, { recursive: true, force: true });
      }
      await worker?.stop();
      await smtp?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
