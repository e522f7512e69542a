/**
 * The drawing of an issued document (server/documents/pdf.ts) from a layout, without a server:
 * the demo building permit, a decision whose approval line has five signatures (the applicant,
 * the clerk, urbanism, cadastre, the head), reads as an administrative act in its parts and in
 * order, is a tagged PDF whose structure tree poppler reads back in that order, and its approval
 * page's blocks are never split or left stranded — read back with poppler's pdftotext and
 * pdfinfo, the seal checked with pdfsig.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadForms } from '../../server/services/forms.ts';
import { ensureDemoKeys, loadSeal, type SealKey } from '../../server/documents/keys.ts';
import { describeCertificate } from '../../server/documents/certificates.ts';
import { renderSealedPdf } from '../../server/documents/pdf.ts';
import { documentLayout, type DocumentScript, type SignatureForLayout } from '../../server/documents/template.ts';
import { digestFingerprint } from '../../components/core/signing/payload.ts';
import { opensslCmsVerify, pdfinfo, pdfsig, pdftotext, qpdfCheck, qpdfObjects, signedParts, structureTree, tempDir, type QpdfValue } from '../helpers/pdf-tools.ts';
import { readFileSync } from 'node:fs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { pdfaProblems } from '../helpers/pdfa.ts';
import { xmpMetadata } from '../../server/documents/pdf.ts';
import { demoRootCertPath } from '../../server/documents/keys.ts';
import type { FormDefinition } from '../../components/core/forms/definition.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const forms = loadForms(EXAMPLES);
const permit = forms.get('building-permit', 1)!;
const residence = forms.get('certificate-of-residence', 1)!;
const AGENCY = { id: 'novi-primer', name: 'Gradska uprava Novi Primer' };
const AT = Date.UTC(2026, 10, 27, 14, 55, 36);
const CODE = '979T-WTK7-NEDT-UFGQ-X9JT';

let keys: ReturnType<typeof tempDir>;
let tools: ReturnType<typeof tempDir>;
let seal: SealKey;

before(async () => {
  keys = tempDir('overa-pdf-keys-');
  tools = tempDir();
  await ensureDemoKeys({ dataDir: keys.dir }, [AGENCY]);
  seal = await loadSeal({ dataDir: keys.dir }, AGENCY.id);
});
after(() => {
  keys.remove();
  tools.remove();
});

/** A signature `n` seconds after the first, with a digest of its own. */
function signature(n: number, signerName: string, signerKind: string, role: string | null, action: string, mandate: SignatureForLayout['mandate'] = null): SignatureForLayout {
  const digest = `sha256:${String(n).padStart(2, '0')}${'QWxhZGRpbjpvcGVuIHNlc2FtZQ'.padEnd(41, 'x')}`;
  return { id: `s${n}`, signerName, signerKind, role, action, signedAt: new Date(AT + n * 1000).toISOString(), digest, mandate };
}

/** The demo's building permit line: Milica applies, the clerk reviews, urbanism and cadastre agree, the head approves. */
function demoSignatures(deputy = false): SignatureForLayout[] {
  return [
    signature(0, 'Milica Petrović', 'citizen', null, 'submit'),
    signature(5, 'Petar Referent', 'official', 'clerk', 'review'),
    signature(9, 'Jelena Urbanista', 'official', 'urbanism', 'agree'),
    signature(11, 'Dragan Katastar', 'official', 'cadastre', 'agree'),
    deputy
      ? signature(14, 'Zorana Zamenik', 'official', 'deputy-head', 'approve', { kind: 'delegated', onBehalfOf: 'head' })
      : signature(14, 'Milan Načelnik', 'official', 'head', 'approve'),
  ].map((s, i) => (i === 0 ? s : { ...s, step: ['review', 'urbanism', 'cadastre', 'approve'][i - 1], comment: i === 4 ? 'Uslovi iz lokacijskih uslova su ispunjeni.' : '' }));
}

const PERMIT_DATA = {
  investorType: 'person', investorName: 'Milica Petrović', investorJmbg: '0101990710008', email: 'milica@example.rs', phone: '+381 64 123 4567',
  cadastralMunicipality: 'novi-sad-1', parcelNumber: '1234/5', description: 'Porodična kuća P+1, 120 m²', estimatedValue: 8_500_000,
  projectDocumentation: ['u1'], ownershipProof: ['u2'], declaration: true,
};
const RESIDENCE_DATA = {
  firstName: 'Ana', lastName: 'Anić', jmbg: '0101990710008', street: 'Bulevar oslobođenja 12', place: 'Novi Primer', postalCode: '21000', purpose: 'bank', delivery: 'online',
};

async function render(signatures: SignatureForLayout[], script: DocumentScript = 'sr-Cyrl', form: FormDefinition = permit): Promise<Uint8Array> {
  const cert = describeCertificate(seal.chainDer[0]!);
  const layout = documentLayout({
    form: { ...form, document: { ...form.document, script } },
    agencyName: AGENCY.name,
    trackingNumber: 'NP-2026-K7QX3M',
    data: form === permit ? PERMIT_DATA : RESIDENCE_DATA,
    attachments: [
      { id: 'u1', field: 'projectDocumentation', filename: 'projekat.pdf', sha256: 'ab'.repeat(32) },
      { id: 'u2', field: 'ownershipProof', filename: 'vlasništvo.png', sha256: 'cd'.repeat(32) },
    ],
    signatures,
    verificationCode: CODE,
    verificationUrl: `https://eprijava.novi-primer.example/verify.html?code=${CODE}`,
    issuedAt: AT + 60_000,
    validUntil: AT + 1095 * 86_400_000,
    seal: { subject: cert.subject, issuer: cert.issuer, fingerprint: cert.sha256, timestamped: false },
  });
  return renderSealedPdf({
    layout, evidence: new TextEncoder().encode('{"v":1}'), issuedAt: new Date(AT + 60_000), seal,
    appearance: { fieldName: 'Overa seal', name: AGENCY.name, reason: 'Izdavanje elektronskog dokumenta' },
  });
}

/** The text of each page, whitespace folded (pdftotext ends every page with a form feed). */
async function pages(pdf: Uint8Array): Promise<string[]> {
  const text = await pdftotext(tools.dir, pdf);
  return text.split('\f').slice(0, -1).map((p) => p.replace(/\s+/g, ' ').trim());
}

describe('the issued PDF: the approval page', () => {
  test('the demo building permit (five signatures): the act, then one approval page, in either script, the deputy\'s delegated approval too; the seal holds', async () => {
    for (const script of ['sr-Cyrl', 'sr-Latn'] as const) {
      for (const deputy of [false, true]) {
        const pdf = await render(demoSignatures(deputy), script);
        const text = await pages(pdf);
        const heading = script === 'sr-Cyrl' ? 'Потписи и одобрења' : 'Potpisi i odobrenja';
        const label = `${script}${deputy ? ', deputy' : ''}:\n${text.join('\n---\n')}`;
        assert.ok(text.length <= 3, label);
        assert.deepEqual(text.map((p) => p.includes(heading)), text.map((_, i) => i === text.length - 1), `the approval page is the last, and one page: ${label}`);
        assert.match(text.at(-1)!, script === 'sr-Cyrl' ? new RegExp(`Страна ${text.length} од ${text.length}`) : new RegExp(`Strana ${text.length} od ${text.length}`));
        assert.match(text.at(-1)!, /overa-evidence\.json/);
        const sig = await pdfsig(tools.dir, pdf);
        assert.ok(sig.valid, sig.stdout + sig.stderr);
      }
    }
  });

  test('officials\' roles by their names in the document\'s script, the role a delegate acted for too; never the role ids', async () => {
    const cyrl = (await pages(await render(demoSignatures(true)))).join(' ');
    for (const expected of ['подносилац захтева', 'референт', 'урбанизам', 'катастар', 'заменик начелника', 'по овлашћењу (делегирано одобравање) — начелник']) {
      assert.ok(cyrl.includes(expected), `"${expected}" is missing from:\n${cyrl}`);
    }
    const latn = (await pages(await render(demoSignatures(), 'sr-Latn'))).join(' ');
    for (const expected of ['podnosilac zahteva', 'referent', 'urbanizam', 'katastar', 'načelnik']) {
      assert.ok(latn.includes(expected), `"${expected}" is missing from:\n${latn}`);
    }
    for (const text of [cyrl, latn]) assert.doesNotMatch(text, /\b(clerk|urbanism|cadastre|head|deputy-head)\b/);
  });

  test('a signature is never split across pages, and the closing note stays with the seal\'s table', async () => {
    // One more agreeing official at a time, until the seal's table has gone over to another page.
    let spilled = false;
    for (let extra = 0; extra <= 4; extra++) {
      const signatures = demoSignatures();
      for (let i = 0; i < extra; i++) signatures.splice(4, 0, signature(20 + i, `Savetnik ${i + 1}`, 'official', 'legal', 'agree'));
      const text = await pages(await render(signatures));
      const approvalPages = text.slice(text.findIndex((p) => p.includes('Потписи и одобрења')));
      for (const s of signatures) {
        const holding = approvalPages.filter((p) => p.includes(s.signerName));
        assert.equal(holding.length, 1, `${s.signerName} (${extra} more)`);
        assert.ok(holding[0]!.includes(digestFingerprint(s.digest)), `${s.signerName}'s block is on one page (${extra} more)`);
      }
      const last = approvalPages.at(-1)!;
      assert.match(last, /overa-evidence\.json/);
      assert.match(last, /Печат \/ Pečat .*Временски жиг \/ Vremenski žig .*Докази о потписима/, `the seal's table and its note together (${extra} more):\n${last}`);
      if (!last.includes('Milan Načelnik')) spilled = true;
    }
    assert.ok(spilled, 'some count of signatures sends the seal\'s table over to a page of its own');
  });
});

/** Where each of `needles` first occurs in `text`, after the one before it; -1 when it does not (in that order). */
function positions(text: string, needles: readonly string[]): number[] {
  let from = 0;
  return needles.map((n) => {
    const at = text.indexOf(n, from);
    if (at >= 0) from = at + n.length;
    return at;
  });
}

const ACT = {
  'sr-Cyrl': {
    decision: ['Градска управа Нови Пример', 'Број: NP-2026-K7QX3M', 'Датум: 27.11.2026.', 'на основу члана 135. Закона о планирању и изградњи', 'доноси',
      'РЕШЕЊЕ О ГРАЂЕВИНСКОЈ ДОЗВОЛИ', '1. ИЗДАЈЕ СЕ грађевинска дозвола инвеститору Milica Petrović', 'Име и презиме инвеститора',
      'Образложење', 'Услови из локацијских услова су испуњени.', 'Поука о правном леку', 'жалба', 'Нови Пример, 27.11.2026.', 'Начелник', 'Milan Načelnik',
      'Електронски печат: Градска управа Нови Пример', 'Код за проверу', 'Потписи и одобрења'],
    certificate: ['Градска управа Нови Пример', 'Број: NP-2026-K7QX3M', 'на основу члана 29. Закона о општем управном поступку', 'издаје', 'УВЕРЕЊЕ О ПРЕБИВАЛИШТУ',
      'Потврђује се да Ana Anić, ЈМБГ 0101990710008, има пријављено пребивалиште', 'Улица и кућни број', 'Уверење се издаје ради: Банка.',
      'Нови Пример, 27.11.2026.', 'Начелник', 'Milan Načelnik', 'Електронски печат', 'Потписи и одобрења'],
  },
  'sr-Latn': {
    decision: ['Gradska uprava Novi Primer', 'Broj: NP-2026-K7QX3M', 'Datum: 27.11.2026.', 'na osnovu člana 135. Zakona o planiranju i izgradnji', 'donosi',
      'REŠENJE O GRAĐEVINSKOJ DOZVOLI', '1. IZDAJE SE građevinska dozvola investitoru Milica Petrović', 'Ime i prezime investitora',
      'Obrazloženje', 'Uslovi iz lokacijskih uslova su ispunjeni.', 'Pouka o pravnom leku', 'žalba', 'Novi Primer, 27.11.2026.', 'Načelnik', 'Milan Načelnik',
      'Elektronski pečat: Gradska uprava Novi Primer', 'Kod za proveru', 'Potpisi i odobrenja'],
    certificate: ['Gradska uprava Novi Primer', 'Broj: NP-2026-K7QX3M', 'na osnovu člana 29. Zakona o opštem upravnom postupku', 'izdaje', 'UVERENJE O PREBIVALIŠTU',
      'Potvrđuje se da Ana Anić, JMBG 0101990710008, ima prijavljeno prebivalište', 'Ulica i kućni broj', 'Uverenje se izdaje radi: Banka.',
      'Novi Primer, 27.11.2026.', 'Načelnik', 'Milan Načelnik', 'Elektronski pečat', 'Potpisi i odobrenja'],
  },
} as const;

describe('the issued PDF reads as an administrative act, and is tagged', () => {
  test('a decision, in either script: pdftotext gives heading, introduction, title, dispositive, reasoning (the official\'s comment), legal remedy, place, date, official and seal, in that order; no question or declaration', async () => {
    for (const script of ['sr-Cyrl', 'sr-Latn'] as const) {
      const text = (await pages(await render(demoSignatures(), script))).join(' ');
      const expected = ACT[script].decision;
      const at = positions(text, expected);
      assert.ok(at.every((p) => p >= 0), `${script}: missing or out of order: ${expected.filter((_, i) => at[i]! < 0).join(' | ')}\n${text}`);
      assert.doesNotMatch(text, /Ко је инвеститор|Ko je investitor|Изјављујем|Izjavljujem|Шта градите|Šta gradite/, `${script}: a form played back`);
    }
  });

  test('a certificate, in either script: heading, introduction, title, the certified facts, closing, place, date, official, seal; no reasoning or legal remedy', async () => {
    for (const script of ['sr-Cyrl', 'sr-Latn'] as const) {
      const signatures = [signature(0, 'Ana Anić', 'citizen', null, 'submit'), { ...signature(5, 'Milan Načelnik', 'official', 'head', 'approve'), step: 'approve', comment: '' }];
      const text = (await pages(await render(signatures, script, residence))).join(' ');
      const expected = ACT[script].certificate;
      const at = positions(text, expected);
      assert.ok(at.every((p) => p >= 0), `${script}: missing or out of order: ${expected.filter((_, i) => at[i]! < 0).join(' | ')}\n${text}`);
      assert.doesNotMatch(text, /Образложење|Obrazloženje|Поука о правном леку|Pouka o pravnom leku|Za šta vam je|За шта вам је/, script);
    }
  });

  test('pdfinfo says Tagged: yes; the structure tree that poppler reads holds the parts in reading order: the title an H1, the reasoning and legal remedy H2, the facts a table of row headers and cells', async () => {
    for (const script of ['sr-Cyrl', 'sr-Latn'] as const) {
      const pdf = await render(demoSignatures(), script);
      const info = await pdfinfo(tools.dir, pdf);
      assert.equal(info.get('Tagged'), 'yes');
      const tree = await structureTree(tools.dir, pdf);
      assert.equal(tree[0]!.role, 'Document');
      const roleOf = (needle: string) => tree.find((e) => e.text.includes(needle));
      const words = ACT[script].decision;
      assert.equal(roleOf(words[5])?.role, 'H1', 'the title');
      assert.equal(roleOf(words[8])?.role, 'H2', 'the reasoning\'s heading');
      assert.equal(roleOf(words[10])?.role, 'H2', 'the legal remedy\'s heading');
      assert.equal(roleOf(words[7])?.role, 'TH', 'a fact\'s caption heads its row');
      assert.deepEqual(roleOf(words[7])?.attributes, ['/Scope /Row']);
      assert.equal(roleOf('Milica Petrović')?.role, 'P', 'the introduction');
      assert.ok(tree.some((e) => e.role === 'TD' && e.text === '0101990710008'));
      assert.ok(tree.some((e) => e.role === 'Figure'), 'the QR code');
      assert.ok(tree.some((e) => e.role === 'H3' && e.text === 'Milan Načelnik'), 'each signer on the approval page');
      // The tree in reading order is the act in order.
      const all = tree.map((e) => e.text).join(' ');
      const at = positions(all, words);
      assert.ok(at.every((p) => p >= 0), `${script}: the structure tree out of order: ${words.filter((_, i) => at[i]! < 0).join(' | ')}\n${all}`);
      // The footer and the rules are artifacts: not in the tree.
      assert.doesNotMatch(all, /Страна 1 од|Strana 1 od|Штампани примерак|Štampani primerak/);
    }
  });

  test('marked content: every MCID of every page is owned by a structure element through the ParentTree; /MarkInfo, /Lang, /StructParents', async () => {
    for (const script of ['sr-Cyrl', 'sr-Latn'] as const) {
      const pdf = await render(demoSignatures(true), script);
      const q = await qpdfObjects(tools.dir, pdf);
      const dict = (v: QpdfValue): Record<string, QpdfValue> => (typeof v === 'string' && / R$/.test(v) ? dict(q.get(v)) : v as Record<string, QpdfValue>);
      const catalog = dict(q.trailer['/Root']!);
      assert.deepEqual(catalog['/MarkInfo'], { '/Marked': true });
      assert.equal(catalog['/Lang'], script === 'sr-Cyrl' ? 'u:sr-Cyrl-RS' : 'u:sr-Latn-RS');
      const treeRoot = dict(catalog['/StructTreeRoot']!);
      assert.equal(treeRoot['/Type'], '/StructTreeRoot');
      const nums = dict(treeRoot['/ParentTree']!)['/Nums'] as QpdfValue[];
      const pagesList = dict(dict(catalog['/Pages']!)['/Kids'] as unknown as QpdfValue) as unknown as string[];
      const kids = (Array.isArray(pagesList) ? pagesList : []) as string[];
      assert.equal(treeRoot['/ParentTreeNextKey'], kids.length);
      let marked = 0;
      kids.forEach((pageRef, i) => {
        const page = dict(pageRef);
        assert.equal(page['/StructParents'], i);
        assert.equal(page['/Tabs'], '/S');
        const content = dict(page['/Contents']!) as unknown as { stream: { data: string } };
        const ops = Buffer.from(content.stream.data, 'base64').toString('latin1');
        const mcids = [...ops.matchAll(/\/MCID (\d+)/g)].map((m) => Number(m[1]));
        assert.deepEqual(mcids, mcids.map((_, n) => n), `page ${i + 1}: MCIDs 0…n in order`);
        const owners = nums[nums.indexOf(i) + 1] as string[];
        assert.equal(owners.length, mcids.length, `page ${i + 1}: one owner per MCID`);
        owners.forEach((ownerRef, mcid) => {
          const owner = dict(ownerRef);
          assert.equal(owner['/Type'], '/StructElem');
          const k = owner['/K'] as QpdfValue[];
          const ownsIt = k.some((kid) => kid === mcid && owner['/Pg'] === pageRef
            || (typeof kid === 'object' && kid !== null && !Array.isArray(kid) && kid['/MCID'] === mcid && kid['/Pg'] === pageRef));
          assert.ok(ownsIt, `page ${i + 1} MCID ${mcid}: its element points back at it`);
        });
        // Text outside marked content would be lost to a screen reader: every BT is inside BDC … EMC.
        for (const line of ops.split('\n')) if (line.includes(' Tj ')) assert.match(line, /^\/(\w+) <<.*>> BDC .* EMC$/, line);
        marked += mcids.length;
      });
      assert.ok(marked > 50, String(marked));
    }
  });

  test('the tagged document\'s seal still verifies: pdfsig, openssl cms -verify over the signed ranges, qpdf --check', async () => {
    const pdf = await render(demoSignatures());
    const sig = await pdfsig(tools.dir, pdf);
    assert.ok(sig.valid, sig.stdout + sig.stderr);
    const { signed, cms } = signedParts(pdf);
    const root = readFileSync(demoRootCertPath({ dataDir: keys.dir }), 'utf8');
    const openssl = await opensslCmsVerify(tools.dir, cms, signed, root);
    assert.equal(openssl.code, 0, openssl.stderr);
    assert.equal((await qpdfCheck(tools.dir, pdf)).code, 0);
  });
});

describe('the issued PDF is PDF/A-3b (the rules test/helpers/pdfa.ts checks, listed in docs/server.md)', () => {
  test('a decision and a certificate, in either script, pass every rule checked; pdffonts-style: every font embedded', async () => {
    for (const script of ['sr-Cyrl', 'sr-Latn'] as const) {
      for (const form of [permit, residence]) {
        const pdf = await render(form === permit ? demoSignatures() : [signature(0, 'Ana Anić', 'citizen', null, 'submit')], script, form);
        assert.deepEqual(await pdfaProblems(tools.dir, pdf), [], `${form.id}, ${script}`);
      }
    }
  });

  test('the XMP packet names PDF/A-3b and says what /Info says, escaped; the checker finds what a plain pdf-lib file lacks', async () => {
    const layout = documentLayout({
      form: permit, agencyName: 'Uprava <A & B>', trackingNumber: 'NP-1', data: PERMIT_DATA, attachments: [], signatures: [],
      verificationCode: CODE, verificationUrl: 'https://e.example/v', issuedAt: AT, validUntil: null,
      seal: { subject: 'CN=S', issuer: 'CN=R', fingerprint: 'ab'.repeat(32), timestamped: false },
    });
    const xmp = xmpMetadata(layout, new Date(AT + 123));
    assert.match(xmp, /<pdfaid:part>3<\/pdfaid:part><pdfaid:conformance>B<\/pdfaid:conformance>/);
    assert.match(xmp, /<dc:creator><rdf:Seq><rdf:li>Uprava &lt;A &amp; B&gt;<\/rdf:li><\/rdf:Seq><\/dc:creator>/);
    assert.match(xmp, /<xmp:CreateDate>2026-11-27T14:55:36Z<\/xmp:CreateDate>/, 'to the second, as /Info has it');
    assert.match(xmp, /<dc:language><rdf:Bag><rdf:li>sr-Cyrl-RS<\/rdf:li><\/rdf:Bag><\/dc:language>/);

    // A file pdf-lib writes by itself: a standard font not embedded, no XMP, no output intent, no ID.
    const plain = await PDFDocument.create();
    plain.addPage().drawText('x', { font: await plain.embedFont(StandardFonts.Helvetica) });
    const problems = await pdfaProblems(tools.dir, await plain.save());
    for (const rule of ['6.1.3: the trailer has no /ID', '6.2.2: no GTS_PDFA1 output intent', '6.6.2.1: no XMP metadata stream in the catalog']) assert.ok(problems.includes(rule), `${rule}: ${problems.join('; ')}`);
    assert.ok(problems.some((p) => p.startsWith('6.2.11.4.1: font Helvetica') || p.includes('/Helvetica')), problems.join('; '));
  });
});
