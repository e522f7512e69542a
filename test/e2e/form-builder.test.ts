/**
 * The form builder end to end (issue 21, item 5), in real Chromium against the real server: an
 * administrator of the demo agency builds a form from nothing on examples/form-builder.html (two
 * questions on two pages, a fee, a review by a clerk before the head approves), saves and
 * publishes it with the builder's own buttons; a citizen applies with it page by page; the
 * receipt's IPS QR code, screenshotted and read by `zbarimg`, is exactly core's payment text for
 * the fee the administrator typed; the clerk reviews, the head approves, the document is issued.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { startE2E, addVirtualAuthenticator, type E2E } from './harness.ts';
import { decide, officialJoins, waitDeep } from './flows.ts';
import { feeIpsQrPayload } from '../../components/core/payments/fee.ts';
import type { FeeSpec } from '../../components/core/forms/definition.ts';
import { createInvite } from '../../server/services/invites.ts';
import { DEMO_AGENCY } from '../../server/seed.ts';

const BUILDER = 'overa-form-builder';
const FORM = 'overa-application-form';

/** The fee as the administrator types it below. */
const FEE: FeeSpec = { amount: 500, payee: { name: 'Gradska uprava Novi Primer', account: '840-742221843-57' }, paymentCode: '253', purpose: 'Gradska taksa za psa' };

let e2e: E2E;
let dir: string;
before(async () => {
  e2e = await startE2E();
  dir = mkdtempSync(join(tmpdir(), 'overa-e2e-builder-'));
});
after(async () => {
  await e2e.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A control of the builder by its id (a JSON pointer such as `/fields/0/label`, which CSS would need escaped). */
async function control(page: Page, id: string): Promise<ElementHandle<HTMLInputElement>> {
  await page.waitForFunction((tag: string, i: string) => document.querySelector(tag)?.shadowRoot?.getElementById(i), { timeout: 10_000, polling: 50 }, BUILDER, id);
  return (await page.evaluateHandle((tag: string, i: string) => document.querySelector(tag)!.shadowRoot!.getElementById(i), BUILDER, id)) as ElementHandle<HTMLInputElement>;
}

/** Types into a control as a person does (what is there selected first). */
async function write(page: Page, id: string, value: string): Promise<void> {
  const input = await control(page, id);
  await input.click({ count: 3 });
  await input.evaluate((el) => el.select());
  await input.type(value);
}

const click = async (page: Page, id: string) => (await control(page, id)).click();

describe('<overa-form-builder> end to end', () => {
  test('an administrator builds and publishes a form with pages and a fee; a citizen applies, the QR pays it, the clerk reviews and the head approves', async () => {
    // The administrator joins with an invite, then opens the builder.
    const admin = await e2e.browser.createBrowserContext();
    const page = await admin.newPage();
    await page.setViewport({ width: 1400, height: 1000 });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push((err as Error).message));
    await addVirtualAuthenticator(page);
    const code = await createInvite(e2e.db, { agencyId: DEMO_AGENCY.id, roles: [], kind: 'admin' }, Date.now());
    await page.goto(`${e2e.url}/account.html?lang=en&invite=${code}`, { waitUntil: 'load' });
    await waitDeep(page, 'overa-account >>> [part~="invite-input"]', 'the invite field');
    await page.type('overa-account >>> [part~="name-input"]', 'Ana Administratorka');
    await page.click('overa-account >>> [part~="register-button"]');
    await waitDeep(page, 'overa-account >>> [part~="user"]', 'the administrator signed in');
    await page.goto(`${e2e.url}/form-builder.html?lang=en`, { waitUntil: 'load' });
    await waitDeep(page, `${BUILDER} >>> [part~="publish-button"]`, 'the builder, connected');

    await write(page, '/id', 'dog-tag');
    await write(page, '/title', 'Markica za psa');
    await click(page, '/fields#add');
    await write(page, '/fields/0/name', 'ownerName');
    await write(page, '/fields/0/label', 'Ime i prezime vlasnika');
    await click(page, '/fields/0/required');
    await click(page, '/fields#add');
    await write(page, '/fields/1/name', 'dogName');
    await write(page, '/fields/1/label', 'Ime psa');
    await click(page, '/fields/1/required');
    // Pages: both questions start on the first; the second page takes the dog's name.
    await click(page, '/pages');
    await write(page, '/pages/0/title', 'Vlasnik');
    await click(page, '/pages#add');
    await write(page, '/pages/1/title', 'Pas');
    await click(page, '/pages/1/fields#1');
    await click(page, '/fee');
    await write(page, '/fee/amount', '500');
    await write(page, '/fee/payee/name', FEE.payee.name);
    await write(page, '/fee/payee/account', FEE.payee.account);
    await write(page, '/fee/purpose', 'Gradska taksa za psa');
    // A review step (the first of the agency's roles, the clerk) before the head's approval.
    await click(page, '/approvalLine#add');
    await write(page, '/document/template', 'dog-tag');
    await write(page, '/document/title', 'Markica za psa');
    await (await waitDeep(page, `${BUILDER} >>> [part~="publish-button"]`)).click();
    await page.waitForFunction(
      (tag: string) => document.querySelector(tag)?.shadowRoot?.querySelector('[part~="status"]')?.textContent?.includes('Published as version 1'),
      { timeout: 15_000, polling: 50 },
      BUILDER,
    ).catch(async (err) => {
      const summary = await page.evaluate((tag: string) => document.querySelector(tag)?.shadowRoot?.querySelector('.error-summary')?.textContent ?? '', BUILDER);
      throw new Error(`not published: ${summary.replace(/\s+/g, ' ')}`, { cause: err });
    });
    const [stored] = await e2e.db('form_versions').where({ form_id: 'dog-tag', version: 1 }).select('definition');
    const published = JSON.parse(stored.definition);
    assert.deepEqual(published.fee, FEE);
    assert.deepEqual(published.pages.map((p: { fields: string[] }) => p.fields), [['ownerName'], ['dogName']]);
    assert.deepEqual(published.approvalLine.map((s: { kind: string; assignee: { role: string } }) => `${s.kind} ${s.assignee.role}`), ['review clerk', 'approve head']);

    // A citizen applies with it, page by page.
    const citizen = await e2e.browser.createBrowserContext();
    const apply = await citizen.newPage();
    await apply.setViewport({ width: 1000, height: 1400 });
    apply.on('pageerror', (err) => errors.push((err as Error).message));
    await addVirtualAuthenticator(apply);
    await apply.goto(`${e2e.url}/apply.html?form=dog-tag&lang=en`, { waitUntil: 'load' });
    await waitDeep(apply, `${FORM} >>> #f-ownerName`, 'the first page');
    await apply.type(`${FORM} >>> #f-ownerName`, 'Milica Petrović');
    await apply.click(`${FORM} >>> [part~="continue-button"]`);
    await waitDeep(apply, `${FORM} >>> #f-dogName`, 'the second page');
    await apply.type(`${FORM} >>> #f-dogName`, 'Žuća');
    await apply.click(`${FORM} >>> [part~="continue-button"]`);
    await waitDeep(apply, `${FORM} >>> [part~="check"]`, 'check your answers');
    // No files asked: the passkey is made on the check page, before sending.
    await waitDeep(apply, `${FORM} >>> overa-account >>> [part~="name-input"]`, 'the sign-in before sending');
    await apply.type(`${FORM} >>> overa-account >>> [part~="name-input"]`, 'Milica Petrović');
    await apply.click(`${FORM} >>> overa-account >>> [part~="register-button"]`);
    await waitDeep(apply, `${FORM} >>> [part~="send-button"]`, 'the citizen signed in');
    await apply.click(`${FORM} >>> [part~="send-button"]`);
    const receipt = await waitDeep(apply, `${FORM} >>> [part~="receipt"]`, 'the receipt', 20_000);
    const tracking = await receipt.evaluate((el) => el.querySelector('.tracking')?.textContent?.trim() ?? '');
    assert.match(tracking, /\S/);

    // The IPS QR code on the receipt, read as a camera would (see fees.test.ts for -Sbinary).
    const qr = await waitDeep(apply, `${FORM} >>> [part~="payment-qr"]`, 'the IPS QR code');
    await qr.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const png = join(dir, 'ips-qr.png');
    await qr.screenshot({ path: png });
    const bytes = execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', '-Sbinary', png]);
    assert.equal(new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/\n$/, ''), feeIpsQrPayload(FEE, tracking));

    // The clerk reviews, the head approves: the document is issued.
    const clerk = await officialJoins(e2e, 'Petar Referent', ['clerk']);
    await decide(clerk, tracking, 'Reviewed, pass it on');
    const head = await officialJoins(e2e, 'Milan Načelnik', ['head']);
    await decide(head, tracking, 'Approve');
    const [application] = await e2e.db('applications').where({ tracking_number: tracking }).select('id', 'status', 'form_id', 'form_version');
    assert.deepEqual([application.form_id, application.form_version], ['dog-tag', 1]);
    assert.match(application.status, /^(approved|issued)$/);
    const documents = await e2e.db('documents').where({ application_id: application.id }).select('id');
    assert.equal(documents.length, 1);
    assert.deepEqual(errors, []);
    for (const c of [admin, citizen, clerk.context, head.context]) await c.close();
  });
});
