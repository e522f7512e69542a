// A client that sends one file to `POST /api/v1/verify` again and again at a fixed rate, in a
// process of its own (so that sending megabytes does not slow the runner's load generator).
// Started by bench/ with an IPC channel: `{type: 'run', url, file, intervalMs, durationMs}`
// sends a request every intervalMs (whether or not the previous one has been answered) for
// durationMs, waits for the answers, and replies `{type: 'ran', sent, statuses, ms}`.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

interface Run {
  type: 'run';
  url: string;
  file: string;
  intervalMs: number;
  durationMs: number;
}

if (!process.send) throw new Error('run this file through bench/ (it needs an IPC channel)');
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
const bodies = new Map<string, Buffer>();

function post(url: string, bytes: Buffer): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = request(`${url}/api/v1/verify`, { method: 'POST', agent, headers: { 'Content-Type': 'application/pdf', 'Content-Length': bytes.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
      res.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
    req.end(bytes);
  });
}

process.on('message', (msg: Run) => {
  if (msg?.type !== 'run') return;
  if (!bodies.has(msg.file)) bodies.set(msg.file, readFileSync(msg.file));
  const bytes = bodies.get(msg.file)!;
  const answers: Promise<{ status: number; ms: number }>[] = [];
  const start = performance.now();
  // Due times from the start, not from the last send, so the rate does not drift.
  const tick = () => {
    const due = Math.floor((performance.now() - start) / msg.intervalMs) + 1;
    while (answers.length < due && answers.length * msg.intervalMs < msg.durationMs) answers.push(post(msg.url, bytes));
    if ((answers.length) * msg.intervalMs < msg.durationMs) setTimeout(tick, Math.max(1, start + answers.length * msg.intervalMs - performance.now()));
    else void Promise.all(answers).then(report);
  };
  const report = (done: { status: number; ms: number }[]) => {
    const statuses: Record<string, number> = {};
    for (const d of done) statuses[d.status] = (statuses[d.status] ?? 0) + 1;
    process.send!({ type: 'ran', sent: done.length, statuses, ms: done.map((d) => d.ms) });
  };
  tick();
});
process.once('disconnect', () => process.exit(0));
process.send({ type: 'ready' });
