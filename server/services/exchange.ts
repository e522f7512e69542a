/**
 * Agency-to-agency exchange across Overa servers (issue 19, docs/exchange.md).
 *
 * Sending: every message — a document to a partner agency, an acceptance or rejection of a
 * partner's document, a revocation — is built, signed with the local agency's seal and written
 * (`exchange_messages`, `exchange_parts`) together with its outbox row in the transaction of the
 * event that causes it. The outbox worker hands it to `exchangeHandler`, which POSTs it to the
 * partner and keeps the partner's signed receipt as proof of delivery; failures are retried with
 * the outbox's backoff, the same bytes and the same message id every time.
 *
 * Receiving (`receiveMessage`, `POST /exchange/messages`): only a partner of the directory whose
 * pinned seal verifies the envelope's signature is heard; every part's hash is checked; a
 * message id already taken is answered with the receipt given the first time and nothing is
 * stored again (exactly once in effect). The receipt is signed by the receiving agency's seal.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Knex } from 'knex';
import type { DocumentRecipientView, ReceptionItem } from '../../components/core/api.ts';
import { canonicalJson, type JsonValue } from '../../components/core/canonical-json.ts';
import {
  EXCHANGE_PROTOCOL, MAX_EXCHANGE_PARTS, readEnvelope, type EnvelopePart, type ExchangeEnvelope, type ExchangeReceipt, type ExchangeResponse, type ExchangeType,
} from '../../components/core/exchange.ts';
import type { LocalizedText } from '../../components/core/forms/definition.ts';
import type { User } from '../../components/core/user.ts';
import { agencies } from '../db/agencies.ts';
import type { Conn } from '../db/connection.ts';
import { exchangeMessages, type ExchangeMessageRecord } from '../db/exchange-messages.ts';
import { exchangeParts, type ExchangePart } from '../db/exchange-parts.ts';
import { outbox, type OutboxMessage } from '../db/outbox.ts';
import { partners, type PartnerRecord } from '../db/partners.ts';
import { receivedDocuments, type ReceivedDocumentRecord, type ReceivedDocumentRow } from '../db/received-documents.ts';
import type { DocumentRecord } from '../db/documents.ts';
import { documents } from '../db/documents.ts';
import { pinOf, type ExchangeSignatures } from '../documents/exchange-cms.ts';
import { KeyError } from '../documents/keys.ts';
import { readAtMost } from '../documents/read-at-most.ts';
import { HttpError, invalidField } from '../http-error.ts';
import { DEFAULT_HTTP_TIMEOUTS } from '../config.ts';
import { receiveParts } from '../multipart.ts';
import { ByteBudget } from '../byte-budget.ts';
import { refuseUnreadable } from '../request-body.ts';
import { appendAudit } from './audit.ts';
import type { Deps } from './deps.ts';
import { enqueue, outboxSettings, PermanentDeliveryError, type OutboxHandler, type OutboxSettle } from './outbox.ts';

/** Most a partner's answer (a receipt) may weigh. */
const MAX_RECEIPT_BYTES = 256 * 1024;
/** How long one delivery attempt may take (a document of several MB over a slow link). */
export const DEFAULT_EXCHANGE_TIMEOUT_MS = 30_000;
/** The most an inbound message may weigh (JSON with base64 parts). */
export const DEFAULT_EXCHANGE_MAX_BYTES = 32 * 1024 * 1024;
/** Part bytes one worker's exchange deliveries hold in memory at once (a larger message goes alone). */
export const DEFAULT_EXCHANGE_BYTES_IN_FLIGHT = 64 * 1024 * 1024;

const iso = (ms: number) => new Date(ms).toISOString();
const sha256Hex = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** This server's base URL as partners see it (the envelope's `from.server`). */
function ownServer(deps: Pick<Deps, 'config'>): string {
  return deps.config.publicUrl ?? `http://localhost:${deps.config.port}`;
}

/** The partner agencies among `ids` (the rest are local or unknown). */
export async function partnerIdsAmong(conn: Conn, ids: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) if (await partners.get(conn, id)) out.push(id);
  return out;
}

export async function isPartner(conn: Conn, id: string): Promise<boolean> {
  return (await partners.get(conn, id)) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Sending

/** One message to build, sign and queue (`queueExchangeMessage`). */
export interface Outgoing {
  type: ExchangeType;
  localAgencyId: string;
  partnerAgencyId: string;
  document: { id: string; title: LocalizedText; documentType: string; trackingNumber: string; issuedAt: number };
  parts: readonly { name: string; contentType: string; data: Buffer }[];
  inReplyTo?: string;
  reason?: string;
}

/**
 * Builds, signs and queues one message in the caller's transaction: the envelope and its
 * signature are fixed now, so every attempt sends the same bytes under the same id.
 *
 * The outbox target is the partner and the document: the worker sends the messages of one
 * target one after another in the order they were queued (a revocation never overtakes its
 * document), and those about different documents side by side.
 */
export async function queueExchangeMessage(deps: Pick<Deps, 'keys' | 'config' | 'exchangeSignatures'>, trx: Knex.Transaction, m: Outgoing, now: number): Promise<string> {
  const local = await agencies.get(trx, m.localAgencyId);
  const messageId = randomUUID();
  const parts: ExchangePart[] = m.parts.map((p) => ({ name: p.name, contentType: p.contentType, data: p.data, sha256: sha256Hex(p.data), size: p.data.length }));
  const envelope: ExchangeEnvelope = {
    protocol: EXCHANGE_PROTOCOL,
    messageId,
    type: m.type,
    from: { agencyId: m.localAgencyId, name: local?.name ?? m.localAgencyId, server: ownServer(deps) },
    to: { agencyId: m.partnerAgencyId },
    documentId: m.document.id,
    title: m.document.title,
    documentType: m.document.documentType,
    trackingNumber: m.document.trackingNumber,
    issuedAt: iso(m.document.issuedAt),
    time: iso(now),
    parts: parts.map((p): EnvelopePart => ({ name: p.name, contentType: p.contentType, sha256: p.sha256, size: p.size })),
    ...(m.inReplyTo === undefined ? {} : { inReplyTo: m.inReplyTo }),
    ...(m.reason === undefined ? {} : { reason: m.reason }),
  };
  const text = canonicalJson(envelope as unknown as JsonValue);
  let signature: Uint8Array;
  try {
    signature = await deps.exchangeSignatures.sign(new TextEncoder().encode(text), await deps.keys.seal(m.localAgencyId));
  } catch (err) {
    if (err instanceof KeyError) throw new HttpError(503, 'seal-unavailable', 'The agency\'s seal cannot sign the exchange message', { detail: err.message });
    throw err;
  }
  await exchangeMessages.insert(trx, {
    id: messageId, direction: 'out', type: m.type, documentId: m.document.id, localAgencyId: m.localAgencyId, partnerAgencyId: m.partnerAgencyId,
    envelope: text, signature: Buffer.from(signature).toString('base64'),
  }, now);
  await exchangeParts.insertMany(trx, messageId, 'out', parts);
  await enqueue(trx, [{ id: messageId, channel: 'exchange', target: `${m.partnerAgencyId}/${m.document.id}`, eventType: `exchange.${m.type}`, payload: JSON.stringify({ messageId }) }], now);
  return messageId;
}

const documentInfo = (d: DocumentRecord) => ({ id: d.id, title: d.title, documentType: d.formId, trackingNumber: d.trackingNumber, issuedAt: d.issuedAt });

/**
 * Sends `document` to partner agencies, in the caller's transaction: one signed `document`
 * message each, with the sealed PDF. Audit `document.sent` (data: agencyId, partner, messageId),
 * as for a local agency, so the document's history says so. A partner that got it already
 * makes it a 400 on `field[i]`.
 */
export async function sendToPartners(
  deps: Pick<Deps, 'keys' | 'config' | 'exchangeSignatures'>, trx: Knex.Transaction, document: DocumentRecord, partnerIds: readonly string[], actor: string | null, now: number, field = 'agencyIds',
): Promise<void> {
  if (partnerIds.length === 0) return;
  const pdf = await documents.pdf(trx, document.id);
  if (!pdf) throw new Error(`document ${document.id} has no PDF`);
  for (const [i, partnerAgencyId] of partnerIds.entries()) {
    if (await exchangeMessages.sentDocument(trx, document.id, partnerAgencyId)) {
      throw invalidField(`${field}[${i}]`, 'already-sent', `The document was already sent to "${partnerAgencyId}"`);
    }
    const messageId = await queueExchangeMessage(deps, trx, {
      type: 'document', localAgencyId: document.agencyId, partnerAgencyId, document: documentInfo(document),
      parts: [{ name: 'document.pdf', contentType: 'application/pdf', data: pdf }],
    }, now);
    await appendAudit(trx, {
      actor, action: 'document.sent', subject: { type: 'document', id: document.id }, data: { agencyId: partnerAgencyId, partner: true, messageId },
    }, now);
  }
}

/** The partners `document` was sent to, for `checkRecipients` (already sent). */
export async function partnersSentTo(conn: Conn, documentId: string): Promise<string[]> {
  return (await exchangeMessages.forDocument(conn, documentId)).filter((m) => m.direction === 'out' && m.type === 'document').map((m) => m.partnerAgencyId);
}

/** On revocation (same transaction): every partner that got the document is told, with the reason. */
export async function revokeAtPartners(deps: Pick<Deps, 'keys' | 'config' | 'exchangeSignatures'>, trx: Knex.Transaction, document: DocumentRecord, reason: string, actor: string, now: number): Promise<void> {
  for (const partnerAgencyId of await partnersSentTo(trx, document.id)) {
    const messageId = await queueExchangeMessage(deps, trx, {
      type: 'revocation', localAgencyId: document.agencyId, partnerAgencyId, document: documentInfo(document), parts: [], reason: reason || '-',
    }, now);
    await appendAudit(trx, {
      actor, action: 'exchange.revocation-sent', subject: { type: 'document', id: document.id }, data: { agencyId: partnerAgencyId, messageId },
    }, now);
  }
}

// ---------------------------------------------------------------------------------------------
// Delivering (the outbox's `exchange` channel)

/** How a message travels (docs/exchange.md): multipart by default, JSON for partners that take only it. */
export type ExchangeEncoding = 'multipart' | 'json';

/**
 * The request body of one message in either encoding. Multipart carries the parts' bytes as
 * they are: no base64, and no part ever becomes a JavaScript string on either side (strings
 * over 128 KB are V8 large objects, each a fresh mapping of memory, and cost more than the
 * rest of a message's handling; docs/decisions.md).
 */
export function exchangeRequest(msg: Pick<ExchangeMessageRecord, 'envelope' | 'signature'>, parts: readonly Pick<ExchangePart, 'name' | 'contentType' | 'data'>[], encoding: ExchangeEncoding): { contentType: string; body: Uint8Array<ArrayBuffer> | string } {
  if (encoding === 'json') {
    return { contentType: 'application/json', body: `{"envelope":${msg.envelope},"signature":${JSON.stringify(msg.signature)},"parts":[${parts.map((p) => `{"name":${JSON.stringify(p.name)},"data":"${p.data.toString('base64')}"}`).join(',')}]}` };
  }
  let boundary = `overa-${randomUUID()}`;
  // A boundary must not occur in what it separates (RFC 2046): with a random one it never
  // does in practice, and this makes never certain.
  while (parts.some((p) => p.data.includes(boundary))) boundary = `overa-${randomUUID()}`;
  const head = (disposition: string, type?: string) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`);
  const crlf = Buffer.from('\r\n');
  const chunks: Buffer[] = [
    head('name="envelope"', 'application/json'), Buffer.from(msg.envelope), crlf,
    head('name="signature"'), Buffer.from(msg.signature), crlf,
  ];
  for (const p of parts) chunks.push(head(`name="${EXCHANGE_FILE_FIELD}"; ${fileNameParam(p.name)}`, p.contentType), p.data, crlf);
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

/** The form field name of every part's bytes in the multipart encoding. */
const EXCHANGE_FILE_FIELD = 'part';

/**
 * A part's name as a Content-Disposition parameter: quoted when it is plain printable ASCII,
 * else as RFC 8187 UTF-8 percent-encoding (`filename*`), which busboy and other parsers decode.
 */
function fileNameParam(name: string): string {
  return /^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name) ? `filename="${name}"` : `filename*=UTF-8''${encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** Why a partner's answer is not a receipt for this message; undefined when it is one. */
async function checkReceipt(signatures: ExchangeSignatures, msg: ExchangeMessageRecord, envelope: ExchangeEnvelope, partner: PartnerRecord, answer: unknown, now: number): Promise<{ receipt: ExchangeReceipt; text: string; signature: string } | string> {
  if (typeof answer !== 'object' || answer === null) return 'the answer is not a receipt';
  const { receipt, signature } = answer as { receipt?: unknown; signature?: unknown };
  if (typeof receipt !== 'object' || receipt === null || typeof signature !== 'string') return 'the answer is not {receipt, signature}';
  const r = receipt as ExchangeReceipt;
  if (r.protocol !== EXCHANGE_PROTOCOL || r.messageId !== msg.id) return 'the receipt is for another message';
  if (r.envelopeSha256 !== sha256Hex(msg.envelope)) return 'the receipt is for another envelope';
  if (r.from !== msg.localAgencyId || r.to !== msg.partnerAgencyId) return 'the receipt names other agencies';
  const want = envelope.parts.map((p) => `${p.name}:${p.sha256}`).join('|');
  if (!Array.isArray(r.parts) || r.parts.map((p) => `${p.name}:${p.sha256}`).join('|') !== want) return 'the receipt lists other parts';
  if (typeof r.receivedAt !== 'string' || Number.isNaN(Date.parse(r.receivedAt))) return 'the receipt has no time of receipt';
  const text = canonicalJson(receipt as JsonValue);
  const verified = await signatures.verify(Buffer.from(signature, 'base64'), new TextEncoder().encode(text), pinOf(partner.certificatePem, partner.certificateIsCa, partner.name), new Date(now));
  if (!verified.ok) return `the receipt's signature: ${verified.reason}`;
  return { receipt: r, text, signature };
}

/** The subject of a message's delivery log in the audit: the document for what the issuing side sends. */
const auditSubject = (msg: ExchangeMessageRecord) =>
  msg.type === 'document' || msg.type === 'revocation' ? { type: 'document', id: msg.documentId } : { type: 'exchange-message', id: msg.id };

/**
 * The handler of the outbox's `exchange` channel: POSTs the message to the partner and keeps
 * its receipt (audit `exchange.delivered`). A 4xx answer (other than 408 / 429) will not change
 * by itself: the message fails at once (`exchange.failed`), for an official to retry once the
 * cause is fixed; anything else is retried with backoff until the attempts run out.
 */
export function exchangeHandler(deps: Pick<Deps, 'db' | 'config' | 'now' | 'log' | 'exchangeSignatures'>, options: { bytesInFlight?: number } = {}): OutboxHandler {
  const settings = outboxSettings(deps.config);
  const timeoutMs = deps.config.exchangeTimeoutMs ?? DEFAULT_EXCHANGE_TIMEOUT_MS;
  // Partners that answered 415 to the multipart encoding; this handler's, never the module's.
  const jsonOnly = new Set<string>();
  // The part bytes its deliveries hold at once: each message's parts are read whole, and the
  // outbox has up to eighty messages under way (four batches of twenty; 32 MiB each at most).
  const inFlight = new ByteBudget(options.bytesInFlight ?? DEFAULT_EXCHANGE_BYTES_IN_FLIGHT);
  const deliver = async (msg: ExchangeMessageRecord): Promise<OutboxSettle | undefined> => {
    // Delivered before, and the process died before the outbox row said so.
    if (msg.receipt !== null) return undefined;
    const partner = await partners.get(deps.db, msg.partnerAgencyId);
    if (!partner) throw new PermanentDeliveryError(`"${msg.partnerAgencyId}" is no longer a partner`);
    const envelope = JSON.parse(msg.envelope) as ExchangeEnvelope;
    const release = await inFlight.take(envelope.parts.reduce((sum, p) => sum + p.size, 0));
    try {
      return await deliverHeld(msg, envelope, partner);
    } finally {
      release();
    }
  };
  const deliverHeld = async (msg: ExchangeMessageRecord, envelope: ExchangeEnvelope, partner: PartnerRecord): Promise<OutboxSettle | undefined> => {
    const parts = await exchangeParts.forMessage(deps.db, msg.id, 'out');
    const post = async (encoding: ExchangeEncoding): Promise<{ res: Response; answer: ArrayBuffer }> => {
      const request = exchangeRequest(msg, parts, encoding);
      try {
        const res = await fetch(`${partner.url}/api/v1/exchange/messages`, {
          method: 'POST',
          redirect: 'manual',
          // A receipt is a few KB, most of it a signature: not worth compressing on one side and inflating on the other.
          headers: { 'content-type': request.contentType, 'user-agent': 'Overa-Exchange', accept: 'application/json', 'accept-encoding': 'identity' },
          body: request.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        return { res, answer: await readAtMost(res, MAX_RECEIPT_BYTES, 'a receipt') };
      } catch (err) {
        throw new Error(`no answer from ${partner.url}: ${(err as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (err as Error).message}`);
      }
    };
    let { res, answer } = await post(jsonOnly.has(partner.agencyId) ? 'json' : 'multipart');
    if (res.status === 415 && !jsonOnly.has(partner.agencyId)) {
      // A partner that takes only the JSON encoding (an Overa server from before multipart):
      // the same message again as JSON, and JSON for it from now on.
      jsonOnly.add(partner.agencyId);
      ({ res, answer } = await post('json'));
    }
    const text = new TextDecoder().decode(answer);
    if (res.status !== 200) {
      let detail = '';
      let type = '';
      try {
        const p = JSON.parse(text) as { type?: string; title?: string; detail?: string };
        detail = `: ${p.title ?? ''}${p.detail ? ` (${p.detail})` : ''}`;
        type = p.type ?? '';
      } catch {
        // not problem+json
      }
      const message = `HTTP ${res.status}${detail}`.slice(0, 1000);
      // What the message refers to may not have arrived yet (another instance still delivering
      // the document a revocation is about): worth waiting for.
      const notYet = /\/(unknown-document|unknown-message)$/.test(type);
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429 && !notYet) throw new PermanentDeliveryError(message);
      throw new Error(message);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error('the answer is not JSON');
    }
    const now = deps.now();
    const checked = await checkReceipt(deps.exchangeSignatures, msg, envelope, partner, parsed, now);
    // A partner that answers with no valid receipt has not proven delivery: try again later.
    if (typeof checked === 'string') throw new Error(checked);
    // Stored with the batch's `delivered` mark, in one transaction (services/outbox.ts).
    return async (trx) => {
      if (!(await exchangeMessages.setReceipt(trx, msg.id, { receipt: checked.text, signature: checked.signature, at: now }))) return;
      await appendAudit(trx, {
        actor: null, action: 'exchange.delivered', subject: auditSubject(msg),
        data: { agencyId: msg.partnerAgencyId, messageId: msg.id, type: msg.type, receivedAt: checked.receipt.receivedAt },
      }, now);
    };
  };
  return async (m: OutboxMessage) => {
    const msg = await exchangeMessages.get(deps.db, m.id, 'out');
    if (!msg) throw new PermanentDeliveryError('there is no such exchange message');
    try {
      return await deliver(msg);
    } catch (err) {
      if (err instanceof PermanentDeliveryError || m.attempts >= settings.maxAttempts) {
        await deps.db.transaction((trx) => appendAudit(trx, {
          actor: null, action: 'exchange.failed', subject: auditSubject(msg),
          data: { agencyId: msg.partnerAgencyId, messageId: msg.id, type: msg.type, error: (err as Error).message.slice(0, 500) },
        }, deps.now()));
      }
      throw err;
    }
  };
}

/**
 * An official of the sending agency sends a failed message again (`POST
 * documents/:id/exchange/:messageId/retry`): the same message, the same id, attempts counted
 * afresh. 404 for a message not of this document, 409 unless it failed.
 */
export async function retryExchange(deps: Deps, user: User, documentId: string, messageId: string): Promise<{ messageId: string; state: string }> {
  const msg = messageId.length <= 36 ? await exchangeMessages.get(deps.db, messageId, 'out') : undefined;
  if (!msg || msg.documentId !== documentId) throw new HttpError(404, 'message-not-found', 'There is no such exchange message of this document');
  if (user.kind === 'citizen' || user.agencyId !== msg.localAgencyId) throw new HttpError(403, 'not-allowed', 'Officials of the sending agency retry its messages');
  const now = deps.now();
  return deps.db.transaction(async (trx) => {
    const current = await outbox.get(trx, messageId);
    if (current?.state !== 'failed' || !(await outbox.retry(trx, messageId, now))) {
      throw new HttpError(409, 'not-failed', 'Only a failed message is sent again', { detail: `It is ${current?.state ?? 'unknown'}` });
    }
    await appendAudit(trx, { actor: user.id, action: 'exchange.retried', subject: auditSubject(msg), data: { agencyId: msg.partnerAgencyId, messageId } }, now);
    return { messageId, state: 'queued' };
  });
}

/** The partner recipients of a document as `GET documents/:id` lists them, with their delivery state. */
export async function partnerRecipients(conn: Conn, documentId: string): Promise<DocumentRecipientView[]> {
  const out: DocumentRecipientView[] = [];
  const messages = (await exchangeMessages.forDocument(conn, documentId)).filter((m) => m.direction === 'out' && m.type === 'document');
  for (const m of messages) {
    const partner = await partners.get(conn, m.partnerAgencyId);
    const o = await outbox.get(conn, m.id);
    const delivery = m.receipt !== null ? 'delivered' : o?.state === 'failed' ? 'failed' : o?.state === 'delivering' ? 'delivering' : 'queued';
    out.push({
      agencyId: m.partnerAgencyId,
      agencyName: partner?.name ?? m.partnerAgencyId,
      status: m.outcome ?? 'pending',
      sentAt: iso(m.createdAt),
      acceptedAt: m.outcomeAt === null ? null : iso(m.outcomeAt),
      signatureId: null,
      partner: {
        server: partner?.url ?? null,
        messageId: m.id,
        delivery,
        attempts: o?.attempts ?? 0,
        lastError: o?.lastError ?? null,
        receivedAt: m.receipt === null ? null : (JSON.parse(m.receipt) as ExchangeReceipt).receivedAt,
        receipt: m.receipt === null ? null : { json: m.receipt, signature: m.receiptSignature! },
        reason: m.outcomeReason,
      },
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Receiving

function problem(status: number, code: string, title: string, detail?: string): HttpError {
  return new HttpError(status, code, title, detail === undefined ? {} : { detail });
}

/**
 * `POST /exchange/messages`: checks and takes one message (see the module comment), answers
 * with the receipt. The checks, in order: the body's shape (400), the sender is a partner (403
 * `unknown-sender`), the signature is its seal's (403 `bad-signature`), the receiving agency is
 * hosted here (404 `unknown-agency`), each part's bytes match the envelope (422
 * `part-mismatch`), and what the type refers to exists (422). Nothing is stored unless all pass.
 */
export async function receiveMessage(deps: Deps, raw: unknown): Promise<ExchangeResponse> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidField('envelope', 'required', 'The body is {envelope, signature, parts}');
  const body = raw as Record<string, unknown>;
  for (const k of Object.keys(body)) if (!['envelope', 'signature', 'parts'].includes(k)) throw invalidField(k, 'unknownField', `${k} is not a field of an exchange message`);
  return receiveInbound(deps, { envelope: body.envelope, signature: body.signature, parts: body.parts });
}

/**
 * `POST /exchange/messages` in the multipart encoding (docs/exchange.md): the fields `envelope`
 * (its JSON) and `signature`, and one file part `part` per part, named by its file name. Read
 * whole into memory up to `exchangeMaxBytes`, then checked exactly as the JSON encoding is.
 */
export async function receiveMultipartMessage(deps: Deps, req: IncomingMessage): Promise<ExchangeResponse> {
  const limit = deps.config.exchangeMaxBytes ?? DEFAULT_EXCHANGE_MAX_BYTES;
  const { fields, files } = await receiveParts(req, {
    fields: { envelope: 1024 * 1024, signature: 100_000 },
    fileField: EXCHANGE_FILE_FIELD,
    maxFiles: MAX_EXCHANGE_PARTS,
    limit,
    drainLimit: limit,
    idleMs: deps.config.bodyIdleTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.bodyIdleTimeoutMs,
  });
  let envelope: unknown;
  const text = fields.get('envelope');
  if (text !== undefined) {
    try {
      envelope = JSON.parse(text);
    } catch {
      throw invalidField('envelope', 'malformed', 'The envelope part is not JSON');
    }
  }
  const message = { envelope, signature: fields.get('signature'), parts: files.map((f) => ({ name: f.filename, data: f.data })) };
  // What the JSON encoding's body parser refuses (a lone surrogate or NUL, deep nesting), refused here too.
  refuseUnreadable({ envelope, signature: message.signature, names: files.map((f) => f.filename ?? '') });
  return receiveInbound(deps, message);
}

/** A message as either encoding delivered it, unchecked: the parts' data base64 text (JSON) or bytes (multipart). */
interface InboundMessage {
  envelope: unknown;
  signature: unknown;
  parts: unknown;
}

async function receiveInbound(deps: Deps, body: InboundMessage): Promise<ExchangeResponse> {
  const read = readEnvelope(body.envelope);
  if (!read.ok) throw new HttpError(400, 'validation', 'The envelope is not valid', { detail: read.errors.map((e) => e.message).join('; '), errors: read.errors });
  const envelope = read.envelope;
  if (typeof body.signature !== 'string' || body.signature.length === 0 || body.signature.length > 100_000) throw invalidField('signature', 'required', 'signature is the base64 DER of a detached CMS over the envelope');
  if (!Array.isArray(body.parts) || body.parts.length > MAX_EXCHANGE_PARTS) throw invalidField('parts', 'type', `parts is an array of at most ${MAX_EXCHANGE_PARTS} {name, data}`);

  const partner = await partners.get(deps.db, envelope.from.agencyId);
  if (!partner) throw problem(403, 'unknown-sender', 'The sending agency is not a partner of this server', `"${envelope.from.agencyId}" is not in the partners directory`);
  const now = deps.now();
  const text = canonicalJson(envelope as unknown as JsonValue);
  const verified = await deps.exchangeSignatures.verify(Buffer.from(body.signature, 'base64'), new TextEncoder().encode(text), pinOf(partner.certificatePem, partner.certificateIsCa, partner.name), new Date(now));
  if (!verified.ok) throw problem(403, 'bad-signature', 'The envelope is not signed by the sending agency\'s seal', verified.reason);
  const local = await agencies.get(deps.db, envelope.to.agencyId);
  if (!local) throw problem(404, 'unknown-agency', 'The receiving agency is not hosted on this server', `There is no agency "${envelope.to.agencyId}" here`);

  // A replay: the receipt given the first time, and nothing else (before the parts are decoded).
  const seen = await exchangeMessages.get(deps.db, envelope.messageId, 'in');
  if (seen) return replayed(seen, text);

  const parts: ExchangePart[] = [];
  for (const [i, p] of envelope.parts.entries()) {
    const given = (body.parts as unknown[]).find((g): g is { name: string; data: string | Buffer } =>
      typeof g === 'object' && g !== null && (g as { name?: unknown }).name === p.name && (typeof (g as { data?: unknown }).data === 'string' || Buffer.isBuffer((g as { data?: unknown }).data)));
    if (!given) throw invalidField(`parts[${i}]`, 'required', `The part "${p.name}" the envelope names was not sent`);
    const data = typeof given.data === 'string' ? Buffer.from(given.data, 'base64') : given.data;
    if (data.length !== p.size || sha256Hex(data) !== p.sha256) {
      throw new HttpError(422, 'part-mismatch', 'A part is not what the envelope says', { detail: `"${p.name}" does not have the SHA-256 and size the signed envelope gives`, errors: [{ field: `parts[${i}]`, code: 'part-mismatch', message: `"${p.name}" does not match its hash` }] });
    }
    parts.push({ name: p.name, contentType: p.contentType, sha256: p.sha256, size: p.size, data });
  }
  if ((body.parts as unknown[]).length !== envelope.parts.length) throw invalidField('parts', 'unknownPart', 'parts holds a part the envelope does not name');

  const receipt: ExchangeReceipt = {
    protocol: EXCHANGE_PROTOCOL,
    messageId: envelope.messageId,
    envelopeSha256: sha256Hex(text),
    from: envelope.from.agencyId,
    to: envelope.to.agencyId,
    parts: envelope.parts.map((p) => ({ name: p.name, sha256: p.sha256 })),
    receivedAt: iso(now),
  };
  const receiptText = canonicalJson(receipt as unknown as JsonValue);
  let receiptSignature: string;
  try {
    receiptSignature = Buffer.from(await deps.exchangeSignatures.sign(new TextEncoder().encode(receiptText), await deps.keys.seal(local.id))).toString('base64');
  } catch (err) {
    if (err instanceof KeyError) throw new HttpError(503, 'seal-unavailable', 'The receiving agency\'s seal cannot sign a receipt', { detail: err.message });
    throw err;
  }

  // Committed with the other messages arriving at the same time (one fsync for all); answered only after.
  return deps.groupCommit.run(async (trx) => {
    const inserted = await exchangeMessages.insert(trx, {
      id: envelope.messageId, direction: 'in', type: envelope.type, documentId: envelope.documentId, localAgencyId: local.id,
      partnerAgencyId: partner.agencyId, envelope: text, signature: body.signature as string,
      receipt: receiptText, receiptSignature, receiptAt: now,
    }, now);
    if (!inserted) {
      // The same message arrived twice at once: the other one is stored.
      const other = await exchangeMessages.get(trx, envelope.messageId, 'in');
      return replayed(other!, text);
    }
    await apply(deps, trx, envelope, partner, parts, verified.signer, now);
    return { receipt, signature: receiptSignature };
  });
}

function replayed(seen: ExchangeMessageRecord, text: string): ExchangeResponse {
  if (seen.envelope !== text) throw problem(409, 'message-id-reused', 'This message id was already used for another envelope');
  return { receipt: JSON.parse(seen.receipt!) as ExchangeReceipt, signature: seen.receiptSignature! };
}

async function apply(
  deps: Deps, trx: Knex.Transaction, envelope: ExchangeEnvelope, partner: PartnerRecord, parts: ExchangePart[], signer: { subject: string; sha256: string }, now: number,
): Promise<void> {
  const from = envelope.from.agencyId;
  const to = envelope.to.agencyId;
  switch (envelope.type) {
    case 'document': {
      const main = parts.find((p) => p.contentType === 'application/pdf') ?? parts[0]!;
      const id = randomUUID();
      // Received before: the insert says so (unique index), one statement rather than a read and
      // a write per message; the savepoint then takes back the message row too.
      const fresh = await receivedDocuments.insert(trx, {
        id, messageId: envelope.messageId, agencyId: to, partnerAgencyId: from, partnerUrl: partner.url, documentId: envelope.documentId,
        title: envelope.title, documentType: envelope.documentType, trackingNumber: envelope.trackingNumber, issuedAt: Date.parse(envelope.issuedAt),
        sha256: main.sha256, size: main.size, sealSubject: signer.subject, sealSha256: signer.sha256, receivedAt: now,
      });
      if (!fresh) throw problem(409, 'already-received', 'This document was already received', `Document ${envelope.documentId} of "${from}" is in the reception of "${to}"`);
      await exchangeParts.insertMany(trx, envelope.messageId, 'in', parts);
      await appendAudit(trx, { actor: null, action: 'exchange.received', subject: { type: 'reception', id }, data: { agencyId: to, partner: from, messageId: envelope.messageId, documentId: envelope.documentId } }, now);
      await deps.events.publish(trx, { type: 'document-received', agencies: [to], data: { id, documentId: envelope.documentId, trackingNumber: envelope.trackingNumber } });
      return;
    }
    case 'acceptance':
    case 'rejection': {
      const sent = await exchangeMessages.get(trx, envelope.inReplyTo!, 'out');
      if (!sent || sent.type !== 'document' || sent.partnerAgencyId !== from || sent.localAgencyId !== to || sent.documentId !== envelope.documentId) {
        throw problem(422, 'unknown-message', 'The message answered was not sent to this agency', `No document message ${envelope.inReplyTo} went from "${to}" to "${from}"`);
      }
      const outcome = envelope.type === 'acceptance' ? 'accepted' : 'rejected';
      if (await exchangeMessages.setOutcome(trx, sent.id, { outcome, at: now, reason: envelope.reason ?? null })) {
        await appendAudit(trx, {
          actor: null, action: `exchange.${outcome}`, subject: { type: 'document', id: sent.documentId },
          data: { agencyId: from, messageId: envelope.messageId, ...(envelope.reason === undefined ? {} : { reason: envelope.reason }) },
        }, now);
      }
      return;
    }
    case 'revocation': {
      const rd = await receivedDocuments.find(trx, { partnerAgencyId: from, documentId: envelope.documentId, agencyId: to });
      if (!rd) throw problem(422, 'unknown-document', 'The document revoked was not received here', `Document ${envelope.documentId} of "${from}" is not in the reception of "${to}"`);
      if (await receivedDocuments.revoke(trx, rd.id, now, envelope.reason ?? '')) {
        await appendAudit(trx, { actor: null, action: 'exchange.revoked', subject: { type: 'reception', id: rd.id }, data: { agencyId: to, partner: from, messageId: envelope.messageId } }, now);
        await deps.events.publish(trx, { type: 'document-received', agencies: [to], data: { id: rd.id, documentId: rd.documentId, trackingNumber: rd.trackingNumber } });
      }
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The receiving agency's side: partner documents in the reception inbox

/** A partner's document as a reception inbox row (services/distribution.ts merges both kinds). */
export function receivedItem(r: ReceivedDocumentRow): ReceptionItem {
  return {
    id: r.id,
    documentId: r.documentId,
    title: r.title,
    issuingAgency: { id: r.partnerAgencyId, name: r.partnerName ?? r.partnerAgencyId },
    trackingNumber: r.trackingNumber,
    documentStatus: r.revokedAt !== null ? 'revoked' : 'valid',
    sentAt: iso(r.receivedAt),
    status: r.status,
    acceptedAt: r.decidedAt === null ? null : iso(r.decidedAt),
    acceptedBy: r.decidedBy === null ? null : { id: r.decidedBy, displayName: r.decidedByName ?? '' },
    signatureId: r.signatureId,
    partner: {
      server: r.partnerUrl,
      seal: { subject: r.sealSubject, sha256: r.sealSha256, verified: true },
      receivedAt: iso(r.receivedAt),
      sha256: r.sha256,
      rejectionReason: r.rejectionReason,
      revocation: r.revokedAt === null ? null : { at: iso(r.revokedAt), reason: r.revocationReason ?? '' },
    },
  };
}

/**
 * A partner's document accepted or rejected by an official of the receiving agency (the
 * caller checked the passkey signature): recorded, and the answer queued to the partner in the
 * same transaction. False when it was not pending any more.
 */
export async function decideReceived(
  deps: Pick<Deps, 'keys' | 'config' | 'exchangeSignatures'>, trx: Knex.Transaction, rd: ReceivedDocumentRecord, d: { status: 'accepted' | 'rejected'; by: string; signatureId: string; reason: string | null }, now: number,
): Promise<boolean> {
  if (!(await receivedDocuments.decide(trx, rd.id, { ...d, at: now }))) return false;
  const messageId = await queueExchangeMessage(deps, trx, {
    type: d.status === 'accepted' ? 'acceptance' : 'rejection', localAgencyId: rd.agencyId, partnerAgencyId: rd.partnerAgencyId,
    document: { id: rd.documentId, title: rd.title, documentType: rd.documentType, trackingNumber: rd.trackingNumber, issuedAt: rd.issuedAt },
    parts: [], inReplyTo: rd.messageId, ...(d.reason === null ? {} : { reason: d.reason }),
  }, now);
  await appendAudit(trx, {
    actor: d.by, action: d.status === 'accepted' ? 'exchange.acceptance-sent' : 'exchange.rejection-sent', subject: { type: 'reception', id: rd.id },
    data: { agencyId: rd.agencyId, partner: rd.partnerAgencyId, messageId, signatureId: d.signatureId },
  }, now);
  return true;
}

/** The PDF of a partner's document, for officials of the receiving agency. */
export async function receivedPdf(deps: Pick<Deps, 'db'>, user: User, id: string): Promise<{ record: ReceivedDocumentRecord; pdf: Buffer }> {
  const rd = id.length <= 64 ? await receivedDocuments.get(deps.db, id) : undefined;
  if (!rd || user.kind === 'citizen' || user.agencyId !== rd.agencyId) throw new HttpError(404, 'reception-not-found', 'There is no such reception');
  const pdf = await exchangeParts.data(deps.db, rd.messageId, 'in', rd.sha256);
  if (!pdf) throw new HttpError(404, 'reception-not-found', 'There is no such reception');
  return { record: rd, pdf };
}

/** `overa exchange status`: the outgoing queue, newest first. */
export async function exchangeStatus(deps: Pick<Deps, 'db'>, limit = 100): Promise<{ id: string; type: string; documentId: string; from: string; to: string; state: string; attempts: number; lastError: string | null; createdAt: string; receiptAt: string | null; outcome: string | null }[]> {
  return (await exchangeMessages.outgoing(deps.db, limit)).map((m) => ({
    id: m.id, type: m.type, documentId: m.documentId, from: m.localAgencyId, to: m.partnerAgencyId,
    state: m.receipt !== null ? 'delivered' : m.state ?? 'unknown', attempts: m.attempts, lastError: m.lastError,
    createdAt: iso(m.createdAt), receiptAt: m.receiptAt === null ? null : iso(m.receiptAt), outcome: m.outcome,
  }));
}
