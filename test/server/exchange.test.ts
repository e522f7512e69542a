/**
 * Agency-to-agency exchange across servers (issue 19): two real `overa start` processes with
 * data of their own — A on SQLite, B on PostgreSQL when DATABASE_URL is set (else SQLite too) —
 * made partners with `overa partners add`. A document issued on A with distribution to B's
 * agency arrives in B's reception, an official of B accepts it with a passkey, and A shows it
 * delivered and accepted; both receipts verify with `openssl cms -verify` against the other
 * side's seal root. Then the faults: B down while A sends, B answering 500 or hanging, A killed
 * with SIGKILL mid-delivery, a replay, a part changed in transit, an unknown sender and a sender
 * signing with another agency's seal; and a revocation on A reaching B.
 *
 * A talks to B through a small proxy in this process, so the test can make B's answers fail or
 * hang, or hold an answer back after B has taken the message.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { createTestDb, TEST_ORIGIN, type TestDb, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { childEnv, overaCli, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY, DEMO_RECEIVING_AGENCY } from '../../server/seed.ts';
import { agencies } from '../../server/db/agencies.ts';
import { ensureDemoKeys, loadSeal, sealChainPath, demoRootCertPath } from '../../server/documents/keys.ts';
import { signDetached } from '../../server/documents/exchange-cms.ts';
import { exchangeRequest } from '../../server/services/exchange.ts';
import { canonicalJson, type JsonValue } from '../../components/core/canonical-json.ts';
import type { ExchangeEnvelope, ExchangeReceipt } from '../../components/core/exchange.ts';
import type { ApplicationWithHistory, DocumentDetails, Page, ReceptionItem } from '../../components/core/api.ts';
import { jmbgControlDigit } from '../../components/core/forms/validators.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const B_AGENCY = { id: 'drugi-grad', name: 'Gradska uprava Drugi Grad' };
const JMBG_BASE = '010199071000';
const JMBG = JMBG_BASE + jmbgControlDigit(JMBG_BASE);

interface Client {
  url: string;
  api<T = Record<string, unknown>>(method: string, path: string, options?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<ApiResponse<T>>;
}

function clientOf(url: () => string): Client {
  return {
    get url() {
      return url();
    },
    async api<T>(method: string, path: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined) headers['Content-Type'] ??= 'application/json';
      if (options.token) headers.Authorization = `Bearer ${options.token}`;
      const res = await fetch(url() + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T };
    },
  };
}

function ok<T>(res: ApiResponse<T>, status = 200): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

/** Waits until `check` gives a value (a bound on a hang, not a speed check). */
async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------------------------
// The proxy between A and B

// 'json-only' answers a multipart message 415, as an Overa server from before the multipart encoding did.
type Mode = 'forward' | 'fail' | 'hang' | 'hold' | 'json-only';
const proxy = { mode: 'forward' as Mode, target: '', requests: 0, held: 0, hung: [] as ServerResponse[], types: [] as string[] };
let proxyServer: Server;
let proxyUrl = '';

async function startProxy(): Promise<void> {
  proxyServer = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      proxy.requests += 1;
      const type = req.headers['content-type'] ?? '';
      proxy.types.push(type);
      if (proxy.mode === 'json-only' && !type.startsWith('application/json')) {
        res.writeHead(415, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ type: 'https://overa.dev/problems/unsupported-media-type', title: 'Send application/json', status: 415 }));
        return;
      }
      if (proxy.mode === 'fail') {
        res.writeHead(500, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ title: 'Internal error (from the test proxy)', status: 500 }));
        return;
      }
      if (proxy.mode === 'hang') {
        proxy.hung.push(res);
        return;
      }
      let upstream: Response;
      try {
        upstream = await fetch(proxy.target + req.url, { method: req.method, headers: { 'content-type': type }, body: Buffer.concat(chunks) });
      } catch {
        // B is down: A's connection is dropped, as a refused one would be.
        res.socket?.destroy();
        return;
      }
      const body = Buffer.from(await upstream.arrayBuffer());
      if (proxy.mode === 'hold') {
        // B has taken the message; A never hears so.
        proxy.held += 1;
        proxy.hung.push(res);
        return;
      }
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(body);
    })();
  });
  proxyServer.listen(0, '127.0.0.1');
  await once(proxyServer, 'listening');
  proxyUrl = `http://127.0.0.1:${(proxyServer.address() as { port: number }).port}`;
}

function releaseHung(): void {
  for (const r of proxy.hung.splice(0)) r.socket?.destroy();
}

// ---------------------------------------------------------------------------------------------
// The two servers

let dbA: TestDb;
let dbB: TestDb;
let envA: NodeJS.ProcessEnv;
let envB: NodeJS.ProcessEnv;
let serverA: ChildServer;
let serverB: ChildServer;
let portA = 0;
let portB = 0;
const A = clientOf(() => serverA.url);
const B = clientOf(() => serverB.url);
let formsDir: string;
let citizen: Account;
let clerk: Account;
let head: Account;
let official: Account; // an official of B's agency

/** createTestDb on SQLite whatever DATABASE_URL says. */
async function sqliteDb(): Promise<TestDb> {
  const url = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  try {
    return await createTestDb();
  } finally {
    if (url !== undefined) process.env.DATABASE_URL = url;
  }
}

const outboxEnv = {
  OVERA_ORIGINS: TEST_ORIGIN,
  OVERA_OUTBOX_POLL_MS: '100',
  OVERA_OUTBOX_BACKOFF_MS: '200',
  OVERA_OUTBOX_BACKOFF_MAX_MS: '800',
  OVERA_OUTBOX_LEASE_MS: '4000',
  OVERA_OUTBOX_MAX_ATTEMPTS: '1000',
  OVERA_EXCHANGE_TIMEOUT_MS: '1500',
  OVERA_ARCHIVE_INTERVAL_MINUTES: '0',
};

async function cli(env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  const r = await overaCli(args, env);
  assert.equal(r.code, 0, `overa ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  await startProxy();
  formsDir = mkdtempSync(join(tmpdir(), 'overa-exchange-forms-'));
  // The certificate of residence, sent on issuance to B's agency (a partner: on another server).
  const form = JSON.parse(readFileSync(join(EXAMPLES, 'certificate-of-residence.json'), 'utf8')) as Record<string, unknown>;
  delete form.$schema;
  writeFileSync(join(formsDir, 'certificate-of-residence.json'), JSON.stringify({ ...form, distribution: { agencies: [B_AGENCY.id] } }));

  dbA = await sqliteDb();
  dbB = await createTestDb();
  const now = Date.now();
  await seedDemo(dbA.db, now);
  await ensureDemoKeys(dbA.config, [DEMO_AGENCY, DEMO_RECEIVING_AGENCY]);
  await agencies.upsert(dbB.db, { ...B_AGENCY, created_at: now });
  await ensureDemoKeys(dbB.config, [B_AGENCY]);

  envA = await childEnv(dbA, { ...outboxEnv, OVERA_FORMS_DIR: formsDir });
  envB = await childEnv(dbB, { ...outboxEnv, OVERA_FORMS_DIR: formsDir });
  [serverA, serverB] = await Promise.all([startChildServer(envA), startChildServer(envB)]);
  portA = Number(new URL(serverA.url).port);
  portB = Number(new URL(serverB.url).port);
  proxy.target = serverB.url;

  // Partners, with the CLI: each pins the other's seal certificate (the chain file: seal, then root).
  await cli(envA, ['partners', 'add', B_AGENCY.id, '--url', proxyUrl, '--cert', sealChainPath(dbB.config, B_AGENCY.id)]);
  await cli(envB, ['partners', 'add', DEMO_AGENCY.id, '--url', serverA.url, '--cert', sealChainPath(dbA.config, DEMO_AGENCY.id)]);

  const inviteA = (roles: string[]) => createInvite(dbA.db, { agencyId: DEMO_AGENCY.id, roles }, now);
  citizen = await registerAccount(A as unknown as TestServer, 'Ana Anić');
  clerk = await registerAccount(A as unknown as TestServer, 'Petar Službenik', await inviteA(['clerk']));
  head = await registerAccount(A as unknown as TestServer, 'Jelena Načelnik', await inviteA(['head']));
  official = await registerAccount(B as unknown as TestServer, 'Vesna Prijemna', await createInvite(dbB.db, { agencyId: B_AGENCY.id, roles: ['clerk'] }, now));
});

after(async () => {
  releaseHung();
  await Promise.all([serverA?.stop(), serverB?.stop()]);
  proxyServer?.closeAllConnections();
  proxyServer?.close();
  await dbA?.drop();
  await dbB?.drop();
  rmSync(formsDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Steps

interface Options { flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }

async function sign(server: Client, who: Account, subject: { type: string; id: string }, action: string, context?: Record<string, string>): Promise<string> {
  const o = ok(await server.api<Options>('POST', '/api/v1/signatures/options', { token: who.token, body: { subject, action, ...(context ? { context } : {}) } }));
  const credential = await who.authenticator.get(o.publicKey);
  return ok(await server.api<{ id: string }>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: o.flowId, credential } }), 201).id;
}

async function decide(who: Account, appId: string, step: string): Promise<void> {
  const signatureId = await sign(A, who, { type: 'decision', id: `${appId}:${step}` }, step, { comment: '' });
  const current = await A.api('GET', `/api/v1/cases/${appId}`, { token: who.token });
  ok(current);
  ok(await A.api('POST', `/api/v1/cases/${appId}/decisions`, {
    token: who.token, headers: { 'If-Match': current.headers.get('etag') ?? '' }, body: { step, decision: step, signatureId },
  }));
}

let residents = 0;

/** A certificate of residence through its approval line on A; issued, and so sent to B. */
async function issueOnA(): Promise<string> {
  residents += 1;
  const data = {
    firstName: `Ana${residents}`, lastName: 'Anić', jmbg: JMBG, street: `Bulevar oslobođenja ${residents}`, place: 'Novi Primer',
    postalCode: '21000', purpose: 'employment', delivery: 'online',
  };
  const app = ok(await A.api<{ id: string }>('POST', '/api/v1/applications', { token: citizen.token, body: { formId: 'certificate-of-residence', formVersion: 1, data } }), 201);
  ok(await A.api('POST', `/api/v1/applications/${app.id}/submit`, { token: citizen.token, body: {} }));
  await decide(clerk, app.id, 'review');
  await decide(head, app.id, 'approve');
  const issued = ok(await A.api<ApplicationWithHistory>('GET', `/api/v1/applications/${app.id}`, { token: citizen.token }));
  assert.equal(issued.status, 'issued');
  return issued.documentId!;
}

const documentOnA = async (id: string) => ok(await A.api<DocumentDetails>('GET', `/api/v1/documents/${id}`, { token: head.token }));
const partnerRecipient = async (id: string) => (await documentOnA(id)).recipients.find((r) => r.agencyId === B_AGENCY.id);

async function receptionOnB(): Promise<ReceptionItem[]> {
  return ok(await B.api<Page<ReceptionItem>>('GET', '/api/v1/reception?limit=100', { token: official.token })).items;
}

const arrivedAtB = (documentId: string) => waitFor(`document ${documentId} at B`, async () => (await receptionOnB()).find((r) => r.documentId === documentId));

async function countRows(t: TestDb, table: string, where: Record<string, string> = {}): Promise<number> {
  return Number((await t.db(table).where(where).count({ n: '*' }).first())!.n);
}

/** The message A sent for a document, as stored on A (what a replay sends again). */
async function storedMessage(documentId: string): Promise<{ id: string; envelope: string; signature: string; parts: { name: string; data: string }[]; receipt: string | null }> {
  const m = await dbA.db('exchange_messages').where({ document_id: documentId, direction: 'out', type: 'document' }).first();
  const parts = (await dbA.db('exchange_parts').where({ message_id: m.id, direction: 'out' }).orderBy('idx')) as { name: string; data: Buffer }[];
  return { id: m.id, envelope: m.envelope, signature: m.signature, parts: parts.map((p) => ({ name: p.name, data: Buffer.from(p.data).toString('base64') })), receipt: m.receipt };
}

function postRaw(body: string | Uint8Array<ArrayBuffer>, contentType = 'application/json'): Promise<Response> {
  return fetch(`${serverB.url}/api/v1/exchange/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
}

/** `openssl cms -verify` of a receipt (canonical JSON + base64 DER detached CMS) against a root. */
function opensslVerify(json: string, signatureB64: string, rootPem: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'overa-receipt-'));
  try {
    writeFileSync(join(dir, 'receipt.json'), json);
    writeFileSync(join(dir, 'receipt.p7s'), Buffer.from(signatureB64, 'base64'));
    return execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'receipt.p7s'), '-content', join(dir, 'receipt.json'),
      '-CAfile', rootPem, '-out', join(dir, 'out')], { stdio: ['ignore', 'pipe', 'pipe'] }).toString() + readFileSync(join(dir, 'out'), 'utf8');
  } catch (err) {
    throw new Error(`openssl cms -verify failed: ${(err as { stderr?: Buffer }).stderr?.toString() ?? err}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Tests

let firstDocument = '';

test('a document issued on A arrives at B, is accepted there with a passkey, and A shows it delivered and accepted; both receipts verify with openssl', async () => {
  // The partners directory, as the CLI prints it.
  assert.match(await cli(envA, ['partners', 'list']), new RegExp(`^${B_AGENCY.id}  ${B_AGENCY.name}  ${proxyUrl}  seal [0-9a-f]{64}`, 'm'));
  // The picker lists the partner beside the local agencies.
  const directory = ok(await A.api<{ items: { id: string; kind: string }[] }>('GET', '/api/v1/agencies', { token: clerk.token })).items;
  assert.deepEqual(directory.map((a) => [a.id, a.kind]), [[DEMO_RECEIVING_AGENCY.id, 'local'], [B_AGENCY.id, 'partner']]);

  firstDocument = await issueOnA();
  const item = await arrivedAtB(firstDocument);
  assert.equal(item.status, 'pending');
  assert.equal(item.issuingAgency.id, DEMO_AGENCY.id);
  assert.equal(item.partner?.server, serverA.url);
  assert.equal(item.partner?.seal.verified, true);
  assert.match(item.partner!.seal.subject, /O=Gradska uprava Novi Primer|Novi Primer/);

  // B's copy of the PDF is A's, byte for byte.
  const pdfB = Buffer.from(await (await fetch(`${serverB.url}/api/v1/reception/${item.id}/pdf`, { headers: { Authorization: `Bearer ${official.token}` } })).arrayBuffer());
  const pdfA = Buffer.from(await (await fetch(`${serverA.url}/api/v1/documents/${firstDocument}/pdf`, { headers: { Authorization: `Bearer ${head.token}` } })).arrayBuffer());
  assert.ok(pdfA.length > 1000);
  assert.ok(pdfB.equals(pdfA));
  // B's trust anchors include A's root: <overa-verify> on B trusts A's seal.
  const anchors = ok(await B.api<{ anchors: { sha256: string }[] }>('GET', '/api/v1/trust')).anchors.map((a) => a.sha256);
  const rootA = createHash('sha256').update(Buffer.from(readFileSync(demoRootCertPath(dbA.config), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64')).digest('hex');
  assert.ok(anchors.includes(rootA));

  const delivered = await waitFor('delivery on A', async () => {
    const r = await partnerRecipient(firstDocument);
    return r?.partner?.delivery === 'delivered' ? r : undefined;
  });
  assert.equal(delivered.status, 'pending');
  // In the multipart encoding: the PDF's bytes as they are, no base64 (docs/exchange.md).
  assert.match(proxy.types[0]!, /^multipart\/form-data; boundary=/);

  // The official of B accepts with a passkey signature, as for a local document.
  const signatureId = await sign(B, official, { type: 'reception', id: item.id }, 'accept');
  const accepted = ok(await B.api<ReceptionItem>('POST', `/api/v1/reception/${item.id}/accept`, { token: official.token, body: { signatureId } }));
  assert.equal(accepted.status, 'accepted');
  assert.equal(accepted.acceptedBy?.displayName, 'Vesna Prijemna');

  const done = await waitFor('acceptance on A', async () => {
    const r = await partnerRecipient(firstDocument);
    return r?.status === 'accepted' ? r : undefined;
  });
  assert.equal(done.partner?.delivery, 'delivered');
  const history = (await documentOnA(firstDocument)).history.map((h) => h.action);
  for (const a of ['document.issued', 'document.sent', 'exchange.delivered', 'exchange.accepted']) assert.ok(history.includes(a), `${a} in ${history.join(', ')}`);

  // A's proof of delivery: B's receipt, checked offline against B's root.
  const receipt = JSON.parse(done.partner!.receipt!.json) as ExchangeReceipt;
  assert.equal(receipt.to, B_AGENCY.id);
  assert.equal(receipt.parts[0]!.sha256, createHash('sha256').update(pdfA).digest('hex'));
  assert.match(opensslVerify(done.partner!.receipt!.json, done.partner!.receipt!.signature, demoRootCertPath(dbB.config)), /"messageId"/);
  // B's proof that its acceptance reached A: A's receipt, checked against A's root.
  const acceptance = await waitFor('the acceptance receipt on B', async () =>
    (await dbB.db('exchange_messages').where({ direction: 'out', type: 'acceptance' }).whereNotNull('receipt').first()) as { receipt: string; receipt_signature: string } | undefined);
  assert.match(opensslVerify(acceptance.receipt, acceptance.receipt_signature, demoRootCertPath(dbA.config)), /"from":"drugi-grad"/);
  // And the queue says so.
  assert.match(await cli(envA, ['exchange', 'status']), /document\s+novi-primer → drugi-grad  delivered \(accepted\)/);
});

test('B down while A sends: the message waits in the queue and is delivered once when B is back', async () => {
  await serverB.stop();
  const id = await issueOnA();
  await waitFor('a failed attempt', async () => {
    const r = await partnerRecipient(id);
    return r?.partner && r.partner.attempts >= 2 && r.partner.delivery !== 'delivered' && r.partner.lastError ? r : undefined;
  });
  assert.match(await cli(envA, ['exchange', 'status']), /(queued|delivering)\s+attempts \d+/);
  serverB = await startChildServer(envB, [], { port: portB });
  await waitFor('delivery after B came back', async () => (await partnerRecipient(id))?.partner?.delivery === 'delivered');
  await arrivedAtB(id);
  assert.equal(await countRows(dbB, 'received_documents', { document_id: id }), 1);
});

test('B answering 500, then not answering at all: A retries with backoff until B takes it', async () => {
  proxy.mode = 'fail';
  const before = proxy.requests;
  const id = await issueOnA();
  await waitFor('three 500 answers', async () => proxy.requests - before >= 3);
  const failing = (await partnerRecipient(id))!.partner!;
  assert.notEqual(failing.delivery, 'delivered');
  proxy.mode = 'hang';
  const hanging = proxy.requests;
  await waitFor('two timed-out attempts', async () => proxy.requests - hanging >= 2);
  assert.match((await partnerRecipient(id))!.partner!.lastError ?? '', /timed out|HTTP 500/);
  proxy.mode = 'forward';
  releaseHung();
  await waitFor('delivery', async () => (await partnerRecipient(id))?.partner?.delivery === 'delivered');
  assert.equal(await countRows(dbB, 'received_documents', { document_id: id }), 1);
  assert.equal(await countRows(dbB, 'exchange_messages', { document_id: id, direction: 'in' }), 1);
});

test('A killed with SIGKILL while delivering: nothing lost, nothing duplicated at B', async () => {
  proxy.mode = 'hold';
  const heldBefore = proxy.held;
  const id = await issueOnA();
  // B has stored the message; A is waiting for the answer the proxy holds back.
  await waitFor('B took the message', async () => proxy.held > heldBefore);
  assert.equal(await countRows(dbB, 'received_documents', { document_id: id }), 1);
  await serverA.kill();
  releaseHung();
  proxy.mode = 'forward';
  serverA = await startChildServer(envA, [], { port: portA });
  // After the dead worker's lease, the new one sends the same message again; B answers with its first receipt.
  const r = await waitFor('delivery after the restart', async () => {
    const x = await partnerRecipient(id);
    return x?.partner?.delivery === 'delivered' ? x : undefined;
  });
  assert.equal(await countRows(dbB, 'received_documents', { document_id: id }), 1);
  assert.equal(await countRows(dbB, 'exchange_messages', { document_id: id, direction: 'in' }), 1);
  const atB = await dbB.db('exchange_messages').where({ document_id: id, direction: 'in' }).first();
  assert.equal(r.partner!.receipt!.json, atB.receipt);
});

test('a replayed message gets the same receipt and stores nothing again', async () => {
  const m = await storedMessage(firstDocument);
  const body = `{"envelope":${m.envelope},"signature":${JSON.stringify(m.signature)},"parts":${JSON.stringify(m.parts)}}`;
  const counts = [await countRows(dbB, 'received_documents'), await countRows(dbB, 'exchange_messages'), await countRows(dbB, 'exchange_parts')];
  const res = await postRaw(body);
  assert.equal(res.status, 200);
  const answer = (await res.json()) as { receipt: ExchangeReceipt; signature: string };
  assert.equal(canonicalJson(answer.receipt as unknown as JsonValue), m.receipt);
  assert.deepEqual([await countRows(dbB, 'received_documents'), await countRows(dbB, 'exchange_messages'), await countRows(dbB, 'exchange_parts')], counts);
});

test('refused, and nothing stored: a part changed in transit, an unknown sender, a sender signing with another agency\'s seal, a document received before', async () => {
  const tables = ['received_documents', 'exchange_messages', 'exchange_parts', 'audit_log'];
  const snapshot = async () => Promise.all(tables.map((t) => countRows(dbB, t)));
  const before = await snapshot();
  const m = await storedMessage(firstDocument);
  const envelope = JSON.parse(m.envelope) as ExchangeEnvelope;

  // One byte of the PDF changed on the way (a fresh id, so it is not a replay).
  const fresh = { ...envelope, messageId: randomUUID(), documentId: randomUUID() };
  const seal = await loadSeal(dbA.config, DEMO_AGENCY.id);
  const signed = async (e: ExchangeEnvelope, key = seal) => Buffer.from(await signDetached(new TextEncoder().encode(canonicalJson(e as unknown as JsonValue)), key)).toString('base64');
  const pdf = Buffer.from(m.parts[0]!.data, 'base64');
  pdf[pdf.length - 10] ^= 1;
  let res = await postRaw(JSON.stringify({ envelope: fresh, signature: await signed(fresh), parts: [{ name: 'document.pdf', data: pdf.toString('base64') }] }));
  assert.equal(res.status, 422);
  assert.equal(((await res.json()) as { errors: { field: string }[] }).errors[0]!.field, 'parts[0]');

  // The envelope changed after signing (its hash then names the changed part): the signature fails.
  res = await postRaw(JSON.stringify({ envelope: { ...fresh, parts: [{ ...fresh.parts[0]!, sha256: createHash('sha256').update(pdf).digest('hex') }] }, signature: await signed(fresh), parts: [{ name: 'document.pdf', data: pdf.toString('base64') }] }));
  assert.equal(res.status, 403);
  assert.match(((await res.json()) as { type: string }).type, /bad-signature/);

  // An agency B has no partnership with.
  const stranger = { ...fresh, from: { ...fresh.from, agencyId: 'nepoznat-organ' } };
  res = await postRaw(JSON.stringify({ envelope: stranger, signature: await signed(stranger), parts: m.parts }));
  assert.equal(res.status, 403);
  assert.match(((await res.json()) as { type: string }).type, /unknown-sender/);

  // A's other agency's seal (same server, same root) claiming to be novi-primer.
  const other = await loadSeal(dbA.config, DEMO_RECEIVING_AGENCY.id);
  res = await postRaw(JSON.stringify({ envelope: fresh, signature: await signed(fresh, other), parts: m.parts }));
  assert.equal(res.status, 403);
  const p = (await res.json()) as { type: string; detail: string };
  assert.match(p.type, /bad-signature/);
  assert.match(p.detail, /pinned/);

  // The same document again, under a message id of its own, well signed: B holds it already.
  const again = { ...envelope, messageId: randomUUID() };
  res = await postRaw(JSON.stringify({ envelope: again, signature: await signed(again), parts: m.parts }));
  assert.equal(res.status, 409);
  assert.match(((await res.json()) as { type: string }).type, /already-received/);

  assert.deepEqual(await snapshot(), before);
});

test('refused, and nothing stored, in the multipart encoding too: a part changed in transit, a part not named, a field not of the protocol, text that is not text, a body over the limit', async () => {
  const tables = ['received_documents', 'exchange_messages', 'exchange_parts', 'audit_log'];
  const snapshot = async () => Promise.all(tables.map((t) => countRows(dbB, t)));
  const before = await snapshot();
  const m = await storedMessage(firstDocument);
  const fresh = { ...(JSON.parse(m.envelope) as ExchangeEnvelope), messageId: randomUUID(), documentId: randomUUID() };
  const seal = await loadSeal(dbA.config, DEMO_AGENCY.id);
  const text = canonicalJson(fresh as unknown as JsonValue);
  const signature = Buffer.from(await signDetached(new TextEncoder().encode(text), seal)).toString('base64');
  const pdf = Buffer.from(m.parts[0]!.data, 'base64');
  const multipart = (parts: { name: string; contentType: string; data: Buffer }[], extra = '') => {
    const r = exchangeRequest({ envelope: text, signature }, parts, 'multipart');
    if (!extra) return r;
    const boundary = r.contentType.split('boundary=')[1]!;
    const tail = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${extra}"\r\n\r\nx\r\n--${boundary}--\r\n`);
    const body = r.body as Uint8Array;
    return { contentType: r.contentType, body: new Uint8Array(Buffer.concat([body.subarray(0, body.length - boundary.length - 6), tail])) };
  };
  const post = async (r: { contentType: string; body: string | Uint8Array }) => {
    const res = await postRaw(r.body as Uint8Array<ArrayBuffer>, r.contentType);
    return { status: res.status, problem: (await res.json()) as { type: string; errors?: { field: string }[] } };
  };

  const changed = Buffer.from(pdf);
  changed[changed.length - 10] ^= 1;
  let r = await post(multipart([{ name: 'document.pdf', contentType: 'application/pdf', data: changed }]));
  assert.equal(r.status, 422);
  assert.equal(r.problem.errors?.[0]?.field, 'parts[0]');

  r = await post(multipart([{ name: 'other.pdf', contentType: 'application/pdf', data: pdf }]));
  assert.equal(r.status, 400);
  assert.equal(r.problem.errors?.[0]?.field, 'parts[0]');

  r = await post(multipart([{ name: 'document.pdf', contentType: 'application/pdf', data: pdf }], 'note'));
  assert.equal(r.status, 400);
  assert.equal(r.problem.errors?.[0]?.field, 'note');

  // Text that is not text, refused as the JSON encoding's body parser refuses it: a NUL after a
  // valid signature (base64 decoding would skip it, and PostgreSQL cannot store it).
  r = await post(exchangeRequest({ envelope: text, signature: `${signature}\u0000` }, [{ name: 'document.pdf', contentType: 'application/pdf', data: pdf }], 'multipart'));
  assert.equal(r.status, 400);
  assert.match(r.problem.type, /invalid-text/);

  // B's limit is OVERA_EXCHANGE_MAX_BYTES (32 MiB): a body declared larger is refused before it
  // is read (only its first bytes are sent; the answer comes without the rest).
  const head = multipart([{ name: 'document.pdf', contentType: 'application/pdf', data: pdf }]);
  const refused = await new Promise<number>((resolve, reject) => {
    const req = request(`${serverB.url}/api/v1/exchange/messages`, { method: 'POST', headers: { 'content-type': head.contentType, 'content-length': String(33 * 1024 * 1024) } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
      req.destroy();
    });
    req.on('error', reject);
    req.write((head.body as Uint8Array).subarray(0, 1000));
  });
  assert.equal(refused, 413);

  assert.deepEqual(await snapshot(), before);
  // And the same message, whole, is taken: the refusals above were about what they name.
  r = await post(multipart([{ name: 'document.pdf', contentType: 'application/pdf', data: pdf }]));
  assert.equal(r.status, 200, JSON.stringify(r.problem));
  assert.equal(await countRows(dbB, 'received_documents', { document_id: fresh.documentId }), 1);
});

test('a revocation on A reaches B\'s reception view', async () => {
  ok(await A.api('POST', `/api/v1/documents/${firstDocument}/revoke`, { token: head.token, body: { reason: 'Greška u adresi' } }));
  const item = await waitFor('the revocation at B', async () => {
    const r = (await receptionOnB()).find((x) => x.documentId === firstDocument);
    return r?.documentStatus === 'revoked' ? r : undefined;
  });
  assert.equal(item.partner?.revocation?.reason, 'Greška u adresi');
  assert.equal(item.status, 'accepted');
  await waitFor('the revocation delivered', async () => (await documentOnA(firstDocument)).history.filter((h) => h.action === 'exchange.delivered').length >= 2);
});

test('a partner that takes only JSON (an Overa server from before multipart) gets the message as JSON, once', async () => {
  proxy.mode = 'json-only';
  proxy.types.length = 0;
  try {
    const id = await issueOnA();
    await arrivedAtB(id);
    await waitFor('delivery in JSON', async () => (await partnerRecipient(id))?.partner?.delivery === 'delivered');
    // One multipart attempt answered 415, then JSON, and JSON from then on for this partner.
    assert.match(proxy.types[0]!, /^multipart\/form-data/);
    assert.ok(proxy.types.slice(1).every((t) => t === 'application/json'), proxy.types.join(', '));
    assert.equal(await countRows(dbB, 'received_documents', { document_id: id }), 1);
  } finally {
    proxy.mode = 'forward';
  }
});
