/**
 * The size of built JavaScript as a browser fetches it: a lazy chunk does not run until the
 * chunks it imports statically have loaded too, so what loading it costs is the chunk and
 * those, less what the page already has; each file is gzipped on its own, as it is served.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './child-server.ts';

/** A module's code by its path (relative to one build folder), or undefined when the build has no such file. */
export type ReadModule = (path: string) => string | undefined;

export interface ChunkSizes {
  /** Each file (path relative to the build folder) with its gzip -9 size in bytes. */
  files: { path: string; gzip: number }[];
  /** Their sum, in bytes. */
  gzip: number;
}

/** gzip -9, the level every size row uses. */
export const gzipSize = (code: string | Uint8Array): number => gzipSync(code, { level: 9 }).length;

// `import … from"./x.js"`, `import"./x.js"` and `export … from"./x.js"` as rollup and esbuild
// write them. `import("./x.js")` has a parenthesis where this wants a clause or a quote, so
// dynamic imports (loaded later, if ever) are not followed; bare specifiers are not files of the build.
const STATIC_IMPORT = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{][^'"();]*?from\s*)?["'](\.\.?\/[^"']+)["']/g;
const EXPORT_LIST = /export\s*\{([^}]*)\}/g;

/** `entry` and every module it imports statically, transitively (paths as `read` takes them). */
export function staticClosure(entry: string, read: ReadModule): string[] {
  const seen = new Set<string>();
  const visit = (path: string, from?: string) => {
    if (seen.has(path)) return;
    const code = read(path);
    // A missing file would make the figure too small without a word: fail instead.
    if (code === undefined) throw new Error(`${path}${from ? ` (imported by ${from})` : ''} is not in the build`);
    seen.add(path);
    for (const m of code.matchAll(STATIC_IMPORT)) visit(posix.join(posix.dirname(path), m[1]!), path);
  };
  visit(entry);
  return [...seen];
}

/** `entry` and what it imports statically, less the files in `loaded` (already on the page): each gzipped, and the sum. */
export function staticClosureGzip(entry: string, read: ReadModule, loaded: ReadonlySet<string> = new Set()): ChunkSizes {
  const files = staticClosure(entry, read)
    .filter((path) => !loaded.has(path))
    .map((path) => ({ path, gzip: gzipSize(read(path)!) }));
  return { files, gzip: files.reduce((sum, f) => sum + f.gzip, 0) };
}

/** The entry `npm run build` writes (rollup.config.mjs): what a page's `<script type="module">` loads before any lazy chunk. */
const BUNDLE_ENTRY = 'overa.bundle.js';

const readIn = (dir: string): ReadModule => (path) => {
  const file = join(dir, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
};

/**
 * The one chunk of dist/chunks whose name starts with `prefix` and, when given, that exports
 * `exporting` (rollup names a chunk after a module in it, so two chunks can share a prefix);
 * undefined when dist/ is not built. Fails rather than guess when none or several match.
 */
function builtChunk(dist: string, prefix: string, exporting?: string): string | undefined {
  const dir = join(dist, 'chunks');
  if (!existsSync(dir)) return undefined;
  const exports = (file: string) =>
    [...readFileSync(join(dir, file), 'utf8').matchAll(EXPORT_LIST)].flatMap((m) => m[1]!.split(',').map((s) => s.trim().split(/\s+as\s+/).pop()));
  const found = readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.js'))
    .filter((f) => exporting === undefined || exports(f).includes(exporting));
  if (found.length !== 1) {
    throw new Error(`dist/chunks: ${found.length} chunks ${prefix}*.js${exporting ? ` exporting ${exporting}` : ''}, not one (${found.join(', ')})`);
  }
  return found[0];
}

/** The gzipped size of the lazy chunk `npm run build` made whose file name starts with `prefix` (dist/chunks), when there is one. */
export function builtChunkGzip(prefix: string, options: { exporting?: string; dist?: string } = {}): number | undefined {
  const dist = options.dist ?? join(ROOT, 'dist');
  const chunk = builtChunk(dist, prefix, options.exporting);
  return chunk === undefined ? undefined : gzipSize(readFileSync(join(dist, 'chunks', chunk)));
}

/**
 * What loading a lazy chunk of `npm run build` fetches: the chunk (as builtChunkGzip finds it)
 * and every chunk it imports statically, transitively, less those the bundle's entry already
 * loaded with the page; undefined when dist/ is not built.
 */
export function builtChunkClosureGzip(prefix: string, options: { exporting?: string; dist?: string } = {}): ChunkSizes | undefined {
  const dist = options.dist ?? join(ROOT, 'dist');
  const chunk = builtChunk(dist, prefix, options.exporting);
  if (chunk === undefined) return undefined;
  const read = readIn(dist);
  return staticClosureGzip(`chunks/${chunk}`, read, new Set(staticClosure(BUNDLE_ENTRY, read)));
}
