/**
 * `overa partners …` and `overa exchange status`: the operator's side of services/partners.ts
 * and services/exchange.ts (main.ts routes here).
 */
import { readFileSync } from 'node:fs';
import type { Config } from './config.ts';
import type { Db } from './db/connection.ts';
import { HttpError } from './http-error.ts';
import { exchangeStatus } from './services/exchange.ts';
import { addPartner, listPartners, removePartner } from './services/partners.ts';

interface Options {
  url?: string;
  cert?: string;
  name?: string;
  json?: boolean;
  limit?: string;
}

export async function partnersCommand(_config: Config, db: Db, args: string[], values: Options): Promise<number> {
  const deps = { db, now: Date.now };
  const out = (s: string) => process.stdout.write(`${s}\n`);
  try {
    const [sub, agencyId] = args;
    switch (sub) {
      case 'add': {
        if (!agencyId || !values.cert) break;
        let pem: string;
        try {
          pem = readFileSync(values.cert, 'utf8');
        } catch (err) {
          process.stderr.write(`overa partners: cannot read ${values.cert}: ${(err as Error).message}\n`);
          return 1;
        }
        const p = await addPartner(deps, { agencyId, url: values.url, certificatePem: pem, name: values.name });
        if (values.json) out(JSON.stringify(p));
        else out(`${p.agencyId}  ${p.name}  ${p.url}  pinned ${p.certificate.ca ? 'CA' : 'seal'} ${p.certificate.subject} (SHA-256 ${p.certificate.sha256})`);
        return 0;
      }
      case 'list': {
        const list = await listPartners(deps);
        if (values.json) out(JSON.stringify(list));
        else for (const p of list) out(`${p.agencyId}  ${p.name}  ${p.url}  ${p.certificate.ca ? 'CA' : 'seal'} ${p.certificate.sha256}  until ${p.certificate.notAfter}`);
        return 0;
      }
      case 'remove':
        if (!agencyId) break;
        await removePartner(deps, agencyId);
        out(`removed ${agencyId}`);
        return 0;
      default:
    }
    process.stderr.write('overa partners: add AGENCY-ID --url URL --cert PEM-FILE [--name NAME] | list [--json] | remove AGENCY-ID (overa --help)\n');
    return 2;
  } catch (err) {
    if (err instanceof HttpError) {
      const fields = err.errors?.map((f) => ` (${f.field}: ${f.message})`).join('') ?? '';
      process.stderr.write(`overa partners: ${err.message}${fields}\n`);
      return 1;
    }
    throw err;
  } finally {
    await db.destroy();
  }
}

export async function exchangeCommand(_config: Config, db: Db, args: string[], values: Options): Promise<number> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  try {
    if (args[0] !== 'status') {
      process.stderr.write('overa exchange: status [--json] [--limit N] (overa --help)\n');
      return 2;
    }
    const limit = Math.min(10_000, Math.max(1, Number(values.limit ?? 100) || 100));
    const rows = await exchangeStatus({ db }, limit);
    if (values.json) out(JSON.stringify(rows));
    else {
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
      out(`outgoing: ${rows.length}${[...counts].map(([s, n]) => `, ${s} ${n}`).join('')}`);
      for (const r of rows) {
        out(`${r.id}  ${r.type.padEnd(10)}  ${r.from} → ${r.to}  ${r.state}${r.outcome ? ` (${r.outcome})` : ''}  attempts ${r.attempts}  ${r.createdAt}${r.receiptAt ? `  receipt ${r.receiptAt}` : ''}${r.lastError ? `  ${r.lastError}` : ''}`);
      }
    }
    return 0;
  } finally {
    await db.destroy();
  }
}
