/**
 * The whole passkey account path in real Chromium, against the real server and database,
 * through the demo's account page: the virtual authenticator performs real ceremonies.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, ElementHandle, Page } from 'puppeteer-core';
import { startE2E, addVirtualAuthenticator, type E2E } from './harness.ts';
import { createInvite } from '../../server/services/invites.ts';
import { DEMO_AGENCY } from '../../server/seed.ts';

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e.close());

const part = (name: string) => `overa-account >>> [part~="${name}"]`;

/** Waits for a part; on time-out, fails with what the element shows instead (and a screenshot). */
async function waitForPart(page: Page, name: string, suffix = '') {
  try {
    // Polled: puppeteer re-checks deep selectors on document mutations, and changes inside
    // a shadow root do not fire those.
    const handle = await page.waitForFunction(
      (sel: string) => document.querySelector('overa-account')?.shadowRoot?.querySelector(sel),
      { timeout: 10_000, polling: 50 },
      `[part~="${name}"]${suffix}`,
    );
    return handle as unknown as ElementHandle<Element>;
  } catch (err) {
    const shown = await page.$eval('overa-account', (el) => el.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim()).catch(() => '(no element)');
    await page.screenshot({ path: `/tmp/overa-e2e-${name}.png` }).catch(() => undefined);
    throw new Error(`part "${name}${suffix}" did not appear; the element shows: ${shown}`, { cause: err });
  }
}

async function openAccountPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (err) => assert.fail(`page error: ${(err as Error).message}`));
  await page.goto(`${e2e.url}/account.html?lang=en`, { waitUntil: 'load' });
  await waitForPart(page, 'register-button');
  return page;
}

async function users(): Promise<{ display_name: string; kind: string; agency_id: string | null }[]> {
  return e2e.db('users').select('display_name', 'kind', 'agency_id').orderBy('created_at');
}

describe('passkey accounts end to end', () => {
  test('a citizen creates a passkey, signs out, and signs in again', async () => {
    const context = await e2e.browser.createBrowserContext();
    const page = await openAccountPage(context);
    const authenticator = await addVirtualAuthenticator(page);

    await page.type(part('name-input'), 'Milica Petrović');
    await page.click(part('register-button'));
    const user = await waitForPart(page, 'user');
    assert.match(await user.evaluate((el) => el.textContent ?? ''), /Milica Petrović/);
    const creds = await authenticator.credentials();
    assert.equal(creds.length, 1);
    assert.equal(creds[0]!.isResidentCredential, true);
    assert.deepEqual(await users(), [{ display_name: 'Milica Petrović', kind: 'citizen', agency_id: null }]);

    // A reload keeps the session (token in sessionStorage) and restores it through GET /me.
    await page.reload({ waitUntil: 'load' });
    await waitForPart(page, 'user');

    await page.click(part('sign-out-button'));
    await waitForPart(page, 'sign-in-button');
    assert.equal(await e2e.db('sessions').count({ n: '*' }).first().then((r) => Number(r!.n)), 0);

    await page.click(part('sign-in-button'));
    const again = await waitForPart(page, 'user');
    assert.match(await again.evaluate((el) => el.textContent ?? ''), /Milica Petrović/);
    const [cred] = await authenticator.credentials();
    assert.ok(cred!.signCount >= 1, 'the sign counter advanced');
    await context.close();
  });

  test('an official registers with an invite code, and the same code is refused the second time', async () => {
    const code = await createInvite(e2e.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, Date.now());

    const first = await e2e.browser.createBrowserContext();
    const page = await openAccountPage(first);
    await addVirtualAuthenticator(page);
    await page.goto(`${e2e.url}/account.html?lang=en&invite=${code}`, { waitUntil: 'load' });
    await waitForPart(page, 'invite-input');
    await page.type(part('name-input'), 'Petar Službenik');
    await page.click(part('register-button'));
    const user = await waitForPart(page, 'user');
    assert.match(await user.evaluate((el) => el.textContent ?? ''), /Petar Službenik/);
    const official = (await users()).find((u) => u.display_name === 'Petar Službenik');
    assert.deepEqual(official, { display_name: 'Petar Službenik', kind: 'official', agency_id: DEMO_AGENCY.id });
    await first.close();

    const second = await e2e.browser.createBrowserContext();
    const other = await openAccountPage(second);
    const authenticator = await addVirtualAuthenticator(other);
    await other.goto(`${e2e.url}/account.html?lang=en&invite=${code}`, { waitUntil: 'load' });
    await waitForPart(other, 'invite-input');
    await other.type(part('name-input'), 'Uljez');
    const before = (await users()).length;
    await other.click(part('register-button'));
    await waitForPart(other, 'invite-input', '[aria-invalid="true"]');
    const message = await other.$eval('overa-account', (el) => el.shadowRoot!.textContent ?? '');
    assert.match(message, /already been used/i);
    assert.equal((await users()).length, before);
    assert.equal((await authenticator.credentials()).length, 0, 'no passkey was created for a refused invite');
    await second.close();
  });
});
