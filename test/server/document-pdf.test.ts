/**
 * The drawing of an issued document (server/documents/pdf.ts) from a layout, without a server:
 * the demo building permit, whose approval line has five signatures (the applicant, the clerk,
 * urbanism, cadastre, the head), fits on two pages, and the approval page's blocks are never
 * split or left stranded — read back with poppler's pdftotext, the seal checked with pdfsig.
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
import { pdfsig, pdftotext, tempDir } from '../helpers/pdf-tools.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const permit = loadForms(EXAMPLES).get('building-permit', 1)!;
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
  ];
}

async function render(signatures: SignatureForLayout[], script: DocumentScript = 'sr-Cyrl'): Promise<Uint8Array> {
  const cert = describeCertificate(seal.chainDer[0]!);
  const layout = documentLayout({
    form: permit,
    template: { script },
    agencyName: AGENCY.name,
    trackingNumber: 'NP-2026-K7QX3M',
    data: {
      investorType: 'person', investorName: 'Milica Petrović', investorJmbg: '0101990710008', email: 'milica@example.rs', phone: '+381 64 123 4567',
      cadastralMunicipality: 'novi-sad-1', parcelNumber: '1234/5', description: 'Porodična kuća P+1, 120 m²', estimatedValue: 8_500_000,
      projectDocumentation: ['u1'], ownershipProof: ['u2'], declaration: true,
    },
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
  test('the demo building permit (five signatures) is two pages in either script, the deputy\'s delegated approval too; the seal holds', async () => {
    for (const script of ['sr-Cyrl', 'sr-Latn'] as const) {
      for (const deputy of [false, true]) {
        const pdf = await render(demoSignatures(deputy), script);
        const text = await pages(pdf);
        assert.equal(text.length, 2, `${script}${deputy ? ', deputy' : ''}:\n${text.join('\n---\n')}`);
        assert.match(text[1]!, script === 'sr-Cyrl' ? /Страна 2 од 2/ : /Strana 2 od 2/);
        assert.match(text[1]!, /overa-evidence\.json/);
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
      const approvalPages = text.slice(1);
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
