/** Registers and signs in users through the real HTTP API with a software authenticator. */
import { SoftAuthenticator } from './soft-authenticator.ts';
import { TEST_ORIGIN, type TestServer } from './test-server.ts';
import type { User } from '../../components/core/user.ts';

export interface Account {
  user: User;
  token: string;
  authenticator: SoftAuthenticator;
}

export async function registerAccount(server: TestServer, displayName = 'Ana Anić', inviteCode?: string): Promise<Account> {
  const authenticator = new SoftAuthenticator(TEST_ORIGIN);
  const options = await server.api<{ flowId: string; publicKey: never }>('POST', '/api/v1/auth/register/options', {
    body: inviteCode ? { displayName, inviteCode } : { displayName },
  });
  if (options.status !== 200) throw new Error(`register/options: ${options.status} ${JSON.stringify(options.body)}`);
  const credential = await authenticator.create(options.body.publicKey);
  const verify = await server.api<{ token: string; user: User }>('POST', '/api/v1/auth/register/verify', {
    body: { flowId: options.body.flowId, credential },
  });
  if (verify.status !== 201) throw new Error(`register/verify: ${verify.status} ${JSON.stringify(verify.body)}`);
  return { ...verify.body, authenticator };
}
