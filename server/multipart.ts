import { createHash } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { watchBodyProgress } from './body-progress.ts';
import { HttpError, invalidField } from './http-error.ts';

/** A file part written to a temp file; the caller owns the file (moves or deletes it). */
export interface ReceivedFile {
  path: string;
  size: number;
  /** Hex SHA-256 of the bytes, computed while they streamed by. */
  sha256: string;
  /** The name the client gave, unsanitised; undefined when it gave none. */
  filename: string | undefined;
}

export interface ReceiveOptions {
  /** Name of the one file part. */
  fileField: string;
  /** Names of the text fields accepted besides it; any other part is a 400 naming it. */
  fields: readonly string[];
  /** Called for each text field as it arrives; may throw an HttpError to refuse the request. */
  onField?: (name: string, value: string) => void;
  /** The size limit in bytes, read as bytes arrive (a field may lower it). */
  limit: () => number;
  /** Where to write the temp file. */
  tempPath: () => Promise<string>;
  /** Bytes of the request discarded after a refusal before the connection is cut. */
  drainLimit: number;
  /** A body that stops arriving for this long is answered 408 and its connection closed. */
  idleMs?: number;
}

/** 413 naming the file field. */
export function fileTooLarge(field: string, limit: number): HttpError {
  const message = `The file is larger than the limit of ${limit} bytes`;
  return new HttpError(413, 'body-too-large', 'The file is too large', {
    detail: message,
    errors: [{ field, code: 'tooLarge', message }],
  });
}

/**
 * Settles the rest of a refused request body, so that a client still sending (a browser)
 * receives the answer rather than a reset connection: the rest is read and thrown away, up
 * to `drainLimit` bytes, after which the connection is cut. A body declared bigger than
 * that is not worth reading: the answer carries `Connection: close` instead, so the client
 * does not reuse a connection about to close. Returns the error, to throw.
 */
export function refuseBody<E extends Error>(req: IncomingMessage, err: E, drainLimit: number): E {
  if (req.complete || req.destroyed) return err;
  const declared = Number(req.headers['content-length']);
  if (err instanceof HttpError && Number.isFinite(declared) && declared > drainLimit) err.headers.Connection = 'close';
  let discarded = 0;
  req.unpipe();
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > drainLimit) req.socket.destroy();
  });
  req.on('error', () => {});
  req.resume();
  return err;
}

/**
 * Parses a multipart/form-data request that carries exactly one file part, streaming the
 * file to a temp file while hashing and counting it: the file is never held in memory, and
 * a file over the limit is cut off as soon as it crosses it. On any failure (too large,
 * malformed, two files, client gone) the temp file is deleted before the promise rejects.
 */
export function receiveOneFile(req: IncomingMessage, options: ReceiveOptions): Promise<{ file: ReceivedFile; fields: Map<string, string> }> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    const err = new HttpError(415, 'unsupported-media-type', 'Send multipart/form-data', {
      detail: `Content-Type ${contentType || '(none)'} is not accepted here; send the file as multipart/form-data`,
    });
    return Promise.reject(refuseBody(req, err, options.drainLimit));
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      // Browsers send UTF-8 file names (Cyrillic ones included) as raw bytes.
      defParamCharset: 'utf8',
      limits: { fieldNameSize: 100, fieldSize: 1024, fields: 10, parts: 12, headerPairs: 20 },
    });
  } catch (err) {
    return Promise.reject(refuseBody(req, malformed((err as Error).message), options.drainLimit));
  }

  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    let failure: Error | undefined;
    let settled = false;
    let fileStream: Readable | undefined;
    let written: Promise<ReceivedFile> | undefined;
    let files = 0;

    const fail = (err: Error): void => {
      if (failure || settled) return;
      stopWatching();
      failure = refuseBody(req, err, options.drainLimit);
      if (fileStream && !fileStream.readableEnded) fileStream.destroy(err);
      parser.destroy();
      // Reject only once the temp file is gone (writeTemp deletes it when its stream fails).
      void (written ?? Promise.resolve()).then(
        async (file) => {
          if (file) await rm(file.path, { force: true });
        },
        () => {},
      ).finally(() => reject(err));
    };

    parser.on('file', (name, stream, info) => {
      // Errors reach the writer through pipeline; a skipped or finished stream must not throw.
      stream.on('error', () => {});
      if (failure) {
        stream.resume();
        return;
      }
      if (name !== options.fileField) {
        stream.resume();
        fail(invalidField(name, 'unexpected', `${name} is not expected here; send the file as "${options.fileField}"`));
        return;
      }
      if (++files > 1) {
        stream.resume();
        fail(invalidField(options.fileField, 'tooMany', 'Send one file per request'));
        return;
      }
      fileStream = stream;
      written = writeTemp(stream, info.filename, options);
      written.catch((err: unknown) => fail(err as Error));
    });
    parser.on('field', (name, value, info) => {
      if (failure) return;
      if (name === options.fileField) return fail(invalidField(name, 'notAFile', `${name} must be a file part`));
      if (!options.fields.includes(name)) return fail(invalidField(name, 'unexpected', `${name} is not expected here`));
      if (info.valueTruncated) return fail(invalidField(name, 'tooLong', `${name} is too long`));
      try {
        options.onField?.(name, value);
      } catch (err) {
        return fail(err as Error);
      }
      fields.set(name, value);
    });
    const tooManyParts = () => fail(malformed('Too many parts'));
    parser.on('partsLimit', tooManyParts);
    parser.on('fieldsLimit', tooManyParts);
    parser.on('error', (err: Error) => fail(malformed(err.message)));
    parser.on('finish', () => {
      if (failure) return;
      if (!written) return fail(invalidField(options.fileField, 'required', `${options.fileField} is required: send one file part named "${options.fileField}"`));
      written.then(
        (file) => {
          if (failure) return;
          // A limit that arrived after the file (a field sent late) is still enforced.
          const limit = options.limit();
          if (file.size > limit) {
            fail(fileTooLarge(options.fileField, limit));
            return;
          }
          settled = true;
          stopWatching();
          resolve({ file, fields });
        },
        () => {},
      );
    });
    const stopWatching = pipeWatched(req, parser, options.idleMs, fail);
  });
}

/** Streams one file part to a temp file: hashes and counts on the way, fsyncs before closing. */
async function writeTemp(stream: Readable, filename: string | undefined, options: ReceiveOptions): Promise<ReceivedFile> {
  const path = await options.tempPath();
  // Opened before streaming: a write stream opening the path lazily could create the file
  // after a failed upload's cleanup had already run, leaving a partial file behind.
  const handle = await open(path, 'wx', 0o600);
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      stream,
      async function* meter(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          size += chunk.length;
          const limit = options.limit();
          if (size > limit) throw fileTooLarge(options.fileField, limit);
          hash.update(chunk);
          yield chunk;
        }
      },
      // `flush`: fsync before close, and pipeline resolves only after the close.
      handle.createWriteStream({ flush: true }),
    );
  } catch (err) {
    await handle.close().catch(() => {});
    await rm(path, { force: true });
    throw err;
  }
  return { path, size, sha256: hash.digest('hex'), filename };
}

/**
 * Pipes the request into the parser, failing with 400 when the client goes away mid-body and
 * with 408 when the body stalls for `idleMs`; returns `stop` for the stall watch.
 */
function pipeWatched(req: IncomingMessage, parser: busboy.Busboy, idleMs: number | undefined, fail: (err: Error) => void): () => void {
  req.on('error', () => fail(aborted()));
  req.on('close', () => {
    if (!req.complete) fail(aborted());
  });
  const stop = watchBodyProgress(req, idleMs, fail);
  req.on('end', stop);
  req.pipe(parser);
  return stop;
}

function malformed(reason: string): HttpError {
  return new HttpError(400, 'malformed-multipart', 'The multipart body is not valid', {
    detail: `The multipart/form-data body could not be read: ${reason}`,
  });
}

function aborted(): HttpError {
  return new HttpError(400, 'request-aborted', 'The request was aborted', { detail: 'The client closed the connection mid-upload' });
}

/** A file part held in memory (`receiveParts`). */
export interface FilePart {
  /** The part's form field name. */
  field: string;
  /** The name the client gave (`filename`, or `filename*` decoded), unsanitised; undefined when it gave none. */
  filename: string | undefined;
  contentType: string;
  data: Buffer;
}

export interface ReceivePartsOptions {
  /** The text fields accepted, and their most characters each; any other text part is a 400 naming it. */
  fields: Readonly<Record<string, number>>;
  /** The name every file part carries. */
  fileField: string;
  /** The most file parts. */
  maxFiles: number;
  /** The most bytes of the whole body; 413 beyond. */
  limit: number;
  /** Bytes of the request discarded after a refusal before the connection is cut. */
  drainLimit: number;
  /** A body that stops arriving for this long is answered 408 and its connection closed. */
  idleMs?: number;
}

/**
 * Parses a multipart/form-data request of a few text fields and file parts small enough to hold
 * in memory (an exchange message: its envelope, signature and document parts), with the same
 * refusals as `receiveOneFile`: 400 naming an unexpected or over-long part, 413 once the body
 * crosses `limit` (counted as bytes arrive, so an oversized body is cut off early), 408 when it
 * stalls, 400 when the client goes away. The files' bytes arrive as Buffers: a part never
 * becomes a JavaScript string (large strings are what made the JSON encoding slow, docs/decisions.md).
 */
export function receiveParts(req: IncomingMessage, options: ReceivePartsOptions): Promise<{ fields: Map<string, string>; files: FilePart[] }> {
  const tooLarge = () => new HttpError(413, 'body-too-large', 'The request body is too large', { detail: `The body is larger than the limit of ${options.limit} bytes` });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.limit) return Promise.reject(refuseBody(req, tooLarge(), options.drainLimit));
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      // A file name is a name here, to match exactly: busboy would otherwise cut it after a `/` or `\`.
      preservePath: true,
      limits: {
        fieldNameSize: 100,
        fieldSize: Math.max(...Object.values(options.fields)),
        // One more than allowed, so that the part too many is refused by name (unexpected, or sent twice).
        fields: Object.keys(options.fields).length + 1,
        files: options.maxFiles,
        parts: Object.keys(options.fields).length + 1 + options.maxFiles,
        headerPairs: 20,
      },
    });
  } catch (err) {
    return Promise.reject(refuseBody(req, malformed((err as Error).message), options.drainLimit));
  }
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    const files: FilePart[] = [];
    let received = 0;
    let failure: Error | undefined;
    let open = 0;
    let finished = false;

    const fail = (err: Error): void => {
      if (failure) return;
      failure = refuseBody(req, err, options.drainLimit);
      stopWatching();
      parser.destroy();
      reject(err);
    };
    const done = () => {
      if (failure || !finished || open > 0) return;
      stopWatching();
      resolve({ fields, files });
    };
    // Counted on the request, not per part: headers and boundaries weigh too.
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received > options.limit) fail(tooLarge());
    };

    parser.on('file', (name, stream, info) => {
      stream.on('error', () => {});
      if (failure) return void stream.resume();
      if (name !== options.fileField) {
        stream.resume();
        return fail(invalidField(name, 'unexpected', `${name} is not a part of this request`));
      }
      open += 1;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        open -= 1;
        files.push({ field: name, filename: info.filename, contentType: info.mimeType, data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
        done();
      });
    });
    parser.on('field', (name, value, info) => {
      if (failure) return;
      if (!Object.hasOwn(options.fields, name)) return fail(invalidField(name, 'unexpected', `${name} is not a part of this request`));
      if (info.valueTruncated || value.length > options.fields[name]!) return fail(invalidField(name, 'tooLong', `${name} is too long`));
      if (fields.has(name)) return fail(invalidField(name, 'tooMany', `${name} was sent twice`));
      fields.set(name, value);
    });
    const tooManyParts = () => fail(malformed('Too many parts'));
    parser.on('partsLimit', tooManyParts);
    parser.on('filesLimit', tooManyParts);
    parser.on('fieldsLimit', tooManyParts);
    parser.on('error', (err: Error) => fail(malformed(err.message)));
    parser.on('finish', () => {
      finished = true;
      done();
    });
    req.on('data', count);
    const stopWatching = pipeWatched(req, parser, options.idleMs, fail);
  });
}
