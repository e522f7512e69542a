import type { Middleware } from 'koa';
import helmet from 'koa-helmet';

/**
 * Helmet's defaults plus a Content-Security-Policy that lets our own pages load module
 * scripts from this origin only. Cross-origin resource policy is "cross-origin" because
 * agency sites embed our elements and call this API from other origins (CORS decides who).
 */
export function securityHeaders(): Middleware {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'"],
        // The inbox previews an attachment (a PDF) from a blob: URL it fetched with the bearer token.
        'frame-src': ["'self'", 'blob:'],
        'object-src': ["'none'"],
        'frame-ancestors': ["'self'"],
        // The demo runs on plain http://localhost; TLS is the reverse proxy's job (docs/deployment.md).
        'upgrade-insecure-requests': null,
      },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    strictTransportSecurity: false,
  }) as unknown as Middleware;
}
