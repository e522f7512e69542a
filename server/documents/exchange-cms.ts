/**
 * The signatures of the exchange protocol (docs/exchange.md): a detached CMS SignedData over
 * the canonical JSON of an envelope or a receipt, made with the agency's seal (the same CAdES
 * signer as the PDF seal: content-type, message-digest, signing-certificate-v2), so that
 * `openssl cms -verify -binary -inform DER -content envelope.json -CAfile root.pem` checks it
 * offline; and its verification against a partner's pinned certificate, with the checks of
 * components/core/pdf/cms.ts (one piece of code per rule).
 */
import { createHash } from 'node:crypto';
import {
  certificateFromDer, checkMessageDigest, checkSigningCertificate, digestAlgorithm, equalBytes, findSignerCertificate, nameAttribute, nameText, OID, parseCms,
  signedBytes, verifySignatureValue, type CertEntry,
} from '../../components/core/pdf/cms.ts';
import { buildChain, mayMakeSignatures, validityProblems } from '../../components/core/pdf/chain.ts';
import { createCms } from './seal.ts';
import type { SealKey } from './keys.ts';
import { certificatesFromPem, isSelfIssued, sha256Hex } from './certificates.ts';

/**
 * The detached CMS (DER) over `content`, by `seal`. It carries the seal's chain without a
 * self-signed root: the verifier has the root (its pin, or `-CAfile`), and every certificate
 * carried is one more to parse on each verification.
 */
export async function signDetached(content: Uint8Array, seal: SealKey): Promise<Uint8Array> {
  const keep = seal.chain.map((c, i) => i === 0 || !isSelfIssued(c));
  const carried = { ...seal, chain: seal.chain.filter((_, i) => keep[i]), chainDer: seal.chainDer.filter((_, i) => keep[i]) };
  return createCms(createHash('sha256').update(content).digest(), carried);
}

/** What a signature must chain to, from a partner's directory entry. */
export interface Pin {
  /** The pinned certificate (DER). */
  der: Uint8Array;
  /** A CA: the signer must chain to it and carry `name` as its organization (O) or common name (CN). */
  isCa: boolean;
  name: string;
}

export type DetachedResult =
  | { ok: true; signer: { subject: string; sha256: string; organization: string | undefined } }
  | { ok: false; reason: string };

/** The pinned certificate of a PEM text (its first certificate). */
export function pinOf(pem: string, isCa: boolean, name: string): Pin {
  const [der] = certificatesFromPem(pem);
  if (!der) throw new Error('no certificate in the PEM text');
  return { der, isCa, name };
}

/**
 * Verifies a detached CMS over `content` and that its signer is the pinned certificate (or,
 * for a CA pin, a certificate that chains to it and names the partner), valid at `at`. Never
 * throws; the reason says which check failed.
 */
export async function verifyDetached(cmsDer: Uint8Array, content: Uint8Array, pin: Pin, at: Date): Promise<DetachedResult> {
  const fail = (reason: string) => ({ ok: false as const, reason });
  const parsed = parseCms(cmsDer, 20);
  if (!parsed.ok) return fail(`the signature is not CMS SignedData: ${parsed.problem.detail}`);
  const cms = parsed.cms;
  if (cms.hasContent) return fail('the signature must be detached');
  const signer = await findSignerCertificate(cms);
  if (!signer) return fail('the signature does not carry its signer certificate');
  const si = cms.signerInfo;
  if (digestAlgorithm(si) !== 'SHA-256') return fail('the signature must use SHA-256');
  const digest = new Uint8Array(createHash('sha256').update(content).digest());
  const problems = checkMessageDigest(si, OID.data, digest);
  if (problems.length) return fail(problems.map((p) => p.detail).join('; '));
  const data = signedBytes(si);
  if (!data) return fail('the signature has no signed attributes');
  if ((await verifySignatureValue(si, signer, data, 'SHA-256')) !== 'valid') return fail('the signature value does not verify');
  const ess = await checkSigningCertificate(si, signer);
  if (ess.present && !ess.ok) return fail(ess.detail);
  if (!mayMakeSignatures(signer.cert)) return fail('the signer certificate may not make signatures');
  const anchors: CertEntry[] = [];
  if (!pin.isCa) {
    // The pinned seal itself: compared as bytes, never parsed.
    if (!equalBytes(signer.der, pin.der)) return fail('the signer is not the partner\'s pinned seal certificate');
  } else {
    anchors.push(certificateFromDer(pin.der));
    const chain = await buildChain(signer, cms.certificates, anchors, { maxLength: 6, maxSignatureChecks: 30 });
    if (!chain.ok) return fail(`the signer does not chain to the partner's pinned certificate: ${chain.detail}`);
    const names = [nameAttribute(signer.cert.subject, 'O'), nameAttribute(signer.cert.subject, 'CN')];
    if (!names.includes(pin.name)) return fail(`the signer certificate does not name the partner "${pin.name}"`);
  }
  const validity = validityProblems([signer], anchors, at).filter((p) => p.signer);
  if (validity.length) return fail(validity[0]!.detail);
  return { ok: true, signer: { subject: nameText(signer.cert.subject), sha256: sha256Hex(signer.der), organization: nameAttribute(signer.cert.subject, 'O') } };
}
