import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/approval-inbox/define.ts';
import type { OveraApprovalInbox } from '../../components/approval-inbox/approval-inbox.ts';
import { clientFor } from '../../components/client/index.ts';
import type { DocumentDetails, DocumentRecipientView, Page, ReceptionItem } from '../../components/core/api.ts';
import { overaInvite, overaPartnerDocument } from '../helpers/overa-server.ts';
import { overaSessionPerTest } from '../helpers/overa-session.ts';
import { issueInOneSession as issued } from '../helpers/issue-in-browser.ts';
import type { OveraSign } from '../../components/sign/sign.ts';
import { sendKeys } from '@web/test-runner-commands';
import { withFetch } from '../helpers/fetch.ts';

const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: Element, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** A document a partner agency sent from another Overa server (issue 19), as `GET reception` lists it. */
const partnerItem = (over: Partial<ReceptionItem> = {}): ReceptionItem => ({
  id: '7d2c1f4e-0000-4000-8000-000000000001',
  documentId: '5b1e2a3c-0000-4000-8000-000000000002',
  title: { 'sr-Latn': 'Uverenje o prebivalištu', en: 'Certificate of residence' },
  issuingAgency: { id: 'novi-primer', name: 'Gradska uprava Novi Primer' },
  trackingNumber: 'NP-2026-000123',
  documentStatus: 'valid',
  sentAt: '2026-12-07T10:15:00.000Z',
  status: 'pending',
  acceptedAt: null,
  acceptedBy: null,
  signatureId: null,
  partner: {
    server: 'https://eprijem.novi-primer.example',
    seal: { subject: 'CN=Gradska uprava Novi Primer,OU=Overa demo seal,O=Gradska uprava Novi Primer,C=RS', sha256: 'a'.repeat(64), verified: true },
    receivedAt: '2026-12-07T10:15:00.000Z',
    sha256: 'b'.repeat(64),
    rejectionReason: null,
    revocation: null,
  },
  ...over,
});

/** The reception list answered with `items` (the rest of the requests reach the real server). */
function receptionAnswering(items: ReceptionItem[], requested: string[]) {
  return (url: string): Promise<Response> | null => {
    requested.push(url);
    if (/\/api\/v1\/reception\?/.test(url)) {
      const page: Page<ReceptionItem> = { items, nextCursor: null };
      return Promise.resolve(new Response(JSON.stringify(page), { status: 200, headers: { 'content-type': 'application/json' } }));
    }
    if (/\/api\/v1\/reception\/[^/]+\/pdf$/.test(url)) {
      return Promise.resolve(new Response(new Uint8Array([0x25, 0x50, 0x44, 0x46]), { status: 200, headers: { 'content-type': 'application/pdf' } }));
    }
    return null;
  };
}

const part = <T extends HTMLElement = HTMLElement>(el: Element, name: string): T | null => $(el, `[part~="${name}"]`);

describe('<overa-approval-inbox>: documents from partner agencies on other servers', () => {
  let url: string;

  overaSessionPerTest({ url: (u) => (url = u) });

  const signInReceiver = async () => clientFor(url).register('Vesna Prijemna', await overaInvite({ roles: ['clerk'] }));

  it('shows the sending agency and its server, the verified seal and the time of receipt; downloads the PDF from the reception', async () => {
    await signInReceiver();
    const requested: string[] = [];
    await withFetch(receptionAnswering([partnerItem()], requested), async () => {
      const el = await fixture<OveraApprovalInbox>(html`<overa-approval-inbox lang="en" server=${url} view="reception"></overa-approval-inbox>`);
      await waitUntil(() => $$(el, 'li.received').length === 1, 'the partner document is listed', { timeout: 10000 });
      const row = $$(el, 'li.received')[0]!;
      expect(text(row)).to.contain('NP-2026-000123');
      expect(text(row)).to.contain('Sent by Gradska uprava Novi Primer from the server https://eprijem.novi-primer.example');
      expect(text(row.querySelector('[part~="partner"]'))).to.contain('Seal verified: CN=Gradska uprava Novi Primer');
      expect(text(row.querySelector('[part~="partner"]'))).to.contain('Received');
      expect(row.querySelector('[part~="partner"] time')!.getAttribute('datetime')).to.equal('2026-12-07T10:15:00.000Z');
      expect(text(row)).to.contain('Awaiting acknowledgement');
      await expect(el).to.be.accessible();

      // Its PDF is this server's copy of what the partner sent: reception/:id/pdf, not documents/:id/pdf.
      [...row.querySelectorAll<HTMLButtonElement>('button')].find((b) => text(b).startsWith('Download'))!.click();
      await waitUntil(() => requested.some((u) => u.endsWith(`/api/v1/reception/${partnerItem().id}/pdf`)), 'the PDF asked for');
      expect(requested.some((u) => u.includes('/api/v1/documents/'))).to.equal(false);
    });
  });

  it('says when the sending agency revoked it, and a rejection with its reason, in Serbian (both scripts)', async () => {
    const revoked = partnerItem({ documentStatus: 'revoked', partner: { ...partnerItem().partner!, revocation: { at: '2026-12-07T11:00:00.000Z', reason: 'Greška u adresi' } } });
    const rejected = partnerItem({
      id: '7d2c1f4e-0000-4000-8000-000000000003', trackingNumber: 'NP-2026-000124', status: 'rejected', acceptedAt: '2026-12-07T11:30:00.000Z',
      acceptedBy: { id: 'u1', displayName: 'Vesna Prijemna' }, partner: { ...partnerItem().partner!, rejectionReason: 'Nije naša nadležnost' },
    });
    await signInReceiver();
    await withFetch(receptionAnswering([revoked, rejected], []), async () => {
      const el = await fixture<OveraApprovalInbox>(html`<overa-approval-inbox lang="sr-Latn" server=${url} view="reception"></overa-approval-inbox>`);
      await waitUntil(() => $$(el, 'li.received').length === 2, 'both listed', { timeout: 10000 });
      const [first, second] = $$(el, 'li.received');
      expect(text(first!.querySelector('.revoked'))).to.equal('Organ pošiljalac je opozvao dokument: Greška u adresi');
      expect(text(second)).to.contain('Odbijeno');
      expect(text(second)).to.contain('Razlog odbijanja: Nije naša nadležnost');
      // A rejected document is not offered for acknowledgement.
      expect([...second!.querySelectorAll('button')].map(text).some((t) => t.startsWith('Potvrdi prijem'))).to.equal(false);
      await expect(el).to.be.accessible();

      el.lang = 'sr-Cyrl';
      await el.updateComplete;
      await waitUntil(() => text($(el, 'li.received .revoked')).startsWith('Орган'), 'Cyrillic', { timeout: 10000 });
      expect(text($(el, 'li.received .revoked'))).to.equal('Орган пошиљалац је опозвао документ: Greška u adresi');
    });
  });

  it('shows an issued document\'s delivery to a partner agency, and sends a failed one again', async () => {
    const id = await issued(clientFor(url));
    let delivery: NonNullable<DocumentRecipientView['partner']>['delivery'] = 'failed';
    const retried: string[] = [];
    const partner = (): DocumentRecipientView => ({
      agencyId: 'drugi-grad', agencyName: 'Gradska uprava Drugi Grad', status: 'pending', sentAt: '2026-12-07T10:15:00.000Z', acceptedAt: null, signatureId: null,
      partner: {
        server: 'https://eprijem.drugi-grad.example', messageId: '6f1d2c8a-9b3e-4f5a-8c7d-1e2f3a4b5c6d', delivery, attempts: delivery === 'failed' ? 10 : 0,
        lastError: delivery === 'failed' ? 'no answer from https://eprijem.drugi-grad.example' : null, receivedAt: null, receipt: null, reason: null,
      },
    });
    // The real document, with a partner recipient whose delivery failed (then, once retried, queued).
    await withFetch((requested, init, original) => {
      if (/\/api\/v1\/documents\/[^/]+$/.test(requested) && (init?.method ?? 'GET') === 'GET') {
        return original(requested, init).then(async (res) => {
          const d = (await res.json()) as DocumentDetails;
          return new Response(JSON.stringify({ ...d, recipients: [...d.recipients, partner()] }), { status: 200, headers: { 'content-type': 'application/json' } });
        });
      }
      if (/\/exchange\/[^/]+\/retry$/.test(requested)) {
        retried.push(requested);
        delivery = 'queued';
        return Promise.resolve(new Response(JSON.stringify({ messageId: partner().partner!.messageId, state: 'queued' }), { status: 200, headers: { 'content-type': 'application/json' } }));
      }
      return null;
    }, async () => {
      const el = await fixture<OveraApprovalInbox>(html`<overa-approval-inbox lang="en" server=${url}></overa-approval-inbox>`);
      await waitUntil(() => $(el, `[data-id="${id}"]`) !== null, 'the issued case listed', { timeout: 10000 });
      $<HTMLButtonElement>(el, `[data-id="${id}"]`)!.click();
      await waitUntil(() => part(el, 'partner-deliveries') !== null, 'the partner delivery shown', { timeout: 20000 });
      const row = part(el, 'partner-deliveries')!;
      expect(text(row)).to.contain('Gradska uprava Drugi Grad');
      expect(text(part(el, 'partner-delivery'))).to.equal('Not delivered: no answer from https://eprijem.drugi-grad.example');
      expect(text(part(el, 'partner-answer'))).to.equal('Not acknowledged yet');
      await expect(el).to.be.accessible();
      part<HTMLButtonElement>(el, 'partner-retry-button')!.click();
      await waitUntil(() => text(part(el, 'partner-delivery')) === 'Waiting to be delivered', 'queued again', { timeout: 10000 });
      expect(retried).to.have.length(1);
      expect(retried[0]).to.match(new RegExp(`/api/v1/documents/[^/]+/exchange/6f1d2c8a-9b3e-4f5a-8c7d-1e2f3a4b5c6d/retry$`));
      expect(part(el, 'partner-retry-button')).to.equal(null);
      el.lang = 'sr-Latn';
      await waitUntil(() => text(part(el, 'partner-delivery')) === 'Čeka dostavu', 'Serbian (Latin)');
    });
  });

  it('rejects a partner\'s document with a reason signed by passkey, and accepts another (real documents received from a partner)', async () => {
    const first = await overaPartnerDocument('PG-2026-000101');
    const second = await overaPartnerDocument('PG-2026-000102');
    await signInReceiver();
    const el = await fixture<OveraApprovalInbox>(html`<overa-approval-inbox lang="en" server=${url} view="reception"></overa-approval-inbox>`);
    const row = (trackingNumber: string) => $$(el, 'li.received').find((li) => text(li).includes(trackingNumber));
    await waitUntil(() => row('PG-2026-000101') && row('PG-2026-000102'), 'both partner documents listed', { timeout: 10000 });
    expect(text(row('PG-2026-000101'))).to.contain('from the server https://eprijem.partner-grad.example');
    expect(text(row('PG-2026-000101'))).to.contain('Seal verified: CN=Gradska uprava Partner Grad');

    // Reject: the reason first (it is signed), then the passkey.
    row('PG-2026-000101')!.querySelector<HTMLButtonElement>('[part~="reject-button"]')!.click();
    await el.updateComplete;
    const reason = row('PG-2026-000101')!.querySelector<HTMLTextAreaElement>('[part~="reject-reason"]')!;
    await expect(el).to.be.accessible();
    reason.focus();
    await sendKeys({ type: 'Nije u nadležnosti ovog organa' });
    row('PG-2026-000101')!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => $<OveraSign>(el, 'overa-sign')?.state === 'ready', 'signing prepared', { timeout: 10000 });
    expect(text($(el, 'overa-sign'))).to.contain('Reason for rejection: Nije u nadležnosti ovog organa');
    part<HTMLButtonElement>($<OveraSign>(el, 'overa-sign')!, 'sign-button')!.click();
    await waitUntil(() => text(row('PG-2026-000101')).includes('Rejected'), 'rejected', { timeout: 10000 });
    expect(text(row('PG-2026-000101'))).to.contain('Reason for rejection: Nije u nadležnosti ovog organa');
    expect(row('PG-2026-000101')!.querySelector('[part~="reject-button"]')).to.equal(null);

    // Accept the other one, as a local document is accepted.
    [...row('PG-2026-000102')!.querySelectorAll<HTMLButtonElement>('button')].find((b) => text(b).startsWith('Acknowledge receipt'))!.click();
    await waitUntil(() => $<OveraSign>(el, 'overa-sign')?.state === 'ready', 'signing prepared', { timeout: 10000 });
    part<HTMLButtonElement>($<OveraSign>(el, 'overa-sign')!, 'sign-button')!.click();
    await waitUntil(() => text(row('PG-2026-000102')).includes('Acknowledged'), 'accepted', { timeout: 10000 });
    expect(text(row('PG-2026-000102'))).to.contain('Receipt acknowledged by Vesna Prijemna');
    expect(second.receptionId).to.not.equal(first.receptionId);
  });
});
