import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which server processes are running on a SQLite data folder: `overa start` leaves a file
 * `<data dir>/run/<pid>.json` while it runs, so that `overa restore` can refuse to replace a
 * database under a live server. A file left by a killed process names a pid that no longer
 * runs and is ignored (and removed).
 */
const runDir = (dataDir: string) => join(dataDir, 'run');

export interface InstanceRecord {
  release(): void;
}

export function registerInstance(dataDir: string, info: { port: number }): InstanceRecord {
  const dir = runDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}.json`);
  writeFileSync(file, `${JSON.stringify({ pid: process.pid, port: info.port, startedAt: new Date().toISOString() })}\n`);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    rmSync(file, { force: true });
  };
  process.once('exit', release);
  return { release };
}

/** Pids of other live processes that registered on this data folder. */
export function liveInstances(dataDir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(runDir(dataDir));
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const name of names) {
    const m = /^(\d+)\.json$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid) continue;
    if (isAlive(pid)) live.push(pid);
    else rmSync(join(runDir(dataDir), name), { force: true });
  }
  return live;
}

function isAlive(pid: number): boolean {
  // kill(0, 0) signals our own process group, so it always succeeds: a file named 0.json would
  // otherwise pass for a live server and block `overa restore` for ever.
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
