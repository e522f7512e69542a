/**
 * Revocation data as PDF signatures carry it — OCSP responses (RFC 6960) and CRLs
 * (RFC 5280), from a DSS dictionary or from the signature's own CMS — checked offline
 * against one certificate and its issuer:
 *
 * - OCSP: a BasicOCSPResponse (bare, or inside an OCSPResponse whose status is successful);
 *   a SingleResponse whose CertID names this certificate (issuer name and key hashes, serial
 *   number; a response for another certificate is no evidence); signed by the issuing CA
 *   itself or by a responder the CA delegated to (a certificate the CA issued, with
 *   id-kp-OCSPSigning), valid when the response was produced.
 * - CRL: issued by the certificate's issuer (same name, signature by its key: indirect CRLs
 *   are not read), the serial number listed or not.
 *
 * Then `judgeRevocation` says what the accepted pieces prove about a certificate at a time.
 * pkijs parses; signatures are checked with WebCrypto (cms.ts), never with pkijs's own
 * `BasicOCSPResponse.verify`, which builds chains with its own trust rules.
 */
import * as asn1js from 'asn1js';
import { BasicOCSPResponse, CertificateRevocationList, type SingleResponse } from 'pkijs';
import type { ReportReason } from '../report.ts';
import { equalBytes, OID, verifyCertificateSignature, verifySignedStructure, type CertEntry, type DigestName } from './cms.ts';

const HASHES: Record<string, DigestName> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

function bytesOf(view: ArrayBuffer | Uint8Array): Uint8Array {
  return view instanceof Uint8Array ? view : new Uint8Array(view);
}

async function digest(name: DigestName, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(name, data as Uint8Array<ArrayBuffer>));
}

/** One piece of revocation data as read (not yet checked). */
export type RevocationItem =
  | { type: 'OCSP'; der: Uint8Array; basic: BasicOCSPResponse; source: 'dss' | 'signature'; offset?: number }
  | { type: 'CRL'; der: Uint8Array; crl: CertificateRevocationList; source: 'dss' | 'signature'; offset?: number };

/** Reads an OCSP response (OCSPResponse or a bare BasicOCSPResponse); undefined when it is neither or not successful. */
export function readOcsp(der: Uint8Array): BasicOCSPResponse | undefined {
  try {
    const asn1 = asn1js.fromBER(der as Uint8Array<ArrayBuffer>);
    if (asn1.offset === -1) return undefined;
    const seq = asn1.result;
    if (!(seq instanceof asn1js.Sequence)) return undefined;
    const [first, bytes] = seq.valueBlock.value;
    if (first instanceof asn1js.Enumerated) {
      // OCSPResponse: status, [0] EXPLICIT ResponseBytes { responseType, response OCTET STRING }.
      // Read by hand: pkijs's OCSPResponse schema would decode the BasicOCSPResponse a second time.
      if (first.valueBlock.valueDec !== 0 || !(bytes instanceof asn1js.Constructed) || bytes.idBlock.tagClass !== 3 || bytes.idBlock.tagNumber !== 0) return undefined;
      const rb = bytes.valueBlock.value[0];
      if (!(rb instanceof asn1js.Sequence)) return undefined;
      const [type, response] = rb.valueBlock.value;
      if (!(type instanceof asn1js.ObjectIdentifier) || type.valueBlock.toString() !== OID.ocspBasic || !(response instanceof asn1js.OctetString)) return undefined;
      return BasicOCSPResponse.fromBER(response.valueBlock.valueHexView as Uint8Array<ArrayBuffer>);
    }
    return new BasicOCSPResponse({ schema: seq });
  } catch {
    return undefined;
  }
}

export function readCrl(der: Uint8Array): CertificateRevocationList | undefined {
  try {
    return CertificateRevocationList.fromBER(der as Uint8Array<ArrayBuffer>);
  } catch {
    return undefined;
  }
}

/** What one accepted piece of revocation data says about one certificate. */
export interface RevocationFinding {
  type: 'OCSP' | 'CRL';
  source: 'dss' | 'signature';
  status: 'good' | 'revoked' | 'unknown';
  revokedAt?: Date;
  thisUpdate: Date;
  nextUpdate?: Date;
  producedAt?: Date;
  /** Who signed it. */
  signer: CertEntry;
  offset?: number;
}

export type RevocationCheck = { ok: true; finding: RevocationFinding } | { ok: false; matches: boolean; reason: ReportReason; signer?: CertEntry };

const EXPECTED_SKEW_MS = 5 * 60_000;

function keyBits(cert: CertEntry): Uint8Array {
  return bytesOf(cert.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
}

function hasEku(cert: CertEntry, oid: string): boolean {
  const ext = cert.cert.extensions?.find((e) => e.extnID === OID.extKeyUsage);
  const eku = ext?.parsedValue as { keyPurposes?: string[] } | undefined;
  return eku?.keyPurposes?.includes(oid) ?? false;
}

function validAt(cert: CertEntry, at: Date): boolean {
  return at.getTime() >= cert.cert.notBefore.value.getTime() - EXPECTED_SKEW_MS && at.getTime() <= cert.cert.notAfter.value.getTime();
}

async function certIdMatches(single: SingleResponse, cert: CertEntry, issuer: CertEntry): Promise<boolean> {
  const hash = HASHES[single.certID.hashAlgorithm.algorithmId];
  if (!hash) return false;
  if (!single.certID.serialNumber.isEqual(cert.cert.serialNumber)) return false;
  const nameDer = bytesOf(cert.cert.issuer.valueBeforeDecode);
  const nameHash = await digest(hash, nameDer.length > 0 ? nameDer : bytesOf(cert.cert.issuer.toSchema().toBER(false)));
  if (!equalBytes(nameHash, bytesOf(single.certID.issuerNameHash.valueBlock.valueHexView))) return false;
  return equalBytes(await digest(hash, keyBits(issuer)), bytesOf(single.certID.issuerKeyHash.valueBlock.valueHexView));
}

function certStatus(single: SingleResponse): { status: 'good' | 'revoked' | 'unknown'; revokedAt?: Date } {
  const block = single.certStatus as asn1js.BaseBlock | undefined;
  const tag = block?.idBlock.tagNumber;
  if (block?.idBlock.tagClass !== 3) return { status: 'unknown' };
  if (tag === 0) return { status: 'good' };
  if (tag === 1) {
    const value = (block as asn1js.Constructed).valueBlock.value?.[0];
    if (value instanceof asn1js.GeneralizedTime) return { status: 'revoked', revokedAt: value.toDate() };
    // IMPLICIT tagging read as primitive: the time as text.
    return { status: 'revoked' };
  }
  return { status: 'unknown' };
}

/**
 * Checks an OCSP response against `cert` (issued by `issuer`). `candidates` are certificates
 * the responder may be (the response's own, the DSS's). Counts each signature check through
 * `beforeSignatureCheck`.
 */
export async function checkOcsp(
  basic: BasicOCSPResponse,
  cert: CertEntry,
  issuer: CertEntry,
  candidates: readonly CertEntry[],
  beforeSignatureCheck: () => void,
): Promise<RevocationCheck> {
  const fail = (code: string, detail: string, matches: boolean): RevocationCheck => ({ ok: false, matches, reason: { code, detail } });
  let single: SingleResponse | undefined;
  for (const s of basic.tbsResponseData.responses.slice(0, 100)) {
    if (await certIdMatches(s, cert, issuer)) {
      single = s;
      break;
    }
  }
  if (!single) return fail('ocsp-cert-id-mismatch', 'the OCSP response is for another certificate', false);
  const producedAt = basic.tbsResponseData.producedAt;
  // Who signed: the CA itself (by name or by key hash), or a responder it delegated to.
  const rid = basic.tbsResponseData.responderID as unknown;
  const own = (basic.certs ?? []).map((c) => ({ cert: c, der: bytesOf(c.toSchema().toBER(false)) }));
  const pool = [issuer, ...own, ...candidates];
  const matchesId = async (c: CertEntry): Promise<boolean> => {
    if (rid instanceof asn1js.OctetString) return equalBytes(await digest('SHA-1', keyBits(c)), bytesOf(rid.valueBlock.valueHexView));
    return typeof (rid as { isEqual?: unknown })?.isEqual === 'function' && (rid as { isEqual: (o: unknown) => boolean }).isEqual(c.cert.subject);
  };
  let signer: CertEntry | undefined;
  for (const c of pool.slice(0, 60)) {
    if (await matchesId(c)) {
      signer = c;
      break;
    }
  }
  if (!signer) return fail('ocsp-responder-unknown', 'the OCSP responder certificate is not in the response or the document', true);
  const isCa = equalBytes(keyBits(signer), keyBits(issuer)) && signer.cert.subject.isEqual(issuer.cert.subject);
  if (!isCa) {
    if (!signer.cert.issuer.isEqual(issuer.cert.subject)) return fail('ocsp-responder-not-authorised', 'the OCSP responder is neither the issuing CA nor a responder it certified', true);
    if (!hasEku(signer, OID.ocspSigning)) return fail('ocsp-responder-not-authorised', 'the delegated OCSP responder certificate lacks id-kp-OCSPSigning', true);
    beforeSignatureCheck();
    const spki = bytesOf(issuer.cert.subjectPublicKeyInfo.toSchema().toBER(false));
    const issued = (await verifyCertificateSignature(signer.cert, issuer.cert, spki)) ?? (await verifySignedStructure(signer.cert.signatureAlgorithm, signer.cert.tbsView, signer.cert.signatureValue, issuer.cert));
    if (!issued) return fail('ocsp-responder-not-authorised', 'the delegated OCSP responder certificate was not issued by the CA', true);
    if (!validAt(signer, producedAt)) return fail('ocsp-responder-expired', `the OCSP responder certificate was not valid when the response was produced (${producedAt.toISOString()})`, true);
  }
  beforeSignatureCheck();
  const signed = await verifySignedStructure(basic.signatureAlgorithm, basic.tbsResponseData.tbsView, basic.signature, signer.cert);
  if (!signed) return { ok: false, matches: true, reason: { code: 'ocsp-signature-invalid', detail: 'the OCSP response signature does not verify' }, signer };
  if (single.nextUpdate && single.nextUpdate.getTime() < single.thisUpdate.getTime()) return fail('ocsp-dates-invalid', 'nextUpdate precedes thisUpdate', true);
  const finding: RevocationFinding = { type: 'OCSP', source: 'dss', ...certStatus(single), thisUpdate: single.thisUpdate, producedAt, signer };
  if (single.nextUpdate) finding.nextUpdate = single.nextUpdate;
  return { ok: true, finding };
}

/** Checks a CRL against `cert` (issued by `issuer`): the CRL's issuer must be that CA and its signature verify. */
export async function checkCrl(crl: CertificateRevocationList, cert: CertEntry, issuer: CertEntry, beforeSignatureCheck: () => void): Promise<RevocationCheck> {
  if (!crl.issuer.isEqual(cert.cert.issuer) || !crl.issuer.isEqual(issuer.cert.subject)) return { ok: false, matches: false, reason: { code: 'crl-other-issuer', detail: 'the CRL is by another issuer' } };
  beforeSignatureCheck();
  if (!(await verifySignedStructure(crl.signature, crl.tbsView, crl.signatureValue, issuer.cert))) {
    return { ok: false, matches: true, reason: { code: 'crl-signature-invalid', detail: 'the CRL signature does not verify with the issuing CA' } };
  }
  const thisUpdate = crl.thisUpdate.value;
  const nextUpdate = crl.nextUpdate?.value;
  if (nextUpdate && nextUpdate.getTime() < thisUpdate.getTime()) return { ok: false, matches: true, reason: { code: 'crl-dates-invalid', detail: 'nextUpdate precedes thisUpdate' } };
  const entry = crl.revokedCertificates?.find((r) => r.userCertificate.isEqual(cert.cert.serialNumber));
  const finding: RevocationFinding = { type: 'CRL', source: 'dss', status: entry ? 'revoked' : 'good', thisUpdate, signer: issuer };
  if (entry) finding.revokedAt = entry.revocationDate.value;
  if (nextUpdate) finding.nextUpdate = nextUpdate;
  return { ok: true, finding };
}

/**
 * What accepted revocation data proves about a certificate at time `at` (the best signature
 * time, or the validation time):
 * - `revoked`: some piece says it was revoked (at `revokedAt`, the earliest said);
 * - `good`: a piece says it was not revoked and covers `at` — issued at or after `at`
 *   (revocation is not undone), or valid over it (thisUpdate ≤ at ≤ nextUpdate) — and was
 *   issued while the certificate was still within its validity (a CA may drop expired
 *   certificates from its CRLs and its responder);
 * - `stale`: only pieces issued before `at` and no longer valid then (DSS: TRY_LATER);
 * - `none`: nothing accepted.
 */
export function judgeRevocation(
  findings: readonly RevocationFinding[],
  cert: CertEntry,
  at: Date,
): { verdict: 'revoked'; revokedAt: Date | undefined; finding: RevocationFinding } | { verdict: 'good'; finding: RevocationFinding } | { verdict: 'stale' | 'none' | 'unknown' } {
  const revoked = findings.filter((f) => f.status === 'revoked');
  if (revoked.length > 0) {
    const earliest = revoked.reduce((a, b) => ((b.revokedAt?.getTime() ?? 0) < (a.revokedAt?.getTime() ?? 0) ? b : a));
    return { verdict: 'revoked', revokedAt: earliest.revokedAt, finding: earliest };
  }
  const notAfter = cert.cert.notAfter.value.getTime();
  const good = findings.filter((f) => f.status === 'good' && f.thisUpdate.getTime() <= notAfter);
  const covering = good.find((f) => f.thisUpdate.getTime() >= at.getTime() - EXPECTED_SKEW_MS || (f.nextUpdate !== undefined && at.getTime() <= f.nextUpdate.getTime()));
  if (covering) return { verdict: 'good', finding: covering };
  if (good.length > 0) return { verdict: 'stale' };
  if (findings.some((f) => f.status === 'unknown')) return { verdict: 'unknown' };
  return { verdict: 'none' };
}
