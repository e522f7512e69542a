/**
 * The same trusted lists and the same reports in Chromium as in Node: the xmlsec1-signed
 * lists of test/helpers/trusted-lists.ts loaded in a real page (the browser's own DOMParser
 * and WebCrypto under xmldsigjs, as `<overa-verify>` runs it), refusals included, then a
 * qualified seal and a non-qualified one verified against the lists the page verified.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createLtvPki, type LtvPki } from '../helpers/ltv-pdf.ts';
import { addSignatureTimestamp, basePdf, signEtsiWithOpenssl } from '../helpers/pdf-sign.ts';
import { createTrustFixture, type FixtureCert, type TrustFixture, type TrustLists } from '../helpers/trusted-lists.ts';
import { openVerifierPage, type VerifierPage } from '../helpers/verifier-page.ts';
import { loadTrustedLists, type LoadedTrustedLists } from '../../components/core/trust-lists/load.ts';
import { verifyDocument } from '../../components/core/pdf/verify-document.ts';
import type { VerificationReport } from '../../components/core/report.ts';

let fx: TrustFixture;
let tsa: LtvPki;
let lists: TrustLists;
let browser: VerifierPage;
let qualified: Uint8Array;
let plain: Uint8Array;

async function sealBT(signer: FixtureCert): Promise<Uint8Array> {
  return addSignatureTimestamp(tsa.asTestPki(), await signEtsiWithOpenssl(tsa.asTestPki(), await basePdf({ objectStreams: false }), signer, { contentsBytes: 12000 }));
}

before(async () => {
  fx = createTrustFixture();
  tsa = createLtvPki('ec');
  qualified = await sealBT(fx.qseal);
  plain = await sealBT(fx.plainSeal);
  lists = fx.writeLists(new Date(Date.now() - 3_600_000));
  browser = await openVerifierPage(
    {
      '/lotl.xml': ['application/xml', lists.lotl],
      '/rs.xml': ['application/xml', lists.rs],
      '/si.xml': ['application/xml', lists.si],
      '/rs-tampered.xml': ['application/xml', lists.rsTampered],
      '/rs-unpinned.xml': ['application/xml', lists.rsUnpinned],
      '/rs-expired.xml': ['application/xml', lists.rsExpired],
      '/lotl-signer.pem': ['text/plain', fx.lotlSigner.pem],
      '/rs-signer.pem': ['text/plain', fx.rsSigner.pem],
      '/qualified.pdf': ['application/pdf', Buffer.from(qualified)],
      '/plain.pdf': ['application/pdf', Buffer.from(plain)],
      '/tsa-root.pem': ['text/plain', tsa.rootPem],
    },
    { trustedLists: true },
  );
});

after(async () => {
  await browser?.close();
  fx?.cleanup();
  tsa?.cleanup();
});

const NATIONAL = ['rs', 'si', 'rs-tampered', 'rs-unpinned', 'rs-expired'];

test('Chromium reads and verifies the lists as Node does, and refuses the same ones for the same reasons', async () => {
  const now = new Date();
  const inBrowser = (await browser.page.evaluate(
    async (iso: string, names: string[]) => {
      const w = window as unknown as { overaTrustedLists: { loadTrustedLists: (s: unknown, now: Date) => Promise<unknown> } };
      const text = async (p: string) => (await fetch(p)).text();
      const lotl = { xml: await text('/lotl.xml'), location: 'https://tl.example.test/lotl.xml', pinned: [await text('/lotl-signer.pem')] };
      const national = [];
      for (const n of names) national.push({ xml: await text(`/${n}.xml`), location: `https://tl.example.test/${n.startsWith('rs') ? 'rs' : n}.xml` });
      return w.overaTrustedLists.loadTrustedLists({ lotl, lists: national }, new Date(iso));
    },
    now.toISOString(),
    NATIONAL,
  )) as LoadedTrustedLists;
  const inNode = await loadTrustedLists(
    {
      lotl: { xml: lists.lotl, location: 'https://tl.example.test/lotl.xml', pinned: [fx.lotlSigner.pem] },
      lists: NATIONAL.map((n) => ({ xml: { rs: lists.rs, si: lists.si, 'rs-tampered': lists.rsTampered, 'rs-unpinned': lists.rsUnpinned, 'rs-expired': lists.rsExpired }[n]!, location: `https://tl.example.test/${n.startsWith('rs') ? 'rs' : n}.xml` })),
    },
    now,
  );
  assert.deepEqual(inBrowser.results.map((r) => (r.ok ? 'ok' : r.reason)), ['ok', 'ok', 'ok', 'signature-invalid', 'signer-not-pinned', 'expired']);
  assert.deepEqual(inBrowser.set, JSON.parse(JSON.stringify(inNode.set)));
  assert.deepEqual(
    inBrowser.results.map((r) => (r.ok ? 'ok' : r.reason)),
    inNode.results.map((r) => (r.ok ? 'ok' : r.reason)),
  );
});

test('a qualified seal and a non-qualified one: Chromium gives the report Node gives (QESeal, AdESeal)', async () => {
  const now = new Date();
  const { set } = await loadTrustedLists({ lotl: { xml: lists.lotl, pinned: [fx.lotlSigner.pem] }, lists: [{ xml: lists.rs, location: 'https://tl.example.test/rs.xml' }] }, now);
  for (const [file, pdf, level] of [['/qualified.pdf', qualified, 'QESeal'], ['/plain.pdf', plain, 'AdESeal']] as const) {
    const inBrowser = (await browser.page.evaluate(
      async (path: string, iso: string, setJson: string) => {
        const w = window as unknown as { overaVerify: (b: Uint8Array, o: unknown) => Promise<unknown> };
        const bytes = new Uint8Array(await (await fetch(path)).arrayBuffer());
        const pem = await (await fetch('/tsa-root.pem')).text();
        return w.overaVerify(bytes, { trustAnchors: [pem], validationTime: new Date(iso), trustedLists: JSON.parse(setJson) });
      },
      file,
      now.toISOString(),
      JSON.stringify(set),
    )) as VerificationReport;
    const inNode = await verifyDocument(pdf, { trustAnchors: [tsa.rootPem], validationTime: now, trustedLists: set });
    assert.equal(inBrowser.signatures[0]!.qualification?.level, level, JSON.stringify(inBrowser.signatures[0]).slice(0, 2000));
    assert.deepEqual(inBrowser, JSON.parse(JSON.stringify(inNode)));
  }
});
