/**
 * Words the public reads (issue 17): one name for the tracking number wherever a citizen
 * sees it — the receipt, the sign step, My applications (the PDF's "Број предмета" is checked
 * end to end in test/e2e/verify-code.test.ts) — in all three languages; and no message tells
 * the public about "trust anchors".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAllMessages } from '../../components/i18n/all.ts';
import { LANGS } from '../../components/i18n/format.ts';

const MESSAGES = await loadAllMessages();

/** The name of the tracking number in each language, as the receipt and the PDF say it. */
const TERM = { en: /tracking number/i, 'sr-Latn': /broj predmeta/i, 'sr-Cyrl': /број предмета/i } as const;

test('the tracking number has one name in the receipt, the sign step and My applications, in every language', () => {
  for (const lang of LANGS) {
    for (const key of ['form.trackingLabel', 'form.keepNumber', 'form.draftNumber', 'myApps.reference']) {
      const text = MESSAGES[lang][key];
      assert.equal(typeof text, 'string', `${lang} ${key}`);
      assert.match(text as string, TERM[lang], `${lang} ${key}: "${String(text)}"`);
    }
    // And no other name for it anywhere a citizen reads.
    for (const [key, text] of Object.entries(MESSAGES[lang])) {
      if (typeof text !== 'string') continue;
      assert.doesNotMatch(text, /reference number|application number|broj zahteva|број захтева/i, `${lang} ${key}: "${text}"`);
    }
  }
});

test('no message speaks of trust anchors, in any language', () => {
  for (const lang of LANGS) {
    for (const [key, text] of Object.entries(MESSAGES[lang])) {
      const words = JSON.stringify(text).toLowerCase();
      for (const banned of ['trust anchor', 'sidr', 'сидр']) assert.ok(!words.includes(banned), `${lang} ${key} says "${banned}"`);
    }
  }
});
