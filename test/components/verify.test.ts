import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/verify/define.ts';
import type { OveraVerify, OveraVerifiedDetail } from '../../components/verify/verify.ts';
import {
  OveraClient,
  completeSignature,
  createApplication,
  decideCase,
  fetchDocumentPdf,
  getCase,
  prepareSignature,
  submitApplication,
} from '../../components/client/index.ts';
import { decisionSubjectId } from '../../components/core/signing/decision.ts';
import type { DocumentView } from '../../components/core/documents.ts';
import { VirtualAuthenticator } from '../helpers/webauthn.ts';
import { overaInvite, overaServer } from '../helpers/overa-server.ts';

const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const part = <T extends HTMLElement = HTMLElement>(el: Element, name: string): T | null => $(el, `[part~="${name}"]`);
const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

interface Issued {
  pdf: Uint8Array;
  code: string;
  documentId: string;
  head: OveraClient;
}

/** Each person in a client of their own (memory only): the tests' own sessions stay apart. */
async function person(url: string, name: string, roles?: string[]): Promise<OveraClient> {
  const client = new OveraClient(url, { persist: 'memory' });
  await client.register(name, roles ? await overaInvite({ roles }) : undefined, { persist: 'memory' });
  return client;
}

async function decide(client: OveraClient, id: string, step: string, decision: 'review' | 'approve' | 'return'): Promise<void> {
  const options = await prepareSignature(client, { type: 'decision', id: decisionSubjectId(id, step) }, decision, { context: { comment: '' } });
  const signature = await completeSignature(client, options);
  const current = await getCase(client, id);
  await decideCase(client, id, current.version, { step, decision, signatureId: signature.id });
}

/** The real path: a citizen applies, a clerk reviews, the head approves, the server issues and seals the PDF. */
async function issueDocument(url: string): Promise<Issued> {
  const citizen = await person(url, 'Milica Petrović');
  const draft = await createApplication(citizen, {
    formId: 'certificate-of-residence',
    formVersion: 1,
    data: { firstName: 'Milica', lastName: 'Petrović', jmbg: '0101990710008', street: 'Bulevar oslobođenja 10', place: 'Novi Sad', postalCode: '21000', purpose: 'employment', delivery: 'online' },
  });
  await submitApplication(citizen, draft.id, draft.version);
  await decide(await person(url, 'Petar Referent', ['clerk']), draft.id, 'review', 'review');
  const head = await person(url, 'Milan Načelnik', ['head']);
  await decide(head, draft.id, 'approve', 'approve');
  const c = await getCase(head, draft.id);
  expect(c.status).to.equal('issued');
  const documentId = (c as unknown as { documentId: string }).documentId;
  const view = await head.request<DocumentView>('GET', `documents/${documentId}`);
  const pdf = new Uint8Array(await (await fetchDocumentPdf(head, documentId)).arrayBuffer());
  return { pdf, code: view.verificationCode, documentId, head };
}

function pdfFile(bytes: Uint8Array, name = 'uverenje.pdf'): File {
  return new File([bytes as Uint8Array<ArrayBuffer>], name, { type: 'application/pdf' });
}

describe('<overa-verify>', () => {
  let url: string;
  let authenticator: VirtualAuthenticator;
  let issued: Issued;

  before(async () => {
    url = await overaServer();
    authenticator = await VirtualAuthenticator.add();
    issued = await issueDocument(url);
  });

  after(async () => {
    await authenticator.remove();
  });

  it('checks a dropped PDF in the browser: valid, with the seal and the passkey signatures; the verifier loads only then', async () => {
    const loadedBefore = performance.getEntriesByType('resource').some((e) => e.name.includes('verify-document'));
    const el = await fixture<OveraVerify>(html`<overa-verify lang="en" server=${url}></overa-verify>`);
    await expect(el).to.be.accessible();
    expect(loadedBefore, 'the verifier is not loaded up front').to.equal(false);
    const verified = new Promise<OveraVerifiedDetail>((resolve) => el.addEventListener('overa-verified', (e) => resolve((e as CustomEvent<OveraVerifiedDetail>).detail)));
    const transfer = new DataTransfer();
    transfer.items.add(pdfFile(issued.pdf));
    part(el, 'drop-zone')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    const detail = await verified;
    await el.updateComplete;
    expect(detail.verdict, JSON.stringify(detail.report?.signatures.map((s) => [s.kind, s.indication, s.reasons]))).to.equal('valid');
    expect(detail.report!.indication).to.equal('TOTAL_PASSED');
    expect(detail.status?.status, 'the issuer was asked by the code inside the file').to.equal('valid');
    expect(performance.getEntriesByType('resource').some((e) => e.name.includes('verify-document'))).to.equal(true);
    const verdict = part(el, 'verdict')!;
    expect(el.shadowRoot!.activeElement).to.equal(verdict);
    expect(text(verdict)).to.contain('Valid');
    expect(text(verdict)).to.contain('✓');
    // The verdict is a chunk of its own (loaded while the file was checked): its sheets came with it.
    expect(getComputedStyle(verdict).borderTopWidth).to.equal('5px');
    expect(getComputedStyle(part(el, 'details')!.querySelector('summary')!).textDecorationLine).to.equal('underline');
    const details = text(part(el, 'details'));
    expect(details).to.contain('Electronic seal');
    expect(details).to.contain('Passkey signature');
    expect(details).to.contain('Gradska uprava Novi Primer');
    expect(details).to.contain(issued.code);
    await expect(el).to.be.accessible();
  });

  it('says "not valid" with the reason when one byte of the file was changed', async () => {
    const el = await fixture<OveraVerify>(html`<overa-verify lang="en" offline></overa-verify>`);
    const tampered = issued.pdf.slice();
    // A byte inside the first signed range (the page content), well past the header.
    tampered[Math.floor(tampered.length / 3)] ^= 0x01;
    await el.verifyFile(pdfFile(tampered));
    await el.updateComplete;
    expect(el.verdict).to.equal('invalid');
    const verdict = part(el, 'verdict')!;
    // What happened comes first, in the heading; who sealed it is still said (its certificate is readable).
    expect(text(verdict.querySelector('h3'))).to.equal('This file was changed after it was sealed');
    expect(text(verdict)).to.contain('Not valid · Sealed by Gradska uprava Novi Primer');
    expect(text(verdict)).to.contain('✗');
    expect(text(verdict)).not.to.contain('A check did not pass');
    await expect(el).to.be.accessible();
  });

  it('a file sealed by someone this page does not trust: says so in the heading, with the signer\'s name, in all three languages', async () => {
    const el = await fixture<OveraVerify>(html`<overa-verify lang="en" offline trust-anchors="/test/components/fixtures/unrelated-root.pem"></overa-verify>`);
    await el.verifyFile(pdfFile(issued.pdf));
    await el.updateComplete;
    expect(el.verdict).to.equal('unconfirmed');
    const heading = () => text(part(el, 'verdict')!.querySelector('h3'));
    expect(heading()).to.equal('This file was not issued by an agency this service trusts — it is signed by Gradska uprava Novi Primer');
    expect(text(part(el, 'verdict'))).to.contain('Cannot be confirmed');
    await expect(el).to.be.accessible();
    el.lang = 'sr-Latn';
    await waitUntil(() => heading().startsWith('Ovu datoteku'), 'in Serbian Latin');
    expect(heading()).to.equal('Ovu datoteku nije izdao organ kome ovaj servis veruje — potpisao ju je Gradska uprava Novi Primer');
    el.lang = 'sr-Cyrl';
    await waitUntil(() => heading().startsWith('Ову датотеку'), 'in Serbian Cyrillic');
    expect(heading()).to.contain('Градска управа Нови Пример');
  });

  it('a file that is not a PDF: an error at the file field, not a red verdict', async () => {
    const el = await fixture<OveraVerify>(html`<overa-verify lang="en" offline></overa-verify>`);
    let verified = false;
    el.addEventListener('overa-verified', () => (verified = true));
    await el.verifyFile(new File(['Dear bank, here is my permit.'], 'permit.txt', { type: 'text/plain' }));
    await el.updateComplete;
    expect(el.state).to.equal('idle');
    expect(el.verdict).to.equal(null);
    expect(part(el, 'verdict'), 'no verdict').to.equal(null);
    expect(verified, 'no overa-verified event').to.equal(false);
    const button = part<HTMLButtonElement>(el, 'file-button')!;
    expect(text($(el, '#file-error'))).to.equal('Error: This is not a PDF: choose a PDF file');
    expect(button.getAttribute('aria-describedby')).to.equal('file-hint file-error');
    expect(el.shadowRoot!.activeElement, 'focus on the file button, to choose again').to.equal(button);
    expect(part(el, 'drop-zone')!.classList.contains('field--error')).to.equal(true);
    await expect(el).to.be.accessible();
    // Choosing a PDF next clears the error.
    await el.verifyFile(pdfFile(issued.pdf));
    await el.updateComplete;
    expect($(el, '#file-error')).to.equal(null);
  });

  it('offline: trusts only the anchors given — the seal checks out with them, cannot be confirmed without', async () => {
    const pem = await (await fetch(`${url}/api/v1/trust?format=pem`)).text();
    const trusted = await fixture<OveraVerify>(html`<overa-verify lang="en" offline trust-anchors=${pem}></overa-verify>`);
    expect(part(trusted, 'code-form'), 'no code lookup offline').to.equal(null);
    await trusted.verifyFile(pdfFile(issued.pdf));
    expect(trusted.verdict).to.equal('valid');

    const untrusted = await fixture<OveraVerify>(html`<overa-verify lang="en" offline></overa-verify>`);
    await untrusted.verifyFile(pdfFile(issued.pdf));
    await untrusted.updateComplete;
    expect(untrusted.verdict).to.equal('unconfirmed');
    expect(text(part(untrusted, 'verdict'))).to.contain('Cannot be confirmed');
    await expect(untrusted).to.be.accessible();
  });

  it('looks a code up, typed with any spacing and case, and from ?code= in the page address (the QR code)', async () => {
    const el = await fixture<OveraVerify>(html`<overa-verify lang="en" server=${url}></overa-verify>`);
    const input = part<HTMLInputElement>(el, 'code-input')!;
    input.value = issued.code.toLowerCase().replace(/-/g, ' ');
    input.dispatchEvent(new InputEvent('input'));
    part<HTMLFormElement>(el, 'code-form')!.requestSubmit();
    await waitUntil(() => el.state === 'done', 'looked up');
    await el.updateComplete;
    expect(el.verdict).to.equal('valid');
    expect(text(part(el, 'details'))).to.contain('Gradska uprava Novi Primer');

    // Not a code: the field says what to fix — a character codes never have, or the count.
    const tryCode = async (value: string) => {
      input.value = value;
      input.dispatchEvent(new InputEvent('input'));
      part<HTMLFormElement>(el, 'code-form')!.requestSubmit();
      await el.updateComplete;
      return text($(el, '#code-error'));
    };
    expect(await tryCode('ACB')).to.equal('Error: Codes never contain “B”. Check that character against the document: codes have no B, I, L, O, S, Z, 0, 1, 2, 5 or 8');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();
    expect(await tryCode('ACDE-FGHJ-KMN')).to.equal('Error: The code has 20 letters and digits. You entered 11');
    expect(await tryCode('')).to.contain('Enter the code as printed');
    // In Cyrillic the letters of the code stay Latin, as printed.
    el.lang = 'sr-Cyrl';
    await waitUntil(() => text(part(el, 'code-form')).includes('кода'), 'in Cyrillic');
    expect(await tryCode('ACD1')).to.equal('Грешка: Кодови никад не садрже „1“. Проверите тај знак на документу: у кодовима нема B, I, L, O, S, Z, 0, 1, 2, 5 или 8');
    el.lang = 'en';
    await el.updateComplete;

    const before = location.href;
    history.replaceState(null, '', `?code=${encodeURIComponent(issued.code)}`);
    try {
      const fromQr = await fixture<OveraVerify>(html`<overa-verify lang="en" server=${url}></overa-verify>`);
      await waitUntil(() => fromQr.state === 'done', 'looked up from the address');
      expect(fromQr.verdict).to.equal('valid');
      expect(part<HTMLInputElement>(fromQr, 'code-input')!.value).to.equal(issued.code);
    } finally {
      history.replaceState(null, '', before);
    }
  });

  it('shows the whole code in its field, on a phone-wide page and a wide one', async () => {
    for (const width of [300, 700]) {
      const el = await fixture<OveraVerify>(html`<overa-verify lang="en" server=${url} style="display: block; width: ${width}px"></overa-verify>`);
      const input = part<HTMLInputElement>(el, 'code-input')!;
      input.value = 'WWWW-MMMM-WWWW-MMMM-WWWW'; // the widest letters of the code alphabet
      expect(input.scrollWidth <= input.clientWidth, `${width} px: ${input.scrollWidth} > ${input.clientWidth}`).to.equal(true);
    }
  });

  it('says a revoked document is not valid, with the reason, even when its file checks out', async () => {
    // The last test: the document the others checked is revoked now.
    await issued.head.request('POST', `documents/${issued.documentId}/revoke`, { body: { reason: 'Izdat greškom' } });
    const el = await fixture<OveraVerify>(html`<overa-verify lang="sr-Cyrl" server=${url}></overa-verify>`);
    await el.verifyFile(pdfFile(issued.pdf));
    await el.updateComplete;
    expect(el.verdict).to.equal('invalid');
    expect(text(part(el, 'verdict'))).to.contain('Није важећи');
    expect(text(part(el, 'verdict'))).to.contain('Izdat greškom');
    expect(text($(el, 'h2'))).to.equal('Провера документа');
    await expect(el).to.be.accessible();
  });
});
