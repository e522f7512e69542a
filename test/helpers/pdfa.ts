/**
 * The PDF/A-3b rules (ISO 19005-3, clauses as numbered there and in veraPDF's rule set) that the
 * tests check on issued documents, read with qpdf (`qpdf --json`, streams decoded) rather than
 * with our own PDF code. veraPDF, the reference validator, is neither an npm nor a Debian
 * package, so it cannot be used here; docs/server.md ("Archival PDF") lists these rules and
 * what is left unchecked.
 */
import { qpdfObjects, type QpdfValue } from './pdf-tools.ts';

type Dict = Record<string, QpdfValue>;

const isDict = (v: QpdfValue | undefined): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRef = (v: QpdfValue | undefined): v is string => typeof v === 'string' && / \d+ R$/.test(v);
/** A text string as qpdf writes it (`u:` decoded text, `b:` hex bytes). */
const text = (v: QpdfValue | undefined): string | undefined => (typeof v === 'string' && v.startsWith('u:') ? v.slice(2) : undefined);

/** `D:20261127145536Z` (or with an offset) → milliseconds. */
function pdfDate(value: string | undefined): number | undefined {
  const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?$/.exec(value ?? '');
  if (!m) return undefined;
  const zone = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, '').slice(3, 5)}`;
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
}

/** The text of one XMP property (simple, or the first rdf:li of an Alt, Seq or Bag). */
function xmpValue(xmp: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xmp);
  if (!m) return undefined;
  const li = /<rdf:li[^>]*>([\s\S]*?)<\/rdf:li>/.exec(m[1]!);
  const raw = li ? li[1]! : m[1]!;
  return raw.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** The problems a PDF has against the rules checked; [] when it passes them all. */
export async function pdfaProblems(dir: string, pdf: Uint8Array): Promise<string[]> {
  const problems: string[] = [];
  const q = await qpdfObjects(dir, pdf);
  const resolve = (v: QpdfValue | undefined): QpdfValue | undefined => (isRef(v) ? q.get(v) : v);
  const dict = (v: QpdfValue | undefined): Dict | undefined => {
    const r = resolve(v);
    if (isDict(r) && isDict(r.stream as QpdfValue)) return (r.stream as Dict).dict as Dict;
    return isDict(r) ? r : undefined;
  };
  const streamData = (v: QpdfValue | undefined): Buffer | undefined => {
    const r = resolve(v);
    const data = isDict(r) && isDict(r.stream as QpdfValue) ? (r.stream as Dict).data : undefined;
    return typeof data === 'string' ? Buffer.from(data, 'base64') : undefined;
  };
  const bytes = Buffer.from(pdf);

  // 6.1.2 File header: %PDF-1.n, then a comment of at least four bytes above 127.
  if (!/^%PDF-1\.[0-7]\r?\n%[\x80-\xff]{4}/.test(bytes.subarray(0, 20).toString('latin1'))) problems.push('6.1.2: the header is not %PDF-1.n followed by a binary comment');
  // 6.1.3 Trailer: an ID; no encryption; nothing after the last %%EOF but an end of line.
  const id = q.trailer['/ID'];
  if (!Array.isArray(id) || id.length !== 2) problems.push('6.1.3: the trailer has no /ID');
  if (q.trailer['/Encrypt'] !== undefined) problems.push('6.1.3: the file is encrypted');
  if (!/%%EOF\r?\n?$/.test(bytes.subarray(-8).toString('latin1'))) problems.push('6.1.3: data after the last %%EOF');

  const objects = q.all();
  for (const [ref, value] of objects) {
    const d = dict(value);
    if (!d) continue;
    // 6.1.7 Streams: no external file, no LZW.
    if (isDict(value) && isDict(value.stream as QpdfValue)) {
      for (const key of ['/F', '/FFilter', '/FDecodeParms']) if (key in d) problems.push(`6.1.7: stream ${ref} has ${key}`);
      const filters = ([] as QpdfValue[]).concat(d['/Filter'] ?? []);
      if (filters.includes('/LZWDecode')) problems.push(`6.1.7: stream ${ref} is LZW-compressed`);
    }
    // 6.6.1 No JavaScript.
    if (d['/S'] === '/JavaScript' || '/JS' in d) problems.push(`6.6.1: JavaScript in ${ref}`);
    // 6.2.11.4.1 Every font program embedded.
    if (d['/Type'] === '/FontDescriptor' && !('/FontFile' in d || '/FontFile2' in d || '/FontFile3' in d)) problems.push(`6.2.11.4.1: font ${String(d['/FontName'])} is not embedded`);
    if (d['/Type'] === '/Font' && d['/Subtype'] !== '/Type0' && d['/Subtype'] !== '/Type3' && !d['/FontDescriptor']) problems.push(`6.2.11.4.1: font ${String(d['/BaseFont'])} has no descriptor (a standard 14 font, not embedded)`);
    // 6.3.2 Annotations: printed, never hidden; 6.3.3 an appearance unless the rectangle is empty.
    if (d['/Type'] === '/Annot' || ('/Subtype' in d && d['/Subtype'] === '/Widget')) {
      const f = typeof d['/F'] === 'number' ? d['/F'] : 0;
      if (!(f & 4) || f & (2 | 1 | 32 | 256)) problems.push(`6.3.2: annotation ${ref} is not printable or is hidden (F ${f})`);
      const rect = (resolve(d['/Rect']) as number[] | undefined) ?? [0, 0, 0, 0];
      const empty = rect[2]! - rect[0]! === 0 && rect[3]! - rect[1]! === 0;
      if (!empty && d['/Subtype'] !== '/Popup' && d['/Subtype'] !== '/Link' && !d['/AP']) problems.push(`6.3.3: annotation ${ref} has no appearance`);
    }
    // 6.8 Embedded files: a MIME type and a modification date; their file specifications related.
    if (d['/Type'] === '/EmbeddedFile') {
      if (typeof d['/Subtype'] !== 'string') problems.push(`6.8: embedded file ${ref} has no /Subtype (MIME type)`);
      if (!dict(d['/Params'])?.['/ModDate']) problems.push(`6.8: embedded file ${ref} has no /Params /ModDate`);
    }
    if (d['/Type'] === '/Filespec' && d['/EF']) {
      for (const key of ['/F', '/UF', '/AFRelationship']) if (!(key in d)) problems.push(`6.8: file specification ${ref} has no ${key}`);
      const related = objects.some(([, v]) => {
        const af = dict(v)?.['/AF'];
        const list = resolve(af);
        return Array.isArray(list) && list.includes(ref);
      });
      if (!related) problems.push(`6.8: file specification ${ref} is in no /AF array`);
    }
    // 6.2.11.8 No text shows the .notdef glyph (glyph 0 of an Identity-H font).
    if (d['/Type'] === '/Page') {
      const contents = ([] as QpdfValue[]).concat(resolve(d['/Contents']) ?? []);
      const ops = (Array.isArray(resolve(d['/Contents'])) ? contents : [d['/Contents']!]).map((c) => streamData(c)?.toString('latin1') ?? '').join('\n');
      for (const m of ops.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
        if (m[1]!.match(/.{4}/g)?.includes('0000')) problems.push(`6.2.11.8: page ${ref} shows .notdef`);
      }
    }
  }

  const catalog = dict(q.trailer['/Root']);
  if (!catalog) return [...problems, 'no catalog'];
  // 6.2.2 / 6.2.3 Output intent: GTS_PDFA1 with an RGB (display or printer) ICC profile.
  const intents = resolve(catalog['/OutputIntents']);
  const pdfa = Array.isArray(intents) ? intents.map(dict).filter((i) => i?.['/S'] === '/GTS_PDFA1') : [];
  if (pdfa.length === 0) problems.push('6.2.2: no GTS_PDFA1 output intent');
  for (const intent of pdfa) {
    const profile = streamData(intent!['/DestOutputProfile']);
    const n = dict(intent!['/DestOutputProfile'])?.['/N'];
    if (!profile) problems.push('6.2.2: the output intent has no ICC profile');
    else {
      const cls = profile.subarray(12, 16).toString('latin1');
      const space = profile.subarray(16, 20).toString('latin1');
      if (profile.subarray(36, 40).toString('latin1') !== 'acsp') problems.push('6.2.2: the output profile is not an ICC profile');
      if (cls !== 'mntr' && cls !== 'prtr') problems.push(`6.2.2: the output profile's class is ${cls}`);
      if (space !== 'RGB ' || n !== 3) problems.push(`6.2.2: the output profile is not RGB with /N 3 (${space}, ${String(n)})`);
      if (profile[8]! > 4) problems.push(`6.2.2: ICC version ${profile[8]}`);
    }
  }
  // 6.6.2 Metadata: an unfiltered XMP stream with the PDF/A identification, agreeing with /Info.
  const metaDict = dict(catalog['/Metadata']);
  const xmp = streamData(catalog['/Metadata'])?.toString('utf8');
  if (!metaDict || !xmp) return [...problems, '6.6.2.1: no XMP metadata stream in the catalog'];
  if (metaDict['/Type'] !== '/Metadata' || metaDict['/Subtype'] !== '/XML') problems.push('6.6.2.1: the metadata stream is not /Type /Metadata /Subtype /XML');
  if (metaDict['/Filter'] !== undefined) problems.push('6.6.2.1: the metadata stream is filtered');
  if (!/^<\?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"\?>/.test(xmp) || !/<\?xpacket end="[rw]"\?>\s*$/.test(xmp)) problems.push('6.6.2.1: not a well-formed XMP packet wrapper');
  if (xmpValue(xmp, 'pdfaid:part') !== '3') problems.push('6.6.4: pdfaid:part is not 3');
  if (xmpValue(xmp, 'pdfaid:conformance') !== 'B') problems.push('6.6.4: pdfaid:conformance is not B');
  const info = dict(q.trailer['/Info']) ?? {};
  const pairs: [string, string][] = [
    ['/Title', 'dc:title'], ['/Author', 'dc:creator'], ['/Subject', 'dc:description'], ['/Keywords', 'pdf:Keywords'],
    ['/Creator', 'xmp:CreatorTool'], ['/Producer', 'pdf:Producer'],
  ];
  for (const [key, property] of pairs) {
    const a = text(info[key]);
    if (a !== undefined && a !== xmpValue(xmp, property)) problems.push(`6.6.3: /Info ${key} "${a}" is not ${property} "${String(xmpValue(xmp, property))}"`);
  }
  for (const [key, property] of [['/CreationDate', 'xmp:CreateDate'], ['/ModDate', 'xmp:ModifyDate']] as const) {
    const a = pdfDate(text(info[key]));
    if (a !== undefined && a !== Date.parse(xmpValue(xmp, property) ?? '')) problems.push(`6.6.3: /Info ${key} is not ${property}`);
  }
  // 6.4.1 (interactive forms): no NeedAppearances.
  if (dict(catalog['/AcroForm'])?.['/NeedAppearances'] === true) problems.push('6.4.1: /NeedAppearances true');
  return problems;
}
