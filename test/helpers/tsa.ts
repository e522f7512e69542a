/**
 * A real RFC 3161 time-stamping authority on loopback for tests: OpenSSL's `openssl ts -reply`
 * run once per request behind a small node:http handler (`openssl ts` has no server of its own;
 * FIELD-NOTES). Its own root and a signing certificate with the critical timeStamping extended
 * key usage, made with OpenSSL in the given folder.
 *
 * `tsa.answer` says how the next requests are answered. Every wrong answer is still a real
 * OpenSSL reply with a real token — the handler only changes what it asks OpenSSL to stamp
 * (another imprint, another nonce, none) or answers with OpenSSL's own rejection — so what the
 * client must catch is a wrong field, not a malformed byte:
 * - `grant`: the query as received;
 * - `reject`: a policy that accepts no SHA-256 imprint, so OpenSSL answers status rejection
 *   (badAlg) with no token;
 * - `other-imprint`: a token for other data (the query's imprint with its first byte flipped);
 * - `other-nonce` / `no-nonce`: a token with another nonce, or none;
 * - `http-500`: an HTTP error; `silent`: never answers; `stall`: sends the headers and half
 *   the reply, then nothing (the client must give up on the body too); `huge`: a real reply
 *   followed by 8 MiB more, sent without a length (the client must stop reading).
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const exec = promisify(execFile);

export type TsaAnswer = 'grant' | 'reject' | 'other-imprint' | 'other-nonce' | 'no-nonce' | 'http-500' | 'silent' | 'stall' | 'huge';

export interface TestTsa {
  /** The URL to POST `application/timestamp-query` to (OVERA_TSA_URL). */
  url: string;
  /** The TSA's root certificate: `openssl ts -verify -CAfile`. */
  caPem: string;
  /**
   * Its folder: `tsa.pem` (the signing certificate), `tsa.key` and `ca.pem` (the certificates
   * put in each token) are read on every request, so a test PKI may replace them to give the
   * TSA a certificate of its own or a new one (test/helpers/pki-services.ts).
   */
  dir: string;
  /** How the next requests are answered. */
  answer: TsaAnswer;
  /** The queries received, as sent (DER TimeStampReq). */
  queries: Buffer[];
  close(): Promise<void>;
}

function section(name: string, dir: string, digests: string): string[] {
  return [
    `[ ${name} ]`, `dir = ${dir}`, 'serial = $dir/serial', 'crypto_device = builtin', 'signer_cert = $dir/tsa.pem', 'certs = $dir/ca.pem',
    'signer_key = $dir/tsa.key', 'signer_digest = sha256', 'default_policy = 1.3.6.1.4.1.55555.1', 'other_policies = 1.3.6.1.4.1.55555.2',
    `digests = ${digests}`, 'accuracy = secs:1', 'ordering = yes', 'tsa_name = yes', 'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256',
  ];
}

/** The query OpenSSL is asked to answer, for the wrong answers that need a real token with a wrong field. */
function alteredQuery(query: Buffer, answer: TsaAnswer): Buffer {
  if (answer !== 'other-imprint' && answer !== 'other-nonce' && answer !== 'no-nonce') return query;
  const req = pkijs.TimeStampReq.fromBER(new Uint8Array(query));
  if (answer === 'other-imprint') {
    const hash = new Uint8Array(req.messageImprint.hashedMessage.valueBlock.valueHexView);
    hash[0]! ^= 0xff;
    req.messageImprint = new pkijs.MessageImprint({ hashAlgorithm: req.messageImprint.hashAlgorithm, hashedMessage: new asn1js.OctetString({ valueHex: hash }) });
  } else if (answer === 'other-nonce') {
    const nonce = new Uint8Array(req.nonce ? req.nonce.valueBlock.valueHexView : [0x01]);
    nonce[nonce.length - 1]! ^= 0x01;
    req.nonce = new asn1js.Integer({ valueHex: nonce });
  } else {
    delete req.nonce;
  }
  return Buffer.from(req.toSchema().toBER());
}

/** Starts the TSA (about a second of OpenSSL key making); `close()` when done. */
export async function startTsa(parent: string): Promise<TestTsa> {
  const dir = join(parent, `tsa-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const openssl = (...args: string[]) => exec('openssl', args, { cwd: dir });
  const p256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl('req', '-x509', ...p256, '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/C=RS/O=Test TSA/CN=Test TSA Root', '-days', '2',
    '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  await openssl('req', ...p256, '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/C=RS/O=Test TSA/CN=Test TSA');
  writeFileSync(join(dir, 'ext.cnf'), 'basicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n');
  await openssl('x509', '-req', '-in', 'tsa.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tsa.pem', '-days', '2', '-extfile', 'ext.cnf');
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(join(dir, 'tsa.cnf'), [
    '[ tsa ]', 'default_tsa = grant',
    ...section('grant', dir, 'sha256, sha384, sha512'),
    // Accepts SHA-512 imprints only: OpenSSL answers our SHA-256 query with status rejection.
    ...section('reject', dir, 'sha512'),
    '',
  ].join('\n'));

  let n = 0;
  const tsa: TestTsa = { url: '', dir, caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'), answer: 'grant', queries: [], close: async () => undefined };

  // One `openssl ts -reply` at a time: each run reads and rewrites the serial file, and two at
  // once can fail (status rejection) where a real TSA would answer both.
  let queue: Promise<unknown> = Promise.resolve();
  function reply(query: Buffer, answer: TsaAnswer): Promise<Buffer> {
    const next = queue.then(() => replyNow(query, answer));
    queue = next.catch(() => undefined);
    return next;
  }

  async function replyNow(query: Buffer, answer: TsaAnswer): Promise<Buffer> {
    const id = ++n;
    const queryFile = join(dir, `q${id}.tsq`);
    const replyFile = join(dir, `r${id}.tsr`);
    writeFileSync(queryFile, alteredQuery(query, answer));
    await openssl('ts', '-reply', '-config', 'tsa.cnf', '-section', answer === 'reject' ? 'reject' : 'grant', '-queryfile', queryFile, '-out', replyFile);
    return readFileSync(replyFile);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const query = Buffer.concat(chunks);
    tsa.queries.push(query);
    const answer = tsa.answer;
    if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
      res.writeHead(415).end();
      return;
    }
    if (answer === 'silent') return; // the socket stays open until the client gives up
    if (answer === 'http-500') {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('the TSA is broken');
      return;
    }
    const body = await reply(query, answer);
    if (answer === 'stall') {
      res.writeHead(200, { 'Content-Type': 'application/timestamp-reply', 'Content-Length': String(body.length) });
      res.write(body.subarray(0, body.length >> 1));
      return;
    }
    if (answer === 'huge') {
      res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' });
      res.write(body);
      for (let i = 0; i < 128 && !res.destroyed; i++) res.write(Buffer.alloc(65_536, 0x30));
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end(err.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  tsa.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/tsa`;
  tsa.close = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    // The silent and stalled answers hold their sockets open.
    server.closeAllConnections();
  });
  return tsa;
}
