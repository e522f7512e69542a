/**
 * The real `overa` CLI as a child process: `overa start` on a given data folder (or PostgreSQL
 * schema), to be stopped, or killed with SIGKILL, and started again; and one-shot commands.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { promisify } from 'node:util';
import type { TestDb } from './test-server.ts';

const run = promisify(execFile);
export const BIN = new URL('../../bin/overa.js', import.meta.url).pathname;

/**
 * The environment that points a child process at a test database: its data folder and, on
 * PostgreSQL, DATABASE_URL with the test's schema as the search path (libpq `options`), which
 * is how tests isolate themselves (test-server.ts) and needs no config key of its own.
 */
export async function childEnv(t: TestDb, extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, OVERA_DATA_DIR: t.config.dataDir, OVERA_LOG_LEVEL: 'warn', ...extra };
  if (t.config.databaseUrl) {
    const schema = (await t.db.raw('select current_schema() as s')).rows[0].s as string;
    const url = new URL(t.config.databaseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    env.DATABASE_URL = url.toString();
  }
  return env;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** stderr so far (warnings and errors: the log level is `warn`). */
  stderr(): string;
  /** SIGKILL: no clean-up of any kind, as a power cut or the OOM killer. */
  kill(): Promise<void>;
  /** SIGTERM, the clean stop; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `overa start` on a free port (or `port`, when the environment must name it beforehand, e.g.
 * in OVERA_MY_APPLICATIONS_URL); resolves once /healthz answers 200.
 */
export async function startChildServer(env: NodeJS.ProcessEnv, args: string[] = [], port?: number): Promise<ChildServer> {
  port ??= await freePort();
  // cwd: the data folder, so that no overa.config.json of the working tree is picked up.
  const child = spawn(process.execPath, [BIN, 'start', ...args], { env: { ...env, PORT: String(port) }, cwd: env.OVERA_DATA_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 100_000) err = err.slice(-50_000);
  });
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  const url = `http://127.0.0.1:${port}`;
  // A bound on a start that hangs, not a speed check: loading the TypeScript server takes a few
  // seconds on an idle machine and several times that on a busy 2-core one.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`overa start exited (${child.exitCode ?? child.signalCode}): ${err}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`overa start did not answer /healthz within 60 s: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    stderr: () => err,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const [code] = await exited;
      return code;
    },
  };
}

/** One `overa …` command; never throws on a non-zero exit. */
export async function overaCli(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, cwd: cwd ?? env.OVERA_DATA_DIR, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
  }
}
