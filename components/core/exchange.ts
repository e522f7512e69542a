/**
 * The agency-to-agency exchange protocol between Overa servers (issue 19, docs/exchange.md):
 * the envelope a sending agency signs with its seal, and the receipt the receiving agency
 * answers with, signed by its seal. Both are signed as their RFC 8785 canonical JSON
 * (canonical-json.ts), so any party can check them again from the stored JSON.
 *
 * DOM-free and Node-free: the server builds and reads them, and an integrator's tool (or an
 * X-Road / AS4 adapter) can use the same reader.
 */
import type { FieldError } from './problem.ts';
import type { LocalizedText } from './forms/definition.ts';

export const EXCHANGE_PROTOCOL = 'overa-exchange/1';

export const EXCHANGE_TYPES = ['document', 'acceptance', 'rejection', 'revocation'] as const;
export type ExchangeType = (typeof EXCHANGE_TYPES)[number];

/** One part of a message as the envelope names it (the bytes travel beside the envelope). */
export interface EnvelopePart {
  /** A file name, unique in the message (`document.pdf`). */
  name: string;
  contentType: string;
  /** Lower-case hex SHA-256 of the part's bytes. */
  sha256: string;
  size: number;
}

/** What the sending agency signs. */
export interface ExchangeEnvelope {
  protocol: typeof EXCHANGE_PROTOCOL;
  /** A UUID made by the sender; the same on every attempt (the receiver de-duplicates by it). */
  messageId: string;
  type: ExchangeType;
  /** The sending agency, and the base URL of its server. */
  from: { agencyId: string; name: string; server: string };
  to: { agencyId: string };
  /** The document as the issuing server names it (for every type: the document it is about). */
  documentId: string;
  title: LocalizedText;
  /** The form the document was issued from (its kind). */
  documentType: string;
  trackingNumber: string;
  issuedAt: string;
  /** When the message was made (ISO 8601). */
  time: string;
  parts: EnvelopePart[];
  /** acceptance / rejection: the id of the `document` message they answer. */
  inReplyTo?: string;
  /** rejection / revocation: why. */
  reason?: string;
}

/** What the receiving agency signs on taking a message. */
export interface ExchangeReceipt {
  protocol: typeof EXCHANGE_PROTOCOL;
  messageId: string;
  /** Hex SHA-256 of the envelope's canonical JSON: the receipt is for exactly that envelope. */
  envelopeSha256: string;
  /** The sending agency, and the receiving agency that signs this receipt. */
  from: string;
  to: string;
  parts: { name: string; sha256: string }[];
  receivedAt: string;
}

/** The body of `POST /api/v1/exchange/messages`: the envelope, its signature and the parts' bytes. */
export interface ExchangeRequest {
  envelope: ExchangeEnvelope;
  /** Base64 of the DER detached CMS SignedData over the envelope's canonical JSON. */
  signature: string;
  parts: { name: string; data: string }[];
}

/** The answer: the receipt and its signature (base64 DER detached CMS over the receipt's canonical JSON). */
export interface ExchangeResponse {
  receipt: ExchangeReceipt;
  signature: string;
}

export const MAX_EXCHANGE_PARTS = 20;
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function isLocalized(v: unknown): v is LocalizedText {
  if (typeof v === 'string') return v.length <= 500;
  if (!isObj(v)) return false;
  return Object.entries(v).every(([k, s]) => ['sr-Latn', 'sr-Cyrl', 'en'].includes(k) && typeof s === 'string' && s.length <= 500);
}

/**
 * Reads an envelope as received: every field present, of its type and form, nothing else.
 * Returns the envelope, or the fields at fault (`envelope.<field>`).
 */
export function readEnvelope(raw: unknown): { ok: true; envelope: ExchangeEnvelope } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const bad = (field: string, message: string, code = 'invalid') => errors.push({ field: `envelope.${field}`, code, message });
  if (!isObj(raw)) return { ok: false, errors: [{ field: 'envelope', code: 'type', message: 'envelope must be an object' }] };
  const known = ['protocol', 'messageId', 'type', 'from', 'to', 'documentId', 'title', 'documentType', 'trackingNumber', 'issuedAt', 'time', 'parts', 'inReplyTo', 'reason'];
  for (const k of Object.keys(raw).slice(0, 50)) if (!known.includes(k)) bad(k, `${k} is not a field of an envelope`, 'unknownField');
  const str = (k: string, max: number, re?: RegExp) => {
    const v = raw[k];
    if (typeof v !== 'string' || v.length === 0 || v.length > max || (re && !re.test(v))) bad(k, `${k} must be ${re ? 'a well-formed' : 'a'} string of at most ${max} characters`);
  };
  if (raw.protocol !== EXCHANGE_PROTOCOL) bad('protocol', `protocol must be "${EXCHANGE_PROTOCOL}"`);
  str('messageId', 36, UUID);
  if (!EXCHANGE_TYPES.includes(raw.type as ExchangeType)) bad('type', `type must be one of ${EXCHANGE_TYPES.join(', ')}`);
  const from = raw.from;
  if (!isObj(from) || typeof from.agencyId !== 'string' || !ID.test(from.agencyId) || from.agencyId.length > 64
    || typeof from.name !== 'string' || from.name.length > 200 || typeof from.server !== 'string' || from.server.length > 2048 || Object.keys(from).length !== 3) {
    bad('from', 'from must be {agencyId, name, server}');
  }
  const to = raw.to;
  if (!isObj(to) || typeof to.agencyId !== 'string' || !ID.test(to.agencyId) || to.agencyId.length > 64 || Object.keys(to).length !== 1) bad('to', 'to must be {agencyId}');
  str('documentId', 36, UUID);
  if (!isLocalized(raw.title)) bad('title', 'title must be a localized text');
  str('documentType', 64);
  str('trackingNumber', 64);
  str('issuedAt', 30, ISO);
  str('time', 30, ISO);
  const parts = raw.parts;
  if (!Array.isArray(parts) || parts.length > MAX_EXCHANGE_PARTS) {
    bad('parts', `parts must be an array of at most ${MAX_EXCHANGE_PARTS}`);
  } else {
    const names = new Set<string>();
    parts.forEach((p, i) => {
      if (!isObj(p) || typeof p.name !== 'string' || p.name.length === 0 || p.name.length > 200 || names.has(p.name)
        || typeof p.contentType !== 'string' || p.contentType.length > 100 || typeof p.sha256 !== 'string' || !HEX64.test(p.sha256)
        || typeof p.size !== 'number' || !Number.isSafeInteger(p.size) || p.size < 0 || Object.keys(p).length !== 4) {
        bad(`parts[${i}]`, 'a part is {name (unique), contentType, sha256 (hex), size}');
      } else {
        names.add(p.name);
      }
    });
  }
  const type = raw.type as ExchangeType;
  if (type === 'document' && Array.isArray(parts) && parts.length === 0) bad('parts', 'a document message carries the document', 'required');
  if (type === 'acceptance' || type === 'rejection') str('inReplyTo', 36, UUID);
  else if (raw.inReplyTo !== undefined) bad('inReplyTo', 'only an acceptance or a rejection answers a message');
  if (type === 'rejection' || type === 'revocation') str('reason', 2000);
  else if (raw.reason !== undefined) bad('reason', 'only a rejection or a revocation gives a reason');
  if (errors.length) return { ok: false, errors };
  return { ok: true, envelope: raw as unknown as ExchangeEnvelope };
}
