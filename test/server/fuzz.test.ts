/**
 * Fuzzing the HTTP API (issue 9, part 4): every route the app's Koa routers define — found by
 * walking the routers, so routes added later are fuzzed without touching this file — gets bad
 * requests: wrong JSON types, malformed JSON, huge strings up to and over the body limit, deep
 * nesting, lone surrogates, NUL, emoji, bidi marks, 1e309 and -0, extra and hostile keys, odd
 * content types, odd path parameters and query strings; anonymously and as a citizen, an
 * official and an admin. Every answer must be below 500, a problem+json when it is an error,
 * and come at all (no speed target here: those live in bench/; a request still unanswered after
 * HANG_MS counts as a hang); afterwards the server is healthy and the audit chain whole.
 * Bodies come from the seeded generator (PROPERTY_SEED=<n> replays; FUZZ_CASES scales).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { Random, EDGE_STRINGS, propertySeed } from '../helpers/random.ts';
import { discoverRoutes, type Route } from '../helpers/routes.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { createInvite } from '../../server/services/invites.ts';
import { verifyAudit } from '../../server/services/audit.ts';
import { jmbgControlDigit } from '../../components/core/forms/validators.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const RANDOM_BODIES = Number(process.env.FUZZ_CASES ?? 12);
/** A hang guard, not a speed target: generous, so that a loaded machine is not taken for a hang. */
const HANG_MS = 30_000;
const CONCURRENCY = 8;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Field names our request bodies use, to aim generated objects at the validators behind them. */
const FIELD_NAMES = [
  'displayName', 'inviteCode', 'flowId', 'credential', 'formId', 'formVersion', 'data', 'attachments', 'signatureId', 'subject',
  'action', 'decision', 'comment', 'reason', 'to', 'from', 'until', 'startsAt', 'endsAt', 'toUserId', 'userId', 'agencyId',
  'recipients', 'code', 'pdf', 'id', 'type', 'response', 'rawId', 'clientDataJSON', 'authenticatorData', 'signature',
];

const nest = (depth: number, open: string, close: string, inner = '1') => open.repeat(depth) + inner + close.repeat(depth);

interface Body {
  label: string;
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

/** The fixed part of the corpus: the same for every write route. */
function fixedBodies(): Body[] {
  const json = (label: string, raw: string | Buffer): Body => ({ label, raw, contentType: 'application/json' });
  const bodies: Body[] = [
    json('null', 'null'), json('array', '[]'), json('string', '"s"'), json('number', '0'), json('true', 'true'), json('empty object', '{}'),
    json('array of objects', '[{}]'), json('empty body', ''), json('whitespace', ' \n\t '),
    json('truncated', '{"a":'), json('trailing comma', '[1,]'), json('extra brace', '{"a":1}}'), json('bare word', 'nul'),
    json('single quotes', "{'a':1}"), json('NUL byte', '\u0000'), json('BOM', '\ufeff{}'),
    json('invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
    json('overlong UTF-8', Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d])),
    json('lone high surrogate', '{"a":"\\ud800"}'), json('lone low surrogate key', '{"\\udc00":1}'), json('NUL escape', '{"a":"\\u0000"}'),
    json('1e309', '{"n":1e309,"formVersion":1e309,"limit":1e309}'), json('-1e309', '[-1e309]'), json('-0', '{"formVersion":-0,"n":-0}'),
    json('1e-400', '{"n":1e-400}'), json('huge integer', '{"formVersion":123456789012345678901234567890}'),
    json('almost one', '{"formVersion":1.0000000000000002}'), json('duplicate keys', '{"a":1,"a":2}'),
    json('__proto__', '{"__proto__":{"admin":true,"kind":"admin"},"constructor":{"prototype":{"x":1}}}'),
    json('nesting 63', nest(63, '[', ']')), json('nesting 64', nest(64, '[', ']')), json('nesting 65', nest(65, '[', ']')),
    json('nesting 65 objects', nest(65, '{"a":', '}')), json('nesting 100000', nest(100_000, '[', ']')),
    json('string just under the limit', JSON.stringify({ displayName: 'x'.repeat(250_000) })),
    json('string over the limit', JSON.stringify({ displayName: 'x'.repeat(300_000) })),
    json('emoji string near the limit', JSON.stringify({ data: { firstName: '😀'.repeat(60_000) } })),
    json('huge key', JSON.stringify({ ['k'.repeat(200_000)]: 1 })),
    json('20000 keys', JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])))),
    json('50000 numbers', JSON.stringify({ attachments: Array.from({ length: 50_000 }, (_, i) => i) })),
    json('edge strings everywhere', JSON.stringify(Object.fromEntries(FIELD_NAMES.map((k, i) => [k, EDGE_STRINGS[i % EDGE_STRINGS.length]])))),
    json('bidi and NUL in keys', JSON.stringify({ 'for\u202emId': 1, 'a\u0000b': 2, '\u200f': 3 })),
    { label: 'text/plain', raw: '{}', contentType: 'text/plain' },
    { label: 'form-urlencoded', raw: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
    { label: 'multipart without boundary', raw: 'x', contentType: 'multipart/form-data' },
    { label: 'json latin1', raw: Buffer.from('{"displayName":"\xe9"}', 'latin1'), contentType: 'application/json; charset=latin1' },
    { label: 'json utf-16', raw: Buffer.from('{"a":1}', 'utf16le'), contentType: 'application/json; charset=utf-16' },
    { label: 'json gzip claimed', raw: '{}', contentType: 'application/json', headers: { 'Content-Encoding': 'gzip' } },
    { label: 'no content type', raw: '{"a":1}' },
    { label: 'no body' },
    { label: 'odd preconditions', raw: '{}', contentType: 'application/json', headers: { 'If-Match': '"99999999999999999999"', 'Idempotency-Key': 'k'.repeat(201) } },
    { label: 'odd preconditions 2', raw: '{}', contentType: 'application/json', headers: { 'If-Match': 'W/"-1"', 'Idempotency-Key': ' ' } },
  ];
  return bodies;
}

/** One body per known field name: that field with a wrong value (a different one for each field), the rest of the wrong values beside it. */
function fieldBodies(): Body[] {
  const badValues = ['null', '1e309', '-0', '[]', '{}', '""', '"\\u0000"', '"😀"', '"\\u202e"', 'true', '123456789012345678901', '{"$gt":""}', '"\\ud800"', JSON.stringify('x'.repeat(70_000))];
  return FIELD_NAMES.map((field, f) => ({
    label: `${field} wrong types`,
    contentType: 'application/json',
    raw: `{${badValues.map((_, i) => `"${i === 0 ? field : `${field}${i}`}":${badValues[(i + f) % badValues.length]}`).join(',')}}`,
  }));
}

/** Generated bodies, different per route and identity, the same for a seed. */
function randomBodies(r: Random): Body[] {
  const out: Body[] = [];
  for (let i = 0; i < RANDOM_BODIES; i++) {
    let value: unknown;
    if (r.bool(0.5)) {
      value = r.json(r.int(0, 6), { loneSurrogates: r.bool(0.2), maxItems: 8 });
    } else {
      const o: Record<string, unknown> = {};
      for (const k of r.shuffle(FIELD_NAMES).slice(0, r.int(1, 6))) o[k] = r.bool(0.7) ? r.json(r.int(0, 3), { loneSurrogates: r.bool(0.1) }) : r.string({ maxLength: r.pick([10, 200, 5000]) });
      value = o;
    }
    out.push({ label: `random ${i}`, raw: JSON.stringify(value), contentType: 'application/json' });
  }
  return out;
}

const QUERY_NAMES = ['limit', 'cursor', 'version', 'q', 'status', 'formId', 'from', 'to', 'assigned', 'subjectType', 'subjectId', 'actor', 'role', 'since', 'lang'];
const QUERY_VALUES = ['', '0', '-1', '1e309', 'NaN', '99999999999999999999', '1.5', '%00', '%F0%9F%98%80', '%E2%80%AE', 'x'.repeat(5000), '%ZZ', '%D8%00', '[]', 'null', '..%2F..', '%C0%AF'];
const PARAM_VALUES = ['%00', '%F0%9F%98%80', '%E2%80%AE', '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(300), '%ZZ', '%D8%00', '%C0%AF', '-0', '1e309', ' '];

let server: TestServer;
let identities: { name: string; token?: string }[];
let applicationId: string;
let submittedId: string;

before(async () => {
  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES, OVERA_RATE_LIMIT_SIGN_IN: '1000000/60', OVERA_RATE_LIMIT_SIGN_UP: '1000000/60', OVERA_RATE_LIMIT_UPLOADS: '1000000/60', OVERA_RATE_LIMIT_VERIFY: '1000000/60' });
  await seedDemo(server.db, Date.now());
  const invite = (kind: 'official' | 'admin') => createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk', 'head'], kind }, Date.now());
  const citizen: Account = await registerAccount(server, 'Fuzz Citizen');
  const official: Account = await registerAccount(server, 'Fuzz Official', await invite('official'));
  const admin: Account = await registerAccount(server, 'Fuzz Admin', await invite('admin'));
  identities = [{ name: 'anonymous' }, { name: 'citizen', token: citizen.token }, { name: 'official', token: official.token }, { name: 'admin', token: admin.token }];
  const base = '010199071000';
  const app = (body: unknown) => server.api<{ id: string }>('POST', '/api/v1/applications', { token: citizen.token, body });
  const residence = { formId: 'certificate-of-residence', formVersion: 1, data: { firstName: 'Ana', lastName: 'Anić', jmbg: base + jmbgControlDigit(base), street: 'Bulevar 1', place: 'Novi Primer', postalCode: '21000', purpose: 'employment', delivery: 'online' } };
  applicationId = (await app(residence)).body.id;
  submittedId = (await app(residence)).body.id;
  assert.equal((await server.api('POST', `/api/v1/applications/${submittedId}/submit`, { token: citizen.token, body: {} })).status, 200);
});
after(() => server.close());

interface Outcome {
  what: string;
  status: number;
  ms: number;
  problem?: string;
}

async function send(method: string, path: string, body: Body | undefined, token: string | undefined): Promise<Outcome> {
  const headers: Record<string, string> = { ...body?.headers };
  if (body?.contentType) headers['Content-Type'] = body.contentType;
  if (token) headers.Authorization = `Bearer ${token}`;
  const what = `${method} ${path.length > 120 ? `${path.slice(0, 120)}…` : path} [${body?.label ?? 'no body'}]`;
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(server.url + path, { method, headers, body: body?.raw === undefined ? undefined : new Uint8Array(Buffer.from(body.raw)), signal: AbortSignal.timeout(HANG_MS) });
  } catch (err) {
    // No answer at all (or not in time): a hang or a crash.
    return { what, status: 599, ms: performance.now() - started, problem: `no answer: ${(err as Error).message}` };
  }
  let problem: string | undefined;
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    await res.body?.cancel();
  } else {
    const text = await res.text().catch((err: Error) => `<<body failed: ${err.message}>>`);
    if (res.status >= 400 && !(res.headers.get('content-type') ?? '').startsWith('application/problem+json')) problem = `error without problem+json: ${text.slice(0, 200)}`;
    if (res.status >= 500) problem = text.slice(0, 300);
  }
  return { what, status: res.status, ms: performance.now() - started, ...(problem ? { problem } : {}) };
}

/** Runs `jobs` CONCURRENCY at a time. */
async function pool<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  }));
  return out;
}

/** Concrete paths for a route: its parameters filled with real ids, unknown ids and hostile strings. */
function pathsFor(route: Route, r: Random): string[] {
  if (!route.path.includes(':')) return [route.path];
  const fill = (value: () => string) => route.path.replace(/:(\w+)/g, () => value());
  const real = /applications|cases/.test(route.path) ? [applicationId, submittedId] : [];
  return [
    ...real.map((id) => fill(() => id)),
    fill(() => randomUUID()),
    ...r.shuffle(PARAM_VALUES).slice(0, 4).map((v) => fill(() => v)),
  ];
}

function queriesFor(r: Random): string[] {
  const out = ['', '?limit=1&limit=2', `?${QUERY_NAMES.map((n) => `${n}=`).join('&')}`];
  for (let i = 0; i < 8; i++) {
    const parts = r.shuffle(QUERY_NAMES).slice(0, r.int(1, 4)).map((n) => `${n}=${r.pick(QUERY_VALUES)}`);
    out.push(`?${parts.join('&')}`);
  }
  return out;
}

test('every route answers bad requests with a 4xx problem, never a 5xx, never a hang', { timeout: 600_000 }, async (ctx) => {
  const routes = discoverRoutes(server.app);
  // The walk must find the routes we know of, or it would quietly fuzz nothing.
  for (const known of ['POST /api/v1/applications', 'POST /api/v1/auth/register/options', 'PUT /api/v1/applications/:id', 'GET /api/v1/audit', 'POST /api/v1/uploads']) {
    assert.ok(routes.some((r) => `${r.method} ${r.path}` === known), `route discovery missed ${known}`);
  }
  // Sign-out last: it ends the session the later requests use.
  routes.sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
  const writes = routes.filter((r) => WRITE_METHODS.has(r.method));
  const reads = routes.filter((r) => r.method === 'GET');
  ctx.diagnostic(`${routes.length} routes (${writes.length} writes, ${reads.length} reads): ${routes.map((r) => `${r.method} ${r.path}`).join(', ')}`);

  const fixed = fixedBodies();
  const perField = fieldBodies();
  const started = Date.now();
  const outcomes: Outcome[] = [];
  for (const [who, identity] of identities.entries()) {
    const r = new Random(propertySeed() + who);
    const [regular, last] = [routes.filter((x) => !x.path.endsWith('/logout')), routes.filter((x) => x.path.endsWith('/logout'))];
    for (const group of [regular, last]) {
      const jobs: (() => Promise<Outcome>)[] = [];
      for (const route of group) {
        const paths = pathsFor(route, r);
        if (WRITE_METHODS.has(route.method)) {
          // Anonymous requests stop at sign-in: the body parser is what they reach, not the fields.
          const bodies = [...fixed, ...(identity.token ? perField : []), ...randomBodies(r)];
          for (const body of bodies) jobs.push(() => send(route.method, r.pick(paths), body, identity.token));
          for (const path of paths) jobs.push(() => send(route.method, path, { label: 'empty object', raw: '{}', contentType: 'application/json' }, identity.token));
        } else if (route.method === 'GET') {
          for (const path of paths) for (const q of queriesFor(r)) jobs.push(() => send('GET', path + q, undefined, identity.token));
        }
      }
      outcomes.push(...(await pool(jobs)));
    }
  }
  const slowest = outcomes.reduce((a, b) => (b.ms > a.ms ? b : a));
  const byStatus = new Map<number, number>();
  for (const o of outcomes) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
  ctx.diagnostic(`${outcomes.length} requests in ${Date.now() - started} ms; statuses ${JSON.stringify(Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])))}; slowest ${Math.round(slowest.ms)} ms: ${slowest.what}`);

  const failures = outcomes.filter((o) => o.status >= 500 || o.problem !== undefined);
  // One line per kind of failure (route and body), so a new one is not lost among repeats.
  const kinds = new Map<string, string>();
  for (const f of failures) kinds.set(`${f.status} ${f.what.replace(/\/[^/ ]{30,}/g, '/…')}`, f.problem ?? `${Math.round(f.ms)} ms`);
  assert.deepEqual([...kinds].slice(0, 30).map(([k, v]) => `${k}: ${v.slice(0, 160)}`), [], `${failures.length} failures, ${kinds.size} kinds`);

  // Still healthy, and nothing that got through broke the audit chain.
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  const chain = await verifyAudit(server.db);
  assert.equal(chain.ok, true, JSON.stringify(chain.problems.slice(0, 5)));
});
