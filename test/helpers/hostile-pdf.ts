/**
 * Hostile PDFs for the verifier's abuse tests and benchmark, built byte by byte.
 *
 * `manySignaturesPdf`: a file of about `size` bytes (an incompressible filler stream) followed
 * by `signatures` signature dictionaries whose /ByteRange each covers the whole file except
 * its own /Contents. Each is structurally sound and holds a real detached CMS (`cms`, e.g. one
 * taken from a signed test PDF with `signatureContents`), so a verifier that does not bound
 * its work hashes the whole file once per signature (and checks each CMS) before it finds that
 * none of the digests match.
 */
import { randomBytes } from 'node:crypto';

/** Wide enough for any offset of a test file; padded with spaces, which PDF reads as white-space. */
const NUMBER_WIDTH = 10;

export function manySignaturesPdf(options: { size: number; signatures: number; cms: Uint8Array; contentsBytes?: number }): Uint8Array {
  const contentsBytes = options.contentsBytes ?? Math.max(options.cms.length, 4096);
  if (options.cms.length > contentsBytes) throw new Error('the CMS does not fit /Contents');
  const parts: Buffer[] = [];
  let length = 0;
  const add = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    parts.push(buf);
    length += buf.length;
    return length - buf.length;
  };
  add('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  const offsets: number[] = [];
  offsets[1] = add('1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
  offsets[2] = add('2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n');
  const fillerBytes = Math.max(0, options.size - options.signatures * (2 * contentsBytes + 200) - 1024);
  offsets[3] = add(`3 0 obj\n<< /Length ${fillerBytes} >>\nstream\n`);
  add(randomBytes(fillerBytes));
  add('\nendstream\nendobj\n');
  const hex = Buffer.from(options.cms).toString('hex').padEnd(2 * contentsBytes, '0');
  /** Where each dictionary's /ByteRange numbers and /Contents string start, to be filled in once the length is known. */
  const slots: { numbers: number; contents: number }[] = [];
  for (let i = 0; i < options.signatures; i++) {
    const n = 4 + i;
    const head = `${n} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (D:20250101000000Z) /ByteRange [0 `;
    const at = add(head);
    offsets[n] = at;
    const numbers = at + head.length;
    add(`${' '.repeat(3 * NUMBER_WIDTH + 2)}] /Contents `);
    const contents = add(`<${hex}>`);
    add(' >>\nendobj\n');
    slots.push({ numbers, contents });
  }
  const size = 4 + options.signatures;
  const xrefAt = length;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let n = 1; n < size; n++) xref += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  add(`${xref}trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`);

  const out = Buffer.concat(parts, length);
  for (const { numbers, contents } of slots) {
    const b = contents;
    const c = contents + hex.length + 2;
    const text = [b, c, length - c].map((x) => String(x).padEnd(NUMBER_WIDTH, ' ')).join(' ');
    out.write(text, numbers, 'latin1');
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
