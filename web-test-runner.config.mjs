// Web Test Runner: the component tests in a real Chromium (the system one; never downloaded),
// TypeScript through esbuild, the real Overa server and a virtual passkey authenticator.
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { overaServerPlugin } from './test/plugins/overa-server.mjs';
import { virtualAuthenticatorPlugin } from './test/plugins/virtual-authenticator.mjs';
import { ltvFixturePlugin } from './test/plugins/ltv-fixture.mjs';
import { trustedListFixturePlugin } from './test/plugins/trusted-list-fixture.mjs';

const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));

export default {
  files: ['test/components/**/*.test.ts'],
  nodeResolve: true,
  // A fixed origin: it is the WebAuthn origin the Overa server is configured to accept.
  hostname: 'localhost',
  port: Number(process.env.WTR_PORT ?? 8765),
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  // A failed assertion about a DOM element is reported, not a hang (test/helpers/cloneable-assertions.ts).
  testRunnerHtml: (testFramework) => `<!DOCTYPE html><html><body>
    <script type="module" src="${testFramework}"></script>
    <script type="module" src="/test/helpers/cloneable-assertions.ts"></script>
  </body></html>`,
  testsFinishTimeout: 180000,
  // Lit's dev build (the "development" export condition) checks more; its banner is noise.
  filterBrowserLogs: ({ args }) => !String(args[0] ?? '').startsWith('Lit is in dev mode'),
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        // puppeteer gives every run a fresh temporary --user-data-dir and removes it afterwards.
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-quic',
          '--disable-sync',
        ],
      },
    }),
  ],
  plugins: [
    // experimentalDecorators / useDefineForClassFields:false come from tsconfig.json.
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig }),
    virtualAuthenticatorPlugin(),
    overaServerPlugin(),
    ltvFixturePlugin(),
    trustedListFixturePlugin(),
  ],
};
