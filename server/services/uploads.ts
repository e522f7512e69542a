import { randomUUID } from 'node:crypto';
import { rm, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { extname, join } from 'node:path';
import { fileTypeFromFile } from 'file-type';
import type { User } from '../../components/core/user.ts';
import { BlobStore } from '../blob-store.ts';
import { DEFAULT_HTTP_TIMEOUTS, type Config } from '../config.ts';
import { applications } from '../db/applications.ts';
import { uploads, type UploadRecord } from '../db/uploads.ts';
import { HttpError, invalidField } from '../http-error.ts';
import { fileTooLarge, receiveOneFile, refuseBody } from '../multipart.ts';
import { appendAudit } from './audit.ts';
import type { Deps } from './deps.ts';
import { maySeeCase } from './workflow.ts';

import type { StoredUpload } from '../../components/core/api.ts';
import { notEmpty } from '../../components/core/forms/validators.ts';

/** What `POST /api/v1/uploads` answers. */
export type UploadInfo = StoredUpload;

const FIELD = 'file';
const DAY = 24 * 3600 * 1000;
/** Room for the multipart boundaries and part headers around the file itself. */
const MULTIPART_SLACK = 64 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The extensions a display name may keep for each media type (the first is added when missing). */
const EXTENSIONS: Record<string, string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
  'image/png': ['png'],
};

/** Human names for problem messages. */
const TYPE_NAMES: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

/** Where uploaded bytes live: `<dataDir>/uploads`. */
export function uploadStore(config: Pick<Config, 'dataDir'>): BlobStore {
  return new BlobStore(join(config.dataDir, 'uploads'));
}

/**
 * A `maxSize` the form asks for (query parameter or multipart field): a positive whole
 * number of bytes. It can only lower the server's ceiling, never raise it.
 */
export function parseMaxSize(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value)) {
    throw invalidField('maxSize', 'invalid', 'maxSize must be a positive whole number of bytes');
  }
  return Number(value);
}

/**
 * Makes a client's file name safe to show and to offer as a download name: no path, no
 * control or bidi-override characters (which can disguise "exe.pdf" as "fdp.exe"), none of
 * the characters Windows refuses, at most 200 characters, and an extension that matches the
 * detected type (so a PNG named x.pdf is offered as x.pdf.png).
 */
export function sanitizeFilename(raw: string | undefined, mediaType: string): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.replace(/^.*[\\/]/, '');
  name = name.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u{FFFD}]/gu, '');
  name = name.replace(/["*:<>?|]/g, '_');
  name = name.replace(/\s+/g, ' ').replace(/^[\s.]+|[\s.]+$/g, '');
  const allowed = EXTENSIONS[mediaType] ?? [];
  const ext = extname(name).slice(1).toLowerCase();
  const suffix = allowed.length > 0 && !allowed.includes(ext) ? `.${allowed[0]}` : '';
  if (name === '') name = 'upload';
  const chars = [...name];
  const max = 200 - suffix.length;
  if (chars.length > max) {
    // Cut the base name, keeping the extension when it is one we keep.
    const extChars = suffix === '' && ext !== '' && [...ext].length <= 10 ? [...ext].length + 1 : 0;
    const base = chars.slice(0, Math.min(chars.length - extChars, max - extChars)).join('').replace(/[\s.]+$/, '');
    name = base + chars.slice(chars.length - extChars).join('');
  }
  return name + suffix;
}

function tooManyUploads(config: Config, oldest: number | null, now: number): HttpError {
  const retryAfter = oldest === null ? 3600 : Math.max(1, Math.ceil((oldest + DAY - now) / 1000));
  return new HttpError(429, 'too-many-uploads', 'Too many uploads', {
    detail: `At most ${config.uploadMaxPerDay} uploads are accepted per person in 24 hours`,
    retryAfter,
  });
}

function unsupportedType(config: Config, detected: string | undefined): HttpError {
  const names = config.uploadTypes.map((t) => TYPE_NAMES[t] ?? t).join(', ');
  const message = `Only these file types are accepted: ${names}`;
  return new HttpError(415, 'unsupported-media-type', 'This type of file is not accepted', {
    detail: detected ? `${message} (this file is ${detected})` : `${message} (this file's type is not recognised)`,
    errors: [{ field: FIELD, code: 'type', message }],
  });
}

/** How much of a refused upload body is read and dropped (so browsers see the answer) before hanging up. */
export function uploadDrainLimit(config: Pick<Config, 'uploadMaxBytes'>): number {
  return Math.max(2 * config.uploadMaxBytes, 8 * 1024 * 1024);
}

/**
 * Receives one uploaded file for `owner`: streams it to a temp file (hashing and counting on
 * the way, cut off at the limit), checks its type from the bytes, moves it into
 * content-addressed storage (fsynced), then records it, with its audit entry, in one
 * transaction. Nothing of a refused upload stays behind.
 */
export async function receiveUpload(
  deps: Deps,
  owner: User,
  req: IncomingMessage,
  input: { maxSize?: unknown } = {},
): Promise<UploadInfo> {
  const { config, db } = deps;
  const drainLimit = uploadDrainLimit(config);
  let limit = config.uploadMaxBytes;
  try {
    const asked = parseMaxSize(input.maxSize);
    if (asked !== undefined) limit = Math.min(limit, asked);
    const recent = await uploads.countSince(db, owner.id, deps.now() - DAY);
    if (recent.count >= config.uploadMaxPerDay) throw tooManyUploads(config, recent.oldest, deps.now());
    // A declared length far beyond the limit is refused before reading a byte.
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit + MULTIPART_SLACK) throw fileTooLarge(FIELD, limit);
  } catch (err) {
    throw refuseBody(req, err as Error, drainLimit);
  }

  const store = uploadStore(config);
  const { file } = await receiveOneFile(req, {
    fileField: FIELD,
    fields: ['maxSize'],
    onField: (_name, value) => {
      limit = Math.min(limit, parseMaxSize(value)!);
    },
    limit: () => limit,
    tempPath: () => store.tempPath(),
    drainLimit,
    idleMs: config.bodyIdleTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.bodyIdleTimeoutMs,
  });

  let mediaType: string;
  try {
    if (notEmpty.validate(file.size)) throw invalidField(FIELD, 'empty', 'The file is empty');
    const detected = await fileTypeFromFile(file.path);
    if (!detected || !config.uploadTypes.includes(detected.mime)) throw unsupportedType(config, detected?.mime);
    mediaType = detected.mime;
    await store.put(file.path, file.sha256, file.size);
  } catch (err) {
    await rm(file.path, { force: true });
    throw err;
  }

  // The bytes are durable; now the row. Should this fail, the stored bytes stay (they may
  // already belong to another upload of the same content) and are merely unreferenced.
  const record: UploadRecord = {
    id: randomUUID(),
    ownerId: owner.id,
    sha256: file.sha256,
    size: file.size,
    mediaType,
    filename: sanitizeFilename(file.filename, mediaType),
    createdAt: deps.now(),
  };
  await db.transaction(async (trx) => {
    // Checked again under the owner's lock: two uploads racing at the limit cannot both pass.
    await uploads.lockOwner(trx, owner.id);
    const recent = await uploads.countSince(trx, owner.id, record.createdAt - DAY);
    if (recent.count >= config.uploadMaxPerDay) throw tooManyUploads(config, recent.oldest, record.createdAt);
    await uploads.insert(trx, record);
    await appendAudit(
      trx,
      {
        actor: owner.id,
        action: 'upload.created',
        subject: { type: 'upload', id: record.id },
        data: { sha256: record.sha256, size: record.size, mediaType: record.mediaType },
      },
      record.createdAt,
    );
  });
  return { id: record.id, sha256: record.sha256, size: record.size, mediaType: record.mediaType, filename: record.filename };
}

/**
 * Who may read an upload: its owner, and the officials who see a case the upload is attached to (the approval inbox
 * shows a case's attachments). A draft is nobody's case: its attachments stay the owner's.
 */
async function canRead(deps: Deps, user: User, upload: UploadRecord): Promise<boolean> {
  if (upload.ownerId === user.id) return true;
  if (user.kind === 'citizen') return false;
  for (const app of await applications.withAttachment(deps.db, upload.ownerId, upload.id)) {
    if (await maySeeCase(deps.db, user, app)) return true;
  }
  return false;
}

/**
 * An upload and an open handle on its bytes, for someone allowed to read it. Anyone else
 * gets the same 404 as for an id that does not exist, so ids reveal nothing.
 */
export async function openUpload(deps: Deps, user: User, id: string): Promise<{ upload: UploadRecord; handle: FileHandle }> {
  const upload = UUID.test(id) ? await uploads.get(deps.db, id) : undefined;
  if (!upload || !(await canRead(deps, user, upload))) {
    throw new HttpError(404, 'not-found', 'Not found', { detail: 'There is no upload with this id' });
  }
  const handle = await uploadStore(deps.config).open(upload.sha256);
  if (!handle) throw new Error(`upload ${upload.id}: stored file ${upload.sha256} is missing`);
  return { upload, handle };
}
