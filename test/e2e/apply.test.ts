/**
 * The citizen's whole path in real Chromium, against the real server and database, through
 * the demo's pages: create a passkey inside the form, fill in the building permit, upload two
 * files, check the answers, sign with the passkey, send, and find the request in "My
 * applications". The virtual authenticator performs the real WebAuthn ceremonies.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startE2E, addVirtualAuthenticator, type E2E } from './harness.ts';
import { citizenFillsInBuildingPermit, waitDeep } from './flows.ts';
import { verifyPasskeyEvidence } from '../../components/core/signing/verify-evidence.ts';
import type { PasskeyEvidence } from '../../components/core/signing/payload.ts';

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

const FORM = 'overa-application-form';

describe('a citizen applies for a building permit end to end', () => {
  test('registers, fills in, uploads two files, signs, sends, and sees the request in My applications', async () => {
    const context = await e2e.browser.createBrowserContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push((err as Error).message));
    await addVirtualAuthenticator(page);
    // Signed out: the form offers a passkey right where it is needed; then the answers and two files.
    await citizenFillsInBuildingPermit(e2e, page, dir);

    await page.click(`${FORM} >>> [part~="continue-button"]`);
    const check = await waitDeep(page, `${FORM} >>> [part~="check"]`, 'check your answers');
    const answers = await check.evaluate((el) => el.textContent ?? '');
    assert.match(answers, /Milica Petrović/);
    assert.match(answers, /projekat\.pdf/);
    assert.match(answers, /list-nepokretnosti\.png/);

    // The browser's Back from "check your answers": the questions, every answer kept, the page's address unchanged; Forward: the check again.
    const address = page.url();
    await page.goBack();
    await waitDeep(page, `${FORM} >>> [part~="continue-button"]`, 'back on the questions');
    assert.equal(await page.$eval(`${FORM} >>> #f-investorName`, (el) => (el as HTMLInputElement).value), 'Milica Petrović');
    assert.equal(await page.evaluate(() => document.querySelector('overa-application-form')!.shadowRoot!.querySelectorAll('.file-item--done').length), 2);
    assert.equal(page.url(), address);
    await page.goForward();
    await waitDeep(page, `${FORM} >>> [part~="check"]`, 'forward to the check');

    await page.click(`${FORM} >>> [part~="send-button"]`);
    const sign = `${FORM} >>> overa-sign`;
    await waitDeep(page, `${sign} >>> [part~="fingerprint"]`, 'the fingerprint of what is signed');
    await page.click(`${sign} >>> [part~="sign-button"]`);
    const receipt = await waitDeep(page, `${FORM} >>> [part~="receipt"]`, 'the receipt', 20_000);
    const tracking = await receipt.evaluate((el) => el.querySelector('.tracking')?.textContent?.trim() ?? '');
    assert.match(tracking, /^[A-Z]{1,4}-\d{4}-[A-Z0-9]{6}$/);
    // Sent: Back does not re-open the application for editing; the receipt stays.
    await page.goBack();
    await page.waitForFunction((form: string) => document.querySelector(form)!.shadowRoot!.querySelector('[part~="receipt"]') !== null, { polling: 50 }, FORM);
    assert.equal(await page.$(`${FORM} >>> [part~="continue-button"]`), null);
    await page.goForward();

    // What the server holds: one submitted application, two attachments, a signature over it.
    const rows = await e2e.db('applications').select('status', 'tracking_number', 'attachments', 'signature_id');
    assert.equal(rows.length, 1);
    assert.equal(rows[0].status, 'submitted');
    assert.equal(rows[0].tracking_number, tracking);
    assert.equal(JSON.parse(rows[0].attachments).length, 2);
    assert.ok(rows[0].signature_id, 'submitted with a signature');
    const signature = await e2e.db('signatures').where({ id: rows[0].signature_id }).first();
    const evidence = JSON.parse(signature.evidence) as PasskeyEvidence;
    const report = await verifyPasskeyEvidence(evidence, { rpId: 'localhost', allowedOrigins: [e2e.url] });
    assert.equal(report.indication, 'TOTAL_PASSED', JSON.stringify(report.reasons));

    // My applications, by the receipt's link (same tab session, same language): the request is
    // there, submitted, with its history.
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(`${FORM} >>> [part~="applications-link"]`)]);
    assert.equal(new URL(page.url()).pathname, '/my-applications.html');
    assert.equal(new URL(page.url()).searchParams.get('lang'), 'en');
    const list = 'overa-my-applications';
    const row = await waitDeep(page, `${list} >>> [part~="row"]`, 'a row in My applications');
    const rowText = await row.evaluate((el) => el.textContent?.replace(/\s+/g, ' ') ?? '');
    assert.match(rowText, /Apply for a building permit/);
    assert.match(rowText, new RegExp(tracking));
    assert.match(rowText, /Submitted/);
    await page.click(`${list} >>> [part~="row-button"]`);
    const timeline = await waitDeep(page, `${list} >>> [part~="timeline"]`, 'the timeline');
    assert.match(await timeline.evaluate((el) => el.textContent ?? ''), /sent|submitted/i);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
