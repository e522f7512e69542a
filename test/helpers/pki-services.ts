/**
 * A small, real public-key infrastructure on loopback for tests of long-term signatures
 * (PAdES B-LT / B-LTA, issue 18): every certificate made by OpenSSL, every answer given by
 * OpenSSL, behind one node:http handler on a loopback port.
 *
 *     Overa LTV Test Root            (self-signed; CRL at /root.crl)
 *       └─ Overa LTV Test Issuing CA (CRL DP → /root.crl)
 *            ├─ the seal certificate (AIA OCSP → /ocsp, caIssuers → /ca.cer, CRL DP → /ca.crl)
 *            ├─ the TSA's certificate (the same AIA and CRL DP; `rotateTsa()` makes a new one)
 *            └─ the OCSP responder   (extendedKeyUsage OCSPSigning, id-pkix-ocsp-nocheck)
 *
 * - OCSP: `POST /ocsp` runs `openssl ocsp -index … -rsigner … -CA … -reqin … -respout …` per
 *   request. (`openssl ocsp -port` in OpenSSL 3.0 here listened on [::] and hung on every
 *   request — FIELD-NOTES — so the listening is done by node:http and the answering by OpenSSL.)
 * - CRLs: `GET /root.crl` and `GET /ca.crl`, made by `openssl ca -gencrl` on each request (DER).
 * - The TSA: test/helpers/tsa.ts (`openssl ts -reply`), its signing certificate replaced by one
 *   from this PKI, its token carrying the issuing CA and the root.
 *
 * `ocsp.mode` / `crl.mode`: `up`, `down` (the connection is dropped without an answer) or
 * `silent` (never answers: the client's timeout must end it). `revoke(pem)` revokes a
 * certificate in the issuing CA's database (OCSP and the next CRL then say so).
 *
 * Reusable by any test that needs AIA / CRL DP pointing at real services (issuance side:
 * test/server/ltv*.test.ts; the verifier may reuse it for revocation evidence).
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTsa, type TestTsa } from './tsa.ts';

const exec = promisify(execFile);

export type ServiceMode = 'up' | 'down' | 'silent';

export interface ServiceState {
  mode: ServiceMode;
  /** Requests received (answered or not). */
  requests: number;
}

export interface PkiCert {
  /** PEM of the certificate alone. */
  pem: string;
  certPath: string;
  keyPath: string;
  /** PEM of the private key (unencrypted PKCS#8). */
  keyPem: string;
}

export interface PkiServices {
  dir: string;
  /** Base URL of the services: `<base>/ocsp`, `<base>/ca.crl`, `<base>/root.crl`, `<base>/ca.cer`. */
  base: string;
  ocspUrl: string;
  /** The trust anchor. */
  root: PkiCert;
  issuingCa: PkiCert;
  ocspResponder: PkiCert;
  /** The seal certificate and key (EC P-256 unless asked otherwise); `chainPem`: seal, issuing CA, root. */
  seal: PkiCert & { chainPem: string };
  /** The TSA's current signing certificate. */
  tsaCert: PkiCert;
  tsa: TestTsa;
  ocsp: ServiceState;
  crl: ServiceState;
  /** Makes a new certificate for the TSA (valid `days` from now) and has the TSA use it. */
  rotateTsa(days: number): Promise<PkiCert>;
  /** Revokes a certificate of the issuing CA (now, keyCompromise). */
  revoke(cert: PkiCert): Promise<void>;
  /** Another certificate from the issuing CA with AIA and CRL DP (e.g. a second seal). */
  issue(name: string, options?: { key?: 'ec' | 'rsa'; days?: number; profile?: 'seal' | 'tsa' }): Promise<PkiCert>;
  close(): Promise<void>;
}

const caConfig = (dir: string, name: string, base: string) => `
[ ca ]
default_ca = ${name}
[ ${name} ]
dir = ${dir}
database = $dir/${name}-index.txt
new_certs_dir = $dir/${name}-certs
serial = $dir/${name}-serial
crlnumber = $dir/${name}-crlnumber
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
default_crl_days = 1
[ anything ]
C = optional
O = optional
CN = supplied
[ issuing_ca ]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:${base}/root.crl
[ seal ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = OCSP;URI:${base}/ocsp,caIssuers;URI:${base}/ca.cer
crlDistributionPoints = URI:${base}/ca.crl
[ tsa ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = OCSP;URI:${base}/ocsp,caIssuers;URI:${base}/ca.cer
crlDistributionPoints = URI:${base}/ca.crl
[ ocsp ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
noCheck = ignored
`;

/** Starts the services and makes the PKI (a few seconds of OpenSSL); `close()` when done. */
export async function startPkiServices(parent: string, options: { sealKey?: 'ec' | 'rsa'; sealDays?: number; tsaDays?: number } = {}): Promise<PkiServices> {
  const dir = join(parent, `pki-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const openssl = async (...args: string[]) => {
    try {
      return await exec('openssl', args, { cwd: dir, encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      const e = err as { stderr?: Buffer; message: string };
      throw new Error(`openssl ${args[0]}: ${e.stderr?.toString() ?? e.message}`);
    }
  };
  const ocsp: ServiceState = { mode: 'up', requests: 0 };
  const crl: ServiceState = { mode: 'up', requests: 0 };
  let n = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '').split('?')[0];
    const state = path === '/ocsp' ? ocsp : path === '/ca.crl' || path === '/root.crl' ? crl : undefined;
    if (state) {
      state.requests++;
      if (state.mode === 'down') {
        res.socket?.destroy();
        return;
      }
      if (state.mode === 'silent') return;
    }
    if (path === '/ocsp' && req.method === 'POST') {
      const id = ++n;
      writeFileSync(join(dir, `ocsp-q${id}.der`), Buffer.concat(chunks));
      await openssl('ocsp', '-index', 'ca-index.txt', '-rsigner', 'ocsp.pem', '-rkey', 'ocsp.key', '-CA', 'ca.pem',
        '-reqin', `ocsp-q${id}.der`, '-respout', `ocsp-r${id}.der`, '-ndays', '1');
      res.writeHead(200, { 'Content-Type': 'application/ocsp-response' }).end(readFileSync(join(dir, `ocsp-r${id}.der`)));
      return;
    }
    if ((path === '/ca.crl' || path === '/root.crl') && req.method === 'GET') {
      const name = path === '/ca.crl' ? 'ca' : 'root';
      const id = ++n;
      await openssl('ca', '-gencrl', '-config', `${name}.cnf`, '-cert', `${name}.pem`, '-keyfile', `${name}.key`, '-out', `crl${id}.pem`);
      const { stdout } = await openssl('crl', '-in', `crl${id}.pem`, '-outform', 'DER');
      res.writeHead(200, { 'Content-Type': 'application/pkix-crl' }).end(stdout);
      return;
    }
    if (path === '/ca.cer' && req.method === 'GET') {
      const { stdout } = await openssl('x509', '-in', 'ca.pem', '-outform', 'DER');
      res.writeHead(200, { 'Content-Type': 'application/pkix-cert' }).end(stdout);
      return;
    }
    res.writeHead(404).end();
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end(err.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  for (const name of ['root', 'ca']) {
    writeFileSync(join(dir, `${name}.cnf`), caConfig(dir, name, base));
    mkdirSync(join(dir, `${name}-certs`));
    writeFileSync(join(dir, `${name}-index.txt`), '');
    writeFileSync(join(dir, `${name}-serial`), name === 'root' ? '1000\n' : '2000\n');
    writeFileSync(join(dir, `${name}-crlnumber`), '01\n');
  }
  const keyArgs = (key: 'ec' | 'rsa') => (key === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048']);
  const read = (name: string): PkiCert => ({
    pem: readFileSync(join(dir, `${name}.pem`), 'utf8'),
    certPath: join(dir, `${name}.pem`),
    keyPath: join(dir, `${name}.key`),
    keyPem: readFileSync(join(dir, `${name}.key`), 'utf8'),
  });

  await openssl('req', '-x509', ...keyArgs('ec'), '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '3650',
    '-subj', '/C=RS/O=Overa Test/CN=Overa LTV Test Root', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-addext', 'subjectKeyIdentifier=hash');
  /** A certificate signed by `ca` (`root` or `ca`) with the profile's extensions. */
  const issueBy = async (ca: 'root' | 'ca', name: string, cn: string, profile: string, key: 'ec' | 'rsa', days: number): Promise<PkiCert> => {
    await openssl('req', '-utf8', ...keyArgs(key), '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/C=RS/O=Overa Test/CN=${cn}`);
    await openssl('ca', '-batch', '-config', `${ca}.cnf`, '-cert', `${ca}.pem`, '-keyfile', `${ca}.key`, '-in', `${name}.csr`, '-out', `${name}.pem`,
      '-extensions', profile, '-notext', '-utf8', '-days', String(days));
    return read(name);
  };
  const root = read('root');
  const issuingCa = await issueBy('root', 'ca', 'Overa LTV Test Issuing CA', 'issuing_ca', 'ec', 3650);
  const ocspResponder = await issueBy('ca', 'ocsp', 'Overa LTV Test OCSP Responder', 'ocsp', 'ec', 3650);
  const sealCert = await issueBy('ca', 'seal', 'Gradska uprava Novi Primer — pečat', 'seal', options.sealKey ?? 'ec', options.sealDays ?? 730);
  const seal = { ...sealCert, chainPem: sealCert.pem + issuingCa.pem + root.pem };

  const tsa = await startTsa(dir);
  let tsaCount = 0;
  const useTsa = async (days: number): Promise<PkiCert> => {
    const cert = await issueBy('ca', `tsa${++tsaCount}`, `Overa LTV Test TSA ${tsaCount}`, 'tsa', 'ec', days);
    copyFileSync(cert.certPath, join(tsa.dir, 'tsa.pem'));
    copyFileSync(cert.keyPath, join(tsa.dir, 'tsa.key'));
    writeFileSync(join(tsa.dir, 'ca.pem'), issuingCa.pem + root.pem);
    tsa.caPem = root.pem;
    services.tsaCert = cert;
    return cert;
  };

  const services: PkiServices = {
    dir, base, ocspUrl: `${base}/ocsp`, root, issuingCa, ocspResponder, seal, tsaCert: sealCert, tsa, ocsp, crl,
    rotateTsa: useTsa,
    async revoke(cert) {
      await openssl('ca', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-revoke', cert.certPath, '-crl_reason', 'keyCompromise');
    },
    issue: (name, o = {}) => issueBy('ca', name, name, o.profile ?? 'seal', o.key ?? 'ec', o.days ?? 730),
    close: async () => {
      await tsa.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  await useTsa(options.tsaDays ?? 365);
  return services;
}
