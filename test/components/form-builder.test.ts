import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/form-builder/define.ts';
import type { OveraFormBuilder } from '../../components/form-builder/form-builder.ts';
import type { BuilderDefinition } from '../../components/form-builder/contract-types.ts';
import type { OveraApplicationForm } from '../../components/application-form/application-form.ts';
import { clientFor } from '../../components/client/index.ts';
import { VirtualAuthenticator } from '../helpers/webauthn.ts';
import { overaInvite, overaServer } from '../helpers/overa-server.ts';
import { getAdminFormVersion, publishForm, saveFormDraft } from '../../components/client/admin-forms.ts';

type Builder = OveraFormBuilder;

const byId = <T extends HTMLElement = HTMLElement>(el: Builder, id: string): T => {
  const found = el.shadowRoot!.getElementById(id);
  if (!found) throw new Error(`no element #${id}`);
  return found as T;
};
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** Types into a control the way a person does: focus, select what is there, real key presses. */
async function typeInto(el: Builder, id: string, value: string): Promise<void> {
  const input = byId<HTMLInputElement>(el, id);
  input.focus();
  input.select();
  await sendKeys({ press: 'Backspace' });
  await sendKeys({ type: value });
  await el.updateComplete;
}

async function choose(el: Builder, id: string, value: string): Promise<void> {
  const select = byId<HTMLSelectElement>(el, id);
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

async function press(el: Builder, id: string): Promise<void> {
  byId(el, id).focus();
  await sendKeys({ press: 'Enter' });
  await el.updateComplete;
}

/** The preview's form element, once it shows the current definition. */
function preview(el: Builder): OveraApplicationForm {
  const form = el.shadowRoot!.querySelector('overa-application-form');
  if (!form) throw new Error('no preview');
  return form;
}

const previewText = (el: Builder) => text(preview(el).shadowRoot!.querySelector('form'));

/** What the steps of "build a small form from nothing" below make. */
const EXPECTED: BuilderDefinition = {
  id: 'dog-licence',
  version: 1,
  agencyId: 'novi-primer',
  title: { 'sr-Latn': 'Dozvola za psa', en: 'Dog licence' },
  fields: [
    { name: 'dogName', type: 'text', label: { 'sr-Latn': 'Ime psa', en: 'Name of the dog' }, required: true },
    {
      name: 'breed',
      type: 'select',
      label: 'Rasa',
      options: [
        { value: 'mixed', label: 'Mešanac' },
        { value: 'other', label: 'Druga' },
      ],
    },
    { name: 'breedName', type: 'text', label: 'Naziv rase', when: { field: 'breed', equals: 'other' } },
  ],
  signature: { required: false },
  approvalLine: [{ id: 'approve', kind: 'approve', assignee: { role: 'head' } }],
  document: { template: 'dog-licence', title: 'Dozvola za psa' },
};

async function buildSmallForm(el: Builder): Promise<void> {
  await typeInto(el, '/id', 'dog-licence');
  await typeInto(el, '/title', 'Dozvola za psa');
  await typeInto(el, '/title#en', 'Dog licence');
  await press(el, '/fields#add');
  // Adding a question takes the person to its first control.
  expect(el.shadowRoot!.activeElement?.id).to.equal('/fields/0/name');
  await typeInto(el, '/fields/0/name', 'dogName');
  await typeInto(el, '/fields/0/label', 'Ime psa');
  await typeInto(el, '/fields/0/label#en', 'Name of the dog');
  byId(el, '/fields/0/required').click();
  await el.updateComplete;

  await press(el, '/fields#add');
  await typeInto(el, '/fields/1/name', 'breed');
  await choose(el, '/fields/1/type', 'select');
  await typeInto(el, '/fields/1/label', 'Rasa');
  await typeInto(el, '/fields/1/options/0/value', 'mixed');
  await typeInto(el, '/fields/1/options/0/label', 'Mešanac');
  await press(el, '/fields/1/options#add');
  await typeInto(el, '/fields/1/options/1/value', 'other');
  await typeInto(el, '/fields/1/options/1/label', 'Druga');

  await press(el, '/fields#add');
  await typeInto(el, '/fields/2/name', 'breedName');
  await typeInto(el, '/fields/2/label', 'Naziv rase');
  await press(el, '/fields/2/when#add');
  expect(el.shadowRoot!.activeElement?.id).to.equal('/fields/2/when/field');
  await choose(el, '/fields/2/when/field', 'breed');
  await choose(el, '/fields/2/when/op', 'equals');
  await choose(el, '/fields/2/when/0/equals', 'other');
  await typeInto(el, '/document/template', 'dog-licence');
  await typeInto(el, '/document/title', 'Dozvola za psa');
}

describe('<overa-form-builder>', () => {
  it('builds a small form from nothing, shown in the live preview in each language, and exports exactly that definition', async () => {
    const el = await fixture<Builder>(html`<overa-form-builder agency="novi-primer" lang="en"></overa-form-builder>`);
    expect(text(el.shadowRoot!.querySelector('.preview'))).to.contain('The preview appears once the form has no problems');
    await buildSmallForm(el);
    expect(el.problems).to.deep.equal([]);
    expect(JSON.parse(el.exportJson())).to.deep.equal(EXPECTED);

    // The preview is the real form element with this definition.
    await waitUntil(() => preview(el).shadowRoot?.querySelector('form'), 'the preview renders the form');
    expect(preview(el).definition).to.deep.include({ id: 'dog-licence' });
    await preview(el).updateComplete;
    // In the builder's language at first (English, then the Latin the Serbian was written in).
    expect(previewText(el)).to.contain('Name of the dog').and.contain('Rasa');
    // The condition: "Naziv rase" shows only once "Druga" is chosen.
    expect(previewText(el)).not.to.contain('Naziv rase');
    const breed = preview(el).shadowRoot!.querySelector<HTMLSelectElement>('#f-breed')!;
    breed.value = 'other';
    breed.dispatchEvent(new Event('change', { bubbles: true }));
    breed.dispatchEvent(new Event('input', { bubbles: true }));
    await waitUntil(() => previewText(el).includes('Naziv rase'), 'the conditional question appears');

    // The preview's language switch: Serbian Latin, then Cyrillic by transliteration.
    byId(el, 'preview-sr-Latn').click();
    await el.updateComplete;
    await waitUntil(() => previewText(el).includes('Ime psa'), 'Latin preview');
    byId(el, 'preview-sr-Cyrl').click();
    await el.updateComplete;
    await waitUntil(() => previewText(el).includes('Име пса'), 'Cyrillic preview');

    await expect(el).to.be.accessible();
  });

  it('shows the other Serbian script transliterated, and writing it makes the text an object', async () => {
    const el = await fixture<Builder>(html`<overa-form-builder agency="novi-primer" lang="sr-Latn"></overa-form-builder>`);
    await typeInto(el, '/title', 'Građevinska dozvola');
    expect(byId<HTMLInputElement>(el, '/title#other').value).to.equal('Грађевинска дозвола');
    expect(el.definition.title).to.equal('Građevinska dozvola');
    await typeInto(el, '/title#other', 'Грађевинска дозвола (нова)');
    expect(el.definition.title).to.deep.equal({ 'sr-Latn': 'Građevinska dozvola', 'sr-Cyrl': 'Грађевинска дозвола (нова)' });
    // Serbian UI words, in Latin script.
    expect(text(el.shadowRoot!.querySelector('h2'))).to.equal('Izrada obrasca');
  });

  it('shows a problem from checkDefinition beside the question at fault and in the error summary', async () => {
    const el = await fixture<Builder>(html`<overa-form-builder agency="novi-primer" lang="en"></overa-form-builder>`);
    el.definition = EXPECTED;
    await el.updateComplete;
    await typeInto(el, '/fields/0/pattern', '[a-');
    byId(el, '/fields/0/pattern').blur();
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="check-button"]')!.click();
    await el.updateComplete;
    const summary = el.shadowRoot!.querySelector<HTMLElement>('.error-summary')!;
    await waitUntil(() => el.shadowRoot!.activeElement === summary, 'the summary takes focus');
    expect(text(summary)).to.contain('Question 1 (dogName): Not a valid regular expression');
    const input = byId<HTMLInputElement>(el, '/fields/0/pattern');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    const message = byId(el, input.getAttribute('aria-describedby')!.split(' ').pop()!);
    expect(text(message)).to.contain('Not a valid regular expression');
    expect(input.closest('.field')!.classList.contains('field--error')).to.equal(true);
    // The summary's link takes the person to the input.
    summary.querySelector('a')!.click();
    expect(el.shadowRoot!.activeElement).to.equal(input);
    await expect(el).to.be.accessible();
  });

  it('moves a question with the keyboard, keeps focus on the moved button, and shows the condition that now comes first as an error', async () => {
    const el = await fixture<Builder>(html`<overa-form-builder agency="novi-primer" lang="en"></overa-form-builder>`);
    el.definition = EXPECTED;
    await el.updateComplete;
    await press(el, '/fields/0#down');
    expect(el.definition.fields.map((f) => f.name)).to.deep.equal(['breed', 'dogName', 'breedName']);
    expect(el.shadowRoot!.activeElement?.id).to.equal('/fields/1#down');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.definition.fields.map((f) => f.name)).to.deep.equal(['breed', 'breedName', 'dogName']);
    // At the end there is no "Move down": focus goes to "Move up" of the same question.
    expect(el.shadowRoot!.activeElement?.id).to.equal('/fields/2#up');
    await press(el, '/fields/1#up');
    expect(el.definition.fields.map((f) => f.name)).to.deep.equal(['breedName', 'breed', 'dogName']);
    expect(text(el.shadowRoot!.querySelector('[part="status"]'))).to.equal('Moved to position 1.');
    expect(await el.check()).to.equal(false);
    const when = el.shadowRoot!.querySelector('[data-anchor="/fields/0/when"]')!;
    // core's rule, in the builder's words (checkDefinition's English message is for the server and the CLI).
    expect(text(when.querySelector('.error-message'))).to.contain('“breed” must come before the question that depends on it');

    // Remove, then Undo.
    await press(el, '/fields/2#remove');
    expect(el.definition.fields).to.have.length(2);
    expect(el.shadowRoot!.activeElement?.id).to.equal('undo-title');
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.textContent?.trim()).to.equal('Undo');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.definition.fields).to.have.length(3);
    // Focus is back on the question brought back.
    await waitUntil(() => el.shadowRoot!.activeElement?.id === '/fields/2/name', 'focus on the restored question');
    expect(text(el.shadowRoot!.querySelector('[part="status"]'))).to.equal('Brought back: Name of the dog (dogName)');

    // A new form, and Undo brings this one back.
    const before = el.definition;
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="new-button"]')!.click();
    await el.updateComplete;
    expect(el.definition.fields).to.deep.equal([]);
    expect(el.definition.agencyId).to.equal('novi-primer');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="undo"] button')!.click();
    await el.updateComplete;
    expect(el.definition).to.equal(before);
  });

  it('words the checker\'s problems in the builder\'s language: Serbian in Latin and in Cyrillic, beside the part and in the summary', async () => {
    // A condition on a later question, a duplicate option value and a minimum above the maximum: core's rules, not the builder's.
    const broken: BuilderDefinition = {
      ...EXPECTED,
      fields: [
        { ...EXPECTED.fields[2]!, when: { field: 'breed', equals: 'other' } },
        { ...EXPECTED.fields[1]!, options: [{ value: 'mixed', label: 'Mešanac' }, { value: 'mixed', label: 'Druga' }] },
        { name: 'dogs', type: 'number', label: 'Broj pasa', min: 5, max: 2 },
      ],
    };
    const el = await fixture<Builder>(html`<overa-form-builder agency="novi-primer" lang="sr-Latn"></overa-form-builder>`);
    el.definition = broken;
    await el.updateComplete;
    expect(await el.check()).to.equal(false);
    const at = (anchor: string) => text(el.shadowRoot!.querySelector(`[data-anchor="${anchor}"] .error-message`));
    expect(at('/fields/0/when')).to.contain('„breed“ mora biti pre pitanja koje od njega zavisi');
    expect(at('/fields/0/when')).not.to.contain('must come before');
    expect(at('/fields/2/min')).to.contain('Najmanja vrednost (5) veća je od najveće (2)');
    const summary = text(el.shadowRoot!.querySelector('.error-summary'));
    expect(summary).to.contain('Drugi ponuđeni odgovor već ima vrednost „mixed“');
    await expect(el).to.be.accessible();

    // Cyrillic, derived from the Latin words; the values (names, numbers) stay as written.
    el.lang = 'sr-Cyrl';
    await waitUntil(() => at('/fields/0/when').includes('мора'), 'the Cyrillic words');
    expect(at('/fields/0/when')).to.contain('„breed“ мора бити пре питања које од њега зависи');
    expect(at('/fields/2/min')).to.contain('Најмања вредност (5) већа је од највеће (2)');
  });

  it('imports pasted JSON and a file, and exports it back unchanged (keys it has no editor for included)', async () => {
    const el = await fixture<Builder>(html`<overa-form-builder agency="novi-primer" lang="en"></overa-form-builder>`);
    const rich: BuilderDefinition = {
      ...EXPECTED,
      description: { 'sr-Cyrl': 'Опис', en: 'About' },
      audience: 'public',
      fields: [
        ...EXPECTED.fields,
        { name: 'jmbg', type: 'text', label: 'JMBG', validators: ['jmbg'], messages: { jmbg: 'Unesite JMBG vlasnika' }, autocomplete: 'off' },
        { name: 'born', type: 'date', label: 'Datum rođenja', max: 'today', matchesJmbg: 'jmbg' },
        { name: 'photo', type: 'file', label: 'Fotografija', accept: ['image/*'], maxSize: 1048576, maxFiles: 2 },
        { name: 'owners', type: 'group', label: 'Suvlasnici', itemLabel: 'Suvlasnik', minItems: 1, maxItems: 5, fields: [{ name: 'ownerName', type: 'text', label: 'Ime' }] },
      ],
      pages: [
        { id: 'dog', title: 'Pas', fields: ['dogName', 'breed', 'breedName'] },
        { id: 'owner', title: 'Vlasnik', fields: ['jmbg', 'born', 'photo', 'owners'], when: { field: 'breed', filled: true } },
      ],
      fee: { amount: 1250.5, payee: { name: 'Gradska uprava', account: '840-742221843-57' }, paymentCode: '253', purpose: 'Taksa za dozvolu', requiredBeforeApproval: true },
      deadline: { days: 15, kind: 'working' },
      approvalLine: [
        { id: 'review', kind: 'review', assignee: { role: 'clerk' } },
        { id: 'approve', kind: 'approve', assignee: { role: 'head' }, delegation: { allowRoles: ['deputy-head'] } },
      ],
      document: { template: 'dog-licence', title: 'Dozvola za psa', kind: 'certificate', statement: 'Pas {dogName} je upisan.', facts: ['dogName'] },
      distribution: { agencies: ['veterinarska-inspekcija'] },
    };
    const json = JSON.stringify(rich, null, 2);
    const paste = byId<HTMLTextAreaElement>(el, 'import-text');
    paste.value = json;
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="import"] > button')!.click();
    await waitUntil(() => el.definition.id === 'dog-licence', 'imported');
    expect(el.definition).to.deep.equal(rich);
    expect(el.exportJson()).to.equal(`${json}\n`);
    expect(el.problems).to.deep.equal([]);
    // Its parts are in the editors: the fee, the page's condition, the group's question.
    expect(byId<HTMLInputElement>(el, '/fee/amount').value).to.equal('1250.5');
    expect(byId<HTMLInputElement>(el, '/fields/6/fields/0/name').value).to.equal('ownerName');
    expect(byId<HTMLSelectElement>(el, '/pages/1/when/field').value).to.equal('breed');
    expect(byId<HTMLInputElement>(el, '/description').value).to.equal('Опис');

    // A file, the same way.
    const input = byId<HTMLInputElement>(el, 'import-file');
    const transfer = new DataTransfer();
    transfer.items.add(new File([JSON.stringify(EXPECTED)], 'dog.json', { type: 'application/json' }));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => el.definition.fields.length === 3, 'imported the file');
    expect(el.definition).to.deep.equal(EXPECTED);

    // Not a form: said beside the paste box, the definition untouched.
    paste.value = '{"id": 1}';
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="import"] > button')!.click();
    await waitUntil(() => el.shadowRoot!.getElementById('import-error'), 'the import error');
    expect(text(byId(el, 'import-error'))).to.contain('This is not a form definition');
    expect(el.definition).to.deep.equal(EXPECTED);
    await expect(el).to.be.accessible();
  });

  it('writes pages, a repeating group, the fee, the time limit, the approval line, the document and distribution as CONTRACTS.md shapes them', async () => {
    const el = await fixture<Builder>(html`<overa-form-builder agency="novi-primer" roles="clerk,head,urbanism" agencies="rgz" lang="sr-Cyrl"></overa-form-builder>`);
    expect(text(el.shadowRoot!.querySelector('h2'))).to.equal('Израда обрасца');
    el.definition = EXPECTED;
    await el.updateComplete;

    // A repeating group with one question of its own.
    await press(el, '/fields#add');
    await choose(el, '/fields/3/type', 'group');
    await typeInto(el, '/fields/3/name', 'coOwners');
    await typeInto(el, '/fields/3/label', 'Suvlasnici');
    await typeInto(el, '/fields/3/itemLabel', 'Suvlasnik');
    await typeInto(el, '/fields/3/maxItems', '5');
    await press(el, '/fields/3/fields#add');
    expect(el.shadowRoot!.activeElement?.id).to.equal('/fields/3/fields/0/name');
    await typeInto(el, '/fields/3/fields/0/name', 'jmbg');
    await typeInto(el, '/fields/3/fields/0/label', 'JMBG');
    byId(el, '/fields/3/fields/0/validators').click();
    await el.updateComplete;
    // Neither a group nor a file is offered inside a group (core refuses both), nor prefill (the profile is one person).
    expect([...byId<HTMLSelectElement>(el, '/fields/3/fields/0/type').options].map((o) => o.value)).not.to.include('group').and.not.to.include('file');
    expect(el.shadowRoot!.getElementById('/fields/3/fields/0/prefill')).to.equal(null);
    expect(el.definition.fields[3]).to.deep.equal({
      name: 'coOwners', type: 'group', label: 'Suvlasnici', fields: [{ name: 'jmbg', type: 'text', label: 'JMBG', validators: ['jmbg'] }], itemLabel: 'Suvlasnik', maxItems: 5,
    });

    // Pages: on, every question on the first page; a second page takes the group, shown only when a breed is chosen.
    byId(el, '/pages').click();
    await el.updateComplete;
    await typeInto(el, '/pages/0/title', 'Pas');
    await press(el, '/pages#add');
    await typeInto(el, '/pages/1/title', 'Suvlasnici');
    byId(el, '/pages/1/fields#3').click();
    await el.updateComplete;
    await press(el, '/pages/1/when#add');
    await choose(el, '/pages/1/when/field', 'breed');
    expect(el.definition.pages).to.deep.equal([
      { id: 'page-1', title: 'Pas', fields: ['dogName', 'breed', 'breedName'] },
      { id: 'page-2', title: 'Suvlasnici', fields: ['coOwners'], when: { field: 'breed', filled: true } },
    ]);
    // A page's condition offers only questions of earlier pages: none for the first.
    expect(el.shadowRoot!.getElementById('/pages/0/when#add')).to.equal(null);
    expect([...byId<HTMLSelectElement>(el, '/pages/1/when/field').options].map((o) => o.value)).to.deep.equal(['dogName', 'breed', 'breedName']);
    // The preview is the real form with its pages: the first page, without the second page's group.
    await waitUntil(() => (preview(el).shadowRoot!.textContent ?? '').includes('Пас'), 'the first page in the preview');
    expect(previewText(el)).to.contain('Име пса').and.not.contain('Сувласници');
    // A new question goes on the page of the one before it; removed, it leaves that page.
    await press(el, '/fields#add');
    expect(el.definition.pages![1]!.fields).to.deep.equal(['coOwners', 'field5']);
    byId(el, '/fields/4#remove').click();
    await el.updateComplete;
    expect(el.definition.pages![1]!.fields).to.deep.equal(['coOwners']);

    // The fee and the time limit.
    byId(el, '/fee').click();
    await el.updateComplete;
    await typeInto(el, '/fee/amount', '1250,50');
    await typeInto(el, '/fee/payee/name', 'Gradska uprava Novi Primer');
    await typeInto(el, '/fee/payee/account', '840-742221843-57');
    await typeInto(el, '/fee/purpose', 'Taksa za dozvolu');
    byId(el, '/fee/requiredBeforeApproval').click();
    byId(el, '/deadline').click();
    await el.updateComplete;
    await typeInto(el, '/deadline/days', '15');
    await choose(el, '/deadline/kind', 'working');
    expect(el.definition.fee).to.deep.equal({
      amount: 1250.5, payee: { name: 'Gradska uprava Novi Primer', account: '840-742221843-57' }, paymentCode: '253', purpose: 'Taksa za dozvolu', requiredBeforeApproval: true,
    });
    expect(el.definition.deadline).to.deep.equal({ days: 15, kind: 'working' });

    // A review step before the approval, by a role of the agency; a decision with its parts; a receiving agency.
    await press(el, '/approvalLine#add');
    expect(el.shadowRoot!.activeElement?.id).to.equal('/approvalLine/0/id');
    await choose(el, '/approvalLine/0/assignee', 'urbanism');
    expect(el.definition.approvalLine).to.deep.equal([
      { id: 'review', kind: 'review', assignee: { role: 'urbanism' } },
      { id: 'approve', kind: 'approve', assignee: { role: 'head' } },
    ]);
    await choose(el, '/document/kind', 'certificate');
    await typeInto(el, '/document/statement', 'Pas {dogName} je upisan.');
    byId(el, '/document/facts').click();
    await press(el, '/distribution/agencies#add');
    expect(el.shadowRoot!.activeElement?.id).to.equal('/distribution/agencies/0');
    await sendKeys({ type: 'rgz' });
    await el.updateComplete;
    expect(el.definition.document).to.deep.equal({ template: 'dog-licence', title: 'Dozvola za psa', kind: 'certificate', statement: 'Pas {dogName} je upisan.', facts: ['dogName'] });
    expect(el.definition.distribution).to.deep.equal({ agencies: ['rgz'] });
    expect(el.problems).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('offers no save or publish without a server, only import and export', async () => {
    const el = await fixture<Builder>(html`<overa-form-builder lang="en"></overa-form-builder>`);
    expect(el.shadowRoot!.querySelector('[part="save-button"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part="export-button"]')).not.to.equal(null);
    expect(text(el.shadowRoot!.querySelector('.buttons'))).to.contain('Not connected to a server');
  });

  describe('with a server', () => {
    let url: string;
    let authenticator: VirtualAuthenticator;

    before(async () => {
      url = await overaServer();
      authenticator = await VirtualAuthenticator.add();
    });

    after(async () => {
      await clientFor(url).signOut();
      await authenticator.remove();
    });

    it('lists the agency\'s forms, opens one, and shows the real server\'s 422, 403 and 401 where they belong before saving and publishing', async () => {
      // An administrator of the demo agency, signed in on the page with a real passkey; the form published once through the API.
      const client = clientFor(url);
      await client.register('Ana Administratorka', await overaInvite({ roles: [], kind: 'admin' }));
      await saveFormDraft(client, EXPECTED);
      await publishForm(client, EXPECTED.id);

      const el = await fixture<Builder>(html`<overa-form-builder server=${url} agency="novi-primer" lang="en"></overa-form-builder>`);
      await waitUntil(() => el.shadowRoot!.querySelector('.forms button'), 'the agency\'s forms');
      expect(text(el.shadowRoot!.querySelector('.forms'))).to.contain('Dog licence').and.contain('published · v1');
      // The demo forms from OVERA_FORMS_DIR are listed too.
      [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.forms button')].find((b) => text(b).includes('Dog licence'))!.click();
      await waitUntil(() => el.definition.id === 'dog-licence', 'opened');
      expect(el.definition).to.deep.equal(EXPECTED);

      // 422: a label longer than the schema allows (the builder's own checks do not measure it); the server's problem beside the question.
      const label = byId<HTMLInputElement>(el, '/fields/1/label');
      label.value = 'R'.repeat(501);
      label.dispatchEvent(new Event('input', { bubbles: true }));
      await el.updateComplete;
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
      await waitUntil(() => el.shadowRoot!.querySelector('[data-anchor="/fields/1/label"] .error-message'), 'the 422 beside the question');
      expect(text(el.shadowRoot!.querySelector('.error-summary'))).to.contain('Question 2 (breed)');

      // Saved, then published as version 2: the events say so.
      await typeInto(el, '/fields/1/label', 'Rasa psa');
      const published = new Promise<CustomEvent>((resolve) => el.addEventListener('overa-form-published', resolve as EventListener, { once: true }));
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part="publish-button"]')!.click();
      const detail = (await published).detail as { id: string; version: number; publishedAt: string };
      expect([detail.id, detail.version]).to.deep.equal(['dog-licence', 2]);
      await el.updateComplete;
      expect(text(el.shadowRoot!.querySelector('[part="status"]'))).to.equal('Published as version 2.');
      expect(el.shadowRoot!.querySelector('.error-summary')).to.equal(null);
      expect(await getAdminFormVersion(client, 'dog-licence', 2)).to.deep.equal({ ...EXPECTED, version: 2, fields: [EXPECTED.fields[0], { ...EXPECTED.fields[1], label: 'Rasa psa' }, EXPECTED.fields[2]] });

      // 403: the page's session is now a clerk's, who may not change forms; said in the summary, which takes focus.
      await client.register('Petar Službenik', await overaInvite({ roles: ['clerk'] }));
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
      await waitUntil(() => text(el.shadowRoot!.querySelector('.error-summary')).includes('Only an administrator of this form’s agency'), 'the 403');
      expect(el.shadowRoot!.activeElement).to.equal(el.shadowRoot!.querySelector('.error-summary'));

      // 401: the session ended on the server (signed out elsewhere); the person is told to sign in again.
      const ended = await fetch(`${url}/api/v1/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${client.token}` } });
      expect(ended.ok).to.equal(true);
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
      await waitUntil(() => text(el.shadowRoot!.querySelector('.error-summary')).includes('Your session has ended'), 'the 401');
      await expect(el).to.be.accessible();
    });
  });
});
