import type { TrustAnchorInput } from '../../components/core/pdf/chain.ts';
import { agencies } from '../db/agencies.ts';
import type { CertificateInfo } from '../documents/keys.ts';
import type { Deps } from './deps.ts';
import { partnerAnchors } from './partners.ts';

/**
 * Where the verifier's trust anchors come from (PEM text or DER bytes), asked on each
 * request. The server's own trust store (the agencies' roots) plugs in here.
 */
export type TrustAnchorSource = (deps: Deps) => readonly TrustAnchorInput[] | Promise<readonly TrustAnchorInput[]>;

/** No anchors: every seal is then INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND, never trusted by default. */
export const NO_TRUST_ANCHORS: TrustAnchorSource = () => [];

/**
 * The anchors `GET /trust` publishes: the demo root (if any), each agency's root, and each
 * partner agency's (issue 19: a document received from another server verifies here too).
 * Distinct by fingerprint.
 */
export async function publishedAnchors(deps: Deps): Promise<CertificateInfo[]> {
  const ids = (await agencies.list(deps.db)).map((a) => a.id);
  const out = new Map<string, CertificateInfo>();
  for (const a of [...deps.keys.anchors(ids), ...(await partnerAnchors(deps))]) if (!out.has(a.sha256)) out.set(a.sha256, a);
  return [...out.values()];
}

/**
 * The same anchors for `POST /verify` (`createApp(config, {trustAnchors: sealTrustAnchors})`,
 * as `overa start` does): the server trusts exactly what it publishes.
 */
export const sealTrustAnchors: TrustAnchorSource = async (deps) => (await publishedAnchors(deps)).map((a) => a.pem);
