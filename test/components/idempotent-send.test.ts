// The shared idempotent-send controller (components/shared/idempotent-send.ts) on a small host:
// one send at a time, one key per intent kept across retries, a new key for a new intent.
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, type TemplateResult } from 'lit';
import { IdempotentSend } from '../../components/shared/idempotent-send.ts';
import { deferred } from '../helpers/deferred.ts';

class SendHost extends LitElement {
  readonly send = new IdempotentSend(this);

  protected override render(): TemplateResult {
    return html`<button type="button" ?disabled=${this.send.busy}>Send</button>`;
  }
}
customElements.define('test-send-host', SendHost);

describe('IdempotentSend', () => {
  it('sends once when asked twice, and is busy (the button disabled) while it sends', async () => {
    const el = await fixture<SendHost>(html`<test-send-host></test-send-host>`);
    await expect(el).to.be.accessible();
    const answer = deferred<string>();
    const keys: string[] = [];
    const first = el.send.run((key) => {
      keys.push(key);
      return answer.promise;
    });
    const second = el.send.run((key) => {
      keys.push(key);
      return Promise.resolve('second');
    });
    expect(await second, 'the second press does nothing').to.equal(undefined);
    expect(el.send.busy).to.equal(true);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('button')!.disabled).to.equal(true);
    await expect(el).to.be.accessible();
    answer.resolve('sent');
    expect(await first).to.equal('sent');
    expect(keys).to.have.length(1);
    expect(el.send.busy).to.equal(false);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('button')!.disabled).to.equal(false);
  });

  it('keeps the key across a failed send (the retry is the same intent) and makes a new one for a new intent', async () => {
    const el = await fixture<SendHost>(html`<test-send-host></test-send-host>`);
    const keys: string[] = [];
    const failing = el.send.run((key) => {
      keys.push(key);
      return Promise.reject(new TypeError('Failed to fetch'));
    });
    await failing.then(
      () => expect.fail('the failure passes through'),
      (err: unknown) => expect(err).to.be.instanceOf(TypeError),
    );
    expect(el.send.busy).to.equal(false);
    await el.send.run(async (key) => keys.push(key));
    expect(keys[1], 'retried with the same key').to.equal(keys[0]);
    expect(keys[0]).to.match(/^[0-9a-f-]{36}$/);
    el.send.renew();
    await el.send.run(async (key) => keys.push(key));
    expect(keys[2], 'a new intent, a new key').to.not.equal(keys[0]);
  });
});
