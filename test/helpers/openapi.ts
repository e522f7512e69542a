/**
 * Checks the server's OpenAPI 3.1 document (server/openapi/) and real answers against it:
 * `checkAgainstOpenApi(method, pathTemplate, status, body, contentType, headers?)` throws when
 * the status is not documented for that operation, the content type is not one it lists, the
 * body does not match its schema (JSON Schema 2020-12, compiled with Ajv2020 in strict mode), or
 * a header it marks required is missing.
 */
import assert from 'node:assert/strict';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { openApiDocument } from '../../server/openapi/document.ts';

type Json = { [key: string]: unknown };

const SCHEMA_BASE = 'https://overa.dev/openapi/v1/components/schemas/';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** RFC 3339 date-time, as `format: date-time` means. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** A JSON pointer (`#/a/b~1c`) into `root`; undefined when it leads nowhere. */
export function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Json)[key];
    if (node === undefined) return undefined;
  }
  return node;
}

/** A copy of a schema with the document's `#/components/schemas/X` references made absolute for Ajv. */
function absoluteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(absoluteRefs);
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/') ? SCHEMA_BASE + v.slice('#/components/schemas/'.length) : absoluteRefs(v);
  }
  return out;
}

export function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) });
  ajv.addFormat('date', { type: 'string', validate: (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) });
  ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) });
  ajv.addFormat('uri-reference', { type: 'string', validate: (s: string) => !/\s/.test(s) && URL.canParse(s, 'https://example.invalid/') });
  return ajv;
}

export interface ResolvedResponse {
  response: Json;
  key: string;
}

export class OpenApiChecker {
  readonly doc: Json;
  readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(doc: unknown) {
    this.doc = doc as Json;
    this.ajv = newAjv();
    const schemas = ((this.doc.components as Json | undefined)?.schemas ?? {}) as Json;
    for (const [name, schema] of Object.entries(schemas)) {
      // A component with its own $id (the form definition format) is registered under the
      // document's name for it; its internal "#/$defs/…" references resolve within it all the same.
      this.ajv.addSchema({ ...(absoluteRefs(schema) as Json), $id: SCHEMA_BASE + name });
    }
  }

  /** Follows a `$ref` (to components) once or more. */
  deref<T = Json>(node: unknown): T {
    let n = node;
    for (let i = 0; i < 10 && isObject(n) && typeof n.$ref === 'string'; i++) {
      const target = resolvePointer(this.doc, n.$ref);
      if (target === undefined) throw new Error(`unresolved $ref ${n.$ref}`);
      n = target;
    }
    return n as T;
  }

  /** A validator for a schema of the document (compiled once). */
  validator(schema: unknown): ValidateFunction {
    const key = JSON.stringify(schema);
    let v = this.compiled.get(key);
    if (!v) {
      v = this.ajv.compile(absoluteRefs(schema) as Json);
      this.compiled.set(key, v);
    }
    return v;
  }

  operation(method: string, pathTemplate: string): Json | undefined {
    const item = (this.doc.paths as Json)[pathTemplate];
    return isObject(item) ? ((item as Json)[method.toLowerCase()] as Json | undefined) : undefined;
  }

  /** The documented response for a status: exact, then the range (`4XX`), then `default`. */
  response(method: string, pathTemplate: string, status: number): ResolvedResponse | undefined {
    const op = this.operation(method, pathTemplate);
    if (!op) return undefined;
    const responses = op.responses as Json;
    for (const key of [String(status), `${String(status)[0]}XX`, 'default']) {
      if (responses[key] !== undefined) return { key, response: this.deref(responses[key]) };
    }
    return undefined;
  }

  /** Problems with one real answer (empty when it matches). */
  check(method: string, pathTemplate: string, status: number, body: unknown, contentType: string | null, headers?: Headers): string[] {
    const where = `${method.toUpperCase()} ${pathTemplate} → ${status}`;
    if (!this.operation(method, pathTemplate)) return [`${where}: no such operation in the document`];
    const found = this.response(method, pathTemplate, status);
    if (!found) return [`${where}: status not documented`];
    const problems: string[] = [];
    const content = found.response.content as Json | undefined;
    const mediaType = contentType?.split(';')[0]!.trim().toLowerCase() ?? '';
    const empty = body === undefined || body === '' || (body instanceof Uint8Array && body.length === 0);
    if (!content) {
      if (!empty) problems.push(`${where}: documented without a body, but one came (${contentType})`);
    } else {
      const [major] = mediaType.split('/');
      const key = Object.keys(content).find((k) => k.toLowerCase() === mediaType) ?? Object.keys(content).find((k) => k === `${major}/*`) ?? Object.keys(content).find((k) => k === '*/*');
      if (!key) {
        problems.push(`${where}: content type ${contentType ?? '(none)'} is not one of ${Object.keys(content).join(', ')}`);
      } else {
        const schema = (content[key] as Json).schema;
        if (schema !== undefined) {
          // Bytes the schema calls a string (PEM, an event stream) are text.
          const value: unknown = body instanceof Uint8Array && isObject(schema) && schema.type === 'string' ? new TextDecoder().decode(body) : body;
          const validate = this.validator(schema);
          if (!validate(value)) {
            const shown = body instanceof Uint8Array ? `<${body.length} bytes>` : JSON.stringify(body)?.slice(0, 2000);
            problems.push(`${where}: the body does not match the schema: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}\n${shown}`);
          }
        }
      }
    }
    if (headers) {
      for (const [name, h] of Object.entries((found.response.headers ?? {}) as Json)) {
        const header = this.deref<Json>(h);
        const value = headers.get(name);
        if ((header.required === true || (isObject(h) && h.required === true)) && value === null) problems.push(`${where}: the required header ${name} is missing`);
        if (value !== null && header.schema !== undefined) {
          const schema = header.schema as Json;
          const typed = schema.type === 'integer' && /^\d+$/.test(value) ? Number(value) : value;
          const validate = this.validator(schema);
          if (!validate(typed)) problems.push(`${where}: header ${name}: ${value}: ${this.ajv.errorsText(validate.errors)}`);
        }
      }
    }
    return problems;
  }

  /** Every schema object of the document: components and inline ones in parameters, bodies, responses and headers. */
  schemas(): { where: string; schema: unknown }[] {
    const out: { where: string; schema: unknown }[] = [];
    const components = (this.doc.components ?? {}) as Json;
    for (const [name, schema] of Object.entries((components.schemas ?? {}) as Json)) out.push({ where: `#/components/schemas/${name}`, schema });
    const fromContent = (where: string, content: unknown) => {
      for (const [type, media] of Object.entries((content ?? {}) as Json)) {
        if (isObject(media) && media.schema !== undefined) out.push({ where: `${where} ${type}`, schema: media.schema });
      }
    };
    const fromHeaders = (where: string, headers: unknown) => {
      for (const [name, h] of Object.entries((headers ?? {}) as Json)) {
        if (isObject(h) && h.schema !== undefined) out.push({ where: `${where} header ${name}`, schema: h.schema });
      }
    };
    const fromParameter = (where: string, p: unknown) => {
      if (isObject(p) && p.schema !== undefined) out.push({ where: `${where} parameter ${String(p.name)}`, schema: p.schema });
    };
    for (const [name, p] of Object.entries((components.parameters ?? {}) as Json)) fromParameter(`#/components/parameters/${name}`, p);
    fromHeaders('#/components/headers', components.headers);
    for (const [path, item] of Object.entries((this.doc.paths ?? {}) as Json)) {
      for (const method of METHODS) {
        const op = (item as Json)[method];
        if (!isObject(op)) continue;
        const where = `${method.toUpperCase()} ${path}`;
        for (const p of (op.parameters ?? []) as unknown[]) fromParameter(where, p);
        if (isObject(op.requestBody)) fromContent(`${where} request`, op.requestBody.content);
        for (const [status, r] of Object.entries((op.responses ?? {}) as Json)) {
          if (!isObject(r)) continue;
          fromContent(`${where} ${status}`, r.content);
          fromHeaders(`${where} ${status}`, r.headers);
        }
      }
    }
    return out;
  }

  /** `$ref`s that lead nowhere: resolved against the innermost schema resource with an `$id`, else the document. */
  unresolvedRefs(): string[] {
    const bad: string[] = [];
    const walk = (node: unknown, base: unknown, at: string) => {
      if (Array.isArray(node)) {
        node.forEach((n, i) => walk(n, base, `${at}/${i}`));
        return;
      }
      if (!isObject(node)) return;
      const here = typeof node.$id === 'string' ? node : base;
      if (typeof node.$ref === 'string') {
        if (!node.$ref.startsWith('#/') || resolvePointer(here, node.$ref) === undefined) bad.push(`${at}: ${node.$ref}`);
      }
      for (const [k, v] of Object.entries(node)) if (k !== '$ref') walk(v, here, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    };
    walk(this.doc, this.doc, '#');
    return bad;
  }

  /**
   * The structure of an OpenAPI 3.1 document, object by object: required fields, no unknown ones
   * (`x-` extensions aside), well-formed status keys, media types, parameters, path templates and
   * their path parameters, unique operation ids, security schemes and tags that exist.
   */
  structureProblems(): string[] {
    const problems: string[] = [];
    const doc = this.doc;
    const allowed = (where: string, node: unknown, keys: string[], required: string[] = []) => {
      if (!isObject(node)) {
        problems.push(`${where}: not an object`);
        return false;
      }
      for (const k of Object.keys(node)) if (!keys.includes(k) && !k.startsWith('x-')) problems.push(`${where}: unknown field "${k}"`);
      for (const k of required) if (node[k] === undefined) problems.push(`${where}: "${k}" is required`);
      return true;
    };
    const isRef = (node: unknown): node is { $ref: string } => isObject(node) && typeof node.$ref === 'string';
    const REF = ['$ref', 'summary', 'description'];

    allowed('#', doc, ['openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags', 'externalDocs'], ['openapi', 'info']);
    if (typeof doc.openapi !== 'string' || !/^3\.1\.\d+$/.test(doc.openapi)) problems.push(`#/openapi: ${String(doc.openapi)} is not 3.1.x`);
    if (allowed('#/info', doc.info, ['title', 'summary', 'description', 'termsOfService', 'contact', 'license', 'version'], ['title', 'version'])) {
      const info = doc.info as Json;
      if (info.license !== undefined) allowed('#/info/license', info.license, ['name', 'identifier', 'url'], ['name']);
    }
    const tagNames = new Set<string>();
    for (const [i, tag] of ((doc.tags ?? []) as unknown[]).entries()) {
      if (allowed(`#/tags/${i}`, tag, ['name', 'description', 'externalDocs'], ['name'])) {
        const name = (tag as Json).name as string;
        if (tagNames.has(name)) problems.push(`#/tags: "${name}" twice`);
        tagNames.add(name);
      }
    }

    const components = (doc.components ?? {}) as Json;
    allowed('#/components', components, ['schemas', 'responses', 'parameters', 'examples', 'requestBodies', 'headers', 'securitySchemes', 'links', 'callbacks', 'pathItems']);
    const schemes = (components.securitySchemes ?? {}) as Json;
    for (const [name, s] of Object.entries(schemes)) {
      const where = `#/components/securitySchemes/${name}`;
      if (!allowed(where, s, ['type', 'description', 'name', 'in', 'scheme', 'bearerFormat', 'flows', 'openIdConnectUrl'], ['type'])) continue;
      const scheme = s as Json;
      if (!['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'].includes(scheme.type as string)) problems.push(`${where}: type ${String(scheme.type)}`);
      if (scheme.type === 'http' && typeof scheme.scheme !== 'string') problems.push(`${where}: http needs a scheme`);
      if (scheme.type === 'apiKey' && (typeof scheme.name !== 'string' || !['query', 'header', 'cookie'].includes(scheme.in as string))) problems.push(`${where}: apiKey needs name and in`);
    }
    const checkSecurity = (where: string, security: unknown) => {
      if (!Array.isArray(security)) {
        problems.push(`${where}: security is not an array`);
        return;
      }
      for (const requirement of security) {
        for (const name of Object.keys(requirement as Json)) if (!(name in schemes)) problems.push(`${where}: unknown security scheme "${name}"`);
      }
    };
    if (doc.security !== undefined) checkSecurity('#/security', doc.security);

    const checkHeader = (where: string, h: unknown) => {
      if (isRef(h)) return allowed(where, h, REF, ['$ref']);
      if (allowed(where, h, ['description', 'required', 'deprecated', 'schema', 'content', 'style', 'explode', 'example', 'examples']) && (h as Json).schema === undefined && (h as Json).content === undefined) {
        problems.push(`${where}: a header needs a schema or content`);
      }
      return true;
    };
    const checkParameter = (where: string, p: unknown): Json | undefined => {
      if (isRef(p)) {
        allowed(where, p, REF, ['$ref']);
        const target = resolvePointer(doc, p.$ref);
        if (!isObject(target)) return undefined;
        return target;
      }
      if (!allowed(where, p, ['name', 'in', 'description', 'required', 'deprecated', 'allowEmptyValue', 'style', 'explode', 'allowReserved', 'schema', 'example', 'examples', 'content'], ['name', 'in'])) return undefined;
      const param = p as Json;
      if (!['query', 'header', 'path', 'cookie'].includes(param.in as string)) problems.push(`${where}: in "${String(param.in)}"`);
      if (param.in === 'path' && param.required !== true) problems.push(`${where}: a path parameter must be required`);
      if ((param.schema === undefined) === (param.content === undefined)) problems.push(`${where}: exactly one of schema and content`);
      return param;
    };
    for (const [name, p] of Object.entries((components.parameters ?? {}) as Json)) checkParameter(`#/components/parameters/${name}`, p);
    for (const [name, h] of Object.entries((components.headers ?? {}) as Json)) checkHeader(`#/components/headers/${name}`, h);
    const checkContent = (where: string, content: unknown) => {
      if (!isObject(content) || Object.keys(content).length === 0) {
        problems.push(`${where}: content must name at least one media type`);
        return;
      }
      for (const [type, media] of Object.entries(content)) {
        if (!/^([\w.+-]+|\*)\/([\w.+-]+|\*)$/.test(type)) problems.push(`${where}: "${type}" is not a media type (range)`);
        allowed(`${where} ${type}`, media, ['schema', 'example', 'examples', 'encoding']);
      }
    };

    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries((doc.paths ?? {}) as Json)) {
      const where = `#/paths/${path}`;
      if (!path.startsWith('/')) problems.push(`${where}: a path starts with /`);
      if (!allowed(where, item, ['$ref', 'summary', 'description', ...METHODS, 'servers', 'parameters'])) continue;
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      const itemParams = ((item as Json).parameters ?? []) as unknown[];
      let operations = 0;
      for (const method of METHODS) {
        const op = (item as Json)[method];
        if (op === undefined) continue;
        operations++;
        const at = `${method.toUpperCase()} ${path}`;
        if (!allowed(at, op, ['tags', 'summary', 'description', 'externalDocs', 'operationId', 'parameters', 'requestBody', 'responses', 'callbacks', 'deprecated', 'security', 'servers'], ['responses'])) continue;
        const o = op as Json;
        if (typeof o.operationId !== 'string') problems.push(`${at}: no operationId`);
        else if (operationIds.has(o.operationId)) problems.push(`${at}: operationId ${o.operationId} is used twice`);
        else operationIds.add(o.operationId);
        for (const tag of (o.tags ?? []) as string[]) if (!tagNames.has(tag)) problems.push(`${at}: tag "${tag}" is not declared`);
        if (o.security !== undefined) checkSecurity(at, o.security);
        const params = [...itemParams, ...((o.parameters ?? []) as unknown[])].map((p, i) => checkParameter(`${at} parameter ${i}`, p)).filter((p): p is Json => p !== undefined);
        const seen = new Set<string>();
        for (const p of params) {
          const id = `${String(p.in)}:${String(p.name)}`;
          if (seen.has(id)) problems.push(`${at}: parameter ${id} twice`);
          seen.add(id);
          if (p.in === 'path' && !templated.includes(p.name as string)) problems.push(`${at}: path parameter ${String(p.name)} is not in the path`);
        }
        for (const name of templated) if (!params.some((p) => p.in === 'path' && p.name === name)) problems.push(`${at}: {${name}} has no path parameter`);
        if (o.requestBody !== undefined && allowed(`${at} requestBody`, o.requestBody, ['description', 'content', 'required'], ['content'])) checkContent(`${at} requestBody`, (o.requestBody as Json).content);
        const responses = o.responses;
        if (!isObject(responses) || Object.keys(responses).length === 0) {
          problems.push(`${at}: no responses`);
          continue;
        }
        for (const [status, r] of Object.entries(responses)) {
          const rw = `${at} ${status}`;
          if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${rw}: not a status code`);
          if (isRef(r)) {
            allowed(rw, r, REF, ['$ref']);
            continue;
          }
          if (!allowed(rw, r, ['description', 'headers', 'content', 'links'], ['description'])) continue;
          const resp = r as Json;
          if (resp.content !== undefined) checkContent(rw, resp.content);
          for (const [name, h] of Object.entries((resp.headers ?? {}) as Json)) {
            if (name.toLowerCase() === 'content-type') problems.push(`${rw}: a Content-Type header is ignored by OpenAPI`);
            checkHeader(`${rw} header ${name}`, h);
          }
        }
      }
      if (operations === 0) problems.push(`${where}: no operations`);
    }
    return problems;
  }
}

let shared: OpenApiChecker | undefined;

/** The checker of the server's own document. */
export function serverOpenApi(): OpenApiChecker {
  shared ??= new OpenApiChecker(openApiDocument());
  return shared;
}

/**
 * Asserts that a real answer matches the document: a documented status for this method and
 * path template (`/api/v1/applications/{id}`), one of its content types, a body its schema
 * accepts and, with `headers`, the headers it requires.
 */
export function checkAgainstOpenApi(method: string, pathTemplate: string, status: number, body: unknown, contentType: string | null, headers?: Headers): void {
  const problems = serverOpenApi().check(method, pathTemplate, status, body, contentType, headers);
  assert.deepEqual(problems, [], problems.join('\n'));
}
