/**
 * Issue 9, item 2: scale-out. Two `overa start` processes on one PostgreSQL schema that share
 * nothing else — no memory (separate processes, so separate event buses, LISTEN connections,
 * knex pools and caches) and separate data folders, bar the agency seal keys both need (a
 * symlinked `keys/`, as one mounted volume). Every state that matters must therefore live in
 * the database:
 *
 * - register on one and sign in on the other; a session made on one works on the other, and
 *   ends on both at sign-out;
 * - start a signature on one and finish it on the other (the flow is the database's, single-use
 *   across both);
 * - a decision made through one reaches an inbox open on the other (LISTEN/NOTIFY), and only
 *   the agencies that see the case; an approval on one issues a document the other serves;
 * - idempotency keys hold across both: a retry on the other instance replays, a concurrent
 *   duplicate on the other makes no second application;
 * - rate limits hold across both: one budget per client, however the requests are spread.
 *
 * SQLite is not applicable: one SQLite database is one instance's (its events are in process,
 * and docs/server.md runs several instances only on PostgreSQL). So the suite is registered only
 * when DATABASE_URL is set, rather than reported as skipped.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { createTestDb, TEST_ORIGIN, type TestDb } from '../helpers/test-server.ts';
import { childEnv, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { openEvents } from '../helpers/events.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { agencies } from '../../server/db/agencies.ts';
import type { User } from '../../components/core/user.ts';
import type { ApplicationWithHistory, CaseView } from '../../components/core/api.ts';
import { residence } from '../helpers/sample-data.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const OTHER_AGENCY = { id: 'drugi-grad', name: 'Gradska uprava Drugi Grad' };
/** The verification budget both instances get: a few per hour, so that the test can spend it. */
const VERIFY_LIMIT = 6;
const VERIFY_WINDOW_S = 3600;

interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

async function call<T = Record<string, unknown>>(
  base: string, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const res = await fetch(base + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : {}) as T };
}

function ok<T>(res: Answer<T>, status = 200): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

interface Person {
  user: User;
  token: string;
  authenticator: SoftAuthenticator;
}

if (process.env.DATABASE_URL) {
  describe('two instances on one PostgreSQL, sharing nothing else', () => {
    let t: TestDb;
    let secondDir: string;
    let one: ChildServer;
    let two: ChildServer;
    let ana: Person;
    let clerk: Person;
    let head: Person;
    let outsider: Person;

    /** Registration with the options from `optionsOn` and the passkey's answer to `verifyOn`. */
    async function register(optionsOn: string, verifyOn: string, displayName: string, inviteCode?: string): Promise<Person> {
      const authenticator = new SoftAuthenticator(TEST_ORIGIN);
      const options = ok(await call<{ flowId: string; publicKey: PublicKeyCredentialCreationOptionsJSON }>(optionsOn, 'POST', '/api/v1/auth/register/options', {
        body: inviteCode ? { displayName, inviteCode } : { displayName },
      }));
      const credential = await authenticator.create(options.publicKey);
      const session = ok(await call<{ token: string; user: User }>(verifyOn, 'POST', '/api/v1/auth/register/verify', { body: { flowId: options.flowId, credential } }), 201);
      return { ...session, authenticator };
    }

    async function signIn(optionsOn: string, verifyOn: string, who: Person): Promise<string> {
      const options = ok(await call<{ flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }>(optionsOn, 'POST', '/api/v1/auth/login/options', { body: {} }));
      const credential = await who.authenticator.get(options.publicKey);
      const session = ok(await call<{ token: string; user: User }>(verifyOn, 'POST', '/api/v1/auth/login/verify', { body: { flowId: options.flowId, credential } }));
      assert.equal(session.user.id, who.user.id);
      return session.token;
    }

    /** A passkey signature: options from `optionsOn`, the assertion posted to `signOn`. */
    async function sign(optionsOn: string, signOn: string, who: Person, subject: { type: string; id: string }, action: string): Promise<string> {
      const options = ok(await call<{ flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }>(optionsOn, 'POST', '/api/v1/signatures/options', {
        token: who.token, body: { subject, action },
      }));
      const credential = await who.authenticator.get(options.publicKey);
      return ok(await call<{ id: string }>(signOn, 'POST', '/api/v1/signatures', { token: who.token, body: { flowId: options.flowId, credential } }), 201).id;
    }

    async function submitted(base: string, who: Person, data = residence()): Promise<ApplicationWithHistory> {
      const draft = ok(await call<{ id: string }>(base, 'POST', '/api/v1/applications', { token: who.token, body: { formId: 'certificate-of-residence', formVersion: 1, data } }), 201);
      return ok(await call<ApplicationWithHistory>(base, 'POST', `/api/v1/applications/${draft.id}/submit`, { token: who.token, body: {} }));
    }

    /** Signs on one instance and posts the decision on the other. */
    async function decide(signOn: string, decideOn: string, who: Person, id: string, step: string, decision: string): Promise<CaseView> {
      const signatureId = await sign(signOn, decideOn, who, { type: 'decision', id: `${id}:${step}` }, decision);
      const current = await call<CaseView>(signOn, 'GET', `/api/v1/cases/${id}`, { token: who.token });
      ok(current);
      return ok(await call<CaseView>(decideOn, 'POST', `/api/v1/cases/${id}/decisions`, {
        token: who.token, headers: { 'If-Match': current.headers.get('etag') ?? '' }, body: { step, decision, signatureId },
      }));
    }

    before(async () => {
      // The first data folder has the demo seal keys (createTestDb); the second shares only them.
      t = await createTestDb({ OVERA_FORMS_DIR: EXAMPLES });
      await seedDemo(t.db, Date.now());
      await agencies.upsert(t.db, { ...OTHER_AGENCY, created_at: Date.now() });
      secondDir = mkdtempSync(join(tmpdir(), 'overa-second-'));
      symlinkSync(join(t.config.dataDir, 'keys'), join(secondDir, 'keys'), 'dir');
      const env = await childEnv(t, {
        OVERA_FORMS_DIR: EXAMPLES,
        OVERA_ORIGINS: TEST_ORIGIN,
        OVERA_RATE_LIMIT_VERIFY: `${VERIFY_LIMIT}/${VERIFY_WINDOW_S}`,
      });
      [one, two] = await Promise.all([startChildServer(env), startChildServer({ ...env, OVERA_DATA_DIR: secondDir })]);
    });

    after(async () => {
      await Promise.all([one?.stop(), two?.stop()]);
      await t?.drop();
      if (secondDir) rmSync(secondDir, { recursive: true, force: true });
    });

    test('register on one and sign in on the other; a session of either works on both and ends on both', async () => {
      // Each ceremony started on one instance and finished on the other: the challenge is the database's.
      ana = await register(one.url, two.url, 'Ana Anić');
      const now = Date.now();
      clerk = await register(two.url, one.url, 'Petar Službenik', await createInvite(t.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, now));
      head = await register(one.url, two.url, 'Milan Načelnik', await createInvite(t.db, { agencyId: DEMO_AGENCY.id, roles: ['head'] }, now));
      outsider = await register(two.url, one.url, 'Olga Drugić', await createInvite(t.db, { agencyId: OTHER_AGENCY.id, roles: ['clerk', 'head'] }, now));
      assert.deepEqual([clerk.user.kind, clerk.user.agencyId, clerk.user.roles], ['official', DEMO_AGENCY.id, ['clerk']]);
      for (const base of [one.url, two.url]) assert.equal(ok(await call<{ user: User }>(base, 'GET', '/api/v1/me', { token: ana.token })).user.id, ana.user.id);

      const fromTwo = await signIn(two.url, one.url, ana);
      const fromOne = await signIn(one.url, two.url, ana);
      for (const token of [fromOne, fromTwo]) {
        for (const base of [one.url, two.url]) assert.equal(ok(await call<{ user: User }>(base, 'GET', '/api/v1/me', { token })).user.id, ana.user.id);
      }
      // A sign-in flow is single-use across both: the second instance refuses what the first consumed.
      const options = ok(await call<{ flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }>(one.url, 'POST', '/api/v1/auth/login/options', { body: {} }));
      const credential = await ana.authenticator.get(options.publicKey);
      ok(await call(two.url, 'POST', '/api/v1/auth/login/verify', { body: { flowId: options.flowId, credential } }));
      assert.equal((await call(one.url, 'POST', '/api/v1/auth/login/verify', { body: { flowId: options.flowId, credential } })).status, 400);
      // Signed out on one: dead on the other too.
      assert.equal((await call(one.url, 'POST', '/api/v1/auth/logout', { token: fromTwo })).status, 204);
      for (const base of [one.url, two.url]) assert.equal((await call(base, 'GET', '/api/v1/me', { token: fromTwo })).status, 401);
      assert.equal((await call(two.url, 'GET', '/api/v1/me', { token: fromOne })).status, 200, 'only that session ended');
    });

    test('a signature started on one is finished on the other, and its flow is single-use across both', async () => {
      const draft = ok(await call<{ id: string }>(one.url, 'POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data: residence() } }), 201);
      const options = ok(await call<{ flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }>(one.url, 'POST', '/api/v1/signatures/options', {
        token: ana.token, body: { subject: { type: 'application', id: draft.id }, action: 'submit' },
      }));
      const credential = await ana.authenticator.get(options.publicKey);
      const signature = ok(await call<{ id: string }>(two.url, 'POST', '/api/v1/signatures', { token: ana.token, body: { flowId: options.flowId, credential } }), 201);
      assert.equal((await call(one.url, 'POST', '/api/v1/signatures', { token: ana.token, body: { flowId: options.flowId, credential } })).status, 400, 'used up on the other instance');
      ok(await call(one.url, 'GET', `/api/v1/signatures/${signature.id}`, { token: ana.token }));
      const app = ok(await call<ApplicationWithHistory>(one.url, 'POST', `/api/v1/applications/${draft.id}/submit`, { token: ana.token, body: { signatureId: signature.id } }));
      assert.equal(app.signatureId, signature.id);
      assert.equal((await call(two.url, 'POST', `/api/v1/applications/${draft.id}/submit`, { token: ana.token, body: { signatureId: signature.id } })).status, 409);
    });

    test('a decision made through one instance reaches the inboxes open on the other (and on itself), and nobody else\'s', async () => {
      const onTwo = await openEvents(`${two.url}/api/v1/inbox/events?access_token=${head.token}`);
      const onOne = await openEvents(`${one.url}/api/v1/inbox/events`, { Authorization: `Bearer ${clerk.token}` });
      const otherAgency = await openEvents(`${one.url}/api/v1/inbox/events?access_token=${outsider.token}`);
      try {
        for (const s of [onTwo, onOne, otherAgency]) {
          assert.equal(s.status, 200);
          await s.next((e) => e.event === 'ready');
        }
        const app = await submitted(two.url, ana);
        await onOne.next((e) => e.event === 'case-updated' && e.data.id === app.id && e.data.status === 'submitted');
        await onTwo.next((e) => e.event === 'case-updated' && e.data.id === app.id && e.data.status === 'submitted');

        const reviewed = await decide(two.url, one.url, clerk, app.id, 'review', 'review');
        const expected = { id: app.id, status: 'in_review', version: reviewed.version, trackingNumber: reviewed.trackingNumber };
        assert.deepEqual((await onTwo.next((e) => e.event === 'case-updated' && e.data.id === app.id && e.data.status === 'in_review')).data, expected);
        assert.deepEqual((await onOne.next((e) => e.event === 'case-updated' && e.data.id === app.id && e.data.status === 'in_review')).data, expected);

        // The approval on the second instance seals the document with the shared keys; the first serves it.
        const approved = await decide(one.url, two.url, head, app.id, 'approve', 'approve');
        assert.equal(approved.status, 'issued');
        await onOne.next((e) => e.event === 'case-updated' && e.data.id === app.id && (e.data.version as number) > reviewed.version);
        const issued = ok(await call<ApplicationWithHistory>(one.url, 'GET', `/api/v1/applications/${app.id}`, { token: ana.token }));
        const pdf = await fetch(`${one.url}/api/v1/documents/${issued.documentId}/pdf`, { headers: { Authorization: `Bearer ${ana.token}` } });
        assert.equal(pdf.status, 200);
        assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');

        // Every instance learns of an event the same way (NOTIFY): the other agency's stream would have it by now.
        assert.deepEqual(otherAgency.events.filter((e) => e.event === 'case-updated'), []);
      } finally {
        for (const s of [onTwo, onOne, otherAgency]) s.close();
      }
    });

    test('an Idempotency-Key holds across both: a retry on the other replays, a concurrent duplicate makes nothing twice', async (ctx) => {
      const body = { formId: 'certificate-of-residence', formVersion: 1, data: residence({ street: 'Idempotentna 1' }) };
      const first = await call<{ id: string }>(one.url, 'POST', '/api/v1/applications', { token: ana.token, body, headers: { 'Idempotency-Key': 'scale-out-1' } });
      assert.equal(first.status, 201);
      assert.equal(first.headers.get('idempotent-replayed'), null);
      const retry = await call<{ id: string }>(two.url, 'POST', '/api/v1/applications', { token: ana.token, body, headers: { 'Idempotency-Key': 'scale-out-1' } });
      assert.equal(retry.status, 201);
      assert.equal(retry.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(retry.body, first.body);
      const reused = await call(two.url, 'POST', '/api/v1/applications', { token: ana.token, body: { ...body, data: residence({ street: 'Druga 2' }) }, headers: { 'Idempotency-Key': 'scale-out-1' } });
      assert.equal(reused.status, 422);
      // Submitting: on one, replayed on the other.
      const submit = (base: string) => call<ApplicationWithHistory>(base, 'POST', `/api/v1/applications/${first.body.id}/submit`, { token: ana.token, body: {}, headers: { 'Idempotency-Key': 'scale-out-submit' } });
      const s1 = await submit(two.url);
      const s2 = await submit(one.url);
      assert.deepEqual([s1.status, s2.status, s2.headers.get('idempotent-replayed')], [200, 200, 'true']);
      assert.equal(s2.body.version, s1.body.version);

      // The same request sent to both at once, for several keys: one application per key, whichever instance ran it.
      const before = Number((await t.db('applications').where({ owner_id: ana.user.id }).count({ n: '*' }).first())!.n);
      const KEYS = 12;
      let inUse = 0;
      const outcomes = await Promise.all(Array.from({ length: KEYS }, async (_, k) => {
        const key = `scale-out-race-${k}`;
        const payload = { ...body, data: residence({ street: `Trkačka ${k}` }) };
        const send = async (base: string): Promise<Answer<{ id: string }>> => {
          for (let attempt = 0; ; attempt++) {
            const res = await call<{ id: string }>(base, 'POST', '/api/v1/applications', { token: ana.token, body: payload, headers: { 'Idempotency-Key': key } });
            // 409 idempotency-key-in-use: the twin is still running; retry as the header says.
            if (res.status !== 409 || attempt > 50) return res;
            inUse++;
            assert.equal(res.headers.get('retry-after'), '1');
            await new Promise((r) => setTimeout(r, 50));
          }
        };
        return Promise.all([send(one.url), send(two.url)]);
      }));
      const ranOnOne = outcomes.filter(([a]) => a.headers.get('idempotent-replayed') === null).length;
      ctx.diagnostic(`${KEYS} keys sent to both at once: ${ranOnOne} ran on the first instance, ${KEYS - ranOnOne} on the second; ${inUse} answers were 409 idempotency-key-in-use (retried)`);
      for (const [a, b] of outcomes) {
        assert.deepEqual([a.status, b.status], [201, 201], JSON.stringify([a.body, b.body]));
        assert.equal(a.body.id, b.body.id, 'both instances answer with the one application');
        assert.equal([a, b].filter((x) => x.headers.get('idempotent-replayed') === 'true').length, 1, 'one ran it, the other replayed it');
      }
      const after = Number((await t.db('applications').where({ owner_id: ana.user.id }).count({ n: '*' }).first())!.n);
      assert.equal(after - before, KEYS);
    });

    test('rate limits hold across both: one budget per client however its requests are spread', async () => {
      // Fixed windows: keep clear of a window's end, where the budget would start again.
      const intoWindow = Date.now() % (VERIFY_WINDOW_S * 1000);
      if (VERIFY_WINDOW_S * 1000 - intoWindow < 20_000) await new Promise((r) => setTimeout(r, VERIFY_WINDOW_S * 1000 - intoWindow + 100));
      const statuses: number[] = [];
      for (let i = 0; i < VERIFY_LIMIT + 4; i++) {
        const base = i % 2 === 0 ? one.url : two.url;
        const res = await call(base, 'GET', '/api/v1/verify/ACDE-FGHJ-KMNP-QRTU-VWXY');
        statuses.push(res.status);
        if (res.status === 429) assert.ok(Number(res.headers.get('retry-after')) > 0);
      }
      assert.deepEqual(statuses, [...Array(VERIFY_LIMIT).fill(404), 429, 429, 429, 429]);
      // Both instances refuse now, whichever served the requests that spent the budget.
      for (const base of [one.url, two.url]) assert.equal((await call(base, 'GET', '/api/v1/verify/ACDE-FGHJ-KMNP-QRTU-VWXY')).status, 429);
    });
  });
}
