import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateApplication } from '../../components/core/forms/validate.ts';
import type { FormDefinition } from '../../components/core/forms/definition.ts';
import { formIssueMessage } from '../../components/i18n/form-messages.ts';
import { startTestServer, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { samplePdf, samplePng } from '../helpers/files.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { agencies } from '../../server/db/agencies.ts';
import type { ApplicationView, HistoryEntry } from '../../components/core/api.ts';
import { assertProblem } from '../helpers/problems.ts';
import { JMBG, residence } from '../helpers/sample-data.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));

type App = ApplicationView & { history: HistoryEntry[] };

let server: TestServer;
let ana: Account;
let boris: Account;
let clerk: Account;
let stranger: Account;

before(async () => {
  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES });
  const now = Date.now();
  await seedDemo(server.db, now);
  await agencies.upsert(server.db, { id: 'drugi-grad', name: 'Gradska uprava Drugi Grad', created_at: now });
  ana = await registerAccount(server, 'Ana Anić');
  boris = await registerAccount(server, 'Boris Borić');
  clerk = await registerAccount(server, 'Petar Službenik', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, now));
  stranger = await registerAccount(server, 'Drugi Službenik', await createInvite(server.db, { agencyId: 'drugi-grad', roles: ['clerk'] }, now));
});
after(() => server.close());

async function count(): Promise<number> {
  return Number((await server.db('applications').count({ n: '*' }).first())!.n);
}

/** The SQL statements the server runs while `run` runs (nothing else uses the database meanwhile). */
async function countQueries<T>(run: () => Promise<T>): Promise<{ result: T; queries: number }> {
  let queries = 0;
  // Not the look at the forms' revisions an API request makes at most once a second (services/form-catalog.ts):
  // whether it falls in `run` depends on the clock, not on the request.
  const onQuery = (q: { sql: string }) => {
    if (!/from [`"]forms[`"]/.test(q.sql)) queries++;
  };
  server.db.on('query', onQuery);
  try {
    return { result: await run(), queries };
  } finally {
    server.db.removeListener('query', onQuery);
  }
}

async function create(token: string, data: unknown, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return server.api<App>('POST', '/api/v1/applications', { token, headers, body: { formId: 'certificate-of-residence', formVersion: 1, data, ...extra } });
}

async function upload(token: string, bytes: Buffer, filename: string, type: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  const res = await fetch(`${server.url}/api/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
  assert.equal(res.status, 201);
  return ((await res.json()) as { id: string }).id;
}

describe('applications: draft, update, submit', () => {
  test('a citizen saves an incomplete draft, completes it and submits it', async () => {
    const draft = await create(ana.token, { firstName: 'Ana' });
    assert.equal(draft.status, 201, JSON.stringify(draft.body));
    assert.equal(draft.body.status, 'draft');
    assert.match(draft.body.trackingNumber, /^NP-\d{4}-[A-Z0-9]{6}$/);
    assert.equal(draft.headers.get('location'), `/api/v1/applications/${draft.body.id}`);
    assert.equal(draft.headers.get('etag'), '"1"');

    const incomplete = await server.api('POST', `/api/v1/applications/${draft.body.id}/submit`, { token: ana.token, body: {} });
    assertProblem(incomplete, 400, 'data.lastName');
    assert.equal((await server.api<App>('GET', `/api/v1/applications/${draft.body.id}`, { token: ana.token })).body.status, 'draft');

    const updated = await server.api<App>('PUT', `/api/v1/applications/${draft.body.id}`, { token: ana.token, headers: { 'If-Match': '"1"' }, body: { data: residence({ street: '  Bulevar oslobođenja 12  ' }) } });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body.version, 2);
    assert.equal(updated.body.data.street, 'Bulevar oslobođenja 12', 'answers are stored cleaned');

    const submitted = await server.api<App>('POST', `/api/v1/applications/${draft.body.id}/submit`, { token: ana.token, body: {} });
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    assert.equal(submitted.body.status, 'submitted');
    assert.ok(submitted.body.submittedAt);

    const got = await server.api<App>('GET', `/api/v1/applications/${draft.body.id}`, { token: ana.token });
    assert.deepEqual(got.body.history.map((h) => h.action), ['application.created', 'application.updated', 'application.submitted']);
    assert.match(String(got.body.history[2]!.data.digest), /^sha256:[A-Za-z0-9_-]{43}$/);
    assertProblem(await server.api('PUT', `/api/v1/applications/${draft.body.id}`, { token: ana.token, body: { data: residence() } }), 409);
    assertProblem(await server.api('POST', `/api/v1/applications/${draft.body.id}/submit`, { token: ana.token, body: {} }), 409);
  });

  test('hidden answers are dropped, conditional ones required', async () => {
    const a = await create(ana.token, residence({ delivery: 'email' }));
    assert.equal(a.status, 201);
    assertProblem(await server.api('POST', `/api/v1/applications/${a.body.id}/submit`, { token: ana.token, body: {} }), 400, 'data.email');
    const b = await create(ana.token, residence({ purposeOther: 'hidden: purpose is not "other"' }));
    assert.equal(b.body.data.purposeOther, undefined);
  });

  test('a stale If-Match is 412 and changes nothing', async () => {
    const a = await create(ana.token, residence());
    assertProblem(await server.api('PUT', `/api/v1/applications/${a.body.id}`, { token: ana.token, headers: { 'If-Match': '"7"' }, body: { data: residence({ place: 'X' }) } }), 412);
    assertProblem(await server.api('PUT', `/api/v1/applications/${a.body.id}`, { token: ana.token, headers: { 'If-Match': 'yesterday' }, body: { data: residence() } }), 400, 'If-Match');
    assert.equal((await server.api<App>('GET', `/api/v1/applications/${a.body.id}`, { token: ana.token })).body.data.place, 'Novi Primer');
  });

  test('a returned application is changed and resubmitted', async () => {
    const a = await create(ana.token, residence());
    await server.api('POST', `/api/v1/applications/${a.body.id}/submit`, { token: ana.token, body: {} });
    // Officials return applications in the approval issue; here the row is set as they will set it.
    await server.db('applications').where({ id: a.body.id }).update({ status: 'returned', return_comment: 'Adresa nije potpuna' });
    const got = await server.api<App>('GET', `/api/v1/applications/${a.body.id}`, { token: ana.token });
    assert.equal(got.body.returnComment, 'Adresa nije potpuna');
    assert.equal((await server.api('PUT', `/api/v1/applications/${a.body.id}`, { token: ana.token, body: { data: residence({ apartment: 'stan 4' }) } })).status, 200);
    const again = await server.api<App>('POST', `/api/v1/applications/${a.body.id}/submit`, { token: ana.token, body: {} });
    assert.equal(again.body.status, 'submitted');
    assert.equal(again.body.returnComment, null);
    const history = (await server.api<App>('GET', `/api/v1/applications/${a.body.id}`, { token: ana.token })).body.history.map((h) => h.action);
    assert.equal(history.at(-1), 'application.resubmitted');
  });
});

describe('idempotency', () => {
  test('the same Idempotency-Key twice makes one application and replays the answer', async () => {
    const before = await count();
    const headers = { 'Idempotency-Key': `create-${Date.now()}` };
    const first = await create(ana.token, residence(), {}, headers);
    const second = await create(ana.token, residence(), {}, headers);
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.equal(await count(), before + 1);
    assertProblem(await create(ana.token, residence({ place: 'Drugo' }), {}, headers), 422);

    const submitKey = { 'Idempotency-Key': `submit-${Date.now()}` };
    const s1 = await server.api<App>('POST', `/api/v1/applications/${first.body.id}/submit`, { token: ana.token, headers: submitKey, body: {} });
    const s2 = await server.api<App>('POST', `/api/v1/applications/${first.body.id}/submit`, { token: ana.token, headers: submitKey, body: {} });
    assert.equal(s1.status, 200);
    assert.equal(s2.status, 200);
    assert.equal(s2.headers.get('idempotent-replayed'), 'true');
    const history = (await server.api<App>('GET', `/api/v1/applications/${first.body.id}`, { token: ana.token })).body.history;
    assert.equal(history.filter((h) => h.action === 'application.submitted').length, 1);
  });
});

describe('bad input is a 4xx naming the field, and stores nothing', () => {
  test('unknown form or version, wrong types, extra fields', async () => {
    const before = await count();
    assertProblem(await server.api('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'nope', formVersion: 1, data: {} } }), 400, 'formId');
    assertProblem(await server.api('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 9, data: {} } }), 400, 'formVersion');
    assertProblem(await server.api('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: '1', data: {} } }), 400, 'formVersion');
    assertProblem(await server.api('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data: [] } }), 400, 'data');
    assertProblem(await server.api('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'certificate-of-residence', formVersion: 1, data: {}, owner: 'me' } }), 400, 'owner');
    assertProblem(await create(ana.token, residence({ isAdmin: true })), 400, 'data.isAdmin');
    assertProblem(await create(ana.token, residence({ postalCode: 21000 })), 400, 'data.postalCode');
    assertProblem(await create(ana.token, residence({ jmbg: '0101990710001' })), 400, 'data.jmbg');
    assertProblem(await create(ana.token, residence({ purpose: 'bribery' })), 400, 'data.purpose');
    assert.equal(await count(), before);
  });

  test('a lone surrogate anywhere in a body (value or key) is a 400, never a 500 from canonical JSON', async () => {
    const before = await count();
    for (const [headers, raw] of [
      [{}, '{"formId":"certificate-of-residence","formVersion":1,"data":{"firstName":"Ana \\ud800"}}'],
      [{ 'Idempotency-Key': 'lone-1' }, '{"formId":"certificate-of-residence","formVersion":1,"data":{"firstName":"Ana \\udc00"}}'],
      [{}, '{"formId":"certificate-of-residence","formVersion":1,"data":{"\\ud800":"x"}}'],
    ] as [Record<string, string>, string][]) {
      const response = await server.api('POST', '/api/v1/applications', { token: ana.token, headers, raw });
      assert.equal(assertProblem(response, 400).type, 'https://overa.dev/problems/invalid-text');
    }
    assert.equal(await count(), before);
  });

  test('deeply nested JSON and 10,000 fields are refused, the 10,000 at the cost of one', async () => {
    const before = await count();
    const depth = 40_000; // 240 KB: under the body limit, so parsing and validation really run
    const deep = '{"a":'.repeat(depth) + '"x"' + '}'.repeat(depth);
    for (const headers of [{}, { 'Idempotency-Key': 'deep-1' }] as Record<string, string>[]) {
      const nested = await server.api('POST', '/api/v1/applications', {
        token: ana.token,
        headers,
        raw: `{"formId":"certificate-of-residence","formVersion":1,"data":{"firstName":${deep}}}`,
      });
      const p = assertProblem(nested, 400);
      assert.equal(p.type, 'https://overa.dev/problems/too-deeply-nested');
    }
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`f${i}`, 'x']));
    // A bound on work, not on time: 10,000 unknown fields cost the database no more than one
    // does (the validator's own work on them is bounded in test/core/forms-validate.test.ts).
    const one = await countQueries(() => create(ana.token, { ...residence(), f0: 'x' }));
    const wide = await countQueries(() => create(ana.token, { ...residence(), ...many }));
    assert.ok(one.queries > 0);
    assert.equal(wide.queries, one.queries);
    assertProblem(one.result, 400, 'data.f0');
    const p = assertProblem(wide.result, 400, 'data.f0');
    assert.ok(p.errors!.length <= 50, 'the error list is capped');
    assert.equal(await count(), before);
  });

  test('field errors say what to do in the words the element shows: from the label and the rule, or the form definition\'s own', async () => {
    const permit = JSON.parse(readFileSync(join(EXAMPLES, 'building-permit.json'), 'utf8')) as FormDefinition;
    const data = { investorType: 'person', investorName: 'A'.repeat(101), investorJmbg: '0101990710001', estimatedValue: 0, parcelNumber: '12a' };
    const res = await server.api('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'building-permit', formVersion: 1, data } });
    const p = assertProblem(res, 400, 'data.investorJmbg', 'jmbg');
    const byField = Object.fromEntries(p.errors!.map((e) => [e.field, e]));
    // The demo form's own messages (its `messages`) …
    assert.equal(byField['data.investorJmbg']!.message, 'The investor’s JMBG must be 13 digits, exactly as on their ID card');
    assert.equal(byField['data.estimatedValue']!.message, 'The estimated cost must be at least 1 dinar');
    assert.equal(byField['data.parcelNumber']!.message, 'Enter the parcel number as on the title sheet, like 1234 or 1234/5');
    // … and those made from the label and the rule, with the rule's parameters for other languages.
    assert.deepEqual(byField['data.investorName'], {
      field: 'data.investorName',
      code: 'maxLength',
      message: 'Investor’s full name must be 100 characters or fewer',
      params: { max: 100 },
    });
    // A draft leaves out completeness; submitting the draft says what is missing, the same way.
    const draft = await server.api<App>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'building-permit', formVersion: 1, data: { investorType: 'person' } } });
    assert.equal(draft.status, 201, JSON.stringify(draft.body));
    const submit = await server.api('POST', `/api/v1/applications/${draft.body.id}/submit`, { token: ana.token, headers: { 'If-Match': `"${draft.body.version}"` }, body: {} });
    const missing = Object.fromEntries(assertProblem(submit, 400, 'data.investorName', 'required').errors!.map((e) => [e.field, e.message]));
    assert.equal(missing['data.investorName'], 'Enter the investor’s full name');
    assert.equal(missing['data.cadastralMunicipality'], 'Select the cadastral municipality');
    assert.equal(missing['data.projectDocumentation'], 'Attach the project documentation');
    assert.equal(missing['data.declaration'], 'Select the box to continue');
    // One generator for both: exactly what components/i18n makes of the core validator's issues.
    const { issues } = validateApplication(permit, { investorType: 'person' });
    for (const issue of issues) assert.equal(missing[`data.${issue.field}`], formIssueMessage(issue, 'en', permit), issue.field);
  });

  test('repeating groups: an item error comes back at its item path, in the words the element shows; the answers are kept item by item', async () => {
    const permit = JSON.parse(readFileSync(join(EXAMPLES, 'building-permit.json'), 'utf8')) as FormDefinition;
    const owner = { name: 'Ana Anić', jmbg: JMBG, birthDate: '1990-01-01', share: 50 };
    const data = { investorType: 'person', parcelShared: 'yes', coOwners: [owner, { name: 'Boris Borić', jmbg: '0101990710001' }, { ...owner, birthDate: '1990-01-02' }] };
    const res = await server.api('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'building-permit', formVersion: 1, data } });
    const p = assertProblem(res, 400, 'data.coOwners[1].jmbg', 'jmbg');
    const byField = Object.fromEntries(p.errors!.map((e) => [e.field, e]));
    assert.equal(byField['data.coOwners[1].jmbg']!.message, 'Co-owner 2: JMBG must be 13 digits, exactly as on an ID card');
    assert.deepEqual(byField['data.coOwners[2].birthDate'], {
      field: 'data.coOwners[2].birthDate',
      code: 'matchesJmbg',
      message: 'Co-owner 3: date of birth does not match the JMBG: by the JMBG it is 1 January 1990',
      params: { jmbgField: 'coOwners[2].jmbg', expected: '1990-01-01' },
    });
    // The same issues as the browser's validator finds (one validator), in the same words.
    const { issues } = validateApplication(permit, data, { mode: 'draft' });
    assert.deepEqual(p.errors!.map((e) => e.field), issues.map((i) => `data.${i.field}`));
    // A good group is stored item by item; hidden (parcel not shared) it is dropped, not refused.
    const ok = await server.api<App>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'building-permit', formVersion: 1, data: { ...data, coOwners: [owner, { name: ' Boris ', jmbg: JMBG }] } } });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.deepEqual(ok.body.data.coOwners, [owner, { name: 'Boris', jmbg: JMBG }]);
    const hidden = await server.api<App>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'building-permit', formVersion: 1, data: { ...data, parcelShared: 'no' } } });
    assert.equal(hidden.status, 201, JSON.stringify(hidden.body));
    assert.equal(hidden.body.data.coOwners, undefined);
    // Submitting a shared parcel without co-owners: the group itself is missing.
    const none = await server.api<App>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'building-permit', formVersion: 1, data: { investorType: 'person', parcelShared: 'yes' } } });
    const submit = await server.api('POST', `/api/v1/applications/${none.body.id}/submit`, { token: ana.token, headers: { 'If-Match': `"${none.body.version}"` }, body: {} });
    const missing = Object.fromEntries(assertProblem(submit, 400, 'data.coOwners', 'required').errors!.map((e) => [e.field, e.message]));
    assert.equal(missing['data.coOwners'], 'Enter the co-owners of the parcel');
  });

  test('pages: a hidden page\'s answers are dropped and its questions not required; an item condition sees its own item (the browser\'s validator, on the server)', async () => {
    const base = {
      fullName: 'Ana Anić', jmbg: JMBG, birthDate: '1990-01-01', sex: 'male',
      street: 'Bulevar oslobođenja 12', place: 'Novi Primer', postalCode: '21000', movedOn: '2026-01-15', declaration: true,
    };
    const post = (data: unknown) => server.api<App>('POST', '/api/v1/applications', { token: ana.token, body: { formId: 'residence-registration', formVersion: 1, data } });
    const submit = (app: App) => server.api('POST', `/api/v1/applications/${app.id}/submit`, { token: ana.token, headers: { 'If-Match': `"${app.version}"` }, body: {} });
    // The household page is hidden ("no"): its group is neither required nor kept.
    const alone = await post({ ...base, withHousehold: 'no', members: [{ name: 'x' }] });
    assert.equal(alone.status, 201, JSON.stringify(alone.body));
    assert.equal(alone.body.data.members, undefined);
    assert.equal((await submit(alone.body)).status, 200);
    // The sex must agree with the JMBG (a rule, so even a draft is refused).
    const members = [{ name: 'Mila', jmbg: JMBG, relation: 'spouse' }, { name: 'Iva', jmbg: JMBG, relation: 'child' }];
    const wrong = assertProblem(await post({ ...base, sex: 'female', withHousehold: 'yes', members }), 400, 'data.sex', 'matchesJmbg');
    assert.equal(wrong.errors![0]!.message, 'Sex does not match the JMBG: by the JMBG it is Male');
    // Shown ("yes"): a child needs the guardian's consent, a spouse does not.
    const family = await post({ ...base, withHousehold: 'yes', members });
    assert.equal(family.status, 201, JSON.stringify(family.body));
    const p = assertProblem(await submit(family.body), 400, 'data.members[1].guardianConsent', 'required');
    assert.deepEqual(p.errors!.map((e) => e.field), ['data.members[1].guardianConsent']);
    assert.equal(p.errors![0]!.message, 'Household member 2: select the box to continue');
  });

  test('anonymous requests are 401', async () => {
    assertProblem(await server.api('GET', '/api/v1/applications'), 401);
    assertProblem(await server.api('POST', '/api/v1/applications', { body: { formId: 'certificate-of-residence', formVersion: 1, data: {} } }), 401);
  });
});

describe('who sees what', () => {
  test('only the owner sees a draft; once sent, officials of the handling agency see it too', async () => {
    const a = await create(ana.token, residence());
    const path = `/api/v1/applications/${a.body.id}`;
    assert.equal((await server.api('GET', path, { token: ana.token })).status, 200);
    // A draft is the applicant's alone, as unsent paper is: the clerk gets the same 404 as a stranger.
    assertProblem(await server.api('GET', path, { token: clerk.token }), 404);
    assertProblem(await server.api('GET', path, { token: boris.token }), 404);
    assertProblem(await server.api('GET', path, { token: stranger.token }), 404);
    assertProblem(await server.api('PUT', path, { token: boris.token, body: { data: residence() } }), 404);
    assertProblem(await server.api('POST', `${path}/submit`, { token: clerk.token, body: {} }), 404);
    assert.equal((await server.api('POST', `${path}/submit`, { token: ana.token, body: {} })).status, 200);
    assert.equal((await server.api('GET', path, { token: clerk.token })).status, 200);
    assertProblem(await server.api('GET', path, { token: stranger.token }), 404);
    assertProblem(await server.api('GET', '/api/v1/applications/00000000-0000-4000-8000-000000000000', { token: ana.token }), 404);
  });

  test('"my applications" lists only mine, newest first, keyset-paged', async () => {
    for (let i = 0; i < 5; i++) await create(boris.token, residence({ firstName: `B${i}` }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let cursor0 = '';
    do {
      const res: ApiResponse<{ items: { id: string; status: string; createdAt: string }[]; nextCursor: string | null }> = await server.api(
        'GET', `/api/v1/applications?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: boris.token });
      assert.equal(res.status, 200);
      seen.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
      cursor0 ||= cursor ?? '';
      pages++;
    } while (cursor);
    assert.equal(seen.length, 5);
    assert.equal(new Set(seen).size, 5);
    assert.equal(pages, 3);
    const rows = await server.db('applications').where({ owner_id: boris.user.id }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).select('id');
    assert.deepEqual(seen, rows.map((r: { id: string }) => r.id));
    assertProblem(await server.api('GET', '/api/v1/applications?cursor=bm9wZQ', { token: boris.token }), 400, 'cursor');
    assertProblem(await server.api('GET', '/api/v1/applications?limit=1000', { token: boris.token }), 400, 'limit');
    // One way for every list (RequestQuery): a parameter once, plain digits, no empty cursor.
    assertProblem(await server.api('GET', `/api/v1/applications?cursor=${cursor0}&cursor=${cursor0}`, { token: boris.token }), 400, 'cursor', 'type');
    assertProblem(await server.api('GET', '/api/v1/applications?cursor=', { token: boris.token }), 400, 'cursor', 'invalid');
    assertProblem(await server.api('GET', '/api/v1/applications?limit=1e1', { token: boris.token }), 400, 'limit', 'range');
  });
});

describe('attachments', () => {
  test('a building permit with uploads: own files only, types and counts checked, signature required to submit', async () => {
    const plan = await upload(ana.token, samplePdf('plan'), 'plan.pdf', 'application/pdf');
    const deed = await upload(ana.token, samplePng(), 'vlasnistvo.png', 'image/png');
    const borisFile = await upload(boris.token, samplePdf('boris'), 'b.pdf', 'application/pdf');
    const permit = {
      investorType: 'person', investorName: 'Ana Anić', investorJmbg: JMBG, email: 'ana@example.rs',
      cadastralMunicipality: 'novi-sad-1', parcelNumber: '1234/5', description: 'Porodična kuća P+1, 120 m²',
      estimatedValue: 8_500_000, projectDocumentation: [plan], ownershipProof: [deed], declaration: true,
    };
    const body = (data: unknown, extra: Record<string, unknown> = {}) => ({ formId: 'building-permit', formVersion: 1, data, ...extra });

    const draft = await server.api<App>('POST', '/api/v1/applications', { token: ana.token, body: body(permit, { attachments: [plan, deed] }) });
    assert.equal(draft.status, 201, JSON.stringify(draft.body));
    assert.deepEqual(draft.body.attachments.map((a) => [a.field, a.mediaType, a.filename]), [
      ['projectDocumentation', 'application/pdf', 'plan.pdf'], ['ownershipProof', 'image/png', 'vlasnistvo.png'],
    ]);
    assert.ok(draft.body.attachments.every((a) => /^[0-9a-f]{64}$/.test(a.sha256) && a.size > 0));

    assertProblem(await server.api('POST', '/api/v1/applications', { token: ana.token, body: body({ ...permit, projectDocumentation: [borisFile] }) }), 400, 'data.projectDocumentation');
    assertProblem(await server.api('POST', '/api/v1/applications', { token: ana.token, body: body({ ...permit, projectDocumentation: [deed] }) }), 400, 'data.projectDocumentation');
    assertProblem(await server.api('POST', '/api/v1/applications', { token: ana.token, body: body(permit, { attachments: [plan] }) }), 400, 'attachments');

    const submit = await server.api('POST', `/api/v1/applications/${draft.body.id}/submit`, { token: ana.token, body: {} });
    assertProblem(submit, 400, 'signatureId');
  });
});
