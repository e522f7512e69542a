import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';

/**
 * Passkey ceremonies from the server's JSON options (WebAuthn Level 3 JSON). Browsers that
 * parse and serialise that JSON themselves (PublicKeyCredential.parseCreationOptionsFromJSON,
 * parseRequestOptionsFromJSON and credential.toJSON(): Chromium 129+, Firefox 119+, Safari 18.4+)
 * run the ceremony natively; older ones load @simplewebauthn/browser on demand. Why not always
 * the library: it is the largest part of a page's first load that the platform already does
 * (issue 8's bundle budget), and the two produce the same JSON for the server to verify.
 *
 * This module is itself loaded with the first ceremony (client.ts, signatures.ts): elements that
 * never ask for a passkey never download it. It imports nothing the elements share, so it stays
 * one small chunk of its own; the callers turn what the browser reports into OveraPasskeyError.
 */
interface JsonCapablePublicKeyCredential {
  parseCreationOptionsFromJSON(options: PublicKeyCredentialCreationOptionsJSON): PublicKeyCredentialCreationOptions;
  parseRequestOptionsFromJSON(options: PublicKeyCredentialRequestOptionsJSON): PublicKeyCredentialRequestOptions;
}

/** Only one ceremony at a time, as @simplewebauthn/browser does: a new one cancels the one before. */
let current: AbortController | null = null;

function nativeJson(): JsonCapablePublicKeyCredential | null {
  const pkc = (globalThis as { PublicKeyCredential?: Partial<JsonCapablePublicKeyCredential> }).PublicKeyCredential;
  return typeof pkc?.parseCreationOptionsFromJSON === 'function' && typeof pkc.parseRequestOptionsFromJSON === 'function'
    ? (pkc as JsonCapablePublicKeyCredential)
    : null;
}

function nextSignal(): AbortSignal {
  current?.abort(new DOMException('A new passkey ceremony started', 'AbortError'));
  current = new AbortController();
  return current.signal;
}

function toJson<T>(credential: Credential | null): T {
  if (!credential) throw new DOMException('No passkey was returned', 'NotAllowedError');
  return (credential as PublicKeyCredential & { toJSON(): T }).toJSON();
}

/** navigator.credentials.create with the server's options; the new credential as JSON. */
export async function createPasskey(options: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON> {
  const native = nativeJson();
  if (!native) return (await import('@simplewebauthn/browser')).startRegistration({ optionsJSON: options });
  const publicKey = native.parseCreationOptionsFromJSON(options);
  return toJson(await navigator.credentials.create({ publicKey, signal: nextSignal() }));
}

/** navigator.credentials.get with the server's options; the assertion as JSON. */
export async function getPasskey(options: PublicKeyCredentialRequestOptionsJSON): Promise<AuthenticationResponseJSON> {
  const native = nativeJson();
  if (!native) return (await import('@simplewebauthn/browser')).startAuthentication({ optionsJSON: options });
  const publicKey = native.parseRequestOptionsFromJSON(options);
  return toJson(await navigator.credentials.get({ publicKey, signal: nextSignal() }));
}
