/**
 * Webhooks for agency systems (issue 20, item 3): an administrator subscribes an endpoint to
 * events; each event writes one outbox message per subscribed endpoint in the event's own
 * transaction (services/outbox.ts), and the outbox worker delivers it as the Standard Webhooks
 * specification says (https://www.standardwebhooks.com/): a POST of the JSON payload
 * `{type, timestamp, data}` with the headers `webhook-id` (the outbox message id, the same on
 * every retry), `webhook-timestamp` (seconds) and `webhook-signature` (`v1,` + base64
 * HMAC-SHA256 over `id.timestamp.body` with the endpoint's secret).
 *
 * Secrets are `whsec_` + base64 of 32 random bytes, shown once when made, and stored encrypted
 * with AES-256-GCM under OVERA_WEBHOOK_SECRET_KEY (the endpoint's id as associated data, so a
 * ciphertext copied to another row does not open). Rotating keeps the previous secret signing
 * beside the new one for a grace period (the specification's space-separated signatures).
 * Payloads carry ids and states, never an applicant's answers or names.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { DEFAULT_OUTBOX } from '../config.ts';
import type { Conn } from '../db/connection.ts';
import { outbox, type OutboxMessage } from '../db/outbox.ts';
import { webhookEndpoints, type WebhookEndpointRecord } from '../db/webhook-endpoints.ts';
import { HttpError, invalidField } from '../http-error.ts';
import type { Deps } from './deps.ts';
import { enqueue, PermanentDeliveryError, type OutboxHandler } from './outbox.ts';

/** The events an endpoint may subscribe to. */
export const WEBHOOK_EVENTS = [
  'application.submitted',
  'application.step-decided',
  'application.fee-paid',
  'document.issued',
  'document.revoked',
  'document.distributed',
  'document.received',
  'document.accepted',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
/** What `overa webhooks test` and `POST …/test` send. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** How long a rotated-out secret keeps signing by default. */
export const DEFAULT_ROTATION_GRACE_MS = 24 * 3600 * 1000;

/** Ids and states only: nothing of what an applicant answered. */
export type WebhookData = Record<string, string | number | boolean | null>;

/** An endpoint as administrators see it: never the secret, except once when made or rotated. */
export interface WebhookEndpointView {
  id: string;
  agencyId: string | null;
  url: string;
  events: string[];
  description: string;
  createdAt: string;
  updatedAt: string;
  /** Until when the previous secret still signs (after a rotation), else null. */
  previousSecretUntil: string | null;
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  eventType: string;
  state: OutboxMessage['state'];
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  payload: unknown;
}

const iso = (ms: number) => new Date(ms).toISOString();

function endpointView(e: WebhookEndpointRecord, now: number): WebhookEndpointView {
  return {
    id: e.id, agencyId: e.agencyId, url: e.url, events: e.events, description: e.description,
    createdAt: iso(e.createdAt), updatedAt: iso(e.updatedAt),
    previousSecretUntil: e.previousSecretUntil !== null && e.previousSecretUntil > now ? iso(e.previousSecretUntil) : null,
  };
}

function deliveryView(m: OutboxMessage): WebhookDeliveryView {
  return {
    id: m.id, endpointId: m.target, eventType: m.eventType, state: m.state, attempts: m.attempts,
    nextAttemptAt: m.state === 'queued' ? iso(m.nextAttemptAt) : null, lastError: m.lastError,
    createdAt: iso(m.createdAt), deliveredAt: m.deliveredAt === null ? null : iso(m.deliveredAt),
    payload: JSON.parse(m.payload) as unknown,
  };
}

// ---- secrets ----

function secretKey(config: Deps['config']): Buffer {
  if (!config.webhookSecretKey) {
    throw new HttpError(503, 'webhooks-not-configured', 'Webhooks are not configured on this server', {
      detail: 'Set OVERA_WEBHOOK_SECRET_KEY (32 bytes in base64) to add and deliver webhooks',
    });
  }
  return Buffer.from(config.webhookSecretKey, 'base64');
}

/** A new signing secret: `whsec_` + base64 of 32 random bytes (the specification's form). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** AES-256-GCM with a fresh 12-byte IV, the endpoint id as associated data; base64(iv|ciphertext|tag). */
export function encryptSecret(key: Buffer, endpointId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(endpointId));
  const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64');
}

export function decryptSecret(key: Buffer, endpointId: string, sealed: string): string {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(endpointId));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
}

/** `v1,` + base64 HMAC-SHA256 over `id.timestamp.body` with the secret's bytes (after `whsec_`). */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

// ---- administration ----

function checkUrl(url: unknown): string {
  if (typeof url !== 'string' || url.length > 2048) throw invalidField('url', 'invalid', 'The endpoint must be an http(s) URL');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalidField('url', 'invalid', 'The endpoint must be an http(s) URL');
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password || u.hash) {
    throw invalidField('url', 'invalid', 'The endpoint must be an http(s) URL without credentials or fragment');
  }
  return u.toString();
}

function checkEvents(events: unknown): string[] {
  if (!Array.isArray(events) || events.length === 0) throw invalidField('events', 'required', 'Name at least one event, or "*" for all');
  const out: string[] = [];
  for (const [i, e] of events.entries()) {
    if (e !== '*' && !(WEBHOOK_EVENTS as readonly unknown[]).includes(e)) {
      throw invalidField(`events[${i}]`, 'unknown', `Unknown event; one of ${WEBHOOK_EVENTS.join(', ')} or "*"`);
    }
    if (!out.includes(e as string)) out.push(e as string);
  }
  return out.includes('*') ? ['*'] : out;
}

export interface NewEndpoint {
  url: unknown;
  events: unknown;
  description?: unknown;
  /** null: every agency (the operator's CLI); an administrator's endpoints hear their agency's. */
  agencyId: string | null;
}

/** Subscribes an endpoint; the answer carries its secret, shown this once. */
export async function addWebhook(deps: Pick<Deps, 'db' | 'config' | 'now'>, input: NewEndpoint): Promise<WebhookEndpointView & { secret: string }> {
  // The request is checked before the server's own set-up: bad input is the caller's 400, not a 503.
  const url = checkUrl(input.url);
  const events = checkEvents(input.events);
  const description = input.description === undefined ? '' : input.description;
  if (typeof description !== 'string' || description.length > 500) throw invalidField('description', 'invalid', 'At most 500 characters');
  const key = secretKey(deps.config);
  const now = deps.now();
  const id = randomUUID();
  const secret = newWebhookSecret();
  const record: WebhookEndpointRecord = {
    id, agencyId: input.agencyId, url, events, description, secretEncrypted: encryptSecret(key, id, secret),
    previousSecretEncrypted: null, previousSecretUntil: null, createdAt: now, updatedAt: now,
  };
  await webhookEndpoints.insert(deps.db, record);
  return { ...endpointView(record, now), secret };
}

function notFound(): HttpError {
  return new HttpError(404, 'webhook-not-found', 'There is no such webhook endpoint');
}

/** The endpoint, if `agencyId` may manage it (undefined: the operator, who manages all). */
async function manageable(db: Conn, id: string, agencyId: string | undefined): Promise<WebhookEndpointRecord> {
  const e = await webhookEndpoints.get(db, id);
  if (!e || (agencyId !== undefined && e.agencyId !== agencyId)) throw notFound();
  return e;
}

export async function listWebhooks(deps: Pick<Deps, 'db' | 'now'>, agencyId?: string): Promise<WebhookEndpointView[]> {
  const now = deps.now();
  return (await webhookEndpoints.list(deps.db, agencyId)).map((e) => endpointView(e, now));
}

/** Removes an endpoint; messages still queued for it end `failed` (nowhere to send them). */
export async function removeWebhook(deps: Pick<Deps, 'db'>, id: string, agencyId?: string): Promise<void> {
  await manageable(deps.db, id, agencyId);
  if (!(await webhookEndpoints.remove(deps.db, id))) throw notFound();
}

/** A new secret; the previous one keeps signing beside it for `graceMs` (0: stops at once). */
export async function rotateWebhookSecret(
  deps: Pick<Deps, 'db' | 'config' | 'now'>, id: string, agencyId?: string, graceMs = DEFAULT_ROTATION_GRACE_MS,
): Promise<WebhookEndpointView & { secret: string }> {
  const e = await manageable(deps.db, id, agencyId);
  const key = secretKey(deps.config);
  const now = deps.now();
  const secret = newWebhookSecret();
  const next = { secretEncrypted: encryptSecret(key, id, secret), previousSecretEncrypted: e.secretEncrypted, previousSecretUntil: now + graceMs, updatedAt: now };
  if (!(await webhookEndpoints.rotate(deps.db, id, next))) throw notFound();
  return { ...endpointView({ ...e, ...next }, now), secret };
}

/** Queues a `webhook.test` message to the endpoint now; returns the delivery id. */
export async function testWebhook(deps: Pick<Deps, 'db' | 'now'>, id: string, agencyId?: string): Promise<string> {
  const e = await manageable(deps.db, id, agencyId);
  const now = deps.now();
  return deps.db.transaction(async (trx) => {
    const [messageId] = await enqueue(trx, [{ channel: 'webhook', target: e.id, eventType: WEBHOOK_TEST_EVENT, payload: payloadText(WEBHOOK_TEST_EVENT, now, { endpointId: e.id }) }], now);
    return messageId!;
  });
}

/** The delivery log of an endpoint, newest first. */
export async function webhookDeliveries(deps: Pick<Deps, 'db'>, id: string, agencyId?: string, limit = 100): Promise<WebhookDeliveryView[]> {
  await manageable(deps.db, id, agencyId);
  return (await outbox.list(deps.db, { channel: 'webhook', target: id, limit })).map(deliveryView);
}

/** Sends a delivery again (failed, or delivered and to be replayed), with the same webhook-id. */
export async function retryWebhookDelivery(deps: Pick<Deps, 'db' | 'now'>, deliveryId: string, agencyId?: string): Promise<WebhookDeliveryView> {
  const m = await outbox.get(deps.db, deliveryId);
  if (!m || m.channel !== 'webhook') throw new HttpError(404, 'delivery-not-found', 'There is no such delivery');
  await manageable(deps.db, m.target, agencyId).catch(() => {
    throw new HttpError(404, 'delivery-not-found', 'There is no such delivery');
  });
  if (!(await outbox.retry(deps.db, deliveryId, deps.now()))) {
    throw new HttpError(409, 'delivery-pending', 'The delivery is queued or being delivered already');
  }
  return deliveryView((await outbox.get(deps.db, deliveryId))!);
}

// ---- events ----

function payloadText(type: string, now: number, data: WebhookData): string {
  return JSON.stringify({ type, timestamp: iso(now), data });
}

/**
 * Queues `type` for every endpoint that hears it, in the event's transaction: endpoints of one
 * of `agencies` (the agencies concerned) and those of every agency. Nothing when none does.
 */
export async function webhookEvent(deps: Pick<Deps, 'now'>, trx: Knex.Transaction, type: WebhookEventType, agencies: readonly string[], data: WebhookData): Promise<void> {
  const endpoints = (await webhookEndpoints.forAgencies(trx, agencies)).filter((e) => e.events.includes('*') || e.events.includes(type));
  if (endpoints.length === 0) return;
  const now = deps.now();
  const payload = payloadText(type, now, data);
  await enqueue(trx, endpoints.map((e) => ({ channel: 'webhook' as const, target: e.id, eventType: type, payload })), now);
}

// ---- delivery ----

/** The outbox handler of the `webhook` channel. */
export function webhookHandler(deps: Pick<Deps, 'db' | 'config' | 'now'>): OutboxHandler {
  const timeoutMs = deps.config.webhookTimeoutMs ?? DEFAULT_OUTBOX.webhookTimeoutMs;
  return async (m) => {
    const e = await webhookEndpoints.get(deps.db, m.target);
    if (!e) throw new PermanentDeliveryError('the endpoint was removed');
    const key = secretKey(deps.config);
    const timestamp = Math.floor(deps.now() / 1000);
    const signatures = [signWebhook(decryptSecret(key, e.id, e.secretEncrypted), m.id, timestamp, m.payload)];
    if (e.previousSecretEncrypted !== null && e.previousSecretUntil !== null && e.previousSecretUntil > deps.now()) {
      signatures.push(signWebhook(decryptSecret(key, e.id, e.previousSecretEncrypted), m.id, timestamp, m.payload));
    }
    let res: Response;
    try {
      res = await fetch(e.url, {
        method: 'POST',
        // A redirect is not followed: the endpoint is the URL the administrator gave.
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Overa-Webhooks',
          'webhook-id': m.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatures.join(' '),
        },
        body: m.payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      // The body is not used; read it so the connection is released.
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      throw new Error(`no answer: ${(err as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (err as Error).message}`);
    }
    if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}`);
  };
}
