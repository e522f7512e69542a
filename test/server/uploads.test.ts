import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync, type Dirent } from 'node:fs';
import { get, request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { registerAccount, type Account } from '../helpers/accounts.ts';
import { elfBytes, exeBytes, sampleJpeg, samplePdf, samplePng } from '../helpers/files.ts';
import { boundary, multipart, partHead, streamedFile, type Part } from '../helpers/multipart.ts';
import { sanitizeFilename } from '../../server/services/uploads.ts';
import { sweepExpired } from '../../server/services/housekeeping.ts';
import type { Problem } from '../../components/core/problem.ts';
import { assertProblem } from '../helpers/problems.ts';

const MiB = 1024 * 1024;

interface UploadBody {
  id: string;
  sha256: string;
  size: number;
  mediaType: string;
  filename: string;
}

interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
}

let server: TestServer;
let ana: Account;
let ben: Account;

before(async () => {
  server = await startTestServer({ OVERA_UPLOAD_MAX_BYTES: String(MiB) });
  ana = await registerAccount(server, 'Ana Anić');
  ben = await registerAccount(server, 'Ben Benić');
});
after(() => server.close());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const uploadsDir = () => join(server.config.dataDir, 'uploads');
const tmpDir = () => join(uploadsDir(), 'tmp');

/** Every file under uploads/ (temp files and stored blobs), as paths relative to it. */
function storedFiles(): string[] {
  if (!existsSync(uploadsDir())) return [];
  return (readdirSync(uploadsDir(), { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(uploadsDir().length + 1))
    .sort();
}

async function rows(): Promise<number> {
  return Number((await server.db('uploads').count({ n: '*' }).first())!.n);
}

/** A Buffer as fetch and Blob take it (typed on an ArrayBuffer). */
const bytes = (b: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(b);

async function send<T = UploadBody>(
  body: BodyInit | Buffer | undefined,
  options: { token?: string | undefined; contentType?: string; query?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.contentType) headers['Content-Type'] = options.contentType;
  const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers };
  if (body !== undefined) init.body = Buffer.isBuffer(body) ? bytes(body) : body;
  if (body instanceof ReadableStream) init.duplex = 'half';
  const res = await fetch(`${server.url}/api/v1/uploads${options.query ?? ''}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T };
}

/** Uploads one file the way a browser does (FormData); as Ana unless told otherwise (null = anonymous). */
function uploadFile(data: Buffer, filename: string, type = 'application/octet-stream', as: string | null = ana.token, query = '') {
  const token = as ?? undefined;
  const form = new FormData();
  form.append('file', new Blob([bytes(data)], { type }), filename);
  return send(form, { token, query });
}

function sendParts(parts: Part[]) {
  const { body, contentType } = multipart(parts);
  return send<Problem>(body, { token: ana.token, contentType });
}

/** Runs a refused upload and checks that nothing of it stayed: no temp file, no new blob, no row. */
async function refused(run: () => Promise<Reply<unknown>>, status: number, field?: string): Promise<Problem> {
  const files = storedFiles();
  const count = await rows();
  const problem = assertProblem(await run(), status, field);
  assert.deepEqual(storedFiles(), files);
  assert.equal(await rows(), count);
  return problem;
}

/** GET with node:http (fetch would add Cache-Control: no-cache to a conditional request). */
function download(id: string, token: string | undefined, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Headers; bytes: Buffer }>((resolve, reject) => {
    const req = get(`${server.url}/api/v1/uploads/${id}`, { headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode!, headers: h, bytes: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
  });
}

describe('POST /api/v1/uploads stores files by content', () => {
  test('a PDF: 201 with its SHA-256, size and detected type; stored durably under its hash; audited', async () => {
    const pdf = samplePdf('Zahtev');
    const res = await uploadFile(pdf, 'zahtev.pdf', 'application/pdf');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), ['filename', 'id', 'mediaType', 'sha256', 'size']);
    assert.match(res.body.id, /^[0-9a-f-]{36}$/);
    assert.equal(res.body.sha256, sha256(pdf));
    assert.equal(res.body.size, pdf.length);
    assert.equal(res.body.mediaType, 'application/pdf');
    assert.equal(res.body.filename, 'zahtev.pdf');
    assert.equal(res.headers.get('location'), `/api/v1/uploads/${res.body.id}`);

    const stored = join(uploadsDir(), sha256(pdf).slice(0, 2), sha256(pdf));
    assert.deepEqual(readFileSync(stored), pdf);
    assert.deepEqual(readdirSync(tmpDir()), []);

    const row = await server.db('uploads').where({ id: res.body.id }).first();
    assert.equal(row.owner_id, ana.user.id);
    assert.equal(row.sha256, sha256(pdf));
    assert.equal(Number(row.size), pdf.length);
    assert.equal(row.media_type, 'application/pdf');
    const audit = await server.db('audit_log').where({ subject_type: 'upload', subject_id: res.body.id }).first();
    assert.equal(audit.action, 'upload.created');
    assert.equal(audit.actor, ana.user.id);
    assert.deepEqual(JSON.parse(audit.data), { sha256: sha256(pdf), size: pdf.length, mediaType: 'application/pdf' });
  });

  test('a PNG and a JPEG are recognised from their bytes, whatever the name and Content-Type say', async () => {
    const png = samplePng();
    const a = await uploadFile(png, 'scan', 'application/pdf');
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal(a.body.mediaType, 'image/png');
    assert.equal(a.body.filename, 'scan.png'); // the extension follows the bytes
    assert.equal(a.body.sha256, sha256(png));
    assert.equal(a.body.size, png.length);

    const jpeg = sampleJpeg();
    const b = await uploadFile(jpeg, 'Fotografija.JPG', 'text/plain');
    assert.equal(b.status, 201, JSON.stringify(b.body));
    assert.equal(b.body.mediaType, 'image/jpeg');
    assert.equal(b.body.filename, 'Fotografija.JPG');
    assert.equal(b.body.sha256, sha256(jpeg));

    const c = await uploadFile(samplePng([0, 0, 255]), 'x.pdf', 'application/pdf');
    assert.equal(c.body.filename, 'x.pdf.png');
  });

  test('the same bytes uploaded twice, by two people, are stored once with two records', async () => {
    const pdf = samplePdf('Dedupe');
    const first = await uploadFile(pdf, 'a.pdf', 'application/pdf', ana.token);
    const second = await uploadFile(pdf, 'b.pdf', 'application/pdf', ben.token);
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.notEqual(first.body.id, second.body.id);
    assert.equal(first.body.sha256, second.body.sha256);
    assert.deepEqual(storedFiles().filter((f) => f.endsWith(sha256(pdf))), [join(sha256(pdf).slice(0, 2), sha256(pdf))]);
    assert.equal(Number((await server.db('uploads').where({ sha256: sha256(pdf) }).count({ n: '*' }).first())!.n), 2);
  });

  test('file names are kept for display, in either script, and defused', async () => {
    const cyr = await uploadFile(samplePdf('Ћирилица'), 'Захтев за дозволу.pdf', 'application/pdf');
    assert.equal(cyr.body.filename, 'Захтев за дозволу.pdf');
    const lat = await uploadFile(samplePdf('Latinica'), 'Zahtev šđčćž.pdf', 'application/pdf');
    assert.equal(lat.body.filename, 'Zahtev šđčćž.pdf');
    assert.equal(sanitizeFilename('../../etc/passwd', 'application/pdf'), 'passwd.pdf');
    assert.equal(sanitizeFilename('C:\\Users\\ana\\račun.pdf', 'application/pdf'), 'račun.pdf');
    assert.equal(sanitizeFilename('invoice\u202Efdp.exe', 'application/pdf'), 'invoicefdp.exe.pdf');
    assert.equal(sanitizeFilename('a<b>:"c"|?*.png', 'image/png'), 'a_b___c____.png');
    assert.equal(sanitizeFilename('  .hidden.pdf. ', 'application/pdf'), 'hidden.pdf');
    assert.equal(sanitizeFilename('line\r\nbreak\0.pdf', 'application/pdf'), 'linebreak.pdf');
    assert.equal(sanitizeFilename('', 'image/jpeg'), 'upload.jpg');
    assert.equal(sanitizeFilename(undefined, 'application/pdf'), 'upload.pdf');
    const long = sanitizeFilename(`${'ж'.repeat(300)}.pdf`, 'application/pdf');
    assert.equal([...long].length, 200);
    assert.ok(long.endsWith('ж.pdf'));
  });
});

describe('refused uploads leave nothing behind', () => {
  test('anonymous and signed-out callers get 401', async () => {
    await refused(() => uploadFile(samplePdf(), 'a.pdf', 'application/pdf', null), 401);
    await refused(() => uploadFile(samplePdf(), 'a.pdf', 'application/pdf', 'x'.repeat(43)), 401);
  });

  // A bound on work, not on time: past the limit and a little more, the client holds the rest
  // of the file until the answer comes, so a server that read on would never answer (the test
  // timeout is only a hang guard).
  test('a file over the limit, streamed without a length, is cut off at the limit: 413 naming file', { timeout: 120_000 }, async () => {
    const SLACK = 256 * 1024;
    let sent = 0;
    let sentBeforeAnswer = -1;
    const problem = await refused(async () => {
      const { body, contentType } = streamedFile(samplePdf(), 3 * MiB);
      const reader = body.getReader();
      let answered!: () => void;
      const answer = new Promise<void>((resolve) => (answered = resolve));
      const gated = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent > MiB + SLACK) await answer;
          const { done, value } = await reader.read();
          if (done) controller.close();
          else {
            sent += value.length;
            controller.enqueue(value);
          }
        },
      });
      const init: RequestInit & { duplex: 'half' } = { method: 'POST', headers: { Authorization: `Bearer ${ana.token}`, 'Content-Type': contentType }, body: gated, duplex: 'half' };
      const res = await fetch(`${server.url}/api/v1/uploads`, init);
      sentBeforeAnswer = sent;
      answered();
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: JSON.parse(text) as Problem };
    }, 413, 'file');
    assert.equal(problem.errors![0]!.code, 'tooLarge');
    assert.match(problem.detail ?? '', /1048576 bytes/);
    // The answer came once the file crossed the limit, before the client sent the rest.
    assert.ok(sentBeforeAnswer > MiB, `${sentBeforeAnswer} bytes sent before the answer`);
  });

  test('a file over the limit with a Content-Length is refused before it is read', async () => {
    const big = Buffer.concat([samplePdf(), Buffer.alloc(3 * MiB, 0x20)]);
    await refused(() => uploadFile(big, 'big.pdf', 'application/pdf'), 413, 'file');
  });

  test('a declared body too big to be worth reading is answered with Connection: close', async () => {
    const huge = Buffer.concat([samplePdf(), Buffer.alloc(10 * MiB, 0x20)]);
    const res = await refused(() => uploadFile(huge, 'huge.pdf', 'application/pdf'), 413, 'file');
    assert.equal(res.status, 413);
    // The server stays well: the next upload, on a new connection, goes through.
    assert.equal((await uploadFile(samplePdf('next'), 'next.pdf')).status, 201);
  });

  test('the limit is exact: a file of the limit passes, one byte more does not', async () => {
    const head = samplePdf('Limit');
    const exact = Buffer.concat([head, Buffer.alloc(MiB - head.length, 0x20)]);
    const ok = await uploadFile(exact, 'exact.pdf', 'application/pdf');
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.size, MiB);
    await refused(() => uploadFile(Buffer.concat([exact, Buffer.from(' ')]), 'over.pdf', 'application/pdf'), 413, 'file');
  });

  test('a form may lower the limit with maxSize (query or field), never raise it', async () => {
    const pdf = Buffer.concat([samplePdf('Small'), Buffer.alloc(2000, 0x20)]);
    await refused(() => uploadFile(pdf, 'a.pdf', 'application/pdf', ana.token, '?maxSize=1000'), 413, 'file');
    await refused(() => sendParts([{ name: 'maxSize', data: '1000' }, { name: 'file', filename: 'a.pdf', data: pdf }]), 413, 'file');
    // A limit sent after the file still holds.
    await refused(() => sendParts([{ name: 'file', filename: 'a.pdf', data: pdf }, { name: 'maxSize', data: '1000' }]), 413, 'file');
    const big = Buffer.concat([samplePdf(), Buffer.alloc(MiB, 0x20)]);
    await refused(() => uploadFile(big, 'big.pdf', 'application/pdf', ana.token, `?maxSize=${10 * MiB}`), 413, 'file');
    await refused(() => uploadFile(pdf, 'a.pdf', 'application/pdf', ana.token, '?maxSize=lots'), 400, 'maxSize');
    await refused(() => uploadFile(pdf, 'a.pdf', 'application/pdf', ana.token, '?maxSize=0'), 400, 'maxSize');
    const ok = await uploadFile(pdf, 'a.pdf', 'application/pdf', ana.token, '?maxSize=5000');
    assert.equal(ok.status, 201);
  });

  test('a renamed executable is not a PDF: 415 naming file', async () => {
    const elf = await refused(() => uploadFile(elfBytes(), 'izvod.pdf', 'application/pdf'), 415, 'file');
    assert.match(elf.detail ?? '', /application\/x-elf/);
    assert.equal(elf.errors![0]!.code, 'type');
    await refused(() => uploadFile(exeBytes(), 'resenje.pdf', 'application/pdf'), 415, 'file');
  });

  test('text is not accepted either, whatever it is called', async () => {
    await refused(() => uploadFile(Buffer.from('%PDX not really a document\n'.repeat(20)), 'a.pdf', 'application/pdf'), 415, 'file');
    await refused(() => uploadFile(Buffer.from('<html><script>alert(1)</script></html>'), 'a.png', 'image/png'), 415, 'file');
  });

  test('an empty file is a 400 naming file', async () => {
    const problem = await refused(() => uploadFile(Buffer.alloc(0), 'empty.pdf', 'application/pdf'), 400, 'file');
    assert.equal(problem.errors![0]!.code, 'empty');
  });

  test('the file part must be there, once, as a file, and nothing unexpected beside it', async () => {
    const missing = await refused(() => sendParts([{ name: 'maxSize', data: '1000' }]), 400, 'file');
    assert.equal(missing.errors![0]!.code, 'required');
    await refused(() => sendParts([{ name: 'file', data: 'just text' }]), 400, 'file');
    const two = await refused(
      () => sendParts([{ name: 'file', filename: 'a.pdf', data: samplePdf('one') }, { name: 'file', filename: 'b.pdf', data: samplePdf('two') }]),
      400,
      'file',
    );
    assert.equal(two.errors![0]!.code, 'tooMany');
    await refused(() => sendParts([{ name: 'document', filename: 'a.pdf', data: samplePdf() }]), 400, 'document');
    await refused(() => sendParts([{ name: 'file', filename: 'a.pdf', data: samplePdf() }, { name: 'note', data: 'hi' }]), 400, 'note');
  });

  test('a body that is not multipart/form-data is a 415; a broken one a 400', async () => {
    await refused(() => send(JSON.stringify({ file: 'JVBERi0xLjQ=' }), { token: ana.token, contentType: 'application/json' }), 415);
    await refused(() => send(samplePdf(), { token: ana.token, contentType: 'application/pdf' }), 415);
    await refused(() => send(undefined, { token: ana.token }), 415);
    await refused(() => send('x', { token: ana.token, contentType: 'multipart/form-data' }), 415);
    const b = boundary();
    const truncated = Buffer.concat([partHead(b, { name: 'file', filename: 'a.pdf' }), samplePdf()]);
    await refused(() => send(truncated, { token: ana.token, contentType: `multipart/form-data; boundary=${b}` }), 400);
  });

  test('a client that hangs up mid-upload leaves no partial file', async () => {
    const count = await rows();
    const before = storedFiles();
    const b = boundary();
    const req = request(`${server.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ana.token}`, 'Content-Type': `multipart/form-data; boundary=${b}` },
    });
    req.on('error', () => {});
    req.write(Buffer.concat([partHead(b, { name: 'file', filename: 'half.pdf', type: 'application/pdf' }), samplePdf(), Buffer.alloc(256 * 1024, 0x20)]));
    // Wait until the server is writing the temp file, then hang up.
    for (let i = 0; i < 200 && !(existsSync(tmpDir()) && readdirSync(tmpDir()).length > 0); i++) await sleep(10);
    assert.equal(readdirSync(tmpDir()).length, 1, 'the upload should be streaming to a temp file');
    req.destroy();
    for (let i = 0; i < 200 && readdirSync(tmpDir()).length > 0; i++) await sleep(10);
    assert.deepEqual(storedFiles(), before);
    assert.equal(await rows(), count);
    // The server is fine afterwards.
    assert.equal((await uploadFile(samplePdf('after'), 'after.pdf')).status, 201);
  });
});

describe('GET /api/v1/uploads/:id', () => {
  test('the owner gets the bytes back, as an attachment of the detected type, not sniffable', async () => {
    const pdf = samplePdf('Download');
    const up = await uploadFile(pdf, 'Rešenje.pdf', 'application/pdf');
    const res = await download(up.body.id, ana.token);
    assert.equal(res.status, 200);
    assert.deepEqual(res.bytes, pdf);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(res.headers.get('content-length'), String(pdf.length));
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const disposition = res.headers.get('content-disposition') ?? '';
    assert.match(disposition, /^attachment;/);
    assert.match(disposition, /filename\*=UTF-8''Re%C5%A1enje\.pdf/);
    assert.equal(res.headers.get('etag'), `"${sha256(pdf)}"`);
    const again = await download(up.body.id, ana.token, { 'If-None-Match': `"${sha256(pdf)}"` });
    assert.equal(again.status, 304);

    const png = await uploadFile(samplePng(), 'slika.png');
    const img = await download(png.body.id, ana.token);
    assert.equal(img.headers.get('content-type'), 'image/png');
    assert.deepEqual(img.bytes, samplePng());
  });

  test('anyone else gets 404, the same as for an id that does not exist', async () => {
    const up = await uploadFile(samplePdf('Private'), 'private.pdf');
    const other = await download(up.body.id, ben.token);
    assert.equal(other.status, 404);
    const problem = JSON.parse(other.bytes.toString()) as Problem;
    const missing = await download(randomUUID(), ben.token);
    assert.equal(missing.status, 404);
    assert.deepEqual({ ...problem, requestId: '' }, { ...(JSON.parse(missing.bytes.toString()) as Problem), requestId: '', instance: problem.instance });
    assert.equal((await download('not-an-id', ana.token)).status, 404);
    assert.equal((await download(up.body.id, undefined)).status, 401);
  });
});

test('at most uploadMaxPerDay uploads per person in 24 hours: 429 with Retry-After', async () => {
  const s = await startTestServer({ OVERA_UPLOAD_MAX_PER_DAY: '2' });
  try {
    const who = await registerAccount(s, 'Quota');
    const other = await registerAccount(s, 'Other');
    const up = (token: string, i: number) => {
      const form = new FormData();
      form.append('file', new Blob([bytes(samplePdf(`q${i}`))]), `${i}.pdf`);
      return fetch(`${s.url}/api/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    };
    assert.equal((await up(who.token, 1)).status, 201);
    assert.equal((await up(who.token, 2)).status, 201);
    const third = await up(who.token, 3);
    assert.equal(third.status, 429);
    assert.match(third.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const retry = Number(third.headers.get('retry-after'));
    assert.ok(retry > 86_000 && retry <= 86_400, `Retry-After ${retry}`);
    assert.equal((await up(other.token, 1)).status, 201); // per person
    // A day later (moving the uploads back, as sessions would expire with the clock).
    await s.db('uploads').where({ owner_id: who.user.id }).update({ created_at: Date.now() - 24 * 3600 * 1000 - 1000 });
    assert.equal((await up(who.token, 4)).status, 201);
  } finally {
    await s.close();
  }
});

test('the sweeper removes upload temp files left by a crash, and only old ones', async () => {
  const dir = join(server.config.dataDir, 'uploads', 'tmp');
  mkdirSync(dir, { recursive: true });
  const old = join(dir, `${randomUUID()}.part`);
  const fresh = join(dir, `${randomUUID()}.part`);
  writeFileSync(old, 'left by a crash');
  writeFileSync(fresh, 'in progress');
  const hoursAgo = (Date.now() - 2 * 3600 * 1000) / 1000;
  utimesSync(old, hoursAgo, hoursAgo);
  const result = await sweepExpired(server.db, Date.now(), { dataDir: server.config.dataDir });
  assert.equal(result.uploadTemps, 1);
  assert.equal(existsSync(old), false);
  assert.equal(existsSync(fresh), true);
  rmSync(fresh);
});
