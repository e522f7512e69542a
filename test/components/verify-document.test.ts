import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/verify/define.ts';
import type { OveraVerify } from '../../components/verify/verify.ts';
import { applicationDigest } from '../../components/core/signing/application.ts';
import { formatFingerprint } from '../../components/core/fingerprint.ts';
import { VirtualAuthenticator } from '../helpers/webauthn.ts';
import { overaServer } from '../helpers/overa-server.ts';
import { issueResidenceCertificate, type IssuedInBrowser } from '../helpers/issue-in-browser.ts';
import type { ApplicationView } from '../../components/core/api.ts';

const part = <T extends HTMLElement = HTMLElement>(el: Element, name: string): T | null => el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const loaded = (name: string) => performance.getEntriesByType('resource').some((e) => e.name.includes(name));

const ANSWERS = {
  firstName: 'Milica', lastName: 'Petrović', jmbg: '0101990710008', street: 'Bulevar oslobođenja 10', place: 'Novi Sad', postalCode: '21000',
  purpose: 'employment', delivery: 'online',
};

/** Types a code into the element's form and sends it; resolves when the check is done. */
async function checkCode(el: OveraVerify, code: string): Promise<void> {
  const input = part<HTMLInputElement>(el, 'code-input')!;
  input.value = code;
  input.dispatchEvent(new InputEvent('input'));
  part<HTMLFormElement>(el, 'code-form')!.requestSubmit();
  await waitUntil(() => el.state === 'done', 'checked');
  await el.updateComplete;
}

/** True when the canvas holds more than a blank page: some pixels are dark (the text of the page). */
function drawnInk(canvas: HTMLCanvasElement): number {
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  let dark = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i]! < 128 && data[i + 1]! < 128 && data[i + 2]! < 128 && data[i + 3]! > 0) dark++;
  return dark;
}

describe('<overa-verify>: a valid code shows the genuine document', () => {
  let url: string;
  let authenticator: VirtualAuthenticator;
  let issued: IssuedInBrowser;
  let other: IssuedInBrowser;

  before(async () => {
    url = await overaServer();
    authenticator = await VirtualAuthenticator.add();
    issued = await issueResidenceCertificate(url, ANSWERS);
    // A fresh authenticator for the next three people: Chromium's virtual one refuses a fourth passkey here.
    await authenticator.remove();
    authenticator = await VirtualAuthenticator.add();
    other = await issueResidenceCertificate(url, { ...ANSWERS, firstName: 'Vesna' });
  });

  after(async () => {
    await authenticator.remove();
  });

  it('shows the holder, the subject, the date and the content fingerprint, the first page drawn, and the PDF byte for byte', async () => {
    const el = await fixture<OveraVerify>(html`<overa-verify lang="en" server=${url}></overa-verify>`);
    await expect(el).to.be.accessible();
    expect(loaded('pdf-preview'), 'PDF.js is not loaded before a code is checked').to.equal(false);
    await checkCode(el, issued.view.verificationCode);
    expect(el.verdict).to.equal('valid');

    const doc = part(el, 'document')!;
    expect(doc, 'the genuine document is shown').to.not.equal(null);
    expect(text(doc.querySelector('h3'))).to.equal('The document issued with this code');
    expect(text(doc)).to.contain('Compare the paper or file you were given with this.');
    expect(text(part(el, 'holder'))).to.equal('Milica Petrović');
    const facts = text(part(el, 'facts'));
    for (const fact of ['Street and house number', 'Bulevar oslobođenja 10', 'Postcode', '21000', 'Town or village', 'Novi Sad', 'Issued on']) expect(facts).to.contain(fact);
    expect(facts, 'never the JMBG').to.not.contain(ANSWERS.jmbg);

    // The content fingerprint: what the applicant signed, in the one format (upper-case hex in fours).
    const app = await issued.head.request<ApplicationView>('GET', `cases/${issued.view.applicationId}`);
    const digest = await applicationDigest({ formId: 'certificate-of-residence', formVersion: 1, data: app.data, attachments: [] });
    const fingerprint = text(part(el, 'fingerprint'));
    expect(fingerprint).to.equal(formatFingerprint(digest));
    expect(fingerprint).to.match(/^[0-9A-F]{4}( [0-9A-F]{4}){4}$/);

    // The first page, drawn by PDF.js — loaded only now.
    await waitUntil(() => part(el, 'preview')?.dataset.state === 'drawn' || el.genuineDocument?.preview === 'failed', 'the first page drawn', { timeout: 15000 });
    expect(el.genuineDocument?.preview).to.equal('drawn');
    expect(loaded('pdf-preview')).to.equal(true);
    const canvas = part<HTMLCanvasElement>(el, 'preview')!;
    expect(canvas.width).to.be.greaterThan(100);
    expect(drawnInk(canvas), 'the page has text on it').to.be.greaterThan(500);
    expect(canvas.getAttribute('role')).to.equal('img');
    expect(canvas.getAttribute('aria-label')).to.equal('The first page of the original document');

    // The original PDF to download: the issued bytes.
    const link = part<HTMLAnchorElement>(el, 'pdf-link')!;
    expect(link.getAttribute('download')).to.equal(`${issued.view.verificationCode}.pdf`);
    expect(text(link)).to.match(/^Download the original PDF \(\d+(\.\d)? KB\)$/);
    const downloaded = new Uint8Array(await (await fetch(link.href)).arrayBuffer());
    expect(downloaded.length).to.equal(issued.pdf.length);
    expect(downloaded.every((b, i) => b === issued.pdf[i]), 'the same bytes as issued').to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('says what to do in Serbian, in both scripts', async () => {
    for (const [lang, words] of [['sr-Latn', 'Uporedite papir ili datoteku koju ste dobili sa ovim.'], ['sr-Cyrl', 'Упоредите папир или датотеку коју сте добили са овим.']] as const) {
      const el = await fixture<OveraVerify>(html`<overa-verify lang=${lang} server=${url}></overa-verify>`);
      await checkCode(el, issued.view.verificationCode);
      await waitUntil(() => text(part(el, 'document')).includes(words), `${lang}: the instruction`);
      // A name is shown as it was typed, in either script.
      expect(text(part(el, 'holder'))).to.equal('Milica Petrović');
      await expect(el).to.be.accessible();
    }
  });

  it('the help text never speaks of trust anchors, in any language, online or offline', async () => {
    for (const lang of ['en', 'sr-Latn', 'sr-Cyrl']) {
      for (const offline of [false, true]) {
        const el = await fixture<OveraVerify>(html`<overa-verify lang=${lang} server=${url} ?offline=${offline}></overa-verify>`);
        await waitUntil(() => text(el.shadowRoot!.querySelector('h2')) !== '' && (lang === 'en' || !text(el.shadowRoot!.querySelector('h2')).startsWith('Check')), `${lang} drawn`);
        const words = text(el.shadowRoot!.querySelector('section')).toLowerCase();
        for (const banned of ['trust anchor', 'sidr', 'сидр']) expect(words, `${lang}${offline ? ' offline' : ''}: "${banned}"`).to.not.contain(banned);
      }
    }
  });

  it('a revoked document shows no document to compare, only why it is not valid', async () => {
    await other.head.request('POST', `documents/${other.view.id}/revoke`, { body: { reason: 'Izdat greškom' } });
    const el = await fixture<OveraVerify>(html`<overa-verify lang="en" server=${url}></overa-verify>`);
    await checkCode(el, other.view.verificationCode);
    expect(el.verdict).to.equal('invalid');
    expect(part(el, 'document')).to.equal(null);
    expect(text(el.shadowRoot!.querySelector('section'))).to.not.contain('Vesna');
  });
});
