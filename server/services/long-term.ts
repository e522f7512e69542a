/**
 * Documents that last (issue 18, items 2 and 3): the PAdES level at issuance, and the archive
 * job that renews documents' proof of existence.
 *
 * At issuance (`longTermAtIssuance`, called by services/documents.ts after the seal): with
 * OVERA_PADES_LEVEL=B-LT or B-LTA the sealed (B-T) PDF gets its DSS and, for B-LTA, a document
 * time-stamp (documents/ltv.ts). When a responder or the TSA cannot be had, OVERA_LTV_ON_FAILURE
 * decides: `fail` (default) answers 503 and nothing is issued; `defer` issues the B-T document,
 * marks it pending with the reason (stored, logged, audited with the issuance) and leaves the
 * rest to the archive job. A revoked certificate is never deferred: issuance fails.
 *
 * The archive job (`extendDocuments`: `overa documents extend`, and every
 * OVERA_ARCHIVE_INTERVAL_MINUTES in `overa start`) takes, oldest first,
 * - documents whose level is pending, to the configured level;
 * - documents whose newest time-stamp's certificate ends within OVERA_ARCHIVE_WINDOW_DAYS: fresh
 *   validation data for everything in them (the last TSA's chain included) and a new document
 *   time-stamp — but only when the TSA's certificate now ends later than the document's proof
 *   (asked once per run with a probe time-stamp); otherwise a new time-stamp would renew
 *   nothing, and the document is reported skipped with the reason. So a second run changes
 *   nothing.
 * Each document is claimed with a lease (compare-and-set on `ltv_lease_until`), so several
 * instances — on PostgreSQL or sharing a SQLite file — never extend one document twice; a run
 * that dies leaves the lease to expire and the next run resumes. The new bytes are stored
 * compare-and-set on the previous SHA-256, with `document.extended` in the audit log, in one
 * transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as pkijs from 'pkijs';
import { DEFAULT_LTV, padesLevelOf } from '../config.ts';
import type { PadesLevel } from '../../components/core/documents.ts';
import { documents } from '../db/documents.ts';
import { HttpError } from '../http-error.ts';
import { archiveUntil, extendPdf, levelAtLeast, readSignatures } from '../documents/ltv.ts';
import { RevocationError } from '../documents/revocation.ts';
import { OIDS, SealError, requestTimestampOf, type SealedParts } from '../documents/seal.ts';
import { appendAudit } from './audit.ts';
import type { Deps } from './deps.ts';

/** What the archive job and issuance need of the app (the CLI builds just this). */
export type LongTermDeps = Pick<Deps, 'db' | 'config' | 'now' | 'revocation' | 'log'>;

export interface LongTermResult {
  pdf: Uint8Array;
  level: PadesLevel;
  /** Only for documents meant to last (B-LT and up): the archive job's horizon. */
  archiveUntil: number | null;
  pending: boolean;
  error: string | null;
}

const isUnavailable = (err: unknown) =>
  (err instanceof RevocationError && err.code !== 'revoked') || (err instanceof SealError && (err.code === 'tsa-unavailable' || err.code === 'tsa-refused'));

/** Takes the sealed PDF to the configured level (see the module comment for failures). */
export async function longTermAtIssuance(deps: LongTermDeps, sealed: Uint8Array, known?: SealedParts): Promise<LongTermResult> {
  const target = padesLevelOf(deps.config);
  if (!levelAtLeast(target, 'B-LT')) return { pdf: sealed, level: target, archiveUntil: null, pending: false, error: null };
  try {
    const extended = await extendPdf(sealed, {
      level: target === 'B-LT' ? 'B-LT' : 'B-LTA',
      tsaUrl: deps.config.tsaUrl,
      revocation: deps.revocation,
      known,
    });
    return { pdf: extended.pdf, level: extended.level, archiveUntil: extended.archiveUntil, pending: false, error: null };
  } catch (err) {
    if (err instanceof RevocationError && err.code === 'revoked') {
      throw new HttpError(503, 'seal-unavailable', 'The agency cannot seal documents now', { detail: err.message });
    }
    if (!isUnavailable(err)) throw err;
    const reason = (err as Error).message;
    if ((deps.config.ltvOnFailure ?? DEFAULT_LTV.ltvOnFailure) === 'defer') {
      deps.log.warn({ reason, target }, `issued at B-T: ${target} deferred to the archive job`);
      return { pdf: sealed, level: 'B-T', archiveUntil: archiveUntil(await readSignatures(sealed)), pending: true, error: reason };
    }
    throw new HttpError(503, 'validation-data-unavailable', `The validation data for ${target} could not be had; try again`, { detail: reason, retryAfter: 30 });
  }
}

export type ExtendOutcome = 'extended' | 'skipped' | 'failed';

export interface ExtendProgress {
  index: number;
  total: number;
  documentId: string;
  outcome: ExtendOutcome;
  detail: string;
}

export interface ExtendSummary {
  examined: number;
  extended: number;
  skipped: number;
  failed: number;
}

export interface ExtendOptions {
  /** Renew documents whose proof ends within this many days (default OVERA_ARCHIVE_WINDOW_DAYS). */
  windowDays?: number;
  /** At most this many documents in one run. */
  limit?: number;
  /** How long a claim holds (ms): longer than one document's extension. */
  leaseMs?: number;
  onProgress?: (p: ExtendProgress) => void;
}

/** When the TSA's current certificate ends: a time-stamp of random bytes, its signer's notAfter. */
async function tsaCertificateEnd(tsaUrl: string): Promise<number> {
  const token = await requestTimestampOf(tsaUrl, createHash('sha256').update(randomBytes(32)).digest());
  const sd = new pkijs.SignedData({ schema: token.content });
  if (sd.encapContentInfo.eContentType !== OIDS.tstInfo) throw new SealError('the TSA answered with something other than a time-stamp', 'tsa-refused');
  const sid = sd.signerInfos[0]?.sid;
  const signer = (sd.certificates ?? []).find((c): c is pkijs.Certificate =>
    c instanceof pkijs.Certificate && sid instanceof pkijs.IssuerAndSerialNumber && c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  if (!signer) throw new SealError('the TSA does not include its certificate in its tokens', 'tsa-refused');
  return signer.notAfter.value.getTime();
}

const iso = (ms: number | null) => (ms === null ? 'none' : new Date(ms).toISOString());

/** The archive job: one run over the documents that are due (see the module comment). */
export async function extendDocuments(deps: LongTermDeps, options: ExtendOptions = {}): Promise<ExtendSummary> {
  const tsaUrl = deps.config.tsaUrl;
  const windowDays = options.windowDays ?? deps.config.archiveWindowDays ?? DEFAULT_LTV.archiveWindowDays;
  const leaseMs = options.leaseMs ?? 10 * 60_000;
  const now = deps.now();
  const ids = await documents.dueForExtension(deps.db, now + windowDays * 86_400_000, now, options.limit ?? 10_000);
  const summary: ExtendSummary = { examined: ids.length, extended: 0, skipped: 0, failed: 0 };
  let tsaEnd: number | undefined;
  for (const [i, id] of ids.entries()) {
    const report = (outcome: ExtendOutcome, detail: string) => {
      summary[outcome]++;
      options.onProgress?.({ index: i + 1, total: ids.length, documentId: id, outcome, detail });
    };
    if (!(await documents.claimForExtension(deps.db, id, deps.now(), deps.now() + leaseMs))) {
      report('skipped', 'another instance is extending it');
      continue;
    }
    try {
      if (!tsaUrl) throw new SealError('no time-stamping authority is configured (OVERA_TSA_URL)', 'tsa-unavailable');
      const d = await documents.get(deps.db, id);
      const pdf = await documents.pdf(deps.db, id);
      if (!d || !pdf) {
        report('skipped', 'gone');
        continue;
      }
      let level: 'B-LT' | 'B-LTA' = 'B-LTA';
      if (d.ltvPending) {
        level = padesLevelOf(deps.config) === 'B-LT' ? 'B-LT' : 'B-LTA';
      } else {
        tsaEnd ??= await tsaCertificateEnd(tsaUrl);
        if (d.archiveUntil !== null && tsaEnd <= d.archiveUntil) {
          await documents.releaseExtension(deps.db, id);
          report('skipped', `its proof holds until ${iso(d.archiveUntil)}, and the TSA's certificate ends ${iso(tsaEnd)}, no later: a new time-stamp would renew nothing (renew the TSA's certificate)`);
          continue;
        }
      }
      const extended = await extendPdf(pdf, { level, tsaUrl, revocation: deps.revocation });
      const sha256 = createHash('sha256').update(extended.pdf).digest('hex');
      const stored = await deps.db.transaction(async (trx) => {
        if (!(await documents.storeExtension(trx, id, d.sha256, { pdf: extended.pdf, sha256, padesLevel: extended.level, archiveUntil: extended.archiveUntil, ltvPending: false }))) return false;
        await appendAudit(trx, {
          actor: null,
          action: 'document.extended',
          subject: { type: 'application', id: d.applicationId },
          data: {
            documentId: id, level: extended.level, previousLevel: d.padesLevel, renewal: !d.ltvPending,
            archiveUntil: iso(extended.archiveUntil), sha256, previousSha256: d.sha256,
          },
        }, deps.now());
        return true;
      });
      if (!stored) {
        await documents.releaseExtension(deps.db, id);
        report('skipped', 'it changed while being extended; the next run takes it again');
        continue;
      }
      report('extended', `${d.padesLevel} → ${extended.level}, proof until ${iso(extended.archiveUntil)}`);
    } catch (err) {
      const reason = (err as Error).message;
      await documents.releaseExtension(deps.db, id, { ltvError: reason });
      deps.log.warn({ documentId: id, reason }, 'archive job: document not extended');
      report('failed', reason);
    }
  }
  return summary;
}
