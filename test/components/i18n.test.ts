import { expect, fixture, html } from '@open-wc/testing';
import {
  fieldMessage,
  formatList,
  msg,
  msgParts,
  normalizeLang,
  problemMessage,
  resolveLang,
  type MessageKey,
} from '../../components/i18n/index.ts';
import { isCyrillic, latinToCyrillic } from '../../components/core/transliterate.ts';
import { loadAllMessages } from '../../components/i18n/all.ts';

// Serbian loads per area on demand; these tests read every area in every language.
const MESSAGES = await loadAllMessages();

describe('i18n', () => {
  it('picks the language from the element, then the nearest [lang], then <html lang>', async () => {
    const tree = await fixture<HTMLDivElement>(html`<div lang="sr-Latn">
      <section><span id="inherits"></span><span id="own" lang="en-GB"></span><span id="other" lang="de"></span></section>
    </div>`);
    expect(resolveLang(tree.querySelector('#inherits')!)).to.equal('sr-Latn');
    expect(resolveLang(tree.querySelector('#own')!)).to.equal('en');
    // The nearest lang decides, as in HTML: an unsupported language gives English, not the outer Serbian.
    expect(resolveLang(tree.querySelector('#other')!)).to.equal('en');

    const loose = await fixture<HTMLSpanElement>(html`<span></span>`);
    const htmlLang = document.documentElement.getAttribute('lang');
    try {
      document.documentElement.setAttribute('lang', 'sr');
      expect(resolveLang(loose)).to.equal('sr-Cyrl');
      document.documentElement.removeAttribute('lang');
      expect(resolveLang(loose)).to.equal('en');
    } finally {
      if (htmlLang === null) document.documentElement.removeAttribute('lang');
      else document.documentElement.setAttribute('lang', htmlLang);
    }
  });

  it('crosses shadow roots to find the language', async () => {
    const host = await fixture<HTMLDivElement>(html`<div lang="sr-Cyrl"><p></p></div>`);
    const root = host.querySelector('p')!.attachShadow({ mode: 'open' });
    const inner = document.createElement('span');
    root.append(inner);
    expect(resolveLang(inner)).to.equal('sr-Cyrl');
  });

  it('normalizes language tags', () => {
    expect(normalizeLang('sr')).to.equal('sr-Cyrl');
    expect(normalizeLang('sr-RS')).to.equal('sr-Cyrl');
    expect(normalizeLang('sr-Cyrl-RS')).to.equal('sr-Cyrl');
    expect(normalizeLang('sr-Latn')).to.equal('sr-Latn');
    expect(normalizeLang('sr-latn-rs')).to.equal('sr-Latn');
    expect(normalizeLang('sr_Latn')).to.equal('sr-Latn');
    expect(normalizeLang('en-US')).to.equal('en');
    expect(normalizeLang('de')).to.equal(undefined);
    expect(normalizeLang('')).to.equal(undefined);
    expect(normalizeLang(null)).to.equal(undefined);
  });

  it('fills named parameters and picks plural forms per language', () => {
    expect(msg('en', 'account.signedInAs', { name: 'Ada' })).to.equal('Signed in as Ada');
    expect(msg('en', 'account.roles', { count: 1, roles: 'clerk' })).to.equal('Role: clerk');
    expect(msg('en', 'account.roles', { count: 2, roles: 'clerk and head' })).to.equal('Roles: clerk and head');
    // Serbian: one (1, 21, 101), few (2–4, 22–24), other (0, 5–20, 25…).
    const sr = (max: number) => msg('sr-Latn', 'field.displayName.tooLong', { max });
    expect(sr(1)).to.equal('Ime i prezime može imati najviše 1 znak');
    expect(sr(21)).to.equal('Ime i prezime može imati najviše 21 znak');
    expect(sr(3)).to.equal('Ime i prezime može imati najviše 3 znaka');
    expect(sr(24)).to.equal('Ime i prezime može imati najviše 24 znaka');
    expect(sr(5)).to.equal('Ime i prezime može imati najviše 5 znakova');
    expect(sr(12)).to.equal('Ime i prezime može imati najviše 12 znakova');
    expect(sr(100)).to.equal('Ime i prezime može imati najviše 100 znakova');
    expect(msg('sr-Cyrl', 'field.displayName.tooLong', { max: 22 })).to.equal('Име и презиме може имати највише 22 знака');
    // Numbers are formatted for the language.
    expect(msg('en', 'field.displayName.tooLong', { max: 1000 })).to.equal('Your name must be 1,000 characters or fewer');
    expect(msg('sr-Latn', 'field.displayName.tooLong', { max: 1000 })).to.equal('Ime i prezime može imati najviše 1.000 znakova');
  });

  it('derives Cyrillic from Latin, leaving parameters alone', () => {
    expect(msg('sr-Cyrl', 'account.register')).to.equal('Направи приступни кључ');
    expect(msg('sr-Cyrl', 'status.signingOut')).to.equal('Одјављујемо вас…');
    expect(msg('sr-Cyrl', 'account.signedInAs', { name: 'Ana' })).to.equal('Пријављени сте као Ana');
    expect(msg('sr-Cyrl', 'account.inviteHint', { example: 'ACDE-FGHJ' })).to.contain('ACDE-FGHJ');
    expect(MESSAGES['sr-Cyrl']['account.roles']).to.deep.include({ plural: 'count' });
    for (const key of Object.keys(MESSAGES.en) as MessageKey[]) {
      const text = msg('sr-Cyrl', key, { name: '', kind: '', agency: '', roles: '', count: 2, max: 5, id: '', example: '', action: '', item: '', message: '' });
      // Latin only as whole words the transliterator keeps on purpose (PDF, passkey, a setting's name such as
      // OVERA_ORIGINS), never mixed into a Cyrillic word.
      for (const word of text.replace(/\{\w+\}/g, '').match(/[\p{L}\d_]+/gu) ?? []) {
        if (/[A-Za-z]/.test(word) && (isCyrillic(word) || latinToCyrillic(word) !== word)) throw new Error(`${key} still has Latin letters in Cyrillic: ${text}`);
      }
      expect(isCyrillic(text) || !/\p{L}/u.test(text), key).to.equal(true);
    }
  });

  it('keeps parameters apart for markup', () => {
    expect(msgParts('sr-Latn', 'account.signedInAs', { name: 'Ana' })).to.deep.equal(['Prijavljeni ste kao ', { param: 'name', value: 'Ana' }]);
  });

  it('localizes problem and field codes, with a generic fallback', () => {
    expect(problemMessage('en', 'network')).to.contain('cannot be reached');
    expect(problemMessage('sr-Latn', 'cancelled')).to.contain('otkazan');
    expect(problemMessage('en', 'flow-expired')).to.contain('expired');
    expect(problemMessage('en', 'passkey-rejected')).to.contain('did not accept');
    expect(problemMessage('en', 'something-new')).to.equal('Something went wrong. Try again.');
    expect(fieldMessage('en', 'inviteCode', 'used')).to.contain('already been used');
    expect(fieldMessage('en', 'inviteCode', 'unknown')).to.contain('not known');
    expect(fieldMessage('sr-Cyrl', 'inviteCode', 'expired')).to.contain('истекао');
    expect(fieldMessage('en', 'inviteCode', 'weird')).to.equal('Check what you entered here');
  });

  it('has every message in every language', () => {
    const keys = Object.keys(MESSAGES.en).sort();
    expect(Object.keys(MESSAGES['sr-Latn']).sort()).to.deep.equal(keys);
    expect(Object.keys(MESSAGES['sr-Cyrl']).sort()).to.deep.equal(keys);
  });

  it('formats lists', () => {
    expect(formatList('en', ['clerk', 'head'])).to.equal('clerk and head');
    expect(formatList('sr-Latn', ['clerk', 'head'])).to.equal('clerk i head');
    // British English, as GOV.UK writes lists: no comma before the last item.
    expect(formatList('en', ['a', 'b', 'c'], 'disjunction')).to.equal('a, b or c');
    expect(formatList('en', ['a', 'b', 'c'])).to.equal('a, b and c');
  });
});
