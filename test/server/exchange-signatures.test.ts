/**
 * ExchangeSignatures (server/documents/exchange-cms.ts): the exchange's signatures with what
 * repeats between messages done once. Its CMS must be signDetached's but for the signature
 * value, and pass `openssl cms -verify`; its verification must refuse everything verifyDetached
 * refuses, also once a signature of the same shape has been verified (the memoised path).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { demoRootCertPath, ensureDemoKeys, loadSeal, sealChainPath, type SealKey } from '../../server/documents/keys.ts';
import { ExchangeSignatures, pinOf, signDetached, verifyDetached, type Pin } from '../../server/documents/exchange-cms.ts';
import { readChildren, readTlv } from '../../components/core/pdf/der.ts';

const A = { id: 'prvi-grad', name: 'Gradska uprava Prvi Grad' };
const B = { id: 'drugi-grad', name: 'Gradska uprava Drugi Grad' };
let dir: string;
let sealA: SealKey;
let sealB: SealKey;
let pinA: Pin;
let rootPem: string;
const text = (s: string) => new TextEncoder().encode(s);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overa-exchange-signatures-'));
  const config = loadConfig({ OVERA_DATA_DIR: dir, OVERA_LOG_LEVEL: 'warn' }, dir);
  await ensureDemoKeys(config, [A, B]);
  sealA = await loadSeal(config, A.id);
  sealB = await loadSeal(config, B.id);
  pinA = pinOf(readFileSync(sealChainPath(config, A.id), 'utf8'), false, A.name);
  rootPem = readFileSync(demoRootCertPath(config), 'utf8');
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The TLVs of a CMS down to its SignerInfo's fields: [SignedData fields, SignerInfo fields]. */
function layers(cms: Uint8Array) {
  const sd = readChildren(readChildren(readChildren(readTlv(cms)!.value)![1]!.value)![0]!.value)!;
  const si = readChildren(readChildren(sd.at(-1)!.value)![0]!.value)!;
  return { sd, si };
}

/** sealA with its engine's signWithPrivateKey counted, as a key file's or (the same key) as a token's. */
function countedSeal(asToken: boolean): { seal: SealKey; calls: () => number } {
  let calls = 0;
  const engine = Object.create(sealA.engine) as SealKey['engine'];
  engine.signWithPrivateKey = (...args) => {
    calls++;
    return sealA.engine.signWithPrivateKey(...args);
  };
  return { seal: { ...sealA, engine, ...(asToken ? { location: { kind: 'pkcs11', token: 't', key: 'k' } } : {}) }, calls: () => calls };
}

for (const [how, asToken, engineSigns] of [['a key file\'s seal: node:crypto signs', false, 0], ['a token\'s seal: its engine signs', true, 1]] as const) {
  test(`sign() makes signDetached's CMS but for the signature value, and openssl verifies it against the root (${how})`, async () => {
    const { seal, calls } = countedSeal(asToken);
    const signatures = new ExchangeSignatures();
    const content = text('{"messageId":"1"}');
    const fast = await signatures.sign(content, seal);
    const reference = await signDetached(content, seal);
    const f = layers(fast);
    const r = layers(reference);
    assert.deepEqual(f.sd.slice(0, -1).map((x) => Buffer.from(x.bytes).toString('hex')), r.sd.slice(0, -1).map((x) => Buffer.from(x.bytes).toString('hex')));
    assert.deepEqual(f.si.slice(0, 5).map((x) => Buffer.from(x.bytes).toString('hex')), r.si.slice(0, 5).map((x) => Buffer.from(x.bytes).toString('hex')));
    // A second message: a new digest in the same template.
    const before = calls();
    const second = await signatures.sign(text('{"messageId":"2"}'), seal);
    assert.equal(calls() - before, engineSigns);
    assert.notDeepEqual(layers(second).si[3]!.bytes, f.si[3]!.bytes);
    for (const [body, cms] of [['{"messageId":"1"}', fast], ['{"messageId":"2"}', second]] as const) {
      const work = mkdtempSync(join(dir, 'openssl-'));
      writeFileSync(join(work, 'content'), body);
      writeFileSync(join(work, 'cms.der'), cms);
      writeFileSync(join(work, 'root.pem'), rootPem);
      const out = execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(work, 'cms.der'), '-content', join(work, 'content'), '-CAfile', join(work, 'root.pem'), '-purpose', 'any'], { stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(out.toString(), body);
    }
  });
}

test('verify() accepts what verifyDetached accepts, and refuses on its memoised path what verifyDetached refuses', async () => {
  const signatures = new ExchangeSignatures();
  const now = new Date();
  const first = text('{"n":1}');
  const firstCms = await signatures.sign(first, sealA);
  assert.deepEqual(await signatures.verify(firstCms, first, pinA, now), await verifyDetached(firstCms, first, pinA, now));
  assert.equal((await signatures.verify(firstCms, first, pinA, now)).ok, true);
  assert.equal(signatures.rememberedShapes, 1);

  // Same shape from now on: each refusal below goes through the memo.
  const content = text('{"n":2}');
  const cms = await signatures.sign(content, sealA);
  const ok = await signatures.verify(cms, content, pinA, now);
  assert.equal(ok.ok, true);
  assert.equal(ok.ok && ok.signer.organization, A.name);

  const other = await signatures.verify(cms, text('{"n":3}'), pinA, now);
  assert.deepEqual([other.ok, (await verifyDetached(cms, text('{"n":3}'), pinA, now)).ok], [false, false]);

  const flipped = cms.slice();
  flipped[flipped.length - 5]! ^= 0x01; // inside the signature value
  assert.equal((await signatures.verify(flipped, content, pinA, now)).ok, false);
  assert.equal((await verifyDetached(flipped, content, pinA, now)).ok, false);

  const later = new Date(Date.UTC(2200, 0, 1));
  const expired = await signatures.verify(cms, content, pinA, later);
  assert.equal(expired.ok, false);
  assert.match(!expired.ok ? expired.reason : '', /not valid|expired|after/i);

  // B's seal is not A's pin, memo or not (B's shape is not A's).
  const byB = await signatures.sign(content, sealB);
  const refused = await signatures.verify(byB, content, pinA, now);
  assert.equal(refused.ok, false);
  assert.match(!refused.ok ? refused.reason : '', /pinned seal/);
  assert.equal(signatures.rememberedShapes, 1, 'refused signatures are not remembered');
});

test('verify() with a CA pin: the name is part of what is remembered', async () => {
  const signatures = new ExchangeSignatures();
  const now = new Date();
  const content = text('{"n":1}');
  const cms = await signatures.sign(content, sealA);
  const root = (name: string) => pinOf(rootPem, true, name);
  assert.equal((await signatures.verify(cms, content, root(A.name), now)).ok, true);
  assert.equal(signatures.rememberedShapes, 1);
  assert.equal((await signatures.verify(cms, content, root(A.name), now)).ok, true);
  const wrongName = await signatures.verify(cms, content, root(B.name), now);
  assert.equal(wrongName.ok, false);
  assert.match(!wrongName.ok ? wrongName.reason : '', /does not name the partner/);
});
