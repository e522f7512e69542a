/**
 * Issue 17, item 6: when every passkey is lost, the agency checks the person's identity and
 * issues a one-time recovery code (`overa accounts recover`, audited); with it the person
 * registers a new passkey for the same account, whose old passkeys and sessions end (audited).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { startTestServer, TEST_ORIGIN, type TestServer } from '../helpers/test-server.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { registerAccount } from '../helpers/accounts.ts';
import { assertProblem } from '../helpers/problems.ts';
import { issueRecoveryCode } from '../../server/services/account-recovery.ts';
import { loadConfig } from '../../server/config.ts';
import { openDatabase, migrate } from '../../server/db/connection.ts';
import { users } from '../../server/db/users.ts';
import { verifyAudit } from '../../server/services/audit.ts';
import type { User } from '../../components/core/user.ts';

interface Options { flowId: string; publicKey: PublicKeyCredentialCreationOptionsJSON }

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

async function recoverWith(code: string, device = new SoftAuthenticator(TEST_ORIGIN)) {
  const options = await server.api<Options>('POST', '/api/v1/auth/recover/options', { body: { recoveryCode: code } });
  if (options.status !== 200) return { options, device, verify: undefined };
  const credential = await device.create(options.body.publicKey);
  const verify = await server.api<{ token: string; user: User }>('POST', '/api/v1/auth/recover/verify', { body: { flowId: options.body.flowId, credential } });
  return { options, device, verify };
}

async function signInWith(device: SoftAuthenticator) {
  const options = await server.api<{ flowId: string; publicKey: never }>('POST', '/api/v1/auth/login/options', { body: {} });
  const credential = await device.get(options.body.publicKey);
  return server.api<{ token: string; user: User }>('POST', '/api/v1/auth/login/verify', { body: { flowId: options.body.flowId, credential } });
}

describe('agency-assisted account recovery', () => {
  test('a recovery code registers a new passkey for the old account; the old passkeys and sessions end; all audited', async () => {
    const lost = await registerAccount(server, 'Milan Izgubljeni');
    const { code } = await issueRecoveryCode(server.db, { userId: lost.user.id, note: 'lična karta proverena na šalteru 3' }, Date.now());
    assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const issued = await server.db('audit_log').where({ action: 'user.recovery-issued', subject_id: lost.user.id });
    assert.equal(issued.length, 1);
    assert.equal(issued[0].actor, null);
    assert.equal(JSON.parse(issued[0].data as string).note, 'lična karta proverena na šalteru 3');
    // Only the hash is kept.
    assert.ok(!JSON.stringify(await server.db('recovery_codes').select('*')).includes(code.replace(/-/g, '')));

    // Lower case and no dashes name the same code, as invites do.
    const { options, device, verify } = await recoverWith(code.toLowerCase().replace(/-/g, ''));
    assert.equal(options.status, 200);
    assert.equal(options.body.publicKey.user.id, (await users.webauthnUserId(server.db, lost.user.id)));
    assert.equal(verify!.status, 201, JSON.stringify(verify!.body));
    assert.equal(verify!.body.user.id, lost.user.id);
    assert.equal(verify!.body.user.displayName, 'Milan Izgubljeni');

    // The new passkey signs in as the old account; the lost one (found by someone else) does not; old sessions are over.
    assert.equal((await signInWith(device)).body.user.id, lost.user.id);
    assertProblem(await signInWith(lost.authenticator), 400, 'credential', 'unknown');
    assertProblem(await server.api('GET', '/api/v1/me', { token: lost.token }), 401);
    assert.equal((await server.api('GET', '/api/v1/me', { token: verify!.body.token })).status, 200);
    const recovered = await server.db('audit_log').where({ action: 'user.recovered', subject_id: lost.user.id });
    assert.equal(recovered.length, 1);
    assert.equal(recovered[0].actor, lost.user.id);
    assert.deepEqual(JSON.parse(recovered[0].data as string), { credentialId: device.id, removedPasskeys: 1, endedSessions: 1 });
    assert.equal((await verifyAudit(server.db)).ok, true);

    // The code is used up.
    assertProblem((await recoverWith(code)).options, 400, 'recoveryCode', 'used');
  });

  test('unknown, expired and replaced codes are refused, naming the field; nothing changes', async () => {
    const person = await registerAccount(server, 'Vesna Vesić');
    assertProblem(await server.api('POST', '/api/v1/auth/recover/options', { body: { recoveryCode: 'AAAA-AAAA-AAAA-AAAA' } }), 400, 'recoveryCode', 'unknown');
    assertProblem(await server.api('POST', '/api/v1/auth/recover/options', { body: {} }), 400, 'recoveryCode', 'required');
    assertProblem(await server.api('POST', '/api/v1/auth/recover/options', { body: { recoveryCode: 'X', userId: person.user.id } }), 400, 'userId', 'unknownField');
    const old = await issueRecoveryCode(server.db, { userId: person.user.id, ttlSeconds: 3600 }, Date.now() - 2 * 3600_000);
    assertProblem(await server.api('POST', '/api/v1/auth/recover/options', { body: { recoveryCode: old.code } }), 400, 'recoveryCode', 'expired');
    const first = await issueRecoveryCode(server.db, { userId: person.user.id }, Date.now());
    const second = await issueRecoveryCode(server.db, { userId: person.user.id }, Date.now());
    assertProblem(await server.api('POST', '/api/v1/auth/recover/options', { body: { recoveryCode: first.code } }), 400, 'recoveryCode', 'used');
    // Options were given for the second, but it was replaced before the ceremony finished: 409, and the old passkey still works.
    const options = await server.api<Options>('POST', '/api/v1/auth/recover/options', { body: { recoveryCode: second.code } });
    assert.equal(options.status, 200);
    await issueRecoveryCode(server.db, { userId: person.user.id }, Date.now());
    const credential = await new SoftAuthenticator(TEST_ORIGIN).create(options.body.publicKey);
    assertProblem(await server.api('POST', '/api/v1/auth/recover/verify', { body: { flowId: options.body.flowId, credential } }), 409, 'recoveryCode', 'used');
    assert.equal((await signInWith(person.authenticator)).status, 200);
    assert.equal((await server.db('audit_log').where({ action: 'user.recovered', subject_id: person.user.id })).length, 0);
  });
});

describe('overa accounts recover', () => {
  const BIN = new URL('../../bin/overa.js', import.meta.url).pathname;
  const run = promisify(execFile);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'overa-recover-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function overa(env: NodeJS.ProcessEnv, ...args: string[]) {
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, cwd: dir });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  test('prints a one-time code for the account, audited with the note; mistakes are said', async () => {
    // The CLI on SQLite, in a data folder of its own with one citizen in it.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, OVERA_DATA_DIR: join(dir, 'data'), OVERA_LOG_LEVEL: 'silent' };
    const db = openDatabase(loadConfig(env, dir));
    await migrate(db);
    await users.insert(db, { id: '0b5f7a2e-1111-4222-8333-944455556666', displayName: 'Ana Anić', kind: 'citizen', roles: [], webauthnUserId: 'dXNlcg' }, Date.now());
    await db.destroy();

    const ok = await overa(env, 'accounts', 'recover', '--user', '0b5f7a2e-1111-4222-8333-944455556666', '--note', 'passport checked at desk 2', '--hours', '2');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout.trim(), /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    assert.match(ok.stderr, /Ana Anić/);
    const after = openDatabase(loadConfig(env, dir));
    const [row] = await after('audit_log').where({ action: 'user.recovery-issued' });
    await after.destroy();
    assert.equal(JSON.parse(row.data as string).note, 'passport checked at desk 2');

    const neither = await overa(env, 'accounts', 'recover');
    assert.equal(neither.code, 2);
    assert.match(neither.stderr, /--user ID or with --tracking NUMBER/);
    const nobody = await overa(env, 'accounts', 'recover', '--tracking', 'NP-2026-NOPE00');
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /no account made the application NP-2026-NOPE00/);
    const badHours = await overa(env, 'accounts', 'recover', '--user', 'x', '--hours', '0');
    assert.equal(badHours.code, 2);
  });
});
