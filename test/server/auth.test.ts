import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TEST_ORIGIN, type TestServer } from '../helpers/test-server.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { registerAccount } from '../helpers/accounts.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import type { Problem } from '../../components/core/problem.ts';
import type { User } from '../../components/core/user.ts';
import { assertProblem } from '../helpers/problems.ts';
import { discoverRoutes } from '../helpers/routes.ts';

interface Options { flowId: string; publicKey: never }
interface Session { token: string; user: User }

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await seedDemo(server.db, Date.now());
});
after(() => server.close());

async function counts() {
  const n = async (table: string) => Number((await server.db(table).count({ n: '*' }).first())!.n);
  return { users: await n('users'), credentials: await n('credentials'), sessions: await n('sessions'), audit: await n('audit_log') };
}

async function loginWith(authenticator: SoftAuthenticator, o: Parameters<SoftAuthenticator['get']>[1] = {}) {
  const options = await server.api<Options>('POST', '/api/v1/auth/login/options', { body: {} });
  assert.equal(options.status, 200);
  const credential = await authenticator.get(options.body.publicKey, o);
  return { flowId: options.body.flowId, res: await server.api<Session>('POST', '/api/v1/auth/login/verify', { body: { flowId: options.body.flowId, credential } }) };
}

describe('passkey accounts', () => {
  test('a citizen registers, reads /me, signs out, and signs in again', async () => {
    const { token, user, authenticator } = await registerAccount(server, 'Milica Petrović');
    assert.equal(user.kind, 'citizen');
    assert.deepEqual(user.roles, []);
    assert.equal(user.agencyId, undefined);

    const me = await server.api<{ user: User }>('GET', '/api/v1/me', { token });
    assert.equal(me.status, 200);
    assert.deepEqual(me.body.user, user);

    assert.equal((await server.api('POST', '/api/v1/auth/logout', { token })).status, 204);
    assertProblem(await server.api('GET', '/api/v1/me', { token }), 401);

    const { res } = await loginWith(authenticator);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.id, user.id);
    assert.notEqual(res.body.token, token);
    assert.equal((await server.api('GET', '/api/v1/me', { token: res.body.token })).status, 200);
  });

  test('registration options ask for a resident key and user verification', async () => {
    const res = await server.api<{ flowId: string; publicKey: { authenticatorSelection: Record<string, unknown>; rp: { id: string } } }>(
      'POST', '/api/v1/auth/register/options', { body: { displayName: 'Jovan' } });
    assert.equal(res.status, 200);
    assert.match(res.body.flowId, /^[0-9a-f-]{36}$/);
    assert.equal(res.body.publicKey.authenticatorSelection.residentKey, 'required');
    assert.equal(res.body.publicKey.authenticatorSelection.userVerification, 'required');
    assert.equal(res.body.publicKey.rp.id, 'localhost');
  });

  test('tokens and challenges are not stored in the clear, and a used challenge is gone', async () => {
    const { token } = await registerAccount(server, 'Tamara');
    const rows = await server.db('sessions').select('token_hash');
    assert.ok(rows.every((r: { token_hash: string }) => r.token_hash !== token && /^[0-9a-f]{64}$/.test(r.token_hash)));
    const left = await server.db('challenges').count({ n: '*' }).first();
    assert.equal(Number(left!.n), 1); // the unused options from the test above, no more
  });

  test('an official registers with an invite code; a second use is refused', async () => {
    const code = await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, Date.now());
    const { user } = await registerAccount(server, 'Petar Službenik', code.toLowerCase());
    assert.equal(user.kind, 'official');
    assert.equal(user.agencyId, DEMO_AGENCY.id);
    assert.deepEqual(user.roles, ['clerk']);
    const again = await server.api('POST', '/api/v1/auth/register/options', { body: { displayName: 'Someone else', inviteCode: code } });
    const problem = assertProblem(again, 400, 'inviteCode');
    assert.equal(problem.errors![0]!.code, 'used');
    assertProblem(await server.api('POST', '/api/v1/auth/register/options', { body: { displayName: 'X', inviteCode: 'AAAA-BBBB' } }), 400, 'inviteCode');
  });

  test('an invite raced by two registrations makes one official and stores nothing for the other', async () => {
    const code = await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['head'] }, Date.now());
    const a = new SoftAuthenticator(TEST_ORIGIN);
    const b = new SoftAuthenticator(TEST_ORIGIN);
    const oa = await server.api<Options>('POST', '/api/v1/auth/register/options', { body: { displayName: 'A', inviteCode: code } });
    const ob = await server.api<Options>('POST', '/api/v1/auth/register/options', { body: { displayName: 'B', inviteCode: code } });
    const ca = await a.create(oa.body.publicKey);
    const cb = await b.create(ob.body.publicKey);
    assert.equal((await server.api('POST', '/api/v1/auth/register/verify', { body: { flowId: oa.body.flowId, credential: ca } })).status, 201);
    const before = await counts();
    assertProblem(await server.api('POST', '/api/v1/auth/register/verify', { body: { flowId: ob.body.flowId, credential: cb } }), 409, 'inviteCode');
    assert.deepEqual(await counts(), before);
  });
});

/** The methods an answer's Allow header lists, sorted. */
function allowSet(res: { headers: Headers }): string[] {
  return (res.headers.get('allow') ?? '').split(',').map((m) => m.trim()).filter(Boolean).sort();
}

describe('refused ceremonies store nothing', () => {
  async function refusedRegistration(
    mutate: (o: Options) => Promise<{ flowId: string; credential: unknown }>,
    status: number,
    field: string,
  ): Promise<Problem> {
    const options = await server.api<Options>('POST', '/api/v1/auth/register/options', { body: { displayName: 'Refused' } });
    const before = await counts();
    const { flowId, credential } = await mutate(options.body);
    const problem = assertProblem(await server.api('POST', '/api/v1/auth/register/verify', { body: { flowId, credential } }), status, field);
    assert.deepEqual(await counts(), before);
    return problem;
  }

  test('a wrong origin in clientDataJSON', async () => {
    const p = await refusedRegistration(async (o) => ({
      flowId: o.flowId,
      credential: await new SoftAuthenticator(TEST_ORIGIN).create(o.publicKey, { origin: 'https://evil.example' }),
    }), 400, 'credential');
    assert.match(p.detail!, /origin/i);
  });

  test('user verification off', async () => {
    const p = await refusedRegistration(async (o) => ({
      flowId: o.flowId,
      credential: await new SoftAuthenticator(TEST_ORIGIN).create(o.publicKey, { userVerified: false }),
    }), 400, 'credential');
    assert.match(p.detail!, /verif/i);
  });

  test('a wrong RP ID', async () => {
    await refusedRegistration(async (o) => ({
      flowId: o.flowId,
      credential: await new SoftAuthenticator(TEST_ORIGIN).create(o.publicKey, { rpId: 'evil.example' }),
    }), 400, 'credential');
  });

  test('a response made for another challenge', async () => {
    await refusedRegistration(async (o) => ({
      flowId: o.flowId,
      credential: await new SoftAuthenticator(TEST_ORIGIN).create(o.publicKey, { challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
    }), 400, 'credential');
  });

  test('an unknown flowId', async () => {
    const p = await refusedRegistration(async (o) => ({
      flowId: '00000000-0000-4000-8000-000000000000',
      credential: await new SoftAuthenticator(TEST_ORIGIN).create(o.publicKey),
    }), 400, 'flowId');
    assert.equal(p.errors![0]!.code, 'unknown');
  });

  test('an expired challenge', async () => {
    try {
      const p = await refusedRegistration(async (o) => {
        const credential = await new SoftAuthenticator(TEST_ORIGIN).create(o.publicKey);
        server.clock.offset = 5 * 60 * 1000 + 1;
        return { flowId: o.flowId, credential };
      }, 400, 'flowId');
      assert.equal(p.errors![0]!.code, 'expired');
    } finally {
      server.clock.offset = 0;
    }
  });

  test('a replayed registration: the same flow and response twice', async () => {
    const options = await server.api<Options>('POST', '/api/v1/auth/register/options', { body: { displayName: 'Replay' } });
    const credential = await new SoftAuthenticator(TEST_ORIGIN).create(options.body.publicKey);
    assert.equal((await server.api('POST', '/api/v1/auth/register/verify', { body: { flowId: options.body.flowId, credential } })).status, 201);
    const before = await counts();
    assertProblem(await server.api('POST', '/api/v1/auth/register/verify', { body: { flowId: options.body.flowId, credential } }), 400, 'flowId');
    assert.deepEqual(await counts(), before);
  });

  test('a replayed sign-in, a stale counter, UV off and a wrong origin on sign-in', async () => {
    const { authenticator } = await registerAccount(server, 'Counter');
    const first = await loginWith(authenticator);
    assert.equal(first.res.status, 200);
    const before = await counts();
    // The same assertion again, on its own (now used) flow.
    const options = await server.api<Options>('POST', '/api/v1/auth/login/options', { body: {} });
    const credential = await authenticator.get(options.body.publicKey);
    assert.equal((await server.api('POST', '/api/v1/auth/login/verify', { body: { flowId: options.body.flowId, credential } })).status, 200);
    assertProblem(await server.api('POST', '/api/v1/auth/login/verify', { body: { flowId: options.body.flowId, credential } }), 400, 'flowId');
    const afterReplay = await counts();
    assert.equal(afterReplay.sessions, before.sessions + 1);

    const stale = await loginWith(authenticator, { counter: 1 });
    assert.match(assertProblem(stale.res, 400, 'credential').detail!, /counter/i);
    assertProblem((await loginWith(authenticator, { userVerified: false })).res, 400, 'credential');
    assertProblem((await loginWith(authenticator, { origin: 'http://localhost:1' })).res, 400, 'credential');
    assert.deepEqual(await counts(), afterReplay);
  });

  test('a cloned passkey used from several copies at once: one sign-in, the others refused for the counter; the counter is the winner\'s', async () => {
    const { user, authenticator } = await registerAccount(server, 'Klon Klonić');
    assert.equal((await loginWith(authenticator)).res.status, 200);
    const storedCounter = async () => Number((await server.db('credentials').where({ id: authenticator.id }).first()).counter);
    assert.equal(await storedCounter(), authenticator.counter);
    // Copies of one key hold the same counter, so each signs the same next value. All are sent
    // at once: each reads the stored counter before any has moved it, so only the database's
    // compare-and-set can keep more than one from passing.
    const COPIES = 6;
    const next = authenticator.counter + 1;
    const flows: Options[] = [];
    for (let i = 0; i < COPIES; i++) flows.push((await server.api<Options>('POST', '/api/v1/auth/login/options', { body: {} })).body);
    const assertions = await Promise.all(flows.map((f) => authenticator.get(f.publicKey, { counter: next })));
    const before = await counts();
    const answers = await Promise.all(flows.map((f, i) =>
      server.api<Session>('POST', '/api/v1/auth/login/verify', { body: { flowId: f.flowId, credential: assertions[i] } })));

    const won = answers.filter((a) => a.status === 200);
    assert.equal(won.length, 1, `one sign-in: ${JSON.stringify(answers.map((a) => a.status))}`);
    for (const refused of answers.filter((a) => a.status !== 200)) {
      assert.match(assertProblem(refused, 400, 'credential').detail!, /counter/i);
    }
    assert.equal(await storedCounter(), next, 'the winner\'s counter is stored');
    const after = await counts();
    assert.deepEqual(after, { ...before, sessions: before.sessions + 1, audit: before.audit + 1 }, 'one session, one sign-in in the audit log');
    assert.equal((await server.api<{ user: User }>('GET', '/api/v1/me', { token: won[0]!.body.token })).body.user.id, user.id);
  });

  test('a passkey this server never registered', async () => {
    const stranger = new SoftAuthenticator(TEST_ORIGIN);
    await stranger.create({ challenge: 'x', user: { id: 'dXNlcg', name: 'u', displayName: 'u' } } as never);
    assertProblem((await loginWith(stranger)).res, 400, 'credential');
  });
});

describe('bad requests are problem+json, never a crash', () => {
  test('malformed JSON', async () => {
    const p = assertProblem(await server.api('POST', '/api/v1/auth/register/options', { raw: '{"displayName":' }), 400);
    assert.equal(p.type, 'https://overa.dev/problems/malformed-json');
  });

  test('an oversized body', async () => {
    const p = assertProblem(await server.api('POST', '/api/v1/auth/register/options', { body: { displayName: 'x'.repeat(300 * 1024) } }), 413);
    assert.equal(p.type, 'https://overa.dev/problems/body-too-large');
  });

  test('a body that is not JSON', async () => {
    assertProblem(await server.api('POST', '/api/v1/auth/register/options', { raw: 'displayName=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415);
  });

  test('wrong and missing fields name the field at fault', async () => {
    assertProblem(await server.api('POST', '/api/v1/auth/register/options', { body: {} }), 400, 'displayName');
    assertProblem(await server.api('POST', '/api/v1/auth/register/options', { body: { displayName: 42 } }), 400, 'displayName');
    assertProblem(await server.api('POST', '/api/v1/auth/register/options', { body: { displayName: '   ' } }), 400, 'displayName');
    assertProblem(await server.api('POST', '/api/v1/auth/register/options', { body: { displayName: 'y'.repeat(101) } }), 400, 'displayName');
    assertProblem(await server.api('POST', '/api/v1/auth/register/options', { body: [] }), 400, '');
    const both = assertProblem(await server.api('POST', '/api/v1/auth/login/verify', { body: { flowId: 7, credential: 'no' } }), 400);
    assert.deepEqual(both.errors!.map((e) => e.field).sort(), ['credential', 'flowId']);
    assertProblem(await server.api('POST', '/api/v1/auth/login/verify', { body: { flowId: 'f', credential: { id: 5 } } }), 400);
  });

  test('a garbage credential object is refused, not a 500', async () => {
    const options = await server.api<Options>('POST', '/api/v1/auth/register/options', { body: { displayName: 'Garbage' } });
    for (const credential of [{}, { id: 'x', response: 'y' }, { id: 'x', rawId: 'x', type: 'public-key', response: { clientDataJSON: '!!', attestationObject: '??' } }]) {
      const o = await server.api<Options>('POST', '/api/v1/auth/register/options', { body: { displayName: 'Garbage' } });
      assertProblem(await server.api('POST', '/api/v1/auth/register/verify', { body: { flowId: o.body.flowId, credential } }), 400, 'credential');
    }
    assert.equal(options.status, 200);
  });

  test('bad bearer tokens are 401 with WWW-Authenticate', async () => {
    for (const token of ['short', 'x'.repeat(43)]) {
      const res = await server.api('GET', '/api/v1/me', { token });
      assertProblem(res, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
    }
    assertProblem(await server.api('GET', '/api/v1/me', { headers: { Authorization: 'Basic abc' } }), 401);
    assertProblem(await server.api('POST', '/api/v1/auth/logout'), 401);
  });

  test('another scheme than Bearer is told a Bearer token is expected; a bad Bearer token that the session ended', async () => {
    const { token } = await registerAccount(server, 'Schemes');
    const refusals = [
      { method: 'GET', path: '/api/v1/me' },
      { method: 'POST', path: '/api/v1/auth/logout' },
      { method: 'GET', path: '/api/v1/applications' },
    ];
    for (const { method, path } of refusals) {
      for (const authorization of ['Basic dXNlcjpwYXNzd29yZA==', 'Digest username="u", realm="r"', 'Token abc', `Bearertoken ${token}`, token]) {
        const res = await server.api(method, path, { headers: { Authorization: authorization } });
        const p = assertProblem(res, 401);
        assert.equal(p.type, 'https://overa.dev/problems/unauthorized');
        assert.equal(p.title, 'A Bearer token is expected', `${authorization} on ${method} ${path}`);
        assert.match(p.detail ?? '', /Authorization: Bearer <token>/);
        // RFC 6750 §3.1: no error code for an unsupported authentication method.
        assert.equal(res.headers.get('www-authenticate'), 'Bearer');
        // The scheme may be named back, the credentials never are.
        assert.ok(!JSON.stringify(p).includes('dXNlcjpwYXNzd29yZA') && !JSON.stringify(p).includes(token), JSON.stringify(p));
      }
    }
    const basic = await server.api<Problem>('GET', '/api/v1/me', { headers: { Authorization: 'Basic dXNlcjpwYXNzd29yZA==' } });
    assert.match(basic.body.detail ?? '', /Basic scheme/);

    // Malformed, unknown, empty or signed-out Bearer tokens keep the "session ended" answer.
    const { token: gone } = await registerAccount(server, 'Gone');
    assert.equal((await server.api('POST', '/api/v1/auth/logout', { token: gone })).status, 204);
    for (const authorization of ['Bearer short', `Bearer ${'x'.repeat(43)}`, 'Bearer', `Bearer ${token}!`, `Bearer ${gone}`, `bearer ${gone}`]) {
      const res = await server.api('GET', '/api/v1/me', { headers: { Authorization: authorization } });
      assert.equal(assertProblem(res, 401).title, 'Your session has ended', authorization);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    }
    // The scheme's name is case-insensitive (RFC 9110 §11.1).
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      assert.equal((await server.api('GET', '/api/v1/me', { headers: { Authorization: `${scheme} ${token}` } })).status, 200, scheme);
    }
  });

  test('a field the request does not have is named (unknownField) on sign-up options too', async () => {
    const typo = assertProblem(await server.api('POST', '/api/v1/auth/register/options', { body: { name: 'Ana' } }), 400, 'name', 'unknownField');
    assert.equal(typo.type, 'https://overa.dev/problems/validation');
    assert.equal(typo.errors?.find((e) => e.field === 'displayName')?.code, 'required');
    assertProblem(await server.api('POST', '/api/v1/auth/register/options', { body: { displayName: 'Ana', invite: 'AAAA' } }), 400, 'invite', 'unknownField');
    const challenges = await server.db('challenges').count({ n: '*' }).first();
    assertProblem(await server.api('POST', '/api/v1/auth/register/options', { body: { displayName: 'Ana', extra: true } }), 400, 'extra', 'unknownField');
    assert.deepEqual(await server.db('challenges').count({ n: '*' }).first(), challenges);
    // Both documented fields still work.
    assert.equal((await server.api('POST', '/api/v1/auth/register/options', { body: { displayName: 'Ana' } })).status, 200);
  });

  test('JSON that is not an object is refused in the API\'s words, not the body parser\'s', async () => {
    for (const path of ['/api/v1/auth/register/options', '/api/v1/auth/login/options', '/api/v1/auth/login/verify']) {
      for (const [raw, kind] of [['null', 'null'], [' 5', 'a number'], ['"x"', 'a string'], ['true', 'a boolean']] as const) {
        const p = assertProblem(await server.api('POST', path, { raw }), 400, '', 'type');
        assert.equal(p.type, 'https://overa.dev/problems/validation', raw);
        assert.equal(p.title, 'The request is not valid');
        assert.equal(p.detail, `The body must be a JSON object, not ${kind}`);
      }
    }
    // Not JSON at all, yet not starting with { or [: malformed JSON with the parser's reason.
    for (const raw of ['hello', 'nul', '   ', '5 5']) {
      const p = assertProblem(await server.api('POST', '/api/v1/auth/register/options', { raw }), 400);
      assert.equal(p.type, 'https://overa.dev/problems/malformed-json', raw);
      assert.doesNotMatch(p.detail ?? '', /only supports/, raw);
    }
    // An array is JSON too: the route's RequestBody says it the same way.
    assert.equal(assertProblem(await server.api('POST', '/api/v1/auth/register/options', { body: [] }), 400, '', 'type').detail, 'The body must be a JSON object, not an array');
  });

  test('unknown routes and methods', async () => {
    assertProblem(await server.api('GET', '/api/v1/nothing-here'), 404);
    assertProblem(await server.api('DELETE', '/api/v1/me'), 405);
    // A method nobody implements is a 501, not an internal error.
    assertProblem(await server.api('PROPFIND', '/api/v1/me'), 501);
    // … with the methods the path has, when it has some (an empty Allow would say "none").
    assert.deepEqual(allowSet(await server.api('PROPFIND', '/api/v1/me')), ['GET', 'HEAD']);
    assert.equal((await server.api('PROPFIND', '/api/v1/nothing-here')).headers.get('allow'), null);
  });

  test('a 405 lists the methods the path has in Allow (RFC 9110), on every route', async () => {
    const forms = await server.api('PATCH', '/api/v1/forms');
    const problem = assertProblem(forms, 405);
    assert.equal(problem.type, 'https://overa.dev/problems/method-not-allowed');
    assert.equal(problem.title, 'This method is not allowed here');
    assert.deepEqual(allowSet(forms), ['GET', 'HEAD']);
    assert.match(problem.detail ?? '', /PATCH.*\/api\/v1\/forms/);

    // Every API route: a method it does not have is a 405 whose Allow is every method of every
    // route that matches the path (GET brings HEAD), e.g. /signatures/options is also /signatures/:id.
    const routes = discoverRoutes(server.app).filter((r) => r.path.startsWith('/api/v1/'));
    const pattern = (path: string) => new RegExp(`^${path.replace(/\./g, '\\.').replace(/:\w+/g, '[^/]+')}$`);
    const paths = new Set(routes.map((r) => r.path.replace(/:\w+/g, 'x1')));
    assert.ok(paths.size > 30, `${paths.size} paths`);
    for (const path of paths) {
      const methods = new Set(routes.filter((r) => pattern(r.path).test(path)).map((r) => r.method));
      if (methods.has('GET')) methods.add('HEAD');
      const res = await server.api('PATCH', path);
      assertProblem(res, 405);
      assert.deepEqual(allowSet(res), [...methods].sort(), path);
    }
  });

  test('an expired session is refused', async () => {
    const { token } = await registerAccount(server, 'Expiring');
    try {
      server.clock.offset = 13 * 3600 * 1000;
      assert.equal(assertProblem(await server.api('GET', '/api/v1/me', { token }), 401).title, 'Your session has ended');
    } finally {
      server.clock.offset = 0;
    }
    assert.equal((await server.api('GET', '/api/v1/me', { token })).status, 200);
  });
});

describe('HTTP hygiene', () => {
  test('health, request ids and security headers', async () => {
    const res = await server.api<{ status: string }>('GET', '/healthz', { headers: { 'X-Request-Id': 'abc-123' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ok');
    assert.equal(res.headers.get('x-request-id'), 'abc-123');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    const generated = await server.api('GET', '/healthz', { headers: { 'X-Request-Id': 'bad id with spaces' } });
    assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const problem = await server.api<Problem>('GET', '/api/v1/me');
    assert.equal(problem.body.requestId, problem.headers.get('x-request-id'));
  });

  test('CORS answers only the configured embedding origins', async () => {
    const allowed = await fetch(server.url + '/api/v1/auth/login/options', {
      method: 'OPTIONS',
      headers: { Origin: TEST_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,authorization' },
    });
    assert.equal(allowed.headers.get('access-control-allow-origin'), TEST_ORIGIN);
    assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    assert.equal(allowed.headers.get('access-control-allow-credentials'), null);
    const denied = await fetch(server.url + '/api/v1/auth/login/options', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(denied.headers.get('access-control-allow-origin'), null);
  });
});
