import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { agencies } from '../../server/db/agencies.ts';
import { createInvite } from '../../server/services/invites.ts';
import { appendAudit, verifyAudit, type AuditEntryView, type AuditChainState } from '../../server/services/audit.ts';
import { canonicalSha256Hex } from '../../components/core/digest.ts';
import { jmbgControlDigit } from '../../components/core/forms/validators.ts';
import type { Problem } from '../../components/core/problem.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const OTHER = { id: 'drugi-grad', name: 'Gradska uprava Drugi Grad' };

interface Page {
  items: AuditEntryView[];
  nextCursor: string | null;
}

let server: TestServer;
let adminA: Account;
let adminB: Account;
let official: Account;
let citizen: Account;
let applicationId: string;

const residence = () => {
  const base = '010199071000';
  return {
    formId: 'certificate-of-residence',
    formVersion: 1,
    data: {
      firstName: 'Ana', lastName: 'Anić', jmbg: base + jmbgControlDigit(base), street: 'Bulevar oslobođenja 12',
      place: 'Novi Primer', postalCode: '21000', purpose: 'employment', delivery: 'online',
    },
  };
};

before(async () => {
  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES });
  await seedDemo(server.db, Date.now());
  await agencies.upsert(server.db, { ...OTHER, created_at: Date.now() });
  const invite = (agencyId: string, kind: 'official' | 'admin') => createInvite(server.db, { agencyId, roles: ['clerk'], kind }, Date.now());
  adminA = await registerAccount(server, 'Admin A', await invite(DEMO_AGENCY.id, 'admin'));
  adminB = await registerAccount(server, 'Admin B', await invite(OTHER.id, 'admin'));
  official = await registerAccount(server, 'Službenik A', await invite(DEMO_AGENCY.id, 'official'));
  citizen = await registerAccount(server, 'Građanka');
  const created = await server.api<{ id: string }>('POST', '/api/v1/applications', { token: citizen.token, body: residence() });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  applicationId = created.body.id;
  assert.equal((await server.api('POST', `/api/v1/applications/${applicationId}/submit`, { token: citizen.token, body: {} })).status, 200);
  // An entry about the agency itself.
  await server.db.transaction((trx) =>
    appendAudit(trx, { actor: null, action: 'agency.keys-rotated', subject: { type: 'agency', id: DEMO_AGENCY.id } }, Date.now()));
});
after(() => server.close());

const page = (token: string, query = '') => server.api<Page>('GET', `/api/v1/audit${query}`, { token });

async function all(token: string, query: string, limit: number): Promise<AuditEntryView[]> {
  const out: AuditEntryView[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const sep = query ? '&' : '?';
    const res: { status: number; body: Page } = await page(token, `${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.items.length <= limit);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('paging does not end');
}

describe('GET /api/v1/audit', () => {
  test('an admin sees the entries whose actor or subject belongs to their agency, newest first', async () => {
    const res = await page(adminA.token);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const actions = res.body.items.map((e) => `${e.action} ${e.subject.type}`);
    assert.deepEqual(actions, [
      'agency.keys-rotated agency',
      'application.submitted application',
      'application.created application',
      'user.registered user', // the official
      'user.registered user', // admin A
    ]);
    const seqs = res.body.items.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a));
    assert.equal(res.body.nextCursor, null);
    // Admin B sees only its own registration; nobody sees the citizen's registration.
    const b = await page(adminB.token);
    assert.deepEqual(b.body.items.map((e) => [e.action, e.actor]), [['user.registered', adminB.user.id]]);
    assert.ok(!res.body.items.some((e) => e.subject.id === citizen.user.id));
  });

  test('each entry carries what its hash covers: the hash can be recomputed from it', async () => {
    const { body } = await page(adminA.token);
    for (const e of body.items) {
      const hash = await canonicalSha256Hex({ seq: e.seq, at: Date.parse(e.at), actor: e.actor, action: e.action, subject: e.subject, data: e.data, prev: e.prev });
      assert.equal(hash, e.hash, `entry ${e.seq}`);
    }
  });

  test('filters by subject and by actor, and keyset pages that add up to the whole', async () => {
    const bySubject = await page(adminA.token, `?subjectType=application&subjectId=${applicationId}`);
    assert.deepEqual(bySubject.body.items.map((e) => e.action), ['application.submitted', 'application.created']);
    const byActor = await page(adminA.token, `?actor=${citizen.user.id}`);
    assert.deepEqual(byActor.body.items.map((e) => e.action), ['application.submitted', 'application.created']);
    const byOfficial = await page(adminA.token, `?actor=${official.user.id}`);
    assert.deepEqual(byOfficial.body.items.map((e) => e.action), ['user.registered']);
    // Another agency's admin asking for this application gets nothing (not an error: no leak either way).
    const other = await page(adminB.token, `?subjectType=application&subjectId=${applicationId}`);
    assert.deepEqual(other.body.items, []);
    const whole = (await page(adminA.token)).body.items;
    assert.deepEqual(await all(adminA.token, '', 1), whole);
    assert.deepEqual(await all(adminA.token, '', 2), whole);
    assert.deepEqual(await all(adminA.token, `?actor=${citizen.user.id}`, 1), byActor.body.items);
  });

  test('only admins: citizens and officials get 403, anonymous 401; bad parameters 400', async () => {
    assert.equal((await page(citizen.token)).status, 403);
    assert.equal((await page(official.token)).status, 403);
    assert.equal((await server.api('GET', '/api/v1/audit')).status, 401);
    assert.equal((await server.api('GET', '/api/v1/audit/verify', { token: official.token })).status, 403);
    for (const q of ['?limit=0', '?limit=201', '?limit=x', '?limit=1&limit=2', '?cursor=nope', '?cursor=%F0%9F%98%80', `?subjectId=${applicationId}`, `?actor=${'x'.repeat(37)}`]) {
      const res = await page(adminA.token, q);
      assert.equal(res.status, 400, `${q}: ${res.status}`);
    }
  });
});

describe('GET /api/v1/audit/verify', () => {
  test('reports the chain as the CLI does, and the first entry at fault', async () => {
    const ok = await server.api<AuditChainState>('GET', '/api/v1/audit/verify', { token: adminA.token });
    assert.equal(ok.status, 200);
    const direct = await verifyAudit(server.db);
    assert.deepEqual(ok.body, { ok: true, entries: direct.entries, head: { seq: direct.headSeq, hash: direct.headHash }, problems: [] });
    await server.db('audit_log').where({ seq: 3 }).update({ action: 'user.tampered' });
    try {
      const bad = await server.api<AuditChainState>('GET', '/api/v1/audit/verify', { token: adminB.token });
      assert.equal(bad.status, 200);
      assert.equal(bad.body.ok, false);
      assert.equal(bad.body.firstBadSeq, 3);
      assert.deepEqual(bad.body.problems.map((p) => [p.seq, p.problem]), [[3, 'modified']]);
    } finally {
      await server.db('audit_log').where({ seq: 3 }).update({ action: 'user.registered' });
    }
    assert.equal((await verifyAudit(server.db)).ok, true);
  });
});

/**
 * Writes a well-formed entry about the application straight into audit_log, bypassing the chain
 * head, as someone with write access to the database could: it claims the application was approved.
 */
async function forge(seq: number): Promise<void> {
  const head = (await server.db('audit_head').where({ id: 1 }).first('hash')) as { hash: string };
  const subject = { type: 'application', id: applicationId };
  const row = { seq, at: Date.now(), actor: official.user.id, action: 'application.approved', data: { forged: true }, prev: head.hash };
  const hash = await canonicalSha256Hex({ ...row, subject });
  await server.db('audit_log').insert({
    seq, at: row.at, actor: row.actor, action: row.action, subject_type: subject.type, subject_id: subject.id, data: JSON.stringify(row.data), prev_hash: row.prev, hash,
  });
}

interface WithHistory { history: { action: string; data: Record<string, unknown> }[] }

describe('a row outside the chain', () => {
  for (const where of ['0', '-5', 'head + 1'] as const) {
    test(`forged at seq ${where}: GET /audit/verify names it; the application's history, its case and GET /audit do not show it`, async () => {
      const head = Number(((await server.db('audit_head').where({ id: 1 }).first('seq')) as { seq: number }).seq);
      const seq = where === 'head + 1' ? head + 1 : Number(where);
      const history = async () => {
        const mine = await server.api<WithHistory>('GET', `/api/v1/applications/${applicationId}`, { token: citizen.token });
        const theCase = await server.api<WithHistory>('GET', `/api/v1/cases/${applicationId}`, { token: official.token });
        assert.equal(mine.status, 200, JSON.stringify(mine.body));
        assert.equal(theCase.status, 200, JSON.stringify(theCase.body));
        return { mine: mine.body.history, theCase: theCase.body.history };
      };
      const before = await history();
      assert.ok(before.mine.length >= 2 && before.theCase.length >= 2);
      await forge(seq);
      try {
        const verify = await server.api<AuditChainState>('GET', '/api/v1/audit/verify', { token: adminA.token });
        assert.equal(verify.status, 200);
        assert.equal(verify.body.ok, false);
        assert.equal(verify.body.head.seq, head);
        assert.equal(verify.body.firstBadSeq, seq);
        assert.deepEqual(verify.body.problems.map((p) => [p.seq, p.problem]), [[seq, 'outside-chain']]);
        assert.match(verify.body.problems[0]!.detail, /outside the chain/);

        assert.deepEqual(await history(), before, 'the history shows only what the chain vouches for');
        const pages = [await page(adminA.token), await page(adminA.token, `?subjectType=application&subjectId=${applicationId}`), await page(adminA.token, `?actor=${official.user.id}`)];
        for (const p of pages) {
          assert.equal(p.status, 200);
          assert.ok(!p.body.items.some((e) => e.seq === seq || e.seq < 1 || e.seq > head), JSON.stringify(p.body.items.map((e) => e.seq)));
        }
        assert.deepEqual(await all(adminA.token, '', 1), pages[0]!.body.items, 'paging past the forged row shows nothing more');
      } finally {
        await server.db('audit_log').where({ seq }).delete();
      }
      assert.equal((await verifyAudit(server.db)).ok, true);
    });
  }
});

describe('a missing chain head', () => {
  test('GET /audit/verify answers a problem that says so, not a crash', async () => {
    const head = await server.db('audit_head').where({ id: 1 }).first();
    await server.db('audit_head').delete();
    try {
      const res = await server.api<Problem>('GET', '/api/v1/audit/verify', { token: adminA.token });
      assert.equal(res.status, 500);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(res.body.type, 'https://overa.dev/problems/audit-head-missing');
      assert.match(res.body.detail ?? '', /audit_head/);
    } finally {
      await server.db('audit_head').insert(head);
    }
    assert.equal((await verifyAudit(server.db)).ok, true);
  });
});

describe('signing out', () => {
  test('writes an audit entry like signing in does, and the chain still verifies', async () => {
    const admin = await registerAccount(server, 'Admin C', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'], kind: 'admin' }, Date.now()));
    const before = Number(((await server.db('audit_head').where({ id: 1 }).first('seq')) as { seq: number }).seq);
    assert.equal((await server.api('POST', '/api/v1/auth/logout', { token: admin.token })).status, 204);
    const entries = await server.db('audit_log').where('seq', '>', before).orderBy('seq');
    assert.deepEqual(entries.map((e: { actor: string; action: string; subject_type: string; subject_id: string }) => [e.actor, e.action, e.subject_type, e.subject_id]), [
      [admin.user.id, 'user.signed-out', 'user', admin.user.id],
    ]);
    // The same token again is refused (401) and writes nothing.
    assert.equal((await server.api('POST', '/api/v1/auth/logout', { token: admin.token })).status, 401);
    assert.equal((await server.db('audit_log').where('seq', '>', before).count({ n: '*' }).first())!.n, 1);
    const verify = await server.api<AuditChainState>('GET', '/api/v1/audit/verify', { token: adminA.token });
    assert.equal(verify.body.ok, true, JSON.stringify(verify.body.problems));
    // The agency's admins see it, as they see their people's sign-ins.
    const seen = await page(adminA.token, `?actor=${admin.user.id}`);
    assert.deepEqual(seen.body.items.map((e) => e.action), ['user.signed-out', 'user.registered']);
  });
});

