/**
 * Reads an ETSI TS 119 612 trusted list from a parsed XML document. Works on the browser's
 * DOM and on @xmldom/xmldom alike: it needs only the few node properties below (core has no
 * DOM types). Elements are matched by namespace and local name, whatever their prefixes.
 */
import { toHex } from '../encoding.ts';
import type {
  QualificationCriteria,
  QualificationRule,
  Qualifier,
  ServiceState,
  TrustedList,
  TrustedListPointer,
  TrustedService,
  TrustServiceProvider,
} from './model.ts';
import { qualifierName } from './model.ts';

/** The part of a DOM node the reader uses (browser DOM and xmldom both have it). */
export interface XmlNode {
  readonly nodeType: number;
  readonly localName: string | null;
  readonly namespaceURI: string | null;
  readonly firstChild: XmlNode | null;
  readonly nextSibling: XmlNode | null;
  readonly textContent: string | null;
  getAttribute?(name: string): string | null;
}

export const TSL_NS = 'http://uri.etsi.org/02231/v2#';
const TSLX_NS = 'http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#';
const XADES_NS = 'http://uri.etsi.org/01903/v1.3.2#';
export const LOTL_TYPE = 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists';

const ELEMENT = 1;

/** Child elements, by sibling links (a browser's live childNodes list costs more to index). */
function elementsOf(node: XmlNode): XmlNode[] {
  const out: XmlNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === ELEMENT) out.push(c);
  return out;
}

function children(node: XmlNode, ns: string, name: string): XmlNode[] {
  const out: XmlNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === ELEMENT && c.localName === name && c.namespaceURI === ns) out.push(c);
  return out;
}

function child(node: XmlNode | undefined, ns: string, name: string): XmlNode | undefined {
  if (!node) return undefined;
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === ELEMENT && c.localName === name && c.namespaceURI === ns) return c;
  return undefined;
}

/** A path of TSL-namespace children. */
function path(node: XmlNode | undefined, ...names: string[]): XmlNode | undefined {
  let at = node;
  for (const n of names) at = child(at, TSL_NS, n);
  return at;
}

function text(node: XmlNode | undefined): string {
  return (node?.textContent ?? '').trim();
}

/** The English name of a multilingual name list (TS 119 612 wants one), else the first. */
function name(list: XmlNode | undefined): string {
  const names = list ? children(list, TSL_NS, 'Name') : [];
  const en = names.find((n) => n.getAttribute?.('xml:lang') === 'en');
  return text(en ?? names[0]);
}

function base64(value: string): string {
  return value.replace(/\s+/g, '');
}

function base64Hex(value: string): string | undefined {
  try {
    const bin = atob(base64(value));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return toHex(bytes);
  } catch {
    return undefined;
  }
}

function isoTime(value: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new TrustedListFormatError(`not a date-time: "${value.slice(0, 40)}"`);
  return new Date(t).toISOString();
}

export class TrustedListFormatError extends Error {
  override name = 'TrustedListFormatError';
}

function digitalIdentity(sdi: XmlNode | undefined): { certificates: string[]; skis: string[]; subjectNames: string[] } {
  const out = { certificates: [] as string[], skis: [] as string[], subjectNames: [] as string[] };
  for (const id of sdi ? children(sdi, TSL_NS, 'DigitalId') : []) {
    const cert = child(id, TSL_NS, 'X509Certificate');
    if (cert) out.certificates.push(base64(text(cert)));
    const ski = child(id, TSL_NS, 'X509SKI');
    const hex = ski ? base64Hex(text(ski)) : undefined;
    if (hex) out.skis.push(hex);
    const subject = child(id, TSL_NS, 'X509SubjectName');
    if (subject) out.subjectNames.push(text(subject));
  }
  return out;
}

const KEY_USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'crlSign', 'encipherOnly', 'decipherOnly'];

function criteria(node: XmlNode): QualificationCriteria {
  const assertion = node.getAttribute?.('assert');
  const out: QualificationCriteria = {
    assert: assertion === 'all' || assertion === 'none' ? assertion : 'atLeastOne',
    policySets: [],
    keyUsage: [],
    nested: [],
    other: [],
  };
  for (const c of elementsOf(node)) {
    if (c.localName === 'PolicySet' && c.namespaceURI === TSLX_NS) {
      out.policySets.push(children(c, TSLX_NS, 'PolicyIdentifier').map((p) => text(child(p, XADES_NS, 'Identifier')).replace(/^urn:oid:/, '')));
    } else if (c.localName === 'KeyUsage' && c.namespaceURI === TSLX_NS) {
      const bits: Record<string, boolean> = {};
      for (const b of children(c, TSLX_NS, 'KeyUsageBit')) {
        const bitName = b.getAttribute?.('name') ?? '';
        if (KEY_USAGE_BITS.includes(bitName)) bits[bitName] = text(b) === 'true';
        else out.other.push(`KeyUsageBit ${bitName}`);
      }
      out.keyUsage.push(bits);
    } else if (c.localName === 'CriteriaList' && c.namespaceURI === TSLX_NS) {
      out.nested.push(criteria(c));
    } else if (c.localName !== 'Description') {
      out.other.push(c.localName ?? '?');
    }
  }
  return out;
}

function extensions(node: XmlNode | undefined): { qualifications: QualificationRule[]; additionalInfo: string[] } {
  const out = { qualifications: [] as QualificationRule[], additionalInfo: [] as string[] };
  for (const ext of node ? children(node, TSL_NS, 'Extension') : []) {
    for (const asi of children(ext, TSL_NS, 'AdditionalServiceInformation')) {
      const uri = text(child(asi, TSL_NS, 'URI'));
      if (uri) out.additionalInfo.push(uri);
    }
    for (const q of children(ext, TSLX_NS, 'Qualifications')) {
      for (const el of children(q, TSLX_NS, 'QualificationElement')) {
        const qualifiers: Qualifier[] = [];
        for (const qs of children(el, TSLX_NS, 'Qualifiers')) {
          for (const one of children(qs, TSLX_NS, 'Qualifier')) {
            const known = qualifierName(one.getAttribute?.('uri') ?? '');
            if (known) qualifiers.push(known);
          }
        }
        const list = child(el, TSLX_NS, 'CriteriaList');
        out.qualifications.push({ qualifiers, criteria: list ? criteria(list) : { assert: 'none', policySets: [], keyUsage: [], nested: [], other: ['missing CriteriaList'] } });
      }
    }
  }
  return out;
}

function state(info: XmlNode): ServiceState {
  const ext = extensions(child(info, TSL_NS, 'ServiceInformationExtensions'));
  return {
    type: text(child(info, TSL_NS, 'ServiceTypeIdentifier')),
    status: text(child(info, TSL_NS, 'ServiceStatus')),
    from: isoTime(text(child(info, TSL_NS, 'StatusStartingTime'))),
    ...ext,
  };
}

function service(node: XmlNode): TrustedService {
  const info = child(node, TSL_NS, 'ServiceInformation');
  if (!info) throw new TrustedListFormatError('a TSPService without ServiceInformation');
  const identity = digitalIdentity(child(info, TSL_NS, 'ServiceDigitalIdentity'));
  const states: ServiceState[] = [state(info)];
  const history = child(node, TSL_NS, 'ServiceHistory');
  const past = history ? children(history, TSL_NS, 'ServiceHistoryInstance').map(state) : [];
  // Newest first; each state lasts until the next one started.
  past.sort((a, b) => Date.parse(b.from) - Date.parse(a.from));
  for (const p of past) {
    p.to = states[states.length - 1]!.from;
    states.push(p);
  }
  // A history instance may name certificates the current identity no longer lists (TS 119 612 5.6.3 keeps them by SKI).
  for (const h of history ? children(history, TSL_NS, 'ServiceHistoryInstance') : []) {
    const old = digitalIdentity(child(h, TSL_NS, 'ServiceDigitalIdentity'));
    for (const ski of old.skis) if (!identity.skis.includes(ski)) identity.skis.push(ski);
    for (const c of old.certificates) if (!identity.certificates.includes(c)) identity.certificates.push(c);
  }
  return { name: name(child(info, TSL_NS, 'ServiceName')), ...identity, states };
}

function provider(node: XmlNode): TrustServiceProvider {
  const info = child(node, TSL_NS, 'TSPInformation');
  const services = path(node, 'TSPServices');
  return {
    name: name(child(info, TSL_NS, 'TSPName')),
    tradeNames: (child(info, TSL_NS, 'TSPTradeName') ? children(child(info, TSL_NS, 'TSPTradeName')!, TSL_NS, 'Name') : []).map(text),
    services: services ? children(services, TSL_NS, 'TSPService').map(service) : [],
  };
}

function pointer(node: XmlNode): TrustedListPointer {
  const certs: string[] = [];
  for (const sdi of children(child(node, TSL_NS, 'ServiceDigitalIdentities') ?? node, TSL_NS, 'ServiceDigitalIdentity')) certs.push(...digitalIdentity(sdi).certificates);
  const out: TrustedListPointer = { location: text(child(node, TSL_NS, 'TSLLocation')), signingCertificates: certs };
  for (const other of children(child(node, TSL_NS, 'AdditionalInformation') ?? node, TSL_NS, 'OtherInformation')) {
    for (const c of elementsOf(other)) {
      if (c.localName === 'SchemeTerritory') out.territory = text(c);
      else if (c.localName === 'TSLType') out.type = text(c);
      else if (c.localName === 'MimeType') out.mimeType = text(c);
    }
  }
  return out;
}

/** The root element of a parsed document (Document or Element given). */
export function rootElement(doc: XmlNode): XmlNode | undefined {
  if (doc.nodeType === ELEMENT) return doc;
  return elementsOf(doc)[0];
}

/** Reads a trusted list; throws TrustedListFormatError when the document is not one. */
export function parseTrustedList(doc: XmlNode): TrustedList {
  const root = rootElement(doc);
  if (!root || root.localName !== 'TrustServiceStatusList' || root.namespaceURI !== TSL_NS) throw new TrustedListFormatError('the root element is not a TrustServiceStatusList (ETSI TS 119 612)');
  const scheme = child(root, TSL_NS, 'SchemeInformation');
  if (!scheme) throw new TrustedListFormatError('no SchemeInformation');
  const type = text(child(scheme, TSL_NS, 'TSLType'));
  const next = text(path(scheme, 'NextUpdate', 'dateTime'));
  const pointers = path(scheme, 'PointersToOtherTSL');
  const providers = path(root, 'TrustServiceProviderList');
  const list: TrustedList = {
    type,
    listOfLists: /listofthelists$/i.test(type),
    territory: text(child(scheme, TSL_NS, 'SchemeTerritory')),
    operator: name(child(scheme, TSL_NS, 'SchemeOperatorName')),
    sequenceNumber: Number(text(child(scheme, TSL_NS, 'TSLSequenceNumber'))) || 0,
    issued: isoTime(text(child(scheme, TSL_NS, 'ListIssueDateTime'))),
    pointers: pointers ? children(pointers, TSL_NS, 'OtherTSLPointer').map(pointer) : [],
    providers: providers ? children(providers, TSL_NS, 'TrustServiceProvider').map(provider) : [],
  };
  if (next) list.nextUpdate = isoTime(next);
  return list;
}
