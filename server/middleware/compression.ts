import type { Middleware } from 'koa';
import compress from 'koa-compress';

export interface CompressionOptions {
  /** Smallest body compressed, in bytes: below it the headers cost more than they save. */
  threshold?: number;
}

/**
 * Compresses answers on the fly with koa-compress (brotli at its quality 4, else gzip, as the
 * browser accepts; compressible types only, so never a PDF or an image): the API's JSON, the
 * demo pages. The element bundle's scripts are compressed at build time instead
 * (scripts/precompress.mjs, brotli at quality 11; static-files.ts sends that copy, which
 * koa-compress leaves alone as it carries a Content-Encoding already): docs/decisions.md. A
 * server-sent event stream opts out (`ctx.compress = false`, server/sse.ts): its events must
 * leave as they are written.
 */
export function compression(options: CompressionOptions = {}): Middleware {
  return compress({ threshold: options.threshold ?? 1024, deflate: false }) as unknown as Middleware;
}
