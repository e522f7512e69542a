/**
 * The bytes the exchange's deliveries hold at once (server/byte-budget.ts, used by
 * services/exchange.ts `exchangeHandler`): first come, first served; a request larger than the
 * whole budget runs alone; and the handler posts no more messages side by side than their parts
 * fit in it (a real partner listener on loopback counts the requests under way).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { ByteBudget } from '../../server/byte-budget.ts';
import { createApp } from '../../server/app.ts';
import { sealChainPath } from '../../server/documents/keys.ts';
import { exchangeHandler, queueExchangeMessage } from '../../server/services/exchange.ts';
import { addPartner } from '../../server/services/partners.ts';
import { outbox } from '../../server/db/outbox.ts';
import { DEMO_AGENCY } from '../../server/seed.ts';
import { createTestDb } from '../helpers/test-server.ts';

const tick = () => new Promise((r) => setImmediate(r));

test('bytes are handed out first come, first served, and given back once', async () => {
  const budget = new ByteBudget(100);
  const a = await budget.take(60);
  assert.equal(budget.free, 40);
  const order: string[] = [];
  const b = budget.take(50).then((release) => (order.push('b'), release));
  // Would fit now, but b asked first.
  const c = budget.take(30).then((release) => (order.push('c'), release));
  await tick();
  assert.deepEqual(order, []);
  a();
  a();
  const [releaseB, releaseC] = await Promise.all([b, c]);
  assert.deepEqual(order, ['b', 'c']);
  assert.equal(budget.free, 20);
  releaseB();
  releaseC();
  assert.equal(budget.free, 100);
});

test('a request larger than the whole budget waits until it is alone, then runs', async () => {
  const budget = new ByteBudget(100);
  const small = await budget.take(10);
  let big = false;
  const taken = budget.take(1_000).then((release) => ((big = true), release));
  await tick();
  assert.equal(big, false);
  small();
  const release = await taken;
  assert.equal(budget.free, 0);
  release();
  assert.equal(budget.free, 100);
  assert.throws(() => new ByteBudget(0), RangeError);
});

test('the exchange handler posts no more messages at once than their parts fit in its budget', async () => {
  const t = await createTestDb();
  let underWay = 0;
  let most = 0;
  const partner = createServer((req, res) => {
    underWay += 1;
    most = Math.max(most, underWay);
    req.resume();
    req.on('end', () => setTimeout(() => {
      underWay -= 1;
      // Not a receipt: the delivery fails and will be tried again; only the overlap is measured here.
      res.writeHead(503, { 'content-type': 'application/json' }).end('{}');
    }, 30));
  });
  partner.listen(0, '127.0.0.1');
  await once(partner, 'listening');
  try {
    const app = createApp(t.config, { db: t.db, log: pino({ level: 'silent' }) });
    // The partner's seal: any certificate will do, nothing it signs is read.
    await addPartner(app.deps, { agencyId: 'drugi-grad', url: `http://127.0.0.1:${(partner.address() as { port: number }).port}`, certificatePem: readFileSync(sealChainPath(t.config, DEMO_AGENCY.id), 'utf8') });
    const now = Date.now();
    await t.db.transaction(async (trx) => {
      for (let i = 0; i < 3; i++) {
        await queueExchangeMessage(app.deps, trx, {
          type: 'document', localAgencyId: DEMO_AGENCY.id, partnerAgencyId: 'drugi-grad',
          document: { id: randomUUID(), title: { en: 'Certificate' }, documentType: 'certificate', trackingNumber: `T-${i}`, issuedAt: now },
          parts: [{ name: 'document.pdf', contentType: 'application/pdf', data: randomBytes(60 * 1024) }],
        }, now);
      }
    });
    const messages = await outbox.claim(t.db, { worker: 'test', now: Date.now(), leaseUntil: Date.now() + 60_000, limit: 10, channels: ['exchange'] });
    assert.equal(messages.length, 3);

    // Room for one 60 KB message at a time.
    const oneAtATime = exchangeHandler(app.deps, { bytesInFlight: 100 * 1024 });
    await Promise.allSettled(messages.map((m) => oneAtATime(m)));
    assert.equal(most, 1);

    // Room for all three.
    most = 0;
    const allAtOnce = exchangeHandler(app.deps, { bytesInFlight: 1024 * 1024 });
    await Promise.allSettled(messages.map((m) => allAtOnce(m)));
    assert.equal(most, 3);
  } finally {
    partner.closeAllConnections();
    partner.close();
    await t.drop();
  }
});
