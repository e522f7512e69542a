/**
 * `verifyDocument` in Debian's Chromium: the verifier bundled by esbuild from components/core
 * (as the browser bundle takes it), served with the given files from a page on 127.0.0.1 (a
 * secure context, so WebCrypto is there), `window.overaVerify` set to it. For tests that need
 * the same report in a browser as in Node, and for bench/verify-browser.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_PATH, chromiumArgs } from './chromium.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const VERIFIER_ENTRY = "export { verifyDocument } from './components/core/pdf/verify-document.ts';";

/** The verifier as the browser gets it: minified ESM, pkijs and asn1js inside. */
export async function verifierBundle(): Promise<string> {
  return (await buildOf(VERIFIER_ENTRY)).outputFiles[0]!.text;
}

/**
 * The same code split as the browser bundle splits it: an entry chunk, the code it shares in
 * chunks it imports statically, each `import()` a chunk of its own (one bundle inlines them);
 * file name → code. For the size of what loading the verifier fetches (bench/verify-browser.ts).
 */
export async function verifierChunks(): Promise<{ entry: string; files: Map<string, string> }> {
  const outdir = join(ROOT, '.bench-out');
  const result = await buildOf(VERIFIER_ENTRY, { splitting: true, outdir });
  const files = new Map(result.outputFiles.map((f) => [relative(outdir, f.path), f.text]));
  // stdin's chunk is named after it; the others are chunk-<hash> or a dynamically imported module's name.
  return { entry: 'stdin.js', files };
}

/** The trusted-list loader (components/core/trust-lists/load.ts: XML parsing and XMLDSig) as the browser gets it, as a classic script setting `window.overaTrustedLists`. */
export async function trustedListBundle(): Promise<string> {
  const result = await build({
    stdin: { contents: "import * as tl from './components/core/trust-lists/load.ts'; window.overaTrustedLists = tl;", resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
  });
  return result.outputFiles[0]!.text;
}

/** Minified ESM for browsers, in memory; `split` writes nothing either, `outdir` only names the files. */
function buildOf(contents: string, split?: { splitting: true; outdir: string }) {
  return build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    ...split,
  });
}

export interface VerifierPage {
  browser: Browser;
  page: Page;
  url: string;
  close(): Promise<void>;
}

/** Opens a page with the verifier and `files` (path → [content type, body]) served next to it. */
export async function openVerifierPage(files: Record<string, [string, string | Buffer | Uint8Array]>, options: { trustedLists?: boolean } = {}): Promise<VerifierPage> {
  const js = await verifierBundle();
  const tlJs = options.trustedLists ? await trustedListBundle() : undefined;
  // esbuild's ESM ends in `export{x as verifyDocument}`: keep the module, expose the function on window.
  const exportName = /export\s*\{\s*(\w+)\s+as\s+verifyDocument\s*\}/.exec(js)?.[1] ?? 'verifyDocument';
  const served: Record<string, [string, string | Buffer | Uint8Array]> = {
    '/': ['text/html', `<!doctype html><meta charset="utf-8"><title>verifier</title>${tlJs ? '<script src="/trusted-lists.js"></script>' : ''}<script type="module" src="/verifier.js"></script>`],
    ...(tlJs ? { '/trusted-lists.js': ['text/javascript', tlJs] as [string, string] } : {}),
    '/verifier.js': ['text/javascript', `${js.replace(/export\s*\{[^}]*\};?\s*$/, '')}\nwindow.overaVerify = ${exportName};`],
    ...files,
  };
  const server: Server = createServer((req, res) => {
    const f = served[req.url ?? '/'];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': f[0] }).end(f[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(), headless: true });
  try {
    const page = await browser.newPage();
    // tsx compiles callers with esbuild's keepNames: functions sent to the page call __name().
    await page.evaluateOnNewDocument('globalThis.__name = (f) => f;');
    await page.goto(`${url}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof (window as unknown as { overaVerify?: unknown }).overaVerify === 'function');
    return {
      browser,
      page,
      url,
      close: async () => {
        await browser.close();
        server.close();
      },
    };
  } catch (err) {
    await browser.close();
    server.close();
    throw err;
  }
}
