/**
 * `overa documents …`: the long-term state of issued documents (issue 18).
 *
 *   overa documents list [--limit N]          each document's PAdES level, whether a level is
 *                                             pending, and until when its proof holds
 *   overa documents extend [--window-days N] [--limit N]
 *                                             the archive job once (services/long-term.ts), one
 *                                             progress line per document; exit 1 if any failed
 *
 * Both open the database themselves; `extend` is safe next to running servers (each document
 * is claimed with a lease) and resumable (a run that stops leaves the rest for the next).
 */
import pino from 'pino';
import type { Config } from './config.ts';
import { DEFAULT_LTV } from './config.ts';
import type { Db } from './db/connection.ts';
import { documents } from './db/documents.ts';
import { RevocationSource } from './documents/revocation.ts';
import { extendDocuments } from './services/long-term.ts';

const iso = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString());

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`--${name}: "${value}" is not a positive whole number`);
  return Number(value);
}

export async function documentsCommand(config: Config, db: Db, args: string[], values: { 'window-days'?: string | undefined; limit?: string | undefined }): Promise<number> {
  const [sub] = args;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (sub === 'list') {
    const rows = await documents.levels(db, positiveInt('limit', values.limit, 100));
    out('id                                    code            level  pending  proof until');
    for (const d of rows) {
      out(`${d.id}  ${d.verificationCode.padEnd(14)}  ${d.padesLevel.padEnd(5)}  ${d.ltvPending ? 'yes    ' : 'no     '}  ${iso(d.archiveUntil)}${d.ltvError ? `  (${d.ltvError})` : ''}`);
    }
    return 0;
  }
  if (sub === 'extend') {
    const windowDays = positiveInt('window-days', values['window-days'], config.archiveWindowDays ?? DEFAULT_LTV.archiveWindowDays);
    const deps = {
      db,
      config,
      now: Date.now,
      revocation: new RevocationSource({ timeoutMs: config.revocationTimeoutMs ?? DEFAULT_LTV.revocationTimeoutMs, now: Date.now }),
      // Progress goes to stdout; the log (warnings with details) to stderr.
      log: pino({ level: config.logLevel ?? 'warn' }, pino.destination(2)),
    };
    out(`archive job: documents pending a level, or whose proof ends within ${windowDays} days`);
    const summary = await extendDocuments(deps, {
      windowDays,
      ...(values.limit !== undefined ? { limit: positiveInt('limit', values.limit, 1) } : {}),
      onProgress: (p) => out(`[${p.index}/${p.total}] ${p.documentId} ${p.outcome}: ${p.detail}`),
    });
    out(`examined ${summary.examined}: ${summary.extended} extended, ${summary.skipped} skipped, ${summary.failed} failed`);
    return summary.failed ? 1 : 0;
  }
  process.stderr.write('overa documents: list | extend [--window-days N] [--limit N]\n');
  return 2;
}
