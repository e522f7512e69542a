// The shared load-state controller (components/shared/load-state.ts) on a small host element:
// its transitions, the errors it turns into problems, and that a newer load always wins.
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, type TemplateResult } from 'lit';
import { LoadStateController } from '../../components/shared/load-state.ts';
import { OveraApiError, OveraNetworkError } from '../../components/client/index.ts';
import { deferred } from '../helpers/deferred.ts';

class LoadHost extends LitElement {
  readonly data = new LoadStateController<string[], 'not-official'>(this, {
    who: 'load-host',
    initial: { state: 'signed-out' },
    failed: (err) => (err instanceof OveraApiError && err.status === 403 ? { state: 'not-official' } : undefined),
  });

  renders = 0;

  protected override render(): TemplateResult {
    this.renders++;
    const now = this.data.now;
    switch (now.state) {
      case 'signed-out':
        return html`<p>Sign in to see the list.</p>`;
      case 'not-official':
        return html`<p>This list is for officials.</p>`;
      case 'loading':
        return html`<p role="status">Loading…</p>`;
      case 'error':
        return html`<div role="alert"><h2>There is a problem</h2><p>${now.problem.code}</p></div>`;
      case 'ready':
        return html`<ul aria-label="Items">${now.value.map((v) => html`<li>${v}</li>`)}</ul>`;
    }
  }
}
customElements.define('test-load-host', LoadHost);

const problem = (status: number, code: string) =>
  new OveraApiError({ type: `https://overa.dev/problems/${code}`, title: code, status, requestId: 'req-1' });

describe('LoadStateController', () => {
  it('goes signed-out → loading → ready, and the host renders each state', async () => {
    const el = await fixture<LoadHost>(html`<test-load-host></test-load-host>`);
    expect(el.data.state).to.equal('signed-out');
    await expect(el).to.be.accessible();
    const answer = deferred<string[]>();
    const loading = el.data.load(() => answer.promise);
    expect(el.data.state).to.equal('loading');
    expect(el.data.busy).to.equal(true);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('Loading…');
    await expect(el).to.be.accessible();
    answer.resolve(['a', 'b']);
    expect(await loading).to.equal(true);
    expect(el.data.now).to.deep.equal({ state: 'ready', value: ['a', 'b'] });
    expect(el.data.value).to.deep.equal(['a', 'b']);
    expect(el.data.busy).to.equal(false);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('li')).to.have.length(2);
    await expect(el).to.be.accessible();
  });

  it('turns a failure into a problem with its code and request id, or into a state of its own', async () => {
    const el = await fixture<LoadHost>(html`<test-load-host></test-load-host>`);
    await el.data.load(() => Promise.reject(problem(500, 'internal')));
    expect(el.data.now).to.deep.equal({ state: 'error', problem: { code: 'internal', requestId: 'req-1' } });
    expect(el.data.problem?.code).to.equal('internal');
    await el.updateComplete;
    await expect(el).to.be.accessible();
    await el.data.load(() => Promise.reject(new OveraNetworkError(new TypeError('Failed to fetch'))));
    expect(el.data.problem).to.deep.equal({ code: 'network' });
    // The element's own reading of a failure wins: a 403 here means "not an official".
    await el.data.load(() => Promise.reject(problem(403, 'forbidden')));
    expect(el.data.state).to.equal('not-official');
  });

  it('lets the newest load win: an older one is aborted and its late answer dropped', async () => {
    const el = await fixture<LoadHost>(html`<test-load-host></test-load-host>`);
    const older = deferred<string[]>();
    let olderSignal: AbortSignal | undefined;
    const first = el.data.load((signal) => {
      olderSignal = signal;
      return older.promise;
    });
    const second = el.data.load(() => Promise.resolve(['new']));
    expect(olderSignal!.aborted).to.equal(true);
    expect(await second).to.equal(true);
    older.resolve(['old']);
    expect(await first).to.equal(false);
    expect(el.data.value).to.deep.equal(['new']);
    // A late failure of an abandoned load is dropped as well.
    const failing = deferred<string[]>();
    const third = el.data.load(() => failing.promise);
    el.data.set({ state: 'signed-out' });
    failing.reject(problem(500, 'internal'));
    expect(await third).to.equal(false);
    expect(el.data.state).to.equal('signed-out');
  });

  it('keeps a value on show while it reloads, and cancel() leaves the state as it is', async () => {
    const el = await fixture<LoadHost>(html`<test-load-host></test-load-host>`);
    await el.data.load(() => Promise.resolve(['a']));
    const again = deferred<string[]>();
    const reload = el.data.load(() => again.promise, { keep: true });
    expect(el.data.state).to.equal('ready');
    expect(el.data.busy).to.equal(true);
    el.data.update((items) => [...items, 'b']);
    expect(el.data.value).to.deep.equal(['a', 'b']);
    again.resolve(['a', 'b', 'c']);
    await reload;
    expect(el.data.value).to.deep.equal(['a', 'b', 'c']);
    // Without a value on show, a reload shows loading as any load does.
    el.data.set({ state: 'signed-out' });
    const held = deferred<string[]>();
    const load = el.data.load(() => held.promise, { keep: true });
    expect(el.data.state).to.equal('loading');
    el.data.cancel();
    held.resolve(['late']);
    expect(await load).to.equal(false);
    expect(el.data.state).to.equal('loading');
    expect(el.data.busy).to.equal(false);
  });
});
