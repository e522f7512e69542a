/**
 * The inbox's event stream (`GET /api/v1/inbox/events`) and the bus behind it, against the real
 * server and database: a sign-out ends the streams of that session at once; a change that
 * rolls back sends nothing, however it rolls back; and, on PostgreSQL, a lost LISTEN
 * connection comes back by itself and the open streams are told to reload.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { openEvents, type EventStream, type SseEvent } from '../helpers/events.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { decide } from '../../server/services/workflow.ts';
import { eventsChannel, type BusEvent } from '../../server/services/events.ts';
import type { ApplicationWithHistory, CaseView } from '../../components/core/api.ts';
import type { User } from '../../components/core/user.ts';
import { residence } from '../helpers/sample-data.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));

let server: TestServer;
let ana: Account; // citizen
let clerk: Account; // Petar, clerk
let head: Account; // Milan, head

before(async () => {
  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES });
  const now = Date.now();
  await seedDemo(server.db, now);
  const official = async (name: string, roles: string[]) => registerAccount(server, name, await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles }, now));
  ana = await registerAccount(server, 'Ana Anić');
  clerk = await official('Petar Službenik', ['clerk']);
  head = await official('Milan Načelnik', ['head']);
});
after(() => server.close());

const eventsUrl = () => `${server.url}/api/v1/inbox/events`;

/** A stream open with `token` (by header, or the EventSource way), once it says it is listening. */
async function listening(token: string, how: 'header' | 'query' = 'header'): Promise<EventStream> {
  const s = how === 'header' ? await openEvents(eventsUrl(), { Authorization: `Bearer ${token}` }) : await openEvents(`${eventsUrl()}?access_token=${token}`);
  assert.equal(s.status, 200);
  await s.next((e) => e.event === 'ready');
  return s;
}

/** A submitted certificate of residence: its `case-updated` goes to the demo agency's inboxes. */
async function submitted(): Promise<ApplicationWithHistory> {
  const draft = await server.api<{ id: string }>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data: residence() } });
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  const res = await server.api<ApplicationWithHistory>('POST', `/api/v1/applications/${draft.body.id}/submit`, { token: ana.token, body: {} });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

const caseUpdated = (id: string, status?: string) => (e: SseEvent) => e.event === 'case-updated' && e.data.id === id && (status === undefined || e.data.status === status);

async function signIn(who: Account): Promise<string> {
  const options = await server.api<{ flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }>('POST', '/api/v1/auth/login/options', { body: {} });
  const credential = await who.authenticator.get(options.body.publicKey);
  const res = await server.api<{ token: string; user: User }>('POST', '/api/v1/auth/login/verify', { body: { flowId: options.body.flowId, credential } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.token;
}

describe('the event stream and sign-out', () => {
  test('signing out ends the streams of that session at once with session-ended; another session\'s stream goes on', async () => {
    const leaving = await signIn(head);
    const byHeader = await listening(leaving, 'header');
    const byQuery = await listening(leaving, 'query');
    const staying = await listening(head.token);
    try {
      assert.equal((await server.api('POST', '/api/v1/auth/logout', { token: leaving })).status, 204);
      for (const s of [byHeader, byQuery]) {
        const ended = await s.next((e) => e.event === 'session-ended');
        assert.deepEqual(ended.data, {});
        await s.ended();
      }
      // The session is over: reconnecting (as EventSource would) is refused.
      assert.equal((await openEvents(`${eventsUrl()}?access_token=${leaving}`)).status, 401);

      // The head's other session still hears about cases; the ended streams heard nothing more.
      const app = await submitted();
      await staying.next(caseUpdated(app.id, 'submitted'));
      assert.deepEqual(staying.events.filter((e) => e.event === 'session-ended'), []);
      for (const s of [byHeader, byQuery]) assert.equal(s.events.at(-1)!.event, 'session-ended');
    } finally {
      for (const s of [byHeader, byQuery, staying]) s.close();
    }
  });
});

describe('a change that rolls back sends nothing', () => {
  test('a decision in a transaction that then fails, a bare rollback, a savepoint whose transaction fails, a savepoint rolled back: no event; then the real decision: one', async () => {
    const { deps } = server.app;
    const bus = deps.events!;
    const heard: string[][] = [];
    const unsubscribe = await bus.subscribe({ event: (e) => void heard.push(e.type === 'case-updated' ? [e.data.id, e.data.status] : [e.type]) });
    const stream = await listening(clerk.token);
    try {
      const app = await submitted();
      await stream.next(caseUpdated(app.id, 'submitted'));
      const seen = await server.api<CaseView>('GET', `/api/v1/cases/${app.id}`, { token: clerk.token });
      assert.equal(seen.status, 200);
      const options = await server.api<{ flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }>('POST', '/api/v1/signatures/options', {
        token: clerk.token, body: { subject: { type: 'decision', id: `${app.id}:review` }, action: 'review' },
      });
      const credential = await clerk.authenticator.get(options.body.publicKey);
      const signature = await server.api<{ id: string }>('POST', '/api/v1/signatures', { token: clerk.token, body: { flowId: options.body.flowId, credential } });
      assert.equal(signature.status, 201, JSON.stringify(signature.body));
      const input = { step: 'review', decision: 'review' as const, signatureId: signature.body.id };

      // The real decision service, in a transaction that fails after it (as a route's later step might).
      await assert.rejects(
        deps.db.transaction(async (trx) => {
          const decided = await decide(deps, trx, clerk.user, app.id, input, seen.body.version);
          assert.equal(decided.status, 'in_review');
          throw new Error('failed after the decision');
        }),
        /failed after the decision/,
      );
      const fake = (id: string): BusEvent => ({ type: 'case-updated', agencies: [DEMO_AGENCY.id], data: { id, status: 'in_review', version: 99, trackingNumber: id } });
      // A bare rollback (knex resolves such a transaction as if it had committed).
      await deps.db.transaction(async (trx) => {
        await bus.publish(trx, fake('bare-rollback'));
        await trx.rollback();
      }).catch(() => undefined);
      // Published in a savepoint that is released, in a transaction that then fails.
      await assert.rejects(deps.db.transaction(async (trx) => {
        await trx.transaction(async (savepoint) => bus.publish(savepoint, fake('savepoint-of-failed-transaction')));
        throw new Error('the outer transaction fails');
      }));
      // Published in a savepoint that is rolled back, in a transaction that commits.
      await deps.db.transaction(async (trx) => {
        await trx.transaction(async (savepoint) => {
          await bus.publish(savepoint, fake('rolled-back-savepoint'));
          throw new Error('the savepoint fails');
        }).catch(() => undefined);
      });

      // Nothing of it happened: the case is as it was, and its signature unclaimed, so the
      // decision can be made for real. Its event comes after every one of the above would have.
      const real = await server.api<CaseView>('POST', `/api/v1/cases/${app.id}/decisions`, {
        token: clerk.token, body: input, headers: { 'If-Match': `"${seen.body.version}"` },
      });
      assert.equal(real.status, 200, JSON.stringify(real.body));
      const expected = { id: app.id, status: 'in_review', version: real.body.version, trackingNumber: real.body.trackingNumber };
      assert.deepEqual((await stream.next(caseUpdated(app.id, 'in_review'))).data, expected);
      // Both listeners are called together, in commit order: whatever the bus was going to hand
      // over for the rolled-back changes would have come before this.
      const only = [[app.id, 'submitted'], [app.id, 'in_review']];
      assert.deepEqual(heard, only);
      assert.deepEqual(stream.events.filter((e) => e.event === 'case-updated').map((e) => [e.data.id, e.data.status]), only);
    } finally {
      unsubscribe();
      stream.close();
    }
  });
});

/** Resolves once `check` holds, checking again after each turn of the event loop; fails after `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`still not so after ${ms} ms`);
    await new Promise((r) => setImmediate(r));
  }
}

// A LISTEN connection is PostgreSQL's alone (SQLite's bus is in process): registered only when
// DATABASE_URL is set, rather than reported as skipped.
if (process.env.DATABASE_URL) {
  describe('on PostgreSQL, a lost LISTEN connection', () => {
    /** The backends listening on this server's channel (this test's schema alone, not other files'). */
    async function listeners(): Promise<{ pid: number; application_name: string }[]> {
      const res = await server.db.raw<{ rows: { pid: number; application_name: string }[] }>(
        'select pid, application_name from pg_stat_activity where datname = current_database() and query = ?',
        [`LISTEN "${eventsChannel(server.db)}"`],
      );
      return res.rows;
    }

    test('comes back by itself: the open streams get ready {resync: true}, then events again, each once', async () => {
      const before = await listening(clerk.token);
      const streams = [before];
      try {
        // One LISTEN connection per instance (the one of an earlier test, left when its streams
        // closed, may take a moment to go).
        await eventually(async () => (await listeners()).length === 1);
        const [lost] = await listeners();
        assert.equal(lost!.application_name, 'overa-events');
        assert.equal((await server.db.raw('select pg_terminate_backend(?) as done', [lost!.pid])).rows[0].done, true);
        // A stream opened meanwhile (it may find the connection gone, and open one itself).
        streams.push(await listening(head.token));

        const resync = await before.next((e) => e.event === 'ready' && e.data.resync === true);
        assert.deepEqual(resync.data, { resync: true });
        const back = (await listeners()).filter((b) => b.pid !== lost!.pid);
        assert.equal(back.length, 1, `one LISTEN connection again, not one per reconnection: ${JSON.stringify(back)}`);

        const first = await submitted();
        const second = await submitted();
        for (const s of streams) {
          await s.next(caseUpdated(first.id, 'submitted'));
          await s.next(caseUpdated(second.id, 'submitted'));
        }
        for (const s of streams) assert.equal(s.events.filter(caseUpdated(first.id)).length, 1, JSON.stringify(s.events));
      } finally {
        for (const s of streams) s.close();
      }
    });
  });
}
