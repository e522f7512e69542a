import { open, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream/promises';
import { watchBodyProgress } from './body-progress.ts';
import { HttpError } from './http-error.ts';
import { refuseBody } from './multipart.ts';

/** A request body on disk; the caller removes it (`remove`) when done. */
export interface SpooledBody {
  path: string;
  size: number;
  /** Reads the whole body into `buffer` (at least `size` bytes) and returns the part it fills. */
  readInto(buffer: Buffer): Promise<Buffer>;
  remove(): Promise<void>;
}

export interface SpoolOptions {
  /** Bytes accepted; the body is cut off (the answer is `tooLarge`) as soon as it crosses this. */
  limit: number;
  tooLarge: (limit: number) => HttpError;
  /** Where to write (a fresh path in a temp folder). */
  tempPath: () => Promise<string>;
  /** Bytes of a refused body read and dropped before the connection is cut (see refuseBody). */
  drainLimit: number;
  /** A body that stops arriving for this long is answered 408 and its connection closed. */
  idleMs?: number;
  /** Told of the bytes on disk as they are written (+) and when the file is gone (−). */
  onSpooled?: (delta: number) => void;
}

async function readWhole(path: string, size: number, buffer: Buffer): Promise<Buffer> {
  if (buffer.length < size) throw new RangeError(`a buffer of ${buffer.length} bytes cannot hold ${size}`);
  const handle = await open(path, 'r');
  try {
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(buffer, at, size - at, at);
      if (bytesRead === 0) throw new Error(`${path} ended after ${at} of ${size} bytes`);
      at += bytesRead;
    }
    return buffer.subarray(0, size);
  } finally {
    await handle.close();
  }
}

/**
 * Chunks (64 KiB from the socket) are written to the file in batches, one writev each: the
 * chunks that arrive in one turn of the event loop, at most about this much. A write per chunk
 * is ~400 trips to the thread pool for a 25 MB body, and each costs the event loop more than
 * the bytes do; nothing waits in memory for the next turn (a body that stalls is on disk).
 */
const WRITE_BATCH = 1024 * 1024;

function aborted(): HttpError {
  return new HttpError(400, 'request-aborted', 'The request was aborted', { detail: 'The client closed the connection before the whole file arrived' });
}

/**
 * Streams a raw request body into a temp file, as uploads do (server/multipart.ts): what a
 * client has sent lies on disk, not in memory, however many clients send at once and however
 * slowly. Cut off at the limit (413, the rest drained), on a stall (408, the connection closed)
 * or when the client goes (400); the temp file is removed before the promise rejects.
 */
export async function spoolBody(req: IncomingMessage, options: SpoolOptions): Promise<SpooledBody> {
  const path = await options.tempPath();
  let onDisk = 0;
  const remove = async () => {
    await rm(path, { force: true });
    if (onDisk > 0) options.onSpooled?.(-onDisk);
    onDisk = 0;
  };
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (err) {
    throw refuseBody(req, err as Error, options.drainLimit);
  }
  // Room for a whole batch before write() asks the request to pause.
  const out = handle.createWriteStream({ highWaterMark: 2 * WRITE_BATCH });

  return new Promise((resolve, reject) => {
    let size = 0;
    let settled = false;
    let batched = 0;
    const flush = () => {
      if (batched === 0) return;
      batched = 0;
      out.uncork();
    };
    const cleanup = () => {
      stopWatching();
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      out.off('drain', onDrain);
    };
    const fail = (err: Error, drain: boolean) => {
      if (settled) return;
      settled = true;
      cleanup();
      const refused = drain ? refuseBody(req, err, options.drainLimit) : err;
      batched = 0; // nothing left for a pending flush to write
      out.destroy();
      void finished(out)
        .catch(() => undefined)
        .then(remove)
        .finally(() => reject(refused));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.limit) return fail(options.tooLarge(options.limit), true);
      onDisk += chunk.length;
      options.onSpooled?.(chunk.length);
      if (batched === 0) {
        out.cork();
        setImmediate(flush);
      }
      batched += chunk.length;
      const room = out.write(chunk);
      // A full batch goes at once; so does a partial one when the stream is full (else 'drain' would never come).
      if (batched >= WRITE_BATCH || !room) flush();
      // Backpressure: a client faster than the disk waits in its own socket buffers, not here.
      if (!room) req.pause();
    };
    const onDrain = () => req.resume();
    const onEnd = () => {
      if (settled) return;
      settled = true;
      cleanup();
      flush();
      out.end();
      finished(out).then(
        () => resolve({ path, size, remove, readInto: (buffer) => readWhole(path, size, buffer) }),
        (err: unknown) => void remove().finally(() => reject(err)),
      );
    };
    // A stall is a 408 the watcher hands over; anything else on the request is the client gone.
    const onError = (err: Error) => fail(err instanceof HttpError ? err : aborted(), false);
    const onClose = () => {
      if (!req.complete) fail(aborted(), false);
    };
    const stopWatching = watchBodyProgress(req, options.idleMs, (err) => fail(err, false));
    out.on('error', (err) => fail(err, true));
    out.on('drain', onDrain);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
