/**
 * The set-up most element test files share, in one place: before the tests, the real Overa
 * server the test runner started (test/plugins/overa-server.mjs); before each test, a fresh
 * virtual authenticator; after each, the session signed out, the authenticator removed and
 * sessionStorage cleared, so no test inherits another's passkeys or session.
 *
 * Call it inside `describe`. The file's own `url` (and `authenticator`, if its tests use it) are
 * set through the callbacks, so the tests read them as before.
 */
import { clientFor } from '../../components/client/index.ts';
import { VirtualAuthenticator } from './webauthn.ts';
import { overaServer } from './overa-server.ts';

export function overaSessionPerTest(
  set: { url(url: string): void; authenticator?(authenticator: VirtualAuthenticator): void },
  /** `localStorage`: cleared before and after each test too (the form keeps drafts there). */
  options: { localStorage?: boolean } = {},
): void {
  let url: string;
  let authenticator: VirtualAuthenticator;

  before(async () => {
    url = await overaServer();
    set.url(url);
  });

  beforeEach(async () => {
    authenticator = await VirtualAuthenticator.add();
    set.authenticator?.(authenticator);
    if (options.localStorage) localStorage.clear();
  });

  afterEach(async () => {
    await clientFor(url).signOut();
    await authenticator.remove();
    sessionStorage.clear();
    if (options.localStorage) localStorage.clear();
  });
}
