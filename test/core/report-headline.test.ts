/**
 * The verdict in plain words, reason first: core's reportHeadline picks what a report says
 * (one headline per DSS sub-indication, and sharper ones for the reasons that say more:
 * changed after sealing, an untrusted signer, not a PDF), and components/i18n words every
 * one of them in English and Serbian (the Cyrillic set is derived from the Latin one).
 * Checked on real PDFs (signed by openssl and pdfsig, re-saved by qpdf, one byte changed) and
 * on one report per sub-indication.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendUnsignedUpdate, basePdf, createTestPki, signEtsiWithOpenssl, signWithPdfsig, type TestPki } from '../helpers/pdf-sign.ts';
import { verifyDocument } from '../../components/core/pdf/verify-document.ts';
import { REPORT_HEADLINES, reportHeadline, SUB_INDICATIONS, verificationReport, type SubIndication } from '../../components/core/report.ts';
import { formatMessage, lookupMessage, type Message } from '../../components/i18n/index.ts';
import '../../components/i18n/en/verify-verdict.ts';
import serbianVerdict from '../../components/i18n/sr-latn/verify-verdict.ts';
import { latinToCyrillic } from '../../components/core/transliterate.ts';

let pki: TestPki;
let sealed: Uint8Array;
let dir: string;

before(async () => {
  pki = createTestPki();
  sealed = await signEtsiWithOpenssl(pki, await basePdf(), pki.ec);
  dir = mkdtempSync(join(tmpdir(), 'overa-headline-'));
});
after(() => {
  pki?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const verify = (bytes: Uint8Array, anchors = [pki.rootPem]) => verifyDocument(bytes, { trustAnchors: anchors });

describe('reportHeadline on real files', () => {
  test('a genuine file: valid, sealed by the certificate\'s name', async () => {
    assert.deepEqual(reportHeadline(await verify(sealed)), { code: 'valid', signer: 'EC Seal', inputError: false });
  });

  test('one byte changed: "changed after it was sealed", and still who sealed it', async () => {
    const changed = sealed.slice();
    changed[10]! ^= 0x01; // in the header's binary comment: inside the first signed range
    const report = await verify(changed);
    assert.equal(report.subIndication, 'HASH_FAILURE');
    assert.deepEqual(reportHeadline(report), { code: 'changed', signer: 'EC Seal', inputError: false });
  });

  test('re-saved by another program (qpdf): the /ByteRange no longer fits, said as "changed", and the certificate is still read', async () => {
    writeFileSync(join(dir, 'sealed.pdf'), sealed);
    execFileSync('qpdf', [join(dir, 'sealed.pdf'), join(dir, 'resaved.pdf')]);
    const report = await verify(new Uint8Array(readFileSync(join(dir, 'resaved.pdf'))));
    assert.equal(report.indication, 'TOTAL_FAILED');
    assert.equal(report.subIndication, 'FORMAT_FAILURE');
    const seal = report.signatures[0]!;
    assert.match(seal.reasons[0]!.code, /^byte-range-/);
    assert.equal(seal.certificate?.subject, 'CN=EC Seal,O=Overa Test,C=RS', 'the certificate is read though nothing is verified');
    assert.equal(seal.signer?.displayName, 'EC Seal');
    assert.deepEqual(reportHeadline(report), { code: 'changed', signer: 'EC Seal', inputError: false });
  });

  test('signed by someone this service does not trust: "untrusted-signer" with the signer\'s name', async () => {
    const report = await verify(signWithPdfsig(pki, await basePdf(), pki.rsa), [pki.otherRootPem]);
    assert.equal(report.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
    assert.deepEqual(reportHeadline(report), { code: 'untrusted-signer', signer: 'RSA Seal', inputError: false });
    assert.equal(
      formatMessage('en', lookupMessage('en', 'verify.headline.untrusted-signer')!, { signer: 'RSA Seal' }),
      'This file was not issued by an agency this service trusts — it is signed by RSA Seal',
    );
  });

  test('not a PDF, or empty: an input error, not a verdict', async () => {
    assert.deepEqual(reportHeadline(await verify(new TextEncoder().encode('hello, not a PDF'))), { code: 'not-pdf', inputError: true });
    assert.deepEqual(reportHeadline(await verify(new Uint8Array(0))), { code: 'empty', inputError: true });
  });

  test('no seal at all, and something added after the seal', async () => {
    assert.deepEqual(reportHeadline(await verify(await basePdf())), { code: 'no-signature', inputError: false });
    const report = await verify(await appendUnsignedUpdate(sealed));
    assert.deepEqual(reportHeadline(report), { code: 'unsigned-changes', signer: 'EC Seal', inputError: false });
  });

  test('no trust anchors given: said so, not "untrusted"', async () => {
    assert.equal(reportHeadline(await verify(sealed, [])).code, 'no-trust-anchors');
  });
});

describe('one headline per sub-indication', () => {
  for (const sub of SUB_INDICATIONS) {
    test(sub, () => {
      const indication = (['FORMAT_FAILURE', 'HASH_FAILURE', 'SIG_CRYPTO_FAILURE', 'REVOKED', 'EXPIRED', 'NOT_YET_VALID'] as SubIndication[]).includes(sub) ? 'TOTAL_FAILED' : 'INDETERMINATE';
      const report = verificationReport([{ id: 'sig-1', kind: 'seal', indication, subIndication: sub, reasons: [{ code: 'some-check' }], signer: { displayName: 'Agencija' } }]);
      assert.deepEqual(reportHeadline(report), { code: sub, signer: 'Agencija', inputError: false });
    });
  }

  test('an indication without a sub-indication: the generic headline of that indication', () => {
    const failed = verificationReport([{ id: 'sig-1', kind: 'seal', indication: 'TOTAL_FAILED', reasons: [{ code: 'some-check' }] }]);
    assert.equal(reportHeadline(failed).code, 'failed');
    const unknown = verificationReport([{ id: 'sig-1', kind: 'seal', indication: 'INDETERMINATE', reasons: [{ code: 'verifier-error' }] }]);
    assert.equal(reportHeadline(unknown).code, 'indeterminate');
  });
});

describe('every headline is worded in English, Serbian Latin and Serbian Cyrillic', () => {
  const serbian: Record<string, Message> = { ...serbianVerdict };
  for (const code of REPORT_HEADLINES) {
    test(code, () => {
      const key = `verify.headline.${code}`;
      const en = lookupMessage('en', key);
      const sr = serbian[key];
      assert.equal(typeof en, 'string', `${key} in English`);
      assert.equal(typeof sr, 'string', `${key} in Serbian`);
      assert.notEqual(sr, en, `${key} is translated`);
      // The signer's name is a parameter in every language, or in none.
      assert.equal(/\{signer\}/.test(sr as string), /\{signer\}/.test(en as string), key);
      assert.match(latinToCyrillic(sr as string), /[\u0400-\u04FF]/, `${key} in Cyrillic`);
    });
  }
  test('nothing but the headlines of reportHeadline: no stale key', () => {
    const keys = new Set([...Object.keys(serbian)].filter((k) => k.startsWith('verify.headline.')).map((k) => k.slice('verify.headline.'.length)));
    assert.deepEqual([...keys].sort(), [...REPORT_HEADLINES].sort());
  });
});
