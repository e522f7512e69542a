import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { FormDefinition } from '../../components/core/forms/definition.ts';
import type { User } from '../../components/core/user.ts';
import { checkDefinition, type DefinitionProblem } from '../../components/core/forms/check.ts';
import type { Conn } from '../db/connection.ts';

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

/**
 * The published form definitions the app serves and issues from, every version of each form.
 * Reads are synchronous (a copy held by the app instance); `refresh` brings the copy up to date
 * with the database where the forms are kept (services/form-catalog.ts).
 */
export interface FormRegistry {
  /** The latest published version of each form, ordered by id (retired forms included). */
  list(): FormDefinition[];
  /** One form: the given version, or the latest. */
  get(id: string, version?: number): FormDefinition | undefined;
  /** Whether the form is retired: no new applications with it; those started continue. */
  retired(id: string): boolean;
  /**
   * Makes sure this copy is not older than the database's (a publish on another instance):
   * looks at most once per short interval unless `force`; `conn`: look now, on this connection
   * (a caller inside a transaction). A no-op for forms read from files only.
   */
  refresh(options?: { force?: boolean; conn?: Conn }): Promise<void>;
  /** The problems of a definition: its JSON Schema's first, then checkDefinition's; [] for a good one. */
  check(definition: unknown): DefinitionProblem[];
}

function pointer(err: ErrorObject): string {
  const extra = err.keyword === 'additionalProperties' ? `/${(err.params as { additionalProperty: string }).additionalProperty}` : '';
  return (err.instancePath || '') + extra;
}

/** The JSON Schema of the format, compiled: one per registry (compiling takes a while). */
export function definitionChecker(options: { allErrors: boolean }): (definition: unknown) => DefinitionProblem[] {
  const ajv = new Ajv2020({ allErrors: options.allErrors, strict: true });
  const validate: ValidateFunction<FormDefinition> = ajv.compile<FormDefinition>(JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as object);
  return (definition) => {
    if (!validate(definition)) {
      const seen = new Set<string>();
      const problems: DefinitionProblem[] = [];
      for (const err of validate.errors ?? []) {
        const p: DefinitionProblem = { path: pointer(err), code: 'schema', params: { keyword: err.keyword }, message: err.message ?? 'does not match the schema' };
        const key = `${p.path} ${p.message}`;
        if (!seen.has(key)) problems.push(p);
        seen.add(key);
      }
      return problems;
    }
    // What a schema cannot say: unique names, `when` pointing at an earlier field, one final approve step…
    return checkDefinition(definition);
  };
}

/** A form definition read from a file of OVERA_FORMS_DIR. */
export interface FormFile {
  /** The file's full path (for error messages). */
  path: string;
  /** Its name in the folder (recorded with the version it became). */
  name: string;
  definition: FormDefinition;
}

/**
 * Reads every `*.json` in `dir` in name order and checks each against the JSON Schema of the
 * format and core's checkDefinition. Throws FormDefinitionError on the first broken file or on
 * two files claiming the same id and version.
 */
export function readFormFiles(dir: string, check = definitionChecker({ allErrors: false })): FormFile[] {
  const out: FormFile[] = [];
  const seen = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(dir, file);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new FormDefinitionError(path, '', `not valid JSON (${(err as Error).message})`);
    }
    const [problem] = check(json);
    if (problem) throw new FormDefinitionError(path, problem.path, problem.message);
    const def = json as FormDefinition;
    // Document templates were once files of their own; a left-over one would now be ignored in silence.
    const oldTemplate = join(dir, 'templates', `${def.document.template}.json`);
    if (existsSync(oldTemplate)) {
      throw new FormDefinitionError(path, '/document/template', `${oldTemplate} is no longer read: put its parts in the form's "document" (docs/forms.md, "The issued document")`);
    }
    const key = `${def.id}@${def.version}`;
    if (seen.has(key)) throw new FormDefinitionError(path, '/version', `form "${def.id}" version ${def.version} is defined twice`);
    seen.add(key);
    out.push({ path, name: basename(path), definition: def });
  }
  return out;
}

/** Published definitions by id and version, and which forms are retired: what a registry answers from. */
export class FormSnapshot {
  private readonly byId = new Map<string, Map<number, FormDefinition>>();
  private readonly retiredIds: ReadonlySet<string>;

  constructor(definitions: Iterable<FormDefinition>, retired: Iterable<string> = []) {
    for (const def of definitions) {
      const versions = this.byId.get(def.id) ?? new Map<number, FormDefinition>();
      versions.set(def.version, def);
      this.byId.set(def.id, versions);
    }
    this.retiredIds = new Set(retired);
  }

  private latest(versions: Map<number, FormDefinition>): FormDefinition {
    return versions.get(Math.max(...versions.keys()))!;
  }

  list(): FormDefinition[] {
    return [...this.byId.keys()].sort().map((id) => this.latest(this.byId.get(id)!));
  }

  get(id: string, version?: number): FormDefinition | undefined {
    const versions = this.byId.get(id);
    if (!versions) return undefined;
    return version === undefined ? this.latest(versions) : versions.get(version);
  }

  retired(id: string): boolean {
    return this.retiredIds.has(id);
  }
}

/**
 * The forms of a folder, without a database: for scripts and tests that only render or issue.
 * The server keeps its forms in the database (services/form-catalog.ts) and loads the folder there.
 */
export function loadForms(dir: string): FormRegistry {
  const check = definitionChecker({ allErrors: false });
  const snapshot = new FormSnapshot(readFormFiles(dir, check).map((f) => f.definition));
  return {
    list: () => snapshot.list(),
    get: (id, version) => snapshot.get(id, version),
    retired: () => false,
    refresh: async () => {},
    check,
  };
}

/**
 * Whether `user` may see and apply with a form: everyone for a public form; for an `internal`
 * one, only officials and admins of the form's agency (they draft internal documents with it).
 */
export function mayUseForm(user: Pick<User, 'kind' | 'agencyId'> | undefined, def: FormDefinition): boolean {
  if ((def.audience ?? 'public') === 'public') return true;
  return user !== undefined && user.kind !== 'citizen' && user.agencyId === def.agencyId;
}
