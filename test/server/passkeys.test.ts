/**
 * Issue 17, item 6: a signed-in person lists, adds (a real registration ceremony for the existing
 * account) and removes their own passkeys; every change is audited; nobody reaches another
 * person's passkeys; the last one cannot be removed.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { startTestServer, TEST_ORIGIN, type TestServer } from '../helpers/test-server.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { assertProblem } from '../helpers/problems.ts';
import type { PasskeyView } from '../../components/core/api.ts';
import type { User } from '../../components/core/user.ts';

interface Options { flowId: string; publicKey: PublicKeyCredentialCreationOptionsJSON }

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

async function auditRows(action: string) {
  return server.db('audit_log').where({ action }).orderBy('seq');
}

/** Adds a passkey on a new (software) device to the account; returns the device and the answer. */
async function addPasskey(account: Account) {
  const options = await server.api<Options>('POST', '/api/v1/me/passkeys/options', { token: account.token, body: {} });
  assert.equal(options.status, 200, JSON.stringify(options.body));
  const device = new SoftAuthenticator(TEST_ORIGIN);
  const credential = await device.create(options.body.publicKey);
  const res = await server.api<PasskeyView>('POST', '/api/v1/me/passkeys', { token: account.token, body: { flowId: options.body.flowId, credential } });
  return { device, res, options: options.body.publicKey };
}

async function signInWith(device: SoftAuthenticator) {
  const options = await server.api<{ flowId: string; publicKey: never }>('POST', '/api/v1/auth/login/options', { body: {} });
  const credential = await device.get(options.body.publicKey);
  return server.api<{ token: string; user: User }>('POST', '/api/v1/auth/login/verify', { body: { flowId: options.body.flowId, credential } });
}

describe('my passkeys', () => {
  test('every route needs a session', async () => {
    assertProblem(await server.api('GET', '/api/v1/me/passkeys'), 401);
    assertProblem(await server.api('POST', '/api/v1/me/passkeys/options', { body: {} }), 401);
    assertProblem(await server.api('POST', '/api/v1/me/passkeys', { body: { flowId: 'x', credential: {} } }), 401);
    assertProblem(await server.api('DELETE', '/api/v1/me/passkeys/abc'), 401);
  });

  test('a citizen sees their passkey, adds a second device, signs in with it as the same person, and removes the first', async () => {
    const account = await registerAccount(server, 'Milica Petrović');
    const first = await server.api<{ items: PasskeyView[] }>('GET', '/api/v1/me/passkeys', { token: account.token });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'no-store');
    assert.equal(first.body.items.length, 1);
    assert.equal(first.body.items[0]!.id, account.authenticator.id);
    assert.deepEqual(first.body.items[0]!.transports, ['internal']);
    assert.ok(!Number.isNaN(Date.parse(first.body.items[0]!.createdAt)));
    // Registering does not count as a use; signing in does (below).
    assert.equal(first.body.items[0]!.lastUsedAt, null);

    const { device, res, options } = await addPasskey(account);
    // The existing account's user handle, and its passkey excluded so the same device says so.
    assert.equal(options.user.id, (await server.db('users').where({ id: account.user.id }).first('webauthn_user_id')).webauthn_user_id);
    assert.deepEqual(options.excludeCredentials?.map((c) => c.id), [account.authenticator.id]);
    assert.equal(options.authenticatorSelection?.residentKey, 'required');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.id, device.id);
    assert.equal(res.headers.get('location'), `/api/v1/me/passkeys/${device.id}`);

    const added = await auditRows('user.passkey-added');
    assert.equal(added.length, 1);
    assert.equal(added[0].actor, account.user.id);
    assert.equal(added[0].subject_id, account.user.id);
    assert.deepEqual(JSON.parse(added[0].data as string), { credentialId: device.id });

    const signedIn = await signInWith(device);
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    assert.equal(signedIn.body.user.id, account.user.id);

    const two = await server.api<{ items: PasskeyView[] }>('GET', '/api/v1/me/passkeys', { token: account.token });
    assert.deepEqual(two.body.items.map((p) => p.id), [account.authenticator.id, device.id]);
    assert.ok(two.body.items[1]!.lastUsedAt, 'signing in with it records the use');

    const removed = await server.api('DELETE', `/api/v1/me/passkeys/${encodeURIComponent(account.authenticator.id)}`, { token: account.token });
    assert.equal(removed.status, 204);
    const audit = await auditRows('user.passkey-removed');
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor, account.user.id);
    assert.deepEqual(JSON.parse(audit[0].data as string), { credentialId: account.authenticator.id });
    // The removed passkey no longer signs in.
    assertProblem(await signInWith(account.authenticator), 400, 'credential', 'unknown');
    // The session it opened stays open.
    assert.equal((await server.api('GET', '/api/v1/me', { token: account.token })).status, 200);
  });

  test('the last passkey cannot be removed, and nothing is audited', async () => {
    const account = await registerAccount(server, 'Jovan Jovanović');
    const before = (await auditRows('user.passkey-removed')).length;
    const res = await server.api('DELETE', `/api/v1/me/passkeys/${encodeURIComponent(account.authenticator.id)}`, { token: account.token });
    const problem = assertProblem(res, 409);
    assert.match(problem.type, /last-passkey$/);
    assert.equal((await server.db('credentials').where({ user_id: account.user.id })).length, 1);
    assert.equal((await auditRows('user.passkey-removed')).length, before);
  });

  test("nobody removes or sees another person's passkey", async () => {
    const ana = await registerAccount(server, 'Ana Anić');
    const boris = await registerAccount(server, 'Boris Borić');
    await addPasskey(ana); // Ana has two: only ownership stands in the way
    const before = (await server.db('audit_log').count({ n: '*' }).first())!.n;
    const res = await server.api('DELETE', `/api/v1/me/passkeys/${encodeURIComponent(ana.authenticator.id)}`, { token: boris.token });
    const problem = assertProblem(res, 404);
    assert.match(problem.type, /passkey-not-found$/);
    assert.ok(!JSON.stringify(problem).includes('Ana'));
    assert.equal((await server.db('credentials').where({ id: ana.authenticator.id })).length, 1);
    assert.equal((await server.db('audit_log').count({ n: '*' }).first())!.n, before);
    const list = await server.api<{ items: PasskeyView[] }>('GET', '/api/v1/me/passkeys', { token: boris.token });
    assert.deepEqual(list.body.items.map((p) => p.id), [boris.authenticator.id]);
    assertProblem(await server.api('DELETE', '/api/v1/me/passkeys/no-such-id', { token: boris.token }), 404);
  });

  test("a flow started by one person cannot add a passkey to another's account", async () => {
    const ana = await registerAccount(server, 'Ana Druga');
    const boris = await registerAccount(server, 'Boris Drugi');
    const options = await server.api<Options>('POST', '/api/v1/me/passkeys/options', { token: ana.token, body: {} });
    const device = new SoftAuthenticator(TEST_ORIGIN);
    const credential = await device.create(options.body.publicKey);
    const res = await server.api('POST', '/api/v1/me/passkeys', { token: boris.token, body: { flowId: options.body.flowId, credential } });
    assertProblem(res, 400, 'flowId', 'unknown');
    assert.equal((await server.db('credentials').where({ id: device.id })).length, 0);
  });

  test('a bad attestation, a reused flow and an already registered passkey are refused', async () => {
    const account = await registerAccount(server, 'Petar Petrović');
    const options = await server.api<Options>('POST', '/api/v1/me/passkeys/options', { token: account.token, body: {} });
    const device = new SoftAuthenticator(TEST_ORIGIN);
    const wrongOrigin = await device.create(options.body.publicKey, { origin: 'https://evil.example' });
    assertProblem(await server.api('POST', '/api/v1/me/passkeys', { token: account.token, body: { flowId: options.body.flowId, credential: wrongOrigin } }), 400, 'credential', 'rejected');
    // The flow was used up by that attempt.
    const good = await device.create(options.body.publicKey);
    assertProblem(await server.api('POST', '/api/v1/me/passkeys', { token: account.token, body: { flowId: options.body.flowId, credential: good } }), 400, 'flowId');
    // The passkey the account already has, presented again.
    const again = await server.api<Options>('POST', '/api/v1/me/passkeys/options', { token: account.token, body: {} });
    const same = await account.authenticator.create(again.body.publicKey);
    assertProblem(await server.api('POST', '/api/v1/me/passkeys', { token: account.token, body: { flowId: again.body.flowId, credential: same } }), 409, 'credential', 'exists');
    assertProblem(await server.api('POST', '/api/v1/me/passkeys', { token: account.token, body: { flowId: again.body.flowId } }), 400, 'credential', 'required');
  });
});
