import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../components/account/define.ts';
import type { OveraAccount } from '../../components/account/account.ts';
import { clientFor, OveraClient } from '../../components/client/index.ts';
import type { VirtualAuthenticator } from '../helpers/webauthn.ts';
import { overaInvite } from '../helpers/overa-server.ts';
import { overaSessionPerTest } from '../helpers/overa-session.ts';
import { withFetch } from '../helpers/fetch.ts';

const part = <T extends HTMLElement = HTMLElement>(el: OveraAccount, name: string): T | null =>
  el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
const $ = <T extends Element = HTMLElement>(el: OveraAccount, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** Types into an input the way a person does (focus + real key presses). */
async function typeInto(input: HTMLInputElement, value: string): Promise<void> {
  input.focus();
  await sendKeys({ type: value });
}

/** Counts fetches to the Overa server while `run` runs. */
async function countRequests(url: string, run: () => Promise<void>): Promise<number> {
  let count = 0;
  await withFetch((requested) => {
    if (requested.startsWith(url)) count++;
    return null;
  }, run);
  return count;
}

describe('<overa-account>', () => {
  let url: string;
  let authenticator: VirtualAuthenticator;

  overaSessionPerTest({ url: (u) => (url = u), authenticator: (a) => (authenticator = a) });

  it('is accessible signed out, creates a passkey and shows who is signed in', async () => {
    const el = await fixture<OveraAccount>(html`<overa-account server=${url}></overa-account>`);
    await expect(el).to.be.accessible();
    expect(el.state).to.equal('signed-out');
    // Nothing is marked wrong before the person has tried.
    expect($(el, '.error-message')).to.equal(null);
    expect(part(el, 'name-input')!.getAttribute('aria-invalid')).to.equal('false');
    expect(text($(el, 'label[for="name"]'))).to.equal('Your name');

    await typeInto(part<HTMLInputElement>(el, 'name-input')!, 'Ada Lovelace');
    const signedIn = oneEvent(el, 'overa-signed-in');
    part(el, 'register-button')!.click();
    await el.updateComplete;
    // While the ceremony runs: busy, buttons off, and a visible status.
    expect(el.state).to.equal('working');
    expect(part(el, 'form')!.getAttribute('aria-busy')).to.equal('true');
    expect(part<HTMLButtonElement>(el, 'register-button')!.disabled).to.equal(true);
    expect(part<HTMLButtonElement>(el, 'sign-in-button')!.disabled).to.equal(true);
    expect(text(part(el, 'status'))).to.equal('Waiting for your passkey…');

    const { detail } = await signedIn;
    expect(detail.user.displayName).to.equal('Ada Lovelace');
    expect(detail.user.kind).to.equal('citizen');
    expect(detail.restored).to.equal(false);
    await el.updateComplete;
    expect(el.state).to.equal('signed-in');
    expect(el.user?.id).to.equal(detail.user.id);
    expect(text(part(el, 'user'))).to.equal('Signed in as Ada Lovelace');
    expect(part(el, 'sign-out-button')).to.not.equal(null);
    expect(part(el, 'form')).to.equal(null);
    await expect(el).to.be.accessible();

    const credentials = await authenticator.credentials();
    expect(credentials).to.have.length(1);
    expect(credentials[0]!.isResidentCredential).to.equal(true);
    expect(credentials[0]!.rpId).to.equal('localhost');
    // persist="session" (the default): the token survives a reload.
    expect(sessionStorage.getItem(clientFor(url).storageKey)).to.equal(clientFor(url).token);
  });

  it('signs out, then signs in again with the same passkey', async () => {
    const el = await fixture<OveraAccount>(html`<overa-account server=${url}></overa-account>`);
    await expect(el).to.be.accessible();
    await typeInto(part<HTMLInputElement>(el, 'name-input')!, 'Milena Pavlović');
    const registered = oneEvent(el, 'overa-signed-in');
    part(el, 'register-button')!.click();
    const { detail: first } = await registered;
    await el.updateComplete;
    const oldToken = clientFor(url).token!;

    part(el, 'sign-out-button')!.focus();
    const signedOut = oneEvent(el, 'overa-signed-out');
    part(el, 'sign-out-button')!.click();
    const { detail: outDetail } = await signedOut;
    expect(outDetail).to.deep.equal({});
    await el.updateComplete;
    expect(el.state).to.equal('signed-out');
    expect(el.user).to.equal(null);
    expect(text(part(el, 'status'))).to.equal('You have signed out.');
    expect(sessionStorage.getItem(clientFor(url).storageKey)).to.equal(null);
    // Focus stays inside the element, on the way back in.
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'sign-in-button'));
    // The old token is dead on the server too.
    const me = await fetch(`${url}/api/v1/me`, { headers: { Authorization: `Bearer ${oldToken}` } });
    expect(me.status).to.equal(401);

    const signedIn = oneEvent(el, 'overa-signed-in');
    part(el, 'sign-in-button')!.click();
    const { detail } = await signedIn;
    expect(detail.user.id).to.equal(first.user.id);
    expect(detail.user.displayName).to.equal('Milena Pavlović');
    await el.updateComplete;
    expect(text(part(el, 'user'))).to.equal('Signed in as Milena Pavlović');
    // Signed in with the keyboard's focus on the button: focus moves to the "Signed in as" block.
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'user'));
  });

  it('restores the session on a new page load from the stored token, and drops a dead one quietly', async () => {
    const el = await fixture<OveraAccount>(html`<overa-account server=${url}></overa-account>`);
    await expect(el).to.be.accessible();
    await typeInto(part<HTMLInputElement>(el, 'name-input')!, 'Jovan Restore');
    const signedIn = oneEvent(el, 'overa-signed-in');
    part(el, 'register-button')!.click();
    const { detail } = await signedIn;
    const token = clientFor(url).token;

    // A same-origin iframe shares this tab's sessionStorage: loading it is a real page load.
    const loaded = await loadRestoreFixture(url);
    expect(loaded.first).to.equal('restoring');
    expect(loaded.firstStatus).to.equal('Checking whether you are signed in…');
    expect(loaded.state).to.equal('signed-in');
    expect(loaded.user?.id).to.equal(detail.user.id);
    expect(loaded.events).to.deep.equal(['overa-signed-in:Jovan Restore:true']);
    expect(loaded.text).to.contain('Signed in as Jovan Restore');
    expect(loaded.stored).to.equal(token);

    // A token the server no longer knows: signed out, token forgotten, no error shown.
    sessionStorage.setItem(clientFor(url).storageKey, 'x'.repeat(43));
    const dead = await loadRestoreFixture(url);
    expect(dead.first).to.equal('restoring');
    expect(dead.state).to.equal('signed-out');
    expect(dead.events).to.deep.equal([]);
    expect(dead.stored).to.equal(null);
    expect(dead.text).to.not.contain('There is a problem');
  });

  it('keeps the token in memory only with persist="memory"', async () => {
    const el = await fixture<OveraAccount>(html`<overa-account server=${url} persist="memory"></overa-account>`);
    await expect(el).to.be.accessible();
    await typeInto(part<HTMLInputElement>(el, 'name-input')!, 'Memory Only');
    const signedIn = oneEvent(el, 'overa-signed-in');
    part(el, 'register-button')!.click();
    await signedIn;
    expect(clientFor(url).token).to.be.a('string');
    expect(sessionStorage.getItem(clientFor(url).storageKey)).to.equal(null);
  });

  it('makes an official with an invite code', async () => {
    const code = await overaInvite({ roles: ['clerk'] });
    const el = await fixture<OveraAccount>(html`<overa-account server=${url} invite-code=${code}></overa-account>`);
    await expect(el).to.be.accessible();
    // invite-code shows the field (no disclosure to open) and fills it in.
    expect($(el, 'details')).to.equal(null);
    expect(part<HTMLInputElement>(el, 'invite-input')!.value).to.equal(code);
    expect(text($(el, 'label[for="invite"]'))).to.equal('Invite code (officials only)');

    await typeInto(part<HTMLInputElement>(el, 'name-input')!, 'Petar Službenik');
    const signedIn = oneEvent(el, 'overa-signed-in');
    part(el, 'register-button')!.click();
    const { detail } = await signedIn;
    expect(detail.user.kind).to.equal('official');
    expect(detail.user.agencyId).to.equal('novi-primer');
    expect(detail.user.roles).to.deep.equal(['clerk']);
    await el.updateComplete;
    expect(detail.user.agencyName).to.equal('Gradska uprava Novi Primer');
    // The agency and role by name, not by id; in Cyrillic, the agency's name in Cyrillic too.
    expect(text(part(el, 'user'))).to.equal('Signed in as Petar Službenik Official, Gradska uprava Novi Primer Role: Clerk');
    await expect(el).to.be.accessible();
    el.lang = 'sr-Cyrl';
    await waitUntil(() => text(part(el, 'user')).startsWith('Пријављени'), 'rendered in Cyrillic');
    expect(text(part(el, 'user'))).to.equal('Пријављени сте као Petar Službenik Службеник, Градска управа Нови Пример Улога: Референт');
  });

  it('refuses an invite code that was already used, on the invite field, in the page language', async () => {
    const code = await overaInvite({ roles: ['head'] });
    // Someone else uses the code first (a separate client, so this page's session is untouched).
    const other = new OveraClient(url, { persist: 'memory' });
    await other.register('Prvi Korisnik', code);
    const credentialsBefore = (await authenticator.credentials()).length;

    const el = await fixture<OveraAccount>(html`<overa-account server=${url} lang="sr-Latn"></overa-account>`);
    await expect(el).to.be.accessible();
    await typeInto(part<HTMLInputElement>(el, 'name-input')!, 'Drugi Korisnik');
    // The invite field sits behind a native disclosure; open it the way a person does.
    const summary = $(el, 'summary')!;
    summary.click();
    await el.updateComplete;
    expect($<HTMLDetailsElement>(el, 'details')!.open).to.equal(true);
    await typeInto(part<HTMLInputElement>(el, 'invite-input')!, code.toLowerCase());
    part(el, 'register-button')!.click();
    await waitForState(el, 'signed-out');

    const message = 'Ovaj pozivni kod je već iskorišćen. Zatražite novi od svog organa';
    const error = part(el, 'error')!;
    expect(error).to.not.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal(error);
    expect(text(error)).to.equal(`Postoji problem ${message}`);
    const invite = part<HTMLInputElement>(el, 'invite-input')!;
    expect(invite.getAttribute('aria-invalid')).to.equal('true');
    expect(invite.getAttribute('aria-describedby')).to.equal('invite-hint invite-error');
    expect(text($(el, '#invite-error'))).to.equal(`Greška: ${message}`);
    expect(part(el, 'name-input')!.getAttribute('aria-invalid')).to.equal('false');
    // Refused before any passkey was made.
    expect((await authenticator.credentials()).length).to.equal(credentialsBefore);
    await expect(el).to.be.accessible();
  });

  it('asks for a name before making any request (error summary, inline error)', async () => {
    const el = await fixture<OveraAccount>(html`<overa-account server=${url}></overa-account>`);
    await expect(el).to.be.accessible();
    const requests = await countRequests(url, async () => {
      part(el, 'register-button')!.click();
      await el.updateComplete;
      await el.updateComplete;
    });
    expect(requests).to.equal(0);
    expect(el.state).to.equal('signed-out');

    const summary = part(el, 'error')!;
    expect(text(summary)).to.equal('There is a problem Enter your name');
    expect(summary.querySelector('[role="alert"]')).to.not.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal(summary);
    const input = part<HTMLInputElement>(el, 'name-input')!;
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')).to.equal('name-hint name-error');
    const inline = $(el, '#name-error')!;
    expect(text(inline)).to.equal('Error: Enter your name');
    expect(text(inline.querySelector('.visually-hidden'))).to.equal('Error:');
    await expect(el).to.be.accessible();

    // The summary's link takes you to the field, without touching the page's URL.
    const hash = location.hash;
    summary.querySelector('a')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(input);
    expect(location.hash).to.equal(hash);

    // Fixing the field clears its error.
    await sendKeys({ type: 'A' });
    await el.updateComplete;
    expect(input.getAttribute('aria-invalid')).to.equal('false');
    expect($(el, '#name-error')).to.equal(null);
    expect(part(el, 'error')).to.equal(null);
  });

  it('says how long a name may be, with the plural form of the language', async () => {
    const el = await fixture<OveraAccount>(html`<overa-account server=${url} lang="sr-Latn"></overa-account>`);
    await expect(el).to.be.accessible();
    const input = part<HTMLInputElement>(el, 'name-input')!;
    input.value = 'Ж'.repeat(101);
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    const requests = await countRequests(url, async () => {
      part(el, 'register-button')!.click();
      await el.updateComplete;
    });
    expect(requests).to.equal(0);
    expect(text($(el, '#name-error'))).to.equal('Greška: Ime i prezime može imati najviše 100 znakova');
  });

  it('recovers from a cancelled passkey prompt with a clear message', async () => {
    const el = await fixture<OveraAccount>(html`<overa-account server=${url}></overa-account>`);
    await expect(el).to.be.accessible();
    // With user verification failing, Chromium rejects the ceremony with NotAllowedError,
    // exactly what a person closing the prompt produces.
    await authenticator.setUserVerified(false);
    await typeInto(part<HTMLInputElement>(el, 'name-input')!, 'Otkazani');
    part(el, 'register-button')!.click();
    await el.updateComplete;
    expect(el.state).to.equal('working');
    await waitForState(el, 'signed-out');

    const error = part(el, 'error')!;
    expect(text(error)).to.equal(
      'There is a problem The passkey request was cancelled or timed out. Nothing was changed. Try again when you are ready.',
    );
    expect(el.shadowRoot!.activeElement).to.equal(error);
    expect(part<HTMLButtonElement>(el, 'register-button')!.disabled).to.equal(false);
    expect(part<HTMLButtonElement>(el, 'sign-in-button')!.disabled).to.equal(false);
    expect(text(part(el, 'status'))).to.equal('');
    expect(part<HTMLInputElement>(el, 'name-input')!.value).to.equal('Otkazani');
    await expect(el).to.be.accessible();

    // Sign-in is cancelled the same way.
    part(el, 'sign-in-button')!.click();
    await el.updateComplete;
    await waitForState(el, 'signed-out');
    expect(text(part(el, 'error'))).to.contain('The passkey request was cancelled or timed out.');

    // And the element works again once the person completes the prompt.
    await authenticator.setUserVerified(true);
    const signedIn = oneEvent(el, 'overa-signed-in');
    part(el, 'register-button')!.click();
    const { detail } = await signedIn;
    expect(detail.user.displayName).to.equal('Otkazani');
    await el.updateComplete;
    expect(part(el, 'error')).to.equal(null);
  });

  it('says when the server cannot be reached', async () => {
    // Port 9 (discard) on localhost: nothing listens there, the connection is refused.
    const el = await fixture<OveraAccount>(html`<overa-account server="http://localhost:9"></overa-account>`);
    await expect(el).to.be.accessible();
    part(el, 'sign-in-button')!.click();
    await el.updateComplete;
    await waitForState(el, 'signed-out');
    expect(text(part(el, 'error'))).to.equal(
      'There is a problem The service cannot be reached. Check your internet connection and try again.',
    );
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'error'));
  });

  it('renders Cyrillic with lang="sr-Cyrl", Latin with sr-Latn, and follows the page', async () => {
    const el = await fixture<OveraAccount>(html`<overa-account server=${url} lang="sr-Cyrl"></overa-account>`);
    await expect(el).to.be.accessible();
    expect(text(part(el, 'register-button'))).to.equal('Направи приступни кључ');
    expect(text(part(el, 'sign-in-button'))).to.equal('Пријави се приступним кључем');
    expect(text($(el, 'label[for="name"]'))).to.equal('Ваше име и презиме');
    expect(text($(el, 'summary'))).to.equal('Имам позивни код (само за службенике)');
    // The invite example is a code, not Serbian: it stays in Latin letters.
    expect(text($(el, '#invite-hint'))).to.contain('ACDE-FGHJ-KMNP-QRTU');
    expect($(el, 'div[lang]')!.getAttribute('lang')).to.equal('sr-Cyrl');

    el.lang = 'sr-Latn';
    await el.updateComplete;
    expect(text(part(el, 'register-button'))).to.equal('Napravi pristupni ključ');

    // Without its own lang, the element follows the closest ancestor, then <html lang>.
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="sr"><overa-account server=${url}></overa-account></div>`);
    const inner = wrapper.querySelector('overa-account')!;
    await inner.updateComplete;
    expect(text(part(inner, 'register-button'))).to.equal('Направи приступни кључ');

    const plain = await fixture<OveraAccount>(html`<overa-account server=${url}></overa-account>`);
    const htmlLang = document.documentElement.lang;
    try {
      document.documentElement.lang = 'sr-Latn-RS';
      await waitForText(plain, 'register-button', 'Napravi pristupni ključ');
      document.documentElement.lang = 'de';
      await waitForText(plain, 'register-button', 'Create a passkey');
    } finally {
      document.documentElement.lang = htmlLang;
    }
  });

  it('is keyboard usable: Tab order, the disclosure, and Enter submits', async () => {
    const el = await fixture<OveraAccount>(html`<overa-account server=${url}></overa-account>`);
    await expect(el).to.be.accessible();
    const input = part<HTMLInputElement>(el, 'name-input')!;
    input.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal($(el, 'summary'));
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect($<HTMLDetailsElement>(el, 'details')!.open).to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'invite-input'));
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'register-button'));
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'sign-in-button'));

    await typeInto(input, 'Tastatura');
    const signedIn = oneEvent(el, 'overa-signed-in');
    await sendKeys({ press: 'Enter' });
    const { detail } = await signedIn;
    expect(detail.user.displayName).to.equal('Tastatura');
    await el.updateComplete;
    // Focus was in the element, so it follows to the "Signed in as" block…
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'user'));
    // …and Tab reaches "Sign out", which Enter presses.
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'sign-out-button'));
    const signedOut = oneEvent(el, 'overa-signed-out');
    await sendKeys({ press: 'Enter' });
    await signedOut;
  });

  it('shares one session between elements on the page', async () => {
    const page = await fixture<HTMLDivElement>(html`<div>
      <overa-account server=${url}></overa-account>
      <overa-account server=${url + '/'}></overa-account>
    </div>`);
    const [a, b] = [...page.querySelectorAll('overa-account')] as [OveraAccount, OveraAccount];
    await expect(a).to.be.accessible();
    await typeInto(part<HTMLInputElement>(a, 'name-input')!, 'Zajednička Sesija');
    let bEvents = 0;
    b.addEventListener('overa-signed-in', () => bEvents++);
    const signedIn = oneEvent(a, 'overa-signed-in');
    part(a, 'register-button')!.click();
    await signedIn;
    await b.updateComplete;
    expect(b.state).to.equal('signed-in');
    expect(text(part(b, 'user'))).to.equal('Signed in as Zajednička Sesija');
    // Only the element the person used announces the outcome.
    expect(bEvents).to.equal(0);

    const signedOut = oneEvent(b, 'overa-signed-out');
    part(b, 'sign-out-button')!.click();
    await signedOut;
    await a.updateComplete;
    expect(a.state).to.equal('signed-out');
  });

  it('passes axe in dark mode too', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    try {
      const el = await fixture<OveraAccount>(html`<overa-account server=${url}></overa-account>`);
      await expect(el).to.be.accessible();
      part(el, 'register-button')!.click();
      await el.updateComplete;
      expect(part(el, 'error')).to.not.equal(null);
      await expect(el).to.be.accessible();
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });
});

interface RestoreReport {
  first: string;
  firstStatus: string;
  state: string;
  user: { id: string; displayName: string } | null;
  events: string[];
  stored: string | null;
  text: string;
}

/** Loads test/components/fixtures/restore.html in an iframe and returns what it reports. */
async function loadRestoreFixture(server: string): Promise<RestoreReport> {
  const frame = document.createElement('iframe');
  frame.title = 'restore fixture';
  const report = new Promise<RestoreReport>((resolve) => {
    const onMessage = (event: MessageEvent) => {
      if (event.source !== frame.contentWindow || (event.data as { type?: string })?.type !== 'overa-restore-fixture') return;
      window.removeEventListener('message', onMessage);
      resolve(event.data as RestoreReport);
    };
    window.addEventListener('message', onMessage);
  });
  frame.src = new URL(`./fixtures/restore.html?server=${encodeURIComponent(server)}`, import.meta.url).href;
  document.body.append(frame);
  try {
    return await report;
  } finally {
    frame.remove();
  }
}

/** Resolves once the element reaches `state` (each render is awaited; no timers). */
async function waitForState(el: OveraAccount, state: string): Promise<void> {
  while (el.state !== state) {
    await new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        resolve();
      });
      observer.observe(el.shadowRoot!, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await el.updateComplete;
  }
}

/** Resolves once a part's text is `expected` (the element re-renders on a MutationObserver). */
async function waitForText(el: OveraAccount, name: string, expected: string): Promise<void> {
  while (text(part(el, name)) !== expected) {
    await new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        resolve();
      });
      observer.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
    });
  }
}
