/**
 * One 10 MB sealed PDF verified by Overa and by poppler's `pdfsig`, like with like:
 *
 * - Cold, the way both are used from a shell: `overa verify FILE` as a process per run beside
 *   `pdfsig FILE` as a process per run, the same file and the same number of runs, alternating.
 *   Goal: Overa at least as fast (ratio ≤ 1).
 * - Warm: core's `verifyDocument` repeated in a running Node process (as a server keeps it),
 *   against its own floor in the same process: reading the file and one WebCrypto SHA-256 over
 *   all of it. pdfsig has no warm mode, so it has no row here.
 *
 * The PDF: one page, Overa's evidence file (two real passkey signatures) and a 10 MB
 * incompressible attachment (a stand-in for scanned enclosures), sealed ETSI.CAdES.detached
 * (EC P-256, a CMS made by OpenSSL over pdf-lib's ranges, as test/helpers/pdf-sign.ts does)
 * under a test root that pdfsig's NSS database trusts and `overa verify --trust` is given.
 * Everything starts from the file on disk (page cache). The warm verifier runs in a Node
 * process of its own that loads only the verifier (bench/servers/verifier.ts, timed inside it).
 * After warm-ups the medians are kept.
 *
 * Knobs (environment): BENCH_VERIFY_MB (10), BENCH_VERIFY_ROUNDS (21), BENCH_VERIFY_WARMUP (3).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchReport } from './lib/types.ts';
import { trackTempDir, removeTempDir, watchdog } from './lib/cleanup.ts';
import { ROOT } from './lib/child-server.ts';
import { fmt, num } from './lib/numbers.ts';
import { basePdf, createTestPki, evidenceFile, passkeyEvidence, SAMPLE_APPLICATION, signEtsiWithOpenssl, type TestPki } from '../test/helpers/pdf-sign.ts';

const ID = 'verify-node';
const GOAL = 1;

/** CPU time (ms) of this process's waited-for children so far, from /proc (Linux; 10 ms ticks). */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // After "pid (comm) ": state is field 3, cutime 16 and cstime 17 (1-based) → 13 and 14 here.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

interface Verified {
  type: 'verified';
  ms: number;
  cpuMs: number;
  indication: string;
  entries: number;
}

/** bench/servers/verifier.ts in its own process (`node --import tsx`, IPC), once it says it is ready. */
function startVerifier(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/servers/verifier.ts')], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`verifier child not ready after 30 s\n${stderr}`));
    }, 30_000);
    child.on('message', (msg: { type?: string }) => {
      if (msg?.type === 'ready') {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`verifier child exited (${code})\n${stderr}`));
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export async function makeSealedPdf(pki: TestPki, filler: number, path: string): Promise<number> {
  const evidence = await passkeyEvidence(SAMPLE_APPLICATION);
  const unsigned = await basePdf({
    attachments: [
      { name: 'overa-evidence.json', bytes: evidenceFile(SAMPLE_APPLICATION, [evidence, evidence]) },
      { name: 'enclosure-scan.bin', bytes: new Uint8Array(randomBytes(filler)) },
    ],
  });
  const sealed = await signEtsiWithOpenssl(pki, unsigned, pki.ec);
  writeFileSync(path, sealed);
  return sealed.length;
}

/** A process per run, waited for: its wall time and the CPU time it used (all threads, from /proc). */
function timeProcess(command: string, args: string[], check: (r: { status: number | null; stdout: string }) => boolean, what: string): { ms: number; cpuMs: number | undefined } {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(command, args, { encoding: 'latin1', cwd: ROOT });
  const ms = performance.now() - t0;
  const cpu1 = childrenCpuMs();
  if (!check({ status: r.status, stdout: `${r.stdout}` })) throw new Error(`${what} changed its mind (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return { ms, cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}

export async function run(): Promise<BenchReport> {
  const megabytes = num('BENCH_VERIFY_MB', 10);
  const rounds = num('BENCH_VERIFY_ROUNDS', 21);
  const warmup = num('BENCH_VERIFY_WARMUP', 3);
  // Processes per run on 2 shared cores: a `node` start alone can take a second under load.
  const disarm = watchdog(ID, 900_000);
  const pki = createTestPki();
  trackTempDir(pki.dir);
  const children: ChildProcess[] = [];
  try {
    const filler = Math.round(megabytes * 1024 * 1024) - 64 * 1024;
    const path = join(pki.dir, 'sealed.pdf');
    // Made in a function of its own, so nothing of the making stays in this heap while timing.
    const size = await makeSealedPdf(pki, filler, path);
    const rootPath = join(pki.dir, 'root.pem');
    const trustAnchors = [readFileSync(rootPath, 'utf8')];

    const overaArgs = [join(ROOT, 'bin/overa.js'), 'verify', path, '--trust', rootPath];
    const overaPassed = (r: { status: number | null; stdout: string }) => r.status === 0 && r.stdout.startsWith('TOTAL_PASSED: 3 of 3');
    const pdfsigArgs = ['-nssdir', pki.nss, path];
    const pdfsigPassed = (r: { stdout: string }) => /Signature is Valid/.test(r.stdout) && /Certificate is Trusted/.test(r.stdout) && /Total document signed/.test(r.stdout);
    const overaProcess = () => timeProcess(process.execPath, overaArgs, overaPassed, 'overa verify');
    const pdfsigProcess = () => timeProcess('pdfsig', pdfsigArgs, pdfsigPassed, 'pdfsig');

    // All must say the file is fine before any is timed (each check throws otherwise).
    pdfsigProcess();
    overaProcess();
    const verifier = await startVerifier();
    children.push(verifier);
    const ask = <T extends { type: string }>(job: Record<string, unknown>, answer: string) =>
      new Promise<T>((resolve, reject) => {
        const onMessage = (msg: T) => {
          if (msg?.type !== answer) return;
          verifier.off('message', onMessage);
          resolve(msg);
        };
        verifier.on('message', onMessage);
        if (!verifier.send(job)) reject(new Error('the verifier child is gone'));
      });
    const warm = async () => {
      const r = await ask<Verified>({ type: 'verify', path, trustAnchors }, 'verified');
      if (r.indication !== 'TOTAL_PASSED' || r.entries !== 3) throw new Error(`verifyDocument does not pass the file: ${JSON.stringify(r)}`);
      return r;
    };
    // The floor of the warm row: reading the file and one WebCrypto SHA-256 over all of it, in the same child.
    const hash = async () => (await ask<{ type: string; ms: number }>({ type: 'hash', path }, 'hashed')).ms;
    await warm();

    for (let i = 0; i < warmup; i++) {
      overaProcess();
      pdfsigProcess();
      await warm();
      await hash();
    }

    const load0 = loadavg()[0]!;
    // Cold: the two processes, alternating who goes first so neither always runs on a warmer cache.
    const overa: { ms: number; cpuMs: number | undefined }[] = [];
    const pdfsig: { ms: number; cpuMs: number | undefined }[] = [];
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        overa.push(overaProcess());
        pdfsig.push(pdfsigProcess());
      } else {
        pdfsig.push(pdfsigProcess());
        overa.push(overaProcess());
      }
    }
    // Warm: verifyDocument and its floor, alternating the same way.
    const warmMs: number[] = [];
    const warmCpu: number[] = [];
    const hashMs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const w = async () => {
        const r = await warm();
        warmMs.push(r.ms);
        warmCpu.push(r.cpuMs);
      };
      if (i % 2 === 0) {
        await w();
        hashMs.push(await hash());
      } else {
        hashMs.push(await hash());
        await w();
      }
    }
    // How much of a process run is Node starting at all: a bare `node -e 0`, same count.
    const bareNode = Array.from({ length: Math.min(rounds, 7) }, () => timeProcess(process.execPath, ['-e', '0'], (r) => r.status === 0, 'node -e 0').ms);
    const load1 = loadavg()[0]!;

    const o = median(overa.map((x) => x.ms));
    const t = median(pdfsig.map((x) => x.ms));
    const cpu = (xs: { cpuMs: number | undefined }[]) => (xs.every((x) => x.cpuMs !== undefined) ? xs.reduce((a, x) => a + x.cpuMs!, 0) / xs.length : undefined);
    const oCpu = cpu(overa);
    const tCpu = cpu(pdfsig);
    const w = median(warmMs);
    const h = median(hashMs);
    const mb = fmt(size / 1e6, 1);
    return {
      id: ID,
      title: `Verify a ${mb} MB sealed PDF: \`overa verify\` vs pdfsig, each a process per run; verifyDocument warm in Node vs hashing the file`,
      results: [
        {
          name: `\`overa verify FILE\`, a process per run, ${mb} MB sealed PDF (median wall time; seal + 2 passkey signatures)`,
          figure: o,
          unit: 'ms',
          baselineName: '`pdfsig FILE` (poppler 22.12), a process per run, same file and runs',
          baselineFigure: t,
          ratio: o / t,
          goal: { ratio: GOAL, direction: 'lower' },
        },
        ...(oCpu === undefined || tCpu === undefined
          ? []
          : [
              {
                name: 'CPU time per process run, all threads (same runs)',
                figure: oCpu,
                unit: 'ms',
                baselineName: 'pdfsig, from /proc (10 ms ticks)',
                baselineFigure: tCpu,
                ratio: oCpu / tCpu,
              },
            ]),
        {
          name: `verifyDocument warm in a running Node process, ${mb} MB sealed PDF (median)`,
          figure: w,
          unit: 'ms',
          baselineName: 'reading the file + one WebCrypto SHA-256 of all of it, same process',
          baselineFigure: h,
          ratio: w / h,
        },
      ],
      method: [
        `The file: pdf-lib, one page, overa-evidence.json (two real ES256 passkey signatures of the application) and a ${fmt(filler / 1048576, 1)} MiB incompressible attachment, sealed ETSI.CAdES.detached with EC P-256 (CMS by \`openssl cms -sign -cades\`) under a test root that the NSS database trusts; ${size} bytes.`,
        `Cold, like with like: \`node bin/overa.js verify sealed.pdf --trust root.pem\` and \`pdfsig -nssdir sql:<db> sealed.pdf\`, each a child process per run (\`spawnSync\`, wall time from spawn to exit), ${rounds} runs each, alternating (A B, B A, …) after ${warmup} warm-ups each; the median of each side is the figure. \`overa verify\` starts Node, tsx (TypeScript at load time, its transform cache warm after the warm-ups) and the verifier, reads the file, verifies the seal (ranges hashed, CMS, signature, ESS, chain, validity) and both passkey signatures from the signed revision, and prints the report. pdfsig parses the PDF, hashes the ranges, checks the CMS and the certificate against the NSS database (no OCSP: the certificates have no AIA); it does not read the evidence file. Each is first checked: \`overa verify\` exit 0 with "TOTAL_PASSED: 3 of 3"; pdfsig "Signature is Valid", "Certificate is Trusted", "Total document signed".`,
        `Warm: \`readFileSync\` + \`verifyDocument(bytes, {trustAnchors: [root]})\`, timed inside a Node process that loads only the verifier (\`bench/servers/verifier.ts\`, asked over IPC), ${rounds} runs alternating with its floor in the same process: \`readFileSync\` + \`crypto.subtle.digest('SHA-256')\` of the whole file. pdfsig has no warm mode, so it is not compared here.`,
      ],
      observations: [
        `\`overa verify\` per run (ms): ${overa.map((x) => fmt(x.ms, 0)).join(', ')}.`,
        `pdfsig per run (ms): ${pdfsig.map((x) => fmt(x.ms, 1)).join(', ')}.`,
        `Fastest run: \`overa verify\` ${fmt(Math.min(...overa.map((x) => x.ms)), 0)} ms, pdfsig ${fmt(Math.min(...pdfsig.map((x) => x.ms)), 1)} ms.`,
        `Of a process run, starting Node itself: a bare \`node -e 0\` takes ${fmt(median(bareNode), 0)} ms (median of ${bareNode.length}); the warm verification ${fmt(w, 1)} ms. The rest of \`overa verify\`'s ${fmt(o, 0)} ms is loading tsx and the modules.`,
        `Warm verifyDocument per run (ms): ${warmMs.map((x) => fmt(x, 1)).join(', ')}; its CPU time, all threads: ${fmt(median(warmCpu), 1)} ms (median).`,
        `1-minute load average at start ${fmt(load0, 2)}, at end ${fmt(load1, 2)} (2 shared cores: other work on the machine weighs on every side).`,
      ],
    };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    removeTempDir(pki.dir);
    disarm();
  }
}
