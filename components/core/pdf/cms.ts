/**
 * CMS SignedData (RFC 5652) as PDF signatures carry it: parsing with pkijs and asn1js, and
 * the checks on one SignerInfo — the message digest, the signature value, the ESS
 * signing-certificate(-v2) attribute (RFC 5035; OpenSSL does not check it, so we do), the
 * signing time and an RFC 3161 signature time-stamp.
 *
 * pkijs gets an explicit crypto engine built on `globalThis.crypto` (WebCrypto in browsers
 * and in Node ≥ 20), never its process-wide default, so this module works the same in both
 * and never depends on what another library set globally. `SignedData.verify` is not used:
 * it needs the signed content as one buffer, stops at the first problem and folds causes
 * into one error; a report lists each failed check with its own reason.
 */
import * as asn1js from 'asn1js';
import { AlgorithmIdentifier, Certificate, CryptoEngine, EncapsulatedContentInfo, IssuerAndSerialNumber, SignerInfo, TSTInfo, type Attribute } from 'pkijs';
import { toHex } from '../encoding.ts';
import { derToRawEcdsa } from '../signing/cose.ts';
import { readChildren, readTlv, TAG, type Tlv } from './der.ts';

export const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  riOcspResponse: '1.3.6.1.5.5.7.16.2',
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  adbeRevocationInfoArchival: '1.2.840.113583.1.1.8',
} as const;

export type DigestName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const DIGESTS: Record<string, DigestName> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

const CURVES: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
};

let engine: CryptoEngine | undefined;

/** The pkijs engine every call here uses: WebCrypto from `globalThis.crypto`. */
export function cryptoEngine(): CryptoEngine {
  engine ??= new CryptoEngine({ name: 'overa-webcrypto', crypto: globalThis.crypto });
  return engine;
}

/** A certificate with its exact encoding (hashes and comparisons need the bytes as sent). */
export interface CertEntry {
  cert: Certificate;
  der: Uint8Array;
  /**
   * Its public key as WebCrypto imported it, per algorithm (verifySignatureValue fills it): a
   * certificate seen again (a partner's seal, through a caller's memo) is not imported again.
   */
  keys?: Map<string, Promise<CryptoKey>>;
}

export interface ParsedCms {
  signerInfo: SignerInfo;
  certificates: CertEntry[];
  /** True when encapContentInfo carries content (a PDF signature's must be detached). */
  hasContent: boolean;
  eContentType: string;
  /** The encapsulated content's octets, when present (a time-stamp's TSTInfo). */
  content?: Uint8Array;
  /** Revocation data the SignedData carries in its `crls` field: CRLs, and OCSP responses as id-ri-ocsp-response. */
  crls: Uint8Array[];
  ocsps: Uint8Array[];
}

export type CmsProblem = { code: 'cms-malformed' | 'multiple-signers' | 'too-many-certificates'; detail: string };

function bytesOf(view: ArrayBuffer | Uint8Array): Uint8Array {
  return view instanceof Uint8Array ? view : new Uint8Array(view);
}

export function certificateFromDer(der: Uint8Array): CertEntry {
  const asn1 = asn1js.fromBER(der as Uint8Array<ArrayBuffer>);
  if (asn1.offset === -1 || asn1.result.error) throw new Error(`not DER: ${asn1.result.error}`);
  const exact = der.subarray(0, asn1.offset);
  return { cert: new Certificate({ schema: asn1.result }), der: exact };
}


/**
 * One TLV of the SignedData's top levels, from either reader: the DER split of ./der.ts, or a
 * node of asn1js's tree (a value already decoded, or BER the split does not take).
 */
interface Field {
  /** The identifier octet (-1 for a high tag number, which no field here has). */
  tag: number;
  /** The exact encoding, as sent. */
  der(): Uint8Array;
  /** The asn1js value, decoded on first use. */
  node(): asn1js.AsnType;
  /** The TLVs inside a constructed value. */
  children(): Field[];
  /** Set when the value came decoded (asn1js's tree): a certificate is read from it, not decoded again. */
  decoded?: asn1js.AsnType;
}

function fieldOfNode(n: asn1js.AsnType): Field {
  const id = n.idBlock;
  return {
    tag: id.tagNumber < 31 ? ((id.tagClass - 1) << 6) | (id.isConstructed ? 0x20 : 0) | id.tagNumber : -1,
    der: () => bytesOf(n.valueBeforeDecodeView),
    node: () => n,
    children: () => {
      const value = (n as asn1js.Constructed).valueBlock.value;
      return Array.isArray(value) ? value.map(fieldOfNode) : [];
    },
    decoded: n,
  };
}

function fieldOfTlv(t: Tlv): Field {
  let decoded: asn1js.AsnType | undefined;
  // Split once: rootOf walks the layers to see that they are DER, parseCms then reads them.
  let children: Field[] | undefined;
  return {
    tag: t.tag,
    der: () => t.bytes,
    node: () => (decoded ??= decodeExact(t.bytes)),
    children: () => {
      if (!children) {
        const split = t.tag & 0x20 ? readChildren(t.value) : [];
        if (!split) throw new Error('a constructed value whose parts do not add up');
        children = split.map(fieldOfTlv);
      }
      return children;
    },
  };
}

function decodeExact(bytes: Uint8Array): asn1js.AsnType {
  const asn1 = asn1js.fromBER(bytes as Uint8Array<ArrayBuffer>);
  if (asn1.offset === -1 || asn1.result.error) throw new Error(`not BER: ${asn1.result.error || 'unreadable'}`);
  return asn1.result;
}

/**
 * The ContentInfo's fields: through the DER split when every layer down to the SignedData's
 * fields is definite-length DER (asn1js then decodes only the small fields read, and a
 * certificate only through `certificate`), else through asn1js's whole tree.
 */
function rootOf(der: Uint8Array | asn1js.AsnType): Field {
  if (der instanceof Uint8Array) {
    const tlv = readTlv(der);
    if (tlv?.tag === TAG.sequence) {
      const root = fieldOfTlv(tlv);
      try {
        const [, content] = root.children();
        if (content?.tag === TAG.context0) content.children().forEach((sd) => sd.tag === TAG.sequence && sd.children());
        return root;
      } catch {
        // indefinite lengths inside: asn1js reads BER
      }
    }
    return fieldOfNode(decodeExact(der));
  }
  return fieldOfNode(der);
}

/** Options of parseCms. */
export interface ParseCmsOptions {
  /**
   * Reads a certificate from its DER (default: certificateFromDer). A caller that sees the same
   * certificates again and again (a partner's seal on every message) passes a memo.
   */
  certificate?: (der: Uint8Array) => CertEntry;
}

/**
 * Parses a CMS ContentInfo holding SignedData with exactly one signer. Never throws.
 *
 * The SignedData fields are read by hand (version, digestAlgorithms, encapContentInfo, [0]
 * certificates, [1] crls, signerInfos, in that order), and pkijs reads only the parts used:
 * the SignerInfo, the encapsulated content info and each certificate, once. pkijs's own
 * SignedData schema match costs about three times the rest together (~3 ms of a 1 KB CMS: a
 * large schema built and compared on every call) and parsed every certificate a second time;
 * asn1js decoding the certificates only to find where each ends cost as much again (rootOf).
 */
export function parseCms(der: Uint8Array | asn1js.AsnType, maxCertificates: number, options: ParseCmsOptions = {}): { ok: true; cms: ParsedCms } | { ok: false; problem: CmsProblem } {
  const fail = (code: CmsProblem['code'], detail: string) => ({ ok: false as const, problem: { code, detail } });
  try {
    // Trailing bytes (the zero padding of /Contents) are left unread. A value already decoded
    // (a signature time-stamp inside a seal's CMS) is not decoded again.
    const root = rootOf(der);
    const [typeField, contentField, ...extra] = root.children();
    if (root.tag !== TAG.sequence || typeField?.tag !== TAG.oid || contentField?.tag !== TAG.context0 || extra.length) return fail('cms-malformed', 'not a ContentInfo');
    const contentType = (typeField.node() as asn1js.ObjectIdentifier).valueBlock.toString();
    if (contentType !== OID.signedData) return fail('cms-malformed', `content type ${contentType} is not SignedData`);
    const [sd] = contentField.children();
    if (sd?.tag !== TAG.sequence) return fail('cms-malformed', 'SignedData is not a SEQUENCE');
    const fields = sd.children();
    let i = 0;
    if (fields[i++]?.tag !== TAG.integer) return fail('cms-malformed', 'SignedData has no version');
    const digestAlgorithms = fields[i++];
    if (digestAlgorithms?.tag !== TAG.set) return fail('cms-malformed', 'SignedData has no digestAlgorithms');
    for (const alg of digestAlgorithms.children()) new AlgorithmIdentifier({ schema: alg.node() });
    const encapField = fields[i++];
    if (encapField?.tag !== TAG.sequence) return fail('cms-malformed', 'SignedData has no encapContentInfo');
    const encap = new EncapsulatedContentInfo({ schema: encapField.node() });
    const certificates: CertEntry[] = [];
    if (fields[i]?.tag === TAG.context0) {
      const list = fields[i++]!.children();
      if (list.length > maxCertificates) return fail('too-many-certificates', `${list.length} certificates; the limit is ${maxCertificates}`);
      for (const c of list) {
        if (c.tag !== TAG.sequence) continue; // attribute or other certificate formats
        // The exact encoding as sent (BER included): hashes and comparisons need it.
        if (c.decoded) certificates.push({ cert: new Certificate({ schema: c.decoded }), der: c.der() });
        else certificates.push((options.certificate ?? certificateFromDer)(c.der()));
      }
    }
    const crls: Uint8Array[] = [];
    const ocsps: Uint8Array[] = [];
    if (fields[i]?.tag === TAG.context1) {
      // RevocationInfoChoices: a CRL (a SEQUENCE), or [1] OtherRevocationInfoFormat, of which
      // id-ri-ocsp-response (RFC 5940) holds an OCSPResponse.
      for (const c of fields[i++]!.children().slice(0, maxCertificates)) {
        if (c.tag === TAG.sequence) crls.push(c.der());
        else if (c.tag === TAG.context1) {
          const [format, info] = c.children();
          if (format?.tag === TAG.oid && (format.node() as asn1js.ObjectIdentifier).valueBlock.toString() === OID.riOcspResponse && info) ocsps.push(info.der());
        }
      }
    }
    const signerInfos = fields[i++];
    if (signerInfos?.tag !== TAG.set || i !== fields.length) return fail('cms-malformed', 'SignedData has no signerInfos SET at its end');
    const signers = signerInfos.children();
    if (signers.length !== 1) return fail('multiple-signers', `${signers.length} signers; a PDF signature has one`);
    const eContent = encap.eContent;
    const cms: ParsedCms = {
      signerInfo: new SignerInfo({ schema: signers[0]!.node() }),
      certificates,
      hasContent: eContent !== undefined,
      eContentType: encap.eContentType,
      crls,
      ocsps,
    };
    if (eContent) cms.content = bytesOf(eContent.getValue());
    return { ok: true, cms };
  } catch (err) {
    return fail('cms-malformed', err instanceof Error ? err.message.slice(0, 200) : 'unreadable');
  }
}

/** The SignerInfo's digest algorithm, or undefined when it is not one we compute. */
export function digestAlgorithm(si: SignerInfo): DigestName | undefined {
  return DIGESTS[si.digestAlgorithm.algorithmId];
}

function attribute(si: SignerInfo, type: string, signed = true): Attribute[] {
  const attrs = signed ? si.signedAttrs?.attributes : si.unsignedAttrs?.attributes;
  return (attrs ?? []).filter((a) => a.type === type);
}

export function hasSignedAttributes(si: SignerInfo): boolean {
  return si.signedAttrs !== undefined && si.signedAttrs.attributes.length > 0;
}

/** The bytes the signature value is over: the DER SET of signed attributes, or the content itself. */
export function signedBytes(si: SignerInfo): Uint8Array | undefined {
  return hasSignedAttributes(si) ? bytesOf(si.signedAttrs!.encodedValue) : undefined;
}

/** Finds the signer's certificate by issuer and serial number or by subject key identifier. */
export async function findSignerCertificate(cms: ParsedCms): Promise<CertEntry | undefined> {
  const sid = cms.signerInfo.sid as unknown;
  if (sid instanceof IssuerAndSerialNumber) {
    return cms.certificates.find((c) => c.cert.issuer.isEqual(sid.issuer) && c.cert.serialNumber.isEqual(sid.serialNumber));
  }
  if (sid instanceof asn1js.BaseBlock) {
    const block = sid as asn1js.Constructed | asn1js.Primitive;
    const keyId =
      'value' in block.valueBlock && Array.isArray(block.valueBlock.value) && block.valueBlock.value.length > 0
        ? bytesOf((block.valueBlock.value[0] as asn1js.Primitive).valueBlock.valueHexView)
        : bytesOf((block as asn1js.Primitive).valueBlock.valueHexView);
    for (const c of cms.certificates) {
      const ski = subjectKeyIdentifier(c.cert);
      if (ski && equalBytes(ski, keyId)) return c;
    }
    for (const c of cms.certificates) {
      const hash = new Uint8Array(await crypto.subtle.digest('SHA-1', c.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView as Uint8Array<ArrayBuffer>));
      if (equalBytes(hash, keyId)) return c;
    }
  }
  return undefined;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function subjectKeyIdentifier(cert: Certificate): Uint8Array | undefined {
  const ext = cert.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  const v = ext?.parsedValue as asn1js.OctetString | undefined;
  return v?.valueBlock ? bytesOf(v.valueBlock.valueHexView) : undefined;
}

export function authorityKeyIdentifier(cert: Certificate): Uint8Array | undefined {
  const ext = cert.extensions?.find((e) => e.extnID === OID.authorityKeyIdentifier);
  const v = ext?.parsedValue as { keyIdentifier?: asn1js.OctetString } | undefined;
  return v?.keyIdentifier ? bytesOf(v.keyIdentifier.valueBlock.valueHexView) : undefined;
}

export type AttributeProblem = { code: 'signed-attributes-malformed' | 'digest-mismatch'; detail: string };

/**
 * Checks the signed attributes every CMS signature with attributes needs: one content-type
 * equal to the encapsulated type, and one message-digest equal to `digest`.
 */
export function checkMessageDigest(si: SignerInfo, expectedContentType: string, digest: Uint8Array): AttributeProblem[] {
  const problems: AttributeProblem[] = [];
  const ct = attribute(si, OID.contentType);
  const ctValue = ct[0]?.values[0] as asn1js.ObjectIdentifier | undefined;
  if (ct.length !== 1 || ct[0]!.values.length !== 1 || !(ctValue instanceof asn1js.ObjectIdentifier) || ctValue.valueBlock.toString() !== expectedContentType) {
    problems.push({ code: 'signed-attributes-malformed', detail: `the content-type attribute is missing, repeated or not ${expectedContentType}` });
  }
  const md = attribute(si, OID.messageDigest);
  const mdValue = md[0]?.values[0] as asn1js.OctetString | undefined;
  if (md.length !== 1 || md[0]!.values.length !== 1 || !(mdValue instanceof asn1js.OctetString)) {
    problems.push({ code: 'signed-attributes-malformed', detail: 'the message-digest attribute is missing, repeated or not an OCTET STRING' });
  } else if (!equalBytes(bytesOf(mdValue.valueBlock.valueHexView), digest)) {
    problems.push({ code: 'digest-mismatch', detail: 'the signed message digest is not the digest of the signed bytes' });
  }
  return problems;
}

/**
 * Verifies the signature value with the signer's public key. 'unsupported' when WebCrypto
 * cannot check this algorithm or key (the signature may be fine; we cannot tell).
 */
export async function verifySignatureValue(si: SignerInfo, signer: CertEntry, data: Uint8Array, digest: DigestName): Promise<'valid' | 'invalid' | 'unsupported'> {
  let key: CryptoKey;
  let algorithm: Algorithm | EcdsaParams | RsaPssParams;
  let signature: Uint8Array = bytesOf(si.signature.valueBlock.valueHexView);
  const spki = signer.cert.subjectPublicKeyInfo;
  const keyOid = spki.algorithm.algorithmId;
  const imported = (algorithm: RsaHashedImportParams | EcKeyImportParams, id: string): Promise<CryptoKey> => {
    signer.keys ??= new Map();
    let promise = signer.keys.get(id);
    if (!promise) {
      promise = crypto.subtle.importKey('spki', bytesOf(spki.toSchema().toBER(false)) as Uint8Array<ArrayBuffer>, algorithm, false, ['verify']);
      // A key that would not import is tried again next time, not remembered as a failure.
      promise.catch(() => signer.keys?.delete(id));
      signer.keys.set(id, promise);
    }
    return promise;
  };
  try {
    if (keyOid === OID.ecPublicKey) {
      const curve = CURVES[(spki.algorithm.algorithmParams as asn1js.ObjectIdentifier | undefined)?.valueBlock?.toString?.() ?? ''];
      if (!curve) return 'unsupported';
      key = await imported({ name: 'ECDSA', namedCurve: curve }, `ECDSA ${curve}`);
      algorithm = { name: 'ECDSA', hash: digest };
      const raw = ecdsaDerToRaw(signature, curve === 'P-256' ? 32 : curve === 'P-384' ? 48 : 66);
      if (!raw) return 'invalid';
      signature = raw;
    } else if (keyOid === OID.rsaEncryption || keyOid === OID.rsaPss) {
      if (si.signatureAlgorithm.algorithmId === OID.rsaPss) {
        // RSASSA-PSS parameters come with the signature algorithm; let pkijs read them.
        const ok = await cryptoEngine().verifyWithPublicKey(data as Uint8Array<ArrayBuffer>, si.signature, spki, si.signatureAlgorithm, digest);
        return ok ? 'valid' : 'invalid';
      }
      key = await imported({ name: 'RSASSA-PKCS1-v1_5', hash: digest }, `RSASSA-PKCS1-v1_5 ${digest}`);
      algorithm = { name: 'RSASSA-PKCS1-v1_5' };
    } else {
      return 'unsupported';
    }
  } catch {
    return 'unsupported';
  }
  try {
    return (await crypto.subtle.verify(algorithm, key, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>)) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** Certificate signature algorithms checked with WebCrypto directly (others go through pkijs). */
const CERT_SIGNATURES: Record<string, { key: 'EC' | 'RSA'; hash: DigestName }> = {
  '1.2.840.10045.4.3.2': { key: 'EC', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { key: 'EC', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { key: 'EC', hash: 'SHA-512' },
  '1.2.840.113549.1.1.11': { key: 'RSA', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { key: 'RSA', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { key: 'RSA', hash: 'SHA-512' },
};

/**
 * Whether `issuer`'s key (`issuerSpki`: its encoded SubjectPublicKeyInfo) signed
 * `child`'s to-be-signed bytes, for the common algorithms (ECDSA and RSA PKCS #1 v1.5 with
 * SHA-2): the key imported and the signature verified by WebCrypto, the ECDSA signature
 * only in its one DER encoding, as OpenSSL requires. Undefined for any other algorithm or
 * key, for pkijs to check. pkijs's own path does the same but converts the key through
 * JWK in JavaScript first (about a millisecond per certificate in Chromium).
 */
export async function verifyCertificateSignature(child: Certificate, issuer: Certificate, issuerSpki: Uint8Array): Promise<boolean | undefined> {
  return verifyTbsSignature(child.signatureAlgorithm, child.tbsView, bytesOf(child.signatureValue.valueBlock.valueHexView), issuer, issuerSpki);
}

/**
 * Whether `signer`'s key signed `tbs` (a certificate's, a CRL's or an OCSP response's
 * to-be-signed bytes) with `algorithm`: WebCrypto for the common algorithms, pkijs for the
 * others (RSASSA-PSS…). False when it does not verify or cannot be checked.
 */
export async function verifySignedStructure(algorithm: AlgorithmIdentifier, tbs: Uint8Array, signatureBits: asn1js.BitString, signer: Certificate): Promise<boolean> {
  const spki = bytesOf(signer.subjectPublicKeyInfo.toSchema().toBER(false));
  const direct = await verifyTbsSignature(algorithm, tbs, bytesOf(signatureBits.valueBlock.valueHexView), signer, spki);
  if (direct !== undefined) return direct;
  try {
    return await cryptoEngine().verifyWithPublicKey(tbs as Uint8Array<ArrayBuffer>, signatureBits, signer.subjectPublicKeyInfo, algorithm);
  } catch {
    return false;
  }
}

async function verifyTbsSignature(algorithm: AlgorithmIdentifier, tbs: Uint8Array, sig: Uint8Array, issuer: Certificate, issuerSpki: Uint8Array): Promise<boolean | undefined> {
  const alg = CERT_SIGNATURES[algorithm.algorithmId];
  if (!alg || (alg.key === 'EC' && algorithm.algorithmParams !== undefined)) return undefined;
  const keyInfo = issuer.subjectPublicKeyInfo.algorithm;
  const data = tbs as Uint8Array<ArrayBuffer>;
  let signature: Uint8Array | undefined = sig;
  let key: CryptoKey;
  let params: Algorithm | EcdsaParams;
  try {
    if (alg.key === 'EC') {
      if (keyInfo.algorithmId !== OID.ecPublicKey) return undefined;
      const curve = CURVES[(keyInfo.algorithmParams as asn1js.ObjectIdentifier | undefined)?.valueBlock?.toString?.() ?? ''];
      if (!curve) return undefined;
      key = await crypto.subtle.importKey('spki', issuerSpki as Uint8Array<ArrayBuffer>, { name: 'ECDSA', namedCurve: curve }, false, ['verify']);
      signature = ecdsaDerToRaw(signature, curve === 'P-256' ? 32 : curve === 'P-384' ? 48 : 66);
      if (!signature) return false;
      params = { name: 'ECDSA', hash: alg.hash } as EcdsaParams;
    } else {
      if (keyInfo.algorithmId !== OID.rsaEncryption) return undefined;
      key = await crypto.subtle.importKey('spki', issuerSpki as Uint8Array<ArrayBuffer>, { name: 'RSASSA-PKCS1-v1_5', hash: alg.hash }, false, ['verify']);
      params = { name: 'RSASSA-PKCS1-v1_5' };
    }
  } catch {
    return undefined; // a key WebCrypto does not take: pkijs decides
  }
  try {
    return await crypto.subtle.verify(params, key, signature as Uint8Array<ArrayBuffer>, data);
  } catch {
    return false;
  }
}

/** ECDSA DER → r‖s for WebCrypto (core/signing/cose.ts, strict DER), or undefined when it is not strict DER. */
function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array | undefined {
  try {
    return derToRawEcdsa(der, size);
  } catch {
    return undefined;
  }
}

export type EssOutcome = { present: false } | { present: true; ok: true } | { present: true; ok: false; detail: string };

/**
 * The ESS signing-certificate (v1, SHA-1) and signing-certificate-v2 attributes: when
 * present, their first certificate reference must be the signer's certificate (its hash,
 * and its issuer and serial number when given). This binds the signature to the
 * certificate, so another certificate with the same key cannot be substituted.
 */
export async function checkSigningCertificate(si: SignerInfo, signer: CertEntry): Promise<EssOutcome> {
  const v1 = attribute(si, OID.signingCertificate);
  const v2 = attribute(si, OID.signingCertificateV2);
  if (v1.length === 0 && v2.length === 0) return { present: false };
  if (v1.length > 1 || v2.length > 1) return { present: true, ok: false, detail: 'the signing-certificate attribute is repeated' };
  for (const [attr, version] of [[v2[0], 2], [v1[0], 1]] as const) {
    if (!attr) continue;
    const problem = await checkEssCertId(attr, version, signer);
    if (problem) return { present: true, ok: false, detail: problem };
  }
  return { present: true, ok: true };
}

async function checkEssCertId(attr: Attribute, version: 1 | 2, signer: CertEntry): Promise<string | undefined> {
  const name = version === 2 ? 'signing-certificate-v2' : 'signing-certificate';
  const value = attr.values[0] as asn1js.Sequence | undefined;
  if (attr.values.length !== 1 || !(value instanceof asn1js.Sequence)) return `${name}: not one SEQUENCE`;
  const certs = value.valueBlock.value[0];
  if (!(certs instanceof asn1js.Sequence) || certs.valueBlock.value.length === 0) return `${name}: no certificate reference`;
  const id = certs.valueBlock.value[0];
  if (!(id instanceof asn1js.Sequence)) return `${name}: malformed certificate reference`;
  const fields = [...id.valueBlock.value];
  let hashName: DigestName | undefined = version === 2 ? 'SHA-256' : 'SHA-1';
  if (version === 2 && fields[0] instanceof asn1js.Sequence) {
    const alg = new AlgorithmIdentifier({ schema: fields.shift()! });
    hashName = DIGESTS[alg.algorithmId];
    if (!hashName) return `${name}: unsupported hash algorithm ${alg.algorithmId}`;
  }
  const hash = fields.shift();
  if (!(hash instanceof asn1js.OctetString)) return `${name}: no certificate hash`;
  const actual = new Uint8Array(await crypto.subtle.digest(hashName, signer.der as Uint8Array<ArrayBuffer>));
  if (!equalBytes(actual, bytesOf(hash.valueBlock.valueHexView))) return `${name}: the certificate hash is not the signer certificate's`;
  const issuerSerial = fields.shift();
  if (issuerSerial instanceof asn1js.Sequence) {
    const serial = issuerSerial.valueBlock.value[1];
    if (!(serial instanceof asn1js.Integer) || !serial.isEqual(signer.cert.serialNumber)) return `${name}: the serial number is not the signer certificate's`;
  }
  return undefined;
}

/** The signing-time signed attribute, when there is one well-formed one. */
export function signingTimeAttribute(si: SignerInfo): Date | undefined {
  const attrs = attribute(si, OID.signingTime);
  if (attrs.length !== 1) return undefined;
  const v = attrs[0]!.values[0] as unknown;
  if (v instanceof asn1js.UTCTime || v instanceof asn1js.GeneralizedTime) {
    const d = v.toDate();
    return Number.isFinite(d.getTime()) ? d : undefined;
  }
  return undefined;
}

/** The signature time-stamp tokens (unsigned attribute) as decoded ASN.1 values, for parseCms. */
export function timeStampTokenValues(si: SignerInfo): asn1js.AsnType[] {
  return attribute(si, OID.timeStampToken, false).flatMap((a) => a.values as asn1js.AsnType[]);
}

/** The encoded signature time-stamp token (unsigned attribute), if any. */
export function timeStampTokens(si: SignerInfo): Uint8Array[] {
  return attribute(si, OID.timeStampToken, false).flatMap((a) => a.values.map((v: asn1js.BaseBlock) => bytesOf(v.valueBeforeDecodeView)));
}

/**
 * Revocation data a signer put in its signed attributes the Adobe way
 * (adbe-revocationInfoArchival: [0] CRLs, [1] OCSP responses), as Acrobat and iText write it.
 */
export function archivedRevocationData(si: SignerInfo, max: number): { crls: Uint8Array[]; ocsps: Uint8Array[] } {
  const out = { crls: [] as Uint8Array[], ocsps: [] as Uint8Array[] };
  const value = attribute(si, OID.adbeRevocationInfoArchival)[0]?.values[0];
  if (!(value instanceof asn1js.Sequence)) return out;
  for (const field of value.valueBlock.value) {
    if (!(field instanceof asn1js.Constructed) || field.idBlock.tagClass !== 3) continue;
    const list = field.valueBlock.value[0];
    if (!(list instanceof asn1js.Sequence)) continue;
    const target = field.idBlock.tagNumber === 0 ? out.crls : field.idBlock.tagNumber === 1 ? out.ocsps : undefined;
    for (const item of list.valueBlock.value.slice(0, max)) target?.push(bytesOf(item.valueBeforeDecodeView));
  }
  return out;
}

/** The signature value's octets (what a signature time-stamp's message imprint is over). */
export function signatureValue(si: SignerInfo): Uint8Array {
  return bytesOf(si.signature.valueBlock.valueHexView);
}

/** TSTInfo of a time-stamp token's content: its message imprint and time. */
export function readTstInfo(content: Uint8Array): { hash: DigestName | undefined; hashOid: string; imprint: Uint8Array; genTime: Date } | undefined {
  try {
    const tst = TSTInfo.fromBER(content as Uint8Array<ArrayBuffer>);
    return {
      hash: DIGESTS[tst.messageImprint.hashAlgorithm.algorithmId],
      hashOid: tst.messageImprint.hashAlgorithm.algorithmId,
      imprint: bytesOf(tst.messageImprint.hashedMessage.valueBlock.valueHexView),
      genTime: tst.genTime,
    };
  } catch {
    return undefined;
  }
}

const NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
};

type Name = Certificate['subject'];

function attributeText(value: unknown): string {
  const block = value as { valueBlock?: { value?: unknown; valueHexView?: Uint8Array } };
  if (typeof block?.valueBlock?.value === 'string') return block.valueBlock.value;
  if (block?.valueBlock?.valueHexView) return '#' + toHex(block.valueBlock.valueHexView);
  return '';
}

/** A distinguished name as text, most specific first (RFC 4514 order), e.g. `CN=Seal,O=Agency,C=RS`. */
export function nameText(name: Name): string {
  return name.typesAndValues
    .slice()
    .reverse()
    .map((tv) => `${NAMES[tv.type] ?? tv.type}=${attributeText(tv.value).replace(/([,+"\\<>;])/g, '\\$1')}`)
    .join(',')
    .slice(0, 1000);
}

/** The first value of one attribute of a name (e.g. CN), if any. */
export function nameAttribute(name: Name, short: string): string | undefined {
  const oid = Object.keys(NAMES).find((k) => NAMES[k] === short);
  const tv = name.typesAndValues.find((t) => t.type === oid);
  return tv ? attributeText(tv.value).slice(0, 500) : undefined;
}

/** e.g. "EC P-256", "RSA 3072". Also says whether the key is below today's minimum (RSA < 2048). */
export function describeKey(cert: Certificate): { text: string; weak: boolean } {
  const spki = cert.subjectPublicKeyInfo;
  const oid = spki.algorithm.algorithmId;
  if (oid === OID.ecPublicKey) {
    const curveOid = (spki.algorithm.algorithmParams as asn1js.ObjectIdentifier | undefined)?.valueBlock?.toString?.() ?? '';
    return { text: `EC ${CURVES[curveOid] ?? curveOid}`, weak: false };
  }
  if (oid === OID.rsaEncryption || oid === OID.rsaPss) {
    try {
      const parsed = spki.parsedKey as { modulus?: asn1js.Integer } | undefined;
      let m = bytesOf(parsed?.modulus?.valueBlock.valueHexView ?? new Uint8Array());
      while (m.length > 0 && m[0] === 0) m = m.subarray(1);
      const bits = m.length === 0 ? 0 : (m.length - 1) * 8 + (32 - Math.clz32(m[0]!));
      return { text: `RSA ${bits}`, weak: bits < 2048 };
    } catch {
      return { text: 'RSA', weak: false };
    }
  }
  return { text: oid, weak: false };
}

