/**
 * Long-term validation fixtures for the verifier, made offline with OpenSSL the way other
 * tools make them, not with Overa's issuance code:
 *
 * - a small PKI (`createLtvPki('ec' | 'rsa')`): a root CA, short-lived seal certificates
 *   (valid from a day ago for 30 days, so "after expiry" is a validation time a month away),
 *   a delegated OCSP responder (id-kp-OCSPSigning), a time-stamping authority, all with
 *   `openssl ca` and its index file — revocations are written into the index with the exact
 *   time wanted, then `openssl ocsp` answers and `openssl ca -gencrl` lists them;
 * - the seal: ETSI.CAdES.detached by `openssl cms -sign -cades` (test/helpers/pdf-sign.ts),
 *   with an RFC 3161 signature time-stamp from `openssl ts -reply`;
 * - a DSS (`appendDss`): an incremental update adding /DSS with /Certs, /OCSPs, /CRLs (and,
 *   by choice, /VRI) as uncompressed streams, the catalog rewritten for /DSS alone;
 * - a document time-stamp (`appendDocumentTimestamp`): an incremental update adding a
 *   /DocTimeStamp signature field (ETSI.RFC3161) whose token `openssl ts` makes over the
 *   byte ranges.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import { addSignatureTimestamp, basePdf, signatureContents, signEtsiWithOpenssl, type TestPki, type TestSigner } from './pdf-sign.ts';

export type KeyKind = 'ec' | 'rsa';
/** `tsa1`: valid ten years; `tsa2`: valid 40 days (its time-stamps need a later one to outlive it). */
export type TsaName = 'tsa1' | 'tsa2';

export interface LtvPki {
  dir: string;
  kind: KeyKind;
  rootPem: string;
  /** DER of the root, the responder and the TSA (for a DSS's /Certs). */
  der: { root: Uint8Array; ocsp: Uint8Array; tsa: Uint8Array };
  /** A fresh seal certificate (valid from a day ago for `days`). */
  seal(name: string, days?: number): LtvSigner;
  /** Marks a certificate revoked at `at` in the CA's index (what OCSP and CRLs then say). */
  revoke(signer: LtvSigner, at: Date): void;
  /** An OCSP response about `signer` by the delegated responder, the CA itself, or the TSA (which may not answer for the CA). */
  ocsp(signer: LtvSigner, by?: 'responder' | 'ca' | 'tsa'): Uint8Array;
  /** An OCSP response about the TSA certificate (or the short-lived one's). */
  ocspForTsa(which?: TsaName): Uint8Array;
  /** The short-lived TSA's certificate (valid from a day ago for 40 days). */
  shortTsa: LtvSigner;
  /** The CA's current CRL (DER). */
  crl(): Uint8Array;
  /** Time-stamps `data` (an RFC 3161 token, DER), by the TSA (ten years) or the short-lived one. */
  timestamp(data: Uint8Array, which?: TsaName): Uint8Array;
  /** This PKI in the shape pdf-sign.ts's helpers take (they need its folder and `ts.cnf`). */
  asTestPki(): TestPki;
  cleanup(): void;
}

export interface LtvSigner extends TestSigner {
  der: Uint8Array;
  notAfter: Date;
}

function keyArgs(kind: KeyKind): string[] {
  return kind === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
}

/** `openssl ca` dates: YYMMDDHHMMSSZ (UTCTime) before 2050. */
function caDate(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

const CA_CONFIG = `[ ca ]
default_ca = test
[ test ]
database = index.txt
serial = serial
crlnumber = crlnumber
new_certs_dir = certs
default_md = sha256
default_crl_days = 30
policy = any
unique_subject = no
copy_extensions = none
[ any ]
countryName = optional
organizationName = optional
commonName = supplied
[ seal ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ responder ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa_cert ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa ]
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
[ tsa2 ]
serial = tsa-serial
crypto_device = builtin
signer_cert = tsa2.pem
certs = tsa2.pem
signer_key = tsa2.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

let counter = 0;

export function createLtvPki(kind: KeyKind): LtvPki {
  const dir = mkdtempSync(join(tmpdir(), `overa-ltv-${kind}-`));
  const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  writeFileSync(join(dir, 'ts.cnf'), CA_CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '2000\n');
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  writeFileSync(join(dir, 'tsa-serial'), '01\n');
  execFileSync('mkdir', ['-p', 'certs'], { cwd: dir });
  ossl('req', '-x509', ...keyArgs(kind), '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '7300',
    '-subj', `/C=RS/O=Overa LTV Test/CN=LTV Test Root ${kind.toUpperCase()}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const derOf = (pem: string) => new Uint8Array(ossl('x509', '-in', pem, '-outform', 'DER'));

  const issue = (name: string, cn: string, ext: string, from: Date, to: Date): LtvSigner => {
    ossl('req', ...keyArgs(kind), '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/C=RS/O=Overa LTV Test/CN=${cn}`);
    ossl('ca', '-batch', '-config', 'ca.cnf', '-cert', 'root.pem', '-keyfile', 'root.key', '-in', `${name}.csr`, '-out', `${name}.pem`, '-extensions', ext, '-notext',
      '-startdate', caDate(from), '-enddate', caDate(to));
    return { nick: name, certPath: join(dir, `${name}.pem`), keyPath: join(dir, `${name}.key`), pem: readFileSync(join(dir, `${name}.pem`), 'utf8'), der: derOf(`${name}.pem`), notAfter: new Date(caDate(to).replace(/^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/, '20$1-$2-$3T$4:$5:$6Z')) };
  };
  const now = Date.now();
  const day = 86_400_000;
  const responder = issue('ocsp', 'LTV Test OCSP Responder', 'responder', new Date(now - day), new Date(now + 3650 * day));
  const tsa = issue('tsa', 'LTV Test TSA', 'tsa_cert', new Date(now - day), new Date(now + 3650 * day));
  const tsa2 = issue('tsa2', 'LTV Test TSA (short-lived)', 'tsa_cert', new Date(now - day), new Date(now + 40 * day));
  const tmp = (name: string) => join(dir, `${++counter}-${name}`);

  const ocspOf = (certPath: string, by: 'responder' | 'ca' | 'tsa'): Uint8Array => {
    const req = tmp('req.der');
    const resp = tmp('resp.der');
    ossl('ocsp', '-issuer', 'root.pem', '-cert', certPath, '-no_nonce', '-reqout', req);
    const signer = by === 'ca' ? ['-rsigner', 'root.pem', '-rkey', 'root.key'] : by === 'tsa' ? ['-rsigner', 'tsa.pem', '-rkey', 'tsa.key'] : ['-rsigner', 'ocsp.pem', '-rkey', 'ocsp.key'];
    ossl('ocsp', '-index', 'index.txt', ...signer, '-CA', 'root.pem', '-reqin', req, '-respout', resp, '-ndays', '7');
    return new Uint8Array(readFileSync(resp));
  };

  return {
    dir,
    kind,
    rootPem: readFileSync(join(dir, 'root.pem'), 'utf8'),
    der: { root: derOf('root.pem'), ocsp: responder.der, tsa: tsa.der },
    seal: (name, days = 30) => issue(name, `LTV Seal ${name}`, 'seal', new Date(now - day), new Date(now + days * day)),
    revoke(signer, at) {
      // index.txt: status, expiry, revocation[,reason], serial, file, subject — edited to
      // the exact revocation time wanted (`openssl ca -revoke` takes only "now").
      const serial = execFileSync('openssl', ['x509', '-in', signer.certPath, '-noout', '-serial'], { encoding: 'utf8' }).trim().split('=')[1]!;
      const lines = readFileSync(join(dir, 'index.txt'), 'utf8').split('\n').map((line) => {
        const f = line.split('\t');
        if (f[3] !== serial) return line;
        return ['R', f[1], `${caDate(at)},keyCompromise`, f[3], f[4], f[5]].join('\t');
      });
      writeFileSync(join(dir, 'index.txt'), lines.join('\n'));
    },
    ocsp: (signer, by = 'responder') => ocspOf(signer.certPath, by),
    ocspForTsa: (which = 'tsa1') => ocspOf(join(dir, which === 'tsa1' ? 'tsa.pem' : 'tsa2.pem'), 'responder'),
    shortTsa: tsa2,
    crl() {
      const out = tmp('crl.pem');
      ossl('ca', '-gencrl', '-config', 'ca.cnf', '-cert', 'root.pem', '-keyfile', 'root.key', '-out', out);
      return new Uint8Array(ossl('crl', '-in', out, '-outform', 'DER'));
    },
    timestamp(data, which = 'tsa1') {
      const dataPath = tmp('data.bin');
      const query = tmp('q.tsq');
      const token = tmp('token.der');
      writeFileSync(dataPath, data);
      ossl('ts', '-query', '-data', dataPath, '-sha256', '-cert', '-no_nonce', '-out', query);
      ossl('ts', '-reply', '-config', 'ts.cnf', '-section', which, '-queryfile', query, '-token_out', '-out', token);
      return new Uint8Array(readFileSync(token));
    },
    asTestPki: () => ({ dir }) as TestPki,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A one-page PDF (or `base`) sealed ETSI.CAdES.detached by OpenSSL (B-B), or with a signature time-stamp (B-T). */
export async function sealedPdf(pki: LtvPki, signer: LtvSigner, level: 'B-B' | 'B-T', base?: Uint8Array): Promise<Uint8Array> {
  const signed = await signEtsiWithOpenssl(pki.asTestPki(), base ?? (await basePdf({ objectStreams: false })), signer, { contentsBytes: 12000 });
  return level === 'B-T' ? addSignatureTimestamp(pki.asTestPki(), signed) : signed;
}

interface NewObject {
  num: number;
  body: Buffer;
}

function lastStartxref(pdf: Uint8Array): number {
  const text = Buffer.from(pdf.subarray(Math.max(0, pdf.length - 1024))).toString('latin1');
  return Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
}

/** Appends objects as one incremental update with a classic cross-reference section. */
function appendUpdate(pdf: Uint8Array, objects: NewObject[], size: number, root: string, info: string): Buffer {
  const parts: Buffer[] = [Buffer.from(pdf), Buffer.from('\n', 'latin1')];
  let at = pdf.length + 1;
  const offsets = new Map<number, number>();
  for (const o of objects) {
    offsets.set(o.num, at);
    const chunk = Buffer.concat([Buffer.from(`${o.num} 0 obj\n`, 'latin1'), o.body, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(chunk);
    at += chunk.length;
  }
  const nums = [...offsets.keys()].sort((a, b) => a - b);
  let xref = 'xref\n0 1\n0000000000 65535 f \n';
  for (const n of nums) xref += `${n} 1\n${String(offsets.get(n)).padStart(10, '0')} 00000 n \n`;
  xref += `trailer\n<< /Size ${size} /Root ${root}${info} /Prev ${lastStartxref(pdf)} >>\nstartxref\n${at}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

function stream(data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`<< /Length ${data.length} >>\nstream\n`, 'latin1'), Buffer.from(data), Buffer.from('\nendstream', 'latin1')]);
}

export interface DssInput {
  certs?: Uint8Array[];
  ocsps?: Uint8Array[];
  crls?: Uint8Array[];
  /** Also a /VRI entry for the first signature holding the same streams (as Acrobat writes it). */
  vri?: boolean;
  /** Only a /VRI entry, no top-level arrays. */
  vriOnly?: boolean;
}

export interface DssResult {
  pdf: Uint8Array;
  /** Where each OCSP response's stream data starts (to damage it). */
  ocspOffsets: number[];
}

/** Adds a DSS in an incremental update (earlier DSS content is kept, as tools that extend a DSS do). */
export async function appendDss(pdf: Uint8Array, input: DssInput): Promise<DssResult> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const rootRef = doc.context.trailerInfo.Root as PDFRef;
  let next = doc.context.largestObjectNumber + 1;
  const objects: NewObject[] = [];
  const refs = (list: Uint8Array[] | undefined) =>
    (list ?? []).map((data) => {
      const num = next++;
      objects.push({ num, body: stream(data) });
      return `${num} 0 R`;
    });
  // Earlier DSS arrays are carried over (by reference).
  const old = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict);
  const oldRefs = (key: string) => {
    const arr = old?.get(PDFName.of(key));
    return arr ? String(arr).replace(/^\[|\]$/g, '').trim() : '';
  };
  const certs = [oldRefs('Certs'), ...refs(input.certs)].filter(Boolean).join(' ');
  const ocspsStart = objects.length;
  const ocsps = [oldRefs('OCSPs'), ...refs(input.ocsps)].filter(Boolean).join(' ');
  const ocspObjects = objects.slice(ocspsStart).map((o) => o.num);
  const crls = [oldRefs('CRLs'), ...refs(input.crls)].filter(Boolean).join(' ');
  const oldVri = old?.get(PDFName.of('VRI'));
  let vri = oldVri ? ` /VRI ${String(oldVri)}` : '';
  if (input.vri || input.vriOnly) {
    const contents = signatureContents(pdf);
    const text = Buffer.from(pdf).toString('latin1').slice(contents.hexStart, contents.hexEnd);
    const key = createHash('sha1').update(Buffer.from(text, 'hex')).digest('hex').toUpperCase();
    const vriNum = next++;
    objects.push({ num: vriNum, body: Buffer.from(`<< /Cert [${certs}] /OCSP [${ocsps}] /CRL [${crls}] >>`, 'latin1') });
    vri = ` /VRI << /${key} ${vriNum} 0 R >>`;
  }
  const dssNum = next++;
  const arrays = input.vriOnly ? '' : ` /Certs [${certs}] /OCSPs [${ocsps}] /CRLs [${crls}]`;
  objects.push({ num: dssNum, body: Buffer.from(`<< /Type /DSS${arrays}${vri} >>`, 'latin1') });
  doc.catalog.set(PDFName.of('DSS'), PDFRef.of(dssNum));
  objects.push({ num: rootRef.objectNumber, body: Buffer.from(doc.catalog.toString(), 'latin1') });
  const out = appendUpdate(pdf, objects, next, `${rootRef.objectNumber} 0 R`, infoOf(doc));
  const text = out.toString('latin1');
  const ocspOffsets = ocspObjects.map((num) => text.indexOf('stream\n', text.lastIndexOf(`\n${num} 0 obj\n`)) + 7);
  return { pdf: new Uint8Array(out), ocspOffsets };
}

const PLACEHOLDER = '9999999999';

/** The trailer's /Info, carried over as every incremental update must. */
function infoOf(doc: PDFDocument): string {
  const info = doc.context.trailerInfo.Info;
  return info ? ` /Info ${String(info)}` : '';
}

/** Adds a document time-stamp (/DocTimeStamp, ETSI.RFC3161) in an incremental update: a signature field and its token over the byte ranges. */
export async function appendDocumentTimestamp(pki: LtvPki, pdf: Uint8Array, contentsBytes = 12000, which: TsaName = 'tsa1'): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const rootRef = doc.context.trailerInfo.Root as PDFRef;
  let next = doc.context.largestObjectNumber + 1;
  const page = doc.getPage(0);
  const sigNum = next++;
  const widgetNum = next++;
  const objects: NewObject[] = [];
  const brText = `/ByteRange [0 ${PLACEHOLDER} ${PLACEHOLDER} ${PLACEHOLDER}]`;
  objects.push({ num: sigNum, body: Buffer.from(`<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 ${brText} /Contents <${'0'.repeat(2 * contentsBytes)}> >>`, 'latin1') });
  objects.push({ num: widgetNum, body: Buffer.from(`<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /F 132 /T (DocTimeStamp ${widgetNum}) /V ${sigNum} 0 R /P ${page.ref.objectNumber} 0 R >>`, 'latin1') });
  // The field joins the form and the page.
  const annots = page.node.Annots();
  page.node.set(PDFName.of('Annots'), doc.context.obj([...(annots ? annots.asArray() : []), PDFRef.of(widgetNum)]));
  objects.push({ num: page.ref.objectNumber, body: Buffer.from(page.node.toString(), 'latin1') });
  const acroRaw = doc.catalog.get(PDFName.of('AcroForm'));
  const acro = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict) ?? doc.context.obj({});
  const fields = acro.lookupMaybe(PDFName.of('Fields'), PDFArray);
  acro.set(PDFName.of('Fields'), doc.context.obj([...(fields ? fields.asArray() : []), PDFRef.of(widgetNum)]));
  acro.set(PDFName.of('SigFlags'), doc.context.obj(3));
  if (acroRaw instanceof PDFRef) objects.push({ num: acroRaw.objectNumber, body: Buffer.from(acro.toString(), 'latin1') });
  else {
    doc.catalog.set(PDFName.of('AcroForm'), acro);
    objects.push({ num: rootRef.objectNumber, body: Buffer.from(doc.catalog.toString(), 'latin1') });
  }
  const out = appendUpdate(pdf, objects, next, `${rootRef.objectNumber} 0 R`, infoOf(doc));
  const text = out.toString('latin1');
  const brAt = text.lastIndexOf(brText);
  const b = text.indexOf('/Contents <', brAt) + '/Contents '.length;
  const c = b + 2 * contentsBytes + 2;
  const d = out.length - c;
  out.write(`/ByteRange [0 ${b} ${c} ${d}]`.padEnd(brText.length, ' '), brAt, 'latin1');
  const token = pki.timestamp(Buffer.concat([out.subarray(0, b), out.subarray(c)]), which);
  if (token.length > contentsBytes) throw new Error('the time-stamp token does not fit');
  out.write(Buffer.from(token).toString('hex').padEnd(2 * contentsBytes, '0'), b + 1, 'latin1');
  return new Uint8Array(out);
}

const JARS = ['pdfbox2', 'fontbox2', 'commons-logging', 'bcprov', 'bcpkix', 'bcutil'].map((j) => `/usr/share/java/${j}.jar`).join(':');
const LTV_WRITER = new URL('./java/LtvWriter.java', import.meta.url).pathname;

/**
 * Runs test/helpers/java/LtvWriter.java (PDFBox 2 + Bouncy Castle, Debian packages) on `pdf`:
 * `dss` adds a DSS (FlateDecode streams, a /VRI entry per signature), `doc-ts` a document
 * time-stamp from this PKI's `openssl ts`. Both incremental.
 */
export function pdfboxExtend(pki: LtvPki, pdf: Uint8Array, mode: 'dss' | 'doc-ts', data: { certs?: Uint8Array[]; ocsps?: Uint8Array[]; crls?: Uint8Array[] } = {}): Uint8Array {
  const input = join(pki.dir, `${++counter}-pdfbox-in.pdf`);
  const output = join(pki.dir, `${++counter}-pdfbox-out.pdf`);
  writeFileSync(input, pdf);
  const args = [input, output];
  if (mode === 'doc-ts') args.push(pki.dir);
  for (const [flag, list] of [['--cert', data.certs], ['--ocsp', data.ocsps], ['--crl', data.crls]] as const) {
    for (const item of list ?? []) {
      const path = join(pki.dir, `${++counter}-item.der`);
      writeFileSync(path, item);
      args.push(flag, path);
    }
  }
  execFileSync('java', ['-cp', JARS, LTV_WRITER, mode, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = new Uint8Array(readFileSync(output));
  rmSync(input, { force: true });
  rmSync(output, { force: true });
  return out;
}
