/**
 * The partners directory (issue 19, item 1): agencies hosted on other Overa servers that this
 * server exchanges documents with (services/exchange.ts). The operator adds one with `overa
 * partners add <agency-id> --url <base URL> --cert <PEM>`: the certificate pinned is the
 * partner's seal certificate (the first of the PEM file), or a CA its seal chains to (then the
 * seal must also name the partner, `--name`). Nothing from a partner is believed unless its seal
 * verifies against that pin (documents/exchange-cms.ts).
 */
import * as pkijs from 'pkijs';
import { agencies } from '../db/agencies.ts';
import { partners, type PartnerRecord } from '../db/partners.ts';
import { certificatesFromPem, certificateToPem, describeCertificate, isCa, sha256Hex, type CertificateInfo } from '../documents/certificates.ts';
import { nameAttribute } from '../../components/core/pdf/cms.ts';
import { HttpError, invalidField } from '../http-error.ts';
import type { Deps } from './deps.ts';
import type { User } from '../../components/core/user.ts';
import type { DirectoryAgency } from '../../components/core/api.ts';

const AGENCY_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface PartnerView {
  agencyId: string;
  name: string;
  url: string;
  /** The pinned certificate: subject, fingerprint, validity. */
  certificate: { subject: string; sha256: string; notAfter: string; ca: boolean };
  createdAt: string;
  updatedAt: string;
}

export function partnerView(p: PartnerRecord): PartnerView {
  const info = describeCertificate(certificatesFromPem(p.certificatePem)[0]!);
  return {
    agencyId: p.agencyId,
    name: p.name,
    url: p.url,
    certificate: { subject: info.subject, sha256: p.certificateSha256, notAfter: info.notAfter, ca: p.certificateIsCa },
    createdAt: new Date(p.createdAt).toISOString(),
    updatedAt: new Date(p.updatedAt).toISOString(),
  };
}

export interface PartnerInput {
  agencyId: string | undefined;
  url: string | undefined;
  /** PEM text: the seal certificate first (its chain may follow), or a CA certificate. */
  certificatePem: string | undefined;
  name?: string | undefined;
}

/** Adds a partner, or updates one (a moved server, a renewed seal). 400 on the field at fault. */
export async function addPartner(deps: Pick<Deps, 'db' | 'now'>, input: PartnerInput): Promise<PartnerView> {
  const { agencyId, url } = input;
  if (!agencyId || agencyId.length > 64 || !AGENCY_ID.test(agencyId)) throw invalidField('agencyId', 'invalid', 'The agency id is lower-case letters, digits and hyphens');
  if (await agencies.get(deps.db, agencyId)) throw invalidField('agencyId', 'local-agency', `"${agencyId}" is an agency of this server, not a partner`);
  let parsed: URL;
  try {
    parsed = new URL(url ?? '');
  } catch {
    throw invalidField('url', 'invalid', 'The URL is the partner server\'s base URL (https://…)');
  }
  if (!['https:', 'http:'].includes(parsed.protocol) || parsed.username || parsed.password || parsed.search || parsed.hash) {
    throw invalidField('url', 'invalid', 'The URL is the partner server\'s base URL (https://…), without credentials, query or fragment');
  }
  const ders = certificatesFromPem(input.certificatePem ?? '');
  if (ders.length === 0) throw invalidField('cert', 'invalid', 'The certificate file holds no PEM certificate');
  let cert: pkijs.Certificate;
  try {
    cert = pkijs.Certificate.fromBER(ders[0]!);
  } catch (err) {
    throw invalidField('cert', 'invalid', `The certificate cannot be read: ${(err as Error).message}`);
  }
  const ca = isCa(cert);
  const name = input.name?.trim() || nameAttribute(cert.subject, 'O') || nameAttribute(cert.subject, 'CN');
  if (!name) throw invalidField('name', 'required', 'Name the partner agency (--name): its certificate names no organization');
  if (ca && !input.name?.trim()) throw invalidField('name', 'required', 'With a CA certificate, give the partner\'s name as its seal certificate spells it (--name): the seal must name it');
  await partners.upsert(deps.db, {
    agencyId, name: name.slice(0, 200), url: parsed.toString().replace(/\/+$/, ''),
    // The whole file is kept: `GET /trust` publishes its last certificate (the partner's root) for <overa-verify>.
    certificatePem: ders.map(certificateToPem).join(''), certificateSha256: sha256Hex(ders[0]!), certificateIsCa: ca,
  }, deps.now());
  return partnerView((await partners.get(deps.db, agencyId))!);
}

export async function listPartners(deps: Pick<Deps, 'db'>): Promise<PartnerView[]> {
  return (await partners.list(deps.db)).map(partnerView);
}

export async function removePartner(deps: Pick<Deps, 'db'>, agencyId: string): Promise<void> {
  if (!(await partners.remove(deps.db, agencyId))) throw new HttpError(404, 'partner-not-found', `There is no partner "${agencyId}"`);
}

/**
 * The certificates a partner's documents verify against: the top of each partner's stored PEM
 * (its root when the chain was given). Published by `GET /trust` beside the local anchors.
 */
export async function partnerAnchors(deps: Pick<Deps, 'db'>): Promise<CertificateInfo[]> {
  const out: CertificateInfo[] = [];
  for (const p of await partners.list(deps.db)) {
    const ders = certificatesFromPem(p.certificatePem);
    if (ders.length) out.push(describeCertificate(ders[ders.length - 1]!));
  }
  return out;
}

/** One agency a document can be sent to: hosted here, or a partner on another server (the API's type, core). */
export type { DirectoryAgency };

/** `GET /agencies`: officials and admins see every agency they could send a document to (their own left out). */
export async function agencyDirectory(deps: Pick<Deps, 'db'>, user: User): Promise<DirectoryAgency[]> {
  if (user.kind === 'citizen') throw new HttpError(403, 'not-allowed', 'The agency directory is for officials');
  const local = (await agencies.list(deps.db)).filter((a) => a.id !== user.agencyId).map((a): DirectoryAgency => ({ id: a.id, name: a.name, kind: 'local' }));
  const remote = (await partners.list(deps.db)).map((p): DirectoryAgency => ({ id: p.agencyId, name: p.name, kind: 'partner', server: p.url }));
  return [...local, ...remote];
}
