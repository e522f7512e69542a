import type { Middleware } from 'koa';
import helmet from 'koa-helmet';

/**
 * Helmet's defaults plus a Content-Security-Policy that lets our own pages load module
 * scripts from this origin only. Cross-origin resource policy is "cross-origin" because
 * agency sites embed our elements and call this API from other origins (CORS decides who).
 */
export const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: true,
    directives: {
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      // Helmet's default also allows fonts from any https: origin and data: URLs; no page or
      // element loads a font from either (the pages name system fonts, a site hosts its own).
      'font-src': ["'self'"],
      'connect-src': ["'self'"],
      // The inbox previews an attachment (a PDF) from a blob: URL it fetched with the bearer token.
      'frame-src': ["'self'", 'blob:'],
      'object-src': ["'none'"],
      'frame-ancestors': ["'self'"],
      // The demo runs on plain http://localhost; TLS is the reverse proxy's job (docs/deployment.md).
      'upgrade-insecure-requests': null,
    },
  },
  crossOriginResourcePolicy: { policy: 'cross-origin' as const },
  strictTransportSecurity: false as const,
};

/** What helmet does to a response: headers set (in order) and headers removed. */
export interface HeaderSet {
  set: [name: string, value: string][];
  remove: string[];
}

/**
 * Runs helmet once on a stand-in response and records what it does. With these options every
 * value is a constant (no per-request directive such as a nonce), so the record is exactly
 * what helmet does to any response. Helmet sets its headers synchronously (koa-helmet only
 * wraps it in a promise afterwards), so the record is complete when the call returns.
 */
export function helmetHeaderSet(): HeaderSet {
  const record: HeaderSet = { set: [], remove: [] };
  const res = {
    setHeader(name: string, value: unknown) {
      record.set.push([name, String(value)]);
    },
    removeHeader(name: string) {
      record.remove.push(name);
    },
  };
  const middleware = helmet(HELMET_OPTIONS) as unknown as (ctx: unknown, next: () => Promise<void>) => Promise<void>;
  void middleware({ req: { headers: {} }, res }, async () => {});
  if (record.set.length === 0) throw new Error('helmet set no headers on the stand-in response');
  return record;
}

/**
 * Helmet's headers on every response. Helmet itself ran per request as a chain of thirteen
 * callbacks behind a promise; its output does not depend on the request, so it is recorded
 * once (helmetHeaderSet) and applied here in one loop: the same headers, values and order
 * (test/server/request-path.test.ts compares both on real responses).
 */
export function securityHeaders(): Middleware {
  const { set, remove } = helmetHeaderSet();
  return (ctx, next) => {
    const res = ctx.res;
    for (let i = 0; i < remove.length; i++) res.removeHeader(remove[i]!);
    for (let i = 0; i < set.length; i++) res.setHeader(set[i]![0], set[i]![1]);
    return next();
  };
}
