/**
 * Issued documents (issue 6): issuance on final approval, reading, revocation.
 *
 * `issueDocument` runs inside the transaction of the final approval (the app's approval hook,
 * `Deps.onApproved`, wired in services/issuance-hook.ts): it draws the PDF from the form's document template, embeds the passkey
 * evidence and the canonical application data (`overa-evidence.json`), seals it with the
 * agency's key (PAdES B-B, or B-T with a TSA, then B-LT / B-LTA by OVERA_PADES_LEVEL:
 * services/long-term.ts), stores it with the level reached, makes the application `issued` and
 * appends `document.issued` to the audit log. A failure rolls the approval back with it.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { User } from '../../components/core/user.ts';
import type { DocumentDetails } from '../../components/core/api.ts';
import type { JsonValue } from '../../components/core/canonical-json.ts';
import { canonicalBytes } from '../../components/core/canonical-json.ts';
import type { FormDefinition } from '../../components/core/forms/definition.ts';
import { decisionDigest, decisionMandate, DECISIONS, type DecisionContent, type DecisionKind } from '../../components/core/signing/decision.ts';
import type {
  DocumentEvidence, DocumentStatus, DocumentView, EvidenceAttachment, EvidenceSignature, SignatureMandate,
} from '../../components/core/documents.ts';
import { agencies, type AgencyRow } from '../db/agencies.ts';
import { applications, type ApplicationRecord } from '../db/applications.ts';
import { auditLog } from '../db/audit-log.ts';
import type { Conn } from '../db/connection.ts';
import { documents, type DocumentRecord } from '../db/documents.ts';
import { signatures, type SignatureRecord } from '../db/signatures.ts';
import { uploads } from '../db/uploads.ts';
import { HttpError, invalidField } from '../http-error.ts';
import { describeCertificate } from '../documents/certificates.ts';
import { KeyError, type SealKey } from '../documents/keys.ts';
import { renderSealedPdf } from '../documents/pdf.ts';
import { SealError, type SealedParts } from '../documents/seal.ts';
import { levelAtLeast } from '../documents/ltv.ts';
import { padesLevelOf } from '../config.ts';
import { longTermAtIssuance } from './long-term.ts';
import { documentLayout, type SignatureForLayout } from '../documents/template.ts';
import { newVerificationCode } from '../documents/verification-code.ts';
import { appendAudit } from './audit.ts';
import { webhookEvent } from './webhooks.ts';
import { notifyApplicant } from './mail.ts';
import { applicationDigest } from '../../components/core/signing/application.ts';
import { checkRecipients, distributeOnIssue, documentHistory, recipientsView, sendDocumentAnywhere } from './distribution.ts';
import { revokeAtPartners } from './exchange.ts';
import type { Deps } from './deps.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * How one decision was made, as the workflow records it (its CaseStepRecord fits): read for
 * the approval page's role and delegated / proxy marks.
 */
export interface DecisionMark {
  signatureId: string | null;
  stepId?: string;
  /** The step's role. */
  role: string | null;
  /** `assigned`, `delegated` (a lower role approving by rule) or `proxy` (a substitute). */
  basis: 'assigned' | 'delegated' | 'proxy' | null;
  onBehalfOfUser?: string | null;
  onBehalfOfName: string | null;
  onBehalfOfRole: string | null;
  comment?: string | null;
}

export interface IssueOptions {
  /** The decisions of the approval (the approval hook, Deps.onApproved, passes them); else read from the audit log. */
  decisions?: readonly DecisionMark[];
}

export function publicUrlOf(deps: Deps): string {
  return deps.config.publicUrl ?? `http://localhost:${deps.config.port}`;
}

export function verificationUrl(deps: Deps, code: string): string {
  return `${publicUrlOf(deps)}/verify.html?code=${code}`;
}

// ---------------------------------------------------------------------------------------------
// Signatures for the approval page and the evidence file

interface FoundSignature {
  record: SignatureRecord;
  role: string | null;
  mandate: SignatureMandate | null;
  content?: JsonValue;
}

/** `{data}` of the application's audit entries that name a signature, by signature id. */
async function auditBySignature(conn: Conn, applicationId: string): Promise<{ bySignature: Map<string, Record<string, unknown>>; submittedDigests: string[] }> {
  const bySignature = new Map<string, Record<string, unknown>>();
  const submittedDigests: string[] = [];
  for (const e of await auditLog.forSubject(conn, 'application', applicationId)) {
    const data = JSON.parse(e.data) as Record<string, unknown>;
    if (typeof data.signatureId === 'string') bySignature.set(data.signatureId, data);
    if ((e.action === 'application.submitted' || e.action === 'application.resubmitted') && typeof data.digest === 'string') submittedDigests.push(data.digest);
  }
  return { bySignature, submittedDigests };
}

function mandateOf(basis: unknown, name: unknown, role: unknown): SignatureMandate | null {
  if (basis !== 'delegated' && basis !== 'proxy') return null;
  const onBehalfOf = typeof name === 'string' && name ? name : typeof role === 'string' && role ? role : undefined;
  return onBehalfOf ? { kind: basis, onBehalfOf } : { kind: basis };
}

/**
 * Every signature taken about the application (its submissions and its decisions, every
 * round), oldest first, with the role and delegated / proxy marks of each decision, and for a
 * decision the content its digest covers when it can be rebuilt (so a verifier can recompute it).
 */
async function signaturesFor(conn: Conn, app: ApplicationRecord, currentDigest: string, decisions: readonly DecisionMark[] | undefined): Promise<FoundSignature[]> {
  const records = await signatures.usedForApplication(conn, app.id);
  if (records.length === 0) return [];
  const audit = await auditBySignature(conn, app.id);
  const candidates = [currentDigest, ...audit.submittedDigests.reverse()];
  const out: FoundSignature[] = [];
  for (const record of records) {
    if (record.subject.type === 'application') {
      out.push({ record, role: null, mandate: null });
      continue;
    }
    const mark = decisions?.find((d) => d.signatureId === record.id);
    const data = audit.bySignature.get(record.id) ?? {};
    const onBehalf = (data.onBehalfOf ?? {}) as { displayName?: unknown; role?: unknown };
    const basis = mark ? mark.basis : data.basis;
    const mandate = mark ? mandateOf(mark.basis, mark.onBehalfOfName, mark.onBehalfOfRole) : mandateOf(data.basis, onBehalf.displayName, onBehalf.role);
    // The role in which they signed: the step's role when it was theirs; their own roles when
    // they acted for someone else (the mark says for whom).
    const ownRoles = record.evidence.signer.roles.join(', ') || null;
    const role = basis === 'assigned' ? (mark?.role ?? ownRoles) : ownRoles;
    const found: FoundSignature = { record, role, mandate };
    // Rebuild the decision's signed content: {application digest, step, decision, comment,
    // mandate?}. Decisions signed before mandates were signed have none: tried second.
    const step = record.subject.id.slice(app.id.length + 1);
    const comment = mark?.comment ?? (typeof data.comment === 'string' ? data.comment : '');
    const onBehalfId = (data.onBehalfOf as { id?: unknown } | undefined)?.id;
    const signedMandate = mark
      ? decisionMandate(mark.basis, { user: mark.onBehalfOfUser, name: mark.onBehalfOfName, role: mark.onBehalfOfRole })
      : decisionMandate(typeof data.basis === 'string' ? data.basis : null, {
        user: typeof onBehalfId === 'string' ? onBehalfId : null,
        name: typeof onBehalf.displayName === 'string' ? onBehalf.displayName : null,
        role: typeof onBehalf.role === 'string' ? onBehalf.role : null,
      });
    if ((DECISIONS as readonly string[]).includes(record.action)) {
      search: for (const mandate of signedMandate ? [signedMandate, undefined] : [undefined]) {
        for (const application of candidates) {
          const content: DecisionContent = { application, step, decision: record.action as DecisionKind, comment, ...(mandate ? { mandate } : {}) };
          if ((await decisionDigest(content)) === record.digest) {
            found.content = content as unknown as JsonValue;
            break search;
          }
        }
      }
    }
    out.push(found);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Issuance

async function uniqueCode(conn: Conn): Promise<string> {
  for (;;) {
    const code = newVerificationCode();
    if (!(await documents.codeTaken(conn, code))) return code;
  }
}

/**
 * Issues the document of an application that has just become `approved`, in the caller's
 * transaction. Returns the stored document. 409 when the application is not `approved`;
 * 503 when the agency has no usable seal key or the TSA does not answer (the caller's
 * transaction then rolls back, approval included).
 */
export async function issueDocument(deps: Deps, trx: Knex.Transaction, applicationId: string, options: IssueOptions = {}): Promise<DocumentRecord> {
  const { app, form, agency, seal } = await loadForIssue(deps, trx, applicationId);
  const now = deps.now();
  const validUntil = form.document.validityDays === undefined ? null : now + form.document.validityDays * DAY;
  const id = randomUUID();
  const code = await uniqueCode(trx);
  const url = verificationUrl(deps, code);
  const gathered = await gatherEvidence(deps, trx, { app, form, agency, id, code, url, issuedAt: now, validUntil }, options);
  const timestamped = levelAtLeast(padesLevelOf(deps.config), 'B-T');
  const layout = issuedLayout({ app, form, agency, code, url, issuedAt: now, validUntil, seal, timestamped }, gathered);
  // What the seal wrote, already parsed, for the extension below (not read back out of the PDF).
  const parts: SealedParts = {};
  const sealed = await sealPdf(deps, layout, canonicalBytes(gathered.evidence as unknown as JsonValue), now, seal, agency.name, timestamped, parts);
  // B-LT / B-LTA: the DSS and the document time-stamp, as incremental updates (services/long-term.ts).
  const longTerm = await longTermAtIssuance(deps, sealed, parts);
  const pdf = longTerm.pdf;

  const record: DocumentRecord = {
    id,
    applicationId: app.id,
    agencyId: app.agencyId,
    ownerId: app.ownerId,
    formId: app.formId,
    formVersion: app.formVersion,
    trackingNumber: app.trackingNumber,
    title: form.document.title,
    verificationCode: code,
    issuedAt: now,
    validUntil,
    sha256: createHash('sha256').update(pdf).digest('hex'),
    size: pdf.length,
    sealCertificateSha256: seal.fingerprint,
    timestamped,
    padesLevel: longTerm.level,
    ltvPending: longTerm.pending,
    ltvError: longTerm.error,
    archiveUntil: longTerm.archiveUntil,
    revokedAt: null,
    revokedBy: null,
    revocationReason: null,
    supersededBy: null,
    createdAt: now,
  };
  await storeIssued(deps, trx, { record, pdf, app, form }, now);
  return record;
}

/** What issuance starts from: the approved application, its form, its agency and the agency's seal. */
async function loadForIssue(deps: Deps, trx: Knex.Transaction, applicationId: string): Promise<{ app: ApplicationRecord; form: FormDefinition; agency: AgencyRow; seal: SealKey }> {
  const app = await applications.get(trx, applicationId);
  if (!app) throw new HttpError(404, 'application-not-found', 'There is no such application');
  if (app.status !== 'approved') {
    throw new HttpError(409, 'not-approved', 'Only an approved application is issued', { detail: `It is ${app.status}` });
  }
  const form: FormDefinition | undefined = deps.forms.get(app.formId, app.formVersion);
  if (!form) throw new Error(`issuance: no definition of form "${app.formId}" version ${app.formVersion}`);
  const agency = await agencies.get(trx, app.agencyId);
  if (!agency) throw new Error(`issuance: no agency "${app.agencyId}"`);
  try {
    return { app, form, agency, seal: await deps.keys.seal(app.agencyId) };
  } catch (err) {
    if (err instanceof KeyError) throw new HttpError(503, 'seal-unavailable', 'The agency cannot seal documents now', { detail: err.message });
    throw err;
  }
}

/** The document being issued, as the evidence and the layout both name it. */
interface Issuing {
  app: ApplicationRecord;
  form: FormDefinition;
  agency: AgencyRow;
  code: string;
  url: string;
  issuedAt: number;
  validUntil: number | null;
}

interface Gathered {
  evidence: DocumentEvidence;
  found: FoundSignature[];
  attachments: EvidenceAttachment[];
}

/** The passkey evidence that rides in the PDF (`overa-evidence.json`): the content, its attachments and every signature on it. */
async function gatherEvidence(deps: Deps, trx: Knex.Transaction, doc: Issuing & { id: string }, options: IssueOptions): Promise<Gathered> {
  const { app, form, agency } = doc;
  const digest = await applicationDigest(app);
  const found = await signaturesFor(trx, app, digest, options.decisions);
  const attachmentRows = await uploads.listOwned(trx, app.ownerId, app.attachments);
  const fieldOf = new Map<string, string>();
  for (const f of form.fields) {
    const v = app.data[f.name];
    if (f.type === 'file' && Array.isArray(v)) for (const uploadId of v) fieldOf.set(uploadId, f.name);
  }
  const attachments: EvidenceAttachment[] = app.attachments.flatMap((uploadId) => {
    const u = attachmentRows.find((r) => r.id === uploadId);
    return u ? [{ id: u.id, field: fieldOf.get(u.id) ?? '', sha256: u.sha256, size: u.size, mediaType: u.mediaType, filename: u.filename }] : [];
  });
  const evidenceSignatures: EvidenceSignature[] = found.map((s) => ({
    id: s.record.id,
    role: s.role,
    mandate: s.mandate,
    ...(s.content !== undefined ? { content: s.content } : {}),
    evidence: s.record.evidence,
  }));
  const evidence: DocumentEvidence = {
    v: 1,
    kind: 'overa-evidence',
    // Which service the passkey ceremonies ran on, so a verifier holding only the PDF can check them.
    rp: { id: deps.config.rpId, origins: [...deps.config.origins] },
    document: {
      id: doc.id,
      verificationCode: doc.code,
      verificationUrl: doc.url,
      agencyId: agency.id,
      agencyName: agency.name,
      title: form.document.title,
      formId: app.formId,
      formVersion: app.formVersion,
      trackingNumber: app.trackingNumber,
      issuedAt: iso(doc.issuedAt),
      validUntil: doc.validUntil === null ? null : iso(doc.validUntil),
    },
    application: {
      id: app.id,
      content: { formId: app.formId, formVersion: app.formVersion, data: app.data, attachments: app.attachments },
      contentDigest: digest,
      attachments,
    },
    signatures: evidenceSignatures,
  };
  return { evidence, found, attachments };
}

/** The pages: the form's document template filled with the application, its decisions (their signed comments), its signatures and the seal's description. */
function issuedLayout(doc: Issuing & { seal: SealKey; timestamped: boolean }, gathered: Gathered): ReturnType<typeof documentLayout> {
  const { app, form, agency } = doc;
  const sealCert = describeCertificate(doc.seal.chainDer[0]!);
  return documentLayout({
    form,
    agencyName: agency.name,
    trackingNumber: app.trackingNumber,
    data: app.data,
    attachments: gathered.attachments,
    signatures: gathered.found.map((s): SignatureForLayout => ({
      id: s.record.id,
      signerName: s.record.evidence.signer.displayName,
      signerKind: s.record.evidence.signer.kind,
      role: s.role,
      action: s.record.action,
      signedAt: s.record.evidence.signedAt,
      digest: s.record.digest,
      mandate: s.mandate,
      ...(s.record.subject.type === 'decision' ? { step: s.record.subject.id.slice(app.id.length + 1) } : {}),
      // The comment as the official signed it (the decision content rebuilt from the signature's digest).
      ...(s.content !== undefined ? { comment: (s.content as unknown as DecisionContent).comment } : {}),
    })),
    verificationCode: doc.code,
    verificationUrl: doc.url,
    issuedAt: doc.issuedAt,
    validUntil: doc.validUntil,
    contentDigest: gathered.evidence.application.contentDigest,
    seal: { subject: sealCert.subject, issuer: sealCert.issuer, fingerprint: sealCert.sha256, timestamped: doc.timestamped },
  });
}

/** Draws and seals the PDF (PAdES B-B, or B-T with the configured TSA); a TSA or a seal token that fails is a 503 to retry. */
async function sealPdf(
  deps: Deps, layout: ReturnType<typeof documentLayout>, evidenceBytes: Uint8Array, issuedAt: number, seal: SealKey, agencyName: string, timestamped: boolean,
  sealed?: SealedParts,
): Promise<Uint8Array> {
  try {
    return await renderSealedPdf({
      layout,
      evidence: evidenceBytes,
      issuedAt: new Date(issuedAt),
      seal,
      appearance: { fieldName: 'Overa seal', name: agencyName, reason: 'Izdavanje elektronskog dokumenta / Издавање електронског документа' },
      cms: { tsaUrl: timestamped ? deps.config.tsaUrl : undefined, ...(sealed ? { sealed } : {}) },
    });
  } catch (err) {
    // A token that stopped signing (removed, logged out, refusing): nothing is stored, the caller's transaction rolls back.
    if (err instanceof KeyError) throw new HttpError(503, 'seal-unavailable', 'The agency cannot seal documents now', { detail: err.message });
    if (err instanceof SealError && (err.code === 'tsa-unavailable' || err.code === 'tsa-refused')) {
      throw new HttpError(503, 'timestamp-unavailable', 'The time-stamping authority did not answer; try again', {
        detail: err.message, retryAfter: 30,
      });
    }
    throw err;
  }
}

/** Stores the sealed document, makes the application `issued`, audits it and sends it to the agencies the form names. */
async function storeIssued(
  deps: Deps, trx: Knex.Transaction, issued: { record: DocumentRecord; pdf: Uint8Array; app: ApplicationRecord; form: FormDefinition }, now: number,
): Promise<void> {
  const { record, pdf, app, form } = issued;
  await documents.insert(trx, record, pdf);
  if (!(await applications.update(trx, app.id, app.version, { status: 'issued', updatedAt: now }))) {
    throw new HttpError(409, 'conflict', 'The application was changed at the same time', { detail: 'Load it again and retry' });
  }
  await appendAudit(trx, {
    actor: null,
    action: 'document.issued',
    subject: { type: 'application', id: app.id },
    data: {
      documentId: record.id, sha256: record.sha256, sealCertificate: record.sealCertificateSha256, timestamped: record.timestamped,
      level: record.padesLevel,
      // Never silent: a level left for the archive job is in the audit log with its reason.
      ...(record.ltvPending ? { ltvPending: true, ltvError: record.ltvError ?? '' } : {}),
    },
  }, now);
  await webhookEvent(deps, trx, 'document.issued', [record.agencyId], {
    documentId: record.id, applicationId: app.id, trackingNumber: record.trackingNumber, status: 'valid',
  });
  // The applicant's e-mail (services/mail.ts): the verification code, never the document.
  await notifyApplicant(deps, trx, app.ownerId, { kind: 'issued', applicationId: app.id, trackingNumber: record.trackingNumber, verificationCode: record.verificationCode });
  // To the agencies the form names (services/distribution.ts), in the same transaction.
  await distributeOnIssue(deps, trx, record, form, now);
}

// ---------------------------------------------------------------------------------------------
// Reading and revoking

function statusOf(d: DocumentRecord): DocumentStatus {
  return d.supersededBy !== null ? 'superseded' : d.revokedAt !== null ? 'revoked' : 'valid';
}

export function documentView(deps: Deps, d: DocumentRecord): DocumentView {
  return {
    id: d.id,
    applicationId: d.applicationId,
    trackingNumber: d.trackingNumber,
    agencyId: d.agencyId,
    formId: d.formId,
    formVersion: d.formVersion,
    title: d.title,
    status: statusOf(d),
    verificationCode: d.verificationCode,
    verificationUrl: verificationUrl(deps, d.verificationCode),
    issuedAt: iso(d.issuedAt),
    validUntil: d.validUntil === null ? null : iso(d.validUntil),
    sha256: d.sha256,
    size: d.size,
    seal: {
      certificateSha256: d.sealCertificateSha256, timestamped: d.timestamped, level: d.padesLevel, ltvPending: d.ltvPending,
      archiveUntil: d.archiveUntil === null ? null : iso(d.archiveUntil),
    },
    revocation: d.revokedAt === null ? null : { at: iso(d.revokedAt), reason: d.revocationReason ?? '', supersededBy: d.supersededBy },
  };
}

function notFound(): HttpError {
  // The same answer whether it does not exist or is somebody else's: nothing leaks.
  return new HttpError(404, 'document-not-found', 'There is no such document');
}

/** The owner; officials and admins of the issuing agency; officials of agencies it was distributed to. */
async function maySee(conn: Conn, user: User, d: DocumentRecord): Promise<boolean> {
  if (d.ownerId === user.id) return true;
  if (user.kind === 'citizen' || !user.agencyId) return false;
  if (user.agencyId === d.agencyId) return true;
  return (await documents.recipientAgencies(conn, d.id)).includes(user.agencyId);
}

async function visible(conn: Conn, user: User, id: string): Promise<DocumentRecord> {
  const d = id.length <= 64 ? await documents.get(conn, id) : undefined;
  if (!d || !(await maySee(conn, user, d))) throw notFound();
  return d;
}

/** The document with its recipients and history, as `user` may see them (services/distribution.ts). */
async function documentDetails(deps: Deps, conn: Conn, user: User, d: DocumentRecord): Promise<DocumentDetails> {
  return { ...documentView(deps, d), recipients: await recipientsView(conn, user, d), history: await documentHistory(conn, user, d) };
}

export async function getDocument(deps: Deps, user: User, id: string): Promise<DocumentDetails> {
  return documentDetails(deps, deps.db, user, await visible(deps.db, user, id));
}

/**
 * Sends an issued document to other agencies (`POST documents/:id/distribute`): officials and
 * admins of the issuing agency; others who may see it get 403. Each id must be a known agency,
 * not the issuing one, not sent already (400 on `agencyIds[i]`); a revoked document is not
 * sent (409 `document-revoked`). Audit: `document.sent` per agency.
 */
export async function distributeDocument(deps: Deps, trx: Knex.Transaction, user: User, id: string, agencyIds: readonly string[]): Promise<DocumentDetails> {
  const d = await visible(trx, user, id);
  if (user.kind === 'citizen' || user.agencyId !== d.agencyId) {
    throw new HttpError(403, 'not-allowed', 'You may not distribute this document', { detail: 'Officials of the issuing agency distribute its documents' });
  }
  if (d.revokedAt !== null) {
    throw new HttpError(409, 'document-revoked', 'A revoked document is not distributed', { detail: `Revoked at ${iso(d.revokedAt)}` });
  }
  const ids = await checkRecipients(trx, d, agencyIds);
  await sendDocumentAnywhere(deps, trx, d, ids, user.id, deps.now());
  return documentDetails(deps, trx, user, d);
}

export async function getDocumentPdf(deps: Deps, user: User, id: string): Promise<{ document: DocumentRecord; pdf: Buffer }> {
  const document = await visible(deps.db, user, id);
  const pdf = await documents.pdf(deps.db, id);
  if (!pdf) throw notFound();
  return { document, pdf };
}

/**
 * Who may revoke: admins of the issuing agency, and its officials who may give the form's
 * final approval (the approve step's role, or the person it names).
 */
function mayRevoke(user: User, d: DocumentRecord, form: FormDefinition | undefined): boolean {
  if (user.kind === 'citizen' || user.agencyId !== d.agencyId) return false;
  if (user.kind === 'admin') return true;
  const approve = form?.approvalLine.find((s) => s.kind === 'approve');
  if (!approve) return false;
  const a = approve.assignee;
  if ('userId' in a) return a.userId === user.id;
  return (a.agencyId === undefined || a.agencyId === d.agencyId) && user.roles.includes(a.role);
}

/**
 * Revokes a document, with a reason; `supersededBy` names the document that replaces it (of
 * the same agency, valid). Once only: a revoked document is a 409. Audit: `document.revoked`.
 */
export async function revokeDocument(
  deps: Deps, trx: Knex.Transaction, user: User, id: string,
  input: { reason: string; supersededBy?: string | undefined },
): Promise<DocumentView> {
  const d = await visible(trx, user, id);
  const form = deps.forms.get(d.formId, d.formVersion);
  if (!mayRevoke(user, d, form)) {
    throw new HttpError(403, 'not-allowed', 'You may not revoke this document', {
      detail: 'Admins of the issuing agency and the officials who may approve its form revoke documents',
    });
  }
  if (d.revokedAt !== null) throw new HttpError(409, 'already-revoked', 'The document is already revoked', { detail: `Revoked at ${iso(d.revokedAt)}` });
  let supersededBy: string | null = null;
  if (input.supersededBy !== undefined) {
    const next = await documents.get(trx, input.supersededBy);
    if (!next || next.agencyId !== d.agencyId) throw invalidField('supersededBy', 'unknown', 'There is no such document of this agency');
    if (next.id === d.id) throw invalidField('supersededBy', 'self', 'A document cannot supersede itself');
    if (next.revokedAt !== null) throw invalidField('supersededBy', 'revoked', 'The superseding document is itself revoked');
    supersededBy = next.id;
  }
  const now = deps.now();
  if (!(await documents.revoke(trx, d.id, { at: now, by: user.id, reason: input.reason, supersededBy }))) {
    throw new HttpError(409, 'already-revoked', 'The document is already revoked');
  }
  await appendAudit(trx, {
    actor: user.id,
    action: 'document.revoked',
    subject: { type: 'application', id: d.applicationId },
    data: { documentId: d.id, reason: input.reason, supersededBy },
  }, now);
  // Partner agencies on other servers that got it are told, in this transaction (issue 19).
  await revokeAtPartners(deps, trx, d, input.reason, user.id, now);
  // Ids and states: the reason stays in the document's history, for those who may read it.
  await webhookEvent(deps, trx, 'document.revoked', [d.agencyId], {
    documentId: d.id, applicationId: d.applicationId, trackingNumber: d.trackingNumber, status: supersededBy === null ? 'revoked' : 'superseded', supersededBy,
  });
  return documentView(deps, { ...d, revokedAt: now, revokedBy: user.id, revocationReason: input.reason, supersededBy });
}
