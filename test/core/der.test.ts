/**
 * components/core/pdf/der.ts, the DER split parseCms uses, and parseCms's fall-back to asn1js
 * for BER it does not take (indefinite lengths, as `openssl cms -stream` writes them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTlv, readChildren, readTlv } from '../../components/core/pdf/der.ts';
import { findSignerCertificate, parseCms } from '../../components/core/pdf/cms.ts';

test('readTlv reads short and long lengths, and refuses indefinite, truncated and high-tag values', () => {
  const short = Uint8Array.from([0x04, 0x02, 0xaa, 0xbb, 0xff]);
  const t = readTlv(short)!;
  assert.deepEqual([t.tag, [...t.value], t.bytes.length], [0x04, [0xaa, 0xbb], 4]);
  const long = encodeTlv(0x04, new Uint8Array(300));
  assert.deepEqual([...long.subarray(0, 4)], [0x04, 0x82, 0x01, 0x2c]);
  assert.equal(readTlv(long)!.value.length, 300);
  assert.equal(readTlv(Uint8Array.from([0x30, 0x80, 0x00, 0x00])), undefined, 'indefinite length');
  assert.equal(readTlv(Uint8Array.from([0x04, 0x05, 0x01])), undefined, 'truncated');
  assert.equal(readTlv(Uint8Array.from([0x1f, 0x81, 0x01, 0x00])), undefined, 'high tag number');
  assert.equal(readTlv(Uint8Array.from([0x04, 0x85, 1, 1, 1, 1, 1])), undefined, 'five length octets');
});

test('readChildren splits a constructed value exactly, or not at all', () => {
  const seq = encodeTlv(0x30, encodeTlv(0x02, Uint8Array.from([1])), encodeTlv(0x04, Uint8Array.from([2, 3])));
  const children = readChildren(readTlv(seq)!.value)!;
  assert.deepEqual(children.map((c) => c.tag), [0x02, 0x04]);
  assert.equal(readChildren(Uint8Array.from([0x02, 0x01, 0x01, 0x04])), undefined, 'a stray octet at the end');
});

test('parseCms reads the same CMS in DER and in indefinite-length BER (asn1js takes the BER)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'overa-der-'));
  try {
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'key.pem']);
    run(['req', '-new', '-x509', '-key', 'key.pem', '-subj', '/CN=DER test', '-days', '2', '-out', 'cert.pem']);
    writeFileSync(join(dir, 'content'), 'hello');
    run(['cms', '-sign', '-binary', '-nodetach', '-in', 'content', '-signer', 'cert.pem', '-inkey', 'key.pem', '-outform', 'DER', '-out', 'der.p7s']);
    run(['cms', '-sign', '-binary', '-nodetach', '-stream', '-in', 'content', '-signer', 'cert.pem', '-inkey', 'key.pem', '-outform', 'DER', '-out', 'ber.p7s']);
    const der = new Uint8Array(readFileSync(join(dir, 'der.p7s')));
    const ber = new Uint8Array(readFileSync(join(dir, 'ber.p7s')));
    assert.equal(ber[1], 0x80, 'openssl -stream writes an indefinite length');
    assert.equal(readTlv(ber), undefined, 'the DER split does not take it');
    const a = parseCms(der, 10);
    const b = parseCms(ber, 10);
    assert.ok(a.ok && b.ok);
    if (!a.ok || !b.ok) return;
    for (const cms of [a.cms, b.cms]) {
      assert.equal(cms.hasContent, true);
      assert.equal(new TextDecoder().decode(cms.content), 'hello');
      assert.equal(cms.certificates.length, 1);
    }
    assert.deepEqual(a.cms.certificates[0]!.der, b.cms.certificates[0]!.der);
    assert.ok(findSignerCertificate(a.cms));
    // A memo is asked for certificates only on the DER path (the BER path has them decoded already).
    let asked = 0;
    const memo = parseCms(der, 10, { certificate: (d) => { asked++; return a.cms.certificates[0]!.der === d ? a.cms.certificates[0]! : { ...a.cms.certificates[0]!, der: d }; } });
    assert.ok(memo.ok);
    assert.equal(asked, 1);
    assert.equal(parseCms(der, 0).ok, false, 'the certificate limit still holds');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
