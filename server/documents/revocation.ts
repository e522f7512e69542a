/**
 * Revocation data for long-term signatures (PAdES B-LT, issue 18): for each certificate, an
 * OCSP response from the responder its Authority Information Access names, or — when it names
 * none — the CRL from its CRL distribution point. Built and read with pkijs (OCSPRequest,
 * OCSPResponse, BasicOCSPResponse, CertificateRevocationList); fetched over HTTP with a time
 * limit and a size limit; cached for as long as the answer is valid (its nextUpdate).
 *
 * The cache lives in a `RevocationSource`, made once per app (Deps.revocation): no module
 * state, and several instances each keep their own (the data is public and short-lived).
 *
 * Every answer is checked before it is used: OCSP — successful, a basic response signed by the
 * issuer or a responder it authorised (pkijs `verify`), for this certificate, `good`, current
 * (thisUpdate not in the future, nextUpdate not passed); CRL — signed by the issuer, current,
 * and not listing the certificate. A revoked certificate is `revoked`; anything else that goes
 * wrong is `unavailable` (no answer in time, an HTTP error) or `refused` (a bad answer).
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { nameToString } from './certificates.ts'; // (and sets the pkijs crypto engine)
import { readAtMost } from './read-at-most.ts';

export const REVOCATION_OIDS = {
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
  crlDistributionPoints: '2.5.29.31',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  basicOcspResponse: '1.3.6.1.5.5.7.48.1.1',
} as const;

export class RevocationError extends Error {
  constructor(message: string, readonly code: 'unavailable' | 'refused' | 'revoked') {
    super(message);
  }
}

/** One piece of revocation data, DER, as it goes into the DSS. */
export interface RevocationData {
  kind: 'ocsp' | 'crl';
  /** The OCSPResponse (whole, as RFC 6960 sends it) or the CertificateList. */
  der: Uint8Array;
  url: string;
  /** Certificates the answer carries (an OCSP responder's): they go into the DSS too. */
  certs: pkijs.Certificate[];
  /** Their DER, encoded once when the answer was fetched (the answer is reused from the cache). */
  certsDer?: Uint8Array[];
}

export interface RevocationOptions {
  /** Each HTTP request's time limit. */
  timeoutMs: number;
  now: () => number;
  fetch?: typeof fetch;
  /** Entries kept at most (oldest dropped first). */
  maxEntries?: number;
}

/** An OCSP response or a CRL is a few kilobytes; a CRL of a large CA may be megabytes. */
const MAX_OCSP = 64 * 1024;
const MAX_CRL = 16 * 1024 * 1024;
/** Clocks differ: an answer made this much "in the future" is still taken. */
const SKEW_MS = 5 * 60_000;

const httpUrls = (names: readonly pkijs.GeneralName[] | undefined): string[] =>
  (names ?? []).filter((n) => n.type === 6 && typeof n.value === 'string' && /^https?:\/\//i.test(n.value)).map((n) => n.value as string);

function extension(cert: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return cert.extensions?.find((e) => e.extnID === oid);
}

/** The OCSP responders a certificate's AIA names (http only). */
export function ocspUrls(cert: pkijs.Certificate): string[] {
  const ext = extension(cert, REVOCATION_OIDS.authorityInfoAccess);
  if (!ext) return [];
  // pkijs parses a known extension once per certificate object (Extension.parsedValue) and keeps
  // it: the seal's chain is the same objects for every document, so this is read once.
  const parsed: unknown = ext.parsedValue;
  const aia = parsed instanceof pkijs.InfoAccess ? parsed : new pkijs.InfoAccess({ schema: asn1js.fromBER(ext.extnValue.valueBlock.valueHexView.slice()).result });
  return httpUrls(aia.accessDescriptions.filter((d) => d.accessMethod === REVOCATION_OIDS.ocsp).map((d) => d.accessLocation));
}

/** The CRL distribution points of a certificate (full names, http only). */
export function crlUrls(cert: pkijs.Certificate): string[] {
  const ext = extension(cert, REVOCATION_OIDS.crlDistributionPoints);
  if (!ext) return [];
  const parsed: unknown = ext.parsedValue;
  const dps = parsed instanceof pkijs.CRLDistributionPoints ? parsed : new pkijs.CRLDistributionPoints({ schema: asn1js.fromBER(ext.extnValue.valueBlock.valueHexView.slice()).result });
  return dps.distributionPoints.flatMap((dp) => (Array.isArray(dp.distributionPoint) ? httpUrls(dp.distributionPoint) : []));
}

/** An OCSP responder certificate marked id-pkix-ocsp-nocheck needs no revocation data of its own (RFC 6960 4.2.2.2.1). */
export const hasOcspNoCheck = (cert: pkijs.Certificate) => Boolean(extension(cert, REVOCATION_OIDS.ocspNoCheck));

const serialHex = (cert: pkijs.Certificate) => Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex');
const der = (cert: pkijs.Certificate) => new Uint8Array(cert.toSchema().toBER());

interface Cached {
  data: RevocationData;
  /** A CRL's revoked serial numbers (hex), read once when it was fetched, not at each look-up. */
  revoked?: ReadonlySet<string>;
  /** Until when the answer may be reused (its nextUpdate). */
  until: number;
}

/** Fetches, checks and caches revocation data (one per app: Deps.revocation). */
export class RevocationSource {
  private readonly cache = new Map<string, Cached>();
  /** Answers fetched over the network (not from the cache), for figures and tests. */
  fetched = 0;

  constructor(private readonly options: RevocationOptions) {}

  /**
   * Revocation data for `cert` issued by `issuer`: OCSP when the certificate names a
   * responder, else its CRL. Throws RevocationError; a certificate naming neither gets `null`
   * (there is nothing to fetch: said by the caller, never guessed).
   */
  async forCertificate(cert: pkijs.Certificate, issuer: pkijs.Certificate): Promise<RevocationData | null> {
    const ocsp = ocspUrls(cert);
    if (ocsp.length) return this.ocsp(cert, issuer, ocsp[0]!);
    const crls = crlUrls(cert);
    if (crls.length) return this.crl(cert, issuer, crls[0]!);
    return null;
  }

  private remember(key: string, data: RevocationData, until: number, revoked?: ReadonlySet<string>): void {
    if (until <= this.options.now()) return;
    this.cache.delete(key);
    this.cache.set(key, { data, until, ...(revoked ? { revoked } : {}) });
    const max = this.options.maxEntries ?? 1000;
    while (this.cache.size > max) this.cache.delete(this.cache.keys().next().value!);
  }

  private cached(key: string): Cached | undefined {
    const hit = this.cache.get(key);
    if (!hit) return undefined;
    if (hit.until <= this.options.now()) {
      this.cache.delete(key);
      return undefined;
    }
    return hit;
  }

  private async get(url: string, init: RequestInit, limit: number, what: string): Promise<ArrayBuffer> {
    try {
      const res = await (this.options.fetch ?? fetch)(url, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs) });
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`HTTP ${res.status}`);
      }
      const body = await readAtMost(res, limit, `an answer of the ${what}`);
      this.fetched++;
      return body;
    } catch (err) {
      const e = err as Error;
      const reason = e.name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : (e.cause as Error | undefined)?.message ?? e.message;
      throw new RevocationError(`the ${what} at ${url} did not answer: ${reason}`, 'unavailable');
    }
  }

  private async ocsp(cert: pkijs.Certificate, issuer: pkijs.Certificate, url: string): Promise<RevocationData> {
    // The issuer by the hash of its signed part as read (tbsView): `der(issuer)` would parse and encode it again at every look-up.
    const issuerId = issuer.tbsView?.byteLength ? issuer.tbsView : der(issuer);
    const key = `ocsp ${url} ${createHash('sha256').update(issuerId).digest('hex')} ${serialHex(cert)}`;
    const hit = this.cached(key);
    if (hit) return hit.data;
    const request = new pkijs.OCSPRequest();
    await request.createForCertificate(cert, { hashAlgorithm: 'SHA-1', issuerCertificate: issuer });
    const body = await this.get(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/ocsp-request', Accept: 'application/ocsp-response' },
      body: new Uint8Array(request.toSchema(true).toBER()),
    }, MAX_OCSP, 'OCSP responder');
    const now = this.options.now();
    const refused = (why: string) => new RevocationError(`the OCSP responder at ${url} gave no usable answer for ${nameToString(cert.subject)}: ${why}`, 'refused');
    let basic: pkijs.BasicOCSPResponse;
    try {
      const response = pkijs.OCSPResponse.fromBER(body);
      const status = response.responseStatus.valueBlock.valueDec;
      if (status !== 0) throw refused(`status ${status}`);
      if (!response.responseBytes || response.responseBytes.responseType !== REVOCATION_OIDS.basicOcspResponse) throw refused('not a basic OCSP response');
      basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes.response.valueBlock.valueHexView.slice());
    } catch (err) {
      if (err instanceof RevocationError) throw err;
      throw refused(`malformed (${(err as Error).message})`);
    }
    let verified = false;
    try {
      verified = await basic.verify({ trustedCerts: [issuer] });
    } catch (err) {
      throw refused(`the responder is not authorised by the issuer (${(err as Error).message})`);
    }
    if (!verified) throw refused('its signature does not verify');
    const single = await this.singleFor(basic, cert, issuer);
    if (!single) throw refused('it is about another certificate');
    const thisUpdate = single.thisUpdate.getTime();
    const nextUpdate = single.nextUpdate?.getTime();
    if (thisUpdate > now + SKEW_MS) throw refused(`thisUpdate ${single.thisUpdate.toISOString()} is in the future`);
    if (nextUpdate !== undefined && nextUpdate <= now) throw refused(`it expired at ${single.nextUpdate!.toISOString()}`);
    const statusTag = single.certStatus.idBlock.tagNumber;
    if (statusTag === 1) throw new RevocationError(`the certificate ${serialHex(cert)} is revoked (OCSP, ${url})`, 'revoked');
    if (statusTag !== 0) throw refused('status unknown');
    const certs = basic.certs ?? [];
    const data: RevocationData = { kind: 'ocsp', der: new Uint8Array(body), url, certs, certsDer: certs.map(der) };
    // Without a nextUpdate, newer information is always available (RFC 6960 4.2.2.1): no reuse.
    if (nextUpdate !== undefined) this.remember(key, data, nextUpdate);
    return data;
  }

  private async singleFor(basic: pkijs.BasicOCSPResponse, cert: pkijs.Certificate, issuer: pkijs.Certificate): Promise<pkijs.SingleResponse | undefined> {
    for (const single of basic.tbsResponseData.responses) {
      const id = new pkijs.CertID();
      await id.createForCertificate(cert, { hashAlgorithm: single.certID.hashAlgorithm.algorithmId === '1.3.14.3.2.26' ? 'SHA-1' : 'SHA-256', issuerCertificate: issuer });
      if (id.isEqual(single.certID)) return single;
    }
    return undefined;
  }

  private async crl(cert: pkijs.Certificate, issuer: pkijs.Certificate, url: string): Promise<RevocationData> {
    const key = `crl ${url}`;
    const hit = this.cached(key);
    let data = hit?.data;
    let revoked = hit?.revoked;
    const refused = (why: string) => new RevocationError(`the CRL at ${url} is not usable: ${why}`, 'refused');
    if (!data || !revoked) {
      const body = await this.get(url, { method: 'GET', headers: { Accept: 'application/pkix-crl' } }, MAX_CRL, 'CRL distribution point');
      let list: pkijs.CertificateRevocationList;
      try {
        list = pkijs.CertificateRevocationList.fromBER(body);
      } catch (err) {
        throw refused(`malformed (${(err as Error).message})`);
      }
      if (!list.issuer.isEqual(issuer.subject)) throw refused('it is issued by another CA');
      if (!(await list.verify({ issuerCertificate: issuer }))) throw refused('its signature does not verify');
      const now = this.options.now();
      if (list.thisUpdate.value.getTime() > now + SKEW_MS) throw refused('thisUpdate is in the future');
      if (list.nextUpdate && list.nextUpdate.value.getTime() <= now) throw refused(`it expired at ${list.nextUpdate.value.toISOString()}`);
      data = { kind: 'crl', der: new Uint8Array(body), url, certs: [] };
      // DER INTEGERs are minimal: equal serials have equal bytes, so hex compares them as isEqual did.
      revoked = new Set((list.revokedCertificates ?? []).map((r) => Buffer.from(r.userCertificate.valueBlock.valueHexView).toString('hex')));
      if (list.nextUpdate) this.remember(key, data, list.nextUpdate.value.getTime(), revoked);
    }
    if (revoked.has(serialHex(cert))) {
      throw new RevocationError(`the certificate ${serialHex(cert)} is revoked (CRL, ${url})`, 'revoked');
    }
    return data;
  }
}
