// Later views loaded with import() (components/shared/lazy-view.ts), on a small Overa element:
// the loading status in the view's place (accessible), the view once its chunk is in (with its
// style sheet and messages), prefetching on idle, and "Try again" when the chunk cannot load.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { css, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { OveraElement } from '../../components/shared/overa-element.ts';
import { LazyView, lazyModule, type LazyModule } from '../../components/shared/lazy-view.ts';
import baseStyles from '../../components/styles/base.styles.ts';
import { defineMessages, msg, type MessageKey } from '../../components/i18n/index.ts';
import { OveraNetworkError } from '../../components/client/errors.ts';

const viewMessages = defineMessages({ 'testView.title': 'The later view' }, () => Promise.resolve({ default: { 'testView.title': 'Kasniji prikaz' } }));

/** The view's module, as an `import()` of a real one would give it. */
const VIEW = {
  styles: [css`.later { color: rgb(0, 112, 60); }`],
  messages: [viewMessages],
  draw: (lang: Parameters<typeof msg>[0]) => html`<h3 class="later">${msg(lang, 'testView.title' as MessageKey)}</h3>`,
};

/** A loader the test controls: held until `release()`, failing while `offline`, counting its calls. */
function gatedLoader() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const loader = {
    calls: 0,
    offline: false,
    release,
    load: async () => {
      loader.calls++;
      if (loader.offline) throw new TypeError('Failed to fetch dynamically imported module');
      await gate;
      return VIEW;
    },
  };
  return loader;
}

let hosts = 0;
/** An element with one later view, drawn once `reached` is set. */
function hostFor(module: LazyModule<typeof VIEW>): string {
  const tag = `test-lazy-host-${++hosts}`;
  class Host extends OveraElement {
    static override styles = [baseStyles];
    @property({ type: Boolean }) reached = false;
    readonly view = new LazyView(this, module);

    protected override render(): TemplateResult {
      const lang = this.resolvedLang;
      return html`<h2>First view</h2>${this.reached ? this.view.render(lang, (m) => m.draw(lang)) : ''}`;
    }
  }
  customElements.define(tag, Host);
  return tag;
}

type Host = OveraElement & { reached: boolean; view: LazyView<typeof VIEW> };
const make = async (tag: string, lang = 'en') => {
  const el = document.createElement(tag) as Host;
  el.lang = lang;
  await fixture(el);
  return el;
};

describe('LazyView', () => {
  it('shows an accessible "Loading…" where a view reached before its chunk will be, then the view with its styles', async () => {
    const loader = gatedLoader();
    const el = await make(hostFor(lazyModule(loader.load)));
    await expect(el).to.be.accessible();
    el.reached = true;
    await el.updateComplete;
    const status = el.shadowRoot!.querySelector('[role="status"]')!;
    expect(status.textContent!.trim()).to.equal('Loading…');
    expect(el.view.state).to.equal('loading');
    await expect(el).to.be.accessible();

    loader.release();
    await waitUntil(() => el.shadowRoot!.querySelector('.later'), 'the view drawn');
    expect(el.shadowRoot!.querySelector('[role="status"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('.later')!.textContent).to.equal('The later view');
    // The view's own sheet came with it, after the element's.
    expect(getComputedStyle(el.shadowRoot!.querySelector('.later')!).color).to.equal('rgb(0, 112, 60)');
    await expect(el).to.be.accessible();
  });

  it('fetches the chunk when the browser is idle after the first render, so a view reached later draws at once', async () => {
    const loader = gatedLoader();
    loader.release();
    const el = await make(hostFor(lazyModule(loader.load)));
    await waitUntil(() => loader.calls === 1, 'prefetched on idle');
    expect(el.view.state, 'prefetching changes nothing on show').to.equal('idle');
    await new Promise((r) => setTimeout(r, 0));
    el.reached = true;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.later')!.textContent).to.equal('The later view');
    expect(el.shadowRoot!.querySelector('[role="status"]')).to.equal(null);
    // One chunk for the page: a second element neither fetches it again nor waits for it.
    const other = await make(el.localName);
    other.reached = true;
    await other.updateComplete;
    expect(other.shadowRoot!.querySelector('.later')).to.not.equal(null);
    expect(loader.calls).to.equal(1);
  });

  it('says so when the chunk cannot be fetched, and "Try again" loads it', async () => {
    const loader = gatedLoader();
    loader.offline = true;
    loader.release();
    const el = await make(hostFor(lazyModule(loader.load)));
    el.reached = true;
    await waitUntil(() => el.view.state === 'error', 'the failure shown');
    await el.updateComplete;
    const summary = el.shadowRoot!.querySelector('.error-summary')!;
    expect(summary.querySelector('[role="alert"]')!.textContent).to.contain('The service cannot be reached');
    await expect(el).to.be.accessible();
    // An element that awaits the view (with the data it needs) gets a network error, worded as one.
    expect(await el.view.load().catch((e: unknown) => e)).to.be.instanceOf(OveraNetworkError);
    loader.offline = false;
    summary.querySelector('button')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('.later'), 'drawn after trying again');
    expect(el.shadowRoot!.querySelector('.error-summary')).to.equal(null);
  });

  it('draws the view in Serbian only once its Serbian messages are in (never English first)', async () => {
    const loader = gatedLoader();
    const el = await make(hostFor(lazyModule(loader.load)), 'sr-Cyrl');
    const seen: string[] = [];
    const observer = new MutationObserver(() => {
      const later = el.shadowRoot!.querySelector('.later');
      if (later) seen.push(later.textContent!);
    });
    observer.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
    el.reached = true;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim()).to.equal('Учитава се…');
    loader.release();
    await waitUntil(() => el.shadowRoot!.querySelector('.later'), 'the view drawn');
    observer.disconnect();
    expect(el.shadowRoot!.querySelector('.later')!.textContent).to.equal('Каснији приказ');
    expect(seen.every((t) => t !== 'The later view')).to.equal(true);
    await expect(el).to.be.accessible();
  });
});
