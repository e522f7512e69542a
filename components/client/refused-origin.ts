/**
 * Whether a server refuses this page's origin (CORS) rather than being unreachable: the
 * browser tells scripts nothing about a CORS refusal, so the server's /healthz is asked twice,
 * with CORS and without (`no-cors`: an opaque answer, which arrives only if the server is up).
 * Up, but not to this page: refused. (Both fail when it is down; both pass when the failure was
 * the connection's, not CORS's.) Its own chunk: only a request that already failed needs it.
 */
export async function askRefusedOrigin(apiBase: string, tellOnce: () => boolean): Promise<boolean> {
  const health = new URL('../../healthz', apiBase);
  const answers = (mode: RequestMode) => fetch(health, { mode, cache: 'no-store', credentials: 'omit' }).then(() => true, () => false);
  const [toThisPage, atAll] = await Promise.all([answers('cors'), answers('no-cors')]);
  const refused = atAll && !toThisPage;
  if (refused && tellOnce()) {
    console.error(
      `overa: the server ${new URL(apiBase).origin} does not allow pages of ${location.origin}. ` +
        `Add ${location.origin} to the server's OVERA_ORIGINS setting (comma-separated embedding origins; docs/server.md).`,
    );
  }
  return refused;
}
