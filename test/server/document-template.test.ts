/**
 * The words of an issued document before any drawing (server/documents/template.ts) and the
 * verification code: no server, no PDF.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FormDefinitionError, loadForms } from '../../server/services/forms.ts';
import { documentLayout, serbianDate, type DocumentScript, type LayoutInput } from '../../server/documents/template.ts';
import type { ApplicationData, DocumentSpec, FormDefinition } from '../../components/core/forms/definition.ts';
import { cyrillicToLatin } from '../../components/core/transliterate.ts';
import { CODE_ALPHABET, CODE_LENGTH, VERIFICATION_CODE_BITS, newVerificationCode, normalizeVerificationCode } from '../../server/documents/verification-code.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const forms = loadForms(EXAMPLES);
const permit = forms.get('building-permit', 1)!;
const residence = forms.get('certificate-of-residence', 1)!;

/** `form` with its document template changed (`undefined` removes a key). */
function withDocument(form: FormDefinition, changes: { [K in keyof DocumentSpec]?: DocumentSpec[K] | undefined }): FormDefinition {
  const document = { ...form.document, ...changes } as Record<string, unknown>;
  for (const k of Object.keys(document)) if (document[k] === undefined) delete document[k];
  return { ...form, document: document as unknown as DocumentSpec };
}

/** The building permit as a plain document (no kind: it lists every answer). */
const plainPermit = withDocument(permit, {
  kind: undefined, place: undefined, introduction: undefined, dispositive: undefined, facts: undefined, reasoning: undefined, legalRemedy: undefined,
});
const inScript = (form: FormDefinition, script: DocumentScript) => withDocument(form, { script });

describe('verification codes', () => {
  test('20 characters of an alphabet without look-alikes, in groups of four: ≥ 80 random bits, no repeats', () => {
    assert.equal(CODE_ALPHABET.length, 25);
    assert.equal(new Set(CODE_ALPHABET).size, 25);
    assert.ok(VERIFICATION_CODE_BITS >= 80, String(VERIFICATION_CODE_BITS));
    const codes = new Set<string>();
    const seen = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const code = newVerificationCode();
      assert.match(code, /^[A-Z0-9]{4}(-[A-Z0-9]{4}){4}$/);
      codes.add(code);
      for (const ch of code.replace(/-/g, '')) seen.set(ch, (seen.get(ch) ?? 0) + 1);
    }
    assert.equal(codes.size, 2000);
    assert.deepEqual([...seen.keys()].sort().join(''), [...CODE_ALPHABET].sort().join(''), 'every character is used, and only those');
    // Uniform enough: each of 25 symbols ~1,600 times in 40,000.
    for (const [ch, n] of seen) assert.ok(n > 1300 && n < 1900, `${ch}: ${n}`);
    assert.equal(CODE_LENGTH, 20);
  });

  test('typed codes are normalised: case, spaces, dashes, Cyrillic typed on the same keys; anything else is no code', () => {
    const code = newVerificationCode();
    assert.equal(normalizeVerificationCode(code.toLowerCase().replace(/-/g, ' ')), code);
    assert.equal(normalizeVerificationCode(code.replace(/-/g, '')), code);
    assert.equal(normalizeVerificationCode('ацде-фгхј-кмнп-љрту-вњџѕ'), 'ACDE-FGHJ-KMNP-QRTU-VWXY');
    assert.equal(normalizeVerificationCode('ACEH-KMPT-XY34-6799-ACD'), null, 'too short');
    assert.equal(normalizeVerificationCode('ACEH-KMPT-XY34-6799-ACD0'), null, '0 is not in the alphabet');
    assert.equal(normalizeVerificationCode('x'.repeat(100)), null);
  });
});

function input(overrides: Partial<LayoutInput> = {}): LayoutInput {
  return {
    form: permit,
    agencyName: 'Gradska uprava Novi Primer',
    trackingNumber: 'NP-2026-K7QX3M',
    data: {
      investorType: 'person', investorName: 'Ana Anić', investorJmbg: '0101990710008', email: 'ana@example.rs',
      cadastralMunicipality: 'novi-sad-1', parcelNumber: '1234/5', description: 'Porodična kuća P+1, 120 m²',
      estimatedValue: 8_500_000, projectDocumentation: ['u1'], ownershipProof: ['u2'], declaration: true,
    },
    attachments: [
      { id: 'u1', field: 'projectDocumentation', filename: 'projekat.pdf', sha256: 'ab'.repeat(32) },
      { id: 'u2', field: 'ownershipProof', filename: 'vlasništvo.png', sha256: 'cd'.repeat(32) },
    ],
    signatures: [],
    verificationCode: 'ACEH-KMPT-XY34-6799-ACDE',
    verificationUrl: 'https://e.example/verify.html?code=ACEH-KMPT-XY34-6799-ACDE',
    issuedAt: Date.UTC(2026, 10, 27, 9, 30),
    validUntil: Date.UTC(2029, 10, 26, 9, 30),
    seal: { subject: 'CN=Seal', issuer: 'CN=Root', fingerprint: 'ab'.repeat(32), timestamped: false },
    ...overrides,
  };
}

describe('document layout', () => {
  test('answers in the document\'s script: option labels, numbers, checkboxes, attachments by name and hash; hidden fields left out', () => {
    const layout = documentLayout(input({ form: plainPermit }));
    assert.equal(layout.kind, null);
    assert.deepEqual([layout.introduction, layout.body, layout.reasoning, layout.legalRemedy], [[], [], null, null], 'a plain document has no parts of an act');
    const rows = Object.fromEntries(layout.rows.map((r) => [r.value, r.label]));
    assert.equal(layout.title.primary, 'РЕШЕЊЕ О ГРАЂЕВИНСКОЈ ДОЗВОЛИ');
    assert.equal(layout.title.secondary, 'Rešenje o građevinskoj dozvoli');
    assert.equal(layout.header.agency, 'Градска управа Нови Пример');
    assert.ok(rows['8.500.000'], JSON.stringify(layout.rows));
    assert.ok(rows['да'], 'a ticked checkbox says yes');
    assert.ok(rows[`projekat.pdf (SHA-256 ${'ab'.repeat(8)}…)`]);
    assert.ok(rows['Ana Anić']);
    assert.ok(!layout.rows.some((r) => r.label.includes('PIB') || r.label.includes('ПИБ')), 'the company fields are hidden for a person');
    assert.deepEqual(layout.facts.map((f) => f.value), ['NP-2026-K7QX3M', '27.11.2026.', '26.11.2029.', 'ACEH-KMPT-XY34-6799-ACDE']);
    assert.equal(layout.facts[1]!.label, 'Датум издавања / Datum izdavanja');
    assert.equal(layout.pageLabel(1, 2), 'Страна 1 од 2');
  });

  test('a repeating group prints item by item, each item\'s answers named, in the document\'s script', () => {
    const coOwners: ApplicationData[] = [
      { name: 'Ana Anić', jmbg: '0101990710008', birthDate: '1990-01-01', share: 50 },
      { name: 'Boris Borić', jmbg: '0101990710008' },
    ];
    const data = { ...input().data, parcelShared: 'yes', coOwners };
    const rows = documentLayout(input({ data })).rows;
    const row = rows.find((r) => r.label === 'Сувласници парцеле');
    assert.ok(row, JSON.stringify(rows));
    assert.equal(row.value, [
      // Free text as typed (a name is never transliterated), captions in the document's script.
      'Сувласник 1: Име и презиме: Ana Anić; ЈМБГ: 0101990710008; Датум рођења: 01.01.1990.; Сувласнички удео, у процентима: 50',
      'Сувласник 2: Име и презиме: Boris Borić; ЈМБГ: 0101990710008',
    ].join('\n'));
    const latin = documentLayout(input({ form: inScript(permit, 'sr-Latn'), data })).rows.find((r) => r.label === 'Suvlasnici parcele');
    assert.match(latin!.value, /^Suvlasnik 1: Ime i prezime: Ana Anić;/);
    // Hidden (the parcel is not shared): no row.
    assert.ok(!documentLayout(input({ data: { ...data, parcelShared: 'no' } })).rows.some((r) => r.label === 'Сувласници парцеле'));
  });

  test('a Latin template turns the captions round; no validity is "without limit"', () => {
    const layout = documentLayout(input({ form: inScript(permit, 'sr-Latn'), validUntil: null }));
    assert.equal(layout.header.agency, 'Gradska uprava Novi Primer');
    assert.equal(layout.header.secondary, 'Градска управа Нови Пример');
    assert.equal(layout.facts[1]!.label, 'Datum izdavanja / Датум издавања');
    assert.equal(layout.facts[2]!.value, 'bez ograničenja');
    assert.equal(layout.title.primary, 'REŠENJE O GRAĐEVINSKOJ DOZVOLI');
  });

  test('signatures: role, action and time in words, delegated and proxy marks, the digest fingerprint', () => {
    const layout = documentLayout(input({
      signatures: [
        { id: 's1', signerName: 'Ana Anić', signerKind: 'citizen', role: null, action: 'submit', signedAt: '2026-11-27T08:00:05.000Z', digest: 'sha256:rCqG9JAYXekU3Xk3quIEmFLzXiw3KJV5RU_bI4n_Fy4', mandate: null },
        { id: 's2', signerName: 'Petar Zamenik', signerKind: 'official', role: 'deputy-head', action: 'approve', signedAt: '2026-11-27T09:15:00.000Z', digest: 'sha256:e6OcOw_K40Gze1LUaaaaaaaaaaaaaaaaaaaaaaaaaaa', mandate: { kind: 'delegated', onBehalfOf: 'head' } },
        { id: 's3', signerName: 'Mara Zamena', signerKind: 'official', role: 'clerk', action: 'review', signedAt: '2026-07-01T09:15:00.000Z', digest: 'sha256:e6OcOw_K40Gze1LUaaaaaaaaaaaaaaaaaaaaaaaaaaa', mandate: { kind: 'proxy', onBehalfOf: 'Jovan Odsutni' } },
      ],
    }));
    const [a, b, c] = layout.approvals.signatures;
    // Upper-case hex in groups of four: core's formatFingerprint, as the sign box and a code check show it.
    assert.deepEqual([a!.role, a!.action, a!.at, a!.mandate, a!.fingerprint], ['подносилац захтева', 'поднео захтев', '27.11.2026. 09:00:05 (GMT+1)', null, 'AC2A 86F4 9018 5DE9 14DD']);
    assert.deepEqual([b!.role, b!.action, b!.mandate], ['заменик начелника', 'одобрио', 'по овлашћењу (делегирано одобравање) — начелник']);
    assert.equal(c!.role, 'референт');
    assert.equal(c!.at, '01.07.2026. 11:15:00 (GMT+2)', 'summer time in Belgrade');
    assert.equal(c!.mandate, 'замена одсутног службеника — Jovan Odsutni', 'a person acted for keeps their name');
  });

  test('officials\' roles by their shared names (role.<id>) in the document\'s script; an agency\'s own role by its id', () => {
    const official = (id: string, role: string | null, mandate: LayoutInput['signatures'][number]['mandate'] = null) => ({
      id, signerName: 'Službenik', signerKind: 'official', role, action: 'agree', signedAt: '2026-11-27T09:15:00.000Z', digest: 'sha256:e6OcOw_K40Gze1LUaaaaaaaaaaaaaaaaaaaaaaaaaaa', mandate,
    });
    const signatures = [
      official('s1', 'clerk'), official('s2', 'urbanism'), official('s3', 'cadastre'), official('s4', 'head'),
      official('s5', 'clerk, urbanism'), official('s6', 'inspector'), official('s7', 'clerk', { kind: 'delegated', onBehalfOf: 'inspector' }),
    ];
    const cyrl = documentLayout(input({ signatures })).approvals.signatures;
    assert.deepEqual(cyrl.map((s) => s.role), ['референт', 'урбанизам', 'катастар', 'начелник', 'референт, урбанизам', 'inspector', 'референт']);
    assert.equal(cyrl[6]!.mandate, 'по овлашћењу (делегирано одобравање) — inspector');
    const latn = documentLayout(input({ form: inScript(permit, 'sr-Latn'), signatures })).approvals.signatures;
    assert.deepEqual(latn.map((s) => s.role), ['referent', 'urbanizam', 'katastar', 'načelnik', 'referent, urbanizam', 'inspector', 'referent']);
  });

  test('the approval page\'s intro and closing note say the same in both scripts', () => {
    for (const script of ['sr-Cyrl', 'sr-Latn'] as const) {
      const { approvals } = documentLayout(input({ form: inScript(permit, script) }));
      const [first, second] = approvals.intro;
      const [cyrillic, latin] = script === 'sr-Cyrl' ? [first!, second!] : [second!, first!];
      assert.match(cyrillic, /Сваки потпис/, script);
      assert.equal(latin, cyrillicToLatin(cyrillic), script);
      const [noteFirst, noteSecond] = approvals.evidenceNote.split(' / ');
      const [noteCyrillic, noteLatin] = script === 'sr-Cyrl' ? [noteFirst!, noteSecond!] : [noteSecond!, noteFirst!];
      assert.match(noteCyrillic, /обухваћен печатом/, script);
      assert.equal(noteLatin, cyrillicToLatin(noteCyrillic), script);
    }
  });

  test('a decision: heading with the authority and case number, introduction, dispositive, facts, reasoning with the official\'s signed comment, legal remedy, place, date, official, seal', () => {
    const approve = { id: 's9', signerName: 'Milan Načelnik', signerKind: 'official', role: 'head', action: 'approve', signedAt: '2026-11-27T09:15:00.000Z', digest: 'sha256:e6OcOw_K40Gze1LUaaaaaaaaaaaaaaaaaaaaaaaaaaa', mandate: null, step: 'approve', comment: 'Lokacijski uslovi su ispunjeni.' };
    const layout = documentLayout(input({ signatures: [{ ...approve, id: 's8', comment: 'Prvi krug.' }, approve] }));
    assert.equal(layout.kind, 'decision');
    assert.deepEqual(layout.header.lines, ['Број: NP-2026-K7QX3M', 'Датум: 27.11.2026.', 'Нови Пример']);
    assert.match(layout.introduction[0]!, /^Градска управа Нови Пример, на основу члана 135\. Закона о планирању и изградњи .* инвеститора Ana Anić, број NP-2026-K7QX3M, .* доноси$/);
    assert.equal(layout.title.primary, 'РЕШЕЊЕ О ГРАЂЕВИНСКОЈ ДОЗВОЛИ');
    assert.equal(layout.body.length, 3);
    assert.match(layout.body[0]!, /^1\. ИЗДАЈЕ СЕ грађевинска дозвола инвеститору Ana Anić за изградњу: Porodična kuća P\+1, 120 m², на катастарској парцели број 1234\/5, КО Нови Сад I, предрачунске вредности радова 8\.500\.000 динара\.$/);
    assert.match(layout.body[1]!, /важи до 26\.11\.2029\. Престаје/, 'a date that ends a sentence takes the place of its dot');
    assert.deepEqual(layout.rows.map((r) => r.label), ['Име и презиме инвеститора', 'ЈМБГ инвеститора', 'Пројектна документација', 'Доказ о праву на парцели']);
    assert.equal(layout.reasoning!.heading, 'Образложење');
    assert.equal(layout.reasoning!.paragraphs[1], 'Локацијски услови су испуњени.', 'the last round\'s comment of the approve step, in the act\'s script');
    assert.equal(layout.legalRemedy!.heading, 'Поука о правном леку');
    assert.match(layout.legalRemedy!.paragraphs[0]!, /жалба .* у року од осам дана/);
    assert.deepEqual(layout.signOff, { placeDate: 'Нови Пример, 27.11.2026.', official: ['Начелник', 'Milan Načelnik'], seal: 'Електронски печат: Градска управа Нови Пример' });
    const text = JSON.stringify(layout);
    assert.doesNotMatch(text, /Ко је инвеститор|Изјављујем|Who is the investor/, 'no question and no declaration played back');

    const latin = documentLayout(input({ form: inScript(permit, 'sr-Latn'), signatures: [approve] }));
    assert.equal(latin.lang, 'sr-Latn-RS');
    assert.match(latin.introduction[0]!, /^Gradska uprava Novi Primer, na osnovu člana 135\. Zakona o planiranju i izgradnji .* donosi$/);
    assert.deepEqual([latin.reasoning!.heading, latin.legalRemedy!.heading], ['Obrazloženje', 'Pouka o pravnom leku']);
    assert.equal(latin.reasoning!.paragraphs[1], 'Lokacijski uslovi su ispunjeni.');
    assert.deepEqual(latin.signOff.official, ['Načelnik', 'Milan Načelnik']);

    const noComment = documentLayout(input({ signatures: [{ ...approve, comment: '' }] }));
    assert.equal(noComment.reasoning!.paragraphs.length, 2, 'an empty comment leaves no empty paragraph');
    const delegated = documentLayout(input({ signatures: [{ ...approve, role: 'deputy-head', mandate: { kind: 'delegated', onBehalfOf: 'head' } }] }));
    assert.deepEqual(delegated.signOff.official, ['Заменик начелника', 'Milan Načelnik', 'по овлашћењу (делегирано одобравање) — начелник']);
  });

  test('a certificate states the certified facts: statement, facts, closing; no dispositive, reasoning or legal remedy', () => {
    const data = { firstName: 'Ana', lastName: 'Anić', jmbg: '0101990710008', street: 'Bulevar oslobođenja 12', place: 'Novi Primer', postalCode: '21000', purpose: 'bank', delivery: 'online' };
    const layout = documentLayout(input({ form: residence, data }));
    assert.equal(layout.kind, 'certificate');
    assert.match(layout.introduction[0]!, /на основу члана 29\. Закона о општем управном поступку .* издаје$/);
    assert.equal(layout.title.primary, 'УВЕРЕЊЕ О ПРЕБИВАЛИШТУ');
    assert.deepEqual(layout.body, ['Потврђује се да Ana Anić, ЈМБГ 0101990710008, има пријављено пребивалиште на адреси Bulevar oslobođenja 12, 21000 Novi Primer.']);
    assert.deepEqual(layout.closing, ['Уверење се издаје ради: Банка. Не може се користити у друге сврхе. Важи до 26.11.2029.']);
    assert.deepEqual(layout.rows.map((r) => r.value), ['Ana', 'Anić', '0101990710008', 'Bulevar oslobođenja 12', '21000', 'Novi Primer']);
    assert.deepEqual([layout.reasoning, layout.legalRemedy], [null, null]);
    const latin = documentLayout(input({ form: inScript(residence, 'sr-Latn'), data }));
    assert.deepEqual(latin.body, ['Potvrđuje se da Ana Anić, JMBG 0101990710008, ima prijavljeno prebivalište na adresi Bulevar oslobođenja 12, 21000 Novi Primer.']);
    assert.equal(latin.title.primary, 'UVERENJE O PREBIVALIŠTU');
  });

  test('a document template file left in <formsDir>/templates stops the server: its parts now go in the form', () => {
    const dir = mkdtempSync(join(tmpdir(), 'overa-templates-'));
    try {
      copyFileSync(join(EXAMPLES, 'certificate-of-residence.json'), join(dir, 'certificate-of-residence.json'));
      assert.equal(loadForms(dir).get('certificate-of-residence')!.document.kind, 'certificate');
      mkdirSync(join(dir, 'templates'));
      writeFileSync(join(dir, 'templates', 'certificate-of-residence.json'), '{"script":"sr-Cyrl"}');
      assert.throws(() => loadForms(dir), (e: Error) => e instanceof FormDefinitionError && e.path === '/document/template' && /no longer read/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('dates are Belgrade dates', () => {
    assert.equal(serbianDate(Date.UTC(2026, 11, 31, 23, 30)), '01.01.2027.');
  });
});
