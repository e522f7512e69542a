/**
 * Long-term validation of a sealed PDF (PAdES baseline B-LT and B-LTA, ETSI EN 319 142-1;
 * ISO 32000-2 12.8.4.3), written as incremental updates after the seal so that nothing it
 * covers changes:
 *
 * 1. B-LT: a Document Security Store, `/DSS << /Certs [..] /OCSPs [..] /CRLs [..] >>` in the
 *    catalog, with every certificate of the seal's chain and of every time-stamping
 *    authority's chain found in the document (each token's certificates), and revocation data
 *    for each of them (server/documents/revocation.ts: OCSP from the AIA, else the CRL), plus
 *    the OCSP responders' certificates. Each value is a stream of the DER bytes. A DSS already
 *    there (an earlier extension) is kept and added to: nothing is removed, nothing repeated.
 * 2. B-LTA: a document time-stamp over all of it — a signature field whose dictionary is
 *    `/Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161`, its `/Contents` an
 *    RFC 3161 token over the SHA-256 of the byte ranges (seal.ts `fillSignature`).
 *
 * Archive time-stamps (issue 18, item 3) are the same two steps again: fresh validation data
 * for everything in the document, including the last document time-stamp's TSA, then a new
 * document time-stamp.
 *
 * The incremental update is written here by hand: pdf-lib reads the document and serialises
 * each object, but it only saves whole files (a full rewrite would break the seal). So this
 * module appends the changed and new objects, a classic cross-reference section for them and
 * a trailer with /Prev (ISO 32000-1 7.5.6).
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFString, decodePDFRawStream,
  type PDFObject,
} from 'pdf-lib';
import { OIDS, SealError, fillSignature, requestTimestampParts, type CmsOptions, type SealedParts, type TimestampParts } from './seal.ts';
import { RevocationError, hasOcspNoCheck, type RevocationSource } from './revocation.ts';
import { nameToString } from './certificates.ts';

import { PADES_LEVELS, type PadesLevel } from '../../components/core/documents.ts';

export { PADES_LEVELS, type PadesLevel };
export const levelAtLeast = (level: PadesLevel, min: PadesLevel) => PADES_LEVELS.indexOf(level) >= PADES_LEVELS.indexOf(min);

/** Bytes reserved for a document time-stamp token (a token with a two-certificate chain is ~3 KB). */
const DOC_TIMESTAMP_RESERVE = 12_288;
const BYTE_RANGE_PLACEHOLDER = '**********';

// ---------------------------------------------------------------------------------------------
// Incremental updates

/** The offset after the last `startxref` keyword: the previous cross-reference section. */
function previousXref(pdf: Uint8Array): number {
  const tail = Buffer.from(pdf.subarray(Math.max(0, pdf.length - 1024))).toString('latin1');
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!m) throw new Error('the PDF does not end with startxref … %%EOF');
  return Number(m[1]);
}

/**
 * Appends an incremental update: `objects` (changed objects at their own numbers, new ones at
 * new numbers), a cross-reference section for them, and a trailer pointing at the previous one.
 */
function appendUpdate(pdf: Uint8Array, doc: PDFDocument, objects: ReadonlyMap<PDFRef, PDFObject>): Uint8Array {
  const prev = previousXref(pdf);
  const parts: Uint8Array[] = [pdf];
  let offset = pdf.length;
  // The file may not end with a line break: start the update on a line of its own.
  const last = pdf[pdf.length - 1];
  if (last !== 0x0a && last !== 0x0d) {
    parts.push(Buffer.from('\n', 'latin1'));
    offset++;
  }
  const entries: { num: number; gen: number; at: number }[] = [];
  for (const [ref, obj] of [...objects].sort(([a], [b]) => a.objectNumber - b.objectNumber)) {
    const head = Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1');
    const body = new Uint8Array(obj.sizeInBytes());
    obj.copyBytesInto(body, 0);
    const foot = Buffer.from('\nendobj\n', 'latin1');
    entries.push({ num: ref.objectNumber, gen: ref.generationNumber, at: offset });
    parts.push(head, body, foot);
    offset += head.length + body.length + foot.length;
  }
  const xrefAt = offset;
  // Subsections of consecutive object numbers; each entry exactly 20 bytes.
  let xref = 'xref\n';
  for (let i = 0; i < entries.length;) {
    let j = i;
    while (j + 1 < entries.length && entries[j + 1]!.num === entries[j]!.num + 1) j++;
    xref += `${entries[i]!.num} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) xref += `${String(entries[k]!.at).padStart(10, '0')} ${String(entries[k]!.gen).padStart(5, '0')} n\r\n`;
    i = j + 1;
  }
  const info = doc.context.trailerInfo;
  const trailer = doc.context.obj({}) as PDFDict;
  trailer.set(PDFName.of('Size'), PDFNumber.of(doc.context.largestObjectNumber + 1));
  if (!info.Root) throw new Error('the PDF has no /Root');
  trailer.set(PDFName.of('Root'), info.Root);
  if (info.Info) trailer.set(PDFName.of('Info'), info.Info);
  if (info.ID) trailer.set(PDFName.of('ID'), info.ID);
  if (info.Encrypt) throw new Error('an encrypted PDF is not extended');
  trailer.set(PDFName.of('Prev'), PDFNumber.of(prev));
  parts.push(Buffer.from(`${xref}trailer\n${trailer.toString()}\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

async function load(pdf: Uint8Array): Promise<PDFDocument> {
  // parseSpeed: pdf-lib otherwise waits for a zero timer every 100 objects (see pdf.ts's objectsPerTick).
  return PDFDocument.load(pdf, { updateMetadata: false, throwOnInvalidObject: true, parseSpeed: Number.POSITIVE_INFINITY });
}

// ---------------------------------------------------------------------------------------------
// Reading what the document holds

/**
 * A parsed certificate's DER as it was read (pkijs keeps the signed part's bytes; `toSchema(true)`
 * would encode it all again, the slowest step of an extension when done for every look-up).
 */
const certDer = (c: pkijs.Certificate) => new Uint8Array(c.toSchema().toBER());

/** DER of a /Contents value without its zero padding (the length from the DER header). */
function derOf(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0x30) return bytes;
  const b1 = bytes[1]!;
  if (b1 < 0x80) return bytes.subarray(0, 2 + b1);
  const n = b1 & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + bytes[2 + i]!;
  return bytes.subarray(0, 2 + n + len);
}

export interface TimeStampInfo {
  /** The token (ContentInfo), DER. */
  token: Uint8Array;
  genTime: Date;
  /** The TSA's signing certificate (found among the token's certificates). */
  signer: pkijs.Certificate | undefined;
  /** `signature` (inside the seal) or `document` (a /DocTimeStamp). */
  kind: 'signature' | 'document';
}

export interface DocumentSignatures {
  /** Every certificate carried by the seal's CMS and by the time-stamp tokens. */
  certs: pkijs.Certificate[];
  timestamps: TimeStampInfo[];
  /** The SHA-1 of each seal's /Contents (with padding), upper-case hex: the DSS's VRI keys. */
  sealContentsSha1: string[];
}

function signedDataOf(der: Uint8Array): pkijs.SignedData {
  const info = pkijs.ContentInfo.fromBER(der.slice().buffer);
  if (info.contentType !== OIDS.signedData) throw new Error('not a SignedData');
  return new pkijs.SignedData({ schema: info.content });
}

function tokenInfo(der: Uint8Array, kind: TimeStampInfo['kind']): TimeStampInfo {
  const sd = signedDataOf(der);
  const tst = pkijs.TSTInfo.fromBER(sd.encapContentInfo.eContent!.getValue());
  const sid = sd.signerInfos[0]?.sid;
  const certs = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const signer = sid instanceof pkijs.IssuerAndSerialNumber
    ? certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber))
    : certs[0];
  return { token: der, genTime: tst.genTime, signer, kind };
}

/** The signatures of a document (seals and document time-stamps), read with pdf-lib. */
export async function readSignatures(pdf: Uint8Array | PDFDocument): Promise<DocumentSignatures> {
  const doc = pdf instanceof PDFDocument ? pdf : await load(pdf);
  const certs = new Map<string, pkijs.Certificate>();
  const add = (list: readonly unknown[] | undefined) => {
    for (const c of list ?? []) {
      if (c instanceof pkijs.Certificate) certs.set(createHash('sha256').update(certDer(c)).digest('hex'), c);
    }
  };
  const timestamps: TimeStampInfo[] = [];
  const sealContentsSha1: string[] = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict)) continue;
    const contents = obj.get(PDFName.of('Contents'));
    const subFilter = obj.get(PDFName.of('SubFilter'));
    if (!(contents instanceof PDFHexString) || !(subFilter instanceof PDFName) || !obj.has(PDFName.of('ByteRange'))) continue;
    const raw = contents.asBytes();
    // A placeholder not yet filled (all zeros) is no signature yet.
    if (raw[0] !== 0x30) continue;
    const der = derOf(raw);
    if (subFilter.asString() === '/ETSI.RFC3161') {
      const info = tokenInfo(der, 'document');
      timestamps.push(info);
      add(signedDataOf(der).certificates);
      continue;
    }
    sealContentsSha1.push(createHash('sha1').update(raw).digest('hex').toUpperCase());
    const sd = signedDataOf(der);
    add(sd.certificates);
    for (const attr of sd.signerInfos[0]?.unsignedAttrs?.attributes ?? []) {
      if (attr.type !== OIDS.timeStampToken) continue;
      const token = new Uint8Array((attr.values[0] as asn1js.Sequence).toBER());
      timestamps.push(tokenInfo(token, 'signature'));
      add(signedDataOf(token).certificates);
    }
  }
  timestamps.sort((a, b) => a.genTime.getTime() - b.genTime.getTime());
  return { certs: [...certs.values()], timestamps, sealContentsSha1 };
}

/** When the newest time-stamp's certificate ends: until then the document's proof of existence holds. */
export function archiveUntil(signatures: DocumentSignatures): number | null {
  const newest = signatures.timestamps.at(-1);
  return newest?.signer ? newest.signer.notAfter.value.getTime() : null;
}

/** The level the document's signatures reach, as written (not as validated). */
export async function levelOf(pdf: Uint8Array): Promise<PadesLevel> {
  const doc = await load(pdf);
  const sigs = await readSignatures(doc);
  if (sigs.timestamps.some((t) => t.kind === 'document')) return 'B-LTA';
  if (doc.catalog.has(PDFName.of('DSS'))) return sigs.timestamps.length ? 'B-LT' : 'B-B';
  return sigs.timestamps.length ? 'B-T' : 'B-B';
}

// ---------------------------------------------------------------------------------------------
// Collecting validation data

export interface ValidationData {
  certs: Uint8Array[];
  ocsps: Uint8Array[];
  crls: Uint8Array[];
}

const isSelfSigned = (c: pkijs.Certificate) => c.subject.isEqual(c.issuer);

/**
 * Every certificate in `certs` and what it takes to validate each: its issuer (from `certs`)
 * and its revocation data, fetched through `source`; the OCSP responders' certificates too
 * (and their revocation data unless they carry id-pkix-ocsp-nocheck). A certificate whose
 * issuer is not there, or that names no responder and no CRL, cannot be covered: that is an
 * error (`refused`), not a silent gap.
 */
export async function collectValidationData(
  certs: readonly pkijs.Certificate[], source: RevocationSource, knownDer: ReadonlyMap<pkijs.Certificate, Uint8Array> = new Map(),
): Promise<ValidationData> {
  const pool = new Map<string, pkijs.Certificate>();
  const keys = new Map<pkijs.Certificate, string>();
  const ders = new Map(knownDer);
  const derOfCert = (c: pkijs.Certificate) => {
    let d = ders.get(c);
    if (d === undefined) ders.set(c, (d = certDer(c)));
    return d;
  };
  // A certificate by the hash of its signed part as read (tbsView; the same bytes wherever it
  // was found): encoding each one again to tell them apart was most of this function's time.
  const key = (c: pkijs.Certificate) => {
    let k = keys.get(c);
    if (k === undefined) keys.set(c, (k = createHash('sha256').update(c.tbsView?.byteLength ? c.tbsView : derOfCert(c)).digest('hex')));
    return k;
  };
  for (const c of certs) pool.set(key(c), c);
  const out: ValidationData = { certs: [], ocsps: [], crls: [] };
  const seenData = new Set<string>();
  const done = new Set<string>();
  const queue = [...pool.values()];
  while (queue.length) {
    const cert = queue.shift()!;
    const k = key(cert);
    if (done.has(k)) continue;
    done.add(k);
    if (isSelfSigned(cert)) continue;
    const issuer = [...pool.values()].find((c) => c.subject.isEqual(cert.issuer) && !c.serialNumber.isEqual(cert.serialNumber));
    if (!issuer) throw new RevocationError(`the issuer of ${nameToString(cert.subject)} is not in the document: its chain is incomplete`, 'refused');
    const data = await source.forCertificate(cert, issuer);
    if (!data) throw new RevocationError(`${nameToString(cert.subject)} names no OCSP responder and no CRL distribution point: its revocation status cannot be recorded`, 'refused');
    const h = createHash('sha256').update(data.der).digest('hex');
    if (!seenData.has(h)) {
      seenData.add(h);
      (data.kind === 'ocsp' ? out.ocsps : out.crls).push(data.der);
    }
    data.certs.forEach((c, i) => {
      const d = data.certsDer?.[i];
      if (d && !ders.has(c)) ders.set(c, d);
    });
    for (const responder of data.certs) {
      const rk = key(responder);
      if (pool.has(rk)) continue;
      pool.set(rk, responder);
      // A responder with id-pkix-ocsp-nocheck is trusted for the life of its certificate.
      if (hasOcspNoCheck(responder)) done.add(rk);
      else queue.push(responder);
    }
  }
  out.certs = [...pool.values()].map(derOfCert);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing: the DSS and the document time-stamp

/** The decoded bytes of the streams in a DSS array (Flate or none), to tell what is there. */
function streamsOf(doc: PDFDocument, dss: PDFDict | undefined, name: string): { refs: PDFRef[]; hashes: Set<string> } {
  const refs: PDFRef[] = [];
  const hashes = new Set<string>();
  const arr = dss?.lookup(PDFName.of(name));
  if (!(arr instanceof PDFArray)) return { refs, hashes };
  for (let i = 0; i < arr.size(); i++) {
    const ref = arr.get(i);
    if (!(ref instanceof PDFRef)) continue;
    refs.push(ref);
    const stream = doc.context.lookup(ref);
    if (stream instanceof PDFRawStream) hashes.add(createHash('sha256').update(decodePDFRawStream(stream).decode()).digest('hex'));
  }
  return { refs, hashes };
}

/**
 * Adds `data` to the DSS of `doc` in memory (made when missing, kept and added to when there),
 * with a /VRI entry for each seal naming what validates it. Returns the objects to write in an
 * incremental update, or null when there is nothing new.
 */
async function buildDss(doc: PDFDocument, data: ValidationData, sigs: DocumentSignatures): Promise<Map<PDFRef, PDFObject> | null> {
  const ctx = doc.context;
  const existing = doc.catalog.lookup(PDFName.of('DSS'));
  const old = existing instanceof PDFDict ? existing : undefined;
  const changed = new Map<PDFRef, PDFObject>();
  const dss = ctx.obj({ Type: 'DSS' }) as PDFDict;
  const added: Record<'Certs' | 'OCSPs' | 'CRLs', PDFRef[]> = { Certs: [], OCSPs: [], CRLs: [] };
  for (const [name, items] of [['Certs', data.certs], ['OCSPs', data.ocsps], ['CRLs', data.crls]] as const) {
    const { refs, hashes } = streamsOf(doc, old, name);
    for (const der of items) {
      const h = createHash('sha256').update(der).digest('hex');
      if (hashes.has(h)) continue;
      hashes.add(h);
      const stream = ctx.stream(der);
      const ref = ctx.register(stream);
      changed.set(ref, stream);
      refs.push(ref);
      added[name].push(ref);
    }
    if (refs.length) dss.set(PDFName.of(name), ctx.obj(refs));
  }
  if (changed.size === 0 && old) return null;
  // VRI (optional in PAdES, read by some validators): per seal, what this update added for it.
  const vri = ctx.obj({}) as PDFDict;
  const oldVri = old?.lookup(PDFName.of('VRI'));
  if (oldVri instanceof PDFDict) for (const [k, v] of oldVri.entries()) vri.set(k, v);
  for (const sha1 of sigs.sealContentsSha1) {
    if (vri.has(PDFName.of(sha1))) continue;
    const entry = ctx.obj({}) as PDFDict;
    if (added.Certs.length) entry.set(PDFName.of('Cert'), ctx.obj(added.Certs));
    if (added.OCSPs.length) entry.set(PDFName.of('OCSP'), ctx.obj(added.OCSPs));
    if (added.CRLs.length) entry.set(PDFName.of('CRL'), ctx.obj(added.CRLs));
    vri.set(PDFName.of(sha1), entry);
  }
  if (vri.entries().length) dss.set(PDFName.of('VRI'), vri);
  const dssRef = ctx.register(dss);
  changed.set(dssRef, dss);
  doc.catalog.set(PDFName.of('DSS'), dssRef);
  changed.set(ctx.trailerInfo.Root as PDFRef, doc.catalog);
  return changed;
}

/** Appends an incremental update that adds `data` to the document's DSS (see buildDss). */
export async function appendDss(pdf: Uint8Array, data: ValidationData): Promise<Uint8Array> {
  const doc = await load(pdf);
  const changed = await buildDss(doc, data, await readSignatures(doc));
  return changed ? appendUpdate(pdf, doc, changed) : pdf;
}

/**
 * Appends an incremental update with a document time-stamp (a /DocTimeStamp signature field
 * on the first page, invisible) and fills it with a token from the TSA over the byte ranges.
 */
export async function appendDocumentTimestamp(pdf: Uint8Array, tsaUrl: string, options: CmsOptions = {}): Promise<Uint8Array> {
  const doc = await load(pdf);
  const count = (await readSignatures(doc)).timestamps.filter((t) => t.kind === 'document').length;
  return (await timestampInPlace(pdf, doc, count, tsaUrl, options)).pdf;
}

/**
 * The document time-stamp over `pdf`, whose objects `doc` holds in memory (its last revision:
 * loaded from it, or updated along with it). A token larger than the reserve (a TSA with a
 * long chain) is tried once more with twice the room, from a fresh reading of `pdf`.
 */
async function timestampInPlace(pdf: Uint8Array, doc: PDFDocument, count: number, tsaUrl: string, options: CmsOptions): Promise<{ pdf: Uint8Array; token: TimestampParts }> {
  let token: TimestampParts | undefined;
  const stamp = async (digest: Uint8Array) => (token = (await requestTimestampParts(tsaUrl, digest, options)).parts).token;
  for (let reserve = DOC_TIMESTAMP_RESERVE, attempt = 0; ; reserve *= 2, attempt++) {
    const target = attempt === 0 ? doc : await load(pdf);
    const unsigned = appendUpdate(pdf, target, documentTimestampPlaceholder(target, reserve, count));
    try {
      const out = await fillSignature(unsigned, stamp, true);
      return { pdf: out, token: token! };
    } catch (err) {
      if (!(err instanceof SealError) || err.code !== 'contents-too-small' || attempt > 0) throw err;
    }
  }
}

/** Adds the document time-stamp's field and signature dictionary to `doc`; returns the objects to write. */
function documentTimestampPlaceholder(doc: PDFDocument, reserve: number, count: number): Map<PDFRef, PDFObject> {
  const ctx = doc.context;
  const changed = new Map<PDFRef, PDFObject>();
  const byteRange = PDFArray.withContext(ctx);
  byteRange.push(PDFNumber.of(0));
  for (let i = 0; i < 3; i++) byteRange.push(PDFName.of(BYTE_RANGE_PLACEHOLDER));
  const sig = ctx.obj({ Type: 'DocTimeStamp', Filter: 'Adobe.PPKLite', SubFilter: 'ETSI.RFC3161' }) as PDFDict;
  sig.set(PDFName.of('ByteRange'), byteRange);
  sig.set(PDFName.of('Contents'), PDFHexString.of('0'.repeat(reserve * 2)));
  const sigRef = ctx.register(sig);
  changed.set(sigRef, sig);

  const page = doc.getPages()[0];
  if (!page) throw new Error('the PDF has no page');
  const widget = ctx.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', Rect: [0, 0, 0, 0], F: 132, P: page.ref }) as PDFDict;
  widget.set(PDFName.of('T'), PDFString.of(`Overa document time-stamp ${count + 1}`));
  widget.set(PDFName.of('V'), sigRef);
  const widgetRef = ctx.register(widget);
  changed.set(widgetRef, widget);

  const annots = page.node.get(PDFName.of('Annots'));
  if (annots instanceof PDFRef) {
    const arr = ctx.lookup(annots, PDFArray);
    arr.push(widgetRef);
    changed.set(annots, arr);
  } else {
    // Not page.node.addAnnot: pdf-lib would first "normalize" the page, wrapping its content
    // streams in new q/Q streams that this update does not write.
    if (annots instanceof PDFArray) annots.push(widgetRef);
    else page.node.set(PDFName.of('Annots'), ctx.obj([widgetRef]));
    changed.set(page.ref, page.node);
  }
  const acroFormEntry = doc.catalog.get(PDFName.of('AcroForm'));
  const acroForm = acroFormEntry instanceof PDFRef ? ctx.lookup(acroFormEntry, PDFDict) : acroFormEntry instanceof PDFDict ? acroFormEntry : undefined;
  if (!acroForm) throw new Error('the PDF has no AcroForm: it was not sealed');
  const fieldsEntry = acroForm.get(PDFName.of('Fields'));
  if (fieldsEntry instanceof PDFRef) {
    const fields = ctx.lookup(fieldsEntry, PDFArray);
    fields.push(widgetRef);
    changed.set(fieldsEntry, fields);
  } else if (fieldsEntry instanceof PDFArray) {
    fieldsEntry.push(widgetRef);
  } else {
    acroForm.set(PDFName.of('Fields'), ctx.obj([widgetRef]));
  }
  if (acroFormEntry instanceof PDFRef) changed.set(acroFormEntry, acroForm);
  else changed.set(ctx.trailerInfo.Root as PDFRef, doc.catalog);
  return changed;
}

export interface ExtendOptions {
  /** B-LT or B-LTA. */
  level: 'B-LT' | 'B-LTA';
  tsaUrl?: string | undefined;
  revocation: RevocationSource;
  tsaTimeoutMs?: number;
  fetch?: typeof fetch;
  /**
   * What issuance's seal wrote into `pdf`, already parsed (seal.ts CmsOptions.sealed), for a
   * document sealed just now with nothing after the seal: then the seal's CMS and time-stamp
   * token are not read back out of the PDF. The extension writes the same DSS either way.
   */
  known?: SealedParts | undefined;
}

export interface Extended {
  pdf: Uint8Array;
  level: PadesLevel;
  /** The newest time-stamp's certificate's end (epoch ms), or null without one. */
  archiveUntil: number | null;
  added: { certs: number; ocsps: number; crls: number };
}

/**
 * Takes a sealed PDF to B-LT (a DSS with validation data for every certificate in it) and on
 * to B-LTA (a document time-stamp over it). Throws RevocationError or SealError: nothing is
 * half-written (the caller keeps the bytes it had).
 */
export async function extendPdf(pdf: Uint8Array, options: ExtendOptions): Promise<Extended> {
  // One reading: the updates below are made to this in-memory document and written one after
  // the other, each from the state the previous one left.
  const doc = await load(pdf);
  const known = options.known;
  const knownDer = new Map<pkijs.Certificate, Uint8Array>();
  let sigs: DocumentSignatures;
  if (known?.chain && known.contentsSha1) {
    for (const { cert, der } of known.chain) knownDer.set(cert, der);
    known.timestamp?.certsDer?.forEach((der, i) => knownDer.set(known.timestamp!.certs[i]!, der));
    const t = known.timestamp;
    sigs = {
      certs: [...known.chain.map((c) => c.cert), ...(t?.certs ?? [])],
      timestamps: t ? [{ token: t.token, genTime: t.genTime, signer: t.signer, kind: 'signature' }] : [],
      sealContentsSha1: [known.contentsSha1],
    };
  } else {
    sigs = await readSignatures(doc);
  }
  const data = await collectValidationData(sigs.certs, options.revocation, knownDer);
  const dss = await buildDss(doc, data, sigs);
  let out = dss ? appendUpdate(pdf, doc, dss) : pdf;
  let level: PadesLevel = sigs.timestamps.length ? 'B-LT' : 'B-B';
  let until = archiveUntil(sigs);
  if (options.level === 'B-LTA') {
    if (!options.tsaUrl) throw new SealError('B-LTA needs a time-stamping authority (OVERA_TSA_URL)', 'tsa-unavailable');
    const count = sigs.timestamps.filter((t) => t.kind === 'document').length;
    const stamped = await timestampInPlace(out, doc, count, options.tsaUrl, { tsaTimeoutMs: options.tsaTimeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}) });
    out = stamped.pdf;
    level = 'B-LTA';
    const signer = stamped.token.signer;
    until = signer ? signer.notAfter.value.getTime() : null;
  }
  return { pdf: out, level, archiveUntil: until, added: { certs: data.certs.length, ocsps: data.ocsps.length, crls: data.crls.length } };
}
