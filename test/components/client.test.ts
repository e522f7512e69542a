import { expect } from '@open-wc/testing';
import {
  apiBaseFor,
  clientFor,
  OveraApiError,
  OveraClient,
  OveraError,
  OveraNetworkError,
  OveraPasskeyError,
  passkeyError,
  type Session,
} from '../../components/client/index.ts';
import { VirtualAuthenticator } from '../helpers/webauthn.ts';
import { overaInvite, overaServer } from '../helpers/overa-server.ts';

/** Runs `promise`, which must reject, and returns what it rejected with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('OveraClient against the real server', () => {
  let url: string;

  before(async () => {
    url = await overaServer();
  });

  afterEach(() => sessionStorage.clear());

  it('turns a validation problem into an OveraApiError with its field errors', async () => {
    const client = new OveraClient(url, { persist: 'memory' });
    const err = await rejection(client.request('POST', 'auth/register/options', { body: { displayName: '   ' } }));
    expect(err).to.be.instanceOf(OveraApiError);
    expect(err).to.be.instanceOf(OveraError);
    const apiError = err as OveraApiError;
    expect(apiError.status).to.equal(400);
    expect(apiError.code).to.equal('validation');
    expect(apiError.problem.type).to.equal('https://overa.dev/problems/validation');
    expect(apiError.problem.title).to.equal('The request is not valid');
    expect(apiError.fieldErrors).to.deep.equal([{ field: 'displayName', code: 'required', message: 'displayName is required' }]);
    expect(apiError.fieldError('displayName')?.code).to.equal('required');
    expect(apiError.requestId).to.be.a('string').and.not.equal('');
  });

  it('reports an unknown invite code on the inviteCode field', async () => {
    const client = new OveraClient(url, { persist: 'memory' });
    const err = (await rejection(client.register('Neko', 'AAAA-BBBB-CCCC-DDDD'))) as OveraApiError;
    expect(err).to.be.instanceOf(OveraApiError);
    expect(err.fieldError('inviteCode')?.code).to.equal('unknown');
  });

  it('maps 401 and 404 to their problem codes', async () => {
    const client = new OveraClient(url, { persist: 'memory' });
    const unauthorized = (await rejection(client.request('GET', 'me'))) as OveraApiError;
    expect(unauthorized.status).to.equal(401);
    expect(unauthorized.code).to.equal('unauthorized');
    const notFound = (await rejection(client.request('GET', 'no-such-thing'))) as OveraApiError;
    expect(notFound.status).to.equal(404);
    expect(notFound.code).to.equal('not-found');
  });

  it('turns an unreachable server into an OveraNetworkError', async () => {
    const client = new OveraClient('http://localhost:9', { persist: 'memory' });
    const err = await rejection(client.signIn());
    expect(err).to.be.instanceOf(OveraNetworkError);
    expect((err as OveraNetworkError).code).to.equal('network');
  });

  it('forgets a token the server no longer knows, and tells its subscribers', async () => {
    const key = new OveraClient(url).storageKey;
    sessionStorage.setItem(key, 'y'.repeat(43));
    const client = new OveraClient(url);
    expect(client.token).to.equal('y'.repeat(43));
    const seen: Session[] = [];
    const unsubscribe = client.subscribe((s) => seen.push(s));
    expect(await client.me()).to.equal(null);
    unsubscribe();
    expect(client.token).to.equal(null);
    expect(sessionStorage.getItem(key)).to.equal(null);
    expect(seen).to.deep.equal([{ token: null, user: null }]);
  });

  it('registers, signs in and signs out with a passkey', async () => {
    const authenticator = await VirtualAuthenticator.add();
    try {
      const client = new OveraClient(url);
      const seen: (string | null)[] = [];
      client.subscribe((s) => seen.push(s.user?.displayName ?? null));
      const code = await overaInvite({ roles: ['clerk', 'head'] });
      const user = await client.register('Klijent Test', code);
      expect(user.kind).to.equal('official');
      expect(user.roles).to.deep.equal(['clerk', 'head']);
      expect(sessionStorage.getItem(client.storageKey)).to.equal(client.token);
      expect((await client.me())?.id).to.equal(user.id);

      const token = client.token;
      await client.signOut();
      expect(client.token).to.equal(null);
      expect(sessionStorage.getItem(client.storageKey)).to.equal(null);
      const revoked = await fetch(`${url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
      expect(revoked.status).to.equal(401);

      const again = await client.signIn({ persist: 'memory' });
      expect(again.id).to.equal(user.id);
      expect(sessionStorage.getItem(client.storageKey)).to.equal(null);
      expect(seen).to.deep.equal(['Klijent Test', null, 'Klijent Test']);
      await client.signOut();
    } finally {
      await authenticator.remove();
    }
  });


  it('runs the ceremonies through @simplewebauthn/browser where the browser cannot read WebAuthn JSON', async () => {
    const pkc = PublicKeyCredential as unknown as Record<string, unknown>;
    const native = { create: pkc.parseCreationOptionsFromJSON, request: pkc.parseRequestOptionsFromJSON };
    const authenticator = await VirtualAuthenticator.add();
    // An older browser: no JSON parsing on PublicKeyCredential (the client then loads the library).
    Object.defineProperty(PublicKeyCredential, 'parseCreationOptionsFromJSON', { value: undefined, configurable: true });
    Object.defineProperty(PublicKeyCredential, 'parseRequestOptionsFromJSON', { value: undefined, configurable: true });
    try {
      const client = new OveraClient(url, { persist: 'memory' });
      const user = await client.register('Stari Pregledač');
      await client.signOut();
      expect((await client.signIn()).id).to.equal(user.id);
      expect(performance.getEntriesByType('resource').some((e) => e.name.includes('@simplewebauthn/browser'))).to.equal(true);
      await client.signOut();
    } finally {
      Object.defineProperty(PublicKeyCredential, 'parseCreationOptionsFromJSON', { value: native.create, configurable: true });
      Object.defineProperty(PublicKeyCredential, 'parseRequestOptionsFromJSON', { value: native.request, configurable: true });
      await authenticator.remove();
    }
  });
  it('reports a refused passkey prompt as OveraPasskeyError "cancelled"', async () => {
    const authenticator = await VirtualAuthenticator.add({ isUserVerified: false });
    try {
      const client = new OveraClient(url, { persist: 'memory' });
      const err = (await rejection(client.register('Bez Potvrde'))) as OveraPasskeyError;
      expect(err).to.be.instanceOf(OveraPasskeyError);
      expect(err.code).to.equal('cancelled');
      expect(err.domName).to.equal('NotAllowedError');
      expect(client.token).to.equal(null);
    } finally {
      await authenticator.remove();
    }
  });
});

describe('client helpers', () => {
  it('maps WebAuthn DOMExceptions to error codes', () => {
    const code = (name: string) => passkeyError(new DOMException('x', name)).code;
    expect(code('NotAllowedError')).to.equal('cancelled');
    expect(code('AbortError')).to.equal('cancelled');
    expect(code('InvalidStateError')).to.equal('already-registered');
    expect(code('NotSupportedError')).to.equal('unsupported');
    expect(code('SecurityError')).to.equal('security');
    expect(code('UnknownError')).to.equal('passkey-failed');
    expect(passkeyError(new Error('WebAuthn is not supported in this browser')).code).to.equal('unsupported');
  });

  it('builds the API base from the server attribute', () => {
    expect(apiBaseFor('')).to.equal(`${location.origin}/api/v1/`);
    expect(apiBaseFor('http://example.test')).to.equal('http://example.test/api/v1/');
    expect(apiBaseFor('http://example.test/')).to.equal('http://example.test/api/v1/');
    expect(apiBaseFor('https://uprava.example/overa')).to.equal('https://uprava.example/overa/api/v1/');
  });

  it('shares one client per server', () => {
    expect(clientFor('http://example.test')).to.equal(clientFor('http://example.test/'));
    expect(clientFor('')).to.equal(clientFor(location.origin));
    expect(clientFor('http://example.test')).to.not.equal(clientFor('http://other.test'));
  });
});
