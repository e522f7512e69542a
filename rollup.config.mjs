// Two builds of the elements:
//  (a) dist/overa.bundle.js: one minified ES module with Lit inside, for a plain
//      <script type="module" src=".../overa.bundle.js"> on any page;
//  (b) dist/lib/: one ES module per source module, Lit and the other dependencies left
//      external, for npm users' bundlers (declarations come from tsconfig.build.json).
// TypeScript goes through esbuild with tsconfig.json, so experimentalDecorators and
// useDefineForClassFields:false (which Lit's decorators need) are honoured.
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import terser from '@rollup/plugin-terser';

const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));
const ts = () => esbuild({ tsconfig, target: 'es2022', sourceMap: true });

/** Every runtime dependency of the browser code: external in the library build. */
const isExternal = (id) => /^(lit|@lit|@lit-labs|@simplewebauthn\/browser|@levischuck\/tiny-cbor|canonicalize)(\/|$)/.test(id);

export default [
  {
    input: 'components/index.ts',
    output: {
      file: 'dist/overa.bundle.js',
      format: 'es',
      sourcemap: true,
    },
    plugins: [nodeResolve({ browser: true }), ts(), terser({ module: true, format: { comments: false } })],
  },
  {
    input: {
      index: 'components/index.ts',
      'core/index': 'components/core/index.ts',
      'client/index': 'components/client/index.ts',
      'i18n/index': 'components/i18n/index.ts',
      'account/define': 'components/account/define.ts',
      'account/account': 'components/account/account.ts',
      'application-form/define': 'components/application-form/define.ts',
      'application-form/application-form': 'components/application-form/application-form.ts',
      'sign/define': 'components/sign/define.ts',
      'sign/sign': 'components/sign/sign.ts',
    },
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
