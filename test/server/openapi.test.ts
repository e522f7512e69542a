/**
 * The HTTP API as OpenAPI 3.1 (issue 8): the document (server/openapi/) is a well-formed
 * OpenAPI 3.1 document whose schemas compile with Ajv2020 in strict mode; it lists exactly the
 * routes the Koa routers have; and real answers match it — a tour of the API against a real
 * server (passkeys by SoftAuthenticator, the example forms, a document issued and verified),
 * with its errors, where every answer's status, content type, body and required headers are
 * checked against the document's operation (an undocumented status is a failure).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startTestServer, TEST_ORIGIN, type TestServer } from '../helpers/test-server.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { discoverRoutes } from '../helpers/routes.ts';
import { OpenApiChecker, checkAgainstOpenApi, serverOpenApi } from '../helpers/openapi.ts';
import { samplePdf, samplePng } from '../helpers/files.ts';
import { openApiDocument } from '../../server/openapi/document.ts';
import { createInvite } from '../../server/services/invites.ts';
import { issueRecoveryCode } from '../../server/services/account-recovery.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { agencies } from '../../server/db/agencies.ts';
import { ensureDemoKeys } from '../../server/documents/keys.ts';
import type { User } from '../../components/core/user.ts';
import type { ApplicationView, CaseView, DelegationView } from '../../components/core/api.ts';
import type { DocumentView } from '../../components/core/documents.ts';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { residence } from '../helpers/sample-data.ts';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { createOutboxWorker } from '../../server/services/outbox.ts';
import { webhookHandler } from '../../server/services/webhooks.ts';
import { loadSeal, sealChainPath } from '../../server/documents/keys.ts';
import { signDetached } from '../../server/documents/exchange-cms.ts';
import { addPartner } from '../../server/services/partners.ts';
import { canonicalJson, type JsonValue } from '../../components/core/canonical-json.ts';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const DAY = 24 * 3600_000;
const OTHER_AGENCY = { id: 'drugi-grad', name: 'Gradska uprava Drugi Grad' };

// ---------------------------------------------------------------------------------------------
// The tour's one way of calling the server: every answer is checked against the document.

interface Call {
  method: string;
  /** The document's path template, e.g. `/api/v1/applications/{id}`. */
  path: string;
  params?: Record<string, string>;
  query?: string;
  token?: string;
  /** JSON body. */
  body?: unknown;
  /** Any other body, with `contentType`. */
  raw?: string | Uint8Array | FormData;
  contentType?: string;
  headers?: Record<string, string>;
}

interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
  bytes: Uint8Array;
}

let server: TestServer;
/** `METHOD template` → statuses seen on the tour. */
const toured = new Map<string, Set<number>>();

async function call<T = Record<string, unknown>>(c: Call): Promise<Answer<T>> {
  let url = c.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(c.params?.[name] ?? assert.fail(`no value for {${name}}`)));
  if (c.query) url += `?${c.query}`;
  const headers: Record<string, string> = { ...c.headers };
  let body: BodyInit | undefined;
  if (c.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = JSON.stringify(c.body);
  } else if (c.raw !== undefined) {
    body = c.raw as BodyInit;
    if (c.contentType) headers['Content-Type'] = c.contentType;
  }
  if (c.token) headers.Authorization = `Bearer ${c.token}`;
  // fetch adds `Cache-Control: no-cache` to a conditional request unless it has one, and the server then never says 304.
  if (headers['If-None-Match']) headers['Cache-Control'] ??= 'max-age=0';
  const res = await fetch(server.url + url, { method: c.method, headers, body });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const type = res.headers.get('content-type');
  const text = () => new TextDecoder().decode(bytes);
  const parsed: unknown = bytes.length === 0 ? undefined : /[/+]json\b/.test(type ?? '') ? JSON.parse(text()) : /^(text\/|application\/x-pem-file)/.test(type ?? '') ? text() : bytes;
  checkAgainstOpenApi(c.method, c.path, res.status, parsed, type, res.headers);
  const key = `${c.method.toUpperCase()} ${c.path}`;
  toured.set(key, (toured.get(key) ?? new Set()).add(res.status));
  return { status: res.status, headers: res.headers, body: parsed as T, bytes };
}

/** A call that must answer `status` (the body is in the message otherwise). */
async function expect<T = Record<string, unknown>>(status: number, c: Call): Promise<Answer<T>> {
  const answer = await call<T>(c);
  assert.equal(answer.status, status, `${c.method} ${c.path}: ${JSON.stringify(answer.body)?.slice(0, 1000)}`);
  return answer;
}

interface Person {
  user: User;
  token: string;
  authenticator: SoftAuthenticator;
}

/** Sign-up through the documented routes. */
async function register(displayName: string, inviteCode?: string): Promise<Person> {
  const authenticator = new SoftAuthenticator(TEST_ORIGIN);
  const options = await expect<{ flowId: string; publicKey: PublicKeyCredentialCreationOptionsJSON }>(200, {
    method: 'POST', path: '/api/v1/auth/register/options', body: inviteCode ? { displayName, inviteCode } : { displayName },
  });
  const credential = await authenticator.create(options.body.publicKey);
  const session = await expect<{ token: string; user: User }>(201, { method: 'POST', path: '/api/v1/auth/register/verify', body: { flowId: options.body.flowId, credential } });
  return { ...session.body, authenticator };
}

/** A passkey signature through the documented routes. */
async function sign(who: Person, subject: { type: string; id: string }, action: string, context?: unknown): Promise<string> {
  const options = await expect<{ flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }>(200, {
    method: 'POST', path: '/api/v1/signatures/options', token: who.token, body: context === undefined ? { subject, action } : { subject, action, context },
  });
  const credential = await who.authenticator.get(options.body.publicKey);
  return (await expect<{ id: string }>(201, { method: 'POST', path: '/api/v1/signatures', token: who.token, body: { flowId: options.body.flowId, credential } })).body.id;
}

let ana: Person; // citizen
let boris: Person; // citizen
let clerk: Person;
let clerk2: Person;
let head: Person;
let admin: Person;
let receiver: Person; // an official of another agency

before(async () => {
  // A small sign-in budget, so that the tour can reach its 429.
  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES, OVERA_RATE_LIMIT_SIGN_IN: '6/3600', OVERA_WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64') });
  const now = Date.now();
  await seedDemo(server.db, now);
  await agencies.upsert(server.db, { ...OTHER_AGENCY, created_at: now });
  await ensureDemoKeys(server.config, [DEMO_AGENCY]);
  const invite = (roles: string[], kind: 'official' | 'admin' = 'official') => createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles, kind }, now);
  ana = await register('Ana Anić');
  boris = await register('Борис Ђорђевић');
  clerk = await register('Petar Službenik', await invite(['clerk']));
  clerk2 = await register('Jelena Referent', await invite(['clerk']));
  head = await register('Milan Načelnik', await invite(['head']));
  admin = await register('Vesna Administrator', await invite([], 'admin'));
  receiver = await register('Olga Drugić', await createInvite(server.db, { agencyId: OTHER_AGENCY.id, roles: ['clerk'] }, now));
});
after(() => server.close());

// ---------------------------------------------------------------------------------------------

describe('the document', () => {
  test('is OpenAPI 3.1: its structure, every $ref resolves, every schema compiles with Ajv2020 (strict)', () => {
    const checker = serverOpenApi();
    assert.deepEqual(checker.structureProblems(), []);
    assert.deepEqual(checker.unresolvedRefs(), []);
    const failures: string[] = [];
    const schemas = checker.schemas();
    for (const { where, schema } of schemas) {
      try {
        checker.validator(schema);
      } catch (err) {
        failures.push(`${where}: ${(err as Error).message}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(schemas.length > 100, `${schemas.length} schemas`);
    const doc = openApiDocument();
    // Every operation answers problems as the shared Problem schema, and every answer carries X-Request-Id.
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op!.responses)) {
          const where = `${method.toUpperCase()} ${path} ${status}`;
          assert.ok(response.headers?.['X-Request-Id'], `${where}: X-Request-Id`);
          if (Number(status) >= 400 && path !== '/healthz') assert.deepEqual(response.content, { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }, where);
        }
        if (op!.requestBody?.content['application/json'] && method !== 'get') assert.ok(op!.responses['415'], `${where(method, path)}: 415`);
      }
    }
  });

  test('the checks catch a broken document and a wrong answer', () => {
    const broken = structuredClone(openApiDocument()) as unknown as { paths: Record<string, Record<string, Record<string, unknown>>>; [k: string]: unknown };
    broken.openapi = '3.0.3';
    broken.paths['/api/v1/me']!.get!.responses = {};
    broken.paths['/api/v1/forms/{id}']!.get!.parameters = [];
    (broken.paths['/api/v1/trust']!.get! as { tags: string[] }).tags = ['nonesuch'];
    (broken.paths['/api/v1/audit']!.get!.responses as Record<string, unknown>)['2xx'] = { description: 'x', content: { 'application/json': { schema: { $ref: '#/components/schemas/Nonesuch' } } } };
    const checker = new OpenApiChecker(broken);
    const problems = checker.structureProblems().join('\n');
    for (const expected of ['is not 3.1.x', 'GET /api/v1/me: no responses', '{id} has no path parameter', 'tag "nonesuch"', '2xx: not a status code']) {
      assert.ok(problems.includes(expected), `${expected} in\n${problems}`);
    }
    assert.deepEqual(checker.unresolvedRefs(), ['#/paths/~1api~1v1~1audit/get/responses/2xx/content/application~1json/schema: #/components/schemas/Nonesuch']);

    const real = serverOpenApi();
    assert.match(real.check('GET', '/api/v1/me', 418, {}, 'application/json').join(), /status not documented/);
    assert.match(real.check('GET', '/api/v1/me', 200, { user: { id: 'x' } }, 'application/json').join(), /does not match/);
    assert.match(real.check('GET', '/api/v1/me', 200, { user: { id: 'x', displayName: 'X', kind: 'citizen', roles: [] } }, 'text/html').join(), /content type/);
    assert.match(real.check('GET', '/api/v1/me', 401, { type: 'https://overa.dev/problems/unauthorized', title: 'x', status: 401 }, 'application/problem+json', new Headers()).join(), /X-Request-Id is missing/);
    assert.match(real.check('PATCH', '/api/v1/me', 200, {}, 'application/json').join(), /no such operation/);
  });

  test('lists exactly the routes of the Koa routers', () => {
    const routes = new Set(discoverRoutes(server.app).map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`));
    const documented = new Set(documentedOperations(openApiDocument()));
    assert.deepEqual([...routes].filter((r) => !documented.has(r)), [], 'routes the document does not have');
    assert.deepEqual([...documented].filter((r) => !routes.has(r)), [], 'operations with no route');
  });

  test('is served at /api/v1/openapi.json: public, cacheable, the same document', async () => {
    const res = await expect<{ openapi: string }>(200, { method: 'GET', path: '/api/v1/openapi.json' });
    assert.deepEqual(res.body, JSON.parse(JSON.stringify(openApiDocument())));
    assert.match(res.headers.get('cache-control') ?? '', /public, max-age=\d+/);
    const etag = res.headers.get('etag');
    assert.ok(etag);
    await expect(304, { method: 'GET', path: '/api/v1/openapi.json', headers: { 'If-None-Match': etag } });
    // CORS for the embedding origins: a client generator on their site can read it.
    const cors = await fetch(`${server.url}/api/v1/openapi.json`, { headers: { Origin: TEST_ORIGIN } });
    assert.equal(cors.headers.get('access-control-allow-origin'), TEST_ORIGIN);
  });
});

// ---------------------------------------------------------------------------------------------

describe('real answers match the document', () => {
  let draftId: string;
  let caseId: string;
  let uploadId: string;
  let documentId: string;
  let verificationCode: string;
  let pdf: Uint8Array;

  test('health, accounts and sessions', async () => {
    await expect(200, { method: 'GET', path: '/healthz' });
    await expect(400, { method: 'POST', path: '/api/v1/auth/register/options', body: { displayName: '' } });
    await expect(400, { method: 'POST', path: '/api/v1/auth/register/options', body: { displayName: 'X', inviteCode: 'AAAA-AAAA-AAAA-AAAA' } });
    await expect(400, { method: 'POST', path: '/api/v1/auth/register/options', body: { name: 'X' } });
    await expect(400, { method: 'POST', path: '/api/v1/auth/register/verify', body: { flowId: 'nonesuch', credential: {} } });

    // Sign in again with Ana's passkey: a second session.
    const options = await expect<{ flowId: string; publicKey: PublicKeyCredentialRequestOptionsJSON }>(200, { method: 'POST', path: '/api/v1/auth/login/options', body: {} });
    const credential = await ana.authenticator.get(options.body.publicKey);
    const session = await expect<{ token: string; user: User }>(200, { method: 'POST', path: '/api/v1/auth/login/verify', body: { flowId: options.body.flowId, credential } });
    assert.equal(session.body.user.id, ana.user.id);
    // The flow is single-use.
    await expect(400, { method: 'POST', path: '/api/v1/auth/login/verify', body: { flowId: options.body.flowId, credential } });

    const me = await expect<{ user: User }>(200, { method: 'GET', path: '/api/v1/me', token: session.body.token });
    assert.equal(me.body.user.displayName, 'Ana Anić');
    await expect(200, { method: 'GET', path: '/api/v1/me', token: admin.token });
    await expect(401, { method: 'GET', path: '/api/v1/me' });
    await expect(401, { method: 'GET', path: '/api/v1/me', token: 'x'.repeat(43) });
    await expect(401, { method: 'GET', path: '/api/v1/me', headers: { Authorization: 'Basic dTpw' } });
    await expect(400, { method: 'GET', path: '/api/v1/me', query: 'x=%00', token: ana.token });
    await expect(204, { method: 'POST', path: '/api/v1/auth/logout', token: session.body.token });
    await expect(401, { method: 'GET', path: '/api/v1/me', token: session.body.token });
    await expect(401, { method: 'POST', path: '/api/v1/auth/logout' });

    // My passkeys: a second device added to Boris's account, listed, removed; his last one stays.
    const passkeyOptions = await expect<{ flowId: string; publicKey: PublicKeyCredentialCreationOptionsJSON }>(200, { method: 'POST', path: '/api/v1/me/passkeys/options', token: boris.token, body: {} });
    const device = new SoftAuthenticator(TEST_ORIGIN);
    const added = await expect<{ id: string }>(201, {
      method: 'POST', path: '/api/v1/me/passkeys', token: boris.token,
      body: { flowId: passkeyOptions.body.flowId, credential: await device.create(passkeyOptions.body.publicKey) },
    });
    await expect(400, { method: 'POST', path: '/api/v1/me/passkeys', token: boris.token, body: { flowId: passkeyOptions.body.flowId } });
    const listed = await expect<{ items: { id: string }[] }>(200, { method: 'GET', path: '/api/v1/me/passkeys', token: boris.token });
    assert.equal(listed.body.items.length, 2);
    await expect(401, { method: 'GET', path: '/api/v1/me/passkeys' });
    await expect(404, { method: 'DELETE', path: '/api/v1/me/passkeys/{id}', params: { id: added.body.id }, token: ana.token });
    await expect(204, { method: 'DELETE', path: '/api/v1/me/passkeys/{id}', params: { id: added.body.id }, token: boris.token });
    await expect(409, { method: 'DELETE', path: '/api/v1/me/passkeys/{id}', params: { id: boris.authenticator.id }, token: boris.token });

    // E-mail (this server has no SMTP: not offered; test/server/mail.test.ts has it with a real one).
    const meMail = await expect<{ mail: { offered: boolean } }>(200, { method: 'GET', path: '/api/v1/me', token: boris.token });
    assert.equal(meMail.body.mail.offered, false);
    await expect(400, { method: 'PUT', path: '/api/v1/me/email', token: boris.token, body: { address: 'boris@example.rs' } });
    await expect(503, { method: 'PUT', path: '/api/v1/me/email', token: boris.token, body: { address: 'boris@example.rs', lang: 'sr-Latn' } });
    await expect(503, { method: 'POST', path: '/api/v1/me/email/confirm', token: boris.token, body: { code: '123456' } });
    await expect(400, { method: 'PUT', path: '/api/v1/me/email/notifications', token: boris.token, body: { notifications: 'yes' } });
    await expect(503, { method: 'PUT', path: '/api/v1/me/email/notifications', token: boris.token, body: { notifications: false } });
    await expect(204, { method: 'DELETE', path: '/api/v1/me/email', token: boris.token });
    await expect(404, { method: 'GET', path: '/api/v1/mail/unsubscribe', query: 'token=nonesuch' });
    await expect(404, { method: 'POST', path: '/api/v1/mail/unsubscribe', query: 'token=nonesuch' });
    await expect(400, { method: 'POST', path: '/api/v1/mail/unsubscribe' });

    // Every passkey lost: the agency's recovery code registers a new one for the old account.
    const lost = await register('Milan Izgubljeni');
    const { code } = await issueRecoveryCode(server.db, { userId: lost.user.id }, Date.now());
    await expect(400, { method: 'POST', path: '/api/v1/auth/recover/options', body: { recoveryCode: 'AAAA-AAAA-AAAA-AAAA' } });
    const recoverOptions = await expect<{ flowId: string; publicKey: PublicKeyCredentialCreationOptionsJSON }>(200, { method: 'POST', path: '/api/v1/auth/recover/options', body: { recoveryCode: code } });
    await expect(400, { method: 'POST', path: '/api/v1/auth/recover/verify', body: { flowId: 'nonesuch', credential: {} } });
    const replaced = await issueRecoveryCode(server.db, { userId: lost.user.id }, Date.now());
    await expect(409, {
      method: 'POST', path: '/api/v1/auth/recover/verify',
      body: { flowId: recoverOptions.body.flowId, credential: await new SoftAuthenticator(TEST_ORIGIN).create(recoverOptions.body.publicKey) },
    });
    const again = await expect<{ flowId: string; publicKey: PublicKeyCredentialCreationOptionsJSON }>(200, { method: 'POST', path: '/api/v1/auth/recover/options', body: { recoveryCode: replaced.code } });
    const back = await expect<{ user: User }>(201, {
      method: 'POST', path: '/api/v1/auth/recover/verify',
      body: { flowId: again.body.flowId, credential: await new SoftAuthenticator(TEST_ORIGIN).create(again.body.publicKey) },
    });
    assert.equal(back.body.user.id, lost.user.id);
  });

  test('forms', async () => {
    const list = await expect<{ forms: { id: string; audience: string }[] }>(200, { method: 'GET', path: '/api/v1/forms' });
    assert.ok(list.body.forms.some((f) => f.id === 'certificate-of-residence'));
    assert.ok(!list.body.forms.some((f) => f.audience === 'internal'));
    const official = await expect<{ forms: { id: string; audience: string }[] }>(200, { method: 'GET', path: '/api/v1/forms', token: clerk.token });
    assert.ok(official.body.forms.some((f) => f.audience === 'internal'));
    // Every definition, as served, matches the form definition format's schema.
    for (const f of official.body.forms) await expect(200, { method: 'GET', path: '/api/v1/forms/{id}', params: { id: f.id }, token: clerk.token });
    await expect(200, { method: 'GET', path: '/api/v1/forms/{id}', params: { id: 'certificate-of-residence' }, query: 'version=1' });
    await expect(400, { method: 'GET', path: '/api/v1/forms/{id}', params: { id: 'certificate-of-residence' }, query: 'version=first' });
    await expect(404, { method: 'GET', path: '/api/v1/forms/{id}', params: { id: 'nonesuch' } });
    await expect(404, { method: 'GET', path: '/api/v1/forms/{id}', params: { id: 'internal-memo' } });
    await expect(401, { method: 'GET', path: '/api/v1/forms', token: 'y'.repeat(43) });
  });

  test('uploads', async () => {
    const upload = async (bytes: Uint8Array, name: string, type: string, query?: string) => {
      const form = new FormData();
      form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), name);
      return call<{ id: string; sha256: string }>({ method: 'POST', path: '/api/v1/uploads', token: ana.token, raw: form, ...(query ? { query } : {}) });
    };
    const pdfUpload = await upload(samplePdf('plan'), 'plan.pdf', 'application/pdf');
    assert.equal(pdfUpload.status, 201);
    uploadId = pdfUpload.body.id;
    assert.equal((await upload(samplePng(), 'vlasnistvo.png', 'image/png')).status, 201);
    assert.equal((await upload(new TextEncoder().encode('just text'), 'notes.pdf', 'application/pdf')).status, 415);
    assert.equal((await upload(samplePdf('big'), 'big.pdf', 'application/pdf', 'maxSize=10')).status, 413);
    assert.equal((await upload(samplePdf(), 'x.pdf', 'application/pdf', 'maxSize=-1')).status, 400);
    await expect(415, { method: 'POST', path: '/api/v1/uploads', token: ana.token, raw: '{}', contentType: 'application/json' });
    await expect(401, { method: 'POST', path: '/api/v1/uploads', raw: '{}', contentType: 'application/json' });

    const got = await expect(200, { method: 'GET', path: '/api/v1/uploads/{id}', params: { id: uploadId }, token: ana.token });
    assert.equal(got.headers.get('content-type'), 'application/pdf');
    await expect(304, { method: 'GET', path: '/api/v1/uploads/{id}', params: { id: uploadId }, token: ana.token, headers: { 'If-None-Match': got.headers.get('etag')! } });
    await expect(404, { method: 'GET', path: '/api/v1/uploads/{id}', params: { id: uploadId }, token: boris.token });
  });

  test('applications and signatures', async () => {
    const key = crypto.randomUUID();
    const created = await expect<ApplicationView>(201, {
      method: 'POST', path: '/api/v1/applications', token: ana.token, headers: { 'Idempotency-Key': key },
      body: { formId: 'certificate-of-residence', formVersion: 1, data: residence({ firstName: 'Anna' }) },
    });
    draftId = created.body.id;
    const replay = await expect<ApplicationView>(201, {
      method: 'POST', path: '/api/v1/applications', token: ana.token, headers: { 'Idempotency-Key': key },
      body: { formId: 'certificate-of-residence', formVersion: 1, data: residence({ firstName: 'Anna' }) },
    });
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.equal(replay.body.id, draftId);
    await expect(422, { method: 'POST', path: '/api/v1/applications', token: ana.token, headers: { 'Idempotency-Key': key }, body: { formId: 'certificate-of-residence', formVersion: 1, data: {} } });
    await expect(400, { method: 'POST', path: '/api/v1/applications', token: ana.token, headers: { 'Idempotency-Key': 'not a key' }, body: { formId: 'certificate-of-residence', formVersion: 1, data: {} } });
    await expect(400, { method: 'POST', path: '/api/v1/applications', token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data: { jmbg: '123' }, color: 'red' } });
    await expect(403, { method: 'POST', path: '/api/v1/applications', token: ana.token, body: { formId: 'internal-memo', formVersion: 1, data: {} } });
    // A draft with attachments: the Attachment shape.
    const permit = await expect<ApplicationView>(201, {
      method: 'POST', path: '/api/v1/applications', token: ana.token,
      body: { formId: 'building-permit', formVersion: 1, data: { investorType: 'person', investorName: 'Ana Anić', projectDocumentation: [uploadId] } },
    });
    assert.equal(permit.body.attachments[0]?.id, uploadId);

    const updated = await expect<ApplicationView>(200, {
      method: 'PUT', path: '/api/v1/applications/{id}', params: { id: draftId }, token: ana.token, headers: { 'If-Match': created.headers.get('etag')! },
      body: { data: residence() },
    });
    assert.equal(updated.body.version, 2);
    await expect(412, { method: 'PUT', path: '/api/v1/applications/{id}', params: { id: draftId }, token: ana.token, headers: { 'If-Match': '"1"' }, body: { data: residence() } });
    await expect(400, { method: 'PUT', path: '/api/v1/applications/{id}', params: { id: draftId }, token: ana.token, headers: { 'If-Match': 'yesterday' }, body: { data: residence() } });
    await expect(404, { method: 'PUT', path: '/api/v1/applications/{id}', params: { id: draftId }, token: boris.token, body: { data: residence() } });

    await expect(200, { method: 'GET', path: '/api/v1/applications', token: ana.token });
    const firstPage = await expect<{ nextCursor: string | null }>(200, { method: 'GET', path: '/api/v1/applications', token: ana.token, query: 'limit=1' });
    assert.ok(firstPage.body.nextCursor);
    await expect(200, { method: 'GET', path: '/api/v1/applications', token: ana.token, query: `limit=1&cursor=${firstPage.body.nextCursor}` });
    await expect(400, { method: 'GET', path: '/api/v1/applications', token: ana.token, query: 'limit=0' });
    await expect(200, { method: 'GET', path: '/api/v1/applications/{id}', params: { id: draftId }, token: ana.token });
    await expect(404, { method: 'GET', path: '/api/v1/applications/{id}', params: { id: draftId }, token: boris.token });

    // Sign and submit.
    await expect(400, { method: 'POST', path: '/api/v1/signatures/options', token: ana.token, body: { subject: { type: 'horoscope', id: draftId }, action: 'submit' } });
    await expect(404, { method: 'POST', path: '/api/v1/signatures/options', token: boris.token, body: { subject: { type: 'application', id: draftId }, action: 'submit' } });
    await expect(400, { method: 'POST', path: '/api/v1/signatures', token: ana.token, body: { flowId: 'nonesuch', credential: { id: 'x', rawId: 'x', type: 'public-key', response: { clientDataJSON: 'x', authenticatorData: 'x', signature: 'x' } } } });
    const signatureId = await sign(ana, { type: 'application', id: draftId }, 'submit');
    const signature = await expect<{ evidence: { signer: { id: string } } }>(200, { method: 'GET', path: '/api/v1/signatures/{id}', params: { id: signatureId }, token: ana.token });
    assert.equal(signature.body.evidence.signer.id, ana.user.id);
    await expect(404, { method: 'GET', path: '/api/v1/signatures/{id}', params: { id: signatureId }, token: boris.token });

    const submitted = await expect<ApplicationView>(200, { method: 'POST', path: '/api/v1/applications/{id}/submit', params: { id: draftId }, token: ana.token, body: { signatureId } });
    assert.equal(submitted.body.status, 'submitted');
    caseId = draftId;
    await expect(409, { method: 'POST', path: '/api/v1/applications/{id}/submit', params: { id: draftId }, token: ana.token, body: {} });
    await expect(409, { method: 'PUT', path: '/api/v1/applications/{id}', params: { id: draftId }, token: ana.token, body: { data: residence() } });
    await expect(404, { method: 'POST', path: '/api/v1/applications/{id}/submit', params: { id: draftId }, token: boris.token });
    await expect(403, { method: 'POST', path: '/api/v1/signatures/options', token: ana.token, body: { subject: { type: 'application', id: draftId }, action: 'submit' } });
  });

  test('the approval: inbox, case, decisions, issuance', async () => {
    const inbox = await expect<{ items: { id: string; actionable: boolean }[] }>(200, { method: 'GET', path: '/api/v1/inbox', token: clerk.token, query: 'status=submitted,in_review&assigned=role' });
    assert.ok(inbox.body.items.find((i) => i.id === caseId)?.actionable);
    await expect(200, { method: 'GET', path: '/api/v1/inbox', token: clerk.token, query: 'q=ana&from=2020-01-01&limit=5' });
    await expect(400, { method: 'GET', path: '/api/v1/inbox', token: clerk.token, query: 'status=lost' });
    await expect(403, { method: 'GET', path: '/api/v1/inbox', token: ana.token });
    await expect(401, { method: 'GET', path: '/api/v1/inbox' });

    const seen = await expect<CaseView>(200, { method: 'GET', path: '/api/v1/cases/{id}', params: { id: caseId }, token: clerk.token });
    assert.deepEqual(seen.body.approvalLine.map((s) => s.state), ['pending', 'waiting']);
    await expect(403, { method: 'GET', path: '/api/v1/cases/{id}', params: { id: caseId }, token: ana.token });
    await expect(404, { method: 'GET', path: '/api/v1/cases/{id}', params: { id: 'nonesuch' }, token: clerk.token });

    const review = await sign(clerk, { type: 'decision', id: `${caseId}:review` }, 'review');
    const decisions = { method: 'POST', path: '/api/v1/cases/{id}/decisions', params: { id: caseId } } as const;
    await expect(428, { ...decisions, token: clerk.token, body: { step: 'review', decision: 'review', signatureId: review } });
    await expect(412, { ...decisions, token: clerk.token, headers: { 'If-Match': '"999"' }, body: { step: 'review', decision: 'review', signatureId: review } });
    await expect(400, { ...decisions, token: clerk.token, headers: { 'If-Match': seen.headers.get('etag')! }, body: { step: 'review', decision: 'maybe', signatureId: review } });
    await expect(403, { ...decisions, token: head.token, headers: { 'If-Match': seen.headers.get('etag')! }, body: { step: 'review', decision: 'review', signatureId: review } });
    await expect(409, { ...decisions, token: head.token, headers: { 'If-Match': seen.headers.get('etag')! }, body: { step: 'approve', decision: 'approve', signatureId: review } });
    const reviewed = await expect<CaseView>(200, { ...decisions, token: clerk.token, headers: { 'If-Match': seen.headers.get('etag')!, 'Idempotency-Key': crypto.randomUUID() }, body: { step: 'review', decision: 'review', signatureId: review } });
    assert.equal(reviewed.body.status, 'in_review');
    await expect(409, { ...decisions, token: clerk.token, headers: { 'If-Match': reviewed.headers.get('etag')! }, body: { step: 'review', decision: 'review', signatureId: review } });

    const approve = await sign(head, { type: 'decision', id: `${caseId}:approve` }, 'approve', { comment: 'U redu.' });
    const approved = await expect<CaseView>(200, { ...decisions, token: head.token, headers: { 'If-Match': reviewed.headers.get('etag')! }, body: { step: 'approve', decision: 'approve', comment: 'U redu.', signatureId: approve } });
    assert.equal(approved.body.status, 'issued');
    assert.ok(approved.body.approvalLine.every((s) => s.decision !== null));
    documentId = approved.body.documentId!;
    assert.ok(documentId);
    const mine = await expect<ApplicationView & { history: unknown[] }>(200, { method: 'GET', path: '/api/v1/applications/{id}', params: { id: caseId }, token: ana.token });
    assert.equal(mine.body.documentId, documentId);
    // The fee routes (their 200s are toured in test/server/fees.test.ts, on forms with a fee).
    const feePaid = { method: 'POST', path: '/api/v1/cases/{id}/fee-paid', params: { id: caseId } } as const;
    const feeUnpaid = { method: 'POST', path: '/api/v1/cases/{id}/fee-unpaid', params: { id: caseId } } as const;
    await expect(409, { ...feePaid, token: clerk.token, body: { statementReference: 'Izvod 1' } });
    await expect(400, { ...feePaid, token: clerk.token, body: { statementReference: 1 } });
    await expect(403, { ...feePaid, token: ana.token, body: {} });
    await expect(401, { ...feePaid, body: {} });
    await expect(409, { ...feeUnpaid, token: clerk.token, body: {} });
    await expect(400, { ...feeUnpaid, token: clerk.token, body: { why: 'x' } });
    await expect(404, { ...feeUnpaid, params: { id: 'nonesuch' }, token: clerk.token, body: {} });
  });

  test('documents, verification and trust', async () => {
    const doc = await expect<DocumentView>(200, { method: 'GET', path: '/api/v1/documents/{id}', params: { id: documentId }, token: ana.token });
    assert.equal(doc.body.status, 'valid');
    verificationCode = doc.body.verificationCode;
    await expect(200, { method: 'GET', path: '/api/v1/documents/{id}', params: { id: documentId }, token: clerk.token });
    await expect(404, { method: 'GET', path: '/api/v1/documents/{id}', params: { id: documentId }, token: boris.token });
    const file = await expect(200, { method: 'GET', path: '/api/v1/documents/{id}/pdf', params: { id: documentId }, token: ana.token });
    pdf = file.bytes;
    assert.equal(new TextDecoder().decode(pdf.subarray(0, 5)), '%PDF-');
    await expect(304, { method: 'GET', path: '/api/v1/documents/{id}/pdf', params: { id: documentId }, token: ana.token, headers: { 'If-None-Match': file.headers.get('etag')! } });
    await expect(404, { method: 'GET', path: '/api/v1/documents/{id}/pdf', params: { id: 'nonesuch' }, token: ana.token });

    // The issued PDF, verified by the public route: the seal and the passkey signatures.
    const report = await expect<{ signaturesCount: number; signatures: { kind: string }[] }>(200, { method: 'POST', path: '/api/v1/verify', raw: pdf, contentType: 'application/pdf' });
    assert.ok(report.body.signatures.some((s) => s.kind === 'seal'));
    assert.ok(report.body.signatures.some((s) => s.kind === 'passkey'));
    // A PDF with no signature is still a report.
    await expect(200, { method: 'POST', path: '/api/v1/verify', raw: samplePdf(), contentType: 'application/pdf' });
    await expect(415, { method: 'POST', path: '/api/v1/verify', raw: 'hello', contentType: 'text/plain' });
    await expect(400, { method: 'POST', path: '/api/v1/verify', raw: new Uint8Array(0), contentType: 'application/pdf' });

    const byCode = await expect<{ status: string }>(200, { method: 'GET', path: '/api/v1/verify/{code}', params: { code: verificationCode.toLowerCase() } });
    assert.equal(byCode.body.status, 'valid');
    await expect(400, { method: 'GET', path: '/api/v1/verify/{code}', params: { code: 'not-a-code' } });
    await expect(404, { method: 'GET', path: '/api/v1/verify/{code}', params: { code: 'ACDE-FGHJ-KMNP-QRTU-VWXY' } });
    const genuine = await expect(200, { method: 'GET', path: '/api/v1/verify/{code}/pdf', params: { code: verificationCode.toLowerCase() } });
    assert.deepEqual(genuine.bytes, pdf);
    await expect(400, { method: 'GET', path: '/api/v1/verify/{code}/pdf', params: { code: 'not-a-code' } });
    await expect(404, { method: 'GET', path: '/api/v1/verify/{code}/pdf', params: { code: 'ACDE-FGHJ-KMNP-QRTU-VWXY' } });

    const trust = await expect<{ anchors: unknown[] }>(200, { method: 'GET', path: '/api/v1/trust' });
    assert.ok(trust.body.anchors.length >= 1);
    const pem = await expect<string>(200, { method: 'GET', path: '/api/v1/trust', query: 'format=pem' });
    assert.match(pem.body, /-----BEGIN CERTIFICATE-----/);

  });

  test('distribution between agencies and reception', async () => {
    const distribute = { method: 'POST', path: '/api/v1/documents/{id}/distribute', params: { id: documentId } } as const;
    await expect(403, { ...distribute, token: ana.token, body: { agencyIds: [OTHER_AGENCY.id] } });
    await expect(404, { ...distribute, token: boris.token, body: { agencyIds: [OTHER_AGENCY.id] } });
    await expect(400, { ...distribute, token: clerk.token, body: { agencyIds: [] } });
    await expect(400, { ...distribute, token: clerk.token, body: { agencyIds: ['nonesuch'] } });
    const sent = await expect<{ recipients: { agencyId: string; status: string }[] }>(200, {
      ...distribute, token: clerk.token, headers: { 'Idempotency-Key': crypto.randomUUID() }, body: { agencyIds: [OTHER_AGENCY.id] },
    });
    assert.deepEqual(sent.body.recipients.map((r) => [r.agencyId, r.status]), [[OTHER_AGENCY.id, 'pending']]);
    await expect(400, { ...distribute, token: clerk.token, body: { agencyIds: [OTHER_AGENCY.id] } });

    const inbox = await expect<{ items: { id: string; documentId: string }[] }>(200, { method: 'GET', path: '/api/v1/reception', token: receiver.token, query: 'status=pending' });
    const reception = inbox.body.items.find((i) => i.documentId === documentId);
    assert.ok(reception);
    await expect(400, { method: 'GET', path: '/api/v1/reception', token: receiver.token, query: 'status=lost' });
    await expect(403, { method: 'GET', path: '/api/v1/reception', token: ana.token });
    // The receiving agency reads the document.
    await expect(200, { method: 'GET', path: '/api/v1/documents/{id}', params: { id: documentId }, token: receiver.token });

    const accept = { method: 'POST', path: '/api/v1/reception/{id}/accept', params: { id: reception.id } } as const;
    await expect(400, { ...accept, token: receiver.token, body: {} });
    await expect(404, { ...accept, token: clerk.token, body: { signatureId: 'x' } });
    await expect(403, { ...accept, token: ana.token, body: { signatureId: 'x' } });
    const signatureId = await sign(receiver, { type: 'reception', id: reception.id }, 'accept');
    const accepted = await expect<{ status: string }>(200, { ...accept, token: receiver.token, body: { signatureId } });
    assert.equal(accepted.body.status, 'accepted');
    await expect(409, { ...accept, token: receiver.token, body: { signatureId } });
    await expect(200, { method: 'GET', path: '/api/v1/signatures/{id}', params: { id: signatureId }, token: clerk.token });
  });

  test('exchange with a partner agency on another server', async () => {
    // A partner whose seal lives in this test's key store (its server is this one, for the tour).
    const partner = { id: 'partner-grad', name: 'Gradska uprava Partner' };
    await ensureDemoKeys(server.config, [partner, OTHER_AGENCY]);
    await addPartner({ db: server.db, now: Date.now }, { agencyId: partner.id, url: server.url, certificatePem: readFileSync(sealChainPath(server.config, partner.id), 'utf8') });
    const agenciesList = await expect<{ items: { id: string; kind: string }[] }>(200, { method: 'GET', path: '/api/v1/agencies', token: clerk.token });
    assert.ok(agenciesList.body.items.some((a) => a.id === partner.id && a.kind === 'partner'));
    await expect(403, { method: 'GET', path: '/api/v1/agencies', token: ana.token });

    // A document sent to the partner waits in the outbox (no worker here): retrying it is a 409.
    const distribute = { method: 'POST', path: '/api/v1/documents/{id}/distribute', params: { id: documentId } } as const;
    const sent = await expect<{ recipients: { agencyId: string; partner?: { messageId: string; delivery: string } }[] }>(200, { ...distribute, token: clerk.token, body: { agencyIds: [partner.id] } });
    const out = sent.body.recipients.find((r) => r.agencyId === partner.id)!;
    assert.equal(out.partner?.delivery, 'queued');
    const retry = { method: 'POST', path: '/api/v1/documents/{id}/exchange/{messageId}/retry' } as const;
    await expect(409, { ...retry, params: { id: documentId, messageId: out.partner!.messageId }, token: clerk.token });
    await expect(404, { ...retry, params: { id: documentId, messageId: randomUUID() }, token: clerk.token });
    await expect(403, { ...retry, params: { id: documentId, messageId: out.partner!.messageId }, token: receiver.token });

    // The partner sends a document to this server's other agency.
    const pdf = samplePdf();
    const envelope = {
      protocol: 'overa-exchange/1', messageId: randomUUID(), type: 'document', from: { agencyId: partner.id, name: partner.name, server: server.url },
      to: { agencyId: OTHER_AGENCY.id }, documentId: randomUUID(), title: { 'sr-Latn': 'Rešenje', en: 'Decision' }, documentType: 'decision',
      trackingNumber: 'PG-2026-1', issuedAt: new Date().toISOString(), time: new Date().toISOString(),
      parts: [{ name: 'document.pdf', contentType: 'application/pdf', sha256: createHash('sha256').update(pdf).digest('hex'), size: pdf.length }],
    };
    const signature = Buffer.from(await signDetached(new TextEncoder().encode(canonicalJson(envelope as JsonValue)), await loadSeal(server.config, partner.id))).toString('base64');
    const messages = { method: 'POST', path: '/api/v1/exchange/messages' } as const;
    const parts = [{ name: 'document.pdf', data: Buffer.from(pdf).toString('base64') }];
    await expect(400, { ...messages, body: { envelope: { ...envelope, type: 'letter' }, signature, parts } });
    await expect(403, { ...messages, body: { envelope: { ...envelope, from: { ...envelope.from, agencyId: 'nonesuch' } }, signature, parts } });
    await expect(403, { ...messages, body: { envelope: { ...envelope, trackingNumber: 'PG-2026-2' }, signature, parts } });
    await expect(422, { ...messages, body: { envelope, signature, parts: [{ name: 'document.pdf', data: Buffer.from(samplePng()).toString('base64') }] } });
    const receipt = await expect<{ receipt: { messageId: string } }>(200, { ...messages, body: { envelope, signature, parts } });
    assert.equal(receipt.body.receipt.messageId, envelope.messageId);

    const inbox = await expect<{ items: { id: string; documentId: string; partner?: unknown }[] }>(200, { method: 'GET', path: '/api/v1/reception', token: receiver.token });
    const item = inbox.body.items.find((i) => i.documentId === envelope.documentId)!;
    assert.ok(item.partner);
    await expect(200, { method: 'GET', path: '/api/v1/reception/{id}/pdf', params: { id: item.id }, token: receiver.token });
    await expect(404, { method: 'GET', path: '/api/v1/reception/{id}/pdf', params: { id: item.id }, token: clerk.token });
    const reject = { method: 'POST', path: '/api/v1/reception/{id}/reject', params: { id: item.id } } as const;
    await expect(400, { ...reject, token: receiver.token, body: { signatureId: 'x' } });
    await expect(404, { ...reject, token: clerk.token, body: { signatureId: 'x', reason: 'Nije za nas.' } });
    const signatureId = await sign(receiver, { type: 'reception', id: item.id }, 'reject', { reason: 'Nije za nas.' });
    const rejected = await expect<{ status: string }>(200, { ...reject, token: receiver.token, body: { signatureId, reason: 'Nije za nas.' } });
    assert.equal(rejected.body.status, 'rejected');
    await expect(409, { ...reject, token: receiver.token, body: { signatureId, reason: 'Nije za nas.' } });
  });

  test('revocation', async () => {
    // Revocation: the owner sees but may not revoke; the agency's admin may, once.
    const revoke = { method: 'POST', path: '/api/v1/documents/{id}/revoke', params: { id: documentId } } as const;
    await expect(403, { ...revoke, token: ana.token, body: { reason: 'Ne treba mi više.' } });
    await expect(400, { ...revoke, token: admin.token, body: {} });
    await expect(404, { ...revoke, token: boris.token, body: { reason: 'x' } });
    const revoked = await expect<DocumentView>(200, { ...revoke, token: admin.token, headers: { 'Idempotency-Key': crypto.randomUUID() }, body: { reason: 'Izdato greškom.' } });
    assert.equal(revoked.body.status, 'revoked');
    await expect(409, { ...revoke, token: admin.token, body: { reason: 'Opet.' } });
    const byCode = await expect<{ status: string }>(200, { method: 'GET', path: '/api/v1/verify/{code}', params: { code: verificationCode } });
    assert.equal(byCode.body.status, 'revoked');
    await expect(410, { method: 'GET', path: '/api/v1/verify/{code}/pdf', params: { code: verificationCode } });
    const distribute = { method: 'POST', path: '/api/v1/documents/{id}/distribute', params: { id: documentId } } as const;
    await expect(409, { ...distribute, token: clerk.token, body: { agencyIds: [OTHER_AGENCY.id] } });
  });

  test('delegations', async () => {
    const from = new Date(Date.now() + 3600_000).toISOString();
    const until = new Date(Date.now() + 7 * DAY).toISOString();
    const created = await expect<DelegationView>(201, { method: 'POST', path: '/api/v1/delegations', token: clerk.token, body: { toUserId: clerk2.user.id, from, until } });
    const list = await expect<{ items: DelegationView[] }>(200, { method: 'GET', path: '/api/v1/delegations', token: clerk2.token });
    assert.ok(list.body.items.some((d) => d.id === created.body.id));
    await expect(400, { method: 'POST', path: '/api/v1/delegations', token: clerk.token, body: { toUserId: clerk.user.id, from, until } });
    await expect(400, { method: 'POST', path: '/api/v1/delegations', token: clerk.token, body: { toUserId: clerk2.user.id, from: 'tomorrow', until } });
    await expect(403, { method: 'POST', path: '/api/v1/delegations', token: ana.token, body: { toUserId: clerk.user.id, from, until } });
    await expect(403, { method: 'GET', path: '/api/v1/delegations', token: ana.token });
    await expect(404, { method: 'DELETE', path: '/api/v1/delegations/{id}', params: { id: created.body.id }, token: head.token });
    const ended = await expect<DelegationView>(200, { method: 'DELETE', path: '/api/v1/delegations/{id}', params: { id: created.body.id }, token: clerk.token });
    assert.ok(ended.body.revokedAt);
    await expect(403, { method: 'DELETE', path: '/api/v1/delegations/{id}', params: { id: created.body.id }, token: ana.token });
  });

  test('the inbox event stream', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/v1/inbox/events?access_token=${clerk.token}`, { signal: controller.signal });
    let text = '';
    const reader = res.body!.getReader();
    while (!text.includes('event: ready')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    await reader.cancel().catch(() => undefined);
    checkAgainstOpenApi('GET', '/api/v1/inbox/events', res.status, text, res.headers.get('content-type'), res.headers);
    assert.equal(res.status, 200);
    const ready = /event: ready\ndata: (.*)\n/.exec(text);
    assert.deepEqual(JSON.parse(ready![1]!), { resync: false, user: clerk.user.id });
    toured.set('GET /api/v1/inbox/events', new Set([200]));

    await expect(401, { method: 'GET', path: '/api/v1/inbox/events' });
    await expect(401, { method: 'GET', path: '/api/v1/inbox/events', query: `access_token=${'z'.repeat(43)}` });
    await expect(403, { method: 'GET', path: '/api/v1/inbox/events', token: ana.token });
  });

  test('the audit log', async () => {
    const page = await expect<{ items: unknown[]; nextCursor: string | null }>(200, { method: 'GET', path: '/api/v1/audit', token: admin.token, query: 'limit=3' });
    assert.equal(page.body.items.length, 3);
    await expect(200, { method: 'GET', path: '/api/v1/audit', token: admin.token, query: `limit=3&cursor=${page.body.nextCursor}` });
    await expect(200, { method: 'GET', path: '/api/v1/audit', token: admin.token, query: `subjectType=application&subjectId=${caseId}` });
    await expect(400, { method: 'GET', path: '/api/v1/audit', token: admin.token, query: 'limit=1000' });
    await expect(403, { method: 'GET', path: '/api/v1/audit', token: head.token });
    const chain = await expect<{ ok: boolean }>(200, { method: 'GET', path: '/api/v1/audit/verify', token: admin.token });
    assert.equal(chain.body.ok, true);
    await expect(403, { method: 'GET', path: '/api/v1/audit/verify', token: ana.token });
  });

  test('webhooks', async () => {
    const hooks = createServer((_req, res) => void res.writeHead(204).end());
    hooks.listen(0, '127.0.0.1');
    await once(hooks, 'listening');
    try {
      const url = `http://127.0.0.1:${(hooks.address() as { port: number }).port}/hook`;
      const added = await expect<{ id: string; secret: string }>(201, { method: 'POST', path: '/api/v1/admin/webhooks', token: admin.token, body: { url, events: ['document.issued'], description: 'Registar' } });
      await expect(400, { method: 'POST', path: '/api/v1/admin/webhooks', token: admin.token, body: { url, events: ['nonesuch'] } });
      await expect(403, { method: 'POST', path: '/api/v1/admin/webhooks', token: head.token, body: { url, events: ['*'] } });
      await expect(200, { method: 'GET', path: '/api/v1/admin/webhooks', token: admin.token });
      await expect(403, { method: 'GET', path: '/api/v1/admin/webhooks', token: ana.token });
      const rotated = await expect<{ secret: string }>(200, { method: 'POST', path: '/api/v1/admin/webhooks/{id}/rotate', params: { id: added.body.id }, token: admin.token });
      assert.notEqual(rotated.body.secret, added.body.secret);
      await expect(404, { method: 'POST', path: '/api/v1/admin/webhooks/{id}/rotate', params: { id: 'nonesuch' }, token: admin.token });
      await expect(403, { method: 'POST', path: '/api/v1/admin/webhooks/{id}/rotate', params: { id: added.body.id }, token: clerk.token });
      const queued = await expect<{ deliveryId: string }>(202, { method: 'POST', path: '/api/v1/admin/webhooks/{id}/test', params: { id: added.body.id }, token: admin.token });
      await expect(404, { method: 'POST', path: '/api/v1/admin/webhooks/{id}/test', params: { id: 'nonesuch' }, token: admin.token });
      await expect(403, { method: 'POST', path: '/api/v1/admin/webhooks/{id}/test', params: { id: added.body.id }, token: clerk.token });
      const retry = { method: 'POST', path: '/api/v1/admin/webhooks/deliveries/{id}/retry', params: { id: queued.body.deliveryId }, token: admin.token };
      await expect(409, retry);
      await createOutboxWorker(server.app.deps, { webhook: webhookHandler(server.app.deps) }).deliverNow(queued.body.deliveryId);
      await expect(202, retry);
      await expect(404, { ...retry, params: { id: 'nonesuch' } });
      await expect(403, { ...retry, token: clerk.token });
      await expect(200, { method: 'GET', path: '/api/v1/admin/webhooks/{id}/deliveries', params: { id: added.body.id }, token: admin.token });
      await expect(404, { method: 'GET', path: '/api/v1/admin/webhooks/{id}/deliveries', params: { id: 'nonesuch' }, token: admin.token });
      await expect(403, { method: 'GET', path: '/api/v1/admin/webhooks/{id}/deliveries', params: { id: added.body.id }, token: clerk.token });
      await expect(403, { method: 'DELETE', path: '/api/v1/admin/webhooks/{id}', params: { id: added.body.id }, token: clerk.token });
      await expect(204, { method: 'DELETE', path: '/api/v1/admin/webhooks/{id}', params: { id: added.body.id }, token: admin.token });
      await expect(404, { method: 'DELETE', path: '/api/v1/admin/webhooks/{id}', params: { id: added.body.id }, token: admin.token });
    } finally {
      hooks.close();
    }
  });

  test('forms in the database', async () => {
    const form = (extra: Record<string, unknown> = {}) => ({
      id: 'tour-form', version: 1, agencyId: DEMO_AGENCY.id, title: 'Obrazac',
      fields: [{ name: 'a', type: 'text', label: 'A', required: true }],
      signature: { required: false },
      approvalLine: [{ id: 'approve', kind: 'approve', assignee: { role: 'head' } }],
      document: { template: 'tour-form', title: 'Obrazac' },
      ...extra,
    });
    const id = { id: 'tour-form' };
    await expect(200, { method: 'POST', path: '/api/v1/admin/forms/check', token: admin.token, body: { id: 'x' } });
    await expect(403, { method: 'POST', path: '/api/v1/admin/forms/check', token: head.token, body: form() });
    await expect(422, { method: 'PUT', path: '/api/v1/admin/forms/{id}/draft', params: id, token: admin.token, body: form({ fields: [] }) });
    await expect(409, { method: 'PUT', path: '/api/v1/admin/forms/{id}/draft', params: id, token: admin.token, body: form({ id: 'other' }) });
    await expect(403, { method: 'PUT', path: '/api/v1/admin/forms/{id}/draft', params: id, token: clerk.token, body: form() });
    await expect(404, { method: 'GET', path: '/api/v1/admin/forms/{id}', params: id, token: admin.token });
    await expect(200, { method: 'PUT', path: '/api/v1/admin/forms/{id}/draft', params: id, token: admin.token, body: form() });
    await expect(409, { method: 'POST', path: '/api/v1/admin/forms/{id}/retire', params: id, token: admin.token, body: {} });
    await expect(201, { method: 'POST', path: '/api/v1/admin/forms/{id}/publish', params: id, token: admin.token, body: {} });
    await expect(409, { method: 'POST', path: '/api/v1/admin/forms/{id}/publish', params: id, token: admin.token, body: {} });
    await expect(404, { method: 'POST', path: '/api/v1/admin/forms/{id}/publish', params: { id: 'nonesuch' }, token: admin.token, body: {} });
    await expect(200, { method: 'PUT', path: '/api/v1/admin/forms/{id}/draft', params: id, token: admin.token, body: form({ title: 'Obrazac 2' }) });
    await expect(200, { method: 'GET', path: '/api/v1/admin/forms/{id}', params: id, token: admin.token });
    await expect(403, { method: 'GET', path: '/api/v1/admin/forms/{id}', params: id, token: ana.token });
    await expect(200, { method: 'GET', path: '/api/v1/admin/forms', token: admin.token });
    await expect(403, { method: 'GET', path: '/api/v1/admin/forms', token: clerk.token });
    await expect(204, { method: 'DELETE', path: '/api/v1/admin/forms/{id}/draft', params: id, token: admin.token });
    await expect(404, { method: 'DELETE', path: '/api/v1/admin/forms/{id}/draft', params: { id: 'nonesuch' }, token: admin.token });
    await expect(200, { method: 'GET', path: '/api/v1/admin/forms/{id}/versions/{version}', params: { ...id, version: '1' }, token: admin.token });
    await expect(404, { method: 'GET', path: '/api/v1/admin/forms/{id}/versions/{version}', params: { ...id, version: '2' }, token: admin.token });
    await expect(400, { method: 'GET', path: '/api/v1/admin/forms/{id}/versions/{version}', params: { ...id, version: 'x' }, token: admin.token });
    const diff = await expect<{ from: number | null }>(200, { method: 'GET', path: '/api/v1/admin/forms/{id}/versions/{version}/diff', params: { ...id, version: '1' }, token: admin.token });
    assert.equal(diff.body.from, null);
    await expect(404, { method: 'GET', path: '/api/v1/admin/forms/{id}/versions/{version}/diff', params: { ...id, version: '9' }, token: admin.token });
    await expect(204, { method: 'POST', path: '/api/v1/admin/forms/{id}/retire', params: id, token: admin.token, body: {} });
    await expect(403, { method: 'POST', path: '/api/v1/admin/forms/{id}/retire', params: id, token: ana.token, body: {} });
    await expect(410, { method: 'POST', path: '/api/v1/applications', token: ana.token, body: { formId: 'tour-form', formVersion: 1, data: {} } });
  });

  test('open data', async () => {
    const stats = await expect<{ rows: unknown[] }>(200, { method: 'GET', path: '/api/v1/open-data/statistics.json', query: `agency=${DEMO_AGENCY.id}` });
    assert.ok(Array.isArray(stats.body.rows));
    await expect(304, { method: 'GET', path: '/api/v1/open-data/statistics.json', query: `agency=${DEMO_AGENCY.id}`, headers: { 'If-None-Match': stats.headers.get('etag')! } });
    await expect(400, { method: 'GET', path: '/api/v1/open-data/statistics.json', query: 'from=2026-13' });
    await expect(200, { method: 'GET', path: '/api/v1/open-data/statistics.csv', query: 'lang=sr-Cyrl' });
    await expect(400, { method: 'GET', path: '/api/v1/open-data/statistics.csv', query: 'lang=de' });
  });

  test('the errors of the middleware in front of every route', async () => {
    const app = { method: 'POST', path: '/api/v1/applications', token: ana.token } as const;
    await expect(400, { ...app, raw: '{"formId": ', contentType: 'application/json' });
    await expect(400, { ...app, raw: 'null', contentType: 'application/json' });
    await expect(400, { ...app, raw: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', contentType: 'application/json' });
    await expect(400, { ...app, raw: '{"formId": "\\ud800"}', contentType: 'application/json' });
    await expect(413, { ...app, body: { formId: 'x'.repeat(300_000) } });
    await expect(415, { ...app, raw: 'formId=x', contentType: 'application/x-www-form-urlencoded' });
    await expect(415, { ...app, raw: '{}', contentType: 'application/json', headers: { 'Content-Encoding': 'gzip' } });
    await expect(401, { method: 'POST', path: '/api/v1/signatures/options', body: {} });
  });

  test('rate limits: 429 with Retry-After', async () => {
    let last: Answer<unknown> | undefined;
    for (let i = 0; i < 10 && last?.status !== 429; i++) last = await call({ method: 'POST', path: '/api/v1/auth/login/options', body: {} });
    assert.equal(last?.status, 429);
    assert.match(last!.headers.get('retry-after') ?? '', /^\d+$/);
  });

  test('the tour reached every operation of the document', (t) => {
    // From the document itself, not a list kept here: an operation added to it without a call
    // on this tour fails here (the route test above already makes sure the routes match it).
    const documented = documentedOperations(openApiDocument());
    const missing = documented.filter((op) => !toured.has(op));
    assert.deepEqual(missing, [], `operations of the OpenAPI document the tour never calls: ${missing.join(', ')}`);
    const undocumented = [...toured.keys()].filter((op) => !documented.includes(op));
    assert.deepEqual(undocumented, [], 'the tour calls only documented operations');
    const statuses = [...toured.values()].reduce((n, s) => n + s.size, 0);
    t.diagnostic(`${toured.size} of ${documented.length} operations, ${statuses} (operation, status) pairs checked`);
  });
});

/** `METHOD /path` of every operation in the document (the keys of a path item that are HTTP methods). */
function documentedOperations(doc: { paths: Record<string, object> }): string[] {
  const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((k) => methods.has(k)).map((m) => `${m.toUpperCase()} ${path}`));
}

function where(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}
