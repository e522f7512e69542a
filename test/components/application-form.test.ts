import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/application-form/define.ts';
import type { OveraApplicationForm, OveraInvalidDetail } from '../../components/application-form/application-form.ts';
import type { FormDefinition } from '../../components/core/forms/definition.ts';
import { verifyPasskeyEvidence } from '../../components/core/signing/verify-evidence.ts';
import { feeIpsQrPayload, feeReference } from '../../components/core/payments/fee.ts';
import { parseIpsQrPayload } from '../../components/core/payments/ips-qr.ts';
import type { OveraSign, OveraSignedDetail } from '../../components/sign/sign.ts';
import { clientFor, createApplication, listMyApplications } from '../../components/client/index.ts';
import { overaSessionPerTest } from '../helpers/overa-session.ts';
import { withFetch } from '../helpers/fetch.ts';

type Form = OveraApplicationForm;

const $ = <T extends Element = HTMLElement>(el: Form, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: Form, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];
const part = <T extends HTMLElement = HTMLElement>(el: Form, name: string): T | null => $(el, `[part~="${name}"]`);
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const tick = () => new Promise((r) => setTimeout(r, 0));

/** Every field type the format has, with a hint, an optional field, a pattern and a condition. */
const ALL_TYPES: FormDefinition = {
  id: 'all-types',
  version: 1,
  agencyId: 'novi-primer',
  title: { 'sr-Latn': 'Sva polja', en: 'Every field' },
  fields: [
    { name: 'name', type: 'text', label: { 'sr-Latn': 'Ime', en: 'Name' }, hint: { 'sr-Latn': 'Kao u ličnoj karti.', en: 'As on your ID card.' }, required: true, maxLength: 50 },
    { name: 'note', type: 'textarea', label: { 'sr-Latn': 'Napomena', en: 'Note' } },
    { name: 'count', type: 'number', label: { 'sr-Latn': 'Broj', en: 'How many' }, required: true, min: 1, max: 10 },
    { name: 'born', type: 'date', label: { 'sr-Latn': 'Datum rođenja', en: 'Date of birth' }, required: true, max: 'today' },
    { name: 'email', type: 'email', label: { 'sr-Latn': 'E-pošta', en: 'Email' }, required: true },
    { name: 'phone', type: 'tel', label: { 'sr-Latn': 'Telefon', en: 'Phone' } },
    {
      name: 'city', type: 'select', label: { 'sr-Latn': 'Grad', en: 'City' }, required: true,
      options: [{ value: 'ns', label: 'Novi Sad' }, { value: 'bg', label: 'Beograd' }],
    },
    {
      name: 'delivery', type: 'radio', label: { 'sr-Latn': 'Dostava', en: 'Delivery' }, required: true,
      options: [{ value: 'post', label: { 'sr-Latn': 'Poštom', en: 'By post' } }, { value: 'email', label: { 'sr-Latn': 'E-poštom', en: 'By email' } }],
    },
    { name: 'address', type: 'text', label: { 'sr-Latn': 'Adresa', en: 'Address' }, required: true, when: { field: 'delivery', equals: 'post' } },
    {
      name: 'topics', type: 'checkbox', label: { 'sr-Latn': 'Teme', en: 'Topics' },
      options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }],
    },
    { name: 'code', type: 'text', label: { 'sr-Latn': 'Šifra', en: 'Code' }, pattern: '[0-9]{4}', patternMessage: { 'sr-Latn': 'Unesite 4 cifre', en: 'Enter 4 digits' } },
    { name: 'scan', type: 'file', label: { 'sr-Latn': 'Prilog', en: 'Attachment' }, accept: ['application/pdf'], maxSize: 1024 * 1024, maxFiles: 2 },
    { name: 'agree', type: 'checkbox', label: { 'sr-Latn': 'Potvrđujem', en: 'I confirm' }, required: true },
  ],
  signature: { required: false },
  approvalLine: [{ id: 'approve', kind: 'approve', assignee: { role: 'head' } }],
  document: { template: 'certificate', title: 'Potvrda' },
};

/** Types the way a person does: focus, then real key presses. */
async function typeInto(el: Form, selector: string, value: string): Promise<void> {
  $<HTMLInputElement>(el, selector)!.focus();
  await sendKeys({ type: value });
}

/** Leaves the focused field (a blur fires `change` on what was typed). */
async function leave(el: Form): Promise<void> {
  await sendKeys({ press: 'Tab' });
  await el.updateComplete;
}

function chooseFiles(el: Form, field: string, files: File[]): void {
  const input = $<HTMLInputElement>(el, `#f-${field}`)!;
  const transfer = new DataTransfer();
  for (const f of files) transfer.items.add(f);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** A small but real PDF (the server reads the bytes). */
function pdf(name: string, size = 2000): File {
  const head = '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n';
  const body = new Uint8Array(size);
  body.set(new TextEncoder().encode(head));
  body.fill(0x20, head.length, size - 6);
  body.set(new TextEncoder().encode('%%EOF\n'), size - 6);
  return new File([body], name, { type: 'application/pdf' });
}

async function signIn(url: string): Promise<void> {
  await clientFor(url).register('Milica Petrović');
}

/** Fills the certificate-of-residence form (no signature needed) through the UI. */
async function fillResidence(el: Form): Promise<void> {
  await typeInto(el, '#f-firstName', 'Milica');
  await typeInto(el, '#f-lastName', 'Petrović');
  await typeInto(el, '#f-jmbg', '0101990710008');
  await typeInto(el, '#f-street', 'Bulevar oslobođenja 10');
  await typeInto(el, '#f-place', 'Novi Sad');
  await typeInto(el, '#f-postalCode', '21000');
  const purpose = $<HTMLSelectElement>(el, '#f-purpose')!;
  purpose.value = purpose.options[1]!.value;
  purpose.dispatchEvent(new Event('change'));
  await el.updateComplete;
  $<HTMLInputElement>(el, '#f-delivery-0')!.click();
  await el.updateComplete;
}

/** Fills the building permit (a signature is required) through the UI, with two uploaded files. */
async function fillPermit(el: Form): Promise<void> {
  $<HTMLInputElement>(el, '#f-investorType-0')!.click();
  await el.updateComplete;
  await typeInto(el, '#f-investorName', 'Milica Petrović');
  await typeInto(el, '#f-investorJmbg', '0101990710008');
  await typeInto(el, '#f-email', 'milica@example.rs');
  const select = $<HTMLSelectElement>(el, '#f-cadastralMunicipality')!;
  select.value = 'futog';
  select.dispatchEvent(new Event('change'));
  await typeInto(el, '#f-parcelNumber', '1234/5');
  await typeInto(el, '#f-description', 'Porodična kuća, prizemlje i sprat, 180 m²');
  await typeInto(el, '#f-estimatedValue', '12000000');
  $<HTMLInputElement>(el, '#f-declaration')!.click();
  await el.updateComplete;
  chooseFiles(el, 'projectDocumentation', [pdf('projekat.pdf')]);
  chooseFiles(el, 'ownershipProof', [pdf('list-nepokretnosti.pdf')]);
  await waitUntil(() => $$(el, '.file-item--done').length === 2, 'both uploaded', { timeout: 10000 });
}

/** One optional question: continuing needs nothing, so the steps can be walked without signing in. */
const SHORT: FormDefinition = {
  id: 'short-note',
  version: 1,
  agencyId: 'novi-primer',
  title: { 'sr-Latn': 'Kratka napomena', en: 'A short note' },
  fields: [{ name: 'note', type: 'text', label: { 'sr-Latn': 'Napomena', en: 'Note' } }],
  signature: { required: false },
  approvalLine: [{ id: 'approve', kind: 'approve', assignee: { role: 'head' } }],
  document: { template: 'certificate', title: 'Potvrda' },
};

/** The browser's Back or Forward, and the popstate it brings. */
async function go(direction: 'back' | 'forward'): Promise<void> {
  const popped = new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
  history[direction]();
  await popped;
}

/** Both elements have rendered whatever a popstate made them do. */
async function settled(...els: Form[]): Promise<void> {
  await tick();
  await Promise.all(els.map((e) => e.updateComplete));
}

/** The steps Overa keeps in the current history entry. */
const historySteps = (): Record<string, string> => ((history.state as { overa?: Record<string, string> } | null)?.overa ?? {});

/** The element focused inside `el`'s shadow root, with the page's focus on `el` itself (never on <body>). */
function focusedIn(el: HTMLElement): Element | null {
  expect(document.activeElement, 'the page focus is on the element, not <body>').to.equal(el);
  return el.shadowRoot!.activeElement;
}

describe('<overa-application-form>', () => {
  let url: string;
  overaSessionPerTest({ url: (u) => (url = u) }, { localStorage: true });

  it('renders every field type accessibly, with hints and "(optional)" instead of asterisks', async () => {
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} .definition=${ALL_TYPES}></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    await el.updateComplete;
    expect($(el, 'input#f-name[type="text"]')).to.exist;
    expect($(el, 'textarea#f-note')).to.exist;
    expect($(el, 'input#f-count')!.getAttribute('inputmode')).to.equal('decimal');
    expect($(el, 'input#f-born[type="date"]')!.getAttribute('max')).to.match(/^\d{4}-\d{2}-\d{2}$/);
    expect($(el, 'input#f-email[type="email"]')).to.exist;
    expect($(el, 'input#f-phone[type="tel"]')).to.exist;
    expect($$(el, 'select#f-city option')).to.have.length(3);
    expect($$(el, 'fieldset input[type="radio"][name="delivery"]')).to.have.length(2);
    expect($$(el, 'fieldset input[type="checkbox"][name="topics"]')).to.have.length(2);
    expect($(el, 'input#f-scan[type="file"]')!.hasAttribute('multiple')).to.equal(true);
    expect($(el, 'input#f-agree[type="checkbox"]')).to.exist;
    // Conditional: the address appears only for delivery by post.
    expect($(el, '#f-address')).to.equal(null);
    $<HTMLInputElement>(el, '#f-delivery-0')!.click();
    await el.updateComplete;
    expect($(el, '#f-address')).to.exist;

    expect(text($(el, 'label[for="f-note"]'))).to.equal('Note (optional)');
    expect(text($(el, 'label[for="f-name"]'))).to.equal('Name');
    expect(el.shadowRoot!.textContent).not.to.contain('*');
    expect($(el, '#f-name')!.getAttribute('aria-describedby')).to.equal('f-name-hint');
    expect(text($(el, '#f-name-hint'))).to.equal('As on your ID card.');
    // Signed out: files wait for a sign-in, and the form says so.
    expect($<HTMLInputElement>(el, '#f-scan')!.disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('validates after interaction, not before: a wrong answer shows on leaving the field, a missing one waits', async () => {
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} .definition=${ALL_TYPES}></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    $<HTMLInputElement>(el, '#f-name')!.focus();
    await leave(el);
    expect($(el, '#f-name-error'), 'empty field left: no error yet').to.equal(null);
    await typeInto(el, '#f-code', '12a');
    await leave(el);
    // The validator is a chunk of its own (usually loaded on idle by now): the error shows once it has looked.
    await waitUntil(() => $(el, '#f-code-error'), 'the error shown on leaving the field');
    expect(text($(el, '#f-code-error'))).to.equal('Error: Enter 4 digits');
    expect($(el, '#f-name-error'), 'the empty field left earlier: still no error').to.equal(null);
    expect($(el, '#f-code')!.getAttribute('aria-invalid')).to.equal('true');
    // Fixing it clears the error as soon as the answer is right.
    // (Typed over a selection: a Backspace that misses its input would navigate the test page back.)
    $<HTMLInputElement>(el, '#f-code')!.select();
    await sendKeys({ type: '1234' });
    await el.updateComplete;
    expect($(el, '#f-code-error')).to.equal(null);
  });

  it('shows an error summary that takes focus, links to each field and uses the inline wording; fires overa-invalid', async () => {
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} .definition=${ALL_TYPES}></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    await typeInto(el, '#f-email', 'not-an-email');
    const invalid = oneEvent(el, 'overa-invalid');
    part(el, 'continue-button')!.click();
    const { detail } = (await invalid) as CustomEvent<OveraInvalidDetail>;
    await el.updateComplete;
    const summary = part(el, 'error')!;
    expect(el.shadowRoot!.activeElement).to.equal(summary);
    const links = [...summary.querySelectorAll('a')];
    const fields = detail.issues.map((i) => i.field);
    expect(fields).to.deep.equal(['name', 'count', 'born', 'email', 'city', 'delivery', 'agree']);
    expect(links).to.have.length(fields.length);
    // Same words as under the field; they name the field, so the summary adds nothing.
    expect(text(links[3])).to.equal(text($(el, '#f-email-error')).replace(/^Error: /, ''));
    expect(detail.issues[3]!.message).to.contain('Enter an email address in the correct format');
    expect(text(links[0])).to.equal('Enter the name');
    expect(text(links[4])).to.equal('Select the city');
    expect(text($(el, '#f-agree-error'))).to.equal('Error: Select the box to continue');
    // A link focuses its field (radios: the first option) without touching the page URL.
    const before = location.href;
    links[5]!.click();
    expect(el.shadowRoot!.activeElement).to.equal($(el, '#f-delivery-0'));
    links[0]!.click();
    expect(el.shadowRoot!.activeElement).to.equal($(el, '#f-name'));
    expect(location.href).to.equal(before);
    await expect(el).to.be.accessible();
  });

  it('bubbles native input and change events from its fields', async () => {
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} .definition=${ALL_TYPES}></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    const seen: string[] = [];
    document.body.addEventListener('input', () => seen.push('input'));
    document.body.addEventListener('change', () => seen.push('change'));
    await typeInto(el, '#f-name', 'A');
    await leave(el);
    expect(seen).to.include('input');
    expect(seen).to.include('change');
    expect(el.data.name).to.equal('A');
  });

  it('keeps answers in the browser and offers to restore them', async () => {
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} .definition=${ALL_TYPES}></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    await typeInto(el, '#f-name', 'Jovan');
    $<HTMLInputElement>(el, '#f-delivery-1')!.click();
    await el.updateComplete;
    await waitUntil(() => Object.keys(localStorage).some((k) => k.startsWith('overa.draft:')), 'autosaved');
    el.remove();

    const again = await fixture<Form>(html`<overa-application-form lang="en" server=${url} .definition=${ALL_TYPES}></overa-application-form>`);
    await waitUntil(() => again.step === 'form');
    await again.updateComplete;
    const banner = part(again, 'restore')!;
    expect(text(banner)).to.contain('You have started this application before');
    expect($<HTMLInputElement>(again, '#f-name')!.value).to.equal('');
    await expect(again).to.be.accessible();
    [...banner.querySelectorAll('button')][0]!.click();
    await again.updateComplete;
    expect(part(again, 'restore')).to.equal(null);
    expect($<HTMLInputElement>(again, '#f-name')!.value).to.equal('Jovan');
    expect($<HTMLInputElement>(again, '#f-delivery-1')!.checked).to.equal(true);

    // "Start again" drops the saved answers for good.
    again.remove();
    const third = await fixture<Form>(html`<overa-application-form lang="en" server=${url} .definition=${ALL_TYPES}></overa-application-form>`);
    await waitUntil(() => third.step === 'form');
    await third.updateComplete;
    [...part(third, 'restore')!.querySelectorAll('button')][1]!.click();
    await third.updateComplete;
    expect(part(third, 'restore')).to.equal(null);
    expect(Object.keys(localStorage).filter((k) => k.startsWith('overa.draft:'))).to.have.length(0);
  });

  it('uploads attachments with a progress bar, cancels one, and explains type and size refusals', async () => {
    await signIn(url);
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} form-id="building-permit"></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    await el.updateComplete;
    expect($<HTMLInputElement>(el, '#f-projectDocumentation')!.disabled).to.equal(false);

    // Too big for the field's 5 MB: refused before a byte is sent.
    chooseFiles(el, 'projectDocumentation', [pdf('huge.pdf', 6 * 1024 * 1024)]);
    await waitUntil(() => $(el, '.file-item--failed'), 'the file refused (the rules come with the validator chunk)');
    expect(text($(el, '.file-item--failed'))).to.contain('The selected file must be 5 MB or smaller');

    // An empty file can never be a document: it says so, rather than "try again".
    chooseFiles(el, 'ownershipProof', [new File([], 'empty.pdf', { type: 'application/pdf' })]);
    await el.updateComplete;
    expect(text($(el, '.field:has(#f-ownershipProof) .file-item--failed'))).to.contain('The selected file is empty');
    // Going on with it still listed: the field says to remove it (or choose another).
    part<HTMLButtonElement>(el, 'continue-button')!.click();
    await el.updateComplete;
    expect(text($(el, '.error-summary'))).to.contain('Remove empty.pdf, which could not be attached, or choose another file');
    // Two of them: both named.
    chooseFiles(el, 'ownershipProof', [new File([], 'empty-too.pdf', { type: 'application/pdf' })]);
    part<HTMLButtonElement>(el, 'continue-button')!.click();
    await el.updateComplete;
    expect(text($(el, '.error-summary'))).to.contain('Remove empty.pdf and empty-too.pdf, which could not be attached, or choose other files');
    for (const button of $$<HTMLButtonElement>(el, '.field:has(#f-ownershipProof) .file-item--failed button')) button.click();
    await el.updateComplete;

    // A real upload: progress shows while it runs, then "Uploaded".
    const seenProgress: number[] = [];
    const observer = new MutationObserver(() => {
      const bar = $<HTMLProgressElement>(el, 'progress');
      if (bar) seenProgress.push(bar.value);
    });
    observer.observe(el.shadowRoot!, { subtree: true, childList: true, attributes: true });
    chooseFiles(el, 'projectDocumentation', [pdf('project.pdf', 3 * 1024 * 1024)]);
    await el.updateComplete;
    expect($(el, 'progress'), 'a progress bar while uploading').to.exist;
    expect($(el, 'progress')!.getAttribute('aria-label')).to.equal('Uploading project.pdf');
    await waitUntil(() => text($(el, '.file-item--done')).includes('Uploaded'), 'uploaded', { timeout: 15000 });
    observer.disconnect();
    expect(seenProgress.length).to.be.greaterThan(0);
    expect(el.data.projectDocumentation).to.have.length(1);

    // A renamed executable: the server reads the bytes and refuses; the field says why.
    const exe = new File([new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0, ...new Array(200).fill(0)])], 'scan.pdf', { type: 'application/pdf' });
    chooseFiles(el, 'ownershipProof', [exe]);
    await waitUntil(() => $(el, '.field:has(#f-ownershipProof) .files .file-item--failed') !== null, 'refused', { timeout: 10000 });
    expect(text($(el, '.field:has(#f-ownershipProof) .files .file-item--failed'))).to.contain('must be a PDF, JPEG or PNG');
    expect(el.data.ownershipProof).to.equal(undefined);

    // Cancel stops an upload in flight and leaves nothing in the answer.
    chooseFiles(el, 'ownershipProof', [pdf('big.pdf', 4 * 1024 * 1024)]);
    await el.updateComplete;
    const cancel = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.field:has(#f-ownershipProof) .files .file-item--uploading button')][0]!;
    expect(text(cancel)).to.equal('Cancel big.pdf');
    cancel.click();
    await el.updateComplete;
    expect($(el, '.field:has(#f-ownershipProof) .files .file-item--uploading')).to.equal(null);
    expect(el.data.ownershipProof).to.equal(undefined);

    // Files can be dropped on the field as well as chosen.
    const transfer = new DataTransfer();
    transfer.items.add(pdf('dropped.pdf'));
    $(el, '.field:has(#f-ownershipProof) .drop-zone')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    await waitUntil(() => text($(el, '.field:has(#f-ownershipProof) .file-item--done')).includes('dropped.pdf'), 'dropped file uploaded', { timeout: 10000 });
    expect(el.data.ownershipProof).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('can be completed with the keyboard alone, checked, and sent once even when Send is pressed twice', async () => {
    await signIn(url);
    const submitted: CustomEvent[] = [];
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} form-id="certificate-of-residence" applications-href="/my-applications.html"></overa-application-form>`);
    el.addEventListener('overa-submitted', (e) => submitted.push(e));
    await waitUntil(() => el.step === 'form');
    await el.updateComplete;
    // Keyboard only: Tab from field to field, type, arrow keys for the select and radios.
    $<HTMLInputElement>(el, '#f-firstName')!.focus();
    await sendKeys({ type: 'Milica' });
    for (const value of ['Petrović', '0101990710008', 'Bulevar oslobođenja 10']) {
      await sendKeys({ press: 'Tab' });
      await sendKeys({ type: value });
    }
    await sendKeys({ press: 'Tab' }); // apartment (optional): skipped
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Novi Sad' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: '21000' });
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.id).to.equal('f-purpose');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.id).to.equal('f-delivery-0');
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    // To the Continue button, past the optional phone field.
    await expect(el, 'filled').to.be.accessible();
    for (let i = 0; i < 6 && el.shadowRoot!.activeElement?.getAttribute('part') !== 'continue-button'; i++) await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('continue-button');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    await waitUntil(() => el.step === 'check', 'on the check step');
    expect(el.shadowRoot!.activeElement?.id).to.equal('check-heading');
    // "Check your answers" is a chunk of its own (loaded on idle or on continuing): its sheet came with it.
    expect(getComputedStyle($(el, '.summary-row')!).display).to.equal('grid');
    const rows = $$(el, '.summary-row').map((r) => text(r));
    expect(rows[0]).to.contain('Milica');
    expect(rows.some((r) => r.includes('Change'))).to.equal(true);
    await expect(el).to.be.accessible();

    // "Change" goes back to the question.
    $<HTMLButtonElement>(el, '.summary-row .link-button')!.click();
    await el.updateComplete;
    expect(el.step).to.equal('form');
    expect(el.shadowRoot!.activeElement?.id).to.equal('f-firstName');
    part(el, 'continue-button')!.click();
    await waitUntil(() => el.step === 'check');

    const before = (await listMyApplications(clientFor(url))).items.length;
    const send = part<HTMLButtonElement>(el, 'send-button')!;
    send.click();
    send.click();
    await waitUntil(() => el.step === 'sent', 'sent', { timeout: 10000 });
    await el.updateComplete;
    expect(submitted).to.have.length(1);
    const app = (submitted[0]!.detail as { application: { trackingNumber: string; status: string } }).application;
    expect(app.status).to.equal('submitted');
    expect(text(part(el, 'receipt'))).to.contain(app.trackingNumber);
    expect(getComputedStyle(part(el, 'receipt')!).textAlign).to.equal('center');
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'receipt'));
    const next = part<HTMLAnchorElement>(el, 'applications-link')!;
    expect([text(next), next.getAttribute('href')]).to.deep.equal(['Follow your application in My applications', '/my-applications.html']);
    const after = (await listMyApplications(clientFor(url))).items;
    expect(after.length - before).to.equal(1);
    expect(after[0]!.trackingNumber).to.equal(app.trackingNumber);
    // Sent: the browser copy of the answers is gone.
    await tick();
    expect(Object.keys(localStorage).filter((k) => k.startsWith('overa.draft:'))).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('retrying after a lost response makes one application, not two', async () => {
    await signIn(url);
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} form-id="certificate-of-residence"></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    await el.updateComplete;
    await fillResidence(el);
    part(el, 'continue-button')!.click();
    await waitUntil(() => el.step === 'check');
    const before = (await listMyApplications(clientFor(url))).items.length;

    // The submit reaches the server, but its answer is lost on the way back.
    await withFetch(
      (requested, init, original) =>
        requested.endsWith('/submit')
          ? original(requested, init).then(() => {
              throw new TypeError('Failed to fetch');
            })
          : null,
      async () => {
        part<HTMLButtonElement>(el, 'send-button')!.click();
        await waitUntil(() => part(el, 'error') !== null, 'network error shown');
      },
    );
    expect(text(part(el, 'error'))).to.contain('The service cannot be reached');
    expect(el.step).to.equal('check');
    part<HTMLButtonElement>(el, 'send-button')!.click();
    await waitUntil(() => el.step === 'sent', 'sent on retry', { timeout: 10000 });
    const after = (await listMyApplications(clientFor(url))).items.length;
    expect(after - before).to.equal(1);
  });

  it('a form that must be signed is signed at the check step and sent with that signature', async () => {
    await signIn(url);
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} form-id="building-permit"></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    await el.updateComplete;
    await fillPermit(el);
    part(el, 'continue-button')!.click();
    await waitUntil(() => el.step === 'check', 'check step');
    await el.updateComplete;
    expect(text(part(el, 'check'))).to.contain('You will sign the application with your passkey');
    part<HTMLButtonElement>(el, 'send-button')!.click();
    await waitUntil(() => $(el, 'overa-sign') !== null, 'signing step');
    const sign = $<OveraSign>(el, 'overa-sign')!;
    await waitUntil(() => sign.state === 'ready', 'prepared');
    expect(sign.getAttribute('subject-type')).to.equal('application');
    expect(sign.getAttribute('action')).to.equal('submit');
    await expect(el).to.be.accessible();

    const submitted = oneEvent(el, 'overa-submitted');
    const signed = oneEvent(sign, 'overa-signed');
    sign.shadowRoot!.querySelector<HTMLButtonElement>('[part~="sign-button"]')!.click();
    const { detail: signature } = (await signed) as CustomEvent<OveraSignedDetail>;
    const { detail } = (await submitted) as CustomEvent<{ application: { signatureId: string; status: string; trackingNumber: string } }>;
    expect(detail.application.status).to.equal('submitted');
    expect(detail.application.signatureId).to.equal(signature.signatureId);
    // The signature covers exactly what was submitted, and checks out here in the browser.
    const report = await verifyPasskeyEvidence(signature.evidence, { rpId: 'localhost', allowedOrigins: [location.origin] });
    expect(report.indication).to.equal('TOTAL_PASSED');
    expect(signature.evidence.payload.subject.type).to.equal('application');
    await el.updateComplete;
    expect(text(part(el, 'receipt'))).to.contain(detail.application.trackingNumber);

    // The building permit states a fee: the receipt gives the payment details and the IPS QR code.
    const tracking = detail.application.trackingNumber;
    const payment = part(el, 'payment')!;
    expect(payment, 'the payment details').to.not.equal(null);
    const said = text(payment);
    for (const expected of ['Pay the fee', 'Awaiting payment', 'Budžet Republike Srbije', '840-742221843-57', 'RSD 370.00', '253', 'Republička administrativna taksa']) {
      expect(said).to.contain(expected);
    }
    const reference = feeReference(tracking);
    expect(text(payment.querySelector('.payment-reference'))).to.equal(reference);
    expect(said).to.contain('Model 97');
    await waitUntil(() => $(el, '[part~="payment-qr"]'), 'the QR code (its chunk loads on first use)');
    const qr = $<SVGElement>(el, '[part~="payment-qr"]')!;
    expect(qr.getAttribute('role')).to.equal('img');
    expect(qr.getAttribute('aria-label')!.replace(/\s+/g, ' ')).to.equal('IPS QR code for paying RSD 370.00 to Budžet Republike Srbije');
    // What the code holds is core's text for this fee and tracking number, exactly.
    const permit = (await (await fetch(`${url}/api/v1/forms/building-permit`)).json()) as FormDefinition;
    expect(payment.dataset.ips).to.equal(feeIpsQrPayload(permit.fee!, tracking));
    expect(parseIpsQrPayload(payment.dataset.ips!).reference).to.deep.equal({ model: '97', number: reference });
    expect($$(el, '[part~="copy-button"]').map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Copy the account', 'Copy the payment reference']);
    await expect(el).to.be.accessible();
  });

  it('speaks Serbian in both scripts', async () => {
    const latin = await fixture<Form>(html`<overa-application-form lang="sr-Latn" server=${url} form-id="certificate-of-residence"></overa-application-form>`);
    await waitUntil(() => latin.step === 'form');
    await latin.updateComplete;
    expect(text($(latin, '.form-title'))).to.equal('Zahtev za uverenje o prebivalištu');
    expect(text(part(latin, 'continue-button'))).to.equal('Nastavi');
    expect(text($(latin, 'label[for="f-apartment"]'))).to.contain('(nije obavezno)');
    part(latin, 'continue-button')!.click();
    await waitUntil(() => part(latin, 'error'), 'the error summary (the validator and its Serbian words may still be loading)');
    expect(text(part(latin, 'error'))).to.contain('Postoji problem');
    await expect(latin).to.be.accessible();

    const cyrillic = await fixture<Form>(html`<overa-application-form lang="sr-Cyrl" server=${url} form-id="certificate-of-residence"></overa-application-form>`);
    await waitUntil(() => cyrillic.step === 'form');
    await cyrillic.updateComplete;
    expect(text($(cyrillic, '.form-title'))).to.equal('Захтев за уверење о пребивалишту');
    expect(text(part(cyrillic, 'continue-button'))).to.equal('Настави');
    expect(text($(cyrillic, 'label[for="f-apartment"]'))).to.contain('(није обавезно)');
    await expect(cyrillic).to.be.accessible();
  });

  it('makes each step an entry of the page history: Back from "check your answers" to the questions with the answers kept, Forward again, the receipt stays', async () => {
    await signIn(url);
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} form-id="certificate-of-residence"></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    await el.updateComplete;
    const address = location.href;
    const entries = history.length;
    const key = 'overa-application-form:certificate-of-residence';
    expect(historySteps()[key], 'the entry the form started on').to.equal('form');
    await fillResidence(el);
    part(el, 'continue-button')!.click();
    await waitUntil(() => el.step === 'check');
    expect(history.length).to.equal(entries + 1);
    expect(historySteps()[key]).to.equal('check');
    expect(location.href, 'the address is the host page\'s').to.equal(address);

    await go('back');
    await waitUntil(() => el.step === 'form', 'back on the questions');
    await el.updateComplete;
    expect($<HTMLInputElement>(el, '#f-firstName')!.value).to.equal('Milica');
    expect($<HTMLInputElement>(el, '#f-postalCode')!.value).to.equal('21000');
    expect($<HTMLInputElement>(el, '#f-delivery-0')!.checked).to.equal(true);
    expect(focusedIn(el)).to.equal($(el, '.form-title'));
    expect(location.href).to.equal(address);
    await expect(el).to.be.accessible();

    await go('forward');
    await waitUntil(() => el.step === 'check', 'forward to the check');
    expect(focusedIn(el)?.id).to.equal('check-heading');
    expect(text(part(el, 'check'))).to.contain('Milica');

    part<HTMLButtonElement>(el, 'send-button')!.click();
    await waitUntil(() => el.step === 'sent', 'sent', { timeout: 10000 });
    expect(historySteps()[key]).to.equal('sent');
    const tracking = text(part(el, 'receipt'));
    // Back after sending never re-opens the sent application for editing.
    await go('back');
    await el.updateComplete;
    expect(el.step).to.equal('sent');
    expect(text(part(el, 'receipt'))).to.equal(tracking);
    expect(historySteps()[key]).to.equal('sent');
    expect($(el, 'form')).to.equal(null);
  });

  it('Forward to "check your answers" checks the answers again, and "Change" is a step of its own', async () => {
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} .definition=${ALL_TYPES}></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    const short = { ...ALL_TYPES, fields: ALL_TYPES.fields.filter((f) => !f.required) };
    el.definition = short;
    await waitUntil(() => el.step === 'form' && $(el, '#f-name') === null);
    part(el, 'continue-button')!.click();
    await waitUntil(() => el.step === 'check');
    $<HTMLButtonElement>(el, '.summary-row .link-button')!.click();
    await waitUntil(() => el.step === 'form');
    expect(historySteps()['overa-application-form:all-types']).to.equal('form');
    await go('back');
    await waitUntil(() => el.step === 'check', 'Back from "Change" is the check again');
    await go('back');
    await waitUntil(() => el.step === 'form');
    // A wrong answer given meanwhile: Forward stops on the questions and says why.
    await typeInto(el, '#f-code', '12');
    await go('forward');
    await waitUntil(() => part(el, 'error') !== null, 'the error summary');
    expect(el.step).to.equal('form');
    expect(historySteps()['overa-application-form:all-types']).to.equal('form');
    expect(focusedIn(el)).to.equal(part(el, 'error'));
  });

  it('signing is a step of its own: Back to "check your answers", Forward to signing again', async () => {
    await signIn(url);
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} form-id="building-permit"></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    await el.updateComplete;
    await fillPermit(el);
    part(el, 'continue-button')!.click();
    await waitUntil(() => el.step === 'check');
    part<HTMLButtonElement>(el, 'send-button')!.click();
    await waitUntil(() => $(el, 'overa-sign') !== null, 'signing step');
    const key = 'overa-application-form:building-permit';
    expect(historySteps()[key]).to.equal('signing');
    const draft = $<OveraSign>(el, 'overa-sign')!.getAttribute('subject-id');

    await go('back');
    await waitUntil(() => $(el, 'overa-sign') === null, 'back on the check, not signing');
    expect(el.step).to.equal('check');
    expect(focusedIn(el)?.id).to.equal('check-heading');
    await go('forward');
    await waitUntil(() => $(el, 'overa-sign') !== null, 'signing again');
    // The same draft: the answers did not change, so nothing new was written.
    expect($(el, 'overa-sign')!.getAttribute('subject-id')).to.equal(draft);
    expect(focusedIn(el)).to.equal($(el, 'overa-sign'));
    await go('back');
    await go('back');
    await waitUntil(() => el.step === 'form', 'back on the questions');
    expect($<HTMLInputElement>(el, '#f-investorName')!.value).to.equal('Milica Petrović');
    expect(el.data.projectDocumentation).to.have.length(1);
  });

  it('two forms on one page keep their own steps in the same history', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div>
      <overa-application-form id="first" lang="en" server=${url} .definition=${SHORT}></overa-application-form>
      <overa-application-form id="second" lang="en" server=${url} .definition=${SHORT}></overa-application-form>
    </div>`);
    const [a, b] = [...wrap.querySelectorAll<Form>('overa-application-form')] as [Form, Form];
    await waitUntil(() => a.step === 'form' && b.step === 'form');
    // The host page's own state stays beside Overa's.
    history.replaceState({ ...(history.state as object), host: 'mine' }, '');
    expect(historySteps()).to.include({ first: 'form', second: 'form' });
    part(a, 'continue-button')!.click();
    await waitUntil(() => a.step === 'check');
    part(b, 'continue-button')!.click();
    await waitUntil(() => b.step === 'check');
    expect(historySteps()).to.include({ first: 'check', second: 'check' });
    expect((history.state as { host?: string }).host).to.equal('mine');
    // An entry of the host page's own (no Overa steps in it) is none of the forms' business.
    history.pushState({ host: 'elsewhere' }, '');
    await go('back');
    await go('forward');
    await settled(a, b);
    expect([a.step, b.step]).to.deep.equal(['check', 'check']);
    await go('back');

    await go('back');
    await waitUntil(() => b.step === 'form', 'the second form back');
    expect(a.step, 'the first form stays').to.equal('check');
    await go('back');
    await waitUntil(() => a.step === 'form', 'the first form back');
    expect(b.step).to.equal('form');
    await go('forward');
    await waitUntil(() => a.step === 'check');
    expect(b.step).to.equal('form');
    await go('forward');
    await waitUntil(() => b.step === 'check');
    expect(a.step).to.equal('check');
  });

  it('shows the step in the address only when the page asks (step-param), and keeps out of history with no-history', async () => {
    const original = location.href;
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} step-param="step" .definition=${SHORT}></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    expect(new URL(location.href).searchParams.get('step')).to.equal('form');
    part(el, 'continue-button')!.click();
    await waitUntil(() => el.step === 'check');
    expect(new URL(location.href).searchParams.get('step')).to.equal('check');
    await go('back');
    await waitUntil(() => el.step === 'form');
    expect(new URL(location.href).searchParams.get('step')).to.equal('form');
    el.remove();
    history.replaceState(null, '', original);

    const quiet = await fixture<Form>(html`<overa-application-form lang="en" server=${url} no-history .definition=${SHORT}></overa-application-form>`);
    await waitUntil(() => quiet.step === 'form');
    const entries = history.length;
    part(quiet, 'continue-button')!.click();
    await waitUntil(() => quiet.step === 'check');
    expect(history.length).to.equal(entries);
    expect(historySteps()).to.deep.equal({});
  });

  it('keeps focus inside after "Create a passkey" on the check step: on to the send button', async () => {
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} .definition=${SHORT}></overa-application-form>`);
    await waitUntil(() => el.step === 'form');
    part(el, 'continue-button')!.click();
    await waitUntil(() => el.step === 'check');
    const account = await waitUntil(() => $(el, 'overa-account')?.shadowRoot?.querySelector('[part~="name-input"]'), 'the sign-in box').then(() => $(el, 'overa-account')!);
    account.shadowRoot!.querySelector<HTMLInputElement>('[part~="name-input"]')!.focus();
    await sendKeys({ type: 'Nada Nikolić' });
    account.shadowRoot!.querySelector<HTMLButtonElement>('[part~="register-button"]')!.click();
    await waitUntil(() => part(el, 'send-button') !== null, 'signed in: the send button', { timeout: 15000 });
    await waitUntil(() => el.shadowRoot!.activeElement === part(el, 'send-button'), 'focus moved on to the send button');
    expect(focusedIn(el)).to.equal(part(el, 'send-button'));
  });

  it('keeps focus inside after "Sign in" in the form: on to the first question', async () => {
    // Someone who already has a passkey, signed out.
    await clientFor(url).register('Stefan Stefanović');
    await clientFor(url).signOut();
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} .definition=${ALL_TYPES}></overa-application-form>`);
    await waitUntil(() => el.step === 'form' && $(el, '.sign-in-notice overa-account')?.shadowRoot?.querySelector('[part~="sign-in-button"]'), 'the sign-in notice');
    const button = $(el, '.sign-in-notice overa-account')!.shadowRoot!.querySelector<HTMLButtonElement>('[part~="sign-in-button"]')!;
    button.focus();
    button.click();
    await waitUntil(() => $(el, '.sign-in-notice') === null, 'signed in', { timeout: 15000 });
    await waitUntil(() => el.shadowRoot!.activeElement === $(el, '#f-name'), 'focus moved on to the first question');
    expect(focusedIn(el)).to.equal($(el, '#f-name'));
    expect($<HTMLInputElement>(el, '#f-scan')!.disabled).to.equal(false);
  });

  it('says what to do for each field, from its label and the rule or the form\'s own words, in three languages', async () => {
    const expected = {
      en: {
        investorType: 'Select who the investor is',
        cadastralMunicipality: 'Select the cadastral municipality',
        projectDocumentation: 'Sign in to attach the project documentation',
        description: 'Describe what you are building',
        investorJmbg: 'The investor’s JMBG must be 13 digits, exactly as on their ID card',
        investorName: 'Investor’s full name must be 100 characters or fewer',
      },
      'sr-Latn': {
        investorType: 'Izaberite ko je investitor',
        cadastralMunicipality: 'Izaberite katastarsku opštinu',
        projectDocumentation: 'Prijavite se da biste priložili: Projektna dokumentacija',
        description: 'Opišite šta gradite',
        investorJmbg: 'JMBG investitora mora imati 13 cifara, tačno kao na ličnoj karti',
        investorName: 'Ime i prezime investitora može imati najviše 100 znakova',
      },
      'sr-Cyrl': {
        investorType: 'Изаберите ко је инвеститор',
        cadastralMunicipality: 'Изаберите катастарску општину',
        projectDocumentation: 'Пријавите се да бисте приложили: Пројектна документација',
        description: 'Опишите шта градите',
        investorJmbg: 'ЈМБГ инвеститора мора имати 13 цифара, тачно као на личној карти',
        investorName: 'Име и презиме инвеститора може имати највише 100 знакова',
      },
    } as const;
    for (const lang of ['en', 'sr-Latn', 'sr-Cyrl'] as const) {
      const el = await fixture<Form>(html`<overa-application-form lang=${lang} server=${url} form-id="building-permit" no-autosave></overa-application-form>`);
      await waitUntil(() => el.step === 'form');
      part(el, 'continue-button')!.click();
      await waitUntil(() => part(el, 'error') !== null, 'the error summary');
      await el.updateComplete;
      const errors = () => Object.fromEntries($$(el, '.error-message').map((e) => [e.id.replace(/^f-|-error$/g, ''), text(e).replace(/^[^:]+: /, '')]));
      expect(errors().investorType, lang).to.equal(expected[lang].investorType);
      expect(errors().cadastralMunicipality, lang).to.equal(expected[lang].cadastralMunicipality);
      expect(errors().projectDocumentation, lang).to.equal(expected[lang].projectDocumentation);
      expect(errors().description, lang).to.equal(expected[lang].description);
      // The summary says the same, and adds nothing when the words name the field.
      expect(text(part(el, 'error')), lang).to.contain(expected[lang].investorType);
      $<HTMLInputElement>(el, '#f-investorType-0')!.click();
      await el.updateComplete;
      await typeInto(el, '#f-investorJmbg', '0101990710001');
      await leave(el);
      await typeInto(el, '#f-investorName', 'A'.repeat(101));
      await leave(el);
      await waitUntil(() => $(el, '#f-investorName-error') !== null, 'the length error');
      expect(errors().investorJmbg, lang).to.equal(expected[lang].investorJmbg);
      expect(errors().investorName, lang).to.equal(expected[lang].investorName);
      await expect(el).to.be.accessible();
      el.remove();
    }
  });

  it('keeps focus inside after "Sign in" to continue an application: on to the form\'s heading once it is in', async () => {
    const client = clientFor(url);
    await client.register('Zoran Zorić');
    const draft = await createApplication(client, { formId: 'certificate-of-residence', formVersion: 1, data: { firstName: 'Zoran' } });
    await client.signOut();
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} application-id=${draft.id}></overa-application-form>`);
    await waitUntil(() => el.step === 'load-error' && $(el, 'overa-account')?.shadowRoot?.querySelector('[part~="sign-in-button"]'), 'asks to sign in');
    // A person continuing an application has an account: signing in is the primary action, first.
    expect($(el, 'overa-account')!.getAttribute('primary-action')).to.equal('sign-in');
    const button = $(el, 'overa-account')!.shadowRoot!.querySelector<HTMLButtonElement>('[part~="sign-in-button"]')!;
    const buttons = [...$(el, 'overa-account')!.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].filter((b) => b.offsetParent !== null);
    expect(buttons[0], 'sign in comes first').to.equal(button);
    button.focus();
    button.click();
    await waitUntil(() => el.step === 'form', 'the application loaded', { timeout: 15000 });
    await waitUntil(() => el.shadowRoot!.activeElement === $(el, '.form-title'), 'focus on the heading');
    expect(focusedIn(el)).to.equal($(el, '.form-title'));
    expect($<HTMLInputElement>(el, '#f-firstName')!.value).to.equal('Zoran');
  });

  it('says clearly when the form cannot be loaded, and retries', async () => {
    const el = await fixture<Form>(html`<overa-application-form lang="en" server=${url} form-id="no-such-form"></overa-application-form>`);
    await waitUntil(() => el.step === 'load-error');
    await el.updateComplete;
    expect(text(part(el, 'error'))).to.contain('This form is not available');
    await expect(el).to.be.accessible();
    el.formId = 'birth-register-extract';
    await waitUntil(() => el.step === 'form');
  });
});
