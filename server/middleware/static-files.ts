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
}

/**
 * The element bundle of `npm run build` (its `dist/`) at `/dist`: `overa.bundle.js`, the lazy
 * chunks it imports (`chunks/`) and their source maps. Not the rest of `dist/`: the library
 * build under `lib/` is for npm users' bundlers (modules with bare imports, `.d.ts`
 * declarations), and the Custom Elements Manifest is for tools; both ship in the npm package.
 */
export function bundleMount(root: string): StaticFilesOptions {
  return { prefix: '/dist', root, extensions: ['.js', '.map'], folders: ['', 'chunks'] };
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
  const allowed = (file: string) => {
    if (!extensions.has(posix.extname(file).toLowerCase())) return false;
    if (!folders) return true;
    const dir = posix.dirname(file).replace(/^\/+/, '');
    return folders.has(dir === '.' ? '' : dir);
  };
  const serve = (ctx: Context, rel: string) => send(ctx, rel, { root: options.root, index: 'index.html', maxage: options.maxAge ?? 0 });
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !(ctx.path + '/').startsWith(prefix) || ctx.path.startsWith('/api/')) {
      return next();
    }
    const target = resolveRequest(ctx.path.slice(prefix.length - 1) || '/');
    let served: string | undefined;
    if (target && allowed(target.file)) {
      try {
        served = await serve(ctx, target.sendPath);
      } catch (err) {
        if ((err as { status?: number }).status !== 404) throw err;
      }
    }
    if (served) return;
    await next();
    if (options.notFound && ctx.status === 404 && ctx.body == null && ctx.accepts('html') === 'html') {
      await serve(ctx, options.notFound).catch(() => undefined);
      ctx.status = 404;
    }
  };
}
