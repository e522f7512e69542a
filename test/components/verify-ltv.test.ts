/**
 * <overa-verify> on a PAdES B-LTA document made with OpenSSL (the ltv-fixture plugin): the
 * seal's level, the time its time-stamp proves and where the validation data came from, in
 * plain words, in each language; and axe still passes.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../components/verify/define.ts';
import type { OveraVerify } from '../../components/verify/verify.ts';

const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('<overa-verify> and long-term proof', () => {
  let pdf: Uint8Array;
  let rootPem: string;

  before(async () => {
    const made = await executeServerCommand<{ pdf: string; rootPem: string }, undefined>('ltv-fixture');
    pdf = Uint8Array.from(atob(made.pdf), (c) => c.charCodeAt(0));
    rootPem = made.rootPem;
  });

  const expected = {
    en: ['Valid', 'PAdES B-LTA', 'A time-stamp proves the seal existed on', 'validation data stored in the document', 'not revoked'],
    'sr-Latn': ['Važeći', 'PAdES B-LTA', 'Vremenski žig dokazuje da je pečat postojao', 'podaci za proveru sačuvani u dokumentu', 'nije bio opozvan'],
    'sr-Cyrl': ['Важећи', 'PAdES B-LTA', 'Временски жиг доказује да је печат постојао', 'подаци за проверу сачувани у документу', 'није био опозван'],
  } as const;

  for (const [lang, words] of Object.entries(expected)) {
    it(`says the level, the proven time and the sources of validation data (${lang})`, async () => {
      const el = await fixture<OveraVerify>(html`<overa-verify lang=${lang} offline trust-anchors=${rootPem}></overa-verify>`);
      await el.verifyFile(new File([pdf as Uint8Array<ArrayBuffer>], 'lta.pdf', { type: 'application/pdf' }));
      await el.updateComplete;
      const details = el.shadowRoot!.querySelector('[part~="details"]');
      const shown = `${text(el.shadowRoot!.querySelector('[part~="verdict"]'))} ${text(details)}`;
      for (const w of words) expect(shown).to.contain(w);
      (details as HTMLDetailsElement).open = true;
      await expect(el).to.be.accessible();
    });
  }
});
