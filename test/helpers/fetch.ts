/**
 * Runs `run` with window.fetch replaced: `stub` answers a request (a lost answer, a failure, a
 * changed body) or returns null to let it through to the real server. Restored afterwards.
 */
export async function withFetch(
  stub: (url: string, init: RequestInit | undefined, original: typeof fetch) => Promise<Response> | null,
  run: () => Promise<void>,
): Promise<void> {
  const original = window.fetch;
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    return stub(url, init, original) ?? original(input, init);
  };
  try {
    await run();
  } finally {
    window.fetch = original;
  }
}
