import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.ts';

/** How long a stalled request's answer may take before its connection is cut anyway. */
const ANSWER_GRACE_MS = 5000;

/** 408 with `Connection: close`: the connection is not worth keeping once a body has stalled. */
export function bodyStalled(idleMs: number): HttpError {
  return new HttpError(408, 'request-timeout', 'The request body stopped arriving', {
    detail: `No byte of the request body arrived for ${idleMs} ms; the connection is closed`,
    headers: { Connection: 'close' },
  });
}

/**
 * Watches a request body as it is read: when no byte arrives for `idleMs`, `onStall` is given
 * a 408 to answer with, and the connection is cut shortly after whether or not an answer went
 * out. Without this, a client that sends part of a body and stops holds its connection (and
 * whatever the server buffered of it) until Node's `requestTimeout`, minutes later. Uses the
 * socket's own idle timer (refreshed by every byte the HTTP parser reads), so it costs nothing
 * per chunk. Returns `stop`, to call once the body is read (or refused); it restores the
 * socket's timeout.
 */
export function watchBodyProgress(req: IncomingMessage, idleMs: number | undefined, onStall: (err: HttpError) => void): () => void {
  const socket = req.socket;
  if (!idleMs || idleMs <= 0 || req.complete || !socket || socket.destroyed) return () => {};
  const previous = socket.timeout ?? 0;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    req.off('timeout', onTimeout);
    if (!socket.destroyed) socket.setTimeout(previous);
  };
  const onTimeout = () => {
    if (stopped) return;
    stop();
    // The answer (408, Connection: close) closes the connection once sent; this closes it when
    // none is sent, or the client does not take it.
    const cut = setTimeout(() => socket.destroy(), ANSWER_GRACE_MS);
    cut.unref();
    socket.once('close', () => clearTimeout(cut));
    onStall(bodyStalled(idleMs));
  };
  // Node emits 'timeout' on the request being read (and, with a listener there, does not
  // destroy the socket itself), so the owner of the body decides what happens.
  req.setTimeout(idleMs, onTimeout);
  return stop;
}
