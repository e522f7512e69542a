/**
 * Seal keys in a PKCS#11 token (issue 18, item 1), against a real token: SoftHSM2 in a temp
 * folder, a P-256 and an RSA-2048 key generated inside it by OpenSC's pkcs11-tool, certificates
 * for them from an OpenSSL test CA. Documents are sealed by the token through the real issuance
 * flow and checked by pdfsig (NSS trusting the test root), `openssl cms -verify` and Overa's own
 * verifier. A token that is missing or locked stops `overa start` with one sentence naming the
 * setting, and issuance fails closed (no document row, no audit entry, the application stays
 * approved). The CLI (`keys import --pkcs11`, `keys show`) is tested in process and as a process.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { createTestDb, startTestServer, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { childEnv, overaCli, startChildServer } from '../helpers/child-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { nssDatabase, opensslCmsPrint, opensslCmsVerify, pdfsig, run, signedParts, tempDir } from '../helpers/pdf-tools.ts';
import { assertProblem } from '../helpers/problems.ts';
import * as graphene from 'graphene-pk11';
import { createSoftHsm, createTestCa, type SoftHsm, type TestCa } from '../helpers/softhsm.ts';
import { residence } from '../helpers/sample-data.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { agencies } from '../../server/db/agencies.ts';
import { applications } from '../../server/db/applications.ts';
import { issueDocument } from '../../server/services/documents.ts';
import {
  KeyError, createKeyStore, ensureDemoKeys, sealBindingPath, sealChainPath, sealKeyPath, sealLocation,
} from '../../server/documents/keys.ts';
import { certificatesFromPem, sha256Hex } from '../../server/documents/certificates.ts';
import { checkSigningCertificateV2, createCms } from '../../server/documents/seal.ts';
import { keysCommand, type KeysOptions } from '../../server/documents/cli.ts';
import { verifyDocument } from '../../components/core/pdf/verify-document.ts';
import { loadConfig } from '../../server/config.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const TOKEN = 'overa-seal';
const PIN = '4711-seal';
const AGENCY = DEMO_AGENCY.id;
const OTHER = { id: 'drugi-grad', name: 'Gradska uprava Drugi Grad' };

let tmp: ReturnType<typeof tempDir>;
let hsm: SoftHsm;
let ca: TestCa;
let ecCert: string;
let rsaCert: string;
let server: TestServer;
let nss: string;
let clerk: Account;
let head: Account;
let ana: Account;

before(async () => {
  tmp = tempDir('overa-pkcs11-');
  hsm = createSoftHsm(join(tmp.dir, 'hsm'));
  await hsm.initToken(TOKEN, PIN);
  const ecPublic = await hsm.generateKey(TOKEN, PIN, 'seal-ec', '01', 'EC:prime256v1');
  const rsaPublic = await hsm.generateKey(TOKEN, PIN, 'seal-rsa', '02', 'rsa:2048');
  ca = await createTestCa(join(tmp.dir, 'ca'), 'Test HSM CA');
  ecCert = await ca.issue('Gradska uprava Novi Primer', ecPublic);
  rsaCert = await ca.issue('Gradska uprava Novi Primer', rsaPublic);
  // The EC seal's certificate and its CA certificates live in the token; the RSA one's come from a file.
  await hsm.writeCertificate(TOKEN, PIN, 'seal-ec', '01', ecCert);
  await hsm.writeCertificate(TOKEN, PIN, 'issuing-ca', 'a1', ca.intPem);
  await hsm.writeCertificate(TOKEN, PIN, 'root-ca', 'a2', ca.rootPem);

  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES, OVERA_PKCS11_MODULE: hsm.module, OVERA_PKCS11_PIN: PIN });
  const now = Date.now();
  await seedDemo(server.db, now);
  await agencies.upsert(server.db, { ...OTHER, created_at: now });
  await ensureDemoKeys(server.config, [DEMO_AGENCY, OTHER]);
  nss = await nssDatabase(tmp.dir, ca.rootPem);
  ana = await registerAccount(server, 'Ana Anić');
  clerk = await registerAccount(server, 'Petar Službenik', await createInvite(server.db, { agencyId: AGENCY, roles: ['clerk'] }, now));
  head = await registerAccount(server, 'Јелена Начелник', await createInvite(server.db, { agencyId: AGENCY, roles: ['head'] }, now));
});
after(async () => {
  await server?.close();
  tmp?.remove();
});

function ok<T>(res: ApiResponse<T>, status = 200): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

/** A passkey signature by `who`, through the real API. */
async function sign(who: Account, subject: { type: string; id: string }, action: string): Promise<string> {
  const options = ok(await server.api<{ flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }>('POST', '/api/v1/signatures/options', { token: who.token, body: { subject, action } }));
  const credential = await who.authenticator.get(options.publicKey);
  return ok(await server.api<{ id: string }>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: options.flowId, credential } }), 201).id;
}

/** A signed decision by an official, through the workflow API; returns the answer's status and body. */
async function decide(who: Account, appId: string, step: string, decision: string): Promise<ApiResponse> {
  const signatureId = await sign(who, { type: 'decision', id: `${appId}:${step}` }, decision);
  const current = await server.api('GET', `/api/v1/cases/${appId}`, { token: who.token });
  ok(current);
  return server.api('POST', `/api/v1/cases/${appId}/decisions`, {
    token: who.token, headers: { 'If-Match': current.headers.get('etag') ?? '' }, body: { step, decision, signatureId },
  });
}

/** Ana applies (signed) and the clerk reviews: the application waits for the head's approval. */
async function reviewedApplication(): Promise<string> {
  const draft = ok(await server.api<{ id: string }>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data: residence() } }), 201);
  const signatureId = await sign(ana, { type: 'application', id: draft.id }, 'submit');
  ok(await server.api('POST', `/api/v1/applications/${draft.id}/submit`, { token: ana.token, body: { signatureId } }));
  ok(await decide(clerk, draft.id, 'review', 'review'));
  return draft.id;
}

/** The head's approval, which issues the document in its own transaction (the real flow); returns the stored PDF. */
async function approveAndFetch(appId: string): Promise<{ pdf: Uint8Array; sealCertificateSha256: string }> {
  ok(await decide(head, appId, 'approve', 'approve'));
  const doc = await server.db('documents').where({ application_id: appId }).first();
  assert.ok(doc, 'a document was issued');
  return { pdf: new Uint8Array(doc.pdf as Buffer), sealCertificateSha256: doc.seal_certificate_sha256 as string };
}

async function keys(args: string[], options: KeysOptions = {}, config = server.config) {
  let stdout = '';
  let stderr = '';
  const code = await keysCommand(config, server.db, args, options, { write: (t: string) => (stdout += t) }, { write: (t: string) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Every independent check of a sealed PDF: pdfsig (trusted), openssl cms -verify, Overa's verifier. */
async function assertSealedBy(pdf: Uint8Array, certPem: string, signatureAlgorithm: RegExp): Promise<void> {
  const sig = await pdfsig(tmp.dir, pdf, nss);
  assert.ok(sig.valid && sig.trusted, sig.stdout + sig.stderr);
  const { cms, signed } = signedParts(pdf);
  const verified = await opensslCmsVerify(tmp.dir, cms, signed, ca.rootPem);
  assert.equal(verified.code, 0, verified.stderr);
  const printed = await opensslCmsPrint(tmp.dir, cms);
  assert.match(printed, signatureAlgorithm);
  assert.equal((printed.match(/cert_info:/g) ?? []).length, 3, 'seal, issuing CA and root');
  assert.deepEqual(checkSigningCertificateV2(cms), { ok: true });
  // The seal certificate in the CMS is the one the CA issued for the token's key.
  const certFile = join(tmp.dir, `cert-${sha256Hex(certificatesFromPem(certPem)[0]!)}.pem`);
  writeFileSync(certFile, certPem);
  const serial = (await run('openssl', ['x509', '-noout', '-serial', '-in', certFile])).stdout.trim().replace(/^serial=/, '');
  assert.ok(serial && printed.toUpperCase().replace(/:/g, '').includes(serial.toUpperCase()), `serial ${serial} in the CMS`);
  const report = await verifyDocument(pdf, { trustAnchors: [ca.rootPem] });
  assert.equal(report.indication, 'TOTAL_PASSED', JSON.stringify(report));
}

describe('seal keys in a PKCS#11 token (SoftHSM2)', () => {
  test('keys import --pkcs11 binds an agency to the EC key and the chain stored in the token; keys show says where each key lives', async () => {
    const imported = await keys(['import'], { agency: AGENCY, pkcs11: `${TOKEN}:seal-ec` });
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(imported.stderr, '', 'the chain from the token is whole: no warning');
    assert.match(imported.stdout, new RegExp(`seal of agency "${AGENCY}" bound to PKCS#11 token "${TOKEN}", key "seal-ec"`));
    assert.match(imported.stdout, /CA certificate 2\n {4}subject {3}CN=Test HSM CA Root/);
    assert.deepEqual(JSON.parse(readFileSync(sealBindingPath(server.config, AGENCY), 'utf8')), { token: TOKEN, key: 'seal-ec' });
    assert.equal(existsSync(sealKeyPath(server.config, AGENCY)), false, 'the key file of before is gone: the key is the token\'s');
    const chain = certificatesFromPem(readFileSync(sealChainPath(server.config, AGENCY), 'utf8'));
    assert.deepEqual(chain.map(sha256Hex), [ecCert, ca.intPem, ca.rootPem].map((pem) => sha256Hex(certificatesFromPem(pem)[0]!)));
    assert.deepEqual(sealLocation(server.config, AGENCY), { kind: 'pkcs11', token: TOKEN, key: 'seal-ec' });

    const shown = await keys(['show']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(`${AGENCY} \\(Gradska uprava Novi Primer\\)\\n[\\s\\S]*?key in {4}PKCS#11 token "${TOKEN}", key "seal-ec" \\(never leaves the token\\)\\n {4}key {7}found in the token, and signs for the seal certificate`));
    assert.match(shown.stdout, new RegExp(`${OTHER.id} \\(${OTHER.name}\\)\\n[\\s\\S]*?key in {4}file \\S+/agencies/${OTHER.id}/seal\\.key\\.pem\\n {4}key {7}decrypts with the configured passphrase`));
    assert.match(shown.stdout, /PKCS#11 module: \S+libsofthsm2\.so \(OVERA_PKCS11_MODULE\), PIN from OVERA_PKCS11_PIN/);
    // GET /trust publishes the test CA's root, from the chain stored at import.
    const trust = await (await fetch(`${server.url}/api/v1/trust?format=pem`)).text();
    assert.ok(trust.includes(ca.rootPem.trim().split('\n')[1]!), trust);
  });

  test('the approval issues a document sealed by the token (P-256): pdfsig, openssl cms -verify and Overa\'s verifier accept it', async () => {
    const seal = await server.app.deps.keys.seal(AGENCY);
    assert.deepEqual(seal.location, { kind: 'pkcs11', token: TOKEN, key: 'seal-ec' });
    assert.equal(seal.privateKey.extractable, false);
    const appId = await reviewedApplication();
    const { pdf, sealCertificateSha256 } = await approveAndFetch(appId);
    assert.equal(sealCertificateSha256, sha256Hex(certificatesFromPem(ecCert)[0]!));
    await assertSealedBy(pdf, ecCert, /algorithm: ecdsa-with-SHA256/);
  });

  test('overa keys import --pkcs11 TOKEN:KEY --chain FILE (a process) binds the RSA key; the running server seals with it at the next issuance', { timeout: 120_000 }, async () => {
    const chainFile = join(tmp.dir, 'rsa-chain.pem');
    writeFileSync(chainFile, rsaCert + ca.intPem + ca.rootPem);
    const env = await childEnv(server, { SOFTHSM2_CONF: hsm.conf, OVERA_PKCS11_MODULE: hsm.module, OVERA_PKCS11_PIN: PIN });
    const r = await overaCli(['keys', 'import', '--agency', AGENCY, '--pkcs11', `${TOKEN}:seal-rsa`, '--chain', chainFile], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`bound to PKCS#11 token "${TOKEN}", key "seal-rsa"`));
    assert.match(r.stdout, /key {7}RSA 2048/);
    const [shown, help] = await Promise.all([overaCli(['keys', 'show'], env), overaCli(['--help'], env)]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(`key in {4}PKCS#11 token "${TOKEN}", key "seal-rsa" \\(never leaves the token\\)\\n {4}key {7}found in the token, and signs for the seal certificate`));
    assert.match(shown.stdout, /subject {3}CN=Gradska uprava Novi Primer, O=Gradska uprava Novi Primer, C=RS\n[\s\S]*?key {7}RSA 2048/);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /overa keys import --agency A --pkcs11 TOKEN:KEY \[--chain FILE\]/);
    assert.match(help.stdout, /OVERA_PKCS11_MODULE/);
    assert.match(help.stdout, /OVERA_PKCS11_PIN/);

    const appId = await reviewedApplication();
    const { pdf, sealCertificateSha256 } = await approveAndFetch(appId);
    assert.equal(sealCertificateSha256, sha256Hex(certificatesFromPem(rsaCert)[0]!));
    await assertSealedBy(pdf, rsaCert, /algorithm: sha256WithRSAEncryption/);
  });

  test('seals made at the same time through one token session are queued, and each verifies', async () => {
    const seal = await server.app.deps.keys.seal(AGENCY);
    const contents = Array.from({ length: 6 }, (_, i) => new TextEncoder().encode(`document ${i} ${'x'.repeat(i * 100)}`));
    // Without the queue the second C_SignInit on the session meets the first signature still running (CKR_OPERATION_ACTIVE).
    const signatures = await Promise.all(contents.map((c) => createCms(new Uint8Array(createHash('sha256').update(c).digest()), seal)));
    for (const [i, cms] of signatures.entries()) {
      const verified = await opensslCmsVerify(tmp.dir, cms, contents[i]!, ca.rootPem);
      assert.equal(verified.code, 0, verified.stderr);
    }
  });

  test('import refusals: a key that is not there, a chain that is not the key\'s, a malformed --pkcs11, no module', async () => {
    const missing = await keys(['import'], { agency: OTHER.id, pkcs11: `${TOKEN}:no-such-key` });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, new RegExp(`PKCS#11 token "${TOKEN}" holds no private key labelled "no-such-key"`));
    // The RSA key with the EC certificate only (the token's certificates are the EC seal's and its CAs).
    const wrong = await keys(['import'], { agency: OTHER.id, pkcs11: `${TOKEN}:seal-rsa` });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /no certificate in PKCS#11 token "overa-seal" belongs to the key "seal-rsa"/);
    const malformed = await keys(['import'], { agency: OTHER.id, pkcs11: 'no-colon' });
    assert.equal(malformed.code, 1);
    assert.match(malformed.stderr, /--pkcs11 "no-colon" is not TOKEN-LABEL:KEY-LABEL/);
    const both = await keys(['import'], { agency: OTHER.id, pkcs11: `${TOKEN}:seal-ec`, p12: 'x.p12' });
    assert.equal(both.code, 2);
    const noModule = await keys(['import'], { agency: OTHER.id, pkcs11: `${TOKEN}:seal-ec` }, { ...server.config, pkcs11Module: undefined } as typeof server.config);
    assert.equal(noModule.code, 1);
    assert.match(noModule.stderr, /OVERA_PKCS11_MODULE is not set/);
    // Nothing was bound: the other agency keeps its key file.
    assert.deepEqual(sealLocation(server.config, OTHER.id), { kind: 'file', path: sealKeyPath(server.config, OTHER.id) });
  });

  test('a wrong PIN: issuance fails closed (503, no document, no audit entry, still approved) and works again once fixed', async () => {
    const pin = server.config.pkcs11Pin;
    // PKCS#11 login belongs to the process: close the sessions so that the wrong PIN is really tried.
    server.app.deps.keys.close();
    server.config.pkcs11Pin = 'not-the-pin';
    const appId = await reviewedApplication();
    const statusBefore = (await applications.get(server.db, appId))?.status;
    const documentsBefore = (await server.db('documents').count({ n: '*' }))[0]!.n;
    const auditBefore = await server.db('audit_log').where({ subject_id: appId }).select('action');
    try {
      const refused = await decide(head, appId, 'approve', 'approve');
      const problem = assertProblem(refused, 503);
      assert.match(problem.type, /seal-unavailable$/);
      assert.match(String(problem.detail), new RegExp(`OVERA_PKCS11_PIN was refused by PKCS#11 token "${TOKEN}" \\(CKR_PIN_INCORRECT\\)`));
      assert.equal((await server.db('documents').count({ n: '*' }))[0]!.n, documentsBefore, 'no document row');
      assert.equal(await server.db('documents').where({ application_id: appId }).first(), undefined);
      // No audit entry at all: neither the approval nor an issuance (the approval rolled back with it).
      assert.deepEqual(await server.db('audit_log').where({ subject_id: appId }).select('action'), auditBefore);
      assert.equal((await applications.get(server.db, appId))?.status, statusBefore);
      // Tried again: the PIN the token refused is not sent again (a token counts failures and may lock the PIN).
      const again = assertProblem(await decide(head, appId, 'approve', 'approve'), 503);
      assert.match(String(again.detail), new RegExp(`OVERA_PKCS11_PIN was refused by PKCS#11 token "${TOKEN}" before and is not tried again`));
      assert.equal(await server.db('documents').where({ application_id: appId }).first(), undefined);
    } finally {
      server.config.pkcs11Pin = pin;
    }
    // Fixed: the same approval goes through and issues, no restart.
    const { pdf } = await approveAndFetch(appId);
    await assertSealedBy(pdf, rsaCert, /sha256WithRSAEncryption/);
  });

  test('sessions lost while the server runs (what a removed token does): that issuance fails closed, the next one opens the token again', async () => {
    await server.app.deps.keys.seal(AGENCY);
    // C_CloseAllSessions on the token's slot, from this process: the server's session is gone under its feet.
    const module = graphene.Module.load(hsm.module);
    try {
      module.initialize();
    } catch {
      // Already initialised by the key store in this process: the same library instance.
    }
    const slots = module.getSlots(true);
    const slot = Array.from({ length: slots.length }, (_, i) => slots.items(i)).find((s) => s.getToken().label.trim() === TOKEN);
    assert.ok(slot);
    slot.closeAll();

    const appId = await reviewedApplication();
    const refused = assertProblem(await decide(head, appId, 'approve', 'approve'), 503);
    assert.match(refused.type, /seal-unavailable$/);
    assert.match(String(refused.detail), new RegExp(`PKCS#11 token "${TOKEN}" did not sign \\(CKR_SESSION_HANDLE_INVALID\\)`));
    assert.equal(await server.db('documents').where({ application_id: appId }).first(), undefined);
    const { pdf } = await approveAndFetch(appId);
    await assertSealedBy(pdf, rsaCert, /sha256WithRSAEncryption/);
  });

  test('issuance with a token that is not present fails closed the same way', async () => {
    const binding = sealBindingPath(server.config, AGENCY);
    const before = readFileSync(binding);
    writeFileSync(binding, JSON.stringify({ token: 'absent-token', key: 'seal-rsa' }));
    try {
      const app = ok(await server.api<{ id: string; version: number }>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data: residence() } }), 201);
      const submitted = ok(await server.api<{ version: number }>('POST', `/api/v1/applications/${app.id}/submit`, { token: ana.token, body: {} }));
      assert.ok(await applications.update(server.db, app.id, submitted.version, { status: 'approved', updatedAt: Date.now() }));
      await assert.rejects(
        server.db.transaction((trx) => issueDocument(server.app.deps, trx, app.id)),
        (e: Error & { status?: number; detail?: string }) => e.status === 503 && /no token labelled "absent-token" is present/.test(String(e.detail ?? e.message)),
      );
      assert.equal(await server.db('documents').where({ application_id: app.id }).first(), undefined);
      assert.equal((await applications.get(server.db, app.id))?.status, 'approved');
    } finally {
      writeFileSync(binding, before);
    }
  });

  test('a key store opening its tokens (what overa start does first) names the setting at fault', async () => {
    server.app.deps.keys.close();
    const opened = createKeyStore(server.config);
    try {
      assert.deepEqual(await opened.openTokens(), [AGENCY]);
    } finally {
      opened.close();
    }
    const cases: [Partial<typeof server.config>, RegExp][] = [
      [{ pkcs11Pin: 'wrong-pin' }, new RegExp(`^OVERA_PKCS11_PIN was refused by PKCS#11 token "${TOKEN}" \\(CKR_PIN_INCORRECT\\) \\(seal of agency "${AGENCY}"\\)$`)],
      [{ pkcs11Pin: undefined }, new RegExp(`^OVERA_PKCS11_PIN is not set, and PKCS#11 token "${TOKEN}" needs the user PIN \\(seal of agency "${AGENCY}"\\)$`)],
      [{ pkcs11Module: undefined }, /^OVERA_PKCS11_MODULE is not set, but a seal key is bound to a PKCS#11 token: set it to the path of the token's PKCS#11 library \(seal of agency "novi-primer"\)$/],
      [{ pkcs11Module: join(tmp.dir, 'no-such-library.so') }, /^OVERA_PKCS11_MODULE: the PKCS#11 library \S+no-such-library\.so cannot be loaded/],
    ];
    for (const [change, expected] of cases) {
      const store = createKeyStore({ ...server.config, ...change });
      try {
        await assert.rejects(store.openTokens(), (e: Error) => e instanceof KeyError && expected.test(e.message), String(expected));
      } finally {
        store.close();
      }
    }
  });
});

describe('overa start with a token that is missing or locked', () => {
  test('stops before listening, with one sentence naming the setting (and starts with the right PIN)', { timeout: 180_000 }, async () => {
    // Each case in a data folder of its own, whose agency is bound to the token.
    const folder = async (binding: { token: string; key: string }) => {
      const t = await createTestDb({ OVERA_TEST_DEMO_KEYS: 'no' });
      await seedDemo(t.db, Date.now());
      const dir = join(t.config.dataDir, 'keys', 'agencies', AGENCY);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'seal.pkcs11.json'), JSON.stringify(binding));
      writeFileSync(join(dir, 'seal.chain.pem'), ecCert + ca.intPem + ca.rootPem);
      return t;
    };
    const wrongPin = await folder({ token: TOKEN, key: 'seal-ec' });
    const noToken = await folder({ token: 'unplugged', key: 'seal-ec' });
    const good = await folder({ token: TOKEN, key: 'seal-ec' });
    try {
      const base = { SOFTHSM2_CONF: hsm.conf, OVERA_PKCS11_MODULE: hsm.module, PORT: '0' };
      const [pin, token, started] = await Promise.all([
        overaCli(['start'], await childEnv(wrongPin, { ...base, OVERA_PKCS11_PIN: '0000' })),
        overaCli(['start'], await childEnv(noToken, { ...base, OVERA_PKCS11_PIN: PIN })),
        // The same binding with the right PIN: the server starts, says its token seals are ready, and stops cleanly.
        childEnv(good, { ...base, OVERA_PKCS11_PIN: PIN }).then((env) => startChildServer(env)),
      ]);
      assert.equal((await fetch(`${started.url}/api/v1/trust?format=pem`).then((r) => r.text())).trim(), ca.rootPem.trim());
      assert.equal(await started.stop(), 0);
      assert.equal(pin.code, 1);
      assert.equal(pin.stderr, `overa: OVERA_PKCS11_PIN was refused by PKCS#11 token "${TOKEN}" (CKR_PIN_INCORRECT) (seal of agency "${AGENCY}")\n`);
      assert.equal(token.code, 1);
      assert.match(token.stderr, new RegExp(`^overa: OVERA_PKCS11_MODULE: no token labelled "unplugged" is present in ${hsm.module} \\(tokens seen: "${TOKEN}"[^)]*\\) \\(seal of agency "${AGENCY}"\\)\\n$`));
    } finally {
      await wrongPin.drop();
      await noToken.drop();
      await good.drop();
    }
  });
});

describe('configuration', () => {
  test('OVERA_PKCS11_MODULE from the environment or the config file; OVERA_PKCS11_PIN from the environment only', () => {
    const dir = join(tmp.dir, 'config');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'overa.config.json'), JSON.stringify({ pkcs11Module: '/opt/hsm/lib/libcs_pkcs11_R3.so', pkcs11Pin: 'in-a-file' }));
    const fromFile = loadConfig({}, dir);
    assert.equal(fromFile.pkcs11Module, '/opt/hsm/lib/libcs_pkcs11_R3.so');
    assert.equal(fromFile.pkcs11Pin, undefined, 'a PIN in the config file is not taken');
    const fromEnv = loadConfig({ OVERA_PKCS11_MODULE: 'libsofthsm2.so', OVERA_PKCS11_PIN: '1234' }, dir);
    assert.equal(fromEnv.pkcs11Module, 'libsofthsm2.so', 'a bare library name is left for the dynamic loader to find');
    assert.equal(fromEnv.pkcs11Pin, '1234');
  });
});
