/**
 * Issue 17, item 6 in the browser: returning citizens come first (`primary-action="sign-in"`, as
 * <overa-sign> and the form's sign step embed the account), and a signed-in person sees, adds
 * (another device: a second virtual authenticator) and removes their passkeys in <overa-account>.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/account/define.ts';
import '../../components/sign/define.ts';
import type { OveraAccount } from '../../components/account/account.ts';
import type { OveraSign } from '../../components/sign/sign.ts';
import { clientFor } from '../../components/client/index.ts';
import type { PasskeyView } from '../../components/core/api.ts';
import { VirtualAuthenticator } from '../helpers/webauthn.ts';
import { overaRecoveryCode, overaServer } from '../helpers/overa-server.ts';

const part = <T extends HTMLElement = HTMLElement>(root: Element, name: string): T | null =>
  root.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
const parts = (root: Element, name: string): HTMLElement[] => [...root.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const precedes = (a: Element, b: Element): boolean => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);

async function myPasskeys(url: string): Promise<PasskeyView[]> {
  const res = await fetch(`${url}/api/v1/me/passkeys`, { headers: { Authorization: `Bearer ${clientFor(url).token}` } });
  return ((await res.json()) as { items: PasskeyView[] }).items;
}

async function register(el: OveraAccount, name: string): Promise<void> {
  part<HTMLInputElement>(el, 'name-input')!.focus();
  await sendKeys({ type: name });
  const signedIn = oneEvent(el, 'overa-signed-in');
  part(el, 'register-button')!.click();
  await signedIn;
  await el.updateComplete;
}

async function openPasskeys(el: OveraAccount): Promise<void> {
  (part(el, 'passkeys')!.querySelector('summary') as HTMLElement).click();
  await waitUntil(() => part(el, 'passkey-list'), 'the passkey list shows');
}

describe('<overa-account> for returning people and their passkeys', () => {
  let url: string;
  const authenticators: VirtualAuthenticator[] = [];

  before(async () => {
    url = await overaServer();
  });

  afterEach(async () => {
    await clientFor(url).signOut();
    for (const a of authenticators.splice(0)) await a.remove();
    sessionStorage.clear();
  });

  it('puts "Sign in with a passkey" first as the primary action with primary-action="sign-in"', async () => {
    const el = await fixture<OveraAccount>(html`<overa-account lang="en" server=${url} primary-action="sign-in"></overa-account>`);
    await expect(el).to.be.accessible();
    const signIn = part<HTMLButtonElement>(el, 'sign-in-button')!;
    const create = part<HTMLButtonElement>(el, 'register-button')!;
    expect(signIn.classList.contains('primary')).to.equal(true);
    expect(create.classList.contains('secondary')).to.equal(true);
    expect(create.classList.contains('primary')).to.equal(false);
    // First in reading and tab order: before the name field and the create button.
    expect(precedes(signIn, part(el, 'name-input')!)).to.equal(true);
    expect(precedes(signIn, create)).to.equal(true);
    expect(text(signIn)).to.equal('Sign in with a passkey');

    // The default (a page for newcomers) keeps creating first.
    const plain = await fixture<OveraAccount>(html`<overa-account lang="en" server=${url}></overa-account>`);
    expect(part(plain, 'register-button')!.classList.contains('primary')).to.equal(true);
    expect(part(plain, 'sign-in-button')!.classList.contains('secondary')).to.equal(true);
    expect(precedes(part(plain, 'register-button')!, part(plain, 'sign-in-button')!)).to.equal(true);
  });

  it('in <overa-sign>, signed out, signing in comes first', async () => {
    const el = await fixture<OveraSign>(html`<overa-sign lang="en" server=${url} subject-type="application" subject-id="00000000-0000-4000-8000-000000000000" action="submit"></overa-sign>`);
    await waitUntil(() => el.shadowRoot!.querySelector('overa-account'), 'the sign box offers a sign-in');
    const account = el.shadowRoot!.querySelector<OveraAccount>('overa-account')!;
    await waitUntil(() => account.shadowRoot && part(account, 'sign-in-button'), 'the account element renders');
    expect(account.getAttribute('primary-action')).to.equal('sign-in');
    expect(part(account, 'sign-in-button')!.classList.contains('primary')).to.equal(true);
    expect(precedes(part(account, 'sign-in-button')!, part(account, 'register-button')!)).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('lists the passkey, will not remove the only one, adds one on another device and removes the first', async () => {
    const laptop = await VirtualAuthenticator.add();
    authenticators.push(laptop);
    const el = await fixture<OveraAccount>(html`<overa-account lang="en" server=${url}></overa-account>`);
    await register(el, 'Dragana Jović');
    const userId = el.user!.id;
    await openPasskeys(el);
    await expect(el).to.be.accessible();
    expect(text(el.shadowRoot!.querySelector('.passkeys-count'))).to.equal('You have 1 passkey.');
    expect(parts(el, 'passkey-list')[0]!.querySelectorAll('li')).to.have.length(1);
    // The only passkey: no "Remove", and the reason why, with what happens if every passkey is lost.
    expect(part(el, 'remove-passkey-button')).to.equal(null);
    expect(text(part(el, 'only-passkey'))).to.contain('This is your only passkey');
    expect(text(part(el, 'only-passkey'))).to.contain('only the agency can give you back your account');
    expect(text(el.shadowRoot!.querySelector('.passkey'))).to.match(/^Passkey on one device Added .+ · not used yet$/);

    // The same device already holds this account's passkey (excludeCredentials): said, not a second one made.
    part(el, 'add-passkey-button')!.focus();
    part(el, 'add-passkey-button')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('.passkeys-error'), 'the error shows');
    expect(text(el.shadowRoot!.querySelector('.passkeys-error'))).to.contain('This device already has a passkey for your account');
    expect(el.shadowRoot!.activeElement).to.equal(el.shadowRoot!.querySelector('.passkeys-error .error-summary'));
    expect(await myPasskeys(url)).to.have.length(1);
    await expect(el).to.be.accessible();

    // Another device: the laptop's authenticator is gone from this browser, a phone's is here.
    await laptop.remove();
    authenticators.splice(0);
    const phone = await VirtualAuthenticator.add();
    authenticators.push(phone);
    part(el, 'add-passkey-button')!.focus();
    part(el, 'add-passkey-button')!.click();
    await waitUntil(() => el.shadowRoot!.querySelectorAll('.passkey').length === 2, 'the new passkey is listed');
    await el.updateComplete;
    expect(text(part(el, 'status'))).to.equal('Passkey added. You can now sign in with it.');
    expect(el.shadowRoot!.querySelector('.passkeys-error')).to.equal(null);
    // Focus is given back to the button that was disabled during the ceremony.
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'add-passkey-button'));
    const [phoneCredential] = await phone.credentials();
    const onServer = await myPasskeys(url);
    expect(onServer.map((p) => p.id)).to.have.length(2);
    expect(onServer[1]!.id).to.equal(phoneCredential!.credentialId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
    expect(parts(el, 'remove-passkey-button')).to.have.length(2);
    expect(part(el, 'only-passkey')).to.equal(null);
    await expect(el).to.be.accessible();

    // The new passkey signs in to the same account.
    await el.signOut();
    const signedIn = oneEvent(el, 'overa-signed-in');
    part(el, 'sign-in-button')!.click();
    const { detail } = await signedIn;
    expect(detail.user.id).to.equal(userId);
    await el.updateComplete;

    // Remove the laptop's passkey: asked first, "Cancel" leaves it, "Yes, remove it" removes it.
    await openPasskeys(el);
    const laptopRow = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('.passkey')].find((row) => row.dataset.id === onServer[0]!.id)!;
    const removeLaptop = () => laptopRow().querySelector<HTMLButtonElement>('[part~="remove-passkey-button"]')!;
    expect(removeLaptop().getAttribute('aria-label')).to.match(/^Remove the passkey added /);
    removeLaptop().click();
    await el.updateComplete;
    expect(text(laptopRow().querySelector('.confirm'))).to.contain('Remove this passkey?');
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'confirm-remove-button'));
    await expect(el).to.be.accessible();
    (laptopRow().querySelector('.confirm-cancel') as HTMLButtonElement).click();
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(removeLaptop());
    expect(await myPasskeys(url)).to.have.length(2);

    removeLaptop().click();
    await el.updateComplete;
    part(el, 'confirm-remove-button')!.click();
    await waitUntil(() => el.shadowRoot!.querySelectorAll('.passkey').length === 1, 'the removed passkey goes');
    await el.updateComplete;
    expect(text(part(el, 'status'))).to.equal('Passkey removed.');
    expect(el.shadowRoot!.activeElement).to.equal(el.shadowRoot!.querySelector('.passkeys-count'));
    expect((await myPasskeys(url)).map((p) => p.id)).to.deep.equal([onServer[1]!.id]);
    expect(part(el, 'only-passkey')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('gets a person who lost every passkey back into the same account with the agency\'s recovery code', async () => {
    const lostPhone = await VirtualAuthenticator.add();
    authenticators.push(lostPhone);
    const el = await fixture<OveraAccount>(html`<overa-account lang="en" server=${url} primary-action="sign-in"></overa-account>`);
    await register(el, 'Bojan Bojić');
    const userId = el.user!.id;
    await el.signOut();
    // The phone is lost; a new one is in hand.
    await lostPhone.remove();
    authenticators.splice(0);
    const newPhone = await VirtualAuthenticator.add();
    authenticators.push(newPhone);

    const recovery = el.shadowRoot!.querySelector<HTMLDetailsElement>('details.recovery')!;
    expect(text(recovery.querySelector('summary'))).to.equal('I have a recovery code from the agency');
    recovery.querySelector('summary')!.click();
    await el.updateComplete;
    // Without a code: said at the field, and in the summary that takes focus.
    part(el, 'recover-button')!.click();
    await el.updateComplete;
    expect(text(el.shadowRoot!.querySelector('#recovery-error'))).to.equal('Error: Enter the recovery code the agency gave you');
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'error'));
    await expect(el).to.be.accessible();
    // A wrong code: the server's word, at the field.
    part<HTMLInputElement>(el, 'recovery-input')!.focus();
    await sendKeys({ type: 'AAAA-AAAA-AAAA-AAAA' });
    part(el, 'recover-button')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('#recovery-error'), 'the unknown code is said');
    expect(text(el.shadowRoot!.querySelector('#recovery-error'))).to.contain('This recovery code is not known');

    // The agency's code, typed and sent with Enter: a new passkey for the same account, signed in.
    const code = await overaRecoveryCode(userId);
    const input = part<HTMLInputElement>(el, 'recovery-input')!;
    input.select();
    await sendKeys({ type: code.toLowerCase() });
    const signedIn = oneEvent(el, 'overa-signed-in');
    await sendKeys({ press: 'Enter' });
    const { detail } = await signedIn;
    expect(detail.user.id).to.equal(userId);
    expect(detail.user.displayName).to.equal('Bojan Bojić');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'user'));
    const [credential] = await newPhone.credentials();
    expect((await myPasskeys(url)).map((p) => p.id)).to.deep.equal([credential!.credentialId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')]);
    await expect(el).to.be.accessible();
  });

  it('opens the recovery code form prefilled from the recovery-code attribute, and says in Serbian what is wrong', async () => {
    const el = await fixture<OveraAccount>(html`<overa-account lang="sr-Cyrl" server=${url} recovery-code="ABCD-EFGH"></overa-account>`);
    const recovery = el.shadowRoot!.querySelector<HTMLDetailsElement>('details.recovery')!;
    expect(recovery.open).to.equal(true);
    // The form is in the later-views chunk: drawn as soon as it is in.
    await waitUntil(() => part(el, 'recovery-input'), 'the recovery form is drawn');
    expect(part<HTMLInputElement>(el, 'recovery-input')!.value).to.equal('ABCD-EFGH');
    expect(text(recovery.querySelector('label'))).to.equal('Код за обнову налога');
    part<HTMLInputElement>(el, 'recovery-input')!.value = '';
    part<HTMLInputElement>(el, 'recovery-input')!.dispatchEvent(new InputEvent('input'));
    part(el, 'recover-button')!.click();
    await el.updateComplete;
    expect(text(el.shadowRoot!.querySelector('#recovery-error'))).to.contain('Унесите код за обнову налога');
    await expect(el).to.be.accessible();
  });

  it('speaks Serbian in both scripts', async () => {
    const device = await VirtualAuthenticator.add();
    authenticators.push(device);
    const el = await fixture<OveraAccount>(html`<overa-account lang="sr-Cyrl" server=${url} primary-action="sign-in"></overa-account>`);
    expect(text(part(el, 'sign-in-button'))).to.equal('Пријави се приступним кључем');
    await register(el, 'Марко Марковић');
    await openPasskeys(el);
    expect(text(part(el, 'passkeys')!.querySelector('summary'))).to.equal('Ваши приступни кључеви');
    expect(text(part(el, 'add-passkey-button'))).to.equal('Додај приступни кључ на другом уређају');
    el.lang = 'sr-Latn';
    await waitUntil(() => text(part(el, 'add-passkey-button')) === 'Dodaj pristupni ključ na drugom uređaju', 'Latin script');
    await expect(el).to.be.accessible();
  });
});
