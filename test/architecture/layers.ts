/**
 * Reads the import specifiers of source files and checks them against the layer rules in
 * layers.json (the way dependency-cruiser or eslint-plugin-boundaries do, in a page of code):
 * static imports, re-exports, `import type` and dynamic `import()` all count.
 */
import { posix } from 'node:path';
import ts from 'typescript';

export interface Layer {
  name: string;
  /** Path prefix from the repository root; the first layer a file's path starts with is its layer. */
  path: string;
  /** Layers this one may import, its own included. */
  may: string[];
  /** npm packages it may import; "*" allows any. */
  packages: string[];
  /** Whether Node built-ins (`node:fs`, `fs`…) may be imported. */
  node: boolean;
}

export interface SourceFile {
  /** Path from the repository root, with forward slashes. */
  path: string;
  text: string;
}

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

const NODE_BUILTINS = new Set(['assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'http', 'https', 'net', 'os', 'path', 'process', 'stream', 'timers', 'url', 'util', 'worker_threads', 'zlib']);

export function layerOf(path: string, layers: readonly Layer[]): Layer | undefined {
  return layers.find((l) => path.startsWith(l.path));
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

export function checkLayers(files: readonly SourceFile[], layers: readonly Layer[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const from = layerOf(file.path, layers);
    if (!from) continue;
    for (const specifier of importsOf(file.text)) {
      if (specifier.startsWith('.')) {
        const target = posix.normalize(posix.join(posix.dirname(file.path), specifier));
        const to = layerOf(target, layers);
        if (!to) {
          violations.push({ file: file.path, specifier, rule: `${from.name} imports ${target}, which is in no layer` });
        } else if (!from.may.includes(to.name)) {
          violations.push({ file: file.path, specifier, rule: `${from.name} may not import ${to.name}` });
        }
      } else if (specifier.startsWith('node:') || NODE_BUILTINS.has(packageName(specifier))) {
        if (!from.node) violations.push({ file: file.path, specifier, rule: `${from.name} may not import Node built-ins` });
      } else if (!from.packages.includes('*') && !from.packages.includes(packageName(specifier))) {
        violations.push({ file: file.path, specifier, rule: `${from.name} may not import the package ${packageName(specifier)}` });
      }
    }
  }
  return violations;
}
