import Router from '@koa/router';
import { agencies } from '../db/agencies.ts';
import { trustAnchors } from '../documents/keys.ts';
import type { Deps } from '../services/deps.ts';
import type { TrustAnchorSource } from './verify.ts';

/** The anchors `GET /trust` publishes: the demo root (if any) and each agency's root. */
async function currentAnchors(deps: Deps) {
  const ids = (await agencies.list(deps.db)).map((a) => a.id);
  return trustAnchors(deps.config, ids);
}

/**
 * The same anchors for `POST /verify` (`createApp(config, {trustAnchors: sealTrustAnchors})`,
 * as `overa start` does): the server trusts exactly what it publishes.
 */
export const sealTrustAnchors: TrustAnchorSource = async (deps) => (await currentAnchors(deps)).map((a) => a.pem);

/**
 * `GET /trust`: the trust anchors of the agencies' seals, public. JSON by default
 * (`{anchors: [{subject, issuer, serialNumber, notBefore, notAfter, sha256, keyAlgorithm, pem}]}`);
 * `?format=pem` gives the certificates as one PEM file, ready for a validator's trust store
 * (`certutil -A … -i`, `openssl … -CAfile`).
 */
export function trustRoutes(deps: Deps): Router {
  const router = new Router();
  router.get('/trust', async (ctx) => {
    const anchors = await currentAnchors(deps);
    ctx.set('Cache-Control', 'public, max-age=300');
    if (ctx.query.format === 'pem') {
      ctx.type = 'application/x-pem-file';
      ctx.attachment('overa-trust-anchors.pem');
      ctx.body = anchors.map((a) => a.pem).join('');
      return;
    }
    ctx.body = { anchors };
  });
  return router;
}
