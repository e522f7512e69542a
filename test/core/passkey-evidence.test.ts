/**
 * `verifyPasskeyEvidence` with real ceremonies from the soft authenticator (ES256, RS256,
 * EdDSA) and real WebCrypto: it must agree with `@simplewebauthn/server`, refuse every
 * changed byte and payload field with the right reason, and turn any garbage into a report.
 */
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { encodeCBOR, type CBORType } from '@levischuck/tiny-cbor';
import { SoftAuthenticator, type CeremonyOptions, type SoftAlgorithm } from '../helpers/soft-authenticator.ts';
import { countCryptoWork } from '../helpers/crypto-work.ts';
import { contentDigest, payloadChallenge, signingPayload, type PasskeyEvidence, type SigningPayload } from '../../components/core/signing/payload.ts';
import { PASSKEY_EVIDENCE_LIMITS, verifyPasskeyEvidence, type VerifyPasskeyOptions } from '../../components/core/signing/verify-evidence.ts';
import { CoseError, derToRawEcdsa, importCoseKey } from '../../components/core/signing/cose.ts';
import { overallIndication, verificationReport, type SignatureReportEntry } from '../../components/core/report.ts';
import { fromBase64Url, toBase64Url } from '../../components/core/encoding.ts';

const ORIGIN = 'https://eprijava.example';
const OTHER_ORIGIN = 'https://mobile.eprijava.example';
const RP_ID = 'eprijava.example';
const OPTIONS: VerifyPasskeyOptions = { rpId: RP_ID, allowedOrigins: [ORIGIN] };
const ALGS: [string, SoftAlgorithm][] = [['ES256', -7], ['RS256', -257], ['EdDSA', -8]];

const SIGNER = { id: 'u-ana', displayName: 'Ana Anić', kind: 'citizen', agencyId: null, roles: [] } as const;

async function newAuthenticator(alg: SoftAlgorithm): Promise<SoftAuthenticator> {
  const a = new SoftAuthenticator(ORIGIN, RP_ID, alg);
  await a.create({ challenge: 'AAAA', user: { id: 'dS1hbmE', name: 'ana', displayName: 'Ana' } } as PublicKeyCredentialCreationOptionsJSON);
  return a;
}

async function makePayload(change: Partial<SigningPayload> = {}): Promise<SigningPayload> {
  return {
    ...signingPayload({ subject: { type: 'application', id: 'app-42' }, action: 'submit', digest: await contentDigest({ name: 'Ana', jmbg: '0101990710006' }) }),
    ...change,
  };
}

interface Ceremony {
  authenticator: SoftAuthenticator;
  evidence: PasskeyEvidence;
  response: AuthenticationResponseJSON;
}

/** A signing ceremony as the server runs it: payload → challenge → assertion → evidence. */
async function ceremony(a: SoftAuthenticator, o: CeremonyOptions = {}, payload?: SigningPayload): Promise<Ceremony> {
  const p = payload ?? (await makePayload());
  const challenge = toBase64Url(await payloadChallenge(p));
  const response = await a.get({ challenge, rpId: RP_ID } as PublicKeyCredentialRequestOptionsJSON, o);
  return {
    authenticator: a,
    response,
    evidence: {
      payload: p,
      credentialId: response.id,
      publicKey: toBase64Url(a.publicKey),
      algorithm: a.alg,
      authenticatorData: response.response.authenticatorData,
      clientDataJSON: response.response.clientDataJSON,
      signature: response.response.signature,
      signer: { ...SIGNER, roles: [] },
      signedAt: '2025-03-01T10:00:00.000Z',
    },
  };
}

/** What `@simplewebauthn/server` says about the same evidence (its challenge computed from the evidence's payload). */
async function reference(evidence: PasskeyEvidence, response: AuthenticationResponseJSON, options: VerifyPasskeyOptions): Promise<boolean> {
  try {
    const r = await verifyAuthenticationResponse({
      response: {
        ...response,
        response: { ...response.response, authenticatorData: evidence.authenticatorData, clientDataJSON: evidence.clientDataJSON, signature: evidence.signature },
      },
      expectedChallenge: toBase64Url(await payloadChallenge(evidence.payload)),
      expectedOrigin: [...options.allowedOrigins],
      expectedRPID: options.rpId,
      credential: { id: evidence.credentialId, publicKey: new Uint8Array(fromBase64Url(evidence.publicKey)), counter: 0 },
      requireUserVerification: options.requireUserVerification ?? true,
    });
    return r.verified;
  } catch {
    return false;
  }
}

const codes = (e: SignatureReportEntry) => e.reasons.map((r) => r.code).sort();
const withBytes = (b64: string, change: (b: Uint8Array) => void) => {
  const b = fromBase64Url(b64);
  change(b);
  return toBase64Url(b);
};

const authenticators = new Map<SoftAlgorithm, [SoftAuthenticator, SoftAuthenticator]>();
before(async () => {
  for (const [, alg] of ALGS) authenticators.set(alg, [await newAuthenticator(alg), await newAuthenticator(alg)]);
});

describe('agrees with @simplewebauthn/server on real ceremonies', () => {
  interface Case {
    name: string;
    expect: boolean;
    ceremony?: CeremonyOptions;
    options?: Partial<VerifyPasskeyOptions>;
    change?: (c: Ceremony, other: SoftAuthenticator) => Promise<void> | void;
  }
  const cases: Case[] = [
    { name: 'as signed', expect: true },
    { name: 'UV off, UV required', expect: false, ceremony: { userVerified: false } },
    { name: 'UV off, UV not required', expect: true, ceremony: { userVerified: false }, options: { requireUserVerification: false } },
    { name: 'UP off', expect: false, ceremony: { userPresent: false } },
    { name: 'another origin', expect: false, ceremony: { origin: 'https://evil.example' } },
    { name: 'second allowed origin', expect: true, ceremony: { origin: OTHER_ORIGIN }, options: { allowedOrigins: [ORIGIN, OTHER_ORIGIN] } },
    { name: 'credential scoped to another rpId', expect: false, ceremony: { rpId: 'evil.example' } },
    { name: 'verified for another rpId', expect: false, options: { rpId: 'other.example' } },
    { name: 'webauthn.create type', expect: false, ceremony: { type: 'webauthn.create' } },
    { name: 'challenge of another payload', expect: false, ceremony: { challenge: 'x'.repeat(43) } },
    { name: 'payload action changed', expect: false, change: (c) => void (c.evidence.payload = { ...c.evidence.payload, action: 'approve' }) },
    {
      name: 'payload digest changed',
      expect: false,
      change: async (c) => void (c.evidence.payload = { ...c.evidence.payload, digest: await contentDigest({ name: 'Boris' }) }),
    },
    { name: 'payload iat changed', expect: false, change: (c) => void (c.evidence.payload = { ...c.evidence.payload, iat: c.evidence.payload.iat + 1 }) },
    { name: 'another credential\'s key', expect: false, change: (c, other) => void (c.evidence.publicKey = toBase64Url(other.publicKey)) },
  ];
  for (const [algName, alg] of ALGS) {
    for (const k of cases) {
      test(`${algName}: ${k.name}`, async () => {
        const [a, other] = authenticators.get(alg)!;
        const c = await ceremony(a, k.ceremony);
        await k.change?.(c, other);
        const options = { ...OPTIONS, ...k.options };
        const ours = await verifyPasskeyEvidence(c.evidence, options);
        const theirs = await reference(c.evidence, c.response, options);
        assert.equal(theirs, k.expect, 'simplewebauthn');
        assert.equal(ours.indication === 'TOTAL_PASSED', theirs, JSON.stringify(ours));
        if (!k.expect) assert.equal(ours.indication, 'TOTAL_FAILED', JSON.stringify(ours));
      });
    }
  }
});

describe('a passing report', () => {
  test('TOTAL_PASSED with no reasons; id, signer, signedAt and scope from the evidence', async () => {
    for (const [, alg] of ALGS) {
      const c = await ceremony(authenticators.get(alg)![0]);
      const e = await verifyPasskeyEvidence(c.evidence, OPTIONS);
      assert.deepEqual(e, {
        id: c.evidence.credentialId,
        kind: 'passkey',
        indication: 'TOTAL_PASSED',
        reasons: [],
        signer: c.evidence.signer,
        signedAt: c.evidence.signedAt,
        scope: { digest: c.evidence.payload.digest, subject: c.evidence.payload.subject, action: c.evidence.payload.action },
      });
    }
  });

  test('the evidence survives a JSON round trip (as stored and handed out)', async () => {
    const c = await ceremony(authenticators.get(-7)![0]);
    const e = await verifyPasskeyEvidence(JSON.parse(JSON.stringify(c.evidence)), OPTIONS);
    assert.equal(e.indication, 'TOTAL_PASSED');
  });

  test('a signer without agencyId (dropped by JSON) still passes, as agencyId null', async () => {
    const c = await ceremony(authenticators.get(-7)![0]);
    const { agencyId: _, ...signer } = c.evidence.signer;
    const e = await verifyPasskeyEvidence({ ...c.evidence, signer }, OPTIONS);
    assert.equal(e.indication, 'TOTAL_PASSED');
    assert.equal(e.signer?.agencyId, null);
  });
});

describe('every single-byte change fails (ES256)', () => {
  let c: Ceremony;
  before(async () => {
    c = await ceremony(authenticators.get(-7)![0]);
    assert.equal((await verifyPasskeyEvidence(c.evidence, OPTIONS)).indication, 'TOTAL_PASSED');
  });

  /** Verifies every variant, a few at a time (WebCrypto runs on the thread pool). */
  async function allFail(field: 'authenticatorData' | 'clientDataJSON' | 'signature', deltas: number[]): Promise<number> {
    const length = fromBase64Url(c.evidence[field]).length;
    const variants: PasskeyEvidence[] = [];
    for (let i = 0; i < length; i++) {
      for (const d of deltas) variants.push({ ...c.evidence, [field]: withBytes(c.evidence[field], (b) => void (b[i] = b[i]! ^ d)) });
    }
    for (let i = 0; i < variants.length; i += 64) {
      const results = await Promise.all(variants.slice(i, i + 64).map((v) => verifyPasskeyEvidence(v, OPTIONS)));
      results.forEach((r, j) => assert.notEqual(r.indication, 'TOTAL_PASSED', `${field} variant ${i + j}`));
    }
    return variants.length;
  }

  const everyValue = Array.from({ length: 255 }, (_, i) => i + 1);
  // For the longer fields, every position with the lowest bit, the highest bit, all bits and
  // one random change: every value everywhere would be ~90 k verifications (~13 s) for no
  // more coverage of the code paths.
  const someValues = () => [0x01, 0x80, 0xff, 2 + Math.floor(Math.random() * 125)];

  test('authenticatorData: all 255 other values at each of its 37 bytes', async () => {
    assert.equal(fromBase64Url(c.evidence.authenticatorData).length, 37);
    assert.equal(await allFail('authenticatorData', everyValue), 37 * 255);
  });

  test('clientDataJSON: every position, four changes each', async () => {
    assert.ok((await allFail('clientDataJSON', someValues())) > 100 * 4);
  });

  test('signature: every position, four changes each', async () => {
    assert.ok((await allFail('signature', someValues())) >= 68 * 4);
  });

  test('a changed payload field, or an added one, fails', async () => {
    const p = c.evidence.payload;
    const changes: Record<string, unknown> = {
      'v': { ...p, v: 2 },
      'purpose': { ...p, purpose: 'overa-login' },
      'subject.type': { ...p, subject: { ...p.subject, type: 'decision' } },
      'subject.id': { ...p, subject: { ...p.subject, id: 'app-43' } },
      'action': { ...p, action: 'withdraw' },
      'digest': { ...p, digest: await contentDigest({ name: 'Boris' }) },
      'nonce': { ...p, nonce: toBase64Url(new Uint8Array(16)) },
      'iat': { ...p, iat: p.iat - 60 },
      'added field': { ...p, amount: 1_000_000 },
      'added subject field': { ...p, subject: { ...p.subject, version: 2 } },
    };
    for (const [name, payload] of Object.entries(changes)) {
      const e = await verifyPasskeyEvidence({ ...c.evidence, payload }, OPTIONS);
      assert.equal(e.indication, 'TOTAL_FAILED', name);
      const expected = ['v', 'purpose', 'added field', 'added subject field'].includes(name) ? 'FORMAT_FAILURE' : 'HASH_FAILURE';
      assert.equal(e.subIndication, expected, `${name}: ${JSON.stringify(e)}`);
    }
  });
});

describe('each failed check has its reason', () => {
  const cases: [string, CeremonyOptions, string[], string][] = [
    ['wrong origin', { origin: 'https://evil.example' }, ['origin-not-allowed'], 'SIG_CONSTRAINTS_FAILURE'],
    ['wrong rpId', { rpId: 'evil.example' }, ['rp-id-mismatch'], 'SIG_CONSTRAINTS_FAILURE'],
    ['UV off', { userVerified: false }, ['user-not-verified'], 'SIG_CONSTRAINTS_FAILURE'],
    ['UP off', { userPresent: false }, ['user-not-present'], 'SIG_CONSTRAINTS_FAILURE'],
    ['webauthn.create', { type: 'webauthn.create' }, ['wrong-type'], 'SIG_CONSTRAINTS_FAILURE'],
    ['challenge of something else', { challenge: toBase64Url(new Uint8Array(32)) }, ['challenge-mismatch'], 'HASH_FAILURE'],
    [
      'several at once',
      { origin: 'https://evil.example', userVerified: false, rpId: 'evil.example', challenge: toBase64Url(new Uint8Array(32)) },
      ['challenge-mismatch', 'origin-not-allowed', 'rp-id-mismatch', 'user-not-verified'],
      'HASH_FAILURE',
    ],
  ];
  for (const [name, o, expected, sub] of cases) {
    test(name, async () => {
      const c = await ceremony(authenticators.get(-7)![0], o);
      const e = await verifyPasskeyEvidence(c.evidence, OPTIONS);
      assert.equal(e.indication, 'TOTAL_FAILED');
      assert.equal(e.subIndication, sub);
      assert.deepEqual(codes(e), expected);
    });
  }

  test('signature by another key: bad-signature, SIG_CRYPTO_FAILURE', async () => {
    for (const [, alg] of ALGS) {
      const [a, other] = authenticators.get(alg)!;
      const c = await ceremony(a);
      const e = await verifyPasskeyEvidence({ ...c.evidence, publicKey: toBase64Url(other.publicKey) }, OPTIONS);
      assert.deepEqual([e.indication, e.subIndication, codes(e)], ['TOTAL_FAILED', 'SIG_CRYPTO_FAILURE', ['bad-signature']]);
    }
  });

  test('UV not required: UV off passes', async () => {
    const c = await ceremony(authenticators.get(-8)![0], { userVerified: false });
    assert.equal((await verifyPasskeyEvidence(c.evidence, { ...OPTIONS, requireUserVerification: false })).indication, 'TOTAL_PASSED');
  });

  test('evidence.algorithm must be the key\'s', async () => {
    const c = await ceremony(authenticators.get(-7)![0]);
    const e = await verifyPasskeyEvidence({ ...c.evidence, algorithm: -257 }, OPTIONS);
    assert.deepEqual([e.indication, e.subIndication, codes(e)], ['TOTAL_FAILED', 'FORMAT_FAILURE', ['algorithm-mismatch']]);
  });

  test('an unsupported algorithm or key is INDETERMINATE, not a forgery', async () => {
    const c = await ceremony(authenticators.get(-7)![0]);
    const es384 = encodeCBOR(new Map<number, CBORType>([[1, 2], [3, -35], [-1, 2], [-2, new Uint8Array(48)], [-3, new Uint8Array(48)]]));
    let e = await verifyPasskeyEvidence({ ...c.evidence, publicKey: toBase64Url(es384), algorithm: -35 }, OPTIONS);
    assert.deepEqual([e.indication, codes(e)], ['INDETERMINATE', ['unsupported-algorithm']]);
    const rsa1024 = encodeCBOR(new Map<number, CBORType>([[1, 3], [3, -257], [-1, new Uint8Array(128).fill(0xc5)], [-2, Uint8Array.of(1, 0, 1)]]));
    e = await verifyPasskeyEvidence({ ...c.evidence, publicKey: toBase64Url(rsa1024), algorithm: -257 }, OPTIONS);
    assert.deepEqual([e.indication, codes(e)], ['INDETERMINATE', ['unsupported-key']]);
    // With a changed payload as well, the failure wins.
    e = await verifyPasskeyEvidence({ ...c.evidence, publicKey: toBase64Url(es384), algorithm: -35, payload: { ...c.evidence.payload, action: 'x' } }, OPTIONS);
    assert.deepEqual([e.indication, e.subIndication], ['TOTAL_FAILED', 'HASH_FAILURE']);
  });
});

describe('garbage in, a report out', () => {
  const huge = 'A'.repeat(10 * 1024 * 1024);
  let good: PasskeyEvidence;
  before(async () => {
    good = (await ceremony(authenticators.get(-7)![0])).evidence;
  });

  /**
   * What one evidence may cost, whatever it holds: hashing the largest clientDataJSON allowed,
   * a payload (its text fields are capped at a few hundred characters each) and the rpId, and
   * one signature check. A 10 MB field that were decoded or hashed would be far over.
   */
  const MAX_HASHED_BYTES = PASSKEY_EVIDENCE_LIMITS.clientDataJSON + 16 * 1024;

  async function refuses(input: unknown, label: string): Promise<SignatureReportEntry> {
    const { result: e, hashedBytes, verifications } = await countCryptoWork(() => verifyPasskeyEvidence(input, OPTIONS));
    assert.ok(hashedBytes <= MAX_HASHED_BYTES, `${label}: ${hashedBytes} bytes hashed`);
    assert.ok(verifications <= 1, `${label}: ${verifications} signature checks`);
    assert.notEqual(e.indication, 'TOTAL_PASSED', label);
    assert.ok(e.reasons.length > 0, label);
    assert.equal(e.kind, 'passkey');
    return e;
  }

  test('non-objects', async () => {
    const inputs: unknown[] = [null, undefined, 0, -1, NaN, Infinity, 1n, true, '', 'evidence', huge, [], [good], () => good, Symbol('x'), new Uint8Array(64)];
    for (const [i, input] of inputs.entries()) {
      const e = await refuses(input, `input ${i}`);
      assert.deepEqual([e.indication, e.subIndication, e.id], ['TOTAL_FAILED', 'FORMAT_FAILURE', '']);
    }
  });

  test('an empty object lists every missing field', async () => {
    const e = await refuses({}, '{}');
    assert.equal(e.subIndication, 'FORMAT_FAILURE');
    for (const field of ['credentialId', 'payload', 'signer', 'signedAt', 'authenticatorData', 'clientDataJSON', 'signature', 'publicKey', 'algorithm']) {
      assert.ok(e.reasons.some((r) => r.detail?.startsWith(field)), `${field}: ${JSON.stringify(e.reasons)}`);
    }
  });

  test('each field replaced by garbage', async () => {
    const random = (n: number) => toBase64Url(crypto.getRandomValues(new Uint8Array(n)));
    const garbage: unknown[] = [null, 42, -7.5, '', ' ', 'not base64!', 'A', '=', huge, `${random(32)}==`, random(1), random(37), random(64), random(2000), {}, [], [1, 2], { nested: { deep: true } }, true];
    for (const field of Object.keys(good) as (keyof PasskeyEvidence)[]) {
      for (const [i, value] of garbage.entries()) {
        if (field === 'credentialId' && typeof value === 'string' && /^[A-Za-z0-9_-]{2,}$/.test(value) && value.length < 1365) {
          // The assertion does not sign the credential id: any well-formed one is only a label.
          const e = await verifyPasskeyEvidence({ ...good, credentialId: value }, OPTIONS);
          assert.deepEqual([e.indication, e.id], ['TOTAL_PASSED', value]);
          continue;
        }
        const e = await refuses({ ...good, [field]: value }, `${field} ${i}`);
        if (field !== 'payload' && field !== 'credentialId' && field !== 'signer') {
          assert.equal(e.id, good.credentialId, 'the id comes from a well-formed credentialId');
        }
      }
    }
  });

  test('random bytes in every binary field, many times', async () => {
    const binary = ['credentialId', 'publicKey', 'authenticatorData', 'clientDataJSON', 'signature'] as const;
    for (let round = 0; round < 300; round++) {
      const e: Record<string, unknown> = { ...good };
      for (const f of binary) if (Math.random() < 0.6) e[f] = toBase64Url(crypto.getRandomValues(new Uint8Array(Math.floor(Math.random() * 300))));
      // The credential id is not signed; make sure at least one signed field is random.
      if (binary.every((f) => f === 'credentialId' || e[f] === good[f])) e.signature = toBase64Url(crypto.getRandomValues(new Uint8Array(70)));
      await refuses(e, `round ${round}`);
    }
  });

  test('hostile structures: 10 MB payload strings, deep JSON, CBOR bombs, throwing getters', async () => {
    const p = good.payload;
    await refuses({ ...good, payload: { ...p, subject: { type: 'application', id: huge } } }, 'huge subject id');
    await refuses({ ...good, payload: { ...p, action: huge } }, 'huge action');
    await refuses({ ...good, payload: { ...p, nonce: huge } }, 'huge nonce');
    await refuses({ ...good, signer: { ...good.signer, displayName: huge } }, 'huge displayName');
    await refuses({ ...good, signer: { ...good.signer, roles: Array.from({ length: 100_000 }, () => 'clerk') } }, 'many roles');
    const deep = new TextEncoder().encode('['.repeat(30_000) + ']'.repeat(30_000));
    await refuses({ ...good, clientDataJSON: toBase64Url(deep) }, 'deep JSON');
    const tooBig = new TextEncoder().encode(JSON.stringify({ type: 'webauthn.get', challenge: 'x', origin: ORIGIN, pad: 'x'.repeat(70_000) }));
    const e = await refuses({ ...good, clientDataJSON: toBase64Url(tooBig) }, 'clientDataJSON over 64 KB');
    assert.ok(codes(e).includes('too-large'));
    // CBOR claiming a 4 GB byte string, and an array nested 1000 deep.
    await refuses({ ...good, publicKey: toBase64Url(Uint8Array.of(0xa1, 0x01, 0x5a, 0xff, 0xff, 0xff, 0xff, 0x00)) }, 'CBOR length bomb');
    await refuses({ ...good, publicKey: toBase64Url(new Uint8Array(1000).fill(0x81)) }, 'CBOR deep array');
    const throwing = { ...good };
    Object.defineProperty(throwing, 'signature', { enumerable: true, get: () => { throw new Error('boom'); } });
    const t = await refuses(throwing, 'throwing getter');
    assert.deepEqual([t.indication, codes(t)], ['INDETERMINATE', ['verifier-error']]);
    await refuses({ ...good, payload: new Proxy({ ...p }, { ownKeys: () => { throw new Error('no keys'); } }) }, 'throwing proxy payload');
  });
});

describe('COSE keys and ECDSA signatures', () => {
  test('importCoseKey refuses malformed keys with a typed error', async () => {
    const x = new Uint8Array(32).fill(1);
    const bad: [string, Uint8Array | string, string][] = [
      ['not base64url', '***', 'malformed'],
      ['empty', new Uint8Array(0), 'malformed'],
      ['not CBOR', Uint8Array.of(0xff, 0xff), 'malformed'],
      ['trailing bytes', Uint8Array.of(0xa0, 0x00), 'malformed'],
      ['not a map', encodeCBOR([1, 2, 3]), 'malformed'],
      ['no alg', encodeCBOR(new Map<number, CBORType>([[1, 2], [-1, 1], [-2, x], [-3, x]])), 'malformed'],
      ['ES256 with kty OKP', encodeCBOR(new Map<number, CBORType>([[1, 1], [3, -7], [-1, 1], [-2, x], [-3, x]])), 'malformed'],
      ['ES256 on P-384', encodeCBOR(new Map<number, CBORType>([[1, 2], [3, -7], [-1, 2], [-2, x], [-3, x]])), 'malformed'],
      ['short coordinate', encodeCBOR(new Map<number, CBORType>([[1, 2], [3, -7], [-1, 1], [-2, x.subarray(1)], [-3, x]])), 'malformed'],
      ['point off the curve', encodeCBOR(new Map<number, CBORType>([[1, 2], [3, -7], [-1, 1], [-2, x], [-3, x]])), 'malformed'],
      ['Ed448', encodeCBOR(new Map<number, CBORType>([[1, 1], [3, -8], [-1, 7], [-2, new Uint8Array(57)]])), 'unsupported-key'],
      ['PS256', encodeCBOR(new Map<number, CBORType>([[1, 3], [3, -37], [-1, new Uint8Array(256).fill(0xc5)], [-2, Uint8Array.of(1, 0, 1)]])), 'unsupported-algorithm'],
      ['RSA even exponent', encodeCBOR(new Map<number, CBORType>([[1, 3], [3, -257], [-1, new Uint8Array(256).fill(0xc5)], [-2, Uint8Array.of(2)]])), 'malformed'],
      ['too large', new Uint8Array(3000), 'malformed'],
    ];
    for (const [name, input, code] of bad) {
      await assert.rejects(importCoseKey(input), (err: unknown) => err instanceof CoseError && err.code === code, name);
    }
  });

  test('importCoseKey takes each registered key, as bytes or base64url', async () => {
    for (const [name, alg] of ALGS) {
      const a = authenticators.get(alg)![0];
      assert.equal((await importCoseKey(a.publicKey)).name, name);
      assert.equal((await importCoseKey(toBase64Url(a.publicKey))).alg, alg);
    }
  });

  /** raw r‖s → DER, independently of the soft authenticator's copy. */
  function der(raw: Uint8Array): Uint8Array {
    const int = (v: Uint8Array) => {
      let i = 0;
      while (i < v.length - 1 && v[i] === 0) i++;
      const body = v[i]! & 0x80 ? [0, ...v.subarray(i)] : [...v.subarray(i)];
      return [0x02, body.length, ...body];
    };
    const r = int(raw.subarray(0, 32));
    const s = int(raw.subarray(32));
    return Uint8Array.of(0x30, r.length + s.length, ...r, ...s);
  }

  test('derToRawEcdsa undoes DER for short, long and padded integers', () => {
    const samples: Uint8Array[] = [];
    for (let i = 0; i < 500; i++) samples.push(crypto.getRandomValues(new Uint8Array(64)));
    const edge = new Uint8Array(64);
    edge[31] = 1; // r = 1
    edge[32] = 0x80; // s with its high bit set (needs a 0x00 pad)
    samples.push(edge, new Uint8Array(64).fill(0xff));
    const shortR = crypto.getRandomValues(new Uint8Array(64));
    shortR.fill(0, 0, 3);
    samples.push(shortR);
    for (const raw of samples) assert.deepEqual(derToRawEcdsa(der(raw)), raw);
  });

  test('derToRawEcdsa reads P-521 signatures, whose SEQUENCE needs the long-form length', async () => {
    const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-521' }, false, ['sign']);
    const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-512' }, privateKey, new Uint8Array([1, 2, 3])));
    const int = (v: Uint8Array) => {
      let i = 0;
      while (i < v.length - 1 && v[i] === 0) i++;
      const t = v.subarray(i);
      return t[0]! & 0x80 ? Uint8Array.of(0x02, t.length + 1, 0, ...t) : Uint8Array.of(0x02, t.length, ...t);
    };
    const body = [...int(raw.subarray(0, 66)), ...int(raw.subarray(66))];
    const encoded = body.length >= 0x80 ? Uint8Array.of(0x30, 0x81, body.length, ...body) : Uint8Array.of(0x30, body.length, ...body);
    assert.deepEqual(derToRawEcdsa(encoded, 66), raw);
  });

  test('derToRawEcdsa refuses anything but strict DER', () => {
    const good = der(Uint8Array.from({ length: 64 }, (_, i) => i + 1)); // no high bits: no padding
    const bad: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['trailing byte', Uint8Array.of(...good, 0)],
      ['wrong outer length', Uint8Array.of(0x30, good[1]! + 1, ...good.subarray(2))],
      ['not a SEQUENCE', Uint8Array.of(0x31, ...good.subarray(1))],
      ['not an INTEGER', Uint8Array.of(0x30, good[1]!, 0x03, ...good.subarray(3))],
      ['negative r', Uint8Array.of(0x30, 0x44, 0x02, 0x20, 0x80, ...new Uint8Array(31), 0x02, 0x20, ...new Uint8Array(32).fill(1))],
      ['needless zero pad', Uint8Array.of(0x30, 0x45, 0x02, 0x21, 0x00, 0x01, ...new Uint8Array(31), 0x02, 0x20, ...new Uint8Array(32).fill(1))],
      ['r of 33 bytes', Uint8Array.of(0x30, 0x45, 0x02, 0x21, 0x01, ...new Uint8Array(32), 0x02, 0x20, ...new Uint8Array(32).fill(1))],
      ['zero-length INTEGER', Uint8Array.of(0x30, 0x24, 0x02, 0x00, 0x02, 0x20, ...new Uint8Array(32).fill(1))],
      ['long-form length', Uint8Array.of(0x30, 0x81, 0x44, ...good.subarray(2))],
    ];
    for (const [name, input] of bad) assert.throws(() => derToRawEcdsa(input), (err: unknown) => err instanceof CoseError && err.code === 'malformed', name);
  });
});

describe('report helpers', () => {
  const entry = (indication: SignatureReportEntry['indication'], subIndication?: SignatureReportEntry['subIndication']): SignatureReportEntry =>
    subIndication ? { id: 'x', kind: 'passkey', indication, subIndication, reasons: [{ code: 'c' }] } : { id: 'x', kind: 'seal', indication, reasons: [] };

  test('the worst indication wins', () => {
    assert.deepEqual(overallIndication([entry('TOTAL_PASSED'), entry('INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND'), entry('TOTAL_PASSED')]), {
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
    });
    assert.deepEqual(overallIndication([entry('INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE'), entry('TOTAL_FAILED', 'HASH_FAILURE'), entry('TOTAL_FAILED', 'REVOKED')]), {
      indication: 'TOTAL_FAILED',
      subIndication: 'HASH_FAILURE',
    });
    assert.deepEqual(overallIndication([entry('TOTAL_PASSED'), entry('TOTAL_PASSED')]), { indication: 'TOTAL_PASSED' });
    assert.deepEqual(overallIndication([]), { indication: 'INDETERMINATE' }, 'nothing signed is not a pass');
  });

  test('verificationReport counts and stamps', () => {
    const at = new Date('2025-03-01T12:00:00Z');
    const r = verificationReport([entry('TOTAL_PASSED'), entry('TOTAL_FAILED', 'SIG_CRYPTO_FAILURE')], at);
    assert.deepEqual(
      { ...r, signatures: r.signatures.length },
      { indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE', signatures: 2, signaturesCount: 2, validSignaturesCount: 1, validationTime: '2025-03-01T12:00:00.000Z' },
    );
  });
});
