import pino from 'pino';
import type { Config } from './config.ts';
import type { Db } from './db/connection.ts';
import type { Deps } from './services/deps.ts';
import { currentTrustedLists, refreshTrustedLists, TrustedListCache, type RefreshOutcome, type TrustedListStatus } from './services/trusted-lists.ts';

type Options = { force?: boolean; json?: boolean };

function describe(s: TrustedListStatus): string {
  const head = `${s.name.padEnd(5)} ${s.status.padEnd(8)} ${s.location}`;
  const facts = s.status === 'missing' ? [] : [`${s.territory}${s.listOfLists ? ' (list of lists)' : ''}`, `sequence ${s.sequenceNumber}`, `next update ${s.nextUpdate ?? 'none'}`, `${s.services} service(s)`, `signed by ${s.signerSubject}`];
  const error = s.lastError ? [`last attempt ${s.lastAttemptAt}: ${s.lastError.reason} — ${s.lastError.detail}`] : [];
  return [head, ...[...facts, ...error].map((f) => `      ${f}`)].join('\n');
}

function outcome(o: RefreshOutcome): string {
  if (o.outcome === 'failed') return `${o.name.padEnd(5)} refused  ${o.reason}: ${o.detail} (the last good copy, if any, stays in use)`;
  if (o.outcome === 'updated') return `${o.name.padEnd(5)} updated  sequence ${o.sequenceNumber}, next update ${o.nextUpdate ?? 'none'}`;
  return `${o.name.padEnd(5)} not due  sequence ${o.sequenceNumber ?? '?'}, next update ${o.nextUpdate ?? 'none'}`;
}

/**
 * `overa trust refresh [--force] [--json]`: fetches and verifies the configured trusted lists
 * that are due (all with --force), as the server's refresh job does; exit 1 when one was
 * refused, 3 when another instance holds the refresh lease. `overa trust show [--json]`: the
 * lists kept and their state.
 */
export async function trustCommand(config: Config, db: Db, args: string[], values: Options): Promise<number> {
  const deps = { db, config, now: Date.now, log: pino({ level: 'silent' }), trustedLists: new TrustedListCache() } as unknown as Deps;
  if (!config.trustedLists?.length) {
    process.stderr.write('No trusted lists are configured (OVERA_TRUSTED_LISTS; docs/verification.md, "Trusted lists").\n');
    return 2;
  }
  switch (args[0]) {
    case 'refresh': {
      const result = await refreshTrustedLists(deps, { force: values.force === true, worker: `cli-${process.pid}` });
      if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else if (!result.ran) process.stdout.write('Another instance is refreshing the lists now; try again in a few minutes.\n');
      else process.stdout.write(result.lists.map(outcome).join('\n') + '\n');
      if (!result.ran) return 3;
      return result.lists.some((l) => l.outcome === 'failed') ? 1 : 0;
    }
    case 'show': {
      const { lists } = await currentTrustedLists(deps);
      process.stdout.write(values.json ? JSON.stringify(lists, null, 2) + '\n' : lists.map(describe).join('\n') + '\n');
      return 0;
    }
    default:
      process.stderr.write('Usage: overa trust refresh [--force] [--json] | overa trust show [--json]\n');
      return 2;
  }
}
