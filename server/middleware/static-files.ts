import type { Context, Middleware } from 'koa';
import send from 'koa-send';

/**
 * Serves files under `root` at URL `prefix` for GET/HEAD (the demo pages and the built
 * element bundle), leaving every other path to the API. koa-send refuses paths that
 * escape the root. With `notFound` (a file under `root`, e.g. `404.html`), a page request
 * that nothing answered gets that page with status 404 rather than a bare "Not Found".
 */
export function staticFiles(options: { root: string; prefix: string; maxAge?: number; notFound?: string }): Middleware {
  const prefix = options.prefix.endsWith('/') ? options.prefix : options.prefix + '/';
  const serve = (ctx: Context, rel: string) => send(ctx, rel, { root: options.root, index: 'index.html', maxage: options.maxAge ?? 0 });
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !(ctx.path + '/').startsWith(prefix) || ctx.path.startsWith('/api/')) {
      return next();
    }
    const rel = ctx.path.slice(prefix.length - 1) || '/';
    let served: string | undefined;
    try {
      served = await serve(ctx, rel);
    } catch (err) {
      if ((err as { status?: number }).status !== 404) throw err;
    }
    if (served) return;
    await next();
    if (options.notFound && ctx.status === 404 && ctx.body == null && ctx.accepts('html') === 'html') {
      await serve(ctx, options.notFound).catch(() => undefined);
      ctx.status = 404;
    }
  };
}
