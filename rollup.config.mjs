// Two builds of the elements:
//  (a) dist/overa.bundle.js: one minified ES module with Lit inside, for a plain
//      <script type="module" src=".../overa.bundle.js"> on any page;
//  (b) dist/lib/: one ES module per source module, Lit and the other dependencies left
//      external, for npm users' bundlers (declarations come from tsconfig.build.json).
// TypeScript goes through esbuild with tsconfig.json, so experimentalDecorators and
// useDefineForClassFields:false (which Lit's decorators need) are honoured.
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import terser from '@rollup/plugin-terser';

const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));
const ts = () => esbuild({ tsconfig, target: 'es2022', sourceMap: true });

/**
 * The browser bundle's trusted-list reader (components/core/trust-lists/load.ts) parses XML with
 * the page's DOMParser; @xmldom/xmldom and xpath (CommonJS, for Node and workers) stay out of it.
 * pvtsutils (under xmldsigjs) names its CommonJS build as its "browser" file: its ES build instead.
 */
const browserXml = {
  name: 'browser-xml',
  resolveId(id) {
    if (id === '@xmldom/xmldom' || id === 'xpath') return `\0browser-xml:${id}`;
    if (id === 'pvtsutils') return fileURLToPath(new URL('./node_modules/pvtsutils/build/index.es.js', import.meta.url));
    return null;
  },
  load(id) {
    if (!id.startsWith('\0browser-xml:')) return null;
    return 'export const DOMParser = undefined; export const XMLSerializer = undefined; export const select = undefined; export default {};';
  },
};

/** Every package the browser code imports (a bare specifier) stays external in the library build. */
const isExternal = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0');

/**
 * The library build's entry points: the package entries, and for every element folder its
 * define module (registers the tag) and its class module, so npm users import one element.
 */
function libraryInputs() {
  const inputs = {
    index: 'components/index.ts',
    'core/index': 'components/core/index.ts',
    'client/index': 'components/client/index.ts',
    'i18n/index': 'components/i18n/index.ts',
  };
  for (const dir of readdirSync('components', { withFileTypes: true })) {
    if (!dir.isDirectory() || !existsSync(`components/${dir.name}/define.ts`)) continue;
    inputs[`${dir.name}/define`] = `components/${dir.name}/define.ts`;
    if (existsSync(`components/${dir.name}/${dir.name}.ts`)) inputs[`${dir.name}/${dir.name}`] = `components/${dir.name}/${dir.name}.ts`;
  }
  return inputs;
}

export default [
  {
    input: 'components/index.ts',
    output: {
      // One module to drop in; the PDF verifier (pkijs, asn1js) is a chunk of its own that
      // <overa-verify> loads only when a file is checked.
      dir: 'dist',
      entryFileNames: 'overa.bundle.js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      format: 'es',
      sourcemap: true,
    },
    plugins: [browserXml, nodeResolve({ browser: true }), ts(), terser({ module: true, format: { comments: false } })],
  },
  {
    input: libraryInputs(),
    external: isExternal,
    output: {
      dir: 'dist/lib',
      format: 'es',
      preserveModules: true,
      preserveModulesRoot: 'components',
      entryFileNames: '[name].js',
      sourcemap: true,
    },
    plugins: [ts()],
  },
];
