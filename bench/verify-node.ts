/**
 * One 10 MB sealed PDF verified by Overa's `verifyDocument` in Node against poppler's
 * `pdfsig` on the same file, in one run. Goal: Overa at least as fast (ratio ≤ 1).
 *
 * The PDF: one page, Overa's evidence file (two real passkey signatures) and a 10 MB
 * incompressible attachment (a stand-in for scanned enclosures), sealed ETSI.CAdES.detached
 * (EC P-256, a CMS made by OpenSSL over pdf-lib's ranges, as test/helpers/pdf-sign.ts does)
 * under a test root that pdfsig's NSS database trusts. Both sides start from the file on disk
 * (page cache): Overa reads it and verifies in a Node process of its own that loads only the
 * verifier, as a server keeps it running (bench/servers/verifier.ts, timed inside it); pdfsig
 * is a process per run, as it is used. After warm-ups the two alternate; the median of each
 * is kept.
 *
 * Knobs (environment): BENCH_VERIFY_MB (10), BENCH_VERIFY_ROUNDS (21), BENCH_VERIFY_WARMUP (5).
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

export async function run(): Promise<BenchReport> {
  const megabytes = num('BENCH_VERIFY_MB', 10);
  const rounds = num('BENCH_VERIFY_ROUNDS', 21);
  const warmup = num('BENCH_VERIFY_WARMUP', 5);
  const disarm = watchdog(ID, 180_000);
  const pki = createTestPki();
  trackTempDir(pki.dir);
  const children: ChildProcess[] = [];
  try {
    const filler = Math.round(megabytes * 1024 * 1024) - 64 * 1024;
    const path = join(pki.dir, 'sealed.pdf');
    // Made in a function of its own, so nothing of the making stays in this heap while timing.
    const size = await makeSealedPdf(pki, filler, path);
    const options = { trustAnchors: [pki.rootPem] };

    // Both must say the file is fine before either is timed.
    const pdfsig = () => {
      const r = spawnSync('pdfsig', ['-nssdir', pki.nss, path], { encoding: 'latin1' });
      return `${r.stdout}${r.stderr}`;
    };
    const theirs = pdfsig();
    if (!/Signature is Valid/.test(theirs) || !/Certificate is Trusted/.test(theirs) || !/Total document signed/.test(theirs)) throw new Error(`pdfsig does not accept the file:\n${theirs}`);
    const verifier = await startVerifier();
    children.push(verifier);
    const verifyInChild = () =>
      new Promise<Verified>((resolve, reject) => {
        const onMessage = (msg: Verified) => {
          if (msg?.type !== 'verified') return;
          verifier.off('message', onMessage);
          resolve(msg);
        };
        verifier.on('message', onMessage);
        if (!verifier.send({ type: 'verify', path, trustAnchors: options.trustAnchors })) reject(new Error('the verifier child is gone'));
      });
    const first = await verifyInChild();
    if (first.indication !== 'TOTAL_PASSED' || first.entries !== 3) throw new Error(`verifyDocument does not pass the file: ${JSON.stringify(first)}`);

    let oursCpu = 0;
    const timeOurs = async () => {
      const r = await verifyInChild();
      if (r.indication !== 'TOTAL_PASSED') throw new Error('verifyDocument changed its mind');
      oursCpu += r.cpuMs;
      return r.ms;
    };
    const timeTheirs = () => {
      const t0 = performance.now();
      const r = spawnSync('pdfsig', ['-nssdir', pki.nss, path], { encoding: 'latin1' });
      const ms = performance.now() - t0;
      if (!/Signature is Valid/.test(r.stdout)) throw new Error('pdfsig changed its mind');
      return ms;
    };
    for (let i = 0; i < warmup; i++) {
      await timeOurs();
      timeTheirs();
    }
    oursCpu = 0;
    const oursMs: number[] = [];
    const theirsMs: number[] = [];
    let theirsCpu = 0;
    const load0 = loadavg()[0]!;
    for (let i = 0; i < rounds; i++) {
      // Alternate who goes first, so neither always runs on a warmer cache.
      const ours = async () => {
        oursMs.push(await timeOurs());
      };
      const theirs = () => {
        const before = childrenCpuMs() ?? 0;
        theirsMs.push(timeTheirs());
        theirsCpu += (childrenCpuMs() ?? 0) - before;
      };
      if (i % 2 === 0) {
        await ours();
        theirs();
      } else {
        theirs();
        await ours();
      }
    }
    const load1 = loadavg()[0]!;
    // The floor: reading the file and hashing all of it with WebCrypto, in the same child.
    const hashMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      hashMs.push(
        await new Promise<number>((resolve) => {
          const onMessage = (msg: { type?: string; ms: number }) => {
            if (msg?.type !== 'hashed') return;
            verifier.off('message', onMessage);
            resolve(msg.ms);
          };
          verifier.on('message', onMessage);
          verifier.send({ type: 'hash', path });
        }),
      );
    }
    const o = median(oursMs);
    const t = median(theirsMs);
    return {
      id: ID,
      title: `Verify a ${fmt(size / 1e6, 1)} MB sealed PDF: verifyDocument in Node vs pdfsig`,
      results: [
        {
          name: `verifyDocument on a ${fmt(size / 1e6, 1)} MB sealed PDF (median time; seal + 2 passkey signatures)`,
          figure: o,
          unit: 'ms',
          baselineName: 'poppler pdfsig 22.12 on the same file (process per run)',
          baselineFigure: t,
          ratio: o / t,
          goal: { ratio: GOAL, direction: 'lower' },
        },
        ...(childrenCpuMs() === undefined
          ? []
          : [
              {
                name: 'CPU time per verification, all threads (same rounds)',
                figure: oursCpu / rounds,
                unit: 'ms',
                baselineName: 'pdfsig, from /proc (10 ms ticks)',
                baselineFigure: theirsCpu / rounds,
                ratio: oursCpu / theirsCpu,
              },
            ]),
      ],
      method: [
        `The file: pdf-lib, one page, overa-evidence.json (two real ES256 passkey signatures of the application) and a ${fmt(filler / 1048576, 1)} MiB incompressible attachment, sealed ETSI.CAdES.detached with EC P-256 (CMS by \`openssl cms -sign -cades\`) under a test root that the NSS database trusts; ${size} bytes.`,
        'Overa: `readFileSync` + `verifyDocument(bytes, {trustAnchors: [root]})`, timed inside a warm Node process of its own (`bench/servers/verifier.ts`, asked over IPC; the runner\'s own heap, full of pdf-lib and the test PKI, would make each garbage collection dearer than in a server): finds the signature, hashes the signed ranges (WebCrypto SHA-256), checks CMS, signature, ESS, chain and validity, and meanwhile reads the evidence file from the signed revision and checks both passkey signatures and their content digest.',
        '`pdfsig -nssdir sql:<db> file.pdf` in a child process per run (`spawnSync`, wall time): parses the PDF, hashes the ranges, checks the CMS and the certificate against the NSS database (no OCSP: the certificates have no AIA). It does not read the evidence file.',
        `Both first checked: pdfsig "Signature is Valid", "Certificate is Trusted", "Total document signed"; Overa TOTAL_PASSED with 3 entries. ${warmup} warm-up runs each, then ${rounds} alternating rounds (A B, B A, …); the median of each side is the figure.`,
      ],
      observations: [
        `Overa per run (ms): ${oursMs.map((x) => fmt(x, 1)).join(', ')}.`,
        `pdfsig per run (ms): ${theirsMs.map((x) => fmt(x, 1)).join(', ')}.`,
        `Fastest run: Overa ${fmt(Math.min(...oursMs), 1)} ms, pdfsig ${fmt(Math.min(...theirsMs), 1)} ms.`,
        `Floor: in the same child, reading the file and one WebCrypto SHA-256 over all of it take ${fmt(median(hashMs), 1)} ms (median of 5).`,
        `1-minute load average at start ${fmt(load0, 2)}, at end ${fmt(load1, 2)} (2 shared cores: other work on the machine weighs on both sides).`,
      ],
    };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    removeTempDir(pki.dir);
    disarm();
  }
}
