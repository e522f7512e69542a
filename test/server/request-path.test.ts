// The authenticated request path after its speed-ups (docs/decisions.md, "SQLite driver"):
// the same security headers as helmet per request, CORS headers, and a session read that never
// sees another request's uncommitted transaction.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import helmet from 'koa-helmet';
import { startTestServer, TEST_ORIGIN, type TestServer } from '../helpers/test-server.ts';
import { HELMET_OPTIONS, helmetHeaderSet } from '../../server/middleware/security-headers.ts';
import { agencies } from '../../server/db/agencies.ts';
import { users } from '../../server/db/users.ts';
import { sessions } from '../../server/db/sessions.ts';
import { createSession, hashToken, userForToken } from '../../server/services/sessions.ts';

let server: TestServer;
let token: string;
before(async () => {
  server = await startTestServer();
  const now = Date.now();
  await users.insert(server.db, { id: 'path-user', displayName: 'Path Citizen', kind: 'citizen', roles: [], webauthnUserId: 'cGF0aC11c2Vy' }, now);
  token = await createSession(server.db, 'path-user', 3600, now);
});
after(() => server.close());

/** The headers helmet itself sets on a response, with these options, through koa-helmet per request. */
async function helmetPerRequest(): Promise<Map<string, string>> {
  const app = new Koa();
  app.use(helmet(HELMET_OPTIONS) as unknown as Koa.Middleware);
  app.use((ctx) => {
    ctx.body = 'ok';
  });
  const http = createServer(app.callback());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`);
    await res.arrayBuffer();
    const seen = new Map<string, string>();
    for (const [name, value] of res.headers) seen.set(name, value);
    for (const name of ['content-type', 'content-length', 'date', 'connection', 'keep-alive']) seen.delete(name);
    return seen;
  } finally {
    http.closeAllConnections();
    http.close();
  }
}

describe('security headers', () => {
  test('the recorded set is what helmet sets per request', async () => {
    const expected = await helmetPerRequest();
    const recorded = helmetHeaderSet();
    assert.deepEqual(new Map(recorded.set.map(([name, value]) => [name.toLowerCase(), value])), expected);
    assert.ok(expected.has('content-security-policy') && expected.has('x-frame-options') && expected.size >= 10);
    assert.deepEqual(recorded.remove, ['X-Powered-By']);
  });

  test('every kind of answer carries all of them', async () => {
    const expected = await helmetPerRequest();
    const answers = [
      await server.api('GET', '/api/v1/me', { token }),
      await server.api('GET', '/api/v1/me'),
      await server.api('GET', '/api/v1/me', { headers: { Authorization: `Bearer ${'x'.repeat(43)}` } }),
      await server.api('GET', '/api/v1/no-such-thing'),
      await server.api('GET', '/healthz'),
      await server.api('POST', '/api/v1/auth/logout', { raw: '{bad', token }),
      await server.api('OPTIONS', '/api/v1/me', { headers: { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'GET' } }),
    ];
    for (const res of answers) {
      for (const [name, value] of expected) assert.equal(res.headers.get(name), value, `${name} on a ${res.status}`);
      assert.equal(res.headers.get('x-powered-by'), null);
      assert.ok(res.headers.get('x-request-id'));
    }
  });

  test('the Content-Security-Policy allows fonts from this origin only, and no source from any https: origin', async () => {
    const res = await server.api('GET', '/healthz');
    const directives = new Map((res.headers.get('content-security-policy') ?? '').split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name!, sources] as const;
    }));
    // No page or element loads a font from elsewhere or from a data: URL (helmet's default allows both).
    assert.deepEqual(directives.get('font-src'), ["'self'"]);
    for (const [name, sources] of directives) assert.ok(!sources.includes('https:'), `${name} ${sources.join(' ')}`);
    assert.deepEqual(directives.get('default-src'), ["'self'"]);
  });
});

describe('CORS', () => {
  test('Vary: Origin always (with Accept-Encoding: answers may be compressed); Access-Control-* only for a configured origin', async () => {
    const none = await server.api('GET', '/api/v1/me', { token });
    assert.equal(none.status, 200);
    assert.equal(none.headers.get('vary'), 'Accept-Encoding, Origin');
    assert.equal(none.headers.get('access-control-allow-origin'), null);
    const allowed = await server.api('GET', '/api/v1/me', { token, headers: { Origin: TEST_ORIGIN } });
    assert.equal(allowed.headers.get('vary'), 'Accept-Encoding, Origin');
    assert.equal(allowed.headers.get('access-control-allow-origin'), TEST_ORIGIN);
    assert.match(allowed.headers.get('access-control-expose-headers') ?? '', /X-Request-Id/);
    const other = await server.api('GET', '/api/v1/me', { token, headers: { Origin: 'https://evil.example' } });
    assert.equal(other.headers.get('vary'), 'Accept-Encoding, Origin');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });
});

describe('session lookup', () => {
  test('every request reads the session: a signed-out token stops working at once', async () => {
    const now = Date.now();
    const second = await createSession(server.db, 'path-user', 3600, now);
    assert.equal((await server.api('GET', '/api/v1/me', { token: second })).status, 200);
    // Deleted behind the app's back (as another instance signing out would do).
    await sessions.delete(server.db, hashToken(second));
    assert.equal((await server.api('GET', '/api/v1/me', { token: second })).status, 401);
    assert.equal((await server.api('GET', '/api/v1/me', { token })).status, 200);
  });

  test("an official's agency comes by name with the session's user (GET me), as with users.get", async () => {
    const now = Date.now();
    await agencies.upsert(server.db, { id: 'path-agency', name: 'Opštinska uprava Putanja', created_at: now });
    await users.insert(server.db, { id: 'path-official', displayName: 'Path Official', kind: 'official', agencyId: 'path-agency', roles: ['clerk'], webauthnUserId: 'cGF0aC1vZmY' }, now);
    const official = await createSession(server.db, 'path-official', 3600, now);
    const me = await server.api<{ user: Record<string, unknown> }>('GET', '/api/v1/me', { token: official });
    assert.deepEqual(me.body.user, { id: 'path-official', displayName: 'Path Official', kind: 'official', agencyId: 'path-agency', agencyName: 'Opštinska uprava Putanja', roles: ['clerk'] });
    assert.deepEqual(await users.get(server.db, 'path-official'), me.body.user);
    // A citizen has neither.
    const citizen = await server.api<{ user: Record<string, unknown> }>('GET', '/api/v1/me', { token });
    assert.deepEqual(Object.keys(citizen.body.user).sort(), ['displayName', 'id', 'kind', 'roles']);
  });

  test('a read while a transaction is open sees only committed state', async () => {
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const now = Date.now();
    const trx = server.db.transaction(async (t) => {
      await sessions.delete(t, hashToken(token));
      inside();
      await held;
      throw new Error('rolled back on purpose');
    });
    await entered;
    // On SQLite the transaction holds the one connection: the read waits for it and then sees
    // the session (the delete was rolled back). On PostgreSQL it reads committed state at once.
    const reading = userForToken(server.db, token, now);
    release();
    await assert.rejects(trx, /rolled back on purpose/);
    assert.equal((await reading)?.id, 'path-user');
    assert.equal((await server.api('GET', '/api/v1/me', { token })).status, 200);
  });
});
