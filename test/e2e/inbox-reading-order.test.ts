/**
 * Issue 17, item 7, end to end in real Chromium against the real server: the head of department
 * opens a building permit that the clerk reviewed and two departments agreed to, on a 1280×800
 * screen. The answers and the attachments come before the decision buttons (in the document and
 * on the screen); after "Continue to signing" the sign button is on the screen without scrolling
 * (and not covered by anything); after the approval the case shows the issued document: its
 * verification code and its PDF.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { startE2E, addVirtualAuthenticator, type E2E } from './harness.ts';
import { citizenAppliesForBuildingPermit, decide, officialJoins, textOf, waitDeep } from './flows.ts';

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

const INBOX = 'overa-approval-inbox';

interface Box { top: number; bottom: number; left: number; right: number }

/** Where the open case's parts are on the screen, and in which order they come in the document. */
function caseLayout(page: Page): Promise<{ answers: Box; attachments: Box; buttons: Box[]; documentOrder: boolean }> {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  return page.$eval(INBOX, (inbox) => {
    const root = inbox.shadowRoot!;
    const answers = [...root.querySelectorAll('.detail h4')].find((h) => h.textContent?.trim() === 'Answers')!;
    const attachments = root.querySelector('.detail .attachments')!;
    const buttons = [...root.querySelectorAll('.decision .actions button')];
    const [a, t] = [answers, attachments].map((el) => el.getBoundingClientRect());
    return {
      answers: { top: a!.top, bottom: a!.bottom, left: a!.left, right: a!.right },
      attachments: { top: t!.top, bottom: t!.bottom, left: t!.left, right: t!.right },
      buttons: buttons.map((b) => b.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom, left: r.left, right: r.right })),
      documentOrder: buttons.every(
        (b) => Boolean(answers.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) && Boolean(attachments.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING),
      ),
    };
  });
}

describe('returning people sign in first on the demo pages where they have an account', () => {
  for (const path of ['/my-applications.html', '/inbox.html']) {
    test(`${path}: "Sign in with a passkey" is the first, primary action; creating one comes after`, async () => {
      const page = await e2e.browser.newPage();
      await page.setViewport({ width: 1280, height: 800 });
      await page.goto(`${e2e.url}${path}?lang=en`, { waitUntil: 'load' });
      await waitDeep(page, 'overa-account >>> [part~="register-button"]', 'the account element');
      const order = await page.$eval('overa-account', (el) => {
        const root = el.shadowRoot!;
        const signIn = root.querySelector('[part~="sign-in-button"]')!;
        const create = root.querySelector('[part~="register-button"]')!;
        return {
          signInPrimary: signIn.classList.contains('primary'),
          createPrimary: create.classList.contains('primary'),
          signInFirst: Boolean(signIn.compareDocumentPosition(create) & Node.DOCUMENT_POSITION_FOLLOWING),
          signInAbove: signIn.getBoundingClientRect().bottom <= create.getBoundingClientRect().top,
        };
      });
      assert.deepEqual(order, { signInPrimary: true, createPrimary: false, signInFirst: true, signInAbove: true });
      await page.close();
    });
  }
});

describe('the back office reading order', () => {
  test('answers and attachments first, the sign button on a 1280×800 screen, then the issued document', async () => {
    const citizenContext = await e2e.browser.createBrowserContext();
    const citizen = await citizenContext.newPage();
    await addVirtualAuthenticator(citizen);
    const tracking = await citizenAppliesForBuildingPermit(e2e, citizen, dir);
    const clerk = await officialJoins(e2e, 'Petar Referent', ['clerk']);
    await decide(clerk, tracking, 'Reviewed, pass it on');
    const urbanism = await officialJoins(e2e, 'Jelena Urbanista', ['urbanism']);
    await decide(urbanism, tracking, 'Agree');
    const cadastre = await officialJoins(e2e, 'Dragan Katastar', ['cadastre']);
    await decide(cadastre, tracking, 'Agree');

    const head = await officialJoins(e2e, 'Milan Načelnik', ['head']);
    const { page } = head;
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push((err as Error).message));
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto(`${e2e.url}/inbox.html?lang=en`, { waitUntil: 'load' });
    await waitDeep(page, `${INBOX} >>> [part~="row-button"]`, 'the request in the head\'s inbox');
    for (const row of await page.$$(`${INBOX} >>> [part~="row-button"]`)) if ((await textOf(row)).includes(tracking)) await row.click();
    await waitDeep(page, `${INBOX} >>> .decision .actions button`, 'the decision buttons');
    await waitDeep(page, `${INBOX} >>> .detail .attachments`, 'the attachments');

    // What is decided on comes first: in the document, and on the screen above the buttons.
    const layout = await caseLayout(page);
    assert.equal(layout.documentOrder, true, 'answers and attachments come before the decision buttons in the document');
    for (const b of layout.buttons) {
      assert.ok(layout.answers.bottom <= b.top, 'the answers are above the decision buttons');
      assert.ok(layout.attachments.bottom <= b.top, 'the attachments are above the decision buttons');
    }

    // Approve: no comment is needed; continue to signing.
    for (const b of await page.$$(`${INBOX} >>> .decision .actions button`)) if ((await textOf(b)) === 'Approve') await b.click();
    await waitDeep(page, `${INBOX} >>> .decision-form button[type="submit"]`, 'the comment form');
    await page.click(`${INBOX} >>> .decision-form button[type="submit"]`);
    await waitDeep(page, `${INBOX} >>> overa-sign >>> [part~="fingerprint"]`, 'the decision to sign');
    // Nobody scrolls: the element brings the sign box's foot into view once its content is in.
    const onScreen = await page.waitForFunction(
      (inbox: string) => {
        const button = document.querySelector(inbox)?.shadowRoot?.querySelector('overa-sign')?.shadowRoot?.querySelector<HTMLButtonElement>('[part~="sign-button"]');
        if (!button || button.disabled) return false;
        const r = button.getBoundingClientRect();
        if (r.top < 0 || r.bottom > window.innerHeight || r.left < 0 || r.right > window.innerWidth) return false;
        // Not covered: the point at its centre is the button (through the shadow roots).
        let hit: Element | null = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
        while (hit?.shadowRoot) {
          const inner = hit.shadowRoot.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
          if (!inner || inner === hit) break;
          hit = inner;
        }
        return hit === button || button.contains(hit) ? { top: r.top, bottom: r.bottom, viewport: window.innerHeight } : false;
      },
      { timeout: 15_000, polling: 50 },
      INBOX,
    );
    const seen = (await onScreen.jsonValue()) as { top: number; bottom: number; viewport: number };
    assert.equal(seen.viewport, 800);
    assert.ok(seen.bottom <= 800, `the sign button is on the screen: ${JSON.stringify(seen)}`);

    await page.click(`${INBOX} >>> overa-sign >>> [part~="sign-button"]`);
    const code = await waitDeep(page, `${INBOX} >>> [part~="issued-document"] [part~="verification-code"]`, 'the issued document in the case', 20_000);
    const [doc] = await e2e.db('documents').where({ tracking_number: tracking }).select('id', 'verification_code');
    assert.ok(doc, 'a document was issued');
    assert.equal(await textOf(code), doc.verification_code);
    const issued = await textOf(await waitDeep(page, `${INBOX} >>> [part~="issued-document"]`));
    assert.match(issued, /^Document issued Verification code ?[A-Z0-9-]+ Issued ?.+ Download the document \(PDF\)/);
    const verifyHref = await page.$eval(`${INBOX} >>> [part~="document-verify-link"]`, (a) => (a as HTMLAnchorElement).href);
    assert.ok(verifyHref.includes(encodeURIComponent(doc.verification_code)) || verifyHref.includes(doc.verification_code), verifyHref);
    // The PDF: the button fetches it with the official's session.
    const pdf = page.waitForResponse((r) => r.url().endsWith(`/api/v1/documents/${doc.id}/pdf`));
    await page.click(`${INBOX} >>> [part~="document-download-button"]`);
    const response = await pdf;
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['content-type'], 'application/pdf');

    assert.deepEqual(errors, []);
    for (const o of [clerk, urbanism, cadastre, head]) await o.context.close();
    await citizenContext.close();
  });
});
