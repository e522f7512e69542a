/**
 * Application create + submit with e-mail notifications AND webhooks on against the same server
 * with both off, in one run (issue 20: informing people must not slow the request path; goal
 * ≥ 0.8×).
 *
 * Three child processes started from THIS file (BENCH_NOTIFY_ROLE = `off` | `writes` | `on`),
 * each the real app on a fresh SQLite database (as bench/webhooks-overhead.ts), with the same 16
 * citizens taking turns (a pair is one citizen's create + submit). `on`: SMTP is configured (a
 * sink in the runner: the `smtp-server` package on loopback, accepting everything), every
 * citizen has a confirmed address, and two webhook endpoints hear every submission (a receiver
 * in the runner answering 204); so each submission queues, in its own transaction, one
 * `application.received` mail and two `application.submitted` deliveries, and the outbox worker
 * in the same process sends them (nodemailer over pooled SMTP connections, signed HTTP posts).
 * `off`: no SMTP, no endpoint: nothing is queued; the worker polls an empty outbox. `writes`: as
 * `on`, its worker held until after the rounds: the request path's own cost, without the sending
 * (a row without a goal). Warm-up, then alternating rounds; the better round of each side is
 * kept. After an `on` warm-up or round its outbox is left to drain (bench/lib/rounds.ts): its
 * worker would otherwise still be sending on the same cores during the next round of another
 * side. Afterwards every message of
 * the `on` and `writes` sides (one mail and two deliveries per acknowledged pair) must have been
 * delivered, and the sink must have received the mails; the `off` outbox must be empty.
 *
 * Knobs: BENCH_INFLIGHT (16), BENCH_DURATION (s, 10), BENCH_WARMUP (s, 5), BENCH_ROUNDS (2).
 */
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { BenchReport } from './lib/types.ts';
import { countingReceiver, startChildServer, serveUntilStopped, ROOT, type ReadyMessage } from './lib/child-server.ts';
import { trackTempDir, removeTempDir, watchdog } from './lib/cleanup.ts';
import { closedLoop, controlServer, DATA, FORM_ID, FORM_VERSION, freshDatabase, postJson, type Round } from './applications-throughput.ts';
import { createSession } from '../server/services/sessions.ts';
import { loadForms } from '../server/services/forms.ts';
import { createApp } from '../server/app.ts';
import { createOutboxWorker } from '../server/services/outbox.ts';
import { addWebhook, webhookHandler } from '../server/services/webhooks.ts';
import { mailHandlers } from '../server/services/mail.ts';
import { outbox } from '../server/db/outbox.ts';
import { users } from '../server/db/users.ts';
import { mailAddresses } from '../server/db/mail-addresses.ts';
import { DEMO_AGENCY } from '../server/seed.ts';
import { fmt, num } from './lib/numbers.ts';
import { alternatingRounds, unsent, waitForDrain, type OutboxCounts } from './lib/rounds.ts';

const ID = 'submit-notify';
const GOAL = 0.8;
const ENDPOINTS = 2;
const CITIZENS = 16;
const SELF = join(ROOT, 'bench', `${ID}.ts`);
const ROLE = 'BENCH_NOTIFY_ROLE';

interface Ready extends ReadyMessage {
  tokens: string[];
  controlPort: number;
}

type Side = 'off' | 'writes' | 'on';
const SIDES: readonly Side[] = ['off', 'writes', 'on'];

async function child(role: Side): Promise<void> {
  const on = role !== 'off';
  const dataDir = process.env.OVERA_DATA_DIR!;
  const { config, db, user, now } = await freshDatabase(dataDir, 'info');
  config.webhookSecretKey = randomBytes(32).toString('base64');
  config.outboxPollMs = 100;
  if (on) {
    config.smtpUrl = process.env.BENCH_SMTP!;
    config.mailFrom = 'Overa bench <no-reply@bench.example>';
  }
  // The same citizens on both sides; on the `on` side each has a confirmed address.
  const people = [user];
  for (let i = 1; i < CITIZENS; i++) {
    people.push(await users.insert(db, { id: `bench-citizen-${i}`, displayName: `Bench Citizen ${i}`, kind: 'citizen', roles: [], webauthnUserId: Buffer.from(`bench-citizen-${i}`).toString('base64url') }, now));
  }
  if (on) {
    for (const p of people) {
      await mailAddresses.put(db, {
        userId: p.id, address: `${p.id}@bench.example`, pendingAddress: null, codeHash: null, codeExpiresAt: null, codeAttempts: 0,
        lang: 'sr-Latn', unsubscribeToken: randomBytes(32).toString('base64url'), notify: true, confirmedAt: now, updatedAt: now,
      });
    }
  }
  const tokens = await Promise.all(people.map((p) => createSession(db, p.id, 3600, now)));
  const app = createApp(config, { db, forms: loadForms(join(ROOT, 'examples/forms')) });
  const worker = createOutboxWorker(app.deps, { webhook: webhookHandler(app.deps), ...mailHandlers(app.deps) });
  if (on) {
    const url = process.env.BENCH_RECEIVER!;
    await addWebhook(app.deps, { url, events: ['*'], agencyId: DEMO_AGENCY.id });
    await addWebhook(app.deps, { url, events: ['application.submitted'], agencyId: null });
  }
  // Running on `off` (it only polls) and `on`; on `writes` it waits until the runner says so, after the rounds.
  if (role !== 'writes') worker.start();
  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  const control = await controlServer({
    '/worker/start': async () => {
      worker.start();
      return {};
    },
  }, {
    '/outbox': async () => ({ webhook: await outbox.counts(db, 'webhook'), mail: await outbox.counts(db, 'mail') }),
  });
  serveUntilStopped(server, { tokens, controlPort: control.port }, { control, worker, db });
}

export async function run(): Promise<BenchReport> {
  const inflight = num('BENCH_INFLIGHT', 16);
  const duration = num('BENCH_DURATION', 10);
  const warmup = num('BENCH_WARMUP', 5);
  const rounds = num('BENCH_ROUNDS', 2);
  const disarm = watchdog(ID, (6 * warmup + 4 * rounds * duration + 480) * 1000);
  const tempDir = mkdtempSync(join(tmpdir(), 'overa-bench-'));
  trackTempDir(tempDir);
  // The webhook receiver and the SMTP sink, in this (the runner's) process.
  const receiver = await countingReceiver();
  const receiverUrl = receiver.url;
  let mailsReceived = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    // The server's transport keeps its connections open (a pool): closing drops them soon.
    closeTimeout: 100,
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        mailsReceived++;
        callback();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  const agent = new Agent({ keepAlive: true, maxSockets: 2 * inflight });
  const started: { stop(): Promise<void> }[] = [];
  try {
    const sides = {} as Record<Side, { url: string; ready: Ready; acked: number; turn: number }>;
    for (const key of SIDES) {
      const dir = join(tempDir, key);
      mkdirSync(dir);
      const c = await startChildServer<Ready>(SELF, { env: { [ROLE]: key, OVERA_DATA_DIR: dir, BENCH_RECEIVER: receiverUrl, BENCH_SMTP: smtpUrl } });
      started.push(c);
      sides[key] = { url: c.url, ready: c.ready, acked: 0, turn: 0 };
    }
    const pair = (key: Side) => async () => {
      const side = sides[key];
      const token = side.ready.tokens[side.turn++ % side.ready.tokens.length]!;
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const created = await postJson(agent, `${side.url}/api/v1/applications`, headers, JSON.stringify({ formId: FORM_ID, formVersion: FORM_VERSION, data: DATA }));
      const draft = created.body as { id?: string };
      if (created.status !== 201 || typeof draft.id !== 'string') throw new Error(`${key} create: ${created.status} ${JSON.stringify(created.body).slice(0, 300)}`);
      const sub = await postJson(agent, `${side.url}/api/v1/applications/${draft.id}/submit`, headers, '{}');
      if (sub.status !== 200 || (sub.body as { status?: string }).status !== 'submitted') throw new Error(`${key} submit: ${sub.status}`);
      side.acked++;
    };
    const counts = async (key: Side) => {
      const res = await fetch(`http://127.0.0.1:${sides[key].ready.controlPort}/outbox`);
      return (await res.json()) as { webhook: OutboxCounts; mail: OutboxCounts };
    };
    // The on side's worker (and the sinks in this process) would otherwise still be sending what
    // its round queued during the next round of another side, on the same cores, and make that
    // side look slower than it is.
    const { seen, drained } = await alternatingRounds({
      sides: SIDES,
      rounds,
      warmUp: async (key) => {
        const r = await closedLoop(inflight, warmup * 1000, pair(key));
        log(`warm-up ${key}: ${r.pairs} pairs, ${fmt(r.pairsPerSec, 1)} pairs/s`);
      },
      round: (key) => closedLoop(inflight, duration * 1000, pair(key)),
      drain: {
        on: () => waitForDrain(async () => {
          const c = await counts('on');
          return unsent(c.webhook, c.mail);
        }, 'the on side\'s outbox'),
      },
      onRound: (key, i, r, ms) => {
        log(`round ${i + 1} notify ${key.padEnd(3)} ${fmt(r.pairsPerSec, 1).padStart(8)} pairs/s   p50 ${r.p50Ms} ms   p99 ${r.p99Ms} ms${ms === undefined ? '' : `   outbox drained ${fmt(ms / 1000, 1)} s after the round`}`);
      },
    });
    const drains = drained.on;
    // Every acknowledged submission queued its mail and its deliveries, and the worker sends them
    // all (on the `writes` side, now that it may start).
    await fetch(`http://127.0.0.1:${sides.writes.ready.controlPort}/worker/start`, { method: 'POST' });
    const expectedOf = (key: Side) => ({ webhook: ENDPOINTS * sides[key].acked, mail: sides[key].acked });
    for (const key of ['on', 'writes'] as const) {
      const expected = expectedOf(key);
      const deadline = Date.now() + 240_000;
      let c = await counts(key);
      while ((c.webhook.delivered < expected.webhook || c.mail.delivered < expected.mail) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        c = await counts(key);
      }
      for (const channel of ['webhook', 'mail'] as const) {
        const n = c[channel];
        const total = n.queued + n.delivering + n.delivered + n.failed;
        if (total !== expected[channel] || n.delivered !== expected[channel]) throw new Error(`${key}: ${sides[key].acked} pairs acknowledged, expected ${expected[channel]} ${channel} messages delivered, outbox ${JSON.stringify(n)}`);
      }
    }
    const expected = { webhook: expectedOf('on').webhook + expectedOf('writes').webhook, mail: expectedOf('on').mail + expectedOf('writes').mail };
    const acked = sides.on.acked + sides.writes.acked;
    if (mailsReceived < expected.mail) throw new Error(`the SMTP sink received ${mailsReceived} mails, expected ${expected.mail}`);
    const off = await counts('off');
    if ([...Object.values(off.webhook), ...Object.values(off.mail)].some((n) => n !== 0)) throw new Error(`off: the outbox should be empty, is ${JSON.stringify(off)}`);
    log(`verified: ${expected.mail} mails and ${expected.webhook} webhook deliveries queued for ${acked} pairs, all delivered (${mailsReceived} mails and ${receiver.count()} posts received, repeats included)`);

    const best = (list: Round[]) => list.reduce((a, b) => (b.pairsPerSec > a.pairsPerSec ? b : a));
    const offBest = best(seen.off);
    const onBest = best(seen.on);
    const writesBest = best(seen.writes);
    const ratio = onBest.pairsPerSec / offBest.pairsPerSec;
    const writesRatio = writesBest.pairsPerSec / offBest.pairsPerSec;
    log(`ratio on/off = ${ratio.toFixed(2)}× (goal ≥ ${GOAL}×): ${ratio >= GOAL ? 'PASS' : 'BELOW'}; outbox writes only / off = ${writesRatio.toFixed(2)}×`);
    return {
      id: ID,
      title: 'Application create + submit with e-mail notifications and webhooks on vs off',
      results: [{
        name: 'Application create + submit throughput with mail (SMTP) and 2 webhook endpoints on (outbox writes + delivery worker)',
        figure: Math.round(onBest.pairsPerSec),
        unit: 'pairs/s',
        baselineName: 'the same server with no SMTP and no endpoint',
        baselineFigure: Math.round(offBest.pairsPerSec),
        ratio,
        goal: { ratio: GOAL, direction: 'higher' },
      }, {
        name: 'The same, the worker held until after the rounds: the request path\'s own cost (the outbox writes in the submission\'s transaction)',
        figure: Math.round(writesBest.pairsPerSec),
        unit: 'pairs/s',
        baselineName: 'the same server with no SMTP and no endpoint',
        baselineFigure: Math.round(offBest.pairsPerSec),
        ratio: writesRatio,
      }],
      method: [
        `Two child processes, each the real app (createApp, full middleware, example forms, log level info to /dev/null) on a fresh SQLite database (WAL, synchronous=FULL); ${CITIZENS} citizens take turns; closed loop of ${inflight} pairs in flight; a pair is POST applications (201) then POST applications/:id/submit (200).`,
        `On: SMTP configured (a sink in the runner process, smtp-server on loopback) and every citizen with a confirmed address; ${ENDPOINTS} webhook endpoints subscribed (a receiver in the runner answering 204). Each submission writes, in its transaction, 1 mail and ${ENDPOINTS} webhook outbox rows; the outbox worker in the same process (poll 100 ms, batch 20) sends them (nodemailer, one SMTP connection per mail; signed HTTP posts). Off: no SMTP, no endpoint; the worker polls an empty outbox.`,
        `Warm-up ${warmup} s per side, then ${rounds} rounds of ${duration} s per side, alternating; the better round of each is kept. After each on round (and the warm-up) the runner waits until the on side's outbox is empty, so its worker does not compete with the next off round for the same cores.`,
        `Writes only: a third child as the on side, whose worker starts only after the rounds: what the request path itself pays (the person's address read and ${ENDPOINTS + 1} inserts in the submission's transaction), without the sending competing for the cores.`,
        `Checked afterwards: the on and writes-only sides' outboxes hold exactly 1 mail and ${ENDPOINTS} deliveries per acknowledged pair, all delivered, and the sink received the mails; the off side's outbox is empty.`,
      ],
      observations: [
        `Per round (pairs/s): off ${seen.off.map((r) => fmt(r.pairsPerSec, 1)).join(', ')}; writes only ${seen.writes.map((r) => fmt(r.pairsPerSec, 1)).join(', ')}; on ${seen.on.map((r) => fmt(r.pairsPerSec, 1)).join(', ')}.`,
        `p99 per pair in the kept rounds: off ${offBest.p99Ms} ms, writes only ${writesBest.p99Ms} ms, on ${onBest.p99Ms} ms.`,
        `Delivered: ${expected.mail} mails and ${expected.webhook} webhook posts for ${acked} pairs (on and writes-only sides); the on side's outbox was empty ${drains.map((d) => fmt(d / 1000, 1)).join(', ')} s after each on round ended (what the worker had not sent during the round).`,
      ],
    };
  } finally {
    agent.destroy();
    await Promise.all(started.map((c) => c.stop()));
    receiver.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    removeTempDir(tempDir);
    disarm();
  }
}

function log(line: string): void {
  process.stderr.write(`  [${ID}] ${line}\n`);
}

const role = process.env[ROLE];
if (role !== undefined && process.send) await child(role as Side);
