/**
 * A longer fuzz run of `verifyDocument` than CI's (test/core/verify-document.test.ts runs 300
 * mutations with a fixed seed): mutations of PDFs signed by pdfsig and OpenSSL, and of the
 * CMS inside them. Every run must return a report, within the time bound, and never
 * TOTAL_PASSED for a change the signature covers. Prints a summary (Markdown, for
 * docs/benchmarks.md); writes each failing input to a temp folder and exits 1 if any.
 *
 *   node --import tsx scripts/fuzz-verify.ts [--iterations 20000] [--seed 1] [--bound-ms 5000]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyDocument } from '../components/core/pdf/verify-document.ts';
import { fuzzSource, invariantProblem, mutate, MUTATIONS, rng, type FuzzSource, type MutationKind } from '../test/helpers/fuzz.ts';
import { basePdf, createTestPki, evidenceFile, passkeyEvidence, SAMPLE_APPLICATION, signEtsiWithOpenssl, signWithPdfsig } from '../test/helpers/pdf-sign.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number(process.env[`FUZZ_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: not a positive number`);
  return v;
}

async function main(): Promise<number> {
  const iterations = arg('iterations', 20_000);
  const seed = arg('seed', 1);
  const boundMs = arg('bound-ms', 5000);
  const pki = createTestPki();
  try {
    const anchors = { trustAnchors: [pki.rootPem] };
    const evidence = evidenceFile(SAMPLE_APPLICATION, [await passkeyEvidence(SAMPLE_APPLICATION)]);
    const base = await basePdf();
    const withEvidence = await basePdf({ attachments: [{ name: 'overa-evidence.json', bytes: evidence }] });
    const sources: FuzzSource[] = [
      fuzzSource('EC ETSI (openssl)', await signEtsiWithOpenssl(pki, base, pki.ec)),
      fuzzSource('RSA ETSI (openssl)', await signEtsiWithOpenssl(pki, base, pki.rsa)),
      fuzzSource('EC adbe (pdfsig)', signWithPdfsig(pki, base, pki.ec)),
      fuzzSource('RSA adbe (pdfsig)', signWithPdfsig(pki, base, pki.rsa)),
      fuzzSource('evidence, ETSI (openssl)', await signEtsiWithOpenssl(pki, withEvidence, pki.ec)),
      fuzzSource('evidence in object streams, adbe (pdfsig)', signWithPdfsig(pki, withEvidence, pki.ec)),
    ];
    const random = rng(seed);
    const byKind = new Map<MutationKind, { runs: number; passed: number; failed: number; indeterminate: number; maxMs: number }>();
    for (const k of MUTATIONS) byKind.set(k, { runs: 0, passed: 0, failed: 0, indeterminate: 0, maxMs: 0 });
    const times: number[] = [];
    const failures: string[] = [];
    let out: string | undefined;
    const started = performance.now();
    for (let i = 0; i < iterations; i++) {
      const src = sources[i % sources.length]!;
      const { kind, pdf } = mutate(src, random);
      const t0 = performance.now();
      let problem: string | undefined;
      try {
        const report = await verifyDocument(pdf, anchors);
        problem = invariantProblem(src, pdf, report);
        const k = byKind.get(kind)!;
        k.runs++;
        if (report.indication === 'TOTAL_PASSED') k.passed++;
        else if (report.indication === 'TOTAL_FAILED') k.failed++;
        else k.indeterminate++;
      } catch (err) {
        problem = `threw: ${(err as Error).stack ?? String(err)}`;
      }
      const ms = performance.now() - t0;
      times.push(ms);
      const k = byKind.get(kind)!;
      k.maxMs = Math.max(k.maxMs, ms);
      if (ms > boundMs) problem ??= `took ${ms.toFixed(0)} ms`;
      if (problem) {
        out ??= mkdtempSync(join(tmpdir(), 'overa-fuzz-'));
        const file = join(out, `seed${seed}-run${i}-${kind}.pdf`);
        writeFileSync(file, pdf);
        failures.push(`run ${i} (${src.name}, ${kind}): ${problem} → ${file}`);
      }
      if ((i + 1) % 2000 === 0) process.stderr.write(`fuzz: ${i + 1}/${iterations}\n`);
    }
    const total = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
    const lines = [
      `Seed ${seed}, ${iterations} mutations over ${sources.length} signed PDFs (${sources.map((s) => `${s.name} ${Math.round(s.pdf.length / 1024)} KiB`).join('; ')}), bound ${boundMs} ms per run.`,
      '',
      `${(iterations / total).toFixed(0)} verifications/s; per run p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${times[times.length - 1]!.toFixed(1)} ms; ${failures.length} failure(s).`,
      '',
      '| Mutation | Runs | TOTAL_PASSED | TOTAL_FAILED | INDETERMINATE | Slowest |',
      '|---|--:|--:|--:|--:|--:|',
      ...[...byKind].map(([k, v]) => `| ${k} | ${v.runs} | ${v.passed} | ${v.failed} | ${v.indeterminate} | ${v.maxMs.toFixed(1)} ms |`),
    ];
    process.stdout.write(lines.join('\n') + '\n');
    if (failures.length > 0) {
      process.stdout.write(`\nFailures:\n${failures.slice(0, 50).join('\n')}\n`);
      return 1;
    }
    return 0;
  } finally {
    pki.cleanup();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fuzz: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
