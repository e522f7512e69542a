/**
 * Screenshots for docs/components/img/<tag>.png: the real server (fresh database, demo
 * agency), the demo pages, headless Debian Chromium with a virtual passkey authenticator,
 * and a citizen walking the real path so every element shows real data. Run by `npm run docs`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { startE2E, addVirtualAuthenticator } from '../test/e2e/harness.ts';
import { citizenFillsInBuildingPermit, decide, officialJoins, waitDeep } from '../test/e2e/flows.ts';
import { createInvite } from '../server/services/invites.ts';
import { DEMO_AGENCY } from '../server/seed.ts';

const OUT = 'docs/components/img';
mkdirSync(OUT, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'overa-shots-'));
const e2e = await startE2E();

const deep = (page: Page, selector: string) => waitDeep(page, selector);

async function shoot(page: Page, selector: string, tag: string): Promise<void> {
  const el = await deep(page, selector);
  await new Promise((r) => setTimeout(r, 150));
  await el.screenshot({ path: `${OUT}/${tag}.png` });
  console.log(`screenshots: ${OUT}/${tag}.png`);
}

try {
  const page = await e2e.browser.newPage();
  await page.setViewport({ width: 900, height: 900, deviceScaleFactor: 1 });
  await addVirtualAuthenticator(page);

  await page.goto(`${e2e.url}/account.html?lang=en`, { waitUntil: 'networkidle0' });
  await shoot(page, 'overa-account', 'overa-account');

  const F = 'overa-application-form';
  await citizenFillsInBuildingPermit(e2e, page, scratch, {
    description: 'Family house, ground floor and one upper floor, 180 m²',
    projectFile: 'project.pdf',
    titleFile: 'title-sheet.png',
  });
  await shoot(page, F, 'overa-application-form');

  await page.click(`${F} >>> [part~="continue-button"]`);
  await deep(page, `${F} >>> [part~="check"]`);
  await page.click(`${F} >>> [part~="send-button"]`);
  await deep(page, `${F} >>> overa-sign >>> [part~="fingerprint"]`);
  await shoot(page, `${F} >>> overa-sign`, 'overa-sign');
  await page.click(`${F} >>> overa-sign >>> [part~="sign-button"]`);
  const tracking = await (await deep(page, `${F} >>> [part~="receipt"]`)).evaluate((el) => el.querySelector('.tracking')?.textContent?.trim() ?? '');

  await page.goto(`${e2e.url}/my-applications.html?lang=en`, { waitUntil: 'networkidle0' });
  await page.click(`overa-my-applications >>> [part~="row-button"]`);
  await deep(page, `overa-my-applications >>> [part~="timeline"]`);
  await shoot(page, 'overa-my-applications', 'overa-my-applications');
  await page.close();

  // An official of the agency, in a browser of their own, opens the request in the inbox.
  const context = await e2e.browser.createBrowserContext();
  const office = await context.newPage();
  await office.setViewport({ width: 1100, height: 1000, deviceScaleFactor: 1 });
  await addVirtualAuthenticator(office);
  const code = await createInvite(e2e.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, Date.now());
  await office.goto(`${e2e.url}/account.html?lang=en&invite=${code}`, { waitUntil: 'networkidle0' });
  await office.type('overa-account >>> [part~="name-input"]', 'Petar Petrović');
  await office.click('overa-account >>> [part~="register-button"]');
  await deep(office, 'overa-account >>> [part~="user"]');
  await office.goto(`${e2e.url}/inbox.html?lang=en`, { waitUntil: 'load' }); // the event stream never goes idle
  await deep(office, 'overa-approval-inbox >>> [part~="row-button"]'); // the list loads after the page
  await office.click('overa-approval-inbox >>> [part~="row-button"]');
  await deep(office, 'overa-approval-inbox >>> [part~="stepper"]');
  await shoot(office, 'overa-approval-inbox', 'overa-approval-inbox');
  // The request decided to the end and issued, for the code check below.
  await decide({ context, page: office }, tracking, 'Reviewed, pass it on');
  await context.close();
  for (const [name, roles, label] of [['Jelena Urbanista', ['urbanism'], 'Agree'], ['Dragan Katastar', ['cadastre'], 'Agree'], ['Milan Načelnik', ['head'], 'Approve']] as const) {
    const official = await officialJoins(e2e, name, [...roles]);
    await decide(official, tracking, label);
    await official.context.close();
  }

  // Public pages: the verification element waiting for a file or a code, and the statistics.
  const visitor = await e2e.browser.newPage();
  await visitor.setViewport({ width: 1000, height: 900, deviceScaleFactor: 1 });
  await visitor.goto(`${e2e.url}/verify.html?lang=en`, { waitUntil: 'networkidle0' });
  await shoot(visitor, 'overa-verify', 'overa-verify');
  // A valid code: the document issued with it, to compare with the one in hand (first page drawn).
  const [issued] = await e2e.db('documents').select('verification_code');
  await visitor.goto(`${e2e.url}/verify.html?lang=en&code=${issued.verification_code}`, { waitUntil: 'networkidle0' });
  await deep(visitor, 'overa-verify >>> canvas[part~="preview"][data-state="drawn"]');
  await shoot(visitor, 'overa-verify', 'overa-verify-code-check');
  await visitor.goto(`${e2e.url}/index.html?lang=en`, { waitUntil: 'networkidle0' });
  await shoot(visitor, 'overa-stats', 'overa-stats');
  // The builder is long: its first screen, the form's part beside the preview, on a wide screen.
  await visitor.setViewport({ width: 1400, height: 1000, deviceScaleFactor: 1 });
  await visitor.goto(`${e2e.url}/form-builder.html?lang=en&start=certificate-of-residence`, { waitUntil: 'networkidle0' });
  const builder = await deep(visitor, 'overa-form-builder');
  await visitor.waitForFunction(() => (document.querySelector('overa-form-builder') as unknown as { definition: { id: string } }).definition.id === 'certificate-of-residence');
  await new Promise((r) => setTimeout(r, 300));
  const box = (await builder.boundingBox())!;
  await visitor.screenshot({ path: `${OUT}/overa-form-builder.png`, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 1100) }, captureBeyondViewport: true });
  console.log(`screenshots: ${OUT}/overa-form-builder.png`);
  await visitor.close();
} finally {
  await e2e.close();
  rmSync(scratch, { recursive: true, force: true });
}
