/**
 * A code check proves the content (issue 17, items 1 and 9), end to end in real Chromium
 * against the real server: a citizen applies for a building permit and signs it, four
 * officials decide it, the server issues the sealed PDF. Then a bank clerk, in a browser of
 * their own, types the code printed on it on the public verification page: they see the
 * facts to compare (the holder, the parcel, the issue date, the content fingerprint — the
 * same fingerprint the PDF prints), the first page drawn, and download the original PDF,
 * byte for byte the one issued. The tracking number has one name on the receipt, in My
 * applications and on the PDF.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startE2E, addVirtualAuthenticator, type E2E } from './harness.ts';
import { citizenAppliesForBuildingPermit, decide, officialJoins, textOf, waitDeep } from './flows.ts';
import { pdftotext } from '../helpers/pdf-tools.ts';

let e2e: E2E;
let dir: string;
before(async () => {
  e2e = await startE2E();
  dir = mkdtempSync(join(tmpdir(), 'overa-e2e-'));
});
after(async () => {
  await e2e.close();
  rmSync(dir, { recursive: true, force: true });
});

const VERIFY = 'overa-verify';

describe('a code check shows the genuine document', () => {
  test('issued through the real flow; the code shows the facts and the first page, and the PDF downloaded is the one issued', async () => {
    const citizenContext = await e2e.browser.createBrowserContext();
    const citizen = await citizenContext.newPage();
    const errors: string[] = [];
    citizen.on('pageerror', (err) => errors.push((err as Error).message));
    await addVirtualAuthenticator(citizen);
    const tracking = await citizenAppliesForBuildingPermit(e2e, citizen, dir);
    const receipt = await textOf(await waitDeep(citizen, 'overa-application-form >>> [part~="receipt"]'));
    assert.match(receipt, /Your tracking number/);

    for (const [name, roles, decision] of [
      ['Petar Referent', ['clerk'], 'Reviewed, pass it on'],
      ['Jelena Urbanista', ['urbanism'], 'Agree'],
      ['Dragan Katastar', ['cadastre'], 'Agree'],
      ['Milan Načelnik', ['head'], 'Approve'],
    ] as const) {
      const official = await officialJoins(e2e, name, [...roles]);
      await decide(official, tracking, decision);
      await official.context.close();
    }
    const [doc] = await e2e.db('documents').select('verification_code', 'pdf', 'sha256', 'tracking_number');
    assert.ok(doc, 'the document was issued');
    const issuedPdf = new Uint8Array(doc.pdf as Buffer);
    assert.equal(doc.tracking_number, tracking);

    // One name for the tracking number: My applications says it as the receipt does; the PDF says "Број предмета".
    await citizen.goto(`${e2e.url}/my-applications.html?lang=en`, { waitUntil: 'load' });
    const row = await waitDeep(citizen, 'overa-my-applications >>> .reference-number', 'the request in My applications');
    assert.equal(await textOf(row), `Tracking number: ${tracking}`);
    const pdfText = await pdftotext(dir, issuedPdf);
    assert.match(pdfText, new RegExp(`Број предмета / Broj predmeta\\s+${tracking}`));

    // A bank clerk with the paper: no account, no passkey, a browser of their own.
    const bankContext = await e2e.browser.createBrowserContext();
    const bank = await bankContext.newPage();
    const bankErrors: string[] = [];
    bank.on('pageerror', (err) => bankErrors.push((err as Error).message));
    bank.on('console', (m) => (m.type() === 'error' || m.type() === 'warn' ? bankErrors.push(`${m.type()}: ${m.text()}`) : undefined));
    bank.on('requestfailed', (r) => bankErrors.push(`request failed: ${r.url()}`));
    // The server's strict Content-Security-Policy holds for PDF.js too (no eval, no inline style, no foreign font).
    await bank.evaluateOnNewDocument(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    await bank.setViewport({ width: 1280, height: 900 });
    const downloads = join(dir, 'downloads');
    const cdp = await bank.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, browserContextId: bankContext.id });
    await bank.goto(`${e2e.url}/verify.html?lang=en`, { waitUntil: 'load' });
    await waitDeep(bank, `${VERIFY} >>> [part~="code-input"]`, 'the code field');
    const firstLoad = await bank.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert.ok(!firstLoad.some((n) => /pdf-preview/.test(n)), 'PDF.js is not part of the page\'s first load');
    await bank.type(`${VERIFY} >>> [part~="code-input"]`, (doc.verification_code as string).toLowerCase());
    await bank.click(`${VERIFY} >>> [part~="code-form"] button[type="submit"]`);

    const shown = await waitDeep(bank, `${VERIFY} >>> [part~="document"]`, 'the genuine document');
    const text = await textOf(shown);
    assert.match(text, /Compare the paper or file you were given with this/);
    for (const fact of ['Issued to', 'Milica Petrović', 'Cadastral municipality', 'Cadastral parcel number', '1234/5', 'Issued on']) {
      assert.ok(text.includes(fact), `the facts show "${fact}": ${text}`);
    }
    assert.ok(!text.includes('0101990710008'), 'never the JMBG');
    const fingerprint = await textOf(await waitDeep(bank, `${VERIFY} >>> [part~="document"] [part~="fingerprint"]`));
    assert.match(fingerprint, /^[0-9A-F]{4}( [0-9A-F]{4}){4}$/);
    assert.ok(pdfText.includes(fingerprint), `the PDF prints the same content fingerprint ${fingerprint}`);

    // The first page, drawn (with ink on it) by PDF.js, loaded only now.
    await waitDeep(bank, `${VERIFY} >>> canvas[part~="preview"][data-state="drawn"]`, 'the first page drawn', 30_000);
    const ink = await bank.evaluate((selector: string) => {
      const canvas = document.querySelector(selector)!.shadowRoot!.querySelector<HTMLCanvasElement>('canvas[part~="preview"]')!;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 128 && data[i + 1]! < 128 && data[i + 2]! < 128 && data[i + 3]! > 0) dark++;
      return dark;
    }, VERIFY);
    assert.ok(ink > 500, `the page has text on it (${ink} dark pixels)`);
    const afterCheck = await bank.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert.ok(afterCheck.some((n) => /chunks\/pdf-preview-/.test(n)), 'PDF.js came in its own chunk');

    // Download the original: the bytes issued.
    await bank.click(`${VERIFY} >>> [part~="pdf-link"]`);
    const file = join(downloads, `${doc.verification_code}.pdf`);
    for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(file), `downloaded: ${existsSync(downloads) ? readdirSync(downloads).join(', ') : '(nothing)'}`);
    assert.deepEqual(new Uint8Array(readFileSync(file)), issuedPdf);

    assert.deepEqual(bankErrors, []);
    assert.deepEqual(errors, []);
    await bankContext.close();
    await citizenContext.close();
  });
});
