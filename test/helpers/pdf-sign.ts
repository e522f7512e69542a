/**
 * Signed PDFs made by tools other than Overa, for the verifier's tests and benchmark:
 *
 * - a test PKI made with `openssl` (a root CA, EC P-256 and RSA-2048 signers, a signer whose
 *   certificate expired years ago, and an unrelated root), imported into an NSS database
 *   with `certutil` / `pk12util`;
 * - adbe.pkcs7.detached signatures by poppler: `pdfsig -add-signature -nssdir … -nick …`
 *   (an incremental update with NSS's CMS);
 * - ETSI.CAdES.detached signatures by OpenSSL: `openssl cms -sign -cades` over the byte
 *   ranges of a pdf-lib placeholder. poppler 22.12 (Debian 12) refuses `-etsi` with
 *   `-add-signature` and writes adbe.pkcs7.detached anyway with `-sign <field> -etsi`, so the
 *   CMS comes from OpenSSL and the result is checked with `pdfsig` (`pdfsigInfo`).
 *
 * Everything lives in one temp folder; call `pki.cleanup()` when done.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString, rgb, StandardFonts } from 'pdf-lib';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { SoftAuthenticator } from './soft-authenticator.ts';
import { contentDigest, payloadChallenge, signingPayload, type PasskeyEvidence } from '../../components/core/signing/payload.ts';
import { toBase64Url } from '../../components/core/encoding.ts';
import type { JsonValue } from '../../components/core/canonical-json.ts';

export interface TestSigner {
  /** Nickname in the NSS database. */
  nick: string;
  certPath: string;
  keyPath: string;
  pem: string;
}

export interface TestPki {
  dir: string;
  /** `sql:<dir>`, for pdfsig's -nssdir. */
  nss: string;
  rootPem: string;
  /** A root that has nothing to do with the signers. */
  otherRootPem: string;
  ec: TestSigner;
  rsa: TestSigner;
  /** EC P-256, valid 2020-01-01 … 2021-01-01 only. */
  expired: TestSigner;
  /** A time-stamping authority under the same root (extended key usage timeStamping). */
  tsa: TestSigner;
  cleanup(): void;
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'] });
}

const CA_CONFIG = `[ ca ]
default_ca = test
[ test ]
database = ca/index.txt
serial = ca/serial
new_certs_dir = ca
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
countryName = optional
organizationName = optional
commonName = supplied
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa_cert ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

/** `openssl ts -reply` configuration of the test time-stamping authority. */
const TSA_CONFIG = `[ tsa ]
default_tsa = tsa1
[ tsa1 ]
serial = tsa-serial
crypto_device = builtin
signer_cert = tsa.pem
certs = tsa.pem
signer_key = tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

/** Makes the test PKI and its NSS database (about a second). */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'overa-pdfsign-'));
  const ossl = (...args: string[]) => run('openssl', args, dir);
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  run('mkdir', ['-p', 'ca', 'nss'], dir);
  writeFileSync(join(dir, 'ca/index.txt'), '');
  writeFileSync(join(dir, 'ca/serial'), '1000\n');

  const root = (name: string, cn: string) =>
    ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`,
      '-days', '7300', '-subj', `/C=RS/O=Overa Test/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  root('root', 'Overa Test Root');
  root('other', 'Unrelated Root');

  const signer = (nick: string, keyArgs: string[], cn: string, dates: [string, string] | undefined, extensions = 'leaf'): TestSigner => {
    ossl('req', '-newkey', ...keyArgs, '-nodes', '-keyout', `${nick}.key`, '-out', `${nick}.csr`, '-subj', `/C=RS/O=Overa Test/CN=${cn}`);
    const validity = dates ? ['-startdate', dates[0], '-enddate', dates[1]] : ['-days', '3650'];
    ossl('ca', '-batch', '-config', 'ca.cnf', '-cert', 'root.pem', '-keyfile', 'root.key', '-in', `${nick}.csr`, '-out', `${nick}.pem`, '-extensions', extensions, '-notext', ...validity);
    ossl('pkcs12', '-export', '-in', `${nick}.pem`, '-inkey', `${nick}.key`, '-out', `${nick}.p12`, '-passout', 'pass:', '-name', nick);
    run('pk12util', ['-i', `${nick}.p12`, '-d', 'sql:nss', '-W', ''], dir);
    return { nick, certPath: join(dir, `${nick}.pem`), keyPath: join(dir, `${nick}.key`), pem: readFileSync(join(dir, `${nick}.pem`), 'utf8') };
  };
  run('certutil', ['-N', '-d', 'sql:nss', '--empty-password'], dir);
  run('certutil', ['-A', '-d', 'sql:nss', '-n', 'root', '-t', 'C,C,C', '-i', 'root.pem'], dir);
  const ec = signer('ec-signer', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'EC Seal', undefined);
  const rsa = signer('rsa-signer', ['rsa:2048'], 'RSA Seal', undefined);
  const expired = signer('expired-signer', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'Expired Seal', ['20200101000000Z', '20210101000000Z']);
  const tsa = signer('tsa', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'Test TSA', undefined, 'tsa_cert');
  writeFileSync(join(dir, 'ts.cnf'), TSA_CONFIG);
  writeFileSync(join(dir, 'tsa-serial'), '01\n');
  return {
    dir,
    nss: `sql:${join(dir, 'nss')}`,
    rootPem: readFileSync(join(dir, 'root.pem'), 'utf8'),
    otherRootPem: readFileSync(join(dir, 'other.pem'), 'utf8'),
    ec,
    rsa,
    expired,
    tsa,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

let counter = 0;
function tempFile(pki: TestPki, name: string): string {
  return join(pki.dir, `${process.pid}-${++counter}-${name}`);
}

export interface BasePdfOptions {
  text?: string;
  /** Embedded files (pdf-lib `attach`, so in /Names /EmbeddedFiles and /AF). */
  attachments?: { name: string; bytes: Uint8Array }[];
  /** pdf-lib's default (true) packs objects into object streams. */
  objectStreams?: boolean;
}

/** A one-page PDF made with pdf-lib. */
export async function basePdf(options: BasePdfOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setProducer('overa tests');
  const page = doc.addPage([420, 300]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(options.text ?? 'Uverenje o prebivalištu — test', { x: 30, y: 250, size: 14, font, color: rgb(0, 0, 0) });
  for (const a of options.attachments ?? []) {
    await doc.attach(a.bytes, a.name, { mimeType: a.name.endsWith('.json') ? 'application/json' : 'application/octet-stream', creationDate: new Date(0), modificationDate: new Date(0) });
  }
  return doc.save({ useObjectStreams: options.objectStreams ?? true });
}

/** adbe.pkcs7.detached by poppler: `pdfsig -add-signature` (an incremental update). */
export function signWithPdfsig(pki: TestPki, pdf: Uint8Array, signer: TestSigner): Uint8Array {
  const input = tempFile(pki, 'in.pdf');
  const output = tempFile(pki, 'out.pdf');
  writeFileSync(input, pdf);
  const args = ['-add-signature', '-nssdir', pki.nss, '-nick', signer.nick, '-reason', 'test seal', input, output];
  // poppler 22.12 sizes /Contents from a trial signature, and an ECDSA signature longer than the
  // trial (r and s vary in length) fails with "signDocument: unable update signature", exit 3:
  // 40–75 % of EC attempts here. A fresh attempt has fresh lengths; 40 make failure negligible.
  let r = spawnSync('pdfsig', args, { encoding: 'latin1' });
  for (let i = 0; i < 40 && r.status === 3; i++) r = spawnSync('pdfsig', args, { encoding: 'latin1' });
  if (r.status !== 0) throw new Error(`pdfsig -add-signature failed (${r.status}): ${r.stdout}${r.stderr}`);
  const out = new Uint8Array(readFileSync(output));
  rmSync(input, { force: true });
  rmSync(output, { force: true });
  return out;
}

const PLACEHOLDER = 9_999_999_999;

export interface EtsiOptions {
  /** Extra `openssl cms -sign` arguments, e.g. `['-keyopt', 'rsa_padding_mode:pss']`. */
  opensslArgs?: string[];
  /** Room for the CMS, in bytes (hex doubles it). */
  contentsBytes?: number;
  signingTime?: Date;
}

/**
 * ETSI.CAdES.detached by OpenSSL: pdf-lib adds a signature field whose dictionary holds a
 * /ByteRange and /Contents placeholder (the whole file is rewritten, objects uncompressed),
 * then `openssl cms -sign -binary -cades -md sha256` signs the two ranges and the CMS is
 * written into the gap.
 */
export async function signEtsiWithOpenssl(pki: TestPki, pdf: Uint8Array, signer: TestSigner, options: EtsiOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf);
  const page = doc.getPage(0);
  const contentsBytes = options.contentsBytes ?? 8192;
  const sig = doc.context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
    ByteRange: [0, PLACEHOLDER, PLACEHOLDER, PLACEHOLDER].map((n) => PDFNumber.of(n)),
    Contents: PDFHexString.of('00'.repeat(contentsBytes)),
    M: PDFString.fromDate(options.signingTime ?? new Date()),
    Name: PDFString.of(signer.nick),
    Reason: PDFString.of('test seal'),
  });
  const sigRef = doc.context.register(sig);
  const widget = doc.context.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', Rect: [0, 0, 0, 0], V: sigRef, T: PDFString.of(`Seal ${++counter}`), F: 132, P: page.ref });
  const widgetRef = doc.context.register(widget);
  page.node.addAnnot(widgetRef);
  const form = doc.getForm();
  form.acroForm.addField(widgetRef);
  form.acroForm.dict.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  const bytes = await doc.save({ useObjectStreams: false });

  const text = Buffer.from(bytes).toString('latin1');
  const brText = `/ByteRange [ 0 ${PLACEHOLDER} ${PLACEHOLDER} ${PLACEHOLDER} ]`;
  const brAt = text.indexOf(brText);
  const contentsAt = text.indexOf(`<${'00'.repeat(contentsBytes)}>`);
  if (brAt < 0 || contentsAt < 0) throw new Error('placeholder not found in the pdf-lib output');
  const b = contentsAt;
  const c = contentsAt + 2 * contentsBytes + 2;
  const d = bytes.length - c;
  const range = `/ByteRange [0 ${b} ${c} ${d}]`.padEnd(brText.length, ' ');
  const out = Buffer.from(bytes);
  out.write(range, brAt, 'latin1');

  const dataPath = tempFile(pki, 'ranges.bin');
  const cmsPath = tempFile(pki, 'sig.der');
  writeFileSync(dataPath, Buffer.concat([out.subarray(0, b), out.subarray(c)]));
  run('openssl', ['cms', '-sign', '-binary', '-in', dataPath, '-signer', signer.certPath, '-inkey', signer.keyPath, '-md', 'sha256', '-cades', '-nosmimecap', '-outform', 'DER', '-out', cmsPath, ...(options.opensslArgs ?? [])], pki.dir);
  const cms = readFileSync(cmsPath);
  if (cms.length > contentsBytes) throw new Error(`CMS of ${cms.length} bytes does not fit ${contentsBytes}`);
  out.write(cms.toString('hex').padEnd(2 * contentsBytes, '0'), b + 1, 'latin1');
  rmSync(dataPath, { force: true });
  rmSync(cmsPath, { force: true });
  return new Uint8Array(out);
}

/** poppler's opinion of a file: `pdfsig -nssdir … file` output (the root is trusted there). */
export function pdfsigInfo(pki: TestPki, pdf: Uint8Array): string {
  const path = tempFile(pki, 'check.pdf');
  writeFileSync(path, pdf);
  // Not -no-ocsp: poppler 22.12 then answers "Unknown issue with Certificate" (the test certificates have no AIA, so nothing is fetched).
  const r = spawnSync('pdfsig', ['-nssdir', pki.nss, path], { encoding: 'latin1' });
  rmSync(path, { force: true });
  return `${r.stdout}${r.stderr}`;
}

/**
 * Appends an incremental update nobody signed: by default a new Info dictionary (the
 * document's title changes in a reader), or any `object` body, with a classic
 * cross-reference section pointing back at the last one.
 */
export async function appendUnsignedUpdate(pdf: Uint8Array, object = '<< /Title (Changed after signing) /Producer (someone else) >>'): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const root = doc.context.trailerInfo.Root!.toString(); // "N G R"
  const size = doc.context.largestObjectNumber + 1;
  const text = Buffer.from(pdf).toString('latin1');
  const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
  const body = `\n${size} 0 obj\n${object}\nendobj\n`;
  const objAt = pdf.length + 1;
  const xrefAt = pdf.length + Buffer.byteLength(body, 'latin1');
  const update =
    body +
    `xref\n0 1\n0000000000 65535 f \n${size} 1\n${String(objAt).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${size + 1} /Root ${root} /Info ${size} 0 R /Prev ${startxref} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([Buffer.from(pdf), Buffer.from(update, 'latin1')]));
}

/** Where the CMS of the (first or `index`th) signature lies: hex offsets in the file, and its DER. */
export function signatureContents(pdf: Uint8Array, index = 0): { hexStart: number; hexEnd: number; der: Uint8Array } {
  const text = Buffer.from(pdf).toString('latin1');
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const m = ranges[index];
  if (!m) throw new Error('no /ByteRange');
  const b = Number(m[2]);
  const c = Number(m[3]);
  const bytes = Buffer.from(text.slice(b + 1, c - 1), 'hex');
  // The CMS is followed by zero padding; asn1js says where it ends (NSS writes indefinite lengths).
  const len = asn1js.fromBER(new Uint8Array(bytes)).offset;
  if (len <= 0) throw new Error('the /Contents does not hold BER');
  return { hexStart: b + 1, hexEnd: c - 1, der: new Uint8Array(bytes.subarray(0, len)) };
}

/**
 * Adds an RFC 3161 signature time-stamp (unsigned attribute id-aa-signatureTimeStampToken)
 * to the first signature: `openssl ts -query` / `-reply` by the test TSA over the signature
 * value (or over `imprintOf`, to make a time-stamp of something else), put into the CMS with
 * pkijs and written back into the /Contents gap.
 */
export function addSignatureTimestamp(pki: TestPki, pdf: Uint8Array, imprintOf?: Uint8Array): Uint8Array {
  const { hexStart, hexEnd, der } = signatureContents(pdf);
  const info = new pkijs.ContentInfo({ schema: asn1js.fromBER(der as Uint8Array<ArrayBuffer>).result });
  const sd = new pkijs.SignedData({ schema: info.content });
  const si = sd.signerInfos[0]!;
  const dataPath = tempFile(pki, 'sigvalue.bin');
  const queryPath = tempFile(pki, 'q.tsq');
  const tokenPath = tempFile(pki, 'token.der');
  writeFileSync(dataPath, imprintOf ?? new Uint8Array(si.signature.valueBlock.valueHexView));
  run('openssl', ['ts', '-query', '-data', dataPath, '-sha256', '-cert', '-no_nonce', '-out', queryPath], pki.dir);
  run('openssl', ['ts', '-reply', '-config', 'ts.cnf', '-section', 'tsa1', '-queryfile', queryPath, '-token_out', '-out', tokenPath], pki.dir);
  const token = readFileSync(tokenPath);
  for (const p of [dataPath, queryPath, tokenPath]) rmSync(p, { force: true });
  si.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 1,
    attributes: [new pkijs.Attribute({ type: '1.2.840.113549.1.9.16.2.14', values: [asn1js.fromBER(new Uint8Array(token)).result] })],
  });
  const out = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: sd.toSchema(true) }).toSchema().toBER(false);
  const hex = Buffer.from(out).toString('hex');
  if (hex.length > hexEnd - hexStart) throw new Error('the time-stamped CMS does not fit the /Contents placeholder');
  const result = new Uint8Array(pdf);
  result.set(Buffer.from(hex.padEnd(hexEnd - hexStart, '0'), 'latin1'), hexStart);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Overa's evidence file

export const EVIDENCE_RP_ID = 'eprijava.example';
export const EVIDENCE_ORIGIN = 'https://eprijava.example';

export interface EvidenceApplication {
  formId: string;
  formVersion: number;
  data: Record<string, JsonValue>;
  attachments: string[];
}

export const SAMPLE_APPLICATION: EvidenceApplication = {
  formId: 'certificate-of-residence',
  formVersion: 1,
  data: { fullName: 'Ana Anić', jmbg: '0101990710006', city: 'Нови Сад' },
  attachments: [],
};

/** Real passkey evidence (soft authenticator, ES256) for an application's submission. */
export async function passkeyEvidence(application: EvidenceApplication, signedContent: JsonValue = application as unknown as JsonValue): Promise<PasskeyEvidence> {
  const a = new SoftAuthenticator(EVIDENCE_ORIGIN, EVIDENCE_RP_ID, -7);
  await a.create({ challenge: 'AAAA', user: { id: 'dS1hbmE', name: 'ana', displayName: 'Ana' } } as PublicKeyCredentialCreationOptionsJSON);
  const payload = signingPayload({ subject: { type: 'application', id: 'app-1' }, action: 'submit', digest: await contentDigest(signedContent) });
  const response = await a.get({ challenge: toBase64Url(await payloadChallenge(payload)), rpId: EVIDENCE_RP_ID } as PublicKeyCredentialRequestOptionsJSON);
  return {
    payload,
    credentialId: response.id,
    publicKey: toBase64Url(a.publicKey),
    algorithm: -7,
    authenticatorData: response.response.authenticatorData,
    clientDataJSON: response.response.clientDataJSON,
    signature: response.response.signature,
    signer: { id: 'u-ana', displayName: 'Ana Anić', kind: 'citizen', agencyId: null, roles: [] },
    signedAt: '2026-03-01T10:00:00.000Z',
  };
}

/** `overa-evidence.json` bytes in the minimal documented shape (`rp` null: without one). */
export function evidenceFile(application: EvidenceApplication, evidence: PasskeyEvidence[], rp: { id: string; origins: string[] } | null = { id: EVIDENCE_RP_ID, origins: [EVIDENCE_ORIGIN] }): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ v: 1, application, evidence, ...(rp ? { rp } : {}) }));
}
