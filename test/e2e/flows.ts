/**
 * What people do on the demo site, step by step, for the end-to-end tests: a citizen applies
 * for a building permit (passkey, answers, two uploads, signature), an official joins with an
 * invite code and decides in the inbox. Each uses the real pages and real ceremonies.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, ElementHandle, Page } from 'puppeteer-core';
import { addVirtualAuthenticator, type E2E } from './harness.ts';
import { samplePdf, samplePng } from '../helpers/files.ts';
import { createInvite } from '../../server/services/invites.ts';
import { DEMO_AGENCY } from '../../server/seed.ts';

/** Polls a deep selector (`a >>> b`): shadow-root changes do not wake puppeteer's own waiting. */
export async function waitDeep(page: Page, selector: string, what = selector, timeout = 15_000): Promise<ElementHandle<Element>> {
  try {
    const handle = await page.waitForFunction(
      (path: string) => {
        let scope: Document | ShadowRoot | null = document;
        let found: Element | null = null;
        for (const part of path.split(' >>> ')) {
          found = scope?.querySelector(part) ?? null;
          scope = found?.shadowRoot ?? null;
        }
        return found;
      },
      { timeout, polling: 50 },
      selector,
    );
    return handle as unknown as ElementHandle<Element>;
  } catch (err) {
    await page.screenshot({ path: `/tmp/overa-e2e-${what.replace(/\W+/g, '-').slice(0, 40)}.png`, fullPage: true }).catch(() => undefined);
    throw new Error(`${what} did not appear on ${page.url()}`, { cause: err });
  }
}

export const textOf = (handle: ElementHandle<Element>): Promise<string> => handle.evaluate((el) => el.textContent?.replace(/\s+/g, ' ').trim() ?? '');

const FORM = 'overa-application-form';

/** What the citizen writes and attaches (the defaults are Serbian, as a citizen would). */
export interface PermitAnswers {
  name?: string;
  description?: string;
  projectFile?: string;
  titleFile?: string;
}

/**
 * A citizen opens the building permit, creates a passkey inside the form, fills it in and
 * uploads two files (by default `projekat.pdf`, `list-nepokretnosti.png`); both uploads are done.
 */
export async function citizenFillsInBuildingPermit(e2e: E2E, page: Page, dir: string, answers: PermitAnswers = {}): Promise<void> {
  const {
    name = 'Milica Petrović',
    description = 'Porodična kuća — prizemlje i sprat, 180 m²',
    projectFile = 'projekat.pdf',
    titleFile = 'list-nepokretnosti.png',
  } = answers;
  await page.goto(`${e2e.url}/apply.html?form=building-permit&lang=en`, { waitUntil: 'load' });
  await waitDeep(page, `${FORM} >>> #f-investorType-0`, 'the form');
  const account = `${FORM} >>> overa-account`;
  await page.type(`${account} >>> [part~="name-input"]`, name);
  await page.click(`${account} >>> [part~="register-button"]`);
  await waitDeep(page, `${FORM} >>> #f-projectDocumentation:not([disabled])`, 'file inputs enabled after sign-in');

  await page.click(`${FORM} >>> #f-investorType-0`);
  await waitDeep(page, `${FORM} >>> #f-investorName`);
  await page.type(`${FORM} >>> #f-investorName`, name);
  await page.type(`${FORM} >>> #f-investorJmbg`, '0101990710008');
  await page.type(`${FORM} >>> #f-email`, 'milica@example.rs');
  await page.select(`${FORM} >>> #f-cadastralMunicipality`, 'futog');
  await page.type(`${FORM} >>> #f-parcelNumber`, '1234/5');
  await page.type(`${FORM} >>> #f-description`, description);
  await page.type(`${FORM} >>> #f-estimatedValue`, '12000000');
  await page.click(`${FORM} >>> #f-declaration`);

  const project = join(dir, projectFile);
  const title = join(dir, titleFile);
  writeFileSync(project, samplePdf('Idejni projekat'));
  writeFileSync(title, samplePng());
  await ((await page.$(`${FORM} >>> #f-projectDocumentation`)) as ElementHandle<HTMLInputElement>).uploadFile(project);
  await ((await page.$(`${FORM} >>> #f-ownershipProof`)) as ElementHandle<HTMLInputElement>).uploadFile(title);
  await page.waitForFunction(
    (form: string) => document.querySelector(form)!.shadowRoot!.querySelectorAll('.file-item--done').length === 2,
    { timeout: 15_000, polling: 50 },
    FORM,
  );
}

/**
 * A citizen creates a passkey inside the form, fills in the building permit, uploads two
 * files, signs with the passkey and sends. Resolves with the tracking number.
 */
export async function citizenAppliesForBuildingPermit(e2e: E2E, page: Page, dir: string, name = 'Milica Petrović'): Promise<string> {
  await citizenFillsInBuildingPermit(e2e, page, dir, { name });
  await page.click(`${FORM} >>> [part~="continue-button"]`);
  await waitDeep(page, `${FORM} >>> [part~="check"]`, 'check your answers');
  await page.click(`${FORM} >>> [part~="send-button"]`);
  await waitDeep(page, `${FORM} >>> overa-sign >>> [part~="fingerprint"]`, 'the fingerprint of what is signed');
  await page.click(`${FORM} >>> overa-sign >>> [part~="sign-button"]`);
  const receipt = await waitDeep(page, `${FORM} >>> [part~="receipt"]`, 'the receipt', 20_000);
  return receipt.evaluate((el) => el.querySelector('.tracking')?.textContent?.trim() ?? '');
}

export interface Official {
  context: BrowserContext;
  page: Page;
}

/** An official joins with a one-time invite code, in a browser of their own with their own authenticator, and opens the inbox. */
export async function officialJoins(e2e: E2E, name: string, roles: string[], agencyId: string = DEMO_AGENCY.id): Promise<Official> {
  const context = await e2e.browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1200, height: 900 });
  await addVirtualAuthenticator(page);
  const code = await createInvite(e2e.db, { agencyId, roles }, Date.now());
  await page.goto(`${e2e.url}/account.html?lang=en&invite=${code}`, { waitUntil: 'load' });
  await waitDeep(page, 'overa-account >>> [part~="invite-input"]', 'the invite field');
  await page.type('overa-account >>> [part~="name-input"]', name);
  await page.click('overa-account >>> [part~="register-button"]');
  await waitDeep(page, 'overa-account >>> [part~="user"]', `${name} signed in`);
  // The inbox keeps an event stream open: the page never goes network-idle.
  await page.goto(`${e2e.url}/inbox.html?lang=en`, { waitUntil: 'load' });
  return { context, page };
}

const INBOX = 'overa-approval-inbox';

/** In the official's inbox: open the request, choose the decision, (comment,) sign with the passkey; waits until it is recorded. */
export async function decide(official: Official, trackingNumber: string, decisionLabel: string, comment = ''): Promise<void> {
  const { page } = official;
  const row = await waitDeep(page, `${INBOX} >>> [part~="row-button"]`, 'a request in the inbox');
  const rows = await page.$$(`${INBOX} >>> [part~="row-button"]`);
  let target = row;
  for (const r of rows) if ((await textOf(r)).includes(trackingNumber)) target = r;
  await target.click();
  await waitDeep(page, `${INBOX} >>> [part~="decision"]`, `the decision buttons for ${decisionLabel}`);
  const buttons = await page.$$(`${INBOX} >>> .decision .actions button`);
  let chosen: ElementHandle<Element> | undefined;
  for (const b of buttons) if ((await textOf(b)) === decisionLabel) chosen = b;
  if (!chosen) throw new Error(`no "${decisionLabel}" button`);
  await chosen.click();
  await waitDeep(page, `${INBOX} >>> #decision-comment`);
  if (comment) await page.type(`${INBOX} >>> #decision-comment`, comment);
  await page.click(`${INBOX} >>> .decision-form button[type="submit"]`);
  await waitDeep(page, `${INBOX} >>> overa-sign >>> [part~="fingerprint"]`, 'the decision to sign');
  await page.click(`${INBOX} >>> overa-sign >>> [part~="sign-button"]`);
  try {
    await page.waitForFunction(
      (inbox: string) => {
        const root = document.querySelector(inbox)?.shadowRoot;
        return root && !root.querySelector('overa-sign') && !root.querySelector('.decision-form') && root.querySelector('[part~="stepper"]');
      },
      { timeout: 15_000, polling: 50 },
      INBOX,
    );
  } catch (err) {
    const shown = await page.$eval(INBOX, (el) => el.shadowRoot?.querySelector('.decision')?.textContent?.replace(/\s+/g, ' ').trim() ?? '(no decision box)');
    throw new Error(`the decision "${decisionLabel}" was not recorded; the inbox shows: ${shown}`, { cause: err });
  }
}
