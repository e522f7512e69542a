/**
 * Embedded files (ISO 32000-1 §7.11.4): the document catalog's /Names /EmbeddedFiles name
 * tree, walked with bounds, to find one file by name and return its decoded bytes.
 */
import { PdfLimitError, PdfSyntaxError, pdfText, type PdfDict, type PdfValue } from './lexer.ts';
import { PdfStream, type PdfReader } from './reader.ts';

const MAX_TREE_NODES = 1000;
const MAX_TREE_DEPTH = 16;

export type EmbeddedLookup =
  | { found: false }
  | { found: true; bytes: Uint8Array }
  | { found: 'ambiguous' };

/**
 * Looks for the embedded file named `name` (its name-tree key, or the file specification's
 * /UF or /F). Two files of that name make the lookup 'ambiguous': which one a reader shows
 * is not defined, so neither is trusted. Throws PdfSyntaxError / PdfLimitError when the
 * structure cannot be read within the limits.
 */
export async function findEmbeddedFile(reader: PdfReader, name: string, maxBytes: number): Promise<EmbeddedLookup> {
  const root = await reader.dict(reader.trailer.get('Root'));
  if (!root) throw new PdfSyntaxError('the document catalog is not a dictionary');
  const names = await reader.dict(root.get('Names'));
  const tree = names && (await reader.dict(names.get('EmbeddedFiles')));
  if (!tree) return { found: false };

  const matches: PdfDict[] = [];
  const stack: [PdfDict, number][] = [[tree, 0]];
  const seen = new Set<PdfDict>();
  let nodes = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (++nodes > MAX_TREE_NODES) throw new PdfLimitError('embedded-file name tree too large');
    const pairs = await reader.resolve(node.get('Names'));
    if (Array.isArray(pairs)) {
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        const key = pdfText(await reader.resolve(pairs[i]) as PdfValue);
        const spec = await reader.dict(pairs[i + 1]);
        if (!spec) continue;
        if (key === name || pdfText(await reader.resolve(spec.get('UF')) as PdfValue) === name || pdfText(await reader.resolve(spec.get('F')) as PdfValue) === name) {
          if (!matches.includes(spec)) matches.push(spec);
        }
      }
    }
    const kids = await reader.resolve(node.get('Kids'));
    if (Array.isArray(kids) && depth < MAX_TREE_DEPTH) {
      for (const kid of kids) {
        const k = await reader.dict(kid);
        if (k) stack.push([k, depth + 1]);
      }
    }
  }
  if (matches.length === 0) return { found: false };
  if (matches.length > 1) return { found: 'ambiguous' };
  const ef = await reader.dict(matches[0]!.get('EF'));
  const stream = ef && (await reader.resolve(ef.get('UF') ?? ef.get('F')));
  if (!(stream instanceof PdfStream)) throw new PdfSyntaxError(`the file specification of ${name} has no embedded stream`);
  return { found: true, bytes: await reader.decode(stream, maxBytes) };
}
