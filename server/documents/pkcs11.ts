/**
 * Seal keys inside a PKCS#11 token: an HSM, a cloud HSM's PKCS#11 library, a smart card, or
 * SoftHSM2 in the tests. The private key never leaves the token; the seal's signature is made
 * by the token through WebCrypto (`node-webcrypto-p11`), which pkijs takes as the crypto engine
 * of that seal, so the CMS is built exactly as for a key file (seal.ts does not know the
 * difference). `graphene-pk11` (the PKCS#11 layer node-webcrypto-p11 is built on) only finds
 * the slot whose token has the configured label and logs in; no PKCS#11 call is written here.
 *
 * Configuration: the module (`OVERA_PKCS11_MODULE`, the library's path) and the user PIN
 * (`OVERA_PKCS11_PIN`, from the environment only) are the server's; the token label and the
 * key label are each agency's (`overa keys import --agency A --pkcs11 TOKEN:KEY`, keys.ts).
 *
 * One logged-in session per token per key store, kept open while the server runs. A session
 * signs one thing at a time (PKCS#11 allows one active operation per session), so signing is
 * queued per token. A device error (token removed, session closed, logged out) drops the
 * session: the next issuance opens it again, or fails with a KeyError (503) while it cannot.
 */
import { constants as cryptoConstants, createPublicKey, randomBytes, verify as verifySignature } from 'node:crypto';
import * as graphene from 'graphene-pk11';
import { Crypto as P11Crypto, type CryptoKey as P11CryptoKey } from 'node-webcrypto-p11';
// The default import: the package is CommonJS whose error class and constants Node's ESM loader does not see as named exports.
import pkcs11js from 'pkcs11js';
import * as pkijs from 'pkijs';
import { KeyError } from './key-error.ts';
import type { Der } from './certificates.ts';

/** The server's PKCS#11 settings (Config.pkcs11Module, Config.pkcs11Pin). */
export interface Pkcs11Settings {
  pkcs11Module?: string | undefined;
  pkcs11Pin?: string | undefined;
}

/** Where an agency's token key is: the token's label and the private key's label (CKA_LABEL). */
export interface TokenBinding {
  token: string;
  key: string;
}

/** `TOKEN:KEY` as `overa keys import --pkcs11` takes it (the key label may hold colons; the token label not). */
export function parseBinding(text: string): TokenBinding {
  const at = text.indexOf(':');
  const token = at < 0 ? '' : text.slice(0, at);
  const key = at < 0 ? '' : text.slice(at + 1);
  if (!token.trim() || !key.trim()) throw new KeyError(`--pkcs11 "${text}" is not TOKEN-LABEL:KEY-LABEL`);
  return { token, key };
}

/** A token key, ready to sign through its token. */
export interface TokenKey {
  privateKey: CryptoKey;
  engine: pkijs.ICryptoEngine;
  /** The token's WebCrypto (for reading its certificates). */
  crypto: P11Crypto;
  /** False once the session was dropped (device error, store closed): load the seal again. */
  readonly open: boolean;
}

const NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(pkcs11js).filter(([name, value]) => name.startsWith('CKR_') && typeof value === 'number').map(([name, value]) => [value as number, name]),
);

/** The PKCS#11 return value's name (CKR_PIN_INCORRECT…) when the error is one, else its message. */
function reason(err: unknown): string {
  if (err instanceof pkcs11js.Pkcs11Error) return NAMES[err.code] ?? `CKR 0x${err.code.toString(16)}`;
  return (err as Error).message ?? String(err);
}

const codeOf = (err: unknown) => (err instanceof pkcs11js.Pkcs11Error ? err.code : undefined);

/** Errors after which the session is gone (the token was removed, closed or logged out). */
const SESSION_LOST = new Set([
  pkcs11js.CKR_DEVICE_REMOVED, pkcs11js.CKR_DEVICE_ERROR, pkcs11js.CKR_TOKEN_NOT_PRESENT, pkcs11js.CKR_SESSION_CLOSED,
  pkcs11js.CKR_SESSION_HANDLE_INVALID, pkcs11js.CKR_USER_NOT_LOGGED_IN,
]);

interface OpenToken {
  label: string;
  session: graphene.Session;
  crypto: P11Crypto;
  open: boolean;
  /** The tail of the signing queue. */
  queue: Promise<unknown>;
}

/**
 * pkijs's engine over the token's WebCrypto, signing one at a time per session and turning a
 * token's refusal into a KeyError (and a lost session into a reopen at the next use).
 */
class TokenEngine extends pkijs.CryptoEngine {
  constructor(private readonly token: OpenToken, private readonly drop: (token: OpenToken) => void) {
    super({ name: `pkcs11:${token.label}`, crypto: token.crypto as unknown as Crypto });
  }

  override signWithPrivateKey(data: BufferSource, privateKey: CryptoKey, parameters: pkijs.CryptoEngineSignWithPrivateKeyParams): Promise<ArrayBuffer> {
    const run = async () => {
      if (!this.token.open) throw new KeyError(`the session with PKCS#11 token "${this.token.label}" was closed; the seal is loaded again at the next issuance`);
      try {
        return await super.signWithPrivateKey(data, privateKey, parameters);
      } catch (err) {
        if (SESSION_LOST.has(codeOf(err) ?? -1)) this.drop(this.token);
        throw new KeyError(`PKCS#11 token "${this.token.label}" did not sign (${reason(err)})`);
      }
    };
    const result = this.token.queue.then(run, run);
    this.token.queue = result.catch(() => undefined);
    return result;
  }
}

/**
 * The tokens a key store has open. The module is loaded and initialised once per process by
 * the PKCS#11 library itself (a second C_Initialize answers "already initialised", which is
 * fine); it is never finalised here, because C_Finalize would end every other store's sessions
 * in the process too.
 */
export class TokenSessions {
  private readonly tokens = new Map<string, OpenToken>();
  /** Token label → the PIN it refused: not tried again (see openToken). */
  private readonly refusedPins = new Map<string, string>();
  private module: graphene.Module | undefined;

  constructor(private readonly settings: Pkcs11Settings) {}

  private loadModule(): graphene.Module {
    if (this.module) return this.module;
    const path = this.settings.pkcs11Module;
    if (!path) throw new KeyError('OVERA_PKCS11_MODULE is not set, but a seal key is bound to a PKCS#11 token: set it to the path of the token\'s PKCS#11 library');
    let mod: graphene.Module;
    try {
      mod = graphene.Module.load(path);
    } catch (err) {
      throw new KeyError(`OVERA_PKCS11_MODULE: the PKCS#11 library ${path} cannot be loaded (${reason(err)})`);
    }
    try {
      mod.initialize();
    } catch (err) {
      if (codeOf(err) !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw new KeyError(`OVERA_PKCS11_MODULE: the PKCS#11 library ${path} did not initialise (${reason(err)})`);
    }
    this.module = mod;
    return mod;
  }

  /** The logged-in session with the token labelled `label`; KeyError naming the setting at fault. */
  private openToken(label: string): OpenToken {
    const known = this.tokens.get(label);
    if (known?.open) return known;
    const mod = this.loadModule();
    const slots = mod.getSlots(true);
    let slot: graphene.Slot | undefined;
    const seen: string[] = [];
    for (let i = 0; i < slots.length; i++) {
      const candidate = slots.items(i);
      // Token labels are blank-padded to 32 bytes.
      const tokenLabel = candidate.getToken().label.trim();
      seen.push(JSON.stringify(tokenLabel));
      if (tokenLabel === label.trim()) {
        slot = candidate;
        break;
      }
    }
    if (!slot) {
      throw new KeyError(`OVERA_PKCS11_MODULE: no token labelled "${label}" is present in ${this.settings.pkcs11Module} (tokens seen: ${seen.join(', ') || 'none'})`);
    }
    const session = slot.open(graphene.SessionFlag.SERIAL_SESSION);
    try {
      if (slot.getToken().flags & graphene.TokenFlag.LOGIN_REQUIRED) {
        const pin = this.settings.pkcs11Pin;
        if (!pin) throw new KeyError(`OVERA_PKCS11_PIN is not set, and PKCS#11 token "${label}" needs the user PIN`);
        // A token counts wrong PINs and may lock the user PIN after a few: a PIN it refused once
        // is not tried again at each issuance (only once the setting changes).
        if (this.refusedPins.get(label) === pin) throw new KeyError(`OVERA_PKCS11_PIN was refused by PKCS#11 token "${label}" before and is not tried again, so that the token does not lock the PIN`);
        try {
          session.login(pin, graphene.UserType.USER);
        } catch (err) {
          const code = codeOf(err);
          // Login is per application and token: another store of this process may have logged in.
          if (code !== pkcs11js.CKR_USER_ALREADY_LOGGED_IN) {
            if (code === pkcs11js.CKR_PIN_LOCKED) throw new KeyError(`OVERA_PKCS11_PIN: the user PIN of PKCS#11 token "${label}" is locked (CKR_PIN_LOCKED); unlock it with the token's SO PIN`);
            if (code === pkcs11js.CKR_PIN_INCORRECT || code === pkcs11js.CKR_PIN_LEN_RANGE) {
              this.refusedPins.set(label, pin);
              throw new KeyError(`OVERA_PKCS11_PIN was refused by PKCS#11 token "${label}" (${reason(err)})`);
            }
            throw new KeyError(`OVERA_PKCS11_PIN: logging in to PKCS#11 token "${label}" failed (${reason(err)})`);
          }
        }
      }
    } catch (err) {
      session.close();
      throw err;
    }
    const token: OpenToken = { label, session, crypto: new P11Crypto({ session }), open: true, queue: Promise.resolve() };
    this.tokens.set(label, token);
    return token;
  }

  private drop = (token: OpenToken): void => {
    if (!token.open) return;
    token.open = false;
    if (this.tokens.get(token.label) === token) this.tokens.delete(token.label);
    try {
      token.session.close();
    } catch {
      // The session is already gone (that is why it is dropped).
    }
  };

  /**
   * The private key labelled `binding.key` in the token, and a pkijs engine that signs with it.
   * Only an ECDSA (P-256, P-384, P-521) or RSA (≥ 2048 bits, PKCS#1 v1.5 with SHA-256) key is taken.
   */
  async key(binding: TokenBinding): Promise<TokenKey> {
    const token = this.openToken(binding.token);
    let found: P11CryptoKey[];
    try {
      const keys: P11CryptoKey[] = [];
      for (const id of await token.crypto.keyStorage.keys()) {
        if (!id.startsWith('private-')) continue;
        const key = await token.crypto.keyStorage.getItem(id);
        if ((key.algorithm as { label?: string }).label === binding.key) keys.push(key);
      }
      found = keys;
    } catch (err) {
      if (SESSION_LOST.has(codeOf(err) ?? -1)) this.drop(token);
      throw new KeyError(`PKCS#11 token "${binding.token}" could not list its keys (${reason(err)})`);
    }
    if (found.length === 0) throw new KeyError(`PKCS#11 token "${binding.token}" holds no private key labelled "${binding.key}"`);
    if (found.length > 1) throw new KeyError(`PKCS#11 token "${binding.token}" holds ${found.length} private keys labelled "${binding.key}"; give each key a label of its own`);
    const key = found[0]!;
    const algorithm = key.algorithm as KeyAlgorithm & { namedCurve?: string; modulusLength?: number };
    if (algorithm.name === 'ECDSA') {
      if (!['P-256', 'P-384', 'P-521'].includes(algorithm.namedCurve ?? '')) throw new KeyError(`the key "${binding.key}" is on EC curve ${algorithm.namedCurve}, not P-256, P-384 or P-521`);
    } else if (algorithm.name === 'RSASSA-PKCS1-v1_5') {
      if ((algorithm.modulusLength ?? 0) < 2048) throw new KeyError(`the RSA key "${binding.key}" has fewer than 2048 bits`);
    } else {
      throw new KeyError(`the key "${binding.key}" is a ${algorithm.name} key, not an EC or RSA signing key`);
    }
    if (!key.usages.includes('sign')) throw new KeyError(`the key "${binding.key}" may not sign (CKA_SIGN is false)`);
    const engine = new TokenEngine(token, this.drop);
    return {
      privateKey: key as unknown as CryptoKey,
      engine,
      crypto: token.crypto,
      get open() {
        return token.open;
      },
    };
  }

  /** The certificates stored in the token (DER), for an import that takes them from there. */
  async certificates(label: string): Promise<Der[]> {
    const token = this.openToken(label);
    const out: Der[] = [];
    for (const id of await token.crypto.certStorage.keys()) {
      if (!id.startsWith('x509-')) continue;
      const value = await token.crypto.certStorage.getValue(id);
      if (value) out.push(new Uint8Array(value));
    }
    return out;
  }

  /** Closes every session (no logout: the login belongs to the whole process, see the class comment). */
  close(): void {
    for (const token of [...this.tokens.values()]) this.drop(token);
  }
}

/**
 * Does `key` sign for the public key of `spki`? A signature made by the token over random bytes,
 * checked with Node's crypto: proves the token key is the certificate's without reading the key.
 */
export async function signsFor(key: TokenKey, spki: Uint8Array): Promise<boolean> {
  const challenge = randomBytes(32);
  const algorithm = key.privateKey.algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: { name: 'SHA-256' } } : { name: 'RSASSA-PKCS1-v1_5' };
  const signature = await key.engine.signWithPrivateKey(challenge, key.privateKey, { algorithm } as pkijs.CryptoEngineSignWithPrivateKeyParams);
  try {
    const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    if (publicKey.asymmetricKeyType === 'ec') {
      // pkijs's engine gives ECDSA signatures DER-encoded, as CMS wants them.
      return verifySignature('sha256', challenge, { key: publicKey, dsaEncoding: 'der' }, Buffer.from(signature));
    }
    return verifySignature('sha256', challenge, { key: publicKey, padding: cryptoConstants.RSA_PKCS1_PADDING }, Buffer.from(signature));
  } catch {
    return false;
  }
}
