// The form's autosave controller (components/application-form/autosave.ts) on a small host: a
// change is saved shortly, leaving the page saves at once, an earlier draft is offered and never
// overwritten before the person chooses, and nothing is kept once the application is sent.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement, type TemplateResult } from 'lit';
import { AutosaveController } from '../../components/application-form/autosave.ts';
import type { SavedDraft } from '../../components/application-form/draft-store.ts';

const KEY = 'overa.draft:test-autosave';

class AutosaveHost extends LitElement {
  answers: Record<string, string> = {};
  readonly autosave = new AutosaveController(this, () =>
    Object.keys(this.answers).length ? { values: { ...this.answers }, files: {}, applicationId: null, savedAt: new Date().toISOString() } : null,
  );

  protected override render(): TemplateResult {
    return this.autosave.offer ? html`<p role="status">You have started this application before</p>` : html`<p>New application</p>`;
  }
}
customElements.define('test-autosave-host', AutosaveHost);

const stored = (): SavedDraft | null => {
  const raw = localStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as SavedDraft) : null;
};

describe('AutosaveController', () => {
  beforeEach(() => localStorage.removeItem(KEY));
  afterEach(() => localStorage.removeItem(KEY));

  it('saves a change shortly after it, and at once when the element leaves the page', async () => {
    const el = await fixture<AutosaveHost>(html`<test-autosave-host></test-autosave-host>`);
    el.autosave.start(KEY);
    expect(el.autosave.on).to.equal(true);
    el.answers = { name: 'Jovan' };
    el.autosave.schedule();
    expect(stored(), 'not at every key press').to.equal(null);
    await waitUntil(() => stored() !== null, 'saved after the pause');
    expect(stored()!.values).to.deep.equal({ name: 'Jovan' });

    el.answers = { name: 'Jovana' };
    el.autosave.schedule();
    el.remove();
    expect(stored()!.values, 'saved as the element left').to.deep.equal({ name: 'Jovana' });
  });

  it('offers a draft kept before, saves nothing over it until the person chooses, and starting again drops it', async () => {
    localStorage.setItem(KEY, JSON.stringify({ values: { name: 'Ana' }, files: {}, applicationId: null, savedAt: '2026-03-01T10:00:00Z' }));
    const el = await fixture<AutosaveHost>(html`<test-autosave-host></test-autosave-host>`);
    el.autosave.start(KEY);
    await el.updateComplete;
    expect(el.autosave.offer!.values).to.deep.equal({ name: 'Ana' });
    expect(el.shadowRoot!.textContent).to.contain('You have started this application before');
    await expect(el).to.be.accessible();
    el.answers = { name: 'Other' };
    el.autosave.schedule();
    el.autosave.flush();
    expect(stored()!.values, 'the offered draft is untouched').to.deep.equal({ name: 'Ana' });

    el.autosave.settle(false);
    await el.updateComplete;
    expect(el.autosave.offer).to.equal(null);
    expect(stored(), 'start again: dropped').to.equal(null);
    expect(el.shadowRoot!.textContent).to.contain('New application');
  });

  it('keeps nothing when there is nothing worth keeping, nothing once sent, and nothing with autosave off', async () => {
    const el = await fixture<AutosaveHost>(html`<test-autosave-host></test-autosave-host>`);
    el.autosave.start(KEY);
    el.answers = { name: 'Jovan' };
    el.autosave.schedule();
    el.autosave.flush();
    expect(stored()).to.not.equal(null);
    el.answers = {};
    el.autosave.schedule();
    el.autosave.flush();
    expect(stored(), 'emptied: the saved answers go').to.equal(null);

    el.answers = { name: 'Jovan' };
    el.autosave.schedule();
    el.autosave.clear();
    el.autosave.schedule();
    el.autosave.flush();
    el.remove();
    expect(stored(), 'sent: nothing kept, nothing saved after').to.equal(null);

    const off = await fixture<AutosaveHost>(html`<test-autosave-host></test-autosave-host>`);
    off.autosave.start(null);
    expect(off.autosave.on).to.equal(false);
    off.answers = { name: 'Jovan' };
    off.autosave.schedule();
    off.remove();
    expect(stored()).to.equal(null);
  });
});
