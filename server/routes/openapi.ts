import { createHash } from 'node:crypto';
import Router from '@koa/router';
import { openApiDocument } from '../openapi/document.ts';

/**
 * `GET /openapi.json`: the API as OpenAPI 3.1 (server/openapi/), public and cacheable. The
 * document is the same for every request of a process, so it is serialised once, with its ETag.
 */
export function openApiRoutes(): Router {
  const router = new Router();
  let cached: { body: string; etag: string } | undefined;
  router.get('/openapi.json', (ctx) => {
    if (!cached) {
      const body = JSON.stringify(openApiDocument());
      cached = { body, etag: createHash('sha256').update(body).digest('hex') };
    }
    ctx.status = 200;
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.etag = cached.etag;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'application/json';
    ctx.body = cached.body;
  });
  return router;
}
