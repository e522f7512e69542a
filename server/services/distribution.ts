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
import { receptionDigest, receptionRejectionDigest } from '../../components/core/signing/reception.ts';
import type { User } from '../../components/core/user.ts';
import { agencies } from '../db/agencies.ts';
import { auditLog } from '../db/audit-log.ts';
import type { Conn } from '../db/connection.ts';
import { documentRecipients, type ReceptionRow } from '../db/document-recipients.ts';
import { documents, type DocumentRecord } from '../db/documents.ts';
import { users } from '../db/users.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { HttpError, invalidField } from '../http-error.ts';
import { appendAudit } from './audit.ts';
import { webhookEvent } from './webhooks.ts';
import type { Deps } from './deps.ts';
import { claimSignature } from './signature-claims.ts';
import { decideReceived, isPartner, partnerRecipients, partnersSentTo, receivedItem, sendToPartners } from './exchange.ts';
import { receivedDocuments, type ReceivedDocumentRecord } from '../db/received-documents.ts';

export const RECEPTION_STATUSES: readonly ReceptionStatus[] = ['pending', 'accepted', 'rejected'];

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
 * names — local ones to their reception here, partner agencies on other servers as signed
 * exchange messages through the outbox (services/exchange.ts). The form's own agency and
 * agencies this server does not know are skipped (an official can distribute to them later),
 * so a form file never blocks an approval.
 */
export async function distributeOnIssue(
  deps: Pick<Deps, 'events' | 'now' | 'keys' | 'config' | 'exchangeSignatures'>, trx: Knex.Transaction, document: DocumentRecord, form: FormDefinition, now: number,
): Promise<string[]> {
  const wanted = [...new Set(form.distribution?.agencies ?? [])].filter((id) => id !== document.agencyId);
  const known: string[] = [];
  const remote: string[] = [];
  for (const id of wanted) {
    if (await agencies.get(trx, id)) known.push(id);
    else if (await isPartner(trx, id)) remote.push(id);
  }
  await sendDocument(deps, trx, document, known, null, now, 'distribution.agencies');
  await sendToPartners(deps, trx, document, remote, null, now, 'distribution.agencies');
  return [...known, ...remote];
}

/** Sends `document` to checked ids (checkRecipients): local agencies' receptions here, partners by exchange. */
export async function sendDocumentAnywhere(
  deps: Pick<Deps, 'events' | 'now' | 'keys' | 'config' | 'exchangeSignatures'>, trx: Knex.Transaction, document: DocumentRecord, ids: readonly string[], actor: string | null, now: number,
): Promise<void> {
  const local: string[] = [];
  const remote: string[] = [];
  for (const id of ids) ((await agencies.get(trx, id)) ? local : remote).push(id);
  await sendDocument(deps, trx, document, local, actor, now);
  await sendToPartners(deps, trx, document, remote, actor, now);
}

/**
 * The checks of a manual distribution, in order: every id a known agency (`unknown`), not the
 * issuing agency (`own-agency`), not sent already (`already-sent`); each a 400 on
 * `agencyIds[i]`. Returns the ids, duplicates removed.
 */
export async function checkRecipients(conn: Conn, document: DocumentRecord, agencyIds: readonly string[]): Promise<string[]> {
  const already = new Set([...(await documentRecipients.agenciesOf(conn, document.id)), ...(await partnersSentTo(conn, document.id))]);
  const out: string[] = [];
  for (const [i, id] of agencyIds.entries()) {
    const field = `agencyIds[${i}]`;
    // A local agency, or a partner agency on another server (issue 19).
    if (!(await agencies.get(conn, id)) && !(await isPartner(conn, id))) throw invalidField(field, 'unknown', `There is no agency "${id}"`);
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
  const issuing = isIssuingSide(user, d);
  const shown = issuing ? all : all.filter((r) => user.kind !== 'citizen' && r.agencyId === user.agencyId);
  const local: DocumentRecipientView[] = shown.map((r) => ({
    agencyId: r.agencyId,
    agencyName: r.agencyName,
    status: r.status,
    sentAt: iso(r.sentAt),
    acceptedAt: r.acceptedAt === null ? null : iso(r.acceptedAt),
    signatureId: r.signatureId,
  }));
  // Partner agencies on other servers, with the delivery of the signed message (issuing side only).
  return issuing ? [...local, ...(await partnerRecipients(conn, d.id))] : local;
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

/**
 * `GET reception`: the documents sent to the official's agency — by agencies of this server and
 * by partner agencies on others (issue 19) — newest first, keyset-paged over both: each table
 * gives its next `limit + 1` rows after the cursor, in the same order, and the merge keeps the first.
 */
export async function listReception(deps: Deps, user: User, query: ReceptionQuery): Promise<Page<ReceptionItem>> {
  const agencyId = forOfficials(user);
  let after: { sentAt: number; id: string } | undefined;
  if (query.cursor !== undefined) {
    const [sentAt, id] = decodeCursor(query.cursor, ['integer', 'id']);
    after = { sentAt, id };
  }
  const [local, remote] = await Promise.all([
    // Local receptions are never rejected.
    query.status === 'rejected' ? Promise.resolve([]) : documentRecipients.page(deps.db, { agencyId, status: query.status, after, limit: query.limit + 1 }),
    receivedDocuments.page(deps.db, { agencyId, status: query.status, after, limit: query.limit + 1 }),
  ]);
  const rows = [
    ...local.map((r) => ({ at: r.sentAt, id: r.id, item: () => receptionItem(r) })),
    ...remote.map((r) => ({ at: r.receivedAt, id: r.id, item: () => receivedItem(r) })),
  ].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => r.item()),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.at, last.id]) : null,
  };
}

/**
 * What a reception signature is about: the reception and its document — a local one, or a
 * partner's document received from another server (`received`).
 */
export interface ReceptionSubject {
  reception: { id: string; agencyId: string; status: ReceptionStatus };
  document: { id: string; sha256: string };
  received?: ReceivedDocumentRecord;
}

/**
 * The reception as `user` may see it for signing and for reading its signature: officials of
 * the receiving agency, the issuing side (officials of the issuing agency, the applicant).
 * Undefined for anyone else and for an unknown id, alike. A partner's document: officials of
 * the receiving agency only (the issuing side is on its own server).
 */
export async function loadReceptionSubject(conn: Conn, user: User, id: string): Promise<ReceptionSubject | undefined> {
  if (id.length > 64) return undefined;
  const reception = await documentRecipients.get(conn, id);
  if (!reception) {
    const rd = await receivedDocuments.get(conn, id);
    if (!rd || user.kind === 'citizen' || user.agencyId !== rd.agencyId) return undefined;
    return { reception: { id: rd.id, agencyId: rd.agencyId, status: rd.status }, document: { id: rd.documentId, sha256: rd.sha256 }, received: rd };
  }
  const document = await documents.get(conn, reception.documentId);
  if (!document) return undefined;
  const receiving = user.kind !== 'citizen' && user.agencyId === reception.agencyId;
  return receiving || isIssuingSide(user, document) ? { reception, document } : undefined;
}

/** Only an official of the receiving agency acknowledges receipt (or rejects a partner's document), once. */
export function maySignReception(user: User, s: ReceptionSubject, action: string): true | string {
  if (action !== 'accept' && action !== 'reject') return `${action} is not an action on a reception`;
  if (action === 'reject' && !s.received) return 'Only a document from a partner agency on another server is rejected';
  if (user.kind === 'citizen' || user.agencyId !== s.reception.agencyId) return 'Only officials of the receiving agency acknowledge receipt';
  if (s.reception.status !== 'pending') return 'The receipt of this document was already acknowledged';
  return true;
}

/**
 * What the acknowledgement covers: the document's id, its PDF's SHA-256 and the receiving
 * agency; a rejection also the reason (`context.reason`).
 */
export function receptionSubjectDigest(s: ReceptionSubject, action = 'accept', reason = ''): Promise<string> {
  const content = { documentId: s.document.id, documentSha256: s.document.sha256, agencyId: s.reception.agencyId };
  return action === 'reject' ? receptionRejectionDigest(content, reason) : receptionDigest(content);
}

/** The most a rejection's reason may hold. */
export const MAX_REJECTION_REASON = 2000;

/**
 * A partner's document accepted or rejected by an official of the receiving agency, with a
 * passkey signature on the reception (action `accept` / `reject`): recorded, and the signed
 * answer queued to the partner (services/exchange.ts) in the same transaction.
 */
async function decidePartnerReception(
  deps: Deps, trx: Knex.Transaction, user: User, rd: ReceivedDocumentRecord, action: 'accept' | 'reject', signatureId: string, reason: string,
): Promise<ReceptionItem> {
  const already = () => new HttpError(409, 'already-accepted', 'The receipt of this document was already acknowledged', {
    detail: rd.decidedAt === null ? undefined : `${rd.status} at ${iso(rd.decidedAt)}`,
  });
  if (rd.status !== 'pending') throw already();
  const now = deps.now();
  const subject: ReceptionSubject = { reception: { id: rd.id, agencyId: rd.agencyId, status: rd.status }, document: { id: rd.documentId, sha256: rd.sha256 }, received: rd };
  const digest = await receptionSubjectDigest(subject, action, reason);
  await claimSignature(trx, { id: signatureId, user, subject: { type: 'reception', id: rd.id }, action, digest }, now);
  const decided = await decideReceived(deps, trx, rd, { status: action === 'accept' ? 'accepted' : 'rejected', by: user.id, signatureId, reason: action === 'reject' ? reason : null }, now);
  if (!decided) throw already();
  return receivedItem((await receivedDocuments.row(trx, rd.id))!);
}

/**
 * `POST reception/:id/reject {signatureId, reason}`: an official of the receiving agency refuses
 * a partner's document, signing action `reject` with the reason in the signature's context.
 * 404 for a local reception (those are acknowledged, not refused) and for another agency's.
 */
export async function rejectReception(deps: Deps, trx: Knex.Transaction, user: User, id: string, signatureId: string, reason: string): Promise<ReceptionItem> {
  const agencyId = forOfficials(user);
  const rd = id.length <= 64 ? await receivedDocuments.get(trx, id) : undefined;
  if (!rd || rd.agencyId !== agencyId) throw receptionNotFound();
  return decidePartnerReception(deps, trx, user, rd, 'reject', signatureId, reason);
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
  if (!reception) {
    // A partner's document from another server (issue 19).
    const rd = id.length <= 64 ? await receivedDocuments.get(trx, id) : undefined;
    if (rd && rd.agencyId === agencyId) return decidePartnerReception(deps, trx, user, rd, 'accept', signatureId, '');
  }
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
