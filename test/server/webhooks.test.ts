/**
 * Webhooks (issue 20, item 3) through the real app, the real outbox worker and a real receiver
 * on loopback that checks every delivery with an independent implementation of the Standard
 * Webhooks specification (the `standardwebhooks` package, used only here): the events of a
 * building permit's life arrive signed, once each, with ids and states and no personal answers;
 * a receiver answering 500 or not answering gets the delivery again with the same webhook-id;
 * a replay keeps the id; a rotated secret signs beside the new one; secrets are encrypted at rest.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { startTestServer, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { samplePdf, samplePng } from '../helpers/files.ts';
import { childEnv, overaCli } from '../helpers/child-server.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY, DEMO_RECEIVING_AGENCY } from '../../server/seed.ts';
import { ensureDemoKeys } from '../../server/documents/keys.ts';
import { outbox } from '../../server/db/outbox.ts';
import { createOutboxWorker, type OutboxWorker } from '../../server/services/outbox.ts';
import { addWebhook, decryptSecret, removeWebhook, retryWebhookDelivery, testWebhook, webhookEvent, webhookHandler } from '../../server/services/webhooks.ts';
import type { ApplicationWithHistory, Page, ReceptionItem } from '../../components/core/api.ts';
import { JMBG } from '../helpers/sample-data.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const KEY = randomBytes(32).toString('base64');

interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  path: string;
}

/** What the receiver answers, per path, in turn; when the list is empty: 204. `hang`: no answer at all. */
type Reply = number | 'hang';

let server: TestServer;
let worker: OutboxWorker;
let receiver: Server;
let base: string;
const received: Received[] = [];
const replies = new Map<string, Reply[]>();
let ana: Account;
let clerk: Account;
let urbanist: Account;
let cadastre: Account;
let head: Account;
let admin: Account;
let registrar: Account;

before(async () => {
  server = await startTestServer({
    OVERA_FORMS_DIR: EXAMPLES, OVERA_WEBHOOK_SECRET_KEY: KEY,
    // A timeout short enough for the test of an endpoint that never answers, long enough that a
    // loaded machine does not turn a slow 204 into a second attempt.
    OVERA_OUTBOX_POLL_MS: '20', OVERA_OUTBOX_BACKOFF_MS: '50', OVERA_OUTBOX_LEASE_MS: '15000', OVERA_WEBHOOK_TIMEOUT_MS: '3000',
  });
  const now = Date.now();
  await seedDemo(server.db, now);
  await ensureDemoKeys(server.config, [DEMO_AGENCY]);
  const official = async (name: string, agencyId: string, roles: string[], kind: 'official' | 'admin' = 'official') =>
    registerAccount(server, name, await createInvite(server.db, { agencyId, roles, kind }, now));
  ana = await registerAccount(server, 'Ana Anić');
  clerk = await official('Petar Službenik', DEMO_AGENCY.id, ['clerk']);
  urbanist = await official('Urban Urbanić', DEMO_AGENCY.id, ['urbanism']);
  cadastre = await official('Kata Katastrić', DEMO_AGENCY.id, ['cadastre']);
  head = await official('Јелена Начелник', DEMO_AGENCY.id, ['head']);
  admin = await official('Vesna Administrator', DEMO_AGENCY.id, [], 'admin');
  registrar = await official('Vesna Registrar', DEMO_RECEIVING_AGENCY.id, ['registrar']);
  receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({
        id: String(req.headers['webhook-id']), timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']), body, path: req.url ?? '',
      });
      const reply = replies.get(req.url ?? '')?.shift() ?? 204;
      if (reply !== 'hang') res.writeHead(reply).end();
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  worker = createOutboxWorker(server.app.deps, { webhook: webhookHandler(server.app.deps) });
  worker.start();
});
after(async () => {
  await worker.stop();
  receiver.closeAllConnections();
  receiver.close();
  await server.close();
});

function ok<T>(res: ApiResponse<T>, status = 200): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

/** Resolves once `done()` holds, polling (the worker runs on its own). */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The Standard Webhooks check, by the independent implementation: throws on a bad signature or header. */
function verified(r: Received, secret: string): { type: string; timestamp: string; data: Record<string, unknown> } {
  return new Webhook(secret).verify(r.body, { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature }) as never;
}

async function sign(who: Account, subject: { type: string; id: string }, action: string): Promise<string> {
  const o = ok(await server.api<{ flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }>('POST', '/api/v1/signatures/options', { token: who.token, body: { subject, action } }));
  const credential = await who.authenticator.get(o.publicKey);
  return ok(await server.api<{ id: string }>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: o.flowId, credential } }), 201).id;
}

async function decide(who: Account, appId: string, step: string, decision: string): Promise<void> {
  const signatureId = await sign(who, { type: 'decision', id: `${appId}:${step}` }, decision);
  const current = await server.api('GET', `/api/v1/cases/${appId}`, { token: who.token });
  ok(await server.api('POST', `/api/v1/cases/${appId}/decisions`, {
    token: who.token, headers: { 'If-Match': current.headers.get('etag') ?? '' }, body: { step, decision, signatureId },
  }));
}

async function upload(who: Account, bytes: Buffer, filename: string, type: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  const res = await fetch(`${server.url}/api/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${who.token}` }, body: form });
  assert.equal(res.status, 201);
  return ((await res.json()) as { id: string }).id;
}

describe('a building permit\'s life, heard by the agency\'s systems', () => {
  const answers = { description: 'Porodična kuća P+1, 120 m²', parcelNumber: '1234/5' };
  let agencyHook: { id: string; secret: string };
  let registryHook: { id: string; secret: string };
  let appId: string;
  let documentId: string;
  let receptionId: string;

  before(async () => {
    agencyHook = ok(await server.api<{ id: string; secret: string }>('POST', '/api/v1/admin/webhooks', {
      token: admin.token, body: { url: `${base}/agency`, events: ['*'], description: 'Registar predmeta' },
    }), 201);
    // The operator's endpoint for every agency, hearing one event.
    registryHook = await addWebhook(server.app.deps, { url: `${base}/registry`, events: ['document.received'], agencyId: null });
    const plan = await upload(ana, samplePdf('plan'), 'plan.pdf', 'application/pdf');
    const deed = await upload(ana, samplePng(), 'vlasnistvo.png', 'image/png');
    const data = {
      investorType: 'person', investorName: 'Ana Anić', investorJmbg: JMBG, email: 'ana@example.rs',
      cadastralMunicipality: 'novi-sad-1', parcelNumber: answers.parcelNumber, description: answers.description,
      estimatedValue: 8_500_000, projectDocumentation: [plan], ownershipProof: [deed], declaration: true,
    };
    appId = ok(await server.api<{ id: string }>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'building-permit', formVersion: 1, data } }), 201).id;
    const signatureId = await sign(ana, { type: 'application', id: appId }, 'submit');
    ok(await server.api('POST', `/api/v1/applications/${appId}/submit`, { token: ana.token, body: { signatureId } }));
    await decide(clerk, appId, 'review', 'review');
    await decide(urbanist, appId, 'urbanism', 'agree');
    await decide(cadastre, appId, 'cadastre', 'agree');
    await decide(head, appId, 'approve', 'approve');
    documentId = ok(await server.api<ApplicationWithHistory>('GET', `/api/v1/applications/${appId}`, { token: ana.token })).documentId!;
    const item = ok(await server.api<Page<ReceptionItem>>('GET', '/api/v1/reception?limit=100', { token: registrar.token })).items.find((i) => i.documentId === documentId)!;
    receptionId = item.id;
    const acceptSignature = await sign(registrar, { type: 'reception', id: receptionId }, 'accept');
    ok(await server.api('POST', `/api/v1/reception/${receptionId}/accept`, { token: registrar.token, body: { signatureId: acceptSignature } }));
    ok(await server.api('POST', `/api/v1/documents/${documentId}/revoke`, { token: admin.token, body: { reason: 'Izdato greškom.' } }));
    await until(() => received.filter((r) => r.path === '/agency').length >= 9 && received.some((r) => r.path === '/registry'), 'the deliveries');
    // Everything queued was delivered, and nothing more is on its way.
    await until(async () => (await outbox.counts(server.db, 'webhook')).delivered === 10, 'every delivery marked delivered');
  });

  test('each event arrives once, signed as Standard Webhooks says, in order of the case', () => {
    const agency = received.filter((r) => r.path === '/agency').map((r) => ({ r, event: verified(r, agencyHook.secret) }));
    assert.deepEqual(agency.map((a) => a.event.type).sort(), [
      'application.step-decided', 'application.step-decided', 'application.step-decided', 'application.step-decided',
      'application.submitted', 'document.accepted', 'document.distributed', 'document.issued', 'document.revoked',
    ]);
    assert.equal(new Set(agency.map((a) => a.r.id)).size, agency.length, 'one webhook-id per event');
    const registry = received.filter((r) => r.path === '/registry');
    assert.equal(registry.length, 1);
    const receivedEvent = verified(registry[0]!, registryHook.secret);
    assert.equal(receivedEvent.type, 'document.received');
    assert.deepEqual(receivedEvent.data, { documentId, receptionId, issuingAgencyId: DEMO_AGENCY.id, agencyId: DEMO_RECEIVING_AGENCY.id, status: 'pending' });
    // Signed with one endpoint's secret, a delivery does not pass with the other's.
    assert.throws(() => verified(registry[0]!, agencyHook.secret));
  });

  test('payloads carry ids and states, never the applicant\'s answers or name', () => {
    const agency = received.filter((r) => r.path === '/agency').map((r) => verified(r, agencyHook.secret));
    const submitted = agency.find((e) => e.type === 'application.submitted')!;
    assert.deepEqual(Object.keys(submitted.data).sort(), ['applicationId', 'formId', 'resubmitted', 'status', 'trackingNumber']);
    assert.equal(submitted.data.applicationId, appId);
    const approved = agency.find((e) => e.type === 'application.step-decided' && e.data.stepId === 'approve')!;
    assert.equal(approved.data.decision, 'approve');
    assert.equal(agency.find((e) => e.type === 'document.issued')!.data.documentId, documentId);
    assert.equal(agency.find((e) => e.type === 'document.revoked')!.data.status, 'revoked');
    for (const r of received) {
      for (const secret of [JMBG, 'Ana', answers.description, answers.parcelNumber, 'ana@example.rs', 'Izdato greškom']) {
        assert.ok(!r.body.includes(secret), `a delivery carries "${secret}"`);
      }
    }
  });

  test('the delivery log shows them delivered; a replay sends one again with the same webhook-id', async () => {
    const log = ok(await server.api<{ items: { id: string; state: string; attempts: number; eventType: string }[] }>(
      'GET', `/api/v1/admin/webhooks/${agencyHook.id}/deliveries`, { token: admin.token },
    ));
    assert.equal(log.items.length, 9);
    assert.ok(log.items.every((d) => d.state === 'delivered' && d.attempts === 1));
    const issued = log.items.find((d) => d.eventType === 'document.issued')!;
    const before = received.length;
    ok(await server.api('POST', `/api/v1/admin/webhooks/deliveries/${issued.id}/retry`, { token: admin.token }), 202);
    await until(() => received.length > before, 'the replay');
    const replay = received[received.length - 1]!;
    assert.equal(replay.id, issued.id);
    const first = received.find((r) => r.id === issued.id)!;
    assert.equal(replay.body, first.body, 'the same body');
    assert.equal(verified(replay, agencyHook.secret).type, 'document.issued');
    // An official who is not an administrator does not see the log.
    assert.equal((await server.api('GET', `/api/v1/admin/webhooks/${agencyHook.id}/deliveries`, { token: head.token })).status, 403);
  });
});

test('a receiver that answers 500, then does not answer at all, gets the delivery again with the same webhook-id until it takes it', async () => {
  const hook = await addWebhook(server.app.deps, { url: `${base}/flaky`, events: ['*'], agencyId: null });
  replies.set('/flaky', [500, 'hang', 503]);
  const id = await testWebhook(server.app.deps, hook.id);
  worker.wake();
  await until(async () => (await outbox.get(server.db, id))!.state === 'delivered', 'the delivery');
  const attempts = received.filter((r) => r.path === '/flaky');
  assert.equal(attempts.length, 4);
  assert.ok(attempts.every((r) => r.id === id && r.body === attempts[0]!.body));
  for (const r of attempts) assert.equal(verified(r, hook.secret).type, 'webhook.test');
  const m = (await outbox.get(server.db, id))!;
  assert.equal(m.attempts, 4);
});

test('a receiver that never takes it: failed after the bounded attempts, then an administrator\'s retry delivers it', async () => {
  const settings = { ...server.app.deps, config: { ...server.config, outboxMaxAttempts: 2 } };
  const own = createOutboxWorker(settings, { webhook: webhookHandler(settings) }, { id: 'bounded' });
  const hook = await addWebhook(server.app.deps, { url: `${base}/down`, events: ['*'], agencyId: null });
  replies.set('/down', [500, 500, 500, 500, 500, 500]);
  // Only this worker may take it: the running one is stopped for the while.
  await worker.stop();
  try {
    const id = await testWebhook(server.app.deps, hook.id);
    await own.deliverNow(id);
    await new Promise((r) => setTimeout(r, 120));
    await own.deliverNow(id);
    const m = (await outbox.get(server.db, id))!;
    assert.deepEqual([m.state, m.attempts, m.lastError], ['failed', 2, 'HTTP 500']);
    replies.set('/down', []);
    await retryWebhookDelivery(server.app.deps, id);
    await own.deliverNow(id);
    assert.equal((await outbox.get(server.db, id))!.state, 'delivered');
    const all = received.filter((r) => r.path === '/down');
    assert.equal(all.length, 3);
    assert.ok(all.every((r) => r.id === id));
  } finally {
    worker.start();
  }
});

test('an event in a transaction that rolls back queues no delivery', async () => {
  await addWebhook(server.app.deps, { url: `${base}/rollback`, events: ['document.revoked'], agencyId: null });
  const count = async () => (await outbox.list(server.db, { channel: 'webhook', limit: 100_000 })).length;
  const before = await count();
  await assert.rejects(server.db.transaction(async (trx) => {
    await webhookEvent(server.app.deps, trx, 'document.revoked', [DEMO_AGENCY.id], { documentId: 'x', status: 'revoked' });
    assert.ok((await trx('outbox_messages').count({ n: '*' }).first())!.n, 'written inside');
    throw new Error('the revocation failed');
  }), /the revocation failed/);
  assert.equal(await count(), before);
});

test('a rotated secret: deliveries are signed with the new and, for the grace period, the previous one', async () => {
  const hook = ok(await server.api<{ id: string; secret: string }>('POST', '/api/v1/admin/webhooks', { token: admin.token, body: { url: `${base}/rotating`, events: ['document.issued'] } }), 201);
  const rotated = ok(await server.api<{ id: string; secret: string; previousSecretUntil: string }>('POST', `/api/v1/admin/webhooks/${hook.id}/rotate`, { token: admin.token }));
  assert.match(rotated.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.ok(Date.parse(rotated.previousSecretUntil) > Date.now());
  ok(await server.api('POST', `/api/v1/admin/webhooks/${hook.id}/test`, { token: admin.token }), 202);
  worker.wake();
  await until(() => received.some((r) => r.path === '/rotating'), 'the delivery');
  const r = received.find((x) => x.path === '/rotating')!;
  assert.equal(r.signature.split(' ').length, 2);
  assert.equal(verified(r, rotated.secret).type, 'webhook.test');
  assert.equal(verified(r, hook.secret).type, 'webhook.test');
});

test('secrets are stored encrypted: the row holds neither the secret nor its bytes, and opens only with the key and the row\'s id', async () => {
  const hook = await addWebhook(server.app.deps, { url: `${base}/stored`, events: ['*'], agencyId: null });
  const row = (await server.db('webhook_endpoints').where({ id: hook.id }).first()) as Record<string, unknown>;
  const stored = JSON.stringify(row);
  assert.ok(!stored.includes(hook.secret.slice(6)));
  assert.ok(!stored.includes(Buffer.from(hook.secret.slice(6), 'base64').toString('hex')));
  const key = Buffer.from(KEY, 'base64');
  assert.equal(decryptSecret(key, hook.id, row.secret_encrypted as string), hook.secret);
  assert.throws(() => decryptSecret(randomBytes(32), hook.id, row.secret_encrypted as string));
  assert.throws(() => decryptSecret(key, 'another-endpoint', row.secret_encrypted as string));
});

test('overa webhooks add, list, test and remove from the command line', { timeout: 120_000 }, async () => {
  const env = await childEnv(server, { OVERA_WEBHOOK_SECRET_KEY: KEY });
  const added = await overaCli(['webhooks', 'add', '--url', `${base}/cli`, '--event', 'document.issued', '--event', 'document.revoked', '--json'], env);
  assert.equal(added.code, 0, added.stderr);
  const hook = JSON.parse(added.stdout) as { id: string; secret: string; events: string[] };
  assert.deepEqual(hook.events, ['document.issued', 'document.revoked']);
  const bad = await overaCli(['webhooks', 'add', '--url', `${base}/cli`, '--event', 'nonesuch'], env);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /events\[0\]/);
  const tested = await overaCli(['webhooks', 'test', hook.id], env);
  assert.equal(tested.code, 0, tested.stderr + tested.stdout);
  assert.match(tested.stdout, / delivered/);
  const r = received.find((x) => x.path === '/cli')!;
  assert.equal(verified(r, hook.secret).type, 'webhook.test');
  const listed = await overaCli(['webhooks', 'list'], env);
  assert.match(listed.stdout, new RegExp(`${hook.id} .*delivered 1`));
  const noKey = await overaCli(['webhooks', 'add', '--url', `${base}/cli`, '--event', '*'], { ...env, OVERA_WEBHOOK_SECRET_KEY: '' });
  assert.equal(noKey.code, 1);
  assert.match(noKey.stderr, /OVERA_WEBHOOK_SECRET_KEY/);
  assert.equal((await overaCli(['webhooks', 'remove', hook.id], env)).code, 0);
  assert.doesNotMatch((await overaCli(['webhooks', 'list'], env)).stdout, new RegExp(hook.id));
});

test('a delivery whose endpoint was removed fails at once, without a request', async () => {
  const hook = await addWebhook(server.app.deps, { url: `${base}/removed`, events: ['*'], agencyId: null });
  await worker.stop();
  try {
    const id = await testWebhook(server.app.deps, hook.id);
    await removeWebhook(server.app.deps, hook.id);
    await createOutboxWorker(server.app.deps, { webhook: webhookHandler(server.app.deps) }).deliverNow(id);
    const m = (await outbox.get(server.db, id))!;
    assert.deepEqual([m.state, m.attempts, m.lastError], ['failed', 1, 'the endpoint was removed']);
    assert.ok(!received.some((r) => r.path === '/removed'));
  } finally {
    worker.start();
  }
});

test('a final approval whose issuance fails (no seal key) rolls back, and with it its webhook messages', async () => {
  const hook = await addWebhook(server.app.deps, { url: `${base}/final`, events: ['application.step-decided', 'document.issued'], agencyId: null });
  const data = {
    firstName: 'Ana', lastName: 'Anić', jmbg: JMBG, street: 'Bulevar oslobođenja 12', place: 'Novi Primer',
    postalCode: '21000', purpose: 'employment', delivery: 'online',
  };
  const appId = ok(await server.api<{ id: string }>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data } }), 201).id;
  ok(await server.api('POST', `/api/v1/applications/${appId}/submit`, { token: ana.token, body: {} }));
  await decide(clerk, appId, 'review', 'review');
  const messages = async () => (await outbox.list(server.db, { channel: 'webhook', target: hook.id, limit: 100 })).map((m) => JSON.parse(m.payload) as { type: string; data: Record<string, unknown> });
  assert.deepEqual((await messages()).map((p) => [p.type, p.data.stepId]), [['application.step-decided', 'review']]);
  const dataDir = server.config.dataDir;
  server.config.dataDir = `${dataDir}/nowhere`;
  try {
    const signatureId = await sign(head, { type: 'decision', id: `${appId}:approve` }, 'approve');
    const current = await server.api('GET', `/api/v1/cases/${appId}`, { token: head.token });
    const refused = await server.api<{ type: string }>('POST', `/api/v1/cases/${appId}/decisions`, {
      token: head.token, headers: { 'If-Match': current.headers.get('etag') ?? '' }, body: { step: 'approve', decision: 'approve', signatureId },
    });
    assert.equal(refused.status, 503);
    assert.match(refused.body.type, /seal-unavailable$/);
  } finally {
    server.config.dataDir = dataDir;
  }
  assert.equal((await messages()).length, 1, 'the refused approval left no message');
  await decide(head, appId, 'approve', 'approve');
  assert.deepEqual((await messages()).map((p) => p.type).sort(), ['application.step-decided', 'application.step-decided', 'document.issued']);
});
