import { posix } from 'node:path';
import type { Context, Middleware } from 'koa';
import send from 'koa-send';

/**
 * What a site folder may serve, by extension: pages, styles, scripts, images and fonts. An
 * allow-list, because a site folder holds more than its pages: the demo's `examples/` holds the
 * form definitions (`forms/*.json`, internal ones included, which only the API may hand out,
 * and only to whom it decides), a site may hold a `node_modules/` with TypeScript declarations
 * (`.d.ts`, which a guess by extension would even call `video/mp2t`), notes, configuration.
 */
export const SITE_EXTENSIONS: readonly string[] = [
  '.html', '.css', '.js', '.mjs',
  '.svg', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.ico',
  '.woff', '.woff2',
];

export interface StaticFilesOptions {
  root: string;
  /** The URL path the folder is served at. */
  prefix: string;
  maxAge?: number;
  /** A page (a file under `root`, e.g. `404.html`) for page requests nothing answered, with status 404. */
  notFound?: string;
  /** The extensions served (lower case, with the dot); SITE_EXTENSIONS by default. */
  extensions?: readonly string[];
  /** The only folders whose files are served, relative to `root` (`''` is `root` itself); by default any. */
  folders?: readonly string[];
  /**
   * Folders (relative to `root`) whose file names carry a hash of their content, so a file
   * there never changes: sent with `Cache-Control: public, max-age=31536000, immutable`.
   * Every other file is sent with `Cache-Control: no-cache` and an ETag, and answered
   * `304 Not Modified` when the browser's `If-None-Match` still matches.
   */
  immutableFolders?: readonly string[];
  /**
   * Lets pages of any origin load these files (`Access-Control-Allow-Origin: *`; module
   * scripts are fetched with CORS). For public code only: it carries no credentials and
   * nothing a `curl` could not fetch, and it lets an element embedded on a page whose origin
   * the API refuses load, and say so, rather than leave a blank space.
   */
  crossOrigin?: boolean;
}

/** A year, the longest max-age caches are asked to honour (RFC 9111 recommends no more). */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** The folder of a resolved request path, relative to the root (`''` for the root itself). */
function folderOf(file: string): string {
  const dir = posix.dirname(file).replace(/^\/+/, '');
  return dir === '.' ? '' : dir;
}

/**
 * The element bundle of `npm run build` (its `dist/`) at `/dist`: `overa.bundle.js`, the lazy
 * chunks it imports (`chunks/`) and their source maps. Not the rest of `dist/`: the library
 * build under `lib/` is for npm users' bundlers (modules with bare imports, `.d.ts`
 * declarations), and the Custom Elements Manifest is for tools; both ship in the npm package.
 */
export function bundleMount(root: string): StaticFilesOptions {
  // The chunks' names carry their content hash (rollup.config.mjs: chunks/[name]-[hash].js);
  // overa.bundle.js keeps its name across releases, so it is revalidated (ETag) instead.
  return { prefix: '/dist', root, extensions: ['.js', '.map'], folders: ['', 'chunks'], immutableFolders: ['chunks'], crossOrigin: true };
}

/**
 * The file a request path names, as koa-send will resolve it (decoded, dot segments applied,
 * `index.html` for a folder), and the path to hand koa-send: a path without an extension can
 * only be a folder, so it is sent with a trailing slash and never names an extensionless file.
 */
function resolveRequest(rel: string): { file: string; sendPath: string } | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return undefined;
  }
  if (decoded.endsWith('/')) return { file: posix.normalize(`${decoded}index.html`), sendPath: rel };
  if (posix.extname(decoded) === '') return { file: posix.normalize(`${decoded}/index.html`), sendPath: `${rel}/` };
  return { file: posix.normalize(decoded), sendPath: rel };
}

/**
 * Serves files under `root` at URL `prefix` for GET/HEAD (the demo pages and the built
 * element bundle), leaving every other path to the API. Only files whose extension is in
 * `extensions` (and, when given, that lie directly in one of `folders`) are served: anything
 * else is left to the next middleware, as if it did not exist (so a 404). koa-send refuses
 * paths that escape the root and hidden (dot) files. With `notFound` (a file under `root`,
 * e.g. `404.html`), a page request that nothing answered gets that page with status 404
 * rather than a bare "Not Found".
 */
export function staticFiles(options: StaticFilesOptions): Middleware {
  const prefix = options.prefix.endsWith('/') ? options.prefix : options.prefix + '/';
  const extensions = new Set(options.extensions ?? SITE_EXTENSIONS);
  const folders = options.folders === undefined ? undefined : new Set(options.folders);
  const immutable = new Set(options.immutableFolders ?? []);
  const allowed = (file: string) => {
    if (!extensions.has(posix.extname(file).toLowerCase())) return false;
    return !folders || folders.has(folderOf(file));
  };
  // koa-send sends a precompressed copy (`.br`, else `.gz`, written by scripts/precompress.mjs)
  // to a browser that accepts it; the headers say how long the file may be kept.
  const serve = (ctx: Context, rel: string, file?: string) =>
    send(ctx, rel, {
      root: options.root,
      index: 'index.html',
      maxage: options.maxAge ?? 0,
      brotli: true,
      gzip: true,
      setHeaders: (res, _path, stats) => {
        if (options.crossOrigin) res.setHeader('Access-Control-Allow-Origin', '*');
        if (file !== undefined && immutable.has(folderOf(file))) {
          res.setHeader('Cache-Control', IMMUTABLE_CACHE_CONTROL);
        } else if (options.maxAge === undefined) {
          // Koa and koa-send make no ETag. A weak one from the size and time of the file sent
          // (its compressed copy has its own): equal files, equal tags, which is all If-None-Match needs.
          res.setHeader('Cache-Control', 'no-cache');
          res.setHeader('ETag', `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`);
        }
      },
    });
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !(ctx.path + '/').startsWith(prefix) || ctx.path.startsWith('/api/')) {
      return next();
    }
    const target = resolveRequest(ctx.path.slice(prefix.length - 1) || '/');
    let served: string | undefined;
    if (target && allowed(target.file)) {
      try {
        served = await serve(ctx, target.sendPath, target.file);
      } catch (err) {
        if ((err as { status?: number }).status !== 404) throw err;
      }
    }
    if (served) {
      // The browser's copy is current (If-None-Match matches the ETag): 304, and the file is not read.
      if (ctx.fresh) {
        (ctx.body as { destroy?: () => void } | null)?.destroy?.();
        ctx.status = 304;
        ctx.body = null;
      }
      return;
    }
    await next();
    if (options.notFound && ctx.status === 404 && ctx.body == null && ctx.accepts('html') === 'html') {
      await serve(ctx, options.notFound).catch(() => undefined);
      ctx.status = 404;
    }
  };
}
