/**
 * What loading a lazy chunk fetches (bench/lib/chunks.ts): the chunk and the chunks it imports
 * statically, transitively, not its `import()`s and not what the bundle's entry already
 * loaded; and the chunk is found by name and export when two chunks share a prefix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtChunkClosureGzip, builtChunkGzip, gzipSize, staticClosure } from '../../bench/lib/chunks.ts';

/** A small build as rollup + terser write one: an entry, a shared chunk, a lazy chunk with a cycle, a diamond and an `import()`. */
const BUILD: Record<string, string> = {
  'overa.bundle.js': 'export{a as A,l as load}from"./chunks/shared-1.js";',
  'chunks/shared-1.js': 'const a=1,l=()=>import("./verify-document-2.js");export{a,l};',
  'chunks/verify-document-1.js': 'const m={"verify.title":"Provera"};export{m as default};',
  'chunks/verify-document-2.js':
    'import{a as t}from"./shared-1.js";import{b as n}from"./chain-1.js";import"./side-1.js";import{z}from"lit";' +
    'function f(){return import("./qualify-1.js")}export{f as VERIFY_DOCUMENT_LIMITS,n as verifyDocument};',
  'chunks/chain-1.js': 'import{a}from"./shared-1.js";export{c as b}from"./side-1.js";const q=Array.from([a]);',
  'chunks/side-1.js': 'import{b}from"./chain-1.js";export const c=b;',
  'chunks/qualify-1.js': 'import{b}from"./chain-1.js";export{b as qualify};',
};

test('the static closure follows import, bare import and export-from, through cycles, but not import() nor packages', () => {
  const read = (path: string) => BUILD[path];
  assert.deepEqual(new Set(staticClosure('chunks/verify-document-2.js', read)), new Set(['chunks/verify-document-2.js', 'chunks/shared-1.js', 'chunks/chain-1.js', 'chunks/side-1.js']));
  assert.deepEqual(staticClosure('overa.bundle.js', read), ['overa.bundle.js', 'chunks/shared-1.js']);
  assert.throws(() => staticClosure('chunks/verify-document-2.js', (path) => (path === 'chunks/side-1.js' ? undefined : BUILD[path])), /chunks\/side-1\.js \(imported by chunks\/[\w-]+\.js\) is not in the build/);
});

test('a built lazy chunk is measured with its static imports, less what the entry loaded, and found by its export when a prefix is shared', (t) => {
  const dist = mkdtempSync(join(tmpdir(), 'overa-chunks-'));
  t.after(() => rmSync(dist, { recursive: true, force: true }));
  mkdirSync(join(dist, 'chunks'));
  for (const [path, code] of Object.entries(BUILD)) writeFileSync(join(dist, path), code);

  const sizes = builtChunkClosureGzip('verify-document-', { exporting: 'verifyDocument', dist })!;
  const expected = ['chunks/verify-document-2.js', 'chunks/chain-1.js', 'chunks/side-1.js'];
  assert.deepEqual(new Set(sizes.files.map((f) => f.path)), new Set(expected));
  assert.equal(sizes.gzip, expected.reduce((sum, path) => sum + gzipSize(BUILD[path]!), 0));
  assert.equal(builtChunkGzip('verify-document-', { exporting: 'verifyDocument', dist }), gzipSize(BUILD['chunks/verify-document-2.js']!));

  assert.throws(() => builtChunkGzip('verify-document-', { dist }), /2 chunks verify-document-\*\.js, not one/);
  assert.throws(() => builtChunkClosureGzip('verify-document-', { exporting: 'nothing', dist }), /0 chunks verify-document-\*\.js exporting nothing/);
  assert.equal(builtChunkClosureGzip('verify-document-', { dist: join(dist, 'not-built') }), undefined);
});
