/**
 * Crash safety (issue 9, part 1): the real server as a child process takes 1,000 operations
 * from 24 concurrent clients, is killed with SIGKILL part-way, is started again on the same
 * data, and the clients carry on, retrying what they did not get an answer to with the same
 * Idempotency-Key. Then every acknowledged (2xx) answer must be in the database exactly once,
 * no retried key may have made a second application or decided a step twice, every approval
 * must have issued exactly one document, and `overa audit verify` must pass.
 *
 * An operation is a chain of steps of one kind, each one HTTP request with its own key; OPERATION
 * KINDS lists them. Two kinds, about half each: a submission (a citizen creates a draft and
 * submits it) and a decision (issue 5: an official signs a decision with their passkey and posts
 * it, POST /cases/:id/decisions with If-Match). Decisions work on the submitted cases: a clerk
 * reviews every other one and, a little later, a head approves it, which issues the sealed
 * document in the same transaction. A decision waits for the operation it needs (the submission,
 * the review), which is always earlier in the list. Signing (options, then the assertion) is not
 * idempotent and carries no key: a signing request the kill left without an answer starts the
 * signing over; the decision itself is retried with its key and the same signature.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestDb, type TestDb } from '../helpers/test-server.ts';
import { childEnv, overaCli, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { users } from '../../server/db/users.ts';
import { createSession } from '../../server/services/sessions.ts';
import { IDEMPOTENCY_LEASE_MS } from '../../server/services/idempotency.ts';
import { jmbgControlDigit } from '../../components/core/forms/validators.ts';
import { createInvite } from '../../server/services/invites.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const OPERATIONS = Number(process.env.CRASH_OPERATIONS ?? 1000);
const CONCURRENCY = 24;
const CLIENTS = 16;
/** Officials of each role: clerks review, heads approve. */
const OFFICIALS = 3;
const ORIGIN = 'http://localhost:8080';
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
interface Actor {
  id: string;
  token: string;
  /** Officials sign with a passkey. */
  authenticator?: SoftAuthenticator;
}

interface OperationState {
  index: number;
  kind: OperationKind;
  token: string;
  userId: string;
  actor: Actor;
  /** Every 2xx answer, per step, in the order received (a retry's replay is a second entry). */
  acks: Map<string, Acked[]>;
  vars: Record<string, string>;
  /** The earlier operation this one works on (a decision: the submission, or the review). */
  needs?: OperationState;
  /** Settles when every step of this operation has been acknowledged (rejects if it failed). */
  done: Promise<void>;
  settle: { resolve(): void; reject(err: unknown): void };
}

/** Requests without an idempotency key, made once: throws NoAnswer when the server did not answer. */
type Call = (op: OperationState, method: string, path: string, body: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;

interface Step {
  name: string;
  /** Runs once before the step's keyed request (not again for its retries): what its body needs. */
  prepare?(op: OperationState, call: Call): Promise<void>;
  request(op: OperationState): { method: string; path: string; body: unknown; headers?: Record<string, string> };
  /** The status that acknowledges the step. */
  ok: number;
  /** Takes what later steps need from the answer. */
  learn?(op: OperationState, answer: Acked): void;
}

interface CaseStepRow { applicationId: string; round: number; stepId: string; state: string; decision: string | null; decidedBy: string | null; signatureId: string | null }

interface Db {
  applications: Map<string, { id: string; status: string; trackingNumber: string; ownerId: string }>;
  audit: Map<string, string[]>;
  /** Per application, its case steps. */
  steps: Map<string, CaseStepRow[]>;
  /** Per application, the ids of its issued documents. */
  documents: Map<string, string[]>;
}

class NoAnswer extends Error {}

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
    // A case that officials went on to decide has moved on; the decisions' check covers it.
    if (op.vars.decided === undefined) assert.equal(row.status, submits[0]!.body.status, `operation ${op.index}: acknowledged as ${String(submits[0]!.body.status)}, stored as ${row.status}`);
    const trail = db.audit.get(id) ?? [];
    assert.equal(trail.filter((a) => a === 'application.created').length, 1, `operation ${op.index}: audit ${trail.join(', ')}`);
    assert.equal(trail.filter((a) => a === 'application.submitted').length, 1, `operation ${op.index}: audit ${trail.join(', ')}`);
  },
  owns: (_db, ops) => ops.filter((o) => o.kind === submission).length,
};

/**
 * Signs the decision with the official's passkey: options, the assertion, the signature. A request
 * left without an answer starts over with new options (a flow is single-use, and one that did
 * commit leaves an unused signature behind, which nothing refers to).
 */
async function signDecision(op: OperationState, call: Call): Promise<string> {
  const subject = { type: 'decision', id: `${op.vars.applicationId}:${op.vars.step}` };
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const options = await call(op, 'POST', '/api/v1/signatures/options', { subject, action: op.vars.decision, context: { comment: '' } });
      if (options.status !== 200) throw new Error(`operation ${op.index} signing options: ${options.status} ${JSON.stringify(options.body)}`);
      // Counter 0: a passkey that keeps no counter (synced passkeys do not), so that one official
      // can sign several decisions at once; a counter that must grow would refuse all but one.
      const credential = await op.actor.authenticator!.get(options.body.publicKey as never, { counter: 0 });
      const signed = await call(op, 'POST', '/api/v1/signatures', { flowId: options.body.flowId, credential });
      if (signed.status !== 201) throw new Error(`operation ${op.index} signing: ${signed.status} ${JSON.stringify(signed.body)}`);
      return signed.body.id as string;
    } catch (err) {
      if (!(err instanceof NoAnswer)) throw err;
    }
  }
  throw new Error(`operation ${op.index}: could not sign in 20 attempts`);
}

const decision: OperationKind = {
  name: 'decision',
  steps: [
    {
      name: 'decide',
      ok: 200,
      async prepare(op, call) {
        // The case and its version as the operation this one needs left them.
        const needs = op.needs!;
        await needs.done;
        op.vars.applicationId = needs.vars.applicationId!;
        const before = needs.kind === submission ? needs.acks.get('submit')![0]! : needs.acks.get('decide')![0]!;
        op.vars.version = String(before.body.version);
        op.vars.signatureId = await signDecision(op, call);
      },
      request: (op) => ({
        method: 'POST',
        path: `/api/v1/cases/${op.vars.applicationId}/decisions`,
        body: { step: op.vars.step, decision: op.vars.decision, signatureId: op.vars.signatureId },
        headers: { 'If-Match': `"${op.vars.version}"` },
      }),
    },
  ],
  check(op, db) {
    const decides = op.acks.get('decide') ?? [];
    assert.ok(decides.length >= 1, `operation ${op.index} (${op.vars.step}) was not acknowledged`);
    const id = op.vars.applicationId!;
    // Every answer for the key is the first one: a retry never decided again.
    for (const a of decides) assert.deepEqual(a.body, decides[0]!.body, `operation ${op.index}: answers differ`);
    const view = decides[0]!.body as { id: string; status: string; approvalLine: { id: string; state: string; decision: { decision: string } | null }[] };
    assert.equal(view.id, id);
    const shown = view.approvalLine.find((s) => s.id === op.vars.step);
    assert.equal(shown?.state, 'done', `operation ${op.index}: acknowledged with ${op.vars.step} ${shown?.state}`);
    // The step is decided once, by this official, with this signature.
    const rows = (db.steps.get(id) ?? []).filter((s) => s.stepId === op.vars.step);
    assert.equal(rows.length, 1, `operation ${op.index}: ${rows.length} rows of step ${op.vars.step}`);
    const row = rows[0]!;
    assert.deepEqual([row.state, row.decision, row.decidedBy, row.signatureId], ['done', op.vars.decision, op.userId, op.vars.signatureId], `operation ${op.index}: step stored as ${JSON.stringify(row)}`);
    const trail = db.audit.get(id) ?? [];
    const action = op.vars.step === 'review' ? 'application.reviewed' : 'application.approved';
    assert.equal(trail.filter((a) => a === action).length, 1, `operation ${op.index}: audit ${trail.join(', ')}`);
    if (op.vars.step === 'approve') {
      // The final approval issued the document in its own transaction: exactly once.
      assert.equal(view.status, 'issued', `operation ${op.index}: approval answered ${view.status}`);
      assert.equal(db.applications.get(id)?.status, 'issued');
      assert.equal(db.documents.get(id)?.length, 1, `operation ${op.index}: ${db.documents.get(id)?.length ?? 0} documents`);
      assert.equal(trail.filter((a) => a === 'document.issued').length, 1, `operation ${op.index}: audit ${trail.join(', ')}`);
    }
  },
  owns: () => 0,
};

const OPERATION_KINDS: OperationKind[] = [submission, decision];

/**
 * The operations in the order the clients take them up: submission c at time c; every other case
 * is reviewed about a worker pool's width later, and approved as much again after its review. A
 * decision always follows what it needs, so the clients never wait on an operation nobody started.
 */
function plan(total: number, citizens: Actor[], clerks: Actor[], heads: Actor[]): OperationState[] {
  const submissions = Math.ceil(total / 2);
  const cases = Math.floor((total - submissions) / 2);
  const LAG = 12;
  const timed: { time: number; order: number; make: (index: number) => OperationState }[] = [];
  const op = (index: number, kind: OperationKind, actor: Actor, vars: Record<string, string>, needs?: OperationState): OperationState => {
    let settle!: OperationState['settle'];
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    done.catch(() => {});
    return { index, kind, token: actor.token, userId: actor.id, actor, acks: new Map(), vars, needs, done, settle };
  };
  const made = new Map<string, OperationState>();
  for (let c = 0; c < submissions; c++) {
    timed.push({ time: c, order: 0, make: (i) => { const o = op(i, submission, citizens[c % citizens.length]!, c % 2 === 0 && c / 2 < cases ? { decided: 'yes' } : {}); made.set(`s${c}`, o); return o; } });
  }
  for (let m = 0; m < cases; m++) {
    timed.push({ time: 2 * m + LAG, order: 1, make: (i) => { const o = op(i, decision, clerks[m % clerks.length]!, { step: 'review', decision: 'review' }, made.get(`s${2 * m}`)); made.set(`r${m}`, o); return o; } });
    timed.push({ time: 2 * m + 2 * LAG, order: 2, make: (i) => op(i, decision, heads[m % heads.length]!, { step: 'approve', decision: 'approve' }, made.get(`r${m}`)) });
  }
  timed.sort((a, b) => a.time - b.time || a.order - b.order);
  return timed.map((t, i) => t.make(i));
}

/** Registers an official through the real sign-up ceremony with an invite code. */
async function registerOfficial(base: string, displayName: string, inviteCode: string): Promise<Actor> {
  const authenticator = new SoftAuthenticator(ORIGIN);
  const post = async (path: string, body: unknown) => {
    const res = await fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const options = await post('/api/v1/auth/register/options', { displayName, inviteCode });
  assert.equal(options.status, 200, JSON.stringify(options.body));
  const credential = await authenticator.create(options.body.publicKey as never);
  const verify = await post('/api/v1/auth/register/verify', { flowId: options.body.flowId, credential });
  assert.equal(verify.status, 201, JSON.stringify(verify.body));
  return { id: (verify.body.user as { id: string }).id, token: verify.body.token as string, authenticator };
}

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
  const clients: Actor[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const id = randomUUID();
    await users.insert(db, { id, displayName: `Građanin ${i}`, kind: 'citizen', roles: [], webauthnUserId: `crash-${i}` }, Date.now());
    clients.push({ id, token: await createSession(db, id, 3600, Date.now()) });
  }
  // The demo agency's seal is in the data folder (createTestDb makes it): approvals issue documents.
  const env = await childEnv(t, { OVERA_FORMS_DIR: EXAMPLES, OVERA_ORIGINS: ORIGIN });
  server = await startChildServer(env);
  let base = server.url;
  // Officials sign up through the real ceremony with invite codes made on the same database.
  const official = async (name: string, role: string) => registerOfficial(base, name, await createInvite(db, { agencyId: DEMO_AGENCY.id, roles: [role] }, Date.now()));
  const clerks: Actor[] = [];
  const heads: Actor[] = [];
  for (let i = 0; i < OFFICIALS; i++) {
    clerks.push(await official(`Službenik ${i}`, 'clerk'));
    heads.push(await official(`Načelnik ${i}`, 'head'));
  }

  const ops = plan(OPERATIONS, clients, clerks, heads);
  const totalSteps = ops.reduce((n, o) => n + o.kind.steps.length, 0);
  const gate = new Gate();
  gate.open();
  let acked = 0;
  let killed = false;
  let killing: Promise<void> | undefined;
  const stats = { requests: 0, networkErrors: 0, replayedAfterCrash: 0, inUse: 0, ackedBeforeKill: 0, signingRestarts: 0 };

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

  /** One request without a key, for what a step prepares: no answer is a NoAnswer, after the restart. */
  const call: Call = async (op, method, path, body) => {
    await gate.promise;
    try {
      stats.requests++;
      const res = await fetch(base + path, {
        method,
        headers: { Authorization: `Bearer ${op.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    } catch (err) {
      stats.networkErrors++;
      stats.signingRestarts++;
      if (!killed) throw new Error(`operation ${op.index} ${method} ${path}: no answer from a live server: ${(err as Error).message}`);
      await (killing ?? gate.promise);
      throw new NoAnswer((err as Error).message);
    }
  };

  async function send(op: OperationState, step: Step): Promise<Acked> {
    const key = `crash-${op.index}-${step.name}`;
    for (let attempt = 0; ; attempt++) {
      await gate.promise;
      const { method, path, body, headers } = step.request(op);
      let res: Response;
      try {
        stats.requests++;
        res = await fetch(base + path, {
          method,
          headers: { ...headers, Authorization: `Bearer ${op.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
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
      if (res.status === 409 && /idempotency-key-in-use$/.test(String((JSON.parse(text) as { type?: string }).type)) && attempt < 50) {
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
      try {
        for (const step of op.kind.steps) {
          await step.prepare?.(op, call);
          const answer = await send(op, step);
          op.acks.set(step.name, [...(op.acks.get(step.name) ?? []), answer]);
          step.learn?.(op, answer);
          acked++;
          if (!killed && acked >= totalSteps * KILL_AT) {
            killed = true;
            killing = crashAndRestart();
          }
        }
        op.settle.resolve();
      } catch (err) {
        op.settle.reject(err);
        throw err;
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
  const state: Db = { applications: new Map(), audit: new Map(), steps: new Map(), documents: new Map() };
  for (const r of rows) state.applications.set(r.id, { id: r.id, status: r.status, trackingNumber: r.tracking_number, ownerId: r.owner_id });
  const entries = (await db('audit_log').where({ subject_type: 'application' }).select('subject_id', 'action')) as { subject_id: string; action: string }[];
  for (const e of entries) state.audit.set(e.subject_id, [...(state.audit.get(e.subject_id) ?? []), e.action]);
  const stepRows = (await db('case_steps').select('application_id', 'round', 'step_id', 'state', 'decision', 'decided_by', 'signature_id')) as
    { application_id: string; round: number; step_id: string; state: string; decision: string | null; decided_by: string | null; signature_id: string | null }[];
  for (const r of stepRows) {
    const row: CaseStepRow = { applicationId: r.application_id, round: Number(r.round), stepId: r.step_id, state: r.state, decision: r.decision, decidedBy: r.decided_by, signatureId: r.signature_id };
    state.steps.set(r.application_id, [...(state.steps.get(r.application_id) ?? []), row]);
  }
  const documentRows = (await db('documents').select('id', 'application_id')) as { id: string; application_id: string }[];
  for (const d of documentRows) state.documents.set(d.application_id, [...(state.documents.get(d.application_id) ?? []), d.id]);
  for (const op of ops) op.kind.check(op, state);
  // Nothing was decided or issued that no acknowledged decision accounts for.
  const decisions = ops.filter((o) => o.kind === decision);
  assert.equal(stepRows.filter((r) => r.decision !== null).length, decisions.length, 'one decided step per decision');
  assert.equal(documentRows.length, decisions.filter((o) => o.vars.step === 'approve').length, 'one document per approval');
  const decisionEntries = entries.filter((e) => /^application\.(reviewed|agreed|approved|returned|rejected)$/.test(e.action)).length;
  assert.equal(decisionEntries, decisions.length, 'one audit entry per decision');
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
