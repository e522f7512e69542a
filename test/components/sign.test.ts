import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/sign/define.ts';
import type { OveraSign, OveraSignedDetail } from '../../components/sign/sign.ts';
import { clientFor, createApplication, getSignature, type OveraClient } from '../../components/client/index.ts';
import { formatFingerprint } from '../../components/core/fingerprint.ts';
import { verifyPasskeyEvidence } from '../../components/core/signing/verify-evidence.ts';
import type { VirtualAuthenticator } from '../helpers/webauthn.ts';
import { overaSessionPerTest } from '../helpers/overa-session.ts';

const $ = <T extends Element = HTMLElement>(el: OveraSign, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const part = <T extends HTMLElement = HTMLElement>(el: OveraSign, name: string): T | null => $(el, `[part~="${name}"]`);
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** A draft of a form that needs no signature to submit (any application can be signed). */
async function draft(client: OveraClient): Promise<string> {
  const app = await createApplication(client, { formId: 'birth-register-extract', formVersion: 1, data: {} });
  return app.id;
}

describe('<overa-sign>', () => {
  let url: string;
  let authenticator: VirtualAuthenticator;

  overaSessionPerTest({ url: (u) => (url = u), authenticator: (a) => (authenticator = a) });

  it('shows what is signed with a fingerprint, signs with a passkey, and the evidence verifies in the browser', async () => {
    const client = clientFor(url);
    await client.register('Marko Marković');
    const id = await draft(client);
    const el = await fixture<OveraSign>(html`<overa-sign lang="en" server=${url} subject-type="application" subject-id=${id} action="submit">
      <p>Birth register extract</p>
    </overa-sign>`);
    await waitUntil(() => el.state === 'ready', 'prepared');
    await el.updateComplete;
    expect(text(part(el, 'box'))).to.contain('that you submit this application, exactly as shown');
    expect(text(part(el, 'fingerprint'))).to.equal(formatFingerprint(el.payload!.digest));
    // Easy to compare by eye: one case, hex digits in groups of four (core's one formatter).
    expect(text(part(el, 'fingerprint'))).to.match(/^[0-9A-F]{4}( [0-9A-F]{4}){4}$/);
    expect(el.payload!.subject).to.deep.equal({ type: 'application', id });
    await expect(el).to.be.accessible();

    const signed = new Promise<OveraSignedDetail>((resolve) => el.addEventListener('overa-signed', (e) => resolve(e.detail), { once: true }));
    part<HTMLButtonElement>(el, 'sign-button')!.click();
    await el.updateComplete;
    expect(el.state).to.equal('signing');
    expect(text(part(el, 'status'))).to.equal('Waiting for your passkey…');
    await expect(el).to.be.accessible();
    const detail = await signed;
    await el.updateComplete;
    expect(el.state).to.equal('signed');
    expect(text(part(el, 'signed'))).to.contain('Signed');
    await expect(el).to.be.accessible();

    // Anyone can re-check it offline, here in the browser, with WebCrypto alone.
    const report = await verifyPasskeyEvidence(detail.evidence, { rpId: 'localhost', allowedOrigins: [location.origin] });
    expect(report.indication, JSON.stringify(report.reasons)).to.equal('TOTAL_PASSED');
    expect(detail.evidence.payload.action).to.equal('submit');
    expect(detail.evidence.signer.displayName).to.equal('Marko Marković');
    // The server keeps the same evidence.
    expect((await getSignature(client, detail.signatureId)).evidence).to.deep.equal(detail.evidence);
    // From another origin the same evidence is not accepted.
    const elsewhere = await verifyPasskeyEvidence(detail.evidence, { rpId: 'localhost', allowedOrigins: ['https://evil.example'] });
    expect(elsewhere.indication).to.equal('TOTAL_FAILED');
  });

  it('treats a cancelled ceremony calmly and signs on the next try', async () => {
    const client = clientFor(url);
    await client.register('Jelena Jović');
    const id = await draft(client);
    const el = await fixture<OveraSign>(html`<overa-sign lang="en" server=${url} subject-type="application" subject-id=${id} action="submit"></overa-sign>`);
    await waitUntil(() => el.state === 'ready');
    // The authenticator cannot verify the person: WebAuthn reports it like a cancel.
    await authenticator.setUserVerified(false);
    part<HTMLButtonElement>(el, 'sign-button')!.click();
    await waitUntil(() => el.state === 'ready' && $(el, '.calm') !== null, 'calm retry', { timeout: 15000 });
    await el.updateComplete;
    expect(text($(el, '.calm'))).to.contain('Nothing was signed');
    expect(part(el, 'error')).to.equal(null);
    expect(part<HTMLButtonElement>(el, 'sign-button')!.disabled).to.equal(false);
    await expect(el).to.be.accessible();

    await authenticator.setUserVerified(true);
    const signed = new Promise<OveraSignedDetail>((resolve) => el.addEventListener('overa-signed', (e) => resolve(e.detail), { once: true }));
    part<HTMLButtonElement>(el, 'sign-button')!.click();
    const detail = await signed;
    expect(detail.signatureId).to.be.a('string');
  });

  it('offers sign-in first when nobody is signed in', async () => {
    const el = await fixture<OveraSign>(html`<overa-sign lang="en" server=${url} subject-type="application" subject-id="x" action="submit"></overa-sign>`);
    await el.updateComplete;
    expect(el.state).to.equal('signed-out');
    expect($(el, 'overa-account')).to.exist;
    expect(text(part(el, 'box'))).to.contain('first sign in with your passkey');
    await expect(el).to.be.accessible();
    // Signing in anywhere on the page (the shared client) moves it on.
    const client = clientFor(url);
    await client.register('Ana Anić');
    const id = await draft(client);
    el.subjectId = id;
    await waitUntil(() => el.state === 'ready', 'prepared after sign-in');
  });

  it('keeps focus inside after "Sign in" in the box: on to the sign button once ready', async () => {
    const client = clientFor(url);
    await client.register('Vesna Vesić');
    const id = await draft(client);
    await client.signOut();
    const el = await fixture<OveraSign>(html`<overa-sign lang="en" server=${url} subject-type="application" subject-id=${id} action="submit"></overa-sign>`);
    await waitUntil(() => el.state === 'signed-out' && $(el, 'overa-account')?.shadowRoot?.querySelector('[part~="sign-in-button"]'), 'the sign-in box');
    const button = $(el, 'overa-account')!.shadowRoot!.querySelector<HTMLButtonElement>('[part~="sign-in-button"]')!;
    button.focus();
    button.click();
    await waitUntil(() => el.state === 'ready', 'signed in and prepared', { timeout: 15000 });
    await waitUntil(() => el.shadowRoot!.activeElement === part(el, 'sign-button'), 'focus on the sign button');
    expect(document.activeElement, 'the page focus is on the box, not <body>').to.equal(el);
    expect($(el, 'overa-account')).to.equal(null);
  });

  it('keeps focus inside after "Create a passkey" in the box, even when what follows is an error', async () => {
    const client = clientFor(url);
    await client.register('Goran Gorić');
    const id = await draft(client);
    await client.signOut();
    const el = await fixture<OveraSign>(html`<overa-sign lang="en" server=${url} subject-type="application" subject-id=${id} action="submit"></overa-sign>`);
    await waitUntil(() => $(el, 'overa-account')?.shadowRoot?.querySelector('[part~="name-input"]'), 'the sign-in box');
    const account = $(el, 'overa-account')!;
    account.shadowRoot!.querySelector<HTMLInputElement>('[part~="name-input"]')!.focus();
    await sendKeys({ type: 'Neko Drugi' });
    account.shadowRoot!.querySelector<HTMLButtonElement>('[part~="register-button"]')!.click();
    // A new person does not own Goran's draft: the box says so, and the focus is on what it says.
    await waitUntil(() => el.state === 'error', 'refused', { timeout: 15000 });
    await waitUntil(() => el.shadowRoot!.activeElement === part(el, 'error'), 'focus on the error');
    expect(document.activeElement).to.equal(el);
  });

  it('shows a clear error for something it may not sign, with a retry', async () => {
    const client = clientFor(url);
    await client.register('Petar Petrović');
    const el = await fixture<OveraSign>(html`<overa-sign lang="en" server=${url} subject-type="application" subject-id="00000000-0000-4000-8000-000000000000" action="submit"></overa-sign>`);
    await waitUntil(() => el.state === 'error');
    await el.updateComplete;
    expect(text(part(el, 'error'))).to.contain('It could not be signed');
    expect(part(el, 'retry-button')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('speaks Serbian in both scripts', async () => {
    const client = clientFor(url);
    await client.register('Ivana Ivić');
    const id = await draft(client);
    const latin = await fixture<OveraSign>(html`<overa-sign lang="sr-Latn" server=${url} subject-type="application" subject-id=${id} action="submit"></overa-sign>`);
    await waitUntil(() => latin.state === 'ready');
    expect(text(part(latin, 'sign-button'))).to.equal('Potpiši pristupnim ključem');
    const cyrillic = await fixture<OveraSign>(html`<overa-sign lang="sr-Cyrl" server=${url} subject-type="application" subject-id=${id} action="submit"></overa-sign>`);
    await waitUntil(() => cyrillic.state === 'ready');
    expect(text(part(cyrillic, 'sign-button'))).to.equal('Потпиши приступним кључем');
    await expect(cyrillic).to.be.accessible();
  });
});
