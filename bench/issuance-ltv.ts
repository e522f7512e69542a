/**
 * Issuance at PAdES B-LTA (issue 18) against issuance at B-B, in one run: what long-term
 * signatures cost an agency that issues documents.
 *
 * Both sides draw and seal the same kind of document as bench/issuance-throughput.ts (the
 * certificate of residence from the example template, three signatures, a ~5 KB evidence file)
 * with a seal key and certificate from a test PKI (test/helpers/pki-services.ts: OpenSSL's OCSP
 * responder and CRLs over HTTP on loopback; the seal certificate's AIA and CRL DP point there):
 *  - B-B: `renderSealedPdf`, no TSA;
 *  - B-LTA: `renderSealedPdf` with a signature time-stamp from a local TSA, then `extendPdf`
 *    (server/documents/ltv.ts): the DSS with the certificates of both chains, OCSP responses and
 *    the CRL (from the app's RevocationSource, so fetched once and reused while valid, as a
 *    server does), and a document time-stamp — two TSA requests per document. The TSA is a
 *    pkijs one in a process of its own (bench/servers/tsa.ts), with a certificate from the same
 *    PKI.
 * Each side keeps BENCH_CONCURRENCY documents in flight (as a server issuing for several
 * approvals at once does; B-LTA waits on the TSA, B-B only on the CPU). After a warm-up of each,
 * short rounds alternate (A B, B A, …); each side's figure is its documents over its time in all
 * rounds. Goal: B-LTA at least 0.5× the B-B rate. The B-LTA side passes the seal's parts to
 * `extendPdf` as issuance does (services/documents.ts). Floor rows: in each round the pieces
 * B-LTA adds are also timed alone (a bare TSA round trip to the same TSA process, the DSS
 * update alone; hashing twice once at the end), and added to B-B's time per document, to show
 * whether the goal is reachable on the machine at all. Checked before loading: the DSS written
 * from the seal's parts is byte for byte the one written by reading the PDF; the B-LTA sample
 * has three revisions, a DSS and a /DocTimeStamp, and `levelOf` reads it as B-LTA.
 *
 * Run alone: `node --import tsx bench/run.ts issuance-ltv`. Knobs: BENCH_DURATION (s per
 * round, 2), BENCH_WARMUP (s, 2), BENCH_ROUNDS (6), BENCH_CONCURRENCY (4).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchReport } from './lib/types.ts';
import { ROOT, startChildServer } from './lib/child-server.ts';
import { trackTempDir, removeTempDir, watchdog } from './lib/cleanup.ts';
import { fmt, num } from './lib/numbers.ts';
import { loadForms } from '../server/services/forms.ts';
import { importSealKey, loadSeal } from '../server/documents/keys.ts';
import { describeCertificate } from '../server/documents/certificates.ts';
import { renderSealedPdf } from '../server/documents/pdf.ts';
import { extendPdf, levelOf } from '../server/documents/ltv.ts';
import { requestTimestampOf, type SealedParts } from '../server/documents/seal.ts';
import { createHash, randomBytes } from 'node:crypto';
import { RevocationSource } from '../server/documents/revocation.ts';
import { documentLayout, type SignatureForLayout } from '../server/documents/template.ts';
import { newVerificationCode } from '../server/documents/verification-code.ts';
import { canonicalBytes, type JsonValue } from '../components/core/canonical-json.ts';
import { jmbgControlDigit } from '../components/core/forms/validators.ts';
import { startPkiServices } from '../test/helpers/pki-services.ts';

const ID = 'issuance-ltv';
const GOAL = 0.5;
const AGENCY = { id: 'novi-primer', name: 'Gradska uprava Novi Primer' };
const DATA = {
  firstName: 'Ana', lastName: 'Anić', jmbg: '010199071000' + jmbgControlDigit('010199071000'), street: 'Bulevar oslobođenja 12',
  apartment: 'Ulaz 2, stan 14', place: 'Novi Primer', postalCode: '21000', purpose: 'employment', delivery: 'online',
};

interface Round { ops: number; elapsedMs: number }

/** `op` with `concurrency` in flight for `ms`; the round ends when the last op finishes. */
async function loop(ms: number, concurrency: number, op: () => Promise<unknown>): Promise<Round> {
  let ops = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() - t0 < ms) {
      await op();
      ops++;
    }
  }));
  return { ops, elapsedMs: performance.now() - t0 };
}

export async function run(): Promise<BenchReport> {
  const duration = num('BENCH_DURATION', 2);
  const warmup = num('BENCH_WARMUP', 2);
  const rounds = num('BENCH_ROUNDS', 6);
  const concurrency = num('BENCH_CONCURRENCY', 4);
  const disarm = watchdog(ID, (2 * warmup + 2 * rounds * duration + 120) * 1000);
  const dir = mkdtempSync(join(tmpdir(), 'overa-bench-ltv-'));
  trackTempDir(dir);
  const load0 = loadavg()[0]!;
  const pki = await startPkiServices(dir, { tsaDays: 365 });
  writeFileSync(join(dir, 'tsa-chain.pem'), pki.issuingCa.pem + pki.root.pem);
  const tsa = await startChildServer(join(ROOT, 'bench/servers/tsa.ts'), {
    env: { BENCH_TSA_KEY: pki.tsaCert.keyPath, BENCH_TSA_CERT: pki.tsaCert.certPath, BENCH_TSA_CHAIN: join(dir, 'tsa-chain.pem') },
  });
  const tsaUrl = `${tsa.url}/tsa`;
  try {
    const config = { dataDir: join(dir, 'data'), keyPassphrase: 'bench passphrase for the seal key' };
    await importSealKey(config, AGENCY.id, { keyPem: pki.seal.keyPem, chainPem: pki.seal.chainPem });
    const seal = await loadSeal(config, AGENCY.id);
    const revocation = new RevocationSource({ timeoutMs: 10_000, now: Date.now });
    const formsDir = join(ROOT, 'examples/forms');
    const form = loadForms(formsDir).get('certificate-of-residence', 1)!;
    const sealCert = describeCertificate(seal.chainDer[0]!);
    const at = Date.now();
    const signatures: SignatureForLayout[] = [
      { id: 's1', signerName: 'Ana Anić', signerKind: 'citizen', role: null, action: 'submit', signedAt: new Date(at - 86_400_000).toISOString(), digest: 'sha256:rCqG9JAYXekU3Xk3quIEmFLzXiw3KJV5RU_bI4n_Fy4', mandate: null },
      { id: 's2', signerName: 'Petar Službenik', signerKind: 'official', role: 'clerk', action: 'review', signedAt: new Date(at - 3_600_000).toISOString(), digest: 'sha256:e6OcOw_K40Gze1LUe6OcOw_K40Gze1LUe6OcOw_K40G', mandate: null },
      { id: 's3', signerName: 'Јелена Начелник', signerKind: 'official', role: 'head', action: 'approve', signedAt: new Date(at).toISOString(), digest: 'sha256:D1MsVdBMJNwDLqUjD1MsVdBMJNwDLqUjD1MsVdBMJNw', mandate: null },
    ];
    const evidence = canonicalBytes({ v: 1, kind: 'overa-evidence', data: DATA, padding: 'x'.repeat(5000) } as unknown as JsonValue);
    const render = (timestamped: boolean, sealed?: SealedParts) => {
      const code = newVerificationCode();
      const layout = documentLayout({
        form, agencyName: AGENCY.name, trackingNumber: 'NP-2026-K7QX3M', data: DATA, attachments: [], signatures,
        verificationCode: code, verificationUrl: `https://eprijava.novi-primer.example/verify.html?code=${code}`,
        issuedAt: Date.now(), validUntil: Date.now() + 180 * 86_400_000,
        seal: { subject: sealCert.subject, issuer: sealCert.issuer, fingerprint: sealCert.sha256, timestamped },
      });
      return renderSealedPdf({
        layout, evidence, issuedAt: new Date(), seal,
        appearance: { fieldName: 'Overa seal', name: AGENCY.name, reason: 'Izdavanje elektronskog dokumenta' },
        ...(timestamped ? { cms: { tsaUrl, ...(sealed ? { sealed } : {}) } } : {}),
      });
    };
    const bb = () => render(false);
    // As issuance does (services/documents.ts): the seal's parts, parsed while sealing, go to the extension.
    const lta = async () => {
      const known: SealedParts = {};
      return (await extendPdf(await render(true, known), { level: 'B-LTA', tsaUrl, revocation, known })).pdf;
    };

    const sample = await lta();
    const text = Buffer.from(sample).toString('latin1');
    if ((await levelOf(sample)) !== 'B-LTA' || (text.match(/%%EOF/g) ?? []).length !== 3 || !/\/DSS \d+ 0 R/.test(text) || !/\/DocTimeStamp/.test(text)) {
      throw new Error('the B-LTA sample is not B-LTA');
    }
    // The seal's parts change how the extension reads the document, not what it writes.
    const checkParts: SealedParts = {};
    const checkSealed = await render(true, checkParts);
    const viaParts = await extendPdf(checkSealed, { level: 'B-LT', revocation, known: checkParts });
    const viaPdf = await extendPdf(checkSealed, { level: 'B-LT', revocation });
    if (!Buffer.from(viaParts.pdf).equals(Buffer.from(viaPdf.pdf))) throw new Error('the DSS written from the seal\'s parts differs from the one written from the PDF');
    const sampleBb = await bb();
    const fetchedAfterSample = revocation.fetched;

    // Floor pieces: a bare TSA round trip (random imprint), and the DSS update alone (a document
    // sealed once, taken to B-LT again and again: pdf-lib load, OCSP/CRL from the cache, write).
    const presealedParts: SealedParts = {};
    const presealed = await render(true, presealedParts);
    const tsaOp = () => requestTimestampOf(tsaUrl, randomBytes(32));
    const dssOp = () => extendPdf(presealed, { level: 'B-LT', revocation, known: presealedParts });

    await loop(warmup * 1000, concurrency, bb);
    await loop(warmup * 1000, concurrency, lta);
    const a: Round[] = [];
    const b: Round[] = [];
    const tsaRounds: Round[] = [];
    const dssRounds: Round[] = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        b.push(await loop(duration * 1000, concurrency, bb));
        a.push(await loop(duration * 1000, concurrency, lta));
      } else {
        a.push(await loop(duration * 1000, concurrency, lta));
        b.push(await loop(duration * 1000, concurrency, bb));
      }
      tsaRounds.push(await loop((duration * 1000) / 2, concurrency, tsaOp));
      dssRounds.push(await loop((duration * 1000) / 2, concurrency, dssOp));
    }
    const hashRound = await loop(duration * 1000, concurrency, async () => {
      createHash('sha256').update(sample).digest();
      createHash('sha256').update(sample).digest();
    });
    const rate = (list: Round[]) => (list.reduce((n, r) => n + r.ops, 0) * 1000) / list.reduce((n, r) => n + r.elapsedMs, 0);
    const ltaRate = rate(a);
    const bbRate = rate(b);
    const ratio = ltaRate / bbRate;

    // The floor: what one B-LTA document must do beyond B-B, each piece alone, with the same
    // concurrency and the same TSA process, in the same alternating rounds (see method).
    const pieces = { tsa: rate(tsaRounds), dss: rate(dssRounds), hash: rate([hashRound]) };
    // Time per operation as throughput sees it (elapsed / operations, all in flight together).
    const perDoc = { bb: 1000 / bbRate, tsa: 2000 / pieces.tsa, dss: 1000 / pieces.dss, hash: 1000 / pieces.hash };
    const floorMs = perDoc.bb + perDoc.tsa + perDoc.dss + perDoc.hash;
    const floorRatio = perDoc.bb / floorMs;
    const floorRate = 1000 / floorMs;
    process.stderr.write(`bench: ${ID}: floor ${fmt(floorRate, 1)} docs/s (${floorRatio.toFixed(2)}×): B-B ${perDoc.bb.toFixed(1)} ms + 2 TSA ${perDoc.tsa.toFixed(1)} ms + DSS update ${perDoc.dss.toFixed(1)} ms + 2 hashes ${perDoc.hash.toFixed(2)} ms\n`);
    const piece = (name: string, figure: number) => ({
      name, figure, unit: 'ops/s', baselineName: 'issuance at B-B (docs/s)', baselineFigure: bbRate, ratio: figure / bbRate,
    });
    process.stderr.write(`bench: ${ID}: B-LTA ${fmt(ltaRate, 1)} docs/s, B-B ${fmt(bbRate, 1)} docs/s, ratio ${ratio.toFixed(2)}×\n`);
    return {
      id: ID,
      title: 'Issuance at PAdES B-LTA (local TSA and OCSP) vs issuance at B-B',
      results: [{
        name: 'Issuance throughput at B-LTA: seal + signature time-stamp + DSS (OCSP, CRL) + document time-stamp (EC P-256)',
        figure: ltaRate,
        unit: 'docs/s',
        baselineName: 'issuance at B-B (the same document, no TSA, no DSS)',
        baselineFigure: bbRate,
        ratio,
        goal: { ratio: GOAL, direction: 'higher' },
      },
      piece(`Floor piece: a bare RFC 3161 round trip to the same local TSA (${concurrency} in flight; a B-LTA document needs two)`, pieces.tsa),
      piece('Floor piece: the DSS incremental update alone (pdf-lib load, OCSP/CRL from the cache, write; `extendPdf` to B-LT of a sealed document)', pieces.dss),
      piece('Floor piece: SHA-256 of the B-LTA file, twice (document time-stamp byte ranges)', pieces.hash),
      {
        name: 'Floor for B-LTA on this machine: 1 / (B-B time + two TSA round trips + the DSS update + two hashes), no goal',
        figure: floorRate, unit: 'docs/s', baselineName: 'issuance at B-B', baselineFigure: bbRate, ratio: floorRatio,
      }],
      method: [
        `In one process, ${concurrency} documents in flight per side; warm-up ${warmup} s per side, then ${rounds} alternating rounds of ${duration} s per side (A B, B A, …); each side's figure is its documents over its time in all rounds.`,
        'Both sides: `documentLayout` + `renderSealedPdf` of the two-page certificate of residence (as bench/issuance-throughput.ts), sealed with an EC P-256 key whose certificate comes from a test PKI with AIA (OCSP) and CRL DP on loopback (test/helpers/pki-services.ts).',
        'B-LTA: the seal with an RFC 3161 signature time-stamp, then `extendPdf` (server/documents/ltv.ts): a DSS incremental update with the five certificates, OCSP responses for the seal and TSA certificates and the root\'s CRL for the issuing CA (from one RevocationSource: fetched from OpenSSL\'s responder once, then reused while valid, as a server does), then a /DocTimeStamp incremental update — two requests per document to a local pkijs TSA in its own process (bench/servers/tsa.ts; OpenSSL\'s `ts -reply` spawns a process per request and is used by the tests instead).',
        `Floor rows: in each round, after the B-B and B-LTA loops, the pieces B-LTA adds to B-B are timed alone with the same concurrency for ${duration / 2} s each: a bare RFC 3161 round trip to the same TSA process (random imprint), and the DSS update alone (\`extendPdf\` to B-LT of one sealed document, with the seal's parts: pdf-lib load, OCSP/CRL from the cache, the incremental update); hashing the file twice is timed once at the end. The floor row adds their times per operation (elapsed / operations; two TSA round trips) to B-B's time per document: a serial model. Documents in flight overlap one document's TSA wait with another's work, so the measured B-LTA rate can come out above it; the TSA's own CPU (it signs on the same two cores) is what the overlap cannot hide. The document time-stamp's own small update is not timed apart (its cost beyond the TSA is the hashing).`,
        'Checked before loading: the B-LT update written from the seal\'s parts (as issuance now does) is byte for byte the one written by reading the seal back out of the PDF; the B-LTA sample has three revisions, a /DSS and a /DocTimeStamp, and levelOf reads it as B-LTA.',
      ],
      observations: [
        `Per round (docs/s): B-LTA ${a.map((r) => fmt((r.ops * 1000) / r.elapsedMs, 1)).join(', ')}; B-B ${b.map((r) => fmt((r.ops * 1000) / r.elapsedMs, 1)).join(', ')}.`,
        `Sizes: B-B ${fmt(sampleBb.length)} bytes, B-LTA ${fmt(sample.length)} bytes. Revocation answers fetched over the network in the whole run: ${revocation.fetched} (${fetchedAfterSample} for the sample, the rest from the cache).`,
        `1-minute load average at start ${load0.toFixed(2)}, at end ${loadavg()[0]!.toFixed(2)}.`,
      ],
    };
  } finally {
    disarm();
    await tsa.stop();
    await pki.close();
    removeTempDir(dir);
  }
}
