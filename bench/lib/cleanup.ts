import { rmSync } from 'node:fs';
import { killAllChildren } from './child-server.ts';

const tempDirs = new Set<string>();

/** Remember a temp folder so it is removed even when the run is interrupted. */
export function trackTempDir(dir: string): void {
  tempDirs.add(dir);
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Synchronous, so it also works from a signal handler or a watchdog just before exit. */
export function cleanupNow(): void {
  killAllChildren();
  for (const dir of [...tempDirs]) removeTempDir(dir);
}

let installed = false;

/** Ctrl+C / SIGTERM: kill the server children, remove temp folders, exit 130/143. */
export function installSignalCleanup(): void {
  if (installed) return;
  installed = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}, cleaning up\n`);
      cleanupNow();
      process.exit(code);
    });
  }
}

/**
 * A benchmark must stop by itself: after `ms` the watchdog kills the children, removes the
 * temp folders and exits with status 1. Returns a function that disarms it.
 */
export function watchdog(label: string, ms: number): () => void {
  const timer = setTimeout(() => {
    process.stderr.write(`bench: ${label} still running after ${Math.round(ms / 1000)} s — aborting\n`);
    cleanupNow();
    process.exit(1);
  }, ms);
  timer.unref();
  return () => clearTimeout(timer);
}
