/**
 * The building blocks of the OpenAPI 3.1 document (server/openapi/document.ts): the few types
 * of the OpenAPI objects we use, and helpers that add what every route of this server shares —
 * the problem+json errors of its middleware (authentication, the JSON body parser, the address
 * check, rate limits, idempotency keys) and the `X-Request-Id` of every answer — so that each
 * paths/*.ts file only says what is particular to its routes.
 */

/** A JSON Schema 2020-12 object (OpenAPI 3.1's Schema Object is exactly that). */
export type Schema = { [keyword: string]: unknown };

export interface Reference {
  $ref: string;
  description?: string;
}

export interface Header {
  description: string;
  required?: boolean;
  schema: Schema;
}

export interface MediaType {
  schema?: Schema;
}

export interface Response {
  description: string;
  headers?: Record<string, Header | Reference>;
  content?: Record<string, MediaType>;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  description: string;
  required?: boolean;
  schema: Schema;
  style?: 'form' | 'simple';
  explode?: boolean;
}

export interface RequestBody {
  description?: string;
  required: boolean;
  content: Record<string, MediaType>;
}

export type SecurityRequirement = Record<string, string[]>;

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: SecurityRequirement[];
  parameters?: (Parameter | Reference)[];
  requestBody?: RequestBody;
  responses: Record<string, Response>;
}

export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

export type PathItem = Partial<Record<Method, Operation>>;

export type Paths = Record<string, PathItem>;

export const API = '/api/v1';

/** `{$ref}` to a schema in components. */
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/**
 * The response headers the API uses (`components.headers`). In answers, `header(name)` refers to
 * one; `header(name, {required: true})` copies it inline, as a reference cannot say that.
 */
export const HEADERS: Record<string, Header> = {
  'X-Request-Id': {
    description: 'The request id: the caller\'s own when well-formed, else one the server made. Quote it to support; the access log has it.',
    required: true,
    schema: { type: 'string' },
  },
  ETag: { description: 'An entity tag: a version (`"3"`) or a SHA-256 (`"…"`)', schema: { type: 'string' } },
  Location: { description: 'The path of the new resource', schema: { type: 'string', format: 'uri-reference' } },
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } },
  'Idempotent-Replayed': { description: '`true` when the answer is the one recorded for the `Idempotency-Key`', schema: { const: 'true' } },
  'Content-Disposition': { description: '`attachment` with the file name', schema: { type: 'string', pattern: '^attachment' } },
  'WWW-Authenticate': { description: '`Bearer` (no token, or credentials in another scheme), or `Bearer error="invalid_token"` (a token that is malformed, unknown or expired)', schema: { type: 'string' } },
  'Accept-Encoding': { description: '`identity`: send bodies uncompressed', schema: { type: 'string' } },
  Connection: { description: '`close`: the server closes the connection after this answer', schema: { const: 'close' } },
};

export function header(name: keyof typeof HEADERS & string, options: { required?: boolean; description?: string } = {}): Header | Reference {
  if (!HEADERS[name]) throw new Error(`OpenAPI: no header ${name}`);
  if (options.required !== undefined) return { ...HEADERS[name], ...options };
  return { $ref: `#/components/headers/${name}`, ...(options.description ? { description: options.description } : {}) };
}

/** Request headers as parameters (`components.parameters`). */
export const PARAMETERS: Record<string, Parameter> = {
  'Idempotency-Key': {
    name: 'Idempotency-Key',
    in: 'header',
    description: '1–200 visible ASCII characters (a UUID is a good choice). Retrying with the same key and the same request gets the first answer again, with `Idempotent-Replayed: true`; see docs/server.md, "Idempotency keys".',
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
  },
  'If-Match': {
    name: 'If-Match',
    in: 'header',
    description: 'The version (ETag) loaded, e.g. `"3"`: a stale one is a `412`',
    schema: { type: 'string', pattern: '^(W/)?"?\\d{1,9}"?$' },
  },
  'If-None-Match': {
    name: 'If-None-Match',
    in: 'header',
    description: 'The ETag held: `304` when it is still current',
    schema: { type: 'string' },
  },
};

export const parameterRef = (name: string): Reference => ({ $ref: `#/components/parameters/${name}` });

/** Who may call an operation. */
export type Access =
  /** A bearer token is required (401 without one). */
  | 'user'
  /** Anyone; a bearer token, when sent, is checked (401 when dead) and may change the answer. */
  | 'optional'
  /** Anyone; a token is not needed, but one that is sent is still checked (401 when dead). */
  | 'public'
  /** Outside the API's middleware (health): no authentication at all. */
  | 'none';

export const SECURITY: Record<Access, SecurityRequirement[]> = {
  user: [{ bearer: [] }],
  optional: [{}, { bearer: [] }],
  public: [],
  none: [],
};

/** The answer of a route in JSON. */
export function json(description: string, schema: Schema, headers: Record<string, Header | Reference> = {}): Response {
  return { description, ...(Object.keys(headers).length ? { headers } : {}), content: { 'application/json': { schema } } };
}

/** An answer without a body (204, 304). */
export function empty(description: string, headers: Record<string, Header | Reference> = {}): Response {
  return { description, ...(Object.keys(headers).length ? { headers } : {}) };
}

/** A JSON request body. */
export function jsonBody(schema: Schema, description?: string, required = true): RequestBody {
  return { ...(description ? { description } : {}), required, content: { 'application/json': { schema } } };
}

/** A path parameter. */
export function pathParam(name: string, description: string, schema: Schema = { type: 'string', minLength: 1 }): Parameter {
  return { name, in: 'path', required: true, description, schema };
}

export function queryParam(name: string, description: string, schema: Schema, extra: Partial<Parameter> = {}): Parameter {
  return { name, in: 'query', description, schema, ...extra };
}

const REASON_TITLES: Record<number, string> = {
  400: 'The request is not valid',
  401: 'Not signed in, or the session has ended',
  403: 'Not allowed',
  404: 'Not found',
  408: 'Request timeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition failed',
  413: 'The request body is too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** Headers some problems carry. */
const PROBLEM_HEADERS: Record<number, Record<string, Header | Reference>> = {
  401: { 'WWW-Authenticate': header('WWW-Authenticate') },
  408: { Connection: header('Connection') },
  415: { 'Accept-Encoding': header('Accept-Encoding') },
};

export interface OperationSpec {
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  /** The inbox's event stream also takes the token as `?access_token=`. */
  security?: SecurityRequirement[];
  parameters?: (Parameter | Reference)[];
  requestBody?: RequestBody;
  /**
   * The JSON body parser applies (POST/PUT with a body other than a streamed upload): 400
   * (`malformed-json`, `too-deeply-nested`, `invalid-text`), 413 over `jsonLimit`, 415 for
   * another content type or a compressed body.
   */
  jsonParser?: boolean;
  /** Honours `Idempotency-Key` (server/idempotent.ts). */
  idempotent?: boolean;
  /** Counted by a configured rate limit: 429 with Retry-After. */
  rateLimited?: string;
  /** What succeeds: status → response. */
  responses: Record<number, Response>;
  /** Problems particular to the route: status → what causes it (problem types in backquotes). */
  problems?: Record<number, string>;
  /** Extra headers on particular problem statuses. */
  problemHeaders?: Record<number, Record<string, Header | Reference>>;
}

function problem(status: number, reasons: string[], headers: Record<string, Header | Reference>): Response {
  const title = REASON_TITLES[status] ?? 'Error';
  return {
    description: `${title}: ${reasons.join(' ')}`,
    headers: { ...headers, 'X-Request-Id': header('X-Request-Id') },
    content: { 'application/problem+json': { schema: ref('Problem') } },
  };
}

/**
 * One operation: its own responses, then the problems of the middleware in front of it, every
 * response with `X-Request-Id` (the health check's too: request ids come before it).
 */
export function operation(spec: OperationSpec): Operation {
  const reasons = new Map<number, string[]>();
  const add = (status: number, reason: string) => reasons.set(status, [...(reasons.get(status) ?? []), reason]);
  for (const [status, reason] of Object.entries(spec.problems ?? {})) add(Number(status), reason);
  const headers = new Map<number, Record<string, Header | Reference>>();
  const addHeaders = (status: number, h: Record<string, Header | Reference>) => headers.set(status, { ...headers.get(status), ...h });
  for (const [status, h] of Object.entries(PROBLEM_HEADERS)) addHeaders(Number(status), h);
  for (const [status, h] of Object.entries(spec.problemHeaders ?? {})) addHeaders(Number(status), h);

  const parameters = [...(spec.parameters ?? [])];
  if (spec.access !== 'none') {
    add(400, 'A NUL (`%00`) in the path or the query (`invalid-text`).');
    if (spec.access === 'user') add(401, 'No bearer token, one that is unknown or expired, or credentials in another scheme than `Bearer` (`unauthorized`).');
    else add(401, 'A bearer token was sent but is unknown or expired, or credentials in another scheme than `Bearer` (`unauthorized`).');
    add(500, 'An unexpected error (`internal`); nothing about the internals is said.');
  }
  if (spec.jsonParser) {
    add(400, 'The body is not valid JSON (`malformed-json`), is JSON but not an object (`validation`, on the field `\'\'`), nests deeper than 64 levels (`too-deeply-nested`) or holds a lone surrogate or NUL (`invalid-text`).');
    add(408, 'The body stopped arriving for `bodyIdleTimeoutMs` (`request-timeout`); the connection is closed.');
    add(413, 'The body is larger than `jsonLimit` (`body-too-large`).');
    add(415, 'A body that is not `application/json` (`unsupported-media-type`), or a compressed one (`unsupported-encoding`).');
  }
  if (spec.idempotent) {
    parameters.push(parameterRef('Idempotency-Key'));
    add(400, 'A malformed `Idempotency-Key` (`validation`, naming the header).');
    add(409, 'A request with the same `Idempotency-Key` is still running (`idempotency-key-in-use`, `Retry-After: 1`).');
    add(422, 'The `Idempotency-Key` was used for a different request (`idempotency-key-reused`).');
    addHeaders(409, { 'Retry-After': header('Retry-After') });
  }
  if (spec.rateLimited) {
    add(429, `Over the \`${spec.rateLimited}\` rate limit (\`too-many-requests\`); retry after \`Retry-After\` seconds.`);
    addHeaders(429, { 'Retry-After': header('Retry-After', { required: true, description: 'Seconds until the window ends' }) });
  }

  const responses: Record<string, Response> = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    const extra: Record<string, Header | Reference> = { 'X-Request-Id': header('X-Request-Id') };
    if (spec.idempotent && status.startsWith('2')) extra['Idempotent-Replayed'] = header('Idempotent-Replayed');
    responses[status] = { ...response, headers: { ...response.headers, ...extra } };
  }
  for (const status of [...reasons.keys()].sort((a, b) => a - b)) {
    // A 4xx answer of the route's own work is recorded against an Idempotency-Key and replayed
    // too; not the transient ones, nor those of the middleware in front (401, 413, 415) or of the key (422).
    const replayable = spec.idempotent && status >= 400 && status < 500 && ![401, 408, 409, 413, 415, 422, 423, 425, 429].includes(status);
    const extra: Record<string, Header | Reference> = replayable ? { 'Idempotent-Replayed': header('Idempotent-Replayed') } : {};
    responses[String(status)] = problem(status, reasons.get(status)!, { ...headers.get(status), ...extra });
  }

  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    security: spec.security ?? SECURITY[spec.access],
    ...(parameters.length ? { parameters } : {}),
    ...(spec.requestBody ? { requestBody: spec.requestBody } : {}),
    responses,
  };
}
