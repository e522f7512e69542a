/**
 * Independent checks of issued PDFs with the real tools (poppler's pdfsig / pdftotext /
 * pdftoppm / pdfdetach, qpdf, OpenSSL, NSS certutil, zbarimg): nothing here uses our own code
 * to judge our own output, except `signedParts`, which only cuts bytes at the /ByteRange.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool; never throws for a non-zero exit (the result says). */
export async function run(cmd: string, args: string[], options: { input?: string } = {}): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await exec(cmd, args, { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', ...options });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

/** A temp folder, removed by the returned function. */
export function tempDir(prefix = 'overa-pdf-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

let counter = 0;
function tempFile(dir: string, name: string, bytes: Uint8Array | string): string {
  const path = join(dir, `${++counter}-${name}`);
  writeFileSync(path, bytes);
  return path;
}

/** An NSS database (for pdfsig) that trusts the given root certificates. */
export async function nssDatabase(dir: string, rootsPem: string): Promise<string> {
  const db = join(dir, `nss-${++counter}`);
  await exec('mkdir', ['-p', db]);
  const made = await run('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
  if (made.code !== 0) throw new Error(`certutil -N: ${made.stderr}`);
  const pems = rootsPem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  for (const [i, pem] of pems.entries()) {
    const file = tempFile(dir, `root${i}.pem`, pem + '\n');
    const added = await run('certutil', ['-A', '-d', `sql:${db}`, '-n', `root${i}`, '-t', 'C,C,C', '-i', file]);
    if (added.code !== 0) throw new Error(`certutil -A: ${added.stderr}`);
  }
  return `sql:${db}`;
}

export interface PdfsigResult extends ToolResult {
  valid: boolean;
  trusted: boolean;
  digestMismatch: boolean;
}

export async function pdfsig(dir: string, pdf: Uint8Array, nssDir?: string): Promise<PdfsigResult> {
  const file = tempFile(dir, 'doc.pdf', pdf);
  const r = await run('pdfsig', nssDir ? ['-nssdir', nssDir, file] : [file]);
  const all = r.stdout + r.stderr;
  return {
    ...r,
    valid: /Signature Validation: Signature is Valid\./.test(all),
    trusted: /Certificate Validation: Certificate is Trusted\./.test(all),
    digestMismatch: /Digest Mismatch/i.test(all),
  };
}

export async function qpdfCheck(dir: string, pdf: Uint8Array): Promise<ToolResult> {
  return run('qpdf', ['--check', tempFile(dir, 'doc.pdf', pdf)]);
}

export async function pdftotext(dir: string, pdf: Uint8Array): Promise<string> {
  const r = await run('pdftotext', ['-enc', 'UTF-8', tempFile(dir, 'doc.pdf', pdf), '-']);
  if (r.code !== 0) throw new Error(`pdftotext: ${r.stderr}`);
  return r.stdout;
}

/** Renders page `page` with pdftoppm and decodes every QR code on it with zbarimg. */
export async function qrCodes(dir: string, pdf: Uint8Array, page = 1, dpi = 150): Promise<string[]> {
  const file = tempFile(dir, 'doc.pdf', pdf);
  const prefix = join(dir, `page-${++counter}`);
  const rendered = await run('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-png', '-singlefile', file, prefix]);
  if (rendered.code !== 0) throw new Error(`pdftoppm: ${rendered.stderr}`);
  const r = await run('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', `${prefix}.png`]);
  if (r.code !== 0) throw new Error(`zbarimg found nothing (${r.code}): ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

/** The embedded files, extracted by poppler's pdfdetach: name → bytes. */
export async function embeddedFiles(dir: string, pdf: Uint8Array): Promise<Map<string, Buffer>> {
  const file = tempFile(dir, 'doc.pdf', pdf);
  const out = join(dir, `detached-${++counter}`);
  await exec('mkdir', ['-p', out]);
  const r = await run('pdfdetach', ['-saveall', '-o', out, file]);
  if (r.code !== 0) throw new Error(`pdfdetach: ${r.stderr}`);
  return new Map(readdirSync(out).map((name) => [name, readFileSync(join(out, name))]));
}

/**
 * The signature's parts, cut at its /ByteRange: the signed bytes (both ranges joined), the
 * CMS from /Contents (trailing zero padding removed by DER length), and the ranges.
 */
export function signedParts(pdf: Uint8Array): { signed: Buffer; cms: Buffer; byteRange: number[] } {
  const text = Buffer.from(pdf).toString('latin1');
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text);
  if (!m) throw new Error('no /ByteRange');
  const [a, b, c, d] = m.slice(1).map(Number) as [number, number, number, number];
  const buf = Buffer.from(pdf);
  const hex = buf.subarray(a + b + 1, c - 1).toString('latin1');
  let cms = Buffer.from(hex, 'hex');
  // DER: 30 82 LL LL … → the real length.
  if (cms[0] === 0x30 && cms[1] === 0x82) cms = cms.subarray(0, 4 + cms.readUInt16BE(2));
  else if (cms[0] === 0x30 && cms[1] === 0x83) cms = cms.subarray(0, 5 + ((cms[2]! << 16) | cms.readUInt16BE(3)));
  return { signed: Buffer.concat([buf.subarray(a, a + b), buf.subarray(c, c + d)]), cms, byteRange: [a, b, c, d] };
}

/** `openssl cms -verify` of the detached CMS over the signed bytes, against `caFile`. */
export async function opensslCmsVerify(dir: string, cms: Uint8Array, signed: Uint8Array, caPem: string): Promise<ToolResult> {
  return run('openssl', [
    'cms', '-verify', '-binary', '-inform', 'DER',
    '-in', tempFile(dir, 'sig.p7s', cms),
    '-content', tempFile(dir, 'signed.bin', signed),
    '-CAfile', tempFile(dir, 'ca.pem', caPem),
    '-out', '/dev/null',
  ]);
}

/** `openssl cms -cmsout -print`: the CMS structure as OpenSSL reads it. */
export async function opensslCmsPrint(dir: string, cms: Uint8Array): Promise<string> {
  const r = await run('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', tempFile(dir, 'sig.p7s', cms)]);
  if (r.code !== 0) throw new Error(`openssl cms -print: ${r.stderr}`);
  return r.stdout;
}

/** `openssl x509 -text` of a PEM certificate. */
export async function opensslX509Text(dir: string, pem: string): Promise<string> {
  // oneline without escaping UTF-8 bytes: `C = RS, O = Градска управа …`.
  const r = await run('openssl', ['x509', '-noout', '-text', '-nameopt', 'oneline,-esc_msb', '-in', tempFile(dir, 'cert.pem', pem)]);
  if (r.code !== 0) throw new Error(`openssl x509: ${r.stderr}`);
  return r.stdout;
}

/** `openssl ts -verify` of a timestamp token over `data`, against the TSA's CA. */
export async function opensslTsVerify(dir: string, token: Uint8Array, data: Uint8Array, caPem: string): Promise<ToolResult> {
  return run('openssl', [
    'ts', '-verify', '-token_in',
    '-in', tempFile(dir, 'token.der', token),
    '-data', tempFile(dir, 'data.bin', data),
    '-CAfile', tempFile(dir, 'tsa-ca.pem', caPem),
  ]);
}

/**
 * A copy of `pdf` with one byte changed at `offset`, to another byte of the same kind where
 * that matters to a parser (a digit to a digit, a hex digit to a hex digit, a letter to a
 * letter), so the file still parses and only the signature can notice.
 */
export function withChangedByte(pdf: Uint8Array, offset: number): Uint8Array {
  const out = new Uint8Array(pdf);
  const b = out[offset]!;
  const cycle = (first: number, last: number) => (b === last ? first : b + 1);
  if (b >= 0x30 && b <= 0x39) out[offset] = cycle(0x30, 0x39);
  else if (b >= 0x61 && b <= 0x66) out[offset] = cycle(0x61, 0x66);
  else if (b >= 0x41 && b <= 0x46) out[offset] = cycle(0x41, 0x46);
  else if (b >= 0x67 && b <= 0x7a) out[offset] = cycle(0x67, 0x7a);
  else if (b >= 0x47 && b <= 0x5a) out[offset] = cycle(0x47, 0x5a);
  else out[offset] = b ^ 0x01;
  return out;
}

/** poppler's `pdfinfo` as `key: value` pairs ("Tagged", "Pages", …). */
export async function pdfinfo(dir: string, pdf: Uint8Array): Promise<Map<string, string>> {
  const r = await run('pdfinfo', [tempFile(dir, 'doc.pdf', pdf)]);
  if (r.code !== 0) throw new Error(`pdfinfo: ${r.stderr}`);
  return new Map(r.stdout.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
}

/**
 * The structure tree as poppler reads it (`pdfinfo -struct-text`): one entry per element,
 * depth-first in reading order, with its role and the text of its own marked content.
 */
export async function structureTree(dir: string, pdf: Uint8Array): Promise<{ role: string; depth: number; text: string; attributes: string[] }[]> {
  const r = await run('pdfinfo', ['-struct-text', tempFile(dir, 'doc.pdf', pdf)]);
  if (r.code !== 0) throw new Error(`pdfinfo -struct-text: ${r.stderr}`);
  const out: { role: string; depth: number; text: string; attributes: string[] }[] = [];
  for (const line of r.stdout.split('\n')) {
    const depth = (line.length - line.trimStart().length) / 2;
    const text = /^\s*"(.*)"$/.exec(line);
    if (text) out.at(-1)!.text += (out.at(-1)!.text ? ' ' : '') + text[1];
    // An attribute of the element above ("TH:" then "   /Scope /Row").
    else if (line.trim().startsWith('/')) out.at(-1)!.attributes.push(line.trim());
    else if (line.trim()) out.push({ role: line.trim().split(' ')[0]!.replace(/:$/, ''), depth, text: '', attributes: [] });
  }
  return out;
}

/** A PDF object as qpdf's JSON (v2) writes it: names `/Name`, references `n 0 R`, strings `u:…`, streams `{stream: {dict, data}}`. */
export type QpdfValue = string | number | boolean | null | QpdfValue[] | { [key: string]: QpdfValue };

/**
 * Every object of the PDF as qpdf reads it (`qpdf --json`, streams decoded, data inline):
 * `get('2 0 R')` is that object's value (a stream: `{stream: {dict, data}}`, data in base64);
 * `trailer` is the trailer dictionary.
 */
export async function qpdfObjects(dir: string, pdf: Uint8Array): Promise<{ get(ref: string): QpdfValue; all(): [string, QpdfValue][]; trailer: Record<string, QpdfValue> }> {
  const r = await run('qpdf', ['--json', '--json-key=qpdf', '--decode-level=generalized', '--json-stream-data=inline', tempFile(dir, 'doc.pdf', pdf)]);
  if (r.code !== 0 && r.code !== 3) throw new Error(`qpdf --json: ${r.stderr}`);
  const objects = (JSON.parse(r.stdout) as { qpdf: [unknown, Record<string, { value?: QpdfValue; stream?: QpdfValue }>] }).qpdf[1];
  const valueOf = (o: { value?: QpdfValue; stream?: QpdfValue }) => (o.value !== undefined ? o.value : { stream: o.stream! });
  return {
    get: (ref) => {
      const o = objects[`obj:${ref}`];
      if (!o) throw new Error(`no object ${ref}`);
      return valueOf(o);
    },
    all: () => Object.entries(objects).filter(([k]) => k.startsWith('obj:')).map(([k, o]) => [k.slice(4), valueOf(o)]),
    trailer: objects.trailer!.value as Record<string, QpdfValue>,
  };
}
