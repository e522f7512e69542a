/**
 * Loads a trusted list: parses the XML, reads it (./parse.ts), and verifies its enveloped
 * XMLDSig signature with xmldsigjs (WebCrypto) against the certificates pinned for it. A
 * list is refused, with a reason, when it is no trusted list, when its signature does not
 * cover the whole list or does not verify, when the key that verifies it is not one of the
 * pinned certificates', or when it is past its NextUpdate.
 *
 * Runs in browsers and Node alike. The XML is parsed by the platform's DOMParser where there
 * is one (a browser page: native, fast, and what xmldsigjs's canonicalizer expects there),
 * else by @xmldom/xmldom (Node, workers), loaded only then. This module and xmldsigjs are a
 * chunk of their own: nothing loads them unless a list is checked.
 */
import type { Certificate } from 'pkijs';
import { Application, CryptoConfig, SignedXml, X509Certificate as XmlCertificate } from 'xmldsigjs';
import { setNodeDependencies } from 'xml-core';
import { toHex } from '../encoding.ts';
import { nameText } from '../pdf/cms.ts';
import { readTrustAnchors, type TrustAnchorInput } from '../pdf/chain.ts';
import type { TrustedList, TrustedListRefusal, TrustedListResult, TrustedListSet, VerifiedTrustedList } from './model.ts';
import { parseTrustedList, rootElement, TrustedListFormatError, type XmlNode } from './parse.ts';

export interface LoadTrustedListOptions {
  /** Certificates allowed to sign this list (PEM text or DER), from configuration or from a list of lists' pointer. */
  pinned: readonly TrustAnchorInput[];
  /** The time the list must be current at (default now). */
  now?: Date;
  /** Where the list came from (URL or file name), repeated in the result. */
  location?: string;
  /** The territory the list must be for (a pointer's SchemeTerritory). */
  territory?: string;
  /** Largest list read (bytes); default 32 MiB (national lists are a few MiB at most). */
  maxBytes?: number;
  /** More certificates pinned for the list once it is read (a list of lists' pointer for its territory). */
  pinnedFor?: (list: TrustedList) => readonly TrustAnchorInput[];
}

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

interface DomNode extends XmlNode {
  getAttribute(name: string): string | null;
  cloneNode(deep: boolean): DomNode;
}

type Parser = (text: string) => Promise<DomNode>;

/** The platform's DOMParser (a browser page), else @xmldom/xmldom, registered with xml-core for xmldsigjs. */
let parser: Promise<Parser> | undefined;

function xmlParser(): Promise<Parser> {
  parser ??= (async (): Promise<Parser> => {
    // xmldsigjs sets its WebCrypto engine by itself only in browsers; a wrapper, so the platform's crypto object is left untouched.
    if (Application.isNodePlugin()) Application.setEngine('WebCrypto', { subtle: globalThis.crypto.subtle, getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) } as Crypto);
    const native = (globalThis as { DOMParser?: new () => { parseFromString(text: string, type: string): unknown } }).DOMParser;
    if (native) {
      return async (text) => {
        const doc = new native().parseFromString(text, 'application/xml') as DomNode & { getElementsByTagName(n: string): ArrayLike<unknown> };
        if (doc.getElementsByTagName('parsererror').length > 0) throw new TrustedListFormatError('the file is not well-formed XML');
        return doc;
      };
    }
    const [xmldom, xpath] = await Promise.all([import('@xmldom/xmldom'), import('xpath')]);
    setNodeDependencies({ DOMParser: xmldom.DOMParser, XMLSerializer: xmldom.XMLSerializer, xpath });
    return async (text) => {
      let error: string | undefined;
      const doc = new xmldom.DOMParser({
        onError: (level, message) => {
          if (level !== 'warning') error ??= message;
        },
      }).parseFromString(text, 'application/xml') as unknown as DomNode;
      if (error) throw new TrustedListFormatError(`the file is not well-formed XML: ${error.slice(0, 200)}`);
      return doc;
    };
  })();
  return parser;
}

/** xmldsigjs's checks, one at a time (Verify does them all and knows nothing of pinned certificates). */
class ListSignature extends SignedXml {
  references(root: DomNode): Promise<boolean> {
    return this.ValidateReferences(root.cloneNode(true) as unknown as Element);
  }
  verifiesWith(keys: CryptoKey[]): Promise<boolean> {
    return this.ValidateSignatureValue(keys);
  }
  ownKeys(): Promise<CryptoKey[]> {
    return this.GetPublicKeys();
  }
}

function refuse(reason: TrustedListRefusal, detail: string, location?: string): TrustedListResult {
  return location === undefined ? { ok: false, reason, detail } : { ok: false, reason, detail, location };
}

function asText(input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (input instanceof Uint8Array) return new TextDecoder('utf-8').decode(input);
  if (input instanceof ArrayBuffer) return new TextDecoder('utf-8').decode(new Uint8Array(input));
  return undefined;
}

function errorText(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message.slice(0, 300) : "unknown error";
}

function signatureElement(root: XmlNode): DomNode | undefined {
  for (let c = root.firstChild; c; c = c.nextSibling) if (c.nodeType === 1 && c.localName === 'Signature' && c.namespaceURI === DSIG_NS) return c as DomNode;
  return undefined;
}

/** Reads and verifies one trusted list. Never throws: a list that cannot be used is a refusal with its reason. */
export async function loadTrustedList(input: string | Uint8Array | ArrayBuffer, options: LoadTrustedListOptions): Promise<TrustedListResult> {
  const location = options.location;
  const now = options.now ?? new Date();
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > maxBytes) return refuse('too-large', `the list has ${size} bytes; at most ${maxBytes} are read`, location);
  const text = asText(input);
  if (text === undefined) return refuse('not-xml', 'the list must be given as text or bytes', location);

  let root: DomNode;
  let doc: DomNode;
  let list: TrustedList;
  try {
    doc = await (await xmlParser())(text.replace(/^\uFEFF/, ''));
    const r = rootElement(doc) as DomNode | undefined;
    if (!r) return refuse('not-xml', 'the file has no root element', location);
    root = r;
    list = parseTrustedList(doc);
  } catch (err) {
    const reason: TrustedListRefusal = err instanceof TrustedListFormatError && !/well-formed/.test(err.message) ? 'not-a-trusted-list' : 'not-xml';
    return refuse(reason, errorText(err), location);
  }
  if (options.territory && list.territory && options.territory.toUpperCase() !== list.territory.toUpperCase()) {
    return refuse('territory-mismatch', `the list is for ${list.territory}, the pointer to it says ${options.territory}`, location);
  }

  const sigElement = signatureElement(root);
  if (!sigElement) return refuse('no-signature', 'the list carries no enveloped ds:Signature', location);
  // The document itself: given an element, xmldsigjs would serialize it and parse it again.
  const signature = new ListSignature(doc as unknown as Document);
  try {
    signature.LoadXml(sigElement as unknown as Element);
  } catch (err) {
    return refuse('unsupported-signature', `the signature could not be read: ${errorText(err)}`, location);
  }
  // The signature must be over the whole list: a reference to the document ("" or the root's
  // Id) with the enveloped-signature transform. Anything else signs only a part of it.
  const rootId = root.getAttribute('Id');
  const covering = signature.XmlSignature.SignedInfo.References.Some(
    (ref) => (ref.Uri === '' || (rootId !== null && ref.Uri === `#${rootId}`)) && ref.Transforms.Some((t) => t.Algorithm === ENVELOPED),
  );
  if (!covering) return refuse('signature-not-covering-list', 'no reference of the signature covers the whole list (URI "" or the root Id, enveloped)', location);

  const { anchors: pinned } = readTrustAnchors([...options.pinned, ...(options.pinnedFor?.(list) ?? [])], 200);
  if (pinned.length === 0) return refuse('no-pinned-certificates', 'no certificate is pinned for this list: nothing to check its signature against', location);
  let algorithm: Algorithm;
  try {
    algorithm = CryptoConfig.CreateSignatureAlgorithm(signature.XmlSignature.SignedInfo.SignatureMethod).algorithm as Algorithm;
  } catch (err) {
    return refuse('unsupported-signature', `signature method: ${errorText(err)}`, location);
  }
  let signer: Certificate | undefined;
  let signerDer: Uint8Array | undefined;
  for (const p of pinned) {
    let key: CryptoKey;
    try {
      key = await new XmlCertificate(p.der as Uint8Array<ArrayBuffer>).exportKey(algorithm);
    } catch {
      continue; // a pinned key of another kind (RSA for an ECDSA signature …)
    }
    try {
      if (await signature.verifiesWith([key])) {
        signer = p.cert;
        signerDer = p.der;
        break;
      }
    } catch {
      // a key the signature method cannot use
    }
  }
  if (!signer || !signerDer) {
    let own = false;
    try {
      own = await signature.verifiesWith(await signature.ownKeys());
    } catch {
      own = false;
    }
    return own
      ? refuse('signer-not-pinned', 'the signature verifies with the key it carries, but that key is not one of the certificates pinned for this list', location)
      : refuse('signature-invalid', 'the signature value does not verify with the pinned certificates', location);
  }
  // The references last: canonicalizing the whole list is the costly part, done once a pinned key
  // has verified the signed info (so trying a list against other pins costs little).
  try {
    await signature.references(root);
  } catch (err) {
    return refuse('signature-invalid', `the list was changed after it was signed: ${errorText(err)}`, location);
  }
  if (Date.parse(list.issued) > now.getTime() + 5 * 60_000) return refuse('not-yet-issued', `the list is issued on ${list.issued}, after ${now.toISOString()}`, location);
  if (list.nextUpdate && Date.parse(list.nextUpdate) < now.getTime()) {
    return refuse('expired', `the list was due to be replaced by ${list.nextUpdate} (NextUpdate); it is ${now.toISOString()}`, location);
  }
  const verified: VerifiedTrustedList = {
    list,
    signer: toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', signerDer as Uint8Array<ArrayBuffer>))),
    signerSubject: nameText(signer.subject),
    verifiedAt: now.toISOString(),
  };
  if (location !== undefined) verified.location = location;
  return { ok: true, verified };
}

/** One list to load: its XML, where it came from, and certificates pinned for it in configuration. */
export interface TrustedListSource {
  xml: string | Uint8Array | ArrayBuffer;
  location?: string;
  /** Certificates allowed to sign it; for a national list the list of lists' pointer adds its own. */
  pinned?: readonly TrustAnchorInput[];
  /** The territory it is for, when known without reading it (matches a pointer of the list of lists). */
  territory?: string;
}

export interface LoadedTrustedLists {
  /** The verified lists, the list of lists first: what the verifier and GET /trust use. */
  set: TrustedListSet;
  /** One result per source, in the order given (the list of lists first). */
  results: TrustedListResult[];
}

function pemOf(b64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Loads a list of lists and national lists: a national list is checked against the
 * certificates configured for it and those the (verified) list of lists names for it — by
 * its location or its territory. A refused list of lists pins nothing.
 */
export async function loadTrustedLists(sources: { lotl?: TrustedListSource; lists: readonly TrustedListSource[] }, now: Date = new Date()): Promise<LoadedTrustedLists> {
  const results: TrustedListResult[] = [];
  const set: TrustedListSet = { lists: [] };
  let pointers: VerifiedTrustedList['list']['pointers'] = [];
  if (sources.lotl) {
    const r = await loadTrustedList(sources.lotl.xml, { pinned: sources.lotl.pinned ?? [], now, ...(sources.lotl.location !== undefined ? { location: sources.lotl.location } : {}) });
    results.push(r);
    if (r.ok) {
      set.lists.push(r.verified);
      pointers = r.verified.list.pointers;
    }
  }
  for (const source of sources.lists) {
    const pointer = pointers.find((p) => (source.location !== undefined && p.location === source.location) || (source.territory !== undefined && p.territory?.toUpperCase() === source.territory.toUpperCase()));
    const pinned = [...(source.pinned ?? []), ...(pointer?.signingCertificates ?? []).map(pemOf)];
    const options: LoadTrustedListOptions = { pinned, now };
    // Not found by its location: the pointer for the territory it turns out to be for.
    if (!pointer) options.pinnedFor = (list) => pointers.filter((p) => p.territory !== undefined && p.territory.toUpperCase() === list.territory.toUpperCase()).flatMap((p) => p.signingCertificates.map(pemOf));
    if (source.location !== undefined) options.location = source.location;
    const territory = pointer?.territory ?? source.territory;
    if (territory !== undefined) options.territory = territory;
    const r = await loadTrustedList(source.xml, options);
    results.push(r);
    if (r.ok) set.lists.push(r.verified);
  }
  return { set, results };
}

/**
 * List files a person or a page gives (`<overa-verify>`'s `trusted-lists`): each checked
 * against the certificates given, and — when one of them is a list of lists that verifies —
 * against what it names for the list's territory. Lists of lists are tried first.
 */
export async function loadTrustedListFiles(files: readonly { xml: string | Uint8Array | ArrayBuffer; location?: string }[], pinned: readonly TrustAnchorInput[], now: Date = new Date()): Promise<LoadedTrustedLists> {
  const isLotl = (f: (typeof files)[number]) => /EUlistofthelists/.test(typeof f.xml === 'string' ? f.xml.slice(0, 4096) : new TextDecoder().decode(new Uint8Array(f.xml instanceof ArrayBuffer ? f.xml : f.xml.buffer, 0, Math.min(4096, f.xml.byteLength))));
  const ordered = [...files.filter(isLotl), ...files.filter((f) => !isLotl(f))];
  const set: TrustedListSet = { lists: [] };
  const results: TrustedListResult[] = [];
  for (const f of ordered) {
    const pointers = set.lists.filter((l) => l.list.listOfLists).flatMap((l) => l.list.pointers);
    const options: LoadTrustedListOptions = {
      pinned,
      now,
      pinnedFor: (list) => pointers.filter((p) => p.territory !== undefined && p.territory.toUpperCase() === list.territory.toUpperCase()).flatMap((p) => p.signingCertificates.map(pemOf)),
    };
    if (f.location !== undefined) options.location = f.location;
    const r = await loadTrustedList(f.xml, options);
    results.push(r);
    if (r.ok) set.lists.push(r.verified);
  }
  return { set, results };
}
