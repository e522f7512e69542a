/**
 * Trusted lists for the tests, made the way other tools make them: certificates by OpenSSL
 * (`openssl req`/`openssl x509`, QC statements per ETSI EN 319 412-5 written as raw ASN.1 in
 * the extension config), the lists as ETSI TS 119 612 XML, signed (enveloped XMLDSig,
 * exclusive C14N, ECDSA-SHA256, the signer certificate in KeyInfo) by `xmlsec1` from Debian.
 *
 * `createTrustFixture()` gives one test provider with two CA/QC services — one granted since
 * 2020, one granted and later withdrawn (`withdrawnAt`, set when the lists are written) —
 * and the certificates sealed under them: a qualified seal certificate (QcCompliance, QcType
 * eseal, QcSSCD, QCP-l-qscd policy), the same under the withdrawn service, and one with no QC
 * statements. Then `writeLists()` makes the national lists RS (that provider) and SI (one
 * other provider), the EU-style list of lists pointing to both, and the broken ones: a
 * tampered RS list, one signed by an unpinned key, an expired one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestSigner } from './pdf-sign.ts';

export interface FixtureCert extends TestSigner {
  der: Uint8Array;
  b64: string;
}

export interface ServiceSpec {
  name: string;
  ca: FixtureCert;
  /** Status periods, oldest first: [status short name, from]. */
  history: [string, Date][];
  /** Additional service information (ForeSeals …) and qualifiers, on every state. */
  uses?: ('ForeSeals' | 'ForeSignatures')[];
  qualifiers?: { qualifiers: string[]; policies: string[] }[];
  type?: string;
}

export interface ProviderSpec {
  name: string;
  services: ServiceSpec[];
}

export interface ListSpec {
  territory: string;
  sequence: number;
  issued: Date;
  nextUpdate: Date;
  providers: ProviderSpec[];
}

export interface TrustFixture {
  dir: string;
  /** The provider's CAs. */
  ca: FixtureCert;
  caWithdrawn: FixtureCert;
  /** Signers of the lists (pinned), and a key nobody pinned. */
  lotlSigner: FixtureCert;
  rsSigner: FixtureCert;
  siSigner: FixtureCert;
  rogueSigner: FixtureCert;
  /** Seal certificates. */
  qseal: FixtureCert;
  qsealUnderWithdrawn: FixtureCert;
  plainSeal: FixtureCert;
  /** Writes the lists (status of the second service withdrawn at `withdrawnAt`). */
  writeLists(withdrawnAt: Date): TrustLists;
  /** A national list of `services` generated services (for the benchmark), signed by the RS signer. */
  largeList(services: number): string;
  /** Signs an unsigned TSL with xmlsec1 (the signature template is added here). */
  sign(xml: string, signer: FixtureCert): string;
  /**
   * Signs it the way published lists are signed: RSA-SHA256, inclusive C14N of the signed info,
   * a reference to the root's Id and one to XAdES SignedProperties in a ds:Object (`rsaSigner`).
   */
  signXades(xml: string, signer: FixtureCert): string;
  /** An RSA-2048 list signer (for signXades). */
  rsaSigner: FixtureCert;
  cleanup(): void;
}

export interface TrustLists {
  lotl: string;
  rs: string;
  si: string;
  rsTampered: string;
  rsUnpinned: string;
  rsExpired: string;
  /** The provider's service states as written (for assertions). */
  withdrawnAt: Date;
}

const QC_POLICY_QSCD = '0.4.0.194112.1.3'; // QCP-l-qscd (EN 319 411-2)

const OPENSSL_CONFIG = `[ req ]
distinguished_name = dn
[ dn ]
[ ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ signer ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
[ qseal ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = ${QC_POLICY_QSCD}
1.3.6.1.5.5.7.1.3 = ASN1:SEQUENCE:qcs
[ qcs ]
compliance = SEQUENCE:qc_compliance
sscd = SEQUENCE:qc_sscd
type = SEQUENCE:qc_type
[ qc_compliance ]
id = OID:0.4.0.1862.1.1
[ qc_sscd ]
id = OID:0.4.0.1862.1.4
[ qc_type ]
id = OID:0.4.0.1862.1.6
types = SEQUENCE:qc_type_eseal
[ qc_type_eseal ]
eseal = OID:0.4.0.1862.1.6.2
[ plain ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

const NS = 'xmlns:tsl="http://uri.etsi.org/02231/v2#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:tslx="http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#" xmlns:xades="http://uri.etsi.org/01903/v1.3.2#" xmlns:ad="http://uri.etsi.org/02231/v2/additionaltypes#"';
const STATUS = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/';
const EXT = 'http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/';

const xadesTemplate = (rootId: string) =>
  `<ds:Signature Id="signature-xades"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>` +
  `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference Id="reference-list" URI="#${rootId}"><ds:Transforms>` +
  `<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>` +
  `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>` +
  `<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#xades-signed-properties"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>` +
  `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/>` +
  `<ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo><ds:Object><xades:QualifyingProperties Target="#signature-xades">` +
  `<xades:SignedProperties Id="xades-signed-properties"><xades:SignedSignatureProperties><xades:SigningTime>${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')}</xades:SigningTime>` +
  `</xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature>`;

const SIGNATURE_TEMPLATE =
  '<ds:Signature Id="signature"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>' +
  '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/><ds:Reference URI=""><ds:Transforms>' +
  '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>' +
  '</ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo>' +
  '<ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo></ds:Signature>';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function names(tag: string, value: string): string {
  return `<tsl:${tag}><tsl:Name xml:lang="en">${esc(value)}</tsl:Name><tsl:Name xml:lang="sr">${esc(value)}</tsl:Name></tsl:${tag}>`;
}

function extensionsXml(spec: ServiceSpec): string {
  const parts: string[] = [];
  for (const u of spec.uses ?? []) parts.push(`<tsl:Extension Critical="false"><tsl:AdditionalServiceInformation><tsl:URI xml:lang="en">${EXT}${u}</tsl:URI></tsl:AdditionalServiceInformation></tsl:Extension>`);
  if (spec.qualifiers?.length) {
    const elements = spec.qualifiers
      .map(
        (q) =>
          `<tslx:QualificationElement><tslx:Qualifiers>${q.qualifiers.map((n) => `<tslx:Qualifier uri="${EXT}${n}"/>`).join('')}</tslx:Qualifiers>` +
          `<tslx:CriteriaList assert="atLeastOne"><tslx:PolicySet>${q.policies.map((p) => `<tslx:PolicyIdentifier><xades:Identifier Qualifier="OIDAsURN">urn:oid:${p}</xades:Identifier></tslx:PolicyIdentifier>`).join('')}</tslx:PolicySet></tslx:CriteriaList></tslx:QualificationElement>`,
      )
      .join('');
    parts.push(`<tsl:Extension Critical="true"><tslx:Qualifications>${elements}</tslx:Qualifications></tsl:Extension>`);
  }
  return parts.length ? `<tsl:ServiceInformationExtensions>${parts.join('')}</tsl:ServiceInformationExtensions>` : '';
}

function serviceXml(spec: ServiceSpec): string {
  const type = spec.type ?? 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC';
  const identity = `<tsl:ServiceDigitalIdentity><tsl:DigitalId><tsl:X509Certificate>${spec.ca.b64}</tsl:X509Certificate></tsl:DigitalId></tsl:ServiceDigitalIdentity>`;
  const state = (status: string, from: Date, withIdentity: boolean) =>
    `<tsl:ServiceTypeIdentifier>${type}</tsl:ServiceTypeIdentifier>${names('ServiceName', spec.name)}${withIdentity ? identity : ''}` +
    `<tsl:ServiceStatus>${STATUS}${status}</tsl:ServiceStatus><tsl:StatusStartingTime>${iso(from)}</tsl:StatusStartingTime>${extensionsXml(spec)}`;
  const [current, ...past] = [...spec.history].reverse();
  const history = past.length
    ? `<tsl:ServiceHistory>${past.map(([s, from]) => `<tsl:ServiceHistoryInstance>${state(s, from, false).replace('<tsl:ServiceStatus>', `<tsl:ServiceDigitalIdentity><tsl:DigitalId><tsl:X509SKI>${skiB64(spec.ca)}</tsl:X509SKI></tsl:DigitalId></tsl:ServiceDigitalIdentity><tsl:ServiceStatus>`)}</tsl:ServiceHistoryInstance>`).join('')}</tsl:ServiceHistory>`
    : '';
  return `<tsl:TSPService><tsl:ServiceInformation>${state(current![0], current![1], true)}</tsl:ServiceInformation>${history}</tsl:TSPService>`;
}

const skis = new Map<string, string>();
function skiB64(cert: FixtureCert): string {
  return skis.get(cert.certPath) ?? '';
}

export function nationalListXml(spec: ListSpec, operator = 'Test Supervisory Body'): string {
  const providers = spec.providers
    .map(
      (p) =>
        `<tsl:TrustServiceProvider><tsl:TSPInformation>${names('TSPName', p.name)}${names('TSPTradeName', p.name)}<tsl:TSPAddress><tsl:PostalAddresses><tsl:PostalAddress xml:lang="en"><tsl:StreetAddress>Test street 1</tsl:StreetAddress><tsl:Locality>Beograd</tsl:Locality><tsl:CountryName>${spec.territory}</tsl:CountryName></tsl:PostalAddress></tsl:PostalAddresses><tsl:ElectronicAddress><tsl:URI xml:lang="en">mailto:tsp@example.test</tsl:URI></tsl:ElectronicAddress></tsl:TSPAddress><tsl:TSPInformationURI><tsl:URI xml:lang="en">https://tsp.example.test/</tsl:URI></tsl:TSPInformationURI></tsl:TSPInformation>` +
        `<tsl:TSPServices>${p.services.map(serviceXml).join('')}</tsl:TSPServices></tsl:TrustServiceProvider>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<tsl:TrustServiceStatusList ${NS} Id="tsl-${spec.territory}" TSLTag="http://uri.etsi.org/19612/TSLTag">` +
    `<tsl:SchemeInformation><tsl:TSLVersionIdentifier>5</tsl:TSLVersionIdentifier><tsl:TSLSequenceNumber>${spec.sequence}</tsl:TSLSequenceNumber>` +
    `<tsl:TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</tsl:TSLType>${names('SchemeOperatorName', operator)}` +
    `<tsl:SchemeTerritory>${spec.territory}</tsl:SchemeTerritory><tsl:ListIssueDateTime>${iso(spec.issued)}</tsl:ListIssueDateTime>` +
    `<tsl:NextUpdate><tsl:dateTime>${iso(spec.nextUpdate)}</tsl:dateTime></tsl:NextUpdate></tsl:SchemeInformation>` +
    `<tsl:TrustServiceProviderList>${providers}</tsl:TrustServiceProviderList></tsl:TrustServiceStatusList>\n`
  );
}

export function lotlXml(pointers: { territory: string; location: string; signer: FixtureCert }[], issued: Date, nextUpdate: Date): string {
  const ptrs = pointers
    .map(
      (p) =>
        `<tsl:OtherTSLPointer><tsl:ServiceDigitalIdentities><tsl:ServiceDigitalIdentity><tsl:DigitalId><tsl:X509Certificate>${p.signer.b64}</tsl:X509Certificate></tsl:DigitalId></tsl:ServiceDigitalIdentity></tsl:ServiceDigitalIdentities>` +
        `<tsl:TSLLocation>${esc(p.location)}</tsl:TSLLocation><tsl:AdditionalInformation><tsl:OtherInformation><tsl:TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</tsl:TSLType></tsl:OtherInformation>` +
        `<tsl:OtherInformation><tsl:SchemeTerritory>${p.territory}</tsl:SchemeTerritory></tsl:OtherInformation><tsl:OtherInformation><ad:MimeType>application/vnd.etsi.tsl+xml</ad:MimeType></tsl:OtherInformation></tsl:AdditionalInformation></tsl:OtherTSLPointer>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<tsl:TrustServiceStatusList ${NS} Id="tsl-lotl" TSLTag="http://uri.etsi.org/19612/TSLTag">` +
    `<tsl:SchemeInformation><tsl:TSLVersionIdentifier>5</tsl:TSLVersionIdentifier><tsl:TSLSequenceNumber>300</tsl:TSLSequenceNumber>` +
    `<tsl:TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists</tsl:TSLType>${names('SchemeOperatorName', 'Test Commission')}` +
    `<tsl:SchemeTerritory>EU</tsl:SchemeTerritory><tsl:PointersToOtherTSL>${ptrs}</tsl:PointersToOtherTSL>` +
    `<tsl:ListIssueDateTime>${iso(issued)}</tsl:ListIssueDateTime><tsl:NextUpdate><tsl:dateTime>${iso(nextUpdate)}</tsl:dateTime></tsl:NextUpdate></tsl:SchemeInformation></tsl:TrustServiceStatusList>\n`
  );
}

export function createTrustFixture(): TrustFixture {
  const dir = mkdtempSync(join(tmpdir(), 'overa-tl-'));
  let n = 0;
  const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(join(dir, 'x.cnf'), OPENSSL_CONFIG);
  const load = (name: string): FixtureCert => {
    const der = new Uint8Array(ossl('x509', '-in', `${name}.pem`, '-outform', 'DER'));
    const cert: FixtureCert = { nick: name, certPath: join(dir, `${name}.pem`), keyPath: join(dir, `${name}.key`), pem: readFileSync(join(dir, `${name}.pem`), 'utf8'), der, b64: Buffer.from(der).toString('base64') };
    const ski = /X509v3 Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(execFileSync('openssl', ['x509', '-in', cert.certPath, '-noout', '-text'], { encoding: 'utf8' }))?.[1];
    if (ski) skis.set(cert.certPath, Buffer.from(ski.replace(/:/g, ''), 'hex').toString('base64'));
    return cert;
  };
  const selfSigned = (name: string, cn: string, ext: string): FixtureCert => {
    ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '3650', '-subj', `/C=RS/O=Overa TL Test/CN=${cn}`, '-config', 'x.cnf', '-extensions', ext);
    return load(name);
  };
  const issue = (name: string, cn: string, ca: FixtureCert, ext: string): FixtureCert => {
    ossl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/C=RS/O=Overa TL Test/CN=${cn}`, '-config', 'x.cnf');
    ossl('x509', '-req', '-in', `${name}.csr`, '-CA', ca.certPath, '-CAkey', ca.keyPath, '-set_serial', String(1000 + ++n), '-days', '365', '-out', `${name}.pem`, '-extfile', 'x.cnf', '-extensions', ext);
    return load(name);
  };
  const ca = selfSigned('ca', 'Test QTSP Qualified CA', 'ca');
  const caWithdrawn = selfSigned('ca-withdrawn', 'Test QTSP Old CA', 'ca');
  const siCa = selfSigned('ca-si', 'Test SI CA', 'ca');
  const lotlSigner = selfSigned('lotl-signer', 'Test LOTL Signer', 'signer');
  const rsSigner = selfSigned('rs-signer', 'Test RS TL Signer', 'signer');
  const siSigner = selfSigned('si-signer', 'Test SI TL Signer', 'signer');
  const rogueSigner = selfSigned('rogue-signer', 'Test RS TL Signer', 'signer');
  const qseal = issue('qseal', 'Qualified Seal of a Test Agency', ca, 'qseal');
  const qsealUnderWithdrawn = issue('qseal-old', 'Qualified Seal under the Old CA', caWithdrawn, 'qseal');
  const plainSeal = issue('plain-seal', 'Non-qualified Seal of a Test Agency', ca, 'plain');
  ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'rsa-signer.key', '-out', 'rsa-signer.pem', '-days', '3650', '-subj', '/C=RS/O=Overa TL Test/CN=Test RS TL Signer RSA', '-config', 'x.cnf', '-extensions', 'signer');
  const rsaSigner = load('rsa-signer');

  const sign = (xml: string, signer: FixtureCert): string => {
    const input = join(dir, `${++n}-unsigned.xml`);
    const output = join(dir, `${n}-signed.xml`);
    writeFileSync(input, xml.replace(/<\/tsl:TrustServiceStatusList>\s*$/, `${SIGNATURE_TEMPLATE}</tsl:TrustServiceStatusList>\n`));
    execFileSync('xmlsec1', ['--sign', '--privkey-pem', `${signer.keyPath},${signer.certPath}`, '--output', output, input], { stdio: ['ignore', 'pipe', 'pipe'] });
    return readFileSync(output, 'utf8');
  };
  const signXades = (xml: string, signer: FixtureCert): string => {
    const input = join(dir, `${++n}-unsigned.xml`);
    const output = join(dir, `${n}-signed.xml`);
    const rootId = /<tsl:TrustServiceStatusList [^>]*Id="([^"]+)"/.exec(xml)?.[1] ?? 'tsl';
    // Pretty-printed, as published lists are: whitespace between elements is signed too.
    const pretty = xml.replace(/></g, '>\n  <');
    writeFileSync(input, pretty.replace(/<\/tsl:TrustServiceStatusList>\s*$/, `${xadesTemplate(rootId)}</tsl:TrustServiceStatusList>\n`));
    execFileSync('xmlsec1', ['--sign', '--privkey-pem', `${signer.keyPath},${signer.certPath}`, '--id-attr:Id', 'TrustServiceStatusList', '--id-attr:Id', 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties', '--output', output, input], { stdio: ['ignore', 'pipe', 'pipe'] });
    return readFileSync(output, 'utf8');
  };
  const since = new Date('2020-01-01T00:00:00Z');
  const day = 86_400_000;
  const rsProviders = (withdrawnAt: Date): ProviderSpec[] => [
    {
      name: 'Test Qualified Trust Service Provider',
      services: [
        { name: 'Test QTSP Qualified CA', ca, history: [['undersupervision', new Date('2016-01-01T00:00:00Z')], ['granted', since]], uses: ['ForeSeals'], qualifiers: [{ qualifiers: ['QCForESeal', 'QCWithQSCD'], policies: [QC_POLICY_QSCD] }] },
        { name: 'Test QTSP Old CA', ca: caWithdrawn, history: [['granted', since], ['withdrawn', withdrawnAt]], uses: ['ForeSeals'] },
      ],
    },
  ];
  return {
    dir,
    ca,
    caWithdrawn,
    lotlSigner,
    rsSigner,
    siSigner,
    rogueSigner,
    qseal,
    qsealUnderWithdrawn,
    plainSeal,
    sign,
    signXades,
    rsaSigner,
    writeLists(withdrawnAt) {
      const issued = new Date(Date.now() - day);
      const next = new Date(Date.now() + 180 * day);
      const rsXml = nationalListXml({ territory: 'RS', sequence: 7, issued, nextUpdate: next, providers: rsProviders(withdrawnAt) }, 'Ministarstvo informisanja i telekomunikacija (test)');
      const siXml = nationalListXml({ territory: 'SI', sequence: 3, issued, nextUpdate: next, providers: [{ name: 'Test SI Provider', services: [{ name: 'Test SI CA', ca: siCa, history: [['granted', since]], uses: ['ForeSignatures'] }] }] });
      const rs = sign(rsXml, rsSigner);
      return {
        lotl: sign(lotlXml([{ territory: 'RS', location: 'https://tl.example.test/rs.xml', signer: rsSigner }, { territory: 'SI', location: 'https://tl.example.test/si.xml', signer: siSigner }], issued, next), lotlSigner),
        rs,
        si: sign(siXml, siSigner),
        // One status changed from withdrawn back to granted after signing.
        rsTampered: rs.replace(`${STATUS}withdrawn`, `${STATUS}granted`),
        rsUnpinned: sign(rsXml, rogueSigner),
        rsExpired: sign(nationalListXml({ territory: 'RS', sequence: 6, issued: new Date(Date.now() - 200 * day), nextUpdate: new Date(Date.now() - 20 * day), providers: rsProviders(withdrawnAt) }), rsSigner),
        withdrawnAt,
      };
    },
    largeList(count) {
      const providers: ProviderSpec[] = [];
      for (let p = 0; p < Math.ceil(count / 5); p++) {
        const services: ServiceSpec[] = [];
        for (let s = 0; s < 5 && p * 5 + s < count; s++) {
          services.push({
            name: `Generated service ${p}-${s}`,
            ca: [ca, caWithdrawn, siCa][(p + s) % 3]!,
            history: [['undersupervision', new Date('2014-01-01T00:00:00Z')], ['accredited', new Date('2015-06-01T00:00:00Z')], ['granted', since]],
            uses: ['ForeSignatures', 'ForeSeals'],
            qualifiers: [{ qualifiers: ['QCWithQSCD'], policies: [QC_POLICY_QSCD] }],
          });
        }
        providers.push({ name: `Generated provider ${p}`, services });
      }
      return sign(nationalListXml({ territory: 'RS', sequence: 99, issued: new Date(Date.now() - day), nextUpdate: new Date(Date.now() + 180 * day), providers }), rsSigner);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
