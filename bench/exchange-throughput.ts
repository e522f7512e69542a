/**
 * Agency-to-agency exchange (issue 19): documents delivered per second from server A to server
 * B — each message signed by A's seal, checked by B (pinned seal, part hashes, de-duplication),
 * stored in B's reception, answered with a receipt signed by B's seal, and that receipt checked
 * and stored by A — against raw HTTP POSTs of the same bytes from the same process A to the
 * same process B (a bare `node:http` listener in B that reads the body and answers 200), in
 * one run. Goal ≥ 0.3×.
 *
 * Two child processes started from THIS file (BENCH_EXCHANGE_ROLE = `a` | `b`), each the real
 * app on a fresh SQLite database of its own, made partners of each other. A runs the outbox
 * worker with the `exchange` handler (OVERA_OUTBOX_POLL_MS 20, batch 20: messages about
 * different documents go side by side, as in production). A round queues BENCH_MESSAGES
 * `document` messages (each with the same PDF part, a distinct document) in one transaction on
 * A, then times until every one has B's verified receipt; the raw round has A POST the stored
 * request bytes of one such message BENCH_MESSAGES times to B's sink, 20 at a time. Rounds
 * alternate; the better round of each is kept. Afterwards B must hold exactly one reception
 * per message sent.
 *
 * Knobs: BENCH_MESSAGES (200), BENCH_ROUNDS (2), BENCH_PDF_KB (100).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchReport } from './lib/types.ts';
import { startChildServer, serveUntilStopped, ROOT, type ReadyMessage } from './lib/child-server.ts';
import { trackTempDir, removeTempDir, watchdog } from './lib/cleanup.ts';
import { controlServer } from './applications-throughput.ts';
import { fmt, num } from './lib/numbers.ts';
import { loadConfig } from '../server/config.ts';
import { migrate, openDatabase } from '../server/db/connection.ts';
import { agencies } from '../server/db/agencies.ts';
import { ensureDemoKeys, sealChainPath } from '../server/documents/keys.ts';
import { createApp } from '../server/app.ts';
import { createOutboxWorker } from '../server/services/outbox.ts';
import { CHECKPOINT_INTERVAL_MS, startCheckpointer } from '../server/db/checkpointer.ts';
import { exchangeHandler, exchangeRequest, queueExchangeMessage } from '../server/services/exchange.ts';
import { addPartner } from '../server/services/partners.ts';
import { exchangeParts } from '../server/db/exchange-parts.ts';
import { exchangeMessages } from '../server/db/exchange-messages.ts';

const ID = 'exchange-throughput';
const GOAL = 0.3;
const SELF = join(ROOT, 'bench', `${ID}.ts`);
const ROLE = 'BENCH_EXCHANGE_ROLE';
const AGENCY = { a: { id: 'novi-primer', name: 'Gradska uprava Novi Primer' }, b: { id: 'drugi-grad', name: 'Gradska uprava Drugi Grad' } };
const PARALLEL = 20;

interface Ready extends ReadyMessage {
  controlPort: number;
  sinkPort?: number;
  storePort?: number;
}

const drain = (req: IncomingMessage) => new Promise<void>((resolve) => {
  req.resume();
  req.on('end', resolve);
});

async function child(role: 'a' | 'b'): Promise<void> {
  const dataDir = process.env.OVERA_DATA_DIR!;
  const config = loadConfig({ OVERA_DATA_DIR: dataDir, OVERA_LOG_LEVEL: 'warn', PORT: '0', OVERA_OUTBOX_POLL_MS: '20', OVERA_OUTBOX_BATCH: String(PARALLEL) }, dataDir);
  const db = openDatabase(config);
  await migrate(db);
  const me = AGENCY[role];
  await agencies.upsert(db, { ...me, created_at: Date.now() });
  await ensureDemoKeys(config, [me]);
  const app = createApp(config, { db });
  const worker = createOutboxWorker(app.deps, { exchange: exchangeHandler(app.deps) });
  worker.start();
  // As `overa start` runs: the WAL checkpointed on a thread of its own.
  const checkpointer = await startCheckpointer(db);
  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  const pdf = randomBytes(num('BENCH_PDF_KB', 100) * 1024);
  let sample: ReturnType<typeof exchangeRequest> | undefined;

  const control = await controlServer({
    // The other side as a partner: its URL and its seal chain (a file in its data folder).
    '/partner': async (url) => addPartner(app.deps, { agencyId: url.searchParams.get('id')!, url: url.searchParams.get('url')!, certificatePem: readFileSync(url.searchParams.get('cert')!, 'utf8') }),
    // A: N document messages to B, queued in one transaction; the worker is woken at once.
    '/enqueue': async (url) => {
      const n = Number(url.searchParams.get('n'));
      const ids: string[] = [];
      await db.transaction(async (trx) => {
        for (let i = 0; i < n; i++) {
          const now = Date.now();
          ids.push(await queueExchangeMessage(app.deps, trx, {
            type: 'document', localAgencyId: me.id, partnerAgencyId: AGENCY.b.id,
            document: { id: randomUUID(), title: { 'sr-Latn': 'Uverenje', en: 'Certificate' }, documentType: 'certificate-of-residence', trackingNumber: `NP-${i}`, issuedAt: now },
            parts: [{ name: 'document.pdf', contentType: 'application/pdf', data: pdf }],
          }, now));
        }
      });
      worker.wake();
      // The request bytes of one message, exactly as the handler sends them, for the raw round.
      if (!sample) {
        const m = (await exchangeMessages.get(db, ids[0]!, 'out'))!;
        sample = exchangeRequest(m, await exchangeParts.forMessage(db, m.id, 'out'), 'multipart');
      }
      return { queued: n };
    },
    // A: POSTs the sample bytes n times to `url`, PARALLEL at a time; the elapsed time.
    '/raw': async (url) => {
      const n = Number(url.searchParams.get('n'));
      const target = url.searchParams.get('url')!;
      const { contentType, body } = sample!;
      let next = 0;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: PARALLEL }, async () => {
        while (next < n) {
          next++;
          const res = await fetch(target, { method: 'POST', headers: { 'content-type': contentType }, body });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`raw POST: ${res.status}`);
        }
      }));
      return { ms: performance.now() - t0, bytes: body.length };
    },
  }, {
    // Messages with B's receipt stored: the outbox marks one delivered in the transaction that
    // stores its receipt, and A queues nothing else here. Counted along the index on (state, …):
    // counting receipts read every message row, ~0.6 ms of A's loop per poll.
    '/delivered': async () => ({ n: Number((await db('outbox_messages').where({ state: 'delivered' }).count({ n: '*' }).first())!.n) }),
    '/received': async () => ({ n: Number((await db('received_documents').count({ n: '*' }).first())!.n), messages: Number((await db('exchange_messages').where({ direction: 'in' }).count({ n: '*' }).first())!.n) }),
  });

  // B: the raw side's listener, in the same process as B's app: reads the body, answers 200.
  // And the floor's: reads the body, stores it durably in B's database (one row, through the
  // app's own group commit, as a reception is stored), then answers 200.
  let sinkPort: number | undefined;
  let storePort: number | undefined;
  if (role === 'b') {
    const sink = createServer((req, res) => {
      void drain(req).then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await db.schema.createTable('bench_store', (t) => {
      t.increments('id');
      t.binary('data').notNullable();
    });
    const store = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void app.deps.groupCommit.run((trx) => trx('bench_store').insert({ data: Buffer.concat(chunks) }))
          .then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), () => res.writeHead(500).end());
      });
    });
    for (const l of [sink, store]) {
      l.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve) => l.listen(0, '127.0.0.1', resolve));
    }
    sinkPort = (sink.address() as AddressInfo).port;
    storePort = (store.address() as AddressInfo).port;
  }
  const stopWork = { stop: () => worker.stop().then(() => checkpointer?.stop()) };
  serveUntilStopped(server, { controlPort: control.port, ...(sinkPort ? { sinkPort, storePort } : {}) }, { control, worker: stopWork, db });
}

function log(line: string): void {
  process.stderr.write(`  ${ID}: ${line}\n`);
}

export async function run(): Promise<BenchReport> {
  const messages = num('BENCH_MESSAGES', 200);
  const rounds = num('BENCH_ROUNDS', 2);
  const disarm = watchdog(ID, (rounds * 2 * 120 + 120) * 1000);
  const tempDir = mkdtempSync(join(tmpdir(), 'overa-bench-'));
  trackTempDir(tempDir);
  const started: { stop(): Promise<void> }[] = [];
  try {
    const sides = {} as Record<'a' | 'b', { url: string; ready: Ready; dir: string }>;
    for (const role of ['a', 'b'] as const) {
      const dir = join(tempDir, role);
      mkdirSync(dir);
      const c = await startChildServer<Ready>(SELF, { env: { [ROLE]: role, OVERA_DATA_DIR: dir } });
      started.push(c);
      sides[role] = { url: c.url, ready: c.ready, dir };
    }
    const control = (role: 'a' | 'b', path: string, method = 'POST') =>
      fetch(`http://127.0.0.1:${sides[role].ready.controlPort}${path}`, { method }).then(async (r) => {
        const body = (await r.json()) as Record<string, number>;
        if (r.status !== 200) throw new Error(`${role} ${path}: ${JSON.stringify(body)}`);
        return body;
      });
    const certOf = (role: 'a' | 'b') => sealChainPath({ dataDir: sides[role].dir }, AGENCY[role].id);
    await control('a', `/partner?id=${AGENCY.b.id}&url=${encodeURIComponent(sides.b.url)}&cert=${encodeURIComponent(certOf('b'))}`);
    await control('b', `/partner?id=${AGENCY.a.id}&url=${encodeURIComponent(sides.a.url)}&cert=${encodeURIComponent(certOf('a'))}`);

    // CPU time of both processes (user + system), for the per-document cost rows.
    // And each event loop's busy time: the side whose loop is busiest is what limits the exchange.
    const cpu = async () => {
      const [a, b] = [await control('a', '/cpu', 'GET'), await control('b', '/cpu', 'GET')];
      return { a: a.cpuMicros!, b: b.cpuMicros!, loopA: a.loopBusyMs!, loopB: b.loopBusyMs!, at: performance.now() };
    };
    type Spent = { a: number; b: number; loopA: number; loopB: number };
    const cpuPerDoc = { exchange: [] as Spent[], raw: [] as Spent[], store: [] as Spent[] };
    const spent = async (from: Awaited<ReturnType<typeof cpu>>, n: number): Promise<Spent> => {
      const to = await cpu();
      const wall = to.at - from.at;
      return { a: (to.a - from.a) / 1000 / n, b: (to.b - from.b) / 1000 / n, loopA: (to.loopA - from.loopA) / wall, loopB: (to.loopB - from.loopB) / wall };
    };
    let sent = 0;
    const exchangeRound = async (n: number) => {
      const before = (await control('a', '/delivered', 'GET')).n!;
      await control('a', `/enqueue?n=${n}`);
      const c0 = await cpu();
      const t0 = performance.now();
      const deadline = Date.now() + 300_000;
      while ((await control('a', '/delivered', 'GET')).n! < before + n) {
        if (Date.now() > deadline) throw new Error('exchange round did not finish within 300 s');
        // Every 20 ms: each poll is a query in A, which is being measured (2 % of a round of 1 s at most).
        await new Promise((r) => setTimeout(r, 20));
      }
      const rate = n / ((performance.now() - t0) / 1000);
      cpuPerDoc.exchange.push(await spent(c0, n));
      sent += n;
      return rate;
    };
    const rawRound = async (n: number, port = sides.b.ready.sinkPort, into = cpuPerDoc.raw) => {
      const c0 = await cpu();
      const r = await control('a', `/raw?n=${n}&url=${encodeURIComponent(`http://127.0.0.1:${port}/`)}`);
      into.push(await spent(c0, n));
      return { rate: n / (r.ms! / 1000), bytes: r.bytes! };
    };
    const storeRound = (n: number) => rawRound(n, sides.b.ready.storePort, cpuPerDoc.store);

    // Warm-up: each path once, half a round: with 20 messages the first timed round of every
    // path still ran before the JIT had settled (about 30 % slower than the second).
    const warm = Math.max(20, Math.round(messages / 2));
    log(`warm-up: exchange ${fmt(await exchangeRound(warm), 1)} docs/s, raw ${fmt((await rawRound(warm)).rate, 1)} POST/s, stored ${fmt((await storeRound(warm)).rate, 1)} POST/s`);
    const seen = { exchange: [] as number[], raw: [] as number[], store: [] as number[] };
    let bytes = 0;
    for (let i = 0; i < rounds; i++) {
      for (const kind of i % 2 === 0 ? (['exchange', 'raw', 'store'] as const) : (['store', 'raw', 'exchange'] as const)) {
        // The checkpoint of what the round before wrote (a thread of each server, every
        // CHECKPOINT_INTERVAL_MS) is done before this one starts, not counted in it.
        await new Promise((r) => setTimeout(r, 3 * CHECKPOINT_INTERVAL_MS));
        if (kind === 'exchange') seen.exchange.push(await exchangeRound(messages));
        else {
          const r = kind === 'raw' ? await rawRound(messages) : await storeRound(messages);
          bytes = r.bytes;
          seen[kind].push(r.rate);
        }
        log(`round ${i + 1} ${kind.padEnd(8)} ${fmt(seen[kind][seen[kind].length - 1]!, 1).padStart(8)} /s`);
      }
    }
    // Every message arrived once: one reception and one inbound message each at B.
    const atB = await control('b', '/received', 'GET');
    if (atB.n !== sent || atB.messages !== sent) throw new Error(`B holds ${atB.n} receptions and ${atB.messages} messages for ${sent} sent`);
    const best = { exchange: Math.max(...seen.exchange), raw: Math.max(...seen.raw), store: Math.max(...seen.store) };
    // The least CPU per document over the timed rounds (the warm-up's first entries left out).
    const least = (list: Spent[]) => list.slice(1).reduce((m, x) => (x.a + x.b < m.a + m.b ? x : m));
    const cpuExchange = least(cpuPerDoc.exchange);
    const cpuRaw = least(cpuPerDoc.raw);
    const cpuStore = least(cpuPerDoc.store);
    const loops = (x: Spent) => `A ${fmt(100 * x.loopA)} %, B ${fmt(100 * x.loopB)} %`;
    log(`CPU per document: exchange A ${fmt(cpuExchange.a, 2)} ms + B ${fmt(cpuExchange.b, 2)} ms; raw A ${fmt(cpuRaw.a, 2)} ms + B ${fmt(cpuRaw.b, 2)} ms; stored A ${fmt(cpuStore.a, 2)} ms + B ${fmt(cpuStore.b, 2)} ms`);
    log(`event loops busy: exchange ${loops(cpuExchange)}; raw ${loops(cpuRaw)}; stored ${loops(cpuStore)}`);
    return {
      id: ID,
      title: 'Agency-to-agency exchange: documents delivered A → B with receipts checked',
      results: [{
        name: 'documents delivered A → B (signed, verified, stored, receipt signed and checked)',
        figure: best.exchange,
        unit: 'docs/s',
        baselineName: 'raw HTTP POSTs of the same bytes A → B (a node:http listener in B that reads the body)',
        baselineFigure: best.raw,
        ratio: best.exchange / best.raw,
        goal: { ratio: GOAL, direction: 'higher' },
      }, {
        name: 'Floor piece: raw POSTs of the same bytes that B stores durably before answering (one row each, group commit, as a reception is stored)',
        figure: best.store,
        unit: 'docs/s',
        baselineName: 'raw HTTP POSTs, same run',
        baselineFigure: best.raw,
        ratio: best.store / best.raw,
      }, {
        name: 'documents delivered A → B against that floor (what the exchange adds to storing the bytes)',
        figure: best.exchange,
        unit: 'docs/s',
        baselineName: 'raw POSTs stored durably at B, same run',
        baselineFigure: best.store,
        ratio: best.exchange / best.store,
      }, {
        name: 'CPU time per document delivered, processes A + B (user + system)',
        figure: cpuExchange.a + cpuExchange.b,
        unit: 'ms',
        baselineName: 'CPU time per raw POST, A + B, same rounds',
        baselineFigure: cpuRaw.a + cpuRaw.b,
        ratio: (cpuExchange.a + cpuExchange.b) / (cpuRaw.a + cpuRaw.b),
      }],
      method: [
        'Two child processes, each the real app on its own fresh SQLite database with a demo seal (EC P-256), partners of each other.',
        `A's outbox worker (poll 20 ms, batch ${PARALLEL}) delivers ${messages} queued \`document\` messages per round, ${fmt(bytes / 1024)} KB each (multipart/form-data: the envelope, its signature and a ${num('BENCH_PDF_KB', 100)} KB PDF part; docs/exchange.md); timed from the commit of the queue to the last stored receipt.`,
        `Raw: process A POSTs the same request bytes ${messages} times, ${PARALLEL} at a time, to a node:http listener in process B that reads the body and answers 200.`,
        'Floor piece ("stored"): the same POSTs to a second listener in B that inserts each body as one row of its database through the app\'s group commit (db/group-commit.ts; SQLite WAL, synchronous=FULL) and answers after the commit: what any receiver that acknowledges only what it has stored must do, with no signing, checking or bookkeeping.',
        `Each server checkpoints its WAL on a thread of its own, as \`overa start\` does (db/checkpointer.ts, every ${CHECKPOINT_INTERVAL_MS} ms); ${3 * CHECKPOINT_INTERVAL_MS} ms pass between rounds, so one round's checkpoint is not done in the next. CPU figures are the whole process's, that thread's included.`,
        `${rounds} rounds each, alternating, after a warm-up of half a round of each; the better round of each is kept. B must then hold exactly one reception per message sent.`,
      ],
      observations: [
        `exchange rounds: ${seen.exchange.map((x) => fmt(x, 1)).join(', ')} docs/s; raw rounds: ${seen.raw.map((x) => fmt(x, 1)).join(', ')} POST/s`,
        `stored raw rounds: ${seen.store.map((x) => fmt(x, 1)).join(", ")} POST/s`,
        `CPU per document: exchange A ${fmt(cpuExchange.a, 2)} ms + B ${fmt(cpuExchange.b, 2)} ms; raw A ${fmt(cpuRaw.a, 2)} ms + B ${fmt(cpuRaw.b, 2)} ms; stored raw A ${fmt(cpuStore.a, 2)} ms + B ${fmt(cpuStore.b, 2)} ms`,
        `Event loops busy (share of the round's time): exchange ${loops(cpuExchange)}; raw ${loops(cpuRaw)}; stored ${loops(cpuStore)}`,
      ],
    };
  } finally {
    disarm();
    for (const s of started) await s.stop().catch(() => undefined);
    removeTempDir(tempDir);
  }
}

const role = process.env[ROLE];
if (role === 'a' || role === 'b') {
  child(role).catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
