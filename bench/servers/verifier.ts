// Overa's verifier in a process of its own, as a server runs it: core's verifyDocument and
// nothing else loaded (the runner's heap, full of the benchmark's own tools, would make every
// garbage collection dearer than in a real server). Started by bench/verify-node.ts; each
// IPC message {type: 'verify', path, trustAnchors} is answered with {ms, cpuMs, indication,
// entries}; {type: 'hash', path} with the time to read the file and hash all of it.
import { readFileSync } from 'node:fs';
import { reportReady } from '../lib/child-server.ts';
import { verifyDocument } from '../../components/core/pdf/verify-document.ts';

interface Job {
  type: 'verify' | 'hash';
  path: string;
  trustAnchors: string[];
}

process.on('message', (job: Job) => {
  if (job?.type === 'hash') {
    // The floor: reading the file and one WebCrypto SHA-256 over all of it.
    void (async () => {
      const t0 = performance.now();
      await crypto.subtle.digest('SHA-256', readFileSync(job.path));
      process.send!({ type: 'hashed', ms: performance.now() - t0 });
    })();
    return;
  }
  if (job?.type !== 'verify') return;
  void (async () => {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    // From the file on disk to the report, as pdfsig goes from the file to its verdict.
    const report = await verifyDocument(readFileSync(job.path), { trustAnchors: job.trustAnchors });
    const ms = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    process.send!({ type: 'verified', ms, cpuMs: (used.user + used.system) / 1000, indication: report.indication, entries: report.signaturesCount });
  })();
});

reportReady({}, 0, () => undefined);
