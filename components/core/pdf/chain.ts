/**
 * Certificate paths from a signer to the verifier's trust anchors, and the checks on them
 * at a given time: each certificate's signature by its issuer, issuers being CAs (basic
 * constraints, keyCertSign, path length), validity at the signing time, and the signer's
 * key usage.
 *
 * What it does not do (and the report cannot claim): revocation (no CRL or OCSP is fetched;
 * an offline verifier has none), name constraints and certificate policies. Trust anchors
 * are taken as given (name and key), whatever their own validity dates, as RFC 5280 treats
 * them.
 */
import * as asn1js from 'asn1js';
import type { BasicConstraints, Certificate } from 'pkijs';
import { fromBase64Url } from '../encoding.ts';
import { authorityKeyIdentifier, certificateFromDer, cryptoEngine, equalBytes, OID, subjectKeyIdentifier, verifyCertificateSignature, type CertEntry } from './cms.ts';

/** Trust anchors as the caller gives them: PEM text (one or more certificates) or DER bytes. */
export type TrustAnchorInput = string | Uint8Array | ArrayBuffer;

const PEM = /-----BEGIN (?:TRUSTED )?CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END (?:TRUSTED )?CERTIFICATE-----/g;

/**
 * Parsed PEM anchors by their text: a server passes the same trust store on every request.
 * Bounded, and only ever holds what callers gave as trust anchors.
 */
const pemCache = new Map<string, CertEntry[]>();
const PEM_CACHE_MAX = 64;

/** Reads trust anchors; ones that cannot be read are counted, not thrown. */
export function readTrustAnchors(inputs: unknown, max: number): { anchors: CertEntry[]; unreadable: number } {
  const anchors: CertEntry[] = [];
  let unreadable = 0;
  const list = Array.isArray(inputs) ? inputs : [];
  for (const input of list.slice(0, max)) {
    const cached = typeof input === 'string' ? pemCache.get(input) : undefined;
    if (cached) {
      anchors.push(...cached);
      continue;
    }
    const ders: Uint8Array[] = [];
    try {
      if (typeof input === 'string') {
        for (const m of input.matchAll(PEM)) {
          const b64 = m[1]!.replace(/\s+/g, '').replace(/=+$/, '');
          ders.push(fromBase64Url(b64.replace(/\+/g, '-').replace(/\//g, '_')));
        }
        if (ders.length === 0) unreadable++;
      } else if (input instanceof Uint8Array) {
        ders.push(input);
      } else if (input instanceof ArrayBuffer) {
        ders.push(new Uint8Array(input));
      } else {
        unreadable++;
      }
    } catch {
      unreadable++;
    }
    const parsed: CertEntry[] = [];
    let bad = 0;
    for (const der of ders) {
      try {
        parsed.push(certificateFromDer(der));
      } catch {
        bad++;
      }
    }
    unreadable += bad;
    anchors.push(...parsed);
    if (typeof input === 'string' && bad === 0 && parsed.length > 0) {
      if (pemCache.size >= PEM_CACHE_MAX) pemCache.delete(pemCache.keys().next().value!);
      pemCache.set(input, parsed);
    }
  }
  unreadable += Math.max(0, list.length - max);
  return { anchors, unreadable };
}

export type ChainProblemCode = 'no-trust-anchors' | 'no-chain' | 'issuer-not-ca' | 'chain-too-long';

export type ChainResult = { ok: true; path: CertEntry[] } | { ok: false; code: ChainProblemCode; detail: string };

export interface ChainOptions {
  maxLength: number;
  /** Certificate signature checks allowed for one path search. */
  maxSignatureChecks: number;
  /** Called before each certificate signature check (a verification's budget); may throw to stop the search. */
  beforeSignatureCheck?: () => void;
}

const spkiCache = new WeakMap<Certificate, Uint8Array>();

/** The encoded public key, once per certificate object (re-encoding is the costly part of comparing anchors). */
function spkiBytes(cert: Certificate): Uint8Array {
  let bytes = spkiCache.get(cert);
  if (!bytes) {
    bytes = new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER(false));
    spkiCache.set(cert, bytes);
  }
  return bytes;
}

function isAnchor(entry: CertEntry, anchors: readonly CertEntry[]): boolean {
  return anchors.some((a) => equalBytes(a.der, entry.der) || (a.cert.subject.isEqual(entry.cert.subject) && equalBytes(spkiBytes(a.cert), spkiBytes(entry.cert))));
}

function basicConstraints(cert: Certificate): BasicConstraints | undefined {
  return cert.extensions?.find((e) => e.extnID === OID.basicConstraints)?.parsedValue as BasicConstraints | undefined;
}

/** The key usage bits (bit 0 = digitalSignature … bit 8), or undefined without the extension. */
export function keyUsage(cert: Certificate): Set<number> | undefined {
  const ext = cert.extensions?.find((e) => e.extnID === OID.keyUsage);
  if (!ext) return undefined;
  const bits = ext.parsedValue as asn1js.BitString | undefined;
  const view = bits?.valueBlock?.valueHexView;
  const set = new Set<number>();
  if (!view) return set;
  for (let i = 0; i < view.length * 8 && i < 16; i++) if (view[i >> 3]! & (0x80 >> (i & 7))) set.add(i);
  return set;
}

export const KEY_USAGE = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5 } as const;

function caProblem(cert: Certificate, below: number): string | undefined {
  const bc = basicConstraints(cert);
  if (!bc?.cA) return 'is not a CA (basic constraints)';
  const ku = keyUsage(cert);
  if (ku && !ku.has(KEY_USAGE.keyCertSign)) return 'may not sign certificates (key usage)';
  const len = typeof bc.pathLenConstraint === 'number' ? bc.pathLenConstraint : bc.pathLenConstraint?.valueBlock?.valueDec;
  if (typeof len === 'number' && below > len) return `allows ${len} intermediate certificate(s) below it, the path has ${below}`;
  return undefined;
}

function issuedBy(child: Certificate, issuer: Certificate): boolean {
  if (!issuer.subject.isEqual(child.issuer)) return false;
  const aki = authorityKeyIdentifier(child);
  const ski = subjectKeyIdentifier(issuer);
  return !(aki && ski && !equalBytes(aki, ski));
}

/**
 * A path signer → … → trust anchor, built from the anchors and the certificates the
 * signature carries (`pool`), depth-first, anchors tried first. The first complete path
 * whose signatures verify and whose issuers are CAs wins.
 */
export async function buildChain(signer: CertEntry, pool: readonly CertEntry[], anchors: readonly CertEntry[], options: ChainOptions): Promise<ChainResult> {
  if (anchors.length === 0) return { ok: false, code: 'no-trust-anchors', detail: 'no trust anchors were given' };
  let checks = 0;
  let failure: { code: ChainProblemCode; detail: string } | undefined;
  const candidates = [...anchors, ...pool];

  async function extend(path: CertEntry[]): Promise<CertEntry[] | undefined> {
    const current = path[path.length - 1]!;
    if (isAnchor(current, anchors)) return path;
    if (path.length > options.maxLength) {
      failure ??= { code: 'chain-too-long', detail: `no trust anchor within ${options.maxLength} certificates` };
      return undefined;
    }
    for (const next of candidates) {
      if (path.some((p) => p.der === next.der || equalBytes(p.der, next.der)) || !issuedBy(current.cert, next.cert)) continue;
      if (++checks > options.maxSignatureChecks) return undefined;
      options.beforeSignatureCheck?.();
      let valid = false;
      try {
        valid = (await verifyCertificateSignature(current.cert, next.cert, spkiBytes(next.cert))) ?? (await current.cert.verify(next.cert, cryptoEngine()));
      } catch {
        valid = false;
      }
      if (!valid) continue;
      // Trust anchors are trusted as given; every other issuer must be a CA allowed this deep.
      if (!isAnchor(next, anchors)) {
        const problem = caProblem(next.cert, path.length - 1);
        if (problem) {
          failure = { code: 'issuer-not-ca', detail: `${describe(next)} ${problem}` };
          continue;
        }
      }
      const found = await extend([...path, next]);
      if (found) return found;
    }
    return undefined;
  }

  const path = await extend([signer]);
  if (path) return { ok: true, path };
  return { ok: false, ...(failure ?? { code: 'no-chain', detail: 'the signer certificate does not lead to any of the trust anchors' }) };
}

function describe(entry: CertEntry): string {
  const cn = entry.cert.subject.typesAndValues.find((t) => t.type === '2.5.4.3');
  const text = (cn?.value as { valueBlock?: { value?: unknown } } | undefined)?.valueBlock?.value;
  return typeof text === 'string' ? `"${text.slice(0, 100)}"` : 'a certificate';
}

export type ValidityProblem = { code: 'certificate-expired' | 'certificate-not-yet-valid'; detail: string; signer: boolean };

/** Certificates of `path` (except a trust anchor at its end) that are not valid at `at`. */
export function validityProblems(path: readonly CertEntry[], anchors: readonly CertEntry[], at: Date): ValidityProblem[] {
  const out: ValidityProblem[] = [];
  path.forEach((entry, i) => {
    if (i > 0 && i === path.length - 1 && isAnchor(entry, anchors)) return;
    const { notBefore, notAfter } = entry.cert;
    const who = i === 0 ? 'the signer certificate' : `the CA certificate ${describe(entry)}`;
    if (at.getTime() > notAfter.value.getTime()) {
      out.push({ code: 'certificate-expired', detail: `${who} expired on ${notAfter.value.toISOString()}, before ${at.toISOString()}`, signer: i === 0 });
    } else if (at.getTime() < notBefore.value.getTime()) {
      out.push({ code: 'certificate-not-yet-valid', detail: `${who} is valid only from ${notBefore.value.toISOString()}, after ${at.toISOString()}`, signer: i === 0 });
    }
  });
  return out;
}

/** True when the certificate may make signatures: no key usage extension, or digitalSignature or nonRepudiation. */
export function mayMakeSignatures(cert: Certificate): boolean {
  const ku = keyUsage(cert);
  return !ku || ku.has(KEY_USAGE.digitalSignature) || ku.has(KEY_USAGE.nonRepudiation);
}

/** True when a time-stamping certificate may time-stamp: no extended key usage, or id-kp-timeStamping. */
export function mayTimeStamp(cert: Certificate): boolean {
  const ext = cert.extensions?.find((e) => e.extnID === OID.extKeyUsage);
  if (!ext) return true;
  const eku = ext.parsedValue as { keyPurposes?: string[] } | undefined;
  return eku?.keyPurposes?.includes(OID.timeStamping) ?? false;
}
