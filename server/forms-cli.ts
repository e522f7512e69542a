/**
 * `overa forms …`: the operator's side of services/admin-forms.ts (main.ts routes here): list
 * the forms, publish a definition file as its form's next version, retire a form. Audited with
 * no actor (the operator is not a user); running servers see the change within a second.
 */
import { readFileSync } from 'node:fs';
import { localize } from '../components/core/forms/definition.ts';
import type { Db } from './db/connection.ts';
import { HttpError } from './http-error.ts';
import { listForms, publishAsOperator, retireAsOperator } from './services/admin-forms.ts';
import { FormCatalog } from './services/form-catalog.ts';

interface Options {
  agency?: string;
  json?: boolean;
}

export async function formsCommand(db: Db, args: string[], values: Options): Promise<number> {
  // The catalog checks definitions; no files: the server loads OVERA_FORMS_DIR when it starts.
  const deps = { db, now: Date.now, forms: new FormCatalog(db, Date.now) };
  const out = (s: string) => process.stdout.write(`${s}\n`);
  try {
    const [sub, arg] = args;
    switch (sub) {
      case 'list': {
        const list = await listForms(deps, values.agency);
        if (values.json) out(JSON.stringify(list));
        else for (const f of list) out(`${f.id}  ${f.agencyId}  ${f.state}  version ${f.publishedVersion ?? '-'}${f.hasDraft ? '  (draft)' : ''}  ${localize(f.title, 'sr-Latn')}`);
        return 0;
      }
      case 'publish': {
        if (!arg) break;
        let json: unknown;
        try {
          json = JSON.parse(readFileSync(arg, 'utf8'));
        } catch (err) {
          process.stderr.write(`overa: ${arg}: ${(err as Error).message}\n`);
          return 1;
        }
        const p = await publishAsOperator(deps, json);
        out(`published ${p.id} version ${p.version}`);
        return 0;
      }
      case 'retire':
        if (!arg) break;
        await retireAsOperator(deps, arg);
        out(`retired ${arg}: no new applications; those started continue`);
        return 0;
      default:
        break;
    }
    process.stderr.write('usage: overa forms list [--agency A] [--json] | overa forms publish FILE | overa forms retire ID\n');
    return 2;
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    // The same words the API gives, each problem of a definition on a line of its own.
    process.stderr.write(`overa: ${err.title}${err.message !== err.title ? `: ${err.message}` : ''}\n`);
    for (const e of err.errors ?? []) process.stderr.write(`  ${e.field || '(root)'}: ${e.message}\n`);
    return 1;
  } finally {
    await db.destroy();
  }
}
