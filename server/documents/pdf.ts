/**
 * Draws a `DocumentLayout` (template.ts) into a PDF with pdf-lib and seals it (seal.ts): A4,
 * DejaVu Sans embedded as subsets with ToUnicode maps (fonts.ts), the QR code as vector
 * squares, the evidence file attached as `overa-evidence.json` (an associated file,
 * /AFRelationship /Data, in the EmbeddedFiles name tree, as pdf-lib's `attach` writes it), the
 * seal's invisible signature field on the first page. The document is a tagged PDF (its
 * structure tree in reading order, `writeStructure`) and conforms to PDF/A-3b (XMP metadata,
 * an sRGB output intent, `makeArchival`); docs/server.md, "Tagged PDF" and "Archival PDF".
 *
 * pdf-lib holds the document's objects and writes the file; the page content streams are
 * written here as PDF operators and compressed with Node's zlib. (pdf-lib's drawText builds an
 * object per operator and compresses in JavaScript: together with per-document font
 * subsetting that was 85% of issuing a document — docs/benchmarks.md.)
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFObject, PDFString, type PDFPage, type PDFRef } from 'pdf-lib';
import QRCode from 'qrcode';
import type { DocumentLayout, LayoutRow } from './template.ts';
import type { SealKey } from './keys.ts';
import { FACES, SetFont, type SubsetFont } from './fonts.ts';
import { EVIDENCE_FILE_NAME } from '../../components/core/documents.ts';
import { addSealPlaceholder, contentsReserve, sealPdf, SealError, type CmsOptions, type SealAppearance } from './seal.ts';

// ---------------------------------------------------------------------------------------------
// Content streams

type Ink = readonly [number, number, number];

const INK: Ink = [0.1, 0.1, 0.12];
const MUTED: Ink = [0.38, 0.38, 0.42];
const RULE: Ink = [0.75, 0.75, 0.78];
const BLACK: Ink = [0, 0, 0];

/** A number as PDF writes it: at most 3 decimals, no exponent. */
const num = (v: number) => String(Math.round(v * 1000) / 1000);
const color = (c: Ink) => c.map(num).join(' ');

/**
 * A structure element of the tagged PDF (ISO 32000-1 §14.7, §14.8): a standard role (`H1`, `P`,
 * `Table`, `TD`, `Figure`…) and its kids, in reading order — other elements, or marked content
 * (a page and an MCID in that page's content stream).
 */
interface StructNode {
  readonly type: string;
  readonly kids: (StructNode | { page: number; mcid: number })[];
  /** The alternate description (a figure's words). */
  alt?: string;
}

/** One page's content stream, as operators: every text in marked content owned by a structure element, everything else an artifact. */
class Canvas {
  readonly ops: string[] = [];
  /** The owner of each marked-content id of this page (the page's array in the ParentTree). */
  readonly owners: StructNode[] = [];

  constructor(readonly index: number) {}

  /** Opens marked content for `node` (`/P <</MCID 3>> BDC`), records it, returns the operator. */
  private mark(node: StructNode): string {
    const mcid = this.owners.push(node) - 1;
    node.kids.push({ page: this.index, mcid });
    return `/${node.type} <</MCID ${mcid}>> BDC`;
  }

  text(font: SetFont, size: number, x: number, y: number, ink: Ink, text: string, node: StructNode | null): void {
    if (!text) return;
    const draw = `BT /${font.face.resource} ${num(size)} Tf ${color(ink)} rg ${num(x)} ${num(y)} Td <${font.hex(text)}> Tj ET`;
    this.ops.push(node ? `${this.mark(node)} ${draw} EMC` : `/Artifact <</Type /Pagination>> BDC ${draw} EMC`);
  }

  line(x1: number, y1: number, x2: number, y2: number, width: number, ink: Ink): void {
    this.ops.push(`/Artifact BMC ${num(width)} w ${color(ink)} RG ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S EMC`);
  }

  /** Drawing operators that show `node` (a figure). */
  figure(node: StructNode, ops: string): void {
    this.ops.push(`${this.mark(node)} ${ops} EMC`);
  }

  /** Compressed: level 3 is a third of the default's time here, for ~10% more bytes. */
  bytes(): Uint8Array {
    return deflateSync(Buffer.from(this.ops.join('\n'), 'latin1'), { level: 3 });
  }
}

// ---------------------------------------------------------------------------------------------
// Page flow

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56.7; // 2 cm
/** The footer's text: size and line spacing; its rule stands this far above its first line. */
const FOOTER_SIZE = 7.5;
const FOOTER_LEADING = 10;
const FOOTER_RULE = 14;
/** Free space between the text of a page and the footer's rule. */
const FOOTER_GAP = 16;
/** Space between the rows of a signature on the approval page. */
const SIGNATURE_ROW_GAP = 2;

/** Where the footer's first line sits (its baseline), for a footer of `lines` lines. */
const footerBase = (lines: number) => MARGIN - 8 + (lines - 1) * FOOTER_LEADING;

/** Splits text into lines no wider than `max`: at spaces, and inside words too long for a line. */
function wrap(font: SetFont, text: string, size: number, max: number): string[] {
  const lines: string[] = [];
  const space = font.width(' ', size);
  for (const para of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of para.split(/ +/)) {
      const w = font.width(word, size);
      if (line === '' && w <= max) {
        line = word;
        lineWidth = w;
        continue;
      }
      if (line !== '' && lineWidth + space + w <= max) {
        line += ` ${word}`;
        lineWidth += space + w;
        continue;
      }
      if (line) lines.push(line);
      let rest = word;
      let restWidth = w;
      while (restWidth > max) {
        let cut = rest.length - 1;
        while (cut > 1 && font.width(rest.slice(0, cut), size) > max) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
        restWidth = font.width(rest, size);
      }
      line = rest;
      lineWidth = restWidth;
    }
    lines.push(line);
  }
  return lines;
}

interface TextOptions {
  size: number; font?: SetFont; ink?: Ink; x?: number; width?: number; align?: 'left' | 'center';
  /** The structure element the text belongs to; default a new paragraph (`P`) of the document. */
  tag?: StructNode;
}
interface RowsOptions { labelWidth: number; size: number; x?: number; width?: number; /** Space after each row (4). */ gap?: number }

/**
 * The cursor down the pages. Text and rows are measured before they are drawn (`textHeight`,
 * `rowsHeight`), so a block that must stay together asks for its whole height with `need`.
 */
class Flow {
  canvas!: Canvas;
  y = 0;
  readonly pages: Canvas[] = [];
  readonly left = MARGIN;
  readonly right = A4[0] - MARGIN;
  /** The root of the structure tree: the document. */
  readonly root: StructNode = { type: 'Document', kids: [] };

  constructor(
    readonly regular: SetFont,
    readonly bold: SetFont,
    /** The lowest the text may go: above the footer (its rule and a gap). */
    readonly bottom: number,
  ) {
    this.newPage();
  }

  get width(): number {
    return this.right - this.left;
  }

  newPage(): void {
    this.canvas = new Canvas(this.pages.length);
    this.pages.push(this.canvas);
    this.y = A4[1] - MARGIN;
  }

  /** Starts a new page unless `height` still fits above the footer (or the page is still empty). */
  need(height: number): void {
    if (this.y - height < this.bottom && this.y < A4[1] - MARGIN) this.newPage();
  }

  gap(h: number): void {
    this.y -= h;
  }

  /** A new structure element, the last kid of `parent` (default: the document). */
  element(type: string, parent: StructNode = this.root): StructNode {
    const node: StructNode = { type, kids: [] };
    parent.kids.push(node);
    return node;
  }

  private lines(text: string, options: TextOptions): string[] {
    const x = options.x ?? this.left;
    return wrap(options.font ?? this.regular, text, options.size, options.width ?? this.right - x);
  }

  /** The height `text` takes when drawn with these options. */
  textHeight(text: string, options: TextOptions): number {
    return this.lines(text, options).length * options.size * 1.35;
  }

  /** Draws wrapped text at the cursor; a paragraph of up to three lines is not split across pages. */
  text(text: string, options: TextOptions): void {
    const font = options.font ?? this.regular;
    const x = options.x ?? this.left;
    const max = options.width ?? this.right - x;
    const leading = options.size * 1.35;
    const lines = this.lines(text, options);
    if (lines.length <= 3) this.need(lines.length * leading);
    const tag = options.tag ?? this.element('P');
    for (const line of lines) {
      this.need(leading);
      this.y -= leading;
      const lx = options.align === 'center' ? x + (max - font.width(line, options.size)) / 2 : x;
      this.canvas.text(font, options.size, lx, this.y + options.size * 0.25, options.ink ?? INK, line, tag);
    }
  }

  rule(ink: Ink = RULE, thickness = 0.6): void {
    this.canvas.line(this.left, this.y, this.right, this.y, thickness, ink);
  }

  /** Each row's caption lines and value lines, as `rows` draws them. */
  private rowLines(rows: readonly LayoutRow[], options: RowsOptions): { label: string[]; value: string[] }[] {
    const total = options.width ?? this.right - (options.x ?? this.left);
    return rows.map((row) => ({
      label: wrap(this.regular, row.label, options.size - 1, options.labelWidth),
      value: wrap(this.regular, row.value, options.size, total - options.labelWidth - 8),
    }));
  }

  /** The height `rows` take when drawn with these options (on one page). */
  rowsHeight(rows: readonly LayoutRow[], options: RowsOptions): number {
    const leading = options.size * 1.4;
    return this.rowLines(rows, options).reduce((h, r) => h + Math.max(r.label.length, r.value.length) * leading + (options.gap ?? 4), 0);
  }

  /**
   * Caption | value rows: the caption in a narrow muted column, the value beside it; tagged as
   * a table (a row header and its data cell per row) in `parent`.
   */
  rows(rows: readonly LayoutRow[], options: RowsOptions, parent: StructNode = this.root): void {
    const table = this.element('Table', parent);
    const x = options.x ?? this.left;
    const valueX = x + options.labelWidth + 8;
    const leading = options.size * 1.4;
    const labelSize = options.size - 1;
    const gap = options.gap ?? 4;
    for (const { label: labelLines, value: valueLines } of this.rowLines(rows, options)) {
      this.need(Math.min(Math.max(labelLines.length, valueLines.length) * leading + gap, 200));
      const tr = this.element('TR', table);
      const th = this.element('TH', tr);
      const td = this.element('TD', tr);
      const top = this.y;
      let y = top;
      for (const line of labelLines) {
        y -= leading;
        this.canvas.text(this.regular, labelSize, x, y + options.size * 0.25, MUTED, line, th);
      }
      const labelBottom = y;
      y = top;
      for (const line of valueLines) {
        y -= leading;
        if (y < this.bottom) {
          this.newPage();
          y = this.y - leading;
        }
        this.canvas.text(this.regular, options.size, valueX, y + options.size * 0.25, INK, line, td);
      }
      this.y = Math.min(labelBottom, y) - gap;
    }
  }
}

/**
 * The QR code of `text`, `size` pt wide with its quiet zone, as filled squares: one rectangle
 * per horizontal run of dark modules, in module units under a `cm` transform (whole numbers).
 */
function drawQr(canvas: Canvas, figure: StructNode, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const dark = qr.modules.data;
  const quiet = 4;
  const cell = size / (n + 2 * quiet);
  const parts: string[] = [];
  for (let row = 0; row < n; row++) {
    const ry = n + quiet - row - 1;
    for (let col = 0; col < n;) {
      if (!dark[row * n + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && dark[row * n + col]) col++;
      parts.push(`${quiet + start} ${ry} ${col - start} 1 re`);
    }
  }
  canvas.figure(figure, `q ${num(cell)} 0 0 ${num(cell)} ${num(x)} ${num(y)} cm ${color(BLACK)} rg ${parts.join(' ')} f Q`);
}

// ---------------------------------------------------------------------------------------------
// Objects

/**
 * An object written as bytes prepared once (a font's widths array is the same in every
 * document that uses the subset): pdf-lib writes it like any other direct or indirect object.
 */
class Prebuilt extends PDFObject {
  constructor(private readonly bytes: Uint8Array) {
    super();
  }

  override clone(): Prebuilt {
    return this;
  }

  override toString(): string {
    return Buffer.from(this.bytes).toString('latin1');
  }

  override sizeInBytes(): number {
    return this.bytes.length;
  }

  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    buffer.set(this.bytes, offset);
    return this.bytes.length;
  }
}

const widthArrays = new WeakMap<SubsetFont, Prebuilt>();

/** `[0 [w0 w1 …]]`: the W array of a subset (CIDs are glyph ids from 0). */
function widthsOf(font: SubsetFont): Prebuilt {
  let w = widthArrays.get(font);
  if (!w) widthArrays.set(font, (w = new Prebuilt(Buffer.from(`[0 [${font.widths.join(' ')}]]`, 'latin1'))));
  return w;
}

/** A Type0 / CIDFontType2 font with its program and ToUnicode map, as pdf-lib's embedder writes one. */
function embedFont(doc: PDFDocument, font: SubsetFont): PDFRef {
  const ctx = doc.context;
  const file = ctx.register(ctx.stream(font.fontFile, { Filter: 'FlateDecode', Length1: font.fontFileLength }));
  const d = font.descriptor;
  const descriptor = ctx.register(ctx.obj({
    Type: 'FontDescriptor', FontName: font.baseFont, Flags: d.flags, FontBBox: d.bbox, ItalicAngle: d.italicAngle,
    Ascent: d.ascent, Descent: d.descent, CapHeight: d.capHeight, XHeight: d.xHeight, StemV: 0, FontFile2: file,
  }));
  const cid = ctx.register(ctx.obj({
    Type: 'Font', Subtype: 'CIDFontType2', BaseFont: font.baseFont,
    CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
    FontDescriptor: descriptor, CIDToGIDMap: 'Identity',
  }));
  (ctx.lookup(cid) as PDFDict).set(PDFName.of('W'), ctx.register(widthsOf(font)));
  const toUnicode = ctx.register(ctx.stream(font.toUnicode, { Filter: 'FlateDecode' }));
  return ctx.register(ctx.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: font.baseFont, Encoding: 'Identity-H', DescendantFonts: [cid], ToUnicode: toUnicode }));
}

/** An associated embedded file in the EmbeddedFiles name tree and the catalog's /AF. */
function attachFile(doc: PDFDocument, name: string, bytes: Uint8Array, options: { mimeType: string; description: string; date: Date }): void {
  const ctx = doc.context;
  const stream = ctx.register(ctx.stream(deflateSync(bytes), {
    Type: 'EmbeddedFile', Subtype: options.mimeType, Filter: 'FlateDecode',
    Params: { Size: bytes.length, CreationDate: PDFString.fromDate(options.date), ModDate: PDFString.fromDate(options.date) },
  }));
  const spec = ctx.register(ctx.obj({
    Type: 'Filespec', F: PDFString.of(name), UF: PDFHexString.fromText(name), EF: { F: stream },
    Desc: PDFHexString.fromText(options.description), AFRelationship: 'Data',
  }));
  doc.catalog.set(PDFName.of('Names'), ctx.obj({ EmbeddedFiles: { Names: [PDFHexString.fromText(name), spec] } }));
  doc.catalog.set(PDFName.of('AF'), ctx.obj([spec]));
}

/**
 * Makes the document a tagged PDF (ISO 32000-1 §14.8): the structure tree of `flow.root` —
 * its elements in reading order, each pointing at its marked content by page and MCID — with
 * the ParentTree that maps each page's MCIDs back to their elements, `/StructParents` and
 * `/Tabs /S` on the pages, and `/MarkInfo << /Marked true >>` in the catalog. With `/Lang`
 * (set by the caller) screen readers read it in order, and `pdfinfo` says "Tagged: yes".
 *
 * Written by hand with pdf-lib's low-level objects because pdf-lib has no structure-tree API
 * (it writes untagged content; its drawText has no marked content either), and no well-kept
 * JavaScript library tags an existing pdf-lib document.
 */
function writeStructure(doc: PDFDocument, pages: readonly PDFPage[], flow: Flow): void {
  const ctx = doc.context;
  const rootRef = ctx.nextRef();
  const refs = new Map<StructNode, PDFRef>();
  const write = (node: StructNode, parent: PDFRef): PDFRef => {
    const ref = ctx.nextRef();
    refs.set(node, ref);
    // The element's page is the page of its first marked content; marked content on another
    // page (a paragraph or a table cell that runs over) is a marked-content reference.
    const first = node.kids.find((k): k is { page: number; mcid: number } => !('type' in k));
    const kids = node.kids.map((k) => {
      if ('type' in k) return write(k, ref);
      return k.page === first!.page ? PDFNumber.of(k.mcid) : ctx.obj({ Type: 'MCR', Pg: pages[k.page]!.ref, MCID: k.mcid });
    });
    const elem = ctx.obj({ Type: 'StructElem', S: node.type, P: parent, K: kids });
    if (first) elem.set(PDFName.of('Pg'), pages[first.page]!.ref);
    if (node.alt !== undefined) elem.set(PDFName.of('Alt'), PDFHexString.fromText(node.alt));
    // A caption column: each caption heads its row.
    if (node.type === 'TH') elem.set(PDFName.of('A'), ctx.obj({ O: 'Table', Scope: 'Row' }));
    ctx.assign(ref, elem);
    return ref;
  };
  const documentRef = write(flow.root, rootRef);
  const nums: PDFObject[] = [];
  flow.pages.forEach((canvas, i) => {
    const page = pages[i]!.node;
    page.set(PDFName.of('StructParents'), PDFNumber.of(i));
    page.set(PDFName.of('Tabs'), PDFName.of('S'));
    nums.push(PDFNumber.of(i), ctx.obj(canvas.owners.map((owner) => refs.get(owner)!)));
  });
  ctx.assign(rootRef, ctx.obj({
    Type: 'StructTreeRoot', K: documentRef, ParentTree: ctx.register(ctx.obj({ Nums: nums })), ParentTreeNextKey: flow.pages.length,
  }));
  doc.catalog.set(PDFName.of('StructTreeRoot'), rootRef);
  doc.catalog.set(PDFName.of('MarkInfo'), ctx.obj({ Marked: true }));
}

// ---------------------------------------------------------------------------------------------
// PDF/A-3b

/** The sRGB profile of the output intent (server/documents/icc/LICENSE), read and compressed once. */
let srgbProfile: Uint8Array | undefined;
const SRGB_DEFLATED = () => (srgbProfile ??= deflateSync(readFileSync(new URL('./icc/sRGB.icc', import.meta.url)), { level: 9 }));

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** An XMP date: as the document information dictionary's, to the second, in UTC. */
const xmpDate = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The XMP packet (ISO 16684-1) of a PDF/A-3b document (ISO 19005-3 §6.6): the PDF/A
 * identification, and the same title, author, subject, keywords, tools and dates as the
 * document information dictionary, since PDF/A wants the two to agree.
 */
export function xmpMetadata(layout: DocumentLayout, date: Date): string {
  const at = xmpDate(date);
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">',
    '<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>',
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(layout.meta.title)}</rdf:li></rdf:Alt></dc:title>`,
    `<dc:creator><rdf:Seq><rdf:li>${xml(layout.meta.author)}</rdf:li></rdf:Seq></dc:creator>`,
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(layout.meta.subject)}</rdf:li></rdf:Alt></dc:description>`,
    `<dc:language><rdf:Bag><rdf:li>${xml(layout.lang)}</rdf:li></rdf:Bag></dc:language>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
    `<xmp:CreatorTool>${CREATOR}</xmp:CreatorTool><xmp:CreateDate>${at}</xmp:CreateDate><xmp:ModifyDate>${at}</xmp:ModifyDate><xmp:MetadataDate>${at}</xmp:MetadataDate>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
    `<pdf:Producer>${xml(PRODUCER)}</pdf:Producer><pdf:Keywords>${xml(layout.meta.keywords.join(' '))}</pdf:Keywords>`,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    // Room for a later incremental update to rewrite the packet in place (XMP's padding).
    ...Array.from({ length: 20 }, () => ' '.repeat(99)),
    '<?xpacket end="w"?>',
  ].join('\n');
}

const CREATOR = 'Overa';
const PRODUCER = 'Overa (pdf-lib)';

/**
 * What PDF/A-3b adds to the document (ISO 19005-3): the XMP metadata stream (uncompressed, as
 * §6.6.2.1 wants), an sRGB output intent for the DeviceRGB colours, and the file identifier in
 * the trailer (§6.1.3). Fonts are embedded subsets that never show .notdef (fonts.ts), there is
 * no encryption, no transparency, no JavaScript, and the evidence file is an associated file
 * with /AFRelationship (attachFile). docs/server.md lists what the tests check.
 */
function makeArchival(doc: PDFDocument, layout: DocumentLayout, date: Date): void {
  const ctx = doc.context;
  const metadata = ctx.stream(Buffer.from(xmpMetadata(layout, date), 'utf8'), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), ctx.register(metadata));
  const profile = ctx.register(ctx.stream(SRGB_DEFLATED(), { N: 3, Filter: 'FlateDecode' }));
  doc.catalog.set(PDFName.of('OutputIntents'), ctx.obj([ctx.obj({
    Type: 'OutputIntent', S: 'GTS_PDFA1', OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    RegistryName: PDFString.of('http://www.color.org'), Info: PDFString.of('sRGB IEC61966-2.1'), DestOutputProfile: profile,
  })]));
  // The file identifier: the same two halves (a new file), from what makes this document unique.
  const id = createHash('sha256').update(`${layout.verification.code}\n${date.toISOString()}`).digest('hex').slice(0, 32);
  ctx.trailerInfo.ID = ctx.obj([PDFHexString.of(id), PDFHexString.of(id)]);
}

// ---------------------------------------------------------------------------------------------
// The document

export interface RenderInput {
  layout: DocumentLayout;
  /** The bytes of overa-evidence.json. */
  evidence: Uint8Array;
  issuedAt: Date;
  seal: SealKey;
  appearance: Omit<SealAppearance, 'signingTime'>;
  cms?: CmsOptions;
}

/** Adds the code points of every string in `value` (a layout: strings, arrays, objects) to `into`. */
function collectChars(value: unknown, into: Set<number>): void {
  if (typeof value === 'string') {
    for (let i = 0; i < value.length; i++) {
      const c = value.codePointAt(i)!;
      into.add(c);
      if (c > 0xffff) i++;
    }
  } else if (Array.isArray(value)) {
    for (const v of value) collectChars(v, into);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) collectChars(v, into);
  }
}

/** Every character the layout will draw, by face. */
function charactersOf(layout: DocumentLayout): { regular: Set<number>; bold: Set<number> } {
  const bold = new Set<number>();
  collectChars([layout.header.agency, layout.title.primary, layout.reasoning?.heading, layout.legalRemedy?.heading, layout.signOff.official[1], layout.approvals.signatures.map((s) => s.signer)], bold);
  const regular = new Set<number>();
  collectChars([layout, layout.pageLabel(9, 9)], regular);
  return { regular, bold };
}

/** Draws the document with a seal placeholder reserving `reserve` bytes; returns the saved bytes. */
async function draw(input: RenderInput, reserve: number): Promise<Uint8Array> {
  const { layout } = input;
  const chars = charactersOf(layout);
  const regular = new SetFont(FACES.regular, await FACES.regular.subsetFor(chars.regular));
  const bold = new SetFont(FACES.bold, await FACES.bold.subsetFor(chars.bold));
  // The footer is the same on every page but its page number: wrapped first, so the flow
  // knows how low the text may go.
  const footer = wrap(regular, layout.footer, FOOTER_SIZE, A4[0] - 2 * MARGIN - 80);
  const base = footerBase(footer.length);
  const flow = new Flow(regular, bold, base + FOOTER_RULE + FOOTER_GAP);

  // The heading: country, the authority (both scripts), the act's number, date and place.
  flow.text(layout.header.country, { size: 9, ink: MUTED });
  flow.text(layout.header.agency, { size: 13, font: bold });
  flow.text(layout.header.secondary, { size: 9, ink: MUTED });
  flow.gap(2);
  for (const line of layout.header.lines) flow.text(line, { size: 10 });
  flow.gap(8);
  flow.rule(INK, 1);
  flow.gap(18);

  // The introduction (legal basis), then the title, as a decision is written.
  for (const p of layout.introduction) {
    flow.text(p, { size: 10.5 });
    flow.gap(6);
  }
  flow.gap(layout.introduction.length ? 6 : 0);
  const title = flow.element('H1');
  flow.text(layout.title.primary, { size: 17, font: bold, align: 'center', x: flow.left, width: flow.width, tag: title });
  flow.text(layout.title.secondary, { size: 10.5, ink: MUTED, align: 'center', x: flow.left, width: flow.width });
  flow.gap(16);

  // The dispositive part (or the certified facts) and the facts it is about.
  for (const p of layout.body) {
    flow.text(p, { size: 11 });
    flow.gap(8);
  }
  if (layout.rows.length) {
    flow.gap(2);
    flow.rows(layout.rows, { labelWidth: 170, size: 10.5 });
    flow.gap(6);
  }
  // The reasoning and the instruction on legal remedy, each under its heading.
  for (const part of [layout.reasoning, layout.legalRemedy]) {
    if (!part) continue;
    const heading: TextOptions = { size: 11.5, font: bold, align: 'center', x: flow.left, width: flow.width, tag: flow.element('H2') };
    flow.gap(6);
    flow.need(flow.textHeight(part.heading, heading) + 4 + (part.paragraphs[0] ? flow.textHeight(part.paragraphs[0], { size: 10.5 }) : 0));
    flow.text(part.heading, heading);
    flow.gap(4);
    for (const p of part.paragraphs) {
      flow.text(p, { size: 10.5 });
      flow.gap(6);
    }
  }
  for (const p of layout.closing) {
    flow.text(p, { size: 10.5 });
    flow.gap(6);
  }

  // Place and date, then the official and the seal in the right half: kept together.
  const half: TextOptions = { size: 10.5, x: flow.left + flow.width / 2, width: flow.width / 2 };
  const signOff = [...layout.signOff.official, layout.signOff.seal];
  flow.gap(10);
  flow.need(flow.textHeight(layout.signOff.placeDate, { size: 10.5 }) + 8
    + signOff.reduce((h, line) => h + flow.textHeight(line, half), 0));
  flow.text(layout.signOff.placeDate, { size: 10.5 });
  flow.gap(8);
  layout.signOff.official.forEach((line, i) => flow.text(line, { ...half, ...(i === 1 ? { font: bold } : {}) }));
  flow.text(layout.signOff.seal, { ...half, size: 9, ink: MUTED });

  // Facts and the QR code side by side; then how to verify, full width: kept together.
  const qrSize = 104;
  const factRows: RowsOptions = { labelWidth: 185, size: 10, width: flow.width - qrSize - 12 };
  const hint: TextOptions = { size: 8.5, ink: MUTED };
  const url: TextOptions = { size: 8.5 };
  flow.gap(12);
  flow.need(10 + Math.max(qrSize, flow.rowsHeight(layout.facts, factRows)) + 8
    + flow.textHeight(layout.verification.hint, hint) + flow.textHeight(layout.verification.url, url));
  flow.rule();
  flow.gap(10);
  const top = flow.y;
  const verification = flow.element('Sect');
  flow.rows(layout.facts, factRows, verification);
  const qr = flow.element('Figure', verification);
  qr.alt = `QR: ${layout.verification.url}`;
  drawQr(flow.canvas, qr, layout.verification.url, flow.right - qrSize, top - qrSize, qrSize);
  flow.y = Math.min(flow.y, top - qrSize) - 8;
  flow.text(layout.verification.hint, { ...hint, tag: flow.element('P', verification) });
  flow.text(layout.verification.url, { ...url, tag: flow.element('P', verification) });

  // The approval page.
  flow.newPage();
  const approvals = flow.element('Sect');
  flow.text(layout.approvals.heading, { size: 14, font: bold, tag: flow.element('H2', approvals) });
  flow.gap(4);
  for (const p of layout.approvals.intro) flow.text(p, { size: 9, ink: MUTED, tag: flow.element('P', approvals) });
  flow.gap(10);
  // Each signature is a block that is never split across pages; so is the seal's table with
  // the note that closes the page (kept with it, the note never stands alone on a last page).
  const c = layout.approvals.captions;
  const signerText: TextOptions = { size: 11, font: bold };
  const signatureRows: RowsOptions = { labelWidth: 185, size: 9.5, gap: SIGNATURE_ROW_GAP };
  for (const s of layout.approvals.signatures) {
    const rows: LayoutRow[] = [
      { label: c.role, value: s.role || '—' },
      { label: c.action, value: s.action },
      { label: c.at, value: s.at },
    ];
    if (s.mandate) rows.push({ label: c.mandate, value: s.mandate });
    rows.push({ label: c.fingerprint, value: s.fingerprint });
    flow.need(2 + flow.textHeight(s.signer, signerText) + flow.rowsHeight(rows, signatureRows));
    flow.rule();
    flow.gap(2);
    flow.text(s.signer, { ...signerText, tag: flow.element('H3', approvals) });
    flow.rows(rows, signatureRows, approvals);
    flow.gap(6);
  }
  const sealRows: RowsOptions = { labelWidth: 185, size: 9.5 };
  const note: TextOptions = { size: 8.5, ink: MUTED };
  flow.need(8 + flow.rowsHeight(layout.approvals.seal, sealRows) + 6 + flow.textHeight(layout.approvals.evidenceNote, note));
  flow.rule(INK, 1);
  flow.gap(8);
  flow.rows(layout.approvals.seal, sealRows, approvals);
  flow.gap(6);
  flow.text(layout.approvals.evidenceNote, { ...note, tag: flow.element('P', approvals) });

  // Footers, now that the page count is known.
  const total = flow.pages.length;
  flow.pages.forEach((canvas, i) => {
    canvas.line(flow.left, base + FOOTER_RULE, flow.right, base + FOOTER_RULE, 0.4, RULE);
    footer.forEach((line, k) => canvas.text(regular, FOOTER_SIZE, flow.left, base - k * FOOTER_LEADING, MUTED, line, null));
    const label = layout.pageLabel(i + 1, total);
    canvas.text(regular, FOOTER_SIZE, flow.right - regular.width(label, FOOTER_SIZE), base, MUTED, label, null);
  });

  // The objects.
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(layout.meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(layout.meta.author);
  doc.setSubject(layout.meta.subject);
  doc.setKeywords(layout.meta.keywords);
  doc.setCreator(CREATOR);
  doc.setProducer(PRODUCER);
  doc.setCreationDate(input.issuedAt);
  doc.setModificationDate(input.issuedAt);
  doc.setLanguage(layout.lang);
  const fontRefs = { [regular.face.resource]: embedFont(doc, regular.subset), [bold.face.resource]: embedFont(doc, bold.subset) };
  const pages: PDFPage[] = flow.pages.map((canvas) => {
    const page = doc.addPage(A4);
    for (const [name, ref] of Object.entries(fontRefs)) page.node.setFontDictionary(PDFName.of(name), ref);
    page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream(canvas.bytes(), { Filter: 'FlateDecode' })));
    return page;
  });
  writeStructure(doc, pages, flow);
  makeArchival(doc, layout, input.issuedAt);
  attachFile(doc, EVIDENCE_FILE_NAME, input.evidence, {
    mimeType: 'application/json',
    description: 'Overa evidence: passkey signatures (WebAuthn) and the canonical application data',
    date: input.issuedAt,
  });
  addSealPlaceholder(doc, pages[0]!, { ...input.appearance, signingTime: input.issuedAt }, reserve);
  // objectsPerTick: pdf-lib otherwise pauses on a zero timer every 50 objects (a millisecond each).
  return doc.save({ useObjectStreams: false, updateFieldAppearances: false, objectsPerTick: Number.POSITIVE_INFINITY });
}

/**
 * The issued PDF: drawn, then sealed. Should the CMS not fit the space reserved for it (a
 * long chain from a real CA, a large timestamp token), the document is drawn again with room
 * to spare.
 */
export async function renderSealedPdf(input: RenderInput): Promise<Uint8Array> {
  let reserve = contentsReserve(input.seal, Boolean(input.cms?.tsaUrl));
  for (let attempt = 0; ; attempt++) {
    const unsigned = await draw(input, reserve);
    try {
      // In place: the unsigned bytes are ours (on a retry they are drawn again).
      return await sealPdf(unsigned, input.seal, { ...input.cms, inPlace: true });
    } catch (err) {
      if (!(err instanceof SealError) || err.code !== 'contents-too-small' || attempt > 0) throw err;
      reserve *= 2;
    }
  }
}
