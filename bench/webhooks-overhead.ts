/**
 * Application create + submit with webhooks on (every submission writes outbox messages in its
 * transaction, and the outbox worker delivers them from the same process) against the same
 * server with no endpoint subscribed, in one run (issue 20: informing people must not slow the
 * request path; goal ≥ 0.8×).
 *
 * Two child processes started from THIS file (BENCH_WEBHOOKS_ROLE = `off` | `on`), each the real
 * app on a fresh SQLite database (as bench/applications-throughput.ts's Overa side). `on`: two
 * endpoints hear every event (the agency's and one for every agency), so a pair queues 2
 * `application.submitted` deliveries, and the worker (OVERA_OUTBOX_POLL_MS 100) posts them,
 * signed, to a receiver in the runner that answers 204. The sides are warmed up, then measured
 * alternately; the better round of each is kept. After the `on` side's warm-up and each of its
 * rounds its outbox is left to drain (bench/lib/rounds.ts), as in bench/submit-notify.ts. Afterwards the `on` side's outbox must hold
 * exactly 2 deliveries per acknowledged pair, all delivered.
 *
 * Knobs: BENCH_INFLIGHT (16), BENCH_DURATION (s, 10), BENCH_WARMUP (s, 5), BENCH_ROUNDS (2).
 */
import { Agent, createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchReport } from './lib/types.ts';
import { countingReceiver, startChildServer, serveUntilStopped, ROOT, type ReadyMessage } from './lib/child-server.ts';
import { trackTempDir, removeTempDir, watchdog } from './lib/cleanup.ts';
import { closedLoop, controlServer, DATA, FORM_ID, FORM_VERSION, freshDatabase, postJson, type Round } from './applications-throughput.ts';
import { createSession } from '../server/services/sessions.ts';
import { loadForms } from '../server/services/forms.ts';
import { createApp } from '../server/app.ts';
import { createOutboxWorker } from '../server/services/outbox.ts';
import { addWebhook, webhookHandler } from '../server/services/webhooks.ts';
import { outbox } from '../server/db/outbox.ts';
import { DEMO_AGENCY } from '../server/seed.ts';
import { fmt, num } from './lib/numbers.ts';
import { alternatingRounds, unsent, waitForDrain, type OutboxCounts } from './lib/rounds.ts';

const ID = 'webhooks-overhead';
const GOAL = 0.8;
const ENDPOINTS = 2;
const SELF = join(ROOT, 'bench', `${ID}.ts`);
const ROLE = 'BENCH_WEBHOOKS_ROLE';

interface Ready extends ReadyMessage {
  token: string;
  controlPort: number;
}

async function child(on: boolean): Promise<void> {
  const dataDir = process.env.OVERA_DATA_DIR!;
  const { config, db, user, now } = await freshDatabase(dataDir, 'info');
  config.webhookSecretKey = randomBytes(32).toString('base64');
  config.outboxPollMs = 100;
  const token = await createSession(db, user.id, 3600, now);
  const app = createApp(config, { db, forms: loadForms(join(ROOT, 'examples/forms')) });
  const worker = createOutboxWorker(app.deps, { webhook: webhookHandler(app.deps) });
  if (on) {
    const url = process.env.BENCH_RECEIVER!;
    await addWebhook(app.deps, { url, events: ['*'], agencyId: DEMO_AGENCY.id });
    await addWebhook(app.deps, { url, events: ['application.submitted'], agencyId: null });
  }
  // Running on both sides: with nothing queued it only polls.
  worker.start();
  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  const control = await controlServer({}, { '/outbox': () => outbox.counts(db, 'webhook') });
  serveUntilStopped(server, { token, controlPort: control.port }, { control, worker, db });
}

export async function run(): Promise<BenchReport> {
  const inflight = num('BENCH_INFLIGHT', 16);
  const duration = num('BENCH_DURATION', 10);
  const warmup = num('BENCH_WARMUP', 5);
  const rounds = num('BENCH_ROUNDS', 2);
  // The drains after the on side's rounds count too (each may wait up to 240 s before failing).
  const disarm = watchdog(ID, (4 * warmup + 2 * rounds * duration + 480) * 1000);
  const tempDir = mkdtempSync(join(tmpdir(), 'overa-bench-'));
  trackTempDir(tempDir);
  const receiver = await countingReceiver();
  const receiverUrl = receiver.url;
  const agent = new Agent({ keepAlive: true, maxSockets: 2 * inflight });
  const started: { stop(): Promise<void> }[] = [];
  try {
    const sides = {} as Record<'off' | 'on', { url: string; ready: Ready; acked: number }>;
    for (const key of ['off', 'on'] as const) {
      const dir = join(tempDir, key);
      mkdirSync(dir);
      const c = await startChildServer<Ready>(SELF, { env: { [ROLE]: key, OVERA_DATA_DIR: dir, BENCH_RECEIVER: receiverUrl } });
      started.push(c);
      sides[key] = { url: c.url, ready: c.ready, acked: 0 };
    }
    const pair = (key: 'off' | 'on') => async () => {
      const side = sides[key];
      const headers = { Authorization: `Bearer ${side.ready.token}`, 'Content-Type': 'application/json' };
      const created = await postJson(agent, `${side.url}/api/v1/applications`, headers, JSON.stringify({ formId: FORM_ID, formVersion: FORM_VERSION, data: DATA }));
      const draft = created.body as { id?: string };
      if (created.status !== 201 || typeof draft.id !== 'string') throw new Error(`${key} create: ${created.status} ${JSON.stringify(created.body).slice(0, 300)}`);
      const sub = await postJson(agent, `${side.url}/api/v1/applications/${draft.id}/submit`, headers, '{}');
      if (sub.status !== 200 || (sub.body as { status?: string }).status !== 'submitted') throw new Error(`${key} submit: ${sub.status}`);
      side.acked++;
    };
    const counts = async (key: 'off' | 'on') => {
      const res = await fetch(`http://127.0.0.1:${sides[key].ready.controlPort}/outbox`);
      return (await res.json()) as OutboxCounts;
    };
    // The on side's worker would otherwise still be posting what its round queued during the
    // next off round, on the same cores, and make the baseline look slower than it is.
    const { seen, drained } = await alternatingRounds({
      sides: ['off', 'on'] as const,
      rounds,
      warmUp: async (key) => {
        const r = await closedLoop(inflight, warmup * 1000, pair(key));
        log(`warm-up ${key}: ${r.pairs} pairs, ${fmt(r.pairsPerSec, 1)} pairs/s`);
      },
      round: (key) => closedLoop(inflight, duration * 1000, pair(key)),
      drain: { on: () => waitForDrain(async () => unsent(await counts('on')), 'the on side\'s outbox') },
      onRound: (key, i, r, ms) => {
        log(`round ${i + 1} webhooks ${key.padEnd(3)} ${fmt(r.pairsPerSec, 1).padStart(8)} pairs/s   p50 ${r.p50Ms} ms   p99 ${r.p99Ms} ms${ms === undefined ? '' : `   outbox drained ${fmt(ms / 1000, 1)} s after the round`}`);
      },
    });
    // Every acknowledged submission queued its deliveries, and the worker delivers them all.
    const expected = ENDPOINTS * sides.on.acked;
    const deadline = Date.now() + 120_000;
    let onCounts = await counts('on');
    while (onCounts.delivered < expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      onCounts = await counts('on');
    }
    const total = onCounts.queued + onCounts.delivering + onCounts.delivered + onCounts.failed;
    if (total !== expected || onCounts.delivered !== expected) throw new Error(`on: ${sides.on.acked} pairs acknowledged, expected ${expected} deliveries, outbox ${JSON.stringify(onCounts)}`);
    const offCounts = await counts('off');
    if (Object.values(offCounts).some((n) => n !== 0)) throw new Error(`off: the outbox should be empty, is ${JSON.stringify(offCounts)}`);
    log(`verified: ${expected} deliveries queued for ${sides.on.acked} pairs, all delivered (${receiver.count()} posts received, repeats included)`);

    const best = (list: Round[]) => list.reduce((a, b) => (b.pairsPerSec > a.pairsPerSec ? b : a));
    const off = best(seen.off);
    const on = best(seen.on);
    const ratio = on.pairsPerSec / off.pairsPerSec;
    log(`ratio on/off = ${ratio.toFixed(2)}× (goal ≥ ${GOAL}×): ${ratio >= GOAL ? 'PASS' : 'BELOW'}`);
    return {
      id: ID,
      title: 'Application create + submit with webhooks on vs off',
      results: [{
        name: 'Application create + submit throughput with 2 webhook endpoints (outbox writes + delivery worker)',
        figure: Math.round(on.pairsPerSec),
        unit: 'pairs/s',
        baselineName: 'the same server with no endpoint subscribed',
        baselineFigure: Math.round(off.pairsPerSec),
        ratio,
        goal: { ratio: GOAL, direction: 'higher' },
      }],
      method: [
        `Two child processes, each the real app (createApp, full middleware, example forms, log level info to /dev/null) on a fresh SQLite database (WAL, synchronous=FULL); closed loop of ${inflight} pairs in flight; a pair is POST applications (201) then POST applications/:id/submit (200).`,
        `On: ${ENDPOINTS} endpoints subscribed, so each submission writes ${ENDPOINTS} outbox rows in its transaction (and each decision would write more); the outbox worker in the same process (poll 100 ms, batch 20, one commit to claim a batch and one to mark it delivered) signs and posts them to a receiver in the runner process. Off: no endpoint; the worker polls an empty outbox.`,
        `Warm-up ${warmup} s per side, then ${rounds} rounds of ${duration} s per side, alternating; the better round of each is kept. After the on side's warm-up and each of its rounds the runner waits until its outbox is empty, so its worker does not compete with the next off round for the same cores.`,
        'Checked afterwards: the on side\'s outbox holds exactly 2 deliveries per acknowledged pair, all delivered; the off side\'s is empty.',
      ],
      observations: [
        `Per round (pairs/s): off ${seen.off.map((r) => fmt(r.pairsPerSec, 1)).join(', ')}; on ${seen.on.map((r) => fmt(r.pairsPerSec, 1)).join(', ')}.`,
        `p99 per pair in the kept rounds: off ${off.p99Ms} ms, on ${on.p99Ms} ms.`,
        `The on side's outbox was empty ${drained.on.map((d) => fmt(d / 1000, 1)).join(', ')} s after each on round ended (what the worker had not sent during the round).`,
      ],
    };
  } finally {
    agent.destroy();
    await Promise.all(started.map((c) => c.stop()));
    receiver.close();
    removeTempDir(tempDir);
    disarm();
  }
}

function log(line: string): void {
  process.stderr.write(`  [${ID}] ${line}\n`);
}

const role = process.env[ROLE];
if (role !== undefined && process.send) await child(role === 'on');
