import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cyrillicToLatin, latinToCyrillic, toScript, isCyrillic } from '../../components/core/transliterate.ts';

// Serbian pangrams: every letter of the alphabet, the digraphs lj, nj and dž included.
const PANGRAMS: [string, string][] = [
  ['Љубазни фењерџија чађавог лица хоће да ми покаже штос.', 'Ljubazni fenjerdžija čađavog lica hoće da mi pokaže štos.'],
  ['Гојазни ђачић с бициклом држи хмељ и фину вату у џепу ношње.', 'Gojazni đačić s biciklom drži hmelj i finu vatu u džepu nošnje.'],
];

test('pangrams round-trip in both directions', () => {
  for (const [cyr, lat] of PANGRAMS) {
    assert.equal(cyrillicToLatin(cyr), lat);
    assert.equal(latinToCyrillic(lat), cyr);
    assert.equal(latinToCyrillic(cyrillicToLatin(cyr)), cyr);
    assert.equal(cyrillicToLatin(latinToCyrillic(lat)), lat);
  }
});

test('capital digraph letters: title case in words, all caps in all-caps words', () => {
  assert.equal(cyrillicToLatin('Љиљана Њушка Џаковић'), 'Ljiljana Njuška Džaković');
  assert.equal(cyrillicToLatin('ЉУБАВ ЊЕГОШ ЏЕП КОЊ'), 'LJUBAV NJEGOŠ DŽEP KONJ');
  assert.equal(latinToCyrillic('LJUBAV NJEGOŠ DŽEP'), 'ЉУБАВ ЊЕГОШ ЏЕП');
  assert.equal(latinToCyrillic('Ljiljana Njuška Džaković'), 'Љиљана Њушка Џаковић');
});

test('pairs across a prefix boundary stay two letters', () => {
  assert.equal(latinToCyrillic('nadživeti'), 'надживети');
  assert.equal(latinToCyrillic('injekcija'), 'инјекција');
  assert.equal(latinToCyrillic('konjugacija'), 'конјугација');
  assert.equal(latinToCyrillic('konj'), 'коњ');
});

test('text outside the alphabet passes through', () => {
  assert.equal(cyrillicToLatin('JMBG 0101990710006, ул. Краља Петра 12/3 — OK?'), 'JMBG 0101990710006, ul. Kralja Petra 12/3 — OK?');
  assert.equal(latinToCyrillic('2026. godine, 50% & €'), '2026. годинe, 50% & €'.replace('e', 'е'));
  assert.equal(toScript('Beograd', 'sr-Cyrl'), 'Београд');
  assert.equal(toScript('Београд', 'sr-Latn'), 'Beograd');
  assert.equal(isCyrillic('Београд'), true);
  assert.equal(isCyrillic('Beograd'), false);
});

test('a foreign word (with q, w, x or y) or a format\'s abbreviation stays Latin, a Serbian abbreviation does not', () => {
  assert.equal(latinToCyrillic('Word (DOCX), WebP ili PDF'), 'Word (DOCX), WebP или PDF');
  assert.equal(latinToCyrillic('JMBG i PIB, QR kod, fajl.pdf'), 'ЈМБГ и ПИБ, QR код, фајл.пдф');
  assert.equal(latinToCyrillic('pristupni ključ (passkey)'), 'приступни кључ (passkey)');
  assert.equal(latinToCyrillic('Wolfgang Novak'), 'Wolfgang Новак');
});

test('a setting\'s name (capitals joined by _) stays Latin whole, as it is typed', () => {
  assert.equal(latinToCyrillic('podešavanje OVERA_ORIGINS servisa'), 'подешавање OVERA_ORIGINS сервиса');
  assert.equal(latinToCyrillic('OVERA_PKCS11_PIN, a ne JMBG_'), 'OVERA_PKCS11_PIN, а не ЈМБГ_');
});
