/**
 * Crash safety (issue 9, part 1): the real server as a child process takes 1,000 operations
 * from 24 concurrent clients, is killed with SIGKILL part-way, is started again on the same
 * data, and the clients carry on, retrying what they did not get an answer to with the same
 * Idempotency-Key. Then every acknowledged (2xx) answer must be in the database exactly once,
 * no retried key may have made a second application, and `overa audit verify` must pass.
 *
 * An operation is a chain of steps of one kind, each one HTTP request with its own key; OPERATION
 * KINDS lists them. Today there is one kind, a submission (create a draft, submit it). Decisions
 * (issue 5: an official's signed decision on a submitted case, POST /cases/:id/decisions with
 * If-Match) are to be added as a second kind with their own steps and check; the driver, the kill
 * and the restart do not change.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestDb, type TestDb } from '../helpers/test-server.ts';
import { childEnv, overaCli, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { seedDemo } from '../../server/seed.ts';
import { users } from '../../server/db/users.ts';
import { createSession } from '../../server/services/sessions.ts';
import { IDEMPOTENCY_LEASE_MS } from '../../server/services/idempotency.ts';
import { jmbgControlDigit } from '../../components/core/forms/validators.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const OPERATIONS = Number(process.env.CRASH_OPERATIONS ?? 1000);
const CONCURRENCY = 24;
const CLIENTS = 16;
/** Kill the server when this share of all steps has been acknowledged. */
const KILL_AT = 0.4;

// ---------------------------------------------------------------------------------------------
// Operation kinds

interface Acked {
  status: number;
  body: Record<string, unknown>;
  replayed: boolean;
}

/** What one operation learned along its chain (ids for later steps, the acknowledgements). */
interface OperationState {
  index: number;
  kind: OperationKind;
  token: string;
  userId: string;
  /** Every 2xx answer, per step, in the order received (a retry's replay is a second entry). */
  acks: Map<string, Acked[]>;
  vars: Record<string, string>;
}

interface Step {
  name: string;
  request(op: OperationState): { method: string; path: string; body: unknown };
  /** The status that acknowledges the step. */
  ok: number;
  /** Takes what later steps need from the answer. */
  learn?(op: OperationState, answer: Acked): void;
}

interface Db {
  applications: Map<string, { id: string; status: string; trackingNumber: string; ownerId: string }>;
  audit: Map<string, string[]>;
}

interface OperationKind {
  name: string;
  steps: Step[];
  /** Checks one operation's acknowledgements against the database; throws on a mismatch. */
  check(op: OperationState, db: Db): void;
  /** How many rows of the database this kind accounts for (to find rows nobody acknowledged). */
  owns(db: Db, ops: OperationState[]): number;
}

const JMBG_BASE = '010199071000';
const residenceData = (i: number) => ({
  firstName: `Ana${i}`, lastName: 'Anić', jmbg: JMBG_BASE + jmbgControlDigit(JMBG_BASE), street: `Bulevar oslobođenja ${i}`,
  place: 'Novi Primer', postalCode: '21000', purpose: 'employment', delivery: 'online',
});

const submission: OperationKind = {
  name: 'submission',
  steps: [
    {
      name: 'create',
      ok: 201,
      request: (op) => ({ method: 'POST', path: '/api/v1/applications', body: { formId: 'certificate-of-residence', formVersion: 1, data: residenceData(op.index) } }),
      learn: (op, a) => {
        op.vars.applicationId = a.body.id as string;
      },
    },
    {
      name: 'submit',
      ok: 200,
      request: (op) => ({ method: 'POST', path: `/api/v1/applications/${op.vars.applicationId}/submit`, body: {} }),
    },
  ],
  check(op, db) {
    const creates = op.acks.get('create') ?? [];
    const submits = op.acks.get('submit') ?? [];
    assert.ok(creates.length >= 1 && submits.length >= 1, `operation ${op.index} was not acknowledged`);
    // Every answer for the same key named the same application: a retry never made a second one.
    const ids = new Set(creates.map((a) => a.body.id as string));
    assert.equal(ids.size, 1, `operation ${op.index}: create answered with ${[...ids].join(', ')}`);
    const id = [...ids][0]!;
    const row = db.applications.get(id);
    assert.ok(row, `operation ${op.index}: acknowledged application ${id} is not in the database`);
    assert.equal(row.ownerId, op.userId);
    assert.equal(row.trackingNumber, creates[0]!.body.trackingNumber);
    assert.ok(submits.every((a) => a.body.id === id), `operation ${op.index}: submit answered for another application`);
    assert.equal(row.status, submits[0]!.body.status, `operation ${op.index}: acknowledged as ${String(submits[0]!.body.status)}, stored as ${row.status}`);
    const trail = db.audit.get(id) ?? [];
    assert.equal(trail.filter((a) => a === 'application.created').length, 1, `operation ${op.index}: audit ${trail.join(', ')}`);
    assert.equal(trail.filter((a) => a === 'application.submitted').length, 1, `operation ${op.index}: audit ${trail.join(', ')}`);
  },
  owns: (_db, ops) => ops.filter((o) => o.kind === submission).length,
};

const OPERATION_KINDS: OperationKind[] = [submission];

// ---------------------------------------------------------------------------------------------
// The driver

/** A gate the clients wait at while the server is down. */
class Gate {
  private opened!: () => void;
  promise!: Promise<void>;
  constructor() {
    this.close();
  }
  close(): void {
    this.promise = new Promise((resolve) => (this.opened = resolve));
  }
  open(): void {
    this.opened();
  }
}

let t: TestDb | undefined;
let server: ChildServer | undefined;
after(async () => {
  await server?.kill();
  await t?.drop();
});

test(`${OPERATIONS} operations, the server SIGKILLed part-way and restarted: every acknowledged request is there exactly once`, { timeout: 180_000 }, async (ctx) => {
  const started = Date.now();
  t = await createTestDb({ OVERA_FORMS_DIR: EXAMPLES });
  const db = t.db;
  await seedDemo(db, Date.now());
  const clients: { id: string; token: string }[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const id = randomUUID();
    await users.insert(db, { id, displayName: `Građanin ${i}`, kind: 'citizen', roles: [], webauthnUserId: `crash-${i}` }, Date.now());
    clients.push({ id, token: await createSession(db, id, 3600, Date.now()) });
  }
  const env = await childEnv(t, { OVERA_FORMS_DIR: EXAMPLES, OVERA_ORIGINS: 'http://localhost:8080' });
  server = await startChildServer(env);
  let base = server.url;

  const ops: OperationState[] = Array.from({ length: OPERATIONS }, (_, index) => {
    const client = clients[index % CLIENTS]!;
    return { index, kind: OPERATION_KINDS[index % OPERATION_KINDS.length]!, token: client.token, userId: client.id, acks: new Map(), vars: {} };
  });
  const totalSteps = ops.reduce((n, o) => n + o.kind.steps.length, 0);
  const gate = new Gate();
  gate.open();
  let acked = 0;
  let killed = false;
  let killing: Promise<void> | undefined;
  const stats = { requests: 0, networkErrors: 0, replayedAfterCrash: 0, inUse: 0, ackedBeforeKill: 0 };

  /** Kills the server, lets the lease of the requests it was running pass, starts it again. */
  const crashAndRestart = async () => {
    gate.close();
    stats.ackedBeforeKill = acked;
    await server!.kill();
    ctx.diagnostic(`killed after ${acked} of ${totalSteps} steps acknowledged (${Date.now() - started} ms)`);
    // A request that died mid-way left its key "in flight"; after IDEMPOTENCY_LEASE_MS a retry takes
    // it over. Rather than wait a minute, age the claims, as that minute would.
    const aged = await db('idempotency_keys').whereNull('status').update({ claimed_at: db.raw('claimed_at - ?', [IDEMPOTENCY_LEASE_MS + 1000]) });
    ctx.diagnostic(`${aged} idempotency keys were in flight at the kill`);
    server = await startChildServer(env);
    base = server.url;
    gate.open();
  };

  async function send(op: OperationState, step: Step): Promise<Acked> {
    const key = `crash-${op.index}-${step.name}`;
    for (let attempt = 0; ; attempt++) {
      await gate.promise;
      const { method, path, body } = step.request(op);
      let res: Response;
      try {
        stats.requests++;
        res = await fetch(base + path, {
          method,
          headers: { Authorization: `Bearer ${op.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (err) {
        // No answer: the server died under this request (or before it). Retry with the same key.
        stats.networkErrors++;
        if (!killed || attempt > 100) throw new Error(`operation ${op.index} ${step.name}: no answer from a live server: ${(err as Error).message}`);
        await (killing ?? gate.promise);
        continue;
      }
      const text = await res.text().catch(() => null);
      if (text === null) {
        stats.networkErrors++;
        await (killing ?? gate.promise);
        continue;
      }
      if (res.status === 409 && attempt < 50) {
        // idempotency-key-in-use: the first request with this key is still running somewhere.
        stats.inUse++;
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const answer: Acked = { status: res.status, body: JSON.parse(text) as Record<string, unknown>, replayed: res.headers.get('idempotent-replayed') === 'true' };
      if (res.status !== step.ok) throw new Error(`operation ${op.index} ${step.name}: ${res.status} ${text}`);
      if (answer.replayed && attempt > 0) stats.replayedAfterCrash++;
      return answer;
    }
  }

  let next = 0;
  const worker = async () => {
    while (next < ops.length) {
      const op = ops[next++]!;
      for (const step of op.kind.steps) {
        const answer = await send(op, step);
        op.acks.set(step.name, [...(op.acks.get(step.name) ?? []), answer]);
        step.learn?.(op, answer);
        acked++;
        if (!killed && acked >= totalSteps * KILL_AT) {
          killed = true;
          killing = crashAndRestart();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await killing;
  ctx.diagnostic(`all ${OPERATIONS} operations acknowledged after ${Date.now() - started} ms: ${JSON.stringify(stats)}`);
  assert.ok(killed, 'the server was killed');
  assert.ok(stats.ackedBeforeKill < totalSteps && stats.networkErrors > 0, 'the kill interrupted requests');

  // Retrying acknowledged requests replays their answers and changes nothing.
  for (const op of ops.filter((o) => o.index % 20 === 0)) {
    for (const step of op.kind.steps) {
      const again = await send(op, step);
      assert.equal(again.replayed, true, `operation ${op.index} ${step.name} replayed`);
      assert.deepEqual(again.body, op.acks.get(step.name)![0]!.body);
      op.acks.get(step.name)!.push(again);
    }
  }

  // The database against the acknowledgements.
  const rows = (await db('applications').select('id', 'status', 'tracking_number', 'owner_id')) as { id: string; status: string; tracking_number: string; owner_id: string }[];
  const state: Db = { applications: new Map(), audit: new Map() };
  for (const r of rows) state.applications.set(r.id, { id: r.id, status: r.status, trackingNumber: r.tracking_number, ownerId: r.owner_id });
  const entries = (await db('audit_log').where({ subject_type: 'application' }).select('subject_id', 'action')) as { subject_id: string; action: string }[];
  for (const e of entries) state.audit.set(e.subject_id, [...(state.audit.get(e.subject_id) ?? []), e.action]);
  for (const op of ops) op.kind.check(op, state);
  const owned = OPERATION_KINDS.reduce((n, k) => n + k.owns(state, ops), 0);
  assert.equal(rows.length, owned, `${rows.length} applications for ${owned} operations: some were made twice or by nobody`);
  assert.equal(new Set(rows.map((r) => r.tracking_number)).size, rows.length, 'tracking numbers are unique');
  const keys = (await db('idempotency_keys').select('status')) as { status: number | null }[];
  assert.equal(keys.length, totalSteps, 'one key per step');
  assert.ok(keys.every((k) => k.status !== null), 'no key is left in flight');

  // Stop cleanly, then the operator's check.
  assert.equal(await server.stop(), 0);
  server = undefined;
  const verify = await overaCli(['audit', 'verify'], env);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /audit chain OK/);
  ctx.diagnostic(`${verify.stdout.trim()} — ${Date.now() - started} ms in all (${t.dialect})`);
});
