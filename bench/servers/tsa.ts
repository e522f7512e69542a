// A local RFC 3161 time-stamping authority for bench/issuance-ltv.ts, in a process of its own:
// pkijs builds each TSTInfo and signs it (ECDSA P-256, WebCrypto) with the key and certificate
// given in BENCH_TSA_KEY / BENCH_TSA_CERT / BENCH_TSA_CHAIN (PEM files made by the test PKI, so
// the certificate has AIA and CRL DP like a real TSA's). The tests use OpenSSL's `ts -reply`
// (test/helpers/tsa.ts), which spawns a process per request: right for checking answers, far
// too slow to stand in for a TSA in a throughput figure. Written by hand for that reason only.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { reportReady } from '../lib/child-server.ts';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

const pemBlocks = (pem: string, label: string): Uint8Array<ArrayBuffer>[] =>
  [...pem.matchAll(new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g'))].map((m) => {
    const bytes = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
    const out = new Uint8Array(new ArrayBuffer(bytes.length));
    out.set(bytes);
    return out;
  });

const cert = pkijs.Certificate.fromBER(pemBlocks(readFileSync(process.env.BENCH_TSA_CERT!, 'utf8'), 'CERTIFICATE')[0]!);
const chain = pemBlocks(readFileSync(process.env.BENCH_TSA_CHAIN!, 'utf8'), 'CERTIFICATE').map((der) => pkijs.Certificate.fromBER(der));
const key = await webcrypto.subtle.importKey('pkcs8', pemBlocks(readFileSync(process.env.BENCH_TSA_KEY!, 'utf8'), 'PRIVATE KEY')[0]!, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
let serial = 1;
const hash = new Uint8Array(await webcrypto.subtle.digest('SHA-256', cert.toSchema(true).toBER()));

async function reply(body: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const req = pkijs.TimeStampReq.fromBER(body);
  const tst = new pkijs.TSTInfo({
    version: 1,
    policy: '1.3.6.1.4.1.55555.1',
    messageImprint: req.messageImprint,
    serialNumber: new asn1js.Integer({ value: serial++ }),
    genTime: new Date(),
    ordering: false,
    ...(req.nonce ? { nonce: req.nonce } : {}),
  });
  const tstDer = tst.toSchema().toBER();
  const signed = new pkijs.SignedData({
    version: 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: '1.2.840.113549.1.9.16.1.4',
      eContent: new asn1js.OctetString({ valueHex: tstDer }),
    }),
    signerInfos: [new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    })],
    certificates: [cert, ...chain],
  });
  // ESS signing-certificate-v2 (RFC 5816): the TSA's certificate hash (computed once at start, as a TSA does).
  const essV2 = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: hash })] })] })] });
  signed.signerInfos[0]!.signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.9.16.1.4' })] }),
      new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: await webcrypto.subtle.digest('SHA-256', tstDer) })] }),
      new pkijs.Attribute({ type: '1.2.840.113549.1.9.16.2.47', values: [essV2] }),
    ],
  });
  await signed.sign(key, 0, 'SHA-256');
  const resp = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({ status: 0 }),
    timeStampToken: new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signed.toSchema(true) }),
  });
  return new Uint8Array(resp.toSchema().toBER());
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    reply(new Uint8Array(Buffer.concat(chunks))).then(
      (body) => res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(body),
      (err: Error) => res.writeHead(400, { 'Content-Type': 'text/plain' }).end(err.message),
    );
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  reportReady({ serial: randomBytes(1)[0] }, typeof address === 'object' && address ? address.port : 0, () => new Promise<void>((r) => server.close(() => r())));
});
