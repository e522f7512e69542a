/**
 * Issue 21, item 6: forms in the database with versions. Administrators of an agency save
 * drafts and publish versions through `/api/v1/admin/forms` (and nobody else: citizens,
 * officials and other agencies' administrators get 403, the signed-out 401); a published version
 * never changes and is audited; versions diff against the one before; a retired form takes no new
 * applications while those started continue; an application is validated against the version it
 * was started on after a new one is published; the forms of OVERA_FORMS_DIR are loaded as
 * published versions (idempotent, a changed published version refused naming the file); and
 * another instance sees a publish after its copy's short life. SQLite, or PostgreSQL with DATABASE_URL.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, createTestDb, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { assertProblem } from '../helpers/problems.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { agencies } from '../../server/db/agencies.ts';
import { FormCatalog, FORM_CATALOG_MAX_AGE_MS } from '../../server/services/form-catalog.ts';
import { FormDefinitionError, readFormFiles } from '../../server/services/forms.ts';
import { canonicalSha256Hex } from '../../components/core/digest.ts';
import type { JsonValue } from '../../components/core/canonical-json.ts';
import type { FormDefinition } from '../../components/core/forms/definition.ts';
import type { ApplicationView } from '../../components/core/api.ts';
import { childEnv, overaCli } from '../helpers/child-server.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const X = DEMO_AGENCY.id;
const Y = 'drugi-grad';

let server: TestServer;
let ana: Account;
let clerkX: Account;
let adminX: Account;
let adminY: Account;

before(async () => {
  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES });
  const now = Date.now();
  await seedDemo(server.db, now);
  await agencies.upsert(server.db, { id: Y, name: 'Gradska uprava Drugi Grad', created_at: now });
  ana = await registerAccount(server, 'Ana Anić');
  clerkX = await registerAccount(server, 'Petar Službenik', await createInvite(server.db, { agencyId: X, roles: ['clerk', 'head'] }, now));
  adminX = await registerAccount(server, 'Vesna Upravnik', await createInvite(server.db, { agencyId: X, roles: [], kind: 'admin' }, now));
  adminY = await registerAccount(server, 'Zoran Upravnik', await createInvite(server.db, { agencyId: Y, roles: [], kind: 'admin' }, now));
});
after(() => server.close());

/** A small form of agency X: a dog licence, one text field and one select. */
function dogLicence(extra: Partial<FormDefinition> = {}): FormDefinition {
  return {
    id: 'dog-licence',
    version: 1,
    agencyId: X,
    title: { 'sr-Latn': 'Dozvola za psa', en: 'Dog licence' },
    fields: [
      { name: 'dogName', type: 'text', label: { 'sr-Latn': 'Ime psa', en: 'Name of the dog' }, required: true, maxLength: 50 },
      {
        name: 'breed', type: 'select', label: { 'sr-Latn': 'Rasa', en: 'Breed' }, required: true,
        options: [{ value: 'mixed', label: { 'sr-Latn': 'Mešanac', en: 'Mixed' } }, { value: 'other', label: { 'sr-Latn': 'Druga', en: 'Other' } }],
      },
    ],
    signature: { required: false },
    approvalLine: [{ id: 'approve', kind: 'approve', assignee: { role: 'head' } }],
    document: { template: 'dog-licence', title: { 'sr-Latn': 'Dozvola za psa', en: 'Dog licence' } },
    ...extra,
  } as FormDefinition;
}

/** Version 2 adds a required microchip number at the top. */
function dogLicenceV2(): FormDefinition {
  const v1 = dogLicence();
  return { ...v1, fields: [{ name: 'chip', type: 'text', label: { 'sr-Latn': 'Broj čipa', en: 'Microchip number' }, required: true, pattern: '[0-9]{15}' }, ...v1.fields] } as FormDefinition;
}

const admin = (method: string, path: string, token: string | undefined, body?: unknown) =>
  server.api(method, `/api/v1/admin/forms${path}`, { ...(token ? { token } : {}), ...(body === undefined ? {} : { body }) });

async function auditCount(): Promise<number> {
  return Number((await server.db('audit_log').count({ n: '*' }).first())!.n);
}

describe('who may manage forms', () => {
  before(async () => {
    assert.equal((await admin('PUT', '/dog-licence/draft', adminX.token, dogLicence())).status, 200);
  });

  // Every route, with a body where it takes one: only X's administrator gets through.
  const routes: [string, string, unknown?][] = [
    ['GET', ''],
    ['POST', '/check', dogLicence()],
    ['GET', '/dog-licence'],
    ['PUT', '/dog-licence/draft', dogLicence()],
    ['DELETE', '/dog-licence/draft'],
    ['POST', '/dog-licence/publish', {}],
    ['POST', '/dog-licence/retire', {}],
    ['GET', '/certificate-of-residence/versions/1'],
    ['GET', '/certificate-of-residence/versions/1/diff'],
  ];

  test('signed out 401; a citizen and an official 403, as problem+json, and nothing changes', async () => {
    const audit = await auditCount();
    const draft = await server.db('forms').where({ id: 'dog-licence' }).first('draft', 'updated_at');
    for (const [method, path, body] of routes) {
      assertProblem(await admin(method, path, undefined, body), 401);
      for (const who of [ana, clerkX]) {
        const res = await admin(method, path, who.token, body);
        assertProblem(res, 403);
      }
    }
    assert.equal(await auditCount(), audit);
    assert.deepEqual(await server.db('forms').where({ id: 'dog-licence' }).first('draft', 'updated_at'), draft);
  });

  test('another agency\'s administrator: 403 on X\'s forms, and sees none of them', async () => {
    const audit = await auditCount();
    for (const [method, path, body] of routes.filter(([, p]) => p.startsWith('/dog-licence') || p.startsWith('/certificate'))) {
      // Y's admin sending X's definition, or the same form claimed for Y: both refused as another agency's.
      assertProblem(await admin(method, path, adminY.token, body), 403);
      if (method === 'PUT') assertProblem(await admin(method, path, adminY.token, { ...dogLicence(), agencyId: Y }), 403);
    }
    const list = await admin('GET', '', adminY.token);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items, []);
    assert.equal(await auditCount(), audit);
    // A form of X's: only X's administrator lists it.
    const mine = (await admin('GET', '', adminX.token)).body.items as { id: string; agencyId: string }[];
    assert.ok(mine.length >= 2 && mine.every((f) => f.agencyId === X), JSON.stringify(mine));
  });

  after(async () => {
    await admin('DELETE', '/dog-licence/draft', adminX.token);
  });
});

describe('drafts, versions, diff, retirement', () => {
  test('a draft with problems is 422 naming each by JSON pointer; id or agency not the path\'s is 409', async () => {
    const broken = dogLicence({ fields: [{ name: 'a', type: 'select', label: 'A' }, { name: 'a', type: 'text', label: 'B', minLength: 'x' }] } as unknown as Partial<FormDefinition>);
    const schema = assertProblem(await admin('PUT', '/dog-licence/draft', adminX.token, broken), 422, '/fields/1/minLength');
    assert.equal(schema.type, 'https://overa.dev/problems/invalid-form-definition');
    const checked = dogLicence({ fields: [{ name: 'a', type: 'select', label: 'A' }, { name: 'a', type: 'text', label: 'B' }] } as unknown as Partial<FormDefinition>);
    const p = assertProblem(await admin('PUT', '/dog-licence/draft', adminX.token, checked), 422, '/fields/1/name', 'definition');
    assert.ok(p.errors!.some((e) => e.field === '/fields/0' && /needs "options"/.test(e.message)), JSON.stringify(p.errors));
    // Each names checkDefinition's rule and its values, so the builder can word it in its language.
    assert.deepEqual(p.errors!.find((e) => e.field === '/fields/1/name'), {
      field: '/fields/1/name', code: 'definition', rule: 'field-duplicate-name', params: { name: 'a', first: '/fields/0' }, message: 'duplicate field name "a" (first at /fields/0)',
    });
    assertProblem(await admin('PUT', '/dog-licence/draft', adminX.token, [1, 2]), 422, '');
    assertProblem(await admin('PUT', '/dog-licence/draft', adminX.token, { ...dogLicence(), id: 'cat-licence' }), 409, '/id');
    assertProblem(await admin('PUT', '/dog-licence/draft', adminX.token, { ...dogLicence(), agencyId: Y }), 409, '/agencyId');
    assertProblem(await admin('POST', '/dog-licence/publish', adminX.token, {}), 404);
    // The check without saving: the same problems, 200.
    const check = await admin('POST', '/check', adminX.token, checked);
    assert.equal(check.status, 200);
    assert.deepEqual((check.body.problems as { path: string }[]).find((q) => q.path === '/fields/1/name'), {
      path: '/fields/1/name', code: 'field-duplicate-name', params: { name: 'a', first: '/fields/0' }, message: 'duplicate field name "a" (first at /fields/0)',
    });
    assert.deepEqual(((await admin('POST', '/check', adminX.token, broken)).body.problems as unknown[])[0], {
      path: '/fields/1/minLength', code: 'schema', params: { keyword: 'type' }, message: 'must be integer',
    });
    assert.deepEqual((await admin('POST', '/check', adminX.token, dogLicence())).body, { problems: [] });
    assertProblem(await admin('GET', '/dog-licence', adminX.token), 404);
  });

  test('draft → publish v1 → draft → publish v2: versions, diff, audit; published versions do not change', async () => {
    const saved = await admin('PUT', '/dog-licence/draft', adminX.token, { ...dogLicence(), version: 99 });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal((saved.body.draft as FormDefinition).version, 1, 'the version it will be published as');
    let view = (await admin('GET', '/dog-licence', adminX.token)).body;
    assert.equal(view.state, 'draft');
    assert.equal(view.publishedVersion, null);
    assert.deepEqual(view.versions, []);
    // Not offered to citizens until published.
    assert.equal((await server.api('GET', '/api/v1/forms/dog-licence')).status, 404);

    const audit = await auditCount();
    const v1 = await admin('POST', '/dog-licence/publish', adminX.token, {});
    assert.equal(v1.status, 201, JSON.stringify(v1.body));
    assert.equal(v1.body.version, 1);
    assert.equal(v1.headers.get('location'), '/api/v1/admin/forms/dog-licence/versions/1');
    assertProblem(await admin('POST', '/dog-licence/publish', adminX.token, {}), 409); // no draft any more
    assert.equal(await auditCount(), audit + 1);
    const served = await server.api<FormDefinition>('GET', '/api/v1/forms/dog-licence');
    assert.equal(served.status, 200, 'visible at once on the instance that published it');
    assert.equal(served.body.version, 1);
    assert.ok(((await server.api<{ forms: { id: string }[] }>('GET', '/api/v1/forms')).body.forms).some((f) => f.id === 'dog-licence'));

    const stored1 = await admin('GET', '/dog-licence/versions/1', adminX.token);
    assert.equal(stored1.status, 200);
    assert.match(stored1.headers.get('cache-control') ?? '', /immutable/);
    const entry = await server.db('audit_log').orderBy('seq', 'desc').first();
    assert.equal(entry.action, 'form.published');
    assert.equal(entry.actor, adminX.user.id);
    assert.deepEqual({ type: entry.subject_type, id: entry.subject_id }, { type: 'form', id: 'dog-licence' });
    const data = JSON.parse(entry.data as string) as Record<string, unknown>;
    assert.equal(data.version, 1);
    assert.equal(data.previousVersion, null);
    assert.equal(data.digest, await canonicalSha256Hex(stored1.body as JsonValue), 'the digest is of the canonical JSON served');
    // X's administrators read it in the agency's audit log.
    const agencyAudit = await server.api<{ items: { action: string; subject: { id: string } }[] }>('GET', '/api/v1/audit?subjectType=form', { token: adminX.token });
    assert.ok(agencyAudit.body.items.some((e) => e.action === 'form.published' && e.subject.id === 'dog-licence'), JSON.stringify(agencyAudit.body));

    assert.equal((await admin('PUT', '/dog-licence/draft', adminX.token, dogLicenceV2())).status, 200);
    view = (await admin('GET', '/dog-licence', adminX.token)).body;
    assert.equal(view.state, 'published');
    assert.equal((view.draft as FormDefinition).version, 2);
    // Saving a draft changed nothing published.
    assert.deepEqual((await admin('GET', '/dog-licence/versions/1', adminX.token)).body, stored1.body);
    const list = (await admin('GET', '', adminX.token)).body.items as { id: string; hasDraft: boolean; publishedVersion: number; state: string; title: unknown }[];
    assert.deepEqual(list.find((f) => f.id === 'dog-licence'), { ...list.find((f) => f.id === 'dog-licence'), hasDraft: true, publishedVersion: 1, state: 'published', title: dogLicence().title });

    const v2 = await admin('POST', '/dog-licence/publish', adminX.token, {});
    assert.equal(v2.status, 201);
    assert.equal(v2.body.version, 2);
    view = (await admin('GET', '/dog-licence', adminX.token)).body;
    assert.deepEqual((view.versions as { version: number; publishedBy: string }[]).map((v) => [v.version, v.publishedBy]), [[1, adminX.user.id], [2, adminX.user.id]]);
    assert.equal(view.draft, null);
    assert.deepEqual((await admin('GET', '/dog-licence/versions/1', adminX.token)).body, stored1.body, 'v1 unchanged by v2');

    const diff = await admin('GET', '/dog-licence/versions/2/diff', adminX.token);
    assert.equal(diff.status, 200);
    assert.deepEqual(diff.body, {
      from: 1,
      to: 2,
      changes: [
        { path: '/fields/0', op: 'add', after: dogLicenceV2().fields[0] },
        { path: '/version', op: 'replace', before: 1, after: 2 },
      ],
    });
    const first = (await admin('GET', '/dog-licence/versions/1/diff', adminX.token)).body;
    assert.equal(first.from, null);
    assert.ok((first.changes as { op: string }[]).every((c) => c.op === 'add'));
    assertProblem(await admin('GET', '/dog-licence/versions/3', adminX.token), 404);
    assertProblem(await admin('GET', '/dog-licence/versions/0/diff', adminX.token), 400, 'version');
    assertProblem(await admin('GET', '/dog-licence/versions/x', adminX.token), 400, 'version');

    // A version row cannot be written twice, even beside the API (the database refuses it).
    await assert.rejects(server.db('form_versions').insert({ form_id: 'dog-licence', version: 2, definition: '{}', digest: 'x'.repeat(64), published_at: 1 }));
  });

  test('an application keeps its version: v1 still submits after v2 (a new required field); a new one needs it', async () => {
    // Back to a single-version world for this test: a form of its own, published once.
    const cat = { ...dogLicence(), id: 'cat-licence', document: { template: 'cat-licence', title: 'Dozvola za mačku' } } as FormDefinition;
    await admin('PUT', '/cat-licence/draft', adminX.token, cat);
    assert.equal((await admin('POST', '/cat-licence/publish', adminX.token, {})).status, 201);
    const started = await server.api<ApplicationView>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'cat-licence', formVersion: 1, data: { dogName: 'Maca', breed: 'mixed' } } });
    assert.equal(started.status, 201, JSON.stringify(started.body));

    await admin('PUT', '/cat-licence/draft', adminX.token, { ...dogLicenceV2(), id: 'cat-licence', document: cat.document });
    assert.equal((await admin('POST', '/cat-licence/publish', adminX.token, {})).body.version, 2);

    // The v1 application: saved and submitted against v1, without the new field.
    const updated = await server.api<ApplicationView>('PUT', `/api/v1/applications/${started.body.id}`, { token: ana.token, body: { data: { dogName: 'Mica', breed: 'mixed' } } });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    const submitted = await server.api<ApplicationView>('POST', `/api/v1/applications/${started.body.id}/submit`, { token: ana.token, body: {} });
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    assert.equal(submitted.body.formVersion, 1);

    // A new application: on v1 refused (the form changed), on v2 the new field is required.
    assertProblem(await server.api('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'cat-licence', formVersion: 1, data: {} } }), 409, 'formVersion', 'superseded');
    const fresh = await server.api<ApplicationView>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'cat-licence', formVersion: 2, data: { dogName: 'Maca', breed: 'mixed' } } });
    assert.equal(fresh.status, 201);
    assertProblem(await server.api('POST', `/api/v1/applications/${fresh.body.id}/submit`, { token: ana.token, body: {} }), 400, 'data.chip', 'required');
    assertProblem(await server.api('PUT', `/api/v1/applications/${fresh.body.id}`, { token: ana.token, body: { data: { dogName: 'Maca', breed: 'mixed', chip: '12' } } }), 400, 'data.chip');
    assert.equal((await server.api('PUT', `/api/v1/applications/${fresh.body.id}`, { token: ana.token, body: { data: { dogName: 'Maca', breed: 'mixed', chip: '123456789012345' } } })).status, 200);
    assert.equal((await server.api('POST', `/api/v1/applications/${fresh.body.id}/submit`, { token: ana.token, body: {} })).status, 200);
  });

  test('retire: not offered, no new applications (410), those started continue; once; publishing again brings it back', async () => {
    const started = await server.api<ApplicationView>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'dog-licence', formVersion: 2, data: { dogName: 'Žuća' } } });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const audit = await auditCount();
    const retired = await admin('POST', '/dog-licence/retire', adminX.token, {});
    assert.equal(retired.status, 204);
    assert.equal(await auditCount(), audit + 1);
    assert.equal((await admin('POST', '/dog-licence/retire', adminX.token, {})).status, 204);
    assert.equal(await auditCount(), audit + 1, 'retired once');
    assert.equal((await admin('GET', '/dog-licence', adminX.token)).body.state, 'retired');

    const offered = (await server.api<{ forms: { id: string }[] }>('GET', '/api/v1/forms')).body.forms.map((f) => f.id);
    assert.ok(!offered.includes('dog-licence') && offered.includes('cat-licence'), offered.join());
    assert.equal((await server.api('GET', '/api/v1/forms/dog-licence?version=2')).status, 200, 'those started still load their version');
    assertProblem(await server.api('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'dog-licence', formVersion: 2, data: {} } }), 410);
    const done = await server.api<ApplicationView>('PUT', `/api/v1/applications/${started.body.id}`, { token: ana.token, body: { data: { dogName: 'Žuća', breed: 'other', chip: '123456789012345' } } });
    assert.equal(done.status, 200);
    assert.equal((await server.api('POST', `/api/v1/applications/${started.body.id}/submit`, { token: ana.token, body: {} })).status, 200);

    // A form never published cannot be retired; its draft is simply thrown away.
    await admin('PUT', '/bird-licence/draft', adminX.token, { ...dogLicence(), id: 'bird-licence' });
    assertProblem(await admin('POST', '/bird-licence/retire', adminX.token, {}), 409);
    assert.equal((await admin('DELETE', '/bird-licence/draft', adminX.token)).status, 204);
    assertProblem(await admin('GET', '/bird-licence', adminX.token), 404);

    await admin('PUT', '/dog-licence/draft', adminX.token, dogLicenceV2());
    assert.equal((await admin('POST', '/dog-licence/publish', adminX.token, {})).body.version, 3);
    assert.equal((await admin('GET', '/dog-licence', adminX.token)).body.state, 'published');
    assert.ok((await server.api<{ forms: { id: string }[] }>('GET', '/api/v1/forms')).body.forms.some((f) => f.id === 'dog-licence'));
  });
});

describe('at the same time', () => {
  test('two publishes of one draft: one version, the other 409; two instances loading the same folder: one version each', async () => {
    await admin('PUT', '/owl-licence/draft', adminX.token, { ...dogLicence(), id: 'owl-licence' });
    const both = await Promise.all([admin('POST', '/owl-licence/publish', adminX.token, {}), admin('POST', '/owl-licence/publish', adminX.token, {})]);
    assert.deepEqual(both.map((r) => r.status).sort(), [201, 409]);
    assert.deepEqual(await server.db('form_versions').where({ form_id: 'owl-licence' }).pluck('version'), [1]);

    const t = await createTestDb();
    try {
      const files = readFormFiles(EXAMPLES);
      await Promise.all([new FormCatalog(t.db, Date.now, files).refresh(), new FormCatalog(t.db, Date.now, files).refresh()]);
      const rows = (await t.db('form_versions').select('form_id', 'version')) as { form_id: string; version: number }[];
      assert.equal(rows.length, files.length);
      assert.deepEqual(rows.map((r) => r.form_id).sort(), files.map((f) => f.definition.id).sort());
    } finally {
      await t.drop();
    }
  });
});

describe('another instance on the same database', () => {
  test('sees a publish once its copy is older than the short life, at once when forced', async () => {
    let now = 1_000_000;
    const other = new FormCatalog(server.db, () => now);
    await other.refresh();
    assert.equal(other.get('cat-licence')!.version, 2);
    await admin('PUT', '/cat-licence/draft', adminX.token, { ...dogLicenceV2(), id: 'cat-licence', title: 'Dozvola za mačku', document: { template: 'cat-licence', title: 'Dozvola za mačku' } });
    await admin('POST', '/cat-licence/publish', adminX.token, {});
    await other.refresh();
    assert.equal(other.get('cat-licence')!.version, 2, 'within its short life the copy is not looked at again');
    now += FORM_CATALOG_MAX_AGE_MS;
    await other.refresh();
    assert.equal(other.get('cat-licence')!.version, 3);
    assert.equal(other.get('cat-licence', 1)!.version, 1);
    await admin('POST', '/cat-licence/retire', adminX.token, {});
    assert.equal(other.retired('cat-licence'), false);
    await other.refresh({ force: true });
    assert.equal(other.retired('cat-licence'), true);
  });
});

describe('OVERA_FORMS_DIR', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'overa-forms-'));
    cpSync(join(EXAMPLES, 'internal-memo.json'), join(dir, 'internal-memo.json'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('files become published versions; the same file again changes nothing; a changed version is refused naming the file; a higher one is published', async () => {
    const t = await createTestDb();
    try {
      const start = (now: number) => new FormCatalog(t.db, () => now, readFormFiles(dir)).refresh();
      await start(1);
      const rows = () => t.db('form_versions').orderBy('version').select('version', 'digest', 'published_at', 'published_by', 'source_file');
      const first = await rows();
      assert.deepEqual(first.map((r) => [Number(r.version), r.published_by, r.source_file]), [[1, null, 'internal-memo.json']]);
      await start(2);
      assert.deepEqual(await rows(), first, 'idempotent');

      const file = join(dir, 'internal-memo.json');
      const def = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { title: Record<string, string> };
      writeFileSync(file, JSON.stringify({ ...def, title: { ...def.title, en: 'Memo' } }));
      await assert.rejects(start(3), (e: Error) => e instanceof FormDefinitionError && e.message.includes(file) && /version 1 is already published with other content/.test(e.message));
      assert.deepEqual(await rows(), first);

      // `overa start` stops there, naming the file, before it listens.
      const started = await overaCli(['start'], { ...(await childEnv(t)), OVERA_FORMS_DIR: dir, PORT: '0' });
      assert.equal(started.code, 1, started.stdout);
      assert.ok(started.stderr.includes(`form definition ${file}: /version: form "internal-memo" version 1 is already published with other content`), started.stderr);

      writeFileSync(file, JSON.stringify({ ...def, version: 2, title: { ...def.title, en: 'Memo' } }));
      const catalog = new FormCatalog(t.db, () => 4, readFormFiles(dir));
      await catalog.refresh();
      assert.deepEqual((await rows()).map((r) => Number(r.version)), [1, 2]);
      assert.equal(catalog.get('internal-memo')!.version, 2);
      assert.equal((catalog.get('internal-memo', 1)!.title as Record<string, string>).en, 'Internal memo');
    } finally {
      await t.drop();
    }
  });

  test('the server\'s own forms came from the folder: published, listed for their agency\'s administrator', async () => {
    const res = await admin('GET', '/certificate-of-residence', adminX.token) as ApiResponse<{ state: string; versions: { version: number; publishedBy: string | null }[] }>;
    assert.equal(res.body.state, 'published');
    assert.deepEqual(res.body.versions.map((v) => [v.version, v.publishedBy]), [[1, null]]);
  });
});

describe('overa forms', () => {
  test('list, publish a file as the next version, retire: audited without an actor, served by the running server', async () => {
    const env = await childEnv(server);
    const dir = mkdtempSync(join(tmpdir(), 'overa-forms-cli-'));
    try {
      const file = join(dir, 'fish.json');
      writeFileSync(file, JSON.stringify({ ...dogLicence(), id: 'fish-licence', version: 7, document: { template: 'fish', title: 'Riba' } }));
      const published = await overaCli(['forms', 'publish', file], env);
      assert.equal(published.code, 0, published.stderr);
      assert.match(published.stdout, /^published fish-licence version 1$/m);
      const entry = await server.db('audit_log').orderBy('seq', 'desc').first();
      assert.deepEqual([entry.action, entry.actor, entry.subject_id], ['form.published', null, 'fish-licence']);
      // The running server sees it once its copy is a second old (its clock, moved on).
      server.clock.offset += FORM_CATALOG_MAX_AGE_MS;
      assert.equal((await server.api<FormDefinition>('GET', '/api/v1/forms/fish-licence')).body.version, 1);

      const list = await overaCli(['forms', 'list', '--agency', X, '--json'], env);
      assert.equal(list.code, 0, list.stderr);
      const fish = (JSON.parse(list.stdout) as { id: string; state: string; publishedVersion: number }[]).find((f) => f.id === 'fish-licence');
      assert.deepEqual([fish?.state, fish?.publishedVersion], ['published', 1]);

      writeFileSync(file, JSON.stringify({ ...dogLicence(), id: 'fish-licence', fields: [] }));
      const bad = await overaCli(['forms', 'publish', file], env);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /not valid[\s\S]*\/fields/);

      // A version this server has not seen yet (its copy looked less than a second ago: its clock
      // is held back) is looked up at once when an application names it.
      await server.api('GET', '/api/v1/forms');
      server.clock.offset -= 3600_000;
      try {
        const eel = join(dir, 'eel.json');
        writeFileSync(eel, JSON.stringify({ ...dogLicence(), id: 'eel-licence', document: { template: 'eel', title: 'Jegulja' } }));
        assert.equal((await overaCli(['forms', 'publish', eel], env)).code, 0);
        assert.equal((await server.api('GET', '/api/v1/forms/eel-licence')).status, 404, 'not seen yet');
        const started = await server.api('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'eel-licence', formVersion: 1, data: { dogName: 'Jegulja' } } });
        assert.equal(started.status, 201, JSON.stringify(started.body));
        assert.equal((await server.api('GET', '/api/v1/forms/eel-licence')).status, 200, 'and now it is');
      } finally {
        server.clock.offset += 3600_000;
      }

      const retired = await overaCli(['forms', 'retire', 'fish-licence'], env);
      assert.equal(retired.code, 0, retired.stderr);
      server.clock.offset += FORM_CATALOG_MAX_AGE_MS;
      assert.ok(!(await server.api<{ forms: { id: string }[] }>('GET', '/api/v1/forms')).body.forms.some((f) => f.id === 'fish-licence'));
      assert.equal((await overaCli(['forms', 'retire', 'nonesuch'], env)).code, 1);
      assert.equal((await overaCli(['forms', 'frobnicate'], env)).code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
