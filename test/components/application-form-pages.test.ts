/**
 * <overa-application-form> with pages and a repeating group (issue 21), in Chromium against the
 * real server: page by page with per-page checks, every page a history entry, Back and Change,
 * errors per item linked from the summary, add and remove with the focus kept, prefill.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/application-form/define.ts';
import type { OveraApplicationForm, OveraInvalidDetail } from '../../components/application-form/application-form.ts';
import type { FormDefinition } from '../../components/core/forms/definition.ts';
import { clientFor } from '../../components/client/index.ts';
import { overaSessionPerTest } from '../helpers/overa-session.ts';

type Form = OveraApplicationForm;

const $ = <T extends Element = HTMLElement>(el: Form, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: Form, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];
const part = <T extends HTMLElement = HTMLElement>(el: Form, name: string): T | null => $(el, `[part~="${name}"]`);
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const tick = () => new Promise((r) => setTimeout(r, 0));

/** 1 January 1990, a man. */
const JMBG = '0101990710008';

const PAGED: FormDefinition = {
  id: 'paged-test',
  version: 1,
  agencyId: 'novi-primer',
  title: { 'sr-Latn': 'Zahtev sa stranama', en: 'An application with pages' },
  fields: [
    { name: 'fullName', type: 'text', label: { 'sr-Latn': 'Ime i prezime', en: 'Full name' }, required: true, prefill: 'displayName' },
    { name: 'jmbg', type: 'text', label: 'JMBG', required: true, validators: ['jmbg'] },
    {
      name: 'shared', type: 'radio', label: { 'sr-Latn': 'Ima li parcela suvlasnike?', en: 'Does anyone else own the parcel?' }, required: true,
      options: [{ value: 'yes', label: { 'sr-Latn': 'Da', en: 'Yes' } }, { value: 'no', label: { 'sr-Latn': 'Ne', en: 'No' } }],
    },
    {
      name: 'coOwners', type: 'group', label: { 'sr-Latn': 'Suvlasnici', en: 'Co-owners' }, itemLabel: { 'sr-Latn': 'Suvlasnik', en: 'Co-owner' },
      required: true, maxItems: 3,
      fields: [
        { name: 'name', type: 'text', label: { 'sr-Latn': 'Ime i prezime', en: 'Full name' }, required: true },
        { name: 'jmbg', type: 'text', label: 'JMBG', required: true, validators: ['jmbg'] },
        { name: 'birthDate', type: 'date', label: { 'sr-Latn': 'Datum rođenja', en: 'Date of birth' }, matchesJmbg: 'jmbg' },
      ],
    },
    { name: 'note', type: 'textarea', label: { 'sr-Latn': 'Napomena', en: 'Note' } },
  ],
  pages: [
    { id: 'you', title: { 'sr-Latn': 'Vaši podaci', en: 'About you' }, fields: ['fullName', 'jmbg'] },
    { id: 'parcel', title: { 'sr-Latn': 'Parcela', en: 'The parcel' }, fields: ['shared'] },
    { id: 'owners', title: { 'sr-Latn': 'Suvlasnici', en: 'Co-owners' }, fields: ['coOwners'], when: { field: 'shared', equals: 'yes' } },
    { id: 'note', title: { 'sr-Latn': 'Napomena', en: 'A note' }, fields: ['note'] },
  ],
  signature: { required: false },
  approvalLine: [{ id: 'approve', kind: 'approve', assignee: { role: 'head' } }],
  document: { template: 'certificate', title: 'Potvrda' },
};

async function typeInto(el: Form, selector: string, value: string): Promise<void> {
  $<HTMLInputElement>(el, selector)!.focus();
  await sendKeys({ type: value });
  await el.updateComplete;
}

/** Sets a date input as the browser's picker does (typing into one depends on the locale's order). */
async function setDate(el: Form, selector: string, value: string): Promise<void> {
  const input = $<HTMLInputElement>(el, selector)!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

async function go(direction: 'back' | 'forward'): Promise<void> {
  const popped = new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
  history[direction]();
  await popped;
}

const historySteps = (): Record<string, string> => ((history.state as { overa?: Record<string, string> } | null)?.overa ?? {});
const heading = (el: Form) => text($(el, '.form-title'));
const focused = (el: Form) => el.shadowRoot!.activeElement;

/** The paged form through its first two pages (the owner, "shared ownership"): on the co-owners page. */
async function toCoOwners(url: string): Promise<Form> {
  const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} .definition=${PAGED} no-autosave></overa-application-form>`);
  await waitUntil(() => el.step === 'form');
  await typeInto(el, '#f-fullName', 'Milica Petrović');
  await typeInto(el, '#f-jmbg', JMBG);
  await continueOn(el);
  await waitUntil(() => $(el, '#f-shared-0'));
  $<HTMLInputElement>(el, '#f-shared-0')!.click();
  await el.updateComplete;
  await continueOn(el);
  await waitUntil(() => heading(el) === 'Co-owners', 'the co-owners page');
  return el;
}

async function continueOn(el: Form): Promise<void> {
  part(el, 'continue-button')!.click();
  await tick();
  await el.updateComplete;
}

describe('<overa-application-form> with pages and a repeating group', () => {
  let url: string;
  overaSessionPerTest({ url: (u) => (url = u) }, { localStorage: true });

  it('goes page by page: prefill visible and editable, Continue checks only this page, every page a history entry, Back keeps the answers', async () => {
    await clientFor(url).register('Milica Petrović');
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} .definition=${PAGED}></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    await el.updateComplete;
    expect(heading(el)).to.equal('About you');
    expect(text($(el, '.form-caption'))).to.equal('An application with pages');
    expect($(el, '#f-shared-0'), 'later pages are not drawn').to.equal(null);
    expect($(el, '.page-back'), 'no Back on the first page').to.equal(null);
    // Prefilled from the profile, and the person's to change.
    const name = $<HTMLInputElement>(el, '#f-fullName')!;
    expect(name.value).to.equal('Milica Petrović');
    name.select();
    await sendKeys({ type: 'Milica P. Jovanović' });
    await el.updateComplete;
    expect(el.data.fullName).to.equal('Milica P. Jovanović');
    await expect(el).to.be.accessible();

    // Continue checks this page only: the JMBG, nothing of the later pages.
    const invalid = oneEvent(el, 'overa-invalid');
    await continueOn(el);
    const { detail } = (await invalid) as CustomEvent<OveraInvalidDetail>;
    expect(detail.issues.map((i) => i.field)).to.deep.equal(['jmbg']);
    expect(heading(el)).to.equal('About you');
    await typeInto(el, '#f-jmbg', JMBG);
    await continueOn(el);
    await waitUntil(() => heading(el) === 'The parcel', 'the second page');
    expect(focused(el)).to.equal($(el, '.form-title'));
    expect(Object.values(historySteps())).to.include('form:parcel');
    expect($(el, '.page-back')).to.exist;

    // The conditional page is skipped while its condition does not hold.
    $<HTMLInputElement>(el, '#f-shared-1')!.click();
    await el.updateComplete;
    await continueOn(el);
    await waitUntil(() => heading(el) === 'A note', 'the co-owners page skipped');
    await go('back');
    await el.updateComplete;
    expect(heading(el)).to.equal('The parcel');
    expect($<HTMLInputElement>(el, '#f-shared-1')!.checked, 'the answer kept').to.equal(true);
    // The page's Back link goes back the same way.
    $<HTMLButtonElement>(el, '.page-back button')!.click();
    await new Promise((r) => window.addEventListener('popstate', r, { once: true }));
    await el.updateComplete;
    expect(heading(el)).to.equal('About you');
    expect($<HTMLInputElement>(el, '#f-jmbg')!.value).to.equal(JMBG);
    await go('forward');
    await el.updateComplete;
    expect(heading(el)).to.equal('The parcel');
  });

  it('a repeating group: add and remove with the focus kept, errors per item in the summary, the JMBG cross-check, max items', async () => {
    const el = await toCoOwners(url);
    // A required group starts with one item.
    await waitUntil(() => $(el, '#f-coOwners-0-name'), 'the group drawn (its chunk loaded)');
    expect(text($(el, '#f-coOwners-0-heading'))).to.equal('Co-owner 1');
    expect($(el, '.group-remove'), 'the one item a required group needs has no Remove').to.equal(null);
    await typeInto(el, '#f-coOwners-0-name', 'Ana Anić');
    const add = $<HTMLButtonElement>(el, '#f-coOwners-add')!;
    expect(text(add)).to.equal('Add another co-owner');
    add.click();
    await waitUntil(() => focused(el) === $(el, '#f-coOwners-1-name'), 'the focus on the new item\'s first question');
    expect(text($(el, '#f-coOwners-1-heading'))).to.equal('Co-owner 2');

    // Errors per item, named by the item, each linking to its field.
    const invalid = oneEvent(el, 'overa-invalid');
    await continueOn(el);
    const { detail } = (await invalid) as CustomEvent<OveraInvalidDetail>;
    expect(detail.issues.map((i) => i.field)).to.deep.equal(['coOwners[0].jmbg', 'coOwners[1].name', 'coOwners[1].jmbg']);
    const links = [...part(el, 'error')!.querySelectorAll('a')];
    expect(links.map((a) => text(a))).to.deep.equal(['Co-owner 1: enter the JMBG', 'Co-owner 2: enter the full name', 'Co-owner 2: enter the JMBG']);
    expect(text($(el, '#f-coOwners-1-jmbg-error'))).to.equal('Error: Co-owner 2: enter the JMBG');
    links[2]!.click();
    expect(focused(el)).to.equal($(el, '#f-coOwners-1-jmbg'));
    await expect(el).to.be.accessible();

    // Removing the second: its errors go with it, the focus to the item before.
    const remove = $$<HTMLButtonElement>(el, '.group-remove');
    expect(text(remove[1])).to.equal('Remove Co-owner 2');
    remove[1]!.click();
    await waitUntil(() => focused(el) === $(el, '#f-coOwners-0-heading'), 'the focus on the item before');
    expect($(el, '#f-coOwners-1-name')).to.equal(null);
    expect(text(part(el, 'status'))).to.equal('Co-owner 2 removed');
    expect($(el, '#f-coOwners-1-jmbg-error')).to.equal(null);

    // The date of birth must agree with the item's JMBG.
    await typeInto(el, '#f-coOwners-0-jmbg', JMBG);
    await setDate(el, '#f-coOwners-0-birthDate', '1990-01-02');
    await continueOn(el);
    await waitUntil(() => $(el, '#f-coOwners-0-birthDate-error'), 'the cross-check error');
    expect(text($(el, '#f-coOwners-0-birthDate-error'))).to.equal('Error: Co-owner 1: date of birth does not match the JMBG: by the JMBG it is 1 January 1990');
    await setDate(el, '#f-coOwners-0-birthDate', '1990-01-01');
    expect($(el, '#f-coOwners-0-birthDate-error')).to.equal(null);

    // At most three: the add button gives way to a note.
    $<HTMLButtonElement>(el, '#f-coOwners-add')!.click();
    await el.updateComplete;
    $<HTMLButtonElement>(el, '#f-coOwners-add')!.click();
    await el.updateComplete;
    expect($(el, 'button#f-coOwners-add')).to.equal(null);
    expect(text($(el, '.group-full'))).to.equal('You have added the most this form takes: 3.');
    // Removing the first item: the focus goes to the add button (there is one again).
    $$<HTMLButtonElement>(el, '.group-remove')[0]!.click();
    await waitUntil(() => focused(el) === $(el, 'button#f-coOwners-add'), 'the focus on the add button');
    expect(el.data.coOwners).to.deep.equal([{}, {}]);
  });

  it('check your answers groups answers by page; Change goes to the page and comes straight back', async () => {
    const el = await toCoOwners(url);
    await waitUntil(() => $(el, '#f-coOwners-0-name'));
    await typeInto(el, '#f-coOwners-0-name', 'Ana Anić');
    await typeInto(el, '#f-coOwners-0-jmbg', JMBG);
    await continueOn(el);
    await waitUntil(() => heading(el) === 'A note');
    await continueOn(el);
    await waitUntil(() => el.step === 'check', 'check your answers');
    await el.updateComplete;
    expect($$(el, '.summary-section').map((h) => text(h))).to.deep.equal(['About you', 'The parcel', 'Co-owners', 'A note']);
    const group = $(el, '.group-answers')!;
    expect(text(group.querySelector('.item-title'))).to.equal('Co-owner 1');
    expect(text(group)).to.contain('Ana Anić');
    expect(Object.values(historySteps())).to.include('check');
    await expect(el).to.be.accessible();

    // Change the JMBG: its page, its field focused; Continue goes straight back to the check.
    const rows = $$(el, '.summary-row');
    const jmbgRow = rows.find((r) => text(r.querySelector('dt')) === 'JMBG')!;
    jmbgRow.querySelector('button')!.click();
    await waitUntil(() => el.step === 'form');
    await el.updateComplete;
    expect(heading(el)).to.equal('About you');
    expect(focused(el)).to.equal($(el, '#f-jmbg'));
    await continueOn(el);
    await waitUntil(() => el.step === 'check', 'straight back to check your answers');
    expect(focused(el)).to.equal($(el, '#check-heading'));

    // Changing an answer that opens nothing new: the same. Changing "shared" to "no" hides the co-owners.
    const sharedRow = $$(el, '.summary-row').find((r) => text(r.querySelector('dt')).startsWith('Does anyone'))!;
    sharedRow.querySelector('button')!.click();
    await waitUntil(() => el.step === 'form');
    await el.updateComplete;
    expect(heading(el)).to.equal('The parcel');
    $<HTMLInputElement>(el, '#f-shared-1')!.click();
    await el.updateComplete;
    await continueOn(el);
    await waitUntil(() => el.step === 'check');
    expect($$(el, '.summary-section').map((h) => text(h))).to.deep.equal(['About you', 'The parcel', 'A note']);
    expect(el.data.coOwners, 'the items stay in the browser (the person may change back)').to.have.length(1);
  });

  it('the demo form from the server (residence-registration), in Cyrillic: prefilled name, the JMBG cross-check in the page\'s language', async () => {
    await clientFor(url).register('Милица Петровић');
    const el = await fixture<Form>(html`<overa-application-form lang="sr-Cyrl" server=${url} form-id="residence-registration" no-autosave></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    await el.updateComplete;
    expect(heading(el)).to.equal('Ваши подаци');
    expect($<HTMLInputElement>(el, '#f-fullName')!.value).to.equal('Милица Петровић');
    await typeInto(el, '#f-jmbg', JMBG);
    await setDate(el, '#f-birthDate', '1990-01-01');
    $<HTMLInputElement>(el, '#f-sex-0')!.click();
    await el.updateComplete;
    await continueOn(el);
    await waitUntil(() => $(el, '#f-sex-error'), 'the sex checked against the JMBG');
    expect(text($(el, '#f-sex-error'))).to.equal('Грешка: Пол се не слаже са пољем „ЈМБГ“: према ЈМБГ-у је Мушки');
    $<HTMLInputElement>(el, '#f-sex-1')!.click();
    await el.updateComplete;
    await continueOn(el);
    await waitUntil(() => heading(el) === 'Нова адреса', 'the second page');
    await expect(el).to.be.accessible();
  });
});
