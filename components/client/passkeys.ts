import type { PasskeyView } from '../core/api.ts';
import type { OveraClient, RegisterOptionsResponse } from './client.ts';
import { passkeyError } from './errors.ts';

/** The signed-in person's passkeys, oldest first (`GET me/passkeys`). */
export async function listPasskeys(client: OveraClient, signal?: AbortSignal): Promise<PasskeyView[]> {
  const { items } = await client.request<{ items: PasskeyView[] }>('GET', 'me/passkeys', signal ? { signal } : {});
  return items;
}

/**
 * Adds another passkey (another device, a security key) to the signed-in person's account: asks
 * the server for creation options for this account, runs navigator.credentials.create, and sends
 * the result back. Resolves with the new passkey. A device that already holds one of the
 * account's passkeys refuses (OveraPasskeyError `already-registered`).
 */
export async function addPasskey(client: OveraClient): Promise<PasskeyView> {
  const ceremony = import('./webauthn.ts');
  const { flowId, publicKey } = await client.request<RegisterOptionsResponse>('POST', 'me/passkeys/options', { body: {} });
  let credential;
  try {
    credential = await (await ceremony).createPasskey(publicKey);
  } catch (err) {
    throw passkeyError(err);
  }
  return client.request<PasskeyView>('POST', 'me/passkeys', { body: { flowId, credential } });
}

/** Removes one of the signed-in person's passkeys; the last one is refused (OveraApiError `last-passkey`). */
export async function removePasskey(client: OveraClient, id: string): Promise<void> {
  await client.request<void>('DELETE', `me/passkeys/${encodeURIComponent(id)}`);
}
