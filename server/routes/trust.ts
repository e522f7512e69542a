import Router from '@koa/router';
import type { Deps } from '../services/deps.ts';
import { publishedAnchors } from '../services/trust.ts';
import { currentTrustedLists } from '../services/trusted-lists.ts';

/**
 * `GET /trust`: the trust anchors of the agencies' seals, public. JSON by default
 * (`{anchors: [{subject, issuer, serialNumber, notBefore, notAfter, sha256, keyAlgorithm, pem}]}`);
 * `?format=pem` gives the certificates as one PEM file, ready for a validator's trust store
 * (`certutil -A … -i`, `openssl … -CAfile`).
 *
 * And the trusted lists the server keeps (services/trusted-lists.ts): `trustedLists`, one
 * status per configured list; with `?include=services` also `verifiedLists`, the current
 * lists as verified (providers, services with their certificates and status histories) —
 * what `<overa-verify>` passes to the verifier for seals of other authorities.
 */
export function trustRoutes(deps: Deps): Router {
  const router = new Router();
  router.get('/trust', async (ctx) => {
    const anchors = await publishedAnchors(deps);
    ctx.set('Cache-Control', 'public, max-age=300');
    if (ctx.query.format === 'pem') {
      ctx.type = 'application/x-pem-file';
      ctx.attachment('overa-trust-anchors.pem');
      ctx.body = anchors.map((a) => a.pem).join('');
      return;
    }
    const lists = await currentTrustedLists(deps);
    const include = String(ctx.query.include ?? '').split(',');
    ctx.body = include.includes('services') ? { anchors, trustedLists: lists.lists, verifiedLists: lists.set.lists } : { anchors, trustedLists: lists.lists };
  });
  return router;
}
