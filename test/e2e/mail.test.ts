/**
 * Issue 20 end to end, through the e-mails: the real server as a process of its own (`overa
 * start`, with its outbox worker), a real SMTP server on loopback and real Chromium on the demo
 * pages. A citizen gives an address in <overa-account> and confirms it with the code from the
 * mail, applies, the clerk returns the application with a reason, the citizen opens "My
 * applications" from that mail and resubmits, the clerk passes it on and the head approves: the
 * document is issued. Each mail arrives once, in the citizen's language and script (Serbian,
 * Latin), with the reason and the verification code and nothing of the answers; the My
 * applications link and the unsubscribe link work in the browser.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { childEnv, freePort, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { createTestDb, type TestDb } from '../helpers/test-server.ts';
import { CHROMIUM_PATH, chromiumArgs } from '../helpers/chromium.ts';
import { JMBG } from '../helpers/sample-data.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { ensureDemoKeys } from '../../server/documents/keys.ts';
import { addVirtualAuthenticator, type E2E } from './harness.ts';
import { decide, officialJoins, textOf, waitDeep } from './flows.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../helpers/smtp-sink.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FORM = 'overa-application-form';
const ACCOUNT = 'overa-account';
const LIST = 'overa-my-applications';
const ADDRESS = 'jelena.jovanovic@example.rs';
const REASON = 'Nedostaje broj stana u adresi.';

let t: TestDb;
let server: ChildServer;
let smtp: SmtpSink;
let browser: Browser;
let url: string;
const mails: ReceivedMail[] = [];

before(async () => {
  if (!existsSync(`${ROOT}dist/overa.bundle.js`)) throw new Error('dist/overa.bundle.js is missing: run `npm run build` first');
  smtp = await startSmtpSink(mails);
  const smtpPort = smtp.port;

  t = await createTestDb();
  await seedDemo(t.db, Date.now());
  // The seal the head's approval issues with (the demo would make it; this server is not the demo).
  await ensureDemoKeys(t.config, [DEMO_AGENCY]);
  const port = await freePort();
  url = `http://localhost:${port}`;
  server = await startChildServer(
    await childEnv(t, {
      OVERA_STATIC_DIR: `${ROOT}examples`,
      OVERA_FORMS_DIR: `${ROOT}examples/forms`,
      OVERA_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      OVERA_MAIL_FROM: 'Opština Novi Primer <no-reply@opstina.example.rs>',
      OVERA_MY_APPLICATIONS_URL: `${url}/my-applications.html`,
      OVERA_OUTBOX_POLL_MS: '50',
      OVERA_OUTBOX_BACKOFF_MS: '100',
    }),
    [],
    { port },
  );
  browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(), headless: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.close();
  await t?.drop();
});

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}; mails so far: ${mails.map((m) => m.subject).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The mail with this subject, once it has arrived. */
async function mailAbout(subject: string): Promise<ReceivedMail> {
  await until(() => mails.some((m) => m.subject === subject), `the mail "${subject}"`);
  return mails.find((m) => m.subject === subject)!;
}

const linkIn = (mail: ReceivedMail, pattern: RegExp): string => {
  const found = pattern.exec(mail.text);
  assert.ok(found, `a link in "${mail.subject}": ${mail.text}`);
  return found[1]!;
};

/** The E2E shape the shared flows take (an official joins, decides in the inbox). */
const e2e = (): E2E => ({ ...t, url, browser, close: async () => undefined });

async function type(page: Page, selector: string, value: string): Promise<void> {
  await page.click(selector, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, value);
}

describe('one application followed through its e-mails', () => {
  test('address confirmed in the browser; received, returned with the reason, received again, issued: each once, in Serbian Latin, with working links', async () => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push((err as Error).message));
    await addVirtualAuthenticator(page);

    // The account page: a passkey, then "Notifications by e-mail" (the server has SMTP).
    await page.goto(`${url}/account.html?lang=sr-Latn`, { waitUntil: 'load' });
    await waitDeep(page, `${ACCOUNT} >>> [part~="name-input"]`, 'the account form');
    await page.type(`${ACCOUNT} >>> [part~="name-input"]`, 'Jelena Jovanović');
    await page.click(`${ACCOUNT} >>> [part~="register-button"]`);
    const part = await waitDeep(page, `${ACCOUNT} >>> [part~="mail"]`, 'the e-mail part');
    assert.match(await textOf(part), /^Obaveštenja e-poštom Ne primate e-poruke o svojim zahtevima\./);
    await page.type(`${ACCOUNT} >>> [part~="mail-address-input"]`, ADDRESS);
    await page.keyboard.press('Enter');
    await waitDeep(page, `${ACCOUNT} >>> [part~="mail-code-input"]`, 'the code field');
    const confirm = await mailAbout('Potvrdite adresu e-pošte');
    assert.equal(confirm.to, ADDRESS);
    const code = /\b(\d{6})\b/.exec(confirm.text)![1]!;
    // Not confirmed yet: the address is not used (the server's own tests show nothing is queued).
    assert.equal((await t.db('mail_addresses').first('address', 'pending_address')).address, null);
    await page.type(`${ACCOUNT} >>> [part~="mail-code-input"]`, code);
    await page.keyboard.press('Enter');
    const state = await waitDeep(page, `${ACCOUNT} >>> .mail-state`, 'the confirmed address');
    assert.equal(await textOf(state), `Obaveštenja stižu na ${ADDRESS}.`);

    // Apply (the same tab: the same session).
    await page.goto(`${url}/apply.html?lang=sr-Latn`, { waitUntil: 'load' });
    await waitDeep(page, `${FORM} >>> #f-firstName`, 'the form');
    for (const [id, value] of [['firstName', 'Jelena'], ['lastName', 'Jovanović'], ['jmbg', JMBG], ['street', 'Bulevar oslobođenja 12'], ['place', 'Novi Sad'], ['postalCode', '21000']]) {
      await page.type(`${FORM} >>> #f-${id}`, value!);
    }
    await page.select(`${FORM} >>> #f-purpose`, 'employment');
    await page.click(`${FORM} >>> #f-delivery-0`);
    await page.click(`${FORM} >>> [part~="continue-button"]`);
    await waitDeep(page, `${FORM} >>> [part~="check"]`, 'check your answers');
    await page.click(`${FORM} >>> [part~="send-button"]`);
    const receipt = await waitDeep(page, `${FORM} >>> [part~="receipt"]`, 'the receipt', 20_000);
    const tracking = await receipt.evaluate((el) => el.querySelector('.tracking')?.textContent?.trim() ?? '');
    // The receipt says where the updates go (no offer: they are on already).
    assert.equal(await textOf(await waitDeep(page, `${FORM} >>> .mail-state`, 'the receipt\'s mail line')), `Obaveštenja o ovom zahtevu stižu na ${ADDRESS}.`);
    const received = await mailAbout(`Primili smo vaš zahtev ${tracking}`);

    // The clerk returns it, with a reason.
    const clerk = await officialJoins(e2e(), 'Petar Službenik', ['clerk']);
    await decide(clerk, tracking, 'Return to the applicant', REASON);
    const returned = await mailAbout(`Vaš zahtev ${tracking} je vraćen na dopunu`);
    assert.ok(returned.text.includes(`Obrazloženje službenika: ${REASON}`), returned.text);

    // The citizen follows the mail's My applications link, and changes and resubmits there.
    const myApplications = linkIn(returned, /Pogledajte u delu Moji zahtevi: (\S+)/);
    assert.equal(myApplications, `${url}/my-applications.html`);
    await page.goto(myApplications, { waitUntil: 'load' });
    const row = await waitDeep(page, `${LIST} >>> [part~="row"]`, 'the application in My applications');
    assert.match(await textOf(row), new RegExp(tracking));
    await page.click(`${LIST} >>> [part~="row-button"]`);
    await waitDeep(page, `${LIST} >>> [part~="resubmit-button"]`, 'Change and resubmit');
    await page.click(`${LIST} >>> [part~="resubmit-button"]`);
    const inner = `${LIST} >>> ${FORM}`;
    await waitDeep(page, `${inner} >>> #f-street`, 'the returned application in the form');
    await type(page, `${inner} >>> #f-street`, 'Bulevar oslobođenja 12, stan 4');
    await page.click(`${inner} >>> [part~="continue-button"]`);
    await waitDeep(page, `${inner} >>> [part~="send-button"]`, 'check your answers, again');
    await page.click(`${inner} >>> [part~="send-button"]`);
    await waitDeep(page, `${LIST} >>> [part~="success"]`, 'sent again');
    await until(() => mails.filter((m) => m.subject === `Primili smo vaš zahtev ${tracking}`).length === 2, 'the second "received"');

    // Passed on and approved: the document is issued.
    await decide(clerk, tracking, 'Reviewed, pass it on');
    const head = await officialJoins(e2e(), 'Jelena Načelnik', ['head']);
    await decide(head, tracking, 'Approve');
    const issued = await mailAbout(`Izdat je dokument po vašem zahtevu ${tracking}`);
    const doc = await t.db('documents').where({ tracking_number: tracking }).first('verification_code');
    assert.ok(issued.text.includes(`Kod za proveru: ${doc.verification_code}`), issued.text);

    // Each once, to the confirmed address, in Serbian Latin, text and HTML, nothing of the answers.
    const mine = mails.filter((m) => m.to === ADDRESS);
    assert.deepEqual(mine.map((m) => m.subject), [
      'Potvrdite adresu e-pošte',
      `Primili smo vaš zahtev ${tracking}`,
      `Vaš zahtev ${tracking} je vraćen na dopunu`,
      `Primili smo vaš zahtev ${tracking}`,
      `Izdat je dokument po vašem zahtevu ${tracking}`,
    ]);
    assert.equal(mails.length, mine.length, 'no mail to anybody else');
    assert.equal(new Set(mine.map((m) => m.messageId)).size, mine.length, 'no mail twice');
    for (const m of mine) {
      assert.match(m.html, /<html lang="sr-Latn">/, m.subject);
      for (const secret of [JMBG, 'Bulevar', 'Jovanović', '%PDF']) assert.ok(!m.text.includes(secret) && !m.html.includes(secret), `"${m.subject}" carries "${secret}"`);
    }
    for (const m of [received, returned, issued]) assert.ok(m.text.includes(`${url}/my-applications.html`) && m.html.includes(`href="${url}/my-applications.html"`), m.subject);

    // The issued mail's My applications link: the application, issued.
    await page.goto(linkIn(issued, /Pogledajte u delu Moji zahtevi: (\S+)/), { waitUntil: 'load' });
    const issuedRow = await waitDeep(page, `${LIST} >>> [part~="row"]`, 'the issued application');
    await page.waitForFunction(
      (list: string, tn: string) => [...document.querySelector(list)!.shadowRoot!.querySelectorAll('[part~="row"]')].some((r) => r.textContent!.includes(tn) && r.textContent!.includes('Dokument izdat')),
      { timeout: 15_000, polling: 100 },
      LIST,
      tracking,
    );
    assert.match(await textOf(issuedRow), new RegExp(tracking));

    // The unsubscribe link: a page with one button (opening it changes nothing); the button stops them.
    const unsubscribe = linkIn(issued, /Da više ne primate ove poruke: (\S+)/);
    await page.goto(unsubscribe, { waitUntil: 'load' });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'sr-Latn');
    assert.equal((await t.db('mail_addresses').first('notify')).notify ? 1 : 0, 1, 'opening the link stopped nothing');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('button[type="submit"]')]);
    assert.equal(await page.evaluate(() => document.body.textContent?.trim()), 'Više nećete primati obaveštenja e-poštom.');
    assert.equal((await t.db('mail_addresses').first('notify')).notify ? 1 : 0, 0);

    // The account page says so, and offers to start them again.
    await page.goto(`${url}/account.html?lang=sr-Latn`, { waitUntil: 'load' });
    const switchButton = await waitDeep(page, `${ACCOUNT} >>> [part~="mail-switch"]`, 'the switch');
    assert.equal(await textOf(switchButton), 'Ponovo uključi obaveštenja e-poštom');
    assert.equal(await textOf(await waitDeep(page, `${ACCOUNT} >>> .mail-state`)), `Obaveštenja na ${ADDRESS} su zaustavljena: ne primate e-poruke.`);
    assert.deepEqual(errors, []);
    await clerk.context.close();
    await head.context.close();
    await context.close();
  });
});
