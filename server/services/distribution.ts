/**
 * Distribution between agencies (issue 6, item 5). An issued document is sent to other
 * agencies — automatically on issuance to those its form names (`distribution.agencies`), or
 * later by an official of the issuing agency (`POST documents/:id/distribute`). Each send is a
 * *reception* (a `document_recipients` row) in the receiving agency's inbox (`GET reception`),
 * which lets that agency's officials read the document and its PDF; one of them acknowledges
 * receipt with a passkey signature (subject `reception`, action `accept`). Both sides see the
 * sending (`document.sent`) and the receipt (`document.received`) in the document's history.
 *
 * The routes that act on a document (distribute, read) live in services/documents.ts, which
 * calls this module; this one never imports it.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type {
  DocumentHistoryEntry, DocumentRecipientView, Page, ReceptionItem, ReceptionStatus,
} from '../../components/core/api.ts';
import type { DocumentStatus } from '../../components/core/documents.ts';
import type { FormDefinition } from '../../components/core/forms/definition.ts';
import { receptionDigest } from '../../components/core/signing/reception.ts';
import type { User } from '../../components/core/user.ts';
import { agencies } from '../db/agencies.ts';
import { auditLog } from '../db/audit-log.ts';
import type { Conn } from '../db/connection.ts';
import { documentRecipients, type ReceptionRow, type RecipientRecord } from '../db/document-recipients.ts';
import { documents, type DocumentRecord } from '../db/documents.ts';
import { users } from '../db/users.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { HttpError, invalidField } from '../http-error.ts';
import { appendAudit } from './audit.ts';
import { webhookEvent } from './webhooks.ts';
import type { Deps } from './deps.ts';
import { claimSignature } from './signature-claims.ts';

export const RECEPTION_STATUSES: readonly ReceptionStatus[] = ['pending', 'accepted'];

/** The most agencies one `POST documents/:id/distribute` names (and a form's `distribution`). */
export const MAX_DISTRIBUTE = 50;

const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------
// Sending

/**
 * Sends `document` to `agencyIds` in the caller's transaction: one pending reception each, and
 * `document.sent` (subject: the document; data: `agencyId`) per agency, by `actor` (null: on
 * issuance). The caller has checked the ids; an agency that got the document meanwhile (a
 * concurrent send) makes the whole send a 400 on `field`, so nothing is sent twice. Each
 * receiving agency's open inboxes hear `document-received` when the transaction commits.
 */
export async function sendDocument(
  deps: Pick<Deps, 'events' | 'now'>, trx: Knex.Transaction, document: DocumentRecord, agencyIds: readonly string[], actor: string | null, now: number,
  field = 'agencyIds',
): Promise<void> {
  const rows = agencyIds.map((agencyId) => ({ id: randomUUID(), documentId: document.id, agencyId, sentAt: now, sentBy: actor }));
  const inserted = new Set(await documentRecipients.insertPending(trx, rows));
  const lost = rows.findIndex((r) => !inserted.has(r.id));
  if (lost >= 0) throw invalidField(`${field}[${lost}]`, 'already-sent', `The document was already sent to "${rows[lost]!.agencyId}"`);
  for (const r of rows) {
    await appendAudit(trx, { actor, action: 'document.sent', subject: { type: 'document', id: document.id }, data: { agencyId: r.agencyId } }, now);
    await deps.events.publish(trx, {
      type: 'document-received',
      agencies: [r.agencyId],
      data: { id: r.id, documentId: document.id, trackingNumber: document.trackingNumber },
    });
    // The sender's systems hear `distributed`, the receiver's `received` (here the same moment).
    const data = { documentId: document.id, receptionId: r.id, issuingAgencyId: document.agencyId, agencyId: r.agencyId, status: 'pending' };
    await webhookEvent(deps, trx, 'document.distributed', [document.agencyId], data);
    await webhookEvent(deps, trx, 'document.received', [r.agencyId], data);
  }
}

/**
 * On issuance (issueDocument, same transaction): sends the document to the agencies its form
 * names. The form's own agency and agencies this server does not know are skipped (an official
 * can distribute to them later), so a form file never blocks an approval.
 */
export async function distributeOnIssue(
  deps: Pick<Deps, 'events' | 'now'>, trx: Knex.Transaction, document: DocumentRecord, form: FormDefinition, now: number,
): Promise<string[]> {
  const wanted = [...new Set(form.distribution?.agencies ?? [])].filter((id) => id !== document.agencyId);
  const known: string[] = [];
  for (const id of wanted) if (await agencies.get(trx, id)) known.push(id);
  await sendDocument(deps, trx, document, known, null, now, 'distribution.agencies');
  return known;
}

/**
 * The checks of a manual distribution, in order: every id a known agency (`unknown`), not the
 * issuing agency (`own-agency`), not sent already (`already-sent`); each a 400 on
 * `agencyIds[i]`. Returns the ids, duplicates removed.
 */
export async function checkRecipients(conn: Conn, document: DocumentRecord, agencyIds: readonly string[]): Promise<string[]> {
  const already = new Set(await documentRecipients.agenciesOf(conn, document.id));
  const out: string[] = [];
  for (const [i, id] of agencyIds.entries()) {
    const field = `agencyIds[${i}]`;
    if (!(await agencies.get(conn, id))) throw invalidField(field, 'unknown', `There is no agency "${id}"`);
    if (id === document.agencyId) throw invalidField(field, 'own-agency', 'A document is distributed to other agencies, not to its own');
    if (already.has(id)) throw invalidField(field, 'already-sent', `The document was already sent to "${id}"`);
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The document's side: recipients and history

/** The applicant, and officials and admins of the issuing agency: they see every recipient. */
function isIssuingSide(user: User, d: DocumentRecord): boolean {
  return d.ownerId === user.id || (user.kind !== 'citizen' && user.agencyId === d.agencyId);
}

/** The recipients `user` may see: all of them for the issuing side, a receiving agency's own only. */
export async function recipientsView(conn: Conn, user: User, d: DocumentRecord): Promise<DocumentRecipientView[]> {
  const all = await documentRecipients.forDocument(conn, d.id);
  const shown = isIssuingSide(user, d) ? all : all.filter((r) => user.kind !== 'citizen' && r.agencyId === user.agencyId);
  return shown.map((r) => ({
    agencyId: r.agencyId,
    agencyName: r.agencyName,
    status: r.status,
    sentAt: iso(r.sentAt),
    acceptedAt: r.acceptedAt === null ? null : iso(r.acceptedAt),
    signatureId: r.signatureId,
  }));
}

const ABOUT_DOCUMENT = new Set(['document.issued', 'document.revoked']);

/**
 * The document's history from the audit log, oldest first: its issuance and revocation (entries
 * about the application that name this document) and its sending and receipt (entries about the
 * document). A receiving agency sees only its own sending and receipt.
 */
export async function documentHistory(conn: Conn, user: User, d: DocumentRecord): Promise<DocumentHistoryEntry[]> {
  // In a transaction too (the answer of a distribution): on SQLite a second connection would wait for it.
  const issuing = isIssuingSide(user, d);
  const entries = [
    ...(await auditLog.forSubject(conn, 'application', d.applicationId)).filter((e) => ABOUT_DOCUMENT.has(e.action)),
    ...(await auditLog.forSubject(conn, 'document', d.id)),
  ]
    .map((e) => ({ seq: e.seq, at: e.at, action: e.action, actor: e.actor, data: JSON.parse(e.data) as Record<string, unknown> }))
    .filter((e) => (ABOUT_DOCUMENT.has(e.action) ? e.data.documentId === d.id : issuing || e.data.agencyId === user.agencyId))
    .sort((a, b) => a.seq - b.seq);
  const names = new Map((await users.getMany(conn, entries.flatMap((e) => (e.actor ? [e.actor] : [])))).map((u) => [u.id, u.displayName]));
  return entries.map((e) => ({ at: iso(e.at), action: e.action, actor: e.actor, actorName: e.actor ? names.get(e.actor) ?? null : null, data: e.data }));
}

// ---------------------------------------------------------------------------------------------
// The receiving agency's side: the reception inbox and acknowledging receipt

function forOfficials(user: User): string {
  if (user.kind === 'citizen' || user.agencyId === undefined) {
    throw new HttpError(403, 'not-allowed', 'The reception inbox is for officials', {
      detail: 'Documents issued to you are listed with your applications',
    });
  }
  return user.agencyId;
}

function receptionNotFound(): HttpError {
  // The same whether it does not exist or was sent to another agency.
  return new HttpError(404, 'reception-not-found', 'There is no such reception');
}

function documentStatusOf(d: { revokedAt: number | null; supersededBy: string | null }): DocumentStatus {
  return d.supersededBy !== null ? 'superseded' : d.revokedAt !== null ? 'revoked' : 'valid';
}

function receptionItem(r: ReceptionRow): ReceptionItem {
  return {
    id: r.id,
    documentId: r.documentId,
    title: r.document.title,
    issuingAgency: { id: r.document.issuingAgencyId, name: r.document.issuingAgencyName },
    trackingNumber: r.document.trackingNumber,
    documentStatus: documentStatusOf(r.document),
    sentAt: iso(r.sentAt),
    status: r.status,
    acceptedAt: r.acceptedAt === null ? null : iso(r.acceptedAt),
    acceptedBy: r.acceptedBy === null ? null : { id: r.acceptedBy, displayName: r.acceptedByName ?? '' },
    signatureId: r.signatureId,
  };
}

export interface ReceptionQuery {
  status?: ReceptionStatus | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** `GET reception`: the documents sent to the official's agency, newest first, keyset-paged. */
export async function listReception(deps: Deps, user: User, query: ReceptionQuery): Promise<Page<ReceptionItem>> {
  const agencyId = forOfficials(user);
  let after: { sentAt: number; id: string } | undefined;
  if (query.cursor !== undefined) {
    const [sentAt, id] = decodeCursor(query.cursor, ['integer', 'id']);
    after = { sentAt, id };
  }
  const rows = await documentRecipients.page(deps.db, { agencyId, status: query.status, after, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(receptionItem),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.sentAt, last.id]) : null,
  };
}

/** What a reception signature is about: the reception and its document. */
export interface ReceptionSubject {
  reception: RecipientRecord;
  document: DocumentRecord;
}

/**
 * The reception as `user` may see it for signing and for reading its signature: officials of
 * the receiving agency, the issuing side (officials of the issuing agency, the applicant).
 * Undefined for anyone else and for an unknown id, alike.
 */
export async function loadReceptionSubject(conn: Conn, user: User, id: string): Promise<ReceptionSubject | undefined> {
  if (id.length > 64) return undefined;
  const reception = await documentRecipients.get(conn, id);
  if (!reception) return undefined;
  const document = await documents.get(conn, reception.documentId);
  if (!document) return undefined;
  const receiving = user.kind !== 'citizen' && user.agencyId === reception.agencyId;
  return receiving || isIssuingSide(user, document) ? { reception, document } : undefined;
}

/** Only an official of the receiving agency acknowledges receipt, once. */
export function maySignReception(user: User, s: ReceptionSubject, action: string): true | string {
  if (action !== 'accept') return `${action} is not an action on a reception`;
  if (user.kind === 'citizen' || user.agencyId !== s.reception.agencyId) return 'Only officials of the receiving agency acknowledge receipt';
  if (s.reception.status !== 'pending') return 'The receipt of this document was already acknowledged';
  return true;
}

/** What the acknowledgement covers: the document's id, its PDF's SHA-256 and the receiving agency. */
export function receptionSubjectDigest(s: ReceptionSubject): Promise<string> {
  return receptionDigest({ documentId: s.document.id, documentSha256: s.document.sha256, agencyId: s.reception.agencyId });
}

/**
 * `POST reception/:id/accept {signatureId}`: an official of the receiving agency acknowledges
 * receipt with their signature on the reception. 403 for citizens, 404 for a reception of
 * another agency, 409 when already accepted, 400 on `signatureId` for a signature that is not
 * theirs, not for this reception, over another PDF or already used. Audit: `document.received`
 * (subject: the document; data: `agencyId`, `signatureId`), in the same transaction.
 */
export async function acceptReception(deps: Deps, trx: Knex.Transaction, user: User, id: string, signatureId: string): Promise<ReceptionItem> {
  const agencyId = forOfficials(user);
  const reception = id.length <= 64 ? await documentRecipients.get(trx, id) : undefined;
  if (!reception || reception.agencyId !== agencyId) throw receptionNotFound();
  const alreadyAccepted = () => new HttpError(409, 'already-accepted', 'The receipt of this document was already acknowledged', {
    detail: reception.acceptedAt === null ? undefined : `Acknowledged at ${iso(reception.acceptedAt)}`,
  });
  if (reception.status !== 'pending') throw alreadyAccepted();
  const document = await documents.get(trx, reception.documentId);
  if (!document) throw receptionNotFound();
  const now = deps.now();
  const digest = await receptionSubjectDigest({ reception, document });
  await claimSignature(trx, { id: signatureId, user, subject: { type: 'reception', id }, action: 'accept', digest }, now);
  if (!(await documentRecipients.accept(trx, id, { at: now, by: user.id, signatureId }))) throw alreadyAccepted();
  await appendAudit(trx, {
    actor: user.id,
    action: 'document.received',
    subject: { type: 'document', id: document.id },
    data: { agencyId, signatureId },
  }, now);
  await webhookEvent(deps, trx, 'document.accepted', [document.agencyId, agencyId], {
    documentId: document.id, receptionId: id, issuingAgencyId: document.agencyId, agencyId, status: 'accepted',
  });
  const row = await documentRecipients.receptionRow(trx, id);
  return receptionItem(row!);
}
