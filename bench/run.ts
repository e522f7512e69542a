/**
 * `npm run bench`: runs every benchmark listed below, one after the other, prints the table
 * and rewrites docs/benchmarks.md with this run's figures (each against its baseline from
 * the same run). `npm run bench -- <id> [<id>...]` runs only those and prints without
 * touching the docs (a partial table would mix runs). Exit code 1 when a benchmark missed
 * its goal (after the table and the docs are written), 2 for an unknown id; a benchmark with
 * no goal does not count.
 *
 * To add a benchmark: write bench/<id>.ts exporting `run(): Promise<BenchReport>` (see
 * bench/lib/types.ts) and add its id to this list.
 */
const BENCHMARKS = [
  'me-throughput',
  'applications-throughput',
  'webhooks-overhead',
  'exchange-throughput',
  'submit-notify',
  'inbox-queries',
  'issuance-throughput',
  'issuance-ltv',
  'verify-node',
  'verify-browser',
  'verify-abuse',
  'trusted-lists',
  'bundle-size',
];

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib/child-server.ts';
import { cleanupNow, installSignalCleanup } from './lib/cleanup.ts';
import { goalResult, goalText, verdict, type BenchModule, type BenchReport, type BenchResult } from './lib/types.ts';

const DOC = join(ROOT, 'docs/benchmarks.md');
/** Everything from this line on in docs/benchmarks.md is written by hand (e.g. fuzzing figures) and kept by a full run. */
const KEPT = '<!-- Not generated: bench/run.ts keeps this line and everything below it. -->';

async function main(argv: string[]): Promise<number> {
  installSignalCleanup();
  const unknown = argv.filter((id) => !BENCHMARKS.includes(id));
  if (unknown.length) {
    process.stderr.write(`bench: unknown benchmark(s) ${unknown.join(', ')}; known: ${BENCHMARKS.join(', ')}\n`);
    return 2;
  }
  const selected = argv.length ? argv : BENCHMARKS;
  const started = new Date();
  const reports: BenchReport[] = [];
  for (const id of selected) {
    process.stderr.write(`bench: ${id}\n`);
    const mod = (await import(pathToFileURL(join(ROOT, 'bench', `${id}.ts`)).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') throw new Error(`bench/${id}.ts does not export run()`);
    const t0 = performance.now();
    const report = await mod.run();
    process.stderr.write(`bench: ${id} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    reports.push(report);
  }

  const rows = reports.flatMap((r) => r.results);
  process.stdout.write('\n' + table(rows) + '\n');
  const below = rows.filter((r) => verdict(r) === 'BELOW');
  process.stdout.write(below.length ? `\n${below.length} figure(s) BELOW goal\n` : '\nall goals met\n');
  const missed = reports.filter((r) => goalResult(r) === 'missed').map((r) => r.id);
  for (const r of reports) process.stdout.write(`${r.id}: ${{ met: 'goal met', missed: 'goal MISSED', none: 'no goal (not counted)' }[goalResult(r)]}\n`);

  if (argv.length === 0) {
    writeFileSync(DOC, document(reports, started));
    process.stdout.write(`wrote ${DOC}\n`);
  } else {
    process.stdout.write('(partial run: docs/benchmarks.md not rewritten; run `npm run bench` for the full table)\n');
  }
  if (missed.length) process.stderr.write(`bench: goal missed by ${missed.join(', ')}\n`);
  return missed.length ? 1 : 0;
}

function fig(n: number, unit: string): string {
  const digits = n >= 100 ? 0 : n >= 10 ? 1 : 2;
  return `${n.toLocaleString('en-US', { maximumFractionDigits: digits })} ${unit}`;
}

function table(rows: BenchResult[]): string {
  const lines = [
    '| Figure | This run | Baseline (same run) | Ratio | Goal | Result |',
    '|---|--:|---|--:|:-:|:-:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${fig(r.figure, r.unit)} | ${r.baselineName}: ${fig(r.baselineFigure, r.unit)} | ${r.ratio.toFixed(2)}× | ${goalText(r.goal)} | ${verdict(r)} |`,
    ),
  ];
  return lines.join('\n');
}

function command(): string {
  const event = process.env.npm_lifecycle_event;
  const script = process.env.npm_lifecycle_script;
  const args = process.argv.slice(2).join(' ');
  if (event && script) return `npm run ${event}${args ? ` -- ${args}` : ''} (= ${script}${args ? ` ${args}` : ''})`;
  return `node ${process.execArgv.join(' ')} ${process.argv.slice(1).map((a) => a.replace(ROOT, '')).join(' ')}`.replace(/\s+/g, ' ').trim();
}

function machine(): string {
  const cpu = cpus()[0]?.model?.trim() ?? 'unknown CPU';
  return (
    `${availableParallelism()} CPUs (nproc) — ${cpu}; ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; ` +
    `${platform()} ${release()}; Node ${process.version}`
  );
}

function document(reports: BenchReport[], started: Date): string {
  const env = Object.entries(process.env)
    .filter(([k]) => k.startsWith('BENCH_'))
    .map(([k, v]) => `${k}=${v}`);
  const out = [
    '# Benchmarks',
    '',
    '<!-- Generated by bench/run.ts (`npm run bench`); edits here are overwritten. -->',
    '',
    'Each figure is compared with a baseline measured in the same run on the same machine.',
    'Absolute numbers depend on the machine and its load; the ratio is what we track.',
    '`npm run bench` exits non-zero when a figure misses its goal (the table and this page are written first);',
    'figures without a goal are for information and do not count.',
    '',
    `- **Date:** ${started.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- **Machine:** ${machine()}`,
    `- **Command:** \`${command()}\`${env.length ? ` with ${env.map((e) => `\`${e}\``).join(', ')}` : ''}`,
    '',
    table(reports.flatMap((r) => r.results)),
    '',
  ];
  for (const r of reports) {
    out.push(`## ${r.title} (\`bench/${r.id}.ts\`)`, '', '**Method**', '', ...r.method.map((m) => `- ${m}`), '');
    if (r.observations?.length) out.push('**This run**', '', ...r.observations.map((o) => `- ${o}`), '');
  }
  out.push(
    '## Adding a benchmark',
    '',
    'Write `bench/<id>.ts` exporting `run(): Promise<BenchReport>` (types in `bench/lib/types.ts`;',
    'servers in child processes via `bench/lib/child-server.ts`, load via `bench/lib/load.ts`), then add',
    "`'<id>'` to the `BENCHMARKS` list at the top of `bench/run.ts`. `npm run bench -- <id>` runs one",
    'without rewriting this file.',
    '',
  );
  const previous = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
  const kept = previous.indexOf(KEPT);
  if (kept >= 0) out.push(previous.slice(kept).trimEnd(), '');
  return out.join('\n');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
    cleanupNow();
    process.exitCode = 1;
  },
);
