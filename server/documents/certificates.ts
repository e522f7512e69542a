/**
 * X.509 certificates with pkijs: building the demo root and seal certificates, reading and
 * describing certificates, checking a chain. Distinguished names are encoded the standard
 * way, one attribute per RDN (pkijs, left to itself, puts them all in one multi-valued RDN,
 * which OpenSSL shows as `C = RS + O = … + CN = …`).
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describeKey } from '../../components/core/pdf/cms.ts';

/** pkijs's engine over Node's WebCrypto: the default engine, and the one seal key files sign with. */
export const NODE_ENGINE: pkijs.ICryptoEngine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto });
pkijs.setEngine('node', NODE_ENGINE);

/** DER bytes (backed by an ArrayBuffer, as WebCrypto and pkijs want). */
export type Der = Uint8Array<ArrayBuffer>;

export const OID = {
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  localityName: '2.5.4.7',
  stateOrProvinceName: '2.5.4.8',
  organizationIdentifier: '2.5.4.97',
  givenName: '2.5.4.42',
  surname: '2.5.4.4',
  emailAddress: '1.2.840.113549.1.9.1',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  ecPublicKey: '1.2.840.10045.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

const SHORT_NAMES: Record<string, string> = {
  [OID.countryName]: 'C',
  [OID.organizationName]: 'O',
  [OID.organizationalUnitName]: 'OU',
  [OID.commonName]: 'CN',
  [OID.serialNumber]: 'serialNumber',
  [OID.localityName]: 'L',
  [OID.stateOrProvinceName]: 'ST',
  [OID.organizationIdentifier]: 'organizationIdentifier',
  [OID.givenName]: 'GN',
  [OID.surname]: 'SN',
  [OID.emailAddress]: 'E',
};

/** Key usage bits (RFC 5280 4.2.1.3), numbered from the most significant bit. */
export const KeyUsage = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const;

/**
 * A distinguished name from `[type OID, value]` pairs, each in its own RDN, in the order
 * given (C, O, OU, CN is the usual one). Country is a PrintableString, the rest UTF8String.
 */
export function distinguishedName(parts: readonly (readonly [string, string])[]): pkijs.RelativeDistinguishedNames {
  const seq = new asn1js.Sequence({
    value: parts.map(([type, value]) => new asn1js.Set({
      value: [new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: type }),
          type === OID.countryName || type === OID.serialNumber ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
        ],
      })],
    })),
  });
  // Parsed back so that pkijs keeps these bytes (valueBeforeDecode) instead of re-encoding.
  return pkijs.RelativeDistinguishedNames.fromBER(seq.toBER());
}

/** RFC 4514-style text of a name (`CN=…, O=…, C=RS`: the last RDN first, as OpenSSL's `-nameopt RFC2253`). */
export function nameToString(name: pkijs.RelativeDistinguishedNames): string {
  const rdns = rdnsOf(name);
  return rdns
    .reverse()
    .map((rdn) => rdn.map(({ type, value }) => `${SHORT_NAMES[type] ?? type}=${value.replace(/([,+"\\<>;])/g, '\\$1')}`).join('+'))
    .join(', ');
}

/** The RDNs of a name as encoded, each a list of (type, value). */
function rdnsOf(name: pkijs.RelativeDistinguishedNames): { type: string; value: string }[][] {
  const asn1 = name.valueBeforeDecode.byteLength ? asn1js.fromBER(name.valueBeforeDecode).result : name.toSchema();
  const out: { type: string; value: string }[][] = [];
  for (const set of (asn1 as asn1js.Sequence).valueBlock.value) {
    const rdn: { type: string; value: string }[] = [];
    for (const atv of (set as asn1js.Set).valueBlock.value) {
      const [type, value] = (atv as asn1js.Sequence).valueBlock.value as [asn1js.ObjectIdentifier, asn1js.BaseStringBlock];
      rdn.push({ type: type.valueBlock.toString(), value: 'getValue' in value ? String(value.getValue()) : '' });
    }
    out.push(rdn);
  }
  return out;
}

/** The number of attributes in each RDN of a name: all 1 for a standard name. */
export function rdnSizes(name: pkijs.RelativeDistinguishedNames): number[] {
  return rdnsOf(name).map((rdn) => rdn.length);
}

/** A positive 128-bit serial number, as RFC 5280 asks: unique and unpredictable. */
function serialNumber(): asn1js.Integer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return new asn1js.Integer({ valueHex: bytes });
}

function keyUsage(bits: readonly number[]): asn1js.BitString {
  let value = 0;
  for (const b of bits) value |= 0x80 >> b;
  // DER: no trailing zero bits.
  const unusedBits = value === 0 ? 0 : Math.min(7, 7 - Math.max(...bits));
  return new asn1js.BitString({ valueHex: new Uint8Array([value]), unusedBits });
}

/** Time: UTCTime up to 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
function time(date: Date): pkijs.Time {
  return new pkijs.Time({ type: date.getUTCFullYear() < 2050 ? 0 : 1, value: date });
}

async function keyIdentifier(spki: pkijs.PublicKeyInfo): Promise<Uint8Array> {
  // RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits.
  return new Uint8Array(createHash('sha1').update(new Uint8Array(spki.subjectPublicKey.valueBlock.valueHexView)).digest());
}

export interface CertificateRequest {
  subject: pkijs.RelativeDistinguishedNames;
  publicKey: CryptoKey;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  keyUsage: readonly number[];
  /** The issuer's certificate and key; absent = self-signed with `selfKey`. */
  issuer?: { certificate: pkijs.Certificate; privateKey: CryptoKey };
  selfKey?: CryptoKey;
}

/** Builds and signs a certificate (SHA-256 with the signing key's algorithm). */
export async function createCertificate(req: CertificateRequest): Promise<pkijs.Certificate> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = serialNumber();
  cert.subject = req.subject;
  cert.issuer = req.issuer ? req.issuer.certificate.subject : req.subject;
  cert.notBefore = time(req.notBefore);
  cert.notAfter = time(req.notAfter);
  await cert.subjectPublicKeyInfo.importKey(req.publicKey);
  const ski = await keyIdentifier(cert.subjectPublicKeyInfo);
  const aki = req.issuer ? await keyIdentifier(req.issuer.certificate.subjectPublicKeyInfo) : ski;
  const ext = (extnID: string, critical: boolean, value: asn1js.BaseBlock) =>
    new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
  cert.extensions = [
    ext(OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: req.ca }).toSchema()),
    ext(OID.keyUsage, true, keyUsage(req.keyUsage)),
    ext(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: ski })),
    ext(OID.authorityKeyIdentifier, false, new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: aki }) }).toSchema()),
  ];
  const signingKey = req.issuer?.privateKey ?? req.selfKey;
  if (!signingKey) throw new Error('createCertificate: an issuer or selfKey is required');
  await cert.sign(signingKey, 'SHA-256');
  return cert;
}

export const certificateDer = (cert: pkijs.Certificate): Der => new Uint8Array(cert.toSchema(true).toBER());

const PEM_CERT = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

export function certificatesFromPem(pem: string): Der[] {
  return [...pem.matchAll(PEM_CERT)].map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
}

export function certificateToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`;
}

export const sha256Hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A certificate as `overa keys show` and `GET /trust` describe it. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** Hex, as OpenSSL prints it. */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** Hex SHA-256 of the DER: the fingerprint to compare. */
  sha256: string;
  keyAlgorithm: string;
  pem: string;
}

export function describeCertificate(der: Der): CertificateInfo {
  const cert = pkijs.Certificate.fromBER(der);
  return {
    subject: nameToString(cert.subject),
    issuer: nameToString(cert.issuer),
    serialNumber: Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex'),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    sha256: sha256Hex(der),
    // Described as the verifier reports certificates (core/pdf/cms.ts): "EC P-256", "RSA 3072".
    keyAlgorithm: describeKey(cert).text,
    pem: certificateToPem(der),
  };
}

export function isCa(cert: pkijs.Certificate): boolean {
  const ext = cert.extensions?.find((e) => e.extnID === OID.basicConstraints);
  if (!ext) return false;
  return Boolean(pkijs.BasicConstraints.fromBER(ext.extnValue.valueBlock.valueHexView.slice()).cA);
}

export const isSelfIssued = (cert: pkijs.Certificate) => cert.subject.isEqual(cert.issuer);

/** DER of the SubjectPublicKeyInfo: to match a certificate with a key. */
export const spkiDer = (cert: pkijs.Certificate): Der => new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER());
