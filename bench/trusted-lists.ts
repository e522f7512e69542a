/**
 * Load and verify trusted lists in Chromium: a list of lists pointing to a national list of
 * realistic size (BENCH_TL_SERVICES services, 300 by default: the largest EU national lists
 * have a few hundred), both generated and signed by `xmlsec1` at set-up
 * (test/helpers/trusted-lists.ts), read and verified by components/core/trust-lists/load.ts
 * (the browser's DOMParser, xmldsigjs's canonicalization, WebCrypto) — against the browser's
 * DOMParser alone parsing the same two files, in the same page. Goal: ≥ 0.3× its speed.
 *
 * Also the size of the trusted-list code the elements load lazily (only to check a list file),
 * minified + gzip.
 */
import { gzipSync } from 'node:zlib';
import type { BenchReport } from './lib/types.ts';
import { trackTempDir, watchdog } from './lib/cleanup.ts';
import { builtChunkGzip } from './lib/chunks.ts';
import { fmt, median, num } from './lib/numbers.ts';
import { createTrustFixture } from '../test/helpers/trusted-lists.ts';
import { openVerifierPage, trustedListBundle, type VerifierPage } from '../test/helpers/verifier-page.ts';

const ID = 'trusted-lists';
const GOAL = 0.3;

export async function run(): Promise<BenchReport> {
  const services = num('BENCH_TL_SERVICES', 300);
  const rounds = num('BENCH_TL_ROUNDS', 9);
  const disarm = watchdog(ID, 300_000);
  const fx = createTrustFixture();
  trackTempDir(fx.dir);
  let opened: VerifierPage | undefined;
  try {
    const lists = fx.writeLists(new Date(Date.now() - 3_600_000));
    const national = fx.largeList(services);
    opened = await openVerifierPage(
      {
        '/lotl.xml': ['application/xml', lists.lotl],
        '/national.xml': ['application/xml', national],
        '/lotl-signer.pem': ['text/plain', fx.lotlSigner.pem],
      },
      { trustedLists: true },
    );
    const { page, browser } = opened;
    const figures = await page.evaluate(async (rounds: number) => {
      type Loaded = { results: { ok: boolean }[]; set: { lists: { list: { providers: { services: unknown[] }[] } }[] } };
      const w = window as unknown as { overaTrustedLists: { loadTrustedLists: (s: unknown) => Promise<Loaded> } };
      const lotl = await (await fetch('/lotl.xml')).text();
      const national = await (await fetch('/national.xml')).text();
      const pem = await (await fetch('/lotl-signer.pem')).text();
      const load = () => w.overaTrustedLists.loadTrustedLists({ lotl: { xml: lotl, pinned: [pem] }, lists: [{ xml: national, location: 'https://tl.example.test/rs.xml' }] });
      const first = await load();
      if (!first.results.every((r) => r.ok)) throw new Error(`a list was refused: ${JSON.stringify(first.results)}`);
      const count = first.set.lists[1]!.list.providers.reduce((n, p) => n + p.services.length, 0);
      const parse = () => {
        const a = new DOMParser().parseFromString(lotl, 'application/xml');
        const b = new DOMParser().parseFromString(national, 'application/xml');
        // Touch the trees so nothing is left lazy.
        return a.getElementsByTagName('*').length + b.getElementsByTagName('*').length;
      };
      const verify: number[] = [];
      const parsing: number[] = [];
      for (let i = 0; i < 2; i++) {
        await load();
        parse();
      }
      for (let i = 0; i < rounds; i++) {
        const a = async () => {
          const t0 = performance.now();
          const r = await load();
          verify.push(performance.now() - t0);
          if (!r.results.every((x) => x.ok)) throw new Error('changed its mind');
        };
        const b = () => {
          const t0 = performance.now();
          parse();
          parsing.push(performance.now() - t0);
        };
        if (i % 2 === 0) {
          await a();
          b();
        } else {
          b();
          await a();
        }
      }
      return { verify, parsing, bytes: lotl.length + national.length, count };
    }, rounds);
    const v = median(figures.verify);
    const p = median(figures.parsing);
    const esbuildGzip = gzipSync(Buffer.from(await trustedListBundle()), { level: 9 }).length;
    const chunkGzip = builtChunkGzip('load-');
    return {
      id: ID,
      title: `Load and verify a list of lists + a national list of ${figures.count} services (${fmt(figures.bytes / 1e6, 2)} MB) in Chromium vs DOMParser alone`,
      results: [
        {
          name: `loadTrustedLists in Chromium: list of lists + national list (${figures.count} services), parsed, read, both XMLDSig signatures verified`,
          figure: v,
          unit: 'ms',
          baselineName: 'DOMParser alone parsing the same two files, same page',
          baselineFigure: p,
          ratio: p / v,
          goal: { ratio: GOAL, direction: 'higher' },
        },
        {
          name: 'The lazy trusted-list code (XML reading, xmldsigjs), minified + gzip',
          figure: (chunkGzip ?? esbuildGzip) / 1024,
          unit: 'KB',
          baselineName: 'the same code bundled by esbuild (minified + gzip)',
          baselineFigure: esbuildGzip / 1024,
          ratio: (chunkGzip ?? esbuildGzip) / esbuildGzip,
        },
      ],
      method: [
        `Debian Chromium ${(await browser.version()).replace(/^HeadlessChrome\//, '')}, headless; a page on 127.0.0.1; the two XML files fetched into the page once.`,
        `${rounds} alternating rounds after 2 warm-up rounds; medians kept. Ratio = DOMParser time / load-and-verify time (speed relative to parsing alone).`,
        'The lists: made by test/helpers/trusted-lists.ts, signed by xmlsec1 (enveloped, exclusive C14N, ECDSA P-256 / SHA-256); each generated service has a CA certificate, a status history of three states and a Qualifications extension.',
        chunkGzip === undefined ? 'Chunk size: dist/ not built, the esbuild bundle measured instead.' : 'Chunk size: dist/chunks/load-*.js from `npm run build` (rollup + terser), gzip -9.',
      ],
      observations: [`Per round (ms): load+verify ${figures.verify.map((x) => fmt(x, 1)).join(', ')}; DOMParser ${figures.parsing.map((x) => fmt(x, 1)).join(', ')}.`],
    };
  } finally {
    disarm();
    await opened?.close();
    fx.cleanup();
  }
}
