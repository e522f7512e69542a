/**
 * A software WebAuthn authenticator ("none" attestation; ES256 by default, or RS256 /
 * EdDSA on Ed25519) for server and core tests.
 * Real crypto, nothing mocked: it makes the same bytes a platform authenticator makes,
 * and can make them wrong on purpose (another origin, UV off, a stale counter), which a
 * real browser refuses to do. Browser tests use Chromium's virtual authenticator instead.
 */
import { createHash, webcrypto } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => new Uint8Array(createHash('sha256').update(b).digest());

export interface CeremonyOptions {
  origin?: string;
  userVerified?: boolean;
  userPresent?: boolean;
  /** Sign with this counter instead of the next one. */
  counter?: number;
  /** Replace the challenge in clientDataJSON. */
  challenge?: string;
  rpId?: string;
  /** Replace clientData.type (e.g. a `webauthn.create` type on an assertion). */
  type?: string;
}

/** COSE algorithms the soft authenticator can make credentials for. */
export type SoftAlgorithm = -7 | -257 | -8;

const KEY_PARAMS: Record<SoftAlgorithm, RsaHashedKeyGenParams | EcKeyGenParams | Algorithm> = {
  [-7]: { name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams,
  [-257]: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as RsaHashedKeyGenParams,
  [-8]: { name: 'Ed25519' },
};
const SIGN_PARAMS: Record<SoftAlgorithm, Algorithm | EcdsaParams> = {
  [-7]: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
  [-257]: { name: 'RSASSA-PKCS1-v1_5' },
  [-8]: { name: 'Ed25519' },
};
const fromB64u = (s: string | undefined) => new Uint8Array(Buffer.from(s!, 'base64url'));

/** ECDSA raw r‖s (WebCrypto) → DER SEQUENCE { INTEGER r, INTEGER s } (WebAuthn). */
function rawToDer(raw: Uint8Array): Uint8Array {
  const int = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    let v = bytes.subarray(i);
    if (v[0]! & 0x80) v = Uint8Array.of(0, ...v);
    return Uint8Array.of(0x02, v.length, ...v);
  };
  const r = int(raw.subarray(0, 32));
  const s = int(raw.subarray(32));
  return Uint8Array.of(0x30, r.length + s.length, ...r, ...s);
}

export class SoftAuthenticator {
  readonly credentialId = webcrypto.getRandomValues(new Uint8Array(32));
  private keys!: CryptoKeyPair;
  private userHandle = '';
  private cose: Uint8Array | undefined;
  counter = 0;

  constructor(readonly origin: string, readonly rpId = 'localhost', readonly alg: SoftAlgorithm = -7) {}

  /** The credential's COSE_Key bytes, as registered by `create`. */
  get publicKey(): Uint8Array {
    if (!this.cose) throw new Error('no credential yet: call create() first');
    return this.cose;
  }

  private async coseKey(): Promise<Uint8Array> {
    const jwk = await webcrypto.subtle.exportKey('jwk', this.keys.publicKey);
    const entries: [number, number | Uint8Array][] =
      this.alg === -7 ? [[1, 2], [3, -7], [-1, 1], [-2, fromB64u(jwk.x)], [-3, fromB64u(jwk.y)]]
      : this.alg === -257 ? [[1, 3], [3, -257], [-1, fromB64u(jwk.n)], [-2, fromB64u(jwk.e)]]
      : [[1, 1], [3, -8], [-1, 6], [-2, fromB64u(jwk.x)]];
    return isoCBOR.encode(new Map<number, number | Uint8Array>(entries));
  }

  get id(): string {
    return b64u(this.credentialId);
  }

  private authData(rpId: string, flags: number, counter: number, attested?: Uint8Array): Uint8Array {
    const head = new Uint8Array(37);
    head.set(sha256(rpId), 0);
    head[32] = flags;
    new DataView(head.buffer).setUint32(33, counter);
    return attested ? Uint8Array.of(...head, ...attested) : head;
  }

  private flags(o: CeremonyOptions, attested: boolean): number {
    return (o.userPresent === false ? 0 : 0x01) | (o.userVerified === false ? 0 : 0x04) | (attested ? 0x40 : 0);
  }

  async create(options: PublicKeyCredentialCreationOptionsJSON, o: CeremonyOptions = {}): Promise<RegistrationResponseJSON> {
    this.keys = (await webcrypto.subtle.generateKey(KEY_PARAMS[this.alg], true, ['sign', 'verify'])) as CryptoKeyPair;
    this.userHandle = options.user.id;
    const cose = (this.cose = await this.coseKey());
    const idLen = Uint8Array.of(this.credentialId.length >> 8, this.credentialId.length & 0xff);
    const attested = Uint8Array.of(...new Uint8Array(16), ...idLen, ...this.credentialId, ...cose);
    const authData = this.authData(o.rpId ?? this.rpId, this.flags(o, true), this.counter, attested);
    const clientData = JSON.stringify({
      type: 'webauthn.create',
      challenge: o.challenge ?? options.challenge,
      origin: o.origin ?? this.origin,
      crossOrigin: false,
    });
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]) as never);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64u(Buffer.from(clientData)), attestationObject: b64u(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  async get(options: PublicKeyCredentialRequestOptionsJSON, o: CeremonyOptions = {}): Promise<AuthenticationResponseJSON> {
    const counter = o.counter ?? ++this.counter;
    const authData = this.authData(o.rpId ?? this.rpId, this.flags(o, false), counter);
    const clientData = Buffer.from(
      JSON.stringify({ type: o.type ?? 'webauthn.get', challenge: o.challenge ?? options.challenge, origin: o.origin ?? this.origin, crossOrigin: false }),
    );
    const signed = Uint8Array.of(...authData, ...sha256(clientData));
    const raw = new Uint8Array(await webcrypto.subtle.sign(SIGN_PARAMS[this.alg], this.keys.privateKey, signed));
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientData),
        authenticatorData: b64u(authData),
        signature: b64u(this.alg === -7 ? rawToDer(raw) : raw),
        userHandle: this.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
