/**
 * Application create + submit (issue 3) through the real HTTP API, against raw knex writes of
 * the same rows with the same number of durable commits, in one run.
 *
 * Two child processes, both started from THIS file (BENCH_APPLICATIONS_ROLE picks the part):
 *  - `overa`: the real app (createApp, full middleware stack, the example forms) on a fresh
 *    SQLite database with the demo agency, one citizen and a live session. The runner drives
 *    it with a closed loop of N pairs in flight; a pair is POST /api/v1/applications (201)
 *    then POST /api/v1/applications/:id/submit (200) of that draft.
 *  - `baseline`: a fresh SQLite database opened the same way (openDatabase: WAL,
 *    synchronous=FULL, the same statement cache), where the same closed loop of N in flight
 *    writes the same rows with bare knex: per pair, transaction 1 inserts the draft
 *    application row, its audit_log row and moves audit_head; transaction 2 updates the row to
 *    submitted (compare-and-set on version), inserts the second audit_log row and moves
 *    audit_head. No reads, no validation, no HTTP. It is driven over a small control endpoint
 *    on 127.0.0.1 (POST /run, GET /verify) so that it runs in its own process like the server.
 *
 * Each side is warmed up for at least BENCH_WARMUP seconds AND WARMUP_PAIRS pairs (bounded by
 * WARMUP_MAX_S): Overa's CPU per pair keeps falling over its first ~1,500 pairs as V8 optimises
 * the request path, so a fixed 2 s (≈250 pairs here) measured a cold server. Then the two are
 * measured alternately (A B, B A, ...) and the better round of each is kept. Afterwards the
 * rows are counted against the acknowledged answers on both sides, and Overa's audit hash
 * chain is verified. Goal: Overa at least 0.3× the baseline.
 *
 * Knobs (environment): BENCH_INFLIGHT (pairs in flight, 16), BENCH_DURATION (s, 10),
 * BENCH_WARMUP (s, 2), BENCH_ROUNDS (1), BENCH_OVERA_LOG (`info` default: production level,
 * lines to /dev/null; `info-file`; `silent`), BENCH_IDEMPOTENCY_KEYS=1 (send an
 * Idempotency-Key with every Overa request, as the element does: one more commit per request).
 */
import { performance as nodePerformance } from 'node:perf_hooks';
import { Agent, createServer, request, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import type { BenchReport } from './lib/types.ts';
import { startChildServer, reportReady, ROOT, type ChildServer, type ReadyMessage } from './lib/child-server.ts';
import { trackTempDir, removeTempDir, watchdog } from './lib/cleanup.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase, migrate, type Db } from '../server/db/connection.ts';
import { users } from '../server/db/users.ts';
import { seedDemo, DEMO_AGENCY } from '../server/seed.ts';
import { createSession } from '../server/services/sessions.ts';
import { loadForms } from '../server/services/forms.ts';
import { verifyAudit } from '../server/services/audit.ts';
import { createApp } from '../server/app.ts';
import { fmt, num } from './lib/numbers.ts';
import { caseSteps } from '../server/db/case-steps.ts';
import { caseQueue } from '../server/db/case-queue.ts';
import { caseTerms } from '../server/db/case-terms.ts';
import { searchTerms } from '../server/search-text.ts';
import { JMBG } from '../test/helpers/sample-data.ts';

const ID = 'applications-throughput';
const GOAL = 0.3;
/** Warm-up per side: at least this many pairs (and BENCH_WARMUP seconds), but no longer than WARMUP_MAX_S. */
const WARMUP_PAIRS = 2000;
const WARMUP_MAX_S = 20;
const SELF = join(ROOT, 'bench', `${ID}.ts`);
const ROLE = 'BENCH_APPLICATIONS_ROLE';

export const FORM_ID = 'certificate-of-residence';
export const FORM_VERSION = 1;
export const DATA = {
  firstName: 'Ana', lastName: 'Anić', jmbg: JMBG, street: 'Bulevar oslobođenja 12', place: 'Novi Primer',
  postalCode: '21000', purpose: 'employment', delivery: 'online',
};
const BENCH_USER = { id: 'bench-user', displayName: 'Bench Citizen', kind: 'citizen' as const, roles: [], webauthnUserId: 'YmVuY2gtdXNlcg' };

interface Pragmas {
  synchronous: number;
  journalMode: string;
}

interface OveraReady extends ReadyMessage, Pragmas {
  token: string;
  userId: string;
  /** The child's control endpoint (GET /cpu), beside the app's port. */
  controlPort: number;
}

type BaselineReady = ReadyMessage & Pragmas;

/** One measured stretch of the closed loop. */
export interface Round {
  pairs: number;
  elapsedMs: number;
  pairsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

/** A round with the CPU time it cost: the side's own process, and the runner (the HTTP client for Overa). */
interface Measured extends Round {
  cpuMsPerPair: number;
  runnerCpuMsPerPair: number;
}

/** Rows found in a database afterwards. */
interface Counts {
  applications: number;
  submitted: number;
  auditEntries: number;
}

/**
 * N async workers, each running `pair` back to back until the deadline; the round ends when
 * the last pair in flight finishes, and that tail counts in the elapsed time. The first
 * failure stops every worker and is thrown: no figure is reported from a round with errors.
 */
export async function closedLoop(inflight: number, durationMs: number, pair: () => Promise<void>): Promise<Round> {
  const latencies: number[] = [];
  let failure: { err: unknown } | undefined;
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  const worker = async () => {
    while (!failure && performance.now() < deadline) {
      const start = performance.now();
      try {
        await pair();
      } catch (err) {
        failure ??= { err };
        return;
      }
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
  const elapsedMs = performance.now() - t0;
  if (failure) throw failure.err;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0) * 10) / 10;
  return { pairs: latencies.length, elapsedMs, pairsPerSec: (latencies.length * 1000) / elapsedMs, p50Ms: pct(0.5), p99Ms: pct(0.99) };
}

async function pragmasOf(db: Db): Promise<Pragmas> {
  const [sync] = (await db.raw('PRAGMA synchronous')) as { synchronous: number }[];
  const [journal] = (await db.raw('PRAGMA journal_mode')) as { journal_mode: string }[];
  return { synchronous: Number(sync?.synchronous), journalMode: String(journal?.journal_mode) };
}

/** The same config path for both databases: SQLite in `dataDir`, nothing from the environment. */
export function benchConfig(dataDir: string, logLevel = 'info') {
  const config = loadConfig({ OVERA_DATA_DIR: dataDir, PORT: '0', OVERA_LOG_LEVEL: logLevel }, dataDir);
  if (config.databaseUrl) throw new Error('this benchmark measures SQLite');
  return config;
}

/** A fresh database: schema, the demo agency, the bench citizen. */
export async function freshDatabase(dataDir: string, logLevel?: string) {
  const config = benchConfig(dataDir, logLevel);
  const db = openDatabase(config);
  await migrate(db);
  const now = Date.now();
  await seedDemo(db, now);
  const user = await users.insert(db, BENCH_USER, now);
  return { config, db, user, now };
}

async function countRows(db: Db): Promise<Counts> {
  const n = async (q: Knex.QueryBuilder) => Number(((await q.count({ n: '*' }).first()) as { n: number | string }).n);
  return {
    applications: await n(db('applications')),
    submitted: await n(db('applications').where({ status: 'submitted' })),
    auditEntries: await n(db('audit_log')),
  };
}

// ---------------------------------------------------------------------------------------------
// Child: the real Overa server.

async function overaChild(): Promise<void> {
  const dataDir = process.env.OVERA_DATA_DIR;
  if (!dataDir) throw new Error('OVERA_DATA_DIR is required');
  const { config, db, user, now } = await freshDatabase(dataDir, process.env.BENCH_LOG_LEVEL ?? 'info');
  const token = await createSession(db, user.id, 3600, now);
  const forms = loadForms(join(ROOT, 'examples/forms'));
  // The app builds its own pino logger from config.logLevel, as in production.
  const app = createApp(config, { db, forms });
  const pragmas = await pragmasOf(db);
  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000; // as server/main.ts
  // A second, idle port for the runner: this process's CPU time (not part of the app).
  const control = await controlServer({});
  server.listen(0, '127.0.0.1', () => {
    reportReady({ token, userId: user.id, controlPort: control.port, ...pragmas }, (server.address() as AddressInfo).port, async () => {
      control.close();
      server.closeAllConnections();
      server.close();
      await db.destroy();
    });
  });
}

type Handler = (url: URL) => Promise<unknown>;

/**
 * The children's control endpoint on 127.0.0.1, for the runner only: `GET /cpu` (this
 * process.s user + system CPU time in µs, all its threads, and its event loop's busy time in
 * ms) and the given handlers.
 */
export async function controlServer(post: Record<string, Handler>, get: Record<string, Handler> = {}): Promise<{ port: number; close(): void }> {
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  };
  const routes: Record<string, Handler | undefined> = {
    'GET /cpu': async () => {
      const { user, system } = process.cpuUsage();
      // And how long the main thread was busy (not waiting for I/O), for which side limits a pipeline.
      return { cpuMicros: user + system, loopBusyMs: nodePerformance.eventLoopUtilization().active };
    },
    ...Object.fromEntries(Object.entries(get).map(([path, h]) => [`GET ${path}`, h])),
    ...Object.fromEntries(Object.entries(post).map(([path, h]) => [`POST ${path}`, h])),
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) return reply(res, 404, { error: 'not found' });
    return reply(res, 200, await route(url));
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => reply(res, 500, { error: (err as Error).stack ?? String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Child: the baseline, bare knex writes of the same rows.

const TRACKING_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';

/** A unique tracking number in Overa's format (prefix, year, 6 characters), from a counter. */
function trackingNumber(n: number, year: number): string {
  let code = '';
  for (let i = 0; i < 6; i++) {
    code = TRACKING_ALPHABET[n % TRACKING_ALPHABET.length] + code;
    n = Math.floor(n / TRACKING_ALPHABET.length);
  }
  return `NP-${year}-${code}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The certificate of residence's approval line (examples/forms/certificate-of-residence.json). */
const LINE = [
  { id: 'review', kind: 'review' as const, role: 'clerk' },
  { id: 'approve', kind: 'approve' as const, role: 'head' },
];

async function baselineChild(): Promise<void> {
  const dataDir = process.env.OVERA_DATA_DIR;
  if (!dataDir) throw new Error('OVERA_DATA_DIR is required');
  const inflight = num('BENCH_INFLIGHT', 16);
  const { db, user } = await freshDatabase(dataDir);
  const pragmas = await pragmasOf(db);
  const dataJson = JSON.stringify(DATA);
  // The chain head. Safe in memory: the pool has one connection, so transactions run one at a
  // time, and it is read and moved only inside one.
  let head = { seq: 0, hash: '0'.repeat(64) };
  let counter = 0;

  async function appendAudit(trx: Knex.Transaction, at: number, action: string, subjectId: string, data: object): Promise<void> {
    const row = {
      seq: head.seq + 1, at, actor: user.id, action, subject_type: 'application', subject_id: subjectId,
      data: JSON.stringify(data), prev_hash: head.hash,
    };
    const hash = sha256(JSON.stringify(row));
    await trx('audit_log').insert({ ...row, hash });
    await trx('audit_head').where({ id: 1 }).update({ seq: row.seq, hash });
    head = { seq: row.seq, hash };
  }

  async function pair(): Promise<void> {
    const id = randomUUID();
    const created = Date.now();
    await db.transaction(async (trx) => {
      await trx('applications').insert({
        id, tracking_number: trackingNumber(++counter, new Date(created).getUTCFullYear()), form_id: FORM_ID, form_version: FORM_VERSION,
        agency_id: DEMO_AGENCY.id, owner_id: user.id, status: 'draft', data: dataJson, attachments: '[]', signature_id: null,
        return_comment: null, version: 1, created_at: created, updated_at: created, submitted_at: null,
      });
      await appendAudit(trx, created, 'application.created', id, { formId: FORM_ID, formVersion: FORM_VERSION });
    });
    const submitted = Date.now();
    await db.transaction(async (trx) => {
      const changed = await trx('applications').where({ id, version: 1 })
        .update({ status: 'submitted', submitted_at: submitted, return_comment: null, updated_at: submitted, version: 2 });
      if (changed !== 1) throw new Error(`baseline: application ${id} was not at version 1`);
      const digest = sha256(JSON.stringify({ formId: FORM_ID, formVersion: FORM_VERSION, data: DATA, attachments: [] }));
      await appendAudit(trx, submitted, 'application.submitted', id, { digest: `sha256:${digest}`, version: 2 });
      // Submitting starts the approval line: the same rows Overa writes (its steps, the queue
      // entry of the open step, the inbox search terms), here straight from the line's shape.
      await caseSteps.insertMany(trx, LINE.map((step, i) => ({
        applicationId: id, round: 1, stepId: step.id, position: i, stage: i, kind: step.kind, agencyId: DEMO_AGENCY.id,
        role: step.role, userId: null, delegateRoles: [], fourEyes: true, state: i === 0 ? 'pending' : 'waiting', submittedAt: submitted,
      })));
      await caseQueue.insertMany(trx, [{ applicationId: id, stepId: LINE[0]!.id, agencyId: DEMO_AGENCY.id, role: LINE[0]!.role, userId: null, basis: 'assigned', submittedAt: submitted }]);
      await caseTerms.insert(trx, id, [DEMO_AGENCY.id], searchTerms(trackingNumber(counter, new Date(created).getUTCFullYear()), BENCH_USER.displayName), submitted);
    });
  }

  const control = await controlServer(
    {
      '/run': async (url) => {
        const ms = Number(url.searchParams.get('ms'));
        if (!(ms > 0)) throw new Error(`/run: ms must be a positive number, not ${url.searchParams.get('ms')}`);
        return closedLoop(inflight, ms, pair);
      },
    },
    { '/verify': () => countRows(db) },
  );
  reportReady({ ...pragmas }, control.port, async () => {
    control.close();
    await db.destroy();
  });
}

// ---------------------------------------------------------------------------------------------
// Runner side.

function local(url: string): string {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) throw new Error(`benchmarks only load 127.0.0.1, not ${url}`);
  return url;
}

/**
 * POST a JSON body over a keep-alive agent and parse the JSON answer. node:http rather than
 * fetch: the client shares the cores with the server, and fetch (undici) cost several times
 * more CPU per request here.
 */
export function postJson(agent: Agent, url: string, headers: OutgoingHttpHeaders, body: string): Promise<{ status: number; body: unknown }> {
  const { hostname, port, pathname } = new URL(local(url));
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, path: pathname, method: 'POST', agent, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
          } catch {
            reject(new Error(`POST ${pathname}: ${res.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`));
          }
        });
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`POST ${pathname}: no answer in 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

function checkPragmas(side: string, p: Pragmas): void {
  // 2 = FULL: every commit is fsynced before it is acknowledged.
  if (p.synchronous !== 2 || p.journalMode !== 'wal') {
    throw new Error(`${side}: expected synchronous=FULL (2) and WAL, got synchronous=${p.synchronous}, journal_mode=${p.journalMode}`);
  }
}

export async function run(): Promise<BenchReport> {
  const inflight = num('BENCH_INFLIGHT', 16);
  const duration = num('BENCH_DURATION', 10);
  const warmup = num('BENCH_WARMUP', 2);
  const rounds = num('BENCH_ROUNDS', 1);
  const logMode = process.env.BENCH_OVERA_LOG ?? 'info';
  if (!['info', 'info-file', 'silent'].includes(logMode)) throw new Error(`BENCH_OVERA_LOG: "${logMode}" is not info, info-file or silent`);
  const withKeys = process.env.BENCH_IDEMPOTENCY_KEYS === '1';
  const loadBefore = loadavg()[0]!;

  // Warm-ups (the cap plus one last chunk each), the rounds, and a minute of slack for
  // start-up, checks and shutdown.
  const disarm = watchdog(ID, (2 * (WARMUP_MAX_S + warmup) + 2 * rounds * duration + 60) * 1000);
  const tempDir = mkdtempSync(join(tmpdir(), 'overa-bench-'));
  trackTempDir(tempDir);
  let logFd: number | undefined;
  const children: ChildServer[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: inflight });
  try {
    const overaDir = join(tempDir, 'overa');
    const baselineDir = join(tempDir, 'baseline');
    mkdirSync(overaDir);
    mkdirSync(baselineDir);
    const logFile = join(tempDir, 'access.log');
    if (logMode === 'info-file') logFd = openSync(logFile, 'w');

    const overa = await startChildServer<OveraReady>(SELF, {
      env: { [ROLE]: 'overa', OVERA_DATA_DIR: overaDir, BENCH_LOG_LEVEL: logMode === 'silent' ? 'silent' : 'info' },
      stdout: logFd ?? 'ignore',
    });
    children.push(overa);
    const baseline = await startChildServer<BaselineReady>(SELF, {
      env: { [ROLE]: 'baseline', OVERA_DATA_DIR: baselineDir, BENCH_INFLIGHT: String(inflight) },
    });
    children.push(baseline);
    checkPragmas('overa', overa.ready);
    checkPragmas('baseline', baseline.ready);

    // Overa: one pair = create the draft, then submit it; every answer checked.
    const createUrl = local(`${overa.url}/api/v1/applications`);
    const auth = { Authorization: `Bearer ${overa.ready.token}`, 'Content-Type': 'application/json' };
    const headers = () => (withKeys ? { ...auth, 'Idempotency-Key': randomUUID() } : auth);
    const createBody = JSON.stringify({ formId: FORM_ID, formVersion: FORM_VERSION, data: DATA });
    const acked = { created: 0, submitted: 0 };
    const overaPair = async () => {
      const res = await postJson(agent, createUrl, headers(), createBody);
      const draft = res.body as { id?: string; status?: string };
      if (res.status !== 201 || draft.status !== 'draft' || typeof draft.id !== 'string') {
        throw new Error(`overa create: expected 201 draft, got ${res.status} ${JSON.stringify(draft).slice(0, 400)}`);
      }
      acked.created++;
      const sub = await postJson(agent, `${createUrl}/${draft.id}/submit`, headers(), '{}');
      const done = sub.body as { id?: string; status?: string };
      if (sub.status !== 200 || done.status !== 'submitted' || done.id !== draft.id) {
        throw new Error(`overa submit: expected 200 submitted, got ${sub.status} ${JSON.stringify(done).slice(0, 400)}`);
      }
      acked.submitted++;
    };
    const control = async <T>(url: string, method = 'GET'): Promise<T> => {
      const res = await fetch(local(url), { method });
      const body = (await res.json()) as T & { error?: string };
      if (res.status !== 200) throw new Error(`${method} ${url}: ${res.status} ${body.error ?? ''}`);
      return body;
    };
    const sides = {
      baseline: {
        label: 'raw knex, same rows',
        cpuUrl: `${baseline.url}/cpu`,
        round: (ms: number) => control<Round>(`${baseline.url}/run?ms=${Math.round(ms)}`, 'POST'),
      },
      overa: {
        label: 'Overa HTTP create+submit',
        cpuUrl: `http://127.0.0.1:${overa.ready.controlPort}/cpu`,
        round: (ms: number) => closedLoop(inflight, ms, overaPair),
      },
    };
    let baselinePairs = 0;
    const measured = async (key: keyof typeof sides, ms: number): Promise<Measured> => {
      const cpu0 = (await control<{ cpuMicros: number }>(sides[key].cpuUrl)).cpuMicros;
      const runner0 = process.cpuUsage();
      const r = await sides[key].round(ms);
      const runner = process.cpuUsage(runner0);
      const cpu = (await control<{ cpuMicros: number }>(sides[key].cpuUrl)).cpuMicros - cpu0;
      if (key === 'baseline') baselinePairs += r.pairs;
      return { ...r, cpuMsPerPair: cpu / 1000 / r.pairs, runnerCpuMsPerPair: (runner.user + runner.system) / 1000 / r.pairs };
    };

    // The figure must be of real, validated work: one pair, and a refused one, before loading.
    await overaPair();
    const bad = await postJson(agent, createUrl, auth, JSON.stringify({ formId: FORM_ID, formVersion: FORM_VERSION, data: { ...DATA, jmbg: '0101990710000' } }));
    const badBody = bad.body as { errors?: { field?: string }[] };
    if (bad.status !== 400 || !badBody.errors?.some((e) => e.field === 'data.jmbg')) {
      throw new Error(`overa create with a wrong JMBG: expected 400 naming data.jmbg, got ${bad.status} ${JSON.stringify(badBody)}`);
    }
    log(`checked: overa create → 201 draft, submit → 200 submitted; a wrong JMBG → 400 naming data.jmbg; both databases WAL + synchronous=FULL`);

    const warmedUp = { baseline: { pairs: 0, seconds: 0 }, overa: { pairs: 0, seconds: 0 } };
    for (const key of ['baseline', 'overa'] as const) {
      const t0 = performance.now();
      let pairs = 0;
      let last: Measured;
      do {
        last = await measured(key, warmup * 1000);
        pairs += last.pairs;
      } while (pairs < WARMUP_PAIRS && performance.now() - t0 < WARMUP_MAX_S * 1000);
      warmedUp[key] = { pairs, seconds: (performance.now() - t0) / 1000 };
      log(`warm-up ${sides[key].label}: ${pairs} pairs in ${fmt(warmedUp[key].seconds, 1)} s (last ${fmt(last.pairsPerSec, 1)} pairs/s, CPU/pair ${fmt(last.cpuMsPerPair, 2)} ms)`);
    }
    const seen: Record<'baseline' | 'overa', Measured[]> = { baseline: [], overa: [] };
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? (['baseline', 'overa'] as const) : (['overa', 'baseline'] as const);
      for (const key of order) {
        const r = await measured(key, duration * 1000);
        seen[key].push(r);
        log(
          `round ${i + 1} ${sides[key].label.padEnd(26)} ${fmt(r.pairsPerSec, 1).padStart(8)} pairs/s` +
            `   (${r.pairs} pairs in ${fmt(r.elapsedMs / 1000, 2)} s)   p50 ${r.p50Ms} ms   p99 ${r.p99Ms} ms` +
            `   CPU/pair: ${key} process ${fmt(r.cpuMsPerPair, 2)} ms` + (key === 'overa' ? `, runner (client) ${fmt(r.runnerCpuMsPerPair, 2)} ms` : ''),
        );
      }
    }

    // Every acknowledged pair must be in the database, and nothing else.
    const baseCounts = await control<Counts>(`${baseline.url}/verify`);
    await overa.stop();
    const overaDb = openDatabase(benchConfig(overaDir));
    let overaCounts: Counts;
    let chain: Awaited<ReturnType<typeof verifyAudit>>;
    try {
      overaCounts = await countRows(overaDb);
      chain = await verifyAudit(overaDb);
    } finally {
      await overaDb.destroy();
    }
    if (acked.created !== acked.submitted) throw new Error(`overa: ${acked.created} creates but ${acked.submitted} submits acknowledged`);
    if (overaCounts.applications !== acked.submitted || overaCounts.submitted !== acked.submitted || overaCounts.auditEntries !== 2 * acked.submitted) {
      throw new Error(`overa: ${acked.submitted} pairs acknowledged, database has ${JSON.stringify(overaCounts)}`);
    }
    if (!chain.ok || chain.entries !== 2 * acked.submitted) throw new Error(`overa: audit chain does not verify: ${JSON.stringify(chain.problems.slice(0, 5))}`);
    if (baseCounts.applications !== baselinePairs || baseCounts.submitted !== baselinePairs || baseCounts.auditEntries !== 2 * baselinePairs) {
      throw new Error(`baseline: ${baselinePairs} pairs completed, database has ${JSON.stringify(baseCounts)}`);
    }
    log(
      `verified: overa ${acked.submitted} acknowledged pairs = ${overaCounts.applications} submitted rows, ${overaCounts.auditEntries} audit entries, ` +
        `hash chain intact; baseline ${baseCounts.applications} rows, ${baseCounts.auditEntries} audit entries`,
    );

    const best = (list: Measured[]) => list.reduce((a, b) => (b.pairsPerSec > a.pairsPerSec ? b : a));
    const b = best(seen.baseline);
    const o = best(seen.overa);
    const ratio = o.pairsPerSec / b.pairsPerSec;
    log(`best: baseline ${fmt(b.pairsPerSec, 1)} pairs/s (p99 ${b.p99Ms} ms), overa ${fmt(o.pairsPerSec, 1)} pairs/s (p99 ${o.p99Ms} ms)`);
    log(`ratio overa/baseline = ${ratio.toFixed(2)}× (goal ≥ ${GOAL}×): ${ratio >= GOAL ? 'PASS' : 'BELOW'}`);

    const commitsPerPair = withKeys ? 4 : 2;
    const observations = [
      `Per round (pairs/s): baseline ${seen.baseline.map((r) => fmt(r.pairsPerSec, 1)).join(', ')}; Overa ${seen.overa.map((r) => fmt(r.pairsPerSec, 1)).join(', ')}.`,
      `Kept rounds: baseline ${b.pairs} pairs in ${fmt(b.elapsedMs / 1000, 2)} s (${fmt(2 * b.pairsPerSec)} durable commits/s), ` +
        `Overa ${o.pairs} pairs in ${fmt(o.elapsedMs / 1000, 2)} s (${fmt(commitsPerPair * o.pairsPerSec)} commits/s); ` +
        `pair latency p50 baseline ${b.p50Ms} ms, Overa ${o.p50Ms} ms.`,
      `CPU time per pair in the kept rounds (process.cpuUsage, all threads): baseline process ${fmt(b.cpuMsPerPair, 2)} ms; ` +
        `Overa server process ${fmt(o.cpuMsPerPair, 2)} ms, plus ${fmt(o.runnerCpuMsPerPair, 2)} ms in the runner's HTTP client.`,
      `Checked afterwards: Overa's ${acked.submitted} acknowledged pairs (warm-up and checks included) are exactly the ${overaCounts.applications} ` +
        `submitted applications and ${overaCounts.auditEntries} audit entries in its database, and the audit hash chain verifies.`,
    ];
    observations.push(
      `1-minute load average at start ${fmt(loadBefore, 2)}, at end ${fmt(loadavg()[0]!, 2)} ` +
        '(the two sides run one after the other, so other work on the machine can weigh on one more than the other).',
    );
    if (logFd !== undefined) {
      closeSync(logFd);
      logFd = undefined;
      observations.push(`Access log written during the run: ${fmt(statSync(logFile).size / 1e6, 1)} MB.`);
    }
    return {
      id: ID,
      title: 'Application create + submit vs raw knex writes',
      results: [
        {
          name: 'Application create + submit throughput (HTTP, durable commits, SQLite)',
          figure: Math.round(o.pairsPerSec),
          unit: 'pairs/s',
          baselineName: 'raw knex writes of the same rows, 2 commits/pair',
          baselineFigure: Math.round(b.pairsPerSec),
          ratio,
          goal: { ratio: GOAL, direction: 'higher' },
        },
        {
          name: 'Application create + submit p99 latency per pair (same rounds)',
          figure: o.p99Ms,
          unit: 'ms',
          baselineName: 'raw knex writes of the same rows, 2 commits/pair',
          baselineFigure: b.p99Ms,
          ratio: o.p99Ms / b.p99Ms,
        },
      ],
      method: [
        `Closed loop, ${inflight} pairs in flight on each side. Warm-up per side: at least ${warmup} s and ${WARMUP_PAIRS} pairs (at most ${WARMUP_MAX_S} s; ` +
          `this run: baseline ${warmedUp.baseline.pairs} pairs in ${fmt(warmedUp.baseline.seconds, 1)} s, Overa ${warmedUp.overa.pairs} pairs in ${fmt(warmedUp.overa.seconds, 1)} s), ` +
          `since Overa's CPU per pair keeps falling over its first ~1,500 pairs while V8 optimises the request path. Then ` +
          (rounds === 1 ? `one round of ${duration} s per side (baseline first). ` : `${rounds} rounds of ${duration} s per side, alternating (A B, B A, …); the better round of each is kept. `) +
          'A round ends when the last pair in flight finishes; pairs/s = completed pairs / that time.',
        'Overa: a pair is `POST /api/v1/applications` (certificate-of-residence v1, a complete valid answer; 201) then `POST /api/v1/applications/:id/submit` ' +
          `(200) of that draft, sent with node:http from the runner process over ${inflight} keep-alive connections. ` +
          `The server is \`createApp(config, {db, forms})\` with the full middleware stack and the example forms, in its own child process ` +
          '(`node --import tsx`, NODE_ENV=production) on 127.0.0.1; the runner shares the same cores.' +
          (withKeys ? ' Every request carries a fresh **Idempotency-Key** (BENCH_IDEMPOTENCY_KEYS=1): 4 durable commits per pair.' : ' No Idempotency-Key: 2 durable commits per pair.'),
        'Baseline: bare knex on the same kind of fresh database, in its own child process, same concurrency. Per pair, transaction 1: INSERT the draft ' +
          '`applications` row, INSERT its `audit_log` row, UPDATE `audit_head`; transaction 2: UPDATE the row to submitted (where version = 1), INSERT the ' +
          'second `audit_log` row, UPDATE `audit_head`, and start the approval line as submitting does: INSERT its 2 `case_steps` rows, the open ' +
          'step\'s `case_queue` row and the inbox search terms (`case_terms`). The same rows and the same 2 durable commits per pair as Overa, without its reads, validation, ' +
          'hash-chain reads, async SHA-256 or HTTP (the chain head is kept in memory; row hashes with node:crypto).',
        'Both databases: fresh temp SQLite files opened by `openDatabase` (better-sqlite3, one connection, WAL, **synchronous=FULL**: each commit is ' +
          'fsynced before it is acknowledged; checked at start), migrated, with the demo agency and one citizen.',
        logMode === 'silent'
          ? 'Logging: pino at level **silent** (no access log) — NOT the production setting.'
          : `Logging: production level **info** (one access-log line per request), stdout pointed at ${logMode === 'info-file' ? 'a file' : '/dev/null'}.`,
        'Checks: before loading, one pair succeeds and a wrong JMBG is refused (400 naming data.jmbg); any other answer than 201/200 aborts the run; ' +
          "afterwards Overa's row and audit entry counts must equal the acknowledged pairs and its audit hash chain must verify.",
      ],
      observations,
    };
  } finally {
    agent.destroy();
    if (logFd !== undefined) closeSync(logFd);
    await Promise.all(children.map((c) => c.stop()));
    removeTempDir(tempDir);
    disarm();
  }
}

function log(line: string): void {
  process.stderr.write(`  [${ID}] ${line}\n`);
}

// Started by run() as a child (IPC channel present, role set): be that child.
const role = process.env[ROLE];
if (role !== undefined && process.send) {
  if (role === 'overa') await overaChild();
  else if (role === 'baseline') await baselineChild();
  else throw new Error(`${ROLE}: unknown role "${role}"`);
}
