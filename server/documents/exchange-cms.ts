/**
 * The signatures of the exchange protocol (docs/exchange.md): a detached CMS SignedData over
 * the canonical JSON of an envelope or a receipt, made with the agency's seal (the same CAdES
 * signer as the PDF seal: content-type, message-digest, signing-certificate-v2), so that
 * `openssl cms -verify -binary -inform DER -content envelope.json -CAfile root.pem` checks it
 * offline; and its verification against a partner's pinned certificate, with the checks of
 * components/core/pdf/cms.ts (one piece of code per rule).
 */
import { createHash } from 'node:crypto';
import type { CryptoEngineSignWithPrivateKeyParams } from 'pkijs';
import {
  certificateFromDer, checkMessageDigest, checkSigningCertificate, digestAlgorithm, equalBytes, findSignerCertificate, nameAttribute, nameText, OID, parseCms,
  signedBytes, verifySignatureValue, type CertEntry,
} from '../../components/core/pdf/cms.ts';
import { buildChain, mayMakeSignatures, validityProblems } from '../../components/core/pdf/chain.ts';
import { readChildren, readTlv, encodeTlv, TAG } from '../../components/core/pdf/der.ts';
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
  const validity = validityProblems([signer], anchors, at).filter((p) => p.signer);
  if (validity.length) return fail(validity[0]!.detail);
  return { ok: true, signer: { subject: nameText(signer.cert.subject), sha256: sha256Hex(signer.der), organization: nameAttribute(signer.cert.subject, 'O') } };
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
  /** Certificates kept at most; past it the memo starts again (partners are few). */
  static readonly MAX_CERTIFICATES = 256;

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
    const value = new Uint8Array(await seal.engine.signWithPrivateKey(encodeTlv(TAG.set, attributes), seal.privateKey, t.parameters));
    const signerInfo = encodeTlv(TAG.sequence, t.signerHead, encodeTlv(TAG.context0, attributes), t.signatureAlgorithm, encodeTlv(TAG.octetString, value));
    return encodeTlv(TAG.sequence, SIGNED_DATA_OID, encodeTlv(TAG.context0, encodeTlv(TAG.sequence, t.head, encodeTlv(TAG.set, signerInfo))));
  }

  /** verifyDetached, with the certificates memoised. */
  verify(cmsDer: Uint8Array, content: Uint8Array, pin: Pin, at: Date): Promise<DetachedResult> {
    return verifyDetached(cmsDer, content, pin, at, (der) => this.#certificate(der));
  }

  #certificate(der: Uint8Array): CertEntry {
    const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
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
  const cms = await signDetached(standIn, seal);
  const root = readChildren(readTlv(cms)?.value ?? new Uint8Array(0));
  const sd = root?.[1] && readChildren(root[1].value)?.[0];
  const fields = sd && readChildren(sd.value);
  const signerInfos = fields?.at(-1);
  const si = signerInfos && readChildren(signerInfos.value);
  const siFields = si?.length === 1 ? readChildren(si[0]!.value) : undefined;
  if (!fields || !siFields || siFields.length !== 6 || siFields[3]!.tag !== TAG.context0 || siFields[5]!.tag !== TAG.octetString) return undefined;
  const attributes = siFields[3]!.value.slice();
  const digestAt = indexOf(attributes, digest);
  if (digestAt < 0 || indexOf(attributes, digest, digestAt + 1) >= 0) return undefined;
  // As pkijs's SignedData.sign does: the parameters it chose are the ones its signer takes.
  const parameters = (await seal.engine.getSignatureParameters(seal.privateKey, 'SHA-256')).parameters as CryptoEngineSignWithPrivateKeyParams;
  const join = (parts: { bytes: Uint8Array }[]) => Buffer.concat(parts.map((p) => p.bytes));
  return {
    head: join(fields.slice(0, -1)),
    signerHead: join(siFields.slice(0, 3)),
    attributes,
    digestAt,
    signatureAlgorithm: siFields[4]!.bytes.slice(),
    parameters,
  };
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle, from);
}
