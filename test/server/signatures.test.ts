/**
 * Passkey signatures through the real HTTP API with real crypto (SoftAuthenticator): signing
 * an application, submitting with the signature, and every way of getting it wrong.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, verify as verifySignature } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { cose, decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';
import { startTestServer, TEST_ORIGIN, type TestServer, type ApiResponse } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { samplePdf, samplePng } from '../helpers/files.ts';
import { SoftAuthenticator, type CeremonyOptions } from '../helpers/soft-authenticator.ts';
import { createInvite } from '../../server/services/invites.ts';
import { seedDemo, DEMO_AGENCY } from '../../server/seed.ts';
import { applications } from '../../server/db/applications.ts';
import { contentDigest, isDigest, payloadChallenge, type PasskeyEvidence, type SigningPayload } from '../../components/core/signing/payload.ts';
import type { Problem } from '../../components/core/problem.ts';
import type { User } from '../../components/core/user.ts';
import type { ApplicationView, HistoryEntry } from '../../components/core/api.ts';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { assertProblem } from '../helpers/problems.ts';
import { JMBG, residence } from '../helpers/sample-data.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/forms', import.meta.url));
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

type App = ApplicationView & { history: HistoryEntry[] };
interface Options { flowId: string; payload: SigningPayload; publicKey: PublicKeyCredentialRequestOptionsJSON }
interface Signature { id: string; evidence: PasskeyEvidence }

let server: TestServer;
let ana: Account;
let boris: Account;
let clerk: Account;

before(async () => {
  server = await startTestServer({ OVERA_FORMS_DIR: EXAMPLES });
  const now = Date.now();
  await seedDemo(server.db, now);
  ana = await registerAccount(server, 'Ana Anić');
  boris = await registerAccount(server, 'Boris Borić');
  clerk = await registerAccount(server, 'Petar Službenik', await createInvite(server.db, { agencyId: DEMO_AGENCY.id, roles: ['clerk'] }, now));
});
after(() => server.close());

async function count(table: string): Promise<number> {
  return Number((await server.db(table).count({ n: '*' }).first())!.n);
}

/** A complete certificate-of-residence draft (a form that does not require a signature). */
async function residenceDraft(who: Account = ana, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await server.api<App>('POST', '/api/v1/applications', { token: who.token, body: { formId: 'certificate-of-residence', formVersion: 1, data: residence(overrides) } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

async function upload(token: string, bytes: Buffer, filename: string, type: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  const res = await fetch(`${server.url}/api/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
  assert.equal(res.status, 201);
  return ((await res.json()) as { id: string }).id;
}

/** A complete building-permit draft: a form that requires a signature, with two attachments. */
async function permitDraft(who: Account): Promise<string> {
  const plan = await upload(who.token, samplePdf('plan'), 'plan.pdf', 'application/pdf');
  const deed = await upload(who.token, samplePng(), 'vlasnistvo.png', 'image/png');
  const data = {
    investorType: 'person', investorName: 'Ana Anić', investorJmbg: JMBG, email: 'ana@example.rs',
    cadastralMunicipality: 'novi-sad-1', parcelNumber: '1234/5', description: 'Porodična kuća P+1, 120 m²',
    estimatedValue: 8_500_000, projectDocumentation: [plan], ownershipProof: [deed], declaration: true,
  };
  const res = await server.api<App>('POST', '/api/v1/applications', { token: who.token, body: { formId: 'building-permit', formVersion: 1, data } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

function options(who: Account, id: string, body: unknown = { subject: { type: 'application', id }, action: 'submit' }) {
  return server.api<Options>('POST', '/api/v1/signatures/options', { token: who.token, body });
}

async function okOptions(who: Account, id: string): Promise<Options> {
  const res = await options(who, id);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** Signs `o` with `signer`'s authenticator and posts it as `poster` (to `flowId`, by default the options' own). */
async function sign(o: Options, signer: Account, ceremony: CeremonyOptions = {}, poster: Account = signer, flowId = o.flowId) {
  const credential = await signer.authenticator.get(o.publicKey, ceremony);
  return server.api<Signature>('POST', '/api/v1/signatures', { token: poster.token, body: { flowId, credential } });
}

async function signed(who: Account, id: string): Promise<Signature> {
  const res = await sign(await okOptions(who, id), who);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

function submit(who: Account, id: string, body: Record<string, unknown> = {}) {
  return server.api<App>('POST', `/api/v1/applications/${id}/submit`, { token: who.token, body });
}

/** Nothing stored by a refusal: no signature, no audit entry. */
async function refusesAndStoresNothing(attempt: () => Promise<ApiResponse<unknown>>, status: number, field?: string, code?: string): Promise<Problem> {
  const before = { signatures: await count('signatures'), audit: await count('audit_log') };
  const p = assertProblem(await attempt(), status, field, code);
  assert.deepEqual({ signatures: await count('signatures'), audit: await count('audit_log') }, before);
  return p;
}

describe('signing and submitting an application', () => {
  test('a citizen signs a building permit with her passkey and submits it', async () => {
    const id = await permitDraft(ana);
    assertProblem(await submit(ana, id), 400, 'signatureId', 'required');

    const o = await okOptions(ana, id);
    const stored = (await applications.get(server.db, id))!;
    const digest = await contentDigest({ formId: stored.formId, formVersion: stored.formVersion, data: stored.data as never, attachments: stored.attachments });
    assert.ok(isDigest(o.payload.digest));
    assert.equal(o.payload.digest, digest, 'the digest is over the application as the server stores it');
    assert.deepEqual({ ...o.payload, nonce: undefined, iat: undefined }, {
      v: 1, purpose: 'overa-sign', subject: { type: 'application', id }, action: 'submit', digest, nonce: undefined, iat: undefined,
    });
    assert.ok(Math.abs(o.payload.iat - Date.now() / 1000) < 60);
    assert.equal(o.publicKey.challenge, b64u(await payloadChallenge(o.payload)), 'the challenge is the payload\'s SHA-256');
    assert.equal(o.publicKey.userVerification, 'required');
    assert.equal(o.publicKey.rpId, 'localhost');
    assert.deepEqual(o.publicKey.allowCredentials?.map((c) => c.id), [ana.authenticator.id], 'only her own passkeys');
    const flow = await server.db('challenges').where({ flow_id: o.flowId }).first();
    assert.equal(flow.kind, 'sign');
    assert.ok(Math.abs(Number(flow.expires_at) - Date.now() - 300_000) < 10_000, 'the flow lives 5 minutes');

    const res = await sign(o, ana);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.headers.get('location'), `/api/v1/signatures/${res.body.id}`);
    const e = res.body.evidence;
    assert.deepEqual(e.payload, o.payload);
    assert.equal(e.credentialId, ana.authenticator.id);
    assert.equal(e.algorithm, -7);
    const credential = await server.db('credentials').where({ id: ana.authenticator.id }).first();
    assert.equal(e.publicKey, credential.public_key);
    assert.equal(Number(credential.counter), ana.authenticator.counter, 'the sign counter moved forward');
    assert.deepEqual(e.signer, { id: ana.user.id, displayName: 'Ana Anić', kind: 'citizen', agencyId: null, roles: [] });
    assert.ok(Math.abs(Date.parse(e.signedAt) - Date.now()) < 60_000);

    // The evidence re-verifies offline: the challenge is the payload's, the signature is over
    // authenticatorData ‖ SHA-256(clientDataJSON) with the registered key.
    const clientData = JSON.parse(Buffer.from(e.clientDataJSON, 'base64url').toString('utf8')) as { type: string; challenge: string };
    assert.equal(clientData.type, 'webauthn.get');
    assert.equal(clientData.challenge, b64u(await payloadChallenge(e.payload)));
    const key = decodeCredentialPublicKey(new Uint8Array(Buffer.from(e.publicKey, 'base64url')));
    assert.ok(cose.isCOSEPublicKeyEC2(key));
    const jwk = { kty: 'EC', crv: 'P-256', x: b64u(key.get(cose.COSEKEYS.x)!), y: b64u(key.get(cose.COSEKEYS.y)!) };
    const signedBytes = Buffer.concat([Buffer.from(e.authenticatorData, 'base64url'), createHash('sha256').update(Buffer.from(e.clientDataJSON, 'base64url')).digest()]);
    assert.ok(verifySignature('sha256', signedBytes, { key: jwk, format: 'jwk', dsaEncoding: 'der' }, Buffer.from(e.signature, 'base64url')));

    const submitted = await submit(ana, id, { signatureId: res.body.id });
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    assert.equal(submitted.body.status, 'submitted');
    assert.equal(submitted.body.signatureId, res.body.id);

    const history = (await server.api<App>('GET', `/api/v1/applications/${id}`, { token: ana.token })).body.history;
    assert.deepEqual(history.map((h) => h.action), ['application.created', 'signature.created', 'application.submitted']);
    assert.deepEqual(history[1]!.data, { signatureId: res.body.id, action: 'submit', digest });
    assert.deepEqual(history[2]!.data, { digest, version: 2, signatureId: res.body.id });

    const got = await server.api<Signature>('GET', `/api/v1/signatures/${res.body.id}`, { token: ana.token });
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, res.body);
    assert.equal((await server.api('GET', `/api/v1/signatures/${res.body.id}`, { token: clerk.token })).status, 200, 'officials of the agency see it');
    assertProblem(await server.api('GET', `/api/v1/signatures/${res.body.id}`, { token: boris.token }), 404);
    assertProblem(await server.api('GET', '/api/v1/signatures/00000000-0000-4000-8000-000000000000', { token: ana.token }), 404);
    assertProblem(await server.api('GET', `/api/v1/signatures/${res.body.id}`), 401);
  });

  test('a form that does not require a signature may still carry one', async () => {
    const id = await residenceDraft();
    const s = await signed(ana, id);
    const res = await submit(ana, id, { signatureId: s.id });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.signatureId, s.id);
  });

  test('an RS256 passkey: the evidence names the algorithm from the COSE key', async () => {
    const authenticator = new SoftAuthenticator(TEST_ORIGIN, 'localhost', -257);
    const o = await server.api<{ flowId: string; publicKey: never }>('POST', '/api/v1/auth/register/options', { body: { displayName: 'Rada RSA' } });
    const reg = await server.api<{ token: string; user: User }>('POST', '/api/v1/auth/register/verify', { body: { flowId: o.body.flowId, credential: await authenticator.create(o.body.publicKey) } });
    assert.equal(reg.status, 201, JSON.stringify(reg.body));
    const rada: Account = { ...reg.body, authenticator };
    const s = await signed(rada, await residenceDraft(rada));
    assert.equal(s.evidence.algorithm, -257);
  });

  test('a returned application is signed again and resubmitted', async () => {
    const id = await residenceDraft();
    const first = await signed(ana, id);
    assert.equal((await submit(ana, id, { signatureId: first.id })).status, 200);
    await server.db('applications').where({ id }).update({ status: 'returned', return_comment: 'Dopunite adresu' });
    assert.equal((await server.api('PUT', `/api/v1/applications/${id}`, { token: ana.token, body: { data: residence({ apartment: 'stan 4' }) } })).status, 200);
    assertProblem(await submit(ana, id, { signatureId: first.id }), 400, 'signatureId', 'digest-mismatch');
    const second = await signed(ana, id);
    const res = await submit(ana, id, { signatureId: second.id });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.signatureId, second.id);
  });
});

describe('refused signatures', () => {
  test('an assertion made for one subject, sent to another subject\'s flow (challenge mismatch)', async () => {
    const one = await okOptions(ana, await residenceDraft());
    const other = await okOptions(ana, await residenceDraft());
    const credential = await ana.authenticator.get(one.publicKey);
    const p = await refusesAndStoresNothing(() => server.api('POST', '/api/v1/signatures', { token: ana.token, body: { flowId: other.flowId, credential } }), 400, 'credential', 'rejected');
    assert.match(p.detail ?? '', /challenge/i);
  });

  test('a changed payload: the passkey signed a payload with another digest', async () => {
    const o = await okOptions(ana, await residenceDraft());
    const forged = { ...o.payload, digest: await contentDigest({ anything: 'else' }) };
    const challenge = b64u(await payloadChallenge(forged));
    const p = await refusesAndStoresNothing(() => sign(o, ana, { challenge }), 400, 'credential', 'rejected');
    assert.match(p.detail ?? '', /challenge/i);
  });

  test('a flow used twice', async () => {
    const o = await okOptions(ana, await residenceDraft());
    assert.equal((await sign(o, ana)).status, 201);
    await refusesAndStoresNothing(() => sign(o, ana), 400, 'flowId', 'unknown');
  });

  test('an expired flow', async () => {
    const o = await okOptions(ana, await residenceDraft());
    const credential = await ana.authenticator.get(o.publicKey);
    server.clock.offset = 5 * 60 * 1000 + 1;
    try {
      await refusesAndStoresNothing(() => server.api('POST', '/api/v1/signatures', { token: ana.token, body: { flowId: o.flowId, credential } }), 400, 'flowId', 'expired');
    } finally {
      server.clock.offset = 0;
    }
  });

  test('a cloned passkey signing from several copies at once: one signature, the others refused for the counter; the counter is the winner\'s', async () => {
    const klon = await registerAccount(server, 'Klon Klonić');
    assert.equal((await sign(await okOptions(klon, await residenceDraft(klon)), klon)).status, 201);
    const storedCounter = async () => Number((await server.db('credentials').where({ id: klon.authenticator.id }).first()).counter);
    assert.equal(await storedCounter(), klon.authenticator.counter);
    // Copies of one key hold the same counter, so each signs the same next value; sent at once,
    // each reads the stored counter before any has moved it (only the compare-and-set decides).
    const COPIES = 6;
    const next = klon.authenticator.counter + 1;
    const flows: Options[] = [];
    for (let i = 0; i < COPIES; i++) flows.push(await okOptions(klon, await residenceDraft(klon)));
    const assertions = await Promise.all(flows.map((o) => klon.authenticator.get(o.publicKey, { counter: next })));
    const before = { signatures: await count('signatures'), audit: await count('audit_log') };
    const answers = await Promise.all(flows.map((o, i) =>
      server.api<Signature>('POST', '/api/v1/signatures', { token: klon.token, body: { flowId: o.flowId, credential: assertions[i] } })));

    const won = answers.filter((a) => a.status === 201);
    assert.equal(won.length, 1, `one signature: ${JSON.stringify(answers.map((a) => a.status))}`);
    for (const refused of answers.filter((a) => a.status !== 201)) {
      assert.match(assertProblem(refused, 400, 'credential', 'rejected').detail!, /counter/i);
    }
    assert.equal(await storedCounter(), next, 'the winner\'s counter is stored');
    assert.deepEqual({ signatures: await count('signatures'), audit: await count('audit_log') }, { signatures: before.signatures + 1, audit: before.audit + 1 });
    assert.ok(await server.db('signatures').where({ id: won[0]!.body.id }).first(), 'the winner\'s signature is the one stored');
  });

  test('user verification off', async () => {
    const o = await okOptions(ana, await residenceDraft());
    const p = await refusesAndStoresNothing(() => sign(o, ana, { userVerified: false }), 400, 'credential', 'rejected');
    assert.match(p.detail ?? '', /user.*verif/i);
  });

  test('another person\'s passkey, or another person\'s flow', async () => {
    const o = await okOptions(ana, await residenceDraft());
    const p = await refusesAndStoresNothing(() => sign(o, boris, {}, ana), 400, 'credential', 'rejected');
    assert.match(p.detail ?? '', /not one of yours/);
    const o2 = await okOptions(ana, await residenceDraft());
    await refusesAndStoresNothing(() => sign(o2, boris), 400, 'flowId', 'unknown');
  });

  test('the application changed between options and signing (409)', async () => {
    const id = await residenceDraft();
    const o = await okOptions(ana, id);
    assert.equal((await server.api('PUT', `/api/v1/applications/${id}`, { token: ana.token, body: { data: residence({ place: 'Drugo Mesto' }) } })).status, 200);
    const p = await refusesAndStoresNothing(() => sign(o, ana), 409);
    assert.equal(p.type, 'https://overa.dev/problems/subject-changed');
  });

  test('the application was submitted between options and signing (403)', async () => {
    const id = await residenceDraft();
    const o = await okOptions(ana, id);
    assert.equal((await submit(ana, id)).status, 200);
    const p = await refusesAndStoresNothing(() => sign(o, ana), 403);
    assert.equal(p.type, 'https://overa.dev/problems/not-allowed');
  });
});

describe('refused submissions', () => {
  test('a draft changed after signing is refused with digest-mismatch', async () => {
    const id = await residenceDraft();
    const s = await signed(ana, id);
    assert.equal((await server.api('PUT', `/api/v1/applications/${id}`, { token: ana.token, body: { data: residence({ street: 'Druga ulica 1' }) } })).status, 200);
    const p = assertProblem(await submit(ana, id, { signatureId: s.id }), 400, 'signatureId', 'digest-mismatch');
    assert.match(p.errors![0]!.message, /changed after it was signed/);
    const got = await server.api<App>('GET', `/api/v1/applications/${id}`, { token: ana.token });
    assert.equal(got.body.status, 'draft');
    assert.equal(got.body.signatureId, null);
  });

  test('a signature is used for one submission only', async () => {
    const first = await residenceDraft();
    const second = await residenceDraft();
    const s = await signed(ana, first);
    assertProblem(await submit(ana, second, { signatureId: s.id }), 400, 'signatureId', 'wrong-subject');
    assert.equal((await submit(ana, first, { signatureId: s.id })).status, 200);
    // Returned unchanged and submitted again with the same signature: it was spent.
    await server.db('applications').where({ id: first }).update({ status: 'returned' });
    assertProblem(await submit(ana, first, { signatureId: s.id }), 400, 'signatureId', 'used');
  });

  test('unknown signatures, other people\'s signatures and wrong types', async () => {
    const id = await residenceDraft();
    assertProblem(await submit(ana, id, { signatureId: '00000000-0000-4000-8000-000000000000' }), 400, 'signatureId', 'unknown');
    const borisApp = await residenceDraft(boris);
    const borisSignature = await signed(boris, borisApp);
    assertProblem(await submit(ana, id, { signatureId: borisSignature.id }), 400, 'signatureId', 'unknown');
    assertProblem(await submit(ana, id, { signatureId: 42 }), 400, 'signatureId', 'type');
    assertProblem(await submit(ana, id, { signatureId: 'x'.repeat(10_000) }), 400, 'signatureId', 'tooLong');
    assert.equal((await server.api<App>('GET', `/api/v1/applications/${id}`, { token: ana.token })).body.status, 'draft');
  });
});

describe('who may ask to sign', () => {
  test('a non-owner gets 404 (an official too: a draft is the applicant\'s alone), a submitted application 403', async () => {
    const id = await residenceDraft();
    assertProblem(await options(boris, id), 404);
    assertProblem(await options(clerk, id), 404);
    assertProblem(await options(ana, '00000000-0000-4000-8000-000000000000'), 404);
    assert.equal((await submit(ana, id)).status, 200);
    const p = assertProblem(await options(clerk, id), 403);
    assert.equal(p.type, 'https://overa.dev/problems/not-allowed');
    assertProblem(await options(ana, id), 403);
    assertProblem(await server.api('POST', '/api/v1/signatures/options', { body: { subject: { type: 'application', id }, action: 'submit' } }), 401);
  });
});

describe('bad bodies are a 400 naming the field, and store nothing', () => {
  test('options', async () => {
    const id = await residenceDraft();
    const flows = await count('challenges');
    const bad: [unknown, string][] = [
      [{ action: 'submit' }, 'subject'],
      [{ subject: 'application', action: 'submit' }, 'subject'],
      [{ subject: { type: 'application', id }, }, 'action'],
      [{ subject: { type: 7, id }, action: 'submit' }, 'subject.type'],
      [{ subject: { type: 'application' }, action: 'submit' }, 'subject.id'],
      [{ subject: { type: 'spaceship', id }, action: 'submit' }, 'subject.type'],
      [{ subject: { type: 'application', id }, action: 'approve' }, 'action'],
      [{ subject: { type: 'application', id }, action: 'submit', digest: 'sha256:AAAA' }, 'digest'],
      [{ subject: { type: 'application', id, digest: 'x' }, action: 'submit' }, 'subject.digest'],
      [{ subject: { type: 'application', id: 'x'.repeat(10_000) }, action: 'submit' }, 'subject.id'],
      [{ subject: { type: 'application', id }, action: 'a'.repeat(10_000) }, 'action'],
      [[], ''],
    ];
    for (const [body, field] of bad) assertProblem(await options(ana, id, body), 400, field);
    assert.equal(await count('challenges'), flows);
  });

  test('signing', async () => {
    const o = await okOptions(ana, await residenceDraft());
    const credential = await ana.authenticator.get(o.publicKey);
    const bad: [unknown, string][] = [
      [{ credential }, 'flowId'],
      [{ flowId: 7, credential }, 'flowId'],
      [{ flowId: 'x'.repeat(10_000), credential }, 'flowId'],
      [{ flowId: o.flowId }, 'credential'],
      [{ flowId: o.flowId, credential: 'yes' }, 'credential'],
      [{ flowId: o.flowId, credential, extra: 1 }, 'extra'],
      [{ flowId: o.flowId, credential: { ...credential, response: { ...credential.response, signature: 'not base64url!' } } }, 'credential.response.signature'],
      [{ flowId: o.flowId, credential: { ...credential, response: { ...credential.response, clientDataJSON: 'A'.repeat(100_000) } } }, 'credential.response.clientDataJSON'],
      [{ flowId: o.flowId, credential: { ...credential, response: { ...credential.response, authenticatorData: 5 } } }, 'credential.response.authenticatorData'],
    ];
    for (const [body, field] of bad) {
      await refusesAndStoresNothing(() => server.api('POST', '/api/v1/signatures', { token: ana.token, body }), 400, field);
    }
    // None of those used up the flow: the good request still works.
    assert.equal((await server.api('POST', '/api/v1/signatures', { token: ana.token, body: { flowId: o.flowId, credential } })).status, 201);
  });
});
