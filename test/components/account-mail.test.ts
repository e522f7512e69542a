/**
 * Issue 20, item 1 in the browser: "Notifications by e-mail" in <overa-account> and the offer on
 * the receipt of <overa-application-form>, against the real server with e-mail configured (a
 * second test server: a loopback SMTP server and the outbox worker, test/plugins). The code is
 * read from the mail that really arrived; the address is used only once it comes back; change,
 * remove, stop and start again; three languages; keyboard and axe. Without SMTP on the server
 * (the plain test server) nothing of mail is offered.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/account/define.ts';
import '../../components/application-form/define.ts';
import type { OveraAccount } from '../../components/account/account.ts';
import type { OveraApplicationForm } from '../../components/application-form/application-form.ts';
import { clientFor, createApplication, submitApplication, getMailStatus, type MailStatus } from '../../components/client/index.ts';
import { VirtualAuthenticator } from '../helpers/webauthn.ts';
import { residence } from '../helpers/sample-data.ts';
import { withFetch } from '../helpers/fetch.ts';
import { overaMailServer, overaMails, overaServer } from '../helpers/overa-server.ts';

const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const part = <T extends HTMLElement = HTMLElement>(el: Element, name: string): T | null => $<T>(el, `[part~="${name}"]`);
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

let n = 0;
/** A fresh address per test (the mail server is shared by every test of the run). */
const freshAddress = (who: string) => `${who}.${Date.now().toString(36)}.${n++}@example.rs`;

async function register(el: OveraAccount, name: string): Promise<void> {
  part<HTMLInputElement>(el, 'name-input')!.focus();
  await sendKeys({ type: name });
  const signedIn = oneEvent(el, 'overa-signed-in');
  part(el, 'register-button')!.click();
  await signedIn;
  await el.updateComplete;
}

/** Types into a field of the mail part the way a person does, replacing what is there. */
async function typeInto(el: Element, selector: string, value: string): Promise<void> {
  const input = $<HTMLInputElement>(el, selector)!;
  input.focus();
  input.select();
  await sendKeys({ press: 'Backspace' });
  await sendKeys({ type: value });
}

/** The six-digit code in the latest mail to `address` (waits for it to arrive). */
async function codeFor(address: string, count = 1): Promise<string> {
  let mails: Awaited<ReturnType<typeof overaMails>> = [];
  await waitUntil(async () => (mails = await overaMails(address)).length >= count, `the code mail to ${address}`, { timeout: 15000 });
  return /\b(\d{6})\b/.exec(mails.at(-1)!.text)![1]!;
}

const myMail = (url: string): Promise<MailStatus> => getMailStatus(clientFor(url));

describe('e-mail notifications in the browser', () => {
  let url: string;
  let authenticator: VirtualAuthenticator;

  before(async () => {
    url = await overaMailServer();
  });

  beforeEach(async () => {
    authenticator = await VirtualAuthenticator.add();
  });

  afterEach(async () => {
    await clientFor(url).signOut();
    await clientFor(await overaServer()).signOut();
    await authenticator.remove();
    sessionStorage.clear();
  });

  it('gives an address, is not used before the code from the mail comes back, then stops, starts, changes and removes it: keyboard only, axe clean', async () => {
    const el = await fixture<OveraAccount>(html`<overa-account lang="en" server=${url}></overa-account>`);
    await register(el, 'Jovana Marković');
    await waitUntil(() => part(el, 'mail'), 'the mail part shows');
    const mail = part(el, 'mail')!;
    expect(text(mail.querySelector('h2'))).to.equal('Notifications by e-mail');
    expect(text(mail)).to.contain('You get no e-mails about your applications.');
    await expect(el).to.be.accessible();

    // Nothing typed: said at the summary and the field, the summary focused.
    part(el, 'mail-address-input')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '.mail-error'), 'the error shows');
    expect(text($(el, '.mail-error'))).to.contain('Enter your e-mail address');
    expect(el.shadowRoot!.activeElement).to.equal($(el, '.mail-error .error-summary'));
    expect(part(el, 'mail-address-input')!.getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();
    await typeInto(el, '#mail-address', 'not-an-address');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text($(el, '.mail-error')).includes('like name@example.rs'), 'the invalid address is said');

    // The address, with Enter: the code goes to it; the code field takes focus.
    const address = freshAddress('jovana');
    await typeInto(el, '#mail-address', address);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'mail-code-input'), 'the code field shows');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'mail-code-input'));
    expect(text($(el, '.mail-pending'))).to.contain(`We sent a six-digit code to ${address}.`);
    expect(part(el, 'mail-code-input')!.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(await myMail(url)).to.deep.include({ address: null, pending: address, notifications: false });
    await expect(el).to.be.accessible();

    const code = await codeFor(address);
    const mails = await overaMails(address);
    expect(mails.map((m) => m.subject)).to.deep.equal(['Confirm your e-mail address']);

    // A wrong code is refused at the field; the address stays unconfirmed.
    await typeInto(el, '#mail-code', code === '000000' ? '000001' : '000000');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text($(el, '.mail-error')).includes('This is not the code we sent'), 'the wrong code is said');
    expect(el.shadowRoot!.activeElement).to.equal($(el, '.mail-error .error-summary'));
    expect((await myMail(url)).address).to.equal(null);
    await expect(el).to.be.accessible();

    // The right one: confirmed, said, and the sentence about it focused.
    await typeInto(el, '#mail-code', code);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'mail-switch'), 'confirmed');
    await el.updateComplete;
    expect(text($(el, '.mail-state'))).to.equal(`Notifications go to ${address}.`);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '.mail-state'));
    expect(text(part(el, 'mail')!.querySelector('[role="status"]'))).to.equal(`Address confirmed. Notifications will go to ${address}.`);
    expect(await myMail(url)).to.deep.include({ address, pending: null, notifications: true, lang: 'en' });
    await expect(el).to.be.accessible();

    // Stop, then start again, with the same button (it keeps the focus).
    part(el, 'mail-switch')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text(part(el, 'mail-switch')) === 'Start e-mail notifications again', 'stopped');
    await el.updateComplete;
    expect(text($(el, '.mail-state'))).to.contain('are stopped');
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'mail-switch'));
    expect((await myMail(url)).notifications).to.equal(false);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text(part(el, 'mail-switch')) === 'Stop e-mail notifications', 'started again');
    expect((await myMail(url)).notifications).to.equal(true);

    // Change: the old address keeps getting mail until the new one is confirmed.
    part(el, 'mail-change')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'mail-address-input'));
    const second = freshAddress('jovana.m');
    await sendKeys({ type: second });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'mail-code-input'), 'the code field for the new address');
    expect(text(part(el, 'mail'))).to.contain(`Until the new address is confirmed, notifications keep going to ${address}.`);
    expect(await myMail(url)).to.deep.include({ address, pending: second });
    await typeInto(el, '#mail-code', await codeFor(second));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text($(el, '.mail-state')) === `Notifications go to ${second}.`, 'the new address confirmed');
    expect(part(el, 'mail-code-input')).to.equal(null);

    // Remove: asked first; Cancel goes back to the button; then removed, and the part is empty again.
    part(el, 'mail-remove')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'mail-remove-yes'));
    expect(text(part(el, 'mail'))).to.contain(`Remove ${second}?`);
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, '.mail-remove-cancel')!.click();
    await el.updateComplete;
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'mail-remove'));
    part(el, 'mail-remove')!.click();
    await el.updateComplete;
    part(el, 'mail-remove-yes')!.click();
    await waitUntil(() => part(el, 'mail-address-input'), 'removed: the address field again');
    expect(text(part(el, 'mail'))).to.contain('You get no e-mails about your applications.');
    expect(text(part(el, 'mail')!.querySelector('[role="status"]'))).to.equal('Address removed. You will get no more e-mails.');
    expect(await myMail(url)).to.deep.include({ address: null, pending: null });
    await expect(el).to.be.accessible();
  });

  it('says it is loading (once the server is known to offer mail), and when loading fails, with "Try again"', async () => {
    const el = await fixture<OveraAccount>(html`<overa-account lang="en" server=${url}></overa-account>`);
    await register(el, 'Stefan Nikolić');
    await waitUntil(() => part(el, 'mail'), 'the mail part shows');
    const client = clientFor(url);
    const isMe = (u: string, init?: RequestInit) => u.endsWith('/api/v1/me') && (init?.method ?? 'GET') === 'GET';

    // The settings on their way (held here): a polite status says so.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await withFetch((u, init, original) => (isMe(u, init) ? held.then(() => original(u, init)) : null), async () => {
      await client.signOut();
      await el.updateComplete;
      await client.signIn();
      await waitUntil(() => text($(el, '.mail.status')) === 'Loading your e-mail settings…', 'the loading line');
      expect($(el, '.mail.status')!.getAttribute('role')).to.equal('status');
      await expect(el).to.be.accessible();
      release();
      await waitUntil(() => part(el, 'mail'), 'the mail part again');
    });

    // The server cannot be reached: said in the part, with "Try again", which then works.
    await withFetch((u, init) => (isMe(u, init) ? Promise.reject(new TypeError('Failed to fetch')) : null), async () => {
      await client.signOut();
      await el.updateComplete;
      await client.signIn();
      await waitUntil(() => part(el, 'mail')?.querySelector('.error-summary'), 'the error');
      expect(text(part(el, 'mail')!.querySelector('h2'))).to.equal('Notifications by e-mail');
      expect(text(part(el, 'mail')!.querySelector('.error-summary'))).to.contain('There is a problem');
      await expect(el).to.be.accessible();
    });
    (part(el, 'mail')!.querySelector('.error-summary button') as HTMLButtonElement).click();
    await waitUntil(() => part(el, 'mail-address-input'), 'loaded after "Try again"');
    expect(part(el, 'mail')!.querySelector('.error-summary')).to.equal(null);
  });

  it('speaks Serbian in both scripts, and the code mail comes in the script of the page', async () => {
    const el = await fixture<OveraAccount>(html`<overa-account lang="sr" server=${url}></overa-account>`);
    await register(el, 'Јована Марковић');
    await waitUntil(() => part(el, 'mail'), 'the mail part shows');
    expect(text(part(el, 'mail')!.querySelector('h2'))).to.equal('Обавештења е-поштом');
    expect(text(part(el, 'mail-send-button'))).to.equal('Пошаљи код');
    await expect(el).to.be.accessible();
    const address = freshAddress('jovana.cyr');
    await typeInto(el, '#mail-address', address);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'mail-code-input'), 'the code field shows');
    // The address is written as it is, never transliterated.
    expect(text($(el, '.mail-pending'))).to.equal(`Послали смо код од шест цифара на ${address}. Унесите га да потврдите адресу: до тада јој ништа не шаљемо.`);
    await codeFor(address);
    expect((await overaMails(address))[0]!.subject).to.equal('Потврдите адресу е-поште');
    expect((await myMail(url)).lang).to.equal('sr-Cyrl');

    el.setAttribute('lang', 'sr-Latn');
    await waitUntil(() => text(part(el, 'mail')?.querySelector('h2')) === 'Obaveštenja e-poštom', 'Latin script');
    expect(text(part(el, 'mail-confirm-button'))).to.equal('Potvrdi adresu');
    await typeInto(el, '#mail-code', '12');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text($(el, '.mail-error')).includes('Kod ima šest cifara'), 'said in Latin');
    await expect(el).to.be.accessible();
  });

  it('on the receipt, offers e-mail updates and confirms the address inline; once on, it just says where they go', async () => {
    const client = clientFor(url);
    await client.register('Milan Ilić');
    const sent = async () => {
      const draft = await createApplication(client, { formId: 'certificate-of-residence', formVersion: 1, data: residence({ firstName: 'Milan', lastName: 'Ilić' }) });
      return submitApplication(client, draft.id, draft.version);
    };
    const first = await sent();
    const el = await fixture<OveraApplicationForm>(html`<overa-application-form lang="en" server=${url} application-id=${first.id}></overa-application-form>`);
    await waitUntil(() => part(el, 'receipt'), 'the receipt shows');
    await waitUntil(() => part(el, 'mail-open-button'), 'the offer shows');
    expect(text(part(el, 'mail')!.querySelector('h3'))).to.equal('Get updates by e-mail');
    expect(text(part(el, 'mail'))).to.contain('We can e-mail you when this application is returned to you, decided or when the document is issued.');
    // Only the offer until it is taken up: no field yet.
    expect(part(el, 'mail-address-input')).to.equal(null);
    await expect(el).to.be.accessible();

    part(el, 'mail-open-button')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'mail-address-input'), 'the address field shows');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'mail-address-input'));
    const address = freshAddress('milan');
    await sendKeys({ type: address });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'mail-code-input'), 'the code field shows');
    await expect(el).to.be.accessible();
    await typeInto(el, '#mail-code', await codeFor(address));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '.mail-state'), 'confirmed');
    await el.updateComplete;
    expect(text($(el, '.mail-state'))).to.equal(`Updates about this application will be e-mailed to ${address}.`);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '.mail-state'));
    expect(await myMail(url)).to.deep.include({ address, notifications: true });
    await expect(el).to.be.accessible();

    // The next application's receipt: no offer, one sentence; and the mail of that one arrives.
    const second = await sent();
    const again = await fixture<OveraApplicationForm>(html`<overa-application-form lang="en" server=${url} application-id=${second.id}></overa-application-form>`);
    await waitUntil(() => $(again, '.mail-state'), 'the receipt says where updates go');
    expect(text($(again, '.mail-state'))).to.equal(`Updates about this application will be e-mailed to ${address}.`);
    expect(part(again, 'mail-open-button')).to.equal(null);
    await waitUntil(async () => (await overaMails(address)).some((m) => m.subject === `We received your application ${second.trackingNumber}`), 'the received mail', { timeout: 15000 });
    await expect(again).to.be.accessible();
  });
});

describe('e-mail notifications where the server has no SMTP', () => {
  it('<overa-account> offers nothing of mail', async () => {
    const url = await overaServer();
    const authenticator = await VirtualAuthenticator.add();
    try {
      const el = await fixture<OveraAccount>(html`<overa-account lang="en" server=${url}></overa-account>`);
      await register(el, 'Nikola Tesla');
      expect((await myMail(url)).offered).to.equal(false);
      // The part asked the server too (its manager exists and is ready), and draws nothing.
      const manager = () => (el as unknown as { mailManager: { status: { state: string } } | null }).mailManager;
      await waitUntil(() => manager()?.status.state === 'ready', 'the mail settings were asked for');
      await el.updateComplete;
      expect(part(el, 'mail')).to.equal(null);
      expect(text(el.shadowRoot!.querySelector('div'))).not.to.contain('e-mail');
      await expect(el).to.be.accessible();
    } finally {
      await clientFor(url).signOut();
      await authenticator.remove();
      sessionStorage.clear();
    }
  });
});
