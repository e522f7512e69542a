/** The routes of the running app, read from its Koa routers: tests that must cover every route use it. */
import type Koa from 'koa';

export interface Route {
  method: string;
  path: string;
}

/**
 * The routes of a Koa app, read from its routers (@koa/router keeps its layers on `.router.stack`
 * of the middleware `routes()` returns; nested routers' layers are copied into the parent with
 * their prefix). Middleware-only layers (router.use) have no methods and are left out.
 */
export function discoverRoutes(app: Koa): Route[] {
  const out: Route[] = [];
  for (const mw of app.middleware as unknown as { router?: { stack: { methods: string[]; path: string }[] } }[]) {
    for (const layer of mw.router?.stack ?? []) {
      for (const method of layer.methods) if (method !== 'HEAD') out.push({ method, path: layer.path });
    }
  }
  return out;
}
