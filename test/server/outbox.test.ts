/**
 * The outbox (services/outbox.ts): written with the event or not at all, retried with
 * exponential backoff a bounded number of times, never sent by two workers at once, and taken
 * again (same id) when the worker holding it died. On SQLite, and on PostgreSQL with DATABASE_URL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createTestDb, type TestDb } from '../helpers/test-server.ts';
import { childEnv, startChildServer } from '../helpers/child-server.ts';
import { openDatabase, type Db } from '../../server/db/connection.ts';
import { outbox, type OutboxMessage } from '../../server/db/outbox.ts';
import { createOutboxWorker, enqueue, PermanentDeliveryError } from '../../server/services/outbox.ts';
import { addWebhook, testWebhook } from '../../server/services/webhooks.ts';
import type { Config } from '../../server/config.ts';

const silent = pino({ level: 'silent' });

function depsOf(db: Db, config: Config, clock: { now: number }, settings: Partial<Config> = {}) {
  return { db, config: { ...config, ...settings }, now: () => clock.now, log: silent };
}

const message = (n: number) => ({ channel: 'webhook' as const, target: 'endpoint', eventType: 'test.event', payload: JSON.stringify({ n }) });

/** A second handle on the same database, as another server instance would open. */
async function secondHandle(t: TestDb): Promise<Db> {
  if (t.dialect === 'sqlite') return openDatabase(t.config);
  const schema = (await t.db.raw('select current_schema() as s')).rows[0].s as string;
  return openDatabase(t.config, { schema });
}

test('a message is written with the transaction of its event: a rollback leaves none, a commit leaves it queued', async () => {
  const t = await createTestDb();
  try {
    const now = 1_700_000_000_000;
    await assert.rejects(t.db.transaction(async (trx) => {
      await enqueue(trx, [message(1)], now);
      throw new Error('the event failed');
    }), /the event failed/);
    assert.deepEqual(await outbox.list(t.db, { channel: 'webhook', limit: 10 }), []);
    const ids = await t.db.transaction((trx) => enqueue(trx, [message(2), message(3)], now));
    const listed = await outbox.list(t.db, { channel: 'webhook', limit: 10 });
    assert.deepEqual(listed.map((m) => m.id).sort(), [...ids].sort());
    for (const m of listed) {
      assert.equal(m.state, 'queued');
      assert.equal(m.attempts, 0);
      assert.equal(m.nextAttemptAt, now);
    }
  } finally {
    await t.drop();
  }
});

test('a failing delivery is retried with exponential backoff, then failed after the last allowed attempt, always with one id', async () => {
  const t = await createTestDb();
  try {
    const clock = { now: 1_700_000_000_000 };
    const [id] = await t.db.transaction((trx) => enqueue(trx, [message(1)], clock.now));
    const seen: string[] = [];
    const worker = createOutboxWorker(depsOf(t.db, t.config, clock, { outboxBackoffMs: 1000, outboxBackoffMaxMs: 3000, outboxMaxAttempts: 4 }), {
      webhook: async (m) => {
        seen.push(m.id);
        throw new Error(`refused ${m.attempts}`);
      },
    });
    const start = clock.now;
    assert.equal(await worker.runOnce(), 1);
    let m = (await outbox.get(t.db, id!))!;
    assert.deepEqual([m.state, m.attempts, m.nextAttemptAt, m.lastError], ['queued', 1, start + 1000, 'refused 1']);
    // Not due yet: nothing is claimed.
    clock.now = start + 999;
    assert.equal(await worker.runOnce(), 0);
    clock.now = start + 1000;
    assert.equal(await worker.runOnce(), 1);
    m = (await outbox.get(t.db, id!))!;
    assert.deepEqual([m.state, m.attempts, m.nextAttemptAt], ['queued', 2, start + 1000 + 2000]);
    clock.now = start + 3000;
    assert.equal(await worker.runOnce(), 1);
    m = (await outbox.get(t.db, id!))!;
    // Doubled again (4000), held at the ceiling of 3000.
    assert.deepEqual([m.state, m.attempts, m.nextAttemptAt], ['queued', 3, start + 3000 + 3000]);
    clock.now = start + 6000;
    assert.equal(await worker.runOnce(), 1);
    m = (await outbox.get(t.db, id!))!;
    assert.deepEqual([m.state, m.attempts, m.lastError], ['failed', 4, 'refused 4']);
    clock.now += 24 * 3600 * 1000;
    assert.equal(await worker.runOnce(), 0);
    assert.deepEqual(seen, [id, id, id, id]);
    // An administrator's retry queues it again, same id, fresh attempts.
    assert.equal(await outbox.retry(t.db, id!, clock.now), true);
    m = (await outbox.get(t.db, id!))!;
    assert.deepEqual([m.state, m.attempts], ['queued', 0]);
  } finally {
    await t.drop();
  }
});

test('a handler that says retrying cannot help fails the message at once; a success marks it delivered', async () => {
  const t = await createTestDb();
  try {
    const clock = { now: 1_700_000_000_000 };
    const [gone, fine] = await t.db.transaction((trx) => enqueue(trx, [message(1), message(2)], clock.now));
    const worker = createOutboxWorker(depsOf(t.db, t.config, clock), {
      webhook: async (m) => {
        if (m.id === gone) throw new PermanentDeliveryError('the endpoint was removed');
      },
    });
    assert.equal(await worker.runOnce(), 2);
    const a = (await outbox.get(t.db, gone!))!;
    const b = (await outbox.get(t.db, fine!))!;
    assert.deepEqual([a.state, a.attempts, a.lastError], ['failed', 1, 'the endpoint was removed']);
    assert.deepEqual([b.state, b.attempts, b.deliveredAt, b.leaseUntil], ['delivered', 1, clock.now, null]);
  } finally {
    await t.drop();
  }
});

test('two workers on one database (two connections, as two instances) never hold one message at once, and deliver each once', async () => {
  const t = await createTestDb();
  const other = await secondHandle(t);
  try {
    const clock = { now: Date.now() };
    const count = 120;
    const ids = await t.db.transaction((trx) => enqueue(trx, Array.from({ length: count }, (_, i) => message(i)), clock.now));
    const inFlight = new Set<string>();
    const delivered: string[] = [];
    const overlaps: string[] = [];
    const handler = (who: string) => async (m: OutboxMessage) => {
      if (inFlight.has(m.id)) overlaps.push(`${who}:${m.id}`);
      inFlight.add(m.id);
      // Hold it across a turn of the event loop so that the other worker runs meanwhile.
      await new Promise((r) => setTimeout(r, 2));
      inFlight.delete(m.id);
      delivered.push(m.id);
    };
    const settings = { outboxBatch: 7 };
    const a = createOutboxWorker(depsOf(t.db, t.config, clock, settings), { webhook: handler('a') }, { id: 'worker-a' });
    const b = createOutboxWorker(depsOf(other, t.config, clock, settings), { webhook: handler('b') }, { id: 'worker-b' });
    const drain = async (w: typeof a) => {
      while ((await w.runOnce()) > 0) { /* until nothing is due */ }
    };
    await Promise.all([drain(a), drain(b), drain(a), drain(b)]);
    assert.deepEqual(overlaps, []);
    assert.equal(delivered.length, count);
    assert.deepEqual([...delivered].sort(), [...ids].sort());
    const rows = await outbox.list(t.db, { channel: 'webhook', limit: count + 1 });
    assert.ok(rows.every((m) => m.state === 'delivered' && m.attempts === 1), 'each delivered on its first and only attempt');
  } finally {
    await other.destroy();
    await t.drop();
  }
});

test('a message whose worker died mid-delivery is taken again when the lease runs out, with the same id', async () => {
  const t = await createTestDb();
  try {
    const clock = { now: 1_700_000_000_000 };
    const [id] = await t.db.transaction((trx) => enqueue(trx, [message(1)], clock.now));
    // The dead worker: it claimed the message and never came back.
    const [claimed] = await outbox.claim(t.db, { worker: 'dead', now: clock.now, leaseUntil: clock.now + 60_000, limit: 10, channels: ['webhook'] });
    assert.equal(claimed!.id, id);
    const seen: OutboxMessage[] = [];
    const worker = createOutboxWorker(depsOf(t.db, t.config, clock, { outboxLeaseMs: 60_000 }), { webhook: async (m) => void seen.push(m) });
    clock.now += 59_999;
    assert.equal(await worker.runOnce(), 0, 'the lease still holds');
    clock.now += 2;
    assert.equal(await worker.runOnce(), 1);
    assert.deepEqual(seen.map((m) => [m.id, m.attempts]), [[id, 2]]);
    assert.equal((await outbox.get(t.db, id!))!.state, 'delivered');
    // The dead worker waking up cannot mark it: it no longer holds the lease.
    assert.equal(await outbox.delivered(t.db, id!, 'dead', clock.now), false);
  } finally {
    await t.drop();
  }
});

test('kill -9 of the server during a webhook delivery: after a restart it is delivered, with the same webhook-id', { timeout: 180_000 }, async () => {
  const key = randomBytes(32).toString('base64');
  const t = await createTestDb({ OVERA_WEBHOOK_SECRET_KEY: key });
  const requests: { id: string; body: string }[] = [];
  let answer = false;
  const receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      requests.push({ id: String(req.headers['webhook-id']), body });
      // The first delivery hangs (the server is killed while it waits); later ones succeed.
      if (answer) res.writeHead(204).end();
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const port = (receiver.address() as { port: number }).port;
  const env = await childEnv(t, {
    OVERA_WEBHOOK_SECRET_KEY: key, OVERA_OUTBOX_POLL_MS: '100', OVERA_OUTBOX_LEASE_MS: '3000', OVERA_WEBHOOK_TIMEOUT_MS: '2500',
  });
  const deps = { db: t.db, config: t.config, now: Date.now };
  let server = await startChildServer(env);
  try {
    const endpoint = await addWebhook(deps, { url: `http://127.0.0.1:${port}/hook`, events: ['*'], agencyId: null });
    const id = await testWebhook(deps, endpoint.id);
    while (requests.length === 0) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await outbox.get(t.db, id))!.state, 'delivering');
    await server.kill();
    answer = true;
    server = await startChildServer(env);
    while ((await outbox.get(t.db, id))!.state !== 'delivered') await new Promise((r) => setTimeout(r, 100));
    assert.ok(requests.length >= 2);
    assert.ok(requests.every((r) => r.id === id), 'every attempt carries the one webhook-id');
    assert.ok(requests.every((r) => r.body === requests[0]!.body), 'and the same body');
    assert.equal((await outbox.get(t.db, id))!.attempts, requests.length);
  } finally {
    await server.stop();
    receiver.closeAllConnections();
    receiver.close();
    await t.drop();
  }
});

test('several batches in flight at once: the next is claimed while one waits, and one target\'s messages still go one at a time, in order', async () => {
  const t = await createTestDb();
  try {
    const clock = { now: 1_700_000_000_000 };
    // Batches of 2. A slow target "a" (three messages) and quick targets "b1"…"b4".
    const queued = ['a', 'a', 'b1', 'b2', 'a', 'b3', 'b4'].map((target, i) => ({ ...message(i), target }));
    // Queued one millisecond apart: the order of messages queued in the same millisecond is not kept.
    for (const [i, m] of queued.entries()) await t.db.transaction((trx) => enqueue(trx, [m], clock.now + i));
    clock.now += queued.length;
    const order: number[] = [];
    let inFlight = 0;
    let most = 0;
    const busy = new Set<string>();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const worker = createOutboxWorker(depsOf(t.db, t.config, clock, { outboxBatch: 2, outboxPollMs: 5 }), {
      webhook: async (m) => {
        assert.ok(!busy.has(m.target), `two messages to ${m.target} at once`);
        busy.add(m.target);
        inFlight += 1;
        most = Math.max(most, inFlight);
        // The first message to "a" waits until the others have been sent: the worker must not
        // wait for it before claiming what is queued behind it for other targets.
        if (order.length === 0) await gate;
        order.push((JSON.parse(m.payload) as { n: number }).n);
        if (order.length === 1) release();
        inFlight -= 1;
        busy.delete(m.target);
      },
    });
    worker.start();
    const deadline = Date.now() + 20_000;
    // Release the gate once the other targets are under way (bounded: a hang is a failure, not a wait).
    while (order.length < queued.length && Date.now() < deadline) {
      if (most >= 2 && order.length === 0) release();
      await new Promise((r) => setTimeout(r, 5));
    }
    release();
    await worker.stop();
    assert.ok(most >= 2, 'a second batch went out while the first waited');
    assert.equal(order.length, queued.length, `delivered ${order.join(',')}`);
    // "a"'s three messages (0, 1, 4) in the order they were queued.
    assert.deepEqual(order.filter((n) => [0, 1, 4].includes(n)), [0, 1, 4]);
    assert.equal((await outbox.list(t.db, { channel: 'webhook', limit: 10 })).filter((m) => m.state === 'delivered').length, queued.length);
  } finally {
    await t.drop();
  }
});
