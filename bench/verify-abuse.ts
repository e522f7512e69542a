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
 * BENCH_ABUSE_DURATION (5) s take turns for BENCH_ABUSE_ROUNDS (6) rounds after a warm-up,
 * with a third kind: the same client sending a PDF of the same size with no signature, which
 * costs the server the upload and nothing of verification — what receiving 24 MiB twice a
 * second costs the other requests by itself. Short phases, many of them, so that every kind
 * sees the same (shared, noisy) machine.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
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

type Phase = 'quiet' | 'hostile' | 'upload';

export async function run(): Promise<BenchReport> {
  const megabytes = num('BENCH_ABUSE_MB', 24);
  const signatures = num('BENCH_ABUSE_SIGNATURES', 20);
  const rate = num('BENCH_ABUSE_RATE', 200);
  const connections = num('BENCH_ABUSE_CONNECTIONS', 8);
  const duration = num('BENCH_ABUSE_DURATION', 5);
  const rounds = num('BENCH_ABUSE_ROUNDS', 6);
  const warmup = num('BENCH_ABUSE_WARMUP', 3);
  const limit = DEFAULT_RATE_LIMITS.verify;
  const intervalMs = (limit.windowSeconds * 1000) / limit.limit;

  const disarm = watchdog(ID, (3 * rounds * duration + 3 * warmup + 180) * 1000);
  const dataDir = mkdtempSync(join(tmpdir(), 'overa-bench-'));
  trackTempDir(dataDir);
  const pki = createTestPki();
  trackTempDir(pki.dir);
  const children: ChildServer[] = [];
  let client: ChildProcess | undefined;
  try {
    // The hostile file: a real CMS (from a genuine seal) in every one of its signature
    // dictionaries; the control: the same size, no signature.
    const genuine = await signEtsiWithOpenssl(pki, await basePdf(), pki.ec);
    const cms = signatureContents(genuine).der;
    const files = { hostile: join(pki.dir, 'hostile.pdf'), upload: join(pki.dir, 'plain.pdf') };
    const hostileBytes = manySignaturesPdf({ size: Math.round(megabytes * 1024 * 1024), signatures, cms });
    writeFileSync(files.hostile, hostileBytes);
    writeFileSync(files.upload, manySignaturesPdf({ size: hostileBytes.length, signatures: 0, cms }));

    const overa = await startChildServer(join(ROOT, 'bench/servers/overa.ts'), { env: { OVERA_DATA_DIR: dataDir, OVERA_FORMS_DIR: join(ROOT, 'examples/forms') } });
    children.push(overa);
    const formsUrl = `${overa.url}/api/v1/forms`;

    // What is measured must be what we think: forms listed, the hostile file refused on its
    // budget, the plain one read (no signature), a genuine seal verified.
    const forms = await fetch(formsUrl);
    const list = (await forms.json()) as { forms?: unknown[] };
    if (forms.status !== 200 || !list.forms?.length) throw new Error(`GET /api/v1/forms: ${forms.status} ${JSON.stringify(list).slice(0, 200)}`);
    const verify = async (bytes: Uint8Array) => {
      const res = await fetch(`${overa.url}/api/v1/verify`, { method: 'POST', headers: { 'Content-Type': 'application/pdf' }, body: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
      return { status: res.status, body: (await res.json()) as { type?: string; reasons?: { code: string }[]; signatures?: unknown[] } };
    };
    const check = await verify(hostileBytes);
    log(`hostile file (${fmt(hostileBytes.length / 1e6, 1)} MB, ${signatures} signatures) → ${check.status} ${check.body.type ?? ''}`);
    const plainCheck = await verify(manySignaturesPdf({ size: 64 * 1024, signatures: 0, cms }));
    if (plainCheck.status !== 200 || plainCheck.body.reasons?.[0]?.code !== 'no-signature') throw new Error(`POST /api/v1/verify with no signature: ${plainCheck.status}`);
    const real = await verify(genuine);
    if (real.status !== 200 || real.body.signatures?.length !== 1) throw new Error(`POST /api/v1/verify with a genuine seal: ${real.status}`);

    client = await startHostile();
    const phase = async (kind: Phase, seconds: number): Promise<{ probe: Probe; ran?: Ran }> => {
      if (kind === 'quiet') return { probe: await probe(formsUrl, rate, connections, seconds) };
      const [p, ran] = await Promise.all([probe(formsUrl, rate, connections, seconds), hostileRun(client!, { url: overa.url, file: files[kind], intervalMs, durationMs: seconds * 1000 })]);
      return { probe: p, ran };
    };
    log(`warm-up: ${warmup} s of each phase`);
    for (const kind of ['quiet', 'upload', 'hostile'] as const) await phase(kind, warmup);

    const seen: Record<Phase, { probe: Probe; ran?: Ran }[]> = { quiet: [], hostile: [], upload: [] };
    const load0 = loadavg()[0]!;
    const orders: Phase[][] = [['quiet', 'hostile', 'upload'], ['hostile', 'upload', 'quiet'], ['upload', 'quiet', 'hostile']];
    for (let i = 0; i < rounds; i++) {
      for (const kind of orders[i % orders.length]!) {
        const r = await phase(kind, duration);
        seen[kind].push(r);
        const lat = r.probe.latencies;
        const extra = r.ran ? `; verify: ${JSON.stringify(r.ran.statuses)}, median ${percentile(r.ran.ms, 0.5).toFixed(0)} ms` : '';
        log(`round ${i + 1} ${kind.padEnd(8)} p50 ${percentile(lat, 0.5).toFixed(2)} ms  p99 ${percentile(lat, 0.99).toFixed(2)} ms  (${lat.length} answers${extra})`);
      }
    }
    const load1 = loadavg()[0]!;
    for (const r of Object.values(seen).flat()) {
      if (r.probe.non2xx || r.probe.errors) throw new Error(`GET /api/v1/forms: ${r.probe.non2xx} non-2xx answers, ${r.probe.errors} errors or timeouts — refusing to report a figure`);
    }

    const all = (kind: Phase) => seen[kind].flatMap((r) => r.probe.latencies);
    const p99 = (kind: Phase) => percentile(all(kind), 0.99);
    const q99 = p99('quiet');
    const h99 = p99('hostile');
    const u99 = p99('upload');
    const ratio = h99 / q99;
    const roundRatios = (kind: Phase) => seen[kind].map((r, i) => percentile(r.probe.latencies, 0.99) / percentile(seen.quiet[i]!.probe.latencies, 0.99));
    const answers = (kind: Phase) => {
      const statuses: Record<string, number> = {};
      for (const r of seen[kind]) for (const [code, n] of Object.entries(r.ran?.statuses ?? {})) statuses[code] = (statuses[code] ?? 0) + n;
      const ms = seen[kind].flatMap((r) => r.ran?.ms ?? []);
      return `${ms.length} sent, answered ${Object.entries(statuses).map(([code, n]) => `${n} × ${code}`).join(', ')}; their own latency median ${percentile(ms, 0.5).toFixed(0)} ms, p99 ${percentile(ms, 0.99).toFixed(0)} ms`;
    };
    log(`p99 quiet ${q99.toFixed(2)} ms, under abuse ${h99.toFixed(2)} ms: ratio ${ratio.toFixed(2)}× (goal ≤ ${GOAL}×): ${ratio <= GOAL ? 'PASS' : 'BELOW'}; a plain upload of the same size: ${u99.toFixed(2)} ms (${(u99 / q99).toFixed(2)}×)`);
    const size = `${fmt(hostileBytes.length / 1024 / 1024, 0)} MiB`;
    const perSecond = fmt(1000 / intervalMs, 0);

    return {
      id: ID,
      title: `GET /api/v1/forms while a client sends ${size} PDFs of ${signatures} whole-file signatures to POST /api/v1/verify at the rate limit`,
      results: [
        {
          name: `GET /api/v1/forms p99 latency under abuse (${rate} req/s; ${size} PDFs of ${signatures} whole-file signatures to POST /verify, ${perSecond}/s)`,
          figure: h99,
          unit: 'ms',
          baselineName: 'the same p99 with no hostile client',
          baselineFigure: q99,
          ratio,
          goal: { ratio: GOAL, direction: 'lower' },
        },
        {
          name: `GET /api/v1/forms p99 latency while ${size} PDFs with no signature go to POST /verify, ${perSecond}/s (the upload alone, for comparison)`,
          figure: u99,
          unit: 'ms',
          baselineName: 'the same p99 with no hostile client',
          baselineFigure: q99,
          ratio: u99 / q99,
        },
      ],
      method: [
        `The hostile PDF: ${size} (an incompressible filler stream) and ${signatures} signature dictionaries whose /ByteRange each covers the whole file, each with the detached CMS of a genuine seal (\`test/helpers/hostile-pdf.ts\`); unbounded, each would be hashed ${signatures} times. The control: a PDF of the same size with no signature, which costs the server the same upload, spooling and scan, and no verification.`,
        `One client in its own process (\`bench/lib/hostile-client.ts\`) sends one of them to \`POST /api/v1/verify\` every ${intervalMs} ms — the default \`verify\` rate limit (${limit.limit} per ${limit.windowSeconds} s) — whether or not the previous one was answered.`,
        `The probe: autocannon 8 in the runner process, \`GET /api/v1/forms\` (the five example forms) at a fixed ${rate} req/s over ${connections} connections (an ordinary load, not a saturating one); every answer's latency is kept at full resolution (its \`response\` event; autocannon's own histogram has 1 ms buckets) and the p99 of all answers of all phases of a kind is the figure.`,
        `After ${warmup} s of warm-up of each kind, phases of ${duration} s — quiet, hostile, plain upload — take turns for ${rounds} rounds, in a rotating order: short phases, many of them, so that every kind sees the same (shared, noisy) machine.`,
        'Overa: `createApp` behind `createHttpServer` as `overa start` runs it, default configuration (verification limits included), a fresh SQLite database, production log level (access log to /dev/null), in its own child process on 127.0.0.1; the load generator and the sending client share the same cores.',
        'Every run first checks that the forms are listed, that the hostile file is answered, that a file with no signature is read (`no-signature`) and that a genuine seal verifies (200); a phase with a non-2xx forms answer or an error aborts the benchmark.',
      ],
      observations: [
        `Per round p99 (ms): quiet ${seen.quiet.map((r) => percentile(r.probe.latencies, 0.99).toFixed(1)).join(', ')}; under abuse ${seen.hostile.map((r) => percentile(r.probe.latencies, 0.99).toFixed(1)).join(', ')}; plain upload ${seen.upload.map((r) => percentile(r.probe.latencies, 0.99).toFixed(1)).join(', ')}. ` +
          `Median of the rounds' own ratios to quiet: under abuse ${percentile(roundRatios('hostile'), 0.5).toFixed(2)}×, plain upload ${percentile(roundRatios('upload'), 0.5).toFixed(2)}×.`,
        `p50 (ms): quiet ${percentile(all('quiet'), 0.5).toFixed(2)}, under abuse ${percentile(all('hostile'), 0.5).toFixed(2)}, plain upload ${percentile(all('upload'), 0.5).toFixed(2)}; answers counted: ${all('quiet').length}, ${all('hostile').length}, ${all('upload').length}.`,
        `Hostile requests: ${answers('hostile')} (uploading ${size} over loopback included); before the run: ${check.status} \`${check.body.type?.replace(/^.*\//, '') ?? ''}\`.`,
        `Plain uploads: ${answers('upload')}.`,
        `Load average (1 min) ${load0.toFixed(2)} before the rounds, ${load1.toFixed(2)} after (${availableParallelism()} CPUs, shared with other work).`,
      ],
    };
  } finally {
    client?.kill();
    await Promise.all(children.map((c) => c.stop()));
    removeTempDir(dataDir);
    removeTempDir(pki.dir);
    disarm();
  }
}
