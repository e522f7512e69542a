/**
 * A real PKCS#11 token for tests: SoftHSM2 (Debian `softhsm2`) with its own configuration and
 * token folder in a temp directory, keys generated inside the token by OpenSC's `pkcs11-tool`
 * (Debian `opensc`), and certificates for them issued by a small OpenSSL CA. Nothing here is
 * Overa's code.
 *
 * SoftHSM reads SOFTHSM2_CONF when the library is first initialised in a process, and a
 * process initialises it once (keys.ts never finalises it): call `createSoftHsm` before any
 * token is opened in the test process, once per test file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './pdf-tools.ts';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export interface SoftHsm {
  module: string;
  /** The SOFTHSM2_CONF a child process needs to see the same tokens. */
  conf: string;
  initToken(label: string, pin: string): Promise<void>;
  /** Generates a key pair inside the token; returns the public key as PEM (read back from the token). */
  generateKey(token: string, pin: string, label: string, id: string, type: 'EC:prime256v1' | 'rsa:2048'): Promise<string>;
  /** Stores a certificate (PEM) in the token as a CKO_CERTIFICATE object. */
  writeCertificate(token: string, pin: string, label: string, id: string, pem: string): Promise<void>;
}

async function must(cmd: string, args: string[]): Promise<string> {
  const r = await run(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** A SoftHSM2 set-up in `dir`; sets SOFTHSM2_CONF in this process (see the module comment). */
export function createSoftHsm(dir: string): SoftHsm {
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens, { recursive: true });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  process.env.SOFTHSM2_CONF = conf;
  const tool = (token: string, pin: string, ...args: string[]) => must('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', token, '--login', '--pin', pin, ...args]);
  return {
    module: SOFTHSM_MODULE,
    conf,
    async initToken(label, pin) {
      await must('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', `${pin}-so`]);
    },
    async generateKey(token, pin, label, id, type) {
      await tool(token, pin, '--keypairgen', '--key-type', type, '--label', label, '--id', id);
      const der = join(dir, `${label}.pub.der`);
      await must('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', token, '--read-object', '--type', 'pubkey', '--label', label, '-o', der]);
      const pem = join(dir, `${label}.pub.pem`);
      await must('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', der, '-out', pem]);
      return readFileSync(pem, 'utf8');
    },
    async writeCertificate(token, pin, label, id, pem) {
      const der = join(dir, `${label}-${id}.cert.der`);
      const pemFile = `${der}.pem`;
      writeFileSync(pemFile, pem);
      await must('openssl', ['x509', '-in', pemFile, '-outform', 'DER', '-out', der]);
      await tool(token, pin, '--write-object', der, '--type', 'cert', '--label', label, '--id', id);
    },
  };
}

export interface TestCa {
  rootPem: string;
  intPem: string;
  /** A seal certificate (PEM) for the given public key, issued by the intermediate. */
  issue(name: string, publicKeyPem: string, days?: number): Promise<string>;
}

/** A root and an issuing CA made with OpenSSL, which certify public keys read from a token. */
export async function createTestCa(dir: string, name: string): Promise<TestCa> {
  const at = (f: string) => join(dir, f);
  mkdirSync(dir, { recursive: true });
  writeFileSync(at('ca.ext'), 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  writeFileSync(at('leaf.ext'), 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  await must('openssl', ['req', '-x509', ...ec, '-nodes', '-keyout', at('root.key'), '-out', at('root.pem'), '-subj', `/C=RS/O=${name}/CN=${name} Root`, '-days', '365',
    '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await must('openssl', ['req', ...ec, '-nodes', '-keyout', at('int.key'), '-out', at('int.csr'), '-subj', `/C=RS/O=${name}/CN=${name} Issuing CA`]);
  await must('openssl', ['x509', '-req', '-in', at('int.csr'), '-CA', at('root.pem'), '-CAkey', at('root.key'), '-CAcreateserial', '-out', at('int.pem'), '-days', '365', '-extfile', at('ca.ext')]);
  let n = 0;
  return {
    rootPem: readFileSync(at('root.pem'), 'utf8'),
    intPem: readFileSync(at('int.pem'), 'utf8'),
    async issue(subjectName, publicKeyPem, days = 30) {
      const i = ++n;
      writeFileSync(at(`pub-${i}.pem`), publicKeyPem);
      // `x509 -req` wants a request (made with a throwaway key); `-force_pubkey` certifies the token's public key instead of the request's.
      await must('openssl', ['req', ...ec, '-nodes', '-keyout', at(`csr-${i}.key`), '-out', at(`leaf-${i}.csr`), '-subj', `/C=RS/O=${subjectName}/CN=${subjectName}`]);
      await must('openssl', ['x509', '-req', '-in', at(`leaf-${i}.csr`), '-force_pubkey', at(`pub-${i}.pem`),
        '-CA', at('int.pem'), '-CAkey', at('int.key'), '-CAcreateserial', '-out', at(`leaf-${i}.pem`), '-days', String(days), '-extfile', at('leaf.ext')]);
      return readFileSync(at(`leaf-${i}.pem`), 'utf8');
    },
  };
}
