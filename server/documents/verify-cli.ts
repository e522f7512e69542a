/**
 * `overa verify FILE`: checks a signed PDF offline, with core's one verifier (the same
 * `verifyDocument` as `POST /api/v1/verify` and `<overa-verify>`), no server and no database.
 * Trust anchors come from the data folder's key store (the anchors `GET /trust` publishes) or
 * from `--trust FILE` (PEM or DER, repeatable). The exit code is the indication: 0
 * TOTAL_PASSED, 1 TOTAL_FAILED, 2 INDETERMINATE, 3 when the command could not run (a usage
 * mistake, a file that cannot be read), so scripts can tell "not genuine" from "not checked".
 *
 * Kept apart from main.ts, which loads the whole server: bin/overa.js starts this directly.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TrustedListSet } from '../../components/core/trust-lists/model.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { storedAgencyIds, trustAnchors } from './keys.ts';
import { readTrustAnchors, type TrustAnchorInput } from '../../components/core/pdf/chain.ts';
import { verifyDocument, VERIFY_DOCUMENT_LIMITS } from '../../components/core/pdf/verify-document.ts';
import { reportHeadline, type Indication, type ReportReason, type SignatureReportEntry, type VerificationReport } from '../../components/core/report.ts';
import { msg } from '../../components/i18n/index.ts';
// The area whose English words the report is said in (importing it registers them).
import '../../components/i18n/en/verify-verdict.ts';

export const VERIFY_USAGE = `Usage: overa verify FILE [--trust CA.pem]... [--data DIR] [--trusted-list TL.xml... --trusted-list-signer PEM...] [--at TIME] [--json]

  Checks the signatures of a PDF offline (no server, no database) and prints the report.
  --trust FILE   a trusted root certificate (PEM, one or more, or DER); may be repeated
  --data DIR     the data folder whose key store gives the trust anchors (default: OVERA_DATA_DIR,
                 else ./data); used when no --trust is given, or together with --trust when given
  --trusted-list FILE         a trusted list (ETSI TS 119 612 XML: the EU list of lists, a national
                              list); may be repeated. Seals of other authorities on it are trusted, and
                              their qualified status reported (QESeal, AdESeal…)
  --trusted-list-signer FILE  a certificate (PEM) allowed to sign those lists; may be repeated (a
                              national list is also checked against the list of lists' pointer)
  --at TIME      validate at this ISO 8601 time instead of now (e.g. 2030-01-01T00:00:00Z)
  --json         print the report object (core's verifyDocument) as JSON instead of text
  Exit code: 0 TOTAL_PASSED, 1 TOTAL_FAILED, 2 INDETERMINATE, 3 the file or an option could not be used.
`;

/** The exit code of each indication; anything that stops the check itself is USAGE_ERROR. */
export const VERIFY_EXIT: Readonly<Record<Indication, number>> = { TOTAL_PASSED: 0, TOTAL_FAILED: 1, INDETERMINATE: 2 };
export const USAGE_ERROR = 3;

/** A mistake the user can fix, said in one sentence. */
class VerifyUsageError extends Error {}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function fileError(path: string, err: unknown): VerifyUsageError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
  return new VerifyUsageError(`cannot read ${path}: ${why}`);
}

function readFile(path: string, shown = path): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw fileError(shown, err);
  }
}

/** A `--trust` file: PEM text (one or more certificates) or a DER certificate, checked readable by core's own reader. */
function trustFile(path: string, shown: string): TrustAnchorInput {
  const bytes = readFile(path, shown);
  const text = bytes.toString('latin1');
  const input: TrustAnchorInput = text.includes('-----BEGIN') ? text : new Uint8Array(bytes);
  const read = readTrustAnchors([input], VERIFY_DOCUMENT_LIMITS.maxTrustAnchors);
  if (read.anchors.length === 0 || read.unreadable > 0) throw new VerifyUsageError(`${shown} holds no readable certificate (PEM or DER expected)`);
  return input;
}

/** The anchors of the data folder's key store: the same `trustAnchors` the server publishes at GET /trust. */
function dataFolderAnchors(dataDir: string): string[] {
  return trustAnchors({ dataDir }, storedAgencyIds({ dataDir })).map((a) => a.pem);
}

function validationTime(at: string): Date {
  const time = new Date(at);
  if (!ISO_TIME.test(at) || !Number.isFinite(time.getTime())) throw new VerifyUsageError(`--at "${at}" is not an ISO 8601 time (e.g. 2030-01-01T00:00:00Z)`);
  return time;
}

/** The format of a signature, as far as the report shows it (a seal's level is the one the verifier proved). */
function levelOf(e: SignatureReportEntry): string {
  if (e.kind === 'passkey') return 'passkey';
  if (e.subFilter === 'ETSI.CAdES.detached') return `PAdES ${e.level ?? (e.signedAtSource === 'timestamp' ? 'B-T' : 'B-B')}${e.qualification ? ` ${e.qualification.level}` : ''}`;
  if (e.subFilter === 'adbe.pkcs7.detached') return 'PKCS#7';
  return e.subFilter ?? 'unknown';
}

function indicationText(r: { indication: Indication; subIndication?: string | undefined }): string {
  return r.subIndication ? `${r.indication}/${r.subIndication}` : r.indication;
}

function reasonsText(reasons: readonly ReportReason[]): string {
  return reasons.map((r) => (r.detail ? `${r.code} (${r.detail})` : r.code)).join('; ');
}

/**
 * The report in one sentence, reason first, in the words `<overa-verify>` shows (core's
 * reportHeadline, worded by components/i18n), with who sealed the file when its certificate
 * says so (even when the seal failed).
 */
export function reportWords(report: VerificationReport): string {
  const said = reportHeadline(report);
  const headline = msg('en', `verify.headline.${said.code}`, { signer: said.signer ?? msg('en', 'verify.unknownSigner') });
  return said.signer && said.code !== 'untrusted-signer' ? `${headline}. ${msg('en', 'verify.sealedBy', { signer: said.signer })}.` : `${headline}.`;
}

/** The report as text: the overall result, then one line per signature, then what concerns the document as a whole, then the verdict in words. */
export function reportText(report: VerificationReport, file: string): string {
  const lines = [
    `${indicationText(report)}: ${report.validSignaturesCount} of ${report.signaturesCount} signature(s) valid — ${file}, validated at ${report.validationTime}`,
  ];
  const rows = report.signatures.map((e) => {
    const signer = e.signer ? `${e.signer.displayName}${e.signer.kind ? ` (${e.signer.kind})` : ''}` : '(signer unknown)';
    return [e.kind, indicationText(e), levelOf(e), signer, e.reasons.length ? `— ${reasonsText(e.reasons)}` : ''];
  });
  const widths = [0, 1, 2].map((i) => Math.max(0, ...rows.map((r) => r[i]!.length)));
  for (const r of rows) lines.push(`  ${r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ').trimEnd()}`);
  if (report.reasons?.length) lines.push(`  document: ${reasonsText(report.reasons)}`);
  for (const w of report.warnings ?? []) lines.push(`  warning: ${reasonsText([w])}`);
  const issued = report.document?.issued;
  if (issued?.verificationCode) {
    const by = issued.agencyName ?? issued.agencyId;
    lines.push(`  the document says: verification code ${issued.verificationCode}${by ? `, issued by ${by}` : ''}${issued.issuedAt ? ` on ${issued.issuedAt}` : ''}`);
  }
  lines.push(`  in words: ${reportWords(report)}`);
  return `${lines.join('\n')}\n`;
}

/** `overa verify …` (argv after "verify"); returns the exit code. */
export async function verifyCommand(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          trust: { type: 'string', multiple: true },
          'trusted-list': { type: 'string', multiple: true },
          'trusted-list-signer': { type: 'string', multiple: true },
          data: { type: 'string' },
          at: { type: 'string' },
          json: { type: 'boolean', default: false },
          help: { type: 'boolean', short: 'h', default: false },
        },
      });
    } catch (err) {
      // Node's own message, up to its first sentence (the rest is advice about "--").
      throw new VerifyUsageError(`${(err as Error).message.split(/\.\s/)[0]!.replace(/\.$/, '')} (see overa verify --help)`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      process.stdout.write(VERIFY_USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new VerifyUsageError(positionals.length === 0 ? 'give the PDF to check: overa verify FILE' : 'give one PDF at a time');
    const file = positionals[0]!;
    const now = values.at === undefined ? undefined : validationTime(values.at);

    const path = resolve(cwd, file);
    let size: number;
    try {
      size = statSync(path).size;
    } catch (err) {
      throw fileError(file, err);
    }
    if (size > VERIFY_DOCUMENT_LIMITS.maxFileBytes) throw new VerifyUsageError(`${file} is ${size} bytes; at most ${VERIFY_DOCUMENT_LIMITS.maxFileBytes} are verified`);
    const bytes = readFile(path, file);

    const anchors: TrustAnchorInput[] = (values.trust ?? []).map((t) => trustFile(resolve(cwd, t), t));
    const fromData = values.data !== undefined || anchors.length === 0;
    if (fromData) {
      const dataDir = values.data !== undefined ? resolve(cwd, values.data) : loadConfig(env, cwd).dataDir;
      if (values.data !== undefined) {
        try {
          if (!statSync(dataDir).isDirectory()) throw new VerifyUsageError(`--data ${dataDir} is not a folder`);
        } catch (err) {
          if (err instanceof VerifyUsageError) throw err;
          throw new VerifyUsageError(`--data ${dataDir}: there is no such folder`);
        }
      }
      const stored = dataFolderAnchors(dataDir);
      if (stored.length === 0 && anchors.length === 0 && (values['trusted-list'] ?? []).length === 0) {
        process.stderr.write(`overa verify: no trust anchors in ${dataDir}/keys and no --trust, so no seal can be trusted\n`);
      }
      anchors.push(...stored);
    }

    let trustedLists: TrustedListSet | undefined;
    const listFiles = values['trusted-list'] ?? [];
    if (listFiles.length > 0) {
      const signers = (values['trusted-list-signer'] ?? []).map((p) => readFile(resolve(cwd, p), p).toString('latin1'));
      const { loadTrustedListFiles } = await import('../../components/core/trust-lists/load.ts');
      const loaded = await loadTrustedListFiles(listFiles.map((f) => ({ xml: new Uint8Array(readFile(resolve(cwd, f), f)), location: f })), signers, now ?? new Date());
      for (const r of loaded.results) if (!r.ok) process.stderr.write(`overa verify: trusted list ${r.location ?? ''} not used: ${r.reason} — ${r.detail}\n`);
      if (loaded.set.lists.length > 0) trustedLists = loaded.set;
    }

    const report = await verifyDocument(bytes, { trustAnchors: anchors, ...(now ? { now } : {}), ...(trustedLists ? { trustedLists } : {}) });
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : reportText(report, file));
    return VERIFY_EXIT[report.indication];
  } catch (err) {
    // One sentence, never a stack trace: the exit code already says the check did not run.
    const message = err instanceof VerifyUsageError || err instanceof ConfigError ? err.message : `could not verify: ${(err as Error).message ?? String(err)}`;
    process.stderr.write(`overa verify: ${message}\n`);
    return USAGE_ERROR;
  }
}
