import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import type { DocumentCheckFacts, PublicDocumentStatus } from '../../components/core/documents.ts';
import { documentFacts } from '../../components/core/forms/code-check.ts';
import { applicationDigest } from '../../components/core/signing/application.ts';
import type { VerificationWork } from '../../components/core/pdf/budget.ts';
import type { TrustAnchorInput } from '../../components/core/pdf/chain.ts';
import { verifyDocument, type RangeDigest } from '../../components/core/pdf/verify-document.ts';
import type { TrustedListSet } from '../../components/core/trust-lists/model.ts';
import type { VerificationReport } from '../../components/core/report.ts';
import { BlobStore } from '../blob-store.ts';
import { DEFAULT_VERIFY_LIMITS, type Config } from '../config.ts';
import type { SpooledBody } from '../spool.ts';
import { normalizeVerificationCode } from '../../components/core/verification-code.ts';
import { agencies } from '../db/agencies.ts';
import { applications } from '../db/applications.ts';
import { documents, type DocumentRecord } from '../db/documents.ts';
import { HttpError, invalidField } from '../http-error.ts';
import type { Deps } from './deps.ts';
import type { VerificationLoad } from './verification-load.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A verification code as typed → its canonical form, or a 400 naming the field `code`. */
function codeOrProblem(rawCode: string): string {
  const code = normalizeVerificationCode(rawCode);
  if (!code) throw invalidField('code', 'invalid', 'A verification code is 20 letters and digits, e.g. ACDE-FGHJ-KMNP-QRTU-VWXY');
  return code;
}

async function documentByCode(deps: Deps, rawCode: string): Promise<DocumentRecord> {
  const d = await documents.byVerificationCode(deps.db, codeOrProblem(rawCode));
  if (!d) throw new HttpError(404, 'document-not-found', 'No document has this verification code');
  return d;
}

const statusOf = (d: DocumentRecord) => (d.supersededBy ? 'superseded' : d.revokedAt !== null ? 'revoked' : 'valid');

/**
 * The public status of a document by its verification code (as printed, typed with any
 * spacing or case, or read from the QR code). Unknown codes are 404: codes carry ~93 random
 * bits, so they cannot be guessed, and the route is rate-limited on top. While the document
 * is valid, the answer carries what a checker compares with the document in hand (`facts`):
 * the holder and subject its form names, and its content fingerprint; never anything else of
 * the application (docs/security.md).
 */
export async function documentStatusByCode(deps: Deps, rawCode: string): Promise<PublicDocumentStatus> {
  const d = await documentByCode(deps, rawCode);
  const agency = await agencies.get(deps.db, d.agencyId);
  const successor = d.supersededBy ? await documents.get(deps.db, d.supersededBy) : undefined;
  const status = statusOf(d);
  return {
    verificationCode: d.verificationCode,
    status,
    title: d.title,
    issuer: { id: d.agencyId, name: agency?.name ?? d.agencyId },
    issuedAt: new Date(d.issuedAt).toISOString(),
    validUntil: iso(d.validUntil),
    sha256: d.sha256,
    revokedAt: iso(d.revokedAt),
    revocationReason: d.revocationReason,
    supersededBy: successor?.verificationCode ?? null,
    facts: status === 'valid' ? await checkFacts(deps, d) : null,
  };
}

/** The holder, subject and content fingerprint of a document, from its application and form. */
async function checkFacts(deps: Deps, d: DocumentRecord): Promise<DocumentCheckFacts | null> {
  const app = await applications.get(deps.db, d.applicationId);
  if (!app) return null;
  const form = deps.forms.get(app.formId, app.formVersion);
  const { holder, subject } = form ? documentFacts(form, app.data) : { holder: null, subject: [] };
  return { holder, subject, contentDigest: await applicationDigest(app), pdfSize: d.size };
}

/**
 * The sealed PDF of a valid document by its verification code (`GET verify/:code/pdf`): the
 * genuine file, for a checker to compare with the one in hand. 404 for an unknown code; 410
 * once the document is revoked or superseded (its status says why).
 */
export async function documentPdfByCode(deps: Deps, rawCode: string): Promise<{ document: DocumentRecord; pdf: Buffer }> {
  const d = await documentByCode(deps, rawCode);
  const status = statusOf(d);
  if (status !== 'valid') {
    throw new HttpError(410, `document-${status}`, status === 'revoked' ? 'The document was revoked' : 'The document was replaced', {
      detail: `GET verify/${d.verificationCode} says when and why`,
    });
  }
  const pdf = await documents.pdf(deps.db, d.id);
  if (!pdf) throw new HttpError(404, 'document-not-found', 'No document has this verification code');
  return { document: d, pdf };
}

/** Bytes hashed between two turns of the event loop: about a millisecond of work. */
const DIGEST_SLICE = 1024 * 1024;

const NODE_HASH = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;

/**
 * verifyDocument's `digestRanges` for the server: the signed ranges fed to node:crypto's
 * incremental hash a slice at a time, with a turn of the event loop after each slice. WebCrypto
 * hashes in one call and copies its whole input on this thread first (after the verifier has
 * copied the two ranges into one buffer): for a 25 MB file that held every other request up
 * for tens of milliseconds per signature. This copies nothing and holds nothing up for more
 * than a slice.
 */
export const digestRangesInSlices: RangeDigest = async (algorithm, ranges) => {
  const hash = createHash(NODE_HASH[algorithm]);
  for (const range of ranges) {
    for (let at = 0; at < range.length; at += DIGEST_SLICE) {
      hash.update(range.subarray(at, at + DIGEST_SLICE));
      await turn();
    }
  }
  return new Uint8Array(hash.digest());
};

/** Where `POST verify` bodies are spooled while they arrive: `<dataDir>/verify/tmp` (nothing is kept). */
export function verifySpool(config: Pick<Config, 'dataDir'>): BlobStore {
  return new BlobStore(join(config.dataDir, 'verify'));
}

/**
 * Verifies a spooled PDF once the instance has a turn for it (`load`: 503 when none comes in
 * time), with the configured work budget: a file whose signatures would hash more than
 * `verifyHashFactor` × its size + `verifyHashExtraBytes`, or need more than
 * `verifyMaxSignatureChecks` signature checks, is a 422 `verification-budget-exceeded`, not a
 * report. The file is read into memory only for its turn (`load.heldBytes`), into a buffer
 * the instance reuses, and its temp file removed as soon as it is read.
 */
export async function verifySpooledPdf(
  deps: Deps,
  load: VerificationLoad,
  body: SpooledBody,
  options: {
    trustAnchors: () => readonly TrustAnchorInput[] | Promise<readonly TrustAnchorInput[]>;
    /** Verified trusted lists (services/trusted-lists.ts): seals of other authorities chain to them and get their qualified status. */
    trustedLists?: () => Promise<TrustedListSet | undefined>;
    signal?: AbortSignal;
  },
): Promise<VerificationReport> {
  const { config } = deps;
  const release = await load.acquire(options.signal);
  let held = 0;
  const buffer = load.borrowBuffer(body.size);
  try {
    const bytes = await body.readInto(buffer);
    held = bytes.length;
    load.heldBytes += held;
    await body.remove();
    const work: VerificationWork = { signedBytesHashed: 0, signatureChecks: 0 };
    const trustedLists = await options.trustedLists?.();
    const report = await verifyDocument(bytes, {
      trustAnchors: await options.trustAnchors(),
      ...(trustedLists ? { trustedLists } : {}),
      rpId: config.rpId,
      allowedOrigins: config.origins,
      limits: {
        maxFileBytes: config.uploadMaxBytes,
        maxSignatures: config.verifyMaxSignatures ?? DEFAULT_VERIFY_LIMITS.verifyMaxSignatures,
        hashBudgetPerByte: config.verifyHashFactor ?? DEFAULT_VERIFY_LIMITS.verifyHashFactor,
        hashBudgetBytes: config.verifyHashExtraBytes ?? DEFAULT_VERIFY_LIMITS.verifyHashExtraBytes,
        maxSignatureChecks: config.verifyMaxSignatureChecks ?? DEFAULT_VERIFY_LIMITS.verifyMaxSignatureChecks,
      },
      work,
      digestRanges: digestRangesInSlices,
    });
    load.work.signedBytesHashed += work.signedBytesHashed;
    load.work.signatureChecks += work.signatureChecks;
    const over = report.reasons?.find((r) => r.code === 'budget-exceeded');
    if (over) {
      load.refusedBudget++;
      throw new HttpError(422, 'verification-budget-exceeded', 'The file asks for more work than this server does for one file', {
        detail: `Not verified: ${over.detail}. A browser verifies it without this limit (<overa-verify>); or ask for a file with fewer signatures.`,
      });
    }
    return report;
  } finally {
    load.heldBytes -= held;
    // The server's digest reads the file in place and never changes it; nothing of it outlives the report.
    load.returnBuffer(buffer);
    release();
  }
}
