/**
 * The signatures of the exchange protocol (docs/exchange.md): a detached CMS SignedData over
 * the canonical JSON of an envelope or a receipt, made with the agency's seal (the same CAdES
 * signer as the PDF seal: content-type, message-digest, signing-certificate-v2), so that
 * `openssl cms -verify -binary -inform DER -content envelope.json -CAfile root.pem` checks it
 * offline; and its verification against a partner's pinned certificate, with the checks of
 * components/core/pdf/cms.ts (one piece of code per rule).
 */
import { createHash, KeyObject, sign as nodeSign, verify as nodeVerify, X509Certificate } from 'node:crypto';
import type { CryptoEngineSignWithPrivateKeyParams } from 'pkijs';
import {
  certificateFromDer, checkMessageDigest, checkSigningCertificate, digestAlgorithm, equalBytes, findSignerCertificate, nameAttribute, nameText, OID, parseCms,
  signedBytes, verifySignatureValue, type CertEntry,
} from '../../components/core/pdf/cms.ts';
import { buildChain, mayMakeSignatures, validityProblems } from '../../components/core/pdf/chain.ts';
import { readChildren, readTlv, encodeTlv, TAG, type Tlv } from '../../components/core/pdf/der.ts';
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
export async function verifyDetached(
  cmsDer: Uint8Array, content: Uint8Array, pin: Pin, at: Date, certificate: (der: Uint8Array) => CertEntry = certificateFromDer,
): Promise<DetachedResult> {
  const checked = await checkDetached(cmsDer, content, pin, at, certificate);
  return checked.ok ? { ok: true, signer: checked.signer } : checked;
}

type Checked = (DetachedResult & { ok: true }) & { entry: CertEntry; anchors: CertEntry[] };

async function checkDetached(
  cmsDer: Uint8Array, content: Uint8Array, pin: Pin, at: Date, certificate: (der: Uint8Array) => CertEntry,
): Promise<Checked | (DetachedResult & { ok: false })> {
  const fail = (reason: string) => ({ ok: false as const, reason });
  const parsed = parseCms(cmsDer, 20, { certificate });
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
    anchors.push(certificate(pin.der));
    const chain = await buildChain(signer, cms.certificates, anchors, { maxLength: 6, maxSignatureChecks: 30 });
    if (!chain.ok) return fail(`the signer does not chain to the partner's pinned certificate: ${chain.detail}`);
    const names = [nameAttribute(signer.cert.subject, 'O'), nameAttribute(signer.cert.subject, 'CN')];
    if (!names.includes(pin.name)) return fail(`the signer certificate does not name the partner "${pin.name}"`);
  }
  const invalid = validityProblem(signer, anchors, at);
  if (invalid) return fail(invalid);
  return {
    ok: true, entry: signer, anchors,
    signer: { subject: nameText(signer.cert.subject), sha256: sha256Hex(signer.der), organization: nameAttribute(signer.cert.subject, 'O') },
  };
}

/** Why the signer certificate is not valid at `at` (before its notBefore, after its notAfter…); undefined when it is. */
function validityProblem(signer: CertEntry, anchors: CertEntry[], at: Date): string | undefined {
  return validityProblems([signer], anchors, at).find((p) => p.signer)?.detail;
}

/**
 * What signDetached makes for one seal, split around the two things that change between
 * messages: the message digest (inside the signed attributes) and the signature value.
 */
interface DetachedTemplate {
  /** The SignedData's fields before signerInfos: version, digestAlgorithms, encapContentInfo, certificates. */
  head: Uint8Array;
  /** The SignerInfo's fields before its signed attributes: version, sid, digestAlgorithm. */
  signerHead: Uint8Array;
  /** The contents of the signed attributes, with a stand-in digest at `digestAt`. */
  attributes: Uint8Array;
  digestAt: number;
  /** The signatureAlgorithm field. */
  signatureAlgorithm: Uint8Array;
  /** The engine's parameters for signing with the seal's key. */
  parameters: CryptoEngineSignWithPrivateKeyParams;
  /**
   * The seal's key as Node signs with it directly, when it is a key file's (a token's key is
   * only the engine's): WebCrypto's sign is a job on the thread pool with a promise around it,
   * ~0.2 ms of the event loop per receipt against ~0.03 ms for node:crypto's (docs/decisions.md).
   */
  nodeKey?: KeyObject;
}

/** The ContentInfo type of SignedData, DER (an OBJECT IDENTIFIER). */
const SIGNED_DATA_OID = Uint8Array.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);

/**
 * The exchange's signatures with what repeats between messages done once (docs/exchange.md;
 * bench/exchange-throughput.ts). Signing: signDetached's CMS for a seal is the same bytes
 * every time but for the message digest and the signature value, so it is made once by
 * signDetached itself (the one definition of its shape) and cut around those two; each
 * message then costs one signature and a few DER headers. Verifying: verifyDetached, with
 * each certificate a partner sends (the same seal on every message) parsed once. pkijs and
 * asn1js spent ~20 ms of CPU per message on rebuilding and re-parsing these parts.
 *
 * One per app (Deps.exchangeSignatures); a reloaded seal is a new SealKey, so a new template.
 */
export class ExchangeSignatures {
  readonly #templates = new WeakMap<SealKey, Promise<DetachedTemplate | undefined>>();
  readonly #certificates = new Map<string, CertEntry>();
  readonly #shapes = new Map<string, { checked: Checked; publicKey: KeyObject }>();
  /** Certificates and signature shapes kept at most; past it a memo starts again (partners are few). */
  static readonly MAX_CERTIFICATES = 256;
  static readonly MAX_SHAPES = 256;

  /** How many signature shapes are remembered (for tests and diagnostics). */
  get rememberedShapes(): number {
    return this.#shapes.size;
  }

  /** signDetached(content, seal), the same bytes but for the signature value. */
  async sign(content: Uint8Array, seal: SealKey): Promise<Uint8Array> {
    let template = this.#templates.get(seal);
    if (!template) {
      template = makeTemplate(seal).catch(() => undefined);
      this.#templates.set(seal, template);
    }
    const t = await template;
    if (!t) return signDetached(content, seal);
    const attributes = t.attributes.slice();
    attributes.set(createHash('sha256').update(content).digest(), t.digestAt);
    const signed = encodeTlv(TAG.set, attributes);
    const value = t.nodeKey
      ? nodeSign('sha256', signed, { key: t.nodeKey, dsaEncoding: 'der' })
      : new Uint8Array(await seal.engine.signWithPrivateKey(signed, seal.privateKey, t.parameters));
    const signerInfo = encodeTlv(TAG.sequence, t.signerHead, encodeTlv(TAG.context0, attributes), t.signatureAlgorithm, encodeTlv(TAG.octetString, value));
    return encodeTlv(TAG.sequence, SIGNED_DATA_OID, encodeTlv(TAG.context0, encodeTlv(TAG.sequence, t.head, encodeTlv(TAG.set, signerInfo))));
  }

  /**
   * verifyDetached, with the certificates memoised, and the outcome of a signature whose every
   * byte but the message digest and the signature value is that of one fully verified before
   * (a partner's seal signs each message in the same shape): then only what those bytes and
   * the time decide is checked again — the digest against `content`, the signature value
   * with the signer's key, the signer's validity at `at`. Every other check reads only bytes
   * that are the same, so it would come out the same.
   */
  async verify(cmsDer: Uint8Array, content: Uint8Array, pin: Pin, at: Date): Promise<DetachedResult> {
    const cut = cutSignature(cmsDer);
    const key = cut && `${pin.isCa ? 'ca' : 'seal'}|${pin.name}|${latin1(pin.der)}|${latin1(cut.shape)}`;
    const known = key === undefined ? undefined : this.#shapes.get(key);
    if (known && cut) {
      if (!equalBytes(cut.digest, createHash('sha256').update(content).digest())) return { ok: false, reason: 'the message digest does not match the content' };
      if (!nodeVerify('sha256', cut.signed, { key: known.publicKey, dsaEncoding: 'der' }, cut.signature)) return { ok: false, reason: 'the signature value does not verify' };
      const invalid = validityProblem(known.checked.entry, known.checked.anchors, at);
      if (invalid) return { ok: false, reason: invalid };
      return { ok: true, signer: known.checked.signer };
    }
    const checked = await checkDetached(cmsDer, content, pin, at, (der) => this.#certificate(der));
    if (!checked.ok) return checked;
    if (key !== undefined && cut?.nodeAlgorithm) {
      if (this.#shapes.size >= ExchangeSignatures.MAX_SHAPES) this.#shapes.clear();
      this.#shapes.set(key, { checked, publicKey: new X509Certificate(checked.entry.der).publicKey });
    }
    return { ok: true, signer: checked.signer };
  }

  #certificate(der: Uint8Array): CertEntry {
    const key = latin1(der);
    let entry = this.#certificates.get(key);
    if (!entry) {
      if (this.#certificates.size >= ExchangeSignatures.MAX_CERTIFICATES) this.#certificates.clear();
      entry = certificateFromDer(der);
      // Its own copy of the bytes: `der` is a view into one message's buffer.
      entry = { cert: entry.cert, der: new Uint8Array(entry.der) };
      this.#certificates.set(key, entry);
    }
    return entry;
  }
}

/**
 * signDetached's CMS for `seal` over a stand-in content, cut into a template; undefined when it
 * does not have the one shape expected (then sign() signs the long way).
 */
async function makeTemplate(seal: SealKey): Promise<DetachedTemplate | undefined> {
  const standIn = new Uint8Array(0);
  const digest = createHash('sha256').update(standIn).digest();
  const layers = signerLayers(await signDetached(standIn, seal));
  if (!layers) return undefined;
  const { fields, signer: siFields } = layers;
  const attributes = siFields[3]!.value.slice();
  const digestAt = indexOf(attributes, digest);
  if (digestAt < 0 || indexOf(attributes, digest, digestAt + 1) >= 0) return undefined;
  // As pkijs's SignedData.sign does: the parameters it chose are the ones its signer takes.
  const parameters = (await seal.engine.getSignatureParameters(seal.privateKey, 'SHA-256')).parameters as CryptoEngineSignWithPrivateKeyParams;
  const join = (parts: { bytes: Uint8Array }[]) => Buffer.concat(parts.map((p) => p.bytes));
  const nodeKey = nodeKeyOf(seal, parameters);
  return {
    head: join(fields.slice(0, -1)),
    signerHead: join(siFields.slice(0, 3)),
    attributes,
    digestAt,
    signatureAlgorithm: siFields[4]!.bytes.slice(),
    parameters,
    ...(nodeKey ? { nodeKey } : {}),
  };
}

/**
 * The seal's key for node:crypto, when node signs exactly as the engine would: a key file's
 * WebCrypto key, ECDSA (DER signature value, as pkijs converts it to) or RSASSA-PKCS1-v1_5,
 * over SHA-256. Undefined otherwise (a token's key; any other algorithm): the engine signs.
 */
function nodeKeyOf(seal: SealKey, parameters: CryptoEngineSignWithPrivateKeyParams): KeyObject | undefined {
  const algorithm = parameters.algorithm as { name?: string; hash?: string | { name?: string } };
  const hash = typeof algorithm.hash === 'string' ? algorithm.hash : algorithm.hash?.name;
  if (seal.location.kind !== 'file' || hash !== 'SHA-256' || !['ECDSA', 'RSASSA-PKCS1-v1_5'].includes(algorithm.name ?? '')) return undefined;
  try {
    return KeyObject.from(seal.privateKey);
  } catch {
    return undefined;
  }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle, from);
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** The messageDigest attribute's type, DER. */
const MESSAGE_DIGEST_OID = Uint8Array.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04]);

/** Signature algorithms Node checks directly over SHA-256 (ecdsa-with-SHA256, sha256WithRSAEncryption), DER. */
const NODE_ALGORITHMS = [
  Uint8Array.from([0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]),
  Uint8Array.from([0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00]),
  Uint8Array.from([0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]),
];

/**
 * A CMS's layers, by DER lengths, down to its one SignerInfo: the content type, the SignedData's
 * fields (signerInfos last), the SignerInfo's six fields (version, sid, digestAlgorithm, [0]
 * signed attributes, signatureAlgorithm, signature), and the identifier octets of the layers in
 * between. Undefined for any other shape (unsigned attributes, several signers, BER).
 */
function signerLayers(cms: Uint8Array): { contentType: Tlv; fields: Tlv[]; signer: Tlv[]; tags: Uint8Array } | undefined {
  const root = readTlv(cms);
  const top = root && readChildren(root.value);
  const sd = top?.length === 2 ? readChildren(top[1]!.value) : undefined;
  const fields = sd?.length === 1 && sd[0]!.tag === TAG.sequence ? readChildren(sd[0]!.value) : undefined;
  const infos = fields?.at(-1);
  const si = infos?.tag === TAG.set ? readChildren(infos.value) : undefined;
  const signer = si?.length === 1 && si[0]!.tag === TAG.sequence ? readChildren(si[0]!.value) : undefined;
  if (!root || !top || !sd || !fields || !infos || !si || !signer || signer.length !== 6 || signer[3]!.tag !== TAG.context0 || signer[5]!.tag !== TAG.octetString) return undefined;
  return { contentType: top[0]!, fields, signer, tags: Uint8Array.from([root.tag, top[1]!.tag, sd[0]!.tag, infos.tag, si[0]!.tag, signer[3]!.tag, signer[5]!.tag]) };
}

/**
 * A detached CMS cut as ExchangeSignatures.verify compares it: `shape`, every byte but the
 * message digest's value and the signature value; those two; and `signed`, the DER SET of
 * signed attributes the signature is over. Undefined for anything but one SignerInfo with one
 * messageDigest attribute, in definite-length DER.
 */
function cutSignature(cms: Uint8Array): { shape: Uint8Array; digest: Uint8Array; signature: Uint8Array; signed: Uint8Array; nodeAlgorithm: boolean } | undefined {
  const layers = signerLayers(cms);
  if (!layers) return undefined;
  const { fields: outer, signer: fields } = layers;
  const attributes = readChildren(fields[3]!.value);
  if (!attributes) return undefined;
  let digest: Uint8Array | undefined;
  const masked: Uint8Array[] = [];
  for (const a of attributes) {
    const [type, values, ...rest] = readChildren(a.value) ?? [];
    if (type && values && rest.length === 0 && equalBytes(type.bytes, MESSAGE_DIGEST_OID)) {
      const [value, ...more] = readChildren(values.value) ?? [];
      if (digest || !value || more.length || value.tag !== TAG.octetString || value.value.length !== 32) return undefined;
      digest = value.value;
      masked.push(type.bytes);
    } else masked.push(a.bytes);
  }
  if (!digest) return undefined;
  return {
    // Lengths are in the parts kept: a different length anywhere changes the shape.
    shape: Buffer.concat([
      layers.tags, layers.contentType.bytes, ...outer.slice(0, -1).map((f) => f.bytes), ...fields.slice(0, 3).map((f) => f.bytes), ...masked, fields[4]!.bytes,
    ]),
    digest,
    signature: fields[5]!.value,
    signed: encodeTlv(TAG.set, fields[3]!.value),
    nodeAlgorithm: NODE_ALGORITHMS.some((a) => equalBytes(a, fields[4]!.bytes)),
  };
}
