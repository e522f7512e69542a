import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root, so `--import tsx` resolves and relative paths do not depend on cwd. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What a server child sends over IPC once it listens. */
export interface ReadyMessage {
  type: 'ready';
  port: number;
  [key: string]: unknown;
}

export interface ChildServer<M extends ReadyMessage = ReadyMessage> {
  ready: M;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

/**
 * Starts `node --import tsx <file>` with an IPC channel and waits for its `ready` message.
 * The child's stdout goes to `stdout` ('ignore' = /dev/null, or an open file descriptor), so
 * a server that logs to stdout pays the real cost of writing; stderr is kept for errors.
 */
export async function startChildServer<M extends ReadyMessage>(
  file: string,
  options: { env?: Record<string, string>; stdout?: 'ignore' | number; timeoutMs?: number } = {},
): Promise<ChildServer<M>> {
  // BENCH_CPU_PROF=<dir>: write a V8 CPU profile of each server child there (for profiling, not for figures).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', file], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', options.stdout ?? 'ignore', 'pipe', 'ipc'],
  });
  live.add(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));

  const ready = await new Promise<M>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${file}: not ready after ${options.timeoutMs ?? 30_000} ms`)), options.timeoutMs ?? 30_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n--- child stderr ---\n${stderr}`));
    };
    child.on('message', (msg: M) => {
      if (msg?.type === 'ready') {
        clearTimeout(timer);
        resolve(msg);
      }
    });
    child.once('exit', (code, signal) => fail(new Error(`${file}: exited before ready (code ${code}, signal ${signal})`)));
    child.once('error', fail);
  });

  return {
    ready,
    url: `http://127.0.0.1:${ready.port}`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Last-resort cleanup (Ctrl+C, uncaught error): kill every child still running. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}

/**
 * Child side: listen on 127.0.0.1 (ephemeral port), report `ready`, and exit when the parent
 * goes away (disconnect) or asks (SIGTERM), so no server outlives the benchmark.
 */
export function reportReady(extra: Record<string, unknown>, port: number, onStop: () => Promise<void> | void): void {
  if (!process.send) throw new Error('run this file through bench/ (it needs an IPC channel)');
  const stop = () => {
    const hard = setTimeout(() => process.exit(0), 2000);
    hard.unref();
    void Promise.resolve(onStop()).finally(() => process.exit(0));
  };
  process.once('disconnect', stop);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.send({ type: 'ready', port, ...extra });
}

/**
 * The usual server child's last step: `server` listens on a free loopback port, the runner is
 * told (with `extra`), and a stop closes the control server, lets the outbox worker finish,
 * closes the app's connections and the database.
 */
export function serveUntilStopped(
  server: Server, extra: Record<string, unknown>, parts: { control: { close(): void }; worker: { stop(): Promise<void> }; db: { destroy(): Promise<void> } },
): void {
  server.listen(0, '127.0.0.1', () => {
    reportReady(extra, (server.address() as AddressInfo).port, async () => {
      parts.control.close();
      await parts.worker.stop();
      server.closeAllConnections();
      server.close();
      await parts.db.destroy();
    });
  });
}

/** An HTTP receiver on loopback that reads each request, answers 204 and counts them (webhook endpoints). */
export async function countingReceiver(): Promise<{ url: string; count(): number; close(): void }> {
  let count = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    count: () => count,
    close() {
      receiver.closeAllConnections();
      receiver.close();
    },
  };
}
