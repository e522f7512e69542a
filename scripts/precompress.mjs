// Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy next to every script of the
// element bundle (dist/overa.bundle.js and dist/chunks/*.js), which the server's static files
// (koa-send) send to browsers that accept them. At build time rather than per request: brotli's
// best quality makes the verifier chunk 87 KB instead of 106 KB (quality 4, what on-the-fly
// compression can afford) for 3 s once, not 17 ms of a core per download (docs/decisions.md).
// A copy that would not be smaller is not written.
import { readdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = process.argv[2] ?? 'dist';
const files = [
  ...readdirSync(root).filter((f) => f.endsWith('.js')).map((f) => join(root, f)),
  ...(existsSync(join(root, 'chunks')) ? readdirSync(join(root, 'chunks')).filter((f) => f.endsWith('.js')).map((f) => join(root, 'chunks', f)) : []),
];
let before = 0;
let after = 0;
for (const file of files) {
  const bytes = readFileSync(file);
  const copies = {
    br: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
    gz: gzipSync(bytes, { level: 9 }),
  };
  for (const [ext, copy] of Object.entries(copies)) {
    if (copy.length < bytes.length) writeFileSync(`${file}.${ext}`, copy);
    else rmSync(`${file}.${ext}`, { force: true });
  }
  before += bytes.length;
  after += Math.min(bytes.length, copies.br.length);
}
console.log(`precompressed ${files.length} scripts: ${(before / 1024).toFixed(1)} KB, ${(after / 1024).toFixed(1)} KB with brotli`);
