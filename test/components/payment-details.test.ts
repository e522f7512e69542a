/**
 * The fee's payment block (components/shared/payment-details.ts) in Chromium, in each language:
 * the details, the IPS QR code built from core's text for the reader's script, the copy buttons,
 * and "Paid" without a code. The receipt and My applications draw this same block (their own
 * tests and test/e2e/fees.test.ts show it there, with the real server).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { render } from 'lit';
import type { ApplicationFeeView } from '../../components/core/api.ts';
import { feeIpsQrPayload, feeReference } from '../../components/core/payments/fee.ts';
import { parseIpsQrPayload } from '../../components/core/payments/ips-qr.ts';
import { loadMessages, type Lang } from '../../components/i18n/index.ts';
import { paymentMessages } from '../../components/i18n/en/payment.ts';
import { paymentStyles, renderPayment } from '../../components/shared/payment-details.ts';

const TRACKING = 'NP-2026-XY34QA';
const FEE: ApplicationFeeView = {
  amount: 1234.5,
  payee: { name: 'Budžet Republike Srbije', account: '840-742221843-57', address: 'Beograd' },
  paymentCode: '253',
  purpose: { 'sr-Latn': 'Republička administrativna taksa', 'sr-Cyrl': 'Републичка административна такса', en: 'Republic administrative fee' },
  referenceModel: '97',
  reference: feeReference(TRACKING),
  accountDigits: '840000074222184357',
  requiredBeforeApproval: true,
  state: 'awaiting',
  paid: null,
};

const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** The block in a shadow root of its own (as the elements draw it), redrawn when the QR chunk arrives. */
async function show(lang: Lang, fee: ApplicationFeeView = FEE): Promise<ShadowRoot> {
  await loadMessages([paymentMessages], lang);
  const host = await fixture<HTMLDivElement>(html`<div lang=${lang}></div>`);
  const root = host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [paymentStyles.styleSheet!];
  const draw = () => render(renderPayment(lang, fee, TRACKING, draw, 3), root);
  draw();
  return root;
}

describe('the payment block', () => {
  it('shows the details and the QR code of core\'s text, in English', async () => {
    const root = await show('en');
    await waitUntil(() => root.querySelector('[part~="payment-qr"]'), 'the QR code');
    const said = text(root.querySelector('[part~="payment"]'));
    for (const expected of ['Pay the fee', 'Awaiting payment', 'once the fee is paid', 'Budžet Republike Srbije, Beograd', '840-742221843-57', '1,234.50', '253', 'Model 97', FEE.reference, 'Republička administrativna taksa']) {
      expect(said).to.contain(expected);
    }
    const section = root.querySelector<HTMLElement>('[part~="payment"]')!;
    expect(section.dataset.ips).to.equal(feeIpsQrPayload(FEE, TRACKING));
    expect(parseIpsQrPayload(section.dataset.ips!).payee).to.deep.equal(['Budžet Republike Srbije', 'Beograd']);
    await expect(root.host).to.be.accessible();
  });

  it('writes the order in Cyrillic for a Cyrillic reader, and the code holds the same', async () => {
    const root = await show('sr-Cyrl');
    await waitUntil(() => root.querySelector('[part~="payment-qr"]'), 'the QR code');
    const said = text(root.querySelector('[part~="payment"]'));
    for (const expected of ['Уплата таксе', 'Чека уплату', 'Позив на број', 'Републичка административна такса', '1.234,50']) expect(said).to.contain(expected);
    const ips = root.querySelector<HTMLElement>('[part~="payment"]')!.dataset.ips!;
    expect(ips).to.equal(feeIpsQrPayload(FEE, TRACKING, 'sr-Cyrl'));
    expect(parseIpsQrPayload(ips).purpose).to.equal('Републичка административна такса');
    expect(root.querySelector('[part~="payment-qr"]')!.getAttribute('aria-label')).to.contain('Budžet Republike Srbije');
    await expect(root.host).to.be.accessible();
  });

  it('copies the account and the payment reference, and says so', async () => {
    const root = await show('sr-Latn');
    const buttons = [...root.querySelectorAll<HTMLButtonElement>('[part~="copy-button"]')];
    expect(buttons.map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Kopiraj: račun primaoca', 'Kopiraj: poziv na broj']);
    buttons[1]!.click();
    const status = root.querySelector('.payment-copy-status')!;
    // A headless page may be refused the clipboard: then it says to copy by hand.
    await waitUntil(() => status.textContent !== '', 'the copy is announced');
    expect(['Kopirano: Poziv na broj', 'Kopiranje nije uspelo. Označite tekst i kopirajte ga sami.']).to.include(status.textContent);
  });

  it('a paid fee says when, and shows no code to pay again', async () => {
    const root = await show('en', { ...FEE, state: 'paid', paid: { at: '2026-12-07T10:00:00.000Z' } });
    const said = text(root.querySelector('[part~="payment"]'));
    expect(said).to.contain('Paid');
    expect(said).to.contain('The payment was recorded on');
    expect(said).to.not.contain('once the fee is paid');
    expect(root.querySelector('[part~="payment-qr"]')).to.equal(null);
    await expect(root.host).to.be.accessible();
  });
});
