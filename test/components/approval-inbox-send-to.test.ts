import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/approval-inbox/define.ts';
import type { OveraApprovalInbox, OveraDocumentSentDetail } from '../../components/approval-inbox/approval-inbox.ts';
import { clientFor } from '../../components/client/index.ts';
import { overaPartnerServer } from '../helpers/overa-server.ts';
import { overaSessionPerTest } from '../helpers/overa-session.ts';
import { issueInOneSession as issued } from '../helpers/issue-in-browser.ts';
import { withFetch } from '../helpers/fetch.ts';

const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: Element, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const part = <T extends HTMLElement = HTMLElement>(el: Element, name: string): T | null => $(el, `[part~="${name}"]`);
const active = (el: Element): Element | null => el.shadowRoot!.activeElement;

/** The inbox with the issued case open, its "Send to another agency" button drawn. */
async function openIssued(url: string, id: string, lang = 'en'): Promise<OveraApprovalInbox> {
  const el = await fixture<OveraApprovalInbox>(html`<overa-approval-inbox lang=${lang} server=${url}></overa-approval-inbox>`);
  await waitUntil(() => $(el, `[data-id="${id}"]`) !== null, 'the issued case listed', { timeout: 10000 });
  $<HTMLButtonElement>(el, `[data-id="${id}"]`)!.click();
  await waitUntil(() => part(el, 'send-to-button') !== null, 'the issued document shown', { timeout: 20000 });
  return el;
}

/** Tabs forward until `match` has focus (at most 20 presses). */
async function tabTo(el: Element, match: (e: Element) => boolean, what: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const now = active(el);
    if (now && match(now)) return;
    await sendKeys({ press: 'Tab' });
  }
  throw new Error(`focus never reached ${what}`);
}

const problem = (status: number, type: string, extra: Record<string, unknown> = {}) =>
  Promise.resolve(new Response(JSON.stringify({ type: `https://overa.dev/problems/${type}`, title: type, status, requestId: 'req-send-to-1', ...extra }), {
    status, headers: { 'content-type': 'application/problem+json' },
  }));

describe('<overa-approval-inbox>: sending an issued document to another agency', () => {
  let url: string;

  overaSessionPerTest({ url: (u) => (url = u) });

  it('sends to a local agency and to a partner on another server, by keyboard; both are listed and the partner\'s delivery turns delivered', async () => {
    const partner = await overaPartnerServer();
    const id = await issued(clientFor(url));
    const el = await openIssued(url, id);
    await expect(el).to.be.accessible();

    // Open the picker with the keyboard: focus moves to its heading once the directory is in.
    part(el, 'send-to-button')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $$(el, '#send-to input[type="checkbox"]').length >= 2, 'the agencies listed', { timeout: 10000 });
    expect(active(el)?.id).to.equal('send-to-heading');
    const row = (agencyId: string) => $(el, `#send-to li[data-agency="${agencyId}"]`);
    expect(text(row('rgz'))).to.equal('RGZ – Služba za katastar nepokretnosti Novi Primer');
    expect(text(row(partner.agencyId))).to.equal(`${partner.name} (partner agency, server ${partner.url})`);
    // The issuing agency is not offered.
    expect(row('novi-primer')).to.equal(null);
    expect(text(part(el, 'send-to-agencies')?.querySelector('legend'))).to.equal('Agencies to send the document to');
    await expect(el).to.be.accessible();

    // Continue with nothing chosen: said, and focus on the first agency.
    await tabTo(el, (e) => e.getAttribute('part') === 'send-to-continue-button', 'Continue');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '#send-to-missing') !== null, 'nothing chosen said');
    expect(text($(el, '#send-to-missing'))).to.contain('Choose at least one agency.');
    expect(part(el, 'send-to-agencies')!.getAttribute('aria-describedby')).to.equal('send-to-hint send-to-missing');
    await waitUntil(() => (active(el) as HTMLInputElement | null)?.type === 'checkbox', 'focus on the first agency');
    await expect(el).to.be.accessible();

    // Space checks the local agency and the partner.
    for (const agencyId of ['rgz', partner.agencyId]) {
      await tabTo(el, (e) => (e as HTMLInputElement).value === agencyId, agencyId);
      await sendKeys({ press: 'Space' });
      await waitUntil(() => (active(el) as HTMLInputElement).checked, `${agencyId} checked`);
    }
    await tabTo(el, (e) => e.getAttribute('part') === 'send-to-continue-button', 'Continue');
    await sendKeys({ press: 'Enter' });

    // The confirmation names both, in the directory's order; focus on its question.
    await waitUntil(() => part(el, 'send-to-chosen') !== null, 'the confirmation');
    await waitUntil(() => active(el)?.classList.contains('send-to-confirm') === true, 'focus on the question');
    expect(text($(el, '.send-to-confirm'))).to.equal('Send the document to these 2 agencies?');
    expect($$(el, '[part~="send-to-chosen"] li').map((li) => li.getAttribute('data-agency'))).to.deep.equal(['rgz', partner.agencyId]);
    await expect(el).to.be.accessible();
    const events: OveraDocumentSentDetail[] = [];
    el.addEventListener('overa-document-sent', (e) => events.push((e as CustomEvent<OveraDocumentSentDetail>).detail));
    await tabTo(el, (e) => e.getAttribute('part') === 'send-to-confirm-button', 'Send');
    await sendKeys({ press: 'Enter' });

    // Sent: the picker closes, focus back on its button, both agencies listed.
    await waitUntil(() => part(el, 'send-to') === null && part(el, 'local-deliveries') !== null, 'sent', { timeout: 10000 });
    expect(text(part(el, 'status'))).to.equal('Sent to 2 agencies.');
    expect(events).to.have.length(1);
    expect(events[0]!.agencyIds).to.deep.equal(['rgz', partner.agencyId]);
    await waitUntil(() => active(el)?.getAttribute('part') === 'send-to-button', 'focus on the button');
    const local = part(el, 'local-deliveries')!.querySelector('li[data-agency="rgz"]')!;
    expect(text(local)).to.contain('RGZ – Služba za katastar nepokretnosti Novi Primer');
    expect(text(local.querySelector('[part~="local-delivery"]'))).to.match(/^Sent /);
    expect(text(local.querySelector('[part~="local-answer"]'))).to.equal('Not acknowledged yet');
    const remote = () => part(el, 'partner-deliveries')?.querySelector(`li[data-agency="${partner.agencyId}"]`) ?? null;
    expect(text(remote())).to.contain(partner.name);
    expect(text(remote())).to.contain(partner.url);
    // Queued (or already on its way): the outbox delivers it to the partner server, and the list follows without a reload.
    await waitUntil(() => text(remote()?.querySelector('[part~="partner-delivery"]')).startsWith('Delivered, receipt kept'), 'delivered to the partner', { timeout: 20000 });
    expect(text(remote()!.querySelector('[part~="partner-answer"]'))).to.equal('Not acknowledged yet');
    await expect(el).to.be.accessible();

    // Opened again, both are marked already sent and cannot be chosen.
    part(el, 'send-to-button')!.click();
    await waitUntil(() => row('rgz') !== null, 'the agencies listed again', { timeout: 10000 });
    for (const agencyId of ['rgz', partner.agencyId]) {
      expect(row(agencyId)!.querySelector('input')!.disabled, agencyId).to.equal(true);
      expect(text(row(agencyId))).to.contain('— already sent');
    }
    // Escape closes the picker (not the case).
    row('rgz')!.closest('form')!.querySelector('button')!.focus();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => part(el, 'send-to') === null, 'closed');
    expect(part(el, 'issued-document')).to.not.equal(null);

    // Serbian, both scripts.
    el.lang = 'sr-Latn';
    await waitUntil(() => text(part(el, 'send-to-button')) === 'Pošalji drugom organu', 'Serbian (Latin)', { timeout: 10000 });
    expect(text(part(el, 'local-deliveries')!.querySelector('[part~="local-answer"]'))).to.equal('Prijem još nije potvrđen');
    el.lang = 'sr-Cyrl';
    await waitUntil(() => text(part(el, 'send-to-button')) === 'Пошаљи другом органу', 'Serbian (Cyrillic)', { timeout: 10000 });
  });

  it('says when the directory cannot be read (problem shown, tried again), when there is no other agency, and why a send was refused', async () => {
    const id = await issued(clientFor(url));
    let directory: 'fail' | 'empty' | 'real' = 'fail';
    const sends: string[] = [];
    await withFetch((requested, init, original) => {
      if (/\/api\/v1\/agencies$/.test(requested)) {
        if (directory === 'fail') return problem(503, 'unavailable');
        if (directory === 'empty') return Promise.resolve(new Response(JSON.stringify({ items: [] }), { status: 200, headers: { 'content-type': 'application/json' } }));
        return original(requested, init);
      }
      if (/\/distribute$/.test(requested)) {
        sends.push(String(init?.body));
        return problem(400, 'validation', { errors: [{ field: 'agencyIds[0]', code: 'already-sent', message: 'The document was already sent to "rgz"' }] });
      }
      return null;
    }, async () => {
      const el = await openIssued(url, id);
      part(el, 'send-to-button')!.click();
      await waitUntil(() => $(el, '#send-to .error-summary') !== null, 'the failure shown', { timeout: 10000 });
      expect(text($(el, '#send-to .error-summary'))).to.contain('Reference for support: req-send-to-1');
      await expect(el).to.be.accessible();

      directory = 'empty';
      [...$$<HTMLButtonElement>(el, '#send-to .error-summary button')].find((b) => text(b) === 'Try again')!.click();
      await waitUntil(() => text($(el, '#send-to .empty')) === 'There are no other agencies to send it to.', 'no other agencies', { timeout: 10000 });
      await expect(el).to.be.accessible();

      // Cancel, then open again with the real directory; the server refuses the send.
      [...$$<HTMLButtonElement>(el, '#send-to button')].find((b) => text(b) === 'Cancel')!.click();
      await waitUntil(() => part(el, 'send-to') === null, 'closed');
      directory = 'real';
      part(el, 'send-to-button')!.click();
      await waitUntil(() => $(el, '#send-to li[data-agency="rgz"] input') !== null, 'listed', { timeout: 10000 });
      $<HTMLInputElement>(el, '#send-to li[data-agency="rgz"] input')!.click();
      part<HTMLButtonElement>(el, 'send-to-continue-button')!.click();
      await waitUntil(() => part(el, 'send-to-confirm-button') !== null, 'confirmation');
      part<HTMLButtonElement>(el, 'send-to-confirm-button')!.click();
      await waitUntil(() => $(el, '#send-to .error-summary') !== null, 'the refusal shown', { timeout: 10000 });
      expect(JSON.parse(sends[0]!)).to.deep.equal({ agencyIds: ['rgz'] });
      expect(text($(el, '#send-to .error-summary'))).to.contain('It was already sent to RGZ – Služba za katastar nepokretnosti Novi Primer meanwhile. Change the choice.');
      expect(text($(el, '#send-to .error-summary'))).to.contain('Reference for support: req-send-to-1');
      await waitUntil(() => active(el)?.classList.contains('error-summary') === true, 'focus on the error');
      await expect(el).to.be.accessible();

      el.lang = 'sr-Latn';
      await waitUntil(() => text($(el, '#send-to .error-summary')).includes('Dokument je u međuvremenu već poslat organu RGZ'), 'Serbian', { timeout: 10000 });
    });
  });
});
