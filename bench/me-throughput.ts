/**
 * GET /api/v1/me (bearer token, SQLite) against a bare Koa 3 hello world, in one run.
 *
 * Both servers run in their own child process on 127.0.0.1; autocannon runs in this process.
 * After one warm-up each, the two are measured alternately (A B, B A, ...) and the better
 * round of each is kept. Goal: Overa's /me at least 0.5× the bare app's req/s.
 *
 * Knobs (environment): BENCH_CONNECTIONS (50), BENCH_DURATION (s, 10), BENCH_WARMUP (s, 2),
 * BENCH_ROUNDS (2), BENCH_OVERA_LOG: `info` (default: production level, lines to /dev/null),
 * `info-file` (production level, lines to a file in the temp folder) or `silent`.
 */
import { mkdtempSync, openSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchReport } from './lib/types.ts';
import { startChildServer, ROOT, type ChildServer, type ReadyMessage } from './lib/child-server.ts';
import { measure, type LoadFigures } from './lib/load.ts';
import { trackTempDir, removeTempDir, watchdog } from './lib/cleanup.ts';
import { fmt, num } from './lib/numbers.ts';

interface OveraReady extends ReadyMessage {
  token: string;
  userId: string;
  logLevel: string;
}

const GOAL = 0.5;


export async function run(): Promise<BenchReport> {
  const connections = num('BENCH_CONNECTIONS', 50);
  const duration = num('BENCH_DURATION', 10);
  const warmup = num('BENCH_WARMUP', 2);
  const rounds = num('BENCH_ROUNDS', 2);
  const logMode = process.env.BENCH_OVERA_LOG ?? 'info';
  if (!['info', 'info-file', 'silent'].includes(logMode)) throw new Error(`BENCH_OVERA_LOG: "${logMode}" is not info, info-file or silent`);

  // Start-up, warm-ups, the rounds, and a minute of slack for start-up and shutdown.
  const disarm = watchdog('me-throughput', (2 * warmup + 2 * rounds * duration + 60) * 1000);
  const dataDir = mkdtempSync(join(tmpdir(), 'overa-bench-'));
  trackTempDir(dataDir);
  let logFd: number | undefined;
  const children: ChildServer[] = [];
  try {
    const logFile = join(dataDir, 'access.log');
    if (logMode === 'info-file') logFd = openSync(logFile, 'w');
    const bare = await startChildServer(join(ROOT, 'bench/servers/bare-koa.ts'));
    children.push(bare);
    const overa = await startChildServer<OveraReady>(join(ROOT, 'bench/servers/overa.ts'), {
      env: { OVERA_DATA_DIR: dataDir, BENCH_LOG_LEVEL: logMode === 'silent' ? 'silent' : 'info' },
      stdout: logFd ?? 'ignore',
    });
    children.push(overa);
    const meUrl = `${overa.url}/api/v1/me`;
    const auth = { Authorization: `Bearer ${overa.ready.token}` };

    // The figure must be of real, authenticated answers: check before loading.
    const bareCheck = await fetch(`${bare.url}/`);
    if (bareCheck.status !== 200 || (await bareCheck.text()) !== 'Hello World') throw new Error(`bare Koa: unexpected answer ${bareCheck.status}`);
    const me = await fetch(meUrl, { headers: auth });
    const meBody = (await me.json()) as { user?: { id?: string } };
    if (me.status !== 200 || meBody.user?.id !== overa.ready.userId) {
      throw new Error(`overa /me: expected 200 with user ${overa.ready.userId}, got ${me.status} ${JSON.stringify(meBody)}`);
    }
    const forged = await fetch(meUrl, { headers: { Authorization: `Bearer ${'x'.repeat(43)}` } });
    if (forged.status !== 401) throw new Error(`overa /me with an unknown token: expected 401, got ${forged.status}`);
    await forged.arrayBuffer();
    log(`checked: bare / → 200 "Hello World"; overa /me → 200 {user: ${overa.ready.userId}}, unknown token → 401`);

    const targets = {
      bare: { label: 'bare Koa 3 hello world', opts: { url: `${bare.url}/`, connections } },
      overa: { label: 'Overa GET /api/v1/me', opts: { url: meUrl, connections, headers: auth } },
    };
    for (const key of ['bare', 'overa'] as const) {
      log(`warm-up ${targets[key].label} (${warmup} s)`);
      await measure({ ...targets[key].opts, duration: warmup });
    }
    const seen: Record<'bare' | 'overa', LoadFigures[]> = { bare: [], overa: [] };
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? (['bare', 'overa'] as const) : (['overa', 'bare'] as const);
      for (const key of order) {
        const f = await measure({ ...targets[key].opts, duration });
        seen[key].push(f);
        log(`round ${i + 1} ${targets[key].label.padEnd(24)} ${fmt(f.reqPerSec).padStart(7)} req/s   p50 ${f.p50Ms} ms   p99 ${f.p99Ms} ms`);
      }
    }
    const best = (list: LoadFigures[]) => list.reduce((a, b) => (b.reqPerSec > a.reqPerSec ? b : a));
    const b = best(seen.bare);
    const o = best(seen.overa);
    const ratio = o.reqPerSec / b.reqPerSec;
    const verdict = ratio >= GOAL ? 'PASS' : 'BELOW';
    log(`best: bare ${fmt(b.reqPerSec)} req/s (p99 ${b.p99Ms} ms), overa /me ${fmt(o.reqPerSec)} req/s (p99 ${o.p99Ms} ms)`);
    log(`ratio overa/bare = ${ratio.toFixed(2)}× (goal ≥ ${GOAL}×): ${verdict}`);

    const observations = [
      `Per round (req/s): bare ${seen.bare.map((f) => fmt(f.reqPerSec)).join(', ')}; overa /me ${seen.overa.map((f) => fmt(f.reqPerSec)).join(', ')}.`,
      `p50 latency of the kept rounds: bare ${b.p50Ms} ms, overa /me ${o.p50Ms} ms.`,
    ];
    if (logFd !== undefined) {
      closeSync(logFd);
      logFd = undefined;
      observations.push(`Access log written during the run: ${fmt(statSync(logFile).size / 1e6, 1)} MB.`);
    }
    return {
      id: 'me-throughput',
      title: 'GET /api/v1/me vs bare Koa',
      results: [
        {
          name: 'GET /api/v1/me throughput (bearer token, SQLite)',
          figure: Math.round(o.reqPerSec),
          unit: 'req/s',
          baselineName: 'bare Koa 3 hello world',
          baselineFigure: Math.round(b.reqPerSec),
          ratio,
          goal: { ratio: GOAL, direction: 'higher' },
        },
        {
          name: 'GET /api/v1/me p99 latency (same rounds)',
          figure: o.p99Ms,
          unit: 'ms',
          baselineName: 'bare Koa 3 hello world',
          baselineFigure: b.p99Ms,
          ratio: o.p99Ms / b.p99Ms,
        },
      ],
      method: [
        `autocannon 8 (programmatic, in the runner process), ${connections} connections, pipelining 1, ` +
          `${warmup} s warm-up each, then ${rounds} alternating rounds of ${duration} s each (A B, B A, …); the better round of each is kept.`,
        'Each server runs in its own child process (`node --import tsx`, NODE_ENV=production) on 127.0.0.1; the load generator shares the same cores.',
        'Overa: `createApp(config, {db})` with the full middleware stack (errors, request id, access log, helmet, CORS, body, bearer authentication, router), ' +
          'a fresh temp SQLite database (WAL, better-sqlite3) with one citizen and one session; every request reads the session joined with its user.',
        'What was measured on the way from 0.09× to this figure, what was tried and not kept, and where the rest of the time goes: docs/decisions.md.',
        logMode === 'silent'
          ? 'Logging: pino at level **silent** (no access log) — NOT the production setting.'
          : `Logging: production level **info** (one access-log line per request, pino's default synchronous stdout), stdout pointed at ${logMode === 'info-file' ? 'a file' : '/dev/null'}.`,
        'Every run first asserts that /me answers 200 with the seeded user (and 401 for an unknown token); a round with any non-2xx answer, error or timeout aborts the benchmark.',
      ],
      observations,
    };
  } finally {
    if (logFd !== undefined) closeSync(logFd);
    await Promise.all(children.map((c) => c.stop()));
    removeTempDir(dataDir);
    disarm();
  }
}

function log(line: string): void {
  process.stderr.write(`  [me-throughput] ${line}\n`);
}
