/**
 * Issuance (issue 6): drawing and sealing a document — the PDF from the form's template with
 * embedded fonts, the QR code and the evidence file, then the PAdES seal (placeholder, byte
 * ranges, CMS with pkijs) — against raw pkijs CMS signing of the same bytes, in one run.
 *
 * Both sides run in this process, one operation at a time (the work is CPU-bound and
 * single-threaded; WebCrypto's ECDSA is the only part off the main thread), with the agency's
 * demo P-256 seal key loaded once as issuance loads it:
 *  - issuance: `documentLayout` + `renderSealedPdf` for a certificate-of-residence with the
 *    example template, three passkey signatures on the approval page and a ~5 KB evidence file;
 *    each document gets its own verification code, so no two are alike;
 *  - baseline: SHA-256 over the signed byte ranges of an issued PDF of the same kind, then a
 *    detached CMS SignedData built and signed with pkijs directly (content-type, message-digest,
 *    signing-certificate-v2; the same certificates), DER-encoded: the seal's irreducible part.
 * After a warm-up of each, short rounds alternate (A B, B A, …) and each side's figure is its
 * operations over its time in all rounds: with other work on the machine, both sides then see
 * the same conditions (the better-round rule of the HTTP benchmarks swung this ratio by ±0.05).
 * Goal: issuance at least 0.3× the raw CMS rate. Before loading, one CMS of each side is
 * verified with pkijs (signature, message digest) and the ESS certificate hash is checked.
 *
 * Knobs (environment): BENCH_DURATION (s per round, 2), BENCH_WARMUP (s, 2), BENCH_ROUNDS (8).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { BenchReport } from './lib/types.ts';
import { ROOT } from './lib/child-server.ts';
import { trackTempDir, removeTempDir, watchdog } from './lib/cleanup.ts';
import { fmt, num } from './lib/numbers.ts';
import { loadForms } from '../server/services/forms.ts';
import { ensureDemoKeys, loadSeal, type SealKey } from '../server/documents/keys.ts';
import { describeCertificate } from '../server/documents/certificates.ts';
import { renderSealedPdf } from '../server/documents/pdf.ts';
import { checkSigningCertificateV2, OIDS, signingCertificateV2 } from '../server/documents/seal.ts';
import { documentLayout, type SignatureForLayout } from '../server/documents/template.ts';
import { newVerificationCode } from '../server/documents/verification-code.ts';
import { canonicalBytes, type JsonValue } from '../components/core/canonical-json.ts';
import { jmbgControlDigit } from '../components/core/forms/validators.ts';

const ID = 'issuance-throughput';
const GOAL = 0.3;
const AGENCY = { id: 'novi-primer', name: 'Gradska uprava Novi Primer' };
const DATA = {
  firstName: 'Ana', lastName: 'Anić', jmbg: '010199071000' + jmbgControlDigit('010199071000'), street: 'Bulevar oslobođenja 12',
  apartment: 'Ulaz 2, stan 14', place: 'Novi Primer', postalCode: '21000', purpose: 'employment', delivery: 'online',
};

interface Round {
  ops: number;
  elapsedMs: number;
  opsPerSec: number;
  p50Ms: number;
}

/** `op` back to back for `ms`; the round ends when the last op finishes. */
async function loop(ms: number, op: () => Promise<unknown>): Promise<Round> {
  const times: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    const s = performance.now();
    await op();
    times.push(performance.now() - s);
  }
  const elapsedMs = performance.now() - t0;
  times.sort((a, b) => a - b);
  return { ops: times.length, elapsedMs, opsPerSec: (times.length * 1000) / elapsedMs, p50Ms: Math.round(times[Math.floor(times.length / 2)]! * 100) / 100 };
}

/** The raw baseline: a detached CAdES CMS over `signed` with pkijs, no PDF. */
async function rawCms(signed: Uint8Array[], seal: SealKey): Promise<Uint8Array> {
  const hash = createHash('sha256');
  for (const part of signed) hash.update(part);
  const cert = seal.chain[0]!;
  const sd = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OIDS.data }),
    signerInfos: [new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
      signedAttrs: new pkijs.SignedAndUnsignedAttributes({
        type: 0,
        attributes: [
          new pkijs.Attribute({ type: OIDS.contentType, values: [new asn1js.ObjectIdentifier({ value: OIDS.data })] }),
          new pkijs.Attribute({ type: OIDS.messageDigest, values: [new asn1js.OctetString({ valueHex: hash.digest() })] }),
          new pkijs.Attribute({ type: OIDS.signingCertificateV2, values: [signingCertificateV2(cert, seal.chainDer[0]!)] }),
        ],
      }),
    })],
    certificates: seal.chain,
  });
  await sd.sign(seal.privateKey, 0, 'SHA-256');
  return new Uint8Array(new pkijs.ContentInfo({ contentType: OIDS.signedData, content: sd.toSchema(true) }).toSchema().toBER());
}

/** The signed byte ranges and the CMS of a sealed PDF. */
function parts(pdf: Uint8Array): { signed: Uint8Array[]; cms: Uint8Array } {
  const text = Buffer.from(pdf).toString('latin1');
  const m = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(text);
  if (!m) throw new Error('no /ByteRange');
  const [a, b, c, d] = m.slice(1).map(Number) as [number, number, number, number];
  const hex = text.slice(a + b + 1, c - 1).replace(/(00)+$/, '');
  return { signed: [pdf.subarray(a, a + b), pdf.subarray(c, c + d)], cms: new Uint8Array(Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex')) };
}

/** pkijs verification of a detached CMS over `signed` (signature and message digest). */
async function verifyCms(cms: Uint8Array, signed: Uint8Array[]): Promise<void> {
  const content = pkijs.ContentInfo.fromBER(cms.slice());
  const sd = new pkijs.SignedData({ schema: content.content });
  const data = Buffer.concat(signed.map((s) => Buffer.from(s)));
  const ok = await sd.verify({ signer: 0, data: new Uint8Array(data).buffer, checkChain: false });
  if (!ok) throw new Error('CMS does not verify');
  const ess = checkSigningCertificateV2(cms);
  if (!ess.ok) throw new Error(`ESS: ${ess.reason}`);
}

export async function run(): Promise<BenchReport> {
  const duration = num('BENCH_DURATION', 2);
  const warmup = num('BENCH_WARMUP', 2);
  const rounds = num('BENCH_ROUNDS', 8);
  const disarm = watchdog(ID, (2 * warmup + 2 * rounds * duration + 60) * 1000);
  const dataDir = mkdtempSync(join(tmpdir(), 'overa-bench-'));
  trackTempDir(dataDir);
  const load0 = loadavg()[0]!;
  try {
    const config = { dataDir };
    await ensureDemoKeys(config, [AGENCY]);
    const seal = await loadSeal(config, AGENCY.id);
    const formsDir = join(ROOT, 'examples/forms');
    const form = loadForms(formsDir).get('certificate-of-residence', 1)!;
    const sealCert = describeCertificate(seal.chainDer[0]!);
    const at = Date.now();
    const signatures: SignatureForLayout[] = [
      { id: 's1', signerName: 'Ana Anić', signerKind: 'citizen', role: null, action: 'submit', signedAt: new Date(at - 86_400_000).toISOString(), digest: 'sha256:rCqG9JAYXekU3Xk3quIEmFLzXiw3KJV5RU_bI4n_Fy4', mandate: null },
      { id: 's2', signerName: 'Petar Službenik', signerKind: 'official', role: 'clerk', action: 'review', signedAt: new Date(at - 3_600_000).toISOString(), digest: 'sha256:e6OcOw_K40Gze1LUe6OcOw_K40Gze1LUe6OcOw_K40G', mandate: null },
      { id: 's3', signerName: 'Јелена Начелник', signerKind: 'official', role: 'head', action: 'approve', signedAt: new Date(at).toISOString(), digest: 'sha256:D1MsVdBMJNwDLqUjD1MsVdBMJNwDLqUjD1MsVdBMJNw', mandate: null },
    ];
    // An evidence file the size of a real one (three passkey signatures ≈ 1.5 KB each).
    const evidence = canonicalBytes({ v: 1, kind: 'overa-evidence', data: DATA, padding: 'x'.repeat(5000) } as unknown as JsonValue);

    const issue = async (): Promise<Uint8Array> => {
      const code = newVerificationCode();
      const layout = documentLayout({
        form, agencyName: AGENCY.name, trackingNumber: 'NP-2026-K7QX3M', data: DATA, attachments: [], signatures,
        verificationCode: code, verificationUrl: `https://eprijava.novi-primer.example/verify.html?code=${code}`,
        issuedAt: Date.now(), validUntil: Date.now() + 180 * 86_400_000,
        seal: { subject: sealCert.subject, issuer: sealCert.issuer, fingerprint: sealCert.sha256, timestamped: false },
      });
      return renderSealedPdf({
        layout, evidence, issuedAt: new Date(), seal,
        appearance: { fieldName: 'Overa seal', name: AGENCY.name, reason: 'Izdavanje elektronskog dokumenta' },
      });
    };

    // Checks: both sides make CMS that verify over the right bytes.
    const sample = await issue();
    const sampleParts = parts(sample);
    await verifyCms(sampleParts.cms, sampleParts.signed);
    await verifyCms(await rawCms(sampleParts.signed, seal), sampleParts.signed);
    const signedBytes = sampleParts.signed.reduce((n, p) => n + p.length, 0);

    const raw = () => rawCms(sampleParts.signed, seal);
    await loop(warmup * 1000, issue);
    await loop(warmup * 1000, raw);
    const issuance: Round[] = [];
    const baseline: Round[] = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        baseline.push(await loop(duration * 1000, raw));
        issuance.push(await loop(duration * 1000, issue));
      } else {
        issuance.push(await loop(duration * 1000, issue));
        baseline.push(await loop(duration * 1000, raw));
      }
    }
    const all = (list: Round[]): Round => {
      const ops = list.reduce((n, r) => n + r.ops, 0);
      const elapsedMs = list.reduce((n, r) => n + r.elapsedMs, 0);
      const medians = list.map((r) => r.p50Ms).sort((x, y) => x - y);
      return { ops, elapsedMs, opsPerSec: (ops * 1000) / elapsedMs, p50Ms: medians[Math.floor(medians.length / 2)]! };
    };
    const i = all(issuance);
    const b = all(baseline);
    return {
      id: ID,
      title: 'Issuance (PDF + seal) vs raw pkijs CMS signing',
      results: [
        {
          name: 'Issuance throughput: PDF from template + PAdES seal (EC P-256)',
          figure: i.opsPerSec,
          unit: 'docs/s',
          baselineName: 'raw pkijs CMS signing of the same bytes',
          baselineFigure: b.opsPerSec,
          ratio: i.opsPerSec / b.opsPerSec,
          goal: { ratio: GOAL, direction: 'higher' },
        },
      ],
      method: [
        `In one process, one operation at a time; warm-up ${warmup} s per side, then ${rounds} alternating rounds of ${duration} s per side (A B, B A, …); each side's figure is its operations over its time in all rounds, so that both see the same conditions on a shared machine.`,
        'Issuance: `documentLayout` + `renderSealedPdf` (server/documents): a two-page A4 certificate of residence from the form document template, DejaVu Sans subsets for Cyrillic and Latin, the QR code, three signatures on the approval page, a ~5 KB overa-evidence.json attached, the signature placeholder, byte ranges, SHA-256, the CAdES CMS (pkijs, WebCrypto ECDSA P-256, seal + root certificates) hex-written into /Contents. A fresh verification code per document. No database, no HTTP, no TSA.',
        'Baseline: SHA-256 over the signed byte ranges of an issued PDF, then pkijs SignedData with the same three signed attributes and certificates, signed with the same key, DER-encoded.',
        'Checked before loading: one CMS of each side verifies with pkijs over the signed bytes, and its ESS signing-certificate-v2 names the seal certificate.',
      ],
      observations: [
        `Per round (ops/s): issuance ${issuance.map((r) => fmt(r.opsPerSec, 1)).join(', ')}; raw CMS ${baseline.map((r) => fmt(r.opsPerSec, 1)).join(', ')}.`,
        `All rounds: issuance ${fmt(i.ops)} documents in ${fmt(i.elapsedMs / 1000, 1)} s, raw CMS ${fmt(b.ops)} in ${fmt(b.elapsedMs / 1000, 1)} s; median of the rounds' median time per operation: issuance ${fmt(i.p50Ms, 2)} ms, raw CMS ${fmt(b.p50Ms, 2)} ms.`,
        `Issued PDF: ${fmt(sample.length)} bytes, ${fmt(signedBytes)} of them signed (the rest is the reserved /Contents).`,
        `1-minute load average at start ${load0.toFixed(2)}, at end ${loadavg()[0]!.toFixed(2)} (other work on the machine weighs on both sides alike, since they alternate).`,
      ],
    };
  } finally {
    disarm();
    removeTempDir(dataDir);
  }
}
