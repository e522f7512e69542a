/**
 * Verify a 10 MB sealed PDF in Chromium: `verifyDocument` (the code `<overa-verify>` loads)
 * against raw WebCrypto SHA-256 over the same bytes in the same page — the floor any
 * verifier must hash through. Goal: verifying runs at ≥ 0.5× the speed of hashing alone.
 * Also prints the size of the lazy verifier chunk (minified + gzip).
 *
 * Debian Chromium (headless, never downloaded), a page on 127.0.0.1 (a secure context, so
 * WebCrypto is there), the verifier bundled by esbuild from components/core as the browser
 * bundle does; the file is fetched into the page once and each round works on the bytes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import type { BenchReport } from './lib/types.ts';
import { trackTempDir, watchdog } from './lib/cleanup.ts';
import { ROOT } from './lib/child-server.ts';
import { fmt, num } from './lib/numbers.ts';
import { makeSealedPdf } from './verify-node.ts';
import { createTestPki } from '../test/helpers/pdf-sign.ts';
import { CHROMIUM_PATH, chromiumArgs } from '../test/helpers/chromium.ts';

const ID = 'verify-browser';
const GOAL = 0.5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The verifier as the browser gets it: minified ESM, pkijs and asn1js inside. */
async function verifierBundle(): Promise<string> {
  const result = await build({
    stdin: { contents: "export { verifyDocument } from './components/core/pdf/verify-document.ts';", resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
  });
  return result.outputFiles[0]!.text;
}

/** The lazy chunk `npm run build` made, when there is one (dist/chunks/verify-document-*.js). */
function builtChunkGzip(): number | undefined {
  const dir = join(ROOT, 'dist/chunks');
  if (!existsSync(dir)) return undefined;
  const file = readdirSync(dir).find((f) => f.startsWith('verify-document-') && f.endsWith('.js'));
  return file ? gzipSync(readFileSync(join(dir, file)), { level: 9 }).length : undefined;
}

export async function run(): Promise<BenchReport> {
  const megabytes = num('BENCH_VERIFY_MB', 10);
  const rounds = num('BENCH_VERIFY_ROUNDS', 15);
  const disarm = watchdog(ID, 240_000);
  const pki = createTestPki();
  trackTempDir(pki.dir);
  let server: Server | undefined;
  const browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(), headless: true });
  try {
    const path = join(pki.dir, 'sealed.pdf');
    const size = await makeSealedPdf(pki, Math.round(megabytes * 1024 * 1024) - 64 * 1024, path);
    const js = await verifierBundle();
    const files: Record<string, [string, string | Buffer]> = {
      '/': ['text/html', '<!doctype html><meta charset="utf-8"><title>verify bench</title><script type="module" src="/verifier.js"></script>'],
      '/verifier.js': ['text/javascript', ''],
      '/sealed.pdf': ['application/pdf', readFileSync(path)],
      '/root.pem': ['text/plain', pki.rootPem],
    };
    // esbuild's ESM ends in `export{x as verifyDocument}`: keep the module, expose the function on window.
    const exportName = /export\s*\{\s*(\w+)\s+as\s+verifyDocument\s*\}/.exec(js)?.[1] ?? 'verifyDocument';
    files['/verifier.js']![1] = `${js.replace(/export\s*\{[^}]*\};?\s*$/, '')}\nwindow.overaVerify = ${exportName};`;
    server = createServer((req, res) => {
      const f = files[req.url ?? '/'];
      if (!f) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': f[0] }).end(f[1]);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const page = await browser.newPage();
    // tsx compiles this file with esbuild's keepNames: functions sent to the page call __name().
    await page.evaluateOnNewDocument('globalThis.__name = (f) => f;');
    await page.goto(`${url}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof (window as unknown as { overaVerify?: unknown }).overaVerify === 'function');
    const figures = await page.evaluate(
      async (rounds: number) => {
        const w = window as unknown as { overaVerify: (b: Uint8Array, o: { trustAnchors: string[] }) => Promise<{ indication: string }> };
        const bytes = new Uint8Array(await (await fetch('/sealed.pdf')).arrayBuffer());
        const pem = await (await fetch('/root.pem')).text();
        const first = await w.overaVerify(bytes, { trustAnchors: [pem] });
        if (first.indication !== 'TOTAL_PASSED') throw new Error(`not passed in the browser: ${JSON.stringify(first)}`);
        const verify: number[] = [];
        const hash: number[] = [];
        for (let i = 0; i < 3; i++) {
          await w.overaVerify(bytes, { trustAnchors: [pem] });
          await crypto.subtle.digest('SHA-256', bytes);
        }
        for (let i = 0; i < rounds; i++) {
          const a = async () => {
            const t0 = performance.now();
            const r = await w.overaVerify(bytes, { trustAnchors: [pem] });
            verify.push(performance.now() - t0);
            if (r.indication !== 'TOTAL_PASSED') throw new Error('changed its mind');
          };
          const b = async () => {
            const t0 = performance.now();
            await crypto.subtle.digest('SHA-256', bytes);
            hash.push(performance.now() - t0);
          };
          if (i % 2 === 0) {
            await a();
            await b();
          } else {
            await b();
            await a();
          }
        }
        return { verify, hash, size: bytes.length };
      },
      rounds,
    );
    const v = median(figures.verify);
    const h = median(figures.hash);
    const mb = figures.size / 1e6;
    const chunkGzip = builtChunkGzip();
    const esbuildGzip = gzipSync(Buffer.from(js), { level: 9 }).length;
    return {
      id: ID,
      title: `Verify a ${fmt(size / 1e6, 1)} MB sealed PDF in Chromium vs WebCrypto SHA-256 of the same bytes`,
      results: [
        {
          name: `verifyDocument in Chromium, ${fmt(mb, 1)} MB sealed PDF (throughput; seal + 2 passkey signatures)`,
          figure: mb / (v / 1000),
          unit: 'MB/s',
          baselineName: 'crypto.subtle.digest SHA-256 over the same bytes, same page',
          baselineFigure: mb / (h / 1000),
          ratio: h / v,
          goal: { ratio: GOAL, direction: 'higher' },
        },
        {
          name: 'The lazy verifier chunk, minified + gzip',
          figure: (chunkGzip ?? esbuildGzip) / 1024,
          unit: 'KB',
          baselineName: 'the same code bundled by esbuild (minified + gzip)',
          baselineFigure: esbuildGzip / 1024,
          ratio: (chunkGzip ?? esbuildGzip) / esbuildGzip,
        },
      ],
      method: [
        `Debian Chromium ${(await browser.version()).replace(/^HeadlessChrome\//, '')}, headless; a page on 127.0.0.1 (secure context); the PDF fetched into the page once.`,
        `${rounds} alternating rounds (verify, hash / hash, verify) after 3 warm-up rounds; medians kept. Verify = the whole verifyDocument (parse, CMS, chain to the test root, hash of both signed ranges, embedded passkey evidence).`,
        'The file: a pdf-lib PDF with a ~10 MB embedded attachment and two passkey evidences, sealed ETSI.CAdES.detached with openssl (test/helpers/pdf-sign.ts), the same as bench/verify-node.ts.',
        chunkGzip === undefined ? 'Chunk size: dist/ not built, the esbuild bundle measured instead.' : 'Chunk size: dist/chunks/verify-document-*.js from `npm run build` (rollup + terser), gzip -9.',
      ],
      observations: [`Per round (ms): verify ${figures.verify.map((x) => fmt(x, 1)).join(', ')}; hash ${figures.hash.map((x) => fmt(x, 1)).join(', ')}.`],
    };
  } finally {
    disarm();
    await browser.close();
    server?.close();
  }
}
