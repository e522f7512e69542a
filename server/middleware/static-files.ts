import type { Middleware } from 'koa';
import send from 'koa-send';

/**
 * Serves files under `root` at URL `prefix` for GET/HEAD (the demo pages and the built
 * element bundle), leaving every other path to the API. koa-send refuses paths that
 * escape the root.
 */
export function staticFiles(options: { root: string; prefix: string; maxAge?: number }): Middleware {
  const prefix = options.prefix.endsWith('/') ? options.prefix : options.prefix + '/';
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !(ctx.path + '/').startsWith(prefix) || ctx.path.startsWith('/api/')) {
      return next();
    }
    const rel = ctx.path.slice(prefix.length - 1) || '/';
    try {
      const served = await send(ctx, rel, { root: options.root, index: 'index.html', maxage: options.maxAge ?? 0 });
      if (!served) await next();
    } catch (err) {
      if ((err as { status?: number }).status === 404) return next();
      throw err;
    }
  };
}
