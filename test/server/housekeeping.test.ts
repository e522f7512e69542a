import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/test-server.ts';
import { registerAccount } from '../helpers/accounts.ts';
import { sweepExpired } from '../../server/services/housekeeping.ts';

test('the sweeper removes expired sessions and abandoned challenges, and only those', async () => {
  const server = await startTestServer();
  try {
    const { token } = await registerAccount(server, 'Live');
    await server.api('POST', '/api/v1/auth/login/options', { body: {} }); // abandoned ceremony
    const first = await sweepExpired(server.db, Date.now());
    assert.deepEqual({ ...first, rateLimits: 0 }, { sessions: 0, challenges: 0, idempotencyKeys: 0, rateLimits: 0 });
    const second = await sweepExpired(server.db, Date.now() + 6 * 60 * 1000);
    assert.deepEqual({ ...second, rateLimits: 0 }, { sessions: 0, challenges: 1, idempotencyKeys: 0, rateLimits: 0 });
    // The sign-up and sign-in counters' one-minute windows have ended by then (the first sweep
    // may already have taken one, had the minute turned in between).
    assert.equal(first.rateLimits + second.rateLimits, 2);
    assert.equal((await server.api('GET', '/api/v1/me', { token })).status, 200);
    assert.deepEqual(await sweepExpired(server.db, Date.now() + 13 * 3600 * 1000), { sessions: 1, challenges: 0, idempotencyKeys: 0, rateLimits: 0 });
    assert.equal((await server.api('GET', '/api/v1/me', { token })).status, 401);
  } finally {
    await server.close();
  }
});
