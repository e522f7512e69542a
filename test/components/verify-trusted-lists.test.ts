/**
 * <overa-verify> and seals of other authorities (the trusted-list-fixture plugin: lists signed
 * by xmlsec1, seals by OpenSSL): given the EU-style list of lists and a national list as files,
 * it checks them itself, offline, and says in plain words that a seal is a qualified electronic
 * seal, or an advanced one whose certificate is not qualified — in each language; a tampered
 * list is not used, and says so; and without lists the same seal cannot be confirmed.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../components/verify/define.ts';
import type { OveraVerify } from '../../components/verify/verify.ts';
import { loadTrustedListFiles } from '../../components/core/trust-lists/load.ts';
import { verifyDocument } from '../../components/core/pdf/verify-document.ts';

const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

interface Made {
  at: string;
  nodeReport: string;
  qualified: string;
  plain: string;
  tsaRootPem: string;
  lotl: string;
  rs: string;
  rsTampered: string;
  lotlSignerPem: string;
}

describe('<overa-verify> with trusted lists', () => {
  let made: Made;
  const pdf = (b64: string) => new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'foreign.pdf', { type: 'application/pdf' });
  const shown = (el: OveraVerify) => `${text(el.shadowRoot!.querySelector('[part~="verdict"]'))} ${text(el.shadowRoot!.querySelector('[part~="details"]'))}`;

  before(async () => {
    made = await executeServerCommand<Made, undefined>('trusted-list-fixture');
  });

  const expected = {
    en: ['Valid', 'Qualified electronic seal', 'Test Qualified Trust Service Provider', 'trusted list of RS', 'status “granted”'],
    'sr-Latn': ['Važeći', 'Kvalifikovani elektronski pečat', 'Test Qualified Trust Service Provider', 'liste pouzdanih usluga za RS'],
    'sr-Cyrl': ['Важећи', 'Квалификовани електронски печат', 'листе поузданих услуга за RS'],
  } as const;

  for (const [lang, words] of Object.entries(expected)) {
    it(`checks the list files offline and calls a qualified seal so (${lang})`, async () => {
      const el = await fixture<OveraVerify>(html`<overa-verify lang=${lang} offline trust-anchors=${made.tsaRootPem} trusted-list-signers=${made.lotlSignerPem}></overa-verify>`);
      el.trustedListFiles = [made.rs, made.lotl];
      await el.verifyFile(pdf(made.qualified));
      await el.updateComplete;
      const said = shown(el);
      for (const w of words) expect(said).to.contain(w);
      expect(el.verdict).to.equal('valid');
      (el.shadowRoot!.querySelector('[part~="details"]') as HTMLDetailsElement).open = true;
      await expect(el).to.be.accessible();
    });
  }

  it('the same lists and the same report in Chromium as in Node (the plugin verified them there)', async () => {
    const at = new Date(made.at);
    const { set } = await loadTrustedListFiles([{ xml: made.rs }, { xml: made.lotl }], [made.lotlSignerPem], at);
    const bytes = Uint8Array.from(atob(made.qualified), (c) => c.charCodeAt(0));
    const report = await verifyDocument(bytes, { trustAnchors: [made.tsaRootPem], validationTime: at, trustedLists: set });
    expect(report.signatures[0]!.qualification?.level).to.equal('QESeal');
    expect(JSON.parse(JSON.stringify(report))).to.deep.equal(JSON.parse(made.nodeReport));
  });

  it('a certificate without QC statements: an advanced seal, and why it is not qualified', async () => {
    const el = await fixture<OveraVerify>(html`<overa-verify offline trust-anchors=${made.tsaRootPem} trusted-list-signers=${made.lotlSignerPem}></overa-verify>`);
    el.trustedListFiles = [made.lotl, made.rs];
    await el.verifyFile(pdf(made.plain));
    await el.updateComplete;
    expect(shown(el)).to.contain('Advanced electronic seal; its certificate is not qualified');
    expect(shown(el)).to.contain('The certificate is not a qualified certificate.');
  });

  it('a tampered national list is not used, and says so: the seal cannot be confirmed', async () => {
    const el = await fixture<OveraVerify>(html`<overa-verify offline trust-anchors=${made.tsaRootPem} trusted-list-signers=${made.lotlSignerPem}></overa-verify>`);
    el.trustedListFiles = [made.lotl, made.rsTampered];
    await el.verifyFile(pdf(made.qualified));
    await el.updateComplete;
    expect(el.verdict).to.equal('unconfirmed');
    expect(shown(el)).to.contain('A trusted list was not used');
    expect(shown(el)).to.contain('its signature does not match');
    expect(shown(el)).not.to.contain('Qualified electronic seal');
  });

  it('without lists, the same seal cannot be confirmed and nothing is said about qualification', async () => {
    const el = await fixture<OveraVerify>(html`<overa-verify offline trust-anchors=${made.tsaRootPem}></overa-verify>`);
    await el.verifyFile(pdf(made.qualified));
    await el.updateComplete;
    expect(el.verdict).to.equal('unconfirmed');
    expect(shown(el)).not.to.contain('Qualified electronic seal');
    expect(shown(el)).not.to.contain('trusted list');
  });
});
