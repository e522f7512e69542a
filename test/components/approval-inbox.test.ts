import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/approval-inbox/define.ts';
import type { OveraApprovalInbox, OveraDecidedDetail } from '../../components/approval-inbox/approval-inbox.ts';
import type { OveraSign } from '../../components/sign/sign.ts';
import {
  clientFor,
  completeSignature,
  createApplication,
  decideCase,
  getCase,
  prepareSignature,
  submitApplication,
  OveraClient,
} from '../../components/client/index.ts';
import { decisionSubjectId } from '../../components/core/signing/decision.ts';
import { overaInvite } from '../helpers/overa-server.ts';
import { overaSessionPerTest } from '../helpers/overa-session.ts';
import { withFetch } from '../helpers/fetch.ts';

type Inbox = OveraApprovalInbox;
const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: Element, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];
const part = <T extends HTMLElement = HTMLElement>(el: Element, name: string): T | null => $(el, `[part~="${name}"]`);
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

const RESIDENCE = {
  firstName: 'Milica',
  lastName: 'Petrović',
  jmbg: '0101990710008',
  street: 'Bulevar oslobođenja 10',
  place: 'Novi Sad',
  postalCode: '21000',
  purpose: 'employment',
  delivery: 'online',
};

/** A citizen submits a certificate-of-residence request (review by a clerk, approval by the head); returns its tracking number. */
async function citizenSubmits(client: OveraClient, name = 'Milica Petrović'): Promise<{ id: string; trackingNumber: string }> {
  await client.register(name);
  const draft = await createApplication(client, { formId: 'certificate-of-residence', formVersion: 1, data: RESIDENCE });
  const sent = await submitApplication(client, draft.id, draft.version);
  await client.signOut();
  return { id: sent.id, trackingNumber: sent.trackingNumber };
}

async function official(client: OveraClient, name: string, roles: string[]): Promise<void> {
  await client.register(name, await overaInvite({ roles }));
}

/** The signed-in official decides the review step through the API (return and reject need a comment). */
async function decideReview(client: OveraClient, id: string, decision: 'review' | 'return' | 'reject', comment = ''): Promise<void> {
  const version = (await getCase(client, id)).version;
  const options = await prepareSignature(client, { type: 'decision', id: decisionSubjectId(id, 'review') }, decision, { context: { comment } });
  const signature = await completeSignature(client, options);
  await decideCase(client, id, version, { step: 'review', decision, signatureId: signature.id, ...(comment ? { comment } : {}) });
}

/** Opens the case by its row and waits until it is shown. */
async function openRow(el: Inbox, id: string): Promise<void> {
  $<HTMLButtonElement>(el, `[data-id="${id}"]`)!.click();
  await waitUntil(() => el.openCase?.id === id, 'case opened');
  await el.updateComplete;
}

/** Audit codes such as `application.created` or `signature.created`. */
const CODE = /\b[a-z]+\.[a-z]+\b/;

describe('<overa-approval-inbox>', () => {
  let url: string;

  overaSessionPerTest({ url: (u) => (url = u) });

  it('asks officials to sign in, and tells a citizen the inbox is not for them', async () => {
    const el = await fixture<Inbox>(html`<overa-approval-inbox lang="en" server=${url}></overa-approval-inbox>`);
    await el.updateComplete;
    expect(el.state).to.equal('signed-out');
    expect($(el, 'overa-account')).to.exist;
    await expect(el).to.be.accessible();
    await clientFor(url).register('Građanin Građanić');
    await waitUntil(() => el.state === 'not-official', 'citizen told');
    expect(text(el.shadowRoot!.querySelector('.notice-text'))).to.contain('for officials');
  });

  it('lists the agency’s requests; a clerk opens one, reviews it and signs the decision with a passkey', async () => {
    const client = clientFor(url);
    const { id, trackingNumber } = await citizenSubmits(client);
    await official(client, 'Petar Referent', ['clerk']);
    const decided: OveraDecidedDetail[] = [];
    const el = await fixture<Inbox>(html`<overa-approval-inbox lang="en" server=${url}></overa-approval-inbox>`);
    el.addEventListener('overa-decided', (e) => decided.push((e as CustomEvent<OveraDecidedDetail>).detail));
    await waitUntil(() => el.state === 'list', 'list shown', { timeout: 5000 });
    await el.updateComplete;
    const row = $<HTMLButtonElement>(el, `[data-id="${id}"]`)!;
    expect(text(row)).to.contain(trackingNumber);
    expect(text(row)).to.contain('Milica Petrović');
    expect(text(row)).to.contain('Waiting for your decision');
    await expect(el).to.be.accessible();

    row.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.openCase?.id === id, 'case opened');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement?.classList.contains('detail-heading')).to.equal(true);
    const steps = $$(el, '[part~="stepper"] .step');
    expect(steps).to.have.length(2);
    // The open request is a chunk of its own (loaded with the request): its sheet came with it.
    expect(getComputedStyle(steps[0]!).display).to.equal('grid');
    expect(text(steps[0])).to.contain('Review');
    expect(text(steps[0])).to.contain('Waiting for a decision');
    expect(text(steps[1])).to.contain('Comes later');
    expect(text(part(el, 'detail'))).to.contain('Bulevar oslobođenja 10');
    await expect(el).to.be.accessible();

    const review = $$<HTMLButtonElement>(el, '.decision .actions button').find((b) => text(b) === 'Reviewed, pass it on')!;
    review.click();
    await el.updateComplete;
    await sendKeys({ type: 'Sve u redu.' });
    $<HTMLButtonElement>(el, '.decision-form button[type="submit"]')!.click();
    await waitUntil(() => $<OveraSign>(el, 'overa-sign')?.state === 'ready', 'signing prepared');
    const sign = $<OveraSign>(el, 'overa-sign')!;
    expect(sign.payload!.subject).to.deep.equal({ type: 'decision', id: decisionSubjectId(id, 'review') });
    expect(sign.payload!.action).to.equal('review');
    await expect(el).to.be.accessible();
    part<HTMLButtonElement>(sign, 'sign-button')!.click();
    await waitUntil(() => decided.length === 1, 'decided', { timeout: 10000 });
    await el.updateComplete;
    const after = $$(el, '[part~="stepper"] .step');
    expect(text(after[0])).to.contain('Reviewed by Petar Referent');
    expect(text(after[0])).to.contain('Sve u redu.');
    expect(text(after[1])).to.contain('Waiting for a decision');
    expect(el.openCase!.status).to.equal('in_review');
    // The clerk cannot approve: nothing left to decide for them.
    expect(part(el, 'decision')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows the issued document with the level of its seal in plain words, in English and in Serbian', async () => {
    const client = clientFor(url);
    const { id } = await citizenSubmits(client, 'Jovana Izdata');
    await official(client, 'Marko Referent', ['clerk']);
    await decideReview(client, id, 'review');
    await client.signOut();
    await official(client, 'Milan Načelnik', ['head']);
    const el = await fixture<Inbox>(html`<overa-approval-inbox lang="en" server=${url}></overa-approval-inbox>`);
    await waitUntil(() => el.state === 'list', 'list shown', { timeout: 5000 });
    await openRow(el, id);
    $$<HTMLButtonElement>(el, '.decision .actions button').find((b) => text(b) === 'Approve')!.click();
    await el.updateComplete;
    $<HTMLButtonElement>(el, '.decision-form button[type="submit"]')!.click();
    await waitUntil(() => $<OveraSign>(el, 'overa-sign')?.state === 'ready', 'signing prepared');
    part<HTMLButtonElement>($<OveraSign>(el, 'overa-sign')!, 'sign-button')!.click();
    await waitUntil(() => part(el, 'seal-level') !== null, 'the issued document shown', { timeout: 20000 });
    // The test server has no TSA: the seal is B-B, and nothing is pending.
    expect(text(part(el, 'seal-level'))).to.equal('Sealed, without a time-stamp (PAdES B-B)');
    expect(text(part(el, 'issued-document'))).to.match(/Issued ?.+ Seal ?Sealed, without a time-stamp \(PAdES B-B\) Download the document/);
    expect(part(el, 'ltv-pending')).to.equal(null);
    await expect(el).to.be.accessible();
    el.lang = 'sr-Latn';
    await waitUntil(() => text(part(el, 'seal-level')) === 'Overen pečatom, bez vremenskog žiga (PAdES B-B)', 'Serbian (Latin)');
    el.lang = 'sr-Cyrl';
    await waitUntil(() => text(part(el, 'seal-level')) === 'Оверен печатом, без временског жига (PAdES B-B)', 'Serbian (Cyrillic)');
  });

  it('does not offer a step to whoever decided another step of the request (four eyes): it says why instead', async () => {
    const client = clientFor(url);
    const { id, trackingNumber } = await citizenSubmits(client, 'Radmila Radić');
    // Clerk and head at once: she reviews, so the approval must be somebody else's.
    await official(client, 'Vesna Obe Uloge', ['clerk', 'head']);
    await decideReview(client, id, 'review');
    const el = await fixture<Inbox>(html`<overa-approval-inbox lang="en" server=${url}></overa-approval-inbox>`);
    await waitUntil(() => el.state === 'list', 'list shown', { timeout: 5000 });
    await el.updateComplete;
    const row = $<HTMLButtonElement>(el, `[data-id="${id}"]`)!;
    expect(text(row)).to.contain(trackingNumber);
    expect(text(row)).not.to.contain('Waiting for your decision');
    await openRow(el, id);
    expect(el.openCase!.approvalLine[1]!.refusal?.type).to.equal('four-eyes');
    const decision = part(el, 'decision')!;
    expect(text(decision)).to.equal('You already decided step 1 of this request (Review); another official must decide the step “Approval”.');
    expect(decision.querySelectorAll('button')).to.have.length(0);
    expect($(el, '.decision-form')).to.equal(null);
    await expect(el).to.be.accessible();

    el.lang = 'sr-Latn';
    await waitUntil(() => text(part(el, 'decision')).startsWith('Već ste odlučili u koraku 1'), 'Serbian (Latin)');
    expect(text(part(el, 'decision'))).to.contain('drugi službenik');
    el.lang = 'sr-Cyrl';
    await waitUntil(() => text(part(el, 'decision')).startsWith('Већ сте одлучили у кораку 1'), 'Serbian (Cyrillic)');
    await expect(el).to.be.accessible();
  });

  it('requires a reason to return a request, and works with the keyboard (arrows, Enter, Escape)', async () => {
    const client = clientFor(url);
    const first = await citizenSubmits(client, 'Ana Anić');
    const second = await citizenSubmits(client, 'Bora Borić');
    await official(client, 'Vera Referent', ['clerk']);
    const el = await fixture<Inbox>(html`<overa-approval-inbox lang="en" server=${url}></overa-approval-inbox>`);
    await waitUntil(() => el.state === 'list');
    await el.updateComplete;
    const rows = $$<HTMLButtonElement>(el, '[part~="row-button"]');
    const index = (id: string) => rows.findIndex((r) => r.dataset.id === id);
    expect(index(first.id)).to.be.greaterThan(-1);
    expect(index(second.id)).to.be.greaterThan(-1);
    rows[0]!.focus();
    await sendKeys({ press: 'ArrowDown' });
    expect(el.shadowRoot!.activeElement).to.equal(rows[1]);
    await sendKeys({ press: 'ArrowUp' });
    expect(el.shadowRoot!.activeElement).to.equal(rows[0]);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.openCase !== null);
    await el.updateComplete;

    const ret = $$<HTMLButtonElement>(el, '.decision .actions button').find((b) => text(b) === 'Return to the applicant')!;
    ret.click();
    await el.updateComplete;
    $<HTMLButtonElement>(el, '.decision-form button[type="submit"]')!.click();
    await el.updateComplete;
    expect(text($(el, '#decision-comment-error'))).to.contain('Enter the reason');
    expect($(el, '#decision-comment')!.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.activeElement?.id).to.equal('decision-comment');
    await expect(el).to.be.accessible();

    // Escape leaves the decision, a second Escape closes the case and returns to its row.
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect($(el, '.decision-form')).to.equal(null);
    $<HTMLElement>(el, '.detail-heading')!.focus();
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.openCase).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal($(el, `[data-id="${rows[0]!.dataset.id}"]`));
  });

  it('searches by applicant and filters by status', async () => {
    const client = clientFor(url);
    await citizenSubmits(client, 'Zorka Zorić');
    await official(client, 'Mira Referent', ['clerk']);
    const el = await fixture<Inbox>(html`<overa-approval-inbox lang="en" server=${url}></overa-approval-inbox>`);
    await waitUntil(() => el.state === 'list');
    await el.updateComplete;
    $<HTMLInputElement>(el, '#inbox-q')!.value = 'Zorka';
    $<HTMLFormElement>(el, '[part~="filters"]')!.requestSubmit();
    await waitUntil(() => el.cases.length > 0 && el.cases.every((c) => c.applicant.displayName === 'Zorka Zorić'), 'searched');
    $<HTMLInputElement>(el, '#inbox-q')!.value = 'nobody-by-this-name';
    $<HTMLFormElement>(el, '[part~="filters"]')!.requestSubmit();
    await waitUntil(() => el.state === 'empty', 'nothing found');
    await el.updateComplete;
    expect(text($(el, '.empty'))).to.contain('No requests match');
    await expect(el).to.be.accessible();
  });

  it('shows a decision made elsewhere at once (server-sent events) and marks the request updated', async () => {
    const client = clientFor(url);
    const { id } = await citizenSubmits(client, 'Dejan Dejanović');
    await official(client, 'Saša Referent', ['clerk']);
    const el = await fixture<Inbox>(html`<overa-approval-inbox lang="en" server=${url}></overa-approval-inbox>`);
    await waitUntil(() => el.state === 'list');
    // Give the event stream a moment to connect before the decision is made elsewhere.
    await new Promise((r) => setTimeout(r, 300));
    const before = (await getCase(client, id)).version;
    const context = { comment: '' };
    const options = await prepareSignature(client, { type: 'decision', id: decisionSubjectId(id, 'review') }, 'review', { context });
    const signature = await completeSignature(client, options);
    await decideCase(client, id, before, { step: 'review', decision: 'review', signatureId: signature.id });
    await waitUntil(() => part(el, 'unread') !== null, 'the open inbox heard of it', { timeout: 5000 });
    await el.updateComplete;
    expect(text(part(el, 'unread'))).to.equal('1 updated');
    expect(text($(el, `[data-id="${id}"]`))).to.contain('updated since you last looked');
    expect(text(part(el, 'status'))).to.contain('was updated');
  });

  it('draws a returned step as returned and a rejected one as rejected, never as done', async () => {
    const client = clientFor(url);
    const returned = await citizenSubmits(client, 'Goran Gorić');
    const rejected = await citizenSubmits(client, 'Hana Hanić');
    await official(client, 'Iva Referent', ['clerk']);
    await decideReview(client, returned.id, 'return', 'Nedostaje adresa.');
    await decideReview(client, rejected.id, 'reject', 'Niste nadležni.');
    const el = await fixture<Inbox>(html`<overa-approval-inbox lang="en" server=${url}></overa-approval-inbox>`);
    await waitUntil(() => el.state === 'list');
    await el.updateComplete;

    await openRow(el, returned.id);
    let step = $$(el, '[part~="stepper"] .step')[0]!;
    expect(text(step.querySelector('.step-state'))).to.equal('Returned');
    expect(text(step)).not.to.contain('Done');
    expect(text(step)).to.contain('Returned to the applicant by Iva Referent');
    expect(text(step.querySelector('.step-icon'))).not.to.contain('✓');
    expect(step.querySelector('.step-icon')!.getAttribute('aria-hidden')).to.equal('true');
    await expect(el).to.be.accessible();

    await openRow(el, rejected.id);
    step = $$(el, '[part~="stepper"] .step')[0]!;
    expect(text(step.querySelector('.step-state'))).to.equal('Rejected');
    expect(text(step)).not.to.contain('Done');
    expect(text(step.querySelector('.step-icon'))).to.equal('✕');
    // The steps the rejection made unnecessary do not share its mark.
    for (const later of $$(el, '[part~="stepper"] .step').slice(1)) {
      expect(text(later.querySelector('.step-state'))).to.equal('Not needed');
      expect(text(later.querySelector('.step-icon'))).not.to.equal('✕');
    }
    await expect(el).to.be.accessible();
  });

  it('tells the full history in words, in English and in Serbian (both scripts)', async () => {
    const client = clientFor(url);
    const { id } = await citizenSubmits(client, 'Jelena Jelić');
    await official(client, 'Kosta Referent', ['clerk']);
    await decideReview(client, id, 'return', 'Dopunite zahtev.');
    const el = await fixture<Inbox>(html`<overa-approval-inbox lang="en" server=${url}></overa-approval-inbox>`);
    await waitUntil(() => el.state === 'list');
    await el.updateComplete;
    await openRow(el, id);
    const entries = () => $$(el, '.history li').map(text);
    const actions = el.openCase!.history.map((h) => h.action);
    expect(actions).to.include.members(['application.created', 'application.submitted', 'application.returned']);
    expect(entries()).to.have.length(actions.length);
    for (const entry of entries()) expect(entry).not.to.match(CODE);
    expect($(el, '.history code') === null, 'no codes').to.equal(true);
    expect(entries().some((e) => e.includes('Jelena Jelić: Application submitted'))).to.equal(true);
    expect(entries().some((e) => e.includes('Kosta Referent: Returned to the applicant for changes'))).to.equal(true);
    // The official reads what others did: never the applicant's "You submitted".
    for (const entry of entries()) expect(entry).not.to.match(/\bYou\b/);
    $<HTMLElement>(el, '.history summary')!.click();
    await el.updateComplete;
    await expect(el).to.be.accessible();

    el.lang = 'sr-Latn';
    await waitUntil(() => entries().some((e) => e.includes('Zahtev je podnet')), 'Serbian (Latin)');
    for (const entry of entries()) expect(entry).not.to.match(CODE);
    expect(entries().some((e) => e.includes('Zahtev je vraćen podnosiocu na izmenu'))).to.equal(true);
    el.lang = 'sr-Cyrl';
    await waitUntil(() => entries().some((e) => e.includes('Захтев је поднет')), 'Serbian (Cyrillic)');
    for (const entry of entries()) expect(entry).not.to.match(CODE);
  });

  it('announces new requests without also saying there are none', async () => {
    const client = clientFor(url);
    await official(client, 'Nada Referent', ['clerk']);
    const el = await fixture<Inbox>(html`<overa-approval-inbox lang="en" server=${url}></overa-approval-inbox>`);
    await waitUntil(() => el.state === 'list' || el.state === 'empty');
    // Nothing matches the search yet: the empty state says so.
    $<HTMLInputElement>(el, '#inbox-q')!.value = 'Ognjen Ognjenović';
    $<HTMLFormElement>(el, '[part~="filters"]')!.requestSubmit();
    await waitUntil(() => el.state === 'empty', 'nothing found');
    await el.updateComplete;
    expect(text($(el, '.empty'))).to.contain('No requests match');
    // Give the event stream a moment to connect before the request arrives.
    await new Promise((r) => setTimeout(r, 300));
    // The citizen applies elsewhere (their own client; the official stays signed in here).
    const { id } = await citizenSubmits(new OveraClient(url, { persist: 'memory' }), 'Ognjen Ognjenović');
    await waitUntil(() => $(el, '.new-cases') !== null, 'the new request announced', { timeout: 5000 });
    await el.updateComplete;
    expect(text($(el, '.new-cases'))).to.equal('1 new request: show it');
    expect($(el, '.empty') === null, 'no empty-state text beside the announcement').to.equal(true);
    expect(text($(el, '.list-pane'))).not.to.match(/no requests/i);
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, '.new-cases button')!.click();
    await waitUntil(() => el.cases.some((c) => c.id === id), 'shown');
  });

  it('keeps Close clear of the error when a request cannot be opened', async () => {
    const client = clientFor(url);
    const { id } = await citizenSubmits(client, 'Petra Petrić');
    await official(client, 'Olga Referent', ['clerk']);
    const el = await fixture<Inbox>(html`<overa-approval-inbox lang="en" server=${url}></overa-approval-inbox>`);
    await waitUntil(() => el.state === 'list');
    await el.updateComplete;
    // The server goes away between the list and the case.
    await withFetch(
      () => Promise.reject(new TypeError('Failed to fetch')),
      async () => {
        $<HTMLButtonElement>(el, `[data-id="${id}"]`)!.click();
        await waitUntil(() => $(el, '.detail .error-summary') !== null, 'error shown');
      },
    );
    await el.updateComplete;
    const close = $(el, '.detail .close')!.getBoundingClientRect();
    const box = $(el, '.detail .error-summary')!.getBoundingClientRect();
    expect(close.bottom).to.be.at.most(box.top);
    expect(el.shadowRoot!.activeElement?.classList.contains('error-summary'), 'focus on the error').to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('fits a phone: one pane below the other', async () => {
    const client = clientFor(url);
    const { id } = await citizenSubmits(client, 'Tara Tarić');
    await official(client, 'Lena Referent', ['clerk']);
    const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 340px"><overa-approval-inbox lang="sr-Cyrl" server=${url}></overa-approval-inbox></div>`);
    const el = wrapper.querySelector<Inbox>('overa-approval-inbox')!;
    await waitUntil(() => el.state === 'list');
    $<HTMLButtonElement>(el, `[data-id="${id}"]`)!.click();
    await waitUntil(() => el.openCase !== null);
    await el.updateComplete;
    const columns = getComputedStyle($(el, '.panes')!).gridTemplateColumns.split(' ');
    expect(columns).to.have.length(1);
    expect(text($(el, 'h2'))).to.equal('Пријемно сандуче');
    expect(el.scrollWidth).to.be.at.most(el.clientWidth + 1);
    await expect(el).to.be.accessible();
  });
});
