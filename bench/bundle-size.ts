/**
 * Bundle budget: what a page downloads (minified + gzip) for each element on its own, for
 * all of them together, and for the lazy verifier chunk, against Lit alone built the same
 * way in the same run. Goals (issue 8): each element ≤ Lit + 7 KB; all together ≤ 40 KB.
 * Built with esbuild (bundle, minify, ES2022, browser), gzip level 9.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { BenchReport, BenchResult } from './lib/types.ts';
import { ROOT } from './lib/child-server.ts';
import { fmt } from './lib/numbers.ts';

const KB = 1024;

/**
 * What a page downloads for `contents` before anything is clicked: the entry and the chunks it
 * imports statically (code split as the real bundle is, so the verifier's dynamic import is
 * not counted), minified, each file gzipped as it would be served.
 */
async function gzippedSize(contents: string): Promise<{ min: number; gz: number }> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    splitting: true,
    outdir: join(ROOT, '.bench-out'),
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    metafile: true,
    // Lit's production build, as a page gets it from the bundle (not the dev build).
    conditions: ['production'],
  });
  const outputs = result.metafile!.outputs;
  const byPath = new Map(result.outputFiles.map((f) => [relative(ROOT, f.path), f.contents]));
  const entry = Object.keys(outputs).find((p) => outputs[p]!.entryPoint !== undefined)!;
  const seen = new Set<string>();
  const visit = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    for (const imp of outputs[p]!.imports) if (imp.kind === 'import-statement') visit(imp.path);
  };
  visit(entry);
  let min = 0;
  let gz = 0;
  for (const p of seen) {
    const code = byPath.get(p)!;
    min += code.length;
    gz += gzipSync(code, { level: 9 }).length;
  }
  return { min, gz };
}

export async function run(): Promise<BenchReport> {
  const lit = await gzippedSize("export { LitElement, html, css, nothing } from 'lit'; export { property, state } from 'lit/decorators.js';");
  const elements = readdirSync(join(ROOT, 'components')).filter((d) => existsSync(join(ROOT, 'components', d, 'define.ts'))).sort();
  const results: BenchResult[] = [];
  const rows: string[] = [];
  for (const el of elements) {
    const size = await gzippedSize(`import './components/${el}/define.ts';`);
    rows.push(`${el}: ${fmt(size.min / KB, 1)} KB min, ${fmt(size.gz / KB, 1)} KB min+gz`);
    results.push({
      name: `<overa-${el}> alone, first load (min+gz)`,
      figure: size.gz / KB,
      unit: 'KB',
      baselineName: `Lit alone (min+gz ${fmt(lit.gz / KB, 1)} KB)`,
      baselineFigure: lit.gz / KB,
      ratio: size.gz / lit.gz,
      goal: { absolute: Math.round((lit.gz / KB + 7) * 10) / 10, unit: 'KB', direction: 'lower' },
    });
  }
  const all = await gzippedSize("import './components/index.ts';");
  results.push({
    name: 'All elements together (components/index.ts, min+gz)',
    figure: all.gz / KB,
    unit: 'KB',
    baselineName: 'Lit alone (min+gz)',
    baselineFigure: lit.gz / KB,
    ratio: all.gz / lit.gz,
    goal: { absolute: 40, unit: 'KB', direction: 'lower' },
  });
  const verify = await gzippedSize("export { verifyDocument } from './components/core/pdf/verify-document.ts';");
  results.push({
    name: 'The lazy verifier chunk (verifyDocument with pkijs, min+gz)',
    figure: verify.gz / KB,
    unit: 'KB',
    baselineName: 'Lit alone (min+gz)',
    baselineFigure: lit.gz / KB,
    ratio: verify.gz / lit.gz,
  });
  return {
    id: 'bundle-size',
    title: 'Bundle budget: each element, all together and the verifier chunk vs Lit alone',
    results,
    method: [
      'esbuild (bundle, minify, ES2022, browser, the `production` export condition) from the sources, gzip -9; each element from its define module, so the figure is what a page that uses only that element downloads.',
      'Goal for each element: the figure ≤ Lit + 7 KB (absolute, computed from Lit in the same run).',
      'The verifier is never in an element\'s first load: <overa-verify> imports it dynamically when a file is checked.',
    ],
    observations: [`Lit alone: ${fmt(lit.min / KB, 1)} KB min, ${fmt(lit.gz / KB, 1)} KB min+gz.`, ...rows, `All: ${fmt(all.min / KB, 1)} KB min. Verifier: ${fmt(verify.min / KB, 1)} KB min.`],
  };
}
