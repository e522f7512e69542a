/**
 * The fee end to end (issue 21, item 4), in real Chromium against the real server: a citizen
 * applies for the building permit (its republic administrative fee), the receipt shows the
 * payment details and the NBS IPS QR code; a screenshot of the code is read back by `zbarimg`
 * (Debian's zbar-tools, as a phone's camera would) to exactly the text core builds for this fee
 * and tracking number, and core's parser reads that text. Then a clerk marks the fee paid from
 * the case in the inbox, and the citizen's receipt-era QR gives way to "Paid" in My applications.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ElementHandle } from 'puppeteer-core';
import { startE2E, addVirtualAuthenticator, type E2E } from './harness.ts';
import { citizenAppliesForBuildingPermit, officialJoins, textOf, waitDeep } from './flows.ts';
import { feeIpsQrPayload, feeReference } from '../../components/core/payments/fee.ts';
import { parseIpsQrPayload } from '../../components/core/payments/ips-qr.ts';
import type { FormDefinition } from '../../components/core/forms/definition.ts';

const PERMIT = JSON.parse(readFileSync(fileURLToPath(new URL('../../examples/forms/building-permit.json', import.meta.url)), 'utf8')) as FormDefinition;
const FORM = 'overa-application-form';
const INBOX = 'overa-approval-inbox';

let e2e: E2E;
let dir: string;
before(async () => {
  e2e = await startE2E();
  dir = mkdtempSync(join(tmpdir(), 'overa-e2e-fees-'));
});
after(async () => {
  await e2e.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the fee of a building permit', () => {
  test('the receipt\'s IPS QR code decodes with zbarimg to core\'s exact text; a clerk marks the fee paid in the inbox', async () => {
    const context = await e2e.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 1000, height: 1400 });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push((err as Error).message));
    await addVirtualAuthenticator(page);
    const tracking = await citizenAppliesForBuildingPermit(e2e, page, dir);

    const payment = await waitDeep(page, `${FORM} >>> [part~="payment"]`, 'the payment details');
    const shown = await textOf(payment);
    for (const expected of ['Budžet Republike Srbije', '840-742221843-57', '253', feeReference(tracking), 'Awaiting payment']) assert.ok(shown.includes(expected), `the receipt shows ${expected}: ${shown}`);
    const qr = await waitDeep(page, `${FORM} >>> [part~="payment-qr"]`, 'the IPS QR code');
    await qr.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const png = join(dir, 'ips-qr.png');
    await (qr as ElementHandle<Element>).screenshot({ path: png });

    // Read as a camera would: zbar knows nothing of Overa. Without an ECI zbar guesses the text's
    // encoding (it takes "ž" for Shift JIS); `-Sbinary` gives the bytes, which the code's C:1 says are UTF-8.
    const bytes = execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', '-Sbinary', png]);
    const decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/\n$/, '');
    const expected = feeIpsQrPayload(PERMIT.fee!, tracking);
    assert.equal(decoded, expected);
    const order = parseIpsQrPayload(decoded);
    assert.equal(order.account, '840000074222184357');
    assert.equal(order.amount, '370.00');
    assert.equal(order.paymentCode, '253');
    assert.equal(order.purpose, 'Republička administrativna taksa');
    assert.deepEqual(order.reference, { model: '97', number: feeReference(tracking) });

    // A clerk finds the case, sees the fee awaited and marks it paid with the bank statement.
    const clerk = await officialJoins(e2e, 'Petar Referent', ['clerk']);
    const row = await waitDeep(clerk.page, `${INBOX} >>> [part~="row-button"]`, 'the request in the inbox');
    await row.click();
    const fee = await waitDeep(clerk.page, `${INBOX} >>> [part~="fee"]`, 'the fee in the case');
    assert.match(await textOf(fee), new RegExp(`97 ${feeReference(tracking)}.*Awaiting payment`));
    await clerk.page.type(`${INBOX} >>> #fee-statement`, 'Izvod 12/2026, stavka 4');
    await clerk.page.click(`${INBOX} >>> [part~="fee-paid-button"]`);
    await waitDeep(clerk.page, `${INBOX} >>> [part~="fee-undo-button"]`, 'the fee marked paid');
    assert.match(await textOf(await waitDeep(clerk.page, `${INBOX} >>> [part~="fee"]`)), /Paid.*Marked paid by Petar Referent.*Bank statement: Izvod 12\/2026, stavka 4/);
    const stored = await e2e.db('fee_payments').select('statement_reference');
    assert.deepEqual(stored.map((r) => r.statement_reference), ['Izvod 12/2026, stavka 4']);

    // The bank returns the payment: the clerk undoes the mark, saying why; the history keeps it.
    await clerk.page.type(`${INBOX} >>> #fee-undo-reason`, 'Banka je vratila uplatu');
    await clerk.page.click(`${INBOX} >>> [part~="fee-undo-button"]`);
    await waitDeep(clerk.page, `${INBOX} >>> [part~="fee-paid-button"]`, 'the fee awaiting payment again');
    assert.match(await textOf(await waitDeep(clerk.page, `${INBOX} >>> [part~="history-reason"]`, 'the reason in the history')), /Banka je vratila uplatu/);
    const undone = await e2e.db('audit_log').where({ action: 'application.fee-unpaid' }).first<{ data: string }>('data');
    assert.equal((JSON.parse(undone!.data) as { reason: string }).reason, 'Banka je vratila uplatu');
    assert.equal((await e2e.db('fee_payments').select('application_id')).length, 0);
    // And marks it paid again once the money is in.
    await clerk.page.type(`${INBOX} >>> #fee-statement`, 'Izvod 13/2026, stavka 1');
    await clerk.page.click(`${INBOX} >>> [part~="fee-paid-button"]`);
    await waitDeep(clerk.page, `${INBOX} >>> [part~="fee-undo-button"]`, 'the fee marked paid again');

    // The citizen's application now says the fee is paid (and no longer offers the code).
    await page.goto(`${e2e.url}/my-applications.html?lang=en`, { waitUntil: 'load' });
    const mine = await waitDeep(page, 'overa-my-applications >>> [part~="row-button"]', 'the application in My applications');
    await mine.click();
    const status = await waitDeep(page, 'overa-my-applications >>> [part~="payment-status"]', 'the fee status in the opened application');
    assert.equal(await textOf(status), 'Paid');
    assert.equal(await page.$('overa-my-applications >>> [part~="payment-qr"]'), null);
    assert.deepEqual(errors, []);
    await clerk.context.close();
    await context.close();
  });
});
