/**
 * The passkey evidence Overa embeds in the PDFs it issues, and its checks.
 *
 * The file `overa-evidence.json` (an embedded file of the /Names /EmbeddedFiles tree, inside
 * the revision the agency's seal signs) is UTF-8 JSON in one of two shapes, both `v: 1`:
 *
 * 1. The minimal shape:
 *    ```json
 *    { "v": 1,
 *      "application": { "formId": "…", "formVersion": 1, "data": { … }, "attachments": ["…"] },
 *      "evidence": [ PasskeyEvidence, … ],
 *      "rp": { "id": "eprijava.gov.rs", "origins": ["https://eprijava.gov.rs"] } }
 *    ```
 * 2. The issued-document shape (`DocumentEvidence` in ../documents.ts, `kind: "overa-evidence"`):
 *    `application.content` holds the application content, and `signatures[]` holds
 *    `{ evidence: PasskeyEvidence, content? }`, where `content` is the canonical content the
 *    evidence's digest covers when it is not the application (a decision, say).
 *
 * `rp` (optional, either shape) names the relying party and origins the ceremonies ran on;
 * the verifier's own `rpId` / `allowedOrigins` options win over it. With neither, the passkey
 * checks cannot run and each entry is INDETERMINATE `relying-party-unknown`.
 *
 * Each evidence is re-verified with `verifyPasskeyEvidence` and bound to the document: its
 * payload digest must be `contentDigest` of its own `content` when the file gives one, else,
 * for subject `application` / action `submit`, of the file's application content. Evidence
 * signing content the file does not hold is INDETERMINATE / SIGNED_DATA_NOT_FOUND, never
 * passed. A file absent from the document gives no passkey entries at all. The seal covers
 * the file, so the agency vouches that these keys are these people's.
 */
import type { JsonValue } from '../canonical-json.ts';
import type { LocalizedText } from '../forms/definition.ts';
import type { IssuedDocumentInfo, ReportReason, SignatureReportEntry, SubIndication } from '../report.ts';
import { contentDigest } from '../signing/payload.ts';
import { verifyPasskeyEvidence } from '../signing/verify-evidence.ts';

/** The name the evidence file has in Overa's PDFs. */
export const EVIDENCE_FILE_NAME = 'overa-evidence.json';

export interface EvidenceOptions {
  rpId?: string;
  allowedOrigins?: readonly string[];
  maxPasskeyEvidence: number;
  /** The id of the seal whose signed revision holds the file. */
  sealId: string;
  /** Told what the file says about the issued document (Overa's own files), for the report. */
  onDocument?: (info: IssuedDocumentInfo) => void;
}

/** What an issued document's evidence file says it is: shown to whoever checks the file. */
function documentInfo(doc: Record<string, unknown>): IssuedDocumentInfo | undefined {
  const d = doc.document;
  if (!isRecord(d)) return undefined;
  const str = (v: unknown, max = 400) => (typeof v === 'string' && v.length <= max ? v : undefined);
  const title = typeof d.title === 'string' || isRecord(d.title) ? (d.title as LocalizedText) : undefined;
  const info: IssuedDocumentInfo = {};
  if (str(d.verificationCode, 64)) info.verificationCode = str(d.verificationCode, 64)!;
  if (title) info.title = title;
  if (str(d.agencyId, 64)) info.agencyId = str(d.agencyId, 64)!;
  if (str(d.agencyName)) info.agencyName = str(d.agencyName)!;
  if (str(d.issuedAt, 40)) info.issuedAt = str(d.issuedAt, 40)!;
  if (str(d.validUntil, 40)) info.validUntil = str(d.validUntil, 40)!;
  return info;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `contentDigest` of a JSON value, or undefined when it cannot be canonicalised (e.g. a lone surrogate). */
async function digestOf(value: JsonValue): Promise<string | undefined> {
  try {
    return await contentDigest(value);
  } catch {
    return undefined;
  }
}

/** An entry for a problem with the file itself (it cannot be read, so nothing in it can be checked). */
function fileEntry(sealId: string, code: string, detail: string): SignatureReportEntry {
  return { id: '', kind: 'passkey', indication: 'INDETERMINATE', subIndication: 'FORMAT_FAILURE', reasons: [{ code, detail }], coveredBy: sealId };
}

/** Adds a failed check to a passkey entry, keeping DSS's order of sub-indications. */
function addFailure(entry: SignatureReportEntry, reason: ReportReason, indication: 'TOTAL_FAILED' | 'INDETERMINATE', sub: SubIndication): void {
  entry.reasons.push(reason);
  if (entry.indication === 'TOTAL_FAILED') {
    // Already failed: HASH_FAILURE outranks only the signature and constraint failures.
    if (indication === 'TOTAL_FAILED' && entry.subIndication !== 'FORMAT_FAILURE') entry.subIndication = sub;
    return;
  }
  if (indication === 'TOTAL_FAILED' || entry.indication === 'TOTAL_PASSED') {
    entry.indication = indication;
    entry.subIndication = sub;
  }
}

/**
 * Reads the evidence file's bytes and checks every passkey signature in it; one report entry
 * per evidence. Never throws.
 */
export async function checkEmbeddedEvidence(bytes: Uint8Array, options: EvidenceOptions): Promise<SignatureReportEntry[]> {
  const { sealId } = options;
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return [fileEntry(sealId, 'evidence-malformed', `${EVIDENCE_FILE_NAME} is not UTF-8 JSON`)];
  }
  if (!isRecord(doc) || doc.v !== 1) return [fileEntry(sealId, 'evidence-malformed', `${EVIDENCE_FILE_NAME} is not a version 1 evidence file`)];
  if (doc.kind !== undefined && doc.kind !== 'overa-evidence') return [fileEntry(sealId, 'evidence-malformed', `${EVIDENCE_FILE_NAME} is of kind ${JSON.stringify(String(doc.kind).slice(0, 40))}`)];
  const { rp } = doc;
  const info = documentInfo(doc);
  if (info) options.onDocument?.(info);
  // The minimal shape: application = the content, evidence = PasskeyEvidence[]; the issued-document
  // shape: application.content, signatures = [{ evidence, content? }].
  const application = isRecord(doc.application) && isRecord(doc.application.content) ? doc.application.content : doc.application;
  let items: { evidence: unknown; content?: unknown }[];
  if (Array.isArray(doc.evidence)) items = doc.evidence.map((evidence) => ({ evidence }));
  else if (Array.isArray(doc.signatures)) {
    items = doc.signatures.map((s) => (isRecord(s) ? (s.content === undefined ? { evidence: s.evidence } : { evidence: s.evidence, content: s.content }) : { evidence: s }));
  } else return [fileEntry(sealId, 'evidence-malformed', `${EVIDENCE_FILE_NAME} has neither "evidence" nor "signatures"`)];
  if (items.length > options.maxPasskeyEvidence) {
    return [fileEntry(sealId, 'limit-exceeded', `${EVIDENCE_FILE_NAME} holds ${items.length} passkey signatures; the limit is ${options.maxPasskeyEvidence}`)];
  }

  let applicationDigest: string | undefined;
  if (
    isRecord(application) &&
    typeof application.formId === 'string' &&
    (typeof application.formVersion === 'number' || typeof application.formVersion === 'string') &&
    isRecord(application.data) &&
    Array.isArray(application.attachments)
  ) {
    applicationDigest = await digestOf({
      formId: application.formId,
      formVersion: application.formVersion,
      data: application.data as JsonValue,
      attachments: application.attachments as JsonValue,
    });
  }

  const fileRp = isRecord(rp) ? rp : {};
  const rpId = options.rpId ?? (typeof fileRp.id === 'string' ? fileRp.id : undefined);
  const origins = options.allowedOrigins ?? (Array.isArray(fileRp.origins) && fileRp.origins.every((o) => typeof o === 'string') ? (fileRp.origins as string[]) : undefined);

  const entries: SignatureReportEntry[] = [];
  for (const { evidence: ev, content } of items) {
    let entry: SignatureReportEntry;
    if (rpId === undefined || origins === undefined) {
      entry = { id: isRecord(ev) && typeof ev.credentialId === 'string' ? ev.credentialId.slice(0, 1400) : '', kind: 'passkey', indication: 'INDETERMINATE', reasons: [] };
      entry.reasons.push({ code: 'relying-party-unknown', detail: 'neither the verifier nor the evidence file names the relying party and origins' });
    } else {
      entry = await verifyPasskeyEvidence(ev, { rpId, allowedOrigins: origins });
    }
    entry.coveredBy = sealId;
    const scope = entry.scope;
    const isSubmit = scope?.subject?.type === 'application' && scope.action === 'submit';
    const expected = content !== undefined ? await digestOf(content as JsonValue) : isSubmit ? applicationDigest : undefined;
    if (!scope) {
      // The payload itself is malformed: verifyPasskeyEvidence has said so.
    } else if (expected !== undefined) {
      if (scope.digest !== expected) addFailure(entry, { code: 'content-mismatch', detail: 'the passkey signature covers other content than this document holds' }, 'TOTAL_FAILED', 'HASH_FAILURE');
    } else if (isSubmit || content !== undefined) {
      addFailure(entry, { code: 'content-missing', detail: `${EVIDENCE_FILE_NAME} has no well-formed content to compare with` }, 'INDETERMINATE', 'SIGNED_DATA_NOT_FOUND');
    } else {
      addFailure(
        entry,
        { code: 'content-not-in-document', detail: `this document does not hold the content of ${scope.subject?.type ?? 'the subject'}/${scope.action ?? ''}, so what was signed cannot be compared` },
        'INDETERMINATE',
        'SIGNED_DATA_NOT_FOUND',
      );
    }
    entries.push(entry);
  }
  return entries;
}
