import type { Server } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError, DEFAULT_LTV, type Config } from './config.ts';
import { openDatabase, migrate, type Db } from './db/connection.ts';
import { startCheckpointer } from './db/checkpointer.ts';
import { agencies } from './db/agencies.ts';
import { createApp } from './app.ts';
import { bundleMount } from './middleware/static-files.ts';
import { createHttpServer } from './http-server.ts';
import { createInvite } from './services/invites.ts';
import { issueRecoveryCode } from './services/account-recovery.ts';
import { applications } from './db/applications.ts';
import { users } from './db/users.ts';
import { AuditHeadMissingError, verifyAudit } from './services/audit.ts';
import { sweepExpired } from './services/housekeeping.ts';
import { FormDefinitionError } from './services/forms.ts';
import { DEMO_RECEIVING_AGENCY, DEMO_AGENCY, seedDemo } from './seed.ts';
import { initSeals, keysCommand, prepareDemoSeals, prepareSeals } from './documents/cli.ts';
import { KeyError } from './documents/keys.ts';
import { sealTrustAnchors } from './services/trust.ts';
import { registerInstance } from './instances.ts';
import { backupCommand, restoreCommand } from './backup.ts';
import { documentsCommand } from './archive-cli.ts';
import { extendDocuments } from './services/long-term.ts';
import { createOutboxWorker } from './services/outbox.ts';
import { startDeadlineJob } from './services/deadlines.ts';
import { webhookHandler } from './services/webhooks.ts';
import { mailHandlers } from './services/mail.ts';
import { webhooksCommand } from './webhooks-cli.ts';
import { exchangeCommand, partnersCommand } from './exchange-cli.ts';
import { exchangeHandler } from './services/exchange.ts';
import { trustCommand } from './trust-cli.ts';
import { refreshTrustedLists } from './services/trusted-lists.ts';
import { formsCommand } from './forms-cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const USAGE = `overa — the Overa e-document server

Usage:
  overa start [--demo]                 run the server (PORT, default 8080); --demo seeds the
                                       demo agency, serves examples/ and prints invite codes
  overa init                           create the data folder, run migrations, seed the demo agency
  overa migrate                        run database migrations
  overa official add --agency A --role R [--role R2] [--admin]
                                       print a one-time invite code for an official of agency A
  overa accounts recover (--user ID | --tracking NUMBER) [--note TEXT] [--hours N]
                                       after the agency has checked the person's identity, print a
                                       one-time recovery code (valid 24 h, or N hours) with which they
                                       register a new passkey for their account (docs/security.md)
  overa audit verify                   check that the audit hash chain is whole (exit 1 if not)
  overa keys show [--pem]              print the trust anchors, each agency's seal certificates and
                                       where its key lives (a file, or a PKCS#11 token)
  overa keys import --agency A (--p12 FILE | --key FILE --chain FILE)
                                       install a seal key and chain from a real CA (password of the
                                       file in OVERA_IMPORT_PASSPHRASE; needs OVERA_KEY_PASSPHRASE)
  overa keys import --agency A --pkcs11 TOKEN:KEY [--chain FILE]
                                       bind agency A's seal to the key labelled KEY in the PKCS#11
                                       token labelled TOKEN (the key never leaves it); the certificate
                                       chain from --chain (PEM) and/or the token (needs
                                       OVERA_PKCS11_MODULE and OVERA_PKCS11_PIN)
  overa documents list [--limit N]     each issued document's PAdES level (B-B…B-LTA), whether a level
                                       is pending, and until when its proof of existence holds
  overa documents extend [--window-days N] [--limit N]
                                       the archive job once: pending levels, and a new document
                                       time-stamp with fresh validation data for documents whose
                                       newest time-stamp certificate ends within the window
  overa webhooks add --url URL --event E [--event E2]... [--agency A] [--description TEXT]
                                       subscribe an endpoint (events: application.submitted,
                                       application.step-decided, document.issued, document.revoked,
                                       document.distributed, document.received, document.accepted,
                                       or *); prints its id and its secret (shown once; needs
                                       OVERA_WEBHOOK_SECRET_KEY)
  overa webhooks list [--json]         the endpoints and their deliveries by state
  overa webhooks remove ID             unsubscribe an endpoint
  overa webhooks rotate ID             a new secret (the old one signs beside it for 24 h)
  overa webhooks test ID               send a webhook.test delivery now and print how it went
  overa webhooks deliveries ID         the endpoint's delivery log; overa webhooks retry DELIVERY-ID
                                       sends one again with the same webhook-id
  overa partners add AGENCY-ID --url URL --cert PEM-FILE [--name NAME]
                                       make an agency on another Overa server a partner: documents
                                       go to it and come from it as signed messages (docs/exchange.md);
                                       the PEM is its seal certificate (or a CA its seal chains to,
                                       then --name as its seal names it)
  overa partners list [--json]         the partners directory; overa partners remove AGENCY-ID
  overa exchange status [--json] [--limit N]
                                       the outgoing exchange messages: queued, delivered (with the
                                       partner's receipt), failed, and the partner's answer
  overa trust refresh [--force] [--json]
                                       fetch and verify the configured trusted lists (ETSI TS 119 612)
                                       that are due, or all with --force; a refused list keeps its last
                                       good copy (exit 1); overa trust show [--json] lists their state
  overa forms list [--agency A] [--json]
                                       the forms in the database: state, published version, draft
  overa forms publish FILE             publish a form definition file as its form's next version
                                       (audited; running servers serve it within a second)
  overa forms retire ID                no new applications with the form; those started continue
  overa backup [--out FILE]            consistent copy of the SQLite database while the server runs
                                       (PostgreSQL: prints pg_dump guidance)
  overa restore FILE [--force]         put a backup in place of the SQLite database (refused while
                                       a server runs on it) and verify its audit chain
  overa verify FILE [--trust CA.pem]... [--data DIR] [--at TIME] [--json]
                                       check a signed PDF offline (no server, no database) against
                                       the data folder's trust anchors or --trust; exit 0 TOTAL_PASSED,
                                       1 TOTAL_FAILED, 2 INDETERMINATE, 3 not checked (overa verify --help)

Configuration: overa.config.json (or OVERA_CONFIG) and the environment: PORT, DATABASE_URL,
OVERA_DATA_DIR, OVERA_ORIGINS, OVERA_RP_ID, OVERA_FORMS_DIR, OVERA_KEY_PASSPHRASE, OVERA_TSA_URL, OVERA_PUBLIC_URL;
seal keys in a PKCS#11 token: OVERA_PKCS11_MODULE (the library's path), OVERA_PKCS11_PIN (environment only);
long-term signatures: OVERA_PADES_LEVEL, OVERA_LTV_ON_FAILURE, OVERA_REVOCATION_TIMEOUT_MS,
OVERA_ARCHIVE_WINDOW_DAYS, OVERA_ARCHIVE_INTERVAL_MINUTES (docs/server.md, "Long-term signatures");
limits under abuse: OVERA_VERIFY_CONCURRENCY, OVERA_VERIFY_QUEUE, OVERA_VERIFY_QUEUE_WAIT_MS,
OVERA_VERIFY_HASH_FACTOR, OVERA_VERIFY_HASH_EXTRA_BYTES, OVERA_VERIFY_MAX_SIGNATURE_CHECKS,
OVERA_VERIFY_MAX_SIGNATURES, OVERA_HEADERS_TIMEOUT_MS, OVERA_REQUEST_TIMEOUT_MS,
OVERA_BODY_IDLE_TIMEOUT_MS (docs/security.md lists each with its default);
the outbox and webhooks: OVERA_OUTBOX_POLL_MS, OVERA_OUTBOX_BATCH, OVERA_OUTBOX_LEASE_MS, OVERA_OUTBOX_BACKOFF_MS,
OVERA_OUTBOX_BACKOFF_MAX_MS, OVERA_OUTBOX_MAX_ATTEMPTS, OVERA_WEBHOOK_TIMEOUT_MS, OVERA_WEBHOOK_SECRET_KEY (docs/server.md);
agency-to-agency exchange: OVERA_EXCHANGE_TIMEOUT_MS, OVERA_EXCHANGE_MAX_BYTES (docs/exchange.md);
e-mail to citizens: OVERA_SMTP_URL (smtp[s]://user:password@host:port), OVERA_MAIL_FROM (both, or no mail at all),
OVERA_MY_APPLICATIONS_URL (the page linked from notifications; default OVERA_PUBLIC_URL) (docs/server.md, "E-mail to citizens");
trusted lists for seals of other authorities: OVERA_TRUSTED_LISTS, OVERA_TRUSTED_LISTS_REFRESH_MINUTES,
OVERA_TRUSTED_LISTS_FETCH_TIMEOUT_MS (docs/verification.md, "Trusted lists");
legal deadlines: OVERA_PUBLIC_HOLIDAYS (dates YYYY-MM-DD, or a file listing them; default Serbia's 2026 list),
OVERA_DEADLINE_REMINDER_DAYS (default 5,1), OVERA_DEADLINE_SOON_DAYS (default 3), OVERA_DEADLINE_INTERVAL_MINUTES
(default 15; 0: no job), OVERA_BACK_OFFICE_URL (the page linked from reminders) (docs/server.md, "Legal deadlines").
`;

async function openMigrated(config: Config): Promise<Db> {
  const db = openDatabase(config);
  await db.raw('select 1');
  await migrate(db);
  return db;
}

/** `text` in lines of at most `width` characters (words are not split), the first indented `first`, the rest `rest`. */
function wrap(text: string, width: number, first: string, rest: string): string {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/)) {
    const indent = lines.length === 0 ? first : rest;
    if (line.length > indent.length && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line = line.length > indent.length ? `${line} ${word}` : line + word;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

async function start(config: Config, demo: boolean): Promise<void> {
  const db = await openMigrated(config);
  const examples = `${ROOT}examples`;
  const dist = `${ROOT}dist`;
  if (demo && !config.staticDir && existsSync(examples)) config.staticDir = examples;
  if (demo && !config.formsDir && existsSync(`${examples}/forms`)) config.formsDir = `${examples}/forms`;
  const app = createApp(config, { db, mounts: existsSync(dist) ? [bundleMount(dist)] : [], trustAnchors: sealTrustAnchors });
  // SQLite's WAL checkpoints on a thread of their own (db/checkpointer.ts), off the requests;
  // started before the server listens, so it adds no wait between the listening line and the
  // stop handlers (a SIGTERM right after the line found none).
  const checkpointer = await startCheckpointer(db, { onError: (message) => app.log.warn({ err: message }, 'SQLite checkpoint failed') });
  // The forms of OVERA_FORMS_DIR become published versions now: a file that changed a published
  // version stops the start here (FormDefinitionError, naming the file), not the first request.
  await app.deps.forms.refresh({ force: true });
  // Seals in a PKCS#11 token: a token that is missing or locked stops the start here, in one
  // sentence naming the setting (KeyError), instead of failing every issuance later.
  const inTokens = await app.deps.keys.openTokens();
  if (inTokens.length) app.log.info({ agencies: inTokens }, 'seal keys in PKCS#11 tokens are ready');
  const server: Server = createHttpServer(app, config);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://localhost:${port}`;
  // So that `overa restore` can tell that this database is in use.
  const instance = config.databaseUrl ? undefined : registerInstance(config.dataDir, { port });
  app.log.info({ port, database: config.databaseUrl ? 'postgresql' : 'sqlite' }, 'overa listening');

  if (demo) {
    const now = Date.now();
    await seedDemo(db, now);
    const invite = (roles: string[], agencyId: string = DEMO_AGENCY.id) => createInvite(db, { agencyId, roles }, now);
    const roles: [string, string, string][] = [
      ['clerk', 'referent — reviews every request', await invite(['clerk'])],
      ['urbanism', 'urbanizam — agrees to building permits', await invite(['urbanism'])],
      ['cadastre', 'katastar — agrees to building permits', await invite(['cadastre'])],
      ['head', 'načelnik — gives the final approval', await invite(['head'])],
      ['rgz clerk', `${DEMO_RECEIVING_AGENCY.name} — receives issued permits`, await invite(['clerk'], DEMO_RECEIVING_AGENCY.id)],
    ];
    const width = Math.max(...roles.map(([r]) => r.length));
    // The demo makes its seal keys if missing, and says so here in words (not as log lines under the banner).
    const seal = (await prepareDemoSeals(config, db)).map((line) => wrap(line, 96, '  ', '        ')).join('\n');
    process.stdout.write(`
  Overa demo is running — ${DEMO_AGENCY.name}

  Site:                  ${base}/
  Apply (citizen):       ${base}/apply.html
  My applications:       ${base}/my-applications.html
  Back office (inbox):   ${base}/inbox.html
  Check a document:      ${base}/verify.html
  API:                   ${base}/api/v1/   (health: ${base}/healthz, OpenAPI: ${base}/api/v1/openapi.json)

  Play every role. Each person needs a browser of their own (a private window or another
  browser profile), because a passkey and a session belong to one browser:
    1. Citizen: open Apply, pick a service, create a passkey in the form, answer, attach, sign, send.
    2. Officials: open an invite link below, create a passkey, then open the Back office:
${roles.map(([role, what, code]) => `       ${role.padEnd(width)}  ${code}  ${base}/account.html?invite=${code}\n       ${' '.repeat(width)}  (${what})`).join('\n')}
    3. Each official decides in turn (review → the agreements → approval), signing with the passkey.
       The final approval issues the sealed PDF; the citizen downloads it in My applications.
    4. Check it: drop the PDF on ${base}/verify.html, or scan its QR code.
  Invite codes are one-time; \`npx overa official add --agency novi-primer --role clerk\` makes more.

${seal}
  Data: ${config.databaseUrl ? 'PostgreSQL' : `${config.dataDir}/overa.sqlite`}.  Stop with Ctrl+C.

`);
  }

  // Seal keys: the demo made what was missing (above); otherwise a warning for agencies without one.
  if (!demo) await prepareSeals(config, db, app.log);

  // Expired sessions and abandoned ceremonies are refused anyway; this only keeps tables small.
  const sweeper = setInterval(() => {
    sweepExpired(db, Date.now(), { dataDir: config.dataDir }).catch((err: unknown) => app.log.warn({ err }, 'sweep failed'));
  }, 10 * 60 * 1000);
  sweeper.unref();

  // The archive job (services/long-term.ts): safe with several instances (each document is leased).
  const archiveMinutes = config.archiveIntervalMinutes ?? DEFAULT_LTV.archiveIntervalMinutes;
  let archiving = false;
  const archiver = archiveMinutes > 0 ? setInterval(() => {
    if (archiving) return;
    archiving = true;
    extendDocuments(app.deps, {
      onProgress: (p) => app.log[p.outcome === 'failed' ? 'warn' : 'info']({ documentId: p.documentId, outcome: p.outcome }, `archive job: ${p.detail}`),
    })
      .then((summary) => { if (summary.examined) app.log.info(summary, 'archive job run'); })
      .catch((err: unknown) => app.log.warn({ err }, 'archive job failed'))
      .finally(() => { archiving = false; });
  }, archiveMinutes * 60_000) : undefined;
  archiver?.unref();

  // The trusted-list refresh (services/trusted-lists.ts): each list before its NextUpdate; one
  // instance at a time (a lease row), the last good copy kept when a refresh fails.
  const listMinutes = config.trustedListsRefreshMinutes ?? 0;
  let refreshingLists = false;
  const refreshLists = () => {
    if (refreshingLists || !config.trustedLists?.length) return;
    refreshingLists = true;
    refreshTrustedLists(app.deps)
      .then((r) => { for (const l of r.lists) if (l.outcome !== 'not-due') app.log[l.outcome === 'failed' ? 'warn' : 'info']({ list: l.name, outcome: l.outcome, reason: l.reason }, 'trusted list refresh'); })
      .catch((err: unknown) => app.log.warn({ err }, 'trusted list refresh failed'))
      .finally(() => { refreshingLists = false; });
  };
  const listRefresher = listMinutes > 0 ? setInterval(refreshLists, listMinutes * 60_000) : undefined;
  listRefresher?.unref();
  if (listMinutes > 0) refreshLists();

  // The outbox worker (services/outbox.ts): delivers what committed events queued, this
  // instance beside any others on the same database.
  const worker = createOutboxWorker(app.deps, { webhook: webhookHandler(app.deps), ...mailHandlers(app.deps), exchange: exchangeHandler(app.deps) });
  worker.start();

  // The deadline job (services/deadlines.ts): reminders before due dates and overdue notices,
  // each claimed by a row of its own, so safe with several instances.
  const deadlineJob = startDeadlineJob(app.deps);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(sweeper);
    if (archiver) clearInterval(archiver);
    if (listRefresher) clearInterval(listRefresher);
    deadlineJob.stop();
    instance?.release();
    app.log.info({ signal }, 'stopping');
    // Ends the open event streams (server.close waits for every connection) and the LISTEN connection.
    void app.deps.events.close();
    server.close(() => {
      // After the last request: an issuance in flight may still be signing in a token.
      app.deps.keys.close();
      // Deliveries in flight finish (a cut one would be sent again after its lease anyway).
      void worker.stop().then(() => checkpointer?.stop()).then(() => db.destroy()).then(() => process.exit(0));
    });
    server.closeIdleConnections();
    // Requests in flight get 10 s to finish.
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(argv: string[]): Promise<number> {
  // Options and exit codes of its own (bin/overa.js starts it without loading the server).
  if (argv[0] === 'verify') return (await import('./documents/verify-cli.ts')).verifyCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean', default: false },
      agency: { type: 'string' },
      role: { type: 'string', multiple: true },
      admin: { type: 'boolean', default: false },
      key: { type: 'string' },
      chain: { type: 'string' },
      p12: { type: 'string' },
      pkcs11: { type: 'string' },
      pem: { type: 'boolean', default: false },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      'window-days': { type: 'string' },
      limit: { type: 'string' },
      user: { type: 'string' },
      tracking: { type: 'string' },
      note: { type: 'string' },
      hours: { type: 'string' },
      url: { type: 'string' },
      event: { type: 'string', multiple: true },
      description: { type: 'string' },
      rotate: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      cert: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals.join(' ');
  if (values.help || command === '' || command === 'help') {
    process.stdout.write(USAGE);
    return command === '' && !values.help ? 2 : 0;
  }
  const config = loadConfig();

  if (positionals[0] === 'restore') return restoreCommand(config, positionals.slice(1), { force: values.force });
  if (positionals[0] === 'webhooks') return webhooksCommand(config, await openMigrated(config), positionals.slice(1), values);
  if (positionals[0] === 'partners') return partnersCommand(config, await openMigrated(config), positionals.slice(1), values);
  if (positionals[0] === 'exchange') return exchangeCommand(config, await openMigrated(config), positionals.slice(1), values);
  if (positionals[0] === 'trust') {
    const db = await openMigrated(config);
    try {
      return await trustCommand(config, db, positionals.slice(1), values);
    } finally {
      await db.destroy();
    }
  }
  if (positionals[0] === 'forms') return formsCommand(await openMigrated(config), positionals.slice(1), values);
  if (positionals[0] === 'keys') {
    const db = await openMigrated(config);
    try {
      return await keysCommand(config, db, positionals.slice(1), values);
    } finally {
      await db.destroy();
    }
  }
  if (positionals[0] === 'documents') {
    const db = await openMigrated(config);
    try {
      return await documentsCommand(config, db, positionals.slice(1), values);
    } finally {
      await db.destroy();
    }
  }
  switch (command) {
    case 'backup':
      return backupCommand(config, values.out === undefined ? {} : { out: values.out });
    case 'start':
      await start(config, values.demo);
      return -1; // keep running
    case 'migrate': {
      const db = await openMigrated(config);
      await db.destroy();
      process.stdout.write('migrations are up to date\n');
      return 0;
    }
    case 'init': {
      const db = await openMigrated(config);
      await seedDemo(db, Date.now());
      const seals = await initSeals(config, db);
      await db.destroy();
      process.stdout.write(`initialised: ${config.databaseUrl ? 'PostgreSQL' : config.dataDir}; agency "${DEMO_AGENCY.id}" seeded\n`);
      for (const line of seals) process.stdout.write(`${line}\n`);
      return 0;
    }
    case 'official add': {
      if (!values.agency || !values.role?.length) {
        process.stderr.write('overa official add: --agency and at least one --role are required\n');
        return 2;
      }
      const db = await openMigrated(config);
      try {
        if (!(await agencies.get(db, values.agency))) {
          process.stderr.write(`overa official add: no agency "${values.agency}" (run overa init, or check the id)\n`);
          return 1;
        }
        const code = await createInvite(
          db,
          { agencyId: values.agency, roles: values.role, kind: values.admin ? 'admin' : 'official' },
          Date.now(),
        );
        process.stdout.write(`${code}\n`);
        process.stderr.write(`one-time invite for ${values.admin ? 'an admin' : 'an official'} of ${values.agency} (${values.role.join(', ')}), valid 14 days\n`);
        return 0;
      } finally {
        await db.destroy();
      }
    }
    case 'accounts recover': {
      if (Boolean(values.user) === Boolean(values.tracking)) {
        process.stderr.write('overa accounts recover: name the account with --user ID or with --tracking NUMBER (one of its applications)\n');
        return 2;
      }
      const hours = values.hours === undefined ? 24 : Number(values.hours);
      if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 14) {
        process.stderr.write('overa accounts recover: --hours must be a whole number from 1 to 336\n');
        return 2;
      }
      const db = await openMigrated(config);
      try {
        const userId = values.user ?? (await applications.ownerByTrackingNumber(db, values.tracking!.trim().toUpperCase()));
        if (!userId || !(await users.get(db, userId))) {
          process.stderr.write(`overa accounts recover: no account ${values.user ? `"${values.user}"` : `made the application ${values.tracking}`}\n`);
          return 1;
        }
        const { code, user, expiresAt } = await issueRecoveryCode(
          db,
          { userId, ttlSeconds: hours * 3600, ...(values.note ? { note: values.note } : {}) },
          Date.now(),
        );
        process.stdout.write(`${code}\n`);
        process.stderr.write(
          `one-time recovery code for ${user.displayName} (${user.id}), valid until ${new Date(expiresAt).toISOString()}; ` +
            'earlier unused codes no longer work. The person enters it under "I have a recovery code" in <overa-account>; ' +
            'their old passkeys are then removed.\n',
        );
        return 0;
      } finally {
        await db.destroy();
      }
    }
    case 'audit verify': {
      const db = await openMigrated(config);
      try {
        const result = await verifyAudit(db);
        if (result.ok) {
          process.stdout.write(`audit chain OK: ${result.entries} entries, head ${result.headSeq} ${result.headHash}\n`);
          return 0;
        }
        process.stdout.write(`audit chain BROKEN: ${result.problems.length} problem(s) in ${result.entries} entries\n`);
        for (const p of result.problems) process.stdout.write(`  entry ${p.seq}: ${p.problem} — ${p.detail}\n`);
        return 1;
      } finally {
        await db.destroy();
      }
    }
    default:
      process.stderr.write(`overa: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    // A missing audit chain head (audit verify, backup, restore) is a damaged database, said in one sentence.
    // A seal token that is missing or locked at start (KeyError) likewise.
    const known = err instanceof ConfigError || err instanceof FormDefinitionError || err instanceof AuditHeadMissingError || err instanceof KeyError;
    process.stderr.write(`overa: ${known ? err.message : (err as Error).stack ?? String(err)}\n`);
    // Exit now: a failed start may leave a database pool open that would keep the process alive.
    process.exit(1);
  },
);
