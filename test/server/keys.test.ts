/**
 * Seal keys (issue 6, item 3): the demo root and seals that `overa init` makes, keys encrypted
 * at rest and readable by the server user only, import of a key and chain from a real CA
 * (PEM and PKCS#12, EC and RSA) with the refusals, `overa keys show`, and an RSA seal from an
 * imported chain that pdfsig trusts with that CA's root. Checked with OpenSSL and NSS.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestDb, startTestServer, TEST_ORIGIN, type TestServer } from '../helpers/test-server.ts';
import { childEnv, overaCli, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { registerAccount } from '../helpers/accounts.ts';
import { nssDatabase, opensslCmsPrint, opensslCmsVerify, opensslX509Text, pdfsig, run as tool, signedParts, tempDir } from '../helpers/pdf-tools.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { applications } from '../../server/db/applications.ts';
import {
  DEMO_PASSPHRASE, KeyError, demoRootCertPath, ensureDemoKeys, importSealKey, loadSeal, sealChainPath, sealKeyPath, trustAnchors,
} from '../../server/documents/keys.ts';
import { certificatesFromPem, rdnSizes } from '../../server/documents/certificates.ts';
import { checkSigningCertificateV2 } from '../../server/documents/seal.ts';
import { initSeals, keysCommand, type KeysOptions } from '../../server/documents/cli.ts';
import { issueDocument } from '../../server/services/documents.ts';
import * as pkijs from 'pkijs';
import { JMBG, residence } from '../helpers/sample-data.ts';
import { createInvite } from '../../server/services/invites.ts';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';

const exec = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/overa.js', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const PASSPHRASE = 'korektna-konjska-baterija-spajalica';

let tmp: ReturnType<typeof tempDir>;
before(() => {
  tmp = tempDir('overa-keys-');
});
after(() => tmp.remove());

/** `openssl …` in `dir`; throws with stderr when it fails. */
async function openssl(dir: string, ...args: string[]): Promise<string> {
  const r = await tool('openssl', args.map((a) => a.replace(/^@/, `${dir}/`)));
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * A small real-looking PKI made with OpenSSL: a root, an intermediate and a seal certificate
 * (EC P-256 or RSA 2048), and a PKCS#12 of the seal with its chain.
 */
async function makeCa(name: string, keyType: 'ec' | 'rsa', leafExt = 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\n', dirName = name) {
  const dir = join(tmp.dir, dirName);
  await exec('mkdir', ['-p', dir]);
  const newKey = keyType === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
  writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  writeFileSync(join(dir, 'leaf.ext'), leafExt);
  await openssl(dir, 'req', '-x509', ...newKey, '-nodes', '-keyout', '@root.key', '-out', '@root.pem', '-subj', `/C=RS/O=${name} CA/CN=${name} Root`, '-days', '365',
    '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  await openssl(dir, 'req', ...newKey, '-nodes', '-keyout', '@int.key', '-out', '@int.csr', '-subj', `/C=RS/O=${name} CA/CN=${name} Issuing CA`);
  await openssl(dir, 'x509', '-req', '-in', '@int.csr', '-CA', '@root.pem', '-CAkey', '@root.key', '-CAcreateserial', '-out', '@int.pem', '-days', '365', '-extfile', '@ca.ext');
  await openssl(dir, 'req', ...newKey, '-nodes', '-keyout', '@seal.key', '-out', '@seal.csr', '-subj', `/C=RS/O=Gradska uprava Novi Primer/organizationIdentifier=VATRS-100000000/CN=Gradska uprava Novi Primer`);
  await openssl(dir, 'x509', '-req', '-in', '@seal.csr', '-CA', '@int.pem', '-CAkey', '@int.key', '-CAcreateserial', '-out', '@seal.pem', '-days', '30', '-extfile', '@leaf.ext');
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  await openssl(dir, 'pkcs12', '-export', '-inkey', '@seal.key', '-in', '@seal.pem', '-certfile', '@int.pem', '-out', '@seal.p12', '-passout', 'pass:p12-lozinka');
  return {
    dir,
    rootPem: read('root.pem'),
    chainPem: read('seal.pem') + read('int.pem') + read('root.pem'),
    keyPem: read('seal.key'),
    intKeyPem: read('int.key'),
    intPem: read('int.pem'),
    p12: new Uint8Array(readFileSync(join(dir, 'seal.p12'))),
  };
}

describe('demo keys', () => {
  const config = () => ({ dataDir: join(tmp.dir, 'demo') });

  test('a demo root and one P-256 seal per agency; keys encrypted (PBES2) and readable by the owner only', async () => {
    const made = await ensureDemoKeys(config(), [DEMO_AGENCY, { id: 'drugi-grad', name: 'Градска управа Други Град' }]);
    assert.deepEqual(made, { root: true, seals: [DEMO_AGENCY.id, 'drugi-grad'] });
    assert.deepEqual(await ensureDemoKeys(config(), [DEMO_AGENCY]), { root: false, seals: [] }, 'a second run keeps what exists');
    const keyFile = sealKeyPath(config(), DEMO_AGENCY.id);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(statSync(join(config().dataDir, 'keys')).mode & 0o777, 0o700);
    assert.match(readFileSync(keyFile, 'utf8'), /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const parsed = await openssl(tmp.dir, 'asn1parse', '-in', keyFile);
    assert.match(parsed, /PBES2/);
    assert.match(parsed, /hmacWithSHA256/);
    assert.match(parsed, /aes-256-cbc/);
    const withPass = await tool('openssl', ['pkey', '-in', keyFile, '-passin', `pass:${DEMO_PASSPHRASE}`, '-noout', '-text']);
    assert.equal(withPass.code, 0, withPass.stderr);
    assert.match(withPass.stdout, /NIST CURVE: P-256/);
    assert.notEqual((await tool('openssl', ['pkey', '-in', keyFile, '-passin', 'pass:wrong', '-noout'])).code, 0);
  });

  test('certificates: one attribute per RDN (as OpenSSL prints them), CA and key usages right, the chain verifies', async () => {
    const chainPem = readFileSync(sealChainPath(config(), 'drugi-grad'), 'utf8');
    const [seal, root] = certificatesFromPem(chainPem) as [Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>];
    const text = await opensslX509Text(tmp.dir, chainPem);
    assert.match(text, /Subject: C = RS, O = Градска управа Други Град, OU = Overa demo seal, CN = Градска управа Други Град/);
    assert.match(text, /Issuer: C = RS, O = Overa demo \(not for production\), CN = Overa Demo Root CA/);
    assert.doesNotMatch(text, / \+ /, 'no multi-valued RDN');
    assert.match(text, /Key Usage: critical\s+Digital Signature, Non Repudiation/);
    assert.match(text, /CA:FALSE/);
    const rootText = await opensslX509Text(tmp.dir, readFileSync(demoRootCertPath(config()), 'utf8'));
    assert.match(rootText, /CA:TRUE/);
    assert.match(rootText, /Certificate Sign, CRL Sign/);
    for (const der of [seal, root]) {
      const c = pkijs.Certificate.fromBER(der);
      assert.deepEqual(rdnSizes(c.subject), rdnSizes(c.subject).map(() => 1));
    }
    writeFileSync(join(tmp.dir, 'seal.pem'), chainPem.split(/(?<=-----END CERTIFICATE-----\n)/)[0]!);
    const verified = await tool('openssl', ['verify', '-CAfile', demoRootCertPath(config()), join(tmp.dir, 'seal.pem')]);
    assert.equal(verified.code, 0, verified.stderr);
  });

  test('a key other users can read is refused; a wrong passphrase says so', async () => {
    const seal = await loadSeal(config(), DEMO_AGENCY.id);
    assert.equal(seal.chain.length, 2);
    await assert.rejects(loadSeal({ ...config(), keyPassphrase: 'not-the-one' }, DEMO_AGENCY.id), (e: Error) => e instanceof KeyError && /wrong OVERA_KEY_PASSPHRASE/.test(e.message));
    const file = sealKeyPath(config(), 'drugi-grad');
    chmodSync(file, 0o644);
    try {
      await assert.rejects(loadSeal(config(), 'drugi-grad'), (e: Error) => e instanceof KeyError && /chmod 600/.test(e.message));
    } finally {
      chmodSync(file, 0o600);
    }
    await assert.rejects(loadSeal(config(), 'nema-je'), (e: Error) => e instanceof KeyError && /overa keys import --agency nema-je/.test(e.message));
  });

  test('a key that is not the seal certificate\'s (what a running server sees between the two files of an import) is refused, not used to seal', async () => {
    await ensureDemoKeys(config(), [DEMO_AGENCY, { id: 'drugi-grad', name: 'Градска управа Други Град' }]);
    // An import replaces the key file, then the chain file: in between, a new key with the old chain.
    const key = sealKeyPath(config(), DEMO_AGENCY.id);
    const before = readFileSync(key);
    writeFileSync(key, readFileSync(sealKeyPath(config(), 'drugi-grad')), { mode: 0o600 });
    try {
      await assert.rejects(loadSeal(config(), DEMO_AGENCY.id), (e: Error) => e instanceof KeyError && /not the key of the seal certificate/.test(e.message));
    } finally {
      writeFileSync(key, before, { mode: 0o600 });
    }
    // Whole again: loaded (a refusal is not cached).
    assert.equal((await loadSeal(config(), DEMO_AGENCY.id)).agencyId, DEMO_AGENCY.id);
  });
});

describe('importing a seal from a real certificate authority', () => {
  const dataDir = () => join(tmp.dir, 'import');
  const config = () => ({ dataDir: dataDir(), keyPassphrase: PASSPHRASE });
  let ec: Awaited<ReturnType<typeof makeCa>>;

  before(async () => {
    ec = await makeCa('Test EC', 'ec');
  });

  test('PEM key and chain: stored in chain order, key re-encrypted with OVERA_KEY_PASSPHRASE, root published as trust anchor', async () => {
    // The chain may come in any order.
    const shuffled = ec.rootPem + ec.chainPem.split(/(?<=-----END CERTIFICATE-----\n)/).reverse().join('');
    const result = await importSealKey(config(), DEMO_AGENCY.id, { keyPem: ec.keyPem, chainPem: shuffled });
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.chain.map((c) => c.subject), [
      'CN=Gradska uprava Novi Primer, organizationIdentifier=VATRS-100000000, O=Gradska uprava Novi Primer, C=RS',
      'CN=Test EC Issuing CA, O=Test EC CA, C=RS',
      'CN=Test EC Root, O=Test EC CA, C=RS',
    ]);
    const keyFile = sealKeyPath(config(), DEMO_AGENCY.id);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal((await tool('openssl', ['pkey', '-in', keyFile, '-passin', `pass:${PASSPHRASE}`, '-noout'])).code, 0);
    assert.notEqual((await tool('openssl', ['pkey', '-in', keyFile, '-passin', `pass:${DEMO_PASSPHRASE}`, '-noout'])).code, 0);
    const seal = await loadSeal(config(), DEMO_AGENCY.id);
    assert.equal(seal.chain.length, 3);
    assert.deepEqual(trustAnchors(config(), [DEMO_AGENCY.id]).map((a) => a.subject), ['CN=Test EC Root, O=Test EC CA, C=RS']);
  });

  test('PKCS#12 (OpenSSL 3 defaults) with its password', async () => {
    const result = await importSealKey(config(), 'drugi-grad', { p12: ec.p12, importPassphrase: 'p12-lozinka' });
    assert.equal(result.chain.length, 2, 'the seal and the intermediate the file holds');
    assert.match(result.warnings[0] ?? '', /Test EC Issuing CA.*published as the trust anchor/);
    await assert.rejects(importSealKey(config(), 'drugi-grad', { p12: ec.p12, importPassphrase: 'pogrešna' }), KeyError);
    // Adding the root from a PEM file completes the chain.
    const full = await importSealKey(config(), 'drugi-grad', { p12: ec.p12, importPassphrase: 'p12-lozinka', chainPem: ec.rootPem });
    assert.deepEqual(full.warnings, []);
    assert.equal(full.chain.length, 3);
  });

  test('refusals: no passphrase of our own, a key that is not the certificate\'s, a CA certificate, no signing usage, an expired or broken chain', async () => {
    const refuses = (input: Parameters<typeof importSealKey>[2], pattern: RegExp, cfg: { dataDir: string; keyPassphrase?: string } = config()) =>
      assert.rejects(importSealKey(cfg, 'drugi-grad', input), (e: Error) => e instanceof KeyError && pattern.test(e.message));
    await refuses({ keyPem: ec.keyPem, chainPem: ec.chainPem }, /set OVERA_KEY_PASSPHRASE/, { dataDir: dataDir() });
    await refuses({ keyPem: ec.intKeyPem, chainPem: ec.rootPem + ec.chainPem.split(/(?<=-----END CERTIFICATE-----\n)/)[0]! }, /no certificate in the chain belongs to the private key/);
    await refuses({ keyPem: ec.intKeyPem, chainPem: ec.intPem + ec.rootPem }, /CA certificate/);
    const encipher = await makeCa('No signing', 'ec', 'basicConstraints=critical,CA:false\nkeyUsage=critical,keyEncipherment\n');
    await refuses({ keyPem: encipher.keyPem, chainPem: encipher.chainPem }, /may not sign documents/);
    // Another CA with the very same names: the seal's issuer looks right but did not sign it.
    const twin = await makeCa('Test EC', 'ec', undefined, 'twin');
    await refuses({ keyPem: ec.keyPem, chainPem: ec.chainPem.split(/(?<=-----END CERTIFICATE-----\n)/)[0]! + twin.intPem + twin.rootPem }, /certificate 1 of the chain is not signed by certificate 2/);
    await assert.rejects(importSealKey(config(), 'drugi-grad', { keyPem: ec.keyPem, chainPem: ec.chainPem }, Date.now() + 400 * 86_400_000), /not valid now/);
    await refuses({ keyPem: 'not a key', chainPem: ec.chainPem }, /cannot read the private key/);
    await refuses({ keyPem: ec.keyPem }, /PEM key and a PEM chain/);
  });
});

describe('an imported RSA seal on an issued document', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES, OVERA_KEY_PASSPHRASE: PASSPHRASE, OVERA_TEST_DEMO_KEYS: 'no' });
    await seedDemo(server.db, Date.now());
  });
  after(() => server.close());

  test('pdfsig trusts it with the CA\'s root; openssl cms -verify accepts sha256WithRSAEncryption; GET /trust publishes that root', async () => {
    const rsa = await makeCa('Test RSA', 'rsa');
    await importSealKey(server.config, DEMO_AGENCY.id, { keyPem: rsa.keyPem, chainPem: rsa.chainPem });
    const ana = await registerAccount(server, 'Ana Anić');
    const data = { firstName: 'Ana', lastName: 'Anić', jmbg: JMBG, street: 'Bulevar oslobođenja 12', place: 'Novi Primer', postalCode: '21000', purpose: 'bank', delivery: 'online' };
    const draft = await server.api<{ id: string; version: number }>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data } });
    assert.equal(draft.status, 201);
    const submitted = await server.api<{ version: number }>('POST', `/api/v1/applications/${draft.body.id}/submit`, { token: ana.token, body: {} });
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    // Approved through the database module, as the workflow would leave it.
    assert.ok(await applications.update(server.db, draft.body.id, submitted.body.version, { status: 'approved', updatedAt: Date.now() }));
    const doc = await server.db.transaction((trx) => issueDocument(server.app.deps, trx, draft.body.id));
    const pdf = new Uint8Array((await server.db('documents').where({ id: doc.id }).first('pdf')).pdf as Buffer);

    const trust = await (await fetch(`${server.url}/api/v1/trust?format=pem`)).text();
    assert.equal(trust, rsa.rootPem.replace(/\r/g, ''));
    const sig = await pdfsig(tmp.dir, pdf, await nssDatabase(tmp.dir, trust));
    assert.ok(sig.valid && sig.trusted, sig.stdout + sig.stderr);
    const { cms, signed } = signedParts(pdf);
    const verified = await opensslCmsVerify(tmp.dir, cms, signed, rsa.rootPem);
    assert.equal(verified.code, 0, verified.stderr);
    const printed = await opensslCmsPrint(tmp.dir, cms);
    assert.match(printed, /algorithm: sha256WithRSAEncryption/);
    assert.equal((printed.match(/cert_info:/g) ?? []).length, 3, 'seal, intermediate and root');
    assert.deepEqual(checkSigningCertificateV2(cms), { ok: true });
  });
});

describe('overa CLI: init, start --demo, keys show, keys import', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    dir = join(tmp.dir, 'cli');
    env = { PATH: process.env.PATH, HOME: process.env.HOME, OVERA_DATA_DIR: join(dir, 'data'), OVERA_LOG_LEVEL: 'silent' };
  });

  async function overa(...args: string[]) {
    try {
      const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { env, cwd: tmp.dir });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  test('init makes the demo root and seal and says which passphrase protects them; start --demo on a fresh folder does the same', async () => {
    // Both processes at once: each CLI start costs a second or more of TypeScript loading.
    const fresh = join(tmp.dir, 'fresh');
    const child = spawn(process.execPath, [BIN, 'start', '--demo'], { env: { ...env, OVERA_DATA_DIR: fresh, PORT: '0', OVERA_LOG_LEVEL: 'warn' }, cwd: tmp.dir });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready: ${out}`)), 30_000);
      child.stdout.on('data', () => {
        if (/Stop with Ctrl\+C/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const init = await overa('init');
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /demo root CA created/);
    assert.match(init.stdout, /demo seal key and certificate created for agency "novi-primer"/);
    assert.match(init.stdout, /OVERA_KEY_PASSPHRASE is not set/);
    assert.ok(existsSync(join(dir, 'data', 'keys', 'agencies', 'novi-primer', 'seal.key.pem')));

    await started;
    child.kill('SIGTERM');
    await once(child, 'exit');
    // Said in words in the start banner, once, and not again as JSON log lines under it.
    const words = out.replace(/\s+/g, ' ');
    assert.match(words, /Seal: demo seal keys created in \S+keys \(a demo root CA, not for real documents\)\./);
    assert.match(words, /OVERA_KEY_PASSPHRASE is not set: seal keys are encrypted with the fixed, public demo passphrase\./);
    assert.equal(out.match(/OVERA_KEY_PASSPHRASE/g)?.length, 2, 'said once (the sentence names the setting twice)');
    assert.doesNotMatch(out, /^\{"level"/m, 'no JSON log line');
    assert.ok(existsSync(join(fresh, 'keys', 'agencies', 'novi-primer', 'seal.chain.pem')));
  });

  test('keys show --pem, keys import from PEM files and from PKCS#12, and clear errors (in process)', async () => {
    const testDb = await createTestDb({ OVERA_TEST_DEMO_KEYS: 'no' });
    try {
      await seedDemo(testDb.db, Date.now());
      const keys = async (extra: Partial<typeof testDb.config>, args: string[], options: KeysOptions = {}) => {
        let stdout = '';
        let stderr = '';
        const code = await keysCommand({ ...testDb.config, ...extra }, testDb.db, args, options, { write: (t: string) => (stdout += t) }, { write: (t: string) => (stderr += t) });
        return { code, stdout, stderr };
      };
      // The demo root, and a seal for each demo agency (the city, and the land registry it sends permits to).
      assert.equal((await initSeals(testDb.config, testDb.db)).length, 4);
      const shown = await keys({}, ['show']);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /Trust anchors \(published at GET \/api\/v1\/trust\):\n {2}subject {3}CN=Overa Demo Root CA/);
      assert.match(shown.stdout, /novi-primer \(Gradska uprava Novi Primer\)\n {4}seal certificate\n {6}subject {3}CN=Gradska uprava Novi Primer, OU=Overa demo seal/);
      assert.match(shown.stdout, /SHA-256 {3}([0-9A-F]{2}:){31}[0-9A-F]{2}/);
      assert.match(shown.stdout, /key {7}decrypts with the configured passphrase/);
      assert.match(shown.stdout, /Key passphrase: the public demo passphrase/);
      assert.match((await keys({}, ['show'], { pem: true })).stdout, /-----BEGIN CERTIFICATE-----/);
      assert.match((await keys({ keyPassphrase: 'drugačija' }, ['show'])).stdout, /key {7}UNUSABLE: cannot decrypt/);
      assert.equal((await keys({}, ['rotate'])).code, 2);

      const ca = await makeCa('CLI', 'ec');
      writeFileSync(join(ca.dir, 'chain.pem'), ca.chainPem);
      const usage = await keys({ keyPassphrase: PASSPHRASE }, ['import'], { agency: 'novi-primer' });
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /--p12 FILE, or --key FILE and --chain FILE/);
      const demo = await keys({}, ['import'], { agency: 'novi-primer', key: join(ca.dir, 'seal.key'), chain: join(ca.dir, 'chain.pem') });
      assert.equal(demo.code, 1);
      assert.match(demo.stderr, /set OVERA_KEY_PASSPHRASE first/);
      const nobody = await keys({ keyPassphrase: PASSPHRASE }, ['import'], { agency: 'nema', p12: join(ca.dir, 'seal.p12') });
      assert.equal(nobody.code, 1);
      assert.match(nobody.stderr, /no agency "nema"/);
      const missing = await keys({ keyPassphrase: PASSPHRASE }, ['import'], { agency: 'novi-primer', key: join(ca.dir, 'nope.key'), chain: join(ca.dir, 'chain.pem') });
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /ENOENT/);

      const pem = await keys({ keyPassphrase: PASSPHRASE }, ['import'], { agency: 'novi-primer', key: join(ca.dir, 'seal.key'), chain: join(ca.dir, 'chain.pem') });
      assert.equal(pem.code, 0, pem.stderr);
      assert.match(pem.stdout, /seal of agency "novi-primer" imported/);
      assert.match(pem.stdout, /CN=CLI Root/);

      process.env.OVERA_IMPORT_PASSPHRASE = 'p12-lozinka';
      try {
        const p12 = await keys({ keyPassphrase: PASSPHRASE }, ['import'], { agency: 'novi-primer', p12: join(ca.dir, 'seal.p12') });
        assert.equal(p12.code, 0, p12.stderr);
        assert.match(p12.stderr, /warning: .*published as the trust anchor/);
      } finally {
        delete process.env.OVERA_IMPORT_PASSPHRASE;
      }
      const show = await keys({ keyPassphrase: PASSPHRASE }, ['show']);
      assert.match(show.stdout, /CN=CLI Issuing CA/);
      assert.match(show.stdout, /from OVERA_KEY_PASSPHRASE/);
    } finally {
      await testDb.drop();
    }
  });
});

describe('a running server picks up a seal imported while it runs', () => {
  test('overa keys import (a process) while overa start runs: the next document is sealed with the new key and GET /trust publishes its root, no restart', { timeout: 300_000 }, async () => {
    const t = await createTestDb({ OVERA_KEY_PASSPHRASE: PASSPHRASE });
    let server: ChildServer | undefined;
    try {
      await seedDemo(t.db, Date.now());
      const env = await childEnv(t, { OVERA_FORMS_DIR: EXAMPLES, OVERA_ORIGINS: TEST_ORIGIN, OVERA_KEY_PASSPHRASE: PASSPHRASE });
      server = await startChildServer(env);
      const base = server.url;
      const call = async <T>(method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
        const res = await fetch(base + path, {
          method,
          headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        return { status: res.status, headers: res.headers, body: (text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text) as T };
      };
      const ok = <T>(res: { status: number; body: T }, status = 200): T => {
        assert.equal(res.status, status, JSON.stringify(res.body));
        return res.body;
      };
      const register = async (name: string, invite?: string) => {
        const authenticator = new SoftAuthenticator(TEST_ORIGIN);
        const options = ok(await call<{ flowId: string; publicKey: PublicKeyCredentialCreationOptionsJSON }>('POST', '/api/v1/auth/register/options', undefined, invite ? { displayName: name, inviteCode: invite } : { displayName: name }));
        const credential = await authenticator.create(options.publicKey);
        const session = ok(await call<{ token: string }>('POST', '/api/v1/auth/register/verify', undefined, { flowId: options.flowId, credential }), 201);
        return { token: session.token, authenticator };
      };
      type Person = Awaited<ReturnType<typeof register>>;
      const decide = async (who: Person, id: string, step: string, decision: string) => {
        const options = ok(await call<{ flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }>('POST', '/api/v1/signatures/options', who.token, { subject: { type: 'decision', id: `${id}:${step}` }, action: decision }));
        const credential = await who.authenticator.get(options.publicKey);
        const signatureId = ok(await call<{ id: string }>('POST', '/api/v1/signatures', who.token, { flowId: options.flowId, credential }), 201).id;
        const current = await call('GET', `/api/v1/cases/${id}`, who.token);
        ok(current);
        return ok(await call<{ status: string }>('POST', `/api/v1/cases/${id}/decisions`, who.token, { step, decision, signatureId }, { 'If-Match': current.headers.get('etag') ?? '' }));
      };
      const now = Date.now();
      const ana = await register('Ana Anić');
      const clerk = await register('Petar Službenik', await createInvite(t.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, now));
      const head = await register('Milan Načelnik', await createInvite(t.db, { agencyId: DEMO_AGENCY.id, roles: ['head'] }, now));
      /** A document issued by the running server: applied, reviewed, approved through its API. */
      const issue = async () => {
        const draft = ok(await call<{ id: string }>('POST', '/api/v1/applications', ana.token, { formId: 'certificate-of-residence', formVersion: 1, data: residence() }), 201);
        ok(await call('POST', `/api/v1/applications/${draft.id}/submit`, ana.token, {}));
        await decide(clerk, draft.id, 'review', 'review');
        assert.equal((await decide(head, draft.id, 'approve', 'approve')).status, 'issued');
        const app = ok(await call<{ documentId: string }>('GET', `/api/v1/applications/${draft.id}`, ana.token));
        const doc = ok(await call<{ seal: { certificateSha256: string } }>('GET', `/api/v1/documents/${app.documentId}`, ana.token));
        const pdf = await fetch(`${base}/api/v1/documents/${app.documentId}/pdf`, { headers: { Authorization: `Bearer ${ana.token}` } });
        assert.equal(pdf.status, 200);
        return { fingerprint: doc.seal.certificateSha256, pdf: new Uint8Array(await pdf.arrayBuffer()) };
      };
      const trustPem = async () => ok(await call<string>('GET', '/api/v1/trust?format=pem'));
      const fingerprintOf = (pem: string) => createHash('sha256').update(certificatesFromPem(pem)[0]!).digest('hex');

      // Before: the demo seal.
      const demoSeal = fingerprintOf(readFileSync(sealChainPath(t.config, DEMO_AGENCY.id), 'utf8'));
      const first = await issue();
      assert.equal(first.fingerprint, demoSeal);
      const ca = await makeCa('Running', 'ec', undefined, 'running-ca');
      assert.ok(!(await trustPem()).includes(certBody(ca.rootPem)));

      // The import, by the CLI as its own process, while the server runs.
      writeFileSync(join(ca.dir, 'chain.pem'), ca.chainPem);
      const imported = await overaCli(['keys', 'import', '--agency', DEMO_AGENCY.id, '--key', join(ca.dir, 'seal.key'), '--chain', join(ca.dir, 'chain.pem')], env, tmp.dir);
      assert.equal(imported.code, 0, imported.stderr);
      assert.match(imported.stdout, /seal of agency "novi-primer" imported/);

      // After, the same server process: the new root is published and the next document carries the new seal.
      assert.ok((await trustPem()).includes(certBody(ca.rootPem)), 'GET /trust publishes the imported root');
      const second = await issue();
      const newSeal = fingerprintOf(ca.chainPem);
      assert.equal(second.fingerprint, newSeal);
      assert.notEqual(newSeal, demoSeal);
      const { cms, signed } = signedParts(second.pdf);
      const verified = await opensslCmsVerify(tmp.dir, cms, signed, ca.rootPem);
      assert.equal(verified.code, 0, verified.stderr);
      const firstParts = signedParts(first.pdf);
      assert.notEqual((await opensslCmsVerify(tmp.dir, firstParts.cms, firstParts.signed, ca.rootPem)).code, 0, 'the first document is the demo seal\'s');
      assert.equal(server.child.exitCode, null, 'no restart');
    } finally {
      await server?.stop();
      await t.drop();
    }
  });
});

/** A PEM certificate's base64 body on one line, to find it in a PEM bundle whatever its line ends. */
function certBody(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----|\s/g, '').slice(0, 64);
}
