/**
 * No two queries at once on one connection. A knex transaction is one connection: queries sent
 * to it in parallel (Promise.all) only queue in the driver, and pg 8 warns that this is
 * deprecated ("Calling client.query() when the client is already executing a query…"); pg 9
 * drops it. This file walks the paths that did so — a case read inside the decision's
 * transaction (getCase), the inbox, the issued document — through the real API and fails if
 * the warning is emitted. It matters on PostgreSQL (run with DATABASE_URL, as the suite does);
 * on SQLite there is no such warning to catch.
 *
 * Its own file on purpose: Node emits a deprecation once per process, so a test file that
 * triggered it earlier would hide it from a test sharing the process.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { startTestServer, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { residence } from '../helpers/sample-data.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { ensureDemoKeys } from '../../server/documents/keys.ts';
import type { ApplicationView, CaseView, Page, InboxItem } from '../../components/core/api.ts';
import type { SigningPayload } from '../../components/core/signing/payload.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));

const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);
process.on('warning', onWarning);

let server: TestServer;
let ana: Account;
let clerk: Account;
let head: Account;

before(async () => {
  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES });
  const now = Date.now();
  await seedDemo(server.db, now);
  await ensureDemoKeys(server.config, [DEMO_AGENCY]);
  ana = await registerAccount(server, 'Ana Anić');
  clerk = await registerAccount(server, 'Petar Službenik', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, now));
  head = await registerAccount(server, 'Jelena Načelnik', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['head'] }, now));
});
after(async () => {
  process.off('warning', onWarning);
  await server?.close();
});

function ok<T>(res: ApiResponse<T>, status = 200): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

async function sign(who: Account, subject: { type: string; id: string }, action: string): Promise<string> {
  const options = ok(await server.api<{ flowId: string; payload: SigningPayload; publicKey: PublicKeyCredentialRequestOptionsJSON }>(
    'POST', '/api/v1/signatures/options', { token: who.token, body: { subject, action } },
  ));
  const credential = await who.authenticator.get(options.publicKey);
  return ok(await server.api<{ id: string }>('POST', '/api/v1/signatures', { token: who.token, body: { flowId: options.flowId, credential } }), 201).id;
}

/** GET the case (getCase on the pool), then decide (getCase inside the decision's transaction). */
async function decide(who: Account, appId: string, step: string, decision: string): Promise<CaseView> {
  const signatureId = await sign(who, { type: 'decision', id: `${appId}:${step}` }, decision);
  const current = await server.api<CaseView>('GET', `/api/v1/cases/${appId}`, { token: who.token });
  ok(current);
  return ok(await server.api<CaseView>('POST', `/api/v1/cases/${appId}/decisions`, {
    token: who.token, headers: { 'If-Match': current.headers.get('etag') ?? '' }, body: { step, decision, signatureId },
  }));
}

const clientQueryWarnings = () => warnings.filter((w) => w.name === 'DeprecationWarning' && /client\.query\(\)/.test(w.message));

test('a case through its approval line to the issued document: no query sent while another runs on the same connection', async () => {
  const draft = ok(await server.api<ApplicationView>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data: residence() } }), 201);
  const signatureId = await sign(ana, { type: 'application', id: draft.id }, 'submit');
  ok(await server.api('POST', `/api/v1/applications/${draft.id}/submit`, { token: ana.token, body: { signatureId } }));

  const inbox = ok(await server.api<Page<InboxItem>>('GET', '/api/v1/inbox', { token: clerk.token }));
  assert.ok(inbox.items.some((i) => i.id === draft.id));

  const reviewed = await decide(clerk, draft.id, 'review', 'review');
  assert.equal(reviewed.id, draft.id);
  await decide(head, draft.id, 'approve', 'approve');

  const app = ok(await server.api<ApplicationView>('GET', `/api/v1/applications/${draft.id}`, { token: ana.token }));
  assert.equal(app.status, 'issued');
  ok(await server.api('GET', `/api/v1/documents/${app.documentId}`, { token: ana.token }));

  // Deprecations are emitted on the next tick: let any pending one arrive before looking.
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(clientQueryWarnings().map((w) => w.stack ?? w.message), []);
});
