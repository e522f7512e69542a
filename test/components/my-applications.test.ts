import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../components/account/define.ts';
import '../../components/my-applications/define.ts';
import type { OveraAccount } from '../../components/account/account.ts';
import type { OveraMyApplications } from '../../components/my-applications/my-applications.ts';
import {
  clientFor,
  createApplication,
  OveraApiError,
  OveraClient,
  submitApplication,
  updateApplication,
  fetchDocumentPdf,
  prepareSignature,
  completeSignature,
  getCase,
  decideCase,
  type ApplicationView,
} from '../../components/client/index.ts';
import { decisionSubjectId } from '../../components/core/signing/decision.ts';
import { jmbgControlDigit } from '../../components/core/forms/validators.ts';
import { formatDate } from '../../components/i18n/index.ts';
import { overaInvite, overaServer } from '../helpers/overa-server.ts';
import { overaSessionPerTest } from '../helpers/overa-session.ts';
import { withFetch } from '../helpers/fetch.ts';

type El = OveraMyApplications;

const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: Element, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];
const part = <T extends HTMLElement = HTMLElement>(el: Element, name: string): T | null => $<T>(el, `[part~="${name}"]`);
const parts = <T extends HTMLElement = HTMLElement>(el: Element, name: string): T[] => $$<T>(el, `[part~="${name}"]`);
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

const JMBG = '010199071000' + jmbgControlDigit('010199071000');
const RESIDENCE = 'Apply for a certificate of residence';

const residence = (overrides: Record<string, string> = {}) => ({
  firstName: 'Ana', lastName: 'Anić', jmbg: JMBG, street: 'Bulevar oslobođenja 12', place: 'Novi Primer',
  postalCode: '21000', purpose: 'employment', delivery: 'online', ...overrides,
});

/** A submitted certificate-of-residence application (a form that needs no signature). */
async function apply(client: OveraClient, overrides: Record<string, string> = {}): Promise<ApplicationView> {
  const draft = await createApplication(client, { formId: 'certificate-of-residence', formVersion: 1, data: residence(overrides) });
  return submitApplication(client, draft.id, draft.version);
}

/** A draft of the other example form, left unsubmitted. */
async function draftExtract(client: OveraClient): Promise<ApplicationView> {
  return createApplication(client, { formId: 'birth-register-extract', formVersion: 1, data: { firstName: 'Ana' } });
}

/** An official with `roles`, in a client of their own, decides a step of the case with a signed decision. */
async function decideAs(roles: string[], id: string, step: string, decision: 'review' | 'approve'): Promise<void> {
  const official = new OveraClient(await overaServer(), { persist: 'memory' });
  await official.register(`Službenik (${roles.join(', ')})`, await overaInvite({ roles }), { persist: 'memory' });
  const options = await prepareSignature(official, { type: 'decision', id: decisionSubjectId(id, step) }, decision, { context: { comment: '' } });
  const signature = await completeSignature(official, options);
  const current = await getCase(official, id);
  await decideCase(official, id, current.version, { step, decision, signatureId: signature.id });
}

/**
 * A clerk of the agency returns the application with a comment: a real decision, signed with
 * the clerk's own passkey, through a client of their own (the citizen's session stays as it is).
 */
async function returnApplication(id: string, comment: string): Promise<void> {
  const url = await overaServer();
  const clerk = new OveraClient(url, { persist: 'memory' });
  await clerk.register('Petar Referent', await overaInvite({ roles: ['clerk'] }), { persist: 'memory' });
  const options = await prepareSignature(clerk, { type: 'decision', id: decisionSubjectId(id, 'review') }, 'return', { context: { comment } });
  const signature = await completeSignature(clerk, options);
  const current = await getCase(clerk, id);
  await decideCase(clerk, id, current.version, { step: 'review', decision: 'return', comment, signatureId: signature.id });
}

/** Resolves once `done()` holds, checking after each render of the element (no timers). */
async function until(el: El, done: () => boolean): Promise<void> {
  while (!done()) {
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

const settled = (el: El) => until(el, () => el.state !== 'loading');
const detailLoaded = (el: El) => until(el, () => part(el, 'timeline') !== null || $(el, '.detail .error-summary') !== null);

describe('<overa-my-applications>', () => {
  let url: string;

  overaSessionPerTest({ url: (u) => (url = u) });

  /** A new citizen with a real passkey (Chromium's virtual authenticator), signed in on the shared client. */
  async function citizen(name = 'Ana Anić'): Promise<OveraClient> {
    const client = clientFor(url);
    await client.register(name);
    return client;
  }

  it('asks to sign in, loads when someone signs in with <overa-account>, and shows the empty state', async () => {
    const page = await fixture<HTMLDivElement>(html`<div>
      <overa-account server=${url}></overa-account>
      <overa-my-applications server=${url}></overa-my-applications>
    </div>`);
    const account = page.querySelector<OveraAccount>('overa-account')!;
    const el = page.querySelector<El>('overa-my-applications')!;
    await el.updateComplete;
    await expect(el).to.be.accessible();
    expect(el.state).to.equal('signed-out');
    expect(text(part(el, 'signed-out'))).to.equal('Sign in with your passkey to see your applications and follow their progress.');

    // A real passkey sign-up in the account element; this element hears of it through the shared session.
    const name = account.shadowRoot!.querySelector<HTMLInputElement>('#name')!;
    name.focus();
    await sendKeys({ type: 'Nova Građanka' });
    const signedIn = oneEvent(account, 'overa-signed-in');
    account.shadowRoot!.querySelector<HTMLButtonElement>('[part="register-button"]')!.click();
    await signedIn;
    await until(el, () => el.state === 'empty');
    expect(text(part(el, 'empty'))).to.equal(
      'You have not made any applications yet. When you apply online, your application appears here and you can follow its progress.',
    );
    await expect(el).to.be.accessible();

    // Signing out anywhere on the page empties it again.
    account.shadowRoot!.querySelector<HTMLButtonElement>('[part="sign-out-button"]')!.click();
    await until(el, () => el.state === 'signed-out');
    expect(el.applications).to.have.length(0);
  });

  it('lists the applications, newest first, with title, reference, status and date', async () => {
    const client = await citizen();
    const first = await apply(client);
    const second = await apply(client, { place: 'Stari Primer' });
    const draft = await draftExtract(client);

    const el = await fixture<El>(html`<overa-my-applications server=${url}></overa-my-applications>`);
    await settled(el);
    expect(el.state).to.equal('list');
    await expect(el).to.be.accessible();

    expect(el.applications.map((a) => a.id)).to.deep.equal([draft.id, second.id, first.id]);
    const rows = parts(el, 'row');
    expect(rows).to.have.length(3);
    expect(part(el, 'list')!.tagName).to.equal('OL');
    expect(part(el, 'list')!.getAttribute('aria-label')).to.equal('Your applications');

    expect(text(rows[0]!.querySelector('.row-title'))).to.equal('Apply for an extract from the register of births');
    expect(text(rows[0]!.querySelector('[part="tag"]'))).to.equal('Draft');
    expect(text(rows[1]!.querySelector('.row-title'))).to.equal(RESIDENCE);
    expect(text(rows[1]!.querySelector('[part="tag"]'))).to.equal('Submitted');
    // The status is words on a tint, never a colour alone.
    expect(rows[1]!.querySelector('[part="tag"]')!.className).to.contain('tag--submitted');

    const today = formatDate('en', localDay(new Date()));
    expect(text(rows[1]!.querySelector('.meta'))).to.equal(`Tracking number: ${second.trackingNumber} Submitted on ${today}`);
    expect(text(rows[0]!.querySelector('.meta'))).to.equal(`Tracking number: ${draft.trackingNumber} Started on ${today}`);
    // Same form title twice: each button still has a name of its own.
    const button = rows[1]!.querySelector('button')!;
    expect(text(button)).to.equal(`${RESIDENCE} , ${second.trackingNumber}`);
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(part(el, 'show-more-button')).to.equal(null);
  });

  it('opens an application with the keyboard: the event, focus on the heading, the timeline', async () => {
    const client = await citizen();
    const draft = await createApplication(client, { formId: 'certificate-of-residence', formVersion: 1, data: { firstName: 'Ana' } });
    const v2 = await updateApplication(client, draft.id, draft.version, { data: residence({ street: 'Prva 1' }) });
    const v3 = await updateApplication(client, draft.id, v2.version, { data: residence() });
    const submitted = await submitApplication(client, draft.id, v3.version);

    const page = await fixture<HTMLDivElement>(html`<div>
      <button type="button" id="before">Before</button>
      <overa-my-applications server=${url}></overa-my-applications>
    </div>`);
    const el = page.querySelector<El>('overa-my-applications')!;
    await settled(el);

    page.querySelector<HTMLButtonElement>('#before')!.focus();
    await sendKeys({ press: 'Tab' });
    const button = part<HTMLButtonElement>(el, 'row-button')!;
    expect(el.shadowRoot!.activeElement).to.equal(button);

    const selected = oneEvent(el, 'overa-application-selected');
    await sendKeys({ press: 'Enter' });
    const { detail } = await selected;
    expect(detail).to.deep.equal({ id: submitted.id });
    await el.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(button.getAttribute('aria-controls')).to.equal(part(el, 'detail')!.id);
    // Focus moves to the opened application's heading at once.
    const heading = part(el, 'detail-heading')!;
    expect(el.shadowRoot!.activeElement).to.equal(heading);
    expect(text(heading)).to.equal(`Application ${submitted.trackingNumber}`);

    await detailLoaded(el);
    expect(el.shadowRoot!.activeElement).to.equal(heading);
    expect(text($(el, '.detail-status'))).to.equal('Status: Submitted');
    const timeline = part(el, 'timeline')!;
    expect(timeline.tagName).to.equal('OL');
    const events = [...timeline.querySelectorAll('li')];
    // Two saves of the answers in a row are one line.
    expect(events.map((li) => text(li.querySelector('.event-title')))).to.deep.equal([
      'You started the application',
      'You changed your answers 2 times',
      'You submitted the application',
    ]);
    const time = events[2]!.querySelector('time')!;
    expect(Number.isNaN(Date.parse(time.dateTime))).to.equal(false);
    expect(text(time)).to.match(/^\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}$/);
    expect(part(el, 'banner')).to.equal(null);
    expect(part(el, 'resubmit-button')).to.equal(null);
    await expect(el).to.be.accessible();

    // Back to the button and Enter again closes it; focus stays on the button.
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(el.shadowRoot!.activeElement).to.equal(button);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(part(el, 'detail')).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal(button);
  });

  it('pages with "Show more" (page-size=1)', async () => {
    const client = await citizen();
    const a = await apply(client);
    const b = await apply(client);
    const c = await apply(client);

    const el = await fixture<El>(html`<overa-my-applications server=${url} page-size="1"></overa-my-applications>`);
    await settled(el);
    expect(el.applications.map((x) => x.id)).to.deep.equal([c.id]);
    const more = part<HTMLButtonElement>(el, 'show-more-button')!;
    expect(text(more)).to.equal('Show more applications');
    await expect(el).to.be.accessible();

    more.focus();
    more.click();
    await until(el, () => el.applications.length === 2);
    await el.updateComplete;
    expect(el.applications.map((x) => x.id)).to.deep.equal([c.id, b.id]);
    expect(text(part(el, 'status'))).to.equal('Showing 2 applications');
    // Focus goes to the first application that was added.
    expect(el.shadowRoot!.activeElement).to.equal(parts(el, 'row-button')[1]);

    part<HTMLButtonElement>(el, 'show-more-button')!.click();
    await until(el, () => el.applications.length === 3);
    expect(el.applications.map((x) => x.id)).to.deep.equal([c.id, b.id, a.id]);
    // The last page: the server gave no cursor, so there is nothing more to show.
    expect(part(el, 'show-more-button')).to.equal(null);
    expect(text(part(el, 'status'))).to.equal('Showing 3 applications');

    // refresh() reloads what is on show, not just the first page: the open one stays open.
    parts(el, 'row-button')[2]!.click();
    await detailLoaded(el);
    await el.refresh();
    await el.updateComplete;
    expect(el.applications.map((x) => x.id)).to.deep.equal([c.id, b.id, a.id]);
    expect(el.openApplicationId).to.equal(a.id);
    expect(part(el, 'show-more-button')).to.equal(null);
    expect(parts(el, 'row')).to.have.length(3);
  });

  it('shows an error with "Try again" when the server cannot be reached, and recovers', async () => {
    const client = await citizen();
    await apply(client);

    // A session for a server nobody listens on (port 9): the list cannot load.
    const closed = 'http://localhost:9';
    sessionStorage.setItem(new OveraClient(closed).storageKey, client.token!);
    const el = await fixture<El>(html`<overa-my-applications server=${closed}></overa-my-applications>`);
    await settled(el);
    expect(el.state).to.equal('error');
    expect(text(part(el, 'error'))).to.equal(
      'There is a problem The service cannot be reached. Check your internet connection and try again. Try again',
    );
    expect(part(el, 'error')!.querySelector('[role="alert"]')).to.not.equal(null);
    await expect(el).to.be.accessible();
    // Not the person's doing: their focus was left alone.
    expect(el.shadowRoot!.activeElement).to.equal(null);

    // Pointed at the right server, it loads.
    el.server = url;
    await until(el, () => el.state === 'list');
    expect(el.applications).to.have.length(1);
  });

  it('"Try again" loads again and takes focus to the result', async () => {
    const client = await citizen();
    await apply(client);
    let failures = 0;
    await withFetch(
      (requested) => {
        if (requested.startsWith(`${url}/api/v1/applications`) && failures < 2) {
          failures++;
          return Promise.reject(new TypeError('Failed to fetch'));
        }
        return null;
      },
      async () => {
        const el = await fixture<El>(html`<overa-my-applications server=${url}></overa-my-applications>`);
        await settled(el);
        expect(el.state).to.equal('error');
        // The first retry fails too: focus goes to the error box, which says so again.
        const retry = part<HTMLButtonElement>(el, 'retry-button')!;
        retry.focus();
        await sendKeys({ press: 'Enter' });
        await until(el, () => el.state === 'error');
        expect(el.shadowRoot!.activeElement).to.equal(part(el, 'error'));
        // The second succeeds: focus goes to the list.
        part<HTMLButtonElement>(el, 'retry-button')!.focus();
        await sendKeys({ press: 'Enter' });
        await until(el, () => el.state === 'list');
        expect(el.shadowRoot!.activeElement).to.equal(part(el, 'list'));
        expect(failures).to.equal(2);
      },
    );
  });

  it('a returned application shows the comment, and "Change and resubmit" opens the form for it', async () => {
    const client = await citizen();
    const app = await apply(client);
    const comment = 'The postcode does not match the street.\nCheck it and send the application again.';
    await returnApplication(app.id, comment);

    const el = await fixture<El>(html`<overa-my-applications server=${url}></overa-my-applications>`);
    await settled(el);
    expect(text(part(el, 'tag'))).to.equal('Changes needed');
    part(el, 'row-button')!.click();
    await detailLoaded(el);

    const banner = part(el, 'banner')!;
    expect(banner.getAttribute('role')).to.equal('region');
    expect(text(banner.querySelector('h4'))).to.equal('Changes needed');
    expect(banner.getAttribute('aria-labelledby')).to.equal(banner.querySelector('h4')!.id);
    expect(banner.querySelector('blockquote')!.textContent).to.equal(comment);
    const titles = [...part(el, 'timeline')!.querySelectorAll('.event-title')].map((e) => text(e));
    expect(titles).to.deep.equal(['You started the application', 'You submitted the application', 'The application was returned to you for changes']);
    // The banner quotes the comment; the timeline does not say it twice.
    expect(part(el, 'timeline')!.querySelector('blockquote')).to.equal(null);
    await expect(el).to.be.accessible();

    const resubmit = part<HTMLButtonElement>(el, 'resubmit-button')!;
    expect(text(resubmit)).to.equal('Change and resubmit');
    resubmit.click();
    await el.updateComplete;
    const form = $(el, 'overa-application-form')!;
    expect(form).to.not.equal(null);
    expect(form.getAttribute('server')).to.equal(url);
    expect(form.getAttribute('lang')).to.equal('en');
    expect(form.getAttribute('form-id')).to.equal('certificate-of-residence');
    expect(form.getAttribute('application-id')).to.equal(app.id);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '.change-heading'));
    // The form shows the comment itself: the banner steps aside while it is open.
    expect(part(el, 'resubmit-button')).to.equal(null);
    expect(part(el, 'banner')).to.equal(null);
    await expect(el).to.be.accessible();

    // The form resubmits (here: through the client, as the form would) and says so.
    const current = await clientFor(url).request<ApplicationView>('GET', `applications/${app.id}`);
    const resubmitted = await submitApplication(client, app.id, current.version);
    form.dispatchEvent(new CustomEvent('overa-submitted', { detail: { application: resubmitted }, bubbles: true, composed: true }));
    await until(el, () => text(part(el, 'tag')) === 'Submitted' && text($(el, '.detail-status')) === 'Status: Submitted');
    expect($(el, 'overa-application-form')).to.equal(null);
    expect(part(el, 'banner')).to.equal(null);
    expect(text(part(el, 'status'))).to.equal('Your application has been sent again.');
    expect(text(part(el, 'success'))).to.equal('Your application has been sent again.');
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'detail-heading'));
    const after = [...part(el, 'timeline')!.querySelectorAll('.event-title')].map((e) => text(e));
    expect(after[after.length - 1]).to.equal('You submitted the application again, with changes');
    // The comment now lives on in the history.
    expect(part(el, 'timeline')!.querySelector('blockquote')!.textContent).to.equal(comment);
  });

  it('speaks Serbian in both scripts (the reference number stays as it is)', async () => {
    const client = await citizen();
    const app = await apply(client);
    await returnApplication(app.id, 'Proverite poštanski broj.');

    const cyr = await fixture<El>(html`<overa-my-applications server=${url} lang="sr-Cyrl"></overa-my-applications>`);
    await settled(cyr);
    expect(text($(cyr, '.row-title'))).to.equal('Захтев за уверење о пребивалишту');
    expect(text(part(cyr, 'tag'))).to.equal('Потребне измене');
    expect(text($(cyr, '.reference-number'))).to.equal(`Број предмета: ${app.trackingNumber}`);
    part(cyr, 'row-button')!.click();
    await detailLoaded(cyr);
    expect(text(part(cyr, 'detail-heading'))).to.equal(`Захтев ${app.trackingNumber}`);
    expect(text(part(cyr, 'resubmit-button'))).to.equal('Измени и поново поднеси');
    expect(text(part(cyr, 'timeline')!.querySelector('.event-title'))).to.equal('Започели сте захтев');
    // Everything but the reference number and the official's own words is Cyrillic, dates included.
    const shown = text($(cyr, '.root')).replaceAll(app.trackingNumber, '').replaceAll('Proverite poštanski broj.', '');
    expect(shown).to.not.match(/[A-Za-zČčĆćŽžŠšĐđ]/);
    expect($(cyr, '.root')!.getAttribute('lang')).to.equal('sr-Cyrl');
    await expect(cyr).to.be.accessible();

    const lat = await fixture<El>(html`<overa-my-applications server=${url} lang="sr-Latn"></overa-my-applications>`);
    await settled(lat);
    expect(text($(lat, '.row-title'))).to.equal('Zahtev za uverenje o prebivalištu');
    expect(text(part(lat, 'tag'))).to.equal('Potrebne izmene');
    expect(text($(lat, '.meta'))).to.contain(`Podnet ${formatDate('sr-Latn', localDay(new Date()))}`);

    // Signed out, in Cyrillic too; and it follows the page's language when it has none of its own.
    await clientFor(url).signOut();
    await until(cyr, () => cyr.state === 'signed-out');
    expect(text(part(cyr, 'signed-out'))).to.equal('Пријавите се приступним кључем да бисте видели своје захтеве и пратили како напредују.');
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="sr-Latn"><overa-my-applications server=${url}></overa-my-applications></div>`);
    const inner = wrapper.querySelector<El>('overa-my-applications')!;
    await inner.updateComplete;
    expect(text(part(inner, 'signed-out'))).to.equal('Prijavite se pristupnim ključem da biste videli svoje zahteve i pratili kako napreduju.');
  });

  it('offers an issued application\'s document, fetched with the session token', async () => {
    const client = await citizen();
    const app = await apply(client);
    // The real path: a clerk reviews, the head approves, and the approval issues the sealed PDF.
    await decideAs(['clerk'], app.id, 'review', 'review');
    await decideAs(['head'], app.id, 'approve', 'approve');
    const seen: { url: string; auth: string | null }[] = [];
    await withFetch(
      (requested, init) => {
        if (requested.includes('/api/v1/documents/')) seen.push({ url: requested, auth: new Headers(init?.headers).get('Authorization') });
        return null;
      },
      async () => {
        const el = await fixture<El>(html`<overa-my-applications server=${url}></overa-my-applications>`);
        await settled(el);
        part(el, 'row-button')!.click();
        await detailLoaded(el);
        expect(text($(el, '.detail-status'))).to.equal('Status: Document issued');
        const download = part<HTMLButtonElement>(el, 'download-button')!;
        expect(text(download)).to.equal('Download the document (PDF)');
        await expect(el).to.be.accessible();

        const clicked: { download: string; href: string }[] = [];
        const originalClick = HTMLAnchorElement.prototype.click;
        HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
          // Recorded, not followed: a headless browser has nowhere to save to.
          clicked.push({ download: this.download, href: this.href });
        };
        try {
          download.click();
          await until(el, () => text(part(el, 'status')) === 'The document has been downloaded.');
        } finally {
          HTMLAnchorElement.prototype.click = originalClick;
        }
        expect(seen).to.have.length(1);
        expect(seen[0]!.url).to.match(/\/api\/v1\/documents\/[^/]+\/pdf$/);
        expect(seen[0]!.auth).to.equal(`Bearer ${client.token}`);
        expect(clicked).to.have.length(1);
        expect(clicked[0]!.download).to.equal(`${app.trackingNumber}.pdf`);
        expect(clicked[0]!.href).to.match(/^blob:/);
        const saved = new Uint8Array(await (await fetch(clicked[0]!.href)).arrayBuffer());
        expect(new TextDecoder().decode(saved.subarray(0, 5))).to.equal('%PDF-');
        expect(new TextDecoder('latin1').decode(saved)).to.contain('/ETSI.CAdES.detached');
        // The temporary link is gone again.
        expect($(el, 'a[download]')).to.equal(null);
      },
    );
  });

  it('says when the document is not there (the real server has no such document)', async () => {
    const client = await citizen();
    const app = await apply(client);
    const err = await fetchDocumentPdf(client, 'no-such-document').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(OveraApiError);
    expect((err as OveraApiError).status).to.equal(404);

    await withFetch(
      (requested, init, original) =>
        requested === `${url}/api/v1/applications/${app.id}`
          ? original(requested, init)
              .then((r) => r.json() as Promise<Record<string, unknown>>)
              .then((body) => Response.json({ ...body, status: 'issued', documentId: 'no-such-document' }))
          : null,
      async () => {
        const el = await fixture<El>(html`<overa-my-applications server=${url}></overa-my-applications>`);
        await settled(el);
        part(el, 'row-button')!.click();
        await detailLoaded(el);
        part(el, 'download-button')!.click();
        await until(el, () => $(el, '.issued .error-message') !== null);
        expect(text($(el, '.issued .error-message'))).to.equal('Error: The document is not available yet. Try again later.');
        await expect(el).to.be.accessible();
      },
    );
  });

  it('fits a phone screen and passes axe in dark mode', async () => {
    const client = await citizen();
    const app = await apply(client, { street: 'Bulevar vojvode Živojina Mišića 128, ulaz B' });
    await returnApplication(app.id, 'Priložite dokaz o prebivalištu: ugovor o zakupu ili izvod iz katastra nepokretnosti.');
    await draftExtract(client);
    await emulateMedia({ colorScheme: 'dark' });
    try {
      const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 320px">
        <overa-my-applications server=${url} lang="sr-Latn"></overa-my-applications>
      </div>`);
      const el = wrapper.querySelector<El>('overa-my-applications')!;
      await settled(el);
      parts(el, 'row-button')[1]!.click();
      await detailLoaded(el);
      const root = $(el, '.root')!;
      // Nothing sticks out sideways (no horizontal scrolling at 320 CSS pixels, WCAG 1.4.10).
      expect(el.getBoundingClientRect().width).to.be.at.most(320);
      expect(root.scrollWidth).to.be.at.most(root.clientWidth);
      for (const node of $$(el, '.row, .detail, .banner, .timeline, button')) {
        expect(node.getBoundingClientRect().right, node.className).to.be.at.most(el.getBoundingClientRect().right);
      }
      await expect(el).to.be.accessible();
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });
});

/** Today's (or a date's) local calendar day as YYYY-MM-DD. */
function localDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
