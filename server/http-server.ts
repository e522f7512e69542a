import { createServer, type Server } from 'node:http';
import type Koa from 'koa';
import { DEFAULT_HTTP_TIMEOUTS, type Config } from './config.ts';

/**
 * The HTTP server around the app, with the configured timeouts: a request's headers must
 * arrive within `headersTimeoutMs` and the whole request within `requestTimeoutMs` (Node then
 * answers 408 and closes the connection), so a client that trickles a request never holds a
 * connection for long. A body that stalls altogether is cut off sooner by the app itself
 * (`bodyIdleTimeoutMs`, server/body-progress.ts). Used by `overa start`, the tests and the
 * benchmarks alike.
 */
export function createHttpServer(app: Koa, config: Pick<Config, 'headersTimeoutMs' | 'requestTimeoutMs'>): Server {
  const headersTimeout = config.headersTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs;
  const requestTimeout = config.requestTimeoutMs ?? DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs;
  const server = createServer(
    {
      headersTimeout,
      requestTimeout,
      // How often Node looks for requests over those timeouts (its default, 30 s, would let a
      // 20 s timeout run to 50 s): a quarter of the shorter one.
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(Math.min(headersTimeout, requestTimeout) / 4))),
    },
    app.callback(),
  );
  // Above a load balancer's idle timeout (60 s on common ones), so that it closes an idle
  // connection first and never reuses one the server is closing.
  server.keepAliveTimeout = 65_000;
  return server;
}
