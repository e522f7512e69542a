import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import type { Problem } from '../core/problem.ts';
import type { User } from '../core/user.ts';
import { OveraApiError, OveraError, OveraNetworkError, OveraOriginError, passkeyError, problemFrom } from './errors.ts';

// problemFrom lives with the errors (uploads use it without the client's code); still exported here.
export { problemFrom };

/** The passkey ceremonies' code, loaded with the first one (most pages sign in once, if at all). */
const passkeys = () => import('./webauthn.ts');

/**
 * Fetches the passkey ceremonies' code ahead of the first ceremony, so the prompt does not wait
 * for it: `<overa-account>` calls this when idle, `<overa-sign>` once a signature is prepared.
 */
export function preloadPasskeys(): void {
  passkeys().catch(() => undefined);
}

/** Where a session token is kept: `session` = memory and sessionStorage (survives a reload), `memory` = this page only. */
export type PersistMode = 'session' | 'memory';

/** What every element needs to know about the sign-in: the token and, once known, the user. */
export interface Session {
  readonly token: string | null;
  readonly user: User | null;
}

export type SessionListener = (session: Session) => void;

export interface RequestOptions {
  /** JSON-serialisable body; sent as application/json. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send the bearer token (default true when there is one). */
  auth?: boolean;
  /** How to read a successful answer: parsed JSON (default) or the raw bytes (a PDF). */
  as?: 'json' | 'blob';
}

export interface RegisterOptionsResponse {
  flowId: string;
  publicKey: PublicKeyCredentialCreationOptionsJSON;
}

export interface LoginOptionsResponse {
  flowId: string;
  publicKey: PublicKeyCredentialRequestOptionsJSON;
}

export interface AuthResult {
  token: string;
  user: User;
}

export interface SignInOptions {
  /** Overrides the client's persist mode for this sign-in. */
  persist?: PersistMode;
}

const STORAGE_PREFIX = 'overa.session:';

/**
 * The one HTTP client every Overa element uses. It knows the server's base URL, holds the
 * session token (in memory, and in sessionStorage unless told not to), turns problem+json
 * into OveraApiError and network failures into OveraNetworkError, and runs the passkey
 * ceremonies (./webauthn.ts).
 *
 * Get the shared instance for a server with `clientFor(server)`, so every element on a
 * page that talks to the same server shares one session.
 */
export class OveraClient {
  /** The server as given (`''` = same origin as the page). */
  readonly server: string;
  /** Absolute API base URL, ending in `/api/v1/`. */
  readonly apiBase: string;
  /** How new tokens are kept; see PersistMode. */
  persist: PersistMode;

  private session: Session = { token: null, user: null };
  private readonly listeners = new Set<SessionListener>();
  private pendingMe: Promise<User | null> | null = null;
  /** Whether the server refuses this page's origin, once found out (see refusedOrigin). */
  private originRefused: Promise<boolean> | null = null;
  private originToldOnce = false;

  constructor(server = '', options: { persist?: PersistMode } = {}) {
    this.server = server.trim();
    this.apiBase = apiBaseFor(this.server);
    this.persist = options.persist ?? 'session';
    const stored = readStorage(this.storageKey);
    if (stored) this.session = { token: stored, user: null };
  }

  /** The current session token, or null. */
  get token(): string | null {
    return this.session.token;
  }

  /** The signed-in user once known (after a ceremony or `me()`), else null. */
  get user(): User | null {
    return this.session.user;
  }

  /** The key this client's token is stored under in sessionStorage. */
  get storageKey(): string {
    return STORAGE_PREFIX + this.apiBase;
  }

  /** Calls `listener` whenever the session changes (here or through another element). Returns the unsubscribe function. */
  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * One API call. `path` is relative to `/api/v1/` (e.g. `"me"`). Resolves with the parsed
   * JSON (undefined for 204); rejects with OveraApiError or OveraNetworkError.
   */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(path.replace(/^\/+/, ''), this.apiBase).href;
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...options.headers };
    const token = options.auth === false ? null : this.session.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    const init: RequestInit = { method, headers, mode: 'cors', credentials: 'omit', cache: 'no-store' };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    if (options.signal) init.signal = options.signal;

    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw new OveraError('aborted', 'The request was aborted', { cause: err });
      if (await this.refusesThisOrigin()) throw new OveraOriginError(location.origin, this.apiBase, err);
      throw new OveraNetworkError(err);
    }
    if (response.ok) {
      if (response.status === 204) return undefined as T;
      try {
        if (options.as === 'blob') return (await response.blob()) as T;
        return (await response.json()) as T;
      } catch (err) {
        // A proxy's HTML page, a truncated body: not something an element can use.
        throw new OveraNetworkError(err);
      }
    }
    const problem = await readProblem(response);
    // The server no longer knows our token: the session is over, everywhere on this page.
    if (response.status === 401 && token !== null && token === this.session.token) this.setSession(null, null);
    throw new OveraApiError(problem);
  }

  /**
   * Whether a request failed because the server does not allow this page's origin (CORS)
   * rather than because it cannot be reached (refused-origin.ts, loaded only then). Every
   * element on the page shares this client (clientFor), so they all show the same explained
   * error, and the console says once which setting to change. A yes is remembered; a no is
   * asked again next time (and so is a chunk that could not load: the server is unreachable).
   */
  private refusesThisOrigin(): Promise<boolean> {
    if (typeof location === 'undefined' || new URL(this.apiBase).origin === location.origin) return Promise.resolve(false);
    const tellOnce = () => !this.originToldOnce && (this.originToldOnce = true);
    this.originRefused ??= import('./refused-origin.ts')
      .then(({ askRefusedOrigin }) => askRefusedOrigin(this.apiBase, tellOnce), () => false)
      .then((refused) => {
        if (!refused) this.originRefused = null;
        return refused;
      });
    return this.originRefused;
  }

  /**
   * Creates an account with a new passkey: asks the server for options, runs
   * navigator.credentials.create, and sends the result back. With an invite code the
   * account is an official's. Resolves with the signed-in user.
   */
  async register(displayName: string, inviteCode?: string, options: SignInOptions = {}): Promise<User> {
    const body: { displayName: string; inviteCode?: string } = { displayName };
    if (inviteCode !== undefined && inviteCode.trim() !== '') body.inviteCode = inviteCode.trim();
    // Loaded while the server prepares the options, so the passkey prompt is not kept waiting.
    const ceremony = passkeys();
    const { flowId, publicKey } = await this.request<RegisterOptionsResponse>('POST', 'auth/register/options', { body, auth: false });
    let credential;
    try {
      credential = await (await ceremony).createPasskey(publicKey);
    } catch (err) {
      throw passkeyError(err);
    }
    const result = await this.request<AuthResult>('POST', 'auth/register/verify', { body: { flowId, credential }, auth: false });
    this.setSession(result.token, result.user, options.persist);
    return result.user;
  }

  /**
   * Gets an account back after every passkey was lost: with the one-time recovery code the agency
   * gave after checking who the person is, registers a new passkey for that account (its old
   * passkeys stop working) and signs in. Resolves with the signed-in user.
   */
  async recover(recoveryCode: string, options: SignInOptions = {}): Promise<User> {
    const ceremony = passkeys();
    const { flowId, publicKey } = await this.request<RegisterOptionsResponse>('POST', 'auth/recover/options', { body: { recoveryCode: recoveryCode.trim() }, auth: false });
    let credential;
    try {
      credential = await (await ceremony).createPasskey(publicKey);
    } catch (err) {
      throw passkeyError(err);
    }
    const result = await this.request<AuthResult>('POST', 'auth/recover/verify', { body: { flowId, credential }, auth: false });
    this.setSession(result.token, result.user, options.persist);
    return result.user;
  }

  /** Signs in with a passkey the person already has (discoverable credential, no name asked). */
  async signIn(options: SignInOptions = {}): Promise<User> {
    const ceremony = passkeys();
    const { flowId, publicKey } = await this.request<LoginOptionsResponse>('POST', 'auth/login/options', { body: {}, auth: false });
    let credential;
    try {
      credential = await (await ceremony).getPasskey(publicKey);
    } catch (err) {
      throw passkeyError(err);
    }
    const result = await this.request<AuthResult>('POST', 'auth/login/verify', { body: { flowId, credential }, auth: false });
    this.setSession(result.token, result.user, options.persist);
    return result.user;
  }

  /**
   * Ends the session: the token is forgotten here at once and revoked on the server on a
   * best-effort basis (if the server cannot be reached, the token simply expires there).
   * Never rejects.
   */
  async signOut(): Promise<void> {
    const token = this.session.token;
    this.pendingMe = null;
    this.setSession(null, null);
    if (!token) return;
    try {
      await this.request<void>('POST', 'auth/logout', { headers: { Authorization: `Bearer ${token}` }, auth: false });
    } catch {
      // Already ended (401) or unreachable: either way nothing more to do here.
    }
  }

  /**
   * The signed-in user, asked from the server (GET me); null when there is no session or
   * the server says it has ended (which also forgets the token). Concurrent calls share
   * one request, so several elements restoring at once cost one round trip.
   */
  me(): Promise<User | null> {
    if (!this.session.token) return Promise.resolve(null);
    if (this.pendingMe) return this.pendingMe;
    const token = this.session.token;
    const pending = this.request<{ user: User }>('GET', 'me')
      .then(
        ({ user }) => {
          if (this.session.token === token) this.setSession(token, user);
          return user;
        },
        (err: unknown) => {
          if (err instanceof OveraApiError && err.status === 401) return null;
          throw err;
        },
      )
      .finally(() => {
        if (this.pendingMe === pending) this.pendingMe = null;
      });
    this.pendingMe = pending;
    return pending;
  }

  private setSession(token: string | null, user: User | null, persist: PersistMode = this.persist): void {
    const changed = token !== this.session.token || !sameUser(user, this.session.user);
    this.session = { token, user };
    if (token && persist === 'session') writeStorage(this.storageKey, token);
    else removeStorage(this.storageKey);
    if (!changed) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(this.session);
      } catch (err) {
        // One faulty listener must not keep the others from hearing about the change.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}

const clients = new Map<string, OveraClient>();

/**
 * The shared client for a server (`''` = same origin). Every element given the same
 * `server` gets the same instance, so they share one session.
 */
export function clientFor(server = ''): OveraClient {
  const key = apiBaseFor(server.trim());
  let client = clients.get(key);
  if (!client) {
    client = new OveraClient(server);
    clients.set(key, client);
  }
  return client;
}

/** The absolute `/api/v1/` URL for a server attribute value, resolved against the page. */
export function apiBaseFor(server: string): string {
  const base = typeof location === 'undefined' ? 'http://localhost/' : location.href;
  const root = new URL(server === '' ? '/' : server, base);
  root.search = '';
  root.hash = '';
  if (!root.pathname.endsWith('/')) root.pathname += '/';
  return new URL('api/v1/', root).href;
}

function sameUser(a: User | null, b: User | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.id === b.id &&
    a.displayName === b.displayName &&
    a.kind === b.kind &&
    a.agencyId === b.agencyId &&
    a.agencyName === b.agencyName &&
    a.roles.length === b.roles.length &&
    a.roles.every((r, i) => r === b.roles[i])
  );
}

async function readProblem(response: Response): Promise<Problem> {
  let body: unknown;
  if (/json/i.test(response.headers.get('Content-Type') ?? '')) {
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
  }
  return problemFrom(response.status, response.statusText, body);
}


// sessionStorage can be missing or throw (sandboxed frames, storage disabled): memory only then.
function readStorage(key: string): string | null {
  try {
    return globalThis.sessionStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    globalThis.sessionStorage?.setItem(key, value);
  } catch {
    /* memory only */
  }
}

function removeStorage(key: string): void {
  try {
    globalThis.sessionStorage?.removeItem(key);
  } catch {
    /* nothing stored */
  }
}
