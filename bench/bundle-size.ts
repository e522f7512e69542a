/**
 * Bundle budget: what a page downloads (minified + gzip) for each element on its own, for
 * all of them together, and for the lazy verifier chunk, against Lit alone built the same
 * way in the same run. Goals (issue 16): each element's first load ≤ 20 KB; all together
 * ≤ 60 KB. Later views (check your answers, an open case, a verdict…) are chunks of their own,
 * loaded when reached and prefetched on idle: they are reported beside the first load, not in it.
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
 * not counted), minified, each file gzipped as it would be served. `serbian` adds what a
 * Serbian page loads on top before the first render: the element's Serbian message chunks and
 * the transliterator (components/i18n/registry.ts loads them with dynamic imports).
 */
async function gzippedSize(
  contents: string,
  viewsUnder?: string,
): Promise<{ min: number; gz: number; serbian: { min: number; gz: number }; views: { min: number; gz: number }; inputs: string[] }> {
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
  // Dynamic import targets are entry points too; the page's own entry is the stdin one (named by sourcefile).
  const entry = Object.keys(outputs).find((p) => outputs[p]!.entryPoint === 'entry.ts')!;
  const visit = (p: string, seen: Set<string>, follow: (path: string, kind: string) => boolean) => {
    if (seen.has(p)) return;
    seen.add(p);
    for (const imp of outputs[p]!.imports) if (follow(imp.path, imp.kind)) visit(imp.path, seen, follow);
  };
  const measure = (files: Iterable<string>) => {
    let min = 0;
    let gz = 0;
    for (const p of files) {
      const code = byPath.get(p)!;
      min += code.length;
      gz += gzipSync(code, { level: 9 }).length;
    }
    return { min, gz };
  };
  const first = new Set<string>();
  visit(entry, first, (_path, kind) => kind === 'import-statement');
  const serbianChunk = (path: string) => /i18n\/sr-latn\/|core\/transliterate/.test(outputs[path]?.entryPoint ?? '');
  const withSerbian = new Set(first);
  for (const p of first) {
    for (const imp of outputs[p]!.imports) {
      if (imp.kind === 'dynamic-import' && serbianChunk(imp.path)) visit(imp.path, withSerbian, (_path, kind) => kind === 'import-statement');
    }
  }
  const extra = [...withSerbian].filter((p) => !first.has(p));
  // The element's later views (dynamic imports of modules in its own folder) and what they
  // import beyond the first load: what prefetching on idle brings in after the first render.
  const withViews = new Set(first);
  if (viewsUnder) {
    for (const p of first) {
      for (const imp of outputs[p]!.imports) {
        if (imp.kind === 'dynamic-import' && (outputs[imp.path]?.entryPoint ?? '').startsWith(viewsUnder)) {
          visit(imp.path, withViews, (_path, kind) => kind === 'import-statement');
        }
      }
    }
  }
  const views = [...withViews].filter((p) => !first.has(p));
  const inputs = new Set([...first].flatMap((p) => Object.keys(outputs[p]!.inputs)));
  return { ...measure(first), serbian: measure(extra), views: measure(views), inputs: [...inputs] };
}

/**
 * An entry that holds only the content of a first load: Lit, the style sheets
 * (`*.styles.ts`) and the English messages (`components/i18n/en/*`) among `inputs`, without
 * any of the code that renders them. What the budget must hold before a line of logic.
 */
function contentOnly(inputs: readonly string[]): string {
  const kept = inputs.filter((p) => /\.styles\.ts$|^components\/i18n\/en\//.test(p));
  return [LIT_ENTRY, ...kept.map((p, i) => `export * as content${i} from './${p}';`)].join('\n');
}

/**
 * The floor under one element's first load: the shared runtime (as the empty element below)
 * carrying that element's own style sheets and English messages, with none of its logic.
 * Its first load minus this is what the element's own code costs.
 */
function elementFloor(inputs: readonly string[]): string {
  const sheets = inputs.filter((p) => /\.styles\.ts$/.test(p));
  const messages = inputs.filter((p) => /^components\/i18n\/en\//.test(p));
  return [
    "import { html } from 'lit'; import { OveraElement } from './components/shared/overa-element.ts'; import { msg } from './components/i18n/index.ts';",
    ...sheets.map((p, i) => `import sheet${i} from './${p}';`),
    ...messages.map((p, i) => `export * as messages${i} from './${p}';`),
    `class Floor extends OveraElement { static override styles = [${sheets.map((_p, i) => `sheet${i}`).join(', ')}]; override render() { return html\`<p>\${msg(this.resolvedLang, 'error.title')}</p>\`; } }`,
    "customElements.define('overa-floor', Floor);",
  ].join('\n');
}

/** Elements for an agency's administrators, loaded lazily: reported apart from the citizens' elements and their per-element goal. */
const ADMIN_ONLY = ['form-builder'];

const LIT_ENTRY = "export { LitElement, html, css, nothing } from 'lit'; export { property, state } from 'lit/decorators.js';";

export async function run(): Promise<BenchReport> {
  const lit = await gzippedSize(LIT_ENTRY);
  const elements = readdirSync(join(ROOT, 'components'))
    .filter((d) => existsSync(join(ROOT, 'components', d, 'define.ts')) && !ADMIN_ONLY.includes(d))
    .sort();
  const results: BenchResult[] = [];
  const rows: string[] = [];
  /** A size (gzipped bytes) as a result beside Lit alone. */
  const vsLit = (name: string, gz: number, options: { baselineName?: string; goalKb?: number } = {}): BenchResult => ({
    name,
    figure: gz / KB,
    unit: 'KB',
    baselineName: options.baselineName ?? 'Lit alone (min+gz)',
    baselineFigure: lit.gz / KB,
    ratio: gz / lit.gz,
    ...(options.goalKb === undefined ? {} : { goal: { absolute: options.goalKb, unit: 'KB', direction: 'lower' as const } }),
  });
  const perElement = { baselineName: `Lit alone (min+gz ${fmt(lit.gz / KB, 1)} KB)`, goalKb: 20 };
  for (const el of elements) {
    const size = await gzippedSize(`import './components/${el}/define.ts';`, `components/${el}/`);
    const content = await gzippedSize(contentOnly(size.inputs));
    const floor = await gzippedSize(elementFloor(size.inputs));
    rows.push(
      `${el}: ${fmt(size.min / KB, 1)} KB min, ${fmt(size.gz / KB, 1)} KB min+gz; on a Serbian page +${fmt(size.serbian.min / KB, 1)} KB min, +${fmt(size.serbian.gz / KB, 1)} KB min+gz; ` +
        `its later views +${fmt(size.views.gz / KB, 1)} KB min+gz; its styles and English text on Lit, without a line of its code: ${fmt(content.gz / KB, 1)} KB min+gz; ` +
        `on the shared runtime (its floor): ${fmt(floor.gz / KB, 1)} KB min+gz, so its own code costs ${fmt((size.gz - floor.gz) / KB, 1)} KB min+gz`,
    );
    results.push(
      vsLit(`<overa-${el}> alone, first load (min+gz)`, size.gz, perElement),
      vsLit(`<overa-${el}> alone, first load on a Serbian page (+ its Serbian messages, min+gz)`, size.gz + size.serbian.gz),
      ...(size.views.gz > 0 ? [vsLit(`<overa-${el}> alone, first load + its later views, prefetched on idle (min+gz)`, size.gz + size.views.gz)] : []),
      vsLit(`<overa-${el}>'s style sheets and English messages on Lit, no code (min+gz)`, content.gz),
      vsLit(`<overa-${el}>'s floor: the shared runtime with its style sheets and English messages, none of its code (min+gz)`, floor.gz),
    );
  }
  // The form's first view cannot do without these modules (every field type but files, whose
  // renderer, attachments and uploads are a chunk loaded with a form that has one; conditions,
  // dates, loading and autosaving the draft): its floor with them and none of the element's
  // own code shows whether its first load can meet the per-element goal at all.
  const formFirstView = ['application-form/fields.ts', 'core/forms/visibility.ts', 'core/forms/dates.ts', 'client/applications.ts', 'application-form/autosave.ts', 'application-form/draft-store.ts', 'shared/load-state.ts', 'shared/error-summary.ts'];
  const formSize = await gzippedSize("import './components/application-form/define.ts';");
  const formFloor = await gzippedSize(
    elementFloor(formSize.inputs) + '\n' + formFirstView.map((p, i) => `export * as firstView${i} from './components/${p}';`).join('\n'),
  );
  rows.push(`The form's floor with the modules its first view needs (${formFirstView.join(', ')}), none of the element's own code: ${fmt(formFloor.gz / KB, 1)} KB min+gz`);
  results.push(vsLit("<overa-application-form>'s floor with the modules its first view needs, none of the element's own code (min+gz)", formFloor.gz, perElement));
  // The floor every element stands on: an element that renders one message with the shared
  // runtime (OveraElement, the client, i18n with the shared messages, the base sheet).
  const floor = await gzippedSize(
    "import { html } from 'lit'; import { OveraElement } from './components/shared/overa-element.ts'; import baseStyles from './components/styles/base.styles.ts'; import { msg } from './components/i18n/index.ts';" +
      "class Floor extends OveraElement { static override styles = [baseStyles]; override render() { return html`<p>${msg(this.resolvedLang, 'error.title')}</p>`; } }" +
      "customElements.define('overa-floor', Floor);",
  );
  rows.push(`An empty element on the shared runtime: ${fmt(floor.min / KB, 1)} KB min, ${fmt(floor.gz / KB, 1)} KB min+gz`);
  results.push(vsLit('An element that renders one message, on the shared runtime alone (min+gz)', floor.gz));
  const all = await gzippedSize("import './components/index.ts';");
  const allContent = await gzippedSize(contentOnly(all.inputs));
  results.push(
    vsLit('Every element\'s style sheets and English messages on Lit, no code (min+gz)', allContent.gz),
    vsLit('All elements together (components/index.ts, min+gz)', all.gz, { goalKb: 60 }),
    vsLit('All elements together on a Serbian page (+ every Serbian message chunk, min+gz)', all.gz + all.serbian.gz),
  );
  // The administrators' builder: lazy, never in the bundle's first load (components/index.ts
  // imports it dynamically). Reported on its own, without the per-element goal (it embeds the
  // form element for its preview), with a check that no module of its folder is in the first load.
  const builder = await gzippedSize("import './components/form-builder/define.ts';", 'components/form-builder/');
  const builderInFirstLoad = all.inputs.filter((p) => p.startsWith('components/form-builder/'));
  if (builderInFirstLoad.length) throw new Error(`<overa-form-builder> is in the bundle's first load: ${builderInFirstLoad.join(', ')}`);
  rows.push(
    `form-builder (lazy, administrators only): ${fmt(builder.min / KB, 1)} KB min, ${fmt(builder.gz / KB, 1)} KB min+gz with the form element of its preview; on a Serbian page +${fmt(builder.serbian.gz / KB, 1)} KB min+gz; ` +
      `in the bundle's first load: none of its modules (checked)`,
  );
  results.push(
    vsLit('<overa-form-builder> alone, lazy, never in a citizen\'s first load (with the <overa-application-form> of its preview, min+gz)', builder.gz),
    vsLit('<overa-form-builder> on a Serbian page (+ its Serbian messages, min+gz)', builder.gz + builder.serbian.gz),
  );
  const verify = await gzippedSize("export { verifyDocument } from './components/core/pdf/verify-document.ts';");
  results.push(vsLit('The lazy verifier chunk (verifyDocument with pkijs, min+gz)', verify.gz));
  return {
    id: 'bundle-size',
    title: 'Bundle budget: each element, all together and the verifier chunk vs Lit alone',
    results,
    method: [
      'esbuild (bundle, minify, ES2022, browser, the `production` export condition) from the sources, gzip -9; each element from its define module, so the figure is what a page that uses only that element downloads.',
      'Goals (issue 16): each element\'s first load ≤ 20 KB, all elements together ≤ 60 KB (English pages; a Serbian page adds the Serbian messages, reported beside them).',
      'First load: the entry and the chunks it imports statically, each file gzipped as served. Later views (`import()` when reached, prefetched on idle after the first render: components/shared/lazy-view.ts) and the embedded <overa-account>/<overa-sign> are not in it; the views are reported beside it.',
      'The verifier is never in an element\'s first load: <overa-verify> imports it dynamically when a file is checked.',
    ],
    observations: [`Lit alone: ${fmt(lit.min / KB, 1)} KB min, ${fmt(lit.gz / KB, 1)} KB min+gz.`, ...rows, `All: ${fmt(all.min / KB, 1)} KB min. Verifier: ${fmt(verify.min / KB, 1)} KB min.`],
  };
}
