/**
 * The seal's RFC 3161 time-stamp (PAdES B-T, server/documents/seal.ts) against a real
 * time-stamping authority: `openssl ts -reply` on loopback (test/helpers/tsa.ts). A good answer
 * goes into the sealed PDF, where OpenSSL verifies the token and pdfsig still trusts the seal;
 * every answer that is not for this request — a rejection, a token for other data, another
 * nonce or none — is refused (`tsa-refused`), and a TSA that fails, is not there or stops
 * answering is `tsa-unavailable`. Issuance turns both into 503 timestamp-unavailable
 * (test/server/issuance.test.ts).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { startTsa, type TestTsa, type TsaAnswer } from '../helpers/tsa.ts';
import { nssDatabase, opensslCmsVerify, opensslTsVerify, pdfsig, signedParts, tempDir } from '../helpers/pdf-tools.ts';
import { demoRootCertPath, ensureDemoKeys, loadSeal, type SealKey } from '../../server/documents/keys.ts';
import { addSealPlaceholder, contentsReserve, OIDS, requestTimestamp, sealPdf, SealError } from '../../server/documents/seal.ts';

const AGENCY = { id: 'novi-primer', name: 'Gradska uprava Novi Primer' };

let tmp: ReturnType<typeof tempDir>;
let tsa: TestTsa;
let seal: SealKey;
let rootPem: string;

before(async () => {
  tmp = tempDir('overa-tsa-');
  tsa = await startTsa(tmp.dir);
  const config = { dataDir: tmp.dir };
  await ensureDemoKeys(config, [AGENCY]);
  seal = await loadSeal(config, AGENCY.id);
  rootPem = readFileSync(demoRootCertPath(config), 'utf8');
});
after(async () => {
  await tsa.close();
  tmp.remove();
});

/** A one-page PDF with the seal placeholder, saved as issuance saves it. */
async function unsealedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Uverenje o prebivalištu', { x: 72, y: 770, size: 14 });
  addSealPlaceholder(doc, page, { fieldName: 'Overa seal', name: AGENCY.name, reason: 'Izdavanje', signingTime: new Date() }, contentsReserve(seal, true));
  return doc.save({ useObjectStreams: false });
}

/** The TSA answers `answer` while `work` runs. */
async function answering<T>(answer: TsaAnswer, work: () => Promise<T>): Promise<T> {
  tsa.answer = answer;
  try {
    return await work();
  } finally {
    tsa.answer = 'grant';
  }
}

/** `work` fails with a SealError of `code` whose message matches `message`. */
async function refused(work: Promise<unknown>, code: SealError['code'], message: RegExp): Promise<void> {
  await assert.rejects(work, (err: Error) => {
    assert.ok(err instanceof SealError, `a SealError, not ${err.stack}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return true;
  });
}

describe('the RFC 3161 time-stamp of the seal, against a real TSA (openssl ts -reply)', () => {
  test('a good answer: the sealed PDF carries the token over the signature value; OpenSSL verifies it and pdfsig trusts the seal', async () => {
    const before = tsa.queries.length;
    const pdf = await sealPdf(await unsealedPdf(), seal, { tsaUrl: tsa.url });
    assert.equal(tsa.queries.length, before + 1, 'one request to the TSA');

    // What was asked: SHA-256 of the signature value, a nonce, the TSA's certificate.
    const query = pkijs.TimeStampReq.fromBER(new Uint8Array(tsa.queries.at(-1)!));
    assert.equal(query.messageImprint.hashAlgorithm.algorithmId, OIDS.sha256);
    assert.ok(query.nonce, 'the request has a nonce');
    assert.equal(query.certReq, true);

    const { cms, signed } = signedParts(pdf);
    const sd = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(cms)).content });
    const si = sd.signerInfos[0]!;
    const signatureValue = new Uint8Array(si.signature.valueBlock.valueHexView);
    assert.deepEqual(Buffer.from(query.messageImprint.hashedMessage.valueBlock.valueHexView), createHash('sha256').update(signatureValue).digest());
    const attrs = si.unsignedAttrs?.attributes.filter((a) => a.type === OIDS.timeStampToken) ?? [];
    assert.equal(attrs.length, 1, 'one id-aa-timeStampToken unsigned attribute');
    const token = new Uint8Array((attrs[0]!.values[0] as asn1js.Sequence).toBER());

    const verified = await opensslTsVerify(tmp.dir, token, signatureValue, tsa.caPem);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /Verification: OK/);
    // The token is for the signature value, and only for it.
    assert.notEqual((await opensslTsVerify(tmp.dir, token, signed, tsa.caPem)).code, 0);

    // The unsigned attribute leaves the seal itself whole. (poppler 22's pdfsig does not report
    // signature time-stamps; it checks the seal with the token in place.)
    assert.equal((await opensslCmsVerify(tmp.dir, cms, signed, rootPem)).code, 0);
    const sig = await pdfsig(tmp.dir, pdf, await nssDatabase(tmp.dir, rootPem));
    assert.ok(sig.valid && sig.trusted, sig.stdout);
  });

  test('a TSA that answers status rejection is refused (tsa-refused), and no PDF comes out', async () => {
    await refused(answering('reject', async () => sealPdf(await unsealedPdf(), seal, { tsaUrl: tsa.url })), 'tsa-refused', /status 2/);
  });

  test('a real token for other data (another message imprint) is refused', async () => {
    await refused(answering('other-imprint', async () => sealPdf(await unsealedPdf(), seal, { tsaUrl: tsa.url })), 'tsa-refused', /other data/);
  });

  test('a real token with another nonce, or with none, is refused', async () => {
    for (const answer of ['other-nonce', 'no-nonce'] as const) {
      await refused(answering(answer, async () => sealPdf(await unsealedPdf(), seal, { tsaUrl: tsa.url })), 'tsa-refused', /nonce does not match/);
    }
  });

  // A bound, so that a client without a time limit fails here instead of hanging the run.
  test('a TSA that fails, is not there, never answers, or stops halfway is tsa-unavailable', { timeout: 30_000 }, async () => {
    const value = new Uint8Array(64).fill(7);
    await refused(answering('http-500', () => requestTimestamp(tsa.url, value)), 'tsa-unavailable', /did not answer: HTTP 500/);
    await refused(requestTimestamp('http://127.0.0.1:9/tsa', value), 'tsa-unavailable', /did not answer/);
    // A short limit for the test; issuance uses the default (10 s, docs/server.md).
    for (const answer of ['silent', 'stall'] as const) {
      const before = tsa.queries.length;
      await refused(answering(answer, () => requestTimestamp(tsa.url, value, { tsaTimeoutMs: 500 })), 'tsa-unavailable', /did not answer/);
      assert.equal(tsa.queries.length, before + 1, `${answer}: the TSA got the request`);
    }
    // And it answers again afterwards.
    const token = await requestTimestamp(tsa.url, value);
    assert.equal(token.contentType, OIDS.signedData);
  });
});
