import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { registerAccount } from '../helpers/accounts.ts';
import { samplePdf } from '../helpers/files.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig, ConfigError, DEFAULT_RATE_LIMITS } from '../../server/config.ts';
import { hitRateLimit, rateLimitKey } from '../../server/services/rate-limits.ts';
import { rateLimits } from '../../server/db/rate-limits.ts';
import { clientAddress, verifyRateLimit } from '../../server/middleware/rate-limit.ts';
import { errorHandler } from '../../server/middleware/errors.ts';
import { discoverRoutes } from '../helpers/routes.ts';
import Koa from 'koa';
import Router from '@koa/router';

const bytes = (b: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(b);

/**
 * Runs `fn` against a fresh server whose clock stands just after the start of a one-minute
 * window, so that no test's requests straddle a window boundary (the limits under test are per
 * 60 s).
 */
async function withServer(env: NodeJS.ProcessEnv, fn: (s: TestServer) => Promise<void>): Promise<void> {
  const s = await startTestServer(env);
  s.clock.offset = 60_000 - (Date.now() % 60_000) + 50;
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

/** A second instance of the app on the same database, as behind a load balancer. */
async function secondInstance(s: TestServer): Promise<{ url: string; close(): Promise<void> }> {
  const app = createApp(s.config, { db: s.db, now: () => Date.now() + s.clock.offset, log: pino({ level: 'silent' }) });
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const loginOptions = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/v1/auth/login/options`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });

describe('rate limits', () => {
  test('sign-up beyond its limit is a 429 problem with Retry-After; other routes are not affected', async () => {
    await withServer({ OVERA_RATE_LIMIT_SIGN_UP: '3/60' }, async (s) => {
      for (let i = 0; i < 3; i++) {
        const ok = await s.api('POST', '/api/v1/auth/register/options', { body: { displayName: `P${i}` } });
        assert.equal(ok.status, 200);
      }
      const refused = await s.api<{ type: string; status: number; detail: string }>('POST', '/api/v1/auth/register/options', { body: { displayName: 'P4' } });
      assert.equal(refused.status, 429);
      assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(refused.body.type, 'https://overa.dev/problems/too-many-requests');
      const retry = Number(refused.headers.get('retry-after'));
      assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After ${retry}`);
      // Counted before the body is looked at: a bad body is refused the same way, no flow made.
      assert.equal((await s.api('POST', '/api/v1/auth/register/options', { body: {} })).status, 429);
      // Sign-in has its own budget.
      assert.equal((await loginOptions(s.url)).status, 200);
      // When the window has passed, sign-up is open again.
      s.clock.offset += 60_000;
      assert.equal((await s.api('POST', '/api/v1/auth/register/options', { body: { displayName: 'Later' } })).status, 200);
    });
  });

  test('the count is kept in the database: it holds across instances', async () => {
    await withServer({ OVERA_RATE_LIMIT_SIGN_IN: '4/60' }, async (s) => {
      const other = await secondInstance(s);
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) statuses.push((await loginOptions(i % 2 ? other.url : s.url)).status);
        assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
      } finally {
        await other.close();
      }
    });
  });

  test('concurrent requests are counted atomically: exactly the limit gets through', async () => {
    await withServer({ OVERA_RATE_LIMIT_SIGN_IN: '10/60' }, async (s) => {
      const other = await secondInstance(s);
      try {
        const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => loginOptions(i % 2 ? other.url : s.url)));
        const statuses = answers.map((r) => r.status);
        assert.equal(statuses.filter((x) => x === 200).length, 10, statuses.join(' '));
        assert.equal(statuses.filter((x) => x === 429).length, 20);
      } finally {
        await other.close();
      }
      // And at the level of the statement: 40 concurrent hits get 40 distinct counts.
      const now = Date.now();
      const rule = { name: 'atomic', limit: 1000, windowSeconds: 3600 };
      const outcomes = await Promise.all(Array.from({ length: 40 }, () => hitRateLimit(s.db, rule, 'c', now)));
      assert.deepEqual(outcomes.map((o) => o.count).sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i + 1));
      assert.equal(await rateLimits.count(s.db, rateLimitKey('atomic', 'c'), now - (now % 3_600_000)), 40);
    });
  });

  test('X-Forwarded-For is ignored unless trustProxy is set, and then only the trusted hop counts', async () => {
    await withServer({ OVERA_RATE_LIMIT_SIGN_IN: '2/60' }, async (s) => {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await loginOptions(s.url, { 'X-Forwarded-For': `10.0.0.${i}` })).status);
      assert.deepEqual(statuses, [200, 200, 429], 'a client cannot reset its budget by inventing X-Forwarded-For');
    });
    await withServer({ OVERA_RATE_LIMIT_SIGN_IN: '2/60', OVERA_TRUST_PROXY: 'true' }, async (s) => {
      // The proxy appends the address it saw; what the client wrote before it is not believed.
      const via = (client: string, forged = '') => loginOptions(s.url, { 'X-Forwarded-For': `${forged}${client}` });
      assert.equal((await via('203.0.113.7')).status, 200);
      assert.equal((await via('203.0.113.7', '198.51.100.1, ')).status, 200);
      assert.equal((await via('203.0.113.7', '198.51.100.2, ')).status, 429);
      assert.equal((await via('203.0.113.8')).status, 200, 'another client has its own budget');
    });
  });

  test('one client over IPv4 and IPv6 loopback has one budget (a real dual-stack socket)', async () => {
    await withServer({ OVERA_RATE_LIMIT_SIGN_IN: '3/60' }, async (s) => {
      // The same app listening on both stacks: 127.0.0.1 arrives as ::ffff:127.0.0.1, ::1 as ::1.
      const app = createApp(s.config, { db: s.db, now: () => Date.now() + s.clock.offset, log: pino({ level: 'silent' }) });
      const server: Server = createServer(app.callback());
      await new Promise<void>((resolve) => server.listen({ port: 0, host: '::', ipv6Only: false }, resolve));
      const port = (server.address() as AddressInfo).port;
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) statuses.push((await loginOptions(i % 2 ? `http://[::1]:${port}` : `http://127.0.0.1:${port}`)).status);
        assert.deepEqual(statuses, [200, 200, 200, 429]);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });

  test('IPv6 clients behind a trusted proxy count per /64', async () => {
    await withServer({ OVERA_RATE_LIMIT_SIGN_IN: '2/60', OVERA_TRUST_PROXY: 'true' }, async (s) => {
      const via = (client: string) => loginOptions(s.url, { 'X-Forwarded-For': client });
      assert.equal((await via('2001:db8:1:2::a')).status, 200);
      assert.equal((await via('2001:db8:1:2:ffff:ffff:ffff:fffe')).status, 200);
      assert.equal((await via('2001:db8:1:2::b')).status, 429, 'another address in the same /64 is the same client');
      assert.equal((await via('2001:db8:1:3::a')).status, 200, 'the next /64 is another client');
      // Mapped IPv6 is the IPv4 client.
      assert.equal((await via('192.0.2.9')).status, 200);
      assert.equal((await via('::ffff:192.0.2.9')).status, 200);
      assert.equal((await via('::ffff:c000:209')).status, 429);
    });
  });

  test('uploads are limited per person, and a refused upload still gets its answer', async () => {
    await withServer({ OVERA_RATE_LIMIT_UPLOADS: '2/60' }, async (s) => {
      const who = await registerAccount(s, 'Uploader');
      const other = await registerAccount(s, 'Other');
      const up = (token: string, i: number) => {
        const form = new FormData();
        form.append('file', new Blob([bytes(samplePdf(`r${i}`))]), `${i}.pdf`);
        return fetch(`${s.url}/api/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
      };
      assert.equal((await up(who.token, 1)).status, 201);
      // A refused attempt counts too (it cost the server the bytes).
      const bad = new FormData();
      bad.append('file', new Blob(['not a pdf']), 'x.pdf');
      assert.equal((await fetch(`${s.url}/api/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${who.token}` }, body: bad })).status, 415);
      const third = await up(who.token, 3);
      assert.equal(third.status, 429);
      assert.equal(((await third.json()) as { type: string }).type, 'https://overa.dev/problems/too-many-requests');
      assert.ok(Number(third.headers.get('retry-after')) >= 1);
      // A big body still being sent is drained, so the client sees the 429 rather than a reset.
      const big = new FormData();
      big.append('file', new Blob([bytes(Buffer.concat([samplePdf('big'), Buffer.alloc(3 * 1024 * 1024, 0x20)]))]), 'big.pdf');
      assert.equal((await fetch(`${s.url}/api/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${who.token}` }, body: big })).status, 429);
      assert.equal((await up(other.token, 1)).status, 201, 'per person');
      assert.equal((await s.db('uploads').where({ owner_id: who.user.id }).count<{ n: number }[]>({ n: '*' }))[0]!.n, 1);
    });
  });

  test('public verification: the exported limiter, and the verification routes wherever they exist', async () => {
    await withServer({ OVERA_RATE_LIMIT_VERIFY: '2/60' }, async (s) => {
      // As the verification routes use it: one budget per IP for every route that takes it.
      const app = new Koa();
      const router = new Router();
      const limit = verifyRateLimit({ db: s.db, config: s.config, now: () => Date.now() + s.clock.offset });
      router.get('/verify/:code', limit, (ctx) => (ctx.body = { code: ctx.params.code }));
      router.post('/verify', limit, (ctx) => (ctx.body = { ok: true }));
      app.use(errorHandler({ log: pino({ level: 'silent' }) }));
      app.use(router.routes());
      const server = createServer(app.callback());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        assert.equal((await fetch(`${url}/verify/ABC`)).status, 200);
        assert.equal((await fetch(`${url}/verify`, { method: 'POST' })).status, 200);
        const third = await fetch(`${url}/verify/DEF`);
        assert.equal(third.status, 429);
        assert.ok(Number(third.headers.get('retry-after')) >= 1);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
    // The app's own verification routes, once they exist, must be limited the same way.
    const probe = await startTestServer();
    const routes = discoverRoutes(probe.app).filter((r) => /^\/api\/v1\/verify(\/|$)/.test(r.path) && (r.method === 'GET' || r.method === 'POST'));
    await probe.close();
    for (const route of routes) {
      await withServer({ OVERA_RATE_LIMIT_VERIFY: '2/60' }, async (s) => {
        const path = route.path.replace(/:\w+/g, 'ABCD-EFGH-2345');
        const send = () => fetch(s.url + path, { method: route.method, ...(route.method === 'POST' ? { headers: { 'Content-Type': 'application/pdf' }, body: '%PDF-1.4 not really' } : {}) });
        await send();
        await send();
        const third = await send();
        assert.equal(third.status, 429, `${route.method} ${route.path} is not rate limited`);
      });
    }
  });

  test('a limit of "off" lets everything through', async () => {
    await withServer({ OVERA_RATE_LIMIT_SIGN_IN: 'off' }, async (s) => {
      for (let i = 0; i < 5; i++) assert.equal((await loginOptions(s.url)).status, 200);
      assert.equal((await s.db('rate_limits').count<{ n: number }[]>({ n: '*' }))[0]!.n, 0);
    });
  });
});

describe('rate-limit configuration and client keys', () => {
  test('limits are read from the environment and the file, with generous defaults', () => {
    const c = loadConfig({}, '/tmp');
    assert.deepEqual(c.rateLimits, DEFAULT_RATE_LIMITS);
    assert.equal(c.trustProxy, 0);
    const e = loadConfig({ OVERA_RATE_LIMIT_SIGN_IN: '30/120', OVERA_RATE_LIMIT_UPLOADS: '5', OVERA_RATE_LIMIT_VERIFY: 'off', OVERA_TRUST_PROXY: '2' }, '/tmp');
    assert.deepEqual(e.rateLimits?.signIn, { limit: 30, windowSeconds: 120 });
    assert.deepEqual(e.rateLimits?.uploads, { limit: 5, windowSeconds: DEFAULT_RATE_LIMITS.uploads.windowSeconds });
    assert.equal(e.rateLimits?.verify?.limit, 0);
    assert.equal(e.trustProxy, 2);
    for (const bad of ['-1', 'many', '10/0', '10/999999', '1.5']) {
      assert.throws(() => loadConfig({ OVERA_RATE_LIMIT_SIGN_UP: bad }, '/tmp'), (err: unknown) => err instanceof ConfigError && /OVERA_RATE_LIMIT_SIGN_UP/.test(err.message), bad);
    }
    assert.throws(() => loadConfig({ OVERA_TRUST_PROXY: 'yes please' }, '/tmp'), /OVERA_TRUST_PROXY/);
  });

  test('client addresses: IPv4-mapped IPv6 is IPv4, loopback is one client over both stacks, other IPv6 counts by its /64', () => {
    assert.equal(clientAddress('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(clientAddress('::ffff:c000:201'), '192.0.2.1', 'mapped, written in hex');
    assert.equal(clientAddress('0:0:0:0:0:FFFF:192.0.2.1'), '192.0.2.1');
    assert.equal(clientAddress('192.0.2.1'), '192.0.2.1');
    // The loopback addresses are this machine, whichever stack a client used.
    const loopback = clientAddress('127.0.0.1');
    for (const a of ['::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:1', '127.0.0.2', ' 127.0.0.1 ']) assert.equal(clientAddress(a), loopback, a);
    for (const a of ['::', '::2', '::1:0', '1::1', '128.0.0.1', '::ffff:128.0.0.1']) assert.notEqual(clientAddress(a), loopback, a);
    // Other IPv6: per /64.
    assert.equal(clientAddress('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(clientAddress('2001:DB8:1:2::9'), '2001:db8:1:2::/64');
    assert.equal(clientAddress('2001:db8:1:2:ffff::1'), '2001:db8:1:2::/64');
    assert.notEqual(clientAddress('2001:db8:1:3::9'), clientAddress('2001:db8:1:2::9'));
    assert.equal(clientAddress('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(clientAddress('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(clientAddress(''), 'unknown');
  });

  test('long client keys are stored hashed, within the column', () => {
    assert.equal(rateLimitKey('signIn', '1.2.3.4'), 'signIn:1.2.3.4');
    const long = rateLimitKey('signIn', 'x'.repeat(500));
    assert.ok(long.length <= 200 && long.startsWith('signIn:#'));
  });
});
