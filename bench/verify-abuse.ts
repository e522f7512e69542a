/**
 * GET /api/v1/forms latency while one client sends hostile PDFs to POST /api/v1/verify at the
 * rate limit, against the same latency with no hostile client, in one run (issue 15). Goal:
 * the p99 under abuse at most 2× the quiet p99.
 *
 * The hostile PDF: BENCH_ABUSE_MB (24) MiB with BENCH_ABUSE_SIGNATURES (20) signature
 * dictionaries whose /ByteRange each covers the whole file, each holding a real detached CMS
 * (test/helpers/hostile-pdf.ts): unbounded, each request hashed the whole file twenty times.
 * It is sent by a client in its own process (bench/lib/hostile-client.ts) at exactly the
 * default `verify` rate limit (120 per 60 s: one every 500 ms), whether or not the previous
 * one has been answered.
 *
 * The probe: autocannon in this process, GET /api/v1/forms (the example forms) at a fixed
 * BENCH_ABUSE_RATE (200) requests per second over BENCH_ABUSE_CONNECTIONS (8) connections —
 * an ordinary load, not a saturating one, so that latency says how long other requests are
 * held up, not how long a queue is. Every answer's latency is kept at full resolution (the
 * `response` event; autocannon's own histogram has 1 ms buckets) and the p99 of all the
 * answers of all phases of a kind is the figure. Quiet and hostile phases of
 * BENCH_ABUSE_DURATION (5) s alternate for BENCH_ABUSE_ROUNDS (6) rounds after a warm-up:
 * short phases, many of them, so that both kinds see the same (shared, noisy) machine.
 * BENCH_ABUSE_SIGNATURES=0 sends a file of the same size with no signature instead: what
 * receiving the upload alone costs the other requests.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { BenchReport } from './lib/types.ts';
import { startChildServer, ROOT, type ChildServer } from './lib/child-server.ts';
import { trackTempDir, removeTempDir, watchdog } from './lib/cleanup.ts';
import { fmt, num } from './lib/numbers.ts';
import { DEFAULT_RATE_LIMITS } from '../server/config.ts';
import { basePdf, createTestPki, signEtsiWithOpenssl, signatureContents } from '../test/helpers/pdf-sign.ts';
import { manySignaturesPdf } from '../test/helpers/hostile-pdf.ts';

const ID = 'verify-abuse';
const GOAL = 2;

interface Ran {
  type: 'ran';
  sent: number;
  statuses: Record<string, number>;
  ms: number[];
}

interface Probe {
  latencies: number[];
  non2xx: number;
  errors: number;
}

function log(line: string): void {
  process.stderr.write(`  [${ID}] ${line}\n`);
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)] ?? NaN;
}

/** GET `url` at `rate` per second for `duration` s; every answer's latency, at full resolution. */
function probe(url: string, rate: number, connections: number, duration: number): Promise<Probe> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections, overallRate: rate, duration, pipelining: 1, timeout: 10 }, (err, result) => {
      if (err) return reject(err);
      resolve({ latencies, non2xx: result.non2xx, errors: result.errors + result.timeouts });
    });
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
}

function startHostile(): Promise<ChildProcess> {
  const child = fork(join(ROOT, 'bench/lib/hostile-client.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { type?: string }) => (m?.type === 'ready' ? resolve(child) : reject(new Error(`hostile client: ${JSON.stringify(m)}`))));
    child.once('exit', (code) => reject(new Error(`hostile client exited (${code})`)));
  });
}

function hostileRun(child: ChildProcess, run: { url: string; file: string; intervalMs: number; durationMs: number }): Promise<Ran> {
  return new Promise((resolve) => {
    const onMessage = (m: Ran) => {
      if (m?.type !== 'ran') return;
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    child.send({ type: 'run', ...run });
  });
}

export async function run(): Promise<BenchReport> {
  const megabytes = num('BENCH_ABUSE_MB', 24);
  // 0 is allowed: a file of the same size with no signature, to see what the upload alone costs.
  const signatures = process.env.BENCH_ABUSE_SIGNATURES === '0' ? 0 : num('BENCH_ABUSE_SIGNATURES', 20);
  const rate = num('BENCH_ABUSE_RATE', 200);
  const connections = num('BENCH_ABUSE_CONNECTIONS', 8);
  const duration = num('BENCH_ABUSE_DURATION', 5);
  const rounds = num('BENCH_ABUSE_ROUNDS', 6);
  const warmup = num('BENCH_ABUSE_WARMUP', 3);
  const limit = DEFAULT_RATE_LIMITS.verify;
  const intervalMs = (limit.windowSeconds * 1000) / limit.limit;

  const disarm = watchdog(ID, (2 * rounds * duration + 2 * warmup + 180) * 1000);
  const dataDir = mkdtempSync(join(tmpdir(), 'overa-bench-'));
  trackTempDir(dataDir);
  const pki = createTestPki();
  trackTempDir(pki.dir);
  const children: ChildServer[] = [];
  let hostile: ChildProcess | undefined;
  try {
    // The hostile file: a real CMS (from a genuine seal) in every one of its signature dictionaries.
    const genuine = await signEtsiWithOpenssl(pki, await basePdf(), pki.ec);
    const file = join(pki.dir, 'hostile.pdf');
    const bytes = manySignaturesPdf({ size: Math.round(megabytes * 1024 * 1024), signatures, cms: signatureContents(genuine).der });
    writeFileSync(file, bytes);

    const overa = await startChildServer(join(ROOT, 'bench/servers/overa.ts'), { env: { OVERA_DATA_DIR: dataDir, OVERA_FORMS_DIR: join(ROOT, 'examples/forms') } });
    children.push(overa);
    const formsUrl = `${overa.url}/api/v1/forms`;

    // What is measured must be what we think: forms listed, the hostile file refused on its budget, a genuine one verified.
    const forms = await fetch(formsUrl);
    const list = (await forms.json()) as { forms?: unknown[] };
    if (forms.status !== 200 || !list.forms?.length) throw new Error(`GET /api/v1/forms: ${forms.status} ${JSON.stringify(list).slice(0, 200)}`);
    const check = await fetch(`${overa.url}/api/v1/verify`, { method: 'POST', headers: { 'Content-Type': 'application/pdf' }, body: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
    const checkBody = (await check.json()) as { type?: string; detail?: string };
    log(`hostile file (${fmt(bytes.length / 1e6, 1)} MB, ${signatures} signatures) → ${check.status} ${checkBody.type ?? ''}`);
    const real = await fetch(`${overa.url}/api/v1/verify`, { method: 'POST', headers: { 'Content-Type': 'application/pdf' }, body: new Blob([genuine as Uint8Array<ArrayBuffer>]) });
    const realBody = (await real.json()) as { signatures?: unknown[] };
    if (real.status !== 200 || realBody.signatures?.length !== 1) throw new Error(`POST /api/v1/verify with a genuine seal: ${real.status}`);

    hostile = await startHostile();
    log(`warm-up: ${warmup} s quiet, ${warmup} s hostile`);
    await probe(formsUrl, rate, connections, warmup);
    await Promise.all([probe(formsUrl, rate, connections, warmup), hostileRun(hostile, { url: overa.url, file, intervalMs, durationMs: warmup * 1000 })]);

    const quiet: Probe[] = [];
    const abused: Probe[] = [];
    const sent: Ran[] = [];
    const load0 = loadavg()[0]!;
    for (let i = 0; i < rounds; i++) {
      const phases = i % 2 === 0 ? (['quiet', 'hostile'] as const) : (['hostile', 'quiet'] as const);
      for (const phase of phases) {
        if (phase === 'quiet') {
          const p = await probe(formsUrl, rate, connections, duration);
          quiet.push(p);
          log(`round ${i + 1} quiet    p50 ${percentile(p.latencies, 0.5).toFixed(2)} ms  p99 ${percentile(p.latencies, 0.99).toFixed(2)} ms  (${p.latencies.length} answers)`);
        } else {
          const [p, h] = await Promise.all([probe(formsUrl, rate, connections, duration), hostileRun(hostile, { url: overa.url, file, intervalMs, durationMs: duration * 1000 })]);
          abused.push(p);
          sent.push(h);
          log(`round ${i + 1} hostile  p50 ${percentile(p.latencies, 0.5).toFixed(2)} ms  p99 ${percentile(p.latencies, 0.99).toFixed(2)} ms  (${p.latencies.length} answers; verify: ${JSON.stringify(h.statuses)}, median ${percentile(h.ms, 0.5).toFixed(0)} ms)`);
        }
      }
    }
    const load1 = loadavg()[0]!;
    for (const p of [...quiet, ...abused]) if (p.non2xx || p.errors) throw new Error(`GET /api/v1/forms: ${p.non2xx} non-2xx answers, ${p.errors} errors or timeouts — refusing to report a figure`);

    const all = (ps: Probe[]) => ps.flatMap((p) => p.latencies);
    const q99 = percentile(all(quiet), 0.99);
    const h99 = percentile(all(abused), 0.99);
    const ratio = h99 / q99;
    const statuses: Record<string, number> = {};
    for (const h of sent) for (const [s, n] of Object.entries(h.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
    const hostileMs = sent.flatMap((h) => h.ms);
    const verdict = ratio <= GOAL ? 'PASS' : 'BELOW';
    log(`p99 quiet ${q99.toFixed(2)} ms, under abuse ${h99.toFixed(2)} ms: ratio ${ratio.toFixed(2)}× (goal ≤ ${GOAL}×): ${verdict}`);
    const size = `${fmt(bytes.length / 1024 / 1024, 0)} MiB`;

    return {
      id: ID,
      title: `GET /api/v1/forms while a client sends ${size} PDFs of ${signatures} whole-file signatures to POST /api/v1/verify at the rate limit`,
      results: [
        {
          name: `GET /api/v1/forms p99 latency under abuse (${rate} req/s; hostile ${size} ${signatures}-signature PDFs, ${fmt(1000 / intervalMs, 0)}/s)`,
          figure: h99,
          unit: 'ms',
          baselineName: 'the same p99 with no hostile client',
          baselineFigure: q99,
          ratio,
          goal: { ratio: GOAL, direction: 'lower' },
        },
      ],
      method: [
        `The hostile PDF: ${size} (an incompressible filler stream) and ${signatures} signature dictionaries whose /ByteRange each covers the whole file, each with the detached CMS of a genuine seal (\`test/helpers/hostile-pdf.ts\`).`,
        `One client in its own process sends it to \`POST /api/v1/verify\` every ${intervalMs} ms — the default \`verify\` rate limit (${limit.limit} per ${limit.windowSeconds} s) — whether or not the previous one was answered.`,
        `The probe: autocannon 8 in the runner process, \`GET /api/v1/forms\` (the five example forms) at a fixed ${rate} req/s over ${connections} connections (an ordinary load, not a saturating one); every answer's latency is kept at full resolution (its \`response\` event) and the p99 of all answers of a phase is the figure.`,
        `After ${warmup} s of warm-up each, quiet and hostile phases of ${duration} s alternate for ${rounds} rounds (quiet first, then hostile first, …).`,
        'Overa: `createApp` behind `createHttpServer` as `overa start` runs it, default configuration (verification limits included), a fresh SQLite database, production log level (access log to /dev/null), in its own child process on 127.0.0.1; the load generator and the hostile client share the same cores.',
        'Every run first checks that the forms are listed, that the hostile file is answered and that a genuine seal verifies (200); a phase with a non-2xx forms answer or an error aborts the benchmark.',
      ],
      observations: [
        `Per round p99 (ms): quiet ${quiet.map((p) => percentile(p.latencies, 0.99).toFixed(2)).join(', ')}; under abuse ${abused.map((p) => percentile(p.latencies, 0.99).toFixed(2)).join(', ')}; ` +
          `the median of the rounds' own ratios ${percentile(abused.map((p, i) => percentile(p.latencies, 0.99) / percentile(quiet[i]!.latencies, 0.99)), 0.5).toFixed(2)}×.`,
        `p50 (ms): quiet ${percentile(all(quiet), 0.5).toFixed(2)}, under abuse ${percentile(all(abused), 0.5).toFixed(2)}; answers counted: ${all(quiet).length} quiet, ${all(abused).length} under abuse.`,
        `Hostile requests: ${hostileMs.length} sent, answered ${Object.entries(statuses).map(([s, n]) => `${n} × ${s}`).join(', ')} (before the run: ${check.status} \`${checkBody.type?.replace(/^.*\//, '') ?? ''}\`); their own latency median ${percentile(hostileMs, 0.5).toFixed(0)} ms, p99 ${percentile(hostileMs, 0.99).toFixed(0)} ms (uploading ${size} over loopback included).`,
        `Load average (1 min) ${load0.toFixed(2)} before the rounds, ${load1.toFixed(2)} after (2 cores, shared).`,
      ],
    };
  } finally {
    hostile?.kill();
    await Promise.all(children.map((c) => c.stop()));
    removeTempDir(dataDir);
    removeTempDir(pki.dir);
    disarm();
  }
}
