import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import type { FormDefinition } from '../../components/core/forms/definition.ts';
import type { User } from '../../components/core/user.ts';
import { checkDefinition } from '../../components/core/forms/check.ts';

const SCHEMA_URL = new URL('../../components/core/forms/form-definition.schema.json', import.meta.url);

/** A broken form definition: the server refuses to start and names the file and the JSON path. */
export class FormDefinitionError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    detail: string,
  ) {
    super(`form definition ${file}: ${path || '(root)'}: ${detail}`);
  }
}

/** The form definitions the server was started with, every version of each form. */
export interface FormRegistry {
  /** The latest version of each form, ordered by id. */
  list(): FormDefinition[];
  /** One form: the given version, or the latest. */
  get(id: string, version?: number): FormDefinition | undefined;
}

function pointer(err: ErrorObject): string {
  const extra = err.keyword === 'additionalProperties' ? `/${(err.params as { additionalProperty: string }).additionalProperty}` : '';
  return (err.instancePath || '') + extra;
}

/**
 * Reads every `*.json` in `dir`, checks each against the JSON Schema of the format and
 * core's checkDefinition, and
 * indexes them by id and version. Throws FormDefinitionError on the first broken file or on
 * two files claiming the same id and version. Runs once, at start-up.
 */
export function loadForms(dir: string): FormRegistry {
  const ajv = new Ajv2020({ allErrors: false, strict: true });
  const validate = ajv.compile<FormDefinition>(JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as object);
  const byId = new Map<string, Map<number, FormDefinition>>();
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    const path = join(dir, file);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new FormDefinitionError(path, '', `not valid JSON (${(err as Error).message})`);
    }
    if (!validate(json)) {
      const err = validate.errors![0]!;
      throw new FormDefinitionError(path, pointer(err), err.message ?? 'does not match the schema');
    }
    // What a schema cannot say: unique names, `when` pointing at an earlier field, one final approve step…
    const [problem] = checkDefinition(json);
    if (problem) throw new FormDefinitionError(path, problem.path, problem.message);
    // Document templates were once files of their own; a left-over one would now be ignored in silence.
    const oldTemplate = join(dir, 'templates', `${json.document.template}.json`);
    if (existsSync(oldTemplate)) {
      throw new FormDefinitionError(path, '/document/template', `${oldTemplate} is no longer read: put its parts in the form's "document" (docs/forms.md, "The issued document")`);
    }
    const versions = byId.get(json.id) ?? new Map<number, FormDefinition>();
    if (versions.has(json.version)) throw new FormDefinitionError(path, '/version', `form "${json.id}" version ${json.version} is defined twice`);
    versions.set(json.version, json);
    byId.set(json.id, versions);
  }
  const latest = (versions: Map<number, FormDefinition>) => versions.get(Math.max(...versions.keys()))!;
  return {
    list: () => [...byId.keys()].sort().map((id) => latest(byId.get(id)!)),
    get(id, version) {
      const versions = byId.get(id);
      if (!versions) return undefined;
      return version === undefined ? latest(versions) : versions.get(version);
    },
  };
}

/** A registry with no forms: a server started without OVERA_FORMS_DIR. */
export const NO_FORMS: FormRegistry = { list: () => [], get: () => undefined };

/**
 * Whether `user` may see and apply with a form: everyone for a public form; for an `internal`
 * one, only officials and admins of the form's agency (they draft internal documents with it).
 */
export function mayUseForm(user: Pick<User, 'kind' | 'agencyId'> | undefined, def: FormDefinition): boolean {
  if ((def.audience ?? 'public') === 'public') return true;
  return user !== undefined && user.kind !== 'citizen' && user.agencyId === def.agencyId;
}
