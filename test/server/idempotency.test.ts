/**
 * Idempotency keys, tested through the service against a real database (SQLite, or
 * PostgreSQL with DATABASE_URL) and real knex transactions; the app has no test routes.
 * The writes of the "route" go to a scratch table made here.
 */
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import Router from '@koa/router';
import pino from 'pino';
import type { Knex } from 'knex';
import { createTestDb, type TestDb } from '../helpers/test-server.ts';
import { users } from '../../server/db/users.ts';
import { HttpError, invalidField } from '../../server/http-error.ts';
import type { Deps } from '../../server/services/deps.ts';
import {
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_TTL_MS,
  claimIdempotencyKey,
  parseIdempotencyKey,
  recordIdempotentResponse,
  requestHash,
  runIdempotent,
  type IdempotentResult,
} from '../../server/services/idempotency.ts';
import { sweepExpired } from '../../server/services/housekeeping.ts';
import { errorHandler } from '../../server/middleware/errors.ts';
import { jsonBody } from '../../server/middleware/json-body.ts';
import { idempotent } from '../../server/idempotent.ts';
import type { Problem } from '../../components/core/problem.ts';

interface Widget {
  id: string;
  name: string;
}

let t: TestDb;
let deps: Pick<Deps, 'db' | 'now'>;
const clock = { now: Date.now() };
let ana: string;
let ben: string;

before(async () => {
  t = await createTestDb();
  deps = { db: t.db, now: () => clock.now };
  await t.db.schema.createTable('widgets', (w) => {
    w.string('id', 36).primary();
    w.string('name', 100).notNullable();
  });
  ana = randomUUID();
  ben = randomUUID();
  for (const id of [ana, ben]) {
    await users.insert(t.db, { id, displayName: id.slice(0, 8), kind: 'citizen', roles: [], webauthnUserId: randomUUID() }, clock.now);
  }
});
after(() => t.drop());
beforeEach(() => {
  clock.now = Date.now();
});

const widgets = async () => Number((await t.db('widgets').count({ n: '*' }).first())!.n);
const keyRow = (user: string, key: string) => t.db('idempotency_keys').where({ user_id: user, key }).first();

/** The "route": creates a widget in the transaction it is given and counts its runs. */
function createWidget(name: string, runs = { n: 0 }) {
  return async (trx: Knex.Transaction): Promise<IdempotentResult<Widget>> => {
    runs.n++;
    const widget = { id: randomUUID(), name };
    await trx('widgets').insert(widget);
    return { status: 201, body: widget, headers: { Location: `/widgets/${widget.id}` } };
  };
}

function scope(key: string | undefined, body: unknown, user = ana, path = '/api/v1/widgets', method = 'POST') {
  return { userId: user, key, method, path, body };
}

async function rejectsWith(promise: Promise<unknown>, status: number, field?: string): Promise<HttpError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.status, status, err.message);
    if (field) assert.ok(err.errors?.some((e) => e.field === field), JSON.stringify(err.errors));
    return err;
  }
  assert.fail(`expected a ${status}`);
}

describe('the Idempotency-Key header', () => {
  test('1 to 200 visible ASCII characters; anything else is a 400 naming the header', async () => {
    assert.equal(parseIdempotencyKey(undefined), undefined);
    assert.equal(parseIdempotencyKey('a'), 'a');
    assert.equal(parseIdempotencyKey('x'.repeat(200)), 'x'.repeat(200));
    assert.equal(parseIdempotencyKey('3f0c9a1e-0f5b-4c1e-9b57-1f7d2a9c0b11'), '3f0c9a1e-0f5b-4c1e-9b57-1f7d2a9c0b11');
    assert.equal(parseIdempotencyKey('!~{}[]'), '!~{}[]');
    for (const bad of ['', 'x'.repeat(201), 'with space', 'tab\there', 'ćao', 'nul\0', 'a, b', ['a', 'b']]) {
      await rejectsWith(Promise.resolve().then(() => parseIdempotencyKey(bad)), 400, 'Idempotency-Key');
    }
  });

  test('the request hash is the SHA-256 of the canonical body: key order and spacing do not matter', async () => {
    assert.equal(await requestHash({ b: 1, a: [1, 'x'] }), await requestHash(JSON.parse('{ "a": [1, "x"], "b": 1.0 }')));
    assert.notEqual(await requestHash({ a: 1 }), await requestHash({ a: 2 }));
    assert.equal(await requestHash(undefined), await requestHash(null));
    assert.match(await requestHash({}), /^[0-9a-f]{64}$/);
  });
});

describe('runIdempotent', () => {
  test('without a key the work simply runs in a transaction, and nothing is recorded', async () => {
    const before = await widgets();
    const out = await runIdempotent(deps, scope(undefined, { name: 'plain' }), createWidget('plain'));
    assert.equal(out.status, 201);
    assert.equal(out.replayed, false);
    assert.equal(await widgets(), before + 1);
    assert.equal(Number((await t.db('idempotency_keys').where({ user_id: ana }).count({ n: '*' }).first())!.n), 0);
  });

  test('the first request runs and its response is recorded; a repeat replays it without running again', async () => {
    const runs = { n: 0 };
    const key = `create-${randomUUID()}`;
    const before = await widgets();
    const first = await runIdempotent(deps, scope(key, { name: 'Lamp', colour: 'red' }), createWidget('Lamp', runs));
    assert.equal(first.status, 201);
    assert.equal(first.replayed, false);
    const row = await keyRow(ana, key);
    assert.equal(Number(row.status), 201);
    assert.equal(row.claim_token, null);
    assert.equal(row.method, 'POST');
    assert.equal(row.path, '/api/v1/widgets');
    assert.equal(row.request_hash, await requestHash({ name: 'Lamp', colour: 'red' }));
    assert.deepEqual(JSON.parse(row.response as string), { body: first.body, headers: first.headers });

    // Same body, keys in another order: the same request.
    const again = await runIdempotent(deps, scope(key, { colour: 'red', name: 'Lamp' }), createWidget('Lamp', runs));
    assert.equal(again.replayed, true);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers!.Location, first.headers!.Location);
    assert.equal(again.headers!['Idempotent-Replayed'], 'true');
    assert.equal(runs.n, 1);
    assert.equal(await widgets(), before + 1);
  });

  test('the same key with another body, path or method is a 422 naming the header, and nothing runs', async () => {
    const runs = { n: 0 };
    const key = `k-${randomUUID()}`;
    await runIdempotent(deps, scope(key, { name: 'Chair' }), createWidget('Chair', runs));
    const before = await widgets();
    const problem = await rejectsWith(runIdempotent(deps, scope(key, { name: 'Table' }), createWidget('Table', runs)), 422, 'Idempotency-Key');
    assert.equal(problem.type, 'https://overa.dev/problems/idempotency-key-reused');
    await rejectsWith(runIdempotent(deps, scope(key, { name: 'Chair' }, ana, '/api/v1/other'), createWidget('Chair', runs)), 422, 'Idempotency-Key');
    await rejectsWith(runIdempotent(deps, scope(key, { name: 'Chair' }, ana, '/api/v1/widgets', 'PUT'), createWidget('Chair', runs)), 422, 'Idempotency-Key');
    assert.equal(runs.n, 1);
    assert.equal(await widgets(), before);
    // Keys are per user: Ben's "same" key is his own.
    const bens = await runIdempotent(deps, scope(key, { name: 'Table' }, ben), createWidget('Table', runs));
    assert.equal(bens.replayed, false);
    assert.equal(runs.n, 2);
  });

  test('a 4xx thrown by the work rolls its writes back and is recorded; the repeat throws it again, marked replayed', async () => {
    const key = `bad-${randomUUID()}`;
    const runs = { n: 0 };
    const before = await widgets();
    const work = async (trx: Knex.Transaction): Promise<IdempotentResult<Widget>> => {
      runs.n++;
      await trx('widgets').insert({ id: randomUUID(), name: 'half-made' });
      throw invalidField('name', 'tooLong', 'name must be at most 10 characters');
    };
    const first = await rejectsWith(runIdempotent(deps, scope(key, { name: 'x'.repeat(11) }), work), 400, 'name');
    assert.equal(await widgets(), before);
    const row = await keyRow(ana, key);
    assert.equal(Number(row.status), 400);
    const replayed = await rejectsWith(runIdempotent(deps, scope(key, { name: 'x'.repeat(11) }), work), 400, 'name');
    assert.equal(runs.n, 1);
    assert.deepEqual(
      { type: replayed.type, title: replayed.title, detail: replayed.message, errors: replayed.errors },
      { type: first.type, title: first.title, detail: first.message, errors: first.errors },
    );
    assert.equal(replayed.headers['Idempotent-Replayed'], 'true');
  });

  test('a transient 4xx (429) or an unexpected failure records nothing: the retry runs afresh', async () => {
    const key = `retry-${randomUUID()}`;
    const before = await widgets();
    let attempt = 0;
    const flaky = async (trx: Knex.Transaction): Promise<IdempotentResult<Widget>> => {
      attempt++;
      await trx('widgets').insert({ id: randomUUID(), name: `attempt ${attempt}` });
      if (attempt === 1) throw new HttpError(429, 'rate-limited', 'Slow down');
      if (attempt === 2) throw new Error('database went away');
      return { status: 201, body: { id: 'w', name: 'done' } };
    };
    await rejectsWith(runIdempotent(deps, scope(key, {}), flaky), 429);
    assert.equal(await keyRow(ana, key), undefined);
    await assert.rejects(runIdempotent(deps, scope(key, {}), flaky), /database went away/);
    assert.equal(await keyRow(ana, key), undefined);
    assert.equal(await widgets(), before);
    const third = await runIdempotent(deps, scope(key, {}), flaky);
    assert.equal(third.replayed, false);
    assert.equal(await widgets(), before + 1);
  });

  test('a concurrent duplicate while the first is in flight gets 409 and runs nothing; afterwards it replays', async () => {
    const key = `race-${randomUUID()}`;
    const runs = { n: 0 };
    // The first request has claimed the key (inserted its row) and is still working.
    const claimed = await claimIdempotencyKey<Widget>(deps, { ...scope(key, { name: 'Sofa' }), key });
    assert.ok('claim' in claimed);
    const conflict = await rejectsWith(runIdempotent(deps, scope(key, { name: 'Sofa' }), createWidget('Sofa', runs)), 409);
    assert.equal(conflict.type, 'https://overa.dev/problems/idempotency-key-in-use');
    assert.equal(conflict.headers['Retry-After'], '1');
    assert.equal(runs.n, 0);
    // A different body is still told apart from a duplicate.
    await rejectsWith(runIdempotent(deps, scope(key, { name: 'Bed' }), createWidget('Bed', runs)), 422, 'Idempotency-Key');
    // The first finishes: its write and its response commit together.
    const done = await t.db.transaction(async (trx) => {
      const result = await createWidget('Sofa')(trx);
      await recordIdempotentResponse(trx, claimed.claim, result);
      return result;
    });
    const replay = await runIdempotent(deps, scope(key, { name: 'Sofa' }), createWidget('Sofa', runs));
    assert.equal(replay.replayed, true);
    assert.deepEqual(replay.body, done.body);
    assert.equal(runs.n, 0);
  });

  test('two identical requests at the same moment make one write', async () => {
    const key = `burst-${randomUUID()}`;
    const runs = { n: 0 };
    const before = await widgets();
    const settled = await Promise.allSettled(
      [1, 2, 3].map(() => runIdempotent(deps, scope(key, { name: 'Burst' }), createWidget('Burst', runs))),
    );
    assert.equal(runs.n, 1);
    assert.equal(await widgets(), before + 1);
    const fresh = settled.filter((s) => s.status === 'fulfilled' && !s.value.replayed);
    assert.equal(fresh.length, 1);
    for (const s of settled) {
      if (s.status === 'fulfilled') assert.equal(s.value.status, 201);
      else assert.equal((s.reason as HttpError).status, 409); // in flight (PostgreSQL) — SQLite serialises, so replays
    }
  });

  test('the write and the recorded response commit together: a failure before commit leaves neither', async () => {
    const key = `atomic-${randomUUID()}`;
    const before = await widgets();
    const claimed = await claimIdempotencyKey<Widget>(deps, { ...scope(key, { name: 'Atomic' }), key });
    assert.ok('claim' in claimed);
    await assert.rejects(
      t.db.transaction(async (trx) => {
        const result = await createWidget('Atomic')(trx);
        await recordIdempotentResponse(trx, claimed.claim, result);
        throw new Error('power cut before commit');
      }),
      /power cut/,
    );
    assert.equal(await widgets(), before);
    const row = await keyRow(ana, key);
    assert.equal(row.status, null); // still in flight: no response without its write
    assert.equal(row.response, null);
  });

  test('a claim abandoned by a crash is taken over after the lease; the late original cannot record', async () => {
    const key = `lease-${randomUUID()}`;
    const before = await widgets();
    const crashed = await claimIdempotencyKey<Widget>(deps, { ...scope(key, { name: 'Lease' }), key });
    assert.ok('claim' in crashed);
    await rejectsWith(runIdempotent(deps, scope(key, { name: 'Lease' }), createWidget('Lease')), 409);
    clock.now += IDEMPOTENCY_LEASE_MS + 1;
    const retry = await runIdempotent(deps, scope(key, { name: 'Lease' }), createWidget('Lease'));
    assert.equal(retry.replayed, false);
    assert.equal(await widgets(), before + 1);
    // The original wakes up and tries to finish: refused, and its writes roll back.
    await rejectsWith(
      t.db.transaction(async (trx) => {
        const result = await createWidget('Lease (late)')(trx);
        await recordIdempotentResponse(trx, crashed.claim, result);
      }),
      409,
    );
    assert.equal(await widgets(), before + 1);
    const replay = await runIdempotent(deps, scope(key, { name: 'Lease' }), createWidget('Lease'));
    assert.deepEqual(replay.body, retry.body);
  });

  test('keys expire after 24 hours: swept by housekeeping, and an unswept expired key starts afresh', async () => {
    const key = `old-${randomUUID()}`;
    const start = clock.now;
    await runIdempotent(deps, scope(key, { name: 'Old' }), createWidget('Old'));
    const other = `older-${randomUUID()}`;
    await runIdempotent(deps, scope(other, { name: 'Older' }), createWidget('Older'));

    // Just before 24 hours the key still answers, and the sweeper leaves it.
    clock.now = start + IDEMPOTENCY_TTL_MS - 1000;
    assert.equal((await runIdempotent(deps, scope(key, { name: 'Old' }), createWidget('Old'))).replayed, true);
    const early = await sweepExpired(t.db, clock.now);
    assert.ok(await keyRow(ana, key));
    assert.equal(typeof early.idempotencyKeys, 'number');

    // After 24 hours an unswept key is free again, even for another body.
    clock.now = start + IDEMPOTENCY_TTL_MS + 1000;
    const reused = await runIdempotent(deps, scope(key, { name: 'New' }), createWidget('New'));
    assert.equal(reused.replayed, false);
    assert.equal(reused.body.name, 'New');

    // And the sweeper removes the expired one (the other key), not the restarted one.
    const swept = await sweepExpired(t.db, clock.now);
    assert.ok(swept.idempotencyKeys >= 1);
    assert.equal(await keyRow(ana, other), undefined);
    assert.ok(await keyRow(ana, key));
  });
});

describe('idempotent() for a route', () => {
  let server: Server;
  let url: string;
  const runs = { n: 0 };

  before(async () => {
    // A Koa app made here, with the real error and body middleware, to see the HTTP side.
    const app = new Koa();
    app.silent = true;
    const router = new Router();
    router.post('/widgets', (ctx) => idempotent(ctx, deps, createWidget(String((ctx.request.body as { name?: unknown }).name), runs)));
    router.post('/refuse', (ctx) =>
      idempotent(ctx, deps, async () => {
        throw invalidField('name', 'required', 'name is required');
      }));
    app.use(errorHandler({ log: pino({ level: 'silent' }) }));
    app.use(jsonBody({ limit: 1024 }));
    app.use(async (ctx, next) => {
      ctx.state.user = { id: ana, displayName: 'Ana', kind: 'citizen', roles: [] };
      await next();
    });
    app.use(router.routes());
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url + path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };

  test('first answer, then the same answer replayed with Idempotent-Replayed: true', async () => {
    const key = randomUUID();
    const first = await post('/widgets', { name: 'Vase' }, { 'Idempotency-Key': key });
    assert.equal(first.status, 201);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const again = await post('/widgets', { name: 'Vase' }, { 'Idempotency-Key': key });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers.get('location'), first.headers.get('location'));
    const other = await post('/widgets', { name: 'Bowl' }, { 'Idempotency-Key': key });
    assert.equal(other.status, 422);
    assert.match(other.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal((other.body as unknown as Problem).errors![0]!.field, 'Idempotency-Key');
  });

  test('a malformed key is a 400 problem naming the header; no key, no replay', async () => {
    const bad = await post('/widgets', { name: 'Cup' }, { 'Idempotency-Key': 'has spaces in it' });
    assert.equal(bad.status, 400);
    assert.equal((bad.body as unknown as Problem).errors![0]!.field, 'Idempotency-Key');
    const a = await post('/widgets', { name: 'Cup' });
    const b = await post('/widgets', { name: 'Cup' });
    assert.notEqual(a.body.id, b.body.id);
    assert.equal(b.headers.get('idempotent-replayed'), null);
  });

  test('a recorded problem is replayed as problem+json with the header', async () => {
    const key = randomUUID();
    const first = await post('/refuse', {}, { 'Idempotency-Key': key });
    const again = await post('/refuse', {}, { 'Idempotency-Key': key });
    assert.equal(first.status, 400);
    assert.equal(again.status, 400);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.match(again.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const strip = (p: Record<string, unknown>) => ({ ...p, requestId: undefined });
    assert.deepEqual(strip(again.body), strip(first.body));
  });
});
