/**
 * The same report in Chromium as in Node for a B-LTA document (EC, OpenSSL-made, see
 * test/helpers/ltv-pdf.ts) verified today and after its seal certificate expired: the
 * verifier bundled as the browser takes it, run on WebCrypto in a real page.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendDocumentTimestamp, appendDss, createLtvPki, sealedPdf, type LtvPki } from '../helpers/ltv-pdf.ts';
import { openVerifierPage, type VerifierPage } from '../helpers/verifier-page.ts';
import { verifyDocument } from '../../components/core/pdf/verify-document.ts';
import type { VerificationReport } from '../../components/core/report.ts';

let pki: LtvPki;
let lta: Uint8Array;
let later: Date;
let browser: VerifierPage;

before(async () => {
  pki = createLtvPki('ec');
  const seal = pki.seal('browser');
  const bt = await sealedPdf(pki, seal, 'B-T');
  lta = await appendDocumentTimestamp(pki, (await appendDss(bt, { certs: [pki.der.ocsp], ocsps: [pki.ocsp(seal)], crls: [pki.crl()], vri: true })).pdf);
  later = new Date(seal.notAfter.getTime() + 86_400_000);
  browser = await openVerifierPage({ '/lta.pdf': ['application/pdf', Buffer.from(lta)], '/root.pem': ['text/plain', pki.rootPem] });
});

after(async () => {
  await browser?.close();
  pki?.cleanup();
});

test('a B-LTA document: Chromium gives the report Node gives, today and after the seal certificate expired', async () => {
  for (const at of [new Date(), later]) {
    const inBrowser = await browser.page.evaluate(async (iso: string) => {
      const w = window as unknown as { overaVerify: (b: Uint8Array, o: { trustAnchors: string[]; validationTime: Date }) => Promise<unknown> };
      const bytes = new Uint8Array(await (await fetch('/lta.pdf')).arrayBuffer());
      const pem = await (await fetch('/root.pem')).text();
      return w.overaVerify(bytes, { trustAnchors: [pem], validationTime: new Date(iso) });
    }, at.toISOString()) as VerificationReport;
    const inNode = await verifyDocument(lta, { trustAnchors: [pki.rootPem], validationTime: at });
    assert.equal(inBrowser.indication, 'TOTAL_PASSED', JSON.stringify(inBrowser).slice(0, 3000));
    assert.equal(inBrowser.signatures[0]!.level, 'B-LTA');
    assert.deepEqual(inBrowser, JSON.parse(JSON.stringify(inNode)));
  }
});
