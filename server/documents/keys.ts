/**
 * The agencies' seal keys and certificates, as files under `<dataDir>/keys/`:
 *
 *     keys/                              0700
 *       demo-root.key.pem                0600  the demo root's key (encrypted PKCS#8)
 *       demo-root.cert.pem                     the demo root certificate
 *       agencies/<agency>/seal.key.pem   0600  the agency's seal key (encrypted PKCS#8)
 *       agencies/<agency>/seal.chain.pem       the seal certificate, then its CA certificates
 *       agencies/<agency>/seal.pkcs11.json     instead of seal.key.pem: the key is in a PKCS#11
 *                                              token ({"token": LABEL, "key": LABEL}, pkcs11.ts)
 *
 * Private keys are encrypted with the passphrase from `OVERA_KEY_PASSPHRASE` (PBES2:
 * PBKDF2-HMAC-SHA-256 and AES-256-CBC, the form OpenSSL writes, so
 * `openssl pkey -in seal.key.pem` reads it). Without one, a fixed demo passphrase is used and
 * said so: good for the demo, never for a real key (`importSealKey` refuses it).
 *
 * `overa init` (and the demo at first start) makes a demo root and one P-256 seal certificate
 * per agency; `overa keys import` replaces an agency's seal with a key and chain from a real
 * certificate authority (PEM or PKCS#12), or binds the agency to a key inside a PKCS#11 token
 * (`--pkcs11 TOKEN:KEY`): then the key never leaves the token and the token signs. Several
 * instances share the folder, like uploads.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as pkijs from 'pkijs';
import type { Config } from '../config.ts';
import {
  KeyUsage, NODE_ENGINE, OID, certificateDer, certificateToPem, certificatesFromPem, createCertificate, describeCertificate,
  distinguishedName, isCa, isSelfIssued, nameToString, sha256Hex, spkiDer, type CertificateInfo, type Der,
} from './certificates.ts';
import { keyUsage } from '../../components/core/pdf/chain.ts';
import { KeyError } from './key-error.ts';
import { TokenSessions, signsFor, type TokenBinding, type TokenKey } from './pkcs11.ts';

export type { CertificateInfo };
export { KeyError };
export { TokenSessions, parseBinding, type TokenBinding } from './pkcs11.ts';

/** Used when OVERA_KEY_PASSPHRASE is unset: public, so it protects nothing but the demo. */
export const DEMO_PASSPHRASE = 'overa-demo-passphrase-not-secret';

/** Where a seal's private key lives. */
export type SealLocation = { kind: 'file'; path: string } | { kind: 'pkcs11'; token: string; key: string };

/**
 * A loaded seal: what the signer needs, ready to use. The signature is made through
 * WebCrypto: `engine` is pkijs's engine over the WebCrypto that `privateKey` belongs to
 * (Node's for a key file, the token's for a PKCS#11 key), and seal.ts signs with both; only the
 * exchange's signatures with a key file's key go to node:crypto directly (exchange-cms.ts).
 */
export interface SealKey {
  agencyId: string;
  /** Non-extractable WebCrypto key (ECDSA or RSASSA-PKCS1-v1_5). */
  privateKey: CryptoKey;
  /** The pkijs crypto engine that signs with `privateKey`. */
  engine: pkijs.ICryptoEngine;
  location: SealLocation;
  /** The seal certificate first, then its CA certificates (the root last, when included). */
  chain: pkijs.Certificate[];
  /** DER of each certificate in `chain`. */
  chainDer: Der[];
  /** Hex SHA-256 of the seal certificate's DER. */
  fingerprint: string;
}

type KeyConfig = Pick<Config, 'dataDir' | 'keyPassphrase' | 'pkcs11Module' | 'pkcs11Pin'>;

export const keysDir = (config: Pick<Config, 'dataDir'>) => join(config.dataDir, 'keys');
export const demoRootCertPath = (config: Pick<Config, 'dataDir'>) => join(keysDir(config), 'demo-root.cert.pem');
const demoRootKeyPath = (config: Pick<Config, 'dataDir'>) => join(keysDir(config), 'demo-root.key.pem');
const AGENCY_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const agenciesDir = (config: Pick<Config, 'dataDir'>) => join(keysDir(config), 'agencies');
const agencyDir = (config: Pick<Config, 'dataDir'>, agencyId: string) => {
  if (!AGENCY_ID.test(agencyId)) throw new KeyError(`"${agencyId}" is not an agency id`);
  return join(agenciesDir(config), agencyId);
};
export const sealKeyPath = (config: Pick<Config, 'dataDir'>, agencyId: string) => join(agencyDir(config, agencyId), 'seal.key.pem');
export const sealChainPath = (config: Pick<Config, 'dataDir'>, agencyId: string) => join(agencyDir(config, agencyId), 'seal.chain.pem');
export const sealBindingPath = (config: Pick<Config, 'dataDir'>, agencyId: string) => join(agencyDir(config, agencyId), 'seal.pkcs11.json');

/** The passphrase the key files are encrypted with, and whether it is the public demo one. */
export function keyPassphrase(config: Pick<Config, 'keyPassphrase'>): { passphrase: string; demo: boolean } {
  return config.keyPassphrase ? { passphrase: config.keyPassphrase, demo: false } : { passphrase: DEMO_PASSPHRASE, demo: true };
}

// ---------------------------------------------------------------------------------------------
// Files

/** Creates `dir` (and parents) readable by the server user only. */
function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
}

/** Writes a file atomically (temp file, fsync, rename, fsync the folder) with the given mode. */
function writeFileAtomic(path: string, data: string, mode: number): void {
  privateDir(dirname(path));
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dirFd = openSync(dirname(path), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/** Refuses a key file other users could read, as ssh does. */
function checkPrivate(path: string): void {
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) throw new KeyError(`${path} can be read by other users (mode ${mode.toString(8)}); run chmod 600 on it`);
}

function encryptKey(key: KeyObject, passphrase: string): string {
  return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
}

function decryptKey(path: string, passphrase: string): KeyObject {
  checkPrivate(path);
  try {
    return createPrivateKey({ key: readFileSync(path), format: 'pem', passphrase });
  } catch (err) {
    throw new KeyError(`cannot decrypt ${path}: wrong OVERA_KEY_PASSPHRASE? (${(err as Error).message})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

/** WebCrypto import parameters for a private key. */
function importParams(key: KeyObject): EcKeyImportParams | RsaHashedImportParams {
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : undefined;
    if (!namedCurve) throw new KeyError(`EC curve ${curve} is not supported (P-256, P-384 or P-521)`);
    return { name: 'ECDSA', namedCurve };
  }
  if (key.asymmetricKeyType === 'rsa') {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new KeyError('RSA keys must have at least 2048 bits');
    return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  }
  throw new KeyError(`${key.asymmetricKeyType} keys are not supported (EC or RSA)`);
}

/** A non-extractable WebCrypto signing key. */
async function toCryptoKey(key: KeyObject): Promise<CryptoKey> {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, importParams(key), false, ['sign']) as Promise<CryptoKey>;
}

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' };
const DAY = 86_400_000;

async function newKeyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function keyObjectOf(key: CryptoKey): Promise<KeyObject> {
  return createPrivateKey({ key: Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key as webcrypto.CryptoKey)), format: 'der', type: 'pkcs8' });
}

// ---------------------------------------------------------------------------------------------
// Demo root and demo seals

async function loadDemoRoot(config: KeyConfig): Promise<{ certificate: pkijs.Certificate; privateKey: CryptoKey }> {
  const keyObject = decryptKey(demoRootKeyPath(config), keyPassphrase(config).passphrase);
  const [der] = certificatesFromPem(readFileSync(demoRootCertPath(config), 'utf8'));
  if (!der) throw new KeyError(`${demoRootCertPath(config)} holds no certificate`);
  return { certificate: pkijs.Certificate.fromBER(der), privateKey: await toCryptoKey(keyObject) };
}

async function createDemoRoot(config: KeyConfig, now: number): Promise<void> {
  const keys = await newKeyPair();
  const certificate = await createCertificate({
    subject: distinguishedName([[OID.countryName, 'RS'], [OID.organizationName, 'Overa demo (not for production)'], [OID.commonName, 'Overa Demo Root CA']]),
    publicKey: keys.publicKey,
    selfKey: keys.privateKey,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 20 * 365 * DAY),
    ca: true,
    keyUsage: [KeyUsage.keyCertSign, KeyUsage.cRLSign],
  });
  writeFileAtomic(demoRootKeyPath(config), encryptKey(await keyObjectOf(keys.privateKey), keyPassphrase(config).passphrase), 0o600);
  writeFileAtomic(demoRootCertPath(config), certificateToPem(certificateDer(certificate)), 0o644);
}

async function createDemoSeal(config: KeyConfig, agency: { id: string; name: string }, now: number): Promise<void> {
  const root = await loadDemoRoot(config);
  const keys = await newKeyPair();
  const certificate = await createCertificate({
    subject: distinguishedName([
      [OID.countryName, 'RS'], [OID.organizationName, agency.name], [OID.organizationalUnitName, 'Overa demo seal'], [OID.commonName, agency.name],
    ]),
    publicKey: keys.publicKey,
    issuer: root,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 5 * 365 * DAY),
    ca: false,
    // A seal: digitalSignature and nonRepudiation (contentCommitment). No extended key usage,
    // so every validator's "document signer" check (NSS's included) accepts it.
    keyUsage: [KeyUsage.digitalSignature, KeyUsage.nonRepudiation],
  });
  writeFileAtomic(sealKeyPath(config, agency.id), encryptKey(await keyObjectOf(keys.privateKey), keyPassphrase(config).passphrase), 0o600);
  writeFileAtomic(sealChainPath(config, agency.id), certificateToPem(certificateDer(certificate)) + certificateToPem(certificateDer(root.certificate)), 0o644);
}

/** Has the agency a seal: a key file or a token binding, and a chain. */
export function hasSealKey(config: Pick<Config, 'dataDir'>, agencyId: string): boolean {
  return (existsSync(sealKeyPath(config, agencyId)) || existsSync(sealBindingPath(config, agencyId))) && existsSync(sealChainPath(config, agencyId));
}

/** The token key an agency is bound to, or undefined when its key (if any) is a file. */
export function tokenBinding(config: Pick<Config, 'dataDir'>, agencyId: string): TokenBinding | undefined {
  const path = sealBindingPath(config, agencyId);
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KeyError(`${path} is not JSON (${(err as Error).message})`);
  }
  const { token, key } = (parsed ?? {}) as Partial<TokenBinding>;
  if (typeof token !== 'string' || typeof key !== 'string' || !token || !key) throw new KeyError(`${path} does not name a token and a key ({"token": LABEL, "key": LABEL})`);
  return { token, key };
}

/** Where the agency's seal key lives, as `overa keys show` says it; undefined when it has none. */
export function sealLocation(config: Pick<Config, 'dataDir'>, agencyId: string): SealLocation | undefined {
  const binding = tokenBinding(config, agencyId);
  if (binding) return { kind: 'pkcs11', ...binding };
  const path = sealKeyPath(config, agencyId);
  return existsSync(path) ? { kind: 'file', path } : undefined;
}

/**
 * Makes the demo root (once) and a demo seal for every agency that has none. Returns what was
 * created, so the CLI can say so. Agencies that already have a seal (demo or imported) keep it.
 */
export async function ensureDemoKeys(
  config: KeyConfig,
  agencyList: readonly { id: string; name: string }[],
  now = Date.now(),
): Promise<{ root: boolean; seals: string[] }> {
  const missing = agencyList.filter((a) => !hasSealKey(config, a.id));
  let root = false;
  if (missing.length === 0) return { root, seals: [] };
  privateDir(keysDir(config));
  if (!(existsSync(demoRootKeyPath(config)) && existsSync(demoRootCertPath(config)))) {
    await createDemoRoot(config, now);
    root = true;
  }
  for (const agency of missing) await createDemoSeal(config, agency, now);
  return { root, seals: missing.map((a) => a.id) };
}

// ---------------------------------------------------------------------------------------------
// Loading

function stampOf(paths: string[], secret: string): string {
  const files = paths.map((p) => {
    const s = statSync(p);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  });
  return `${files.join('|')}|${createHash('sha256').update(secret).digest('hex')}`;
}

/**
 * The agency's seal, decrypted and parsed from its files, or found in its token (no cache: see
 * createKeyStore). A token seal opens its own session here: prefer a key store, which keeps
 * one per token and closes it.
 */
export async function loadSeal(config: KeyConfig, agencyId: string, tokens = new TokenSessions(config)): Promise<SealKey> {
  const files = sealFiles(config, agencyId);
  return files.kind === 'file'
    ? readSeal(config, agencyId, files.keyPath, files.chainPath)
    : readTokenSeal(agencyId, files.binding, files.chainPath, tokens);
}

type SealFiles =
  | { kind: 'file'; keyPath: string; chainPath: string; stampPaths: string[] }
  | { kind: 'pkcs11'; binding: TokenBinding; chainPath: string; stampPaths: string[] };

/** The files of the agency's seal: a token binding wins over a key file (see importTokenSeal). */
function sealFiles(config: KeyConfig, agencyId: string): SealFiles {
  const chainPath = sealChainPath(config, agencyId);
  const binding = existsSync(chainPath) ? tokenBinding(config, agencyId) : undefined;
  if (binding) return { kind: 'pkcs11', binding, chainPath, stampPaths: [sealBindingPath(config, agencyId), chainPath] };
  const keyPath = sealKeyPath(config, agencyId);
  if (!existsSync(keyPath) || !existsSync(chainPath)) {
    throw new KeyError(`agency "${agencyId}" has no seal key: run \`overa init\` (demo) or \`overa keys import --agency ${agencyId}\``);
  }
  return { kind: 'file', keyPath, chainPath, stampPaths: [keyPath, chainPath] };
}

function readChain(chainPath: string): { chain: pkijs.Certificate[]; chainDer: Der[] } {
  const chainDer = certificatesFromPem(readFileSync(chainPath, 'utf8'));
  if (chainDer.length === 0) throw new KeyError(`${chainPath} holds no certificate`);
  return { chain: chainDer.map((der) => pkijs.Certificate.fromBER(der)), chainDer };
}

async function readSeal(config: KeyConfig, agencyId: string, keyPath: string, chainPath: string): Promise<SealKey> {
  const { passphrase } = keyPassphrase(config);
  const keyObject = decryptKey(keyPath, passphrase);
  const { chain, chainDer } = readChain(chainPath);
  // An import writes the key, then the chain: a server that reads between the two would seal
  // with a key its certificate does not name, and issue documents that never verify.
  if (!Buffer.from(spkiDer(chain[0]!)).equals(createPublicKey(keyObject).export({ type: 'spki', format: 'der' }))) {
    throw new KeyError(`${keyPath} is not the key of the seal certificate in ${chainPath} (an import in progress, or the files of two different seals)`);
  }
  return {
    agencyId, privateKey: await toCryptoKey(keyObject), engine: NODE_ENGINE, location: { kind: 'file', path: keyPath },
    chain, chainDer, fingerprint: sha256Hex(chainDer[0]!),
  };
}

/** A seal whose key is in a token: found by label, and proved to be the seal certificate's by a test signature. */
async function readTokenSeal(agencyId: string, binding: TokenBinding, chainPath: string, tokens: TokenSessions): Promise<SealKey & { token: TokenKey }> {
  const { chain, chainDer } = readChain(chainPath);
  const token = await tokens.key(binding);
  // As for files: an import (or a key replaced in the token) must not seal under another certificate.
  if (!(await signsFor(token, spkiDer(chain[0]!)))) {
    throw new KeyError(`the key "${binding.key}" in PKCS#11 token "${binding.token}" is not the key of the seal certificate in ${chainPath}`);
  }
  return {
    agencyId, privateKey: token.privateKey, engine: token.engine, location: { kind: 'pkcs11', ...binding },
    chain, chainDer, fingerprint: sha256Hex(chainDer[0]!), token,
  };
}

/** The seal keys and trust anchors of a running server (`Deps.keys`). */
export interface KeyStore {
  /** The agency's seal; KeyError when it has none or it cannot be read (or its token cannot be used). */
  seal(agencyId: string): Promise<SealKey>;
  /** The trust anchors the agencies' seals chain to (see trustAnchors). */
  anchors(agencyIds: readonly string[]): CertificateInfo[];
  /**
   * Opens every token a stored agency's seal is bound to and checks each such seal (`overa
   * start` calls it before listening); the first KeyError names the setting at fault. Returns
   * the agencies whose seals are in a token.
   */
  openTokens(): Promise<string[]>;
  /** Closes the token sessions (a later seal() opens them again). */
  close(): void;
}

/**
 * The key store of one app: seals are decrypted (or found in their token) once and kept until
 * their files change (the stamp is the files' mtime, size and inode, and the passphrase), so an
 * `overa keys import` is picked up by running servers at their next issuance. A token seal is
 * also loaded again once its session was lost. The cache and the token sessions belong to the
 * store, not the module: two apps in one process keep their own.
 */
export function createKeyStore(config: KeyConfig): KeyStore {
  const cache = new Map<string, { stamp: string; seal: SealKey & { token?: TokenKey } }>();
  const tokens = new TokenSessions(config);
  const seal = async (agencyId: string): Promise<SealKey> => {
    const files = sealFiles(config, agencyId);
    const stamp = stampOf(files.stampPaths, files.kind === 'file' ? keyPassphrase(config).passphrase : `${config.pkcs11Module}|${config.pkcs11Pin}`);
    const cached = cache.get(agencyId);
    if (cached && cached.stamp === stamp && (!cached.seal.token || cached.seal.token.open)) return cached.seal;
    const loaded = files.kind === 'file'
      ? await readSeal(config, agencyId, files.keyPath, files.chainPath)
      : await readTokenSeal(agencyId, files.binding, files.chainPath, tokens);
    cache.set(agencyId, { stamp, seal: loaded });
    return loaded;
  };
  return {
    seal,
    anchors: (agencyIds) => trustAnchors(config, agencyIds),
    async openTokens() {
      const bound = storedAgencyIds(config).filter((id) => existsSync(sealBindingPath(config, id)));
      for (const id of bound) {
        try {
          await seal(id);
        } catch (err) {
          if (err instanceof KeyError) throw new KeyError(`${err.message.replace(/[.\s]+$/, '')} (seal of agency "${id}")`);
          throw err;
        }
      }
      return bound;
    },
    close() {
      tokens.close();
      cache.clear();
    },
  };
}

/** An agency's seal certificate chain as stored (no key needed), or undefined. */
export function sealChain(config: Pick<Config, 'dataDir'>, agencyId: string): CertificateInfo[] | undefined {
  const path = sealChainPath(config, agencyId);
  if (!existsSync(path)) return undefined;
  return certificatesFromPem(readFileSync(path, 'utf8')).map(describeCertificate);
}

/**
 * The trust anchors the seals chain to: the demo root when there is one, and the last
 * certificate of each agency's chain (its root). Distinct by fingerprint.
 */
export function trustAnchors(config: Pick<Config, 'dataDir'>, agencyIds: readonly string[]): CertificateInfo[] {
  const out = new Map<string, CertificateInfo>();
  if (existsSync(demoRootCertPath(config))) {
    for (const der of certificatesFromPem(readFileSync(demoRootCertPath(config), 'utf8'))) {
      const info = describeCertificate(der);
      out.set(info.sha256, info);
    }
  }
  for (const id of agencyIds) {
    const chain = sealChain(config, id);
    if (chain && chain.length > 1) {
      const top = chain[chain.length - 1]!;
      out.set(top.sha256, top);
    }
  }
  return [...out.values()];
}

/**
 * The agencies that have a folder in the key store, for readers without the database
 * (`overa verify`, offline): with `trustAnchors` they give the same anchors the server
 * publishes, as long as every agency with keys is in its database.
 */
export function storedAgencyIds(config: Pick<Config, 'dataDir'>): string[] {
  if (!existsSync(agenciesDir(config))) return [];
  return readdirSync(agenciesDir(config), { withFileTypes: true })
    .filter((d) => d.isDirectory() && AGENCY_ID.test(d.name))
    .map((d) => d.name)
    .sort();
}

// ---------------------------------------------------------------------------------------------
// Import from a real certificate authority

export interface ImportInput {
  /** PEM private key (PKCS#8, encrypted PKCS#8, SEC1 or PKCS#1), with `chainPem`. */
  keyPem?: string | Buffer;
  /** PEM certificates: the seal certificate and its CA certificates up to the root, any order. */
  chainPem?: string;
  /** A PKCS#12 file with the key and the chain (PBES2/AES, as OpenSSL 3 writes by default). */
  p12?: Uint8Array;
  /** The password of the PKCS#12 file or of the encrypted PEM key. */
  importPassphrase?: string;
}

const BAG = {
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
};

/** PKCS#12 → the private key and the certificates it holds. */
async function readPkcs12(der: Der, password: string): Promise<{ key: KeyObject; certs: Der[] }> {
  const pwd = new TextEncoder().encode(password).buffer as ArrayBuffer;
  let keyDer: ArrayBuffer | undefined;
  const certs: Der[] = [];
  try {
    const pfx = pkijs.PFX.fromBER(der);
    await pfx.parseInternalValues({ password: pwd, checkIntegrity: true });
    const safe = pfx.parsedValue?.authenticatedSafe;
    if (!safe) throw new Error('no authenticated safe');
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: pwd })) });
    for (const contents of safe.parsedValue?.safeContents ?? []) {
      for (const bag of contents.value.safeBags) {
        if (bag.bagId === BAG.shroudedKeyBag) {
          const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
          // Protected in pkijs's typings only; its own PKCS#12 examples call it.
          await (shrouded as unknown as { parseInternalValues(p: { password: ArrayBuffer }): Promise<void> }).parseInternalValues({ password: pwd });
          keyDer = shrouded.parsedValue!.toSchema().toBER();
        } else if (bag.bagId === BAG.keyBag) {
          keyDer = (bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER();
        } else if (bag.bagId === BAG.certBag) {
          const value = (bag.bagValue as pkijs.CertBag).parsedValue;
          if (value instanceof pkijs.Certificate) certs.push(certificateDer(value));
        }
      }
    }
  } catch (err) {
    throw new KeyError(`cannot read the PKCS#12 file (wrong password? A legacy RC2/3DES file: re-export it with OpenSSL 3 defaults, or give PEM files): ${(err as Error).message}`);
  }
  if (!keyDer) throw new KeyError('the PKCS#12 file holds no private key');
  return { key: createPrivateKey({ key: Buffer.from(keyDer), format: 'der', type: 'pkcs8' }), certs };
}

/** Orders certificates from the one that matches `key` up through its issuers. */
function orderChain(key: KeyObject, ders: Der[]): pkijs.Certificate[] {
  const parsed = ders.map((der) => pkijs.Certificate.fromBER(der));
  const publicDer = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return upThroughIssuers(parsed, parsed.find((c) => Buffer.from(spkiDer(c)).equals(publicDer)));
}

/** `leaf`, then its issuer, its issuer's issuer… as far as `parsed` holds them. */
function upThroughIssuers(parsed: pkijs.Certificate[], leaf: pkijs.Certificate | undefined): pkijs.Certificate[] {
  if (!leaf) throw new KeyError('no certificate in the chain belongs to the private key');
  const chain = [leaf];
  for (let cur = leaf; !isSelfIssued(cur);) {
    const issuer = parsed.find((c) => !chain.includes(c) && c.subject.isEqual(cur.issuer));
    if (!issuer) break;
    chain.push(issuer);
    cur = issuer;
  }
  return chain;
}

/**
 * The checks of an imported chain (its first certificate the seal's): the certificate may sign
 * and is no CA, is valid now, each certificate is signed by the next, the root by itself.
 * Returns the warnings to print.
 */
async function checkSealChain(chain: pkijs.Certificate[], now: number): Promise<string[]> {
  const leaf = chain[0]!;
  const warnings: string[] = [];
  if (isCa(leaf)) throw new KeyError('the certificate is a CA certificate, not a seal certificate');
  const usage = keyUsage(leaf);
  if (usage && !usage.has(KeyUsage.digitalSignature) && !usage.has(KeyUsage.nonRepudiation)) {
    throw new KeyError('the certificate may not sign documents (its key usage has neither digitalSignature nor nonRepudiation)');
  }
  if (leaf.notAfter.value.getTime() < now || leaf.notBefore.value.getTime() > now) {
    throw new KeyError(`the certificate is not valid now (${leaf.notBefore.value.toISOString()} – ${leaf.notAfter.value.toISOString()})`);
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!(await chain[i]!.verify(chain[i + 1]!))) throw new KeyError(`certificate ${i + 1} of the chain is not signed by certificate ${i + 2}`);
  }
  const top = chain[chain.length - 1]!;
  if (!isSelfIssued(top)) {
    warnings.push(`the chain ends at "${nameToString(top.subject)}"; its issuer "${nameToString(top.issuer)}" was not given, so that certificate is published as the trust anchor`);
  } else if (!(await top.verify())) {
    throw new KeyError("the root certificate's self-signature does not verify");
  }
  return warnings;
}

/**
 * Replaces an agency's seal with a key and chain from a real CA. Checks that the key matches a
 * certificate, that it may sign (digitalSignature or nonRepudiation) and is no CA, that it is
 * valid now, and that each certificate of the chain is signed by the next. The key is stored
 * encrypted with OVERA_KEY_PASSPHRASE, which must be set (never the demo one).
 */
export async function importSealKey(
  config: KeyConfig, agencyId: string, input: ImportInput, now = Date.now(),
): Promise<{ chain: CertificateInfo[]; warnings: string[] }> {
  const { passphrase, demo } = keyPassphrase(config);
  if (demo) throw new KeyError('set OVERA_KEY_PASSPHRASE first: a real seal key is never stored under the public demo passphrase');
  agencyDir(config, agencyId);
  let key: KeyObject;
  let certs: Der[];
  if (input.p12) {
    ({ key, certs } = await readPkcs12(new Uint8Array(input.p12), input.importPassphrase ?? ''));
    if (input.chainPem) certs.push(...certificatesFromPem(input.chainPem));
  } else {
    if (!input.keyPem || !input.chainPem) throw new KeyError('give a PKCS#12 file, or a PEM key and a PEM chain');
    try {
      key = createPrivateKey(input.importPassphrase ? { key: input.keyPem, format: 'pem', passphrase: input.importPassphrase } : { key: input.keyPem, format: 'pem' });
    } catch (err) {
      throw new KeyError(`cannot read the private key (encrypted? set OVERA_IMPORT_PASSPHRASE): ${(err as Error).message}`);
    }
    certs = certificatesFromPem(input.chainPem);
  }
  importParams(key); // refuses unsupported key types early
  const chain = orderChain(key, certs);
  const warnings = await checkSealChain(chain, now);
  const ders = chain.map(certificateDer);
  privateDir(keysDir(config));
  writeFileAtomic(sealKeyPath(config, agencyId), encryptKey(key, passphrase), 0o600);
  writeFileAtomic(sealChainPath(config, agencyId), ders.map(certificateToPem).join(''), 0o644);
  // The key is a file again: a token binding left behind would win over it (sealFiles).
  rmSync(sealBindingPath(config, agencyId), { force: true });
  return { chain: ders.map(describeCertificate), warnings };
}

export interface TokenImportInput extends TokenBinding {
  /**
   * PEM certificates: the seal certificate and its CA certificates, any order. Without them,
   * the certificates stored in the token are used (the seal certificate and whatever CA
   * certificates it holds); given, they are added to the token's.
   */
  chainPem?: string;
}

/**
 * Binds an agency's seal to a key inside a PKCS#11 token: the key is found by its label, the
 * seal certificate is the one (from `chainPem` or the token) whose public key the token key
 * signs for (a test signature, checked with Node's crypto), and the chain gets the same checks
 * as a file import. Writes `seal.pkcs11.json` and the chain; removes a key file left from
 * before. Needs OVERA_PKCS11_MODULE and OVERA_PKCS11_PIN, not OVERA_KEY_PASSPHRASE (no key is
 * stored). The sessions are `tokens`' (closed by the caller).
 */
export async function importTokenSeal(
  config: KeyConfig, agencyId: string, input: TokenImportInput, tokens: TokenSessions, now = Date.now(),
): Promise<{ chain: CertificateInfo[]; warnings: string[] }> {
  agencyDir(config, agencyId);
  const binding = { token: input.token, key: input.key };
  const key = await tokens.key(binding);
  const certs = [...(input.chainPem ? certificatesFromPem(input.chainPem) : []), ...(await tokens.certificates(binding.token))];
  if (certs.length === 0) throw new KeyError(`PKCS#11 token "${binding.token}" holds no certificate: give the seal certificate and its CA certificates with --chain FILE`);
  const parsed = certs.map((der) => pkijs.Certificate.fromBER(der));
  let leaf: pkijs.Certificate | undefined;
  for (const c of parsed) {
    if (!isCa(c) && (await signsFor(key, spkiDer(c)))) {
      leaf = c;
      break;
    }
  }
  if (!leaf) throw new KeyError(`no certificate${input.chainPem ? ' given or' : ''} in PKCS#11 token "${binding.token}" belongs to the key "${binding.key}"`);
  const chain = upThroughIssuers(parsed, leaf);
  const warnings = await checkSealChain(chain, now);
  const ders = chain.map(certificateDer);
  privateDir(keysDir(config));
  writeFileAtomic(sealBindingPath(config, agencyId), `${JSON.stringify(binding)}\n`, 0o644);
  writeFileAtomic(sealChainPath(config, agencyId), ders.map(certificateToPem).join(''), 0o644);
  // The token's key is the seal now; a key file left from before is not kept beside it.
  rmSync(sealKeyPath(config, agencyId), { force: true });
  return { chain: ders.map(describeCertificate), warnings };
}
