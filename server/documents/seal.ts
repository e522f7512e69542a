/**
 * The agency seal: PAdES baseline B-B (ETSI EN 319 142-1), and B-T with a time-stamping
 * authority.
 *
 * - The PDF gets a signature field and a signature dictionary (`/Filter /Adobe.PPKLite
 *   /SubFilter /ETSI.CAdES.detached`, the signing time in `/M`) with a `/ByteRange`
 *   placeholder and a zero-filled `/Contents` hex string (`addSealPlaceholder`, before save).
 * - After saving, the byte ranges around `/Contents` are fixed in place and hashed, and a
 *   detached CMS SignedData (pkijs) goes into `/Contents` (`sealPdf`): SHA-256; ECDSA or
 *   RSA PKCS#1 v1.5 by the key; no eContent; the certificate chain; signed attributes exactly
 *   content-type, message-digest and ESS signing-certificate-v2 (no signing-time: PAdES keeps
 *   it in `/M`), DER-sorted as DER requires of a SET OF.
 * - With a TSA URL, an RFC 3161 timestamp over the signature value is added as the unsigned
 *   attribute id-aa-timeStampToken (B-T).
 */
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFString, type PDFDocument, type PDFPage, type PDFRef } from 'pdf-lib';
import type { SealKey } from './keys.ts';
import './certificates.ts'; // sets the pkijs crypto engine
import { readAtMost } from './read-at-most.ts';

export const OIDS = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

export class SealError extends Error {
  constructor(message: string, readonly code: 'tsa-unavailable' | 'tsa-refused' | 'contents-too-small' | 'placeholder') {
    super(message);
  }
}

const BYTE_RANGE_PLACEHOLDER = '**********';

export interface SealAppearance {
  /** The field name (`/T`). */
  fieldName: string;
  /** `/Name`: who seals (the agency). */
  name: string;
  reason: string;
  location?: string;
  /** `/M`, the claimed signing time (PAdES: not a signed attribute). */
  signingTime: Date;
}

/** Bytes to reserve for the CMS in `/Contents`: the chain, the signature, attributes, a timestamp. */
export function contentsReserve(seal: SealKey, timestamped: boolean): number {
  const chain = seal.chainDer.reduce((n, c) => n + c.length, 0);
  const bytes = chain + 2048 + (timestamped ? 12_288 : 0);
  return Math.ceil(bytes / 1024) * 1024;
}

/**
 * Adds the invisible seal field to `page` and the signature dictionary with placeholders.
 * Save the document with `useObjectStreams: false` afterwards, then call `sealPdf`.
 */
export function addSealPlaceholder(doc: PDFDocument, page: PDFPage, appearance: SealAppearance, reserveBytes: number): PDFRef {
  const ctx = doc.context;
  const byteRange = PDFArray.withContext(ctx);
  byteRange.push(PDFNumber.of(0));
  for (let i = 0; i < 3; i++) byteRange.push(PDFName.of(BYTE_RANGE_PLACEHOLDER));
  const sig = ctx.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
  }) as PDFDict;
  sig.set(PDFName.of('ByteRange'), byteRange);
  sig.set(PDFName.of('Contents'), PDFHexString.of('0'.repeat(reserveBytes * 2)));
  sig.set(PDFName.of('M'), PDFString.fromDate(appearance.signingTime));
  sig.set(PDFName.of('Name'), PDFHexString.fromText(appearance.name));
  sig.set(PDFName.of('Reason'), PDFHexString.fromText(appearance.reason));
  if (appearance.location) sig.set(PDFName.of('Location'), PDFHexString.fromText(appearance.location));
  const sigRef = ctx.register(sig);

  const widget = ctx.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0],
    F: 132, // Print | Locked
    P: page.ref,
  }) as PDFDict;
  widget.set(PDFName.of('T'), PDFHexString.fromText(appearance.fieldName));
  widget.set(PDFName.of('V'), sigRef);
  const widgetRef = ctx.register(widget);
  page.node.addAnnot(widgetRef);

  const acroForm = ctx.obj({ SigFlags: 3 }) as PDFDict;
  acroForm.set(PDFName.of('Fields'), ctx.obj([widgetRef]));
  doc.catalog.set(PDFName.of('AcroForm'), ctx.register(acroForm));
  return sigRef;
}

const BYTE_RANGE_MARKER = Buffer.from(`/ByteRange [ 0 /${BYTE_RANGE_PLACEHOLDER} /${BYTE_RANGE_PLACEHOLDER} /${BYTE_RANGE_PLACEHOLDER} ]`, 'latin1');
const CONTENTS_KEY = Buffer.from('/Contents <', 'latin1');

/** Where the placeholders are in the saved bytes (searched as bytes: no 80 KB string). */
function locate(pdf: Uint8Array): { byteRangeAt: number; byteRangeLength: number; contentsStart: number; contentsEnd: number } {
  const buf = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const byteRangeAt = buf.indexOf(BYTE_RANGE_MARKER);
  if (byteRangeAt < 0 || buf.indexOf(BYTE_RANGE_MARKER, byteRangeAt + 1) >= 0) throw new SealError('the PDF has no single /ByteRange placeholder', 'placeholder');
  const contentsKey = buf.indexOf(CONTENTS_KEY, byteRangeAt);
  if (contentsKey < 0) throw new SealError('no /Contents after the /ByteRange placeholder', 'placeholder');
  const contentsStart = contentsKey + CONTENTS_KEY.length - 1;
  const contentsEnd = buf.indexOf(0x3e /* > */, contentsStart) + 1;
  return { byteRangeAt, byteRangeLength: BYTE_RANGE_MARKER.length, contentsStart, contentsEnd };
}

/** A DER attribute of a SignerInfo. */
function attribute(type: string, value: asn1js.BaseBlock): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/**
 * ESS signing-certificate-v2 (RFC 5035): the SHA-256 of the seal certificate and its issuer
 * and serial, binding the signature to that certificate. hashAlgorithm is the default
 * (SHA-256), so DER leaves it out.
 */
export function signingCertificateV2(cert: pkijs.Certificate, certDer: Uint8Array): asn1js.Sequence {
  const certHash = createHash('sha256').update(certDer).digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })] }),
      new asn1js.Integer({ valueHex: cert.serialNumber.valueBlock.valueHexView }),
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certHash }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Sorts a SET OF by the DER of its elements (X.690 11.6). */
function derSorted<T extends { toSchema(): asn1js.BaseBlock }>(items: T[]): T[] {
  return items
    .map((item) => ({ item, der: new Uint8Array(item.toSchema().toBER()) }))
    .sort((a, b) => compareBytes(a.der, b.der))
    .map(({ item }) => item);
}

export interface CmsOptions {
  tsaUrl?: string | undefined;
  /** sealPdf: fill the placeholders in the given bytes instead of a copy. */
  inPlace?: boolean;
  /** For tests: a fetch to reach the TSA with. */
  fetch?: typeof fetch;
  tsaTimeoutMs?: number;
  /**
   * Filled by the seal, when given: what it put in the document, already parsed, so that the
   * extension to B-LT/B-LTA that follows at issuance (ltv.ts `extendPdf`, `known`) does not read
   * the CMS and the time-stamp token back out of the PDF (most of an extension's time).
   */
  sealed?: SealedParts;
}

/** A time-stamp token and what a DSS and an archive date need of it. */
export interface TimestampParts {
  /** The token (ContentInfo), DER. */
  token: Uint8Array;
  genTime: Date;
  /** The certificates the token carries, and the TSA's signing certificate among them. */
  certs: pkijs.Certificate[];
  /** Their DER as the token carries them (same order as `certs`), when they could be read without encoding them again. */
  certsDer?: Uint8Array[];
  signer: pkijs.Certificate | undefined;
}

/** What sealing wrote: the seal's chain (with its DER), its signature time-stamp, the SHA-1 of its /Contents (padding included: the DSS's VRI key). */
export interface SealedParts {
  chain?: { cert: pkijs.Certificate; der: Uint8Array }[];
  timestamp?: TimestampParts | undefined;
  contentsSha1?: string;
}

/**
 * The detached CAdES CMS over `digest` (SHA-256 of the signed byte ranges), DER. Signed
 * attributes: content-type (id-data), message-digest, signing-certificate-v2.
 */
export async function createCms(digest: Uint8Array, seal: SealKey, options: CmsOptions = {}): Promise<Uint8Array> {
  const cert = seal.chain[0]!;
  const signedAttrs = derSorted([
    attribute(OIDS.contentType, new asn1js.ObjectIdentifier({ value: OIDS.data })),
    attribute(OIDS.messageDigest, new asn1js.OctetString({ valueHex: digest })),
    attribute(OIDS.signingCertificateV2, signingCertificateV2(cert, seal.chainDer[0]!)),
  ]);
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OIDS.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: signedAttrs }),
      }),
    ],
    // A SET OF: DER order, not chain order (validators find the signer by issuer and serial).
    certificates: seal.chain
      .map((cert, i) => ({ cert, der: seal.chainDer[i]! }))
      .sort((a, b) => compareBytes(a.der, b.der))
      .map(({ cert }) => cert),
  });
  // Through the seal's own WebCrypto: Node's for a key file, the token's for a PKCS#11 key.
  await signedData.sign(seal.privateKey, 0, 'SHA-256', undefined, seal.engine);
  const signerInfo = signedData.signerInfos[0]!;
  // RFC 5754: the SHA-2 AlgorithmIdentifiers SHOULD omit the parameters.
  signerInfo.digestAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: OIDS.sha256 });
  signedData.digestAlgorithms = [new pkijs.AlgorithmIdentifier({ algorithmId: OIDS.sha256 })];

  // In the CMS's order (DER), as a reading of the document finds them: the DSS comes out the same.
  if (options.sealed) options.sealed.chain = seal.chain.map((cert, i) => ({ cert, der: seal.chainDer[i]! })).sort((a, b) => compareBytes(a.der, b.der));
  if (options.tsaUrl) {
    const imprint = createHash('sha256').update(new Uint8Array(signerInfo.signature.valueBlock.valueHexView)).digest();
    const { token, parts } = await requestTimestampParts(options.tsaUrl, imprint, options);
    if (options.sealed) options.sealed.timestamp = parts;
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: [attribute(OIDS.timeStampToken, token.toSchema())] });
  }
  const contentInfo = new pkijs.ContentInfo({ contentType: OIDS.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER());
}

/**
 * A time-stamp reply is a few kilobytes (the token must fit the signature's reserved
 * /Contents, 12 KiB); more than this is not a reply, and is not held in memory.
 */
const MAX_TSA_REPLY = 64 * 1024;

/**
 * RFC 3161: asks the TSA to timestamp SHA-256(signature value), with a nonce and its
 * certificate; checks the answer's status, imprint and nonce. Returns the token (ContentInfo).
 */
export async function requestTimestamp(url: string, signatureValue: Uint8Array, options: CmsOptions = {}): Promise<pkijs.ContentInfo> {
  return requestTimestampOf(url, createHash('sha256').update(signatureValue).digest(), options);
}

/** RFC 3161 for a SHA-256 `imprint` computed by the caller (a document time-stamp hashes byte ranges). */
export async function requestTimestampOf(url: string, imprint: Uint8Array, options: CmsOptions = {}): Promise<pkijs.ContentInfo> {
  return (await requestTimestampParts(url, imprint, options)).token;
}

/** requestTimestampOf, with the parts of the token it checked (so that nobody parses it again). */
export async function requestTimestampParts(url: string, imprint: Uint8Array, options: CmsOptions = {}): Promise<{ token: pkijs.ContentInfo; parts: TimestampParts }> {
  const nonceBytes = randomBytes(8);
  nonceBytes[0] = (nonceBytes[0]! & 0x7f) | 0x01;
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OIDS.sha256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: imprint }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonceBytes }),
    certReq: true,
  });
  let body: ArrayBuffer;
  try {
    const res = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply' },
      body: new Uint8Array(request.toSchema().toBER()),
      signal: AbortSignal.timeout(options.tsaTimeoutMs ?? 10_000),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = await readAtMost(res, MAX_TSA_REPLY, 'a time-stamp');
  } catch (err) {
    throw new SealError(`the time-stamping authority ${url} did not answer: ${(err as Error).message}`, 'tsa-unavailable');
  }
  let token: pkijs.ContentInfo;
  let parts: TimestampParts;
  try {
    const response = pkijs.TimeStampResp.fromBER(body);
    const status = response.status.status;
    if ((status !== 0 && status !== 1) || !response.timeStampToken) throw new Error(`status ${status}`);
    token = response.timeStampToken;
    const signed = new pkijs.SignedData({ schema: token.content });
    if (signed.encapContentInfo.eContentType !== OIDS.tstInfo || !signed.encapContentInfo.eContent) throw new Error('not a TSTInfo');
    const tst = pkijs.TSTInfo.fromBER(signed.encapContentInfo.eContent.getValue());
    if (!Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView).equals(imprint)) throw new Error('the token is for other data');
    if (!tst.nonce || !Buffer.from(tst.nonce.valueBlock.valueHexView).equals(nonceBytes)) throw new Error('the nonce does not match');
    const certs = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
    const sid = signed.signerInfos[0]?.sid;
    const signer = sid instanceof pkijs.IssuerAndSerialNumber
      ? certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber))
      : certs[0];
    parts = { token: new Uint8Array(token.toSchema().toBER()), genTime: tst.genTime, certs, signer, ...certificatesDer(token, certs.length) };
  } catch (err) {
    throw new SealError(`the time-stamping authority ${url} refused or gave a bad token: ${(err as Error).message}`, 'tsa-refused');
  }
  return { token, parts };
}

/**
 * The DER of the certificates of a SignedData as they were read (asn1js keeps each block's
 * bytes): `[0] IMPLICIT CertificateSet`, when it holds exactly the `count` certificates pkijs
 * found (no other certificate choices); otherwise nothing, and the caller encodes them.
 */
function certificatesDer(token: pkijs.ContentInfo, count: number): { certsDer?: Uint8Array[] } {
  const content = token.content as asn1js.Sequence;
  const set = content.valueBlock?.value?.find((b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 0) as asn1js.Constructed | undefined;
  const blocks = set?.valueBlock.value ?? [];
  if (blocks.length !== count || !blocks.every((b) => b instanceof asn1js.Sequence && b.valueBeforeDecodeView.byteLength > 0)) return {};
  return { certsDer: blocks.map((b) => new Uint8Array(b.valueBeforeDecodeView)) };
}

const HASHES: Record<string, string> = {
  [OIDS.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/**
 * Checks the ESS signing-certificate-v2 attribute of a CMS (OpenSSL 3 does not): present,
 * signed, and naming the certificate the signer info points at (its hash, and its issuer
 * and serial when given). Returns the reason when it does not hold.
 */
export function checkSigningCertificateV2(cmsDer: Uint8Array): { ok: true } | { ok: false; reason: string } {
  try {
    const contentInfo = pkijs.ContentInfo.fromBER(cmsDer.slice());
    const signed = new pkijs.SignedData({ schema: contentInfo.content });
    const si = signed.signerInfos[0];
    if (!si) return { ok: false, reason: 'no signer info' };
    if (!(si.sid instanceof pkijs.IssuerAndSerialNumber)) return { ok: false, reason: 'the signer is not named by issuer and serial' };
    const sid = si.sid;
    const cert = (signed.certificates ?? []).find((c): c is pkijs.Certificate =>
      c instanceof pkijs.Certificate && c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
    if (!cert) return { ok: false, reason: 'the signer certificate is not in the CMS' };
    const attrs = (si.signedAttrs?.attributes ?? []).filter((a) => a.type === OIDS.signingCertificateV2);
    if (attrs.length !== 1 || attrs[0]!.values.length !== 1) return { ok: false, reason: 'no single signing-certificate-v2 attribute' };
    const [certs] = (attrs[0]!.values[0] as asn1js.Sequence).valueBlock.value as [asn1js.Sequence];
    const [first] = certs.valueBlock.value as [asn1js.Sequence];
    const parts = first.valueBlock.value;
    let i = 0;
    let hash = 'sha256';
    if (parts[0] instanceof asn1js.Sequence) {
      const alg = new pkijs.AlgorithmIdentifier({ schema: parts[0] });
      const name = HASHES[alg.algorithmId];
      if (!name) return { ok: false, reason: `unknown hash algorithm ${alg.algorithmId}` };
      hash = name;
      i = 1;
    }
    const certHash = (parts[i] as asn1js.OctetString).valueBlock.valueHexView;
    const der = new Uint8Array(cert.toSchema(true).toBER());
    if (!Buffer.from(certHash).equals(createHash(hash).update(der).digest())) return { ok: false, reason: 'certHash is not the hash of the signer certificate' };
    const issuerSerial = parts[i + 1] as asn1js.Sequence | undefined;
    if (issuerSerial) {
      const [names, serial] = issuerSerial.valueBlock.value as [asn1js.Sequence, asn1js.Integer];
      const [directoryName] = names.valueBlock.value as [asn1js.Constructed];
      const issuer = pkijs.RelativeDistinguishedNames.fromBER((directoryName.valueBlock.value[0] as asn1js.Sequence).toBER());
      if (!issuer.isEqual(cert.issuer) || !serial.isEqual(cert.serialNumber)) return { ok: false, reason: 'issuerSerial does not name the signer certificate' };
    }
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `malformed: ${(err as Error).message}` };
  }
}

/**
 * Fills the placeholders of a saved PDF: writes `/ByteRange`, hashes the two ranges around
 * `/Contents`, makes the CMS and writes its hex into `/Contents`. Returns new bytes (or the
 * same ones, with `inPlace`).
 */
export async function sealPdf(pdf: Uint8Array, seal: SealKey, options: CmsOptions = {}): Promise<Uint8Array> {
  const at = options.sealed ? locate(pdf) : undefined;
  const out = await fillSignature(pdf, (digest) => createCms(digest, seal, options), options.inPlace);
  if (at && options.sealed) {
    const hex = Buffer.from(out.buffer, out.byteOffset + at.contentsStart + 1, at.contentsEnd - at.contentsStart - 2).toString('latin1');
    options.sealed.contentsSha1 = createHash('sha1').update(Buffer.from(hex, 'hex')).digest('hex').toUpperCase();
  }
  return out;
}

/**
 * Fills the one signature placeholder of a saved PDF (the seal's, or a document time-stamp's
 * in an incremental update): writes `/ByteRange`, hashes the two ranges around `/Contents`
 * (SHA-256), asks `contents` for the DER to put there and writes its hex.
 */
export async function fillSignature(pdf: Uint8Array, contents: (digest: Uint8Array) => Promise<Uint8Array>, inPlace = false): Promise<Uint8Array> {
  const { byteRangeAt, byteRangeLength, contentsStart, contentsEnd } = locate(pdf);
  const out = inPlace ? pdf : new Uint8Array(pdf);
  const range = [0, contentsStart, contentsEnd, out.length - contentsEnd];
  const text = `/ByteRange [${range.join(' ')}]`;
  if (text.length > byteRangeLength) throw new SealError('the /ByteRange placeholder is too short', 'placeholder');
  out.set(Buffer.from(text.padEnd(byteRangeLength, ' '), 'latin1'), byteRangeAt);

  const digest = createHash('sha256').update(out.subarray(0, contentsStart)).update(out.subarray(contentsEnd)).digest();
  const der = await contents(new Uint8Array(digest));
  const room = (contentsEnd - contentsStart - 2) / 2;
  if (der.length > room) throw new SealError(`the signature needs ${der.length} bytes, ${room} were reserved`, 'contents-too-small');
  out.set(Buffer.from(Buffer.from(der).toString('hex'), 'latin1'), contentsStart + 1);
  return out;
}
