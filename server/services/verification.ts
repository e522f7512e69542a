import type { PublicDocumentStatus } from '../../components/core/documents.ts';
import { normalizeVerificationCode } from '../../components/core/verification-code.ts';
import { agencies } from '../db/agencies.ts';
import { documents } from '../db/documents.ts';
import { HttpError, invalidField } from '../http-error.ts';
import type { Deps } from './deps.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The public status of a document by its verification code (as printed, typed with any
 * spacing or case, or read from the QR code). Unknown codes are 404: codes carry ~93 random
 * bits, so they cannot be guessed, and the route is rate-limited on top.
 */
export async function documentStatusByCode(deps: Deps, rawCode: string): Promise<PublicDocumentStatus> {
  const code = normalizeVerificationCode(rawCode);
  if (!code) throw invalidField('code', 'invalid', 'A verification code is 20 letters and digits, e.g. ACDE-FGHJ-KMNP-QRTU-VWXY');
  const d = await documents.byVerificationCode(deps.db, code);
  if (!d) throw new HttpError(404, 'document-not-found', 'No document has this verification code');
  const agency = await agencies.get(deps.db, d.agencyId);
  const successor = d.supersededBy ? await documents.get(deps.db, d.supersededBy) : undefined;
  return {
    verificationCode: d.verificationCode,
    status: d.supersededBy ? 'superseded' : d.revokedAt !== null ? 'revoked' : 'valid',
    title: d.title,
    issuer: { id: d.agencyId, name: agency?.name ?? d.agencyId },
    issuedAt: new Date(d.issuedAt).toISOString(),
    validUntil: iso(d.validUntil),
    sha256: d.sha256,
    revokedAt: iso(d.revokedAt),
    revocationReason: d.revocationReason,
    supersededBy: successor?.verificationCode ?? null,
  };
}
